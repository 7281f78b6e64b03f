"""Input checks made before any network call. Each error names the field and the fix.

Address syntax is checked with email-validator (syntax only: no DNS, so no network and no delay).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from email_validator import EmailNotValidError, validate_email

from ._exceptions import HubSpotError

__all__ = ["ROLE_BASED_LOCAL_PARTS", "InvalidInputError"]

# HubSpot answers INVALID_TO_ADDRESS for recipients with these local parts (the legacy send's page).
ROLE_BASED_LOCAL_PARTS = frozenset(
    {
        "abuse",
        "no-reply",
        "noreply",
        "root",
        "spam",
        "security",
        "undisclosed-recipients",
        "unsubscribe",
        "inoc",
        "postmaster",
        "privacy",
    }
)


INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1
# Epoch milliseconds below this are before 1973-03-03: far more likely epoch seconds given by mistake.
SECONDS_LIMIT = 10**11
# 9999-12-31T23:59:59.999Z: anything later is microseconds or nanoseconds, not milliseconds.
LATEST_EPOCH_MILLISECONDS = 253_402_300_799_999
# The values HubSpot accepts for hs_email_direction and hs_email_status (one place for every check).
DIRECTIONS = frozenset({"EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"})
STATUSES = frozenset({"BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"})


class InvalidInputError(HubSpotError, ValueError):
    """An argument HubSpot would reject (or misread); raised before anything is sent."""

    def __init__(self, field: str, problem: str, fix: str) -> None:
        super().__init__(f"{field}: {problem}. {fix}")
        self.field = field


def check_email_id(email_id: object) -> int:
    # bool is an int subclass; True would be sent as 1.
    if not isinstance(email_id, int) or isinstance(email_id, bool):
        raise InvalidInputError(
            "email_id",
            f"expected an int, got {type(email_id).__name__} {email_id!r}",
            "Pass the email's numeric content id from HubSpot's email tool, e.g. email_id=123456.",
        )
    if email_id <= 0:
        raise InvalidInputError(
            "email_id", f"expected a positive id, got {email_id}", "Pass the email's content id."
        )
    if email_id > INT64_MAX:
        # HubSpot reads emailId as a 64-bit integer (int64 in the spec); a larger one is refused.
        raise InvalidInputError(
            "email_id", f"{email_id} is larger than a 64-bit id can be", "Pass the email's content id."
        )
    return email_id


def check_text(field: str, value: object, *, what: str = "the string") -> str:
    """A string that can go on the wire: JSON bodies and URLs are UTF-8, which has no lone surrogates."""
    if not isinstance(value, str):
        raise InvalidInputError(
            field, f"expected a string, got {type(value).__name__} {value!r}", "Pass a str."
        )
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidInputError(
            field,
            f"{what} holds an unpaired surrogate that cannot be sent as UTF-8 "
            f"({value[error.start]!r} at position {error.start})",
            "Decode the source bytes with their real encoding (e.g. data.decode('utf-8')); if a pair was "
            "split, rejoin it with s.encode('utf-16', 'surrogatepass').decode('utf-16').",
        ) from None
    return value


def check_record_id(field: str, record_id: object) -> str:
    """A CRM record id: a positive 64-bit integer, given as an int or a string of digits; sent as digits."""
    if isinstance(record_id, str) and record_id.isascii() and record_id.isdigit():
        number = int(record_id)
    elif isinstance(record_id, int) and not isinstance(record_id, bool):  # True would be sent as 1
        number = record_id
    else:
        raise InvalidInputError(
            field,
            f"expected a record id (an int or a string of digits), got {type(record_id).__name__} "
            f"{record_id!r}",
            "Pass HubSpot's numeric id of the record, e.g. '501' or 501.",
        )
    if number <= 0:
        raise InvalidInputError(
            field, f"expected a positive record id, got {record_id!r}", "Pass HubSpot's id of the record."
        )
    if number > INT64_MAX:
        raise InvalidInputError(
            field,
            f"{record_id!r} is larger than a 64-bit id can be",
            "Pass HubSpot's id of the record (ids are 64-bit integers).",
        )
    return str(number)


def check_choice(field: str, value: object, allowed: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInputError(
            field, f"unknown value {value!r}", f"Use one of {', '.join(sorted(allowed))}."
        )
    return value


def check_epoch_milliseconds(field: str, value: object) -> int:
    """An int of epoch milliseconds, at or after 1973-03-03 (smaller values are seconds given by mistake)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(
            field,
            f"expected an int of epoch milliseconds, got {type(value).__name__} {value!r}",
            "Pass e.g. round(moment.timestamp() * 1000) for an aware datetime `moment`.",
        )
    if value < SECONDS_LIMIT:
        raise InvalidInputError(
            field,
            f"{value} looks like epoch seconds, which HubSpot would read as milliseconds in January 1970",
            "Pass milliseconds, e.g. seconds * 1000.",
        )
    if value > LATEST_EPOCH_MILLISECONDS:
        raise InvalidInputError(
            field,
            f"{value} is after the year 9999 as milliseconds: it looks like microseconds or nanoseconds",
            "Pass epoch milliseconds, e.g. microseconds // 1000.",
        )
    return value


