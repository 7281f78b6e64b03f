"""Every request the overlay builds, over hypothesis-generated inputs, validates against the spec.

The inputs are valid user inputs of the public methods (`send_email`, `send_legacy_email`,
`create_emails`, `record_attendance`, `get_send_status`): varied addresses the overlay's own checker
accepts, property maps with unicode values and empty strings, optional arguments present or absent,
aware datetimes in many time zones, batches of 1 to 250 inputs (so chunking is exercised), every
attendance state and every association kind the overlay offers, status ids of any text the overlay
accepts. Each request is captured by an `httpx.MockTransport` (it answers a minimal valid success
body, so the client goes on) and checked by `_spec_requests`: the path against the operation's template
and parameter schemas, a bearer token, and for the POSTs JSON whose body validates against the request
schema both as written and with every open enum closed (the status lookup is a GET with no body).

Batches are also checked against the inputs given: the chunks' inputs, concatenated, are the inputs
in order, each chunk holds at most `chunk_size` of them and no input is sent twice. The async client
must send the same bytes as the sync one.

Each client is built with a drawn `api_version` ("legacy", a known date-based version or a later one):
every request must then be the operation that version calls (the numbered one, or its dated
successor with the version in its path; the v1 send is always v1 and the status lookup always v3), and
conform to it.

`HUBSPOT_EMAIL_FUZZ_EXAMPLES` sets the examples per test (`_fuzz.py`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import string
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from unittest import mock

import httpx
import pytest
from hubspot_email import AsyncClient, Client, RateLimiter, attendee, email_engagement
from hubspot_email._engagements import ASSOCIATION_TYPE_IDS, check_event_id
from hubspot_email._validation import (
    DIRECTIONS,
    STATUSES,
    InvalidInputError,
    check_email_id,
    check_recipient,
    check_sender,
    check_status_id,
)
from hubspot_email_api.models import AttendeeByEmail, EmailCreateInput, SubscriberState
from hypothesis import assume, given
from hypothesis import strategies as st

if TYPE_CHECKING:  # mypy resolves the helpers by their paths; pytest puts this folder on sys.path
    from tests.contract._fuzz import fuzz_settings
    from tests.contract._spec_requests import match_operation, request_errors, response_errors
else:
    from _fuzz import fuzz_settings
    from _spec_requests import match_operation, request_errors, response_errors

TOKEN = "pat-na1-contract-token"
BASE_URL = "https://api.test.example"
DEFAULT_CHUNK_SIZE = 100
INT64_MAX = 2**63 - 1
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SEND = "sendSingleEmail"
LEGACY_SEND = "sendLegacySingleEmail"
CREATE_EMAILS = "batchCreateEmails"
ATTENDANCE = "recordAttendanceByEmail"
GET_STATUS = "getSendStatus"
OPERATION_OF_METHOD = {"send_email": SEND, "send_legacy_email": LEGACY_SEND}
# Fact sheet, section 8: the dated successor of each numbered operation (the v1 send and the status
# lookup have none).
DATED = {
    SEND: "sendSingleEmailDated",
    CREATE_EMAILS: "batchCreateEmailsDated",
    ATTENDANCE: "recordAttendanceByEmailDated",
}
LEGACY_API = "legacy"


def operation_at(operation_id: str, api_version: str) -> str:
    """The operation a client with `api_version` calls for the numbered `operation_id`."""
    return operation_id if api_version == LEGACY_API else DATED.get(operation_id, operation_id)


# The answer to each operation: a minimal success body of the spec (`test_canned_answers_conform`).
SUCCESS: dict[str, tuple[int, dict[str, Any]]] = {
    SEND: (200, {"status": "PENDING", "statusId": "status-1"}),
    LEGACY_SEND: (200, {"sendResult": "SENT"}),
    CREATE_EMAILS: (
        201,
        {
            "status": "COMPLETE",
            "results": [],
            "startedAt": "2026-11-23T10:00:00Z",
            "completedAt": "2026-11-23T10:00:01Z",
        },
    ),
    ATTENDANCE: (
        200,
        {
            "status": "COMPLETE",
            "results": [],
            "startedAt": "2026-11-23T10:00:00Z",
            "completedAt": "2026-11-23T10:00:01Z",
        },
    ),
    GET_STATUS: (200, {"status": "COMPLETE", "statusId": "status-1", "sendResult": "SENT"}),
}
SUCCESS.update({dated: SUCCESS[numbered] for numbered, dated in DATED.items()})  # the same answers

# One generous budget for every client here: a batch of 250 in chunks of 1 must not wait.
LIMITER = RateLimiter(1_000_000, 10.0)


# ------------------------------------------------------------------------------------- capturing
@dataclass
class Capture:
    """Records every request and answers it with the success body of `operation_id`."""

    operation_id: str
    requests: list[httpx.Request] = field(default_factory=list)

    def answer(self, request: httpx.Request) -> httpx.Response:
        # A copy as it went over the wire: the client takes the token off the request afterwards.
        sent = httpx.Request(
            request.method, request.url, headers=request.headers.copy(), content=request.read()
        )
        self.requests.append(sent)
        status, body = SUCCESS[self.operation_id]
        return httpx.Response(status, json=body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.answer)


def sync_client(capture: Capture, api_version: str = LEGACY_API) -> Client:
    return Client(
        TOKEN,
        base_url=BASE_URL,
        max_retries=0,
        rate_limiter=LIMITER,
        transport=capture.transport(),
        api_version=api_version,
    )


def async_client(capture: Capture, api_version: str = LEGACY_API) -> AsyncClient:
    return AsyncClient(
        TOKEN,
        base_url=BASE_URL,
        max_retries=0,
        rate_limiter=LIMITER,
        transport=capture.transport(),
        api_version=api_version,
    )


def conforming_requests(capture: Capture) -> list[httpx.Request]:
    """The captured requests, after checking each against the spec and its operation."""
    assert capture.requests, "the client sent nothing"
    for request in capture.requests:
        errors = request_errors(request, base_url=BASE_URL)
        assert errors == [], f"{request.method} {request.url} does not conform:\n" + "\n".join(errors)
        matched = match_operation(request.method, request.url.raw_path.decode("ascii"))
        assert matched is not None
        assert matched[0].operation_id == capture.operation_id
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
    return capture.requests


def conforming_bodies(capture: Capture) -> list[dict[str, Any]]:
    """The JSON bodies of the captured requests, after checking each request against the spec."""
    bodies: list[dict[str, Any]] = []
    for request in conforming_requests(capture):
        assert request.method == "POST"
        assert request.headers["content-type"] == "application/json"
        body = json.loads(request.content)
        assert isinstance(body, dict)
        bodies.append(body)
    return bodies


def assert_milliseconds_of(sent: object, moment: datetime) -> None:
    """`sent` is `moment` in epoch milliseconds: within a millisecond of the exact instant.

    The overlay rounds a float timestamp, which far from 1970 is a few microseconds off; the contract
    is the millisecond (a value in seconds or in microseconds is off by orders of magnitude).
    """
    assert isinstance(sent, int)
    exact_microseconds = (moment - EPOCH) // timedelta(microseconds=1)
    assert abs(sent * 1000 - exact_microseconds) < 1000, (sent, moment.isoformat())


# -------------------------------------------------------------------------------------- strategies
def _accepted(check: Callable[[Any], object]) -> Callable[[Any], bool]:
    """A filter: True for the values the overlay's own `check` accepts (what "valid" means here)."""

    def accepted(value: Any) -> bool:
        try:
            check(value)
        except InvalidInputError:
            return False
        return True

    return accepted


