"""The access token goes over the wire and nowhere else.

Every scenario (HubSpot's error answers, an HTML 502, timeouts, refused and dropped connections, a body
mislabelled gzip, an exception no one expected, a success) is run through three kinds of transport:
`httpx.MockTransport`, the real httpx/httpcore/h11 stack over a scripted network backend (so httpcore's
own frames, which hold the raw header bytes, are on the stack when it fails), and the simulator. After
each run, the secret part of the token must be in no traceback captured with locals, no pickle, no
repr, no log record and no request the caller can reach; and it must have been on the wire (so the
test can fail).
"""

from __future__ import annotations

import asyncio
import copy
import http
import json
import logging
import pickle
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx
import pytest
from hubspot_email import (
    AsyncClient,
    BatchResult,
    Client,
    HubSpotError,
    InvalidInputError,
    SendStatus,
    SingleSendResult,
    attendee,
    email_engagement,
)
from hubspot_email._http import REDACTED, BearerAuth
from hubspot_email.testing import Faults, RateLimit, Simulator
from hubspot_email.testing._simulator import ALL_SCOPES
from hubspot_email.testing._wire import SimAnswer, SimRequest

TOKEN = "pat-na1-SECRET-4f1d9c"
SECRET = "SECRET-4f1d9c"  # what must never show: the token's own part, not the well-known prefix
SECRET_BYTES = SECRET.encode()
BASE_URL = "https://api.test.example"
WHEN = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
STAMP = "2026-11-23T10:00:00Z"
EVENT_ID = "58237132332"
LOGGERS = ("", "hubspot_email", "httpx", "httpcore")

SCENARIOS = (
    "401",
    "403",
    "400",
    "429",
    "500",
    "html-502",
    "read-timeout",
    "connect-error",
    "reset",
    "bad-gzip",
    "unexpected",
    "unexpected-quoting-the-header",
    "success",
)
OPERATIONS = ("send_email", "create_emails", "record_attendance", "get_send_status")
# The calls that return one result, and raise when the answer is not a success.
SINGLE_CALLS = ("send_email", "get_send_status")
KINDS = ("sync", "async")
# Scenarios the simulator can play (it validates what it is sent, so it never answers 400 to this
# client; single sends are exempt from its rate limit; it has no connection to refuse), plus its own.
SIMULATED = ("401", "403", "429", "500", "read-timeout", "reset", "bad-gzip", "malformed", "success")
# Where the token never reached the wire: no connection was made.
NOTHING_SENT = {("wire", "connect-error")}


# ---------------------------------------------------------------------------- what the server says
@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    content: bytes


class Wire:
    """The Authorization headers that went over the wire, as copies. Its repr shows none of them: it is
    a local of the frames whose variables the checks below capture."""

    def __init__(self) -> None:
        self._seen: list[str | None] = []

    def record(self, authorization: str | None) -> None:
        self._seen.append(authorization)

    @property
    def seen(self) -> list[str | None]:
        return list(self._seen)

    def __repr__(self) -> str:
        return f"Wire({len(self._seen)} requests)"


def _json_reply(status: int, body: Any, **headers: str) -> Reply:
    return Reply(
        status, {"content-type": "application/json;charset=utf-8", **headers}, json.dumps(body).encode()
    )


def _error_reply(status: int, category: str, message: str, **extra: Any) -> Reply:
    body = {"status": "error", "message": message, "correlationId": "c-0001", "category": category, **extra}
    return _json_reply(status, body, **{"x-hubspot-correlation-id": "c-0001"})


