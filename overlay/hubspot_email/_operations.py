"""The four operations: how each request is built and how each response is read.

Requests are built by the generated package (`_get_kwargs`: method, path and JSON body come from the
spec) and bodies are parsed by the generated models (`from_dict`). The status dispatch lives here rather
than in the generated `_parse_response`, which cannot represent HubSpot's non-standard codes (477,
521-523 fail in `HTTPStatus`), parses an HTML 502 as JSON, and drops status and headers on any parse
error. These are plain functions with no I/O: the sync and async clients share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

import httpx
from hubspot_email_api.api.crm_emails import batch_create_emails
from hubspot_email_api.api.legacy_single_send import send_legacy_single_email
from hubspot_email_api.api.marketing_events import record_attendance_by_email
from hubspot_email_api.api.single_send import send_single_email
from hubspot_email_api.models import (
    AttendanceByEmailRequest,
    AttendeeByEmail,
    BatchCreateEmailsRequest,
    BatchResponseSimplePublicObject,
    BatchResponseSubscriberEmail,
    EmailCreateInput,
    EmailSendStatusView,
    LegacyMessage,
    LegacySendResponse,
    LegacySingleSendRequest,
    NameValuePair,
    SimplePublicObject,
    SingleSendMessage,
    SingleSendRequest,
    SingleSendRequestContactProperties,
    SingleSendRequestCustomProperties,
    SubscriberEmailResult,
    SubscriberState,
)
from hubspot_email_api.types import UNSET

from . import _batch
from . import _validation as check
from ._engagements import check_event_id, check_subscriber_state
from ._exceptions import APIResponseValidationError, error_class_for_status

ResultT = TypeVar("ResultT")
RecordT = TypeVar("RecordT")


@dataclass(frozen=True)
class Operation(Generic[ResultT]):
    """What the request loop needs to know about one operation."""

    name: str
    success_statuses: frozenset[int]
    parse_body: Callable[[dict[str, Any]], ResultT]
    # True where a repeated request cannot act twice (the single sends, which always carry a sendId).
    idempotent: bool
    # False where HubSpot exempts the endpoint from the ten-second limit (both single sends).
    rate_limited: bool


SEND_EMAIL = Operation(
    "send_email", frozenset({200}), EmailSendStatusView.from_dict, idempotent=True, rate_limited=False
)
SEND_LEGACY_EMAIL = Operation(
    "send_legacy_email", frozenset({200}), LegacySendResponse.from_dict, idempotent=True, rate_limited=False
)
# HubSpot documents 201 and 207 and has at times answered 200: every 2xx is read the same way.
CREATE_EMAILS = Operation(
    "create_emails",
    frozenset({200, 201, 207}),
    BatchResponseSimplePublicObject.from_dict,
    idempotent=False,
    rate_limited=True,
)
RECORD_ATTENDANCE = Operation(
    "record_attendance",
    frozenset({200}),
    BatchResponseSubscriberEmail.from_dict,
    idempotent=False,
    rate_limited=True,
)


def build_single_send(
    *,
    email_id: object,
    to: object,
    from_: object | None,
    send_id: object | None,
    reply_to: object,
    cc: object,
    bcc: object,
    contact_properties: object | None,
    custom_properties: object | None,
) -> SingleSendRequest:
    """The v4 request body from keyword arguments, every one checked first."""
    contact = SingleSendRequestContactProperties()
    custom = SingleSendRequestCustomProperties()
    if contact_properties is not None:
        contact.additional_properties = check.check_properties("contact_properties", contact_properties)
    if custom_properties is not None:
        custom.additional_properties = check.check_properties("custom_properties", custom_properties)
    replies = check.check_addresses("reply_to", reply_to)
    copies = check.check_addresses("cc", cc)
    blind_copies = check.check_addresses("bcc", bcc)
    return SingleSendRequest(
        email_id=check.check_email_id(email_id),
        message=SingleSendMessage(
            to=check.check_recipient("to", to),
            from_=UNSET if from_ is None else check.check_sender("from_", from_),
            send_id=_send_id_or_unset(send_id),
            reply_to=replies or UNSET,
            cc=copies or UNSET,
            bcc=blind_copies or UNSET,
        ),
        contact_properties=contact if contact_properties is not None else UNSET,
        custom_properties=custom if custom_properties is not None else UNSET,
    )


def build_legacy_send(
    *,
    email_id: object,
    to: object,
    from_: object | None,
    send_id: object | None,
    reply_to: object,
    cc: object,
    bcc: object,
    contact_properties: object | None,
    custom_properties: object | None,
) -> LegacySingleSendRequest:
    """The v1 request body: the same inputs as v4, as name/value lists and replyTo or replyToList."""
    replies = check.check_addresses("reply_to", reply_to)
    copies = check.check_addresses("cc", cc)
    blind_copies = check.check_addresses("bcc", bcc)
    return LegacySingleSendRequest(
        email_id=check.check_email_id(email_id),
        message=LegacyMessage(
            to=check.check_recipient("to", to),
            from_=UNSET if from_ is None else check.check_sender("from_", from_),
            send_id=_send_id_or_unset(send_id),
            # One reply-to address goes in `replyTo` (a string); several in `replyToList`.
            reply_to=replies[0] if len(replies) == 1 else UNSET,
            reply_to_list=replies if len(replies) > 1 else UNSET,
            cc=copies or UNSET,
            bcc=blind_copies or UNSET,
        ),
        contact_properties=_name_value_list("contact_properties", contact_properties),
        custom_properties=_name_value_list("custom_properties", custom_properties),
    )


def _name_value_list(field: str, properties: object | None) -> list[NameValuePair] | Any:
    if properties is None:
        return UNSET
    return [
        NameValuePair(name=name, value=value)
        for name, value in check.check_properties(field, properties).items()
    ]


def _send_id_or_unset(send_id: object | None) -> str | Any:
    if send_id is None:
        return UNSET
    if not isinstance(send_id, str) or not send_id.strip():
        raise check.InvalidInputError(
            "send_id",
            f"expected a non-empty string, got {send_id!r}",
            "Pass a stable id for this logical send (e.g. 'receipt-<order id>'), or omit it to get one.",
        )
    return send_id


def send_email_request(body: SingleSendRequest, new_send_id: Callable[[], str]) -> dict[str, Any]:
    """The v4 request, with a sendId made once here when the caller gave none (see `with_send_id`)."""
    return send_single_email._get_kwargs(body=with_send_id(body, SingleSendRequest.from_dict, new_send_id))


def send_legacy_email_request(
    body: LegacySingleSendRequest, new_send_id: Callable[[], str]
) -> dict[str, Any]:
    return send_legacy_single_email._get_kwargs(
        body=with_send_id(body, LegacySingleSendRequest.from_dict, new_send_id)
    )


SendBodyT = TypeVar("SendBodyT", SingleSendRequest, LegacySingleSendRequest)


def with_send_id(
    body: SendBodyT, from_dict: Callable[[dict[str, Any]], SendBodyT], new_send_id: Callable[[], str]
) -> SendBodyT:
    """The body with a `message.sendId`: the caller's, or a new one. The caller's object is not changed.

    The request is built once, before the first attempt, so every retry carries the same sendId and
    HubSpot sends at most one email for it.
    """
    if isinstance(body.message.send_id, str):
        return body
    copy = from_dict(body.to_dict())  # to_dict/from_dict keeps unknown fields; attrs.evolve would not
    copy.message.send_id = new_send_id()
    return copy


def create_emails_request(body: BatchCreateEmailsRequest) -> dict[str, Any]:
    return batch_create_emails._get_kwargs(body=body)


def record_attendance_request(
    event_id: str, state: SubscriberState, body: AttendanceByEmailRequest
) -> dict[str, Any]:
    return record_attendance_by_email._get_kwargs(event_id, state, body=body)


def parse_response(operation: Operation[ResultT], response: httpx.Response) -> ResultT:
    """The parsed body of a success, or an exception that carries the whole response."""
    if response.status_code not in operation.success_statuses:
        raise error_class_for_status(response.status_code)(
            f"{operation.name}: HubSpot answered {response.status_code}: {_summary(response)}",
            response=response,
        )
    try:
        payload = response.json()
        if not isinstance(payload, dict):
            raise TypeError(f"expected a JSON object, got {type(payload).__name__}")
        return operation.parse_body(payload)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise APIResponseValidationError(
            f"{operation.name}: HubSpot answered {response.status_code} with a body the spec does not "
            f"describe ({type(error).__name__}: {error})",
            response=response,
        ) from error


def _summary(response: httpx.Response) -> str:
    """A short, safe description of an error body: HubSpot's message when it sent one."""
    try:
        payload = response.json()
    except ValueError:
        return f"{len(response.content)} bytes of {response.headers.get('content-type', 'unknown type')}"
    if isinstance(payload, dict) and isinstance(payload.get("message"), str):
        return str(payload["message"])
    return "no message in the body"


