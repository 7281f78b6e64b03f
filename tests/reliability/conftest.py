"""Shared by the reliability tests (issue 14): the figures each test reports.

The default suite runs a short variant of every scenario; `nox -s reliability` sets
HUBSPOT_EMAIL_RELIABILITY=full (`_reliability.scaled`) for the sizes the README states and prints every
figure at the end of the run (`record_figures`), whatever the outcome, so a failing run still shows
what it measured.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # mypy resolves the module by its path; pytest puts this folder on sys.path
    from tests.reliability._reliability import FULL
else:
    from _reliability import FULL

_FIGURES: list[tuple[str, dict[str, object]]] = []


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
