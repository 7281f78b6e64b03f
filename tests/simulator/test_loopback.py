"""The simulator on a real socket: uvicorn on 127.0.0.1, the CLI, and the pytest fixtures."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import queue
import socket
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import httpx
import pytest
from hubspot_email import APIConnectionError, APITimeoutError, AsyncClient, Client, OutcomeState, attendee
from hubspot_email.testing import SIMULATOR_TOKEN, Faults, Simulator
from hubspot_email.testing.__main__ import build_simulator, parse_args

V4 = "/marketing/v4/email/single-send"
BATCH = "/crm/v3/objects/emails/batch/create"


def port_of(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def test_both_clients_over_loopback_and_the_server_stops_after_the_block() -> None:
    sim = Simulator()
    with sim.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with Client("any-token", base_url=base_url) as client:
            assert client.send_email(email_id=1, to="ada@example.com", send_id="s1").ok

        async def run() -> None:
            async with AsyncClient("any-token", base_url=base_url) as client:
                again = await client.send_email(email_id=1, to="ada@example.com", send_id="s1")
                assert again.send_result == "IDEMPOTENT_IGNORE"
                guest = attendee(email="bob@example.com", at=datetime.now(UTC))
                result = await client.record_attendance("e1", "register", [guest])
                assert [outcome.state for outcome in result.outcomes] == [OutcomeState.CREATED]

        asyncio.run(run())
    assert len(sim.deliveries) == 1
    assert len(sim.attendance) == 1
    with pytest.raises(httpx.ConnectError):
        httpx.post(base_url + V4, json={}, timeout=2)


def test_a_dropped_connection_over_loopback_is_a_connection_error() -> None:
    sim = Simulator(faults=Faults(reset_rate=1.0))
    with (
        sim.serve() as base_url,
        Client("t", base_url=base_url, max_retries=0) as client,
        pytest.raises(APIConnectionError),
    ):
        client.send_email(email_id=1, to="ada@example.com")
    assert sim.deliveries == []


def test_a_held_answer_over_loopback_times_the_client_out_after_the_simulator_acted() -> None:
    sim = Simulator(faults=Faults(timeout_after_acting_rate=1.0, hang_seconds=2.0))
    with (
        sim.serve() as base_url,
        Client("t", base_url=base_url, max_retries=0, timeout=0.3) as client,
        pytest.raises(APITimeoutError),
    ):
        client.send_email(email_id=1, to="ada@example.com", send_id="held")
    assert [delivery.send_id for delivery in sim.deliveries] == ["held"]


def test_a_bad_encoding_over_loopback_fails_to_decode_after_the_simulator_acted() -> None:
    sim = Simulator(faults=Faults(bad_encoding_rate=1.0))
    engagement = {
        "properties": {"hs_timestamp": "1795000000000"},
        "associations": [
            {
                "to": {"id": "1"},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}],
            }
        ],
        "objectWriteTraceId": "trace-1",
    }
    with (
        sim.serve() as base_url,
        httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"}, timeout=5
        ) as http,
    ):
        with pytest.raises(httpx.DecodingError):
            http.post(V4, json={"emailId": 1, "message": {"to": "ada@example.com", "sendId": "order-1"}})
        with pytest.raises(httpx.DecodingError):
            http.post(BATCH, json={"inputs": [engagement]})
        with http.stream("POST", V4, json={"emailId": 1, "message": {"to": "bob@example.com"}}) as response:
            raw = b"".join(response.iter_raw())
    assert (response.status_code, response.headers["content-encoding"]) == (200, "gzip")
    assert json.loads(raw)["sendResult"] == "SENT"
    assert [delivery.to for delivery in sim.deliveries] == ["ada@example.com", "bob@example.com"]
    assert [email.object_write_trace_id for email in sim.emails] == ["trace-1"]
    assert [(exchange.status, exchange.fault) for exchange in sim.exchanges] == [
        (200, "bad_encoding"),
        (201, "bad_encoding"),
        (200, "bad_encoding"),
    ]


def test_a_429_over_loopback_is_hubspots_refusal_and_nothing_is_done() -> None:
    sim = Simulator(faults=Faults(rate_limited_rate=1.0))
    engagement = {"properties": {"hs_timestamp": "1795000000000"}, "objectWriteTraceId": "trace-1"}
    with (
        sim.serve() as base_url,
        httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"}, timeout=5
        ) as http,
    ):
        refusals = [
            http.post(V4, json={"emailId": 1, "message": {"to": "ada@example.com", "sendId": "order-1"}}),
            http.post(BATCH, json={"inputs": [engagement]}),
        ]
    for refusal in refusals:
        body = refusal.json()
        assert (refusal.status_code, body["errorType"], body["policyName"]) == (
            429,
            "RATE_LIMIT",
            "TEN_SECONDLY_ROLLING",
        )
        assert refusal.headers["x-hubspot-ratelimit-remaining"] == "0"
    assert sim.deliveries == []
    assert sim.emails == []
    assert [(exchange.status, exchange.fault, exchange.processed) for exchange in sim.exchanges] == [
        (429, "rate_limited", False)
    ] * 2


def test_a_send_over_loopback_retries_its_429s_and_is_sent_once() -> None:
    # Seed 4 draws 0.24, 0.10, 0.40: two 429s, then the send.
    sim = Simulator(faults=Faults(seed=4, rate_limited_rate=0.3))
    waits: list[float] = []
    with sim.serve() as base_url, Client("t", base_url=base_url, max_retries=3) as client:
        client._sleep = waits.append  # records the backoff instead of sleeping it
        result = client.send_email(email_id=1, to="ada@example.com", send_id="order-1")
    assert (result.ok, result.already_sent) == (True, False)
    assert len(waits) == 2
    assert [(exchange.status, exchange.fault) for exchange in sim.exchanges] == [
        (429, "rate_limited"),
        (429, "rate_limited"),
        (200, None),
    ]
    assert [delivery.send_id for delivery in sim.deliveries] == ["order-1"]


def test_the_command_line_sets_every_fault_rate() -> None:
    rates = [field.name for field in dataclasses.fields(Faults) if field.name.endswith("_rate")]
    assert {"bad_encoding_rate", "rate_limited_rate"} <= set(rates)
    for rate in rates:
        flag = "--" + rate.replace("_", "-")
        faults = build_simulator(parse_args([flag, "0.25", "--seed", "3"])).faults
        assert getattr(faults, rate) == 0.25, flag
        assert faults.seed == 3


def read_line(stream: IO[str], timeout: float) -> str:
    """The next line of a child's output, or a test failure after `timeout` s (a hung child never
    hangs the run: the reading thread is a daemon, and it sees EOF once the child is killed)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"the child wrote no line within {timeout} s")