def _success_reply(body: dict[str, Any]) -> Reply:
    if "message" in body or not body:  # a single send, or the status lookup (a GET: no body)
        return _json_reply(
            200,
            {
                "status": "COMPLETE",
                "statusId": "st-1",
                "sendResult": "SENT",
                "requestedAt": STAMP,
                "startedAt": STAMP,
                "completedAt": STAMP,
                "eventId": {"id": "ev-1", "created": STAMP},
            },
        )
    inputs = body["inputs"]
    if inputs and "objectWriteTraceId" in inputs[0]:
        results = [
            {
                "id": str(70_000_000_001 + index),
                "properties": {},
                "createdAt": STAMP,
                "updatedAt": STAMP,
                "archived": False,
                "objectWriteTraceId": item["objectWriteTraceId"],
            }
            for index, item in enumerate(inputs)
        ]
        return _json_reply(
            201, {"status": "COMPLETE", "results": results, "startedAt": STAMP, "completedAt": STAMP}
        )
    results = [{"email": item["email"], "vid": 1001 + index} for index, item in enumerate(inputs)]
    return _json_reply(
        200, {"status": "COMPLETE", "results": results, "startedAt": STAMP, "completedAt": STAMP}
    )


def reply_for(scenario: str, content: bytes) -> Reply | str:
    """The answer to one request, or the name of the transport failure that replaces it."""
    if scenario == "401":
        return _error_reply(401, "INVALID_AUTHENTICATION", "Authentication credentials are not valid.")
    if scenario == "403":
        return _error_reply(
            403,
            "MISSING_SCOPES",
            "This app hasn't been granted all required scopes to make this call.",
            context={"missingScopes": ["transactional-email"]},
        )
    if scenario == "400":
        return _error_reply(400, "VALIDATION_ERROR", "Invalid input JSON")
    if scenario == "429":
        body = {"status": "error", "message": "You have reached your daily limit.", "policyName": "DAILY"}
        return _json_reply(429, body, **{"retry-after": "1"})
    if scenario == "500":
        return _error_reply(500, "INTERNAL_ERROR", "Internal error.")
    if scenario == "html-502":
        page = (
            b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
        )
        return Reply(502, {"content-type": "text/html"}, page)
    if scenario == "bad-gzip":
        good = _success_reply(json.loads(content or b"{}"))
        return Reply(good.status, {**good.headers, "content-encoding": "gzip"}, good.content)
    if scenario == "success":
        return _success_reply(json.loads(content or b"{}"))
    return scenario


def _unexpected(scenario: str, authorization: str | None) -> Exception:
    # The frame that raises this holds the token in a local, as any transport's frames may.
    if scenario == "unexpected-quoting-the-header":
        return RuntimeError(f"the proxy refused the request with Authorization: {authorization}")
    return RuntimeError("the transport broke")


# ---------------------------------------------------------------------------- three transports
def mock_transport(scenario: str, wire: Wire) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        authorization = request.headers.get("Authorization")
        wire.record(authorization)
        reply = reply_for(scenario, request.content)
        if reply == "read-timeout":
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        if reply == "connect-error":
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if reply == "reset":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if isinstance(reply, str):
            raise _unexpected(reply, authorization)
        # A stream, as off a socket: httpx decodes it (or fails to) when the client reads it.
        return httpx.Response(reply.status, headers=reply.headers, stream=httpx.ByteStream(reply.content))

    return httpx.MockTransport(handle)


def _http_bytes(reply: Reply) -> bytes:
    try:
        phrase = http.HTTPStatus(reply.status).phrase
    except ValueError:
        phrase = "Unknown"
    lines = [f"HTTP/1.1 {reply.status} {phrase}"]
    lines += [f"{name}: {value}" for name, value in reply.headers.items()]
    lines += [f"Content-Length: {len(reply.content)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + reply.content


class _Script:
    """One connection's server side: reads what the client wrote, answers once, then closes."""

    def __init__(self, scenario: str, wire: Wire) -> None:
        self._scenario = scenario
        self._wire = wire
        self._written = bytearray()
        self._answered = False

    def write(self, data: bytes) -> None:
        self._written += data

    def read(self) -> bytes:
        if self._answered:
            return b""
        self._answered = True
        sent = bytes(self._written)  # the request's bytes, token included: a local of this frame
        head, _, body = sent.partition(b"\r\n\r\n")
        authorization = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"authorization":
                authorization = value.strip().decode()
        self._wire.record(authorization)
        reply = reply_for(self._scenario, body)
        if reply == "read-timeout":
            raise httpcore.ReadTimeout("The read operation timed out")
        if reply == "reset":
            return b""  # the server closed the connection: h11 says it disconnected
        if isinstance(reply, str):
            raise _unexpected(reply, authorization)
        return _http_bytes(reply)


class _Stream(httpcore.NetworkStream):
    def __init__(self, script: _Script) -> None:
        self._script = script

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._script.read()

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._script.write(buffer)

    def close(self) -> None:
        pass

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> _Stream:
        return self

    def get_extra_info(self, info: str) -> Any:
        return None


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, script: _Script) -> None:
        self._script = script

    # httpcore's interface names these parameters: noqa ASYNC109.
    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return self._script.read()

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        self._script.write(buffer)

    async def aclose(self) -> None:
        pass

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> _AsyncStream:
        return self

    def get_extra_info(self, info: str) -> Any:
        return None


