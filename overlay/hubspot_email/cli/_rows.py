"""Reading a rows file (CSV or JSONL) one row at a time: the file is never loaded whole.

`read_records` is the format: each row's (column, value) pairs, or the problem that kept it from being
read (too long, malformed, not a JSON object); its one required column is the command's (`to`,
`timestamp`, `email`). `read_rows` is bulk-send's reading of them (a recipient and its properties).

A row is numbered from 1 (the first data row; a CSV header and blank lines are not counted). A row
that cannot be used (a bad address, bytes that are not UTF-8, too long, malformed) comes back with a
`problem` naming the row's column; the rows after it are read on. A file that cannot be read at all (no
required column, empty, not found) raises `FileProblem` before the first row is handed out.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hubspot_email._validation import InvalidInputError, check_recipient, check_text

TO_COLUMN = "to"
CONTACT_PREFIX = "contact."
MAX_ROW_BYTES = 64 * 1024
FORMATS = ("csv", "jsonl")
_BOM = b"\xef\xbb\xbf"
_PLACEHOLDER = "-\n"  # stands for a line too long to read: one field, so csv makes it one record


class FileProblem(Exception):
    """The file as a whole cannot be used; nothing was sent."""


@dataclass
class Record:
    """One row as read: its (column, value) pairs (values may hold lone surrogates where the bytes
    were not UTF-8: see `utf8_problem`), or the problem that kept it from being read."""

    number: int
    columns: list[tuple[str, str]]
    problem: str | None = None


@dataclass
class Row:
    number: int
    to: str | None
    contact: dict[str, str] = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def detect_format(path: Path, given: str | None) -> str:
    if given is not None:
        return given
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise FileProblem(
        f"{path}: cannot tell the format from the extension {suffix!r}; pass --format csv|jsonl"
    )


def count_lines(path: Path) -> int:
    """Lines in the file (a cheap, streamed estimate of the rows, for the progress bar)."""
    count, last = 0, b"\n"
    with path.open("rb") as binary:
        while chunk := binary.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


class _Lines:
    """The file's lines as text; a line's bytes that are not UTF-8 become lone surrogates
    (surrogateescape, found later column by column); a line too long is skipped to its end and flagged."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary
        self.too_long = False
        self._first = True

    def __iter__(self) -> Iterator[str]:
        while raw := self._binary.readline(MAX_ROW_BYTES + 1):
            if self._first:
                raw, self._first = raw.removeprefix(_BOM), False
            if len(raw) > MAX_ROW_BYTES and not raw.endswith(b"\n"):
                while (rest := self._binary.readline(MAX_ROW_BYTES)) and not rest.endswith(b"\n"):
                    pass
                self.too_long = True
                yield _PLACEHOLDER
                continue
            yield raw.decode("utf-8", "surrogateescape")


def _not_utf8(value: str) -> bool:
    return any("\udc80" <= character <= "\udcff" for character in value)


def utf8_problem(columns: list[tuple[str, str]]) -> str | None:
    """The first column whose name or value was not UTF-8 in the file, as a row problem."""
    for column, value in columns:
        if _not_utf8(column) or _not_utf8(value):
            return f"column {column!r}: bytes that are not UTF-8"
    return None


def _check_row(row: Row, columns: list[tuple[str, str]]) -> Row:
    """Fill the row from (column, value) pairs; the first problem found names its column."""
    for column, value in columns:
        if _not_utf8(column) or _not_utf8(value):
            if column == TO_COLUMN:  # shown with U+FFFD where the bytes were not UTF-8
                row.to = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace").strip()
            row.problem = f"column {column!r}: bytes that are not UTF-8"
            return row
        if column == TO_COLUMN:
            row.to = value.strip()
        elif value == "":
            continue  # an empty cell sends no property
        elif column.startswith(CONTACT_PREFIX) and column != CONTACT_PREFIX:
            row.contact[column.removeprefix(CONTACT_PREFIX)] = value
        else:
            row.custom[column] = value
    try:
        if not row.to:
            raise InvalidInputError(TO_COLUMN, "no recipient", "Fill in the to column.")
        check_recipient(TO_COLUMN, row.to)
        for column, value in columns:
            check_text(column, value)
    except InvalidInputError as error:
        row.problem = f"column {error.field!r}: " + str(error).removeprefix(f"{error.field}: ")
    return row


