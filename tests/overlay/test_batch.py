"""Batch create: chunking, one outcome per input in input order, and `email_engagement` inputs."""

from __future__ import annotations

import asyncio
import collections
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import (
    AsyncClient,
    BatchResult,
    Client,
    InvalidInputError,
    OutcomeState,
    attendee,
    email_engagement,
)
from hubspot_email_api.models import SimplePublicObject

TOKEN = "pat-na1-batch"
BASE_URL = "https://api.test.example"
PATH = "/crm/v3/objects/emails/batch/create"
WHEN = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
WHEN_MS = "1795428000000"
SURROGATE = "unpaired surrogate that cannot be sent as UTF-8"


def _record(record_id: str, trace_id: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": record_id,
        "properties": {},
        "createdAt": "2026-11-23T10:00:00Z",
        "updatedAt": "2026-11-23T10:00:00Z",
        "archived": False,
    }
    if trace_id is not None:
        record["objectWriteTraceId"] = trace_id
    return record


def _answer(
    request: httpx.Request, failing_subjects: frozenset[str] = frozenset(), echo: bool = True
) -> httpx.Response:
    """HubSpot's behaviour: create each input, except those whose subject is in `failing_subjects`."""
    inputs = json.loads(request.content)["inputs"]
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in inputs:
        trace_id = item["objectWriteTraceId"]
        if item["properties"].get("hs_email_subject") in failing_subjects:
            errors.append(
                {
                    "status": "error",
                    "category": "VALIDATION_ERROR",
                    "message": "bad",
                    "context": {"objectWriteTraceId": [trace_id]},
                }
            )
        else:
            results.append(
                _record("id-" + item["properties"]["hs_email_subject"], trace_id if echo else None)
            )
    body: dict[str, Any] = {
        "status": "COMPLETE",
        "startedAt": "2026-11-23T10:00:00Z",
        "completedAt": "2026-11-23T10:00:01Z",
        "results": results,
    }
    if errors:
        body |= {"errors": errors, "numErrors": len(errors)}
    return httpx.Response(207 if errors else 201, json=body)


def _inputs(count: int) -> list[Any]:
    return [email_engagement(timestamp=WHEN, subject=str(n)) for n in range(count)]


def _create(kind: str, inputs: list[Any], **options: Any) -> BatchResult[Any]:
    if kind == "sync":
        with Client(TOKEN, base_url=BASE_URL) as client:
            return client.create_emails(inputs, **options)

    async def run() -> BatchResult[Any]:
        async with AsyncClient(TOKEN, base_url=BASE_URL) as client:
            return await client.create_emails(inputs, **options)

    return asyncio.run(run())


KINDS = ["sync", "async"]


@pytest.mark.parametrize("kind", KINDS)
def test_250_inputs_become_3_calls_merged_in_input_order(kind: str) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + PATH).mock(side_effect=_answer)
        result = _create(kind, _inputs(250))
    sizes = sorted(len(json.loads(call.request.content)["inputs"]) for call in route.calls)
    assert sizes == [50, 100, 100]
    assert [outcome.index for outcome in result.outcomes] == list(range(250))
    assert [outcome.record.id for outcome in result.outcomes if outcome.record] == [
        f"id-{n}" for n in range(250)
    ]
    assert result.ok


@pytest.mark.parametrize("kind", KINDS)
def test_207_errors_land_on_their_inputs(kind: str) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        mock.post(BASE_URL + PATH).mock(side_effect=lambda request: _answer(request, frozenset({"1", "3"})))
        result = _create(kind, _inputs(5), chunk_size=2)
    states = [outcome.state for outcome in result.outcomes]
    assert states == ["created", "failed", "created", "failed", "created"]
    assert [outcome.record.id for outcome in result.created if outcome.record] == ["id-0", "id-2", "id-4"]
    assert not result.ok


def test_results_without_trace_ids_are_never_paired_by_position() -> None:
    """Three inputs, one failing (named by its trace id), two records that echo no trace id: which record
    is whose cannot be told, so both inputs are unknown, with the reason, and the records stay reachable."""
    with respx.mock(assert_all_mocked=True) as mock:
        mock.post(BASE_URL + PATH).mock(
            side_effect=lambda request: _answer(request, frozenset({"1"}), echo=False)
        )
        result = _create("sync", _inputs(3))
    assert [outcome.state for outcome in result.outcomes] == ["unknown", "failed", "unknown"]
    assert all("do not say which input" in str(outcome.reason) for outcome in result.unknown)
    assert sorted(
        record.id for record in result.unmatched_results if isinstance(record, SimplePublicObject)
    ) == [
        "id-0",
        "id-2",
    ]


