"""Issue 14, item 5: the token goes over the wire and nowhere else, in the places test_secrets.py does not
search: what a real run of each command leaves behind, a real loopback exchange's results and errors,
and a recording.

Each command (`send --wait`, `status`, `bulk-send` with faults, `log-emails`, `attendance`) runs as a
subprocess against the loopback simulator with `HUBSPOT_LOG=debug` and every logger at DEBUG (httpx's
and httpcore's included), the token given by HUBSPOT_ACCESS_TOKEN or by `--token-file`. Searched: stdout,
stderr, every file of the run folder (the journal's SQLite bytes, its WAL, the results file) and every
row of every table of the journal. The simulator knows only this token and notes the Authorization
header of every request: the token must have been sent, or the search proves nothing.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import hubspot_email
import hubspot_email_api
import pytest
from hubspot_email import (
    BatchResult,
    ChunkReport,
    Client,
    HubSpotError,
    Outcome,
    SendStatus,
    SingleSendResult,
    attendee,
    email_engagement,
)
from hubspot_email.testing import Faults, Simulator
from hubspot_email.testing._options import ALL_SCOPES
from hubspot_email.testing._wire import SimAnswer, SimRequest

if TYPE_CHECKING:  # mypy resolves the shared helper by its path; pytest puts tests/ on sys.path
    from tests._scripts import ROOT, load_module
else:
    from _scripts import ROOT, load_module

if TYPE_CHECKING:
    from scripts import record
else:
    record = load_module("hubspot_email_record_script_for_secrets", ROOT / "scripts" / "record.py")

TOKEN = "pat-na1-everywhere-SECRET-7c2e91"
SECRET = "SECRET-7c2e91"  # the token's own part: the "pat-na1-" prefix is public knowledge
EVENT_ID = "58237132332"
SUBPROCESS_TIMEOUT = 60
# The CLI with every logger at DEBUG on stderr (httpcore's too, which HUBSPOT_LOG=debug leaves alone).
LAUNCH = (
    "import logging, sys; logging.basicConfig(level=logging.DEBUG, stream=sys.stderr); "
    "sys.argv[0] = 'hubspot-email'; from hubspot_email.cli import main; main()"
)


class WireSimulator(Simulator):
    """The simulator, noting the Authorization header of every request it is handed."""

    def __init__(self, **options: Any) -> None:
        super().__init__(tokens={TOKEN: ALL_SCOPES}, **options)
        self.authorizations: list[str | None] = []

    def handle(self, request: SimRequest) -> SimAnswer:
        self.authorizations.append(request.headers.get("authorization"))
        return super().handle(request)

    def assert_token_was_sent(self) -> None:
        assert self.authorizations, "nothing reached the simulator: the search would prove nothing"
        assert set(self.authorizations) == {f"Bearer {TOKEN}"}


@pytest.fixture
def sim() -> Iterator[tuple[WireSimulator, str]]:
    simulator = WireSimulator(send_completion_delay=0.05)
    with simulator.serve() as url:
        yield simulator, url


def run_cli(
    args: list[str], base_url: str, *, token_via: str, secrets: Path
) -> subprocess.CompletedProcess[str]:
    paths = [str(Path(hubspot_email.__file__).parents[1]), str(Path(hubspot_email_api.__file__).parents[1])]
    env = {key: value for key, value in os.environ.items() if not key.startswith("HUBSPOT_")}
    env.update(
        PYTHONPATH=os.pathsep.join([*paths, env.get("PYTHONPATH", "")]),
        HUBSPOT_BASE_URL=base_url,
        HUBSPOT_LOG="debug",
        COLUMNS="200",
    )
    options: list[str] = []
    if token_via == "env":
        env["HUBSPOT_ACCESS_TOKEN"] = TOKEN
    else:
        secrets.mkdir(exist_ok=True)
        token_file = secrets / "token"  # outside the run folder, which is searched
        token_file.write_text(TOKEN + "\n", encoding="utf-8")
        options = ["--token-file", str(token_file)]
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, *options, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


def journal_rows(path: Path) -> list[str]:
    """Every row of every table of a journal, as text."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert "rows" in tables
        return [repr(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')]  # noqa: S608


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def status_id_of_a_send(url: str) -> str:
    with Client(TOKEN, base_url=url) as client:
        status_id = client.send_email(email_id=123456, to="ada@example.com").status_id
    assert status_id is not None
    return status_id


def command(name: str, run: Path, url: str) -> tuple[list[str], list[str]]:
    """The command's arguments, and the names of the files it must leave in `run` (so the search of the
    folder is not a search of nothing)."""
    if name == "send":
        args = ["send", "--email-id", "123456", "--to", "ada@example.com", "--send-id", "secrets-1", "--wait"]
        return [*args, "--custom", "order=42", "--prop", "firstname=Ada"], []
    if name == "status":
        return ["status", status_id_of_a_send(url)], []
    if name == "bulk-send":
        rows = ["to,order", *(f"person{n}@example.com,{n}" for n in range(12)), "noreply@example.com,x"]
        source = write(run / "list.csv", "\n".join(rows) + "\n")
        return ["bulk-send", source, "--email-id", "123456", "--concurrency", "4"], [
            "list.csv.journal.sqlite",
            "list.csv.results.csv",
        ]
    if name == "log-emails":
        rows = [
            "timestamp,subject,contact_ids",
            *(f"2026-11-23T10:0{n}:00Z,Receipt {n},50{n}" for n in range(5)),
        ]
        source = write(run / "emails.csv", "\n".join([*rows, "yesterday,Bad,501"]) + "\n")
        return ["log-emails", source, "--chunk-size", "2"], [
            "emails.csv.journal.sqlite",
            "emails.csv.results.csv",
        ]
    rows = ["email,at,contact.firstname", *(f"guest{n}@example.com,1795428000000,Guest{n}" for n in range(4))]
    source = write(run / "people.csv", "\n".join(rows) + "\n")
    return ["attendance", EVENT_ID, "attend", source], ["people.csv.journal.sqlite", "people.csv.results.csv"]


COMMANDS = ("send", "status", "bulk-send", "log-emails", "attendance")


@pytest.mark.parametrize("token_via", ["env", "token-file"])
@pytest.mark.parametrize("name", COMMANDS)
def test_a_run_of_each_command_leaves_the_token_nowhere(
    name: str, token_via: str, sim: tuple[WireSimulator, str], tmp_path: Path
) -> None:
    simulator, url = sim
    if name == "bulk-send":  # server errors, resets and garbled answers: retries, unknown rows, errors
        simulator.faults = Faults(seed=14, server_error_rate=0.25, reset_rate=0.1, malformed_rate=0.1)
    run = tmp_path / "run"
    run.mkdir()
    args, leaves = command(name, run, url)
    result = run_cli(args, url, token_via=token_via, secrets=tmp_path / "secrets")

    assert result.returncode in (0, 1, 3), result.stderr  # never 2: the run was valid
    simulator.assert_token_was_sent()
    # The DEBUG logs were on, httpcore's included: they are part of what is searched.
    assert "hubspot_email" in result.stderr
    assert "httpcore" in result.stderr
    assert SECRET not in result.stdout
    assert SECRET not in result.stderr
    files = [path for path in run.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= set(leaves)
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path
        if path.name.endswith(".journal.sqlite"):
            for row in journal_rows(path):
                assert SECRET not in row, (path, row)


# ---------------------------------------------------------------------------- results and errors
def _public_objects(url: str, simulator: WireSimulator) -> Iterator[object]:
    """What a caller gets back from a real loopback exchange of each operation: results, their parts,
    and the errors raised or carried by outcomes."""
    when = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    with Client(TOKEN, base_url=url, max_retries=0) as client:
        sent = client.send_email(email_id=123456, to="ada@example.com", custom_properties={"order": "42"})
        yield sent
        assert sent.status_id is not None
        yield client.get_send_status(sent.status_id)
        yield client.send_legacy_email(email_id=123456, to="bob@example.com")
        simulator.faults = Faults(seed=3, server_error_rate=0.4, reset_rate=0.3)
        for batch in (
            client.create_emails(
                [email_engagement(timestamp=when, subject=f"s{n}") for n in range(6)], chunk_size=1
            ),
            client.record_attendance(
                EVENT_ID,
                "attend",
                [attendee(email=f"guest{n}@example.com", at=when) for n in range(6)],
                chunk_size=1,
            ),
        ):
            yield batch
            yield from batch.outcomes
            yield from batch.chunks
            yield from (outcome.error for outcome in batch.outcomes if outcome.error is not None)
        for faults in (Faults(server_error_rate=1.0), Faults(reset_rate=1.0), Faults(malformed_rate=1.0)):
            simulator.faults = faults
            try:
                yield client.send_email(email_id=123456, to="carol@example.com")
            except HubSpotError as error:
                yield error


def test_results_and_errors_of_real_loopback_exchanges_hold_no_token(
    sim: tuple[WireSimulator, str], caplog: pytest.LogCaptureFixture
) -> None:
    simulator, url = sim
    for name in ("", "hubspot_email", "httpx", "httpcore"):
        caplog.set_level("DEBUG", logger=name)
    found = list(_public_objects(url, simulator))
    simulator.assert_token_was_sent()
    kinds = {type(item) for item in found}
    assert {SingleSendResult, SendStatus, BatchResult, Outcome, ChunkReport} <= kinds
    errors = [item for item in found if isinstance(item, BaseException)]
    assert errors, "no error was raised or carried: the faults did not strike"
    for item in found:
        texts = [repr(item), str(item)]
        if isinstance(item, BaseException):
            texts.append(
                "".join(traceback.TracebackException.from_exception(item, capture_locals=True).format())
            )
        for text in texts:
            assert SECRET not in text, f"{type(item).__name__}: {text}"
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            assert SECRET.encode() not in pickle.dumps(item, protocol=protocol), type(item).__name__
    assert any(record.name.startswith("httpcore") for record in caplog.records)
    assert SECRET not in caplog.text


# ---------------------------------------------------------------------------- plain http, recordings
def test_plain_http_to_another_host_is_refused_before_anything_is_sent(
    sim: tuple[WireSimulator, str], tmp_path: Path
) -> None:
    simulator, url = sim
    port = url.rsplit(":", 1)[1]
    # 0.0.0.0 is not a loopback address, yet on Linux it reaches the simulator: had the CLI sent the
    # request, the simulator would have seen it. (Elsewhere the refusal's exit code and message remain.)
    try:
        reachable = httpx.get(f"http://0.0.0.0:{port}/_simulator/record", timeout=5).status_code == 200
    except httpx.HTTPError:
        reachable = False
    assert reachable or sys.platform != "linux", "0.0.0.0 should reach the loopback simulator on Linux"
    simulator.authorizations.clear()  # the probe's request, which carried no token
    send = ["send", "--email-id", "123456", "--to", "ada@example.com"]
    for base_url in (f"http://0.0.0.0:{port}", "http://api.hubapi.com"):
        seen = len(simulator.authorizations)
        refused = run_cli(["--base-url", base_url, *send], url, token_via="env", secrets=tmp_path)
        assert refused.returncode == 2, refused.stderr
        assert "base_url" in refused.stderr
        assert "plain http to another machine" in refused.stderr
        assert SECRET not in refused.stdout + refused.stderr
        assert len(simulator.authorizations) == seen
    assert url.startswith("http://127.0.0.1:")
    accepted = run_cli(["--base-url", url, *send], url, token_via="env", secrets=tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    simulator.assert_token_was_sent()


def test_a_recording_made_against_the_simulator_holds_no_token(
    sim: tuple[WireSimulator, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    simulator, url = sim
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    out = tmp_path / "recorded"
    argv = [
        "--email-id",
        "123456",
        "--to",
        "grace@navy-archive.org",
        "--event-id",
        EVENT_ID,
        "--base-url",
        url,
    ]
    code = record.main([*argv, "--out", str(out), "--only", "sendSingleEmail", "recordAttendanceByEmail"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    simulator.assert_token_was_sent()
    files = list(out.rglob("*.json"))
    assert files
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET not in captured.out + captured.err