def stop(process: subprocess.Popen[str], timeout: float = 10) -> None:
    """Terminate the child; kill it if it has not stopped within `timeout` s."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def test_the_command_line_serves_until_stopped() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "hubspot_email.testing",
        "--port",
        str(port),
        "--bounced",
        "gone@example.com",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as server:
        assert server.stdout is not None
        try:
            # Generous: under load, importing the simulator and starting uvicorn can take seconds.
            banner = read_line(server.stdout, timeout=60)
            assert f"http://127.0.0.1:{port}" in banner
            answer = httpx.post(
                f"http://127.0.0.1:{port}{V4}",
                json={"emailId": 1, "message": {"to": "gone@example.com"}},
                headers={"Authorization": "Bearer t"},
                timeout=30,  # a loaded machine; the simulator answers in milliseconds otherwise
            )
            assert answer.json()["sendResult"] == "PREVIOUSLY_BOUNCED"
        finally:
            stop(server)


def test_the_pytest_fixtures_work_in_a_users_test_suite(tmp_path: Path) -> None:
    (tmp_path / "test_users_code.py").write_text(
        textwrap.dedent(
            """
            from hubspot_email import Client

            def test_receipt_is_sent_once(hubspot_simulator):
                with hubspot_simulator.client() as client:
                    client.send_email(email_id=1, to="ada@example.com", send_id="order-42")
                    client.send_email(email_id=1, to="ada@example.com", send_id="order-42")
                assert len(hubspot_simulator.deliveries) == 1

            def test_over_a_socket(hubspot_simulator, hubspot_simulator_url):
                with Client("t", base_url=hubspot_simulator_url) as client:
                    client.send_email(email_id=1, to="ada@example.com")
                assert len(hubspot_simulator.deliveries) == 1

            def test_each_test_gets_a_fresh_simulator(hubspot_simulator):
                assert hubspot_simulator.deliveries == []
            """
        )
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout


def test_the_listening_socket_names_tcp_so_asyncio_turns_nagle_off_on_each_connection() -> None:
    """asyncio sets TCP_NODELAY on an accepted connection only when its socket's proto is IPPROTO_TCP
    (accepted sockets copy the listening socket's); without it each answer after the first on a
    keep-alive connection waited about 40 ms for a delayed ACK."""
    from hubspot_email.testing._asgi import bind

    listening = bind("127.0.0.1", 0)
    try:
        assert listening.proto == socket.IPPROTO_TCP
    finally:
        listening.close()