@dataclass(frozen=True)
class ChunkJob(Generic[RecordT]):
    """One request of a batch: the inputs it covers, and how to read a success back onto them."""

    offset: int
    size: int
    request: dict[str, Any]
    read_outcomes: Callable[[Any], list[_batch.Outcome[RecordT]]]


def create_emails_jobs(
    inputs: Iterable[EmailCreateInput], chunk_size: int
) -> list[ChunkJob[SimplePublicObject]]:
    """The chunks of a batch create, every input checked and given a unique trace id first."""
    return [
        ChunkJob(
            offset,
            len(chunk),
            create_emails_request(BatchCreateEmailsRequest(inputs=list(chunk))),
            partial(_batch.outcomes_from_response, offset, chunk),
        )
        for offset, chunk in _batch.chunked(_batch.with_trace_ids(inputs), chunk_size)
    ]


def record_attendance_jobs(
    event_id: object, state: object, attendees: Iterable[AttendeeByEmail], chunk_size: int
) -> list[ChunkJob[SubscriberEmailResult]]:
    """The chunks of an attendance call, the event id, state and every attendee checked first."""
    checked_id, checked_state = check_event_id(event_id), check_subscriber_state(state)
    return [
        ChunkJob(
            offset,
            len(chunk),
            record_attendance_request(
                checked_id, checked_state, AttendanceByEmailRequest(inputs=list(chunk))
            ),
            partial(_batch.attendance_outcomes, offset, chunk),
        )
        for offset, chunk in _batch.chunked(_batch.checked_attendees(attendees), chunk_size)
    ]
