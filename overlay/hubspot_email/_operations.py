"""The operations: what the request loop needs to know of each, and how each request is built.

Which operation a client method calls depends on the client's `api_version` (`route`): "legacy", the
default, calls the numbered paths; a date-based version such as "2026-03" calls the dated successor
named in the spec, with that version in its path. The v1 send has no successor and is always v1; nor
has the send-status lookup, always v3.

Requests are built by the generated package (`_get_kwargs`: method, path and JSON body come from the
spec). Answers are read in `_results` (single sends) and `_batch` (batches) rather than by the generated
`_parse_response`, which cannot represent HubSpot's non-standard codes (477, 521-523 fail in
`HTTPStatus`), parses an HTML 502 as JSON, and drops status and headers on any parse error. These are
plain functions with no I/O: the sync and async clients share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, NamedTuple, TypeVar

from hubspot_email_api.api.crm_emails import batch_create_emails, batch_create_emails_dated
from hubspot_email_api.api.legacy_single_send import send_legacy_single_email
from hubspot_email_api.api.marketing_events import (
    record_attendance_by_email,
    record_attendance_by_email_dated,
)
from hubspot_email_api.api.single_send import get_send_status, send_single_email, send_single_email_dated
from hubspot_email_api.models import (
    AttendanceByEmailRequest,
    AttendeeByEmail,
    BatchCreateEmailsRequest,
    EmailCreateInput,
    LegacyMessage,
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
from ._constants import LEGACY_API
from ._engagements import check_event_id, check_subscriber_state
from ._http import Answer
from ._inputs import PreparedEngagement, engagement_body, prepare_attendees, prepare_engagements
from ._spec_facts import SAFE_METHODS, OperationFacts, api_version_facts, operation_facts

ResultT = TypeVar("ResultT")
RecordT = TypeVar("RecordT")


@dataclass(frozen=True)
class Operation:
    """What the request loop needs to know about one operation: its facts come from the spec."""

    name: str
    operation_id: str

    @property
    def facts(self) -> OperationFacts:
        return operation_facts()[self.operation_id]

    @property
    def idempotent(self) -> bool:
        """True where a repeated request cannot act twice: it carries an idempotency key (a sendId), or
        it is a GET (the send-status lookup), which acts on nothing."""
        return self.facts.idempotent

    @property
    def safe(self) -> bool:
        """A GET (the send-status lookup): it acts on nothing, so no attempt of it takes effect."""
        return self.facts.method in SAFE_METHODS

    @property
    def rate_limited(self) -> bool:
        """False where HubSpot exempts the endpoint from its rate limits (both single sends)."""
        return self.facts.rate_limited


# The operation of each client method on the numbered paths; `route` gives the one it calls.
SEND_EMAIL = Operation("send_email", "sendSingleEmail")
SEND_LEGACY_EMAIL = Operation("send_legacy_email", "sendLegacySingleEmail")
CREATE_EMAILS = Operation("create_emails", "batchCreateEmails")
RECORD_ATTENDANCE = Operation("record_attendance", "recordAttendanceByEmail")
GET_SEND_STATUS = Operation("get_send_status", "getSendStatus")
OPERATIONS = (SEND_EMAIL, SEND_LEGACY_EMAIL, CREATE_EMAILS, RECORD_ATTENDANCE, GET_SEND_STATUS)


@dataclass(frozen=True)
class Route:
    """What a client method calls for one api_version: the operation, and the version for its path
    (None for a numbered operation, whose path has none)."""

    operation: Operation
    version: str | None


def route(operation: Operation, api_version: str) -> Route:
    """The numbered `operation` for "legacy"; for a date-based version, its dated successor (the spec's
    `x-hubspot-dated-successor`) at that version. Without a successor (the v1 send) it stays numbered,
    whatever the version: the caller asked for a version, not for a send to fail."""
    if api_version == LEGACY_API:  # before reading the facts: the default client parses no spec
        return Route(operation, None)
    successor = operation.facts.dated_successor
    if successor is None:
        return Route(operation, None)
    return Route(Operation(operation.name, successor), api_version)


def check_api_version(api_version: object) -> str:
    """ "legacy", or a date-based version: one the spec knows, or a later one of the same form."""
    if api_version == LEGACY_API and isinstance(api_version, str):
        return LEGACY_API
    versions = api_version_facts()
    if isinstance(api_version, str) and versions.accepts(api_version):
        return str(api_version)  # an ApiVersion member becomes its plain value
    raise check.InvalidInputError(
        "api_version",
        f"expected {LEGACY_API!r} or a date-based version (YYYY-MM), got {api_version!r}",
        f"Pass api_version={LEGACY_API!r} (the numbered paths, the default) or a version HubSpot has "
        f"released, e.g. {' or '.join(repr(known) for known in versions.known)}.",
    )


class SendInputs(NamedTuple):
    """A single send's arguments, checked, with the sendId settled (the caller's or a new one). A tuple:
    made on every send, and a frozen dataclass's __init__ costs a microsecond or two more."""

    email_id: int
    to: str
    from_: str | None
    send_id: str
    reply_to: list[str]
    cc: list[str]
    bcc: list[str]
    contact_properties: dict[str, str] | None
    custom_properties: dict[str, str] | None


