"""Batches: every input gets exactly one true outcome, and nothing HubSpot said is lost. No I/O here.

An outcome is `created` (HubSpot made the record), `failed` (HubSpot did not act on it, and says why)
or `unknown` (HubSpot may or may not have acted: resending could duplicate it; `reason` says why it is
not known). Each chunk's answer is kept in a `ChunkReport`: HubSpot's batch status and timestamps, every
error (those that name no input too), records that could not be paired with an input, and the JSON.

Results are paired with inputs only by what HubSpot echoes (a CRM input's `objectWriteTraceId`, an
attendee's email), never by position: HubSpot does not promise to answer in input order.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

import httpx
from dateutil import tz
from dateutil.parser import isoparse
from hubspot_email_api.models import (
    AttendeeByEmail,
    ProcessingStatus,
    SimplePublicObject,
    StandardError,
    SubscriberEmailResult,
)

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    DailyLimitReachedError,
    HubSpotError,
    error_class_for_status,
)
from ._http import Answer, summary
from ._results import enum_or_text
from ._validation import InvalidInputError

__all__ = ["BatchResult", "ChunkReport", "Outcome", "OutcomeState"]

ItemT = TypeVar("ItemT")
RecordT = TypeVar("RecordT")
ModelT = TypeVar("ModelT")
ParsedT_co = TypeVar("ParsedT_co", covariant=True)


class OutcomeState(enum.StrEnum):
    CREATED = "created"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome(Generic[RecordT]):
    """What became of one input. `index` is its position in the caller's inputs.

    `record` is the typed record HubSpot made (None when failed or unknown, or when the record's JSON
    does not fit the spec), parsed when first read; `error` HubSpot's per-input error or the failure of
    the whole request; `reason` says in words why an input failed or is unknown; `raw` is HubSpot's JSON
    for this input (its result or its error), as sent.
    """

    index: int
    state: OutcomeState
    record: RecordT | None = None
    error: StandardError | HubSpotError | None = None
    reason: str | None = None
    raw: Mapping[str, Any] | None = None

    @classmethod
    def created(
        cls, index: int, raw: Mapping[str, Any], parse: Callable[[dict[str, Any]], RecordT]
    ) -> Outcome[RecordT]:
        """A created outcome whose `record` (and `reason`, should the JSON not fit the spec) is parsed from
        `raw` when first read: parsing is most of the cost of reading a batch's answer (~6 us a CRM record),
        and most callers look only at the states."""
        # Built without __init__ (a third of the time, for each of a batch's inputs): the fields as
        # __init__ would set them, and what the descriptors below parse on first read.
        outcome = object.__new__(cls)
        object.__setattr__(
            outcome,
            "__dict__",
            {
                "index": index,
                "state": OutcomeState.CREATED,
                "record": None,
                "error": None,
                "reason": None,
                "raw": raw,
                _PARSE: parse,
            },
        )
        return outcome


# The keys of a created outcome's instance dict holding how `raw` is parsed on first read, and the result.
_PARSE = "_parse"
_PARSED = "_parsed"


class _ParsedOnFirstRead:
    """The descriptor of `Outcome.record` (position 0) and `Outcome.reason` (1). Set in `__init__` as any
    field is; read, it is the value set, unless `Outcome.created` left a record to parse. Equality, repr
    and `dataclasses.replace` read the fields, so they see the parsed values; a copy or a pickle keeps
    the instance dict, and so the record still to parse."""

    def __init__(self, name: str, position: int) -> None:
        self._name = name
        self._position = position

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return None  # the field's default, as the class attribute was
        state = instance.__dict__
        parse = state.get(_PARSE)
        if parse is None:
            return state[self._name]
        # setdefault: two threads reading at once agree on one record object.
        parsed = state.get(_PARSED) or state.setdefault(_PARSED, _parse_record(parse, state["raw"]))
        return parsed[self._position]

    def __set__(self, instance: object, value: object) -> None:
        instance.__dict__[self._name] = value


# Installed after @dataclass has made the fields (typed as declared above) and __init__ (which sets them
# through the descriptors).
Outcome.record = _ParsedOnFirstRead("record", 0)  # type: ignore[misc]
Outcome.reason = _ParsedOnFirstRead("reason", 1)  # type: ignore[assignment]


@dataclass(frozen=True)
class ChunkReport(Generic[RecordT]):
    """One request of a batch: its inputs' outcomes, and everything HubSpot's answer said.

    `http_status` and `headers` are None when no answer came (then `error` says what happened).
    `status` is HubSpot's batch status (COMPLETE, PENDING, or a newer value as a string); timestamps
    are datetimes, or HubSpot's strings when they do not parse. `errors` lists every per-input error
    (typed, or HubSpot's JSON when it does not fit the spec); `unmatched_errors` and
    `unmatched_results` are those that could not be paired with an input of this chunk.
    """

    offset: int
    outcomes: list[Outcome[RecordT]]
    http_status: int | None = None
    headers: httpx.Headers | None = None
    status: ProcessingStatus | str | None = None
    requested_at: datetime | str | None = None
    started_at: datetime | str | None = None
    completed_at: datetime | str | None = None
    num_errors: int | None = None
    errors: list[StandardError | Mapping[str, Any]] = field(default_factory=list)
    unmatched_errors: list[StandardError | Mapping[str, Any]] = field(default_factory=list)
    unmatched_results: list[RecordT | Mapping[str, Any]] = field(default_factory=list)
    body: Any = None
    error: HubSpotError | None = None

    @property
    def size(self) -> int:
        return len(self.outcomes)


@dataclass
class BatchResult(Generic[RecordT]):
    """Every input's outcome, in input order, and the report of every chunk."""

    outcomes: list[Outcome[RecordT]] = field(default_factory=list)
    chunks: list[ChunkReport[RecordT]] = field(default_factory=list)

    @classmethod
    def from_chunks(cls, chunks: Iterable[ChunkReport[RecordT]]) -> BatchResult[RecordT]:
        reports = sorted(chunks, key=lambda chunk: chunk.offset)
        return cls([outcome for chunk in reports for outcome in chunk.outcomes], reports)

    @property
    def created(self) -> list[Outcome[RecordT]]:
        return [outcome for outcome in self.outcomes if outcome.state is OutcomeState.CREATED]

    @property
    def failed(self) -> list[Outcome[RecordT]]:
        return [outcome for outcome in self.outcomes if outcome.state is OutcomeState.FAILED]

    @property
    def unknown(self) -> list[Outcome[RecordT]]:
        return [outcome for outcome in self.outcomes if outcome.state is OutcomeState.UNKNOWN]

    @property
    def unmatched_errors(self) -> list[StandardError | Mapping[str, Any]]:
        """Errors HubSpot reported that name no input (they are also in their chunk's `errors`)."""
        return [error for chunk in self.chunks for error in chunk.unmatched_errors]

    @property
    def unmatched_results(self) -> list[RecordT | Mapping[str, Any]]:
        """Records HubSpot returned that could not be paired with an input."""
        return [result for chunk in self.chunks for result in chunk.unmatched_results]

    @property
    def ok(self) -> bool:
        return all(outcome.state is OutcomeState.CREATED for outcome in self.outcomes)


def chunked(items: Sequence[ItemT], size: int) -> Iterator[tuple[int, Sequence[ItemT]]]:
    """(offset of the chunk's first item, the chunk) for consecutive chunks of at most `size` items."""
    for offset in range(0, len(items), size):
        yield offset, items[offset : offset + size]


# ------------------------------------------------------------------------------ pairing by echoes
@dataclass(frozen=True)
class Pairing(Generic[ParsedT_co]):
    """How one operation's answer names its inputs."""

    # The key an input is known by in the answer (trace id, lower-case email).
    result_key: Callable[[Mapping[str, Any]], str | None]
    error_keys: Callable[[Mapping[str, Any]], list[str]]
    parse_record: Callable[[dict[str, Any]], ParsedT_co]


def _trace_id_of_result(result: Mapping[str, Any]) -> str | None:
    trace_id = result.get("objectWriteTraceId")
    return trace_id if isinstance(trace_id, str) else None


def _trace_ids_of_error(error: Mapping[str, Any]) -> list[str]:
    context = error.get("context")
    values = context.get("objectWriteTraceId") if isinstance(context, Mapping) else None
    if isinstance(values, str):
        return [values]
    return [value for value in values if isinstance(value, str)] if isinstance(values, list) else []


def _email_of_result(result: Mapping[str, Any]) -> str | None:
    email = result.get("email")
    return email.lower() if isinstance(email, str) else None


def _emails_in_error(error: Mapping[str, Any]) -> list[str]:
    """Every string in an attendance error's context, lower-cased: HubSpot names the failing email
    there, under a key it does not document."""
    context = error.get("context")
    if not isinstance(context, Mapping):
        return []
    found: list[str] = []
    for values in context.values():
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str):
                found.append(value.lower())
    return found