def _address_check(check: Callable[[str, object], str]) -> Callable[[Any], object]:
    return lambda address: check("address", address)


ATEXT = string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~"
UNICODE_LETTERS = "éüßñçøåæœαβγджшدبש日本語中文한국"
atoms = st.text(alphabet=ATEXT + UNICODE_LETTERS, min_size=1, max_size=12)
local_parts = st.lists(atoms, min_size=1, max_size=3).map(".".join)
labels = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,14}[A-Za-z0-9])?", fullmatch=True)
top_level_domains = st.from_regex(r"[A-Za-z]{2,8}", fullmatch=True)
domain_names = st.builds(
    lambda parts, tld: ".".join([*parts, tld]), st.lists(labels, min_size=1, max_size=3), top_level_domains
)
REALISTIC = [
    "ada@example.com",
    "Grace.Hopper+receipts@mail.example.org",
    "jean-luc@exämple.fr",
    "李@例子.com",
]
# Any address the overlay accepts where no role check applies (cc, bcc, reply-to, From).
addresses = st.one_of(
    st.builds("{}@{}".format, local_parts, domain_names), st.emails(), st.sampled_from(REALISTIC)
).filter(_accepted(_address_check(check_sender)))
# A recipient: the overlay refuses role-based local parts (noreply@, postmaster@, ...).
recipient_accepted = _accepted(_address_check(check_recipient))
recipients = addresses.filter(recipient_accepted)
display_names = st.one_of(
    st.from_regex(r"[A-Za-z0-9]+( [A-Za-z0-9]+){0,3}", fullmatch=True),
    st.text(
        alphabet=st.characters(exclude_categories=("Cc", "Cs"), exclude_characters='"\\'), max_size=20
    ).map(lambda name: f'"{name}"'),
)
senders = st.one_of(
    addresses,
    st.builds("{} <{}>".format, display_names, addresses).filter(_accepted(_address_check(check_sender))),
)
address_lists = st.lists(addresses, max_size=3).flatmap(lambda items: st.sampled_from([items, tuple(items)]))