def test_a_lone_unnamed_record_is_the_lone_input_left() -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        mock.post(BASE_URL + PATH).mock(
            side_effect=lambda request: _answer(request, frozenset({"1"}), echo=False)
        )
        result = _create("sync", _inputs(2))
    assert [outcome.state for outcome in result.outcomes] == ["created", "failed"]
    assert result.outcomes[0].record is not None
    assert result.outcomes[0].record.id == "id-0"
    assert not result.unmatched_results


def test_fewer_unnamed_records_than_inputs_leave_them_unknown() -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        short = {
            "status": "COMPLETE",
            "startedAt": "2026-11-23T10:00:00Z",
            "completedAt": "2026-11-23T10:00:01Z",
            "results": [_record("only-one", None)],
        }
        mock.post(BASE_URL + PATH).mock(return_value=httpx.Response(201, json=short))
        result = _create("sync", _inputs(2))
    assert [outcome.state for outcome in result.outcomes] == ["unknown", "unknown"]


@pytest.mark.parametrize(
    ("answer", "state", "rest"),
    [
        pytest.param(
            httpx.ReadTimeout("slow"), OutcomeState.UNKNOWN, OutcomeState.CREATED, id="read-timeout"
        ),
        pytest.param(httpx.Response(500), OutcomeState.UNKNOWN, OutcomeState.CREATED, id="500"),
        pytest.param(
            httpx.Response(200, text="not json"),
            OutcomeState.UNKNOWN,
            OutcomeState.CREATED,
            id="2xx-unreadable",
        ),
        pytest.param(
            httpx.Response(400, json={"message": "bad"}), OutcomeState.FAILED, OutcomeState.CREATED, id="400"
        ),
        # After a DAILY 429 the rate limiter sends nothing more that spends the daily budget until midnight.
        pytest.param(
            httpx.Response(429, json={"policyName": "DAILY"}),
            OutcomeState.FAILED,
            OutcomeState.FAILED,
            id="daily-429",
        ),
    ],
)
def test_a_failed_chunk_gives_each_of_its_inputs_one_outcome(
    answer: Any, state: OutcomeState, rest: OutcomeState
) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + PATH)
        route.side_effect = iter([answer, _answer])  # then the next chunk succeeds, if it is sent
        result = _create("sync", _inputs(3), chunk_size=2)
    assert [outcome.state for outcome in result.outcomes] == [state, state, rest]
    assert all(outcome.error is not None for outcome in result.outcomes[:2])
    assert route.call_count == (1 if rest is OutcomeState.FAILED else 2)


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        pytest.param([], "inputs", id="empty"),
        pytest.param([{"properties": {}}], "inputs[0]", id="not-an-input"),
        pytest.param(
            [email_engagement(timestamp=WHEN, trace_id="t"), email_engagement(timestamp=WHEN, trace_id="t")],
            "inputs[1].object_write_trace_id",
            id="duplicate-trace-id",
        ),
    ],
)
def test_bad_batches_send_nothing(inputs: list[Any], field: str) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(BASE_URL + PATH)
        with pytest.raises(InvalidInputError) as caught:
            _create("sync", inputs)
    assert caught.value.field == field
    assert route.call_count == 0