CRM_EMAILS: Pairing[SimplePublicObject] = Pairing(
    _trace_id_of_result, _trace_ids_of_error, SimplePublicObject.from_dict
)
ATTENDANCE: Pairing[SubscriberEmailResult] = Pairing(
    _email_of_result, _emails_in_error, SubscriberEmailResult.from_dict
)


def attendee_keys(chunk: Sequence[AttendeeByEmail]) -> list[str]:
    return [item.email.lower() for item in chunk]


# ------------------------------------------------------------------------------ reading an answer
def read_chunk(
    pairing: Pairing[RecordT], offset: int, keys: Sequence[str], answer: Answer
) -> ChunkReport[RecordT]:
    """The report of one chunk from HubSpot's final answer to it. Never raises: an answer that cannot
    be read leaves the chunk's inputs unknown (HubSpot may have acted), with the reason."""
    try:
        return _read_chunk(pairing, offset, keys, answer)
    except Exception as error:  # every input keeps an outcome, whatever went wrong
        problem = APIResponseValidationError(
            f"the answer could not be read ({type(error).__name__}: {error})", response=answer.response
        )
        return _whole_chunk(offset, len(keys), OutcomeState.UNKNOWN, problem, str(problem), answer.response)


def hubspot_refused(status: int) -> bool:
    """True when an answer's status proves HubSpot did not act on the request: a 4xx, except HubSpot's
    477 (an account migration, which it answers like a server error)."""
    return 400 <= status < 500 and status != 477


