"""Figures under faults: every outcome the overlay reports, checked against the simulator's record.

    python scripts/fault_run.py --sends 10000 --legacy-sends 2000 --engagements 2000 --attendees 1000 \
        --seed 1 --kind both --mode both

Drives `hubspot_email.testing.Simulator` in process (no sockets) and on loopback (uvicorn on 127.0.0.1,
the real httpx stack) with a seeded fault matrix: 5% 5xx (500, 502, 503, 504), 5% 429s
(TEN_SECONDLY_ROLLING, with Retry-After), 2% connection resets, 1% timeouts after the simulator acted,
1% malformed bodies and 1% bodies labelled gzip that are not. The clock is compressed: the clients'
waits (backoff, Retry-After) advance a virtual clock instead of sleeping, and their total is reported.
The async client runs at most 32 calls at once. For each client kind and operation it
prints the inputs, what the simulator's record holds for them, duplicates (a sendId delivered twice, a
record made twice), unaccounted inputs (without exactly one result or outcome), outcomes that disagree
with the record, the errors shown for sends that were delivered and what a same-sendId resend then
said, and the wall time. Exits 1 if there is any duplicate, unaccounted input or disagreement.

A disagreement is: ok but not delivered once, a not-ok result for a delivered send, an error for a
delivered send that says HubSpot refused it rather than that it may have acted; created but not in the
record once, or paired with another input's record; failed but in the record; unknown with no reason.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import sys
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

import httpx
from hubspot_email import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncClient,
    BatchResult,
    Client,
    HubSpotError,
    InternalServerError,
    OutcomeState,
    RateLimiter,
    SingleSendResult,
    attendee,
    email_engagement,
)
from hubspot_email.models import AttendeeByEmail, EmailCreateInput
from hubspot_email.testing import SIMULATOR_TOKEN, Faults, RateLimit, Simulator

Kind = Literal["sync", "async"]
Api = Literal["v4", "v1"]
BatchOperation = Literal["create_emails", "record_attendance"]

EVENT_ID = "58237132332"
EXISTING_CONTACT = "501"
MISSING_CONTACT = "999"
# Every FAILING_EVERY-th batch input is one the simulator refuses, so `failed` is exercised too.
FAILING_EVERY = 13
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
# Neither the simulator's budget nor the client's limiter may make the run wait.
ROOMY_BUDGET = 100_000
MAX_RETRIES = 2
RETRY_AFTER_SECONDS = 1
ASYNC_CONCURRENCY = 32
# On loopback a timed-out answer is held longer than the client waits for it; the client's read timeout
# is short so that the run does not wait long for each, and nothing else on loopback comes near it.
LOOPBACK_TIMEOUT = httpx.Timeout(10.0, read=1.0)
LOOPBACK_HANG_SECONDS = 2.0

Mode = Literal["inprocess", "loopback"]


def fault_matrix(seed: int, mode: Mode = "inprocess") -> Faults:
    return Faults(
        seed=seed,
        server_error_rate=0.05,
        rate_limited_rate=0.05,
        rate_limited_retry_after=RETRY_AFTER_SECONDS,
        reset_rate=0.02,
        timeout_after_acting_rate=0.01,
        malformed_rate=0.01,
        bad_encoding_rate=0.01,
        server_error_statuses=(500, 502, 503, 504),
        hang_seconds=LOOPBACK_HANG_SECONDS if mode == "loopback" else Faults.hang_seconds,
    )


@dataclass
class VirtualClock:
    """The compressed clock: a client's waits are added up here instead of slept."""

    waited: float = 0.0
    waits: int = 0

    def sleep(self, seconds: float) -> None:
        self.waited += seconds
        self.waits += 1

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass
class Target:
    """Where the clients reach the simulator: in process, or at `url` on loopback; and their clock."""

    sim: Simulator
    url: str | None = None
    clock: VirtualClock = field(default_factory=VirtualClock)


def operation_seed(seed: int, operation: str) -> int:
    """Each operation's own fault sequence, the same for both kinds (so sync and async compare)."""
    return zlib.crc32(f"{seed}/{operation}".encode())