class _Backend(httpcore.NetworkBackend):
    def __init__(self, scenario: str, wire: Wire) -> None:
        self._scenario, self._wire = scenario, wire

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        if self._scenario == "connect-error":
            raise httpcore.ConnectError("[Errno 111] Connection refused")
        return _Stream(_Script(self._scenario, self._wire))


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, scenario: str, wire: Wire) -> None:
        self._scenario, self._wire = scenario, wire

    async def connect_tcp(
        self, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        if self._scenario == "connect-error":
            raise httpcore.ConnectError("[Errno 111] Connection refused")
        return _AsyncStream(_Script(self._scenario, self._wire))


def wire_transport(kind: str, scenario: str, wire: Wire) -> httpx.HTTPTransport | httpx.AsyncHTTPTransport:
    """httpx's own transport, httpcore and h11 included, over a scripted network instead of sockets."""
    if kind == "sync":
        transport = httpx.HTTPTransport()
        transport._pool = httpcore.ConnectionPool(network_backend=_Backend(scenario, wire))
        return transport
    async_transport = httpx.AsyncHTTPTransport()
    async_transport._pool = httpcore.AsyncConnectionPool(network_backend=_AsyncBackend(scenario, wire))
    return async_transport


class _RecordingSimulator(Simulator):
    """The simulator, noting the Authorization header of each request it is handed."""

    def __init__(self, wire: Wire, **options: Any) -> None:
        super().__init__(**options)
        self._wire = wire

    def handle(self, request: SimRequest) -> SimAnswer:
        self._wire.record(request.headers.get("authorization"))
        return super().handle(request)


def simulator_for(scenario: str, wire: Wire) -> Simulator:
    """A simulator that knows only TOKEN (so any answer but a 401 proves the token reached it)."""
    tokens: dict[str, Any] = {TOKEN: ALL_SCOPES}
    faults = Faults()
    rate_limit = RateLimit()
    if scenario == "401":
        tokens = {"pat-na1-someone-else": ALL_SCOPES}
    elif scenario == "403":
        tokens = {TOKEN: ["crm.objects.deals.read"]}
    elif scenario == "429":
        rate_limit = RateLimit(daily=0)
    elif scenario == "500":
        faults = Faults(server_error_rate=1.0)
    elif scenario == "read-timeout":
        faults = Faults(timeout_after_acting_rate=1.0)
    elif scenario == "reset":
        faults = Faults(reset_rate=1.0)
    elif scenario == "bad-gzip":
        faults = Faults(bad_encoding_rate=1.0)
    elif scenario == "malformed":
        faults = Faults(malformed_rate=1.0)
    return _RecordingSimulator(wire, tokens=tokens, faults=faults, rate_limit=rate_limit)


# ---------------------------------------------------------------------------- running a scenario
@dataclass
class Run:
    client_reprs: list[str]
    raised: BaseException | None
    result: SingleSendResult | SendStatus | BatchResult[Any] | None
    wire: Wire
    # Every exception reachable from the run: the one raised, and those on batch outcomes and chunks.
    errors: list[BaseException] = field(default_factory=list)


def _engagements() -> list[Any]:
    return [email_engagement(timestamp=WHEN, subject=f"Receipt {n}", contact_ids=["501"]) for n in range(3)]


def _attendees() -> list[Any]:
    return [attendee(email=f"ada{n}@example.com", at=WHEN) for n in range(3)]


def _no_sleep(seconds: float) -> None:
    return None


async def _no_async_sleep(seconds: float) -> None:
    return None


def _sync_call(client: Client, operation: str) -> SingleSendResult | SendStatus | BatchResult[Any]:
    if operation == "send_email":
        return client.send_email(email_id=123, to="ada@example.com", send_id="receipt-42")
    if operation == "get_send_status":
        return client.get_send_status("st-1")
    if operation == "create_emails":
        return client.create_emails(_engagements(), chunk_size=2)
    return client.record_attendance(EVENT_ID, "attend", _attendees(), chunk_size=2)


async def _async_call(
    client: AsyncClient, operation: str
) -> SingleSendResult | SendStatus | BatchResult[Any]:
    if operation == "send_email":
        return await client.send_email(email_id=123, to="ada@example.com", send_id="receipt-42")
    if operation == "get_send_status":
        return await client.get_send_status("st-1")
    if operation == "create_emails":
        return await client.create_emails(_engagements(), chunk_size=2, max_concurrency=2)
    return await client.record_attendance(EVENT_ID, "attend", _attendees(), chunk_size=2, max_concurrency=2)


def run_scenario(driver: str, kind: str, scenario: str, operation: str) -> Run:
    """One call of `operation` through a client of `kind`, answered as `scenario` by `driver`.

    The token is only ever named here as the module constant: a local holding it would show in the
    tracebacks the checks capture, and the test would find its own copy.
    """
    wire = Wire()
    simulator = simulator_for(scenario, wire) if driver == "sim" else None
    raised: BaseException | None = None
    result: SingleSendResult | SendStatus | BatchResult[Any] | None = None
    reprs: list[str] = []
    if kind == "sync":
        if simulator is not None:
            client = simulator.client(access_token=TOKEN, max_retries=1)
        else:
            transport = (
                mock_transport(scenario, wire) if driver == "mock" else wire_transport(kind, scenario, wire)
            )
            assert isinstance(transport, httpx.BaseTransport)
            client = Client(TOKEN, base_url=BASE_URL, transport=transport, max_retries=1)
        client._sleep = _no_sleep
        with client:
            reprs += [repr(client), str(client), repr(client.with_options(max_retries=0))]
            try:
                result = _sync_call(client, operation)
            except Exception as error:  # whatever it is, it is checked below
                raised = error
    else:

        async def main() -> SingleSendResult | SendStatus | BatchResult[Any]:
            if simulator is not None:
                async_client = simulator.async_client(access_token=TOKEN, max_retries=1)
            else:
                transport = (
                    mock_transport(scenario, wire)
                    if driver == "mock"
                    else wire_transport(kind, scenario, wire)
                )
                assert isinstance(transport, httpx.AsyncBaseTransport)
                async_client = AsyncClient(TOKEN, base_url=BASE_URL, transport=transport, max_retries=1)
            async_client._sleep = _no_async_sleep
            async with async_client:
                reprs.extend(
                    [repr(async_client), str(async_client), repr(async_client.with_options(max_retries=0))]
                )
                return await _async_call(async_client, operation)

        try:
            result = asyncio.run(main())
        except Exception as error:  # whatever it is, it is checked below
            raised = error
    run = Run(reprs, raised, result, wire)
    run.errors = _errors_of(run)
    return run


def _errors_of(run: Run) -> list[BaseException]:
    found: list[BaseException] = [] if run.raised is None else [run.raised]
    if isinstance(run.result, BatchResult):
        found += [chunk.error for chunk in run.result.chunks if chunk.error is not None]
        found += [
            outcome.error for outcome in run.result.outcomes if isinstance(outcome.error, BaseException)
        ]
    unique: dict[int, BaseException] = {id(error): error for error in found}
    return list(unique.values())


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__cause__, current.__context__]


