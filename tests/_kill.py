"""Kill and resume, shared by the CLI tests and the reliability tests: a command SIGKILLed at seeded points
(each a count of rows settled in its journal), then run again to the end, its journal watched meanwhile.

Nothing here decides by the clock: a run is killed when its journal says so, and times are only measured
(how long a resumed run took to get past the killed run's work). The deadline is a guard against a hang.
"""

from __future__ import annotations

import contextlib
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import SUBPROCESS_TIMEOUT, cli_env
else:
    from _cli import SUBPROCESS_TIMEOUT, cli_env

POLL_SECONDS = 0.02


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


def rows_in_state(journal: Path, state: str) -> set[int]:
    """The rows in `state`, read once the run has stopped (so the journal is not busy)."""
    with contextlib.closing(read_only(journal)) as db:
        return {row for (row,) in db.execute("SELECT row FROM rows WHERE state = ?", (state,))}


def settled_at_least(journal: Path, rows: int) -> Callable[[], bool]:
    """A kill point: once `rows` rows are settled."""
    return lambda: settled_rows(journal) >= rows


def while_a_chunk_is_out(journal: Path, settled: int) -> Callable[[], bool]:
    """A kill point of the batch commands: once `settled` rows are settled and a chunk is `sending` (its
    call out, or its answer not yet journalled), the moment a kill leaves rows that may or may not have
    reached HubSpot."""
    return lambda: (
        journal_count(journal, "state != 'sending'") >= settled
        and journal_count(journal, "state = 'sending'") > 0
    )


def kill_points(rng: random.Random, kills: int, low: int, high: int) -> list[int]:
    """One settled-row count in each of `kills` equal parts of [low, high): spread over the run, seeded."""
    step = (high - low) // kills
    return [rng.randrange(low + part * step, low + (part + 1) * step) for part in range(kills)]


def assert_no_token_in(folder: Path, token: str) -> None:
    """Nowhere on disk: the journal (and its WAL, if left), the lock file, the results."""
    for path in folder.iterdir():
        assert token.encode() not in path.read_bytes(), path.name


@dataclass(frozen=True)
class Run:
    """One run of the command: killed, or ended with `exit_code`; its output; when things happened
    (time.monotonic()). `recovered`: when its journal first had more rows settled than the run before
    had journalled at its kill (settled or `sending`), or when it ended if that came first; None when not
    asked."""

    killed: bool
    exit_code: int | None
    output: str  # stdout and stderr
    started: float
    ended: float
    recovered: float | None

    @property
    def recovery_seconds(self) -> float | None:
        return None if self.recovered is None else self.recovered - self.started


def watch_run(
    args: Sequence[str],
    base_url: str,
    *,
    kill_when: Callable[[], bool] | None = None,
    journal: Path | None = None,
    recovered_past: int | None = None,
    timeout: float = SUBPROCESS_TIMEOUT,
) -> Run:
    """Run the command; SIGKILL it as soon as `kill_when()` (if given), else let it end.

    With `journal` and `recovered_past`, notes when the journal first has more than `recovered_past` rows
    settled. Raises AssertionError when the run neither gets killed nor ends within `timeout`.
    """
    # Files, not pipes: nobody reads while the run goes, and a full pipe would stall it.
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "hubspot_email.cli", *args],
            env=cli_env(base_url),
            stdout=stdout,
            stderr=stderr,
        )
        recovered: float | None = None

        def note_recovery() -> None:
            nonlocal recovered
            if (
                recovered is None
                and journal is not None
                and recovered_past is not None
                and settled_rows(journal) > recovered_past
            ):
                recovered = time.monotonic()

        killed = False
        try:
            while process.poll() is None:
                note_recovery()
                if kill_when is not None and kill_when():
                    process.send_signal(signal.SIGKILL)
                    killed = True
                    break
                if time.monotonic() - started > timeout:
                    raise AssertionError(f"the run neither reached its kill point nor ended in {timeout} s")
                time.sleep(POLL_SECONDS)
        finally:
            process.kill()
            exit_code = process.wait(timeout=SUBPROCESS_TIMEOUT)
        ended = time.monotonic()
        note_recovery()  # past it between the last look and the end
        if recovered is None and journal is not None and recovered_past is not None and not killed:
            recovered = ended  # ended first (e.g. nothing was left to do)
        output = b"".join(_read(stream) for stream in (stdout, stderr)).decode("utf-8", "replace")
    return Run(killed, None if killed else exit_code, output, started, ended, recovered)


def _read(stream: IO[bytes]) -> bytes:
    stream.seek(0)
    return stream.read()


@dataclass
class KilledAndResumed:
    """What `kill_then_resume` did: the runs killed, the rows `sending` right after each kill (those a
    resume finds in flight), and the runs after the last kill."""

    killed: list[Run] = field(default_factory=list)
    in_flight_at_kills: list[set[int]] = field(default_factory=list)
    resumed: list[Run] = field(default_factory=list)

    @property
    def runs(self) -> list[Run]:
        return [*self.killed, *self.resumed]

    @property
    def recovery_seconds(self) -> list[float]:
        """For each kill, how long the next run took to get past the killed run's work (see `Run`)."""
        after_kills = self.runs[1 : len(self.killed) + 1]
        return [seconds for run in after_kills if (seconds := run.recovery_seconds) is not None]


def kill_then_resume(
    args: Sequence[str],
    base_url: str,
    journal: Path,
    points: Sequence[int],
    kill_at: Callable[[Path, int], Callable[[], bool]],
    *,
    again: Callable[[Run], bool] = lambda run: False,
    max_resumes: int = 10,
    timeout: float = SUBPROCESS_TIMEOUT,
) -> KilledAndResumed:
    """Run the command once per point in `points` (ascending settled-row counts), SIGKILLing it when
    `kill_at(journal, point)()`, then run it again until `again(run)` is False (at most `max_resumes`).

    A point the run before has already passed (a kill lands a little after its point) is moved to just past
    that run's work, so each run is killed after it has recovered, at a count it reached itself.
    """
    done = KilledAndResumed()
    journalled: int | None = None  # rows in the journal at the last kill, settled or `sending`
    for planned in points:
        point = planned if journalled is None else max(planned, journalled + 1)
        run = watch_run(
            args,
            base_url,
            kill_when=kill_at(journal, point),
            journal=journal,
            recovered_past=journalled,
            timeout=timeout,
        )
        assert run.killed, f"the run ended before its kill point ({point} rows settled): {run.output}"
        done.killed.append(run)
        done.in_flight_at_kills.append(rows_in_state(journal, "sending"))
        journalled = journal_count(journal, "1 = 1")
    for _ in range(max_resumes):
        after_kill = None if done.resumed else journalled  # the first one recovers from the last kill
        run = watch_run(args, base_url, journal=journal, recovered_past=after_kill, timeout=timeout)
        done.resumed.append(run)
        if not again(run):
            break
    return done
