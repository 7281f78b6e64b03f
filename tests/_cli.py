"""Helpers of the CLI and reliability tests: run `python -m hubspot_email.cli` as a subprocess against the
simulator (the kill-and-resume machinery is in `_kill.py`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import hubspot_email
import hubspot_email_api

TOKEN = "pat-na1-cli-test-token-0123456789"
SUBPROCESS_TIMEOUT = 60


def cli_env(base_url: str, **extra: str) -> dict[str, str]:
    """This interpreter's import path (overlay and generated), the token, and the simulator's URL."""
    paths = [str(Path(hubspot_email.__file__).parents[1]), str(Path(hubspot_email_api.__file__).parents[1])]
    env = {key: value for key, value in os.environ.items() if not key.startswith("HUBSPOT_")}
    env.update(
        PYTHONPATH=os.pathsep.join([*paths, env.get("PYTHONPATH", "")]),
        HUBSPOT_ACCESS_TOKEN=TOKEN,
        HUBSPOT_BASE_URL=base_url,
        COLUMNS="200",
    )
    env.update(extra)
    return env


def run_cli(
    args: Sequence[str], base_url: str, *, timeout: float = SUBPROCESS_TIMEOUT, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hubspot_email.cli", *args],
        env=cli_env(base_url, **extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def popen_cli(args: Sequence[str], base_url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "hubspot_email.cli", *args],
        env=cli_env(base_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_results(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as results:
        return list(csv.DictReader(results))
