"""`hubspot-email send --wait` and `hubspot-email status` as subprocesses against the loopback simulator.

The simulator completes a v4 send `send_completion_delay` seconds after accepting it (on the real clock
here: the command line runs in its own process), so these waits are short ones.
"""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

from hubspot_email.testing import Faults, Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import TOKEN, cli_env, run_cli
else:
    from _cli import TOKEN, cli_env, run_cli

SEND = ["send", "--email-id", "7", "--to", "ada@example.com"]
# Long enough that no test here outlives it: the send stays PENDING throughout.
NEVER = "3600"


def _no_token(result: subprocess.CompletedProcess[str]) -> None:
    assert TOKEN not in result.stdout + result.stderr


def _field(output: str, name: str) -> str:
    found = re.search(rf"^{name}: (\S+)$", output, re.MULTILINE)
    assert found is not None, f"no {name} in {output!r}"
    return found.group(1)


def test_send_wait_polls_until_complete_and_prints_status_and_result() -> None:
    sim = Simulator(send_completion_delay=0.3)
    with sim.serve() as url:
        result = run_cli([*SEND, "--send-id", "wait-1", "--wait"], url)
    assert result.returncode == 0, result.stderr
    assert _field(result.stdout, "status") == "COMPLETE"
    assert _field(result.stdout, "sendResult") == "SENT"
    assert _field(result.stdout, "final") == "true"
    assert _field(result.stdout, "sendId") == "wait-1"
    assert len(sim.deliveries) == 1
    lookups = [exchange for exchange in sim.exchanges if exchange.operation == "getSendStatus"]
    assert lookups, "the command never asked for the status"
    _no_token(result)


def test_send_wait_with_a_dated_api_version_sends_dated_and_asks_v3() -> None:
    """The send-status lookup has no dated successor: a dated send's status is asked on v3."""
    sim = Simulator(send_completion_delay=0.3)
    with sim.serve() as url:
        result = run_cli(["--api-version", "2026-09", *SEND, "--send-id", "dated-wait", "--wait"], url)
        status = run_cli(["--api-version", "2026-09", "status", _field(result.stdout, "statusId")], url)
    assert result.returncode == 0, result.stderr
    assert (_field(result.stdout, "status"), _field(result.stdout, "sendResult")) == ("COMPLETE", "SENT")
    assert status.returncode == 0, status.stderr
    assert _field(status.stdout, "status") == "COMPLETE"
    operations = {
        (exchange.operation, exchange.path.split("/send-statuses/")[0]) for exchange in sim.exchanges
    }
    assert operations == {
        ("sendSingleEmailDated", "/marketing/email-campaigns/2026-09/single-send"),
        ("getSendStatus", "/marketing/v3/email"),
    }
    assert len(sim.deliveries) == 1


def test_send_wait_out_of_time_prints_the_last_status_and_exits_3() -> None:
    sim = Simulator(send_completion_delay=float(NEVER))
    with sim.serve() as url:
        result = run_cli([*SEND, "--send-id", "slow-1", "--wait", "--wait-timeout", "0.5"], url)
    assert result.returncode == 3, result.stderr
    assert _field(result.stdout, "status") == "PENDING"
    assert _field(result.stdout, "final") == "false"
    status_id = _field(result.stdout, "statusId")
    assert f"hubspot-email status {status_id}" in result.stderr
    assert "--send-id slow-1" in result.stderr
    assert len(sim.deliveries) == 1  # accepted: it will go out, once


def test_send_wait_on_a_refused_recipient_exits_1() -> None:
    sim = Simulator(send_completion_delay=0.2, bounced={"gone@example.com"})
    with sim.serve() as url:
        result = run_cli(["send", "--email-id", "7", "--to", "gone@example.com", "--wait"], url)
    assert result.returncode == 1, result.stderr
    assert _field(result.stdout, "sendResult") == "PREVIOUSLY_BOUNCED"
    assert "did not send" in result.stderr


def test_send_wait_with_a_send_id_already_used_exits_0_as_already_sent() -> None:
    sim = Simulator(send_completion_delay=0.2)
    with sim.serve() as url:
        first = run_cli([*SEND, "--send-id", "twice"], url)
        again = run_cli([*SEND, "--send-id", "twice", "--wait"], url)
    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert _field(again.stdout, "sendResult") == "IDEMPOTENT_IGNORE"
    assert _field(again.stdout, "already_sent") == "true"
    assert len(sim.deliveries) == 1


def test_status_prints_a_sends_status_and_exits_0() -> None:
    sim = Simulator()
    with sim.serve() as url:
        sent = run_cli(SEND, url)
        result = run_cli(["status", _field(sent.stdout, "statusId")], url)
    assert result.returncode == 0, result.stderr
    assert _field(result.stdout, "status") == "COMPLETE"
    assert _field(result.stdout, "sendResult") == "SENT"
    assert _field(result.stdout, "final") == "true"
    _no_token(result)


def test_status_of_a_pending_send_exits_0_and_says_it_is_not_final() -> None:
    with Simulator(send_completion_delay=float(NEVER)).serve() as url:
        sent = run_cli(SEND, url)
        result = run_cli(["status", _field(sent.stdout, "statusId")], url)
    assert result.returncode == 0, result.stderr
    assert (_field(result.stdout, "status"), _field(result.stdout, "sendResult")) == ("PENDING", "-")
    assert _field(result.stdout, "final") == "false"


def test_status_of_an_unknown_id_says_not_found_and_exits_2() -> None:
    with Simulator().serve() as url:
        result = run_cli(["status", "no-such-status"], url)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "not found" in result.stderr
    assert "says nothing of whether the email was sent" in result.stderr


def test_status_without_an_answer_exits_3_and_speaks_of_asking_not_sending() -> None:
    with Simulator(faults=Faults(server_error_rate=1.0)).serve() as url:
        result = run_cli(["--max-retries", "0", "status", "some-id"], url)
    assert result.returncode == 3
    assert "Could not learn the send's status" in result.stderr
    assert "may or may not have been sent" not in result.stderr


def test_wait_flags_that_cannot_work_exit_2_before_sending() -> None:
    sim = Simulator()
    with sim.serve() as url:
        legacy = run_cli([*SEND, "--legacy", "--wait"], url)
        no_time = run_cli([*SEND, "--wait", "--wait-timeout", "0"], url)
    assert legacy.returncode == 2
    assert "--wait needs the v4 send" in legacy.stderr
    assert no_time.returncode == 2
    assert "--wait-timeout" in no_time.stderr
    assert sim.exchanges == []  # nothing was sent


def test_help_documents_status_and_the_exit_codes() -> None:
    for command in (["status", "--help"], ["send", "--help"]):
        result = subprocess.run(
            [sys.executable, "-m", "hubspot_email.cli", *command],
            env=cli_env("http://127.0.0.1:9"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        text = " ".join(result.stdout.split())
        for code in ("0 sent", "1 refused", "2 invalid input", "3 failure", "hubspot-email status"):
            assert code in text
