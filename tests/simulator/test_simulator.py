"""The simulator over HTTP, in process: validation, auth, single sends, batches, attendance, rate limits.

Raw httpx shows the wire (statuses, headers, bodies); the overlay's clients show that users' code sees
what it would see against HubSpot.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hubspot_email import (
    AuthenticationError,
    OutcomeState,
    PermissionDeniedError,
    RateLimitError,
    attendee,
    email_engagement,
)
from hubspot_email.testing import SIMULATOR_TOKEN, RateLimit, Simulator

V4 = "/marketing/v4/email/single-send"
V1 = "/email/public/v1/singleEmail/send"
BATCH = "/crm/v3/objects/emails/batch/create"
ALL_SCOPES = [
    "marketing-email",
    "transactional-email",
    "crm.objects.contacts.write",
    "crm.objects.marketing_events.write",
]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def attendance_path(event: str = "58237132332", state: str = "register") -> str:
    return f"/marketing/v3/marketing-events/{event}/attendance/{state}/email-create"


def post(sim: Simulator, path: str, body: Any, token: str | None = SIMULATOR_TOKEN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        return http.post(path, json=body, headers=headers)


def v4_body(to: str = "ada@example.com", send_id: str | None = None, **message: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"emailId": 1, "message": {"to": to, **message}}
    if send_id is not None:
        body["message"]["sendId"] = send_id
    return body


def engagement(trace: str, **properties: str) -> dict[str, Any]:
    return {
        "properties": {"hs_timestamp": "1795000000000", **properties},
        "associations": [
            {
                "to": {"id": "101"},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}],
            }
        ],
        "objectWriteTraceId": trace,
    }


def guest(email: str, **contact: str) -> dict[str, Any]:
    return {
        "email": email,
        "interactionDateTime": 1795000000000,
        "properties": {},
        "contactProperties": contact,
    }


# Validation against the spec.
@pytest.mark.parametrize(
    ("path", "body", "field", "code"),
    [
        (V4, {"message": {"to": "ada@example.com"}}, "emailId", "REQUIRED"),
        (V4, {"emailId": 1}, "message", "REQUIRED"),
        (V4, {"emailId": 1, "message": {}}, "message.to", "REQUIRED"),
        (V4, {"emailId": "1", "message": {"to": "ada@example.com"}}, "emailId", "INVALID_TYPE"),
        (V4, {"emailId": 2**63, "message": {"to": "ada@example.com"}}, "emailId", "INVALID_VALUE"),
        (V4, v4_body(cc="ada@example.com"), "message.cc", "INVALID_TYPE"),
        (
            V1,
            {"emailId": 1, "message": {"to": "a@example.com"}, "contactProperties": {"a": "b"}},
            "contactProperties",
            "INVALID_TYPE",
        ),
        (BATCH, {"inputs": [{"properties": {}}]}, "inputs[0].associations", "REQUIRED"),
        (BATCH, {}, "inputs", "REQUIRED"),
        (
            attendance_path(),
            {"inputs": [{"email": "a@example.com"}]},
            "inputs[0].interactionDateTime",
            "REQUIRED",
        ),
        (
            attendance_path(state="maybe"),
            {"inputs": [guest("a@example.com")]},
            "subscriberState",
            "INVALID_VALUE",
        ),
    ],
)
def test_invalid_requests_get_hubspots_400_naming_the_field(
    path: str, body: Any, field: str, code: str
) -> None:
    sim = Simulator()
    response = post(sim, path, body)
    assert response.status_code == 400
    error = response.json()
    assert error["category"] == "VALIDATION_ERROR"
    assert error["message"].startswith(f"Invalid input: {error['errors'][0]['in']}: ")
    assert {"in": field, "code": code} in [
        {"in": item["in"], "code": item["code"]} for item in error["errors"]
    ]
    assert response.headers["x-hubspot-correlation-id"] == error["correlationId"]
    assert sim.deliveries == []
    assert sim.emails == []
    assert sim.attendance == []
    assert [exchange.processed for exchange in sim.exchanges] == [False]


def test_a_body_that_is_not_json_is_a_400_and_another_media_type_a_415() -> None:
    sim = Simulator()
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        auth = {"Authorization": "Bearer t"}
        broken = http.post(
            V4, content=b'{"emailId": 1,', headers={**auth, "Content-Type": "application/json"}
        )
        form = http.post(V4, data={"emailId": "1"}, headers=auth)
    assert broken.status_code == 400
    assert "Invalid input JSON" in broken.json()["message"]
    assert form.status_code == 415


def test_unknown_paths_are_404_and_wrong_methods_405() -> None:
    sim = Simulator()
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        assert http.post("/marketing/v4/email/nope", json={}).status_code == 404
        wrong_method = http.get(V4)
        assert (wrong_method.status_code, wrong_method.headers["allow"]) == (405, "POST")


# Authentication and scopes.
def test_missing_or_unknown_token_is_401() -> None:
    sim = Simulator(tokens={"good": ALL_SCOPES})
    assert post(sim, V4, v4_body(), token=None).status_code == 401
    unknown = post(sim, V4, v4_body(), token="bad")
    assert unknown.status_code == 401
    assert unknown.json()["category"] == "INVALID_AUTHENTICATION"
    assert post(sim, V4, v4_body(), token="good").status_code == 200


@pytest.mark.parametrize(
    ("scopes", "path", "body", "status"),
    [
        (["transactional-email"], V4, v4_body(), 200),
        (["marketing-email"], V4, v4_body(), 200),
        (["marketing-email"], V1, v4_body(), 403),
        (["transactional-email"], BATCH, {"inputs": [engagement("t")]}, 403),
        (["crm.objects.contacts.write"], BATCH, {"inputs": [engagement("t")]}, 201),
        (["crm.objects.contacts.write"], attendance_path(), {"inputs": [guest("a@example.com")]}, 403),
    ],
)
def test_scopes(scopes: list[str], path: str, body: Any, status: int) -> None:
    sim = Simulator(tokens={"tok": scopes})
    assert post(sim, path, body, token="tok").status_code == status


def test_the_overlay_reads_the_missing_scope_from_the_403() -> None:
    sim = Simulator(tokens={"tok": ["marketing-email"]})
    with sim.client(access_token="tok") as client:
        with pytest.raises(PermissionDeniedError) as raised:
            client.send_legacy_email(email_id=1, to="ada@example.com")
        # A batch reports the refusal as each input's outcome instead of raising.
        (outcome,) = client.create_emails([email_engagement(timestamp=NOW, contact_ids=["1"])]).outcomes
    assert raised.value.missing_scopes == ["transactional-email"]
    assert outcome.state is OutcomeState.FAILED
    assert isinstance(outcome.error, PermissionDeniedError)
    assert "crm.objects.contacts.write" in outcome.error.missing_scopes


def test_the_overlay_raises_authentication_error_on_401() -> None:
    sim = Simulator(tokens={"good": ALL_SCOPES})
    with sim.client(access_token="bad") as client, pytest.raises(AuthenticationError):
        client.send_email(email_id=1, to="ada@example.com")


# Single sends.
def test_a_send_id_never_delivers_twice_across_both_apis() -> None:
    sim = Simulator()
    first = post(sim, V4, v4_body(send_id="order-42"))
    again = post(sim, V4, v4_body(send_id="order-42"))
    legacy = post(sim, V1, v4_body(send_id="order-42"))
    assert first.json()["sendResult"] == "SENT"
    assert "eventId" in first.json()
    assert again.json()["sendResult"] == "IDEMPOTENT_IGNORE"
    assert "eventId" not in again.json()
    assert legacy.status_code == 409
    assert [delivery.send_id for delivery in sim.deliveries] == ["order-42"]


def test_sends_without_a_send_id_each_deliver() -> None:
    sim = Simulator()
    post(sim, V4, v4_body())
    post(sim, V4, v4_body())
    assert len(sim.deliveries_to("ada@example.com")) == 2


def test_a_refused_recipient_does_not_use_up_its_send_id() -> None:
    sim = Simulator(bounced=["ada@example.com"])
    assert post(sim, V4, v4_body(send_id="s1")).json()["sendResult"] == "PREVIOUSLY_BOUNCED"
    assert sim.deliveries == []
    assert post(sim, V4, v4_body(to="bob@example.com", send_id="s1")).json()["sendResult"] == "SENT"


@pytest.mark.parametrize(
    ("to", "result"),
    [
        ("gone@example.com", "PREVIOUSLY_BOUNCED"),
        ("left@example.com", "PREVIOUSLY_UNSUBSCRIBED_PORTAL"),
        ("blocked@example.com", "BLOCKED_ADDRESS"),
        ("x@blocked.example", "BLOCKED_DOMAIN"),
        ("noreply@example.com", "INVALID_TO_ADDRESS"),
        ("ada@example.com", "SENT"),
    ],
)
def test_recipient_lists_through_the_client(to: str, result: str) -> None:
    sim = Simulator(
        bounced=["gone@example.com"],
        unsubscribed=["left@example.com"],
        blocked=["blocked@example.com", "@blocked.example"],
    )
    # The overlay refuses role-based recipients itself; go around it to see HubSpot's answer.
    answer = post(sim, V4, v4_body(to=to)).json()
    assert answer["sendResult"] == result
    assert answer["status"] == "COMPLETE"
    assert len(sim.deliveries) == (1 if result == "SENT" else 0)


def test_a_delivery_records_what_was_sent() -> None:
    sim = Simulator()
    with sim.client() as client:
        client.send_legacy_email(
            email_id=7,
            to="ada@example.com",
            from_="Shop <shop@example.com>",
            reply_to=["help@example.com", "billing@example.com"],
            cc=["cc@example.com"],
            contact_properties={"last_paid_date": "2026-11-01"},
            custom_properties={"amount": "$42.00"},
            send_id="r-1",
        )
    (delivery,) = sim.deliveries
    assert delivery.api == "v1"
    assert delivery.email_id == 7
    assert delivery.reply_to == ("help@example.com", "billing@example.com")
    assert delivery.cc == ("cc@example.com",)
    assert delivery.contact_properties == {"last_paid_date": "2026-11-01"}
    assert delivery.custom_properties == {"amount": "$42.00"}


def test_unpublished_email_ids_are_missing_content() -> None:
    sim = Simulator(email_ids=[1])
    with sim.client() as client:
        assert client.send_email(email_id=1, to="ada@example.com").ok
        result = client.send_legacy_email(email_id=2, to="ada@example.com")
    assert result.send_result == "MISSING_CONTENT"
    assert not result.ok


# Batch create.
def test_batch_create_gives_ids_and_201() -> None:
    sim = Simulator()
    response = post(sim, BATCH, {"inputs": [engagement("a"), engagement("b", hs_email_subject="Hi")]})
    assert response.status_code == 201
    results = response.json()["results"]
    assert [result["objectWriteTraceId"] for result in results] == ["a", "b"]
    assert len({result["id"] for result in results}) == 2
    assert results[1]["properties"]["hs_email_subject"] == "Hi"
    assert results[1]["properties"]["hs_object_id"] == results[1]["id"]
    assert [email.id for email in sim.emails] == [result["id"] for result in results]


def test_batch_create_with_some_bad_inputs_is_207_with_per_input_errors() -> None:
    sim = Simulator()
    bad = engagement("bad", hs_timestamp="yesterday")
    response = post(sim, BATCH, {"inputs": [engagement("good"), bad]})
    assert response.status_code == 207
    body = response.json()
    assert body["numErrors"] == 1
    assert body["errors"][0]["context"] == {"objectWriteTraceId": ["bad"]}
    assert "hs_timestamp" in body["errors"][0]["message"]
    assert [email.object_write_trace_id for email in sim.emails] == ["good"]


def test_associations_to_records_that_do_not_exist_fail_that_input() -> None:
    sim = Simulator(record_ids=[101])
    missing = engagement("missing")
    missing["associations"][0]["to"]["id"] = "999"
    response = post(sim, BATCH, {"inputs": [engagement("ok"), missing]})
    assert response.status_code == 207
    assert "999 does not exist" in response.json()["errors"][0]["message"]
    # A contact created by attendance exists from then on.
    vid = post(sim, attendance_path(), {"inputs": [guest("new@example.com")]}).json()["results"][0]["vid"]
    missing["associations"][0]["to"]["id"] = str(vid)
    assert post(sim, BATCH, {"inputs": [missing]}).status_code == 201


def test_batch_status_200_as_hubspot_has_answered() -> None:
    sim = Simulator(batch_status=200)
    assert post(sim, BATCH, {"inputs": [engagement("a")]}).status_code == 200
    with pytest.raises(ValueError, match="batch_status"):
        Simulator(batch_status=204)


def test_the_overlay_reports_one_outcome_per_input_of_a_partial_batch() -> None:
    sim = Simulator(record_ids=[1])
    inputs = [email_engagement(timestamp=NOW, contact_ids=["1"], trace_id=f"t{index}") for index in range(5)]
    # HubSpot refuses this one: its contact does not exist (the overlay cannot know that beforehand).
    inputs[3] = email_engagement(timestamp=NOW, contact_ids=["999"], trace_id="t3")
    with sim.client() as client:
        result = client.create_emails(inputs, chunk_size=2)
    assert [outcome.state for outcome in result.outcomes] == [
        OutcomeState.CREATED,
        OutcomeState.CREATED,
        OutcomeState.CREATED,
        OutcomeState.FAILED,
        OutcomeState.CREATED,
    ]
    assert [email.object_write_trace_id for email in sim.emails] == ["t0", "t1", "t2", "t4"]


# Attendance.
def test_attendance_creates_contacts_once_and_applies_contact_properties_only_to_new_ones() -> None:
    sim = Simulator()
    first = post(sim, attendance_path(), {"inputs": [guest("ada@example.com", firstname="Ada")]})
    second = post(
        sim, attendance_path(state="attend"), {"inputs": [guest("ADA@example.com", firstname="Changed")]}
    )
    assert first.status_code == second.status_code == 200
    vid = first.json()["results"][0]["vid"]
    assert second.json()["results"][0]["vid"] == vid
    assert sim.contacts["ada@example.com"].properties == {"firstname": "Ada"}
    assert [(record.state, record.vid) for record in sim.attendance] == [("register", vid), ("attend", vid)]


def test_attendance_partial_failures_are_inside_a_200() -> None:
    sim = Simulator()
    body = {"inputs": [guest("ada@example.com"), {**guest("bob@example.com"), "properties": {"rating": "5"}}]}
    response = post(sim, attendance_path(state="attend"), body)
    assert response.status_code == 200
    answer = response.json()
    assert [result["email"] for result in answer["results"]] == ["ada@example.com"]
    assert answer["numErrors"] == 1
    assert "bob@example.com" in json.dumps(answer["errors"])


def test_unknown_events_are_404_when_events_are_configured() -> None:
    sim = Simulator(events=["e1"])
    assert post(sim, attendance_path("e1"), {"inputs": [guest("a@example.com")]}).status_code == 200
    assert post(sim, attendance_path("e2"), {"inputs": [guest("a@example.com")]}).status_code == 404


def test_the_overlay_matches_attendance_errors_to_their_inputs() -> None:
    sim = Simulator()
    attendees = [
        attendee(email="ada@example.com", at=NOW, properties={"joinedAt": "1"}),
        attendee(email="bob@example.com", at=NOW, properties={"rating": "5"}),
    ]
    with sim.client() as client:
        result = client.record_attendance("e1", "attend", attendees)
    assert [outcome.state for outcome in result.outcomes] == [OutcomeState.CREATED, OutcomeState.FAILED]


# The rolling rate limit.
class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_rolling_window_refuses_with_hubspots_429_and_headers() -> None:
    clock = FakeClock()
    sim = Simulator(rate_limit=RateLimit(max_requests=2, interval=1.0), clock=clock)
    body = {"inputs": [engagement("a")]}
    first, second, third = (post(sim, BATCH, body) for _ in range(3))
    assert [first.status_code, second.status_code, third.status_code] == [201, 201, 429]
    assert first.headers["x-hubspot-ratelimit-remaining"] == "1"
    assert second.headers["x-hubspot-ratelimit-remaining"] == "0"
    assert third.headers["x-hubspot-ratelimit-max"] == "2"
    assert third.headers["x-hubspot-ratelimit-interval-milliseconds"] == "1000"
    refusal = third.json()
    assert refusal["policyName"] == "TEN_SECONDLY_ROLLING"
    assert refusal["errorType"] == "RATE_LIMIT"
    assert len(sim.emails) == 2
    clock.now += 1.0
    assert post(sim, BATCH, body).status_code == 201


def test_single_sends_are_exempt_from_the_rate_limit() -> None:
    sim = Simulator(rate_limit=RateLimit(max_requests=1, interval=60.0, daily=1))
    statuses = {post(sim, V4, v4_body()).status_code for _ in range(5)}
    assert statuses == {200}
    assert "x-hubspot-ratelimit-max" not in post(sim, V1, v4_body()).headers


def test_the_daily_limit_is_a_daily_429() -> None:
    sim = Simulator(rate_limit=RateLimit(max_requests=100, interval=10.0, daily=1))
    assert post(sim, BATCH, {"inputs": [engagement("a")]}).status_code == 201
    refused = post(sim, BATCH, {"inputs": [engagement("b")]})
    assert refused.status_code == 429
    assert refused.json()["policyName"] == "DAILY"
    assert refused.headers["x-hubspot-ratelimit-daily-remaining"] == "0"


def test_the_overlay_learns_the_budget_and_never_trips_the_limit() -> None:
    sim = Simulator(rate_limit=RateLimit(max_requests=3, interval=1.0))
    inputs = [email_engagement(timestamp=NOW, contact_ids=["1"]) for _ in range(10)]
    with sim.client() as client:
        result = client.create_emails(inputs, chunk_size=1)
    assert result.ok
    statuses = [exchange.status for exchange in sim.exchanges]
    # The first answer teaches the client the budget (3 per second); it then waits instead of asking.
    assert statuses.count(429) <= 1
    assert len(sim.emails) == 10


def test_a_daily_429_reaches_the_caller_without_retries() -> None:
    sim = Simulator(rate_limit=RateLimit(daily=0))
    with sim.client() as client:
        result = client.record_attendance("e1", "register", [attendee(email="ada@example.com", at=NOW)])
    (outcome,) = result.outcomes
    assert outcome.state is OutcomeState.FAILED
    assert isinstance(outcome.error, RateLimitError)
    assert outcome.error.policy_name == "DAILY"
    assert len(sim.exchanges) == 1


# Both clients, the same simulator.
def test_the_async_client_runs_against_the_same_simulator() -> None:
    sim = Simulator()

    async def run() -> None:
        async with sim.async_client() as client:
            await client.send_email(email_id=1, to="ada@example.com", send_id="a-1")
            await client.send_email(email_id=1, to="ada@example.com", send_id="a-1")
            inputs = [email_engagement(timestamp=NOW, contact_ids=["1"]) for _ in range(250)]
            result = await client.create_emails(inputs)
            assert len(result.created) == 250

    asyncio.run(run())
    assert len(sim.deliveries) == 1
    assert len(sim.emails) == 250
    assert sorted(exchange.status or 0 for exchange in sim.exchanges) == [200, 200, 201, 201, 201]


def test_reset_forgets_everything() -> None:
    sim = Simulator()
    post(sim, V4, v4_body(send_id="s"))
    sim.reset()
    assert sim.deliveries == []
    assert sim.exchanges == []
    assert post(sim, V4, v4_body(send_id="s")).json()["sendResult"] == "SENT"


def test_repr_never_shows_tokens() -> None:
    sim = Simulator(tokens={"pat-na1-secret-value": ALL_SCOPES})
    assert "pat-na1-secret-value" not in repr(sim)
    assert "pat-na1-secret-value" not in repr(sim.transport)


def test_without_the_testing_extra_the_import_error_names_the_fix() -> None:
    code = (
        "import sys; sys.modules['jsonschema'] = None\n"
        "try:\n    import hubspot_email.testing\n"
        "except ImportError as error:\n    print(error)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert "pip install 'hubspot-email[testing]'" in run.stdout
    # The client itself does not need the extra.
    plain = "import sys; sys.modules['jsonschema'] = None\nimport hubspot_email; print('ok')"
    assert (
        subprocess.run(
            [sys.executable, "-c", plain], capture_output=True, text=True, check=True, timeout=60
        ).stdout
        == "ok\n"
    )


def test_each_simulators_clients_share_one_budget_of_their_own() -> None:
    """One simulator is one account: its clients share a budget, and a DAILY stop in one test's
    simulator never blocks the next test's, though the token and base URL are the same."""
    first, second = Simulator(), Simulator()
    assert first.client()._config.rate_limiter is first.async_client()._config.rate_limiter
    assert first.client()._config.rate_limiter is not second.client()._config.rate_limiter
    first.client()._config.rate_limiter.note_daily_limit()
    assert second.client()._config.rate_limiter.daily_limit_left() is None
