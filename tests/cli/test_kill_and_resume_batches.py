"""`log-emails` and `attendance` SIGKILLed at seeded points while a chunk is out, then run again: no row
is sent twice (these calls have no idempotency key), none is lost, each is in the results once, and
exactly the rows that were `sending` at a kill end `unknown` (exit 3)."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hubspot_email.testing import Faults, RateLimit, Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts this folder on sys.path
    from tests.cli._cli import (
        TOKEN,
        journal_count,
        read_only,
        read_results,
        run_cli,
        run_until_killed_when,
        write_csv,
    )
else:
    from _cli import TOKEN, journal_count, read_only, read_results, run_cli, run_until_killed_when, write_csv

KILLS = 3
# The batch commands send one chunk at a time: BatchRun calls the synchronous Client from the main
# thread with chunk_size=len(chunk), and the Client sends its chunks one after another. So at a kill
# at most one call, of at most --chunk-size rows, is out.
IN_FLIGHT_CALLS = 1
EVENT = "58237132332"
# Room for a run's hundreds of calls: the client paces itself to the budget the simulator announces.
NO_RATE_LIMIT = RateLimit(max_requests=100_000, interval=10.0)
# Every call held a little: on loopback a call takes ~2 ms, too short for the poller (every 20 ms, two
# journal reads) to catch a chunk out, and a run could end before its kill point.
CALLS_HELD = Faults(slow_rate=1.0, slow_seconds=0.05)
EXIT_REFUSED, EXIT_UNKNOWN = 1, 3


def _kill_points(rng: random.Random, rows: int, chunk: int) -> list[int]:
    """One settled-row count in each third of the file (before its last chunks), so each kill is mid-run."""
    low, high = 5 * chunk, rows - 20 * chunk
    step = (high - low) // KILLS
    return [rng.randrange(low + part * step, low + (part + 1) * step) for part in range(KILLS)]


def _rows_in_state(journal: Path, state: str) -> set[int]:
    with contextlib.closing(read_only(journal)) as db:
        return {row for (row,) in db.execute("SELECT row FROM rows WHERE state = ?", (state,))}


def _while_a_chunk_is_out(journal: Path, settled: int) -> Callable[[], bool]:
    """Ready once `settled` rows are settled and a chunk is `sending` (its call out, or its answer not
    yet journalled): the moment a kill leaves rows that may or may not have reached HubSpot."""
    return lambda: (
        journal_count(journal, "state != 'sending'") >= settled
        and journal_count(journal, "state = 'sending'") > 0
    )


def _kill_then_resume(
    args: list[str], url: str, journal: Path, *, seed: int, rows: int, chunk: int
) -> tuple[set[int], int]:
    """KILLS killed runs, then a run to the end. Returns the rows left `sending` by the kills (those
    that may have reached HubSpot: they must end `unknown`) and the final run's exit code."""
    rng = random.Random(seed)  # noqa: S311 (seeded kill points, not a secret)
    in_flight_at_kills: set[int] = set()
    for point in _kill_points(rng, rows, chunk):
        assert run_until_killed_when(args, url, _while_a_chunk_is_out(journal, point)), "the run ended first"
        sending = _rows_in_state(journal, "sending")
        assert len(sending) <= chunk * IN_FLIGHT_CALLS, sorted(sending)
        in_flight_at_kills |= sending
    final = run_cli(args, url)
    assert TOKEN not in final.stdout + final.stderr
    assert "Traceback" not in final.stderr, final.stderr
    return in_flight_at_kills, final.returncode


def _assert_no_token_in(folder: Path) -> None:
    """Nowhere on disk: the journal (and its WAL, if left), the lock file, the results."""
    for path in folder.iterdir():
        assert TOKEN.encode() not in path.read_bytes(), path.name


