"""Shared by every test folder: a clean rate-limit registry per test, and one line of the run's summary.

`tests/spec/test_seed_facts.py` skips with a reason starting "seed pages not found" when the pages are
absent; a skip is easy to miss, so its reason is repeated as a line of the summary.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hubspot_email._ratelimit import forget_shared_limiters

SEEDS_MISSING_PREFIX = "seed pages not found"  # tests/spec/_seeds.py SEEDS_MISSING starts with it


@pytest.fixture(autouse=True)
def fresh_shared_limiters() -> Iterator[None]:
    """Clients with one token share one rate limiter per process (and with it a DAILY block until
    midnight): each test starts with none, as a new process would."""
    forget_shared_limiters()
    yield
    forget_shared_limiters()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reasons = {
        report.longrepr[2].removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    }
    for reason in sorted(r for r in reasons if r.startswith(SEEDS_MISSING_PREFIX)):
        terminalreporter.write_line(reason)
