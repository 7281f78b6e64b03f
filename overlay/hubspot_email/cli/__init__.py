"""The `hubspot-email` command line: `send` one email (`--wait` for its outcome), `status` of a send,
`bulk-send` a file of recipients with a journal, `log-emails` and `attendance` (batch calls with a
journal, no idempotency key: never resent), and `simulator` (the loopback simulator).

    hubspot-email send --email-id 123456 --to ada@example.com --send-id welcome-ada
    hubspot-email send --email-id 123456 --to ada@example.com --send-id welcome-ada --wait
    hubspot-email status 3f5c2a0e-8d4b-4c1e-9a7f-2b6d1e0c9a14
    hubspot-email bulk-send recipients.csv --email-id 123456
    hubspot-email log-emails emails.csv
    hubspot-email attendance 58237132332 attend attendees.csv
    hubspot-email --redis redis://127.0.0.1:6379/0 bulk-send recipients.csv --email-id 123456

The access token comes from `HUBSPOT_ACCESS_TOKEN` or `--token-file PATH` (never a flag: flags show in
`ps`); it is never printed or written anywhere. `--base-url` (or `HUBSPOT_BASE_URL`) points elsewhere
than HubSpot, e.g. at the simulator (`python -m hubspot_email.testing`). `--api-version 2026-09` (any
date-based version) calls HubSpot's dated paths instead of the numbered ones; `send --legacy` stays v1
and `status` v3 (neither has a dated successor).

Exit codes, the same for every command:

    0  sent, accepted or already sent (bulk-send: every row; duplicate rows were sent once);
       status: the send's status was found (whatever it says)
    1  refused by HubSpot (a failure sendResult such as HARD_BOUNCED, or with --wait a CANCELED
       send); bulk-send: some rows refused or invalid (see the results file), the others went on
    2  invalid input or bad flags, nothing sent (the message names the field, file or column);
       status: HubSpot knows no send status by that id (404), which says nothing of the send
    3  failure whose outcome may be unknown (no answer, 5xx): resend with the same --send-id;
       send --wait: accepted but not final within --wait-timeout (or its status could not be
       learned): ask again with `hubspot-email status STATUS_ID`;
       bulk-send: run the same command again, it resumes from its journal and sends nobody twice;
       log-emails, attendance: some rows unknown (they may have been created): check HubSpot before
       resending them, which no run does

Needs the `cli` extra: `pip install 'hubspot-email[cli]'`.
"""

from __future__ import annotations

import sys

INSTALL_HINT = "pip install 'hubspot-email[cli]'"

__all__ = ["main"]


def main() -> None:
    """The console script `hubspot-email`. Without the `cli` extra it says what to install (exit 2),
    never a traceback: the script is installed with the package, whatever the extras."""
    try:
        import rich  # noqa: F401
        import typer  # noqa: F401
    except ImportError as error:
        print(
            f"hubspot-email: the command line needs the 'cli' extra ({error.name} is missing): "
            f"{INSTALL_HINT}",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    from ._app import app

    app()
