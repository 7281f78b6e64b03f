"""What a simulator is told at construction: its account, its lists, its budget and its faults.

Mutable on purpose: `sim.faults = Faults()` between requests takes effect from the next request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, tzinfo

from ._decisions import Faults, RateLimit

ALL_SCOPES = frozenset(
    {
        "marketing-email",
        "transactional-email",
        "crm.objects.contacts.write",
        "crm.objects.marketing_events.write",
    }
)


@dataclass
class Options:
    tokens: dict[str, frozenset[str]] | None = None  # None: any bearer token, with every scope
    email_ids: frozenset[int] | None = None  # None: every email id is published
    events: frozenset[str] | None = None  # None: every marketing event exists
    record_ids: frozenset[str] | None = None  # None: every numeric CRM record id exists
    bounced: frozenset[str] = frozenset()  # lower-case addresses
    unsubscribed: frozenset[str] = frozenset()
    blocked: frozenset[str] = frozenset()  # lower-case addresses and domains
    rate_limit: RateLimit = field(default_factory=RateLimit)
    faults: Faults = field(default_factory=Faults)
    batch_status: int = 201
    timezone: tzinfo = UTC  # the account's: its daily budget restarts at its midnight
    # Seconds (on the simulator's clock) from a v4 send's acceptance to its completion; 0: at once.
    send_completion_delay: float = 0.0
    seed: int = 0
