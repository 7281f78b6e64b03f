"""`hubspot-email send` as a subprocess against the simulator on loopback: output and exit codes 0-3."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hubspot_email.testing import Faults, Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import TOKEN, cli_env, run_cli
else:
    from _cli import TOKEN, cli_env, run_cli


def _no_token(result: subprocess.CompletedProcess[str]) -> None:
    assert TOKEN not in result.stdout
    assert TOKEN not in result.stderr


def test_sent_then_already_sent_with_the_same_send_id() -> None:
    sim = Simulator()
    with sim.serve() as url:
        args = ["send", "--email-id", "7", "--to", "ada@example.com", "--send-id", "welcome-ada"]
        first = run_cli([*args, "--prop", "firstname=Ada", "--custom", "amount=$4"], url)
        again = run_cli(args, url)
    assert first.returncode == 0, first.stderr
    assert "sendResult: SENT" in first.stdout
    assert "already_sent: false" in first.stdout
    assert again.returncode == 0, again.stderr
    assert "already_sent: true" in again.stdout
    [delivery] = sim.deliveries
    assert (delivery.to, delivery.send_id) == ("ada@example.com", "welcome-ada")
    assert delivery.contact_properties == {"firstname": "Ada"}
    assert delivery.custom_properties == {"amount": "$4"}
    _no_token(first)
    _no_token(again)


def test_legacy_send_and_repeatable_addresses() -> None:
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(
            ["send", "--legacy", "--email-id", "7", "--to", "ada@example.com", "--cc", "a@example.com",
             "--cc", "b@example.com", "--reply-to", "r@example.com", "--from", "Ops <ops@example.com>"],
            url,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [delivery] = sim.deliveries
    assert delivery.api == "v1"
    assert delivery.cc == ("a@example.com", "b@example.com")
    assert delivery.reply_to == ("r@example.com",)


def test_a_bounced_address_exits_1() -> None:
    with Simulator(bounced={"gone@example.com"}).serve() as url:
        result = run_cli(["send", "--email-id", "7", "--to", "gone@example.com"], url)
    assert result.returncode == 1
    assert "PREVIOUSLY_BOUNCED" in result.stdout
    assert "did not send" in result.stderr


def test_a_role_based_address_exits_2_naming_the_field() -> None:
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["send", "--email-id", "7", "--to", "noreply@example.com"], url)
    assert result.returncode == 2
    assert "to:" in result.stderr
    assert "role-based" in result.stderr
    assert sim.exchanges == []  # nothing was sent


def test_bad_flags_exit_2() -> None:
    with Simulator().serve() as url:
        bad_pair = run_cli(["send", "--email-id", "7", "--to", "ada@example.com", "--prop", "nameonly"], url)
        missing = run_cli(["send", "--to", "ada@example.com"], url)
        not_a_number = run_cli(["send", "--email-id", "seven", "--to", "ada@example.com"], url)
    assert bad_pair.returncode == 2
    assert "--prop" in bad_pair.stderr
    assert missing.returncode == 2
    assert "--email-id" in missing.stderr
    assert not_a_number.returncode == 2


def test_no_token_exits_2() -> None:
    with Simulator().serve() as url:
        result = run_cli(["send", "--email-id", "7", "--to", "ada@example.com"], url, HUBSPOT_ACCESS_TOKEN="")
    assert result.returncode == 2
    assert "HUBSPOT_ACCESS_TOKEN" in result.stderr


def test_a_server_error_after_the_retries_exits_3_and_says_to_resend_with_the_send_id() -> None:
    with Simulator(faults=Faults(server_error_rate=1.0)).serve() as url:
        result = run_cli(
            ["--max-retries", "1", "send", "--email-id", "7", "--to", "ada@example.com", "--send-id", "s-1"],
            url,
        )
    assert result.returncode == 3
    assert "--send-id s-1" in result.stderr
    _no_token(result)


def test_the_token_file_is_read_and_never_echoed(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("pat-from-a-file-42\n")
    sim = Simulator(tokens={"pat-from-a-file-42": ["transactional-email", "marketing-email"]})
    with sim.serve() as url:
        result = run_cli(
            ["--token-file", str(token_file), "send", "--email-id", "7", "--to", "ada@example.com"],
            url,
            HUBSPOT_ACCESS_TOKEN="",
        )
    assert result.returncode == 0, result.stderr
    assert "pat-from-a-file-42" not in result.stdout + result.stderr


def test_help_documents_the_exit_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hubspot_email.cli", "send", "--help"],
        env=cli_env("http://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for code in ("0 sent", "1 refused", "2 invalid input", "3 failure"):
        assert code in text


def test_the_cli_without_the_extra_exits_2_naming_the_install_command() -> None:
    code = "import sys; sys.modules['typer'] = None; from hubspot_email.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=cli_env("http://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "pip install 'hubspot-email[cli]'" in result.stderr


def test_api_version_sends_to_the_dated_path() -> None:
    sim = Simulator()
    with sim.serve() as url:
        dated = run_cli(
            [
                "--api-version",
                "2026-09",
                "send",
                "--email-id",
                "7",
                "--to",
                "ada@example.com",
                "--send-id",
                "d-1",
            ],
            url,
        )
        legacy = run_cli(
            ["--api-version", "2026-09", "send", "--legacy", "--email-id", "7", "--to", "bob@example.com"],
            url,
        )
    assert dated.returncode == 0, dated.stderr
    assert "sendResult: SENT" in dated.stdout
    assert legacy.returncode == 0, legacy.stderr
    # The v4 send went to its dated successor; the v1 send has none and stays v1.
    assert [(exchange.operation, exchange.path) for exchange in sim.exchanges] == [
        ("sendSingleEmailDated", "/marketing/email-campaigns/2026-09/single-send"),
        ("sendLegacySingleEmail", "/email/public/v1/singleEmail/send"),
    ]
    assert [(delivery.api, delivery.to) for delivery in sim.deliveries] == [
        ("v4", "ada@example.com"),
        ("v1", "bob@example.com"),
    ]


def test_a_bad_api_version_exits_2_and_sends_nothing() -> None:
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["--api-version", "v4", "send", "--email-id", "7", "--to", "ada@example.com"], url)
    assert result.returncode == 2
    assert "--api-version 'v4'" in result.stderr
    assert "2026-03" in result.stderr
    assert sim.exchanges == []
