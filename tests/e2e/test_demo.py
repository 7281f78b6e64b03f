"""The README's main job (`nox -s demo`) drives the command line against the simulator on loopback."""

from __future__ import annotations

import io
import json
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # mypy resolves the shared helper by its path; pytest puts tests/ on sys.path
    from tests._scripts import SCRIPTS, load_module
else:
    from _scripts import SCRIPTS, load_module


def load_demo() -> ModuleType:
    return load_module("hubspot_email_demo", SCRIPTS / "demo.py")


def test_the_demo_runs_every_command_and_checks_exactly_once() -> None:
    demo = load_demo()
    out = io.StringIO()
    assert demo.main(out, rows=200) == 0, out.getvalue()
    printed = out.getvalue()
    assert "$ hubspot-email simulator --port 0 --bounced gone@example.com" in printed
    for command in (
        "send --email-id 1001 --to ada@example.com --send-id demo-ada",
        "send --email-id 1001 --to gone@example.com --send-id demo-gone",
        "recipients.csv --email-id 1001 --concurrency 32",
        "log-emails ",
        "attendance 58237132332 register ",
    ):
        assert command in printed, command
    assert printed.count("$ hubspot-email --base-url http://127.0.0.1:") == 7
    assert "sendResult: IDEMPOTENT_IGNORE" in printed
    assert "sendResult: PREVIOUSLY_BOUNCED" in printed
    assert "(exit 1)" in printed
    assert "(deliveries during the second run: 0)" in printed
    summary = json.loads(printed.strip().splitlines()[-1])
    assert {key: summary[key] for key in ("deliveries", "emails", "attendance", "problems")} == {
        "deliveries": 201,
        "emails": 250,
        "attendance": 20,
        "problems": 0,
    }
    assert demo.TOKEN not in printed


def test_the_demo_reports_what_went_wrong() -> None:
    demo = load_demo()
    record = {
        "deliveries": [{"to": "a@example.com"}, {"to": "a@example.com"}, {"to": "ada@example.com"}],
        "emails": [{}] * 249,
        "attendance": [],
    }
    codes = {"send": 0, "send again": 0, "send bounced": 0}
    problems = demo.problems_with(record, codes, ["a@example.com", "b@example.com"])
    assert "`send bounced` exited 1 (it exited 0)" in problems
    assert "`bulk-send` exited 0 (it exited None)" in problems
    assert any(p.startswith("every bulk recipient was delivered (1 were not") for p in problems)
    assert any(p.startswith("no one was delivered twice (1 were") for p in problems)
    assert "exactly 250 emails logged (there were 249)" in problems
    assert "exactly 20 attendance records (there were 0)" in problems
