"""The tasks run in process (`Task.apply`, as a worker runs them) against the simulator, with their
budget and markers in a real Redis: keys, refusals, redeliveries. The worker pool is in
tests/reliability/test_celery.py."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import redis
from celery import Celery
from hubspot_email import Client, RateLimiter
from hubspot_email.contrib.celery import HubSpotTasks, InvalidTaskInputError, register_tasks
from hubspot_email.contrib.celery._tasks import MARKER_PREFIX
from hubspot_email.testing import SIMULATOR_BASE_URL, SIMULATOR_TOKEN, Simulator

ROOT = Path(__file__).resolve().parents[2]


def _tasks(redis_url: str, transport: httpx.BaseTransport, **options: Any) -> HubSpotTasks:
    app = Celery(f"test-{uuid.uuid4().hex[:8]}", broker="memory://", backend="cache+memory://")

    def client(limiter: RateLimiter) -> Client:
        return Client(
            SIMULATOR_TOKEN,
            base_url=SIMULATOR_BASE_URL,
            transport=transport,
            rate_limiter=limiter,
            max_retries=0,
        )

    return register_tasks(app, redis_url=redis_url, client_factory=client, retry_base_delay=0.01, **options)


def test_the_same_key_sends_once_and_the_second_finds_it_sent(redis_url: str) -> None:
    sim = Simulator()
    tasks = _tasks(redis_url, sim.transport)
    first = tasks.send_email.apply(kwargs={"email_id": 1, "to": "ada@example.com", "idempotency_key": "k-1"})
    again = tasks.send_email.apply(kwargs={"email_id": 1, "to": "ada@example.com", "idempotency_key": "k-1"})
    redelivered = tasks.send_email.apply(kwargs={"email_id": 1, "to": "bob@example.com"}, task_id="t-1")
    redelivered_again = tasks.send_email.apply(kwargs={"email_id": 1, "to": "bob@example.com"}, task_id="t-1")
    assert (first.get()["state"], again.get()["state"]) == ("sent", "already_sent")
    assert first.get()["send_id"] == again.get()["send_id"]
    assert (redelivered.get()["state"], redelivered_again.get()["state"]) == ("sent", "already_sent")
    assert len(sim.deliveries) == 2
    json.dumps([first.get(), redelivered.get()])  # plain JSON


def test_an_invalid_input_fails_at_once_naming_the_field(redis_url: str) -> None:
    sim = Simulator()
    tasks = _tasks(redis_url, sim.transport)
    result = tasks.send_email.apply(kwargs={"email_id": 1, "to": "noreply@example.com"})
    assert result.failed()
    assert isinstance(result.result, InvalidTaskInputError)
    assert str(result.result).startswith("to:")
    chunk = tasks.create_emails_chunk.apply(args=([{"timestamp": "yesterday"}], 200))
    assert isinstance(chunk.result, InvalidTaskInputError)
    assert str(chunk.result).startswith("inputs[200].timestamp:")
    assert sim.exchanges == []


def _answer_after(statuses: list[tuple[int, dict[str, str], str]]) -> tuple[httpx.MockTransport, list[int]]:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        status, headers, body = statuses[min(len(calls), len(statuses) - 1)]
        calls.append(status)
        return httpx.Response(status, headers={"content-type": "application/json", **headers}, content=body)

    return httpx.MockTransport(handle), calls


SENT: tuple[int, dict[str, str], str] = (
    200,
    {},
    '{"status": "COMPLETE", "sendResult": "SENT", "statusId": "s1"}',
)


def test_a_rolling_429_is_retried_and_a_daily_one_stops_the_task(redis_url: str) -> None:
    rolling = (429, {"retry-after": "0"}, '{"policyName": "TEN_SECONDLY_ROLLING", "message": "slow down"}')
    transport, calls = _answer_after([rolling, SENT])
    result = _tasks(redis_url, transport).send_email.apply(kwargs={"email_id": 1, "to": "ada@example.com"})
    assert result.get()["state"] == "sent"
    assert calls == [429, 200]

    daily: tuple[int, dict[str, str], str] = (429, {}, '{"policyName": "DAILY", "message": "spent"}')
    transport, calls = _answer_after([daily, SENT])
    result = _tasks(redis_url, transport).send_email.apply(kwargs={"email_id": 1, "to": "ada@example.com"})
    assert result.failed()
    assert type(result.result).__name__ == "DailyLimitError"
    assert calls == [429]  # no retry


def test_a_chunk_delivered_again_after_its_worker_died_is_not_sent_again(redis_url: str) -> None:
    sim = Simulator()
    tasks = _tasks(redis_url, sim.transport)
    inputs = [{"timestamp": "2026-03-01T10:00:00Z", "subject": f"S{n}"} for n in range(3)]
    done = tasks.create_emails_chunk.apply(args=(inputs, 100), task_id="chunk-done")
    assert [o["index"] for o in done.get()] == [100, 101, 102]
    assert {o["state"] for o in done.get()} == {"created"}
    assert tasks.create_emails_chunk.apply(args=(inputs, 100), task_id="chunk-done").get() == done.get()

    # A worker that died after marking its chunk as sending: the next delivery must not send.
    connection = redis.Redis.from_url(redis_url)
    try:
        connection.set(MARKER_PREFIX + "chunk-lost", json.dumps({"state": "sending"}))
    finally:
        connection.close()
    lost = tasks.create_emails_chunk.apply(args=(inputs, 0), task_id="chunk-lost").get()
    assert [o["state"] for o in lost] == ["unknown"] * 3
    assert all(o["trace_id"] for o in lost)
    assert len(sim.emails) == 3  # only the first chunk's


def test_import_hubspot_email_needs_no_celery_and_the_contrib_names_the_extra(tmp_path: Path) -> None:
    blocker = tmp_path / "celery"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('No module named celery', name='celery')\n")
    code = (
        "import sys, hubspot_email, hubspot_email.testing\n"
        "assert 'celery' not in sys.modules\n"
        "try:\n    import hubspot_email.contrib.celery\n"
        "except ImportError as error:\n    print(error)\n"
    )
    paths = [str(tmp_path), str(ROOT / "overlay"), str(ROOT / "generated")]
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": ":".join(paths), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "pip install 'hubspot-email[celery]'" in result.stdout