property_names = st.one_of(
    st.sampled_from(["firstname", "last_paid_date", "amount", "items", "joinedAt", "leftAt"]),
    st.text(min_size=1, max_size=20),
)
property_values = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.sampled_from(["$42.00", "<ul><li>Tea</li><li>Scones</li></ul>", "2026-11-01", "日本語 ✓", "\u00a0"]),
)
property_dicts = st.dictionaries(property_names, property_values, max_size=6)
property_maps: st.SearchStrategy[Mapping[str, str]] = st.one_of(
    property_dicts, property_dicts.map(MappingProxyType)
)

time_zones = st.one_of(
    st.just(UTC),
    st.timezones(),
    st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59)).map(
        timezone
    ),
)
# From 1973-03-03 (earlier moments are refused: as epoch milliseconds they look like seconds) to the year
# 9999 (a day of margin at both ends for the offsets and the per-index shifts of a batch).
aware_datetimes = st.datetimes(
    min_value=datetime(1973, 3, 5), max_value=datetime(9999, 12, 30), timezones=time_zones
)
# A record id is a positive integer, given as an int or a string of digits.
record_ids = st.one_of(
    st.integers(min_value=1, max_value=10**15),
    st.from_regex(r"[1-9][0-9]{0,14}", fullmatch=True),
)
# Ids that are easy to mishandle in a URL path or a JSON number: each is valid while the overlay accepts it.
AWKWARD_EVENT_IDS = [".", "..", "a/b", "?x=1", "#top", "%2E", "%2e%2e", " 42 ", "ü"]
AWKWARD_EMAIL_IDS = [INT64_MAX, INT64_MAX + 1, 2**64]
# An event id: HubSpot's are numeric strings; any other the overlay accepts is valid too.
event_ids = st.one_of(
    st.from_regex(r"[1-9][0-9]{0,14}", fullmatch=True),
    st.text(min_size=1, max_size=20),
    st.sampled_from(AWKWARD_EVENT_IDS),
).filter(_accepted(check_event_id))
# A status id: HubSpot's are UUIDs; any other text the overlay accepts is valid too.
AWKWARD_STATUS_IDS = [".", "..", "a/b", "?x=1", "#top", "%2E", "%2e%2e", " 42 ", "ü", "a b", "ok%"]
status_ids = st.one_of(
    st.uuids().map(str), st.text(min_size=1, max_size=40), st.sampled_from(AWKWARD_STATUS_IDS)
).filter(_accepted(check_status_id))
email_ids = st.one_of(
    st.integers(1, INT64_MAX), st.integers(min_value=1), st.sampled_from(AWKWARD_EMAIL_IDS)
).filter(_accepted(check_email_id))
# 1..250: any size, the sizes around the default chunk size of 100, and small ones (cheap to check).
batch_sizes = st.one_of(
    st.integers(1, 250), st.sampled_from([1, 99, 100, 101, 199, 200, 201, 250]), st.integers(1, 20)
)
# The async comparison needs several chunks in flight, not large ones.
small_batch_sizes = st.integers(1, 30)
# At most this many requests per batch (a batch of 250 in chunks of 1 would only be slow): the chunk
# size is drawn from what keeps a batch within it, up to past the default of 100.
MAX_CHUNKS = 12
MAX_CHUNK_SIZE = 100  # HubSpot takes at most 100 inputs a call; the clients refuse more
STATES = [*SubscriberState, *(state.value for state in SubscriberState)]
# "legacy", the versions the spec knows, and later ones of the same form (a client needs no upgrade).
api_versions = st.one_of(
    st.sampled_from([LEGACY_API, "2026-03", "2026-09"]),
    st.from_regex(r"20[2-9][0-9]-(0[1-9]|1[0-2])", fullmatch=True),
)


