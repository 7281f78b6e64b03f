"""The inputs of a batch, checked item by item before anything is sent. No I/O here.

`email_engagement(...)` and `attendee(...)` build valid inputs, but the generated models can be built by
hand too; whichever way they were made, every input passes the same checks here, and an error names the
item and the field, e.g. `inputs[3].properties['hs_timestamp']`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar, cast

import attrs
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

from ._engagements import check_trace_id
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


class _GeneratedModel(Protocol):
    additional_properties: dict[str, Any]


ModelT = TypeVar("ModelT", bound=_GeneratedModel)


def prepare_engagements(inputs: Iterable[EmailCreateInput]) -> list[EmailCreateInput]:
    """The inputs as a list, each checked and with a unique `objectWriteTraceId` (the caller's, where given).

    HubSpot reports a per-input failure against its trace id, so every input needs a distinct one. An
    input that needs a change (a trace id, a record id written as digits) is replaced by a changed copy:
    the caller's objects are never modified.
    """
    prefix = uuid.uuid4().hex[:12]
    prepared: list[EmailCreateInput] = []
    seen: set[str] = set()
    for index, item in enumerate(_items("inputs", inputs, EmailCreateInput, "email_engagement")):
        field = f"inputs[{index}]"
        if not isinstance(item, EmailCreateInput):
            raise InvalidInputError(
                field,
                f"expected an EmailCreateInput, got {type(item).__name__}",
                "Build each input with hubspot_email.email_engagement(...).",
            )
        _check_engagement_properties(f"{field}.properties", item.properties)
        associations = _checked_associations(f"{field}.associations", item.associations)
        trace_id = item.object_write_trace_id
        if isinstance(trace_id, Unset):
            trace_id = f"{prefix}-{index}"
        else:
            trace_id = check_trace_id(f"{field}.object_write_trace_id", trace_id)
            if trace_id in seen:
                raise InvalidInputError(
                    f"{field}.object_write_trace_id",
                    f"{trace_id!r} is used by an earlier input",
                    "Give each input a unique trace id, or none and one is assigned.",
                )
        seen.add(trace_id)
        if trace_id != item.object_write_trace_id or associations is not item.associations:
            item = _evolve(item, object_write_trace_id=trace_id, associations=associations)
        prepared.append(item)
    if not prepared:
        raise InvalidInputError("inputs", "the batch is empty", "Pass at least one input.")
    return prepared


def prepare_attendees(attendees: Iterable[AttendeeByEmail]) -> list[AttendeeByEmail]:
    """The attendees as a list, each checked, each email once (its outcome's key). Nothing is copied."""
    checked: list[AttendeeByEmail] = []
    seen: set[str] = set()
    for index, item in enumerate(_items("attendees", attendees, AttendeeByEmail, "attendee")):
        field = f"attendees[{index}]"
        if not isinstance(item, AttendeeByEmail):
            raise InvalidInputError(
                field,
                f"expected an AttendeeByEmail, got {type(item).__name__}",
                "Build each attendee with hubspot_email.attendee(...).",
            )
        email = check_attendee_email(f"{field}.email", item.email)
        check_epoch_milliseconds(f"{field}.interaction_date_time", item.interaction_date_time)
        _check_property_model(f"{field}.properties", item.properties, AttendeeByEmailProperties)
        _check_property_model(
            f"{field}.contact_properties", item.contact_properties, AttendeeByEmailContactProperties
        )
        if email.lower() in seen:
            raise InvalidInputError(
                f"{field}.email", f"{email!r} is listed twice", "List each attendee once."
            )
        seen.add(email.lower())
        checked.append(item)
    if not checked:
        raise InvalidInputError("attendees", "no attendees", "Pass at least one attendee.")
    return checked


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


def _checked_associations(field: str, associations: object) -> list[AssociationForCreate]:
    """The associations, checked; the same list unless a record id had to be written as digits."""
    if not isinstance(associations, list):
        raise InvalidInputError(
            field,
            f"expected a list, got {type(associations).__name__}",
            "Pass a list of AssociationForCreate (it may be empty).",
        )
    checked: list[AssociationForCreate] = []
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
        record_id = check_record_id(f"{where}.to.id", association.to.id)
        _check_association_types(f"{where}.types", association.types)
        if record_id != association.to.id:
            association = _evolve(association, to=_evolve(association.to, id=record_id))
        checked.append(association)
    same = all(new is old for new, old in zip(checked, associations, strict=True))
    return associations if same else checked


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


def _evolve(instance: ModelT, **changes: Any) -> ModelT:
    """A copy with `changes`; `attrs.evolve` leaves out fields not set in __init__, so copy those too."""
    # mypy's attrs plugin cannot see that every ModelT is an attrs class.
    copy: ModelT = attrs.evolve(cast(Any, instance), **changes)
    copy.additional_properties = dict(instance.additional_properties)
    return copy