def new_simulator(seed: int, operation: str, mode: Mode = "inprocess") -> Simulator:
    return Simulator(
        faults=fault_matrix(operation_seed(seed, operation), mode),
        rate_limit=RateLimit(max_requests=ROOMY_BUDGET, interval=10.0, daily=10**9),
        record_ids=[EXISTING_CONTACT],
        events=[EVENT_ID],
    )


def _client_options(target: Target, max_retries: int) -> dict[str, Any]:
    """A client's options: in process the simulator's own; on loopback its URL and a short read timeout."""
    options: dict[str, Any] = {"max_retries": max_retries, "rate_limiter": RateLimiter(budget=ROOMY_BUDGET)}
    if target.url is not None:
        options |= {"access_token": SIMULATOR_TOKEN, "base_url": target.url, "timeout": LOOPBACK_TIMEOUT}
    return options


def sync_client(target: Target, max_retries: int) -> Client:
    options = _client_options(target, max_retries)
    client = target.sim.client(**options) if target.url is None else Client(**options)
    client._sleep = target.clock.sleep  # waits are counted, not slept
    return client


def async_client(target: Target, max_retries: int) -> AsyncClient:
    options = _client_options(target, max_retries)
    client = target.sim.async_client(**options) if target.url is None else AsyncClient(**options)
    client._sleep = target.clock.async_sleep
    return client


@contextlib.contextmanager
def reach(sim: Simulator, mode: Mode) -> Iterator[Target]:
    """The simulator as the clients reach it in `mode`; served on loopback for the block if so."""
    if mode == "inprocess":
        yield Target(sim)
        return
    with sim.serve() as url:
        yield Target(sim, url)


