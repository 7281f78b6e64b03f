"""`hubspot-email log-emails` as a subprocess against the loopback simulator: each row created once,
every row once in the results, nothing on a re-run, bad rows never sent, and a row that may have reached
HubSpot never resent (there is no idempotency key)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from hubspot_email.testing import Faults, Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import read_results, run_cli, write_csv
else:
    from _cli import read_results, run_cli, write_csv

ROWS = 250
HEADER = ["timestamp", "subject", "direction", "contact_ids", "deal_ids", "campaign"]


def _rows(count: int) -> list[list[str]]:
    return [
        [
            "2026-03-01T10:00:00+01:00" if index % 2 else str(1772355600000 + index),
            f"Receipt {index}",
            "EMAIL" if index % 3 else "",
            f"{100 + index};{200 + index}",
            "" if index % 5 else "42",
            f"c{index}",
        ]
        for index in range(count)
    ]


def test_every_row_created_once_results_complete_and_a_rerun_sends_nothing(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "emails.csv", HEADER, _rows(ROWS))
    sim = Simulator()
    with sim.serve() as url:
        first = run_cli(["log-emails", str(source), "--run-key", "k1"], url)
        requests_after_first = len(sim.exchanges)
        again = run_cli(["log-emails", str(source)], url)
        requests_after_again = len(sim.exchanges)
    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert requests_after_first == 3  # 100 per call
    assert requests_after_again == requests_after_first
    results = read_results(tmp_path / "emails.csv.results.csv")
    assert [int(row["row"]) for row in results] == list(range(1, ROWS + 1))
    assert Counter(row["outcome"] for row in results) == {"created": ROWS}
    by_trace = {email.object_write_trace_id: email for email in sim.emails}
    assert len(sim.emails) == len(by_trace) == ROWS  # each row once
    assert {row["trace_id"]: row["record_id"] for row in results} == {
        trace: email.id for trace, email in by_trace.items()
    }
    first_email = by_trace[results[0]["trace_id"]]
    assert first_email.properties["hs_timestamp"] == "1772355600000"
    assert first_email.properties["campaign"] == "c0"
    assert first_email.properties["hs_email_subject"] == "Receipt 0"
    assert [item["to"]["id"] for item in first_email.associations] == ["100", "200", "42"]


def test_trace_ids_are_deterministic_from_the_run_key_and_row(tmp_path: Path) -> None:
    traces = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        source = write_csv(folder / "emails.csv", HEADER, _rows(3))
        with Simulator().serve() as url:
            result = run_cli(["log-emails", str(source), "--run-key", "same", "--quiet"], url)
        assert result.returncode == 0, result.stderr
        traces.append([row["trace_id"] for row in read_results(folder / "emails.csv.results.csv")])
    assert traces[0] == traces[1]
    assert len(set(traces[0])) == 3


def test_bad_rows_are_invalid_with_row_and_column_and_never_sent(tmp_path: Path) -> None:
    good = ["2026-03-01T10:00:00Z", "Fine", "EMAIL", "101", "", ""]
    rows = [
        good,
        ["", "No timestamp", "", "", "", ""],
        ["2026-03-01T10:00:00", "No offset", "", "", "", ""],
        ["2026-03-01T10:00:00Z", "Bad id", "", "101;abc", "", ""],
        ["2026-03-01T10:00:00Z", "Bad direction", "SIDEWAYS", "", "", ""],
        good,
    ]
    source = write_csv(tmp_path / "emails.csv", HEADER, rows)
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["log-emails", str(source), "--chunk-size", "2"], url)
    assert result.returncode == 1, result.stderr
    assert "4 invalid" in result.stderr
    results = read_results(tmp_path / "emails.csv.results.csv")
    assert [row["outcome"] for row in results] == ["created", *["invalid"] * 4, "created"]
    details = [row["detail"] for row in results[1:5]]
    assert details[0].startswith("row 2: column 'timestamp'")
    assert details[1].startswith("row 3: column 'timestamp'")
    assert "offset" in details[1]
    assert details[2].startswith("row 4: column 'contact_ids'")
    assert "abc" in details[2]
    assert details[3].startswith("row 5: column 'direction'")
    assert "SIDEWAYS" in details[3]
    assert sorted(email.properties["hs_email_subject"] for email in sim.emails) == ["Fine", "Fine"]


def test_a_file_without_a_timestamp_column_is_refused(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "emails.csv", ["subject"], [["Hi"]])
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["log-emails", str(source)], url)
    assert result.returncode == 2
    assert "'timestamp'" in result.stderr
    assert sim.exchanges == []


def test_a_row_sending_when_the_run_was_killed_is_not_resent(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "emails.csv", HEADER, _rows(3))  # the run reached row 3 ...
    journal = tmp_path / "emails.csv.journal.sqlite"
    sim = Simulator()
    with sim.serve() as url:
        first = run_cli(["log-emails", str(source)], url)
        assert first.returncode == 0, first.stderr
        # ... and was killed after row 3 left, before its answer was journalled; rows 4, 5 unread.
        db = sqlite3.connect(journal)
        try:
            with db:
                db.execute("UPDATE rows SET state = 'sending', detail = '' WHERE row = 3")
        finally:
            db.close()
        write_csv(source, HEADER, _rows(5))
        requests = len(sim.exchanges)
        resumed = run_cli(["log-emails", str(source)], url)
        resumed_requests = len(sim.exchanges)
        once_more = run_cli(["log-emails", str(source)], url)
    assert resumed.returncode == 3, resumed.stderr
    assert "1 rows are unknown" in resumed.stderr
    assert once_more.returncode == 3, once_more.stderr
    assert len(sim.exchanges) == resumed_requests == requests + 1  # the resume sent rows 4 and 5 alone
    results = read_results(tmp_path / "emails.csv.results.csv")
    assert [row["outcome"] for row in results] == ["created", "created", "unknown", "created", "created"]
    assert "may have been created; check HubSpot before resending" in results[2]["detail"]
    trace = results[2]["trace_id"]
    assert [email.object_write_trace_id for email in sim.emails].count(trace) == 1
    assert len(sim.emails) == 5


def test_a_hand_written_sending_row_is_never_sent(tmp_path: Path) -> None:
    """A `sending` row is unknown even when its request never left: the journal cannot tell."""
    source = write_csv(tmp_path / "emails.csv", HEADER, _rows(2))
    sim = Simulator()
    with sim.serve() as url:
        first = run_cli(["log-emails", str(source), "--chunk-size", "1"], url)
        assert first.returncode == 0, first.stderr
        db = sqlite3.connect(tmp_path / "emails.csv.journal.sqlite")
        try:
            with db:
                db.execute("UPDATE rows SET state = 'sending', detail = '' WHERE row = 2")
        finally:
            db.close()
        sim.reset()
        resumed = run_cli(["log-emails", str(source)], url)
    assert resumed.returncode == 3
    assert sim.exchanges == []
    assert sim.emails == []


def test_rows_hubspot_may_have_acted_on_end_unknown_and_a_rerun_sends_nothing(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "emails.csv", HEADER, _rows(4))
    sim = Simulator(faults=Faults(server_error_rate=1.0))
    with sim.serve() as url:
        first = run_cli(["log-emails", str(source), "--chunk-size", "2"], url)
        requests = len(sim.exchanges)
        again = run_cli(["log-emails", str(source)], url)
    assert first.returncode == 3, first.stderr
    assert again.returncode == 3, again.stderr
    assert "4 rows are unknown" in again.stderr
    assert requests == 2  # one call per chunk, none repeated by the client (no idempotency key)
    assert len(sim.exchanges) == requests
    results = read_results(tmp_path / "emails.csv.results.csv")
    assert {row["outcome"] for row in results} == {"unknown"}
    assert all(
        row["detail"].startswith("may have been created; check HubSpot before resending (") for row in results
    )
