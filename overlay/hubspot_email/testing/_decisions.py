"""The simulator's decisions, as plain functions of their inputs (tested by tables).

Which result a recipient gets, whether a request is within the rate budget, which fault (if any) a
request suffers, and what is wrong with one engagement or attendee.
"""

from __future__ import annotations

import random
import re
from collections import deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from email_validator import EmailNotValidError, validate_email

from hubspot_email._spec_facts import engagement_property_enums
from hubspot_email._validation import ROLE_BASED_LOCAL_PARTS

# The legacy send knows only ten results; these are the ones the simulator can give.
LEGACY_RESULTS = frozenset(
    {"SENT", "QUEUED", "INVALID_TO_ADDRESS", "BLOCKED_DOMAIN", "PREVIOUSLY_BOUNCED", "INVALID_FROM_ADDRESS"}
    | {"MISSING_CONTENT", "PREVIOUS_SPAM", "PORTAL_SUSPENDED", "MISSING_TEMPLATE_PROPERTIES"}
)
ATTEND_PROPERTIES = frozenset({"joinedAt", "leftAt"})
_FROM_WITH_NAME = re.compile(r"^\s*(?P<name>[^<>]*)<(?P<address>[^<>]+)>\s*$")


def is_address(text: str) -> bool:
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower()


def recipient_result(
    *,
    api: str,
    to: str,
    sender: str | None,
    email_id: int,
    published_email_ids: Collection[int] | None,
    bounced: Collection[str],
    unsubscribed: Collection[str],
    blocked: Collection[str],
) -> str:
    """The sendResult of a single send to `to` (lists hold lower-case addresses; `blocked` also domains).

    The legacy send has no unsubscribe result: transactional email reaches unsubscribed contacts,
    which is the point of it. The v4 send refuses them as PREVIOUSLY_UNSUBSCRIBED_PORTAL.
    """
    if published_email_ids is not None and email_id not in published_email_ids:
        return "MISSING_CONTENT"
    address = to.strip().lower()
    if not is_address(address) or address.split("@", 1)[0] in ROLE_BASED_LOCAL_PARTS:
        return "INVALID_TO_ADDRESS"
    if sender is not None:
        named = _FROM_WITH_NAME.match(sender)
        if not is_address(named.group("address").strip() if named else sender.strip()):
            return "INVALID_FROM_ADDRESS"
    if address in blocked:
        return "BLOCKED_ADDRESS" if api == "v4" else "BLOCKED_DOMAIN"
    if _domain(address) in blocked:
        return "BLOCKED_DOMAIN"
    if address in bounced:
        return "PREVIOUSLY_BOUNCED"
    if address in unsubscribed and api == "v4":
        return "PREVIOUSLY_UNSUBSCRIBED_PORTAL"
    return "SENT"


@dataclass(frozen=True)
class RateLimit:
    """The simulated app budget: `max_requests` per rolling `interval` seconds, and `daily` per day.

    HubSpot's is 100 (or 190, or 250) per 10 s; tests compress time with e.g. RateLimit(5, 0.5).
    Single sends are exempt, as on HubSpot.
    """

    max_requests: int = 100
    interval: float = 10.0
    daily: int = 250_000


class Verdict(Enum):
    ALLOWED = "allowed"
    TEN_SECONDLY_ROLLING = "TEN_SECONDLY_ROLLING"
    DAILY = "DAILY"


def rate_verdict(window: deque[float], used_today: int, now: float, limit: RateLimit) -> Verdict:
    """Whether one more request fits; drops timestamps that left the rolling window (mutates `window`)."""
    while window and window[0] <= now - limit.interval:
        window.popleft()
    if used_today >= limit.daily:
        return Verdict.DAILY
    if len(window) >= limit.max_requests:
        return Verdict.TEN_SECONDLY_ROLLING
    return Verdict.ALLOWED


def rate_headers(limit: RateLimit, window_used: int, used_today: int) -> dict[str, str]:
    return {
        "x-hubspot-ratelimit-max": str(limit.max_requests),
        "x-hubspot-ratelimit-remaining": str(max(limit.max_requests - window_used, 0)),
        "x-hubspot-ratelimit-interval-milliseconds": str(round(limit.interval * 1000)),
        "x-hubspot-ratelimit-daily": str(limit.daily),
        "x-hubspot-ratelimit-daily-remaining": str(max(limit.daily - used_today, 0)),
    }


