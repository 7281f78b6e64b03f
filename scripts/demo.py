"""The main job, end to end, through the `hubspot-email` command line against the loopback simulator.

    nox -s demo        (or: python scripts/demo.py [ROWS])

Starts `hubspot-email simulator --port 0` as a subprocess (no HubSpot account needed), then runs the
command line against it, each command a subprocess with HUBSPOT_ACCESS_TOKEN in its environment and
`--base-url` pointing at the simulator, printing the command (never the token), its output and its
exit code:

- `send` (exit 0), the same `send` again (already sent, exit 0), a `send` to a bounced address (exit 1);
- `bulk-send` of a generated CSV of 10,000 recipients at `--concurrency 32` (its progress bar on
  stderr), then the same `bulk-send` again, which resumes from its journal and sends nothing;
- `log-emails` of a generated 250-row CSV, and `attendance` of 20 attendees.

It ends by fetching the simulator's record (`GET /_simulator/record`) and checking exactly-once: every
recipient of the bulk file delivered exactly once, 250 email engagements, 20 attendance records. It
exits 1 on any difference. The whole demo, 10,000 bulk rows included, took 26 s on a 2-core machine
(well under 90 s); `main(out, rows=N)` or `python scripts/demo.py N` uses another count.
"""

from __future__ import annotations

import csv
import json
import os
import queue
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

TOKEN = "demo-token"  # noqa: S105 (the simulator accepts any token; never printed)
EMAIL_ID = "1001"
EVENT_ID = "58237132332"
RECORD_ID = "501"
BOUNCED = "gone@example.com"
BULK_ROWS = 10_000
LOGGED_EMAILS = 250
ATTENDEES = 20
CLI = [sys.executable, "-m", "hubspot_email.cli"]
START_TIMEOUT = 30.0
COMMAND_TIMEOUT = 300.0


def start_simulator(out: TextIO) -> tuple[subprocess.Popen[str], threading.Thread, str]:
    """Start the simulator on a free port; return it, the thread reading its output, and its URL."""
    command = [
        *CLI,
        "simulator",
        "--port",
        "0",
        "--bounced",
        BOUNCED,
        "--email-id",
        EMAIL_ID,
        "--event",
        EVENT_ID,
        "--record-id",
        RECORD_ID,
    ]
    print(f"$ {display(command)}", file=out)
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def drain() -> None:  # one line per request: read them all so the pipe never fills
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            stop_simulator(process, reader)
            raise RuntimeError(f"the simulator printed no URL within {START_TIMEOUT:.0f} s")
        try:
            line = lines.get(timeout=min(remaining, 0.5))
        except queue.Empty:
            if process.poll() is not None:
                stop_simulator(process, reader)
                raise RuntimeError(
                    f"the simulator exited ({process.returncode}) before printing its URL"
                ) from None
            continue
        print(f"  {line.rstrip()}", file=out)
        for word in line.split():
            if word.startswith("http://"):
                return process, reader, word.rstrip(".,;")


