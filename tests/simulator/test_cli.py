"""`python -m hubspot_email.testing` driven from outside Python: flags, per-request lines, the record.

Each server is a child process on a port it picks (0) and prints; every read from it has a timeout,
and it is stopped in a `finally`.
"""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import httpx
import pytest
from hubspot_email.testing import SIMULATOR_TOKEN, Simulator
from hubspot_email.testing.__main__ import DEFAULT_MAX_RECORDS, build_simulator, parse_args

V4 = "/marketing/v4/email/single-send"
TOKEN = "pat-na1-cli-SECRET-77"
READ_TIMEOUT = 20.0
COMMAND = [sys.executable, "-m", "hubspot_email.testing"]


@dataclass
class Server:
    process: subprocess.Popen[str]
    lines: queue.Queue[str]
    base_url: str

    def next_line(self) -> str:
        try:
            return self.lines.get(timeout=READ_TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no line from the simulator within {READ_TIMEOUT} s") from None


def _pump(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line.rstrip("\n"))


@contextmanager
def cli(*flags: str) -> Iterator[Server]:
    process = subprocess.Popen(
        [*COMMAND, "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
        try:
            banner = lines.get(timeout=READ_TIMEOUT)
        except queue.Empty:
            raise AssertionError("the simulator printed no banner") from None
        found = re.search(r"http://127\.0\.0\.1:(\d+)", banner)
        assert found, banner
        assert int(found.group(1)) > 0
        yield Server(process, lines, found.group(0))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def post_v4(
    http: httpx.Client, to: str, send_id: str | None = None, token: str | None = TOKEN
) -> httpx.Response:
    message = {"to": to, **({"sendId": send_id} if send_id else {})}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return http.post(V4, json={"emailId": 1, "message": message}, headers=headers)


LINE = re.compile(
    r"^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}|-)(?: fault=(?P<fault>\w+))? \d+\.\dms$"
)


def test_the_cli_logs_each_request_and_keeps_an_exactly_once_record() -> None:
    with (
        cli(f"--token={TOKEN}:transactional-email", "--bounced", "gone@example.com") as server,
        httpx.Client(base_url=server.base_url, timeout=READ_TIMEOUT) as http,
    ):
        assert post_v4(http, "ada@example.com", "order-1").json()["sendResult"] == "SENT"
        assert post_v4(http, "ada@example.com", "order-1").json()["sendResult"] == "IDEMPOTENT_IGNORE"
        assert post_v4(http, "gone@example.com").json()["sendResult"] == "PREVIOUSLY_BOUNCED"
        assert post_v4(http, "ada@example.com", token="someone-else").status_code == 401
        record = http.get("/_simulator/record?who=" + TOKEN)
        lines = [server.next_line() for _ in range(5)]

        assert [delivery["send_id"] for delivery in record.json()["deliveries"]] == ["order-1"]
        assert record.json()["exchanges"] == [
            {"operation": "sendSingleEmail", "status": 200, "fault": None, "count": 3},
            {"operation": "sendSingleEmail", "status": 401, "fault": None, "count": 1},
        ]
        assert record.json()["max_records"] == DEFAULT_MAX_RECORDS
        parsed = [LINE.match(line) for line in lines]
        assert all(parsed), lines
        assert [(match["method"], match["path"], match["status"]) for match in parsed if match] == [
            ("POST", V4, "200"),
            ("POST", V4, "200"),
            ("POST", V4, "200"),
            ("POST", V4, "401"),
            ("GET", "/_simulator/record", "200"),
        ]
        assert not any("SECRET" in line or "Bearer" in line for line in lines)

        reset = http.post("/_simulator/reset")
        assert (reset.status_code, reset.json()) == (200, {"status": "reset"})
        assert server.next_line().startswith("POST /_simulator/reset 200 ")
        assert http.get("/_simulator/record").json()["deliveries"] == []
        assert post_v4(http, "ada@example.com", "order-1").json()["sendResult"] == "SENT"


@pytest.mark.parametrize(
    ("flag", "fault", "statuses"),
    [
        ("--server-error-rate", "server_error", {500, 502, 503, 504}),
        ("--rate-limited-rate", "rate_limited", {429}),
    ],
)
def test_the_cli_names_the_injected_fault_on_its_line(flag: str, fault: str, statuses: set[int]) -> None:
    with (
        cli(flag, "1", "--seed", "4") as server,
        httpx.Client(base_url=server.base_url, timeout=READ_TIMEOUT) as http,
    ):
        answer = post_v4(http, "ada@example.com")
        line = server.next_line()
        record = http.get("/_simulator/record").json()
    assert answer.status_code in statuses
    match = LINE.match(line)
    assert match, line
    assert (match["status"], match["fault"]) == (str(answer.status_code), fault)
    assert record["exchanges"] == [
        {"operation": "sendSingleEmail", "status": answer.status_code, "fault": fault, "count": 1}
    ]
    assert record["deliveries"] == []


def run_cli(*flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *flags], capture_output=True, text=True, timeout=60, check=False)


def test_a_busy_port_is_one_line_and_exit_status_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = run_cli("--port", str(port))
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"python -m hubspot_email.testing: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
    assert run.stdout == ""


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--rate-limit", "lots"], "argument --rate-limit: expected REQUESTS/SECONDS"),
        (["--port", "70000"], "expected a port from 0 to 65535"),
        (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--server-error-rate", "0.7", "--reset-rate", "0.7"], "together they must not exceed 1"),
        (["--host", "0.0.0.0"], "not a loopback address: pass --allow-non-loopback"),  # noqa: S104
        (["--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["--send-completion-delay", "-1"], "argument --send-completion-delay: expected seconds >= 0"),
        (["--send-completion-delay", "inf"], "send_completion_delay: a finite number of seconds"),
    ],
)
def test_a_bad_flag_is_one_line_and_exit_status_2(flags: list[str], says: str) -> None:
    run = run_cli(*flags)
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert says in run.stderr
    assert "Traceback" not in run.stderr


def test_every_flag_reaches_the_simulator() -> None:
    sim = build_simulator(
        parse_args(
            [
                "--token", "a:transactional-email,marketing-email",
                "--token", "b",
                "--email-id", "1", "--email-id", "2",
                "--event", "e1",
                "--record-id", "101",
                "--unsubscribed", "Left@example.com",
                "--blocked", "@blocked.example",
                "--batch-status", "200",
                "--rate-limit", "5/0.5",
                "--daily", "7",
                "--timezone", "America/New_York",
                "--slow-rate", "0.5",
                "--slow-seconds", "0.05",
                "--hang-seconds", "3",
                "--max-records", "9",
                "--send-completion-delay", "2.5",
            ]
        )
    )  # fmt: skip
    options = sim._options
    assert options.tokens is not None
    assert options.tokens["a"] == {"transactional-email", "marketing-email"}
    assert len(options.tokens["b"]) == 4
    assert (sim.email_ids, sim.events, sim.record_ids) == (
        frozenset({1, 2}),
        frozenset({"e1"}),
        frozenset({"101"}),
    )
    assert (sim.unsubscribed, sim.blocked, sim.batch_status) == (
        frozenset({"left@example.com"}),
        frozenset({"blocked.example"}),
        200,
    )
    assert (sim.rate_limit.max_requests, sim.rate_limit.interval, sim.rate_limit.daily) == (5, 0.5, 7)
    assert sim.timezone == ZoneInfo("America/New_York")
    assert (sim.faults.slow_rate, sim.faults.slow_seconds, sim.faults.hang_seconds) == (0.5, 0.05, 3.0)
    assert sim.record()["max_records"] == 9
    assert sim.send_completion_delay == 2.5


def test_without_flags_the_simulator_is_as_permissive_as_the_python_default() -> None:
    sim = build_simulator(parse_args([]))
    assert sim._options.tokens is None
    assert (sim.email_ids, sim.events, sim.record_ids) == (None, None, None)
    assert sim.timezone == ZoneInfo("UTC")
    assert sim.record()["max_records"] == DEFAULT_MAX_RECORDS
    assert sim.send_completion_delay == 0  # a v4 send completes at once


# The same endpoints in process.
def test_record_and_reset_through_the_in_process_transport() -> None:
    sim = Simulator()
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        http.post(
            V4,
            json={"emailId": 1, "message": {"to": "ada@example.com", "sendId": "s"}},
            headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"},
        )
        record = http.get("/_simulator/record").json()
        wrong = http.get("/_simulator/reset")
        assert http.post("/_simulator/reset").status_code == 200
        after = http.get("/_simulator/record").json()
    assert [delivery["send_id"] for delivery in record["deliveries"]] == ["s"]
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "POST")
    assert after["deliveries"] == []
    # The control endpoints are not themselves recorded.
    assert after["exchanges"] == []
    assert sim.exchanges == []