def check_send_inputs(
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
    new_send_id: Callable[[], str],
) -> SendInputs:
    """Every argument checked before anything is sent. A sendId is made here, once, when none is given:
    the request is then built once, so every retry carries the same sendId and HubSpot sends at most one
    email for it."""
    if send_id is not None and (not isinstance(send_id, str) or not send_id.strip()):
        raise check.InvalidInputError(
            "send_id",
            f"expected a non-empty string, got {send_id!r}",
            "Pass a stable id for this logical send (e.g. 'receipt-<order id>'), or omit it to get one.",
        )
    return SendInputs(
        email_id=check.check_email_id(email_id),
        to=check.check_recipient("to", to),
        from_=None if from_ is None else check.check_sender("from_", from_),
        send_id=check.check_text("send_id", send_id) if isinstance(send_id, str) else new_send_id(),
        reply_to=check.check_addresses("reply_to", reply_to),
        cc=check.check_addresses("cc", cc),
        bcc=check.check_addresses("bcc", bcc),
        contact_properties=None
        if contact_properties is None
        else check.check_properties("contact_properties", contact_properties),
        custom_properties=None
        if custom_properties is None
        else check.check_properties("custom_properties", custom_properties),
    )


def send_email_request(target: Route, inputs: SendInputs) -> dict[str, Any]:
    """The v4 request (or its dated successor's, the same body): properties as maps, reply-to as a list."""
    contact = SingleSendRequestContactProperties()
    custom = SingleSendRequestCustomProperties()
    contact.additional_properties = inputs.contact_properties or {}
    custom.additional_properties = inputs.custom_properties or {}
    body = SingleSendRequest(
        email_id=inputs.email_id,
        message=SingleSendMessage(
            to=inputs.to,
            from_=UNSET if inputs.from_ is None else inputs.from_,
            send_id=inputs.send_id,
            reply_to=inputs.reply_to or UNSET,
            cc=inputs.cc or UNSET,
            bcc=inputs.bcc or UNSET,
        ),
        contact_properties=UNSET if inputs.contact_properties is None else contact,
        custom_properties=UNSET if inputs.custom_properties is None else custom,
    )
    if target.version is None:
        return send_single_email._get_kwargs(body=body)
    return send_single_email_dated._get_kwargs(target.version, body=body)