@dataclass
class Row:
    """One line of the table, and the details behind its counts."""

    kind: Kind
    operation: str
    inputs: int
    mode: Mode = "inprocess"
    in_record: int = 0
    duplicates: int = 0
    unaccounted: int = 0
    disagreements: collections.Counter[str] = field(default_factory=collections.Counter)
    succeeded: int = 0  # ok results, created outcomes
    failed: int = 0  # not-ok results, failed outcomes
    unknown: int = 0  # errors raised, unknown outcomes
    errors_on_delivered: int = 0
    resent_ok: int = 0
    resent_already_sent: int = 0
    seconds: float = 0.0
    waited: float = 0.0  # seconds of waits on the compressed clock (backoff, Retry-After)
    waits: int = 0
    faults: collections.Counter[str] = field(default_factory=collections.Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def bad(self) -> bool:
        return bool(self.duplicates or self.unaccounted or sum(self.disagreements.values()))


def faults_met(sim: Simulator) -> collections.Counter[str]:
    met: collections.Counter[str] = collections.Counter()
    for exchange in sim.exchanges:
        if exchange.fault == "server_error":
            met[f"http_{exchange.status}"] += 1
        elif exchange.fault is not None:
            met[exchange.fault] += 1
    return met


# ------------------------------------------------------------------------------ single sends
SendOutcome = SingleSendResult | HubSpotError | Exception


def send_all(kind: Kind, target: Target, api: Api, send_ids: Sequence[str], max_retries: int) -> list[Any]:
    """Each send's result, `HubSpotError`, or any other exception (which should never happen)."""

    def recipient(send_id: str) -> str:
        return f"{send_id}@example.com"

    if kind == "sync":
        outcomes: list[Any] = []
        with sync_client(target, max_retries) as client:
            send = client.send_email if api == "v4" else client.send_legacy_email
            for send_id in send_ids:
                try:
                    outcomes.append(send(email_id=1, to=recipient(send_id), send_id=send_id))
                except Exception as error:  # counted: only HubSpotError should ever come out of a send
                    outcomes.append(error)
        return outcomes

    async def run() -> list[Any]:
        gate = asyncio.Semaphore(ASYNC_CONCURRENCY)
        async with async_client(target, max_retries) as client:
            send = client.send_email if api == "v4" else client.send_legacy_email

            async def one(send_id: str) -> SingleSendResult:
                async with gate:
                    return await send(email_id=1, to=recipient(send_id), send_id=send_id)

            return await asyncio.gather(*(one(send_id) for send_id in send_ids), return_exceptions=True)

    return asyncio.run(run())


def says_hubspot_may_have_acted(error: HubSpotError) -> bool:
    """False for the errors that say HubSpot refused (a 4xx) or that nothing was sent.

    `APIResponseValidationError` says HubSpot's answer could not be read, never that it refused.
    """
    if error.earlier_attempt_may_have_acted:  # whatever the last attempt said
        return True
    if isinstance(error, APIConnectionError):
        return error.may_have_reached_hubspot
    return isinstance(error, InternalServerError | APIResponseValidationError)


def run_sends(kind: Kind, api: Api, count: int, seed: int, mode: Mode = "inprocess") -> Row:
    operation = "send_email" if api == "v4" else "send_legacy_email"
    row = Row(kind, operation, count, mode=mode)
    sim = new_simulator(seed, operation, mode)
    with reach(sim, mode) as target:
        _run_sends(row, target, api)
    return row


def _run_sends(row: Row, target: Target, api: Api) -> None:
    sim, kind = target.sim, row.kind
    send_ids = [f"{api}-{kind}-{index:06d}" for index in range(row.inputs)]
    started = time.perf_counter()
    outcomes = send_all(kind, target, api, send_ids, MAX_RETRIES)
    row.faults = faults_met(sim)
    row.waited, row.waits = target.clock.waited, target.clock.waits
    delivered = collections.Counter(delivery.send_id for delivery in sim.deliveries)
    errored: list[str] = []
    for send_id, outcome in zip(send_ids, outcomes, strict=True):
        if isinstance(outcome, SingleSendResult):
            if outcome.ok:
                row.succeeded += 1
                if delivered[send_id] != 1:
                    row.disagreements["ok_not_delivered"] += 1
            else:
                row.failed += 1
                if delivered[send_id]:
                    row.disagreements["not_ok_but_delivered"] += 1
        elif isinstance(outcome, HubSpotError):
            row.unknown += 1
            errored.append(send_id)
            if delivered[send_id]:
                row.errors_on_delivered += 1
                if not says_hubspot_may_have_acted(outcome):
                    row.disagreements["refused_but_delivered"] += 1
                    row.notes.append(f"{send_id}: {type(outcome).__name__}: {outcome}")
        else:
            row.unaccounted += 1
            row.notes.append(f"{send_id}: escaped {type(outcome).__name__}: {outcome}")
    # The caller's remedy for an error: the same sendId again (here with the faults gone).
    sim.faults = Faults()
    for send_id, outcome in zip(errored, send_all(kind, target, api, errored, MAX_RETRIES), strict=True):
        if isinstance(outcome, SingleSendResult) and outcome.ok:
            row.resent_ok += 1
            if delivered[send_id] and outcome.already_sent:
                row.resent_already_sent += 1
        else:
            row.notes.append(f"{send_id}: the resend gave {outcome!r}")
    row.seconds = time.perf_counter() - started
    final = collections.Counter(delivery.send_id for delivery in sim.deliveries)
    row.in_record = len(final)
    row.duplicates = sum(1 for times in final.values() if times > 1)


# ------------------------------------------------------------------------------ batches
def engagements(count: int) -> list[EmailCreateInput]:
    return [
        email_engagement(
            timestamp=NOW,
            subject=f"Receipt {index}",
            contact_ids=[MISSING_CONTACT if index % FAILING_EVERY == 0 else EXISTING_CONTACT],
            trace_id=f"t{index}",
        )
        for index in range(count)
    ]


def attendees(count: int) -> list[AttendeeByEmail]:
    # HubSpot refuses properties other than joinedAt/leftAt for "attend"; the client leaves that to it.
    return [
        attendee(
            # Mixed case: HubSpot echoes emails in its own case, and pairing must not care.
            email=f"Guest{index}@Example.com",
            at=NOW,
            properties={"note": "refused"} if index % FAILING_EVERY == 0 else None,
        )
        for index in range(count)
    ]


def call_batch(kind: Kind, target: Target, operation: BatchOperation, count: int, chunk_size: int) -> Any:
    if kind == "sync":
        with sync_client(target, MAX_RETRIES) as client:
            if operation == "create_emails":
                return client.create_emails(engagements(count), chunk_size=chunk_size)
            return client.record_attendance(EVENT_ID, "attend", attendees(count), chunk_size=chunk_size)

    async def run() -> Any:
        async with async_client(target, MAX_RETRIES) as client:
            if operation == "create_emails":
                return await client.create_emails(engagements(count), chunk_size=chunk_size)
            return await client.record_attendance(EVENT_ID, "attend", attendees(count), chunk_size=chunk_size)

    return asyncio.run(run())


def run_batch(
    kind: Kind, operation: BatchOperation, count: int, chunk_size: int, seed: int, mode: Mode = "inprocess"
) -> Row:
    row = Row(kind, f"{operation}/{chunk_size}", count, mode=mode)
    sim = new_simulator(seed, row.operation, mode)
    started = time.perf_counter()
    with reach(sim, mode) as target:
        try:
            result: BatchResult[Any] | None = call_batch(kind, target, operation, count, chunk_size)
        except Exception as error:  # a batch never raises after validation; if so nothing is accounted
            result = None
            row.notes.append(f"the batch raised {type(error).__name__}: {error}")
    row.seconds = time.perf_counter() - started
    row.faults = faults_met(sim)
    row.waited, row.waits = target.clock.waited, target.clock.waits
    if operation == "create_emails":
        keys = [f"t{index}" for index in range(count)]
        made = [(str(email.object_write_trace_id), email.id) for email in sim.emails]
    else:
        keys = [f"guest{index}@example.com" for index in range(count)]
        made = [(record.email.lower(), str(record.vid)) for record in sim.attendance]
    times_made = collections.Counter(key for key, _ in made)
    id_made = dict(made)
    row.in_record = len(times_made)
    row.duplicates = sum(1 for times in times_made.values() if times > 1)
    outcomes = [] if result is None else result.outcomes
    by_index = collections.Counter(outcome.index for outcome in outcomes)
    row.unaccounted = sum(1 for index in range(count) if by_index[index] != 1)
    for outcome in outcomes:
        if not 0 <= outcome.index < count:
            continue
        key = keys[outcome.index]
        if outcome.state is OutcomeState.CREATED:
            row.succeeded += 1
            record: Any = outcome.record
            if times_made[key] != 1:
                row.disagreements["created_not_recorded"] += 1
            elif record is None or str(getattr(record, "id", getattr(record, "vid", None))) != id_made[key]:
                row.disagreements["created_with_another_record"] += 1
        elif outcome.state is OutcomeState.FAILED:
            row.failed += 1
            if times_made[key]:
                row.disagreements["failed_but_recorded"] += 1
        else:
            row.unknown += 1
            if not outcome.reason:
                row.disagreements["unknown_without_reason"] += 1
    return row


# ------------------------------------------------------------------------------ the table
COLUMNS = (
    ("mode", 9),
    ("kind", 5),
    ("operation", 22),
    ("inputs", 7),
    ("in record", 9),
    ("dupes", 5),
    ("unacc.", 6),
    ("disagree", 8),
    ("ok/created", 10),
    ("failed", 6),
    ("err/unknown", 11),
    ("err on delivered", 16),
    ("resend ok", 9),
    ("resend already", 14),
    ("waited", 7),
    ("seconds", 7),
)


def table_line(values: Sequence[object]) -> str:
    cells = []
    for position, ((_, width), value) in enumerate(zip(COLUMNS, values, strict=True)):
        text = str(value)
        cells.append(text.ljust(width) if position < 3 else text.rjust(width))
    return "  ".join(cells).rstrip()


def print_rows(rows: Sequence[Row], out: TextIO) -> None:
    print(table_line([name for name, _ in COLUMNS]), file=out)
    for row in rows:
        sends = row.operation.startswith("send")
        print(
            table_line(
                [
                    row.mode,
                    row.kind,
                    row.operation,
                    row.inputs,
                    row.in_record,
                    row.duplicates,
                    row.unaccounted,
                    sum(row.disagreements.values()),
                    row.succeeded,
                    row.failed,
                    row.unknown,
                    row.errors_on_delivered if sends else "-",
                    row.resent_ok if sends else "-",
                    row.resent_already_sent if sends else "-",
                    f"{row.waited:.0f}",
                    f"{row.seconds:.2f}",
                ]
            ),
            file=out,
        )
    for row in rows:
        met = ", ".join(f"{name} {count}" for name, count in sorted(row.faults.items()))
        print(f"  {row.mode} {row.kind} {row.operation} faults met: {met or 'none'}", file=out)
        if row.disagreements:
            print(f"    disagreements: {dict(row.disagreements)}", file=out)
        for note in row.notes[:10]:
            print(f"    {note}", file=out)
        if len(row.notes) > 10:
            print(f"    ... and {len(row.notes) - 10} more", file=out)


def run_kind(kind: Kind, arguments: argparse.Namespace, mode: Mode = "inprocess") -> list[Row]:
    seed = arguments.seed
    rows = [
        run_sends(kind, "v4", arguments.sends, seed, mode),
        run_sends(kind, "v1", arguments.legacy_sends, seed, mode),
    ]
    for chunk_size in arguments.chunk_sizes:
        rows.append(run_batch(kind, "create_emails", arguments.engagements, chunk_size, seed, mode))
    for chunk_size in arguments.chunk_sizes:
        rows.append(run_batch(kind, "record_attendance", arguments.attendees, chunk_size, seed, mode))
    return rows


def chunk_sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("expected positive chunk sizes separated by commas, e.g. 100,10")
    return sizes


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sends", type=int, default=10_000, help="v4 single sends")
    parser.add_argument("--legacy-sends", type=int, default=2_000, help="legacy v1 single sends")
    parser.add_argument("--engagements", type=int, default=2_000, help="inputs of one create_emails batch")
    parser.add_argument("--attendees", type=int, default=1_000, help="attendees of one attendance batch")
    parser.add_argument(
        "--chunk-sizes", type=chunk_sizes, default=[100, 10], help="batch chunk sizes, e.g. 100,10"
    )
    parser.add_argument("--seed", type=int, default=1, help="the fault matrix's seed")
    parser.add_argument("--kind", choices=("sync", "async", "both"), default="both")
    parser.add_argument(
        "--mode",
        choices=("inprocess", "loopback", "both"),
        default="inprocess",
        help="the simulator in process (no sockets), on loopback (uvicorn on 127.0.0.1), or both",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    arguments = parse_arguments(argv)
    kinds: list[Kind] = ["sync", "async"] if arguments.kind == "both" else [arguments.kind]
    modes: list[Mode] = ["inprocess", "loopback"] if arguments.mode == "both" else [arguments.mode]
    matrix = fault_matrix(arguments.seed)
    print(
        f"fault matrix (seed {arguments.seed}): 5xx {matrix.server_error_rate:.0%} "
        f"{list(matrix.server_error_statuses)}, 429 {matrix.rate_limited_rate:.0%} (Retry-After "
        f"{matrix.rate_limited_retry_after} s), resets {matrix.reset_rate:.0%}, timeouts after acting "
        f"{matrix.timeout_after_acting_rate:.0%}, malformed {matrix.malformed_rate:.0%}, bad encoding "
        f"{matrix.bad_encoding_rate:.0%}; max_retries={MAX_RETRIES}; each operation draws its own faults",
        file=out,
    )
    print(
        "columns: in record = inputs the simulator delivered/made; unacc. = inputs without exactly one "
        "result or outcome;\n  err/unknown = errors raised (sends) or unknown outcomes (batches); err on "
        "delivered = errors for sends that were delivered;\n  resend ok = errored sends a same-sendId resend "
        "reported ok; resend already = of the delivered ones, reported already_sent;\n  waited = seconds "
        "the client waited (backoff, Retry-After) on the compressed clock",
        file=out,
    )
    bad = False
    for mode in modes:
        for kind in kinds:
            print(f"\n== {mode} {kind}", file=out)
            rows = run_kind(kind, arguments, mode)
            print_rows(rows, out)
            bad = bad or any(row.bad for row in rows)
    print(
        "\nresult: " + ("FAIL (duplicates, unaccounted inputs or disagreements)" if bad else "ok"), file=out
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
