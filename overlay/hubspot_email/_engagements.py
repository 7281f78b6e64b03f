"""`email_engagement(...)`: one CRM email engagement input, in Python terms, checked before sending."""

from __future__ import annotations

import math
import operator
import weakref
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeGuard, TypeVar, cast

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

from ._validation import (
    DIRECTIONS,
    LATEST_EPOCH_MILLISECONDS,
    SECONDS_LIMIT,
    STATUSES,
    InvalidInputError,
    check_attendee_email,
    check_choice,
    check_path_segment,
    check_properties,
    check_record_id,
    check_text,
)

__all__ = ["attendee", "email_engagement"]

# HUBSPOT_DEFINED association type ids from an email to each kind of record.
ASSOCIATION_TYPE_IDS = {"contact_ids": 198, "company_ids": 186, "deal_ids": 210, "ticket_ids": 224}
_HUBSPOT_DEFINED = AssociationCategory.HUBSPOT_DEFINED
SUBSCRIBER_STATES = frozenset(member.value for member in SubscriberState)
# HubSpot's internal marketing-event ids are numeric strings of about 11 digits. No source gives a
# maximum length: 64 is our judgement, generous for any id yet short enough to catch a pasted URL or text.
MAX_EVENT_ID_LENGTH = 64


def email_engagement(
    *,
    timestamp: datetime,
    subject: str | None = None,
    text: str | None = None,
    html: str | None = None,
    direction: str | None = None,
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

    `timestamp` must be timezone-aware; it is sent as `hs_timestamp` in epoch milliseconds. `direction`
    is EMAIL unless given here or as `properties["hs_email_direction"]`. `properties` adds any other
    engagement property (strings); one that an argument also sets must agree with it. Record ids are
    positive integers (an int or a string of digits). `trace_id` is the input's objectWriteTraceId
    (one is assigned when omitted).
    """
    values = check_properties("properties", properties) if properties is not None else {}  # a new dict
    if "hs_timestamp" in values:
        raise InvalidInputError(
            "properties['hs_timestamp']",
            "hs_timestamp is set by the `timestamp` argument, so it cannot also be given as a property",
            "Drop it from properties and pass timestamp=... (an aware datetime).",
        )
    for name, allowed in (("hs_email_direction", DIRECTIONS), ("hs_email_status", STATUSES)):
        if name in values:
            check_choice(f"properties[{name!r}]", values[name], allowed)
    # Every argument is checked before any is compared with the properties.
    arguments: tuple[tuple[str, str | None], ...] = (
        (
            "hs_email_direction",
            None if direction is None else check_choice("hs_email_direction", direction, DIRECTIONS),
        ),
        ("hs_email_status", None if status is None else check_choice("hs_email_status", status, STATUSES)),
        ("hs_email_subject", None if subject is None else check_text("hs_email_subject", subject)),
        ("hs_email_text", None if text is None else check_text("hs_email_text", text)),
        ("hs_email_html", None if html is None else check_text("hs_email_html", html)),
        ("hubspot_owner_id", None if owner_id is None else check_record_id("owner_id", owner_id)),
    )
    for name, value in arguments:
        if value is None:
            continue
        if name in values and values[name] != value:
            raise InvalidInputError(
                f"properties[{name!r}]",
                f"{values[name]!r} disagrees with the argument that sets {name} to {value!r}",
                "Give the value one way only.",
            )
        values[name] = value
    values.setdefault("hs_email_direction", "EMAIL")
    milliseconds = _epoch_milliseconds(timestamp)
    values["hs_timestamp"] = str(milliseconds)
    associations: list[AssociationForCreate] = []
    for kind, record_ids in (
        ("contact_ids", contact_ids),
        ("company_ids", company_ids),
        ("deal_ids", deal_ids),
        ("ticket_ids", ticket_ids),
    ):
        type_id = ASSOCIATION_TYPE_IDS[kind]
        for position, record_id in enumerate(_id_list(kind, record_ids)):
            spec = AssociationSpec(association_category=_HUBSPOT_DEFINED, association_type_id=type_id)
            to = PublicObjectId(id=check_record_id(f"{kind}[{position}]", record_id))
            associations.append(AssociationForCreate(to=to, types=[spec]))
    engagement_properties = EmailCreateInputProperties()
    engagement_properties.additional_properties = values
    engagement = EmailCreateInput(
        properties=engagement_properties,
        associations=associations,
        object_write_trace_id=UNSET if trace_id is None else check_trace_id("trace_id", trace_id),
    )
    if milliseconds <= LATEST_EPOCH_MILLISECONDS:  # else the batch's checks refuse it, as they always did
        _remember(engagement, engagement_fingerprint)
    return engagement


def check_trace_id(field: str, trace_id: object) -> str:
    if not isinstance(trace_id, str) or not trace_id:
        raise InvalidInputError(
            field,
            f"expected a non-empty string, got {type(trace_id).__name__} {trace_id!r}",
            "Pass an id unique in the batch (e.g. 'order-42'), or none and one is assigned.",
        )
    return check_text(field, trace_id)


def _epoch_milliseconds(timestamp: object, field: str = "timestamp") -> int:
    if not isinstance(timestamp, datetime):
        hint, fix = "", "Pass e.g. datetime.fromtimestamp(seconds, UTC)."
        if (
            isinstance(timestamp, int | float)
            and not isinstance(timestamp, bool)
            and math.isfinite(timestamp)
        ):
            if 0 <= timestamp < SECONDS_LIMIT:
                hint = " It looks like epoch seconds, which HubSpot would place in January 1970."
            elif timestamp >= SECONDS_LIMIT:
                hint = " It looks like epoch milliseconds."
                fix = "Pass datetime.fromtimestamp(ms / 1000, UTC)."
        raise InvalidInputError(
            field,
            f"expected a timezone-aware datetime, got {type(timestamp).__name__} {timestamp!r}.{hint}",
            fix,
        )
    if timestamp.tzinfo is None or timestamp.utcoffset() is None:
        raise InvalidInputError(
            field,
            "the datetime is naive, so the moment it names is ambiguous",
            "Attach a time zone, e.g. timestamp.replace(tzinfo=UTC) or datetime.now(UTC).",
        )
    milliseconds = round(timestamp.timestamp() * 1000)
    if milliseconds < SECONDS_LIMIT:
        # Sent as epoch milliseconds, such an early moment could not be told from seconds given by mistake.
        raise InvalidInputError(
            field,
            f"{timestamp.isoformat()} is before 1973-03-03T09:46:40Z, the earliest moment accepted: its "
            "epoch milliseconds would look like epoch seconds",
            "Check the date: pass the moment the email was sent or the attendee took part.",
        )
    return milliseconds


def _id_list(field: str, record_ids: object) -> Sequence[object]:
    if type(record_ids) is list or type(record_ids) is tuple:  # the usual; Sequence's check is slow
        return record_ids
    if isinstance(record_ids, str | int) or not isinstance(record_ids, Sequence):
        raise InvalidInputError(
            field, f"expected a list of ids, got {type(record_ids).__name__}", f"Pass {field}=[...]."
        )
    return record_ids


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
    # (None or empty: nothing to check.)
    event_properties = AttendeeByEmailProperties()
    event_properties.additional_properties = check_properties("properties", properties) if properties else {}
    new_contact_properties = AttendeeByEmailContactProperties()
    new_contact_properties.additional_properties = (
        check_properties("contact_properties", contact_properties) if contact_properties else {}
    )
    built = AttendeeByEmail(
        email=check_attendee_email("email", email),
        interaction_date_time=_epoch_milliseconds(at, field="at"),
        properties=event_properties,
        contact_properties=new_contact_properties,
    )
    if built.interaction_date_time <= LATEST_EPOCH_MILLISECONDS:  # else refused by the batch's checks
        _remember(built, attendee_fingerprint)
    return built


def check_subscriber_state(state: object) -> SubscriberState:
    if not isinstance(state, str) or state not in SUBSCRIBER_STATES:
        raise InvalidInputError(
            "state", f"unknown attendance state {state!r}", "Use 'register', 'attend' or 'cancel'."
        )
    return SubscriberState(state)


def check_event_id(event_id: object) -> str:
    """A marketing event's id, which goes into the URL path as one segment."""
    fix = "Pass HubSpot's internal id of the marketing event, e.g. '58237132332'."
    if isinstance(event_id, bool) or not isinstance(event_id, str | int):
        raise InvalidInputError(
            "event_id", f"expected a string or int, got {type(event_id).__name__} {event_id!r}", fix
        )
    checked = check_text("event_id", str(event_id))
    if not checked.strip() or (isinstance(event_id, int) and event_id <= 0):
        raise InvalidInputError("event_id", f"expected an id, got {event_id!r}", fix)
    check_path_segment("event_id", checked, what="event id", fix=fix)
    if len(checked) > MAX_EVENT_ID_LENGTH:
        raise InvalidInputError(
            "event_id",
            f"{len(checked)} characters is longer than an event id ({MAX_EVENT_ID_LENGTH} at most)",
            fix,
        )
    return checked


# ------------------------------------------------------------------------------ inputs built and checked
# The batch methods check every input, however it was built; those built here were checked here already.
# Each is remembered with its fingerprint: every object and value the batch's checks read, in order. If
# the caller changed any of them since (an attribute, a property set or deleted, an association added),
# the fingerprint differs and the input is checked again in full. By weak reference, keyed by id: an id
# reused by a later object never matches the reference. Entries of inputs gone are swept when the
# registry has doubled since the last sweep, so it stays within twice the inputs alive (a callback per
# reference would cost a third of what remembering saves).
InputT = TypeVar("InputT")
Fingerprint = Callable[[InputT], tuple[object, ...]]
_CHECKED: dict[int, tuple[weakref.ref[Any], Fingerprint[Any], tuple[object, ...]]] = {}
_MIN_SWEEP = 1024
_sweep_at = _MIN_SWEEP


def _remember(item: InputT, fingerprint: Fingerprint[InputT]) -> None:
    _CHECKED[id(item)] = (weakref.ref(item), fingerprint, fingerprint(item))
    if len(_CHECKED) >= _sweep_at:
        _sweep()


def _sweep() -> None:
    global _sweep_at
    for key, entry in list(_CHECKED.items()):
        if entry[0]() is None and _CHECKED.get(key) is entry:
            # (Another thread may remove or replace it meanwhile: at worst an input is checked again.)
            _CHECKED.pop(key, None)
    _sweep_at = max(_MIN_SWEEP, 2 * len(_CHECKED))


def still_as_checked(item: object, fingerprint: Fingerprint[InputT]) -> TypeGuard[InputT]:
    """True when `item` was built (and checked) by the helper `fingerprint` belongs to, and nothing the
    checks read has changed since: its checks would pass again."""
    entry = _CHECKED.get(id(item))
    if entry is None or entry[1] is not fingerprint or entry[0]() is not item:
        return False
    try:
        now = fingerprint(cast(InputT, item))
    except Exception:  # a part replaced by something without its attributes: the checks say what
        return False
    then = entry[2]
    # Identity, not equality: 198.0 == 198, and a float is no type id.
    return len(now) == len(then) and all(map(operator.is_, now, then))


def engagement_fingerprint(item: EmailCreateInput) -> tuple[object, ...]:
    properties, associations = item.properties, item.associations
    values = properties.additional_properties
    parts: list[object] = [properties, values, len(values), *values, *values.values()]
    parts += (item.object_write_trace_id, associations, len(associations))
    for association in associations:
        to, types = association.to, association.types
        parts += (association, to, to.id, types, len(types))
        for spec in types:
            parts += (spec, spec.association_category, spec.association_type_id)
    return tuple(parts)


def attendee_fingerprint(item: AttendeeByEmail) -> tuple[object, ...]:
    properties, contact = item.properties, item.contact_properties
    values, contact_values = properties.additional_properties, contact.additional_properties
    parts = (item.email, item.interaction_date_time, properties, values, contact, contact_values)
    if not values and not contact_values:  # the usual: an entry added later makes it longer
        return parts
    return (
        *parts,
        *(len(values), *values, *values.values()),
        *(len(contact_values), *contact_values, *contact_values.values()),
    )
