"""`log-emails` and `attendance`: a file of rows sent in batch calls, each row at most once, resumably.

These calls have NO idempotency key: a row whose request may have reached HubSpot is never sent again
by a resume. A row is journalled `sending` (committed) before its chunk leaves and gets its outcome
after the answer: `created`, `failed` (HubSpot did not act) and `invalid` (never sent) are final;
`unknown` (HubSpot may have acted) and a `sending` row found by a resume (the run was killed while the
chunk was out) end `unknown`, with the reason `UNKNOWN_REASON`: check HubSpot before resending them.
Chunks are sent one after another from the main thread, the journal's only writer.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from hubspot_email._batch import BatchResult, Outcome, OutcomeState
from hubspot_email._client import Client
from hubspot_email._engagements import attendee, check_event_id, check_subscriber_state, email_engagement
from hubspot_email._exceptions import HubSpotError
from hubspot_email._inputs import prepare_attendees, prepare_engagements
from hubspot_email._keys import derived_key
from hubspot_email._validation import InvalidInputError

from ._app import ExitCode, Settings, exit_for_error, fail
from ._bulk import RowProgress
from ._journal import BATCH_FINAL_STATES, Entry, Journal, JournalProblem, open_journal
from ._rows import (
    CONTACT_PREFIX,
    FORMATS,
    FileProblem,
    Record,
    count_lines,
    detect_format,
    read_records,
    utf8_problem,
)

UNKNOWN_REASON = "may have been created; check HubSpot before resending"
OUTCOMES = ("created", "failed", "invalid", "duplicate", "unknown")
LOG_EMAILS, ATTENDANCE = "log-emails", "attendance"
ID_COLUMNS = ("contact_ids", "company_ids", "deal_ids", "ticket_ids")
# email_engagement's argument (or the field its errors name) -> the file's column
_ENGAGEMENT_COLUMNS = {
    "timestamp": "timestamp",
    "hs_email_subject": "subject",
    "hs_email_text": "text",
    "hs_email_html": "html",
    "hs_email_direction": "direction",
    "hs_email_status": "status",
    "owner_id": "owner_id",
    **{name: name for name in ID_COLUMNS},
}
_KNOWN_EMAIL_COLUMNS = frozenset(_ENGAGEMENT_COLUMNS.values())


class RowInvalid(Exception):
    """A row that cannot be sent; the message names its column."""


@dataclass(frozen=True)
class Prepared:
    """A row ready to send: its identity in the file, the key it is sent under, and the input."""

    number: int
    identity: str
    key: str
    item: Any


def parse_moment(column: str, text: str) -> datetime:
    """ISO 8601 with an offset, or epoch milliseconds (digits)."""
    text = text.strip()
    if text.isdigit():
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(text))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise RowInvalid(f"column {column!r}: {text!r} is neither ISO 8601 nor epoch milliseconds") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RowInvalid(f"column {column!r}: {text!r} has no UTC offset (add e.g. +00:00 or Z)")
    return moment


def _column_of(field: str, columns: dict[str, str]) -> str:
    base = field.split("[", 1)[0]
    if base in ("properties", "contact_properties") and "[" in field:
        name = field.split("[", 1)[1].rstrip("]").strip("'\"")
        prefix = CONTACT_PREFIX if base == "contact_properties" else ""
        return prefix + name if prefix + name in columns else name
    return _ENGAGEMENT_COLUMNS.get(base, base)


def _invalid(error: InvalidInputError, columns: dict[str, str]) -> RowInvalid:
    column = _column_of(error.field, columns)
    return RowInvalid(f"column {column!r}: " + str(error).removeprefix(f"{error.field}: "))


def _digest(columns: list[tuple[str, str]]) -> str:
    return "row-" + hashlib.sha256(json.dumps(columns).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def invalid_row_identity(record: Record, column: str | None) -> str:
    """An invalid row's identity in the journal and the results: what the file has in `column` (the
    attendee's email, however malformed) when it is printable UTF-8, else a digest of the row."""
    value = dict(record.columns).get(column, "").strip() if column is not None else ""
    if value and value.isprintable() and utf8_problem([(column or "", value)]) is None:
        return value
    return _digest(record.columns)


def trace_id_for(run_key: str, row: int) -> str:
    """The row's objectWriteTraceId: the same on every resume of the run."""
    return derived_key(run_key, LOG_EMAILS, row)


