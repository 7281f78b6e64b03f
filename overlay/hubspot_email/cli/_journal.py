"""The journal of a file-driven command (bulk-send, log-emails, attendance): one SQLite file that
makes a killed run resumable without a double send.

Schema (version 1):

    meta(key TEXT PRIMARY KEY, value TEXT)   -- schema_version, command, run_key, input, format,
                                             -- created_at, and the command's parameters (bulk-send:
                                             -- email_id; attendance: event_id, state). A journal
                                             -- without `command` is bulk-send's (written before it).
    rows(row INTEGER PRIMARY KEY,            -- the input row (1 = the first data row)
         recipient TEXT,                     -- the row's identity in the file: the recipient (bulk-send),
                                             -- the attendee's email, a digest of the row (log-emails);
                                             -- NULL when the row could not be read
         send_id TEXT,                       -- the key sent: the sendId (bulk-send), the
                                             -- objectWriteTraceId (log-emails), the lower-cased email
                                             -- (attendance); NULL for invalid rows
         state TEXT,                         -- see STATES
         detail TEXT,                        -- the result (sendResult, record id), the error, or why the
                                             -- row is invalid
         updated_at TEXT)                    -- UTC, ISO 8601

A row is written `sending` and committed BEFORE its request leaves, and gets its outcome after the
answer. What a resume does with a `sending` or `unknown` row is the command's: bulk-send sends it again
with the same sendId (HubSpot sends at most one email per sendId: it ends sent or already_sent); the
batch commands, which have no idempotency key, never send it again (it stays `unknown`). WAL with
synchronous=FULL: a committed state survives a kill or a power cut. The token is never written here.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, NamedTuple

SCHEMA_VERSION = "1"
FINAL_STATES = frozenset({"sent", "already_sent", "refused", "invalid", "duplicate"})
RESEND_STATES = frozenset({"sending", "unknown"})
# The batch commands' final states (they never resend `sending` or `unknown` rows).
BATCH_FINAL_STATES = frozenset({"created", "failed", "invalid", "duplicate"})
STATES = FINAL_STATES | RESEND_STATES | BATCH_FINAL_STATES
BULK_SEND = "bulk-send"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    row INTEGER PRIMARY KEY,
    recipient TEXT,
    send_id TEXT,
    state TEXT NOT NULL CHECK (state IN ({", ".join(f"'{state}'" for state in sorted(STATES))})),
    detail TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rows_by_send_id ON rows (send_id);
"""


class JournalProblem(Exception):
    """The journal cannot be used for this run (another run's, locked, or unreadable)."""


class Entry(NamedTuple):
    row: int
    recipient: str | None
    send_id: str | None
    state: str
    detail: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Journal:
    def __init__(self, path: Path, *, durable: bool = True) -> None:
        self.path = path
        self._lock: IO[bytes] | None = None
        self._take_lock()
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            # A dry run's scratch journal need not survive a power cut.
            self.db.execute("PRAGMA synchronous=FULL" if durable else "PRAGMA synchronous=OFF")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            self.close()
            raise JournalProblem(f"{path}: not a usable journal ({error})") from None

    def _take_lock(self) -> None:
        """One run per journal at a time (released by the kernel when the process dies)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            return
        self._lock = Path(f"{self.path}.lock").open("wb")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            self._lock = None
            raise JournalProblem(f"{self.path}: another run is using this journal") from None

    def close(self) -> None:
        with contextlib.suppress(AttributeError, sqlite3.Error):
            self.db.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta").fetchall())

    def start(self, *, command: str, run_key: str, params: dict[str, str], input_path: str, fmt: str) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("schema_version", SCHEMA_VERSION),
                    ("command", command),
                    ("run_key", run_key),
                    *params.items(),
                    ("input", input_path),
                    ("format", fmt),
                    ("created_at", _now()),
                ],
            )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def get(self, row: int) -> Entry | None:
        found = self.db.execute(
            "SELECT row, recipient, send_id, state, detail FROM rows WHERE row = ?", (row,)
        ).fetchone()
        return Entry(*found) if found else None

    def first_row_with(self, send_id: str, other_than: int) -> int | None:
        found = self.db.execute(
            "SELECT min(row) FROM rows WHERE send_id = ? AND state != 'duplicate' AND row != ?",
            (send_id, other_than),
        ).fetchone()
        return found[0] if found else None

    def put(self, row: int, recipient: str | None, send_id: str | None, state: str, detail: str) -> None:
        self.db.execute(
            "INSERT INTO rows (row, recipient, send_id, state, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (row) DO UPDATE SET state = excluded.state, detail = excluded.detail, "
            "updated_at = excluded.updated_at",
            (row, recipient, send_id, state, detail, _now()),
        )

    def entries(self) -> Iterator[Entry]:
        """Every row, in row order, read as iterated (never all in memory)."""
        cursor = self.db.execute("SELECT row, recipient, send_id, state, detail FROM rows ORDER BY row")
        for found in cursor:
            yield Entry(*found)


def open_journal(
    path: Path,
    *,
    command: str,
    params: Sequence[tuple[str, str, str]],
    run_key: str | None,
    input_path: Path,
    fmt: str,
    durable: bool = True,
) -> Journal:
    """The journal at `path`, started for this run when new, else checked to be of the same run.

    `params` are (meta key, flag shown in messages, value): a journal of other values is refused.
    """
    journal = Journal(path, durable=durable)
    try:
        meta = journal.meta()
        if not meta:
            journal.start(
                command=command,
                run_key=run_key or secrets.token_hex(16),
                params={key: value for key, _, value in params},
                input_path=str(input_path.resolve()),
                fmt=fmt,
            )
            return journal
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise JournalProblem(
                f"{path}: journal schema {meta.get('schema_version')!r}, expected {SCHEMA_VERSION!r}"
            )
        if meta.get("command", BULK_SEND) != command:
            raise JournalProblem(
                f"{path}: this journal is of a {meta.get('command', BULK_SEND)} run, not {command}; "
                "pass another --journal"
            )
        for key, flag, value in params:
            if meta.get(key) != value:
                raise JournalProblem(
                    f"{path}: this journal is of a run of {flag} {meta.get(key)}, not {value}; "
                    "pass another --journal for another run"
                )
        if run_key is not None and meta.get("run_key") != run_key:
            raise JournalProblem(f"{path}: this journal is of a run with another --run-key")
        return journal
    except BaseException:
        journal.close()
        raise
