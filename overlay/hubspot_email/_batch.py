"""Batches: splitting inputs into chunks and giving every input exactly one outcome. No I/O here.

An outcome is `created` (with the record HubSpot made), `failed` (with HubSpot's reason; HubSpot did not
act on it) or `unknown` (HubSpot may or may not have acted: retrying could duplicate it).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from hubspot_email_api.models import (
    AttendeeByEmail,
    BatchResponseSimplePublicObject,
    BatchResponseSubscriberEmail,
    EmailCreateInput,
    SimplePublicObject,
    StandardError,
    SubscriberEmailResult,
)
from hubspot_email_api.types import Unset

from ._exceptions import APIStatusError, HubSpotError, InternalServerError
from ._validation import InvalidInputError

__all__ = ["BatchResult", "Outcome", "OutcomeState"]

DEFAULT_CHUNK_SIZE = 100
ItemT = TypeVar("ItemT")
RecordT = TypeVar("RecordT")


class OutcomeState(enum.StrEnum):
    CREATED = "created"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome(Generic[RecordT]):
    """What became of one input. `index` is its position in the caller's inputs."""

    index: int
    state: OutcomeState
    record: RecordT | None = None
    error: StandardError | HubSpotError | None = None


@dataclass
class BatchResult(Generic[RecordT]):
    """Every input's outcome, in input order, merged across chunks."""

    outcomes: list[Outcome[RecordT]] = field(default_factory=list)

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
    def ok(self) -> bool:
        return all(outcome.state is OutcomeState.CREATED for outcome in self.outcomes)


def chunked(items: Sequence[ItemT], size: int) -> Iterator[tuple[int, Sequence[ItemT]]]:
    """(offset of the chunk's first item, the chunk) for consecutive chunks of at most `size` items."""
    if size < 1:
        raise InvalidInputError("chunk_size", f"expected 1 or more, got {size}", "HubSpot takes up to 100.")
    for offset in range(0, len(items), size):
        yield offset, items[offset : offset + size]


def outcomes_from_response(
    offset: int, chunk: Sequence[EmailCreateInput], response: BatchResponseSimplePublicObject
) -> list[Outcome[SimplePublicObject]]:
    """Match a 2xx answer back to the chunk's inputs, through their trace ids.

    Errors name their input by `context.objectWriteTraceId`; results by `objectWriteTraceId`. When no
    result carries a trace id, results are paired with the inputs that did not fail, in order, but only
    if the counts agree; any input left unmatched is `unknown`, never assumed created.
    """
    position = {str(item.object_write_trace_id): offset + i for i, item in enumerate(chunk)}
    outcomes: dict[int, Outcome[SimplePublicObject]] = {}
    for error in response.errors if isinstance(response.errors, list) else []:
        for trace_id in _trace_ids_of(error):
            if trace_id in position:
                index = position[trace_id]
                outcomes[index] = Outcome(index, OutcomeState.FAILED, error=error)
    untraced: list[SimplePublicObject] = []
    for record in response.results:
        record_trace = record.object_write_trace_id
        if (
            isinstance(record_trace, str)
            and record_trace in position
            and position[record_trace] not in outcomes
        ):
            index = position[record_trace]
            outcomes[index] = Outcome(index, OutcomeState.CREATED, record=record)
        else:
            untraced.append(record)
    remaining = [offset + i for i in range(len(chunk)) if offset + i not in outcomes]
    if untraced and len(untraced) == len(remaining) and len(untraced) == len(response.results):
        for index, record in zip(remaining, untraced, strict=True):
            outcomes[index] = Outcome(index, OutcomeState.CREATED, record=record)
    return [outcomes.get(offset + i, Outcome(offset + i, OutcomeState.UNKNOWN)) for i in range(len(chunk))]


def outcomes_from_error(offset: int, size: int, error: HubSpotError) -> list[Outcome[Any]]:
    """Every input of a chunk whose request failed as a whole.

    A 4xx answer means HubSpot refused the request (failed), except where it may have acted on it;
    a 5xx, a timeout or a broken connection leaves it unknown.
    """
    refused = isinstance(error, APIStatusError) and not isinstance(error, InternalServerError)
    state = OutcomeState.FAILED if refused else OutcomeState.UNKNOWN
    return [Outcome(offset + i, state, error=error) for i in range(size)]


def _trace_ids_of(error: StandardError) -> list[str]:
    if isinstance(error.context, Unset):
        return []
    values = error.context.additional_properties.get("objectWriteTraceId", [])
    return [value for value in values if isinstance(value, str)]


def attendance_outcomes(
    offset: int, chunk: Sequence[AttendeeByEmail], response: BatchResponseSubscriberEmail
) -> list[Outcome[SubscriberEmailResult]]:
    """Match an attendance answer back to its inputs by email address.

    A result names its email; an error is matched to the inputs whose email appears in its context.
    An input in neither is `unknown`.
    """
    results = {result.email.lower(): result for result in response.results}
    failed: dict[str, StandardError] = {}
    for error in response.errors if isinstance(response.errors, list) else []:
        if isinstance(error.context, Unset):
            continue
        for values in error.context.additional_properties.values():
            for value in values:
                if isinstance(value, str):
                    failed.setdefault(value.lower(), error)
    outcomes: list[Outcome[SubscriberEmailResult]] = []
    for position, item in enumerate(chunk):
        index, email = offset + position, item.email.lower()
        if email in failed:
            outcomes.append(Outcome(index, OutcomeState.FAILED, error=failed[email]))
        elif email in results:
            outcomes.append(Outcome(index, OutcomeState.CREATED, record=results[email]))
        else:
            outcomes.append(Outcome(index, OutcomeState.UNKNOWN))
    return outcomes