def prepare_email(record: Record, run_key: str) -> Prepared:
    columns = dict(record.columns)
    values = {name: value.strip() for name, value in columns.items() if name in _KNOWN_EMAIL_COLUMNS}
    if not values.get("timestamp"):
        raise RowInvalid("column 'timestamp': no timestamp (ISO 8601 with an offset, or epoch milliseconds)")
    ids: dict[str, list[str]] = {
        name: [part.strip() for part in values.get(name, "").split(";") if part.strip()]
        for name in ID_COLUMNS
    }
    properties = {
        name: value for name, value in columns.items() if name not in _KNOWN_EMAIL_COLUMNS and value != ""
    }
    trace_id = trace_id_for(run_key, record.number)
    try:
        built = email_engagement(
            timestamp=parse_moment("timestamp", values["timestamp"]),
            subject=columns.get("subject") or None,
            text=columns.get("text") or None,
            html=columns.get("html") or None,
            direction=values.get("direction") or None,
            status=values.get("status") or None,
            owner_id=values.get("owner_id") or None,
            contact_ids=ids["contact_ids"],
            company_ids=ids["company_ids"],
            deal_ids=ids["deal_ids"],
            ticket_ids=ids["ticket_ids"],
            properties=properties,
            trace_id=trace_id,
        )
        prepare_engagements([built])  # every check the call makes, so one row cannot fail its chunk
    except InvalidInputError as error:
        raise _invalid(error, columns) from None
    return Prepared(record.number, _digest(record.columns), trace_id, built)


def prepare_attendee(record: Record, run_key: str) -> Prepared:
    columns = dict(record.columns)
    email = columns.get("email", "").strip()
    if not email:
        raise RowInvalid("column 'email': no email address")
    at = columns.get("at", "").strip()
    contact = {
        name.removeprefix(CONTACT_PREFIX): value
        for name, value in columns.items()
        if name.startswith(CONTACT_PREFIX) and name != CONTACT_PREFIX and value != ""
    }
    properties = {
        name: value
        for name, value in columns.items()
        if name not in ("email", "at") and not name.startswith(CONTACT_PREFIX) and value != ""
    }
    try:
        built = attendee(
            email=email,
            at=parse_moment("at", at) if at else datetime.now(UTC),
            properties=properties,
            contact_properties=contact,
        )
        prepare_attendees([built])
    except InvalidInputError as error:
        raise _invalid(error, columns) from None
    return Prepared(record.number, email, email.lower(), built)


def _describe(outcome: Outcome[Any]) -> tuple[str, str]:
    """The journal's state and detail of one outcome: created with the record id, or why not."""
    if outcome.state is OutcomeState.CREATED:
        record, raw = outcome.record, outcome.raw or {}
        found = getattr(record, "id", None) or getattr(record, "vid", None) or raw.get("id") or raw.get("vid")
        return "created", "" if found is None else str(found)
    reason = outcome.reason or (str(outcome.error) if outcome.error is not None else "")
    if outcome.state is OutcomeState.FAILED:
        return "failed", reason
    return "unknown", f"{UNKNOWN_REASON} ({reason})" if reason else UNKNOWN_REASON


