"""The inputs of a batch, checked item by item before anything is sent. No I/O here.

`email_engagement(...)` and `attendee(...)` build valid inputs, but the generated models can be built by
hand too; whichever way they were made, every input passes the same checks, and an error names the
item and the field, e.g. `inputs[3].properties['hs_timestamp']`. An input a helper built was checked
there: it is not checked again unless something in it has changed since (`still_as_checked`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

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
)
from hubspot_email_api.types import Unset

from ._engagements import attendee_fingerprint, check_trace_id, engagement_fingerprint, still_as_checked
from ._validation import (
    DIRECTIONS,
    INT32_MAX,
    SECONDS_LIMIT,
    STATUSES,
    InvalidInputError,
    check_attendee_email,
    check_choice,
    check_epoch_milliseconds,
    check_properties,
    check_record_id,
)

ASSOCIATION_CATEGORIES = frozenset(category.value for category in AssociationCategory)


class PreparedEngagement(NamedTuple):
    """An input checked and ready to send: the caller's object (never modified), the trace id it is sent
    with, and its associations' record ids as digits when one was given otherwise (else None)."""

    item: EmailCreateInput
    trace_id: str
    record_ids: list[str] | None


def prepare_engagements(inputs: Iterable[EmailCreateInput]) -> list[PreparedEngagement]:
    """The inputs as a list, each checked and with a unique `objectWriteTraceId` (the caller's, where given).

    HubSpot reports a per-input failure against its trace id, so every input needs a distinct one. What
    an input needs changed (a trace id, a record id written as digits) is changed in its JSON only
    (`engagement_body`): the caller's objects are never modified.
    """
    prefix = uuid.uuid4().hex[:12]
    prepared: list[PreparedEngagement] = []
    seen: set[str] = set()
    for index, item in enumerate(_items("inputs", inputs, EmailCreateInput, "email_engagement")):
        if still_as_checked(item, engagement_fingerprint):  # built by email_engagement, unchanged since
            record_ids = None
            trace_id = item.object_write_trace_id
        else:
            item, trace_id, record_ids = _check_engagement(f"inputs[{index}]", item)
        if isinstance(trace_id, Unset):
            trace_id = f"{prefix}-{index}"
        elif trace_id in seen:
            raise InvalidInputError(
                f"inputs[{index}].object_write_trace_id",
                f"{trace_id!r} is used by an earlier input",
                "Give each input a unique trace id, or none and one is assigned.",
            )
        seen.add(trace_id)
        prepared.append(PreparedEngagement(item, trace_id, record_ids))
    if not prepared:
        raise InvalidInputError("inputs", "the batch is empty", "Pass at least one input.")
    return prepared


def _check_engagement(field: str, item: object) -> tuple[EmailCreateInput, str | Unset, list[str] | None]:
    """Every check of one input: the input, its trace id (checked, or UNSET) and its record ids as digits
    (or None when all were)."""
    if not isinstance(item, EmailCreateInput):
        raise InvalidInputError(
            field,
            f"expected an EmailCreateInput, got {type(item).__name__}",
            "Build each input with hubspot_email.email_engagement(...).",
        )
    _check_engagement_properties(f"{field}.properties", item.properties)
    record_ids = _checked_associations(f"{field}.associations", item.associations)
    trace_id = item.object_write_trace_id
    if not isinstance(trace_id, Unset):
        trace_id = check_trace_id(f"{field}.object_write_trace_id", trace_id)
    return item, trace_id, record_ids


def engagement_body(prepared: PreparedEngagement) -> dict[str, Any]:
    """The input's JSON with its trace id and record ids as digits. `to_dict` makes new dicts at every
    level, so setting them there leaves the caller's objects as they were."""
    body = prepared.item.to_dict()
    body["objectWriteTraceId"] = prepared.trace_id
    if prepared.record_ids is not None:
        for association, record_id in zip(body["associations"], prepared.record_ids, strict=True):
            association["to"]["id"] = record_id
    return body


def prepare_attendees(attendees: Iterable[AttendeeByEmail]) -> list[AttendeeByEmail]:
    """The attendees as a list, each checked, each email once (its outcome's key). Nothing is copied."""
    checked: list[AttendeeByEmail] = []
    seen: set[str] = set()
    for index, item in enumerate(_items("attendees", attendees, AttendeeByEmail, "attendee")):
        if not still_as_checked(item, attendee_fingerprint):  # else built by attendee(), unchanged since
            item = _check_attendee(f"attendees[{index}]", item)
        email = item.email
        key = email.lower()
        if key in seen:
            raise InvalidInputError(
                f"attendees[{index}].email", f"{email!r} is listed twice", "List each attendee once."
            )
        seen.add(key)
        checked.append(item)
    if not checked:
        raise InvalidInputError("attendees", "no attendees", "Pass at least one attendee.")
    return checked


def _check_attendee(field: str, item: object) -> AttendeeByEmail:
    """Every check of one attendee."""
    if not isinstance(item, AttendeeByEmail):
        raise InvalidInputError(
            field,
            f"expected an AttendeeByEmail, got {type(item).__name__}",
            "Build each attendee with hubspot_email.attendee(...).",
        )
    check_attendee_email(f"{field}.email", item.email)
    check_epoch_milliseconds(f"{field}.interaction_date_time", item.interaction_date_time)
    _check_property_model(f"{field}.properties", item.properties, AttendeeByEmailProperties)
    _check_property_model(
        f"{field}.contact_properties", item.contact_properties, AttendeeByEmailContactProperties
    )
    return item