def _read_chunk(
    pairing: Pairing[RecordT], offset: int, keys: Sequence[str], answer: Answer
) -> ChunkReport[RecordT]:
    response, status = answer.response, answer.status_code
    body = answer.body
    if not 200 <= status < 300:
        detail = answer.decode_error or summary(response, body)
        error = error_class_for_status(status)(f"HubSpot answered {status}: {detail}", response=response)
        if hubspot_refused(status):
            return _whole_chunk(offset, len(keys), OutcomeState.FAILED, error, str(error), response, body)
        reason = f"HubSpot answered {status}, after which it may or may not have acted: {detail}"
        return _whole_chunk(offset, len(keys), OutcomeState.UNKNOWN, error, reason, response, body)
    if not isinstance(body, Mapping):
        problem = answer.decode_error or (
            "the body is not JSON" if body is None else f"the body is JSON {type(body).__name__}"
        )
        invalid = APIResponseValidationError(f"HubSpot answered {status}, but {problem}", response=response)
        reason = f"HubSpot answered {status}, so it took the request, but {problem}"
        return _whole_chunk(offset, len(keys), OutcomeState.UNKNOWN, invalid, reason, response, body)
    results = [item for item in _list(body.get("results")) if _is_mapping(item)]
    errors = [item for item in _list(body.get("errors")) if _is_mapping(item)]
    batch_status = enum_or_text(ProcessingStatus, body.get("status"))
    outcomes, unmatched_errors, unmatched_results = pair(pairing, offset, keys, results, errors, batch_status)
    num_errors = body.get("numErrors")
    return ChunkReport(
        offset=offset,
        outcomes=outcomes,
        http_status=status,
        headers=response.headers,
        status=batch_status,
        requested_at=_timestamp(body.get("requestedAt")),
        started_at=_timestamp(body.get("startedAt")),
        completed_at=_timestamp(body.get("completedAt")),
        num_errors=num_errors if isinstance(num_errors, int) and not isinstance(num_errors, bool) else None,
        errors=[_typed_error(error) for error in errors],
        unmatched_errors=[_typed_error(error) for error in unmatched_errors],
        unmatched_results=[_typed_record(pairing, result) for result in unmatched_results],
        body=body,
    )