def read_rows(path: Path, fmt: str) -> Iterator[Row]:
    """bulk-send's rows; raises FileProblem now (not on first iteration) when the file cannot be used."""
    records = read_records(path, fmt, required=TO_COLUMN)
    return (
        Row(record.number, None, problem=record.problem)
        if record.problem is not None
        else _check_row(Row(record.number, None), record.columns)
        for record in records
    )


def read_records(path: Path, fmt: str, *, required: str) -> Iterator[Record]:
    """The rows as read; raises FileProblem now (not on first iteration) when the file cannot be used.
    `required`: a CSV header must name it (in any case; it is handed out lower-cased); a JSONL row
    without it is a problem row."""
    try:
        binary = path.open("rb")
    except OSError as error:
        raise FileProblem(f"{path}: cannot open ({error.strerror})") from None
    try:
        if fmt == "csv":
            return _csv_rows(path, binary, required)
        return _jsonl_rows(path, binary, required)
    except BaseException:
        binary.close()
        raise


def _csv_rows(path: Path, binary: IO[bytes], required: str) -> Iterator[Record]:
    lines = _Lines(binary)
    reader = csv.reader(iter(lines), strict=False)
    csv.field_size_limit(MAX_ROW_BYTES)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise FileProblem(f"{path}: the header row is not CSV ({error})") from None
    while header == []:
        header = next(reader, None)
    if header is None:
        raise FileProblem(f"{path}: the file is empty (no header row, no rows)")
    names = [name.strip() for name in header]
    if lines.too_long or any(_not_utf8(name) for name in names):
        raise FileProblem(f"{path}: the header row is too long or not UTF-8")
    if required not in [name.lower() for name in names]:
        raise FileProblem(f"{path}: no {required!r} column in the header row (columns: {', '.join(names)})")
    names = [required if name.lower() == required else name for name in names]
    return _csv_body(binary, lines, reader, names)


def _csv_body(binary: IO[bytes], lines: _Lines, reader: Any, names: list[str]) -> Iterator[Record]:
    number = 0
    with binary:
        while True:
            lines.too_long = False
            try:
                record = next(reader, None)
                problem = None
            except csv.Error as error:
                record, problem = [], f"malformed CSV ({error})"
            if record is None:
                return
            if record == [] and problem is None and not lines.too_long:
                continue  # a blank line
            number += 1
            if lines.too_long:
                yield Record(number, [], problem=f"the row is longer than {MAX_ROW_BYTES} bytes")
            elif problem is not None:
                yield Record(number, [], problem=problem)
            elif len(record) > len(names):
                yield Record(number, [], problem=f"{len(record)} fields, the header names {len(names)}")
            else:
                yield Record(number, list(zip(names, record, strict=False)))


def _jsonl_rows(path: Path, binary: IO[bytes], required: str) -> Iterator[Record]:
    if path.stat().st_size == 0:
        raise FileProblem(f"{path}: the file is empty (no rows)")
    return _jsonl_body(binary, required)


def _jsonl_body(binary: IO[bytes], required: str) -> Iterator[Record]:
    lines = _Lines(binary)
    number = 0
    with binary:
        for line in lines:
            if lines.too_long:
                lines.too_long = False
                number += 1
                yield Record(number, [], problem=f"the row is longer than {MAX_ROW_BYTES} bytes")
                continue
            if not line.strip():
                continue
            number += 1
            if _not_utf8(line):
                yield Record(number, [], problem="bytes that are not UTF-8")
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                yield Record(number, [], problem=f"not JSON ({error})")
                continue
            if not isinstance(record, dict):
                yield Record(number, [], problem=f"expected a JSON object, got {type(record).__name__}")
                continue
            if required not in record:
                yield Record(number, [], problem=f"column {required!r}: no {required!r} field")
                continue
            columns: list[tuple[str, str]] = []
            problem = None
            for key, value in record.items():
                if value is None:
                    continue
                if isinstance(value, bool) or not isinstance(value, str | int | float):
                    problem = f"column {key!r}: expected a string or a number, got {type(value).__name__}"
                    break
                columns.append((key, str(value)))
            yield Record(number, [] if problem else columns, problem=problem)