def send_legacy_email_request(inputs: SendInputs) -> dict[str, Any]:
    """The v1 request: properties as name/value lists; one reply-to as `replyTo`, several as `replyToList`."""
    body = LegacySingleSendRequest(
        email_id=inputs.email_id,
        message=LegacyMessage(
            to=inputs.to,
            from_=UNSET if inputs.from_ is None else inputs.from_,
            send_id=inputs.send_id,
            reply_to=inputs.reply_to[0] if len(inputs.reply_to) == 1 else UNSET,
            reply_to_list=inputs.reply_to if len(inputs.reply_to) > 1 else UNSET,
            cc=inputs.cc or UNSET,
            bcc=inputs.bcc or UNSET,
        ),
        contact_properties=_name_value_list(inputs.contact_properties),
        custom_properties=_name_value_list(inputs.custom_properties),
    )
    return send_legacy_single_email._get_kwargs(body=body)


def _name_value_list(properties: dict[str, str] | None) -> list[NameValuePair] | Any:
    if properties is None:
        return UNSET
    return [NameValuePair(name=name, value=value) for name, value in properties.items()]


def get_send_status_request(status_id: str) -> dict[str, Any]:
    """The send-status lookup: the id as one path segment, no body. It has no dated successor: v3
    whatever the client's api_version."""
    return get_send_status._get_kwargs(status_id)


def create_emails_request(target: Route, chunk: Sequence[PreparedEngagement]) -> dict[str, Any]:
    """The generated request with no inputs, then the chunk's JSON: each input's `to_dict`, with its trace
    id set there rather than on a copy of the input."""
    empty = BatchCreateEmailsRequest(inputs=[])
    if target.version is None:
        request = batch_create_emails._get_kwargs(body=empty)
    else:
        request = batch_create_emails_dated._get_kwargs(target.version, body=empty)
    request["json"]["inputs"] = [engagement_body(prepared) for prepared in chunk]
    return request


def record_attendance_request(
    target: Route, event_id: str, state: SubscriberState, body: AttendanceByEmailRequest
) -> dict[str, Any]:
    if target.version is None:
        return record_attendance_by_email._get_kwargs(event_id, state, body=body)
    return record_attendance_by_email_dated._get_kwargs(target.version, event_id, state, body=body)


@dataclass(frozen=True)
class ChunkJob(Generic[RecordT]):
    """One request of a batch: the inputs it covers (by the keys HubSpot echoes), how to build its
    request (when it is sent, so that a failure to build stays with this chunk), and how to read the
    answer back onto the inputs."""

    offset: int
    keys: list[str]
    build: Callable[[], dict[str, Any]]
    pairing: _batch.Pairing[RecordT]

    @property
    def size(self) -> int:
        return len(self.keys)

    def read(self, answer: Answer) -> _batch.ChunkReport[RecordT]:
        return _batch.read_chunk(self.pairing, self.offset, self.keys, answer)


def create_emails_jobs(
    target: Route, inputs: Iterable[EmailCreateInput], chunk_size: int
) -> list[ChunkJob[SimplePublicObject]]:
    """The chunks of a batch create, every input checked and given a unique trace id first."""
    chunk_size = check.check_chunk_size(chunk_size)
    return [
        ChunkJob(
            offset,
            [prepared.trace_id for prepared in chunk],
            partial(create_emails_request, target, chunk),
            _batch.CRM_EMAILS,
        )
        for offset, chunk in _batch.chunked(prepare_engagements(inputs), chunk_size)
    ]


def record_attendance_jobs(
    target: Route, event_id: object, state: object, attendees: Iterable[AttendeeByEmail], chunk_size: int
) -> list[ChunkJob[SubscriberEmailResult]]:
    """The chunks of an attendance call, the event id, state and every attendee checked first."""
    checked_id, checked_state = check_event_id(event_id), check_subscriber_state(state)
    chunk_size = check.check_chunk_size(chunk_size)
    return [
        ChunkJob(
            offset,
            _batch.attendee_keys(chunk),
            partial(
                record_attendance_request,
                target,
                checked_id,
                checked_state,
                AttendanceByEmailRequest(inputs=list(chunk)),
            ),
            _batch.ATTENDANCE,
        )
        for offset, chunk in _batch.chunked(prepare_attendees(attendees), chunk_size)
    ]
