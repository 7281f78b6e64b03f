"""`nox -s bench`: ours against plain httpx, the generated functions and HubSpot's two SDKs. A benchmark,
never a test: nothing here asserts a speed.

    python scripts/bench.py [--quick] [--rounds N] [--clients httpx,ours,...] [--out PATH]

Everything talks to a loopback stub (`--stub`: this file, in its own process, bound to 127.0.0.1; it
exits when its parent closes its stdin, or after `--stub-lifetime` seconds). The stub is not the
simulator: it validates nothing and answers each operation with one fixed body shaped like the seed
pages' examples (`tests/recordings/*/seed-*.json`, `200-complete-sent.json`, `201-all-created.json`),
echoing only what a client pairs by (each input's objectWriteTraceId, each attendee's email). It answers
the numbered paths, the dated ones `hubspot-sdk` calls, and the v3 transactional send
`hubspot-api-client` calls.

1. Per call: v4 single send, v1 legacy send, batch create and attendance with 1 input, and both batches
   with 100 inputs, for each client that has the operation. Every call starts from the same plain
   Python values (new addresses on every call, as in a real workload: a cache of checked addresses
   would otherwise always hit) and includes building that client's request from them (hand-built JSON
   for httpx, `email_engagement`/`attendee` for ours, models for the generated functions and the
   classic SDK, TypedDicts for the Stainless SDK) and reading the answer as that client does. Rounds
   are interleaved: each round runs every client once on each call, in an order that rotates from round
   to round. The table gives medians and p10-p90; ratios are paired (computed within a round, then their
   median).
2. Import and construct: a fresh `python -c` per repetition imports each client, constructs it and
   reaches its single-send method; the child times this itself (the interpreter's own start-up is left
   out) and reports its peak RSS (VmHWM). `import httpx` alone is the baseline. Then the child makes
   its first v4 single send and times it too: a cold start (serverless) pays import, construction and
   that first call, which includes whatever a client imports on first use; plain httpx's three are the
   floor there. Children run with bytecode caches, as an installed wheel has them.
3. Async: `--async-sends` single sends (default 10,000) at concurrency 32 through our `AsyncClient`, a
   plain `httpx.AsyncClient` and `hubspot-sdk`'s `AsyncHubSpot`, each run in a fresh process, plus ours
   and plain httpx again with `sniffio` hidden as if not installed (hubspot-sdk brings it into this
   environment; hubspot-email alone does not).

Our client gets a rate limiter that never waits (`RateLimiter(10**9, 0.001, headroom=1.0)`: the stub
sends no rate-limit headers, so it keeps the budget it was given, and a window of a millisecond holds
only a few stamps): its bookkeeping is measured, not the budget. Results go to `--out` (default
bench-results.json) as JSON, and a Markdown summary is printed. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib.machinery
import importlib.metadata
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TOKEN = "bench-token"  # noqa: S105 (the stub accepts anything; not a secret)
EMAIL_ID = 162849583011
CONTACT_PROPERTIES = {"firstname": "Jordan", "last_paid_date": "2026-11-03"}
CUSTOM_PROPERTIES = {"amount": "$42.00", "items_html": "<ul><li>Widget x2</li><li>Gadget x1</li></ul>"}
EVENT_ID = "58237132332"
STATE = "attend"
CONTACT_ASSOCIATION = 198  # HUBSPOT_DEFINED email -> contact
AT = datetime(2026, 11, 14, 10, 59, 14, 600000, tzinfo=UTC)
BIG = 100
ASYNC_CONCURRENCY = 32

OPERATIONS = ("send", "legacy", "batch1", "attend1", "batch100", "attend100")
OPERATION_LABELS = {
    "send": "v4 single send",
    "legacy": "v1 legacy send",
    "batch1": "batch create x1",
    "attend1": "attendance x1",
    "batch100": f"batch create x{BIG}",
    "attend100": f"attendance x{BIG}",
}
# Calls timed together per sample (their mean): single calls are short, so a sample of several is
# steadier; a batch of 100 is long enough alone.
INNER = {"send": 5, "legacy": 5, "batch1": 5, "attend1": 5, "batch100": 1, "attend100": 1}
CLIENTS = ("httpx", "ours", "generated", "sdk12", "stainless")
CLIENT_LABELS = {
    "httpx": "plain httpx",
    "ours": "ours (hubspot_email.Client)",
    "generated": "generated functions",
    "sdk12": "hubspot-api-client 12.0.0",
    "stainless": "hubspot-sdk 0.1.0a9",
}
# Ratios: (numerator, denominator), each computed within a round.
RATIOS = (("ours", "httpx"), ("generated", "httpx"), ("sdk12", "ours"), ("stainless", "ours"))
# Calls made through an SDK's generic request method (neither SDK has the v1 send).
GENERIC = {("sdk12", "legacy"), ("stainless", "legacy")}


# --- the stub ---------------------------------------------------------------------------------------

_SEND_BODY = {
    "status": "COMPLETE",
    "statusId": "637d6efa-609e-467a-9a67-9f818a119b9e",
    "sendResult": "SENT",
    "eventId": {"id": "a78beb7e-0787-40de-af96-0063bc67ba94", "created": "2026-11-02T12:06:40.090Z"},
    "requestedAt": "2026-11-02T12:06:38.090Z",
    "startedAt": "2026-11-02T12:06:38.400Z",
    "completedAt": "2026-11-02T12:06:40.090Z",
}
_LEGACY_BODY = {
    "sendResult": "SENT",
    "message": "The email was sent successfully.",
    "eventId": {"id": "14bf4591-9db5-431b-88e6-c223c176c6e2", "created": 1794111452839},
}
_STAMP = "2026-11-14T11:02:14.600Z"
_BATCH_TIMES = {"requestedAt": "2026-11-14T11:02:14.560Z", "startedAt": _STAMP, "completedAt": _STAMP}

_SEND_PATH = re.compile(
    r"/marketing/v4/email/single-send|/marketing/email-campaigns/\d{4}-\d{2}/single-send"
    r"|/marketing/v3/transactional/single-email/send|/marketing/transactional/\d{4}-\d{2}/single-email/send"
)
_LEGACY_PATH = re.compile(r"/email/public/v1/singleEmail/send")
_BATCH_PATH = re.compile(r"/crm/v3/objects/emails/batch/create|/crm/objects/\d{4}-\d{2}/emails/batch/create")
_ATTEND_PATH = re.compile(
    r"/marketing/v3/marketing-events/[^/]+/attendance/[^/]+/email-create"
    r"|/marketing/marketing-events/\d{4}-\d{2}/[^/]+/attendance/[^/]+/email-create"
)


# Each input's key, as the raw JSON string it was sent as (echoed verbatim, so no decoding is needed).
_JSON_STRING = rb'("[^"\\]*(?:\\.[^"\\]*)*")'
_TRACE_ID = re.compile(rb'"objectWriteTraceId"\s*:\s*' + _JSON_STRING)
_EMAIL = re.compile(rb'"email"\s*:\s*' + _JSON_STRING)


def _created(index: int) -> tuple[bytes, bytes]:
    """The bytes of the `index`th created engagement around its echoed trace id (201-all-created's shape)."""
    record_id = str(70110231 + index)
    record = {
        "id": record_id,
        "properties": {
            "hs_createdate": _STAMP,
            "hs_lastmodifieddate": _STAMP,
            "hs_object_id": record_id,
            "hs_timestamp": str(1794653954600 + index * 60_000),
            "hs_email_direction": "EMAIL",
            "hs_email_status": "SENT",
            "hs_email_subject": f"Receipt INV-{index:05d}",
        },
        "createdAt": _STAMP,
        "updatedAt": _STAMP,
        "archived": False,
        "objectWriteTraceId": None,
    }
    before, after = json.dumps(record).split("null")
    return before.encode(), after.encode()


def _joined(pieces: list[bytes]) -> bytes:
    return b'{"status":"COMPLETE","results":[' + b",".join(pieces) + b"]," + _BATCH_TAIL


_CREATED = [_created(index) for index in range(BIG)]
_BATCH_TAIL = json.dumps(_BATCH_TIMES).encode()[1:]


def stub_answer(method: str, path: str, body: bytes) -> tuple[int, bytes]:
    """The stub's answer to one request: a status and a JSON body. Fixed bodies; a batch's records are
    fixed too but for the key each echoes, found in the request by pattern (the stub serves only this
    harness's requests: a key inside a property value would fool it, none of them sends one)."""
    path = path.split("?", 1)[0]
    if method != "POST":
        return 405, b'{"status":"error","message":"method not allowed","category":"METHOD_NOT_ALLOWED"}'
    if _SEND_PATH.fullmatch(path):
        return 200, _SEND_FIXED
    if _LEGACY_PATH.fullmatch(path):
        return 200, _LEGACY_FIXED
    if _BATCH_PATH.fullmatch(path):
        traces = _TRACE_ID.findall(body)
        while len(_CREATED) < len(traces):
            _CREATED.append(_created(len(_CREATED)))
        return 201, _joined([_CREATED[i][0] + trace + _CREATED[i][1] for i, trace in enumerate(traces)])
    if _ATTEND_PATH.fullmatch(path):
        emails = _EMAIL.findall(body)
        return 200, _joined([b'{"email":%s,"vid":%d}' % (email, 90501 + i) for i, email in enumerate(emails)])
    return 404, b'{"status":"error","message":"no such path","category":"OBJECT_NOT_FOUND"}'


_SEND_FIXED = json.dumps(_SEND_BODY).encode()
_LEGACY_FIXED = json.dumps(_LEGACY_BODY).encode()
_REASONS = {200: b"OK", 201: b"Created", 400: b"Bad Request", 404: b"Not Found", 405: b"Method Not Allowed"}


class _StubProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, Content-Length bodies only (every client here sends them)."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while self._transport is not None:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            length, close, chunked = 0, False, False
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection":
                    close = value == "close"
                elif name == "transfer-encoding":
                    chunked = True
            if chunked:  # not needed by any client here: refuse and hang up
                self._write(411, b'{"message":"Content-Length required"}', close=True)
                return
            if len(self._buffer) < end + 4 + length:
                return
            body = bytes(self._buffer[end + 4 : end + 4 + length])
            del self._buffer[: end + 4 + length]
            status, payload = stub_answer(method, target, body)
            self._write(status, payload, close=close)

    def _write(self, status: int, payload: bytes, *, close: bool) -> None:
        assert self._transport is not None
        head = (
            b"HTTP/1.1 %d %s\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: %d\r\n"
            b"x-hubspot-correlation-id: 6cace4d5-19d5-4695-92e7-4f7bfab36728\r\n"
        ) % (status, _REASONS.get(status, b"Error"), len(payload))
        if close:
            head += b"connection: close\r\n"
        self._transport.write(head + b"\r\n" + payload)
        if close:
            self._transport.close()
            self._transport = None


def serve_stub(lifetime: float) -> None:
    """Serve until stdin closes (the parent is done or gone) or `lifetime` seconds have passed."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        server = await loop.create_server(_StubProtocol, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        print(f"stub listening on http://127.0.0.1:{port}", flush=True)

        def watch_stdin() -> None:
            sys.stdin.buffer.read()
            loop.call_soon_threadsafe(done.set)

        threading.Thread(target=watch_stdin, daemon=True).start()
        loop.call_later(lifetime, done.set)
        async with server:
            await done.wait()

    asyncio.run(main())


@contextlib.contextmanager
def stub(lifetime: float = 3600.0) -> Iterator[str]:
    """The stub in its own process (so that it does not share this one's GIL); yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--stub", "--stub-lifetime", str(lifetime)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        if match is None:
            raise RuntimeError(f"the stub did not start (exit {process.poll()}, said {line!r})")
        yield match.group(0)
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


# --- workloads: the same plain values for every client --------------------------------------------


def engagement_rows(count: int) -> list[tuple[datetime, str, str]]:
    """(timestamp, subject, contact id) of each engagement logged."""
    return [
        (AT + timedelta(minutes=index), f"Receipt INV-{index:05d}", str(90417 + index))
        for index in range(count)
    ]


_MOMENTS = [AT + timedelta(minutes=index) for index in range(BIG)]


def recipient(call: int) -> str:
    """A new address on every call, as a real workload has: a cache of checked addresses never hits."""
    return f"reader{call}@example.com"


def attendee_rows(count: int, call: int) -> list[tuple[str, datetime]]:
    """(email, interaction time) of each attendee: new addresses on every call, as for `recipient`."""
    return [(f"attendee{call}.{index}@example.com", _MOMENTS[index]) for index in range(count)]


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def engagement_json(rows: Sequence[tuple[datetime, str, str]], call: int) -> list[dict[str, Any]]:
    """The batch-create inputs as HubSpot's JSON (trace ids made by the caller, as ours makes them)."""
    return [
        {
            "properties": {
                "hs_timestamp": str(epoch_ms(moment)),
                "hs_email_subject": subject,
                "hs_email_status": "SENT",
                "hs_email_direction": "EMAIL",
            },
            "associations": [
                {
                    "to": {"id": contact},
                    "types": [
                        {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": CONTACT_ASSOCIATION}
                    ],
                }
            ],
            "objectWriteTraceId": f"{call}-{index}",
        }
        for index, (moment, subject, contact) in enumerate(rows)
    ]


def attendee_json(rows: Sequence[tuple[str, datetime]]) -> list[dict[str, Any]]:
    return [
        {"email": email, "interactionDateTime": epoch_ms(moment), "properties": {}, "contactProperties": {}}
        for email, moment in rows
    ]


def name_values(properties: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in properties.items()]


# --- the clients --------------------------------------------------------------------------------------

Call = Callable[[int], object]


@dataclass
class Driver:
    """One client, constructed: a callable per operation it has (given a call number), a check of what a
    call returned (run on the warm-up calls only), and how to close it."""

    calls: dict[str, Call]
    check: Callable[[str, object], None]
    close: Callable[[], None]


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise RuntimeError(f"unexpected answer: {what}")


def httpx_driver(url: str) -> Driver:
    """The floor: an httpx.Client, hand-built JSON, `response.json()`."""
    import httpx

    http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"})

    def post(path: str, body: dict[str, Any]) -> object:
        response = http.post(path, json=body)
        response.raise_for_status()
        return response.json()

    def send(call: int) -> object:
        message = {"to": recipient(call), "sendId": f"bench-{call}"}
        return post(
            "/marketing/v4/email/single-send",
            {
                "emailId": EMAIL_ID,
                "message": message,
                "contactProperties": CONTACT_PROPERTIES,
                "customProperties": CUSTOM_PROPERTIES,
            },
        )

    def legacy(call: int) -> object:
        return post(
            "/email/public/v1/singleEmail/send",
            {
                "emailId": EMAIL_ID,
                "message": {"to": recipient(call), "sendId": f"bench-{call}"},
                "contactProperties": name_values(CONTACT_PROPERTIES),
                "customProperties": name_values(CUSTOM_PROPERTIES),
            },
        )

    def batch(count: int) -> Call:
        rows = engagement_rows(count)
        path = "/crm/v3/objects/emails/batch/create"
        return lambda call: post(path, {"inputs": engagement_json(rows, call)})

    def attend(count: int) -> Call:
        path = f"/marketing/v3/marketing-events/{EVENT_ID}/attendance/{STATE}/email-create"
        return lambda call: post(path, {"inputs": attendee_json(attendee_rows(count, call))})

    def check(operation: str, value: object) -> None:
        _expect(isinstance(value, dict), f"httpx {operation}: {value!r}")
        assert isinstance(value, dict)
        if operation in ("send", "legacy"):
            _expect(value.get("sendResult") == "SENT", f"httpx {operation}: {value!r}")
        else:
            _expect(len(value["results"]) == _size(operation), f"httpx {operation}: {len(value['results'])}")

    calls = {"send": send, "legacy": legacy, "batch1": batch(1), "attend1": attend(1)}
    calls |= {"batch100": batch(BIG), "attend100": attend(BIG)}
    return Driver(calls, check, http.close)


def ours_driver(url: str) -> Driver:
    from hubspot_email import BatchResult, Client, RateLimiter, SingleSendResult, attendee, email_engagement

    client = Client(TOKEN, base_url=url, rate_limiter=RateLimiter(10**9, 0.001, headroom=1.0))

    def send(call: int) -> object:
        return client.send_email(
            email_id=EMAIL_ID,
            to=recipient(call),
            send_id=f"bench-{call}",
            contact_properties=CONTACT_PROPERTIES,
            custom_properties=CUSTOM_PROPERTIES,
        )

    def legacy(call: int) -> object:
        return client.send_legacy_email(
            email_id=EMAIL_ID,
            to=recipient(call),
            send_id=f"bench-{call}",
            contact_properties=CONTACT_PROPERTIES,
            custom_properties=CUSTOM_PROPERTIES,
        )

    def batch(count: int) -> Call:
        rows = engagement_rows(count)
        return lambda call: client.create_emails(
            email_engagement(timestamp=moment, subject=subject, status="SENT", contact_ids=[contact])
            for moment, subject, contact in rows
        )

    def attend(count: int) -> Call:
        return lambda call: client.record_attendance(
            EVENT_ID,
            STATE,
            [attendee(email=email, at=moment) for email, moment in attendee_rows(count, call)],
        )

    def check(operation: str, value: object) -> None:
        if operation in ("send", "legacy"):
            _expect(isinstance(value, SingleSendResult) and value.ok, f"ours {operation}: {value!r}")
        else:
            _expect(isinstance(value, BatchResult), f"ours {operation}: {value!r}")
            assert isinstance(value, BatchResult)
            states = [outcome.state for outcome in value.outcomes]
            _expect(states == ["created"] * _size(operation), f"ours {operation}: {states}")

    calls = {"send": send, "legacy": legacy, "batch1": batch(1), "attend1": attend(1)}
    calls |= {"batch100": batch(BIG), "attend100": attend(BIG)}
    return Driver(calls, check, client.close)


def generated_driver(url: str) -> Driver:
    """The generated functions (`sync_detailed`) with an `AuthenticatedClient`, building the models."""
    from hubspot_email_api import AuthenticatedClient
    from hubspot_email_api.api.crm_emails import batch_create_emails
    from hubspot_email_api.api.legacy_single_send import send_legacy_single_email
    from hubspot_email_api.api.marketing_events import record_attendance_by_email
    from hubspot_email_api.api.single_send import send_single_email
    from hubspot_email_api.models import (
        AssociationCategory,
        AssociationForCreate,
        AssociationSpec,
        AttendanceByEmailRequest,
        AttendeeByEmail,
        AttendeeByEmailContactProperties,
        AttendeeByEmailProperties,
        BatchCreateEmailsRequest,
        BatchResponseSimplePublicObject,
        BatchResponseSubscriberEmail,
        EmailCreateInput,
        EmailCreateInputProperties,
        EmailSendStatusView,
        LegacyMessage,
        LegacySendResponse,
        LegacySingleSendRequest,
        NameValuePair,
        PublicObjectId,
        SingleSendMessage,
        SingleSendRequest,
        SingleSendRequestContactProperties,
        SingleSendRequestCustomProperties,
        SubscriberState,
    )
    from hubspot_email_api.types import Response

    client = AuthenticatedClient(base_url=url, token=TOKEN)

    def send(call: int) -> object:
        body = SingleSendRequest(
            email_id=EMAIL_ID,
            message=SingleSendMessage(to=recipient(call), send_id=f"bench-{call}"),
            contact_properties=SingleSendRequestContactProperties.from_dict(CONTACT_PROPERTIES),
            custom_properties=SingleSendRequestCustomProperties.from_dict(CUSTOM_PROPERTIES),
        )
        return send_single_email.sync_detailed(client=client, body=body)

    def legacy(call: int) -> object:
        body = LegacySingleSendRequest(
            email_id=EMAIL_ID,
            message=LegacyMessage(to=recipient(call), send_id=f"bench-{call}"),
            contact_properties=[NameValuePair(name=n, value=v) for n, v in CONTACT_PROPERTIES.items()],
            custom_properties=[NameValuePair(name=n, value=v) for n, v in CUSTOM_PROPERTIES.items()],
        )
        return send_legacy_single_email.sync_detailed(client=client, body=body)

    def batch(count: int) -> Call:
        rows = engagement_rows(count)

        def create(call: int) -> object:
            inputs = [
                EmailCreateInput(
                    properties=EmailCreateInputProperties.from_dict(
                        {
                            "hs_timestamp": str(epoch_ms(moment)),
                            "hs_email_subject": subject,
                            "hs_email_status": "SENT",
                            "hs_email_direction": "EMAIL",
                        }
                    ),
                    associations=[
                        AssociationForCreate(
                            to=PublicObjectId(id=contact),
                            types=[
                                AssociationSpec(
                                    association_category=AssociationCategory.HUBSPOT_DEFINED,
                                    association_type_id=CONTACT_ASSOCIATION,
                                )
                            ],
                        )
                    ],
                    object_write_trace_id=f"{call}-{index}",
                )
                for index, (moment, subject, contact) in enumerate(rows)
            ]
            return batch_create_emails.sync_detailed(
                client=client, body=BatchCreateEmailsRequest(inputs=inputs)
            )

        return create

    def attend(count: int) -> Call:
        def record(call: int) -> object:
            inputs = [
                AttendeeByEmail(
                    email=email,
                    interaction_date_time=epoch_ms(moment),
                    properties=AttendeeByEmailProperties(),
                    contact_properties=AttendeeByEmailContactProperties(),
                )
                for email, moment in attendee_rows(count, call)
            ]
            body = AttendanceByEmailRequest(inputs=inputs)
            return record_attendance_by_email.sync_detailed(
                EVENT_ID, SubscriberState(STATE), client=client, body=body
            )

        return record

    expected: dict[str, type] = {
        "send": EmailSendStatusView,
        "legacy": LegacySendResponse,
        "batch1": BatchResponseSimplePublicObject,
        "batch100": BatchResponseSimplePublicObject,
        "attend1": BatchResponseSubscriberEmail,
        "attend100": BatchResponseSubscriberEmail,
    }

    def check(operation: str, value: object) -> None:
        _expect(isinstance(value, Response), f"generated {operation}: {value!r}")
        assert isinstance(value, Response)
        parsed = value.parsed
        _expect(isinstance(parsed, expected[operation]), f"generated {operation}: {parsed!r}")

    calls = {"send": send, "legacy": legacy, "batch1": batch(1), "attend1": attend(1)}
    calls |= {"batch100": batch(BIG), "attend100": attend(BIG)}
    return Driver(calls, check, client.get_httpx_client().close)


def sdk12_driver(url: str) -> Driver:
    """HubSpot's classic SDK (hubspot-api-client 12.0.0, urllib3): its v3 transactional send for the
    single send, `api_request` (requests, a new connection per call) for v1, which it lacks."""
    from hubspot import HubSpot
    from hubspot.crm.objects.emails import (
        AssociationSpec,
        BatchInputSimplePublicObjectBatchInputForCreate,
        PublicAssociationsForObject,
        PublicObjectId,
        SimplePublicObjectBatchInputForCreate,
    )
    from hubspot.marketing.events import (
        BatchInputMarketingEventEmailSubscriber,
        MarketingEventEmailSubscriber,
    )
    from hubspot.marketing.transactional import PublicSingleSendEmail, PublicSingleSendRequestEgg

    # `host` for the generated APIs, `base_url` for `api_request`.
    hubspot = HubSpot(access_token=TOKEN, host=url, base_url=url)
    single_send = hubspot.marketing.transactional.single_send_api
    emails = hubspot.crm.objects.emails.batch_api
    attendance = hubspot.marketing.events.add_event_attendees_api

    def send(call: int) -> object:
        return single_send.send_email(
            PublicSingleSendRequestEgg(
                email_id=EMAIL_ID,
                message=PublicSingleSendEmail(to=recipient(call), send_id=f"bench-{call}"),
                contact_properties=CONTACT_PROPERTIES,
                custom_properties=CUSTOM_PROPERTIES,
            )
        )

    def legacy(call: int) -> object:
        response = hubspot.api_request(
            {
                "method": "POST",
                "path": "/email/public/v1/singleEmail/send",
                "body": {
                    "emailId": EMAIL_ID,
                    "message": {"to": recipient(call), "sendId": f"bench-{call}"},
                    "contactProperties": name_values(CONTACT_PROPERTIES),
                    "customProperties": name_values(CUSTOM_PROPERTIES),
                },
            }
        )
        response.raise_for_status()
        return response.json()

    def batch(count: int) -> Call:
        rows = engagement_rows(count)

        def create(call: int) -> object:
            inputs = [
                SimplePublicObjectBatchInputForCreate(
                    properties={
                        "hs_timestamp": str(epoch_ms(moment)),
                        "hs_email_subject": subject,
                        "hs_email_status": "SENT",
                        "hs_email_direction": "EMAIL",
                    },
                    associations=[
                        PublicAssociationsForObject(
                            to=PublicObjectId(id=contact),
                            types=[
                                AssociationSpec(
                                    association_category="HUBSPOT_DEFINED",
                                    association_type_id=CONTACT_ASSOCIATION,
                                )
                            ],
                        )
                    ],
                    object_write_trace_id=f"{call}-{index}",
                )
                for index, (moment, subject, contact) in enumerate(rows)
            ]
            return emails.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs))

        return create

    def attend(count: int) -> Call:
        def record(call: int) -> object:
            inputs = [
                MarketingEventEmailSubscriber(
                    email=email, interaction_date_time=epoch_ms(moment), properties={}, contact_properties={}
                )
                for email, moment in attendee_rows(count, call)
            ]
            return attendance.record_by_email(
                EVENT_ID, STATE, BatchInputMarketingEventEmailSubscriber(inputs=inputs)
            )

        return record

    def check(operation: str, value: object) -> None:
        if operation in ("send", "legacy"):
            result = (
                value.get("sendResult") if isinstance(value, dict) else getattr(value, "send_result", None)
            )
            _expect(result == "SENT", f"sdk12 {operation}: {value!r}")
        else:
            results = getattr(value, "results", None)
            _expect(isinstance(results, list) and len(results) == _size(operation), f"sdk12 {operation}")

    calls = {"send": send, "legacy": legacy, "batch1": batch(1), "attend1": attend(1)}
    calls |= {"batch100": batch(BIG), "attend100": attend(BIG)}
    return Driver(calls, check, lambda: None)


def stainless_driver(url: str) -> Driver:
    """HubSpot's Stainless-generated SDK (hubspot-sdk 0.1.0a9, httpx + pydantic): the dated paths;
    its generic `post` for v1, which it lacks."""
    from hubspot_sdk import HubSpot

    client = HubSpot(access_token=TOKEN, base_url=url)
    single_send = client.marketing.single_send
    emails = client.crm.objects.emails.batch
    attendance = client.marketing.marketing_events.attendance

    def send(call: int) -> object:
        # cc, bcc and reply_to are required by its types (PublicSingleSendEmailParam).
        return single_send.create(
            email_id=EMAIL_ID,
            message={"to": recipient(call), "send_id": f"bench-{call}", "cc": [], "bcc": [], "reply_to": []},
            contact_properties=CONTACT_PROPERTIES,
            custom_properties=CUSTOM_PROPERTIES,
        )

    def legacy(call: int) -> object:
        body = {
            "emailId": EMAIL_ID,
            "message": {"to": recipient(call), "sendId": f"bench-{call}"},
            "contactProperties": name_values(CONTACT_PROPERTIES),
            "customProperties": name_values(CUSTOM_PROPERTIES),
        }
        return client.post("/email/public/v1/singleEmail/send", body=body, cast_to=object)

    def batch(count: int) -> Call:
        rows = engagement_rows(count)

        def create(call: int) -> object:
            inputs = [
                {
                    "properties": {
                        "hs_timestamp": str(epoch_ms(moment)),
                        "hs_email_subject": subject,
                        "hs_email_status": "SENT",
                        "hs_email_direction": "EMAIL",
                    },
                    "associations": [
                        {
                            "to": {"id": contact},
                            "types": [
                                {
                                    "association_category": "HUBSPOT_DEFINED",
                                    "association_type_id": CONTACT_ASSOCIATION,
                                }
                            ],
                        }
                    ],
                    "object_write_trace_id": f"{call}-{index}",
                }
                for index, (moment, subject, contact) in enumerate(rows)
            ]
            return emails.create(inputs=inputs)

        return create

    def attend(count: int) -> Call:
        def record(call: int) -> object:
            inputs = [
                {
                    "email": email,
                    "interaction_date_time": epoch_ms(moment),
                    "properties": {},
                    "contact_properties": {},
                }
                for email, moment in attendee_rows(count, call)
            ]
            return attendance.create_by_event_id_and_email(STATE, object_id=EVENT_ID, inputs=inputs)

        return record

    def check(operation: str, value: object) -> None:
        if operation in ("send", "legacy"):
            result = (
                value.get("sendResult") if isinstance(value, dict) else getattr(value, "send_result", None)
            )
            _expect(result == "SENT", f"stainless {operation}: {value!r}")
        else:
            results = getattr(value, "results", None)
            _expect(isinstance(results, list) and len(results) == _size(operation), f"stainless {operation}")

    calls = {"send": send, "legacy": legacy, "batch1": batch(1), "attend1": attend(1)}
    calls |= {"batch100": batch(BIG), "attend100": attend(BIG)}
    return Driver(calls, check, client.close)


DRIVERS: dict[str, Callable[[str], Driver]] = {
    "httpx": httpx_driver,
    "ours": ours_driver,
    "generated": generated_driver,
    "sdk12": sdk12_driver,
    "stainless": stainless_driver,
}


def _size(operation: str) -> int:
    return BIG if operation.endswith(str(BIG)) else 1


# --- 1. per call ------------------------------------------------------------------------------------


def rotated(items: Sequence[str], by: int) -> list[str]:
    shift = by % len(items) if items else 0
    return [*items[shift:], *items[:shift]]


def per_call(url: str, clients: Sequence[str], rounds: int, warmup: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per call, one sample per round: {operation: {client: [sample per round]}}."""
    drivers = {name: DRIVERS[name](url) for name in clients}
    samples: dict[str, dict[str, list[float]]] = {op: {name: [] for name in clients} for op in OPERATIONS}
    call = 0
    try:
        for driver in drivers.values():  # every answer is what it should be, before anything is timed
            for operation, function in driver.calls.items():
                driver.check(operation, function(call))
                call += 1
        for round_number in range(warmup + rounds):
            gc.collect()
            for operation in OPERATIONS:
                for name in rotated(clients, round_number):
                    function = drivers[name].calls[operation]
                    inner = INNER[operation]
                    start = time.perf_counter()
                    for _ in range(inner):
                        function(call)
                        call += 1
                    elapsed = (time.perf_counter() - start) / inner
                    if round_number >= warmup:
                        samples[operation][name].append(elapsed)
    finally:
        for driver in drivers.values():
            driver.close()
    return samples


# --- 2. import and construct ----------------------------------------------------------------------

# What each fresh process does: import, construct, and reach the single-send method. "{url}" is the stub.
IMPORTS: dict[str, str] = {
    "interpreter": "pass",
    "import httpx": "import httpx",
    "httpx": "import httpx\nhttp = httpx.Client()",
    "ours": (
        "from hubspot_email import Client\n"
        "client = Client('bench-token', base_url='{url}')\n"
        "client.send_email"
    ),
    "generated": (
        "from hubspot_email_api import AuthenticatedClient\n"
        "from hubspot_email_api.api.single_send import send_single_email\n"
        "from hubspot_email_api.models import SingleSendMessage, SingleSendRequest\n"
        "client = AuthenticatedClient(base_url='{url}', token='bench-token')\n"
        "client.get_httpx_client()"
    ),
    "sdk12": (
        "from hubspot import HubSpot\n"
        "from hubspot.marketing.transactional import PublicSingleSendEmail, PublicSingleSendRequestEgg\n"
        "api = HubSpot(access_token='bench-token', host='{url}').marketing.transactional.single_send_api\n"
        "api.send_email"
    ),
    "stainless": (
        "from hubspot_sdk import HubSpot\n"
        "client = HubSpot(access_token='bench-token', base_url='{url}')\n"
        "client.marketing.single_send.create"
    ),
}
# Then, in the same process, the first v4 single send (its own time: what a cold start pays on top of
# import and construct, e.g. modules a client imports on first use). The same request for each client.
_COLD_TO, _COLD_SEND_ID = "cold@example.com", "cold-1"
FIRST_SENDS: dict[str, str] = {
    "httpx": (
        "http.post('{url}/marketing/v4/email/single-send', headers={'Authorization': 'Bearer bench-token'}, "
        f"json={{'emailId': {EMAIL_ID}, 'message': {{'to': '{_COLD_TO}', 'sendId': '{_COLD_SEND_ID}'}}}})"
        ".json()"
    ),
    "ours": f"client.send_email(email_id={EMAIL_ID}, to='{_COLD_TO}', send_id='{_COLD_SEND_ID}')",
    "generated": (
        "send_single_email.sync_detailed(client=client, body=SingleSendRequest("
        f"email_id={EMAIL_ID}, message=SingleSendMessage(to='{_COLD_TO}', send_id='{_COLD_SEND_ID}')))"
    ),
    "sdk12": (
        f"api.send_email(PublicSingleSendRequestEgg(email_id={EMAIL_ID}, "
        f"message=PublicSingleSendEmail(to='{_COLD_TO}', send_id='{_COLD_SEND_ID}')))"
    ),
    "stainless": (
        f"client.marketing.single_send.create(email_id={EMAIL_ID}, message={{'to': '{_COLD_TO}', "
        f"'send_id': '{_COLD_SEND_ID}', 'cc': [], 'bcc': [], 'reply_to': []}}, "
        "contact_properties={}, custom_properties={})"  # required by its types
    ),
}
IMPORT_LABELS = {name: CLIENT_LABELS[name] for name in CLIENTS} | {
    "interpreter": "python -c pass (the interpreter alone)",
    "import httpx": "import httpx (the baseline)",
    "httpx": "import httpx; httpx.Client()",
}

_CHILD = """\
import time as _time
_start = _time.perf_counter()
{body}
_seconds = _time.perf_counter() - _start
{first_send}
_first_send_seconds = _time.perf_counter() - _start - _seconds
import json as _json
with open("/proc/self/status") as _status:
    _kib = next(int(line.split()[1]) for line in _status if line.startswith("VmHWM:"))
print(_json.dumps({{"seconds": _seconds, "first_send_seconds": _first_send_seconds, "peak_rss_kib": _kib}}))
"""
# Children run with their bytecode cached, as an installed wheel has it (pip compiles it): a
# PYTHONDONTWRITEBYTECODE in the caller's environment would have every editable module compiled from
# source on every run. The warm-up run writes the caches.
_CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def measure_import(code: str, url: str, first_send: str = "") -> dict[str, float]:
    """One fresh process: the in-process seconds to import and construct, then those of `first_send`
    (0 without one), its peak RSS, and its wall time."""
    script = _CHILD.format(body=code.replace("{url}", url), first_send=first_send.replace("{url}", url))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=_CHILD_ENV
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"import-and-construct failed:\n{script}\n{done.stderr}")
    child = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "seconds": child["seconds"],
        "first_send_seconds": child["first_send_seconds"],
        "peak_rss_kib": child["peak_rss_kib"],
        "wall_seconds": wall,
    }


def imports(
    url: str, names: Sequence[str], repetitions: int, warmup: bool = True
) -> dict[str, list[dict[str, float]]]:
    """Each in a fresh process, `repetitions` times, interleaved and rotating; with `warmup`, a first run
    each (bytecode and page caches warmed) is not kept."""
    for name in names if warmup else ():
        measure_import(IMPORTS[name], url, FIRST_SENDS.get(name, ""))
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for repetition in range(repetitions):
        for name in rotated(names, repetition):
            runs[name].append(measure_import(IMPORTS[name], url, FIRST_SENDS.get(name, "")))
    return runs


# --- 3. async -----------------------------------------------------------------------------------------

ASYNC_CLIENTS = ("httpx", "ours", "stainless", "httpx-no-sniffio", "ours-no-sniffio")
ASYNC_LABELS = {
    "httpx": "plain httpx.AsyncClient",
    "ours": "ours (AsyncClient.send_email)",
    "stainless": "hubspot-sdk AsyncHubSpot",
    "httpx-no-sniffio": "plain httpx.AsyncClient, sniffio hidden",
    "ours-no-sniffio": "ours, sniffio hidden",
}
ASYNC_RATIOS = (("ours", "httpx"), ("stainless", "ours"), ("ours-no-sniffio", "httpx-no-sniffio"))


class _AbsentFinder:
    """Makes a module look not installed: each import searches sys.path as a missing module's would
    (a failed import is not cached, so a caller that retries it pays that every time), then fails."""

    def __init__(self, names: set[str]) -> None:
        self._names = names

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] in self._names:
            importlib.machinery.PathFinder.find_spec(f"_bench_absent_{name.replace('.', '_')}")
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def hide_modules(names: set[str]) -> None:
    for loaded in [key for key in sys.modules if key.partition(".")[0] in names]:
        del sys.modules[loaded]
    sys.meta_path.insert(0, _AbsentFinder(names))


async def _drive(send: Callable[[int], Any], sends: int, concurrency: int, first: int = 0) -> None:
    """`sends` calls, `concurrency` at a time (workers taking the next call number, from `first`)."""
    numbers = iter(range(first, first + sends))

    async def worker() -> None:
        for number in numbers:
            await send(number)

    async with asyncio.TaskGroup() as group:
        for _ in range(concurrency):
            group.create_task(worker())


async def async_run(client: str, url: str, sends: int, concurrency: int, warmup: int) -> dict[str, float]:
    """One run in this process: seconds for `sends` single sends, after `warmup` untimed ones."""
    closers: list[Callable[[], Any]] = []
    send: Callable[[int], Any]
    if client == "httpx":
        import httpx

        http = httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"})
        closers.append(http.aclose)

        async def plain(number: int) -> object:
            body = {
                "emailId": EMAIL_ID,
                "message": {"to": recipient(number), "sendId": f"bench-{number}"},
                "contactProperties": CONTACT_PROPERTIES,
                "customProperties": CUSTOM_PROPERTIES,
            }
            response = await http.post("/marketing/v4/email/single-send", json=body)
            response.raise_for_status()
            return response.json()

        send = plain
    elif client == "ours":
        from hubspot_email import AsyncClient

        ours = AsyncClient(TOKEN, base_url=url)
        closers.append(ours.aclose)

        async def typed(number: int) -> object:
            result = await ours.send_email(
                email_id=EMAIL_ID,
                to=recipient(number),
                send_id=f"bench-{number}",
                contact_properties=CONTACT_PROPERTIES,
                custom_properties=CUSTOM_PROPERTIES,
            )
            if not result.ok:
                raise RuntimeError(f"unexpected answer: {result!r}")
            return result

        send = typed
    elif client == "stainless":
        from hubspot_sdk import AsyncHubSpot

        stainless = AsyncHubSpot(access_token=TOKEN, base_url=url)
        closers.append(stainless.close)

        async def sdk(number: int) -> object:
            return await stainless.marketing.single_send.create(
                email_id=EMAIL_ID,
                message={
                    "to": recipient(number),
                    "send_id": f"bench-{number}",
                    "cc": [],
                    "bcc": [],
                    "reply_to": [],
                },
                contact_properties=CONTACT_PROPERTIES,
                custom_properties=CUSTOM_PROPERTIES,
            )

        send = sdk
    else:
        raise ValueError(f"unknown async client {client!r}")
    try:
        await _drive(send, warmup, concurrency)
        start = time.perf_counter()
        await _drive(send, sends, concurrency, first=warmup)
        seconds = time.perf_counter() - start
    finally:
        for close in closers:
            await close()
    return {"seconds": seconds, "sends": sends, "sends_per_second": sends / seconds}


def measure_async(client: str, url: str, sends: int, concurrency: int) -> dict[str, float]:
    """One run in a fresh process (`--async-run`), so that no run inherits another's state."""
    command = [sys.executable, str(Path(__file__).resolve()), "--async-run", client, "--url", url]
    command += ["--async-sends", str(sends), "--concurrency", str(concurrency)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"async run {client} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def async_runs(
    url: str, names: Sequence[str], sends: int, concurrency: int, rounds: int
) -> dict[str, list[dict[str, float]]]:
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for round_number in range(rounds):
        for name in rotated(names, round_number):
            runs[name].append(measure_async(name, url, sends, concurrency))
    return runs


# --- summary ------------------------------------------------------------------------------------------


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median, p10, p90, quartiles and count."""
    ordered = sorted(values)
    if len(ordered) == 1:
        only = ordered[0]
        return {"median": only, "p10": only, "p90": only, "q1": only, "q3": only, "n": 1}
    deciles = statistics.quantiles(ordered, n=10, method="inclusive")
    quartiles = statistics.quantiles(ordered, n=4, method="inclusive")
    return {
        "median": statistics.median(ordered),
        "p10": deciles[0],
        "p90": deciles[-1],
        "q1": quartiles[0],
        "q3": quartiles[-1],
        "n": len(ordered),
    }


def paired(numerators: Sequence[float], denominators: Sequence[float]) -> dict[str, float]:
    """The ratio within each round, then its spread across rounds."""
    return spread([top / bottom for top, bottom in zip(numerators, denominators, strict=True)])


def summarise(
    samples: dict[str, dict[str, list[float]]],
    import_runs: dict[str, list[dict[str, float]]],
    async_results: dict[str, list[dict[str, float]]],
) -> dict[str, Any]:
    calls: dict[str, Any] = {}
    for operation, by_client in samples.items():
        row: dict[str, Any] = {"label": OPERATION_LABELS[operation], "seconds": {}, "ratios": {}}
        for name, values in by_client.items():
            if values:
                row["seconds"][name] = spread(values)
        for top, bottom in RATIOS:
            if by_client.get(top) and by_client.get(bottom):
                row["ratios"][f"{top}/{bottom}"] = paired(by_client[top], by_client[bottom])
        calls[operation] = row
    imported: dict[str, Any] = {}
    for name, runs in import_runs.items():
        imported[name] = {
            "label": IMPORT_LABELS[name],
            "seconds": spread([run["seconds"] for run in runs]),
            "peak_rss_kib": spread([run["peak_rss_kib"] for run in runs]),
            "wall_seconds": spread([run["wall_seconds"] for run in runs]),
        }
        if name in FIRST_SENDS:
            cold = [run["seconds"] + run["first_send_seconds"] for run in runs]
            imported[name]["first_send_seconds"] = spread([run["first_send_seconds"] for run in runs])
            imported[name]["cold_start_seconds"] = spread(cold)
            if "httpx" in import_runs:  # plain httpx's import, Client() and first post: the floor
                floor = [run["seconds"] + run["first_send_seconds"] for run in import_runs["httpx"]]
                imported[name]["cold_start_vs_httpx"] = paired(cold, floor)
        if "import httpx" in import_runs:
            baseline = import_runs["import httpx"]
            imported[name]["seconds_vs_import_httpx"] = paired(
                [run["seconds"] for run in runs], [run["seconds"] for run in baseline]
            )
            imported[name]["rss_vs_import_httpx"] = paired(
                [run["peak_rss_kib"] for run in runs], [run["peak_rss_kib"] for run in baseline]
            )
    concurrent: dict[str, Any] = {"runs": {}, "ratios": {}}
    for name, runs in async_results.items():
        concurrent["runs"][name] = {
            "label": ASYNC_LABELS[name],
            "sends_per_second": spread([run["sends_per_second"] for run in runs]),
            "sends": runs[0]["sends"] if runs else 0,
        }
    for top, bottom in ASYNC_RATIOS:
        if async_results.get(top) and async_results.get(bottom):
            concurrent["ratios"][f"{top}/{bottom}"] = paired(
                [run["sends_per_second"] for run in async_results[top]],
                [run["sends_per_second"] for run in async_results[bottom]],
            )
    return {"calls": calls, "imports": imported, "async": concurrent}


def _micros(stats: dict[str, float]) -> str:
    return f"{stats['median'] * 1e6:,.0f} ({stats['p10'] * 1e6:,.0f}-{stats['p90'] * 1e6:,.0f})"


def _ratio(stats: dict[str, float] | None) -> str:
    if stats is None:
        return "n/a"
    return f"{stats['median']:.2f} ({stats['p10']:.2f}-{stats['p90']:.2f})"


def markdown(summary: dict[str, Any], meta: dict[str, Any]) -> str:
    calls, imported, concurrent = summary["calls"], summary["imports"], summary["async"]
    clients = [name for name in CLIENTS if any(name in row["seconds"] for row in calls.values())]
    lines = [
        f"Machine: {meta['machine']}; {meta['date']}; Python {meta['python']}; "
        f"{meta['rounds']} rounds after {meta['warmup']} warm-up.",
        "",
        "**Per call**, microseconds: median (p10-p90) over rounds; each call builds its request from the "
        "same plain values and reads the answer:",
        "",
        "| call | " + " | ".join(CLIENT_LABELS[name] for name in clients) + " |",
        "| --- |" + " --- |" * len(clients),
    ]
    for operation, row in calls.items():
        cells = []
        for name in clients:
            stats = row["seconds"].get(name)
            mark = " †" if (name, operation) in GENERIC else ""
            cells.append("n/a" if stats is None else _micros(stats) + mark)
        lines.append(f"| {row['label']} | " + " | ".join(cells) + " |")
    ratio_names = [f"{top}/{bottom}" for top, bottom in RATIOS if top in clients and bottom in clients]
    ratio_labels = {
        "ours/httpx": "ours / plain httpx",
        "generated/httpx": "generated / plain httpx",
        "sdk12/ours": "hubspot-api-client / ours",
        "stainless/ours": "hubspot-sdk / ours",
    }
    lines += [
        "",
        "**Paired ratios** (within each round, then the median; p10-p90); above 1: the first is slower:",
        "",
        "| call | " + " | ".join(ratio_labels[name] for name in ratio_names) + " |",
        "| --- |" + " --- |" * len(ratio_names),
    ]
    for operation, row in calls.items():
        cells = []
        for name in ratio_names:
            mark = " †" if (name.split("/")[0], operation) in GENERIC else ""
            stats = row["ratios"].get(name)
            cells.append(_ratio(stats) + (mark if stats is not None else ""))
        lines.append(f"| {row['label']} | " + " | ".join(cells) + " |")
    notes = []
    if "sdk12" in clients:
        notes.append(
            "hubspot-api-client has no v4 single send: its row is the v3 transactional send "
            "(`single_send_api.send_email`, the same request and answer)."
        )
    if "stainless" in clients:
        notes.append("hubspot-sdk calls the dated paths (`2026-03`); the others the numbered ones.")
    if any((name, "legacy") in GENERIC for name in clients):
        notes.append(
            "† neither SDK has the v1 send: hubspot-api-client's generic `api_request` (requests without a "
            "session: a new connection per call), hubspot-sdk's generic `client.post`."
        )
    if notes:
        lines += ["", *notes]
    if imported:
        lines += [
            "",
            f"**Import and construct**, a fresh process each (median of {meta['import_repetitions']}; "
            "interpreter start-up excluded from the time, included in the RSS; bytecode cached, as an "
            "installed wheel has it). Then, in the same process, the first v4 single send: a cold start "
            "pays all three (the peak RSS is after it):",
            "",
            "| what | ms | x import httpx | peak RSS MiB | x import httpx | then the first v4 send, ms "
            "| cold start (all three), ms | cold start x plain httpx |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, row in imported.items():
            seconds, rss = row["seconds"], row["peak_rss_kib"]
            timed = f"{seconds['median'] * 1e3:.1f} ({seconds['p10'] * 1e3:.1f}-{seconds['p90'] * 1e3:.1f})"
            if name == "interpreter":  # nothing to time: its row is there for the RSS
                timed, against = "-", "-"
            else:
                against = _ratio(row.get("seconds_vs_import_httpx"))
            first, cold = row.get("first_send_seconds"), row.get("cold_start_seconds")
            first_cell = "-" if first is None else f"{first['median'] * 1e3:.1f}"
            cold_cell = "-" if cold is None else f"{cold['median'] * 1e3:.1f}"
            cold_ratio = "-" if cold is None else _ratio(row.get("cold_start_vs_httpx"))
            lines.append(
                f"| {row['label']} | {timed} | {against} | {rss['median'] / 1024:.1f} | "
                f"{_ratio(row.get('rss_vs_import_httpx'))} | {first_cell} | {cold_cell} | {cold_ratio} |"
            )
    if concurrent["runs"]:
        sends = next(iter(concurrent["runs"].values()))["sends"]
        lines += [
            "",
            f"**Async**: {sends:,} single sends at concurrency {meta['concurrency']}, a fresh process per "
            f"run (median of {meta['async_rounds']}; sends/s, p10-p90):",
            "",
            "| client | sends/s |",
            "| --- | --- |",
        ]
        for row in concurrent["runs"].values():
            stats = row["sends_per_second"]
            lines.append(
                f"| {row['label']} | {stats['median']:,.0f} ({stats['p10']:,.0f}-{stats['p90']:,.0f}) |"
            )
        labels = {
            "ours/httpx": "ours / plain httpx.AsyncClient (throughput)",
            "stainless/ours": "hubspot-sdk / ours (throughput)",
            "ours-no-sniffio/httpx-no-sniffio": "ours / plain httpx.AsyncClient, sniffio hidden (throughput)",
        }
        for name, stats in concurrent["ratios"].items():
            lines.append(f"| {labels[name]} | {_ratio(stats)} |")
    return "\n".join(lines)


def machine() -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for package in (
        "hubspot-email",
        "httpx",
        "httpcore",
        "anyio",
        "sniffio",
        "hubspot-api-client",
        "hubspot-sdk",
    ):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = None
    return found


# --- main ---------------------------------------------------------------------------------------------


@dataclass
class Plan:
    clients: list[str]
    rounds: int
    warmup: int
    import_repetitions: int
    async_sends: int
    async_rounds: int
    concurrency: int = ASYNC_CONCURRENCY
    async_clients: list[str] = field(default_factory=list)
    import_warmup: bool = True


def run(plan: Plan, url: str, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Every part of the benchmark against the stub at `url`; the results as JSON-ready data."""
    progress(f"per call: {plan.rounds} rounds of {', '.join(plan.clients)}")
    samples = per_call(url, plan.clients, plan.rounds, plan.warmup)
    import_runs: dict[str, list[dict[str, float]]] = {}
    if plan.import_repetitions:
        progress(f"import and construct: {plan.import_repetitions} fresh processes each")
        names = ["interpreter", "import httpx", *plan.clients]
        import_runs = imports(url, names, plan.import_repetitions, plan.import_warmup)
    async_results = {}
    if plan.async_rounds and plan.async_clients:
        progress(
            f"async: {plan.async_sends} sends, {plan.async_rounds} rounds of {', '.join(plan.async_clients)}"
        )
        async_results = async_runs(
            url, plan.async_clients, plan.async_sends, plan.concurrency, plan.async_rounds
        )
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "python": platform.python_version(),
        "versions": versions(),
        "rounds": plan.rounds,
        "warmup": plan.warmup,
        "inner_calls_per_sample": INNER,
        "import_repetitions": plan.import_repetitions,
        "import_warmup": plan.import_warmup,
        "async_sends": plan.async_sends,
        "async_rounds": plan.async_rounds,
        "concurrency": plan.concurrency,
        "command": "python3 -m nox -s bench",
    }
    raw = {"calls": samples, "imports": import_runs, "async": async_results}
    return {"meta": meta, "summary": summarise(samples, import_runs, async_results), "raw": raw}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a few rounds and sends, for development")
    parser.add_argument("--rounds", type=int, help="timed rounds per call (default 200; --quick 10)")
    parser.add_argument(
        "--warmup", type=int, default=None, help="untimed rounds first (default 5; --quick 2)"
    )
    parser.add_argument("--imports", type=int, help="fresh processes per client (default 10; --quick 2)")
    parser.add_argument("--async-sends", type=int, help="sends per async run (default 10000; --quick 500)")
    parser.add_argument("--async-rounds", type=int, help="async runs per client (default 3; --quick 1)")
    parser.add_argument("--concurrency", type=int, default=ASYNC_CONCURRENCY)
    parser.add_argument("--clients", default=",".join(CLIENTS), help=f"a subset of {','.join(CLIENTS)}")
    parser.add_argument(
        "--async-clients", default=",".join(ASYNC_CLIENTS), help=f"a subset of {','.join(ASYNC_CLIENTS)}"
    )
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"))
    # Internal: the stub, and one async run, each in its own process.
    parser.add_argument("--stub", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stub-lifetime", type=float, default=3600.0, help=argparse.SUPPRESS)
    parser.add_argument("--async-run", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.stub:
        serve_stub(args.stub_lifetime)
        return 0
    if args.async_run:
        client = args.async_run
        if client.endswith("-no-sniffio"):
            hide_modules({"sniffio"})
            client = client.removesuffix("-no-sniffio")
        sends = args.async_sends or 10_000
        result = asyncio.run(async_run(client, args.url, sends, args.concurrency, warmup=min(500, sends)))
        print(json.dumps(result))
        return 0

    def pick(value: int | None, default: int, quick: int) -> int:
        return value if value is not None else (quick if args.quick else default)

    clients = [name for name in args.clients.split(",") if name]
    async_clients = [name for name in args.async_clients.split(",") if name]
    unknown = [name for name in clients if name not in CLIENTS]
    unknown += [name for name in async_clients if name not in ASYNC_CLIENTS]
    if unknown:
        parser.error(f"unknown clients: {', '.join(unknown)}")
    plan = Plan(
        clients=clients,
        rounds=pick(args.rounds, 200, 10),
        warmup=pick(args.warmup, 5, 2),
        import_repetitions=pick(args.imports, 10, 2),
        async_sends=pick(args.async_sends, 10_000, 500),
        async_rounds=pick(args.async_rounds, 3, 1),
        concurrency=args.concurrency,
        async_clients=async_clients,
    )
    with stub() as url:
        results = run(plan, url, progress=lambda message: print(message, file=sys.stderr, flush=True))
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results["summary"], results["meta"]))
    print(f"\n(written to {args.out})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
