"""An error after an attempt HubSpot may have acted on never claims that nothing was done.

Found by the full fault matrix (issue 14): a v4 send timed out after HubSpot delivered it, the retries
with the same sendId met 429s, and the caller was shown a `RateLimitError`, a refusal, for an email that
had gone out; a caller who then resends with another sendId sends it twice. The request loop now
remembers whether any earlier attempt may have been acted on, and the last attempt's error says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import pytest
from hubspot_email import (
    APIConnectionError,
    AsyncClient,
    Client,
    HubSpotError,
    InternalServerError,
    RateLimitError,
)
from hubspot_email._exceptions import EARLIER_ATTEMPT_NOTE
from hubspot_email._retry import answer_may_have_acted, failure_may_have_acted

TOKEN = "pat-na1-earlier-attempts"
SEND: dict[str, Any] = {"email_id": 1, "to": "ada@example.com", "send_id": "receipt-42"}
RATE_LIMITED = {"status": "error", "message": "ten secondly", "policyName": "TEN_SECONDLY_ROLLING"}
Step = Callable[[httpx.Request], httpx.Response]


def _answer(status: int, body: dict[str, Any] | None = None) -> Step:
    return lambda request: httpx.Response(status, json=body or {"status": "error", "message": "x"})


def _raise(error: type[httpx.TransportError]) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        raise error("scripted", request=request)

    return step


def _malformed(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b"{not json", headers={"content-type": "application/json"})


TIMEOUT, RESET, REFUSED = (
    _raise(httpx.ReadTimeout),
    _raise(httpx.RemoteProtocolError),
    _raise(httpx.ConnectError),
)
LIMITED, FAILING = _answer(429, RATE_LIMITED), _answer(503)


def _scripted(steps: Sequence[Step]) -> tuple[httpx.MockTransport, list[int]]:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return steps[min(len(calls), len(steps)) - 1](request)

    return httpx.MockTransport(handler), calls


def _send(kind: str, steps: Sequence[Step], method: str = "send_email") -> HubSpotError:
    transport, calls = _scripted(steps)
    if kind == "sync":
        client = Client(TOKEN, transport=transport, max_retries=len(steps) - 1)
        client._sleep = lambda seconds: None
        with pytest.raises(HubSpotError) as caught:
            getattr(client, method)(**SEND)
    else:

        async def run() -> None:
            client = AsyncClient(TOKEN, transport=transport, max_retries=len(steps) - 1)

            async def no_sleep(seconds: float) -> None:
                return None

            client._sleep = no_sleep
            await getattr(client, method)(**SEND)

        with pytest.raises(HubSpotError) as caught:
            asyncio.run(run())
    assert len(calls) == len(steps)  # every scripted attempt was made
    return caught.value


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("method", ["send_email", "send_legacy_email"])
@pytest.mark.parametrize(
    ("steps", "error_type", "earlier"),
    [
        # An earlier attempt may have been acted on: the last error must say so.
        ((TIMEOUT, LIMITED, LIMITED), RateLimitError, True),
        ((RESET, LIMITED, LIMITED), RateLimitError, True),
        ((FAILING, LIMITED, LIMITED), RateLimitError, True),
        ((_malformed, LIMITED, LIMITED), RateLimitError, True),
        ((LIMITED, TIMEOUT, FAILING), InternalServerError, True),
        ((TIMEOUT, REFUSED, REFUSED), APIConnectionError, True),
        # No earlier attempt can have been acted on: the last error stands as it is.
        ((LIMITED, LIMITED, LIMITED), RateLimitError, False),
        ((REFUSED, LIMITED, LIMITED), RateLimitError, False),
        ((LIMITED, REFUSED, REFUSED), APIConnectionError, False),
    ],
    ids=[
        "timeout-429-429",
        "reset-429-429",
        "503-429-429",
        "malformed-429-429",
        "429-timeout-503",
        "timeout-refused-refused",
        "429-429-429",
        "refused-429-429",
        "429-refused-refused",
    ],
)
def test_the_last_error_says_whether_an_earlier_attempt_may_have_been_acted_on(
    kind: str, method: str, steps: Sequence[Step], error_type: type[HubSpotError], earlier: bool
) -> None:
    error = _send(kind, steps, method)
    assert type(error) is error_type
    assert error.earlier_attempt_may_have_acted is earlier
    assert (EARLIER_ATTEMPT_NOTE in str(error)) is earlier
    if isinstance(error, APIConnectionError):
        # The call as a whole may have reached HubSpot when any attempt may have.
        assert error.may_have_reached_hubspot is earlier


def test_a_status_lookup_acts_on_nothing_so_its_errors_are_not_marked() -> None:
    transport, calls = _scripted([FAILING, TIMEOUT, LIMITED])
    client = Client(TOKEN, transport=transport, max_retries=2)
    client._sleep = lambda seconds: None
    with pytest.raises(RateLimitError) as caught:
        client.get_send_status("a3b1c2")
    assert len(calls) == 3
    assert caught.value.earlier_attempt_may_have_acted is False


@pytest.mark.parametrize(
    ("status", "unreadable", "acted"),
    [
        (200, False, True),
        (207, False, True),
        (200, True, True),  # a 2xx whose body could not be read: it was acted on
        (409, True, True),  # unreadable: it may say "already sent"
        (500, False, True),
        (503, False, True),
        (504, False, True),
        (400, False, False),
        (401, False, False),
        (404, False, False),
        (409, False, False),
        (423, False, False),
        (429, False, False),
    ],
)
def test_answer_may_have_acted(status: int, unreadable: bool, acted: bool) -> None:
    assert answer_may_have_acted(status, unreadable=unreadable) is acted


@pytest.mark.parametrize(
    ("error", "acted"),
    [
        (httpx.ConnectError("x"), False),
        (httpx.ConnectTimeout("x"), False),
        (httpx.PoolTimeout("x"), False),
        (httpx.ReadTimeout("x"), True),
        (httpx.WriteTimeout("x"), True),
        (httpx.RemoteProtocolError("x"), True),
        (httpx.ReadError("x"), True),
        (RuntimeError("x"), True),  # unknown: assume it may have
    ],
)
def test_failure_may_have_acted(error: Exception, acted: bool) -> None:
    assert failure_may_have_acted(error) is acted


def test_the_mark_survives_a_pickle() -> None:
    import pickle

    error = _send("sync", (TIMEOUT, LIMITED, LIMITED))
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own object)
    assert restored.earlier_attempt_may_have_acted is True
    assert EARLIER_ATTEMPT_NOTE in str(restored)
