"""scripts/record.py: the redaction functions by tables, and whole runs against the simulator.

Nothing here reaches the internet: the end-to-end runs use the simulator on loopback, and the runs
against HubSpot's host go through respx (which answers in process, or fails the test when called).
The script and the recording-format helper are loaded from their paths (pytest puts only this folder
on `sys.path`); under TYPE_CHECKING mypy resolves them by their module names instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import respx
from hubspot_email.testing import Faults, Simulator

if TYPE_CHECKING:  # mypy resolves the shared helper by its path; pytest puts tests/ on sys.path
    from tests._scripts import ROOT, load_module
else:
    from _scripts import ROOT, load_module


if TYPE_CHECKING:
    from scripts import record
    from tests.contract._recordings import check_format
else:
    record = load_module("hubspot_email_record_script", ROOT / "scripts" / "record.py")
    check_format = load_module(
        "hubspot_email_recordings_for_record_tests", ROOT / "tests" / "contract" / "_recordings.py"
    ).check_format

TOKEN = "pat-na1-0f1e2d3c-RECORD-TEST-TOKEN-77aa"
TO = "Grace.Hopper@navy-archive.org"
EVENT_ID = "8811223344"
EMAIL_ID = "123456789012"
CONTACT_ID = "5550001112"
SCOPES = [
    "marketing-email",
    "transactional-email",
    "crm.objects.contacts.write",
    "crm.objects.marketing_events.write",
]
UUID_SHAPE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
FAKE_UUID = re.compile(r"^00000000-0000-4000-8000-[0-9]{12}$")
V4_PATH = "/marketing/v4/email/single-send"
ATTENDANCE_PATH = "/marketing/v3/marketing-events/{}/attendance/register/email-create"
STAMP = "2026-11-23T16:27:00.123Z"


def exchange(
    *,
    path: str = V4_PATH,
    request_headers: dict[str, str] | None = None,
    request_body: Any = None,
    status: int = 200,
    response_headers: dict[str, str] | None = None,
    response_body: Any = None,
    response_text: str | None = None,
) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "POST", "path": path, "headers": request_headers or {}}
    if request_body is not None:
        request["body"] = request_body
    response: dict[str, Any] = {"status": status, "headers": response_headers or {}}
    if response_body is not None:
        response["body"] = response_body
    if response_text is not None:
        response["text"] = response_text
    return {
        "operation": "sendSingleEmail",
        "description": "a test exchange",
        "source": "simulator: 2026-11-23",
        "request": request,
        "response": response,
    }


def dig(data: Any, where: Sequence[str | int]) -> Any:
    for step in where:
        data = data[step]
    return data


def fake_uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


# --- Redaction, by tables -------------------------------------------------------------------------

REDACTION_CASES = [
    pytest.param(
        exchange(request_headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}),
        {
            ("request", "headers"): {
                "authorization": "Bearer <redacted>",
                "content-type": "application/json",
            },
        },
        id="authorization header replaced, names lower-cased",
    ),
    pytest.param(
        exchange(request_headers={"authorization": "Basic something-else"}),
        {
            ("request", "headers", "authorization"): "Bearer <redacted>",
        },
        id="authorization header always the redacted bearer",
    ),
    pytest.param(
        exchange(
            status=401,
            response_body={
                "status": "error",
                "category": "INVALID_AUTHENTICATION",
                "message": f"The access token {TOKEN} is expired.",
            },
        ),
        {
            ("response", "body"): {
                "status": "error",
                "category": "INVALID_AUTHENTICATION",
                "message": "The access token <redacted> is expired.",
            },
        },
        id="token inside a response body",
    ),
    pytest.param(
        exchange(status=502, response_text=f"<html><p>token={TOKEN}</p></html>"),
        {
            ("response", "text"): "<html><p>token=<redacted></p></html>",
        },
        id="token inside a text body",
    ),
    pytest.param(
        exchange(response_headers={"X-Debug-Auth": f"Bearer {TOKEN}"}),
        {
            ("response", "headers"): {"x-debug-auth": "Bearer <redacted>"},
        },
        id="token inside another header",
    ),
    pytest.param(
        exchange(response_body={"context": {TOKEN: ["expired"]}}),
        {
            ("response", "body"): {"context": {"<redacted>": ["expired"]}},
        },
        id="token as a key",
    ),
    pytest.param(
        exchange(
            request_body={"emailId": 1, "message": {"to": "Ada.Lovelace@analytical.org"}},
            status=409,
            response_body={
                "message": "Contact ada.lovelace@analytical.org already exists at analytical.org."
            },
        ),
        {
            ("response", "body", "message"): "Contact person1@example.com already exists at example.com.",
        },
        id="address (any case) inside a message, and its domain alone",
    ),
    pytest.param(
        exchange(response_body={"message": "'ada@analytical.org' is not a valid email address"}),
        {
            ("response", "body", "message"): "'person1@example.com' is not a valid email address",
        },
        id="quoted address inside a message",
    ),
    pytest.param(
        exchange(
            response_body={"context": {"ada@analytical.org": ["blocked"], "emails": ["bob@engine.net"]}}
        ),
        {
            ("response", "body", "context"): {
                "person1@example.com": ["blocked"],
                "emails": ["person2@example.org"],
            },
        },
        id="addresses as keys and in nested lists",
    ),
    pytest.param(
        exchange(
            request_body={
                "inputs": [
                    {"email": "ada@analytical.org"},
                    {"email": "ada+rec1@analytical.org"},
                    {"email": "noreply@analytical.org"},
                    {"email": "bob@engine.net"},
                    {"email": "not-an-email"},
                ]
            }
        ),
        {
            ("request", "body", "inputs"): [
                {"email": "person1@example.com"},
                {"email": "person1+rec1@example.com"},
                {"email": "noreply@example.com"},
                {"email": "person2@example.org"},
                {"email": "not-an-email"},
            ],
        },
        id="plus addressing and role-based local parts stay visible",
    ),
    pytest.param(
        exchange(
            request_body={
                "emailId": 123456789,
                "message": {"to": "ada@analytical.org", "sendId": "order-42"},
            },
            response_body={
                "status": "COMPLETE",
                "statusId": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
                "sendResult": "SENT",
                "requestedAt": STAMP,
                "eventId": {"id": "b1946ac9-2492-4b7c-9c2a-1b6f1e8d6a11", "created": STAMP},
            },
        ),
        {
            ("request", "body"): {
                "emailId": 100000001,
                "message": {"to": "person1@example.com", "sendId": "order-42"},
            },
            ("response", "body"): {
                "status": "COMPLETE",
                "statusId": fake_uuid(2),
                "sendResult": "SENT",
                "requestedAt": STAMP,
                "eventId": {"id": fake_uuid(3), "created": STAMP},
            },
        },
        id="v4 send: emailId stays an int, statusId and eventId.id stay uuids",
    ),
    pytest.param(
        exchange(
            response_body={
                "sendResult": "SENT",
                "message": "The email was sent.",
                "eventId": {"id": "0a1b2c3d4e5f6789", "created": 1795451598259},
            }
        ),
        {
            ("response", "body"): {
                "sendResult": "SENT",
                "message": "The email was sent.",
                "eventId": {"id": "0000000000000001", "created": 1795451598259},
            },
        },
        id="legacy send: eventId.id keeps its hex shape, created (epoch ms) is kept",
    ),
    pytest.param(
        exchange(
            response_body={
                "status": "COMPLETE",
                "statusId": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
                "message": "Send 3c90c3cc-0d44-4b50-8888-8dd25736052a is COMPLETE.",
            }
        ),
        {
            ("response", "body"): {
                "status": "COMPLETE",
                "statusId": fake_uuid(1),
                "message": f"Send {fake_uuid(1)} is COMPLETE.",
            },
        },
        id="statusId also inside a message",
    ),
    pytest.param(
        exchange(
            path="/crm/v3/objects/emails/batch/create",
            request_body={
                "inputs": [
                    {
                        "properties": {"hs_timestamp": "1795451598259", "hubspot_owner_id": "987654"},
                        "associations": [
                            {
                                "to": {"id": "5550001112"},
                                "types": [
                                    {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}
                                ],
                            }
                        ],
                        "objectWriteTraceId": "trace-a",
                    },
                    {
                        "properties": {"hs_timestamp": "yesterday"},
                        "associations": [],
                        "objectWriteTraceId": "trace-b",
                    },
                ]
            },
            status=207,
            response_body={
                "status": "COMPLETE",
                "results": [
                    {
                        "id": "70000000001",
                        "properties": {
                            "hs_timestamp": "1795451598259",
                            "hubspot_owner_id": "987654",
                            "hs_object_id": "70000000001",
                        },
                        "createdAt": STAMP,
                        "updatedAt": STAMP,
                        "archived": False,
                        "objectWriteTraceId": "trace-a",
                    }
                ],
                "numErrors": 1,
                "errors": [
                    {
                        "status": "error",
                        "category": "VALIDATION_ERROR",
                        "message": "Input trace-b: hs_timestamp 'yesterday' is not valid",
                        "context": {"objectWriteTraceId": ["trace-b"]},
                        "errors": [],
                        "links": {},
                    }
                ],
                "startedAt": STAMP,
                "completedAt": STAMP,
            },
        ),
        {
            ("request", "body"): {
                "inputs": [
                    {
                        "properties": {"hs_timestamp": "1795451598259", "hubspot_owner_id": "100001"},
                        "associations": [
                            {
                                "to": {"id": "1000000002"},
                                "types": [
                                    {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}
                                ],
                            }
                        ],
                        "objectWriteTraceId": "redacted-id-3",
                    },
                    {
                        "properties": {"hs_timestamp": "yesterday"},
                        "associations": [],
                        "objectWriteTraceId": "redacted-id-4",
                    },
                ]
            },
            ("response", "body"): {
                "status": "COMPLETE",
                "results": [
                    {
                        "id": "10000000005",
                        "properties": {
                            "hs_timestamp": "1795451598259",
                            "hubspot_owner_id": "100001",
                            "hs_object_id": "10000000005",
                        },
                        "createdAt": STAMP,
                        "updatedAt": STAMP,
                        "archived": False,
                        "objectWriteTraceId": "redacted-id-3",
                    }
                ],
                "numErrors": 1,
                "errors": [
                    {
                        "status": "error",
                        "category": "VALIDATION_ERROR",
                        "message": "Input redacted-id-4: hs_timestamp 'yesterday' is not valid",
                        "context": {"objectWriteTraceId": ["redacted-id-4"]},
                        "errors": [],
                        "links": {},
                    }
                ],
                "startedAt": STAMP,
                "completedAt": STAMP,
            },
        },
        id="batch: result ids, hs_object_id, owner, to.id, trace ids; the rest untouched",
    ),
    pytest.param(
        exchange(
            path=ATTENDANCE_PATH.format(EVENT_ID),
            status=404,
            response_headers={"X-HubSpot-Correlation-Id": "aa3c1d8e-8c2f-4b6e-9d0e-2f9a7b1c3d4e"},
            response_body={
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": f"Marketing event {EVENT_ID} was not found.",
                "correlationId": "aa3c1d8e-8c2f-4b6e-9d0e-2f9a7b1c3d4e",
            },
        ),
        {
            ("request", "path"): ATTENDANCE_PATH.format("1000000001"),
            ("response", "headers"): {"x-hubspot-correlation-id": fake_uuid(2)},
            ("response", "body"): {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": "Marketing event 1000000001 was not found.",
                "correlationId": fake_uuid(2),
            },
        },
        id="event id in the path and a message; correlation id in header and body alike",
    ),
    pytest.param(
        exchange(path=ATTENDANCE_PATH.format("42")),
        {
            ("request", "path"): ATTENDANCE_PATH.format("11"),
        },
        id="a short event id is still replaced as a path segment",
    ),
    pytest.param(
        exchange(
            response_body={
                "results": [{"email": "ada@analytical.org", "vid": 2026}],
                "startedAt": "2026-11-23T16:27:00.123Z",
            }
        ),
        {
            ("response", "body"): {
                "results": [{"email": "person1@example.com", "vid": 1001}],
                "startedAt": "2026-11-23T16:27:00.123Z",
            },
        },
        id="vid stays an int; a short id is never replaced inside a timestamp",
    ),
    pytest.param(
        exchange(
            request_body={"emailId": 179545},
            response_body={"interactionDateTime": 1795451598259, "hs_timestamp": "1795451598259"},
        ),
        {
            ("response", "body"): {"interactionDateTime": 1795451598259, "hs_timestamp": "1795451598259"},
        },
        id="a long id is not replaced inside a longer number",
    ),
    pytest.param(
        exchange(
            response_body={
                "id": "70000000001",
                "url": "https://app.hubspot.com/contacts/44556677/record/0-49/70000000001",
            }
        ),
        {
            ("response", "body"): {
                "id": "10000000001",
                "url": "https://app.hubspot.com/contacts/10000002/record/0-49/10000000001",
            },
        },
        id="portal and record ids inside a HubSpot app link",
    ),
    pytest.param(
        exchange(
            response_headers={
                "X-Request-Id": "5f0c6a4e9b8d7c6a5f0c6a4e9b8d7c6a",
                "CF-Ray": "8f1c2a3b4d5e6f70-IAD",
                "X-Trace": "2B5A6F0C6A4E9B8D",
                "X-Amzn-Trace-Id": "Root=1-67a1b2c3-0123456789abcdef01234567",
            }
        ),
        {
            ("response", "headers"): {
                "x-request-id": "00000000000000000000000000000001",
                "cf-ray": "redacted-id-2",
                "x-trace": "0000000000000003",
                "x-amzn-trace-id": "redacted-id-4",
            },
        },
        id="request, ray and trace headers",
    ),
    pytest.param(
        exchange(
            response_headers={
                "Set-Cookie": "__cf_bm=abc123; path=/; domain=.hubapi.com",
                "X-HubSpot-Portal-Id": "44556677",
                "Content-Length": "123",
                "Content-Encoding": "gzip",
                "Transfer-Encoding": "chunked",
                "Report-To": '{"endpoints":[{"url":"https:\\/\\/a.nel.cloudflare.com\\/report\\/v4?s=x"}]}',
                "Date": "Mon, 23 Nov 2026 16:27:00 GMT",
                "Content-Type": "application/json;charset=utf-8",
                "X-HubSpot-RateLimit-Max": "190",
                "X-HubSpot-RateLimit-Remaining": "189",
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                "X-HubSpot-RateLimit-Daily": "625000",
                "X-HubSpot-RateLimit-Daily-Remaining": "624999",
            }
        ),
        {
            ("response", "headers"): {
                "date": "Mon, 23 Nov 2026 16:27:00 GMT",
                "content-type": "application/json;charset=utf-8",
                "x-hubspot-ratelimit-max": "190",
                "x-hubspot-ratelimit-remaining": "189",
                "x-hubspot-ratelimit-interval-milliseconds": "10000",
                "x-hubspot-ratelimit-daily": "625000",
                "x-hubspot-ratelimit-daily-remaining": "624999",
            },
        },
        id="cookies, account and body-framing headers dropped; rate-limit headers kept verbatim",
    ),
    pytest.param(
        exchange(
            status=429, response_body={"status": "error", "errorType": "RATE_LIMIT", "policyName": "DAILY"}
        ),
        {
            ("response",): {
                "status": 429,
                "headers": {},
                "body": {"status": "error", "errorType": "RATE_LIMIT", "policyName": "DAILY"},
            },
        },
        id="statuses and enum values untouched",
    ),
]


@pytest.mark.parametrize(("given", "expected"), REDACTION_CASES)
def test_redact_exchange(given: dict[str, Any], expected: dict[tuple[str, ...], Any]) -> None:
    """Each case: an exchange, and what parts of it look like once redacted (`where` -> value)."""
    redacted = record.redact_exchange(given, TOKEN)
    assert {where: dig(redacted, where) for where in expected} == expected
    check_format(redacted)
    assert TOKEN not in json.dumps(redacted)


def test_redaction_keeps_the_recording_fields_and_does_not_change_its_input() -> None:
    given = exchange(
        request_headers={"Authorization": f"Bearer {TOKEN}"},
        request_body={"emailId": 123456789, "message": {"to": "ada@analytical.org"}},
    )
    before = json.dumps(given)
    redacted = record.redact_exchange(given, TOKEN)
    assert json.dumps(given) == before
    assert {key: redacted[key] for key in ("operation", "description", "source")} == {
        "operation": "sendSingleEmail",
        "description": "a test exchange",
        "source": "simulator: 2026-11-23",
    }


def test_one_table_of_fakes_keeps_them_stable_across_exchanges() -> None:
    names = record.Pseudonyms()
    first = record.redact_exchange(
        exchange(
            request_body={"emailId": 123456789, "message": {"to": "ada@analytical.org", "sendId": "s-1"}},
            response_body={"statusId": "3c90c3cc-0d44-4b50-8888-8dd25736052a"},
        ),
        TOKEN,
        names,
    )
    second = record.redact_exchange(
        exchange(
            request_body={"emailId": 123456789, "message": {"to": "ADA@analytical.org", "sendId": "s-1"}},
            response_body={
                "message": "Already sent as 3c90c3cc-0d44-4b50-8888-8dd25736052a to ada@analytical.org"
            },
        ),
        TOKEN,
        names,
    )
    assert first["request"]["body"] == second["request"]["body"]
    assert second["response"]["body"]["message"] == (
        f"Already sent as {first['response']['body']['statusId']} to person1@example.com"
    )
    # Without a shared table each exchange starts afresh: a different address is person1 again.
    alone = record.redact_exchange(exchange(request_body={"message": {"to": "bob@engine.net"}}), TOKEN)
    assert alone["request"]["body"] == {"message": {"to": "person1@example.com"}}


@pytest.mark.parametrize(
    ("real", "n", "expected"),
    [
        ("3c90c3cc-0d44-4b50-8888-8dd25736052a", 7, "00000000-0000-4000-8000-000000000007"),
        ("70000000001", 3, "10000000003"),
        ("5", 3, "3"),
        ("-123456", 2, "-100002"),
        ("0a1b2c3d4e5f6789", 255, "00000000000000ff"),
        ("8f1c2a3b4d5e6f70-IAD", 4, "redacted-id-4"),
    ],
)
def test_fake_like_keeps_the_shape(real: str, n: int, expected: str) -> None:
    assert record.fake_like(real, n) == expected


def test_fake_ids_keep_their_json_type_and_are_distinct() -> None:
    names = record.Pseudonyms()
    assert isinstance(names.fake_id(1002), int)
    assert names.fake_id("1002") == str(names.fake_id(1002))
    assert names.fake_id(True) is True
    assert names.fake_id(None) is None
    for n in range(1000, 1010):
        names.learn_id(str(n))
    assert len(set(names.ids.values())) == len(names.ids) == 10
    assert all(fake != real for real, fake in names.ids.items())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Bearer {TOKEN}", ["the access token"]),
        (f"x{TOKEN}y", ["the access token"]),
        ("mail grace.hopper@navy-archive.org now", ["the address to"]),
        ("event 8811223344 missing", ["the --event-id"]),
        ("epoch 18811223344000 is another number", []),
        ("person1@example.com at example.com", []),
    ],
)
def test_find_leaks(text: str, expected: list[str]) -> None:
    secrets = {"the access token": TOKEN, "the address to": TO, "the --event-id": EVENT_ID}
    assert record.find_leaks(text, secrets) == expected


@pytest.mark.parametrize(
    ("to", "plus_1", "role_to"),
    [
        ("ada@analytical.org", "ada+record1@analytical.org", "noreply@analytical.org"),
        ("ada+crm@analytical.org", "ada+crm-record1@analytical.org", "noreply@analytical.org"),
    ],
)
def test_run_values_derive_addresses_from_to(to: str, plus_1: str, role_to: str) -> None:
    values = record.run_values(email_id=1, to=to, event_id="9", contact_id=None, run_id="r", now_ms=5)
    assert (values["plus_1"], values["role_to"], values["associations"]) == (plus_1, role_to, [])


def test_scenarios_are_data_with_unique_slugs_per_operation() -> None:
    names = [(scenario.operation, scenario.slug) for scenario in record.SCENARIOS]
    assert len(set(names)) == len(names)
    assert {operation for operation, _ in names} == set(record.OPERATION_PATHS)
    values = record.run_values(
        email_id=7, to="ada@analytical.org", event_id="e 1", contact_id="3", run_id="r", now_ms=5
    )
    assert record.request_path("recordAttendanceByEmail", values) == ATTENDANCE_PATH.format("e%201")
    first = record.fill(record.SCENARIOS[0].body, values)
    assert first == {
        "emailId": 7,
        "message": {"to": "ada@analytical.org", "sendId": "hubspot-email-record-r-v4"},
    }


# --- Whole runs ---------------------------------------------------------------------------------

EXPECTED_STATUSES = {
    "sendSingleEmail/send.json": 200,
    "sendSingleEmail/send-duplicate-send-id.json": 200,
    "sendSingleEmail/send-role-based-recipient.json": 200,
    "sendLegacySingleEmail/send.json": 200,
    "sendLegacySingleEmail/missing-to.json": 400,
    "batchCreateEmails/all-created.json": 201,
    "batchCreateEmails/bad-timestamp.json": 207,
    "recordAttendanceByEmail/register-two.json": 200,
    "recordAttendanceByEmail/invalid-email.json": 200,
}


def args(base_url: str, out: Path, *extra: str) -> list[str]:
    return [
        "--email-id",
        EMAIL_ID,
        "--to",
        TO,
        "--event-id",
        EVENT_ID,
        "--contact-id",
        CONTACT_ID,
        "--base-url",
        base_url,
        "--out",
        str(out),
        *extra,
    ]


def written(out: Path) -> dict[str, dict[str, Any]]:
    return {
        path.relative_to(out).as_posix(): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(out.rglob("*.json"))
    }


def assert_no_secrets(text: str, *extra: str) -> None:
    lowered = text.lower()
    for secret in (TOKEN, TO, "grace.hopper", "navy-archive", EVENT_ID, EMAIL_ID, CONTACT_ID, *extra):
        assert secret.lower() not in lowered, f"{secret!r} leaked"


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    return TOKEN


@pytest.fixture
def no_network() -> Iterator[respx.Router]:
    """Any HTTP call fails the test (and is recorded for assertions)."""
    with respx.mock(assert_all_called=False) as router:
        router.route().mock(side_effect=AssertionError("record.py made an HTTP call"))
        yield router


def test_records_every_scenario_against_the_simulator(
    token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = Simulator(tokens={token: SCOPES})  # only the real token is accepted: it must be sent
    first_day = datetime.now(UTC).date().isoformat()
    with sim.serve() as base_url:
        code = record.main(args(base_url, tmp_path))
    captured = capsys.readouterr()
    assert code == 0, captured.err

    files = written(tmp_path)
    assert {name: data["response"]["status"] for name, data in files.items()} == EXPECTED_STATUSES
    # The recording may straddle midnight: its day is the day it started or the next.
    days = {first_day, datetime.now(UTC).date().isoformat()}
    for name, data in files.items():
        check_format(data)
        assert data["source"] in {f"simulator: {day}" for day in days}, name
        assert (tmp_path / name).read_text(encoding="utf-8").endswith("}\n")
    assert files["sendLegacySingleEmail/missing-to.json"]["request_conforms"] is False

    # Nothing real in the files or on the terminal: not the token, the address, the ids...
    everything = "".join((tmp_path / name).read_text(encoding="utf-8") for name in files)
    delivered_events = [delivery.event_id for delivery in sim.deliveries]
    created_ids = [email.id for email in sim.emails]
    assert_no_secrets(everything, *delivered_events, *created_ids)
    assert_no_secrets(captured.out + captured.err)
    # Every uuid left (statusId, eventId.id, correlation ids) is a fake one.
    uuids = set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", everything))
    assert uuids
    assert all(FAKE_UUID.match(found) for found in uuids), sorted(uuids)
    vids = {contact.vid for contact in sim.contacts.values()}
    attendance = files["recordAttendanceByEmail/register-two.json"]["response"]["body"]["results"]
    assert {result["vid"] for result in attendance}.isdisjoint(vids)
    assert all(isinstance(result["vid"], int) for result in attendance)

    # ...but the same fakes everywhere, so that de-duplication and matching stay visible.
    send = files["sendSingleEmail/send.json"]
    again = files["sendSingleEmail/send-duplicate-send-id.json"]
    assert send["request"]["body"] == again["request"]["body"]
    assert send["request"]["body"]["message"]["to"] == "person1@example.com"
    assert (send["response"]["body"]["sendResult"], again["response"]["body"]["sendResult"]) == (
        "SENT",
        "IDEMPOTENT_IGNORE",
    )
    assert UUID_SHAPE.match(send["response"]["body"]["statusId"])
    assert send["response"]["body"]["statusId"] != again["response"]["body"]["statusId"]
    role = files["sendSingleEmail/send-role-based-recipient.json"]
    assert role["request"]["body"]["message"]["to"] == "noreply@example.com"
    assert role["response"]["body"]["sendResult"] == "INVALID_TO_ADDRESS"
    paths = {files[name]["request"]["path"] for name in files if name.startswith("recordAttendance")}
    assert len(paths) == 1
    assert [result["email"] for result in attendance] == [
        "person1+record1@example.com",
        "person1+record2@example.com",
    ]
    partial = files["recordAttendanceByEmail/invalid-email.json"]["response"]["body"]
    assert (partial["numErrors"], partial["results"][0]) == (1, attendance[0])
    batch = files["batchCreateEmails/bad-timestamp.json"]
    assert batch["response"]["body"]["errors"][0]["context"]["objectWriteTraceId"] == [
        batch["request"]["body"]["inputs"][1]["objectWriteTraceId"]
    ]

    # The simulator really answered each scenario, once.
    assert [exchange.status for exchange in sim.exchanges] == list(EXPECTED_STATUSES.values())
    assert [(d.api, d.to) for d in sim.deliveries] == [("v4", TO), ("v1", TO)]
    assert len(sim.emails) == 3
    assert all(email.associations[0]["to"]["id"] == CONTACT_ID for email in sim.emails)
    assert [(a.event_id, a.email) for a in sim.attendance] == [
        (EVENT_ID, "Grace.Hopper+record1@navy-archive.org"),
        (EVENT_ID, "Grace.Hopper+record2@navy-archive.org"),
        (EVENT_ID, "Grace.Hopper+record1@navy-archive.org"),
    ]

    # One line per exchange: operation, status, file.
    lines = captured.out.splitlines()
    assert lines == [
        f"{name.split('/')[0]} {status} {tmp_path / name}" for name, status in EXPECTED_STATUSES.items()
    ]


def test_only_records_the_chosen_operations(token: str, tmp_path: Path) -> None:
    sim = Simulator()
    with sim.serve() as base_url:
        code = record.main(args(base_url, tmp_path, "--only", "batchCreateEmails", "sendLegacySingleEmail"))
    assert code == 0
    assert sorted(written(tmp_path)) == [
        "batchCreateEmails/all-created.json",
        "batchCreateEmails/bad-timestamp.json",
        "sendLegacySingleEmail/missing-to.json",
        "sendLegacySingleEmail/send.json",
    ]
    assert len(sim.exchanges) == 4


def test_network_failures_are_reported_without_secrets_and_never_retried(
    token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = Simulator(faults=Faults(reset_rate=1.0))  # every connection drops before an answer
    with sim.serve() as base_url:
        code = record.main(args(base_url, tmp_path))
    captured = capsys.readouterr()
    assert code == 1
    assert not list(tmp_path.iterdir())
    assert captured.out == ""
    failures = captured.err.splitlines()[1:]
    assert [line.split(" failed: ")[0] for line in failures] == [
        name.removesuffix(".json") for name in EXPECTED_STATUSES
    ]
    assert_no_secrets(captured.err)
    assert [exchange.fault for exchange in sim.exchanges] == ["reset"] * len(EXPECTED_STATUSES)


def test_a_file_that_would_leak_is_not_written(
    token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line of defence: if redaction missed something, the file is refused."""

    def no_redaction(exchange: dict[str, Any], token: str, names: Any = None) -> dict[str, Any]:
        return exchange

    monkeypatch.setattr(record, "redact_exchange", no_redaction)
    with Simulator().serve() as base_url:
        code = record.main(args(base_url, tmp_path, "--only", "sendSingleEmail"))
    captured = capsys.readouterr()
    assert code == 1
    assert not list(tmp_path.iterdir())
    refusals = captured.err.splitlines()[1:]
    assert len(refusals) == 3
    for line in refusals:
        assert "not written: it would contain the access token, the address " in line
        assert line.endswith("the --email-id")
    assert_no_secrets(captured.out + captured.err)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_a_token_it_exits_2_and_says_so(
    value: str | None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_network: respx.Router,
) -> None:
    if value is None:
        monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    else:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", value)
    code = record.main(args("http://127.0.0.1:9", tmp_path))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert "HUBSPOT_ACCESS_TOKEN" in captured.err
    assert not no_network.calls
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("base_url", [None, "https://api.hubapi.com", "https://api.hubapi.com/"])
def test_real_host_without_yes_refuses_before_any_call(
    base_url: str | None,
    token: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_network: respx.Router,
) -> None:
    argv = args(base_url or "unused", tmp_path)
    if base_url is None:  # the default base URL is HubSpot's
        at = argv.index("--base-url")
        del argv[at : at + 2]
    code = record.main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert not no_network.calls
    assert not list(tmp_path.iterdir())
    assert captured.out == ""
    warning, refusal = captured.err.splitlines()
    assert "WARNING" in warning
    assert "real email" in warning
    assert "--to" in warning
    assert "--yes" in refusal
    assert_no_secrets(captured.err)


