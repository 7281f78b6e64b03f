"""`hubspot-email attendance` as a subprocess against the loopback simulator: each attendee recorded once,
a duplicate and a bad row not sent, nothing on a re-run, and an interrupted row never resent."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from hubspot_email.testing import Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import read_results, run_cli, write_csv
else:
    from _cli import read_results, run_cli, write_csv

ATTENDEES = 40
EVENT = "58237132332"


def test_each_attendee_recorded_once_and_a_rerun_sends_nothing(tmp_path: Path) -> None:
    rows = [
        [
            f"guest{index}@example.com",
            "2026-03-01T10:00:00+00:00" if index % 2 else "",
            f"G{index}",
            "2026-03-01T10:05:00Z",
        ]
        for index in range(ATTENDEES)
    ]
    rows.insert(5, ["GUEST1@example.com", "", "", ""])  # row 6: the same attendee as row 2
    rows.insert(7, ["not an address", "", "", ""])  # row 8
    source = write_csv(tmp_path / "guests.csv", ["email", "at", "contact.firstname", "joinedAt"], rows)
    sim = Simulator(events=[EVENT])
    with sim.serve() as url:
        first = run_cli(["attendance", EVENT, "attend", str(source), "--chunk-size", "15"], url)
        requests = len(sim.exchanges)
        again = run_cli(["attendance", EVENT, "attend", str(source), "--chunk-size", "15"], url)
    assert first.returncode == 1, first.stderr  # one invalid row
    assert again.returncode == 1, again.stderr
    assert requests == 3
    assert len(sim.exchanges) == requests
    recorded = Counter(record.email for record in sim.attendance)
    assert recorded == Counter(f"guest{index}@example.com" for index in range(ATTENDEES))
    assert {(record.event_id, record.state) for record in sim.attendance} == {(EVENT, "attend")}
    odd = next(record for record in sim.attendance if record.email == "guest1@example.com")
    assert odd.interaction_date_time == 1772359200000
    assert odd.properties == {"joinedAt": "2026-03-01T10:05:00Z"}
    assert sim.contacts["guest1@example.com"].properties.get("firstname") == "G1"
    results = read_results(tmp_path / "guests.csv.results.csv")
    assert [int(row["row"]) for row in results] == list(range(1, ATTENDEES + 3))
    outcomes = Counter(row["outcome"] for row in results)
    assert outcomes == {"created": ATTENDEES, "duplicate": 1, "invalid": 1}
    assert "row 2" in results[5]["detail"]
    assert results[7]["detail"].startswith("row 8: column 'email'")
    assert results[7]["email"] == "not an address"  # what the file has, not a digest
    assert all(row["vid"] for row in results if row["outcome"] == "created")


def test_an_interrupted_row_is_unknown_and_never_resent(tmp_path: Path) -> None:
    source = tmp_path / "guests.jsonl"
    source.write_text(
        "".join(
            json.dumps({"email": f"g{index}@example.com", "at": 1772359200000}) + "\n" for index in range(3)
        ),
        encoding="utf-8",
    )
    sim = Simulator()
    with sim.serve() as url:
        first = run_cli(["attendance", EVENT, "register", str(source)], url)
        assert first.returncode == 0, first.stderr
        db = sqlite3.connect(tmp_path / "guests.jsonl.journal.sqlite")
        try:
            with db:
                db.execute("UPDATE rows SET state = 'sending', detail = '' WHERE row = 2")
        finally:
            db.close()
        requests = len(sim.exchanges)
        resumed = run_cli(["attendance", EVENT, "register", str(source)], url)
        other_state = run_cli(["attendance", EVENT, "attend", str(source)], url)
    assert resumed.returncode == 3, resumed.stderr
    assert len(sim.exchanges) == requests
    assert len(sim.attendance) == 3
    results = read_results(tmp_path / "guests.jsonl.results.csv")
    assert [row["outcome"] for row in results] == ["created", "unknown", "created"]
    assert "check HubSpot before resending" in results[1]["detail"]
    assert other_state.returncode == 2  # the journal is of another state: refused
    assert "state register" in other_state.stderr


def test_a_bad_state_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "guests.csv", ["email"], [["ada@example.com"]])
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["attendance", EVENT, "joined", str(source)], url)
    assert result.returncode == 2
    assert "state" in result.stderr
    assert sim.exchanges == []