def _foreign(error: BaseException) -> bool:
    """An exception of the HTTP stack: its frames hold the request's raw headers."""
    return isinstance(error, httpx.HTTPError | httpcore.ConnectError | httpcore.TimeoutException) or type(
        error
    ).__module__.split(".")[0] in ("httpx", "httpcore", "h11")


# ---------------------------------------------------------------------------- the checks
def assert_token_was_sent(run: Run, driver: str, scenario: str) -> None:
    if (driver, scenario) in NOTHING_SENT:
        assert run.wire.seen == []
        return
    assert run.wire.seen, "no request reached the transport: the test would prove nothing"
    assert set(run.wire.seen) == {f"Bearer {TOKEN}"}


def assert_no_token_in_tracebacks(run: Run) -> None:
    for error in run.errors:
        text = "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())
        assert SECRET not in text, f"{type(error).__name__}'s traceback shows the token:\n{text}"
        foreign = [type(link).__name__ for link in _chain(error) if _foreign(link)]
        assert foreign == [], f"{type(error).__name__} chains {foreign}, whose frames hold the headers"
    if run.raised is not None:
        assert run.raised.__cause__ is None
        assert run.raised.__context__ is None


def assert_no_token_in_pickles(run: Run) -> None:
    pickled: list[object] = [*run.errors, *([] if run.result is None else [run.result])]
    for item in pickled:
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            data = pickle.dumps(item, protocol=protocol)
            assert SECRET_BYTES not in data, f"a pickled {type(item).__name__} holds the token"
    for error in run.errors:
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            loaded = pickle.loads(pickle.dumps(error, protocol=protocol))  # noqa: S301 (our own bytes)
            assert type(loaded) is type(error)
            assert str(loaded) == str(error)


