"""`hubspot-email bulk-send` as a subprocess against the loopback simulator: each recipient once,
every row once in the results, nothing more on a re-run, and bad files and rows reported."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from hubspot_email.testing import Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import TOKEN, read_results, run_cli, write_csv
else:
    from _cli import TOKEN, read_results, run_cli, write_csv

ROWS = 300


def _recipients(count: int) -> list[str]:
    return [f"person{index}@example.com" for index in range(count)]


def test_every_recipient_once_every_row_once_and_a_rerun_sends_nothing(tmp_path: Path) -> None:
    recipients = _recipients(ROWS)
    rows = [[to, f"order-{index}", f"First{index}"] for index, to in enumerate(recipients)]
    rows.insert(10, ["PERSON3@example.com ", "again", ""])  # the same recipient again: sent once
    source = write_csv(tmp_path / "list.csv", ["to", "order", "contact.firstname"], rows)
    sim = Simulator()
    with sim.serve() as url:
        first = run_cli(["bulk-send", str(source), "--email-id", "7", "--concurrency", "16"], url)
        requests_after_first = len(sim.exchanges)
        again = run_cli(["bulk-send", str(source), "--email-id", "7"], url)
        requests_after_again = len(sim.exchanges)
    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert Counter(delivery.to for delivery in sim.deliveries) == Counter(recipients)
    assert requests_after_again == requests_after_first  # the re-run sent nothing
    delivery = sim.deliveries_to("person0@example.com")[0]
    assert delivery.custom_properties == {"order": "order-0"}
    assert delivery.contact_properties == {"firstname": "First0"}
    results = read_results(tmp_path / "list.csv.results.csv")
    assert [int(row["row"]) for row in results] == list(range(1, ROWS + 2))
    outcomes = Counter(row["outcome"] for row in results)
    assert outcomes == {"sent": ROWS, "duplicate": 1}
    [duplicate] = [row for row in results if row["outcome"] == "duplicate"]
    assert duplicate["row"] == "11"
    assert "row 4" in duplicate["detail"]
    assert len({row["send_id"] for row in results}) == ROWS  # one sendId per recipient
    _assert_no_token(tmp_path, first.stdout + first.stderr + again.stdout + again.stderr)


def _assert_no_token(folder: Path, output: str) -> None:
    assert TOKEN not in output
    for path in folder.iterdir():
        assert TOKEN.encode() not in path.read_bytes(), path


def test_jsonl_with_contact_properties_and_a_given_run_key(tmp_path: Path) -> None:
    source = tmp_path / "list.jsonl"
    lines = [
        json.dumps({"to": "ada@example.com", "contact.firstname": "Ada", "amount": 42}),
        "",
        json.dumps({"to": "bob@example.com", "note": None}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["bulk-send", str(source), "--email-id", "7", "--run-key", "march"], url)
    assert result.returncode == 0, result.stderr
    assert sorted(delivery.to for delivery in sim.deliveries) == ["ada@example.com", "bob@example.com"]
    ada = sim.deliveries_to("ada@example.com")[0]
    assert (ada.contact_properties, ada.custom_properties) == ({"firstname": "Ada"}, {"amount": "42"})
    journal = sqlite3.connect(tmp_path / "list.jsonl.journal.sqlite")
    try:
        assert dict(journal.execute("SELECT key, value FROM meta").fetchall())["run_key"] == "march"
    finally:
        journal.close()


def test_bad_rows_are_invalid_in_the_results_and_the_others_go_on(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_bytes(
        b"to,name\n"
        b"ada@example.com,Ada\n"
        b"noreply@example.com,Robot\n"
        b"not-an-address,Nobody\n"
        b"bob@example.com,B\xffob\n"
        b"gone@example.com,Gone\n"
        b"long@example.com," + b"x" * 70_000 + b"\n"
        b"cy@example.com,Cy\n"
    )
    sim = Simulator(bounced={"gone@example.com"})
    with sim.serve() as url:
        result = run_cli(["bulk-send", str(source), "--email-id", "7", "--quiet"], url)
    assert result.returncode == 1  # some rows were refused or invalid
    assert sorted(delivery.to for delivery in sim.deliveries) == ["ada@example.com", "cy@example.com"]
    results = {int(row["row"]): row for row in read_results(tmp_path / "list.csv.results.csv")}
    assert sorted(results) == [1, 2, 3, 4, 5, 6, 7]
    assert {number: row["outcome"] for number, row in results.items()} == {
        1: "sent", 2: "invalid", 3: "invalid", 4: "invalid", 5: "refused", 6: "invalid", 7: "sent",
    }  # fmt: skip
    assert "row 2: column 'to'" in results[2]["detail"]
    assert "role-based" in results[2]["detail"]
    assert "row 3: column 'to'" in results[3]["detail"]
    assert "row 4: column 'name'" in results[4]["detail"]
    assert "not UTF-8" in results[4]["detail"]
    assert results[5]["detail"] == "PREVIOUSLY_BOUNCED"
    assert "row 6" in results[6]["detail"]
    assert "longer than" in results[6]["detail"]


def test_a_file_without_a_to_column_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "list.csv", ["email", "name"], [["ada@example.com", "Ada"]])
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["bulk-send", str(source), "--email-id", "7"], url)
    assert result.returncode == 2
    assert str(source) in result.stderr
    assert "'to' column" in result.stderr
    assert sim.exchanges == []
    assert not (tmp_path / "list.csv.journal.sqlite").exists()


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    with Simulator().serve() as url:
        empty_csv = run_cli(["bulk-send", str(tmp_path / "empty.csv"), "--email-id", "7"], url)
        empty_jsonl = run_cli(["bulk-send", str(tmp_path / "empty.jsonl"), "--email-id", "7"], url)
    assert empty_csv.returncode == 2
    assert "empty" in empty_csv.stderr
    assert empty_jsonl.returncode == 2
    assert "empty" in empty_jsonl.stderr


def test_a_header_only_file_sends_nothing_and_exits_0(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "list.csv", ["to"], [])
    with Simulator().serve() as url:
        result = run_cli(["bulk-send", str(source), "--email-id", "7"], url)
    assert result.returncode == 0, result.stderr
    assert read_results(tmp_path / "list.csv.results.csv") == []


def test_dry_run_reports_bad_rows_and_sends_nothing(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "list.csv",
        ["to"],
        [["ada@example.com"], ["postmaster@example.com"], ["ada@example.com"]],
    )
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["bulk-send", str(source), "--email-id", "7", "--dry-run"], url)
    assert result.returncode == 1
    assert "row 2: column 'to'" in result.stdout
    assert "row 3: the same recipient as row 1" in result.stdout
    assert sim.exchanges == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv"]


def test_a_journal_of_another_email_is_refused(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "list.csv", ["to"], [["ada@example.com"]])
    sim = Simulator()
    with sim.serve() as url:
        first = run_cli(["bulk-send", str(source), "--email-id", "7"], url)
        other = run_cli(["bulk-send", str(source), "--email-id", "8"], url)
    assert first.returncode == 0, first.stderr
    assert other.returncode == 2
    assert "--email-id 7" in other.stderr
    assert len(sim.deliveries) == 1


def test_a_refused_token_stops_the_run_after_the_rows_in_flight(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "list.csv", ["to"], [[to] for to in _recipients(100)])
    sim = Simulator(tokens={"pat-another-token": ["transactional-email", "marketing-email"]})
    with sim.serve() as url:
        result = run_cli(["bulk-send", str(source), "--email-id", "7", "--concurrency", "4"], url)
    assert result.returncode == 3
    assert "AuthenticationError" in result.stderr
    assert len(sim.exchanges) <= 4 * 2  # the rows in flight, and no more than one window after them
    assert sim.deliveries == []
    assert {row["outcome"] for row in read_results(tmp_path / "list.csv.results.csv")} == {"unknown"}