def _optional(draw: st.DrawFn, kwargs: dict[str, Any], name: str, values: st.SearchStrategy[Any]) -> None:
    """Leave `name` out, pass None, or pass a value (None only where it is the default)."""
    choice = draw(st.sampled_from(["absent", "none", "value"]))
    if choice == "none":
        kwargs[name] = None
    elif choice == "value":
        kwargs[name] = draw(values)


@st.composite
def send_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    """Keyword arguments of `send_email` / `send_legacy_email`."""
    kwargs: dict[str, Any] = {"email_id": draw(email_ids), "to": draw(recipients)}
    _optional(draw, kwargs, "from_", senders)
    _optional(draw, kwargs, "send_id", st.text(min_size=1, max_size=40).filter(str.strip))
    for name in ("reply_to", "cc", "bcc"):
        if draw(st.booleans()):
            kwargs[name] = draw(address_lists)
    _optional(draw, kwargs, "contact_properties", property_maps)
    _optional(draw, kwargs, "custom_properties", property_maps)
    return kwargs


# The engagement properties `email_engagement`'s own arguments set or whose values are closed lists:
# drawn by name (hypothesis draws strings it finds in the code under test), they would make invalid
# input, which these tests do not mean to give.
ARGUMENT_PROPERTIES = frozenset(
    {
        "hs_timestamp",
        "hs_email_direction",
        "hs_email_status",
        "hs_email_subject",
        "hs_email_text",
        "hs_email_html",
        "hubspot_owner_id",
    }
)
other_engagement_properties = property_maps.filter(
    lambda properties: not ARGUMENT_PROPERTIES & set(properties)
)


@st.composite
def engagement_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    """Keyword arguments of `email_engagement`."""
    kwargs: dict[str, Any] = {"timestamp": draw(aware_datetimes)}
    for name in ("subject", "text", "html"):
        _optional(draw, kwargs, name, st.text(max_size=30))
    _optional(draw, kwargs, "direction", st.sampled_from(sorted(DIRECTIONS)))
    _optional(draw, kwargs, "status", st.sampled_from(sorted(STATUSES)))
    _optional(draw, kwargs, "owner_id", record_ids)
    for kind in ASSOCIATION_TYPE_IDS:
        if draw(st.booleans()):
            ids = draw(st.lists(record_ids, max_size=3))
            kwargs[kind] = draw(st.sampled_from([ids, tuple(ids)]))
    _optional(draw, kwargs, "properties", other_engagement_properties)
    _optional(draw, kwargs, "trace_id", st.text(max_size=20))
    return kwargs


@st.composite
def engagement_batches(
    draw: st.DrawFn, sizes: st.SearchStrategy[int] = batch_sizes, templates: int = 5
) -> list[dict[str, Any]]:
    """The `email_engagement` arguments of a batch of 1..250: a few drawn ones, repeated with changes.

    Each repetition moves the timestamp by its index (in ms) and suffixes a given trace id with
    `#index`, which keeps the caller's trace ids unique as the overlay requires.
    """
    size = draw(sizes)
    drawn = draw(st.lists(engagement_kwargs(), min_size=1, max_size=min(size, templates)))
    batch: list[dict[str, Any]] = []
    for index in range(size):
        kwargs = dict(drawn[index % len(drawn)])
        kwargs["timestamp"] += timedelta(milliseconds=index)
        if kwargs.get("trace_id") is not None:
            kwargs["trace_id"] = f"{kwargs['trace_id']}#{index}"
        batch.append(kwargs)
    return batch


