"""`bulk-send`: one email to every recipient of a file, each once, resumable after a kill.

Concurrency is a thread pool sharing one sync `Client` (httpx's client is thread-safe), not
`AsyncClient`: the journal's SQLite connection stays on the main thread, which alone writes it, and its
commits (an fsync each, synchronous=FULL) never stall requests in flight as they would on an event loop.
Rows are written `sending` in one transaction per batch of at most --concurrency rows, committed before
any of them is submitted; outcomes are committed as answers come in.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from hubspot_email._client import Client
from hubspot_email._exceptions import (
    APIStatusError,
    HubSpotError,
)
from hubspot_email._keys import derived_key
from hubspot_email._validation import InvalidInputError, check_email_id

from ._app import ExitCode, Settings, exit_for_error, fail
from ._journal import BULK_SEND, FINAL_STATES, Journal, JournalProblem, open_journal
from ._rows import FORMATS, FileProblem, Row, count_lines, detect_format, read_rows

OUTCOMES = ("sent", "already_sent", "duplicate", "refused", "invalid", "unknown")
_SHOWN = ("checked", *OUTCOMES)  # checked: a dry run's row that would be sent
RESULTS_COLUMNS = ("row", "to", "send_id", "outcome", "detail")
# 4xx answers after which HubSpot did not act and would refuse the same request again.
_RETRYABLE_4XX = frozenset({401, 403, 408, 409, 423, 429})


def send_id_for(run_key: str, email_id: int, recipient: str) -> str:
    """One sendId per recipient per run: the same on every resume, so HubSpot de-duplicates."""
    return derived_key(run_key, email_id, recipient.strip().lower())


def _send_one(client: Client, email_id: int, row: Row, send_id: str) -> tuple[str, str]:
    """The row's state and detail after one send (retries are the client's)."""
    assert row.to is not None
    try:
        result = client.send_email(
            email_id=email_id,
            to=row.to,
            send_id=send_id,
            contact_properties=row.contact,
            custom_properties=row.custom,
        )
    except InvalidInputError as error:
        return "invalid", str(error)
    except APIStatusError as error:
        status = error.status_code
        final = 400 <= status < 500 and status not in _RETRYABLE_4XX
        return ("refused" if final else "unknown"), f"{type(error).__name__}: {error}"
    except HubSpotError as error:
        return "unknown", f"{type(error).__name__}: {error}"
    except Exception as error:  # any other failure: the outcome is unknown, resend on resume
        return "unknown", f"{type(error).__name__}: {error}"
    detail = str(result.send_result or result.status or result.message or "")
    if result.already_sent:
        return "already_sent", detail or "IDEMPOTENT_IGNORE"
    return ("sent" if result.ok else "refused"), detail


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-/s" if speed is None else f"{speed:.0f}/s")


class RowProgress:
    """The progress bar on stderr; a no-op with --quiet. rich draws it only on a terminal."""

    def __init__(
        self, total: int | None, quiet: bool, *, name: str = "bulk-send", shown: tuple[str, ...] = _SHOWN
    ) -> None:
        self.counts: Counter[str] = Counter()
        self._shown = shown
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"),
            console=Console(stderr=True),
            disable=quiet,
            transient=False,
        )
        self._task = self._progress.add_task(name, total=total, counts="")

    def __enter__(self) -> RowProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def done(self, state: str) -> None:
        self.counts[state] += 1
        shown = " ".join(f"{name} {self.counts[name]}" for name in self._shown if self.counts[name])
        self._progress.update(self._task, advance=1, counts=shown)


def _write_results(journal: Journal, path: Path) -> None:
    """One line per row read, from the journal (so a resumed run writes each row once), atomically."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(RESULTS_COLUMNS)
        for entry in journal.entries():
            writer.writerow(
                [entry.row, entry.recipient or "", entry.send_id or "", entry.state, entry.detail]
            )
    os.replace(temporary, path)


