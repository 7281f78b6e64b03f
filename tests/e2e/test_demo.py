"""The README's main job (`nox -s demo`) runs end to end against the simulator on loopback."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

DEMO = Path(__file__).resolve().parents[2] / "scripts" / "demo.py"


def load_demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hubspot_email_demo", DEMO)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_runs_every_operation_through_both_clients_and_checks_the_record() -> None:
    demo = load_demo()
    out = io.StringIO()
    assert demo.main(out) == 0, out.getvalue()
    printed = out.getvalue()
    for heading in ("== Client: v4 single send", "== Client: legacy v1", "== AsyncClient: all four"):
        assert heading in printed
    for path in (
        "POST /marketing/v4/email/single-send",
        "POST /email/public/v1/singleEmail/send",
        "POST /crm/v3/objects/emails/batch/create",
        "POST /marketing/v3/marketing-events/58237132332/attendance/register/email-create",
        "POST /marketing/v3/marketing-events/58237132332/attendance/attend/email-create",
    ):
        assert path in printed
    assert "sendResult=PREVIOUSLY_BOUNCED ok=False" in printed  # the rejected send
    assert "<- 207" in printed  # the partial batch failure
    assert "<- 409" in printed  # the legacy send repeated ...
    assert "ok=True already_sent=True" in printed  # ... is a result, not an error
    assert "input 2 failed: association target 999 does not exist" in printed
    assert json.loads(printed.strip().splitlines()[-1]) == {"requests": 13, "problems": 0}
    assert demo.TOKEN not in printed


def test_the_demo_reports_what_went_wrong() -> None:
    demo = load_demo()

    class Result:
        send_result = "SENT"
        ok = True
        already_sent = False
        created = failed = ()

    keys = ("receipt", "retry", "bounced", "legacy", "legacy_retry", "batch", "attendance")
    seen = {key: Result() for key in keys}
    problems = demo.problems_with(demo.Simulator(), seen, {**seen})
    assert "the retried receipt was ignored, reported as already sent" in problems
    assert "the retried legacy send was reported as already sent, not as an error" in problems
    assert "the role-based address was refused before sending" in problems
    assert "exactly 4 emails were delivered" in problems