def check_recipient(field: str, address: object) -> str:
    """A recipient address: valid syntax, and not a role-based local part HubSpot refuses."""
    if address is None or address == "":
        raise InvalidInputError(field, "a recipient is required", "Pass the recipient's email address.")
    checked = _check_address(field, address, allow_display_name=False)
    local_part = _role_based_local_part(checked)
    if local_part is not None:
        raise InvalidInputError(
            field,
            f"HubSpot refuses role-based recipients such as {local_part}@ (it answers INVALID_TO_ADDRESS)",
            "Send to a person's address instead.",
        )
    return checked


def check_attendee_email(field: str, address: object) -> str:
    """An attendee's address: valid syntax, and a person's (HubSpot makes the attendee a contact)."""
    if address is None or address == "":
        raise InvalidInputError(
            field, "an attendee's email is required", "Pass the attendee's email address."
        )
    checked = _check_address(field, address, allow_display_name=False)
    local_part = _role_based_local_part(checked)
    if local_part is not None:
        raise InvalidInputError(
            field,
            f"a role-based address such as {local_part}@ is not a person who can attend; it is refused "
            "because HubSpot answers INVALID_TO_ADDRESS for such recipients, so the contact recorded "
            "for it could never be emailed",
            "Record the attendee by their own address.",
        )
    return checked


def check_sender(field: str, address: object) -> str:
    """A From header: an address, optionally with a display name ("Name <addr@example.com>")."""
    return _check_address(field, address, allow_display_name=True)


def check_addresses(field: str, addresses: object) -> list[str]:
    """A list of addresses (cc, bcc, reply-to). A lone string is refused: it is easy to pass by mistake."""
    if isinstance(addresses, str) or not isinstance(addresses, Sequence):
        raise InvalidInputError(
            field,
            f"expected a list of addresses, got {type(addresses).__name__}",
            f'Pass a list, e.g. {field}=["someone@example.com"].',
        )
    return [
        _check_address(f"{field}[{index}]", item, allow_display_name=False)
        for index, item in enumerate(addresses)
    ]


def check_properties(field: str, properties: object) -> dict[str, str]:
    """A mapping of property names to string values (HubSpot's property values are strings)."""
    if not isinstance(properties, Mapping):
        raise InvalidInputError(
            field,
            f"expected a mapping of names to strings, got {type(properties).__name__}",
            f'Pass a dict, e.g. {field}={{"name": "value"}}.',
        )
    checked: dict[str, str] = {}
    for name, value in properties.items():
        if not isinstance(name, str) or not name:
            raise InvalidInputError(
                field, f"property names must be non-empty strings, got {name!r}", "Rename it."
            )
        where = f"{field}[{name!r}]"
        check_text(where, name, what="the property name")
        if isinstance(value, list | tuple | set | frozenset):
            raise InvalidInputError(
                where,
                "HubSpot does not support lists in property values",
                "Render the list as one string, e.g. an HTML <ul> list or a table.",
            )
        if not isinstance(value, str):
            raise InvalidInputError(
                where,
                f"expected a string, got {type(value).__name__} {value!r}",
                "Convert it yourself so the format is yours, e.g. str(value) or value.isoformat().",
            )
        checked[name] = check_text(where, value)
    return checked


def _role_based_local_part(address: str) -> str | None:
    local_part = address.split("@", 1)[0].lower()
    return local_part if local_part in ROLE_BASED_LOCAL_PARTS else None


def _check_address(field: str, address: Any, *, allow_display_name: bool) -> str:
    if not isinstance(address, str):
        raise InvalidInputError(
            field, f"expected an email address string, got {type(address).__name__}", "Pass a str."
        )
    check_text(field, address)
    problem = _address_syntax_problem(address, allow_display_name)
    if problem is not None:
        raise InvalidInputError(field, f"{address!r} is not a valid email address ({problem})", "Fix it.")
    return address


# email-validator takes about 100 us an address; batches repeat addresses, so remember the answers.
@functools.lru_cache(maxsize=65536)
def _address_syntax_problem(address: str, allow_display_name: bool) -> str | None:
    """Why the address's syntax is invalid, or None. Pure (no DNS), so safe to cache."""
    try:
        validate_email(address, check_deliverability=False, allow_display_name=allow_display_name)
    except EmailNotValidError as error:
        return str(error)
    return None
