"""`Simulator`: the public face of the simulator, a thin layer over its parts.

The parts: `_http.App` (routing, auth, budget, faults, validation: a request into an answer),
`_operations` (what each operation does), `_records.Record` (what happened), `_rate.Budget` (the app's
budget), and the carriers `_transport.py` (httpx, in process) and `_asgi.py` (ASGI, and a loopback
server). None of them imports this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from ._asgi import AsgiApp, serve_in_thread
from ._clock import Clock, real_time, zone
from ._decisions import Faults, RateLimit
from ._http import App
from ._options import ALL_SCOPES, Options
from ._records import AttendanceRecord, Contact, CreatedEmail, Delivery, Exchange
from ._transport import HandlerTransport
from ._wire import SimAnswer, SimRequest

if TYPE_CHECKING:
    from hubspot_email._client import AsyncClient, Client
    from hubspot_email._ratelimit import RateLimiter

__all__ = ["ALL_SCOPES", "SIMULATOR_BASE_URL", "SIMULATOR_TOKEN", "Simulator", "SimulatorTransport"]

SIMULATOR_TOKEN = "pat-simulator-token"  # noqa: S105 (the simulator's default test token, not a secret)
# https: the token is sent as to HubSpot, though in process nothing leaves the machine.
SIMULATOR_BASE_URL = "https://hubspot-simulator.invalid"

T = TypeVar("T")


class _Option(Generic[T]):
    """A simulator attribute kept in its `Options`: set between requests, read by the next one."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> _Option[T]: ...
    @overload
    def __get__(self, instance: Simulator, owner: type) -> T: ...
    def __get__(self, instance: Simulator | None, owner: type) -> _Option[T] | T:
        if instance is None:
            return self
        value: T = getattr(instance._options, self._name)
        return value

    def __set__(self, instance: Simulator, value: T) -> None:
        setattr(instance._options, self._name, value)