def pair(
    pairing: Pairing[RecordT],
    offset: int,
    keys: Sequence[str],
    results: Sequence[Mapping[str, Any]],
    errors: Sequence[Mapping[str, Any]],
    batch_status: object = "COMPLETE",
) -> tuple[list[Outcome[RecordT]], list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Each input's outcome from the answer's results and errors, paired by the keys HubSpot echoes;
    and the errors and results that name no input.

    An input named by both a record and an error, or by neither, is unknown. One exception for
    answers that echo nothing: when exactly one input and exactly one unnamed record are left, and no
    error is unexplained, the record can only be that input's.
    """
    position = {key: index for index, key in enumerate(keys)}
    failed: dict[int, Mapping[str, Any]] = {}
    unmatched_errors: list[Mapping[str, Any]] = []
    for error in errors:
        named = [position[key] for key in pairing.error_keys(error) if key in position]
        if not named:
            unmatched_errors.append(error)
        for index in named:
            failed.setdefault(index, error)
    created: dict[int, Mapping[str, Any]] = {}
    unnamed: list[Mapping[str, Any]] = []
    unmatched_results: list[Mapping[str, Any]] = []
    for result in results:
        key = pairing.result_key(result)
        if key is None:
            unnamed.append(result)
        elif key in position and position[key] not in created:
            created[position[key]] = result
        else:
            # A key of no input of this chunk, or a second record for one input.
            unmatched_results.append(result)
    if len(unnamed) == 1 and not unmatched_errors:
        left = [index for index in range(len(keys)) if index not in failed and index not in created]
        if len(left) == 1:
            created[left[0]] = unnamed.pop()
    unmatched_results += unnamed
    outcomes: list[Outcome[RecordT]] = []
    parse = pairing.parse_record
    for index in range(len(keys)):
        where = offset + index
        if index not in failed:
            if index in created:  # the usual case first
                outcomes.append(Outcome.created(where, created[index], parse))
            else:
                outcomes.append(
                    Outcome(where, OutcomeState.UNKNOWN, reason=_why_unnamed(len(unnamed), batch_status))
                )
        elif index in created:
            outcomes.append(
                Outcome(
                    where,
                    OutcomeState.UNKNOWN,
                    error=_standard_error(failed[index]),
                    reason="HubSpot listed both a record and an error for this input",
                    raw=created[index],
                )
            )
        else:
            error = failed[index]
            message = error.get("message")
            outcomes.append(
                Outcome(
                    where,
                    OutcomeState.FAILED,
                    error=_standard_error(error),
                    reason=message
                    if isinstance(message, str)
                    else "HubSpot reported an error for this input",
                    raw=error,
                )
            )
    return outcomes, unmatched_errors, unmatched_results


def _why_unnamed(unnamed_records: int, batch_status: object) -> str:
    if unnamed_records:
        return (
            f"HubSpot returned {unnamed_records} record(s) that do not say which input they belong to; "
            "this input may be one of them"
        )
    reason = "HubSpot's answer names neither a record nor an error for this input"
    if batch_status is not None and str(batch_status) != "COMPLETE":
        reason += f" (the batch's status is {batch_status})"
    return reason


def no_answer(offset: int, size: int, error: Exception) -> ChunkReport[Any]:
    """The report of a chunk that got no answer: failed if the request provably never left, else unknown."""
    if isinstance(error, HubSpotError):
        failure = error
    else:
        failure = APIConnectionError(f"the request failed: {type(error).__name__}: {error}")
    never_sent = isinstance(failure, InvalidInputError | DailyLimitReachedError) or (
        isinstance(failure, APIConnectionError) and not failure.may_have_reached_hubspot
    )
    if never_sent:
        return _whole_chunk(offset, size, OutcomeState.FAILED, failure, f"not sent: {failure}")
    reason = f"no answer from HubSpot, which may or may not have acted: {failure}"
    return _whole_chunk(offset, size, OutcomeState.UNKNOWN, failure, reason)


def _whole_chunk(
    offset: int,
    size: int,
    state: OutcomeState,
    error: HubSpotError,
    reason: str,
    response: httpx.Response | None = None,
    body: Any = None,
) -> ChunkReport[Any]:
    return ChunkReport(
        offset=offset,
        outcomes=[Outcome(offset + index, state, error=error, reason=reason) for index in range(size)],
        http_status=None if response is None else response.status_code,
        headers=None if response is None else response.headers,
        body=body,
        error=error,
    )


def _is_mapping(value: object) -> bool:
    return type(value) is dict or isinstance(value, Mapping)  # JSON's dicts without the slower ABC check


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# HubSpot's own form of a moment, e.g. 2026-11-23T10:00:00.123Z. `datetime.fromisoformat` reads it ~40x
# faster than `isoparse` into the same datetime (a test holds the two together); any other form, or a
# value fromisoformat refuses, is left to isoparse.
_UTC_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?Z")


def _timestamp(value: object) -> datetime | str | None:
    if not isinstance(value, str):
        return None
    if _UTC_TIMESTAMP.fullmatch(value):
        try:
            return datetime.fromisoformat(value[:-1]).replace(tzinfo=tz.UTC)
        except ValueError:
            pass
    try:
        return isoparse(value)
    except (ValueError, OverflowError):
        return value


def _standard_error(error: Mapping[str, Any]) -> StandardError | None:
    try:
        return StandardError.from_dict(dict(error))
    except Exception:  # an error that does not fit the spec stays available as JSON
        return None


def _typed_error(error: Mapping[str, Any]) -> StandardError | Mapping[str, Any]:
    typed = _standard_error(error)
    return error if typed is None else typed


def _parse_record(
    parse: Callable[[dict[str, Any]], ModelT], result: Mapping[str, Any]
) -> tuple[ModelT | None, str | None]:
    """The typed record, or None with the reason its JSON does not fit the spec."""
    try:
        return parse(dict(result)), None
    except Exception as error:  # the record exists; only its format is unexpected
        return None, f"the record's JSON does not fit the spec ({type(error).__name__}: {error})"


def _typed_record(pairing: Pairing[ModelT], result: Mapping[str, Any]) -> ModelT | Mapping[str, Any]:
    record, _problem = _parse_record(pairing.parse_record, result)
    return result if record is None else record
