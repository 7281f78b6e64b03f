"""Input checks made before any network call. Each error names the field and the fix.

Address syntax is checked with email-validator (syntax only: no DNS, so no network and no delay).
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

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
MAX_CHUNK_SIZE = 100
# RFC 5321's limit on a whole address, which email-validator applies.
MAX_ADDRESS_LENGTH = 254
LOOPBACK_NAMES = frozenset({"localhost"})


def __getattr__(name: str) -> frozenset[str]:
    """DIRECTIONS and STATUSES: the values HubSpot accepts for hs_email_direction and hs_email_status
    (one place for every check), from the spec's enums (EmailCreateInput names them in
    x-hubspot-property-enums; a test holds the two together). Made on first use: the generated models
    are imported by the first batch, not by `import hubspot_email`."""
    if name in ("DIRECTIONS", "STATUSES"):
        from hubspot_email_api.models import EmailDirection, EmailStatus

        members = EmailDirection if name == "DIRECTIONS" else EmailStatus
        values = frozenset(member.value for member in members)
        globals()[name] = values
        return values
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def check_path_segment(field: str, checked: str, *, what: str, fix: str) -> str:
    """An id that goes into the URL path as one segment (`checked` has passed `check_text`)."""
    # "." and ".." are path segments URL normalisation removes: the request would go to another path.
    if checked.strip(".") == "":
        raise InvalidInputError(
            field, f"{checked!r} is not an id: as a path segment it would be dropped from the URL", fix
        )
    # Quoted, these would still reach HubSpot, but no id holds them: they point at a URL or a mistake.
    if any(character in checked for character in "/?#"):
        raise InvalidInputError(field, f"{checked!r} holds '/', '?' or '#', which no {what} does", fix)
    return checked


def check_status_id(status_id: object, *, field: str = "status_id") -> str:
    """A send's status id (the `statusId` of a v4 send's answer), which goes into the URL path."""
    fix = "Pass the status_id of a v4 send's result (SingleSendResult.status_id)."
    if not isinstance(status_id, str):
        raise InvalidInputError(
            field, f"expected a string, got {type(status_id).__name__} {status_id!r}", fix
        )
    checked = check_text(field, status_id)
    if not checked.strip():
        raise InvalidInputError(field, f"expected an id, got {status_id!r}", fix)
    return check_path_segment(field, checked, what="status id", fix=fix)


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
    # A list or tuple first: the Sequence ABC check costs more than checking an empty one (the usual).
    if not isinstance(addresses, list | tuple) and (
        isinstance(addresses, str) or not isinstance(addresses, Sequence)
    ):
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
        # The usual case, decided at once: a non-empty ASCII name and an ASCII string value.
        if type(name) is str and type(value) is str and name and name.isascii() and value.isascii():
            checked[name] = value
            continue
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
    if _is_plain_address(address):  # (ASCII, so check_text has nothing to say)
        return address
    check_text(field, address)
    problem = _address_syntax_problem(address, allow_display_name)
    if problem is not None:
        # The fix shows the form expected here: "Fix it." told the reader nothing they did not know.
        fix = (
            "Pass one address, e.g. 'ada@example.com' or 'Ada Lovelace <ada@example.com>'."
            if allow_display_name
            else "Pass one bare address, e.g. 'ada@example.com' (no name, no angle brackets, no spaces)."
        )
        raise InvalidInputError(field, f"{address!r} is not a valid email address ({problem})", fix)
    return address


# Plain ASCII addresses (nearly all of them) are accepted without email-validator, which takes ~20 us an
# address; a batch's addresses are new on every call, so its cache rarely helps. This pattern accepts only
# what email-validator's syntax check accepts (a test holds the two together): a dot-atom local part of at
# most 64 characters (its limit in strict mode), host-name labels of at most 63, a top-level domain ending
# in a letter, at most 254 characters in all. Anything else goes to email-validator, which alone rejects,
# so every refusal keeps its message.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_ADDRESS = re.compile(
    rf"(?=[^@]{{1,64}}@){_ATEXT}+(?:\.{_ATEXT}+)*@(?P<domain>(?:{_LABEL}\.)+{_LABEL})(?<=[A-Za-z])"
)
# email-validator's reserved names (SPECIAL_USE_DOMAIN_NAMES), all top-level labels. Its list is public
# and may be changed by an application: then (or in a version with another list) the fast path steps aside.
_SPECIAL_USE_DOMAIN_NAMES = ["arpa", "invalid", "local", "localhost", "onion", "test"]
_SPECIAL_USE_TLDS = frozenset(_SPECIAL_USE_DOMAIN_NAMES)


def _is_plain_address(address: str) -> bool:
    """True when `address` is in the plain subset that email-validator is known to accept; False says
    nothing (email-validator decides)."""
    match = _PLAIN_ADDRESS.fullmatch(address)
    if match is None or len(address) > MAX_ADDRESS_LENGTH:
        return False
    domain = match["domain"]
    # "xn--" labels are IDNA, which email-validator decodes and may refuse; "ab--" labels it refuses.
    if "--" in domain:
        return False
    validator = sys.modules.get("email_validator")
    if (
        validator is not None
        and getattr(validator, "SPECIAL_USE_DOMAIN_NAMES", None) != _SPECIAL_USE_DOMAIN_NAMES
    ):
        return False
    return domain[domain.rfind(".") + 1 :].lower() not in _SPECIAL_USE_TLDS


# email-validator takes about 100 us an address; batches repeat addresses, so remember the answers.
# A few thousand: enough for repeats within a batch or a file's row read then sent; 65,536 held about
# 25 MiB once full (a bulk-send of distinct recipients grew to it), 4,096 about 1.5 MiB.
@functools.lru_cache(maxsize=4096)
def _address_syntax_problem(address: str, allow_display_name: bool) -> str | None:
    """Why the address's syntax is invalid, or None. Pure (no DNS), so safe to cache."""
    # Imported by the first address checked: its tables take ~13 ms to build, at `import` otherwise.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False, allow_display_name=allow_display_name)
    except EmailNotValidError as error:
        return str(error)
    return None


