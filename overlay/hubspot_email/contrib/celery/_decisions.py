"""What the Celery tasks decide, as pure functions (no Celery, no I/O): tested by tables.

- the sendId of a task's send, from the task's own key (its id, or the caller's idempotency key);
- after an error: retry (with a countdown) or stop (with the reason);
- JSON inputs into the package's typed inputs, every field checked before anything is queued or sent;
- the JSON outcomes of a batch, one per input, in input order, whatever became of each chunk task.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from hubspot_email._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    DailyLimitReachedError,
    InternalServerError,
    LockedError,
    RateLimitError,
)
from hubspot_email._keys import derived_key
from hubspot_email._validation import InvalidInputError

if TYPE_CHECKING:
    from hubspot_email_api.models import AttendeeByEmail, EmailCreateInput

    from hubspot_email._batch import BatchResult, Outcome
    from hubspot_email._results import SingleSendResult

__all__ = [
    "DailyLimitError",
    "Fail",
    "HubSpotTaskError",
    "InvalidTaskInputError",
    "Retry",
    "attendee_from_json",
    "backoff",
    "chunk_decision",
    "chunk_spans",
    "engagement_from_json",
    "merge_chunk_ends",
    "outcome_json",
    "send_error_decision",
    "send_id_for_task",
    "send_result_json",
    "trace_id_for_task",
]

# A batch chunk is at most what HubSpot takes in one call.
MAX_CHUNK_SIZE = 100
DAILY_POLICY = "DAILY"
ENGAGEMENT_FIELDS = frozenset(
    {
        "timestamp",
        "subject",
        "text",
        "html",
        "direction",
        "status",
        "owner_id",
        "contact_ids",
        "company_ids",
        "deal_ids",
        "ticket_ids",
        "properties",
        "trace_id",
    }
)
ATTENDEE_FIELDS = frozenset({"email", "at", "properties", "contact_properties"})
# The reasons of outcomes the chunk task could not learn. Look before resending: no idempotency key.
REDELIVERED_REASON = (
    "the worker running this chunk stopped while its request may have been in flight, and the task was "
    "delivered again: HubSpot may or may not have acted; check HubSpot before resending"
)


class HubSpotTaskError(Exception):
    """A task stopped for good, with its reason. One message argument: Celery's JSON result backend
    rebuilds an exception from its type and `args`, so the caller gets this class and this message."""


class InvalidTaskInputError(HubSpotTaskError, ValueError):
    """A task's input HubSpot would refuse; the message names the field. Nothing was sent; no retry."""


class DailyLimitError(HubSpotTaskError):
    """HubSpot's daily request limit is spent (until the account's midnight); nothing was sent."""


@dataclass(frozen=True)
class Retry:
    """Run the task again (same task id, so the same sendId) after `countdown` seconds."""

    countdown: float
    reason: str


@dataclass(frozen=True)
class Fail:
    """Stop the task: `error` says why (raised as the task's failure)."""

    error: HubSpotTaskError


# --- keys -------------------------------------------------------------------------------------


def send_id_for_task(key: str) -> str:
    """The sendId of a task's send: the same for every delivery and retry of the task (its key is the
    task id, or the caller's idempotency key), so HubSpot sends at most one email for it."""
    return derived_key("celery", "send", key)


def trace_id_for_task(key: str, index: int) -> str:
    """An engagement's objectWriteTraceId when the caller gave none: stable across a task's deliveries,
    so an `unknown` input can be looked up in HubSpot by it."""
    return derived_key("celery", "emails", key, index)


def chunk_spans(total: int, chunk_size: int = MAX_CHUNK_SIZE) -> list[tuple[int, int]]:
    """(offset, size) of each chunk of `total` inputs."""
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or not 1 <= chunk_size <= 100:
        raise InvalidInputError(
            "chunk_size", f"expected 1 to 100, got {chunk_size!r}", "HubSpot takes at most 100 a call."
        )
    return [(offset, min(chunk_size, total - offset)) for offset in range(0, total, chunk_size)]


# --- retry or stop ----------------------------------------------------------------------------


def backoff(retries_done: int, *, base: float, cap: float, jitter: float) -> float:
    """Exponential backoff with jitter in [0, 1): half to all of base * 2**retries, at most `cap`."""
    return float(min(cap, base * 2.0 ** min(retries_done, 30)) * (0.5 + 0.5 * jitter))


def _daily(error: Exception) -> DailyLimitError:
    if isinstance(error, DailyLimitReachedError):
        return DailyLimitError(f"{error}")
    return DailyLimitError(
        f"HubSpot's daily request limit is spent ({error}); nothing was sent. It resets at midnight in "
        "the account's time zone"
    )