def stop_simulator(process: subprocess.Popen[str], reader: threading.Thread) -> None:
    process.kill()
    process.wait(timeout=10)
    reader.join(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


def display(command: list[str]) -> str:
    """The command as a user would type it (`hubspot-email ...`), for printing."""
    if command[: len(CLI)] == CLI:
        command = ["hubspot-email", *command[len(CLI) :]]
    return shlex.join(command)


def run(out: TextIO, base_url: str, *args: str, stream_stderr: bool = False) -> int:
    """Run one CLI command; print it, its output and its exit code. The token is only in the env."""
    command = [*CLI, "--base-url", base_url, *args]
    print(f"\n$ {display(command)}", file=out, flush=True)
    env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": TOKEN}
    completed = subprocess.run(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if stream_stderr else subprocess.STDOUT,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    for line in completed.stdout.splitlines():
        print(f"  {line}", file=out)
    print(f"  (exit {completed.returncode})", file=out, flush=True)
    return completed.returncode


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def fetch_record(base_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base_url}/_simulator/record", timeout=30) as answer:  # noqa: S310 (loopback)
        record: dict[str, Any] = json.load(answer)
    return record


def problems_with(
    record: dict[str, Any], codes: dict[str, int], recipients: list[str], attendees: int = ATTENDEES
) -> list[str]:
    """What the demo expected and did not see (empty when all went as it should)."""
    expected_codes = {
        "send": 0,
        "send again": 0,
        "send bounced": 1,
        "bulk-send": 0,
        "bulk-send again": 0,
        "log-emails": 0,
        "attendance": 0,
    }
    problems = [
        f"`{step}` exited {expected} (it exited {codes.get(step)})"
        for step, expected in expected_codes.items()
        if codes.get(step) != expected
    ]
    deliveries: list[dict[str, Any]] = record.get("deliveries", [])
    delivered = Counter(str(d.get("to", "")).lower() for d in deliveries)
    missing = [to for to in recipients if delivered[to] == 0]
    twice = sorted(to for to, count in delivered.items() if count > 1)
    if missing:
        problems.append(f"every bulk recipient was delivered ({len(missing)} were not, e.g. {missing[0]})")
    if twice:
        problems.append(f"no one was delivered twice ({len(twice)} were, e.g. {twice[0]})")
    if delivered["ada@example.com"] != 1:
        problems.append("the single send was delivered exactly once")
    if delivered[BOUNCED]:
        problems.append("the bounced address was not delivered")
    expected_deliveries = len(recipients) + 1
    if len(deliveries) != expected_deliveries:
        problems.append(f"exactly {expected_deliveries} deliveries (there were {len(deliveries)})")
    if len(record.get("emails", [])) != LOGGED_EMAILS:
        problems.append(f"exactly {LOGGED_EMAILS} emails logged (there were {len(record.get('emails', []))})")
    if len(record.get("attendance", [])) != attendees:
        problems.append(
            f"exactly {attendees} attendance records (there were {len(record.get('attendance', []))})"
        )
    return problems


def main(out: TextIO = sys.stdout, rows: int = BULK_ROWS) -> int:
    started = time.monotonic()
    print("== The HubSpot simulator on loopback (no HubSpot account involved)", file=out)
    simulator, reader, base_url = start_simulator(out)
    codes: dict[str, int] = {}
    resent = 0
    try:
        with tempfile.TemporaryDirectory(prefix="hubspot-email-demo-") as folder:
            work = Path(folder)
            recipients = [f"customer{index:05d}@example.com" for index in range(rows)]
            bulk = write_csv(
                work / "recipients.csv",
                ["to", "contact.firstname", "order"],
                [[to, f"Customer {index}", f"#{10_000 + index}"] for index, to in enumerate(recipients)],
            )
            logged = write_csv(
                work / "emails.csv",
                ["timestamp", "subject", "status", "contact_ids"],
                [
                    [str(1_795_000_000_000 + index * 60_000), f"Order #{index} confirmed", "SENT", RECORD_ID]
                    for index in range(LOGGED_EMAILS)
                ],
            )
            attendance = write_csv(
                work / "attendees.csv",
                ["email", "at", "contact.firstname"],
                [
                    [f"attendee{index:02d}@example.com", "2026-11-23T09:30:00+00:00", f"Attendee {index}"]
                    for index in range(ATTENDEES)
                ],
            )

            print("\n== One email (v4 single send), the same send again, then a bounced address", file=out)
            single = ["send", "--email-id", EMAIL_ID, "--to", "ada@example.com", "--send-id", "demo-ada"]
            codes["send"] = run(out, base_url, *single)
            codes["send again"] = run(out, base_url, *single)
            codes["send bounced"] = run(
                out, base_url, "send", "--email-id", EMAIL_ID, "--to", BOUNCED, "--send-id", "demo-gone"
            )

            print(f"\n== bulk-send to {rows:,} recipients, then the same command again", file=out)
            bulk_args = ["bulk-send", str(bulk), "--email-id", EMAIL_ID, "--concurrency", "32"]
            codes["bulk-send"] = run(out, base_url, *bulk_args, stream_stderr=True)
            before = len(fetch_record(base_url)["deliveries"])
            codes["bulk-send again"] = run(out, base_url, *bulk_args, stream_stderr=True)
            resent = len(fetch_record(base_url)["deliveries"]) - before
            print(f"  (deliveries during the second run: {resent})", file=out)

            print(f"\n== log-emails: {LOGGED_EMAILS} engagements on the CRM timeline", file=out)
            codes["log-emails"] = run(out, base_url, "log-emails", str(logged))

            print(f"\n== attendance: {ATTENDEES} attendees registered at event {EVENT_ID}", file=out)
            codes["attendance"] = run(out, base_url, "attendance", EVENT_ID, "register", str(attendance))

        record = fetch_record(base_url)
    finally:
        stop_simulator(simulator, reader)

    problems = problems_with(record, codes, recipients)
    if resent:
        problems.append(f"the second bulk-send delivered nothing (it delivered {resent})")
    print("\n== What the simulator recorded", file=out)
    print(
        f"   deliveries: {len(record['deliveries'])} "
        f"({len(recipients)} bulk recipients + 1 single send; the repeated sends not delivered)",
        file=out,
    )
    print(f"   emails logged: {len(record['emails'])}; attendance: {len(record['attendance'])}", file=out)
    print(f"   exit codes: {json.dumps(codes)}", file=out)
    for problem in problems:
        print(f"FAILED: expected that {problem}", file=out)
    if not problems:
        print("\nAll as expected: every recipient delivered exactly once, every row accounted for.", file=out)
    summary = {
        "deliveries": len(record["deliveries"]),
        "emails": len(record["emails"]),
        "attendance": len(record["attendance"]),
        "seconds": round(time.monotonic() - started, 1),
        "problems": len(problems),
    }
    print(json.dumps(summary), file=out, flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(rows=int(sys.argv[1]) if len(sys.argv) > 1 else BULK_ROWS))