def test_email_engagement_builds_hubspot_properties_and_default_associations() -> None:
    engagement = email_engagement(
        timestamp=WHEN.astimezone(timezone(timedelta(hours=2))),
        subject="Receipt",
        html="<p>Thanks</p>",
        status="SENT",
        owner_id=77,
        contact_ids=["501", 502],
        company_ids=["601"],
        deal_ids=["701"],
        ticket_ids=["801"],
        properties={"hs_email_headers": "{}"},
        trace_id="order-42",
    )
    assert engagement.to_dict() == {
        "properties": {
            "hs_email_headers": "{}",
            "hs_timestamp": WHEN_MS,
            "hs_email_direction": "EMAIL",
            "hs_email_status": "SENT",
            "hs_email_subject": "Receipt",
            "hs_email_html": "<p>Thanks</p>",
            "hubspot_owner_id": "77",
        },
        "associations": [
            {
                "to": {"id": record_id},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
            }
            for record_id, type_id in [("501", 198), ("502", 198), ("601", 186), ("701", 210), ("801", 224)]
        ],
        "objectWriteTraceId": "order-42",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("arguments", "field", "phrase"),
    [
        pytest.param({"timestamp": datetime(2026, 11, 23, 10, 0)}, "timestamp", "naive", id="naive-datetime"),
        pytest.param({"timestamp": 1795428000}, "timestamp", "epoch seconds", id="seconds"),
        pytest.param({"timestamp": "2026-11-23"}, "timestamp", "timezone-aware datetime", id="string"),
        pytest.param({"direction": "OUTGOING"}, "hs_email_direction", "unknown value", id="direction"),
        pytest.param({"status": "DELIVERED"}, "hs_email_status", "unknown value", id="status"),
        pytest.param({"contact_ids": "501"}, "contact_ids", "list of ids", id="ids-as-string"),
        pytest.param({"deal_ids": [5.5]}, "deal_ids[0]", "record id", id="float-id"),
        pytest.param({"ticket_ids": [True]}, "ticket_ids[0]", "record id", id="bool-id"),
        pytest.param({"owner_id": ""}, "owner_id", "record id", id="empty-owner"),
        pytest.param(
            {"properties": {"hs_email_text": 3}}, "properties['hs_email_text']", "a string", id="int-prop"
        ),
        pytest.param({"timestamp": 1795428000000}, "timestamp", "fromtimestamp(ms / 1000, UTC)", id="ms"),
        pytest.param(
            {"timestamp": datetime(1972, 12, 31, tzinfo=UTC)}, "timestamp", "before 1973-03-03", id="1972"
        ),
        pytest.param(
            {"properties": {"hs_timestamp": WHEN_MS}}, "properties['hs_timestamp']", "set by the `timestamp`",
            id="hs-timestamp-twice",
        ),
        pytest.param(
            {"properties": {"hs_email_status": "DELIVERED"}}, "properties['hs_email_status']", "unknown",
            id="status-property",
        ),
        pytest.param(
            {"properties": {"hs_email_direction": "OUT"}}, "properties['hs_email_direction']", "unknown",
            id="direction-property",
        ),
        pytest.param(
            {"direction": "EMAIL", "properties": {"hs_email_direction": "INCOMING_EMAIL"}},
            "properties['hs_email_direction']", "disagrees", id="direction-both-ways",
        ),
        pytest.param(
            {"status": "SENT", "properties": {"hs_email_status": "FAILED"}},
            "properties['hs_email_status']", "disagrees", id="status-both-ways",
        ),
        pytest.param(
            {"subject": "A", "properties": {"hs_email_subject": "B"}},
            "properties['hs_email_subject']", "disagrees", id="subject-both-ways",
        ),
        pytest.param({"subject": "\ud800"}, "hs_email_subject", SURROGATE, id="surrogate-subject"),
        pytest.param({"text": "a\udfff"}, "hs_email_text", SURROGATE, id="surrogate-text"),
        pytest.param({"html": "<p>\udc80</p>"}, "hs_email_html", SURROGATE, id="surrogate-html"),
        pytest.param(
            {"properties": {"x": "\ud800"}}, "properties['x']", SURROGATE, id="surrogate-property-value"
        ),
        pytest.param(
            {"properties": {"\ud800": "x"}}, "properties['\\ud800']", SURROGATE, id="surrogate-property-name"
        ),
        pytest.param({"trace_id": "t-\ud800"}, "trace_id", SURROGATE, id="surrogate-trace-id"),
        pytest.param({"trace_id": ""}, "trace_id", "non-empty string", id="empty-trace-id"),
        pytest.param({"owner_id": "\ud800"}, "owner_id", "record id", id="surrogate-owner"),
        pytest.param({"owner_id": "abc"}, "owner_id", "record id", id="owner-abc"),
        pytest.param({"owner_id": 0}, "owner_id", "positive", id="owner-zero"),
        pytest.param({"contact_ids": ["abc"]}, "contact_ids[0]", "record id", id="id-abc"),
        pytest.param({"contact_ids": ["1", -1]}, "contact_ids[1]", "positive", id="id-negative"),
        pytest.param({"company_ids": [0]}, "company_ids[0]", "positive", id="id-zero"),
        pytest.param({"deal_ids": ["1/2"]}, "deal_ids[0]", "record id", id="id-slash"),
        pytest.param({"ticket_ids": [" 12"]}, "ticket_ids[0]", "record id", id="id-space"),
        pytest.param({"contact_ids": ["12.0"]}, "contact_ids[0]", "record id", id="id-decimal"),
        pytest.param({"contact_ids": [2**70]}, "contact_ids[0]", "64-bit", id="id-huge"),
        pytest.param({"contact_ids": [None]}, "contact_ids[0]", "record id", id="id-none"),
        pytest.param({"contact_ids": [1.5]}, "contact_ids[0]", "record id", id="id-float"),
    ],
)  # fmt: skip
def test_email_engagement_refuses_bad_input(arguments: dict[str, Any], field: str, phrase: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        email_engagement(**{"timestamp": WHEN, **arguments})
    assert caught.value.field == field
    assert phrase in str(caught.value)
    if arguments.get("timestamp") == 1795428000000:  # milliseconds already: no seconds hint
        assert "epoch seconds" not in str(caught.value)


@pytest.mark.parametrize(
    ("arguments", "direction"),
    [
        pytest.param({}, "EMAIL", id="default"),
        pytest.param({"direction": None}, "EMAIL", id="none-is-the-default"),
        pytest.param({"direction": "FORWARDED_EMAIL"}, "FORWARDED_EMAIL", id="argument"),
        pytest.param(
            {"properties": {"hs_email_direction": "INCOMING_EMAIL"}}, "INCOMING_EMAIL", id="property"
        ),
        pytest.param(
            {"direction": "INCOMING_EMAIL", "properties": {"hs_email_direction": "INCOMING_EMAIL"}},
            "INCOMING_EMAIL",
            id="both-ways-agreeing",
        ),
    ],
)
def test_direction_is_email_unless_given_as_argument_or_property(
    arguments: dict[str, Any], direction: str
) -> None:
    engagement = email_engagement(timestamp=WHEN, **arguments)
    assert engagement.properties.additional_properties["hs_email_direction"] == direction
    assert engagement.properties.additional_properties["hs_timestamp"] == WHEN_MS


EVENT_PATH = "/marketing/v3/marketing-events/58237132332/attendance/attend/email-create"


def _attendance_answer(request: httpx.Request, failing: frozenset[str] = frozenset()) -> httpx.Response:
    """HubSpot's behaviour: a contact id for each attendee, an error naming each failing email."""
    emails = [item["email"] for item in json.loads(request.content)["inputs"]]
    body: dict[str, Any] = {
        "status": "COMPLETE",
        "startedAt": "2026-11-23T10:00:00Z",
        "completedAt": "2026-11-23T10:00:01Z",
        "results": [{"email": email, "vid": 1000 + int(email.split("@")[0][1:])} for email in emails
                    if email not in failing],
    }  # fmt: skip
    errors = [
        {"status": "error", "category": "VALIDATION_ERROR", "message": "bad", "context": {"emails": [email]}}
        for email in emails
        if email in failing
    ]
    if errors:
        body |= {"errors": errors, "numErrors": len(errors)}
    return httpx.Response(200, json=body)


def _attendees(count: int) -> list[Any]:
    return [
        attendee(email=f"a{n}@example.com", at=WHEN, properties={"joinedAt": WHEN_MS}) for n in range(count)
    ]


def _record_attendance(kind: str, *args: Any) -> BatchResult[Any]:
    if kind == "sync":
        with Client(TOKEN, base_url=BASE_URL) as client:
            return client.record_attendance(*args)

    async def run() -> BatchResult[Any]:
        async with AsyncClient(TOKEN, base_url=BASE_URL) as client:
            return await client.record_attendance(*args)

    return asyncio.run(run())


@pytest.mark.parametrize("kind", KINDS)
def test_250_attendees_become_3_calls_with_errors_on_their_inputs(kind: str) -> None:
    failing = frozenset({"a7@example.com", "a180@example.com"})
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + EVENT_PATH).mock(side_effect=lambda r: _attendance_answer(r, failing))
        result = _record_attendance(kind, "58237132332", "attend", _attendees(250))
    assert sorted(len(json.loads(call.request.content)["inputs"]) for call in route.calls) == [50, 100, 100]
    first = json.loads(route.calls[0].request.content)["inputs"][0]
    assert first["interactionDateTime"] == int(WHEN_MS)
    assert [outcome.index for outcome in result.outcomes] == list(range(250))
    assert [outcome.index for outcome in result.failed] == [7, 180]
    assert [outcome.record.vid for outcome in result.created[:3] if outcome.record] == [1000, 1001, 1002]
    assert len(result.created) == 248