def test_log_emails_killed_mid_chunk_creates_no_row_twice_and_loses_none(tmp_path: Path) -> None:
    rows, chunk = 3000, 25
    invalid_rows = {number for number in range(1, rows + 1) if number % 400 == 13}  # no usable timestamp
    failing_rows = {number for number in range(1, rows + 1) if number % 250 == 0}  # an unknown contact
    source = write_csv(
        tmp_path / "emails.csv",
        ["timestamp", "subject", "contact_ids"],
        [
            [
                "yesterday" if number in invalid_rows else str(1772355600000 + number),
                f"Row {number}",  # how a created engagement is traced back to its row
                "999" if number in failing_rows else "1",
            ]
            for number in range(1, rows + 1)
        ],
    )
    args = ["log-emails", str(source), "--chunk-size", str(chunk), "--quiet"]
    sim = Simulator(record_ids={"1"}, rate_limit=NO_RATE_LIMIT, faults=CALLS_HELD)
    with sim.serve() as url:
        in_flight, exit_code = _kill_then_resume(
            args, url, tmp_path / "emails.csv.journal.sqlite", seed=21, rows=rows, chunk=chunk
        )

    results = read_results(tmp_path / "emails.csv.results.csv")
    assert [int(line["row"]) for line in results] == list(range(1, rows + 1))
    outcome = {int(line["row"]): line["outcome"] for line in results}
    unknown = {number for number, state in outcome.items() if state == "unknown"}
    assert unknown == in_flight
    assert 0 < len(unknown) <= KILLS * chunk * IN_FLIGHT_CALLS
    for number, state in outcome.items():
        if number not in unknown:
            expected = (
                "invalid" if number in invalid_rows else "failed" if number in failing_rows else "created"
            )
            assert state == expected, results[number - 1]

    row_of = {
        email.id: int(email.properties["hs_email_subject"].removeprefix("Row ")) for email in sim.emails
    }
    created_per_row = Counter(row_of.values())
    assert [number for number, count in created_per_row.items() if count > 1] == []  # none twice
    created = {number for number, state in outcome.items() if state == "created"}
    assert created <= set(created_per_row) <= created | unknown  # failed and invalid rows: not there
    for email in sim.emails:
        line = results[row_of[email.id] - 1]
        assert line["trace_id"] == email.object_write_trace_id
        assert line["record_id"] == (email.id if line["outcome"] == "created" else "")
    assert exit_code == (EXIT_UNKNOWN if unknown else EXIT_REFUSED)  # else: failed and invalid rows
    _assert_no_token_in(tmp_path)


def test_attendance_killed_mid_chunk_records_no_attendee_twice_and_loses_none(tmp_path: Path) -> None:
    rows, chunk = 1000, 20
    invalid_rows = {number for number in range(1, rows + 1) if number % 150 == 75}
    # The attendee three rows up, in other case: journalled `duplicate`, never sent.
    repeated_rows = {number for number in range(1, rows + 1) if number % 100 == 50}
    emails = {
        number: f"not an address {number}"
        if number in invalid_rows
        else f"GUEST{number - 3}@EXAMPLE.COM"
        if number in repeated_rows
        else f"guest{number}@example.com"
        for number in range(1, rows + 1)
    }
    first_row_of = {
        email.lower(): number
        for number, email in emails.items()
        if number not in invalid_rows and number not in repeated_rows
    }
    source = write_csv(
        tmp_path / "guests.csv",
        ["email", "at"],
        [[emails[number], str(1772355600000 + number)] for number in range(1, rows + 1)],
    )
    args = ["attendance", EVENT, "attend", str(source), "--chunk-size", str(chunk), "--quiet"]
    sim = Simulator(events=[EVENT], rate_limit=NO_RATE_LIMIT, faults=CALLS_HELD)
    with sim.serve() as url:
        in_flight, exit_code = _kill_then_resume(
            args, url, tmp_path / "guests.csv.journal.sqlite", seed=22, rows=rows, chunk=chunk
        )

    results = read_results(tmp_path / "guests.csv.results.csv")
    assert [int(line["row"]) for line in results] == list(range(1, rows + 1))
    assert {int(line["row"]): line["email"] for line in results} == emails
    outcome = {int(line["row"]): line["outcome"] for line in results}
    unknown = {number for number, state in outcome.items() if state == "unknown"}
    assert unknown == in_flight
    assert 0 < len(unknown) <= KILLS * chunk * IN_FLIGHT_CALLS
    for number, state in outcome.items():
        if number not in unknown:
            expected = (
                "invalid" if number in invalid_rows else "duplicate" if number in repeated_rows else "created"
            )
            assert state == expected, results[number - 1]
    assert all(f"as row {number - 3}" in results[number - 1]["detail"] for number in repeated_rows)

    recorded_per_row = Counter(first_row_of[record.email.lower()] for record in sim.attendance)
    assert [number for number, count in recorded_per_row.items() if count > 1] == []  # none twice
    created = {number for number, state in outcome.items() if state == "created"}
    assert created <= set(recorded_per_row) <= created | unknown  # invalid rows and repeats: not there
    assert {(record.event_id, record.state) for record in sim.attendance} == {(EVENT, "attend")}
    for record in sim.attendance:
        line = results[first_row_of[record.email.lower()] - 1]
        assert line["vid"] == (str(record.vid) if line["outcome"] == "created" else "")
    assert exit_code == (EXIT_UNKNOWN if unknown else EXIT_REFUSED)  # else: invalid rows
    _assert_no_token_in(tmp_path)
