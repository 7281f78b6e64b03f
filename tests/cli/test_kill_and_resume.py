"""A bulk-send SIGKILLed at seeded points, then run again until it finishes: every recipient gets
exactly one email and the results file has every row once; also with faults (timeouts after HubSpot
acted, resets, 5xx, 429s) that leave rows `unknown` for the next run to resend with the same sendId."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hubspot_email.testing import Faults, Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import TOKEN, read_results, write_csv
    from tests._kill import kill_then_resume, settled_at_least
else:
    from _cli import TOKEN, read_results, write_csv
    from _kill import kill_then_resume, settled_at_least

ROWS = 2000
KILLS = 3
MAX_RUNS_AFTER_KILLS = 10


@pytest.mark.parametrize(
    ("seed", "faults", "options", "leaves_unknown"),
    [
        pytest.param(11, Faults(seed=11, slow_rate=0.3, slow_seconds=0.05), [], False, id="no-faults"),
        pytest.param(
            12,
            Faults(
                seed=12,
                slow_rate=0.2,
                slow_seconds=0.05,
                server_error_rate=0.02,
                reset_rate=0.02,
                timeout_after_acting_rate=0.02,
                hang_seconds=1.0,
            ),
            ["--timeout", "0.5", "--max-retries", "0"],
            True,
            id="timeouts-resets-5xx",
        ),
        pytest.param(
            13,
            Faults(
                seed=13,
                slow_rate=0.2,
                slow_seconds=0.05,
                server_error_rate=0.02,
                reset_rate=0.02,
                timeout_after_acting_rate=0.02,
                rate_limited_rate=0.05,
                hang_seconds=1.0,
            ),
            # No retries: a 429 ends its row `unknown` (bulk-send resends it with its sendId next run).
            ["--timeout", "0.5", "--max-retries", "0"],
            True,
            id="429s-timeouts-resets-5xx",
        ),
    ],
)
def test_kill_and_resume_sends_each_recipient_exactly_once(
    tmp_path: Path, seed: int, faults: Faults, options: list[str], leaves_unknown: bool
) -> None:
    rng = random.Random(seed)  # noqa: S311 (seeded kill points, not a secret)
    recipients = [f"reader{index}@example.com" for index in range(ROWS)]
    source = write_csv(tmp_path / "list.csv", ["to", "n"], [[to, str(n)] for n, to in enumerate(recipients)])
    journal = tmp_path / "list.csv.journal.sqlite"
    args = [*options, "bulk-send", str(source), "--email-id", "7", "--concurrency", "32", "--quiet"]
    sim = Simulator(faults=faults)
    with sim.serve() as url:
        done = kill_then_resume(
            args,
            url,
            journal,
            sorted(rng.sample(range(50, ROWS - 200), KILLS)),
            settled_at_least,
            # 3: some rows unknown; the next run resends them
            again=lambda run: run.exit_code == 3,
            max_resumes=MAX_RUNS_AFTER_KILLS,
        )
    exit_codes = [run.exit_code for run in done.resumed]
    assert len(done.killed) == KILLS
    assert all(TOKEN not in run.output for run in done.runs)
    assert exit_codes[-1] == 0, exit_codes
    assert (3 in exit_codes) is leaves_unknown, exit_codes
    struck = Counter(exchange.fault for exchange in sim.exchanges)
    assert all(struck[fault.value] for fault, rate in faults.rates() if rate), struck
    assert Counter(delivery.to for delivery in sim.deliveries) == Counter(recipients)
    results = read_results(tmp_path / "list.csv.results.csv")
    assert [int(row["row"]) for row in results] == list(range(1, ROWS + 1))
    assert [row["to"] for row in results] == recipients
    assert {row["outcome"] for row in results} <= {"sent", "already_sent"}
    assert TOKEN.encode() not in journal.read_bytes()