class _Run:
    def __init__(
        self,
        journal: Journal,
        client: Client | None,
        email_id: int,
        concurrency: int,
        progress: RowProgress,
    ) -> None:
        self.journal = journal
        self.client = client
        self.email_id = email_id
        self.concurrency = concurrency
        self.progress = progress
        self.run_key = journal.meta()["run_key"]
        self.stop_reason: str | None = None
        self.dry_problems: list[str] = []

    def _admit(self, row: Row) -> tuple[Row, str] | None:
        """Journal a row read from the file: the (row, sendId) to send now, or None when it is settled."""
        entry = self.journal.get(row.number)
        if entry is not None and entry.recipient != row.to:
            raise FileProblem(
                f"row {row.number} is {row.to!r} in the file but {entry.recipient!r} in the journal "
                f"{self.journal.path}: the file changed since the run began; restore it, or start a new run "
                "with another --journal"
            )
        if entry is not None and entry.state in FINAL_STATES:
            self.progress.done(entry.state)
            return None
        if entry is not None and entry.send_id is not None:  # sending or unknown: the same sendId again
            return row, entry.send_id
        if row.problem is not None:
            self.journal.put(row.number, row.to, None, "invalid", f"row {row.number}: {row.problem}")
            self.dry_problems.append(f"row {row.number}: {row.problem}")
            self.progress.done("invalid")
            return None
        assert row.to is not None
        send_id = send_id_for(self.run_key, self.email_id, row.to)
        first = self.journal.first_row_with(send_id, row.number)
        if first is not None:
            detail = f"row {row.number}: the same recipient as row {first}, sent once"
            self.journal.put(row.number, row.to, send_id, "duplicate", detail)
            self.dry_problems.append(detail)
            self.progress.done("duplicate")
            return None
        self.journal.put(row.number, row.to, send_id, "sending", "")
        return row, send_id

    def run(self, rows: Iterator[Row]) -> None:
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            in_flight: dict[Future[tuple[str, str]], tuple[Row, str]] = {}
            exhausted = False
            while True:
                if not exhausted and self.stop_reason is None and len(in_flight) < self.concurrency:
                    exhausted = self._submit_batch(rows, pool, in_flight)
                if not in_flight:
                    if exhausted or self.stop_reason is not None:
                        return
                    continue
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                with self.journal.transaction():
                    for future in finished:
                        row, send_id = in_flight.pop(future)
                        state, detail = future.result()
                        self.journal.put(row.number, row.to, send_id, state, detail)
                        self.progress.done(state)
                        if state == "unknown" and (
                            "AuthenticationError" in detail or "PermissionDenied" in detail
                        ):
                            self.stop_reason = detail

    def _submit_batch(
        self,
        rows: Iterator[Row],
        pool: ThreadPoolExecutor,
        in_flight: dict[Future[tuple[str, str]], tuple[Row, str]],
    ) -> bool:
        """Read rows until the window is full; commit their `sending` states, then submit them.
        True when the file is exhausted."""
        batch: list[tuple[Row, str]] = []
        exhausted = False
        writes = 0
        with self.journal.transaction():
            while len(in_flight) + len(batch) < self.concurrency and writes < 1000:
                row = next(rows, None)
                if row is None:
                    exhausted = True
                    break
                writes += 1
                admitted = self._admit(row)
                if admitted is not None:
                    batch.append(admitted)
        # Committed: every row about to be sent is `sending` on disk.
        for row, send_id in batch:
            if self.client is None:  # dry run
                self.journal.put(row.number, row.to, send_id, "sent", "dry run: not sent")
                self.progress.done("checked")
            else:
                in_flight[pool.submit(_send_one, self.client, self.email_id, row, send_id)] = (row, send_id)
        return exhausted