def assert_no_token_in_reprs(run: Run) -> None:
    texts = list(run.client_reprs)
    texts += [text for error in run.errors for text in (repr(error), str(error), repr(vars(error)))]
    if run.result is not None:
        texts += [repr(run.result), str(run.result)]
    if isinstance(run.result, BatchResult):
        texts += [repr(outcome) for outcome in run.result.outcomes]
        texts += [repr(chunk) for chunk in run.result.chunks]
    for text in texts:
        assert SECRET not in text, text


def assert_requests_redacted(run: Run) -> None:
    """Every request the caller can reach again (through an error's response) says [redacted]."""
    for error in run.errors:
        response = getattr(error, "response", None)
        if response is None:
            continue
        assert isinstance(response, httpx.Response)
        first, *redirected = [*response.history, response]
        assert first.request.headers["Authorization"] == REDACTED
        for hop in redirected:  # a redirect to another origin carries no Authorization at all
            assert hop.request.headers.get("Authorization", REDACTED) == REDACTED


def assert_no_token_in_logs(caplog: pytest.LogCaptureFixture, *, wire: bool) -> None:
    assert any(record.name == "hubspot_email" for record in caplog.records), "nothing was logged"
    if wire:
        assert any(record.name.startswith("httpcore") for record in caplog.records)
    assert SECRET not in caplog.text
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.args)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _matrix() -> Iterator[Any]:
    for driver in ("mock", "wire"):
        for scenario in SCENARIOS:
            if driver == "wire" and scenario == "unexpected-quoting-the-header":
                continue  # httpcore itself logs the exception's repr at DEBUG: not ours to redact
            for operation in OPERATIONS:
                yield pytest.param(driver, scenario, operation, id=f"{driver}-{scenario}-{operation}")
    for scenario in SIMULATED:
        for operation in OPERATIONS:
            if scenario == "429" and operation == "send_email":
                continue  # single sends are exempt from the rate limit
            yield pytest.param("sim", scenario, operation, id=f"sim-{scenario}-{operation}")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("driver", "scenario", "operation"), list(_matrix()))
