"""scripts/bench.py keeps working: a tiny run with plain httpx and ours only (the SDKs it compares are
installed by `nox -s bench` alone), checked for its structure. Nothing here asserts a speed.

The script is loaded from its path (pytest puts only this folder on `sys.path`); under TYPE_CHECKING
mypy resolves it by its module name instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:  # mypy resolves the shared helper by its path; pytest puts tests/ on sys.path
    from tests._scripts import ROOT, load_module
else:
    from _scripts import ROOT, load_module


if TYPE_CHECKING:
    from scripts import bench
else:
    bench = load_module("hubspot_email_bench_script", ROOT / "scripts" / "bench.py")


def test_a_tiny_run_has_every_row_and_positive_ratios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    argv = ["--quick", "--rounds", "2", "--warmup", "1", "--imports", "1", "--async-sends", "40"]
    argv += ["--clients", "httpx,ours", "--async-clients", "httpx,ours", "--out", str(out)]
    assert bench.main(argv) == 0

    results = json.loads(out.read_text(encoding="utf-8"))
    calls = results["summary"]["calls"]
    assert set(calls) == set(bench.OPERATIONS)
    for row in calls.values():
        assert set(row["seconds"]) == {"httpx", "ours"}
        assert all(stats["n"] == 2 and stats["median"] > 0 for stats in row["seconds"].values())
        assert set(row["ratios"]) == {"ours/httpx"}
        assert row["ratios"]["ours/httpx"]["median"] > 0
    imported = results["summary"]["imports"]
    assert set(imported) == {"interpreter", "import httpx", "httpx", "ours"}
    assert all(row["peak_rss_kib"]["median"] > 0 for row in imported.values())
    assert imported["ours"]["seconds_vs_import_httpx"]["median"] > 0
    # A cold start: the first send is timed after import and construct, against plain httpx's.
    assert imported["ours"]["first_send_seconds"]["median"] > 0
    assert imported["ours"]["cold_start_vs_httpx"]["median"] > 0
    assert "first_send_seconds" not in imported["import httpx"]
    concurrent = results["summary"]["async"]
    assert set(concurrent["runs"]) == {"httpx", "ours"}
    assert concurrent["runs"]["ours"]["sends"] == 40
    assert concurrent["ratios"]["ours/httpx"]["median"] > 0

    table = capsys.readouterr().out
    for label in [*bench.OPERATION_LABELS.values(), "import httpx (the baseline)", "cold start", "sends/s"]:
        assert label in table


def test_the_stub_answers_each_operation_on_numbered_and_dated_paths() -> None:
    with bench.stub() as url, httpx.Client(base_url=url) as http:
        assert url.startswith("http://127.0.0.1:")
        for path in [
            "/marketing/v4/email/single-send",
            "/marketing/email-campaigns/2026-03/single-send",
            "/marketing/v3/transactional/single-email/send",
        ]:
            answer = http.post(path, json={"emailId": 1, "message": {"to": "a@example.com"}})
            assert (answer.status_code, answer.json()["sendResult"]) == (200, "SENT")
        assert http.post("/email/public/v1/singleEmail/send", json={}).json()["sendResult"] == "SENT"
        inputs = [{"properties": {}, "associations": [], "objectWriteTraceId": f't"{n}'} for n in range(3)]
        for path in ["/crm/v3/objects/emails/batch/create", "/crm/objects/2026-03/emails/batch/create"]:
            answer = http.post(path, json={"inputs": inputs})
            assert answer.status_code == 201
            assert [r["objectWriteTraceId"] for r in answer.json()["results"]] == ['t"0', 't"1', 't"2']
        attendees = [{"email": f"a{n}@example.com", "interactionDateTime": 1} for n in range(2)]
        for path in [
            "/marketing/v3/marketing-events/58237132332/attendance/attend/email-create",
            "/marketing/marketing-events/2026-03/58237132332/attendance/register/email-create",
        ]:
            answer = http.post(path, json={"inputs": attendees})
            assert answer.status_code == 200
            assert [r["email"] for r in answer.json()["results"]] == ["a0@example.com", "a1@example.com"]
        assert http.post("/nowhere", json={}).status_code == 404