@st.composite
def attendee_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    """Keyword arguments of `attendee`, but the email (given per position by `attendance_batches`)."""
    kwargs: dict[str, Any] = {"at": draw(aware_datetimes)}
    _optional(draw, kwargs, "properties", property_maps)
    _optional(draw, kwargs, "contact_properties", property_maps)
    return kwargs


@st.composite
def attendance_batches(
    draw: st.DrawFn, sizes: st.SearchStrategy[int] = batch_sizes, templates: int = 5
) -> list[dict[str, Any]]:
    """The `attendee` arguments of 1..250 attendees, each email once (ignoring case).

    A few drawn addresses come first, then addresses made from the position; a few drawn sets of the
    other arguments repeat, each repetition moving `at` by its index (in ms).
    """
    size = draw(sizes)
    drawn = draw(st.lists(recipients, min_size=1, max_size=min(size, templates + 1), unique_by=str.lower))
    tag = draw(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True))
    domain = draw(domain_names.filter(lambda name: recipient_accepted(f"a@{name}")))
    emails = [*drawn, *(f"attendee{index}.{tag}@{domain}" for index in range(len(drawn), size))]
    assume(len({email.lower() for email in emails}) == size)
    arguments = draw(st.lists(attendee_kwargs(), min_size=1, max_size=min(size, templates)))
    batch: list[dict[str, Any]] = []
    for index, email in enumerate(emails):
        kwargs = dict(arguments[index % len(arguments)])
        kwargs["at"] += timedelta(milliseconds=index)
        batch.append({**kwargs, "email": email})
    return batch


@st.composite
def with_chunk_size(
    draw: st.DrawFn, batches: st.SearchStrategy[list[dict[str, Any]]]
) -> tuple[list[dict[str, Any]], int | None]:
    """A batch and the `chunk_size` to send it with (None: the default)."""
    batch = draw(batches)
    smallest = max(1, math.ceil(len(batch) / MAX_CHUNKS))
    return batch, draw(st.one_of(st.none(), st.integers(smallest, MAX_CHUNK_SIZE)))


