"""`get_send_status` and `wait_for_send` through both clients, against respx, on a fake clock.

The plain decisions first (is a status final, how the waits grow, when to stop), by tables; then the
calls: a 404 is a result that was not found (never the send's failure), transient failures are retried
(a GET changes nothing), an unexpected field format never turns a 2xx into an error, and a wait that
runs out of time returns the last status seen instead of raising. Nothing sleeps for real: the clients'
`_sleep` and `_clock` are a fake clock that moves only when slept on.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    Client,
    HubSpotError,
    InternalServerError,
    InvalidInputError,
    RateLimiter,
    SendStatus,
)
from hubspot_email._polling import WaitPlan, next_poll_interval, next_wait, wait_before_next_poll
from hubspot_email._results import is_final, legacy_result, status_from_body, v4_result
from hubspot_email_api.models import EmailSendStatusView, ProcessingStatus, SendResult

TOKEN = "pat-na1-status-test-token"
BASE_URL = "https://api.test.example"
STATUS_ID = "3f5c2a0e-8d4b-4c1e-9a7f-2b6d1e0c9a14"
STATUS_PATH = f"/marketing/v3/email/send-statuses/{STATUS_ID}"
KINDS = ("sync", "async")
# A budget no test here comes near: the limiter never waits.
LIMITER = RateLimiter(1_000_000, 10.0)

PENDING = {"status": "PENDING", "statusId": STATUS_ID, "requestedAt": "2026-11-23T10:00:00.000Z"}
COMPLETE = {
    "status": "COMPLETE",
    "statusId": STATUS_ID,
    "sendResult": "SENT",
    "requestedAt": "2026-11-23T10:00:00.000Z",
    "startedAt": "2026-11-23T10:00:00.250Z",
    "completedAt": "2026-11-23T10:00:01.500Z",
    "eventId": {"id": "9d5c1d63-8a53-4b9a-9c47-7b9a4c1f2e10", "created": "2026-11-23T10:00:01.500Z"},
}
CANCELED = {"status": "CANCELED", "statusId": STATUS_ID, "requestedAt": "2026-11-23T10:00:00.000Z"}
NOT_FOUND = {
    "status": "error",
    "message": "No email send status was found.",
    "correlationId": "c-1",
    "category": "OBJECT_NOT_FOUND",
}


def found(body: dict[str, Any]) -> SendStatus:
    return status_from_body(STATUS_ID, body, 200)


# ------------------------------------------------------------------------------------ decisions
@pytest.mark.parametrize(
    ("status", "final"),
    [
        ("COMPLETE", True),
        ("CANCELED", True),
        ("PENDING", False),
        ("PROCESSING", False),
        (ProcessingStatus.COMPLETE, True),
        (ProcessingStatus.CANCELED, True),
        (ProcessingStatus.PENDING, False),
        ("ARCHIVED", False),  # a value HubSpot may add: not known to be final
        ("complete", False),
        (None, False),
    ],
)
def test_only_complete_and_canceled_are_final(status: object, final: bool) -> None:
    assert is_final(status) is final


@pytest.mark.parametrize(
    ("body", "final", "ok"),
    [
        pytest.param(COMPLETE, True, True, id="complete-sent"),
        pytest.param({**COMPLETE, "sendResult": "QUEUED"}, True, True, id="complete-queued"),
        pytest.param({**COMPLETE, "sendResult": "IDEMPOTENT_IGNORE"}, True, True, id="complete-already-sent"),
        pytest.param({**COMPLETE, "sendResult": "PREVIOUSLY_BOUNCED"}, True, False, id="complete-refused"),
        pytest.param(CANCELED, True, False, id="canceled"),
        pytest.param(PENDING, False, True, id="pending"),
        pytest.param({**PENDING, "status": "PROCESSING"}, False, True, id="processing"),
        pytest.param({**PENDING, "status": "ARCHIVED"}, False, True, id="new-status"),
    ],
)
def test_a_found_status_is_final_and_ok_by_its_fields(body: dict[str, Any], final: bool, ok: bool) -> None:
    status = found(body)
    assert (status.found, status.final, status.ok) == (True, final, ok)


def test_already_sent_is_the_idempotent_ignore_result() -> None:
    assert found({**COMPLETE, "sendResult": "IDEMPOTENT_IGNORE"}).already_sent
    assert not found(COMPLETE).already_sent
    assert not found(PENDING).already_sent


def test_the_waits_grow_by_half_up_to_thirty_seconds() -> None:
    waits = [1.0]
    for _ in range(11):
        waits.append(next_poll_interval(waits[-1], first=1.0))
    assert waits == [
        1.0,
        1.5,
        2.25,
        3.375,
        5.0625,
        7.59375,
        11.390625,
        17.0859375,
        25.62890625,
        30.0,
        30.0,
        30.0,
    ]


@pytest.mark.parametrize(("first", "after"), [(0.2, 0.3), (30.0, 30.0), (45.0, 45.0)])
def test_a_longer_interval_than_the_cap_is_kept(first: float, after: float) -> None:
    assert next_poll_interval(first, first=first) == pytest.approx(after)


@pytest.mark.parametrize(
    ("interval", "deadline", "now", "wait"),
    [
        (2.0, 10.0, 5.0, 2.0),
        (2.0, 10.0, 9.5, 0.5),  # never past the deadline: the last poll happens at it
        (2.0, 10.0, 10.0, None),
        (2.0, 10.0, 11.0, None),
    ],
)
def test_no_wait_passes_the_deadline(
    interval: float, deadline: float, now: float, wait: float | None
) -> None:
    assert next_wait(interval, deadline, now) == wait


@pytest.mark.parametrize(
    ("latest", "wait"),
    [
        pytest.param(found(PENDING), 2.0, id="pending-asks-again"),
        pytest.param(found(COMPLETE), None, id="complete-is-the-answer"),
        pytest.param(found(CANCELED), None, id="canceled-is-the-answer"),
        pytest.param(
            SendStatus(STATUS_ID, False, None, None, None, None, None, None, None, 404, NOT_FOUND, None),
            None,
            id="not-found-is-not-asked-again",
        ),
    ],
)
def test_when_to_ask_again(latest: SendStatus, wait: float | None) -> None:
    assert wait_before_next_poll(latest, 2.0, deadline=100.0, now=0.0) == wait


def test_a_final_send_result_is_the_answer_and_a_pending_one_is_known() -> None:
    complete = WaitPlan.of(v4_result(dict(COMPLETE), 200), 60, 1)
    assert complete.known is not None
    assert complete.known.final
    assert complete.known.send_result is SendResult.SENT
    pending = WaitPlan.of(v4_result(dict(PENDING), 200), 60, 1)
    assert pending.known is not None
    assert not pending.known.final
    assert WaitPlan.of(STATUS_ID, 60, 1).known is None


# ------------------------------------------------------------------------------------ the calls
@dataclass
class FakeTime:
    """A monotonic clock that moves only when slept on; every sleep is noted."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def call(kind: str, method: str, *args: Any, max_retries: int = 2, **kwargs: Any) -> tuple[Any, FakeTime]:
    """Call through `Client` or `AsyncClient` on a fake clock: (the result or the HubSpotError raised,
    the clock). Any other exception escapes: the clients raise only HubSpotErrors."""
    time = FakeTime()
    if kind == "sync":
        with Client(TOKEN, base_url=BASE_URL, max_retries=max_retries, rate_limiter=LIMITER) as client:
            client._sleep, client._clock = time.sleep, time.clock
            try:
                return getattr(client, method)(*args, **kwargs), time
            except HubSpotError as error:
                return error, time

    async def run() -> Any:
        async with AsyncClient(
            TOKEN, base_url=BASE_URL, max_retries=max_retries, rate_limiter=LIMITER
        ) as client:
            client._sleep, client._clock = time.async_sleep, time.clock
            try:
                return await getattr(client, method)(*args, **kwargs)
            except HubSpotError as error:
                return error

    return asyncio.run(run()), time


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


