"""What the simulator did, kept so tests can assert on it (exactly-once above all)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Delivery:
    """One email the simulator "delivered": a single send whose result was SENT."""

    api: str  # "v4" or "v1"
    email_id: int
    to: str
    send_id: str | None
    event_id: str
    from_: str | None = None
    reply_to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    contact_properties: dict[str, Any] = field(default_factory=dict)
    custom_properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CreatedEmail:
    """One email engagement created on the CRM timeline."""

    id: str
    properties: dict[str, str]
    associations: tuple[dict[str, Any], ...]
    object_write_trace_id: str | None


@dataclass
class Contact:
    vid: int
    email: str
    properties: dict[str, str]


@dataclass(frozen=True)
class AttendanceRecord:
    event_id: str
    state: str
    email: str
    vid: int
    interaction_date_time: int
    properties: dict[str, str]


@dataclass(frozen=True)
class Exchange:
    """One request the simulator answered (or dropped): for tests and for the loopback log."""

    operation: str | None
    path: str
    status: int | None  # None when a fault dropped the connection or timed the client out
    fault: str | None
    processed: (
        bool  # False when refused before processing (auth, rate limit, validation) or a fault struck first
    )