# ---------------------------------------------------------------------------- client options
def check_chunk_size(value: object) -> int:
    """Inputs per batch request: 1 to 100, HubSpot's limit for both batch operations."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(
            "chunk_size",
            f"expected an int, got {type(value).__name__} {value!r}",
            "Pass e.g. chunk_size=100.",
        )
    if not 1 <= value <= MAX_CHUNK_SIZE:
        raise InvalidInputError(
            "chunk_size",
            f"expected 1 to {MAX_CHUNK_SIZE}, got {value}",
            f"HubSpot takes at most {MAX_CHUNK_SIZE} inputs per batch request.",
        )
    return value


def check_max_concurrency(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(
            "max_concurrency",
            f"expected an int, got {type(value).__name__} {value!r}",
            "Pass e.g. max_concurrency=4.",
        )
    if value < 1:
        raise InvalidInputError(
            "max_concurrency", f"expected 1 or more, got {value}", "Pass 1 to send one request at a time."
        )
    return value


def check_timeout(value: object) -> httpx.Timeout:
    """Seconds (> 0, finite) or an httpx.Timeout whose set values are; None in a Timeout means no limit."""
    if isinstance(value, httpx.Timeout):
        for name, seconds in value.as_dict().items():
            if seconds is not None:
                _check_seconds(f"timeout.{name}", seconds)
        return value
    return httpx.Timeout(_check_seconds("timeout", value))


def check_wait_seconds(field: str, value: object) -> float:
    """Seconds to wait in all, or between polls (`wait_for_send`): a finite number above 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidInputError(
            field,
            f"expected a finite number of seconds above 0, got {type(value).__name__} {value!r}",
            f"Pass e.g. {field}={WAIT_EXAMPLES.get(field, 1)}.",
        )
    return float(value)


# The examples the messages of `check_wait_seconds` give.
WAIT_EXAMPLES = {"timeout": 60, "poll_interval": 1, "--wait-timeout": 60}


def _check_seconds(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(
            field,
            f"expected seconds as a number, got {type(value).__name__} {value!r}",
            "Pass e.g. timeout=30 or an httpx.Timeout.",
        )
    if not math.isfinite(value) or value <= 0:
        raise InvalidInputError(
            field,
            f"expected a finite number of seconds above 0, got {value!r}",
            "Pass e.g. timeout=30; to wait without limit use httpx.Timeout(None).",
        )
    return float(value)


def check_access_token(token: object) -> str:
    """A bearer token. Messages never include the token, not even in part: they end up in logs."""
    if not isinstance(token, str):
        fix = "Decode it first: token.decode('ascii')." if isinstance(token, bytes) else "Pass a str."
        raise InvalidInputError("access_token", f"expected a string, got {type(token).__name__}", fix)
    if not token.strip():
        raise InvalidInputError(
            "access_token",
            "the token is empty" if not token else "the token is only white space",
            "Pass your private app's access token, e.g. from an environment variable.",
        )
    for position, character in enumerate(token):
        # A token is printable ASCII; anything else breaks the Authorization header or is a paste error.
        if not "!" <= character <= "~":
            kind = (
                "white space"
                if character.isspace()
                else "a control character"
                if character.isascii() or not character.isprintable()
                else "a non-ASCII character"
            )
            raise InvalidInputError(
                "access_token",
                f"the token holds {kind} at position {position} (of {len(token)} characters)",
                "Strip it, e.g. token.strip() when read from a file, and check it was copied whole.",
            )
    return token


def check_base_url(url: object, *, tls_terminating_proxy: bool = False) -> str:
    """An http(s) URL with a host; plain http only to this machine unless the caller vouches for a proxy.

    Returned without a trailing slash, ready for operation paths to be appended.
    """
    if not isinstance(url, str):
        raise InvalidInputError(
            "base_url", f"expected a string, got {type(url).__name__}", "Pass e.g. 'https://api.hubapi.com'."
        )
    check_text("base_url", url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it validates it
    except ValueError as error:
        raise InvalidInputError(
            "base_url", f"{url!r} is not a URL ({error})", "Pass e.g. 'https://api.hubapi.com'."
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidInputError(
            "base_url",
            f"expected an http or https URL, got scheme {parts.scheme!r} in {url!r}",
            "Pass e.g. 'https://api.hubapi.com'.",
        )
    if not parts.hostname:
        raise InvalidInputError("base_url", f"{url!r} names no host", "Pass e.g. 'https://api.hubapi.com'.")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise InvalidInputError(
            "base_url",
            f"{url!r} has a query or fragment, which operation paths cannot be appended to",
            "Pass the URL up to its path only.",
        )
    if scheme == "http" and not tls_terminating_proxy and not _is_loopback(parts.hostname):
        raise InvalidInputError(
            "base_url",
            f"{url!r} is plain http to another machine: the access token would travel in clear text",
            "Use https. If a TLS-terminating proxy you control forwards the requests, pass "
            "tls_terminating_proxy=True.",
        )
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