def send_error_decision(
    error: Exception, retries_done: int, *, base: float, cap: float, jitter: float
) -> Retry | Fail:
    """After a single send raised `error`: retry, or stop with the reason.

    Every retry sends the same sendId, so HubSpot sends at most once whether or not the failed attempt
    reached it: connection failures and timeouts, 5xx, 423, unreadable answers and rolling 429s are
    retried. A DAILY 429 stops (a retry would only find it spent until midnight), as do invalid inputs
    and HubSpot's refusals (401, 403, 400, 404, a 409 for another message), which a retry would repeat.
    """
    if isinstance(error, InvalidInputError):
        return Fail(InvalidTaskInputError(str(error)))
    if isinstance(error, DailyLimitReachedError):
        return Fail(_daily(error))
    wait = backoff(retries_done, base=base, cap=cap, jitter=jitter)
    if isinstance(error, RateLimitError):
        if error.policy_name == DAILY_POLICY:
            return Fail(_daily(error))
        retry_after = error.retry_after
        return Retry(wait if retry_after is None else retry_after, f"rate limited: {error}")
    if isinstance(error, LockedError):
        return Retry(max(wait, 2.0), f"locked: {error}")  # HubSpot: wait at least 2 seconds after a 423
    if isinstance(error, APIConnectionError | InternalServerError | APIResponseValidationError):
        return Retry(wait, f"{type(error).__name__}: {error}")
    return Fail(HubSpotTaskError(f"{type(error).__name__}: {error}"))


def chunk_decision(
    error: Exception | None,
    retries_done: int,
    *,
    base: float,
    cap: float,
    jitter: float,
    window_wait: float | None = None,
) -> Retry | Fail | None:
    """After a batch chunk's call ended with `error` on the whole chunk (None: HubSpot answered it):
    retry, stop, or None to report its outcomes as they are.

    Batch create and attendance have no idempotency key, so a chunk is retried only where HubSpot
    provably did not act: a rolling 429 (after `window_wait`, when the rate limiter knows the wait), a
    423, a connection never made. A DAILY 429 or a spent daily budget stops it. Anything after which
    HubSpot may have acted (a timeout, a 5xx, an unreadable answer) is never retried: its outcomes say
    `unknown`.
    """
    if error is None:
        return None
    if isinstance(error, InvalidInputError):
        return Fail(InvalidTaskInputError(str(error)))
    if isinstance(error, DailyLimitReachedError):
        return Fail(_daily(error))
    wait = backoff(retries_done, base=base, cap=cap, jitter=jitter)
    if isinstance(error, RateLimitError):
        if error.policy_name == DAILY_POLICY:
            return Fail(_daily(error))
        countdown = window_wait if window_wait is not None else error.retry_after
        return Retry(wait if countdown is None else countdown, f"rate limited: {error}")
    if isinstance(error, LockedError):
        return Retry(max(wait, 2.0), f"locked: {error}")
    if isinstance(error, APIConnectionError) and not error.may_have_reached_hubspot:
        return Retry(wait, f"not sent: {error}")
    return None


# --- results as JSON ------------------------------------------------------------------------------


def send_result_json(result: SingleSendResult, send_id: str) -> dict[str, Any]:
    """A send's result as plain JSON: `state` is sent (or accepted), already_sent or refused."""
    state = "already_sent" if result.already_sent else "sent" if result.ok else "refused"
    return {
        "state": state,
        "send_id": send_id,
        "send_result": None if result.send_result is None else str(result.send_result),
        "status": None if result.status is None else str(result.status),
        "status_id": result.status_id,
        "event_id": result.event_id,
        "message": result.message,
        "http_status": result.http_status,
    }


def outcome_json(outcome: Outcome[Any], trace_id: str | None = None) -> dict[str, Any]:
    """One batch input's outcome as plain JSON: index, state, the record's id (an engagement's `id`, an
    attendee's contact `vid`) when created, the reason when not, and the trace id it was sent with."""
    created = outcome.state.value == "created"
    raw = outcome.raw or {}
    record_id = raw.get("id", raw.get("vid")) if created else None
    reason = None
    if not created:
        reason = outcome.reason or (str(outcome.error) if outcome.error is not None else None)
    data: dict[str, Any] = {
        "index": outcome.index,
        "state": outcome.state.value,
        "id": None if record_id is None else str(record_id),
        "reason": reason,
    }
    if trace_id is not None:
        data["trace_id"] = trace_id
    return data


def batch_outcomes_json(result: BatchResult[Any], trace_ids: Sequence[str] | None) -> list[dict[str, Any]]:
    return [
        outcome_json(outcome, None if trace_ids is None else trace_ids[position])
        for position, outcome in enumerate(result.outcomes)
    ]


def whole_chunk(offset: int, size: int, state: str, reason: str) -> list[dict[str, Any]]:
    return [
        {"index": offset + position, "state": state, "id": None, "reason": reason} for position in range(size)
    ]


@dataclass(frozen=True)
class ChunkEnd:
    """How one chunk task ended, as the collector saw it: its outcomes (it succeeded), or its failure's
    class name and message (it failed), or neither (it never ran to an end)."""

    offset: int
    size: int
    outcomes: Sequence[Mapping[str, Any]] | None = None
    error_type: str | None = None
    error: str | None = None