def test_the_token_goes_over_the_wire_and_nowhere_else(
    driver: str, scenario: str, operation: str, kind: str, debug_logs: pytest.LogCaptureFixture
) -> None:
    run = run_scenario(driver, kind, scenario, operation)
    # The scenario played as meant: a single call raises unless it succeeded; a batch never raises. The
    # simulator looks up an id it never gave: its 404 is a result (not found), its body gzip-mislabelled
    # or not.
    if operation in SINGLE_CALLS:
        not_found = driver == "sim" and operation == "get_send_status" and scenario in ("success", "bad-gzip")
        assert (run.raised is None) == (scenario == "success" or not_found), run.raised
    else:
        assert run.raised is None, run.raised
        assert isinstance(run.result, BatchResult)
        assert run.result.ok == (scenario == "success")
    assert_token_was_sent(run, driver, scenario)
    assert_no_token_in_tracebacks(run)
    assert_no_token_in_pickles(run)
    assert_no_token_in_reprs(run)
    assert_requests_redacted(run)
    assert_no_token_in_logs(debug_logs, wire=driver == "wire")


# ---------------------------------------------------------------------------- redirects
def _redirecting(wire: Wire, target: str) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        wire.record(f"{request.url.host} {request.headers.get('Authorization')}")
        if request.url.path.startswith("/moved"):
            return httpx.Response(
                401, json={"status": "error", "message": "Authentication credentials not found."}
            )
        return httpx.Response(307, headers={"location": target})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    ("target", "second_hop"),
    [
        # The same origin: httpx keeps the header on the redirected request; it must be taken off too.
        (f"{BASE_URL}/moved", "api.test.example Bearer <token>"),
        # Another origin: httpx drops the header, so the token never reaches the other host.
        ("https://elsewhere.example/moved", "elsewhere.example None"),
    ],
    ids=["same-origin", "other-origin"],
)
def test_a_followed_redirect_leaves_no_token_on_any_request(target: str, second_hop: str) -> None:
    wire = Wire()
    with httpx.Client(transport=_redirecting(wire, target), follow_redirects=True) as http_client:
        client = Client(TOKEN, base_url=BASE_URL, http_client=http_client, max_retries=0)
        with pytest.raises(HubSpotError) as caught:
            client.send_email(email_id=123, to="ada@example.com", send_id="receipt-42")
    # Masked here: a local of this frame holding the token would show in the traceback checked below.
    assert [str(seen).replace(TOKEN, "<token>") for seen in wire.seen] == [
        "api.test.example Bearer <token>",
        second_hop,
    ]
    run = Run([], caught.value, None, wire, [caught.value])
    assert_requests_redacted(run)
    assert_no_token_in_tracebacks(run)
    assert_no_token_in_pickles(run)


# ---------------------------------------------------------------------------- the holders of the token
def test_bearer_auth_refuses_to_be_pickled_or_copied_and_shows_no_token() -> None:
    auth = BearerAuth(TOKEN)
    for attempt in (
        lambda: pickle.dumps(auth),
        lambda: pickle.dumps(auth, protocol=2),
        lambda: copy.copy(auth),
        lambda: copy.deepcopy(auth),
    ):
        with pytest.raises(TypeError, match="not picklable") as caught:
            attempt()
        assert SECRET not in str(caught.value)
    assert repr(auth) == str(auth) == "BearerAuth([redacted])"


@pytest.mark.parametrize("kind", KINDS)
def test_a_client_refuses_to_be_pickled_and_shows_no_token(kind: str) -> None:
    transport = mock_transport("success", Wire())
    client: Client | AsyncClient = (
        Client(TOKEN, base_url=BASE_URL, transport=transport)
        if kind == "sync"
        else AsyncClient(TOKEN, base_url=BASE_URL, transport=transport)
    )
    for target in (client, client.with_options(timeout=5), client._config):
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            with pytest.raises(
                TypeError, match="BearerAuth holds an access token and is not picklable"
            ) as caught:
                pickle.dumps(target, protocol=protocol)
            assert SECRET not in str(caught.value)
        with pytest.raises(TypeError, match="not picklable"):
            copy.deepcopy(target)
        assert SECRET not in repr(target)
        assert SECRET not in str(target)


