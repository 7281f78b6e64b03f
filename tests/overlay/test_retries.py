"""The request loop through both clients: retries, waits, never a double send (respx, no real sleeping).

The rules come from the operation facts in the spec, which a dated operation shares with its numbered
twin: the loop's tests run on both path families (`api_version` "legacy" and "2026-03").
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    InternalServerError,
    LockedError,
    RateLimiter,
    RateLimitError,
    attendee,
)
from hubspot_email._ratelimit import Slot
from hubspot_email_api.models import (
    EmailCreateInput,
    EmailCreateInputProperties,
)

TOKEN = "pat-na1-retry-secret"
BASE_URL = "https://api.test.example"
SEND_PATH = "/marketing/v4/email/single-send"
BATCH_PATH = "/crm/v3/objects/emails/batch/create"
ATTENDANCE_PATH = "/marketing/v3/marketing-events/77/attendance/register/email-create"
SEND_OK = {"status": "PENDING", "statusId": "s-1"}
BATCH_OK = {
    "status": "COMPLETE",
    "startedAt": "2026-11-23T10:00:00Z",
    "completedAt": "2026-11-23T10:00:01Z",
    "results": [],
}
TEN_SECONDLY = {
    "status": "error",
    "policyName": "TEN_SECONDLY_ROLLING",
    "message": "ten_secondly_rolling limit",
}
DAILY = {"status": "error", "policyName": "DAILY", "message": "daily limit"}
# The same operations on their dated successors' paths at 2026-03 (fact sheet, section 8).
DATED_PATHS = {
    SEND_PATH: "/marketing/email-campaigns/2026-03/single-send",
    BATCH_PATH: "/crm/objects/2026-03/emails/batch/create",
    ATTENDANCE_PATH: "/marketing/marketing-events/2026-03/77/attendance/register/email-create",
}
API_VERSIONS = ["legacy", "2026-03"]


def path_at(path: str, api_version: str) -> str:
    return path if api_version == "legacy" else DATED_PATHS[path]


def _batch_body() -> list[EmailCreateInput]:
    properties = EmailCreateInputProperties()
    properties.additional_properties = {"hs_timestamp": "1763900000000"}
    return [EmailCreateInput(properties=properties, associations=[])]


def run(
    kind: str, method: str, *args: Any, max_retries: int = 2, api_version: str = "legacy", **kwargs: Any
) -> tuple[Any, list[float]]:
    """Call through `Client` or `AsyncClient`; returns (result or raised exception, waits asked for)."""
    waits: list[float] = []
    options: dict[str, Any] = {"base_url": BASE_URL, "max_retries": max_retries, "api_version": api_version}
    if kind == "sync":
        with Client(TOKEN, **options) as client:
            client._sleep = waits.append
            try:
                return getattr(client, method)(*args, **kwargs), waits
            except Exception as error:
                return error, waits

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async def call() -> Any:
        async with AsyncClient(TOKEN, **options) as client:
            client._sleep = record
            try:
                return await getattr(client, method)(*args, **kwargs)
            except Exception as error:
                return error

    return asyncio.run(call()), waits


KINDS = ["sync", "async"]


@pytest.mark.parametrize("api_version", API_VERSIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_single_send_keeps_one_generated_send_id_across_every_attempt(kind: str, api_version: str) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + path_at(SEND_PATH, api_version)).mock(
            side_effect=[httpx.Response(503), httpx.Response(502), httpx.Response(200, json=SEND_OK)]
        )
        result, waits = run(kind, "send_email", email_id=1, to="ada@example.com", api_version=api_version)
    assert result.status_id == "s-1"
    send_ids = [json.loads(call.request.content)["message"]["sendId"] for call in route.calls]
    assert len(send_ids) == 3
    assert len(set(send_ids)) == 1
    assert len(send_ids[0]) >= 32
    assert len(waits) == 2
    assert 0.375 <= waits[0] <= 0.5
    assert 0.75 <= waits[1] <= 1.0


@pytest.mark.parametrize("kind", KINDS)
def test_a_callers_send_id_is_sent_unchanged_on_retry(kind: str) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + SEND_PATH).mock(
            side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=SEND_OK)]
        )
        run(kind, "send_email", email_id=1, to="ada@example.com", send_id="order-42")
    assert [json.loads(call.request.content)["message"]["sendId"] for call in route.calls] == ["order-42"] * 2


# (id, method, path, responses in order, expected calls, expected error type or None, expected waits)
LOOP_CASES: list[tuple[str, str, str, list[Any], int, type[Exception] | None, list[float]]] = [
    (
        "batch-read-timeout-not-retried",
        "create_emails",
        BATCH_PATH,
        [httpx.ReadTimeout("t")],
        1,
        APITimeoutError,
        [],
    ),
    (
        "batch-reset-not-retried",
        "create_emails",
        BATCH_PATH,
        [httpx.RemoteProtocolError("reset")],
        1,
        APIConnectionError,
        [],
    ),
    (
        "batch-502-not-retried",
        "create_emails",
        BATCH_PATH,
        [httpx.Response(502, text="<html>")],
        1,
        InternalServerError,
        [],
    ),
    (
        "batch-connect-refused-retried",
        "create_emails",
        BATCH_PATH,
        [httpx.ConnectError("refused"), httpx.Response(201, json=BATCH_OK)],
        2,
        None,
        [0.5],
    ),
    (
        "batch-ten-second-429-retried",
        "create_emails",
        BATCH_PATH,
        [
            httpx.Response(429, json=TEN_SECONDLY, headers={"Retry-After": "1"}),
            httpx.Response(201, json=BATCH_OK),
        ],
        2,
        None,
        [1.0],
    ),
    (
        "batch-daily-429-never",
        "create_emails",
        BATCH_PATH,
        [httpx.Response(429, json=DAILY)],
        1,
        RateLimitError,
        [],
    ),
    (
        "batch-423-waits-2s",
        "create_emails",
        BATCH_PATH,
        [httpx.Response(423, json={"message": "locked"}), httpx.Response(200, json=BATCH_OK)],
        2,
        None,
        [2.0],
    ),
    (
        "attendance-423-then-423-gives-up",
        "record_attendance",
        ATTENDANCE_PATH,
        [httpx.Response(423), httpx.Response(423), httpx.Response(423)],
        3,
        LockedError,
        [2.0, 2.0],
    ),
    (
        "attendance-504-not-retried",
        "record_attendance",
        ATTENDANCE_PATH,
        [httpx.Response(504)],
        1,
        InternalServerError,
        [],
    ),
    (
        "send-477-retry-after",
        "send_email",
        SEND_PATH,
        [httpx.Response(477, headers={"Retry-After": "30"}), httpx.Response(200, json=SEND_OK)],
        2,
        None,
        [30.0],
    ),
    (
        "send-521-exhausts-retries",
        "send_email",
        SEND_PATH,
        [httpx.Response(521)] * 3,
        3,
        InternalServerError,
        [0.5, 1.0],
    ),
    (
        "send-huge-retry-after-not-slept",
        "send_email",
        SEND_PATH,
        [httpx.Response(503, headers={"Retry-After": "86400"})],
        1,
        InternalServerError,
        [],
    ),
]


def _call(kind: str, method: str, api_version: str = "legacy") -> tuple[Any, list[float]]:
    if method == "create_emails":
        # A batch reports a chunk's failure on its inputs' outcomes instead of raising.
        result, waits = run(kind, method, _batch_body(), api_version=api_version)
        error = result.outcomes[0].error
        return (error if isinstance(error, Exception) else result), waits
    if method == "record_attendance":
        at = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        attendees = [attendee(email="ada@example.com", at=at)]
        result, waits = run(kind, method, "77", "register", attendees, api_version=api_version)
        error = result.outcomes[0].error
        return (error if isinstance(error, Exception) else result), waits
    return run(kind, method, email_id=1, to="ada@example.com", send_id="s", api_version=api_version)


@pytest.mark.parametrize("api_version", API_VERSIONS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("method", "path", "responses", "calls", "error_type", "waits"),
    [case[1:] for case in LOOP_CASES],
    ids=[case[0] for case in LOOP_CASES],
)
def test_request_loop(
    kind: str,
    api_version: str,
    method: str,
    path: str,
    responses: list[Any],
    calls: int,
    error_type: type[Exception] | None,
    waits: list[float],
) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + path_at(path, api_version)).mock(side_effect=list(responses))
        outcome, asked = _call(kind, method, api_version)
    assert route.call_count == calls
    if error_type is None:
        assert not isinstance(outcome, Exception), outcome
    else:
        assert type(outcome) is error_type
    # Waits are jittered by up to 25% below the backoff; Retry-After and the 2 s lock wait are exact.
    assert len(asked) == len(waits)
    for wait, expected in zip(asked, waits, strict=True):
        assert expected * 0.75 <= wait <= expected


@pytest.mark.parametrize("kind", KINDS)
def test_one_log_line_per_attempt_without_the_token(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="hubspot_email")
    with respx.mock(assert_all_mocked=True) as mock:
        mock.post(BASE_URL + SEND_PATH).mock(
            side_effect=[
                httpx.Response(503, headers={"X-HubSpot-Correlation-Id": "corr-1"}),
                httpx.Response(200, json=SEND_OK, headers={"X-HubSpot-Correlation-Id": "corr-2"}),
            ]
        )
        _call(kind, "send_email")
    lines = [record.getMessage() for record in caplog.records if record.name == "hubspot_email"]
    assert len(lines) == 2
    assert lines[0].startswith("send_email attempt 1: HTTP 503, retrying in ")
    assert lines[0].endswith("correlation id corr-1")
    assert lines[1] == "send_email attempt 2: HTTP 200, final, correlation id corr-2"
    assert all(TOKEN not in line for line in caplog.text.splitlines())


class CountingLimiter(RateLimiter):
    """A real in-memory limiter that also counts the slots taken."""

    def __init__(self) -> None:
        super().__init__(budget=50, window_seconds=10.0)
        self.taken = 0

    def acquire(self, until_released: bool = False) -> Slot:
        slot = super().acquire(until_released)
        self.taken += 1
        return slot

    async def acquire_async(self, until_released: bool = False) -> Slot:
        slot = await super().acquire_async(until_released)
        self.taken += 1
        return slot


@pytest.mark.parametrize("api_version", API_VERSIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_rate_limiter_is_consulted_except_for_single_sends_and_learns_from_headers(
    kind: str, api_version: str
) -> None:
    limiter = CountingLimiter()
    headers = {"X-HubSpot-RateLimit-Max": "190", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    options: dict[str, Any] = {"base_url": BASE_URL, "rate_limiter": limiter, "api_version": api_version}
    with respx.mock(assert_all_mocked=True) as mock:
        mock.post(BASE_URL + path_at(SEND_PATH, api_version)).mock(
            return_value=httpx.Response(200, json=SEND_OK)
        )
        mock.post(BASE_URL + path_at(BATCH_PATH, api_version)).mock(
            side_effect=[
                httpx.Response(429, json=TEN_SECONDLY),
                httpx.Response(201, json=BATCH_OK, headers=headers),
            ]
        )

        async def run_async() -> None:
            async with AsyncClient(TOKEN, **options) as client:
                client._sleep = _no_sleep
                await client.send_email(email_id=1, to="ada@example.com", send_id="s")
                await client.create_emails(_batch_body())

        if kind == "sync":
            with Client(TOKEN, **options) as client:
                client._sleep = lambda seconds: None
                client.send_email(email_id=1, to="ada@example.com", send_id="s")
                client.create_emails(_batch_body())
        else:
            asyncio.run(run_async())
    assert limiter.taken == 2  # the batch's two attempts; the v4 send is exempt
    assert (limiter.budget.requests, limiter.budget.window_seconds) == (190, 10.0)


async def _no_sleep(seconds: float) -> None:
    return None


@pytest.mark.parametrize("kind", KINDS)
def test_with_options_overrides_retries_and_timeout_for_its_calls_only(kind: str) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + SEND_PATH).mock(
            side_effect=[httpx.Response(503), httpx.Response(503), httpx.Response(200, json=SEND_OK)]
        )

        async def run_async() -> tuple[Any, Any]:
            async with AsyncClient(TOKEN, base_url=BASE_URL) as client:
                client._sleep = _no_sleep
                strict = client.with_options(max_retries=0, timeout=3.0)
                try:
                    await strict.send_email(email_id=1, to="ada@example.com", send_id="s")
                except InternalServerError as error:
                    first: Any = error
                return first, await client.send_email(email_id=1, to="ada@example.com", send_id="s")

        if kind == "sync":
            with Client(TOKEN, base_url=BASE_URL) as client:
                client._sleep = lambda seconds: None
                strict = client.with_options(max_retries=0, timeout=3.0)
                with pytest.raises(InternalServerError) as caught:
                    strict.send_email(email_id=1, to="ada@example.com", send_id="s")
                first, second = caught.value, client.send_email(email_id=1, to="ada@example.com", send_id="s")
                assert not client._http.is_closed
        else:
            first, second = asyncio.run(run_async())
    assert isinstance(first, InternalServerError)
    assert second.ok  # the original client still retries: 503, then 200
    assert route.call_count == 3
    assert route.calls[0].request.extensions["timeout"]["read"] == 3.0
    assert route.calls[2].request.extensions["timeout"]["read"] == 30.0


def test_injected_transport_carries_the_requests() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=SEND_OK)

    with Client(TOKEN, base_url=BASE_URL, transport=httpx.MockTransport(handler)) as client:
        assert client.send_email(email_id=1, to="ada@example.com").ok
    assert seen == [SEND_PATH]


def test_rate_limit_error_exposes_retry_after() -> None:
    error = RateLimitError("limited", response=httpx.Response(429, headers={"Retry-After": "7"}))
    assert error.retry_after == 7.0
    assert RateLimitError("limited", response=httpx.Response(429)).retry_after is None


def _gzip_labelled(status: int, body: dict[str, Any]) -> httpx.Response:
    """An answer labelled gzip whose bytes are plain JSON: it cannot be decoded."""
    return httpx.Response(
        status, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(json.dumps(body).encode())
    )


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_an_unreadable_answer_to_a_send_is_asked_again_with_the_same_send_id(kind: str) -> None:
    """A 200 that cannot be decoded, then a 409 that cannot be decoded, then a readable 409 "already sent":
    the send went out once, and the caller gets that as a result."""
    already = {"message": "An email with sendId s-9 was already sent.", "category": "CONFLICT"}
    answers = iter(
        [
            _gzip_labelled(200, {"sendResult": "SENT"}),
            _gzip_labelled(409, already),
            httpx.Response(409, json=already),
        ]
    )
    bodies: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        return next(answers)

    async def no_sleep(seconds: float) -> None:
        return None

    options: dict[str, Any] = {"base_url": "https://api.test.example", "max_retries": 3}
    arguments: dict[str, Any] = {"email_id": 1, "to": "ada@example.com", "send_id": "s-9"}
    if kind == "sync":
        with Client("t", transport=httpx.MockTransport(answer), **options) as client:
            client._sleep = lambda seconds: None
            result = client.send_legacy_email(**arguments)
    else:

        async def run() -> Any:
            async with AsyncClient("t", transport=httpx.MockTransport(answer), **options) as client:
                client._sleep = no_sleep
                return await client.send_legacy_email(**arguments)

        result = asyncio.run(run())
    assert (result.ok, result.already_sent, result.http_status) == (True, True, 409)
    assert len(bodies) == 3
    assert len(set(bodies)) == 1, "every attempt sends the same bytes, and so the same sendId"
