"""When to retry, and how long to wait: plain functions with no I/O, shared by both clients.

Never a double send: an operation with an idempotency key (the single sends' `sendId`) may be retried
after any transient failure; one without (batch create, attendance) only where HubSpot provably did not
act: the connection was refused, or HubSpot answered 429 or 423.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime

import httpx

INITIAL_DELAY = 0.5
MAX_BACKOFF = 8.0
# Longer waits than this are not slept through: the error reaches the caller, who can schedule.
MAX_RETRY_AFTER = 60.0
LOCKED_MIN_DELAY = 2.0

# HubSpot's account-migration answer, which it sends like a server error (with Retry-After).
MIGRATION_STATUS = 477
# Answers that prove HubSpot did not act.
NOT_ACTED_STATUSES = frozenset({423, 429})
DAILY_POLICY = "DAILY"


def parse_retry_after(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date.

    A date in the past gives 0. Garbage, NaN and infinity give None (no usable hint).
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    if "retry-after-ms" in lowered:
        milliseconds = _finite_float(lowered["retry-after-ms"])
        if milliseconds is not None:
            return max(milliseconds / 1000.0, 0.0)
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    seconds = _finite_float(raw)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)


def backoff_delay(retries_done: int, jitter: float) -> float:
    """Exponential backoff: 0.5 s, 1 s, 2 s ... capped at 8 s, less up to 25% (`jitter` in [0, 1))."""
    return min(INITIAL_DELAY * 2.0**retries_done, MAX_BACKOFF) * (1.0 - 0.25 * jitter)


def retry_delay(
    *,
    retries_done: int,
    max_retries: int,
    idempotent: bool,
    jitter: float,
    status: int | None = None,
    connection_refused: bool = False,
    policy_name: str | None = None,
    retry_after: float | None = None,
    window_wait: float | None = None,
) -> float | None:
    """Seconds to wait before the next attempt, or None when the failure must reach the caller.

    Give `status` for an answer, `connection_refused=True` when the request never left, and neither for a
    failure after the request may have been sent (a read timeout, a reset connection). `window_wait`:
    after a rolling 429, the seconds until the rate limiter's window frees a slot; the wait is then that
    or Retry-After, whichever is later, instead of a blind backoff.
    """
    if retries_done >= max_retries:
        return None
    if status is None:
        retryable = connection_refused or idempotent
    elif status == 429:
        retryable = policy_name != DAILY_POLICY
    elif status in NOT_ACTED_STATUSES:
        retryable = True
    else:
        retryable = idempotent and may_pass(status)
    if not retryable:
        return None
    if retry_after is not None and retry_after > MAX_RETRY_AFTER:
        return None
    if status == 429 and window_wait is not None:
        delay = max(window_wait, retry_after or 0.0)
    else:
        delay = retry_after if retry_after is not None else backoff_delay(retries_done, jitter)
    if status == 423:
        delay = max(delay, LOCKED_MIN_DELAY)
    return delay


def may_pass(status: int) -> bool:
    """A failure that may pass, after which HubSpot may or may not have acted: every 5xx (500 too:
    with a sendId a retry is safe, and HubSpot's 500s are often passing) and 477 (migration)."""
    return status >= 500 or status == MIGRATION_STATUS


def _finite_float(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def delay_after_response(
    response: httpx.Response,
    *,
    idempotent: bool,
    retries_done: int,
    max_retries: int,
    jitter: float,
    now: datetime,
    window_wait: float | None = None,
) -> float | None:
    """`retry_delay` for an answer: reads the status, Retry-After and a 429's policy name."""
    return retry_delay(
        retries_done=retries_done,
        max_retries=max_retries,
        idempotent=idempotent,
        jitter=jitter,
        status=response.status_code,
        policy_name=rate_limit_policy(response) if response.status_code == 429 else None,
        retry_after=parse_retry_after(response.headers, now),
        window_wait=window_wait,
    )


def rate_limit_policy(response: httpx.Response) -> str | None:
    """A 429's `policyName` (TEN_SECONDLY_ROLLING, DAILY ...), or None when the body names none."""
    try:
        body = response.json()
    except ValueError:
        return None
    policy = body.get("policyName") if isinstance(body, dict) else None
    return policy if isinstance(policy, str) else None


def never_sent(error: httpx.TransportError) -> bool:
    """True when the request provably never reached HubSpot: no connection was made."""
    return isinstance(
        error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.UnsupportedProtocol
    )


def answer_may_have_acted(status: int, *, unreadable: bool) -> bool:
    """Whether HubSpot may have acted on an attempt that got this answer: a 2xx did, a 5xx or an answer
    that could not be read may have; a 4xx (a refusal, or 423/429 before acting) did not."""
    return unreadable or 200 <= status < 300 or status >= 500


def failure_may_have_acted(error: Exception) -> bool:
    """Whether HubSpot may have acted on an attempt that got no answer: unless it provably never left."""
    return not (isinstance(error, httpx.TransportError) and never_sent(error))
