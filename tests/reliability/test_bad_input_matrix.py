"""Issue 14, item 4: the bad-input matrix, the user-facing contract of what is refused before the network.

One table per surface, one line per case: the client's four operations and the status calls (each case
run by the sync and the async client), the input helpers, client construction, and the command line
(bad flags, bad files, bad rows). Every case must be refused with a message that names the field (or the
flag, file, row and column), says what is wrong and how to fix it, and nothing may reach the network:
client cases go through an `httpx.MockTransport` that records (and fails) every request; CLI cases run
against a loopback simulator whose record of exchanges must stay empty.

The CLI runs in process (typer's runner) against the simulator on loopback: a subprocess per case
would cost a second each, and tests/cli already run the same commands as subprocesses.
`tests/reliability/test_secrets_everywhere.py` runs them as subprocesses too.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import inspect
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hubspot_email import AsyncClient, Client, InvalidInputError, attendee, email_engagement
from hubspot_email.cli._app import app
from hubspot_email.models import (
    AssociationCategory,
    AssociationForCreate,
    AssociationSpec,
    AttendeeByEmail,
    AttendeeByEmailContactProperties,
    AttendeeByEmailProperties,
    EmailCreateInput,
    EmailCreateInputProperties,
    PublicObjectId,
)
from hubspot_email.testing import Simulator
from typer.testing import CliRunner

TOKEN = "pat-na1-matrix-0123456789"
BASE_URL = "https://api.test.example"
EVENT_ID = "58237132332"
WHEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WHEN_MS = "1795428000000"
NAIVE = datetime(2026, 11, 23, 10, 0)
KINDS = ("sync", "async")

Make = Callable[..., Client | AsyncClient]


# ---------------------------------------------------------------------------- building the calls
def send(**changes: Any) -> Callable[[Make], object]:
    arguments = {"email_id": 123456, "to": "ada@example.com", **changes}
    return lambda make: make().send_email(**arguments)


def legacy(**changes: Any) -> Callable[[Make], object]:
    arguments = {"email_id": 123456, "to": "ada@example.com", **changes}
    return lambda make: make().send_legacy_email(**arguments)


def create(inputs: Callable[[], Any], **options: Any) -> Callable[[Make], object]:
    """`inputs` is called inside the case: a helper that refuses its arguments refuses there."""
    return lambda make: make().create_emails(inputs(), **options)


def attend(
    attendees: Callable[[], Any], event_id: Any = EVENT_ID, state: Any = "attend", **options: Any
) -> Callable[[Make], object]:
    return lambda make: make().record_attendance(event_id, state, attendees(), **options)


def status(status_id: Any) -> Callable[[Make], object]:
    return lambda make: make().get_send_status(status_id)


def wait(status_id: Any, **options: Any) -> Callable[[Make], object]:
    return lambda make: make().wait_for_send(status_id, **options)


def build(**options: Any) -> Callable[[Make], object]:
    return lambda make: make(**options)


def one(**changes: Any) -> Callable[[], list[EmailCreateInput]]:
    return lambda: [email_engagement(**{"timestamp": WHEN, **changes})]


def who(**changes: Any) -> Callable[[], list[AttendeeByEmail]]:
    return lambda: [attendee(**{"email": "ada@example.com", "at": WHEN, **changes})]


def hand_built(properties: dict[str, Any], record_id: object = "501") -> EmailCreateInput:
    """An input built with the generated models, as a caller may, rather than by `email_engagement`."""
    values = EmailCreateInputProperties()
    values.additional_properties = properties
    spec = AssociationSpec(association_category=AssociationCategory.HUBSPOT_DEFINED, association_type_id=198)
    association = AssociationForCreate(to=PublicObjectId(id=record_id), types=[spec])  # type: ignore[arg-type]
    return EmailCreateInput(properties=values, associations=[association])


def fourth(bad: EmailCreateInput) -> Callable[[], list[EmailCreateInput]]:
    """Three good inputs, then `bad` at index 3: the message must say which input."""
    return lambda: [email_engagement(timestamp=WHEN, subject=f"s{n}") for n in range(3)] + [bad]


def twice_traced() -> list[EmailCreateInput]:
    return [email_engagement(timestamp=WHEN, trace_id="order-42") for _ in range(2)]


def changed_after_building() -> list[EmailCreateInput]:
    """Built (and checked) by the helper, then changed: the batch checks it again."""
    engagement = email_engagement(timestamp=WHEN)
    engagement.properties.additional_properties["hs_timestamp"] = "yesterday"
    return [email_engagement(timestamp=WHEN), engagement]


def attendee_at(milliseconds: int) -> AttendeeByEmail:
    return AttendeeByEmail(
        email="ada@example.com",
        interaction_date_time=milliseconds,
        properties=AttendeeByEmailProperties(),
        contact_properties=AttendeeByEmailContactProperties(),
    )


def same_attendee_twice() -> list[AttendeeByEmail]:
    return [attendee(email="ada@example.com", at=WHEN), attendee(email="Ada@Example.com", at=WHEN)]


@dataclass(frozen=True)
class Bad:
    """A bad input: the call, the field its message must name, a phrase of the problem and of the fix."""

    id: str
    call: Callable[[Make], object]
    field: str
    problem: str
    fix: str
    env: Mapping[str, str] = dataclasses.field(default_factory=dict)
    kinds: tuple[str, ...] = KINDS


# fmt: off
CLIENT_CASES = [
    # send_email (v4)
    Bad("send/to-empty", send(to=""), "to", "a recipient is required", "Pass the recipient's email address"),
    Bad("send/to-malformed", send(to="ada@@example.com"), "to", "is not a valid email address",
        "one bare address"),
    Bad("send/to-display-name", send(to="Ada <ada@example.com>"), "to", "angle brackets", "one bare address"),
    Bad("send/to-role-based", send(to="noreply@example.com"), "to", "role-based recipients",
        "a person's address"),
    Bad("send/to-a-list", send(to=["ada@example.com"]), "to", "expected an email address string",
        "Pass a str"),
    Bad("send/email-id-str", send(email_id="123456"), "email_id", "expected an int, got str",
        "numeric content id"),
    Bad("send/email-id-bool", send(email_id=True), "email_id", "expected an int, got bool",
        "numeric content id"),
    Bad("send/email-id-negative", send(email_id=-5), "email_id", "expected a positive id", "content id"),
    Bad("send/email-id-over-int64", send(email_id=2**63), "email_id", "larger than a 64-bit id",
        "content id"),
    Bad("send/send-id-blank", send(send_id="   "), "send_id", "expected a non-empty string", "omit it"),
    Bad("send/cc-a-lone-string", send(cc="bob@example.com"), "cc", "expected a list of addresses", 'cc=["'),
    Bad("send/bcc-item-malformed", send(bcc=["bob@example.com", "carol"]), "bcc[1]", "not a valid email",
        "one bare address"),
    Bad("send/from-malformed", send(from_="Ada <ada@>"), "from_", "not a valid email address",
        "'Ada Lovelace <ada@example.com>'"),
    Bad("send/custom-list-value", send(custom_properties={"items": ["a", "b"]}), "custom_properties['items']",
        "does not support lists", "Render the list as one string"),
    Bad("send/contact-int-value", send(contact_properties={"amount": 42}), "contact_properties['amount']",
        "expected a string, got int", "str(value)"),
    Bad("send/custom-unencodable", send(custom_properties={"note": "caf\udce9"}), "custom_properties['note']",
        "unpaired surrogate", "real encoding"),
    Bad("send/contact-not-a-mapping", send(contact_properties=[("a", "b")]), "contact_properties",
        "expected a mapping", "Pass a dict"),
    # send_legacy_email (v1)
    Bad("legacy/to-role-based", legacy(to="postmaster@example.com"), "to", "role-based",
        "a person's address"),
    Bad("legacy/to-unencodable", legacy(to="ad\udca0@example.com"), "to", "unpaired surrogate",
        "real encoding"),
    Bad("legacy/email-id-float", legacy(email_id=123456.0), "email_id", "expected an int, got float",
        "content id"),
    Bad("legacy/reply-to-lone-string", legacy(reply_to="ada@example.com"), "reply_to", "expected a list",
        "Pass a list"),
    Bad("legacy/custom-tuple-value", legacy(custom_properties={"rows": ("a",)}), "custom_properties['rows']",
        "does not support lists", "Render the list"),
    # create_emails
    Bad("batch/empty", create(list), "inputs", "the batch is empty", "at least one input"),
    Bad("batch/one-input-not-in-a-list", create(lambda: email_engagement(timestamp=WHEN)), "inputs",
        "got a single EmailCreateInput", "Wrap it in a list"),
    Bad("batch/a-dict-not-an-input", create(lambda: [{"properties": {"hs_timestamp": WHEN_MS}}]), "inputs[0]",
        "expected an EmailCreateInput, got dict", "email_engagement(...)"),
    Bad("batch/chunk-size-0", create(one(), chunk_size=0), "chunk_size", "expected 1 to 100, got 0",
        "at most 100"),
    Bad("batch/chunk-size-101", create(one(), chunk_size=101), "chunk_size", "expected 1 to 100",
        "at most 100"),
    Bad("batch/duplicate-trace-ids", create(twice_traced), "inputs[1].object_write_trace_id",
        "used by an earlier input", "unique trace id"),
    Bad("batch/timestamp-in-seconds", create(fourth(hand_built({"hs_timestamp": "1795428000"}))),
        "inputs[3].properties['hs_timestamp']", "looks like epoch seconds", "seconds * 1000"),
    Bad("batch/timestamp-missing", create(lambda: [hand_built({"hs_email_subject": "Receipt"})]),
        "inputs[0].properties['hs_timestamp']", "hs_timestamp is required", "timestamp=..."),
    Bad("batch/list-in-a-property", create(fourth(hand_built({"hs_timestamp": WHEN_MS, "tags": ["a"]}))),
        "inputs[3].properties['tags']", "does not support lists", "Render the list"),
    Bad("batch/unknown-direction",
        create(lambda: [hand_built({"hs_timestamp": WHEN_MS, "hs_email_direction": "OUT"})]),
        "inputs[0].properties['hs_email_direction']", "unknown value 'OUT'", "Use one of EMAIL"),
    Bad("batch/record-id-negative", create(lambda: [hand_built({"hs_timestamp": WHEN_MS}, record_id="-5")]),
        "inputs[0].associations[0].to.id", "expected a record id", "numeric id of the record"),
    Bad("batch/changed-after-building", create(changed_after_building),
        "inputs[1].properties['hs_timestamp']", "'yesterday' is neither epoch milliseconds", "Pass e.g."),
    Bad("batch/max-concurrency-0", create(one(), max_concurrency=0), "max_concurrency", "expected 1 or more",
        "Pass 1", kinds=("async",)),
    # email_engagement(...)
    Bad("engagement/naive-datetime", create(one(timestamp=NAIVE)), "timestamp", "naive",
        "timestamp.replace(tzinfo=UTC)"),
    Bad("engagement/timestamp-in-seconds", create(one(timestamp=1795428000)), "timestamp",
        "looks like epoch seconds", "datetime.fromtimestamp"),
    Bad("engagement/contact-id-not-digits", create(one(contact_ids=["ada"])), "contact_ids[0]",
        "expected a record id", "numeric id"),
    Bad("engagement/contact-ids-a-lone-id", create(one(contact_ids="501")), "contact_ids",
        "expected a list of ids, got str", "contact_ids=[...]"),
    Bad("engagement/hs-timestamp-as-property", create(one(properties={"hs_timestamp": WHEN_MS})),
        "properties['hs_timestamp']", "set by the `timestamp` argument", "pass timestamp="),
    Bad("engagement/unknown-direction", create(one(direction="OUTBOUND")), "hs_email_direction",
        "unknown value 'OUTBOUND'", "Use one of EMAIL"),
    Bad("engagement/subject-not-str", create(one(subject=5)), "hs_email_subject", "expected a string",
        "Pass a str"),
    Bad("engagement/trace-id-empty", create(one(trace_id="")), "trace_id", "non-empty string",
        "unique in the batch"),
    Bad("engagement/owner-id-bool", create(one(owner_id=True)), "owner_id", "expected a record id",
        "numeric id"),
    # record_attendance
    Bad("attendance/event-id-with-slash", attend(who(), event_id="582/37"), "event_id", "holds '/'",
        "internal id"),
    Bad("attendance/event-id-blank", attend(who(), event_id="  "), "event_id", "expected an id",
        "internal id"),
    Bad("attendance/event-id-dots", attend(who(), event_id=".."), "event_id", "dropped from the URL",
        "internal id"),
    Bad("attendance/unknown-state", attend(who(), state="attended"), "state", "unknown attendance state",
        "'register', 'attend' or 'cancel'"),
    Bad("attendance/no-attendees", attend(list), "attendees", "no attendees", "at least one attendee"),
    Bad("attendance/one-attendee-not-in-a-list", attend(lambda: attendee(email="ada@example.com", at=WHEN)),
        "attendees", "got a single AttendeeByEmail", "Wrap it in a list"),
    Bad("attendance/same-attendee-twice", attend(same_attendee_twice), "attendees[1].email", "listed twice",
        "List each attendee once"),
    Bad("attendance/chunk-size-101", attend(who(), chunk_size=101), "chunk_size", "expected 1 to 100",
        "at most 100"),
    Bad("attendance/hand-built-seconds", attend(lambda: [attendee_at(1_795_428_000)]),
        "attendees[0].interaction_date_time", "looks like epoch seconds", "seconds * 1000"),
    # attendee(...)
    Bad("attendee/email-empty", attend(who(email="")), "email", "an attendee's email is required",
        "Pass the"),
    Bad("attendee/role-based", attend(who(email="unsubscribe@example.com")), "email", "role-based",
        "their own address"),
    Bad("attendee/naive-at", attend(who(at=NAIVE)), "at", "naive", "tzinfo=UTC"),
    Bad("attendee/contact-float-value", attend(who(contact_properties={"amount": 12.5})),
        "contact_properties['amount']", "expected a string, got float", "str(value)"),
    Bad("attendee/list-in-a-property", attend(who(properties={"sessions": ["a", "b"]})),
        "properties['sessions']", "does not support lists", "Render the list"),
    # get_send_status and wait_for_send
    Bad("status/blank", status("  "), "status_id", "expected an id", "SingleSendResult.status_id"),
    Bad("status/an-int", status(123), "status_id", "expected a string, got int",
        "SingleSendResult.status_id"),
    Bad("status/with-slash", status("st/1"), "status_id", "holds '/'", "SingleSendResult.status_id"),
    Bad("status/dot-dot", status(".."), "status_id", "dropped from the URL", "SingleSendResult.status_id"),
    Bad("wait/timeout-0", wait("st-1", timeout=0), "timeout", "above 0", "timeout=60"),
    Bad("wait/poll-interval-nan", wait("st-1", poll_interval=float("nan")), "poll_interval", "finite",
        "poll_interval=1"),
    # client construction
    Bad("client/token-blank", build(access_token="   "), "access_token", "only white space", "access token"),
    Bad("client/token-with-newline", build(access_token="pat-na1-abc\n"), "access_token",
        "white space at position", "token.strip()"),
    Bad("client/token-bytes", build(access_token=b"pat-na1-abc"), "access_token",
        "expected a string, got bytes", "token.decode('ascii')"),
    Bad("client/token-env-with-space", build(access_token=None), "HUBSPOT_ACCESS_TOKEN",
        "holds no usable token", "Set HUBSPOT_ACCESS_TOKEN", env={"HUBSPOT_ACCESS_TOKEN": "pat-na1 abc"}),
    Bad("client/base-url-plain-http", build(base_url="http://api.hubapi.com"), "base_url",
        "plain http to another", "Use https"),
    Bad("client/base-url-env-plain-http", build(base_url=None), "base_url", "plain http to another",
        "Use https", env={"HUBSPOT_BASE_URL": "http://api.hubapi.com"}),
    Bad("client/base-url-scheme", build(base_url="ftp://api.hubapi.com"), "base_url", "scheme 'ftp'",
        "Pass e.g."),
    Bad("client/base-url-query", build(base_url="https://api.hubapi.com/?portal=1"), "base_url",
        "query or fragment", "up to its path"),
    Bad("client/api-version", build(api_version="v4"), "api_version", "date-based version (YYYY-MM)",
        "api_version='legacy'"),
    Bad("client/timeout-0", build(timeout=0), "timeout", "above 0", "timeout=30"),
    Bad("client/timeout-connect-negative", build(timeout=httpx.Timeout(5, connect=-1)), "timeout.connect",
        "above 0", "timeout=30"),
    Bad("client/max-retries-negative", build(max_retries=-1), "max_retries", "0 or more", "max_retries=2"),
    Bad("client/tls-proxy-a-string", build(tls_terminating_proxy="no"), "tls_terminating_proxy",
        "expected True or False", "Pass True only"),
    Bad("client/time-zone-unknown", build(account_time_zone="Mars/Olympus"), "account_time_zone",
        "IANA time zone", "America/New_York"),
    Bad("client/rate-limiter-a-url", build(rate_limiter="redis://127.0.0.1"), "rate_limiter",
        "expected a RateLimiter", "RateLimiter()"),
]
# fmt: on


class NetworkReached(Exception):
    """Raised by the transport: any request at all is a failure of the case."""


# Every case on every client that has its argument (one, max_concurrency, is the async client's only).
CLIENT_RUNS = [
    pytest.param(case, kind, id=f"{case.id}-{kind}")
    for case in CLIENT_CASES
    for kind in KINDS
    if kind in case.kinds
]


@pytest.mark.parametrize(("case", "kind"), CLIENT_RUNS)
def test_the_client_refuses_before_the_network(case: Bad, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HUBSPOT_ACCESS_TOKEN", "HUBSPOT_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        raise NetworkReached(request.url)

    transport = httpx.MockTransport(handle)

    def make(**options: Any) -> Client | AsyncClient:
        options = {"access_token": TOKEN, "base_url": BASE_URL, "max_retries": 0, **options}
        return (
            Client(transport=transport, **options)
            if kind == "sync"
            else AsyncClient(transport=transport, **options)
        )

    with pytest.raises(InvalidInputError) as caught:
        run(case.call, make)
    assert requests == []
    assert_says_field_problem_and_fix(caught.value, case.field, case.problem, case.fix)


def run(call: Callable[[Make], object], make: Make) -> None:
    """The case's call, awaited when the async client's method returns a coroutine."""
    outcome = call(make)
    if inspect.iscoroutine(outcome):
        asyncio.run(outcome)


def assert_says_field_problem_and_fix(error: InvalidInputError, field: str, problem: str, fix: str) -> None:
    message = str(error)
    assert error.field == field, message
    assert message.startswith(f"{field}: "), message
    assert problem in message, message
    assert fix in message, message
    # The problem comes first, then what to do about it.
    assert message.index(problem) < message.rindex(fix), message
    assert TOKEN not in message


# ---------------------------------------------------------------------------- the command line
@dataclass(frozen=True)
class BadCli:
    """A command line refused (exit 2, before the network) or a file whose `row` is reported invalid.

    `says`: phrases stderr (or, for a row, the results file's detail) must hold, naming the flag, file or
    column first. `files`: name -> content written in the run folder; "{dir}" in args is that folder.
    """

    id: str
    args: list[str]
    says: tuple[str, ...]
    files: Mapping[str, str | bytes] = dataclasses.field(default_factory=dict)
    row: int | None = None
    env: Mapping[str, str] = dataclasses.field(default_factory=dict)


def csv_text(*rows: list[str]) -> str:
    lines: list[str] = []
    for row in rows:
        lines.append(",".join(f'"{cell}"' if "," in cell else cell for cell in row))
    return "\n".join(lines) + "\n"


def jsonl_text(*rows: dict[str, Any]) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


SEND = ["send", "--email-id", "123456", "--to", "ada@example.com"]
BULK = ["bulk-send", "{dir}/list.csv", "--email-id", "123456", "--quiet"]
LOG = ["log-emails", "{dir}/emails.csv", "--quiet"]
ATTEND = ["attendance", EVENT_ID, "attend", "{dir}/people.csv", "--quiet"]
NOT_UTF8 = b"to,name\nada@example.com,Caf\xe9\n"  # Latin-1, not UTF-8

# fmt: off
CLI_CASES = [
    # flags
    BadCli("send/email-id-not-a-number", ["send", "--email-id", "abc", "--to", "ada@example.com"],
           ("--email-id", "should be a valid integer")),
    BadCli("send/to-role-based", ["send", "--email-id", "123456", "--to", "noreply@example.com"],
           ("invalid input: to:", "role-based", "a person's address")),
    BadCli("send/to-malformed", ["send", "--email-id", "123456", "--to", "ada.example.com"],
           ("invalid input: to:", "not a valid email address", "one bare address")),
    BadCli("send/prop-without-equals", [*SEND, "--prop", "amount"],
           ("--prop 'amount'", "expected name=value")),
    BadCli("send/custom-empty-name", [*SEND, "--custom", "=42"], ("--custom '=42'", "expected name=value")),
    BadCli("send/wait-with-legacy", [*SEND, "--wait", "--legacy"],
           ("--wait", "the legacy send", "answers with")),
    BadCli("send/wait-timeout-0", [*SEND, "--wait", "--wait-timeout", "0"],
           ("--wait-timeout:", "above 0", "=60")),
    BadCli("send/base-url-plain-http", ["--base-url", "http://api.hubapi.com", *SEND],
           ("base_url:", "plain http to another machine", "Use https")),
    BadCli("send/api-version", ["--api-version", "v4", *SEND], ("--api-version 'v4'", "YYYY-MM", "2026-09")),
    BadCli("send/token-file-missing", ["--token-file", "{dir}/nowhere.txt", *SEND],
           ("--token-file", "cannot read", "Check the path")),
    BadCli("send/token-file-empty", ["--token-file", "{dir}/token.txt", *SEND],
           ("--token-file", "no token", "access token"), files={"token.txt": "\n"}),
    BadCli("send/token-file-two-lines", ["--token-file", "{dir}/token.txt", *SEND],
           ("--token-file", "white space at position", "one line"),
           files={"token.txt": "pat-na1-abc\npat-na1-def\n"}),
    BadCli("send/token-env-blank", SEND, ("HUBSPOT_ACCESS_TOKEN", "only white space"),
           env={"HUBSPOT_ACCESS_TOKEN": "  "}),
    BadCli("status/blank-id", ["status", " "], ("status_id", "expected an id", "SingleSendResult.status_id")),
    BadCli("status/id-with-slash", ["status", "st/1"],
           ("status_id", "holds '/'", "SingleSendResult.status_id")),
    BadCli("attendance/event-id-with-slash", ["attendance", "582/37", "attend", "{dir}/people.csv"],
           ("event_id:", "holds '/'", "internal id"), files={"people.csv": "email\nada@example.com\n"}),
    BadCli("attendance/unknown-state", ["attendance", EVENT_ID, "attended", "{dir}/people.csv"],
           ("state:", "unknown attendance state", "'register', 'attend' or 'cancel'"),
           files={"people.csv": "email\nada@example.com\n"}),
    BadCli("log-emails/chunk-size-101", [*LOG, "--chunk-size", "101"],
           ("--chunk-size", "less than or equal to 100"), files={"emails.csv": f"timestamp\n{WHEN_MS}\n"}),
    # files
    BadCli("bulk-send/email-id-0", [*BULK[:3], "0"], ("email_id", "expected a positive id", "content id"),
           files={"list.csv": "to\nada@example.com\n"}),
    BadCli("bulk-send/file-missing", BULK, ("list.csv", "cannot open")),
    BadCli("bulk-send/no-to-column", BULK, ("list.csv", "no 'to' column", "columns: email, name"),
           files={"list.csv": "email,name\nada@example.com,Ada\n"}),
    BadCli("bulk-send/empty-file", BULK, ("list.csv", "the file is empty"), files={"list.csv": ""}),
    BadCli("bulk-send/unknown-format", [*BULK, "--format", "xml"], ("--format", "expected csv or jsonl"),
           files={"list.csv": "to\nada@example.com\n"}),
    BadCli("bulk-send/unknown-extension", ["bulk-send", "{dir}/list.txt", "--email-id", "1"],
           ("list.txt", "cannot tell the format", "--format csv|jsonl"),
           files={"list.txt": "to\nada@example.com\n"}),
    BadCli("log-emails/no-timestamp-column", LOG, ("emails.csv", "no 'timestamp' column"),
           files={"emails.csv": "subject\nHello\n"}),
    # rows: reported invalid in the results file, by row and column
    BadCli("bulk-send/row-role-based", BULK, ("row 2: column 'to'", "role-based", "a person's address"),
           row=2, files={"list.csv": csv_text(["to"], ["  "], ["noreply@example.com"])}),
    BadCli("bulk-send/row-malformed", BULK, ("row 1: column 'to'", "not a valid email address"), row=1,
           files={"list.csv": csv_text(["to", "name"], ["ada@example", "Ada"])}),
    BadCli("bulk-send/row-not-utf8", BULK, ("row 1: column 'name'", "not UTF-8"), row=1,
           files={"list.csv": NOT_UTF8}),
    BadCli("bulk-send/row-too-many-fields", BULK, ("row 1:", "3 fields, the header names 2"), row=1,
           files={"list.csv": csv_text(["to", "name"], ["ada@example.com", "Ada", "extra"])}),
    BadCli("bulk-send/jsonl-list-value", ["bulk-send", "{dir}/list.jsonl", "--email-id", "1", "--quiet"],
           ("row 1: column 'items'", "got list"), row=1,
           files={"list.jsonl": jsonl_text({"to": "ada@example.com", "items": ["a", "b"]})}),
    BadCli("log-emails/row-timestamp-in-seconds", LOG,
           ("row 1: column 'timestamp'", "before 1973", "Check the date"), row=1,
           files={"emails.csv": csv_text(["timestamp"], ["1795428000"])}),
    BadCli("log-emails/row-no-offset", LOG, ("row 1: column 'timestamp'", "no UTC offset", "add e.g. +00:00"),
           row=1, files={"emails.csv": csv_text(["timestamp"], ["2026-11-23T10:00:00"])}),
    BadCli("log-emails/row-contact-id", LOG,
           ("row 1: column 'contact_ids'", "expected a record id", "numeric id"), row=1,
           files={"emails.csv": csv_text(["timestamp", "contact_ids"], [WHEN_MS, "501;ada"])}),
    BadCli("log-emails/row-unknown-direction", LOG,
           ("row 1: column 'direction'", "unknown value", "Use one of"), row=1,
           files={"emails.csv": csv_text(["timestamp", "direction"], [WHEN_MS, "OUTBOUND"])}),
    BadCli("attendance/row-role-based", ATTEND, ("row 1: column 'email'", "role-based"), row=1,
           files={"people.csv": csv_text(["email"], ["abuse@example.com"])}),
    BadCli("attendance/row-naive-at", ATTEND, ("row 1: column 'at'", "no UTC offset"), row=1,
           files={"people.csv": csv_text(["email", "at"], ["ada@example.com", "2026-11-23 10:00"])}),
    BadCli("attendance/row-list-property",
           ["attendance", EVENT_ID, "attend", "{dir}/people.jsonl", "--quiet"],
           ("row 1: column 'contact.tags'", "got list"), row=1,
           files={"people.jsonl": jsonl_text({"email": "ada@example.com", "contact.tags": ["a"]})}),
]
# fmt: on


@pytest.fixture(scope="module")
def simulator() -> Iterator[tuple[Simulator, str]]:
    """One loopback simulator for every CLI case: each case checks that its record did not grow."""
    sim = Simulator(tokens={TOKEN: ["transactional-email"]})
    with sim.serve() as url:
        yield sim, url


@pytest.mark.parametrize("case", CLI_CASES, ids=[case.id for case in CLI_CASES])
def test_the_command_line_refuses_before_the_network(
    case: BadCli, simulator: tuple[Simulator, str], tmp_path: Path
) -> None:
    sim, url = simulator
    for name, content in case.files.items():
        target = tmp_path / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    exchanges_before = len(sim.exchanges)
    env: dict[str, str | None] = {
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "HUBSPOT_BASE_URL": url,
        "HUBSPOT_LOG": None,
        "COLUMNS": "200",
    }
    env.update(case.env)
    args = [arg.replace("{dir}", str(tmp_path)) for arg in case.args]
    result = CliRunner().invoke(app, args, env=env)
    assert len(sim.exchanges) == exchanges_before, "the command reached the network"
    assert TOKEN not in result.output + result.stderr
    if case.row is None:
        assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
        said = result.stderr
    else:
        # Every row is bad, so none was sent: exit 1 (some rows invalid), the row's reason in the results.
        assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
        source = tmp_path / args[3 if args[0] == "attendance" else 1]
        rows = _results(source.with_name(source.name + ".results.csv"))
        [said] = [row["detail"] for row in rows if row["row"] == str(case.row)]
        assert {row["outcome"] for row in rows} == {"invalid"}
    for phrase in case.says:
        assert phrase in said, said
    first = said.index(case.says[0])
    assert all(said.index(phrase, first) >= first for phrase in case.says[1:]), said


def _results(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as results:
        return list(csv.DictReader(results))
