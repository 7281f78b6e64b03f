"""`SingleSendResult`: what a single send (v4 or legacy v1) returns, and how an answer becomes one; and
`SendStatus`: what the send-status lookup says of a v4 send later.

Two rules shape them. "Already sent" is a result, not an error: v4's IDEMPOTENT_IGNORE and v1's 409 for a
sendId that was already used for this send both mean the email went out once, and a caller shown an
error would resend it. And a 2xx is never turned into an error by the format of one field: the fields
are read leniently from the JSON, and the typed model is kept beside them when it parses. In the same
spirit a 404 from the status lookup is a `SendStatus` that was not found, never the send's failure.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeVar

from hubspot_email_api.models import (
    EmailSendStatusView,
    LegacySendResponse,
    LegacySendResult,
    ProcessingStatus,
    SendResult,
)

from ._exceptions import (
    APIResponseValidationError,
    HubSpotError,
    after_earlier_attempt,
    error_class_for_status,
)
from ._http import Answer, summary

__all__ = ["SendStatus", "SingleSendResult"]

# Sent, or accepted for sending.
ACCEPTED_RESULTS = frozenset({"SENT", "QUEUED"})
# An email with this sendId was already sent (as after a retry whose first attempt went through).
ALREADY_SENT_RESULTS = frozenset({"IDEMPOTENT_IGNORE"})
# Results that name a passing condition on HubSpot's side: the same send may succeed later.
RETRYABLE_RESULTS = frozenset({"THROTTLED", "ATTACHMENT_DOWNLOAD_QUEUE_FULL"})
IN_FLIGHT_STATUSES = frozenset({"PENDING", "PROCESSING", "COMPLETE"})
# HubSpot is done with the request: its status will not change again.
FINAL_STATUSES = frozenset({"COMPLETE", "CANCELED"})

EnumT = TypeVar("EnumT", bound=StrEnum)


@dataclass(frozen=True)
class SingleSendResult:
    """The outcome of one single send.

    `already_sent` is true when HubSpot says an email with this sendId was already sent (v4
    IDEMPOTENT_IGNORE, or v1's 409 for a repeated sendId): the email went out once; do not resend it
    with another sendId. `body` is the JSON HubSpot sent; `raw` the typed model of it (a `raw_type`),
    or None when a field's format differs from the spec (`parse_problem` says which), in which case the
    fields above were still read from `body`. `raw` is parsed from `body` when first read: most callers
    never read it, and parsing its date-times costs more than the rest of the result.
    """

    send_result: SendResult | LegacySendResult | str | None
    status: ProcessingStatus | str | None
    status_id: str | None
    event_id: str | None
    message: str | None
    already_sent: bool
    http_status: int
    body: Mapping[str, Any]
    # The model `raw` is parsed as; None where the body has none (v1's 409 for a repeated sendId).
    raw_type: type[EmailSendStatusView] | type[LegacySendResponse] | None = None

    @cached_property
    def _parsed(self) -> tuple[EmailSendStatusView | LegacySendResponse | None, str | None]:
        if self.raw_type is None:
            return None, None
        return _typed(self.raw_type.from_dict, dict(self.body))

    @property
    def raw(self) -> EmailSendStatusView | LegacySendResponse | None:
        return self._parsed[0]

    @property
    def parse_problem(self) -> str | None:
        return self._parsed[1]

    def __getstate__(self) -> dict[str, Any]:
        # Pickled without the parsed model, which is parsed again from `body` when read: the generated
        # models' UNSET marker does not survive a pickle as itself.
        return {name: value for name, value in self.__dict__.items() if name != "_parsed"}

    @property
    def ok(self) -> bool:
        """Sent, accepted, or already sent; with no result yet, a send in flight (PENDING, PROCESSING)."""
        if self.already_sent:
            return True
        if self.send_result is not None:
            return str(self.send_result) in ACCEPTED_RESULTS
        return self.status is not None and str(self.status) in IN_FLIGHT_STATUSES

    @property
    def retryable(self) -> bool:
        """Not sent now, but the same send (same send_id) may succeed later."""
        return self.send_result is not None and str(self.send_result) in RETRYABLE_RESULTS


def is_final(status: object) -> bool:
    """True for COMPLETE and CANCELED; PENDING, PROCESSING, a value HubSpot adds later, or none may still
    change."""
    return status is not None and str(status) in FINAL_STATUSES


@dataclass(frozen=True)
class SendStatus:
    """What HubSpot says now of one v4 send, asked by its status id (`get_send_status`, `wait_for_send`).

    `status` says whether HubSpot has finished with the request: PENDING, PROCESSING, or one of the final
    COMPLETE and CANCELED (`final`). `send_result` says what the send attempt did (SENT, QUEUED,
    PREVIOUSLY_BOUNCED, ...): None until there was an attempt, and for a CANCELED request. The two are
    independent: QUEUED may come with COMPLETE. Each is an enum member, or the string HubSpot sent when the
    value is new.

    `found` is False when HubSpot answered 404: it knows no send status by this id. That says nothing of
    the send itself (which may well have gone out): never read it as a failed send, and never resend
    because of it with another sendId. The other fields are then None.

    `status_id` is the id asked about. `requested_at`, `started_at` and `completed_at` are aware
    datetimes, or None when absent or not a date-time. `body` is the JSON HubSpot sent; `raw` the typed
    model of it, or None when a field's format differs from the spec (`parse_problem` says which), in
    which case the fields above were still read from `body`.
    """

    status_id: str
    found: bool
    status: ProcessingStatus | str | None
    send_result: SendResult | str | None
    event_id: str | None
    message: str | None
    requested_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    http_status: int
    body: Mapping[str, Any]
    raw: EmailSendStatusView | None
    parse_problem: str | None = None

    @property
    def final(self) -> bool:
        """HubSpot is done with the request (COMPLETE or CANCELED): asking again will tell nothing new."""
        return self.found and is_final(self.status)

    @property
    def already_sent(self) -> bool:
        """HubSpot ignored this request as a repeat: an email with its sendId was already sent."""
        return self.send_result is not None and str(self.send_result) in ALREADY_SENT_RESULTS

    @property
    def ok(self) -> bool:
        """Sent, accepted or already sent; with no result yet, a request still in flight. False when not
        found, CANCELED, or refused (a failure `send_result`)."""
        if not self.found or str(self.status) == "CANCELED":
            return False
        if self.send_result is None or self.already_sent:
            return True
        return str(self.send_result) in ACCEPTED_RESULTS


def names_a_repeated_send_id(body: Any) -> bool:
    """True when a 409 says this sendId was already used for this send (sent, or in progress).

    False when it says the sendId belongs to a different message (a real conflict: this email was not
    sent) or does not speak of a sendId at all. HubSpot documents no code for this, so the message and
    context are read; a 409 that is not clearly a repeat stays an error.
    """
    if not isinstance(body, Mapping):
        return False
    message = body.get("message")
    text = message.lower() if isinstance(message, str) else ""
    context = body.get("context")
    names_send_id = "sendid" in text.replace(" ", "") or (
        isinstance(context, Mapping) and "sendId" in context
    )
    return names_send_id and "different" not in text


def read_single_send(operation_name: str, legacy: bool, answer: Answer) -> SingleSendResult:
    """The result of a single send's final answer, or the error it is (raised). After an earlier attempt
    HubSpot may have acted on, the error says so (`HubSpotError.earlier_attempt_may_have_acted`): a
    429 or a 5xx on the last attempt does not mean the email was not sent."""
    try:
        return _read_single_send(operation_name, legacy, answer)
    except HubSpotError as error:
        if not answer.earlier_attempt_may_have_acted:
            raise
        failure = error
    raise after_earlier_attempt(failure)


def _read_single_send(operation_name: str, legacy: bool, answer: Answer) -> SingleSendResult:
    response = answer.response
    status = response.status_code
    if answer.decode_error is not None:
        if 200 <= status < 300:
            raise APIResponseValidationError(
                f"{operation_name}: HubSpot answered {status}, so it took the request, but "
                f"{answer.decode_error}. If you resend, use the same send_id: HubSpot sends at most one "
                "email per sendId",
                response=response,
            )
        if status == 409:
            # A 409 may say "already sent": unread, it must not read as a refusal.
            raise APIResponseValidationError(
                f"{operation_name}: HubSpot answered 409, which may mean an email with this sendId was "
                f"already sent, but {answer.decode_error}. If you resend, use the same send_id",
                response=response,
            )
        raise error_class_for_status(status)(
            f"{operation_name}: HubSpot answered {status}; {answer.decode_error}", response=response
        )
    body = answer.body
    if status == 409 and isinstance(body, Mapping) and names_a_repeated_send_id(body):
        return SingleSendResult(
            send_result=None,
            status=None,
            status_id=None,
            event_id=None,
            message=_text(body.get("message")),
            already_sent=True,
            http_status=status,
            body=body,
        )
    if not 200 <= status < 300:
        raise error_class_for_status(status)(
            f"{operation_name}: HubSpot answered {status}: {summary(response, body)}",
            response=response,
        )
    if not isinstance(body, dict):
        described = "no JSON" if body is None else f"JSON {type(body).__name__}, not an object"
        raise APIResponseValidationError(
            f"{operation_name}: HubSpot answered {status} with {described}. If you resend, use the same "
            "send_id: HubSpot sends at most one email per sendId",
            response=response,
        )
    return legacy_result(body, status) if legacy else v4_result(body, status)


def v4_result(body: dict[str, Any], http_status: int) -> SingleSendResult:
    send_result = enum_or_text(SendResult, body.get("sendResult"))
    return SingleSendResult(
        send_result=send_result,
        status=enum_or_text(ProcessingStatus, body.get("status")),
        status_id=_text(body.get("statusId")),
        event_id=_event_id(body),
        message=_text(body.get("message")),
        already_sent=send_result is not None and str(send_result) in ALREADY_SENT_RESULTS,
        http_status=http_status,
        body=body,
        raw_type=EmailSendStatusView,
    )


def read_send_status(operation_name: str, status_id: str, answer: Answer) -> SendStatus:
    """The send status in the lookup's final answer (a 404 is one that was not found), or the error it
    is (raised). A status lookup changes nothing, so every error here says to ask again."""
    response = answer.response
    status = response.status_code
    if status == 404:
        body = answer.body
        return not_found_status(status_id, body if isinstance(body, Mapping) else {})
    if answer.decode_error is not None:
        error_type = APIResponseValidationError if 200 <= status < 300 else error_class_for_status(status)
        raise error_type(
            f"{operation_name}: HubSpot answered {status}, but {answer.decode_error}; ask again",
            response=response,
        )
    body = answer.body
    if not 200 <= status < 300:
        raise error_class_for_status(status)(
            f"{operation_name}: HubSpot answered {status}: {summary(response, body)}", response=response
        )
    if not isinstance(body, dict):
        described = "no JSON" if body is None else f"JSON {type(body).__name__}, not an object"
        raise APIResponseValidationError(
            f"{operation_name}: HubSpot answered {status} with {described}; ask again", response=response
        )
    return status_from_body(status_id, body, status)


def status_from_body(status_id: str, body: Mapping[str, Any], http_status: int) -> SendStatus:
    """A found send status, read leniently from an `EmailSendStatusView` body (the lookup's, or the
    v4 send's own answer, which has the same shape)."""
    raw, problem = _typed(EmailSendStatusView.from_dict, dict(body))
    return SendStatus(
        status_id=status_id,
        found=True,
        status=enum_or_text(ProcessingStatus, body.get("status")),
        send_result=enum_or_text(SendResult, body.get("sendResult")),
        event_id=_event_id(body),
        message=_text(body.get("message")),
        requested_at=_moment(body.get("requestedAt")),
        started_at=_moment(body.get("startedAt")),
        completed_at=_moment(body.get("completedAt")),
        http_status=http_status,
        body=body,
        raw=raw,
        parse_problem=problem,
    )


def not_found_status(status_id: str, body: Mapping[str, Any]) -> SendStatus:
    return SendStatus(
        status_id=status_id,
        found=False,
        status=None,
        send_result=None,
        event_id=None,
        message=_text(body.get("message")),
        requested_at=None,
        started_at=None,
        completed_at=None,
        http_status=404,
        body=body,
        raw=None,
    )


def legacy_result(body: dict[str, Any], http_status: int) -> SingleSendResult:
    return SingleSendResult(
        send_result=enum_or_text(LegacySendResult, body.get("sendResult")),
        status=None,
        status_id=None,
        event_id=_event_id(body),
        message=_text(body.get("message")),
        already_sent=False,
        http_status=http_status,
        body=body,
        raw_type=LegacySendResponse,
    )


def enum_or_text(enum_type: type[EnumT], value: object) -> EnumT | str | None:
    """A known value as its member, a new one as the string HubSpot sent, anything else as None."""
    if not isinstance(value, str):
        return None
    members: dict[str, EnumT] = _members(enum_type)
    return members.get(value, value)


@functools.cache
def _members(enum_type: type[EnumT]) -> dict[str, EnumT]:
    # A dict look-up: calling the enum costs a microsecond, and raising for a new value several.
    return {member.value: member for member in enum_type}


ModelT = TypeVar("ModelT")


def _typed(
    parse: Callable[[dict[str, Any]], ModelT], body: dict[str, Any]
) -> tuple[ModelT | None, str | None]:
    try:
        return parse(body), None
    except Exception as error:  # any parse failure leaves the lenient fields standing
        return None, f"{type(error).__name__}: {error}"


def _event_id(body: Mapping[str, Any]) -> str | None:
    event = body.get("eventId")
    return _text(event.get("id")) if isinstance(event, Mapping) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _moment(value: object) -> datetime | None:
    """An RFC 3339 date-time with an offset (as the spec documents), or epoch milliseconds (as HubSpot has
    sent elsewhere), as an aware datetime; None for anything else."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        return moment if moment.utcoffset() is not None else None
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None
