"""Crash recovery at scale (issue 14, item 2): `bulk-send` and `log-emails` SIGKILLed at seeded points
under the fault matrix (5% 5xx, 5% 429 with Retry-After, 2% connection resets, 1% timeouts after the
simulator acted, 1% malformed bodies), resumed each time, checked against the simulator's record.

bulk-send is run again until it exits 0: exactly one delivery per recipient, and every row in the results
once, `sent` or `already_sent` with the sendId of its one delivery. log-emails is run again once, to the
end: no record created twice, every row in the results once; exactly the rows in flight at a kill end
`unknown` for that reason (never resent: the call has no idempotency key), and each outcome agrees with
the record (created: the one record of the row, with its id; failed and invalid: none; unknown: at most
one). The token is in no file of the run folder and no output.

The simulator runs in this process on 127.0.0.1 (`Simulator.serve`); its record is what
`GET /_simulator/record` answers. Kill points are counts of rows settled in the journal (see
`tests/_kill.py`); nothing waits on the clock. Recovery time: from the start of the run after a kill
until its journal first has more rows settled than the killed run had journalled (settled or in flight),
i.e. it has redone or settled all of the killed run's work and made progress of its own.

Short by default (2,000 rows, 3 kills each); `nox -s reliability`: 50,000 rows and 20 kills each.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hubspot_email.testing import Faults, RateLimit, Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ and this folder on sys.path
    from tests._cli import TOKEN, read_results, write_csv
    from tests._kill import (
        KilledAndResumed,
        assert_no_token_in,
        kill_points,
        kill_then_resume,
        settled_at_least,
        while_a_chunk_is_out,
    )
    from tests.reliability._reliability import scaled
else:
    from _cli import TOKEN, read_results, write_csv
    from _kill import (
        KilledAndResumed,
        assert_no_token_in,
        kill_points,
        kill_then_resume,
        settled_at_least,
        while_a_chunk_is_out,
    )
    from _reliability import scaled

ROWS = scaled(2_000, 50_000)
KILLS = scaled(3, 20)
# The matrix. A slow answer (the slow_rate each test sets) is held 50 ms, so requests are out
# when a kill lands, and a batch call is out long enough for the 20 ms poller to see it.
MATRIX = Faults(
    server_error_rate=0.05,
    rate_limited_rate=0.05,
    rate_limited_retry_after=1,  # the smallest whole number of seconds, so runs stay short
    reset_rate=0.02,
    timeout_after_acting_rate=0.01,
    malformed_rate=0.01,
    slow_seconds=0.05,
    hang_seconds=2.0,  # past the client's read timeout, CLIENT_TIMEOUT
)
STRUCK = ("server_error", "rate_limited", "reset", "timeout_after_acting", "malformed")
CLIENT_TIMEOUT = 1.0
EXIT_OK, EXIT_UNKNOWN = 0, 3
MAX_RESUMES = 10
# A guard against a hung run, never a measure: the longest run covers a few thousand rows.
RUN_TIMEOUT = float(scaled(180, 900))
STOPPED = "the run stopped while the row was being sent"  # the detail of a row in flight at a kill

Figures = Callable[[str, dict[str, object]], None]


def _faults(seed: int, slow_rate: float) -> Faults:
    return dataclasses.replace(MATRIX, seed=seed, slow_rate=slow_rate)


def _run_figures(sim: Simulator, done: KilledAndResumed, wall: float) -> dict[str, object]:
    """What struck, the 429s, the runs and their recovery times, the wall time."""
    exchanges = sim.exchanges
    struck = Counter(exchange.fault for exchange in exchanges)
    recovery = done.recovery_seconds
    return {
        "requests": len(exchanges),
        "faults": {name: struck[name] for name in STRUCK},
        "429s": sum(exchange.status == 429 for exchange in exchanges),
        "runs": len(done.runs),
        "recovery s (median/max)": (
            f"{statistics.median(recovery):.2f}/{max(recovery):.2f}" if recovery else "-"
        ),
        "recovery s (each)": [round(seconds, 2) for seconds in recovery],
        "wall s": round(wall, 1),
    }


def _rows_once(results: list[dict[str, str]], rows: int) -> list[str]:
    """Rows missing from the results, or there more than once."""
    seen = Counter(int(line["row"]) for line in results)
    return [f"row {number}: {seen[number]} lines" for number in range(1, rows + 1) if seen[number] != 1] + [
        f"row {number}: not in the file" for number in seen if not 1 <= number <= rows
    ]


def test_bulk_send_killed_under_faults_delivers_to_each_recipient_exactly_once(
    tmp_path: Path, record_figures: Figures
) -> None:
    recipients = [f"reader{number}@example.com" for number in range(1, ROWS + 1)]
    source = write_csv(tmp_path / "list.csv", ["to"], [[to] for to in recipients])
    journal = tmp_path / "list.csv.journal.sqlite"
    concurrency = 32
    args = ["--timeout", str(CLIENT_TIMEOUT), "bulk-send", str(source), "--email-id", "7"]
    args += ["--concurrency", str(concurrency), "--quiet"]
    rng = random.Random(141)  # noqa: S311 (seeded kill points, not a secret)
    # Seed 141 draws every kind of the matrix within its first 121 requests (a run makes thousands).
    # Before the file's last rows, so each kill is mid-run however far a kill lands past its point.
    points = kill_points(rng, KILLS, 50, ROWS - max(200, ROWS // 50))
    sim = Simulator(faults=_faults(141, slow_rate=0.2))
    started = time.monotonic()
    with sim.serve() as url:
        done = kill_then_resume(
            args,
            url,
            journal,
            points,
            settled_at_least,
            again=lambda run: run.exit_code == EXIT_UNKNOWN,  # rows unknown: the next run resends them
            max_resumes=MAX_RESUMES,
            timeout=RUN_TIMEOUT,
        )
    wall = time.monotonic() - started

    results = read_results(tmp_path / "list.csv.results.csv")
    deliveries = sim.deliveries
    per_recipient = Counter(delivery.to for delivery in deliveries)
    per_send_id = Counter(delivery.send_id for delivery in deliveries)
    duplicates = sum(count - 1 for count in per_recipient.values())
    unaccounted = _rows_once(results, ROWS) + [
        f"row {line['row']}: {line['outcome']}"
        for line in results
        if line["outcome"] not in ("sent", "already_sent")
    ]
    lines_send_ids = {line["send_id"] for line in results}
    disagreements = [
        f"row {line['row']}: {line}, {per_send_id[line['send_id']]} deliveries of its sendId"
        for line in results
        if line["to"] != recipients[int(line["row"]) - 1] or per_send_id[line["send_id"]] != 1
    ]
    disagreements += [
        f"{delivery} is in no results line"
        for delivery in deliveries
        if delivery.send_id not in lines_send_ids
    ]
    outcomes = Counter(line["outcome"] for line in results)
    record_figures(
        "crash recovery, bulk-send",
        {
            "rows": ROWS,
            "kills": len(done.killed),
            "in flight at kills": sum(map(len, done.in_flight_at_kills)),
            **_run_figures(sim, done, wall),
            "exit codes after the kills": [run.exit_code for run in done.resumed],
            "outcomes": dict(outcomes),
            "duplicates": duplicates,
            "unaccounted": len(unaccounted),
            "disagreements": len(disagreements),
        },
    )

    assert len(done.killed) == KILLS
    assert all(len(sending) <= concurrency for sending in done.in_flight_at_kills)
    assert [run.exit_code for run in done.resumed][-1] == EXIT_OK, [run.output for run in done.resumed]
    assert duplicates == 0, [to for to, count in per_recipient.items() if count > 1][:20]
    assert set(per_recipient) == set(recipients)
    assert unaccounted == [], unaccounted[:20]
    assert disagreements == [], disagreements[:20]
    # A kill's rows were resent with their sendId, which HubSpot had already seen (or not).
    assert outcomes["already_sent"] > 0
    struck = Counter(exchange.fault for exchange in sim.exchanges)
    assert all(struck[name] > 0 for name in STRUCK), struck  # the matrix really struck, every kind
    assert all(TOKEN not in run.output for run in done.runs)
    assert_no_token_in(tmp_path, TOKEN)


def test_log_emails_killed_under_faults_creates_no_record_twice(
    tmp_path: Path, record_figures: Figures
) -> None:
    chunk = scaled(25, 100)
    invalid_rows = {number for number in range(1, ROWS + 1) if number % 700 == 13}  # no usable timestamp
    failing_rows = {number for number in range(1, ROWS + 1) if number % 500 == 0}  # an unknown contact
    source = write_csv(
        tmp_path / "emails.csv",
        ["timestamp", "subject", "contact_ids"],
        [
            [
                "yesterday" if number in invalid_rows else str(1772355600000 + number),
                f"Row {number}",  # how a created record is traced back to its row
                "999" if number in failing_rows else "1",
            ]
            for number in range(1, ROWS + 1)
        ],
    )
    journal = tmp_path / "emails.csv.journal.sqlite"
    args = ["--timeout", str(CLIENT_TIMEOUT), "log-emails", str(source), "--chunk-size", str(chunk)]
    args += ["--quiet"]
    rng = random.Random(142)  # noqa: S311 (seeded kill points, not a secret)
    points = kill_points(rng, KILLS, 5 * chunk, ROWS - 20 * chunk)
    # Room for every call: the client paces itself to the budget the simulator announces. Every call
    # that draws no fault is held, so a chunk is out long enough for the poller to see it.
    sim = Simulator(
        record_ids={"1"},
        rate_limit=RateLimit(max_requests=100_000, interval=10.0),
        # Seed 142 draws every kind of the matrix within its first 35 requests: the short run (80 calls
        # and more) meets each however its kills fall.
        faults=_faults(142, slow_rate=round(1.0 - sum(rate for _, rate in MATRIX.rates()), 6)),
    )
    started = time.monotonic()
    with sim.serve() as url:
        done = kill_then_resume(args, url, journal, points, while_a_chunk_is_out, timeout=RUN_TIMEOUT)
    wall = time.monotonic() - started

    results = read_results(tmp_path / "emails.csv.results.csv")
    emails = sim.emails
    row_of = {email.id: int(email.properties["hs_email_subject"].removeprefix("Row ")) for email in emails}
    created_per_row = Counter(row_of.values())
    duplicates = sum(count - 1 for count in created_per_row.values())
    unaccounted = _rows_once(results, ROWS) + [
        f"row {line['row']}: {line['outcome']}" for line in results if line["outcome"] == "sending"
    ]
    by_id = {email.id: email for email in emails}
    disagreements: list[str] = []
    for line in results:
        number, state, made = int(line["row"]), line["outcome"], created_per_row[int(line["row"])]
        record = by_id.get(line["record_id"])
        if state == "created":
            agrees = made == 1 and record is not None and row_of[record.id] == number
        else:
            agrees = made == 0 if state in ("failed", "invalid") else made <= 1
        if agrees and record is not None:
            agrees = record.object_write_trace_id == line["trace_id"]
        if not agrees:
            disagreements.append(f"{line}: {made} records")
    rows_in_results = {int(line["row"]) for line in results}
    disagreements += [
        f"record {email.id} of no row" for email in emails if row_of[email.id] not in rows_in_results
    ]
    outcome = {int(line["row"]): line for line in results}
    in_flight = set().union(*done.in_flight_at_kills)
    unknown_at_kills = {number for number, line in outcome.items() if STOPPED in line["detail"]}
    unknown = {number for number, line in outcome.items() if line["outcome"] == "unknown"}
    final = done.resumed[-1]
    record_figures(
        "crash recovery, log-emails",
        {
            "rows": ROWS,
            "chunk": chunk,
            "kills": len(done.killed),
            "in flight at kills": len(in_flight),
            **_run_figures(sim, done, wall),
            "outcomes": dict(Counter(line["outcome"] for line in results)),
            "unknown after faults": len(unknown - unknown_at_kills),
            "unknown in the record": sum(created_per_row[number] for number in unknown),
            "duplicates": duplicates,
            "unaccounted": len(unaccounted),
            "disagreements": len(disagreements),
        },
    )

    assert len(done.killed) == KILLS
    assert all(len(sending) <= chunk for sending in done.in_flight_at_kills)  # one chunk out at a time
    assert in_flight, "no kill caught a chunk out"
    assert duplicates == 0, [number for number, count in created_per_row.items() if count > 1][:20]
    assert unaccounted == [], unaccounted[:20]
    assert disagreements == [], disagreements[:20]
    # Exactly the rows in flight at a kill end unknown for it: never resent, never lost.
    assert unknown_at_kills == in_flight
    assert in_flight <= unknown
    # What the file says of each row, where no fault or kill left it unknown.
    for number, line in outcome.items():
        if number in invalid_rows:
            assert line["outcome"] == "invalid", line
        elif number in failing_rows:
            assert line["outcome"] in ("failed", "unknown"), line
        elif line["outcome"] == "failed":  # a call refused before HubSpot acted (429s past the retries)
            assert "not sent" in line["detail"], line
    assert final.exit_code == EXIT_UNKNOWN, final.output
    assert "Traceback" not in final.output, final.output
    struck = Counter(exchange.fault for exchange in sim.exchanges)
    assert all(struck[name] > 0 for name in STRUCK), struck  # the matrix really struck, every kind
    assert all(TOKEN not in run.output for run in done.runs)
    assert_no_token_in(tmp_path, TOKEN)
