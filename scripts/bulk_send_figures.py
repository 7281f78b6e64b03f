"""The figures of `hubspot-email bulk-send`: a benchmark, never a test.

    python scripts/bulk_send_figures.py [--rows N] [--concurrency C] [--resume-rows M] [--out PATH]

Against the simulator on loopback (`hubspot-email simulator --port 0`, unlimited: single sends have
no rate limit there, as at HubSpot), with generated files of distinct recipients:

1. rows per second and peak RSS of one `bulk-send` of `--rows` rows (default 1,000,000) at
   `--concurrency` (default 32). The RSS of the bulk-send process is sampled every second together
   with the rows its journal has settled, so the report shows whether memory stays flat as rows grow;
   the peak is the kernel's high-water mark (VmHWM) read just before the process exits.
2. the time to resume a killed run: a `bulk-send` of `--resume-rows` rows (default 100,000) is
   SIGKILLed once half its rows are settled, then the same command is run again; the report gives
   the resumed run's wall time and the rows it still had to send.

Each run is checked: every row in the results file, all `sent` (or `already_sent` after the kill).
Linux only (/proc). The report is printed and, with --out, written as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CLI = [sys.executable, "-m", "hubspot_email.cli"]
TOKEN = "figures-token"  # noqa: S105 (the simulator accepts any token; never printed)
EMAIL_ID = "1001"
SAMPLE_SECONDS = 1.0
START_TIMEOUT = 30.0
MiB = 1024 * 1024


def write_recipients(path: Path, rows: int) -> Path:
    """A CSV of `rows` distinct recipients with two custom-property columns, streamed to disk."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["to", "first_name", "order"])
        for index in range(rows):
            writer.writerow([f"reader{index}@example.com", f"Reader {index}", f"A-{index:08d}"])
    return path


@contextlib.contextmanager
def simulator() -> Iterator[str]:
    """The simulator on a free loopback port; its per-request log is read and dropped."""
    process = subprocess.Popen(
        [*CLI, "simulator", "--port", "0", "--email-id", EMAIL_ID, "--max-records", "1000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    stdout = process.stdout
    try:
        url = None
        deadline = time.monotonic() + START_TIMEOUT
        while url is None and time.monotonic() < deadline:
            line = stdout.readline()
            if not line:
                raise RuntimeError(f"the simulator exited ({process.wait()}) before printing its URL")
            url = next((word.rstrip(".,;") for word in line.split() if word.startswith("http://")), None)
        if url is None:
            raise RuntimeError("the simulator printed no URL")
        drain = threading.Thread(target=lambda: [None for _ in stdout], daemon=True)
        drain.start()
        yield url
    finally:
        process.kill()
        process.wait(timeout=10)
        stdout.close()


def _status_kib(pid: int, field: str) -> int | None:
    """VmRSS or VmHWM of a live process, in KiB (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def settled_rows(journal: Path) -> int:
    if not journal.exists():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=1.0)) as db:
            return int(db.execute("SELECT count(*) FROM rows WHERE state != 'sending'").fetchone()[0])
    except sqlite3.Error:
        return 0


def bulk_send_command(base_url: str, source: Path, concurrency: int) -> list[str]:
    return [
        *CLI,
        "--base-url",
        base_url,
        "bulk-send",
        str(source),
        "--email-id",
        EMAIL_ID,
        "--concurrency",
        str(concurrency),
        "--quiet",
    ]


def run_sampled(
    command: list[str], journal: Path, *, kill_at: int | None = None, journal_every: int = 10
) -> dict[str, Any]:
    """Run one bulk-send; sample RSS each second (and the journal every `journal_every` samples);
    SIGKILL it once `kill_at` rows are settled. Returns wall time, exit code, peak RSS and samples."""
    env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": TOKEN}
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int, int]] = []  # (seconds, settled rows, RSS KiB)
    peak_kib = 0
    tick = 0
    killed = False
    while process.poll() is None:
        time.sleep(SAMPLE_SECONDS)
        tick += 1
        rss = _status_kib(process.pid, "VmRSS")
        peak_kib = max(peak_kib, _status_kib(process.pid, "VmHWM") or 0)
        if rss is None:
            break
        if kill_at is not None or tick % journal_every == 0:
            settled = settled_rows(journal)
            samples.append((round(time.monotonic() - started, 1), settled, rss))
            if kill_at is not None and settled >= kill_at and process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed = True
    _, stderr = process.communicate(timeout=60)
    return {
        "seconds": round(time.monotonic() - started, 2),
        "exit_code": process.returncode,
        "killed": killed,
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "samples": samples,
        "stderr_tail": stderr[-500:],
    }


def outcomes(results: Path) -> Counter[str]:
    with results.open(encoding="utf-8", newline="") as file:
        return Counter(row["outcome"] for row in csv.DictReader(file))


def throughput_and_memory(base_url: str, folder: Path, rows: int, concurrency: int) -> dict[str, Any]:
    source = write_recipients(folder / f"recipients-{rows}.csv", rows)
    journal = source.with_name(source.name + ".journal.sqlite")
    run = run_sampled(bulk_send_command(base_url, source, concurrency), journal)
    counted = outcomes(source.with_name(source.name + ".results.csv"))
    if run["exit_code"] != 0 or counted != Counter({"sent": rows}):
        raise SystemExit(f"the bulk-send did not send every row once: {run} {counted}")
    return {
        "rows": rows,
        "concurrency": concurrency,
        "seconds": run["seconds"],
        "rows_per_second": round(rows / run["seconds"], 1),
        "peak_rss_mib": run["peak_rss_mib"],
        # (seconds, settled rows, RSS MiB): flat memory means the last column stops growing.
        "rss_by_rows": [(at, settled, round(kib / 1024, 1)) for at, settled, kib in run["samples"]],
    }


def resume_time(base_url: str, folder: Path, rows: int, concurrency: int) -> dict[str, Any]:
    source = write_recipients(folder / f"resume-{rows}.csv", rows)
    journal = source.with_name(source.name + ".journal.sqlite")
    command = bulk_send_command(base_url, source, concurrency)
    first = run_sampled(command, journal, kill_at=rows // 2)
    if not first["killed"]:
        raise SystemExit(f"the first run ended before it could be killed: {first}")
    settled_at_kill = settled_rows(journal)
    resumed = run_sampled(command, journal)
    counted = outcomes(source.with_name(source.name + ".results.csv"))
    if resumed["exit_code"] != 0 or sum(counted.values()) != rows or set(counted) - {"sent", "already_sent"}:
        raise SystemExit(f"the resumed run did not end with every row sent once: {resumed} {counted}")
    return {
        "rows": rows,
        "killed_after_rows_settled": settled_at_kill,
        "resumed_run_seconds": resumed["seconds"],
        "rows_left_for_the_resumed_run": rows - settled_at_kill,
        "outcomes": dict(counted),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--resume-rows", type=int, default=100_000, help="0 skips the resume figure")
    parser.add_argument("--out", type=Path, help="also write the report here, as JSON")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="bulk-send-figures-") as scratch, simulator() as base_url:
        folder = Path(scratch)
        if args.rows:
            report["throughput_and_memory"] = throughput_and_memory(
                base_url, folder, args.rows, args.concurrency
            )
            print(json.dumps(report["throughput_and_memory"]), flush=True)
        if args.resume_rows:
            report["resume"] = resume_time(base_url, folder, args.resume_rows, args.concurrency)
            print(json.dumps(report["resume"]), flush=True)
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
