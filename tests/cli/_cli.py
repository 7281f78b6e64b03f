"""Helpers of the CLI tests: run `python -m hubspot_email.cli` as a subprocess against the simulator."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import hubspot_email
import hubspot_email_api

TOKEN = "pat-na1-cli-test-token-0123456789"
SUBPROCESS_TIMEOUT = 60
POLL_SECONDS = 0.02


def cli_env(base_url: str, **extra: str) -> dict[str, str]:
    """This interpreter's import path (overlay and generated), the token, and the simulator's URL."""
    paths = [str(Path(hubspot_email.__file__).parents[1]), str(Path(hubspot_email_api.__file__).parents[1])]
    env = {key: value for key, value in os.environ.items() if not key.startswith("HUBSPOT_")}
    env.update(
        PYTHONPATH=os.pathsep.join([*paths, env.get("PYTHONPATH", "")]),
        HUBSPOT_ACCESS_TOKEN=TOKEN,
        HUBSPOT_BASE_URL=base_url,
        COLUMNS="200",
    )
    env.update(extra)
    return env


def run_cli(
    args: Sequence[str], base_url: str, *, timeout: float = SUBPROCESS_TIMEOUT, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hubspot_email.cli", *args],
        env=cli_env(base_url, **extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def popen_cli(args: Sequence[str], base_url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "hubspot_email.cli", *args],
        env=cli_env(base_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_results(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as results:
        return list(csv.DictReader(results))


def read_only(journal: Path) -> sqlite3.Connection:
    """The journal opened to look only: closing it does not checkpoint the run's WAL."""
    return sqlite3.connect(f"{journal.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)


def journal_count(journal: Path, where: str) -> int:
    """Rows of a running command's journal matching `where` (0 while the journal does not exist yet)."""
    if not journal.exists():
        return 0
    try:
        with contextlib.closing(read_only(journal)) as db:
            found = db.execute(f"SELECT count(*) FROM rows WHERE {where}").fetchone()  # noqa: S608 (tests' SQL)
    except sqlite3.OperationalError:  # not created yet, or busy: ask again
        return 0
    return int(found[0])


def settled_rows(journal: Path) -> int:
    """Rows the running command has settled so far."""
    return journal_count(journal, "state != 'sending'")


def settled_at_least(journal: Path, rows: int) -> Callable[[], bool]:
    """A kill point for `run_until_killed_when`: once `rows` rows are settled."""
    return lambda: settled_rows(journal) >= rows


def run_until_killed_when(args: Sequence[str], base_url: str, ready: Callable[[], bool]) -> bool:
    """Start a run and SIGKILL it as soon as `ready()`; False when it ended first.

    Raises AssertionError when the run neither gets ready nor ends within SUBPROCESS_TIMEOUT.
    """
    process = popen_cli(args, base_url)
    deadline = time.monotonic() + SUBPROCESS_TIMEOUT
    try:
        while process.poll() is None and not ready():
            if time.monotonic() > deadline:
                raise AssertionError("the run neither reached its kill point nor ended")
            time.sleep(POLL_SECONDS)
        if process.poll() is not None:
            return False
        process.send_signal(signal.SIGKILL)
        return True
    finally:
        process.kill()
        process.communicate(timeout=SUBPROCESS_TIMEOUT)