HUBSPOT_HEADERS = {
    "set-cookie": "__cf_bm=abc123; path=/; domain=.hubapi.com; HttpOnly",
    "x-hubspot-portal-id": "44556677",
    "cf-ray": "8f1c2a3b4d5e6f70-IAD",
    "x-request-id": "5f0c6a4e-9b8d-4c6a-8f0c-6a4e9b8d7c6a",
    "content-encoding": "identity",
}


def test_real_host_with_yes_records_and_redacts(
    token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """HubSpot's host, answered in process by the simulator with HubSpot's extra headers (respx)."""
    sim = Simulator(tokens={token: SCOPES})

    def hubspot(request: httpx.Request) -> httpx.Response:
        answered = sim.transport.handle_request(request)
        return httpx.Response(
            answered.status_code, headers={**answered.headers, **HUBSPOT_HEADERS}, content=answered.content
        )

    first_day = datetime.now(UTC).date().isoformat()
    with respx.mock(base_url="https://api.hubapi.com") as router:
        router.route().mock(side_effect=hubspot)
        code = record.main(args("https://api.hubapi.com", tmp_path, "--yes"))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    files = written(tmp_path)
    assert {name: data["response"]["status"] for name, data in files.items()} == EXPECTED_STATUSES
    days = {first_day, datetime.now(UTC).date().isoformat()}  # it may straddle midnight
    for data in files.values():
        check_format(data)
        assert data["source"] in {f"recorded: {day}" for day in days}
        headers = data["response"]["headers"]
        assert not {"set-cookie", "x-hubspot-portal-id", "content-encoding"} & set(headers)
        assert headers["cf-ray"] == files["sendSingleEmail/send.json"]["response"]["headers"]["cf-ray"]
    everything = json.dumps(files)
    assert_no_secrets(everything, "44556677", "__cf_bm", "8f1c2a3b4d5e6f70", HUBSPOT_HEADERS["x-request-id"])
    assert_no_secrets(captured.out + captured.err)
    assert len(captured.err.splitlines()) == 1  # the warning
