"""hubspot_email.contrib.celery on a real worker pool: `celery worker --pool prefork --concurrency 2` on a
real redis-server (scripts/redis_server.py), against the loopback simulator with faults.

First, with no faults, a worker process is killed (SIGKILL) while its request is held by the simulator
after HubSpot acted: once for a single send, once for a batch chunk. The send is delivered again and
finds it already sent (one delivery); the chunk is delivered again and reports its inputs `unknown`
without sending them twice. Then, under seeded faults (5xx, resets, timeouts after acting, malformed
bodies, injected 429s), single sends and two bulk jobs run with the rate budget shared through Redis:
one delivery per sendId, one outcome per input, no duplicate record, no 429 of the budget itself.

Everything the worker starts is in its own process group, stopped by the fixture's finalizer, and stops
by itself if this process is killed (see _celery_app.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hubspot_email
import hubspot_email_api
import pytest
import redis
from celery import Celery
from hubspot_email.contrib.celery import HubSpotTasks, register_tasks
from hubspot_email.testing import Fault, Faults, RateLimit, Simulator
from hubspot_email.testing._wire import SimAnswer, SimRequest

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts the folders on sys.path
    from tests._scripts import SCRIPTS, load_module
    from tests.reliability._reliability import scaled
else:
    from _reliability import scaled
    from _scripts import SCRIPTS, load_module

HERE = Path(__file__).resolve().parent
TOKEN = "pat-na1-celery-reliability-0123456789"
SENDS = scaled(120, 2000)
ENGAGEMENTS = scaled(400, 5000)
ATTENDEES = scaled(120, 2000)
# Smaller than HubSpot's 100, so that the short run has enough chunk calls to press on the budget.
CHUNK_SIZE = 20
BUDGET = RateLimit(10, 1.0)
FAULTS = Faults(
    seed=14,
    server_error_rate=0.04,
    reset_rate=0.03,
    timeout_after_acting_rate=0.02,
    malformed_rate=0.02,
    rate_limited_rate=0.03,
    hang_seconds=2.0,  # longer than the workers' 1 s client timeout
)
HOLD_SECONDS = 4.0  # a held answer: long enough to find and kill the worker process waiting for it
WAIT = 120.0  # an upper bound on any wait below, never a measure: a hang fails instead of blocking


class HoldingSimulator(Simulator):
    """Holds the answer to the first request carrying a marker, after the simulator acted on it, and says
    so (`arrived`): the test then kills the worker process that is waiting for it."""

    def __init__(self, markers: list[str], **options: Any) -> None:
        super().__init__(**options)
        self.arrived = {marker: threading.Event() for marker in markers}

    def handle(self, request: SimRequest) -> SimAnswer:
        answer = super().handle(request)
        for marker, arrived in self.arrived.items():
            acted = answer.fault is None and 200 <= answer.status < 300
            if acted and not arrived.is_set() and marker.encode() in request.content:
                arrived.set()
                return replace(answer, fault=Fault.SLOW, delay=HOLD_SECONDS)
        return answer


def _worker_env(redis_url: str, base_url: str) -> dict[str, str]:
    paths = [
        str(HERE),
        str(Path(hubspot_email.__file__).parents[1]),
        str(Path(hubspot_email_api.__file__).parents[1]),
    ]
    env = {key: value for key, value in os.environ.items() if not key.startswith("HUBSPOT_")}
    env.update(
        PYTHONPATH=os.pathsep.join([*paths, env.get("PYTHONPATH", "")]),
        HUBSPOT_ACCESS_TOKEN=TOKEN,
        HUBSPOT_BASE_URL=base_url,
        HUBSPOT_EMAIL_TEST_REDIS_URL=redis_url,
        HUBSPOT_EMAIL_TEST_PARENT_PID=str(os.getpid()),
    )
    return env


@contextlib.contextmanager
def celery_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "_celery_app",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        "2",
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "-n",
        f"hubspot-{uuid.uuid4().hex[:8]}@127.0.0.1",
    ]
    with log.open("wb") as output:
        worker = subprocess.Popen(
            command, cwd=HERE, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield worker
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)  # the test is over: nothing of the worker is worth keeping
        worker.wait(timeout=30)


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def _pool_pid_running(app: Celery, marker: str) -> int:
    """The pid of the worker process running the task whose arguments carry `marker`."""
    found: list[int] = []

    def look() -> bool:
        active = app.control.inspect(timeout=1.0).active() or {}
        for running in active.values():
            for task in running:
                if marker in repr(task.get("args")) + repr(task.get("kwargs")):
                    found.append(int(task["worker_pid"]))
                    return True
        return False

    _wait_until(look, f"the task carrying {marker!r} to show as active")
    return found[0]


def _values_in(connection: redis.Redis) -> Iterator[bytes]:
    """Every value Redis holds (task messages, results, markers), as bytes."""
    values: list[Any] = []
    connection_: Any = connection  # redis-py types a sync client's answers as "Awaitable or not"
    for key in connection_.scan_iter(count=1000):
        kind = connection_.type(key)
        if kind == b"string":
            values.append(connection_.get(key) or b"")
        elif kind == b"list":
            values += connection_.lrange(key, 0, -1)
        elif kind == b"hash":
            values += connection_.hgetall(key).values()
        elif kind == b"set":
            values += connection_.smembers(key)
        elif kind == b"zset":
            values += connection_.zrange(key, 0, -1)
    for value in values:
        yield value if isinstance(value, bytes) else str(value).encode()


@pytest.fixture
def redis_url() -> Iterator[str]:
    redis_server = load_module("celery_redis_server", SCRIPTS / "redis_server.py")
    install = bool(os.environ.get("CI")) or os.environ.get("HUBSPOT_EMAIL_INSTALL_REDIS") == "1"
    try:
        with redis_server.RedisServer(install=install) as server:
            yield server.url
    except redis_server.RedisUnavailableError as error:
        pytest.fail(f"a real redis-server is required for this test and could not be started: {error}")


def _kill_mid_send(app: Celery, tasks: HubSpotTasks, sim: HoldingSimulator) -> dict[str, Any]:
    sent = tasks.send_email.apply_async(kwargs={"email_id": 1, "to": "held@example.com"})
    assert sim.arrived["held@example.com"].wait(WAIT)
    os.kill(_pool_pid_running(app, "held@example.com"), signal.SIGKILL)
    result = sent.get(timeout=WAIT)
    assert isinstance(result, dict)
    return result


def _kill_mid_chunk(app: Celery, tasks: HubSpotTasks, sim: HoldingSimulator) -> list[dict[str, Any]]:
    inputs = [{"timestamp": "2026-03-01T10:00:00Z", "subject": f"held-chunk {n}"} for n in range(5)]
    job = tasks.create_emails(inputs, chunk_size=CHUNK_SIZE)
    assert sim.arrived["held-chunk"].wait(WAIT)
    os.kill(_pool_pid_running(app, "held-chunk"), signal.SIGKILL)
    return job.collect(timeout=WAIT)


def test_a_worker_pool_sends_exactly_once_under_faults_and_a_killed_worker(
    redis_url: str, tmp_path: Path, record_figures: Callable[[str, dict[str, object]], None]
) -> None:
    started = time.monotonic()
    figures: dict[str, object] = {}
    sim = HoldingSimulator(["held@example.com", "held-chunk"], rate_limit=BUDGET, seed=14)
    app = Celery("hubspot_email_reliability_caller", broker=redis_url, backend=redis_url)
    app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    tasks = register_tasks(app)  # the caller's side: it queues and collects, and builds no client
    log = tmp_path / "worker.log"
    chunk_tasks = 0
    send_results: list[Any] = []
    email_outcomes: list[dict[str, Any]] = []
    attendance_outcomes: list[dict[str, Any]] = []
    try:
        with sim.serve() as base_url, celery_worker(_worker_env(redis_url, base_url), log):
            _wait_until(lambda: bool(app.control.ping(timeout=0.5)), "the worker to answer a ping")

            # A worker process killed while HubSpot's answer to its request was on the way.
            held_send = _kill_mid_send(app, tasks, sim)
            held_chunk = _kill_mid_chunk(app, tasks, sim)
            held_deliveries = len(sim.deliveries_to("held@example.com"))
            figures["kill mid-send"] = f"{held_send['state']}, delivered {held_deliveries}x"
            figures["kill mid-chunk"] = dict(Counter(o["state"] for o in held_chunk))

            # Under faults, the budget shared through Redis.
            sim.faults = FAULTS
            invalid = tasks.send_email.apply_async(kwargs={"email_id": 1, "to": "not-an-address"})
            sends = [
                tasks.send_email.apply_async(
                    kwargs={"email_id": 7, "to": f"r{n}@example.com", "custom_properties": {"n": str(n)}}
                )
                for n in range(SENDS)
            ]
            emails = tasks.create_emails(
                [
                    {"timestamp": 1_772_000_000_000 + n, "subject": f"S{n}", "contact_ids": [str(500 + n)]}
                    for n in range(ENGAGEMENTS)
                ],
                chunk_size=CHUNK_SIZE,
            )
            attendance = tasks.record_attendance(
                "58237132332",
                "attend",
                [{"email": f"a{n}@example.com", "at": "2026-03-01T10:00:00Z"} for n in range(ATTENDEES)],
                chunk_size=CHUNK_SIZE,
            )
            chunk_tasks = len(emails.spans) + len(attendance.spans)
            send_results = [sent.get(timeout=WAIT, propagate=False) for sent in sends]
            send_states = [sent.state for sent in sends]
            email_outcomes = emails.collect(timeout=WAIT)
            attendance_outcomes = attendance.collect(timeout=WAIT)
            invalid.get(timeout=WAIT, propagate=False)
            connection = redis.Redis.from_url(redis_url)
            try:
                token_seen = any(TOKEN.encode() in value for value in _values_in(connection))
            finally:
                connection.close()
        figures["time s"] = round(time.monotonic() - started, 1)
    finally:
        exchanges = sim.exchanges
        faults = Counter(exchange.fault for exchange in exchanges if exchange.fault is not None)
        budget_429s = sum(1 for e in exchanges if e.status == 429 and e.fault is None)
        delivered = Counter(d.send_id for d in sim.deliveries)
        by_trace = Counter(e.object_write_trace_id for e in sim.emails)
        attended = Counter(a.email for a in sim.attendance)
        duplicates = sum(n - 1 for counts in (delivered, by_trace, attended) for n in counts.values())
        finished = [r for r in send_results if isinstance(r, dict)]
        unaccounted = (SENDS - len(finished)) + (ENGAGEMENTS - len(email_outcomes))
        unaccounted += ATTENDEES - len(attendance_outcomes)
        states = Counter(o["state"] for o in email_outcomes + attendance_outcomes)
        record_figures(
            "celery worker pool (prefork x2, Redis broker and budget)",
            {
                "tasks": SENDS + chunk_tasks + 3,
                "sends": SENDS,
                "batch inputs": f"{ENGAGEMENTS + ATTENDEES} in {chunk_tasks} chunk tasks ({dict(states)})",
                "faults injected": dict(faults),
                "duplicates": duplicates,
                "unaccounted": unaccounted,
                "429s of the budget": budget_429s,
                **figures,
            },
        )
        if log.exists():
            print(log.read_text(errors="replace")[-4000:])  # shown when the test fails

    # The killed send went again under the same sendId: one delivery, reported as already sent.
    assert len(sim.deliveries_to("held@example.com")) == 1
    assert held_send["state"] == "already_sent"
    # The killed chunk was not sent again: its inputs are unknown, and each record exists once.
    assert [o["state"] for o in held_chunk] == ["unknown"] * 5
    held_records = [e for e in sim.emails if str(e.properties.get("hs_email_subject", "")).startswith("held")]
    assert len(held_records) == 5
    assert {o["trace_id"] for o in held_chunk} == {e.object_write_trace_id for e in held_records}

    # An invalid input fails at once, naming its field, and never reaches the simulator.
    assert invalid.state == "FAILURE"
    assert type(invalid.result).__name__ == "InvalidTaskInputError"
    assert str(invalid.result).startswith("to:")
    assert sim.deliveries_to("not-an-address") == []

    # Single sends: every task ended sent or already sent, one delivery per recipient and sendId.
    assert send_states == ["SUCCESS"] * SENDS, Counter(send_states)
    assert {r["state"] for r in send_results} <= {"sent", "already_sent"}
    assert max(delivered.values()) == 1
    assert {r["send_id"] for r in send_results} <= set(delivered)
    assert len({r["send_id"] for r in send_results}) == SENDS

    # Bulk jobs: one outcome per input, in order; created ones exist once; failed ones not at all.
    for outcomes, total in ((email_outcomes, ENGAGEMENTS), (attendance_outcomes, ATTENDEES)):
        assert [o["index"] for o in outcomes] == list(range(total))
        assert {o["state"] for o in outcomes} <= {"created", "failed", "unknown"}
    assert max(by_trace.values()) == 1  # no engagement created twice
    for outcome in email_outcomes:
        if outcome["state"] == "created":
            assert by_trace[outcome["trace_id"]] == 1
        if outcome["state"] == "failed":
            assert by_trace[outcome["trace_id"]] == 0
    assert max(attended.values()) == 1
    for outcome in attendance_outcomes:
        if outcome["state"] == "failed":
            assert attended[f"a{outcome['index']}@example.com"] == 0

    # The budget was shared: HubSpot's own window never refused a request (injected 429s aside).
    assert budget_429s == 0
    # The token travelled in no task message and no result.
    assert not token_seen
    assert duplicates == 0
    assert unaccounted == 0
    assert sum(faults.values()) > 0  # the faults were there to survive
