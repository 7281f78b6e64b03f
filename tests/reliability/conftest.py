"""Shared by the reliability tests (issue 14): the run's scale, and the figures each test reports.

The default suite runs a short variant of every scenario; `nox -s reliability` sets
HUBSPOT_EMAIL_RELIABILITY=full for the sizes the README states and prints every figure at the end of
the run (`record_figures`), whatever the outcome, so a failing run still shows what it measured.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

RELIABILITY_ENV_VAR = "HUBSPOT_EMAIL_RELIABILITY"
FULL = os.environ.get(RELIABILITY_ENV_VAR, "") == "full"

_FIGURES: list[tuple[str, dict[str, object]]] = []


def scaled(short: int, full: int) -> int:
    """`full` under `nox -s reliability`, else `short` (the default suite's variant)."""
    return full if FULL else short


@pytest.fixture
def record_figures() -> Callable[[str, dict[str, object]], None]:
    """`record_figures(scenario, {figure: value})`: printed in the run's summary."""

    def record(scenario: str, figures: dict[str, object]) -> None:
        _FIGURES.append((scenario, dict(figures)))

    return record


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FIGURES:
        return
    terminalreporter.section(f"reliability figures ({'full' if FULL else 'short'} run)")
    for scenario, figures in _FIGURES:
        cells = ", ".join(f"{name} {value}" for name, value in figures.items())
        terminalreporter.write_line(f"{scenario}: {cells}")
