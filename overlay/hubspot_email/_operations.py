"""The four operations: how each request is built and how each response is read.

Requests are built by the generated package (`_get_kwargs`: method, path and JSON body come from the
spec) and bodies are parsed by the generated models (`from_dict`). The status dispatch lives here rather
than in the generated `_parse_response`, which cannot represent HubSpot's non-standard codes (477,
521-523 fail in `HTTPStatus`), parses an HTML 502 as JSON, and drops status and headers on any parse
error. These are plain functions with no I/O: the sync and async clients share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
from hubspot_email_api.api.crm_emails import batch_create_emails
from hubspot_email_api.api.legacy_single_send import send_legacy_single_email
from hubspot_email_api.api.marketing_events import record_attendance_by_email
from hubspot_email_api.api.single_send import send_single_email
from hubspot_email_api.models import (
    AttendanceByEmailRequest,
    BatchCreateEmailsRequest,
    BatchResponseSimplePublicObject,
    BatchResponseSubscriberEmail,
    EmailSendStatusView,
    LegacySendResponse,
    LegacySingleSendRequest,
    SingleSendRequest,
    SubscriberState,
)

from ._exceptions import APIResponseValidationError, error_class_for_status

ResultT = TypeVar("ResultT")


@dataclass(frozen=True)
class Operation(Generic[ResultT]):
    """What the request loop needs to know about one operation."""

    name: str
    success_statuses: frozenset[int]
    parse_body: Callable[[dict[str, Any]], ResultT]
    # True where a repeated request cannot act twice (the single sends, which always carry a sendId).
    idempotent: bool


SEND_EMAIL = Operation("send_email", frozenset({200}), EmailSendStatusView.from_dict, idempotent=True)
SEND_LEGACY_EMAIL = Operation(
    "send_legacy_email", frozenset({200}), LegacySendResponse.from_dict, idempotent=True
)
# HubSpot documents 201 and 207 and has at times answered 200: every 2xx is read the same way.
CREATE_EMAILS = Operation(
    "create_emails", frozenset({200, 201, 207}), BatchResponseSimplePublicObject.from_dict, idempotent=False
)
RECORD_ATTENDANCE = Operation(
    "record_attendance", frozenset({200}), BatchResponseSubscriberEmail.from_dict, idempotent=False
)


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