# ---------------------------------------------------------------------------- plain http
def _build(kind: str, transport: httpx.MockTransport, **options: Any) -> Client | AsyncClient:
    if kind == "sync":
        return Client(TOKEN, transport=transport, **options)
    return AsyncClient(TOKEN, transport=transport, **options)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("url", ["http://api.hubapi.com", "http://10.0.0.5:8080", "http://example.com"])
def test_plain_http_to_another_machine_is_refused_when_the_client_is_built(kind: str, url: str) -> None:
    wire = Wire()
    with pytest.raises(InvalidInputError) as caught:
        _build(kind, mock_transport("success", wire), base_url=url)
    error = caught.value
    assert error.field == "base_url"
    assert "tls_terminating_proxy" in str(error)
    assert url in str(error)
    assert SECRET not in str(error)
    assert SECRET not in repr(error)
    assert wire.seen == []  # the client was never built, so nothing could be sent


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("http://127.0.0.1:8765", {}),
        ("http://localhost:1", {}),
        ("http://[::1]:2", {}),
        ("http://10.0.0.5:8080", {"tls_terminating_proxy": True}),
        ("http://api.hubapi.com", {"tls_terminating_proxy": True}),
    ],
)
def test_plain_http_to_this_machine_or_a_declared_proxy_is_accepted(
    kind: str, url: str, options: dict[str, Any]
) -> None:
    wire = Wire()
    client = _build(kind, mock_transport("success", wire), base_url=url, **options)
    if isinstance(client, Client):
        with client:
            result = client.send_email(email_id=123, to="ada@example.com", send_id="receipt-42")
    else:

        async def main(async_client: AsyncClient) -> SingleSendResult:
            async with async_client:
                return await async_client.send_email(email_id=123, to="ada@example.com", send_id="receipt-42")

        result = asyncio.run(main(client))
    assert result.ok
    assert wire.seen == [f"Bearer {TOKEN}"]


# ---------------------------------------------------------------------------- construction errors
def _construct(kind: str, case: str, transport: httpx.MockTransport) -> None:
    """Build a client that `case` makes fail. The token is only ever an argument of the call here."""
    client_class: Any = Client if kind == "sync" else AsyncClient
    if case == "plain-http":
        client_class(TOKEN, base_url="http://example.com", transport=transport)
    elif case == "bad-timeout":
        client_class(TOKEN, timeout=0, transport=transport)
    elif case == "bad-max-retries":
        client_class(TOKEN, max_retries=-1, transport=transport)
    elif case == "transport-and-http-client":
        with httpx.Client() as http_client:
            client_class(TOKEN, transport=transport, http_client=http_client)
    elif case == "token-with-a-newline":
        client_class(TOKEN + "\n", transport=transport)
    else:  # the token from the environment, and a base URL that is refused
        client_class(base_url="http://example.com", transport=transport)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "case",
    [
        "plain-http",
        "bad-timeout",
        "bad-max-retries",
        "transport-and-http-client",
        "token-with-a-newline",
        "env-token-and-plain-http",
        "env-token-with-a-newline",
    ],
)
def test_a_client_that_cannot_be_built_leaves_no_token_in_the_traceback(
    kind: str, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every frame of the constructor's traceback is captured with its variables (as Sentry does):
    none may hold the token, and a half-built client's repr must not fail while they are captured."""
    if case == "env-token-with-a-newline":
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN + "\n")
    else:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    wire = Wire()
    with pytest.raises(InvalidInputError) as caught:
        _construct(kind, case, mock_transport("success", wire))
    text = "".join(traceback.TracebackException.from_exception(caught.value, capture_locals=True).format())
    assert SECRET not in text, text
    assert "self = Client(not built)" in text or "self = AsyncClient(not built)" in text
    assert SECRET not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    assert wire.seen == []


# ---------------------------------------------------------------------------- the checks can fail
def test_the_traceback_check_sees_a_token_held_by_a_local() -> None:
    """What the checks above look for is really there when a frame holds the token."""
    error = RuntimeError("boom")
    try:
        header = f"Bearer {TOKEN}"
        raise error
    except RuntimeError:
        pass
    text = "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())
    assert SECRET in text
    assert header