def _items(field: str, items: object, model: type, builder: str) -> Iterable[object]:
    """`items` if it is a collection of inputs; a single input, a string or a mapping is a mistake."""
    if isinstance(items, model):
        raise InvalidInputError(
            field,
            f"expected a list of {model.__name__}, got a single {model.__name__}",
            f"Wrap it in a list: [{builder}(...)].",
        )
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise InvalidInputError(
            field,
            f"expected a list of {model.__name__}, got {type(items).__name__}",
            f"Pass a list, e.g. [{builder}(...), ...].",
        )
    return items


def _check_engagement_properties(field: str, properties: object) -> None:
    values = _check_property_model(field, properties, EmailCreateInputProperties)
    timestamp = values.get("hs_timestamp")
    if timestamp is None:
        raise InvalidInputError(
            f"{field}['hs_timestamp']",
            "hs_timestamp is required",
            "Set it to the moment of the email, e.g. build the input with email_engagement(timestamp=...).",
        )
    _check_hs_timestamp(f"{field}['hs_timestamp']", timestamp)
    for name, allowed in (("hs_email_direction", DIRECTIONS), ("hs_email_status", STATUSES)):
        if name in values:
            check_choice(f"{field}[{name!r}]", values[name], allowed)


def _check_hs_timestamp(field: str, value: str) -> None:
    """Epoch milliseconds as digits, or an ISO-8601 date-time with an offset (HubSpot takes both)."""
    if value.isascii() and value.isdigit():
        check_epoch_milliseconds(field, int(value))
        return
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    # fromisoformat also takes a space for the "T" and a bare date; ISO-8601 date-times need the "T".
    if moment is None or moment.tzinfo is None or "T" not in value.upper():
        raise InvalidInputError(
            field,
            f"{value!r} is neither epoch milliseconds (digits, at least {SECONDS_LIMIT}) nor an ISO-8601 "
            "date-time with an offset",
            "Pass e.g. '1795428000000' or '2026-11-23T10:00:00Z'.",
        )


def _check_property_model(field: str, properties: object, model: type) -> dict[str, str]:
    if not isinstance(properties, model):
        raise InvalidInputError(
            field,
            f"expected {model.__name__}, got {type(properties).__name__}",
            f"Build it with {model.__name__}() and set its additional_properties.",
        )
    values: object = getattr(properties, "additional_properties", None)
    return check_properties(field, values)


def _checked_associations(field: str, associations: object) -> list[str] | None:
    """The associations, checked; their record ids as digits if any was given otherwise, else None."""
    if not isinstance(associations, list):
        raise InvalidInputError(
            field,
            f"expected a list, got {type(associations).__name__}",
            "Pass a list of AssociationForCreate (it may be empty).",
        )
    record_ids: list[str] = []
    for position, association in enumerate(associations):
        where = f"{field}[{position}]"
        if not isinstance(association, AssociationForCreate):
            raise InvalidInputError(
                where,
                f"expected an AssociationForCreate, got {type(association).__name__}",
                "Build it as AssociationForCreate(to=PublicObjectId(id='501'), types=[AssociationSpec(...)])",
            )
        if not isinstance(association.to, PublicObjectId):
            raise InvalidInputError(
                f"{where}.to",
                f"expected a PublicObjectId, got {type(association.to).__name__}",
                "Pass to=PublicObjectId(id='501').",
            )
        record_ids.append(check_record_id(f"{where}.to.id", association.to.id))
        _check_association_types(f"{where}.types", association.types)
    same = all(new == old.to.id for new, old in zip(record_ids, associations, strict=True))
    return None if same else record_ids


def _check_association_types(field: str, types: object) -> None:
    if not isinstance(types, list) or not types:
        raise InvalidInputError(
            field,
            f"expected a non-empty list of AssociationSpec, got {types!r}",
            "Pass e.g. [AssociationSpec(association_category=AssociationCategory.HUBSPOT_DEFINED, "
            "association_type_id=198)].",
        )
    for position, spec in enumerate(types):
        where = f"{field}[{position}]"
        if not isinstance(spec, AssociationSpec):
            raise InvalidInputError(
                where,
                f"expected an AssociationSpec, got {type(spec).__name__}",
                "Build it as AssociationSpec(...).",
            )
        category = spec.association_category
        if not isinstance(category, str) or category not in ASSOCIATION_CATEGORIES:
            raise InvalidInputError(
                f"{where}.association_category",
                f"unknown category {category!r}",
                f"Use one of {', '.join(sorted(ASSOCIATION_CATEGORIES))} (AssociationCategory).",
            )
        type_id = spec.association_type_id
        if isinstance(type_id, bool) or not isinstance(type_id, int) or not 1 <= type_id <= INT32_MAX:
            raise InvalidInputError(
                f"{where}.association_type_id",
                f"expected a positive 32-bit int, got {type(type_id).__name__} {type_id!r}",
                "Pass the association type id, e.g. 198 (an email to a contact, HUBSPOT_DEFINED).",
            )
