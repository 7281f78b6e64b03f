"""`hubspot-email simulator`: the flags of `python -m hubspot_email.testing`, and it serves."""

from __future__ import annotations

import select
import signal
import subprocess
from typing import TYPE_CHECKING

import httpx
from hubspot_email.testing.__main__ import FAULT_RATES

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import popen_cli, run_cli
else:
    from _cli import popen_cli, run_cli

NO_SERVER = "http://127.0.0.1:9"


def test_help_lists_the_fault_flags() -> None:
    result = run_cli(["simulator", "--help"], NO_SERVER, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "usage: hubspot-email simulator" in result.stdout
    for name, _ in FAULT_RATES:
        assert "--" + name.replace("_", "-") in result.stdout
    assert "--slow-seconds" in result.stdout


def test_a_bad_flag_is_refused_in_one_line() -> None:
    result = run_cli(["simulator", "--reset-rate", "2"], NO_SERVER, timeout=30)
    assert result.returncode == 2
    assert "hubspot-email simulator: error: argument --reset-rate" in result.stderr


def test_it_serves_until_terminated() -> None:
    with popen_cli(["simulator", "--port", "0", "--seed", "3"], NO_SERVER) as process:
        _serve_and_stop(process)


def _serve_and_stop(process: subprocess.Popen[str]) -> None:
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 20)
        assert ready, "the simulator printed nothing in 20 s"
        first = process.stdout.readline()
        assert first.startswith("HubSpot simulator listening on http://127.0.0.1:"), first
        url = first.split(" on ", 1)[1].split(" ", 1)[0]
        record = httpx.get(f"{url}/_simulator/record", timeout=10).json()
        assert record["emails"] == []
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=20)