def answers(*bodies: dict[str, Any], status: int = 200) -> list[httpx.Response]:
    return [httpx.Response(status, json=body) for body in bodies]


@pytest.mark.parametrize("kind", KINDS)
def test_a_status_is_read_into_typed_fields(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(side_effect=answers(COMPLETE))
    status, _ = call(kind, "get_send_status", STATUS_ID)
    assert isinstance(status, SendStatus)
    assert (status.found, status.final, status.status_id) == (True, True, STATUS_ID)
    assert status.status is ProcessingStatus.COMPLETE
    assert status.send_result is SendResult.SENT
    assert status.event_id == "9d5c1d63-8a53-4b9a-9c47-7b9a4c1f2e10"
    assert status.requested_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert status.completed_at == datetime(2026, 11, 23, 10, 0, 1, 500_000, tzinfo=UTC)
    assert isinstance(status.raw, EmailSendStatusView)
    assert status.parse_problem is None
    assert status.body == COMPLETE
    (sent,) = route.calls
    assert sent.request.method == "GET"
    assert sent.request.content == b""


@pytest.mark.parametrize("kind", KINDS)
def test_a_404_is_a_status_not_found_not_an_error_and_not_asked_again(
    kind: str, mock: respx.MockRouter
) -> None:
    route = mock.get(STATUS_PATH).mock(side_effect=answers(NOT_FOUND, status=404))
    status, time = call(kind, "get_send_status", STATUS_ID)
    assert isinstance(status, SendStatus)
    assert (status.found, status.final, status.ok, status.http_status) == (False, False, False, 404)
    assert (status.status, status.send_result) == (None, None)
    assert status.message == NOT_FOUND["message"]
    assert route.call_count == 1
    assert time.sleeps == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("failure", [500, 502, 503, 504, 477])
def test_a_transient_failure_is_retried(kind: str, failure: int, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(
        side_effect=[httpx.Response(failure, json={"message": "passing"}), *answers(COMPLETE)]
    )
    status, time = call(kind, "get_send_status", STATUS_ID)
    assert isinstance(status, SendStatus)
    assert status.final
    assert route.call_count == 2
    assert len(time.sleeps) == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("failure", "error_type"),
    [
        (httpx.ConnectError("refused"), APIConnectionError),
        # After the request may have reached HubSpot: a GET is repeated all the same (it acts on nothing).
        (httpx.ReadTimeout("timed out"), APITimeoutError),
        (httpx.RemoteProtocolError("reset"), APIConnectionError),
    ],
)
def test_no_answer_is_retried_then_raised_as_a_hubspot_error(
    kind: str, failure: Exception, error_type: type[HubSpotError], mock: respx.MockRouter
) -> None:
    route = mock.get(STATUS_PATH).mock(side_effect=failure)
    error, _ = call(kind, "get_send_status", STATUS_ID, max_retries=2)
    assert isinstance(error, error_type)
    assert route.call_count == 3


@pytest.mark.parametrize("kind", KINDS)
def test_a_server_error_that_persists_is_raised_after_the_retries(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(return_value=httpx.Response(500, json={"message": "down"}))
    error, _ = call(kind, "get_send_status", STATUS_ID, max_retries=2)
    assert isinstance(error, InternalServerError)
    assert route.call_count == 3


@pytest.mark.parametrize("kind", KINDS)
def test_a_401_is_raised_at_once(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(
        return_value=httpx.Response(401, json={"message": "Authentication credentials are not valid."})
    )
    error, _ = call(kind, "get_send_status", STATUS_ID)
    assert isinstance(error, AuthenticationError)
    assert route.call_count == 1


@pytest.mark.parametrize("kind", KINDS)
def test_an_unexpected_field_format_never_turns_a_2xx_into_an_error(
    kind: str, mock: respx.MockRouter
) -> None:
    body = {
        "status": "COMPLETE",
        "statusId": 42,
        "sendResult": "SENT_BY_CARRIER_PIGEON",
        "requestedAt": 1795428000000,
        "completedAt": "soon",
        "eventId": {"id": "e-1", "created": "not a date"},
        "somethingNew": {"nested": True},
    }
    mock.get(STATUS_PATH).mock(side_effect=answers(body))
    status, _ = call(kind, "get_send_status", STATUS_ID)
    assert isinstance(status, SendStatus)
    assert status.raw is None
    assert status.parse_problem
    assert (status.found, status.final) == (True, True)
    assert status.send_result == "SENT_BY_CARRIER_PIGEON"
    assert status.event_id == "e-1"
    assert status.requested_at == datetime.fromtimestamp(1795428000, UTC)
    assert status.completed_at is None
    assert status.body == body


@pytest.mark.parametrize("kind", KINDS)
def test_an_unreadable_2xx_is_asked_again(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(
        side_effect=[httpx.Response(200, text="<html>maintenance</html>"), *answers(COMPLETE)]
    )
    status, _ = call(kind, "get_send_status", STATUS_ID)
    assert isinstance(status, SendStatus)
    assert status.final
    assert route.call_count == 2


@pytest.mark.parametrize("kind", KINDS)
def test_the_status_id_is_sent_as_one_path_segment(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get("/marketing/v3/email/send-statuses/a%20b%25c").mock(side_effect=answers(COMPLETE))
    status, _ = call(kind, "get_send_status", "a b%c")
    assert isinstance(status, SendStatus)
    assert status.status_id == "a b%c"
    assert route.call_count == 1


# ------------------------------------------------------------------------------------ waiting
@pytest.mark.parametrize("kind", KINDS)
def test_waiting_polls_until_complete_with_growing_waits(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(side_effect=answers(PENDING, PENDING, COMPLETE))
    status, time = call(kind, "wait_for_send", STATUS_ID, timeout=60, poll_interval=2)
    assert isinstance(status, SendStatus)
    assert status.final
    assert status.send_result is SendResult.SENT
    assert route.call_count == 3
    assert time.sleeps == [2.0, 3.0]  # a status id: asked at once, then 2 s, then half as long again


@pytest.mark.parametrize("kind", KINDS)
def test_waiting_on_a_pending_result_waits_before_the_first_poll(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(side_effect=answers(COMPLETE))
    pending = v4_result(dict(PENDING), 200)
    status, time = call(kind, "wait_for_send", pending, timeout=60, poll_interval=1.5)
    assert isinstance(status, SendStatus)
    assert status.final
    assert route.call_count == 1
    assert time.sleeps == [1.5]  # the send's answer was the first look


@pytest.mark.parametrize("kind", KINDS)
def test_a_final_result_needs_no_request(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(side_effect=answers(PENDING))
    complete = v4_result(dict(COMPLETE), 200)
    status, time = call(kind, "wait_for_send", complete)
    assert isinstance(status, SendStatus)
    assert (status.final, status.status_id, status.send_result) == (True, STATUS_ID, SendResult.SENT)
    assert route.call_count == 0
    assert time.sleeps == []


@pytest.mark.parametrize("kind", KINDS)
def test_out_of_time_the_last_status_seen_is_returned_not_raised(kind: str, mock: respx.MockRouter) -> None:
    polls: list[int] = []

    def still_pending(request: httpx.Request) -> httpx.Response:
        polls.append(len(polls) + 1)
        return httpx.Response(200, json={**PENDING, "message": f"poll {polls[-1]}"})

    mock.get(STATUS_PATH).mock(side_effect=still_pending)
    status, time = call(kind, "wait_for_send", STATUS_ID, timeout=10, poll_interval=1)
    assert isinstance(status, SendStatus)
    assert (status.found, status.final) == (True, False)
    assert status.status is ProcessingStatus.PENDING
    assert status.message == f"poll {len(polls)}"  # the last one seen
    assert len(polls) > 2
    assert math.isclose(sum(time.sleeps), 10.0)  # waited the whole timeout, and no longer
    assert time.sleeps[:3] == [1.0, 1.5, 2.25]


@pytest.mark.parametrize("kind", KINDS)
def test_a_status_not_found_ends_the_wait(kind: str, mock: respx.MockRouter) -> None:
    route = mock.get(STATUS_PATH).mock(side_effect=answers(NOT_FOUND, status=404))
    status, time = call(kind, "wait_for_send", STATUS_ID)
    assert isinstance(status, SendStatus)
    assert (status.found, status.final) == (False, False)
    assert route.call_count == 1
    assert time.sleeps == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_canceled_request_ends_the_wait_without_a_result(kind: str, mock: respx.MockRouter) -> None:
    mock.get(STATUS_PATH).mock(side_effect=answers(PENDING, CANCELED))
    status, _ = call(kind, "wait_for_send", STATUS_ID)
    assert isinstance(status, SendStatus)
    assert (status.final, status.ok, status.send_result) == (True, False, None)


@pytest.mark.parametrize("kind", KINDS)
def test_a_poll_that_fails_for_a_while_is_retried_within_the_wait(kind: str, mock: respx.MockRouter) -> None:
    mock.get(STATUS_PATH).mock(
        side_effect=[*answers(PENDING), httpx.Response(503, json={"message": "busy"}), *answers(COMPLETE)]
    )
    status, _ = call(kind, "wait_for_send", STATUS_ID)
    assert isinstance(status, SendStatus)
    assert status.final


@pytest.mark.parametrize("kind", KINDS)
def test_an_error_while_asking_is_raised_as_a_hubspot_error(kind: str, mock: respx.MockRouter) -> None:
    mock.get(STATUS_PATH).mock(
        side_effect=[*answers(PENDING), httpx.Response(401, json={"message": "expired token"})]
    )
    error, _ = call(kind, "wait_for_send", STATUS_ID)
    assert isinstance(error, AuthenticationError)


# ------------------------------------------------------------------------------------ input checks
LEGACY_SENT = legacy_result({"sendResult": "SENT"}, 200)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("method", "args", "kwargs", "field_name"),
    [
        pytest.param("get_send_status", ("",), {}, "status_id", id="empty"),
        pytest.param("get_send_status", ("   ",), {}, "status_id", id="blank"),
        pytest.param("get_send_status", (42,), {}, "status_id", id="not-a-string"),
        pytest.param("get_send_status", ("..",), {}, "status_id", id="dot-dot"),
        pytest.param("get_send_status", ("a/b",), {}, "status_id", id="slash"),
        pytest.param("wait_for_send", ("",), {}, "result_or_status_id", id="wait-empty"),
        pytest.param("wait_for_send", (None,), {}, "result_or_status_id", id="wait-none"),
        pytest.param("wait_for_send", (LEGACY_SENT,), {}, "result_or_status_id", id="wait-legacy-result"),
        pytest.param("wait_for_send", (STATUS_ID,), {"timeout": 0}, "timeout", id="timeout-zero"),
        pytest.param("wait_for_send", (STATUS_ID,), {"timeout": -5}, "timeout", id="timeout-negative"),
        pytest.param("wait_for_send", (STATUS_ID,), {"timeout": math.nan}, "timeout", id="timeout-nan"),
        pytest.param("wait_for_send", (STATUS_ID,), {"timeout": math.inf}, "timeout", id="timeout-inf"),
        pytest.param("wait_for_send", (STATUS_ID,), {"timeout": True}, "timeout", id="timeout-bool"),
        pytest.param("wait_for_send", (STATUS_ID,), {"timeout": "60"}, "timeout", id="timeout-text"),
        pytest.param(
            "wait_for_send", (STATUS_ID,), {"poll_interval": 0}, "poll_interval", id="poll-interval-zero"
        ),
        pytest.param(
            "wait_for_send",
            (STATUS_ID,),
            {"poll_interval": -1.0},
            "poll_interval",
            id="poll-interval-negative",
        ),
    ],
)
def test_bad_input_is_refused_before_any_request_naming_the_field_and_the_fix(
    kind: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    field_name: str,
    mock: respx.MockRouter,
) -> None:
    route = mock.route().mock(side_effect=answers(COMPLETE))
    error, time = call(kind, method, *args, **kwargs)
    assert isinstance(error, InvalidInputError)
    assert error.field == field_name
    assert str(error).startswith(f"{field_name}: ")
    assert "Pass " in str(error)
    assert route.call_count == 0
    assert time.sleeps == []
