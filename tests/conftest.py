"""One hook: the run's summary says when the seed facts were not cross-checked against the pages.

`tests/spec/test_seed_facts.py` skips with a reason starting "seed pages not found" when the pages are
absent; a skip is easy to miss, so its reason is repeated as a line of the summary.
"""

from __future__ import annotations

import pytest

SEEDS_MISSING_PREFIX = "seed pages not found"  # tests/spec/_seeds.py SEEDS_MISSING starts with it


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reasons = {
        report.longrepr[2].removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    }
    for reason in sorted(r for r in reasons if r.startswith(SEEDS_MISSING_PREFIX)):
        terminalreporter.write_line(reason)
