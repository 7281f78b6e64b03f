"""`log-emails` and `attendance` SIGKILLed at seeded points while a chunk is out, then run again: no row
is sent twice (these calls have no idempotency key), none is lost, each is in the results once, and
exactly the rows that were `sending` at a kill end `unknown` (exit 3)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from hubspot_email.testing import Faults, RateLimit, Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import TOKEN, read_results, write_csv
    from tests._kill import assert_no_token_in, kill_points, kill_then_resume, while_a_chunk_is_out
else:
    from _cli import TOKEN, read_results, write_csv
    from _kill import assert_no_token_in, kill_points, kill_then_resume, while_a_chunk_is_out

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


def _kill_then_resume(
    args: list[str], url: str, journal: Path, *, seed: int, rows: int, chunk: int
) -> tuple[set[int], int | None]:
    """KILLS killed runs, each while a chunk is out, then a run to the end. Returns the rows left `sending`
    by the kills (those that may have reached HubSpot: they must end `unknown`) and the final run's exit
    code."""
    rng = random.Random(seed)  # noqa: S311 (seeded kill points, not a secret)
    # Each kill before the file's last chunks, so each is mid-run.
    points = kill_points(rng, KILLS, 5 * chunk, rows - 20 * chunk)
    done = kill_then_resume(args, url, journal, points, while_a_chunk_is_out)
    for sending in done.in_flight_at_kills:
        assert len(sending) <= chunk * IN_FLIGHT_CALLS, sorted(sending)
    assert all(TOKEN not in run.output for run in done.runs)
    final = done.resumed[-1]
    assert "Traceback" not in final.output, final.output
    return set().union(*done.in_flight_at_kills), final.exit_code


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
    assert_no_token_in(tmp_path, TOKEN)


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
    assert_no_token_in(tmp_path, TOKEN)
