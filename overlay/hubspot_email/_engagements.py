"""`email_engagement(...)`: one CRM email engagement input, in Python terms, checked before sending."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from hubspot_email_api.models import (
    AssociationCategory,
    AssociationForCreate,
    AssociationSpec,
    AttendeeByEmail,
    AttendeeByEmailContactProperties,
    AttendeeByEmailProperties,
    EmailCreateInput,
    EmailCreateInputProperties,
    PublicObjectId,
    SubscriberState,
)
from hubspot_email_api.types import UNSET

from ._validation import InvalidInputError, check_properties, check_recipient

__all__ = ["attendee", "email_engagement"]

# HUBSPOT_DEFINED association type ids from an email to each kind of record.
ASSOCIATION_TYPE_IDS = {"contact_ids": 198, "company_ids": 186, "deal_ids": 210, "ticket_ids": 224}
DIRECTIONS = frozenset({"EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"})
STATUSES = frozenset({"BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"})


def email_engagement(
    *,
    timestamp: datetime,
    subject: str | None = None,
    text: str | None = None,
    html: str | None = None,
    direction: str | None = "EMAIL",
    status: str | None = None,
    owner_id: str | int | None = None,
    contact_ids: Sequence[str | int] = (),
    company_ids: Sequence[str | int] = (),
    deal_ids: Sequence[str | int] = (),
    ticket_ids: Sequence[str | int] = (),
    properties: Mapping[str, str] | None = None,
    trace_id: str | None = None,
) -> EmailCreateInput:
    """An email to log on the CRM timeline, associated with records by HubSpot's default type ids.

        email_engagement(timestamp=datetime.now(UTC), subject="Your receipt", contact_ids=["501"])

    `timestamp` must be timezone-aware; it is sent as `hs_timestamp` in epoch milliseconds. `properties`
    adds any other engagement property (strings). `trace_id` is the input's objectWriteTraceId (one is
    assigned when omitted).
    """
    values = {**check_properties("properties", properties)} if properties is not None else {}
    values["hs_timestamp"] = str(_epoch_milliseconds(timestamp))
    for name, value, allowed in (
        ("hs_email_direction", direction, DIRECTIONS),
        ("hs_email_status", status, STATUSES),
    ):
        if value is not None:
            if value not in allowed:
                raise InvalidInputError(
                    name, f"unknown value {value!r}", f"Use one of {', '.join(sorted(allowed))}."
                )
            values[name] = value
    for name, value in (("hs_email_subject", subject), ("hs_email_text", text), ("hs_email_html", html)):
        if value is not None:
            values[name] = check_properties(name, {name: value})[name]
    if owner_id is not None:
        values["hubspot_owner_id"] = _record_id("owner_id", owner_id)
    associations = [
        AssociationForCreate(
            to=PublicObjectId(id=_record_id(f"{kind}[{position}]", record_id)),
            types=[
                AssociationSpec(
                    association_category=AssociationCategory.HUBSPOT_DEFINED, association_type_id=type_id
                )
            ],
        )
        for kind, record_ids in (
            ("contact_ids", contact_ids),
            ("company_ids", company_ids),
            ("deal_ids", deal_ids),
            ("ticket_ids", ticket_ids),
        )
        for type_id in (ASSOCIATION_TYPE_IDS[kind],)
        for position, record_id in enumerate(_id_list(kind, record_ids))
    ]
    engagement_properties = EmailCreateInputProperties()
    engagement_properties.additional_properties = values
    return EmailCreateInput(
        properties=engagement_properties,
        associations=associations,
        object_write_trace_id=UNSET if trace_id is None else trace_id,
    )


def _epoch_milliseconds(timestamp: object, field: str = "timestamp") -> int:
    if not isinstance(timestamp, datetime):
        hint = (
            " It looks like epoch seconds, which HubSpot would place in January 1970."
            if isinstance(timestamp, int | float) and not isinstance(timestamp, bool) and timestamp < 10**11
            else ""
        )
        raise InvalidInputError(
            field,
            f"expected a timezone-aware datetime, got {type(timestamp).__name__} {timestamp!r}.{hint}",
            "Pass e.g. datetime.fromtimestamp(seconds, UTC).",
        )
    if timestamp.tzinfo is None or timestamp.utcoffset() is None:
        raise InvalidInputError(
            field,
            "the datetime is naive, so the moment it names is ambiguous",
            "Attach a time zone, e.g. timestamp.replace(tzinfo=UTC) or datetime.now(UTC).",
        )
    return round(timestamp.timestamp() * 1000)


def _id_list(field: str, record_ids: object) -> Sequence[object]:
    if isinstance(record_ids, str | int) or not isinstance(record_ids, Sequence):
        raise InvalidInputError(
            field, f"expected a list of ids, got {type(record_ids).__name__}", f"Pass {field}=[...]."
        )
    return record_ids


def _record_id(field: str, record_id: object) -> str:
    if isinstance(record_id, bool) or not isinstance(record_id, str | int) or str(record_id).strip() == "":
        raise InvalidInputError(
            field,
            f"expected a record id (a string or int), got {type(record_id).__name__} {record_id!r}",
            "Pass HubSpot's numeric id of the record, e.g. '501'.",
        )
    return str(record_id)


def attendee(
    *,
    email: str,
    at: datetime,
    properties: Mapping[str, str] | None = None,
    contact_properties: Mapping[str, str] | None = None,
) -> AttendeeByEmail:
    """One marketing-event attendee: `at` (timezone-aware) is sent as interactionDateTime in epoch ms.

        attendee(email="ada@example.com", at=datetime.now(UTC), properties={"joinedAt": "..."})

    `contact_properties` apply only if HubSpot creates the contact; they never update an existing one.
    """
    event_properties = AttendeeByEmailProperties()
    event_properties.additional_properties = check_properties("properties", properties or {})
    new_contact_properties = AttendeeByEmailContactProperties()
    new_contact_properties.additional_properties = check_properties(
        "contact_properties", contact_properties or {}
    )
    return AttendeeByEmail(
        email=check_recipient("email", email),
        interaction_date_time=_epoch_milliseconds(at, field="at"),
        properties=event_properties,
        contact_properties=new_contact_properties,
    )


def check_subscriber_state(state: object) -> SubscriberState:
    known = {member.value for member in SubscriberState}
    if not isinstance(state, str) or state not in known:
        raise InvalidInputError(
            "state", f"unknown attendance state {state!r}", "Use 'register', 'attend' or 'cancel'."
        )
    return SubscriberState(state)


def check_event_id(event_id: object) -> str:
    checked = _record_id("event_id", event_id)
    # "." and ".." are path segments URL normalisation removes: the request would go to another path.
    if checked.strip(".") == "":
        raise InvalidInputError(
            "event_id",
            f"{checked!r} is not an id: as a path segment it would be dropped from the URL",
            "Pass HubSpot's internal id of the marketing event, e.g. '58237132332'.",
        )
    return checked
