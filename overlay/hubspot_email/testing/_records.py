"""What the simulator did, kept so tests can assert on it (exactly-once above all).

The record types, and `Record`: the lists of them since the last reset, each capped to its newest
`max_records` when a cap is set, and their JSON form for `GET /_simulator/record`.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Delivery:
    """One email the simulator "delivered": a single send whose result was SENT."""

    api: str  # "v4" (the v4 send or its dated successor: the same body) or "v1"
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


@dataclass(frozen=True, slots=True)
class SendStatusEntry:
    """One v4 send request, as the status lookup reports it: PENDING from `requested_at`, then COMPLETE
    with its `send_result` from `completes_at` on (the same moment without a completion delay)."""

    status_id: str
    send_result: str
    requested_at: datetime
    completes_at: datetime
    event_id: str | None  # set when the result is SENT


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


ExchangeKey = tuple[str | None, int | None, str | None]  # operation, status, fault


class Record:
    """Deliveries, emails, attendance and exchanges (newest `max_records` of each), and contacts.

    Contacts are the CRM's state rather than a log, so they are not capped: they grow with distinct
    attendee addresses only. Exchange counts are kept apart from the exchanges, so they stay whole
    past the cap.
    """

    LISTS = ("deliveries", "emails", "attendance", "exchanges")

    def __init__(self, max_records: int | None = None) -> None:
        if max_records is not None and (isinstance(max_records, bool) or max_records < 0):
            raise ValueError("max_records: a number of records to keep (>= 0), or None to keep all")
        self.max_records = max_records
        self.deliveries: deque[Delivery] = deque(maxlen=max_records)
        self.emails: deque[CreatedEmail] = deque(maxlen=max_records)
        self.attendance: deque[AttendanceRecord] = deque(maxlen=max_records)
        self.exchanges: deque[Exchange] = deque(maxlen=max_records)
        self.contacts: dict[str, Contact] = {}  # by lower-case address
        # Every sendId delivered since the last reset. Kept apart from the capped deliveries so that
        # de-duplication holds past the cap; it grows with distinct sendIds only, not with requests.
        self.sent_send_ids: set[str] = set()
        # Every v4 send request's status by statusId, oldest first; the newest `max_records` of them when
        # capped (an older statusId is then unknown: 404, as after HubSpot forgets it).
        self.send_statuses: dict[str, SendStatusEntry] = {}
        self.exchange_counts: Counter[ExchangeKey] = Counter()
        self.totals: Counter[str] = Counter()  # everything ever added to each list, kept or not

    def add_delivery(self, delivery: Delivery) -> None:
        self.deliveries.append(delivery)
        self.totals["deliveries"] += 1
        if delivery.send_id is not None:
            self.sent_send_ids.add(delivery.send_id)

    def add_send_status(self, entry: SendStatusEntry) -> None:
        self.send_statuses[entry.status_id] = entry
        if self.max_records is not None and len(self.send_statuses) > self.max_records:
            del self.send_statuses[next(iter(self.send_statuses))]

    def add_email(self, email: CreatedEmail) -> None:
        self.emails.append(email)
        self.totals["emails"] += 1

    def add_attendance(self, record: AttendanceRecord) -> None:
        self.attendance.append(record)
        self.totals["attendance"] += 1

    def add_exchange(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        self.totals["exchanges"] += 1
        self.exchange_counts[exchange.operation, exchange.status, exchange.fault] += 1

    def clear(self) -> None:
        """Forget the logs (deliveries, emails, attendance, exchanges and their counts).

        What the account now holds stays: contacts keep their vids, a sendId already delivered is still
        IDEMPOTENT_IGNORE (v4) or 409 (v1), and each send's status can still be looked up.
        """
        for name in self.LISTS:
            getattr(self, name).clear()
        self.exchange_counts.clear()
        self.totals.clear()

    def dropped(self) -> dict[str, int]:
        """How many of each list the cap has forgotten."""
        return {name: self.totals[name] - len(getattr(self, name)) for name in self.LISTS}

    def to_json(self) -> dict[str, Any]:
        """The record as `GET /_simulator/record` answers it (shape in `hubspot_email.testing.__main__`)."""
        return {
            "deliveries": [delivery_json(delivery) for delivery in self.deliveries],
            "emails": [{**asdict(email), "associations": list(email.associations)} for email in self.emails],
            "contacts": [asdict(contact) for contact in self.contacts.values()],
            "attendance": [asdict(record) for record in self.attendance],
            "exchanges": [
                {"operation": operation, "status": status, "fault": fault, "count": count}
                for (operation, status, fault), count in sorted(
                    self.exchange_counts.items(), key=lambda item: _sort_key(item[0])
                )
            ],
            "max_records": self.max_records,
            "dropped": self.dropped(),
        }


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    fields = asdict(delivery)
    fields["from"] = fields.pop("from_")
    return {
        **fields,
        "reply_to": list(delivery.reply_to),
        "cc": list(delivery.cc),
        "bcc": list(delivery.bcc),
    }


def _sort_key(key: ExchangeKey) -> tuple[str, int, str]:
    operation, status, fault = key
    return (operation or "", status or 0, fault or "")