# Failures raised before anything was sent: their inputs provably failed.
NOT_SENT_ERRORS = frozenset({InvalidTaskInputError.__name__, DailyLimitError.__name__})


def merge_chunk_ends(total: int, ends: Sequence[ChunkEnd]) -> list[dict[str, Any]]:
    """Exactly one outcome per input, in input order, from how each chunk task ended.

    A chunk that failed before sending (invalid input, the daily limit) has its inputs `failed`; one
    that failed otherwise, or answered with outcomes that do not cover its inputs, leaves them
    `unknown` (HubSpot may have acted). An input no chunk covers is `unknown` too: nothing is dropped.
    """
    merged: list[dict[str, Any] | None] = [None] * total
    for end in ends:
        span = range(end.offset, min(end.offset + end.size, total))
        if end.outcomes is not None:
            by_index = {
                outcome.get("index"): dict(outcome)
                for outcome in end.outcomes
                if isinstance(outcome, Mapping)
            }
            for index in span:
                merged[index] = by_index.get(index) or {
                    "index": index,
                    "state": "unknown",
                    "id": None,
                    "reason": "the chunk task's result has no outcome for this input",
                }
            continue
        if end.error_type in NOT_SENT_ERRORS:
            state, reason = "failed", f"not sent: {end.error}"
        elif end.error_type is not None:
            state = "unknown"
            reason = (
                f"the chunk task failed ({end.error_type}: {end.error}); HubSpot may or may not have acted"
            )
        else:
            state, reason = "unknown", "the chunk task did not finish"
        for outcome in whole_chunk(end.offset, len(span), state, reason):
            merged[outcome["index"]] = outcome
    return [
        outcome
        if outcome is not None
        else {"index": index, "state": "unknown", "id": None, "reason": "no chunk task covered this input"}
        for index, outcome in enumerate(merged)
    ]


# --- JSON inputs --------------------------------------------------------------------------------


def _moment(field: str, value: object, fallback_now: bool = False) -> datetime:
    """An aware datetime from ISO 8601 with an offset, or epoch milliseconds (an int)."""
    if value is None and fallback_now:
        return datetime.now(UTC)
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(value))
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
        if moment is not None and moment.utcoffset() is not None:
            return moment
        raise InvalidInputError(
            field,
            f"{value!r} is not ISO 8601 with a UTC offset",
            "Pass e.g. '2026-03-01T10:00:00Z', or epoch milliseconds as an int.",
        )
    raise InvalidInputError(
        field,
        f"expected ISO 8601 text or epoch milliseconds, got {type(value).__name__} {value!r}",
        "Pass e.g. '2026-03-01T10:00:00Z', or epoch milliseconds as an int.",
    )


def _within(field: str, error: InvalidInputError) -> InvalidInputError:
    """The same refusal, its field named inside the input (`inputs[3].timestamp`)."""
    raised = InvalidInputError(f"{field}.{error.field}", "", "")
    raised.args = (f"{field}.{error}",)  # its message starts with its field's name
    return raised


def _mapping(field: str, data: object, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            field, f"expected a JSON object, got {type(data).__name__}", "Pass a dict of the input's fields."
        )
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise InvalidInputError(
            f"{field}.{unknown[0]}", "not a field of this input", f"Use only: {', '.join(sorted(allowed))}."
        )
    return data


def engagement_from_json(field: str, data: object, trace_id: str | None = None) -> EmailCreateInput:
    """An email engagement from plain JSON (the keyword arguments of `email_engagement`, with
    `timestamp` as ISO 8601 text or epoch milliseconds); a refusal names `field.<key>`."""
    from hubspot_email._engagements import email_engagement
    from hubspot_email._inputs import prepare_engagements

    values = dict(_mapping(field, data, ENGAGEMENT_FIELDS))
    try:
        values["timestamp"] = _moment("timestamp", values.get("timestamp"))
        if trace_id is not None and values.get("trace_id") is None:
            values["trace_id"] = trace_id
        built = email_engagement(**values)
        prepare_engagements([built])  # every check the batch call makes
    except InvalidInputError as error:
        raise _within(field, error) from None
    except TypeError as error:  # a value of the wrong shape that the checks did not name
        raise InvalidInputError(field, str(error), "Check the input's fields.") from None
    return built


def attendee_from_json(field: str, data: object) -> AttendeeByEmail:
    """An attendee from plain JSON (the keyword arguments of `attendee`, with `at` as ISO 8601 text or
    epoch milliseconds, now when absent); a refusal names `field.<key>`."""
    from hubspot_email._engagements import attendee
    from hubspot_email._inputs import prepare_attendees

    values = dict(_mapping(field, data, ATTENDEE_FIELDS))
    try:
        values["at"] = _moment("at", values.get("at"), fallback_now=True)
        built = attendee(**values)
        prepare_attendees([built])
    except InvalidInputError as error:
        raise _within(field, error) from None
    except TypeError as error:
        raise InvalidInputError(field, str(error), "Check the input's fields.") from None
    return built
