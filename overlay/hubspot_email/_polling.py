"""How `wait_for_send` polls a send's status: plain functions with no I/O, shared by both clients.

The waits start at `poll_interval` and grow by half each time, up to `MAX_POLL_INTERVAL` (or the
caller's own interval when that is longer): a send that completes at once is seen at once, and a slow one
costs few requests (the status lookup counts against the app's rate budget). No wait passes the
deadline: the last poll happens at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._constants import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from ._results import SendStatus, SingleSendResult, status_from_body
from ._validation import InvalidInputError, check_status_id, check_wait_seconds

__all__ = [
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_WAIT_TIMEOUT",
    "WaitPlan",
    "next_poll_interval",
    "next_wait",
    "wait_before_next_poll",
]

POLL_GROWTH = 1.5
MAX_POLL_INTERVAL = 30.0


@dataclass(frozen=True)
class WaitPlan:
    """A checked `wait_for_send` call: the id to poll, and the status already known (from a send's
    result), if any. A known final one is the answer: no request is needed."""

    status_id: str
    known: SendStatus | None
    timeout: float
    poll_interval: float

    @classmethod
    def of(cls, result_or_status_id: object, timeout: object, poll_interval: object) -> WaitPlan:
        """Every argument checked before any request (`InvalidInputError` names the field and the fix)."""
        if isinstance(result_or_status_id, SingleSendResult):
            status_id, known = _from_result(result_or_status_id)
        else:
            status_id, known = check_status_id(result_or_status_id, field="result_or_status_id"), None
        return cls(
            status_id=status_id,
            known=known,
            timeout=check_wait_seconds("timeout", timeout),
            poll_interval=check_wait_seconds("poll_interval", poll_interval),
        )


def _from_result(result: SingleSendResult) -> tuple[str, SendStatus]:
    if result.status_id is None:
        raise InvalidInputError(
            "result_or_status_id",
            "this result has no status_id (a legacy v1 send, or its 409 for a repeated sendId), so there "
            "is no status to wait for",
            "Pass the result of send_email (v4) or a status id; a legacy send's result is final as it is "
            "(read its send_result).",
        )
    status_id = check_status_id(result.status_id, field="result_or_status_id")
    return status_id, status_from_body(status_id, result.body, result.http_status)


def next_poll_interval(previous: float, first: float) -> float:
    """The wait after one of `previous` seconds: half as long again, up to MAX_POLL_INTERVAL (or `first`,
    the caller's poll_interval, when that is longer)."""
    return min(previous * POLL_GROWTH, max(MAX_POLL_INTERVAL, first))


def wait_before_next_poll(latest: SendStatus, interval: float, deadline: float, now: float) -> float | None:
    """Seconds to sleep before asking again, or None: `latest` is the answer (final, not found, or the
    deadline has passed). A 404 is not asked again: it would not change, and HubSpot counts each error
    answer against the app."""
    if latest.final or not latest.found:
        return None
    return next_wait(interval, deadline, now)


def next_wait(interval: float, deadline: float, now: float) -> float | None:
    """Seconds to sleep before the next poll, never past the deadline; None once it has passed."""
    remaining = deadline - now
    if remaining <= 0:
        return None
    return min(interval, remaining)