# ------------------------------------------------------------------------------------ expectations
def expected_engagement(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """What `email_engagement(**kwargs)` must send, written out here rather than asked of the overlay.

    `hs_timestamp` is left out (it is checked with `assert_milliseconds_of`), as is an assigned trace id.
    """
    properties = dict(kwargs.get("properties") or {})
    properties.pop("hs_timestamp", None)
    for name, argument in (
        ("hs_email_direction", kwargs.get("direction") or properties.get("hs_email_direction", "EMAIL")),
        ("hs_email_status", kwargs.get("status")),
        ("hs_email_subject", kwargs.get("subject")),
        ("hs_email_text", kwargs.get("text")),
        ("hs_email_html", kwargs.get("html")),
        ("hubspot_owner_id", kwargs.get("owner_id")),
    ):
        if argument is not None:
            properties[name] = str(argument)
    associations = [
        {
            "to": {"id": str(record_id)},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
        }
        for kind, type_id in ASSOCIATION_TYPE_IDS.items()
        for record_id in kwargs.get(kind, ())
    ]
    expected: dict[str, Any] = {"properties": properties, "associations": associations}
    if kwargs.get("trace_id") is not None:
        expected["objectWriteTraceId"] = kwargs["trace_id"]
    return expected


def check_chunks(bodies: list[dict[str, Any]], given: int, chunk_size: int | None) -> list[dict[str, Any]]:
    """The inputs of all chunks, in order, after checking the chunking itself."""
    limit = chunk_size or DEFAULT_CHUNK_SIZE
    sizes = [len(body["inputs"]) for body in bodies]
    assert all(1 <= size <= limit for size in sizes), (sizes, limit)
    assert len(bodies) == math.ceil(given / limit), (sizes, limit)
    inputs = [item for body in bodies for item in body["inputs"]]
    assert len(inputs) == given
    return inputs


def chunk_kwargs(chunk_size: int | None) -> dict[str, Any]:
    return {} if chunk_size is None else {"chunk_size": chunk_size}


# ------------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("operation_id", sorted(SUCCESS))
def test_canned_answers_conform(operation_id: str) -> None:
    status, body = SUCCESS[operation_id]
    assert response_errors(operation_id, status, body, strict=True) == []


@pytest.mark.parametrize("method", sorted(OPERATION_OF_METHOD))
@fuzz_settings()
@given(kwargs=send_kwargs(), api_version=api_versions)
def test_single_send_requests_conform(method: str, kwargs: dict[str, Any], api_version: str) -> None:
    capture = Capture(operation_at(OPERATION_OF_METHOD[method], api_version))
    with sync_client(capture, api_version) as client:
        result = getattr(client, method)(**kwargs)
    assert result.ok

    (body,) = conforming_bodies(capture)
    assert body["emailId"] == kwargs["email_id"]
    message = body["message"]
    assert message["to"] == kwargs["to"]
    assert message.get("from") == kwargs.get("from_")
    if kwargs.get("send_id") is not None:
        assert message["sendId"] == kwargs["send_id"]
    else:
        assert message["sendId"].strip()
    assert message.get("cc", []) == list(kwargs.get("cc", ()))
    assert message.get("bcc", []) == list(kwargs.get("bcc", ()))
    reply_to = list(kwargs.get("reply_to", ()))
    for name in ("contactProperties", "customProperties"):
        given_map = kwargs.get("contact_properties" if name == "contactProperties" else "custom_properties")
        if given_map is None:
            assert name not in body
        elif method == "send_email":
            assert body[name] == dict(given_map)
        else:
            assert body[name] == [{"name": key, "value": value} for key, value in given_map.items()]
    if method == "send_email":
        assert message.get("replyTo", []) == reply_to
    else:
        assert message.get("replyTo") == (reply_to[0] if len(reply_to) == 1 else None)
        assert message.get("replyToList", []) == (reply_to if len(reply_to) > 1 else [])


@fuzz_settings()
@given(call=with_chunk_size(engagement_batches()), api_version=api_versions)
def test_create_emails_requests_conform_and_cover_the_inputs(
    call: tuple[list[dict[str, Any]], int | None], api_version: str
) -> None:
    batch, chunk_size = call
    inputs = [email_engagement(**kwargs) for kwargs in batch]
    given_dicts = [item.to_dict() for item in inputs]
    capture = Capture(operation_at(CREATE_EMAILS, api_version))
    with sync_client(capture, api_version) as client:
        result = client.create_emails(inputs, **chunk_kwargs(chunk_size))
    assert len(result.outcomes) == len(batch)

    sent = check_chunks(conforming_bodies(capture), len(batch), chunk_size)
    trace_ids = [item["objectWriteTraceId"] for item in sent]
    assert all(isinstance(trace_id, str) for trace_id in trace_ids)
    assert len(set(trace_ids)) == len(trace_ids), "an input was sent twice (or two share a trace id)"
    for kwargs, given_dict, item in zip(batch, given_dicts, sent, strict=True):
        # The input given, unchanged but for the trace id assigned when it had none.
        assert {**item, "objectWriteTraceId": given_dict.get("objectWriteTraceId")} == {
            **given_dict,
            "objectWriteTraceId": given_dict.get("objectWriteTraceId"),
        }
        # ... and what the arguments ask for.
        properties = dict(item["properties"])
        assert_milliseconds_of(int(properties.pop("hs_timestamp")), kwargs["timestamp"])
        expected = expected_engagement(kwargs)
        assert properties == expected["properties"]
        assert sorted(map(json.dumps, item["associations"])) == sorted(
            map(json.dumps, expected["associations"])
        )
        if "objectWriteTraceId" in expected:
            assert item["objectWriteTraceId"] == expected["objectWriteTraceId"]


@fuzz_settings()
@given(
    event_id=event_ids,
    state=st.sampled_from(STATES),
    call=with_chunk_size(attendance_batches()),
    api_version=api_versions,
)
def test_record_attendance_requests_conform_and_cover_the_inputs(
    event_id: str,
    state: SubscriberState | str,
    call: tuple[list[dict[str, Any]], int | None],
    api_version: str,
) -> None:
    batch, chunk_size = call
    attendees = [attendee(**kwargs) for kwargs in batch]
    given_dicts = [item.to_dict() for item in attendees]
    capture = Capture(operation_at(ATTENDANCE, api_version))
    with sync_client(capture, api_version) as client:
        result = client.record_attendance(event_id, state, attendees, **chunk_kwargs(chunk_size))
    assert len(result.outcomes) == len(batch)

    sent = check_chunks(conforming_bodies(capture), len(batch), chunk_size)
    state_value = state.value if isinstance(state, SubscriberState) else state
    version = {} if api_version == LEGACY_API else {"version": api_version}
    for request in capture.requests:
        matched = match_operation(request.method, request.url.raw_path.decode("ascii"))
        assert matched is not None
        assert matched[1] == {"objectId": event_id, "subscriberState": state_value, **version}
    emails = [item["email"].lower() for item in sent]
    assert len(set(emails)) == len(emails), "an attendee was sent twice"
    assert sent == given_dicts
    for kwargs, item in zip(batch, sent, strict=True):
        assert_milliseconds_of(item["interactionDateTime"], kwargs["at"])
        assert item == {
            "email": kwargs["email"],
            "interactionDateTime": item["interactionDateTime"],
            "properties": dict(kwargs.get("properties") or {}),
            "contactProperties": dict(kwargs.get("contact_properties") or {}),
        }


@fuzz_settings()
@given(status_id=status_ids, api_version=api_versions)
def test_send_status_requests_conform(status_id: str, api_version: str) -> None:
    capture = Capture(operation_at(GET_STATUS, api_version))  # the lookup itself: it has no successor
    with sync_client(capture, api_version) as client:
        status = client.get_send_status(status_id)
    assert status.found
    assert status.status_id == status_id

    (request,) = conforming_requests(capture)
    assert request.method == "GET"
    assert request.content == b""
    assert "content-type" not in request.headers
    matched = match_operation("GET", request.url.raw_path.decode("ascii"))
    assert matched is not None
    assert matched[1] == {"statusId": status_id}


@pytest.mark.parametrize("status_id", AWKWARD_STATUS_IDS)
def test_an_awkward_status_id_is_refused_or_sent_as_its_own_path_segment(status_id: str) -> None:
    """The examples that `status_ids` also draws, made explicit: refused before sending, or sent intact."""
    capture = Capture(GET_STATUS)
    with sync_client(capture) as client:
        try:
            client.get_send_status(status_id)
        except InvalidInputError:
            assert capture.requests == []
            return
    (request,) = conforming_requests(capture)
    matched = match_operation("GET", request.url.raw_path.decode("ascii"))
    assert matched is not None
    assert matched[1]["statusId"] == status_id


MOMENT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("event_id", AWKWARD_EVENT_IDS)
def test_an_awkward_event_id_is_refused_or_sent_as_its_own_path_segment(event_id: str) -> None:
    """The example that `event_ids` also draws, made explicit: refused before sending, or sent intact."""
    capture = Capture(ATTENDANCE)
    with sync_client(capture) as client:
        try:
            client.record_attendance(event_id, "attend", [attendee(email="ada@example.com", at=MOMENT)])
        except InvalidInputError:
            assert capture.requests == []
            return
    conforming_bodies(capture)
    matched = match_operation("POST", capture.requests[0].url.raw_path.decode("ascii"))
    assert matched is not None
    assert matched[1]["objectId"] == event_id


@pytest.mark.parametrize("method", sorted(OPERATION_OF_METHOD))
@pytest.mark.parametrize("email_id", AWKWARD_EMAIL_IDS)
def test_a_large_email_id_is_refused_or_sent_within_the_spec(method: str, email_id: int) -> None:
    """The example that `email_ids` also draws, made explicit: refused before sending, or an int64."""
    capture = Capture(OPERATION_OF_METHOD[method])
    with sync_client(capture) as client:
        try:
            getattr(client, method)(email_id=email_id, to="ada@example.com", send_id="s-1")
        except InvalidInputError:
            assert capture.requests == []
            return
    (body,) = conforming_bodies(capture)
    assert body["emailId"] == email_id


@contextmanager
def predictable_uuids() -> Iterator[None]:
    """uuid4 counting from 1, so that generated sendIds and trace ids are the same in both runs."""
    counter = itertools.count(1)
    with mock.patch.object(uuid, "uuid4", side_effect=lambda: uuid.UUID(int=next(counter))):
        yield


@dataclass(frozen=True)
class Calls:
    """One call of each method, built from drawn arguments."""

    send: dict[str, Any]  # the arguments of both single sends
    engagements: list[EmailCreateInput]
    event_id: str
    state: SubscriberState | str
    attendees: list[AttendeeByEmail]
    chunk_size: int | None
    api_version: str
    status_id: str


def _wire(capture: Capture) -> list[tuple[str, str, str, bytes]]:
    """What went over the wire, in an order that does not depend on how the chunks were scheduled."""
    return sorted(
        (request.method, str(request.url), request.headers.get("content-type", ""), request.content)
        for request in capture.requests
    )


def captures_for(api_version: str) -> dict[str, Capture]:
    """A capture per method, by the numbered operation id, expecting the operation `api_version` calls."""
    numbered = (SEND, LEGACY_SEND, CREATE_EMAILS, ATTENDANCE, GET_STATUS)
    return {operation_id: Capture(operation_at(operation_id, api_version)) for operation_id in numbered}


def run_sync(calls: Calls) -> dict[str, list[tuple[str, str, str, bytes]]]:
    captures = captures_for(calls.api_version)
    version = calls.api_version
    with predictable_uuids():
        with sync_client(captures[SEND], version) as client:
            client.send_email(**calls.send)
        with sync_client(captures[LEGACY_SEND], version) as client:
            client.send_legacy_email(**calls.send)
        with sync_client(captures[CREATE_EMAILS], version) as client:
            client.create_emails(calls.engagements, **chunk_kwargs(calls.chunk_size))
        with sync_client(captures[ATTENDANCE], version) as client:
            client.record_attendance(
                calls.event_id, calls.state, calls.attendees, **chunk_kwargs(calls.chunk_size)
            )
        with sync_client(captures[GET_STATUS], version) as client:
            client.get_send_status(calls.status_id)
    return {operation_id: _wire(capture) for operation_id, capture in captures.items()}


def run_async(calls: Calls, max_concurrency: int) -> dict[str, list[tuple[str, str, str, bytes]]]:
    captures = captures_for(calls.api_version)
    version = calls.api_version

    async def run() -> None:
        async with async_client(captures[SEND], version) as client:
            await client.send_email(**calls.send)
        async with async_client(captures[LEGACY_SEND], version) as client:
            await client.send_legacy_email(**calls.send)
        async with async_client(captures[CREATE_EMAILS], version) as client:
            await client.create_emails(
                calls.engagements, max_concurrency=max_concurrency, **chunk_kwargs(calls.chunk_size)
            )
        async with async_client(captures[ATTENDANCE], version) as client:
            await client.record_attendance(
                calls.event_id,
                calls.state,
                calls.attendees,
                max_concurrency=max_concurrency,
                **chunk_kwargs(calls.chunk_size),
            )
        async with async_client(captures[GET_STATUS], version) as client:
            await client.get_send_status(calls.status_id)

    with predictable_uuids():
        asyncio.run(run())
    for capture in captures.values():
        conforming_requests(capture)
    return {operation_id: _wire(capture) for operation_id, capture in captures.items()}


@fuzz_settings()
@given(
    send=send_kwargs(),
    engagements=engagement_batches(small_batch_sizes, templates=2),
    event_id=event_ids,
    state=st.sampled_from(STATES),
    attendees=attendance_batches(small_batch_sizes, templates=2),
    chunk_size=st.one_of(st.none(), st.integers(1, 8)),
    max_concurrency=st.integers(1, 4),
    api_version=api_versions,
    status_id=status_ids,
)
def test_async_client_sends_the_same_requests(
    send: dict[str, Any],
    engagements: list[dict[str, Any]],
    event_id: str,
    state: SubscriberState | str,
    attendees: list[dict[str, Any]],
    chunk_size: int | None,
    max_concurrency: int,
    api_version: str,
    status_id: str,
) -> None:
    calls = Calls(
        send=send,
        engagements=[email_engagement(**kwargs) for kwargs in engagements],
        event_id=event_id,
        state=state,
        attendees=[attendee(**kwargs) for kwargs in attendees],
        chunk_size=chunk_size,
        api_version=api_version,
        status_id=status_id,
    )
    assert run_async(calls, max_concurrency) == run_sync(calls)