@pytest.mark.parametrize(
    ("event_id", "state", "attendees", "field"),
    [
        pytest.param("58237132332", "attended", _attendees(1), "state", id="unknown-state"),
        pytest.param("", "attend", _attendees(1), "event_id", id="empty-event-id"),
        pytest.param(".", "attend", _attendees(1), "event_id", id="dot-event-id"),
        pytest.param("..", "attend", _attendees(1), "event_id", id="dot-dot-event-id"),
        pytest.param(12.5, "attend", _attendees(1), "event_id", id="float-event-id"),
        pytest.param("58237132332", "attend", [], "attendees", id="no-attendees"),
        pytest.param("58237132332", "attend", _attendees(1) * 2, "attendees[1].email", id="duplicate"),
        pytest.param(
            "58237132332", "attend", [{"email": "a@example.com"}], "attendees[0]", id="not-an-attendee"
        ),
    ],
)
def test_bad_attendance_sends_nothing(event_id: Any, state: Any, attendees: list[Any], field: str) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(url__startswith=BASE_URL)
        with pytest.raises(InvalidInputError) as caught:
            _record_attendance("sync", event_id, state, attendees)
    assert caught.value.field == field
    assert route.call_count == 0


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        pytest.param({"at": datetime(2026, 11, 23, 10, 0)}, "at", id="naive"),
        pytest.param({"at": 1795428000}, "at", id="seconds"),
        pytest.param({"email": "noreply@example.com"}, "email", id="role-based"),
        pytest.param({"properties": {"joinedAt": 1}}, "properties['joinedAt']", id="non-string-property"),
    ],
)
def test_attendee_refuses_bad_input(arguments: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        attendee(**{"email": "ada@example.com", "at": WHEN, **arguments})
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("arguments", "field", "phrase"),
    [
        pytest.param({"email": "noreply@example.com"}, "email", "not a person who can attend", id="role"),
        pytest.param({"email": "a\ud800@example.com"}, "email", SURROGATE, id="surrogate-email"),
        pytest.param({"email": None}, "email", "an attendee's email is required", id="no-email"),
        pytest.param({"at": 1795428000}, "at", "epoch seconds", id="seconds"),
        pytest.param({"at": 1795428000000}, "at", "fromtimestamp(ms / 1000, UTC)", id="milliseconds"),
        pytest.param({"at": datetime(1970, 1, 21, tzinfo=UTC)}, "at", "before 1973-03-03", id="1970"),
        pytest.param({"properties": {"joinedAt": "\ud800"}}, "properties['joinedAt']", SURROGATE, id="prop"),
        pytest.param(
            {"contact_properties": {"firstname": "Ad\udc80"}}, "contact_properties['firstname']", SURROGATE,
            id="contact-prop",
        ),
    ],
)  # fmt: skip
def test_attendee_refusals_name_the_field_and_the_problem(
    arguments: dict[str, Any], field: str, phrase: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        attendee(**{"email": "ada@example.com", "at": WHEN, **arguments})
    assert caught.value.field == field
    assert phrase in str(caught.value)
    if arguments.get("at") == 1795428000000:
        assert "epoch seconds" not in str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
def test_a_chunk_that_cannot_be_built_fails_alone_and_keeps_the_others(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever breaks while one chunk's request is built (here the builder itself), that chunk's inputs
    are failed (nothing left), and the outcomes of the chunks already sent are kept."""
    from hubspot_email import _operations

    built = _operations.create_emails_request
    calls = iter(range(10))

    def build_second_badly(target: _operations.Route, body: Any) -> dict[str, Any]:
        if next(calls) == 1:
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return built(target, body)

    monkeypatch.setattr(_operations, "create_emails_request", build_second_badly)
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + PATH).mock(side_effect=_answer)
        result = _create(kind, _inputs(250))
    assert route.call_count == 2
    states = collections.Counter(outcome.state for outcome in result.outcomes)
    assert states == {OutcomeState.CREATED: 150, OutcomeState.FAILED: 100}
    (broken,) = [chunk for chunk in result.chunks if chunk.error is not None]
    assert broken.http_status is None
    assert isinstance(broken.error, InvalidInputError)
    assert all("not sent" in str(outcome.reason) for outcome in broken.outcomes)