class BatchRun:
    """Reads the rows, journals them, and sends the new ones in chunks (one call per chunk)."""

    def __init__(
        self,
        journal: Journal,
        client: Client,
        chunk_size: int,
        progress: RowProgress,
        prepare: Callable[[Record, str], Prepared],
        send: Callable[[Client, list[Any]], BatchResult[Any]],
        duplicate_of: str | None,
        identity_column: str | None = None,
    ) -> None:
        self.identity_column = identity_column  # shown for an invalid row (attendance: email)
        self.journal = journal
        self.client = client
        self.chunk_size = chunk_size
        self.progress = progress
        self.prepare = prepare
        self.send = send
        self.duplicate_of = duplicate_of  # "the same attendee": rows with the same key are sent once
        self.run_key = journal.meta()["run_key"]

    def _admit(self, record: Record) -> Prepared | None:
        """Journal a row read from the file: the row to send now, or None when it is settled."""
        problem = record.problem or utf8_problem(record.columns)
        prepared: Prepared | None = None
        if problem is None:
            try:
                prepared = self.prepare(record, self.run_key)
            except RowInvalid as error:
                problem = str(error)
        identity = (
            prepared.identity if prepared is not None else invalid_row_identity(record, self.identity_column)
        )
        entry = self.journal.get(record.number)
        if entry is not None and entry.recipient != identity:
            raise FileProblem(
                f"row {record.number} differs from the journal {self.journal.path}: the file changed since "
                "the run began; restore it, or start a new run with another --journal"
            )
        if entry is not None and entry.state in BATCH_FINAL_STATES:
            self.progress.done(entry.state)
            return None
        if entry is not None:  # sending or unknown: it may have reached HubSpot; never sent again
            detail = entry.detail if entry.state == "unknown" and entry.detail else UNKNOWN_REASON
            if entry.state == "sending":
                detail = f"{UNKNOWN_REASON} (the run stopped while the row was being sent)"
            self.journal.put(record.number, entry.recipient, entry.send_id, "unknown", detail)
            self.progress.done("unknown")
            return None
        if prepared is None:
            self.journal.put(record.number, identity, None, "invalid", f"row {record.number}: {problem}")
            self.progress.done("invalid")
            return None
        if self.duplicate_of is not None:
            first = self.journal.first_row_with(prepared.key, record.number)
            if first is not None:
                detail = f"row {record.number}: {self.duplicate_of} as row {first}, sent once"
                self.journal.put(record.number, identity, prepared.key, "duplicate", detail)
                self.progress.done("duplicate")
                return None
        self.journal.put(record.number, identity, prepared.key, "sending", "")
        return prepared

    def run(self, records: Iterator[Record]) -> None:
        exhausted = False
        while not exhausted:
            batch: list[Prepared] = []
            reads = 0
            with self.journal.transaction():
                while len(batch) < self.chunk_size and reads < 1000:
                    record = next(records, None)
                    if record is None:
                        exhausted = True
                        break
                    reads += 1
                    prepared = self._admit(record)
                    if prepared is not None:
                        batch.append(prepared)
            # Committed: every row about to be sent is `sending` on disk.
            if batch:
                self._send(batch)

    def _send(self, batch: list[Prepared]) -> None:
        try:
            result = self.send(self.client, [prepared.item for prepared in batch])
            outcomes = [_describe(outcome) for outcome in sorted(result.outcomes, key=lambda o: o.index)]
        except HubSpotError as error:
            reached = getattr(error, "may_have_reached_hubspot", True) is not False
            detail = f"{type(error).__name__}: {error}"
            state_detail = (
                ("unknown", f"{UNKNOWN_REASON} ({detail})") if reached else ("failed", f"not sent: {detail}")
            )
            outcomes = [state_detail] * len(batch)
        if len(outcomes) != len(batch):  # pragma: no cover - the client gives one outcome per input
            outcomes = [("unknown", f"{UNKNOWN_REASON} (no outcome for the row)")] * len(batch)
        with self.journal.transaction():
            for prepared, (state, detail) in zip(batch, outcomes, strict=True):
                self.journal.put(prepared.number, prepared.identity, prepared.key, state, detail)
                self.progress.done(state)