class Fault(Enum):
    """What can go wrong with one request. SERVER_ERROR, RESET and RATE_LIMITED strike before the
    simulator acts."""

    SERVER_ERROR = "server_error"  # a 5xx; nothing was done
    RESET = "reset"  # the connection drops before any answer; nothing was done
    SLOW = "slow"  # the answer comes after `Faults.slow_seconds` (and is otherwise normal)
    MALFORMED = "malformed"  # acted, then answered 200 with a body that is not the documented JSON
    TIMEOUT_AFTER_ACTING = "timeout_after_acting"  # acted, then never answered in time
    # Acted, then answered its usual status and body labelled Content-Encoding: gzip, which the body is
    # not: the client fails to decode the answer (httpx.DecodingError).
    BAD_ENCODING = "bad_encoding"
    # HubSpot's TEN_SECONDLY_ROLLING 429, as if requests the simulator never saw had spent the window;
    # nothing was done. Any operation, single sends too (exempt from the simulated budget).
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class Faults:
    """Seeded fault injection: each rate is the chance a request suffers that fault (they add up to <= 1).

    The same seed and the same sequence of requests give the same faults.
    """

    seed: int = 0
    server_error_rate: float = 0.0
    reset_rate: float = 0.0
    slow_rate: float = 0.0
    malformed_rate: float = 0.0
    timeout_after_acting_rate: float = 0.0
    # Keyword-only: a new field must not shift the positions of those after it.
    bad_encoding_rate: float = field(default=0.0, kw_only=True)
    rate_limited_rate: float = field(default=0.0, kw_only=True)
    # Retry-After (whole seconds) on those injected 429s; None: none, as HubSpot documents none for the
    # rolling window (its guide says to honour one if present).
    rate_limited_retry_after: int | None = field(default=None, kw_only=True)
    slow_seconds: float = 0.2
    # On loopback a timed-out answer is held this long (longer than the client's read timeout).
    hang_seconds: float = 30.0
    server_error_statuses: tuple[int, ...] = (500, 502, 503, 504)

    def __post_init__(self) -> None:
        rates = self.rates()
        if any(rate < 0 for _, rate in rates) or sum(rate for _, rate in rates) > 1:
            raise ValueError("Faults: each rate must be >= 0 and together they must not exceed 1")
        if self.rate_limited_retry_after is not None and self.rate_limited_retry_after < 0:
            raise ValueError("Faults: rate_limited_retry_after must be >= 0 seconds, or None")

    def rates(self) -> tuple[tuple[Fault, float], ...]:
        return (
            (Fault.SERVER_ERROR, self.server_error_rate),
            (Fault.RESET, self.reset_rate),
            (Fault.SLOW, self.slow_rate),
            (Fault.MALFORMED, self.malformed_rate),
            (Fault.TIMEOUT_AFTER_ACTING, self.timeout_after_acting_rate),
            # Added last, each of these: the faults a seed draws with the rates above are unchanged.
            (Fault.BAD_ENCODING, self.bad_encoding_rate),
            (Fault.RATE_LIMITED, self.rate_limited_rate),
        )


def choose_fault(faults: Faults, draw: float) -> Fault | None:
    """The fault for one request, given a uniform `draw` in [0, 1)."""
    threshold = 0.0
    for fault, rate in faults.rates():
        threshold += rate
        if draw < threshold:
            return fault
    return None


def fault_rng(faults: Faults) -> random.Random:
    return random.Random(faults.seed)  # noqa: S311 (reproducible test faults, not security)


def timestamp_problem(value: str | None) -> str | None:
    """What is wrong with an engagement's hs_timestamp (epoch milliseconds or ISO-8601), if anything."""
    if value is None or value == "":
        return "hs_timestamp is required"
    if value.isdigit():
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return f"hs_timestamp {value!r} is neither epoch milliseconds nor an ISO-8601 date-time"
    return None


def engagement_problems(
    properties: Mapping[str, Any],
    associations: list[dict[str, Any]],
    record_ids: Collection[str] | None = None,
) -> list[str]:
    """Why HubSpot would refuse one email engagement input (empty when it would be created).

    `record_ids`: the CRM records that exist; None when every numeric id is taken to exist.
    """
    problems: list[str] = []
    timestamp = properties.get("hs_timestamp")
    problem = timestamp_problem(timestamp if isinstance(timestamp, str) else None)
    if problem:
        problems.append(problem)
    # The properties with closed values, and their values, are the spec's (x-hubspot-property-enums).
    for name, allowed in engagement_property_enums().items():
        value = properties.get(name)
        if value is not None and value not in allowed:
            problems.append(f"{value!r} is not a valid option for {name}")
    for association in associations:
        target = str(association.get("to", {}).get("id", ""))
        if not target.isdigit():
            problems.append(f"association target id {target!r} is not a record id")
        elif record_ids is not None and target not in record_ids:
            problems.append(f"association target {target} does not exist")
    return problems


def attendee_problems(state: str, email: str, properties: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    if not is_address(email):
        problems.append(f"{email!r} is not a valid email address")
    if state == "attend":
        extra = sorted(set(properties) - ATTEND_PROPERTIES)
        if extra:
            problems.append(f"properties {extra} are not allowed for attend (only joinedAt, leftAt)")
    return problems
