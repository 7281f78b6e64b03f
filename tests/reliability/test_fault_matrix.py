"""Every outcome agrees with the simulator's record under the fault matrix (issue 14, item 1).

v4 and v1 single sends, CRM email records and attendees go through the simulator under a seeded matrix
(5% 5xx, 5% 429 with Retry-After, 2% connection resets, 1% timeouts after the simulator acted, 1%
malformed bodies, 1% bodies labelled gzip that are not), with the sync and the async client, in process
and on loopback (uvicorn on 127.0.0.1 and the real httpx stack), on a compressed clock (the clients'
waits are added up, not slept). `scripts/fault_run.py` does the work and the checking; asserted here
from the simulator's record, for every row: no sendId delivered twice, no record made twice, every
input in exactly one result or outcome, no outcome that disagrees with the record (ok or created only
for what was done once, failed or refused only for what was not, unknown with a reason), and no
exception other than `HubSpotError` reaching the caller. The default suite runs a short variant;
`nox -s reliability` runs 10,000 v4 and 2,000 v1 sends, 2,000 records and 1,000 attendees.
"""

from __future__ import annotations

import argparse
import collections
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from scripts import fault_run
    from tests._scripts import ROOT, load_module
    from tests.reliability._reliability import scaled
else:
    from _reliability import scaled
    from _scripts import ROOT, load_module

    fault_run = load_module("hubspot_email_fault_run_script", ROOT / "scripts" / "fault_run.py")

SIZES = {
    "sends": scaled(300, 10_000),
    "legacy_sends": scaled(100, 2_000),
    "engagements": scaled(200, 2_000),
    "attendees": scaled(100, 1_000),
}
# Every kind of fault the matrix injects, as `faults_met` names them (5xx by status).
STRUCK = ("5xx", "rate_limited", "reset", "timeout_after_acting", "malformed", "bad_encoding")


def _arguments() -> argparse.Namespace:
    return argparse.Namespace(**SIZES, chunk_sizes=[100, 10], seed=1)


def _struck(rows: list[fault_run.Row]) -> collections.Counter[str]:
    met: collections.Counter[str] = collections.Counter()
    for row in rows:
        for name, count in row.faults.items():
            met["5xx" if name.startswith("http_5") else name] += count
    return met


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("mode", ["inprocess", "loopback"])
def test_every_outcome_agrees_with_the_record_under_the_fault_matrix(
    mode: fault_run.Mode, kind: fault_run.Kind, record_figures: Callable[[str, dict[str, object]], None]
) -> None:
    rows = fault_run.run_kind(kind, _arguments(), mode)
    struck = _struck(rows)
    figures: dict[str, object] = {
        "inputs": sum(row.inputs for row in rows),
        "faults": dict(sorted(struck.items())),
        "429s": struck["rate_limited"],
        "duplicates": sum(row.duplicates for row in rows),
        "unaccounted": sum(row.unaccounted for row in rows),
        "disagreements": sum(sum(row.disagreements.values()) for row in rows),
        "errors or unknown": sum(row.unknown for row in rows),
        "waited (compressed clock)": f"{sum(row.waited for row in rows):.0f} s",
        "seconds": f"{sum(row.seconds for row in rows):.1f}",
    }
    record_figures(f"fault matrix, {mode} {kind}", figures)
    problems = [
        f"{row.operation}: duplicates {row.duplicates}, unaccounted {row.unaccounted}, "
        f"disagreements {dict(row.disagreements)}; {row.notes[:5]}"
        for row in rows
        if row.bad
    ]
    assert not problems, problems
    # The matrix really struck, every kind of it: a run that met no fault proves nothing.
    assert all(struck[name] > 0 for name in STRUCK), struck
    # Each operation ended in the record: the faults did not stop the run short.
    for row in rows:
        assert row.in_record + row.failed + row.unknown >= row.inputs, row
    # A 429 with Retry-After was waited for (on the compressed clock), never skipped.
    sends = [row for row in rows if row.operation.startswith("send")]
    assert sum(row.waited for row in sends) >= fault_run.RETRY_AFTER_SECONDS * sum(
        row.faults["rate_limited"] for row in sends
    ) - fault_run.RETRY_AFTER_SECONDS * sum(row.unknown for row in sends)
