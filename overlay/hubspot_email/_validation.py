"""Input checks made before any network call. Each error names the field and the fix.

Address syntax is checked with email-validator (syntax only: no DNS, so no network and no delay).
"""

from __future__ import annotations

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


def check_recipient(field: str, address: object) -> str:
    """A recipient address: valid syntax, and not a role-based local part HubSpot refuses."""
    if address is None or address == "":
        raise InvalidInputError(field, "a recipient is required", "Pass the recipient's email address.")
    checked = _check_address(field, address, allow_display_name=False)
    local_part = checked.split("@", 1)[0].lower()
    if local_part in ROLE_BASED_LOCAL_PARTS:
        raise InvalidInputError(
            field,
            f"HubSpot refuses role-based recipients such as {local_part}@ (it answers INVALID_TO_ADDRESS)",
            "Send to a person's address instead.",
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
        checked[name] = value
    return checked


def _check_address(field: str, address: Any, *, allow_display_name: bool) -> str:
    if not isinstance(address, str):
        raise InvalidInputError(
            field, f"expected an email address string, got {type(address).__name__}", "Pass a str."
        )
    try:
        validate_email(address, check_deliverability=False, allow_display_name=allow_display_name)
    except EmailNotValidError as error:
        raise InvalidInputError(
            field, f"{address!r} is not a valid email address ({error})", "Fix it."
        ) from None
    return address


# --- placeholders until the validation branch lands (same signatures) ---
def check_access_token(token: object) -> str:
    if not isinstance(token, str) or not token.strip():
        raise InvalidInputError("access_token", "empty", "Pass a token.")
    return token


def check_base_url(url: object, *, tls_terminating_proxy: bool = False) -> str:
    if not isinstance(url, str):
        raise InvalidInputError("base_url", "not a str", "Pass a URL.")
    return url.rstrip("/")


def check_timeout(value: object) -> Any:
    import httpx

    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)  # type: ignore[arg-type]


def check_chunk_size(value: object) -> int:
    if not isinstance(value, int) or not 1 <= value <= 100:
        raise InvalidInputError("chunk_size", f"got {value!r}", "Use 1 to 100.")
    return value


def check_max_concurrency(value: object) -> int:
    if not isinstance(value, int) or value < 1:
        raise InvalidInputError("max_concurrency", f"got {value!r}", "Use 1 or more.")
    return value