def bulk_send(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV (header with a `to` column) or JSONL, one recipient a row.")
    ],
    email_id: Annotated[int, typer.Option("--email-id", help="The email's content id.", show_default=False)],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv or jsonl (default: from the extension).", show_default=False),
    ] = None,
    run_key: Annotated[
        str | None,
        typer.Option(
            "--run-key",
            help="Part of every sendId (default: a random one, kept in the journal and reused on resume). "
            "The same key and email sends each recipient at most once, across runs.",
            show_default=False,
        ),
    ] = None,
    journal_path: Annotated[
        Path | None,
        typer.Option(
            "--journal", help="The SQLite journal (default: FILE.journal.sqlite).", show_default=False
        ),
    ] = None,
    results_path: Annotated[
        Path | None,
        typer.Option("--results", help="The results CSV (default: FILE.results.csv).", show_default=False),
    ] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=64, help="Sends in flight.")] = 8,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and report the bad ones; send nothing.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    settings: Settings = ctx.obj
    try:
        check_email_id(email_id)
        if fmt is not None and fmt not in FORMATS:
            raise InvalidInputError(
                "--format", f"expected csv or jsonl, got {fmt!r}", "Pass --format csv|jsonl."
            )
        fmt = detect_format(file, fmt)
        rows = read_rows(file, fmt)
    except InvalidInputError as error:
        exit_for_error(error)
    except FileProblem as error:
        fail(ExitCode.INVALID, str(error))
    total = count_lines(file) - (1 if fmt == "csv" else 0)
    with tempfile.TemporaryDirectory(prefix="hubspot-email-dry-run-") as scratch:
        if dry_run:
            journal_path = Path(scratch) / "journal.sqlite"
        elif journal_path is None:
            journal_path = file.with_name(file.name + ".journal.sqlite")
        results_path = results_path or file.with_name(file.name + ".results.csv")
        try:
            client = None if dry_run else settings.client(max_connections=concurrency)
        except HubSpotError as error:
            exit_for_error(error)
        try:
            try:
                journal = open_journal(
                    journal_path,
                    command=BULK_SEND,
                    params=[("email_id", "--email-id", str(email_id))],
                    run_key=run_key,
                    input_path=file,
                    fmt=fmt,
                    durable=not dry_run,
                )
            except JournalProblem as error:
                fail(ExitCode.INVALID, str(error))
            try:
                with RowProgress(total, quiet) as progress:
                    run = _Run(journal, client, email_id, concurrency, progress)
                    try:
                        run.run(rows)
                    except FileProblem as error:
                        fail(ExitCode.INVALID, str(error))
                    except KeyboardInterrupt:
                        fail(ExitCode.FAILURE, "interrupted: run the same command again to resume")
                if dry_run:
                    _report_dry_run(run, progress)
                else:
                    _write_results(journal, results_path)
                counts = Counter(entry.state for entry in journal.entries())
            finally:
                journal.close()
        finally:
            if client is not None:
                client.close()
    if dry_run:
        bad = counts["invalid"]
        if bad:
            fail(ExitCode.REFUSED, f"dry run: {bad} invalid rows would not be sent")
        return
    summary = ", ".join(f"{name} {counts[name]}" for name in (*OUTCOMES, "sending") if counts[name])
    typer.echo(f"{sum(counts.values())} rows: {summary or 'none'}; results in {results_path}")
    if run.stop_reason is not None:
        fail(ExitCode.FAILURE, f"stopped: {run.stop_reason}")
    if counts["unknown"] or counts["sending"]:
        fail(
            ExitCode.FAILURE,
            f"{counts['unknown'] + counts['sending']} rows may or may not have been sent: run the same "
            "command again; it resends them with the same sendIds, which HubSpot sends at most once",
        )
    if counts["refused"] or counts["invalid"]:
        fail(
            ExitCode.REFUSED,
            f"{counts['refused']} rows refused and {counts['invalid']} invalid: see {results_path}",
        )


def _report_dry_run(run: _Run, progress: RowProgress) -> None:
    for problem in run.dry_problems:
        typer.echo(problem)
    typer.echo(
        f"dry run: {progress.counts['checked']} rows would be sent, "
        f"{progress.counts['duplicate']} duplicate, "
        f"{progress.counts['invalid']} invalid; nothing was sent"
    )