def _write_results(journal: Journal, path: Path, columns: Sequence[str], key_column: bool) -> None:
    """One line per row read, from the journal, atomically: row, key, outcome, record id, detail."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for entry in journal.entries():
            writer.writerow(_result_line(entry, key_column))
    os.replace(temporary, path)


def _result_line(entry: Entry, key_column: bool) -> list[object]:
    key = (entry.send_id or "") if key_column else (entry.recipient or "")
    created = entry.state == "created"
    return [entry.row, key, entry.state, entry.detail if created else "", "" if created else entry.detail]


def _run_command(
    settings: Settings,
    *,
    command: str,
    file: Path,
    fmt: str | None,
    required: str,
    params: Sequence[tuple[str, str, str]],
    run_key: str | None,
    journal_path: Path | None,
    results_path: Path | None,
    chunk_size: int,
    quiet: bool,
    prepare: Callable[[Record, str], Prepared],
    send: Callable[[Client, list[Any]], BatchResult[Any]],
    duplicate_of: str | None,
    results_columns: Sequence[str],
    key_column: bool,
) -> None:
    try:
        if fmt is not None and fmt not in FORMATS:
            raise InvalidInputError(
                "--format", f"expected csv or jsonl, got {fmt!r}", "Pass --format csv|jsonl."
            )
        fmt = detect_format(file, fmt)
        records = read_records(file, fmt, required=required)
    except InvalidInputError as error:
        exit_for_error(error)
    except FileProblem as error:
        fail(ExitCode.INVALID, str(error))
    total = count_lines(file) - (1 if fmt == "csv" else 0)
    journal_path = journal_path or file.with_name(file.name + ".journal.sqlite")
    results_path = results_path or file.with_name(file.name + ".results.csv")
    try:
        client = settings.client()
    except HubSpotError as error:
        exit_for_error(error)
    try:
        try:
            journal = open_journal(
                journal_path, command=command, params=params, run_key=run_key, input_path=file, fmt=fmt
            )
        except JournalProblem as error:
            fail(ExitCode.INVALID, str(error))
        try:
            with RowProgress(total, quiet, name=command, shown=OUTCOMES) as progress:
                run = BatchRun(
                    journal,
                    client,
                    chunk_size,
                    progress,
                    prepare,
                    send,
                    duplicate_of,
                    identity_column=None if key_column else required,
                )
                try:
                    run.run(records)
                except FileProblem as error:
                    fail(ExitCode.INVALID, str(error))
                except KeyboardInterrupt:
                    fail(ExitCode.FAILURE, "interrupted: run the same command again to resume")
            _write_results(journal, results_path, results_columns, key_column)
            counts = Counter(entry.state for entry in journal.entries())
        finally:
            journal.close()
    finally:
        client.close()
    summary = ", ".join(f"{name} {counts[name]}" for name in (*OUTCOMES, "sending") if counts[name])
    typer.echo(f"{sum(counts.values())} rows: {summary or 'none'}; results in {results_path}")
    unknown = counts["unknown"] + counts["sending"]
    if unknown:
        fail(
            ExitCode.FAILURE,
            f"{unknown} rows are unknown: they {UNKNOWN_REASON} (these calls have no idempotency key, so "
            f"they are never resent automatically); see {results_path}",
        )
    if counts["failed"] or counts["invalid"]:
        fail(
            ExitCode.REFUSED,
            f"{counts['failed']} rows failed and {counts['invalid']} invalid: see {results_path}",
        )


FormatOption = Annotated[
    str | None,
    typer.Option("--format", help="csv or jsonl (default: from the extension).", show_default=False),
]
RunKeyOption = Annotated[
    str | None,
    typer.Option(
        "--run-key",
        help="Seeds each row's key (default: a random one, kept in the journal and reused on resume).",
        show_default=False,
    ),
]
JournalOption = Annotated[
    Path | None,
    typer.Option("--journal", help="The SQLite journal (default: FILE.journal.sqlite).", show_default=False),
]
ResultsOption = Annotated[
    Path | None,
    typer.Option("--results", help="The results CSV (default: FILE.results.csv).", show_default=False),
]
ChunkOption = Annotated[int, typer.Option("--chunk-size", min=1, max=100, help="Rows per batch call.")]
QuietOption = Annotated[bool, typer.Option("--quiet", help="No progress bar.")]


def log_emails(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or JSONL: timestamp (ISO 8601 with an offset, or epoch ms), subject, text, html, "
            "direction, status, owner_id, contact_ids/company_ids/deal_ids/ticket_ids (separated by ';'); "
            "any other column is an extra property."
        ),
    ],
    fmt: FormatOption = None,
    run_key: RunKeyOption = None,
    journal_path: JournalOption = None,
    results_path: ResultsOption = None,
    chunk_size: ChunkOption = 100,
    quiet: QuietOption = False,
) -> None:
    _run_command(
        ctx.obj,
        command=LOG_EMAILS,
        file=file,
        fmt=fmt,
        required="timestamp",
        params=[],
        run_key=run_key,
        journal_path=journal_path,
        results_path=results_path,
        chunk_size=chunk_size,
        quiet=quiet,
        prepare=prepare_email,
        send=lambda client, items: client.create_emails(items, chunk_size=len(items)),
        duplicate_of=None,
        results_columns=("row", "trace_id", "outcome", "record_id", "detail"),
        key_column=True,
    )


def record_attendance(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="The marketing event's id.", show_default=False)],
    state: Annotated[str, typer.Argument(help="register, attend or cancel.", show_default=False)],
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or JSONL: email, at (ISO 8601 or epoch ms; default: now), contact.* columns (contact "
            "properties), any other column an event property."
        ),
    ],
    fmt: FormatOption = None,
    run_key: RunKeyOption = None,
    journal_path: JournalOption = None,
    results_path: ResultsOption = None,
    chunk_size: ChunkOption = 100,
    quiet: QuietOption = False,
) -> None:
    try:
        event_id = check_event_id(event_id)
        state = check_subscriber_state(state).value
    except InvalidInputError as error:
        exit_for_error(error)
    _run_command(
        ctx.obj,
        command=ATTENDANCE,
        file=file,
        fmt=fmt,
        required="email",
        params=[("event_id", "event", event_id), ("state", "state", state)],
        run_key=run_key,
        journal_path=journal_path,
        results_path=results_path,
        chunk_size=chunk_size,
        quiet=quiet,
        prepare=prepare_attendee,
        send=lambda client, items: client.record_attendance(event_id, state, items, chunk_size=len(items)),
        duplicate_of="the same attendee",
        results_columns=("row", "email", "outcome", "vid", "detail"),
        key_column=False,
    )