class Simulator:
    """A faithful fake of HubSpot's four email endpoints and the send-status lookup, in process or on
    loopback: the endpoints on their numbered paths and on the dated successors' (e.g.
    `/marketing/email-campaigns/2026-03/single-send`), which act and are recorded as their numbered
    twins (`exchanges` name the operation and the path).

    >>> sim = Simulator(bounced={"gone@example.com"})
    >>> with sim.client() as client:
    ...     client.send_email(email_id=1, to="ada@example.com").send_result
    <SendResult.SENT: 'SENT'>

    tokens: token -> scopes it holds. None (the default) accepts any bearer token with every scope.
    email_ids: the published email ids; None publishes every id. Others give MISSING_CONTENT.
    events: the marketing event ids; None accepts any. Others give 404.
    record_ids: the CRM records engagements may be associated with (contacts, companies, deals,
    tickets); None takes every numeric id to exist. Others fail that input (a 207). Contacts created
    by attendance join them.
    bounced, unsubscribed, blocked: recipient lists (`blocked` may also hold domains).
    rate_limit: the app's rolling and daily budget (single sends are exempt, as on HubSpot).
    faults: seeded fault injection. batch_status: 201 as documented, or 200 as HubSpot has answered.
    clock: the simulator's now, a callable returning an aware datetime or epoch seconds (default: real
    time); tests pass a fake one to cross the rate window or midnight without waiting.
    timezone: the account's time zone (an IANA name or a tzinfo; default UTC). The daily budget
    restarts at its midnight, and a DAILY 429 says in `Retry-After` how many seconds that is away.
    max_records: keep only the newest N deliveries, emails, attendance records and exchanges (None,
    the default, keeps all); `clear_records()` forgets them. De-duplication by sendId is unaffected.
    The send statuses kept for lookup are capped alike (an older statusId then answers 404).
    send_completion_delay: seconds on the simulator's clock from a v4 send's acceptance to its
    completion. 0 (the default) completes it at once: the send answers COMPLETE with its sendResult.
    Otherwise the send answers PENDING with no sendResult (no attempt has been made yet), and
    `GET /marketing/v3/email/send-statuses/{statusId}` answers PENDING until the delay has passed, then
    COMPLETE with the sendResult. Either way the delivery is recorded when the send is accepted. Every v4
    answer's statusId can be looked up, an IDEMPOTENT_IGNORE's too; an unknown one answers 404.
    seed: for the ids the simulator hands out.
    """

    email_ids = _Option[frozenset[int] | None]()
    events = _Option[frozenset[str] | None]()
    record_ids = _Option[frozenset[str] | None]()
    bounced = _Option[frozenset[str]]()
    unsubscribed = _Option[frozenset[str]]()
    blocked = _Option[frozenset[str]]()
    rate_limit = _Option[RateLimit]()
    faults = _Option[Faults]()
    batch_status = _Option[int]()
    timezone = _Option[tzinfo]()
    send_completion_delay = _Option[float]()

    def __init__(
        self,
        *,
        tokens: Mapping[str, Iterable[str]] | None = None,
        email_ids: Iterable[int] | None = None,
        events: Iterable[str] | None = None,
        record_ids: Iterable[str | int] | None = None,
        bounced: Iterable[str] = (),
        unsubscribed: Iterable[str] = (),
        blocked: Iterable[str] = (),
        rate_limit: RateLimit | None = None,
        faults: Faults | None = None,
        batch_status: int = 201,
        clock: Clock = real_time,
        timezone: str | tzinfo = "UTC",
        max_records: int | None = None,
        seed: int = 0,
        send_completion_delay: float = 0.0,
    ) -> None:
        if batch_status not in (200, 201):
            raise ValueError("batch_status: HubSpot answers a fully created batch with 201 (or 200)")
        if not _is_seconds(send_completion_delay):
            raise ValueError("send_completion_delay: a finite number of seconds >= 0 (0: complete at once)")
        self._options = Options(
            tokens=None if tokens is None else {token: frozenset(scopes) for token, scopes in tokens.items()},
            email_ids=None if email_ids is None else frozenset(email_ids),
            events=None if events is None else frozenset(events),
            record_ids=None if record_ids is None else frozenset(str(record_id) for record_id in record_ids),
            bounced=frozenset(address.lower() for address in bounced),
            unsubscribed=frozenset(address.lower() for address in unsubscribed),
            blocked=frozenset(entry.lower().lstrip("@") for entry in blocked),
            rate_limit=rate_limit or RateLimit(),
            faults=faults or Faults(),
            batch_status=batch_status,
            timezone=zone(timezone),
            seed=seed,
            send_completion_delay=float(send_completion_delay),
        )
        self._app = App(self._options, clock, max_records)
        self._client_rate_limiter: RateLimiter | None = None

    def __repr__(self) -> str:
        # Tokens are test tokens, but the repr still never shows them.
        record = self._app.record
        return (
            f"Simulator(deliveries={len(record.deliveries)}, emails={len(record.emails)}, "
            f"attendance={len(record.attendance)}, rate_limit={self.rate_limit}, faults={self.faults})"
        )

    def reset(self) -> None:
        """Forget everything delivered and created, and restart the budget, fault and id sequences."""
        self._app.reset()

    def clear_records(self) -> None:
        """Forget deliveries, emails, attendance and exchanges, and nothing else.

        Contacts, the sendIds already delivered (still de-duplicated), the budget and the fault and id
        sequences stay as they are. For a long-running simulator; `max_records` caps the lists instead.
        """
        with self._app.lock:
            self._app.record.clear()

    # What happened, for assertions. Copies: callers can't change the simulator's state.
    @property
    def deliveries(self) -> list[Delivery]:
        with self._app.lock:
            return list(self._app.record.deliveries)

    @property
    def emails(self) -> list[CreatedEmail]:
        with self._app.lock:
            return list(self._app.record.emails)

    @property
    def contacts(self) -> dict[str, Contact]:
        with self._app.lock:
            return dict(self._app.record.contacts)

    @property
    def attendance(self) -> list[AttendanceRecord]:
        with self._app.lock:
            return list(self._app.record.attendance)

    @property
    def exchanges(self) -> list[Exchange]:
        with self._app.lock:
            return list(self._app.record.exchanges)

    def record(self) -> dict[str, Any]:
        """The record as JSON-ready data, as `GET /_simulator/record` answers it."""
        with self._app.lock:
            return self._app.record.to_json()

    def deliveries_to(self, address: str) -> list[Delivery]:
        return [delivery for delivery in self.deliveries if delivery.to.lower() == address.lower()]

    # Ways to reach it.
    @property
    def transport(self) -> SimulatorTransport:
        """An httpx transport (sync and async) that answers in process, with no socket."""
        return SimulatorTransport(self)

    def client(self, **options: Any) -> Client:
        """A `hubspot_email.Client` wired to this simulator in process."""
        from hubspot_email._client import Client

        options.setdefault("access_token", SIMULATOR_TOKEN)
        options.setdefault("base_url", SIMULATOR_BASE_URL)
        options.setdefault("rate_limiter", self.client_rate_limiter)
        return Client(transport=self.transport, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        from hubspot_email._client import AsyncClient

        options.setdefault("access_token", SIMULATOR_TOKEN)
        options.setdefault("base_url", SIMULATOR_BASE_URL)
        options.setdefault("rate_limiter", self.client_rate_limiter)
        return AsyncClient(transport=self.transport, **options)

    @property
    def client_rate_limiter(self) -> RateLimiter:
        """The budget every client this simulator makes shares: one simulated account, one budget, and
        none shared with another simulator (a DAILY 429 in one test never blocks the next)."""
        if self._client_rate_limiter is None:
            from hubspot_email._ratelimit import RateLimiter

            self._client_rate_limiter = RateLimiter()
        return self._client_rate_limiter

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """The ASGI app: `uvicorn.run(Simulator())`, or any ASGI server or test client."""
        await AsgiApp(self)(scope, receive, send)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> AbstractContextManager[str]:
        """A context manager that serves the simulator on loopback with uvicorn and yields its base URL.

        uvicorn is imported only when serving: in-process use needs no server.
        """
        return serve_in_thread(self, host, port)

    # The core: every carrier hands requests here (a subclass may wrap it).
    def handle(self, request: SimRequest) -> SimAnswer:
        return self._app.handle(request)


def _is_seconds(value: object) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
    )


class SimulatorTransport(HandlerTransport):
    """An httpx transport (sync and async) answered in process by `simulator`, with no socket."""

    simulator: Simulator

    def __init__(self, simulator: Simulator) -> None:
        super().__init__(simulator)
