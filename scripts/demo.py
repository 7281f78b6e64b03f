"""The main job, end to end, against the embedded simulator on loopback (no HubSpot account needed).

    nox -s demo        (or: python scripts/demo.py)

Starts `hubspot_email.testing.Simulator` on 127.0.0.1, then runs each of the four operations through
`Client` and through `AsyncClient`, printing every request sent (method, path, JSON body) and every
answer (status, body). It includes a send HubSpot refuses (a bounced recipient), one the client refuses
before sending (a role-based address), a retried send that is not delivered twice, and a batch in
which one input fails. It ends by checking the simulator's record, and exits 1 if anything is off.
The access token is never printed.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

import httpx
from hubspot_email import (
    AsyncClient,
    BatchResult,
    Client,
    InvalidInputError,
    SingleSendResult,
    attendee,
    email_engagement,
)
from hubspot_email.testing import Simulator

TOKEN = "demo-token"  # noqa: S105 (the simulator accepts any token; never printed)
EVENT_ID = "58237132332"
EXISTING_CONTACTS = ["501", "502", "503"]
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def wire_printer(out: TextIO) -> tuple[Callable[[httpx.Request], None], Callable[[httpx.Response], None]]:
    """httpx event hooks that print each request and answer, never a header (the token is in one)."""

    def on_request(request: httpx.Request) -> None:
        body = request.content.decode("utf-8") if request.content else ""
        print(f"  -> {request.method} {request.url.path}  {shorten(body)}", file=out)

    def on_response(response: httpx.Response) -> None:
        response.read()
        print(f"  <- {response.status_code}  {shorten(response.text)}", file=out)

    return on_request, on_response


def async_wire_printer(
    out: TextIO,
) -> tuple[Callable[[httpx.Request], Any], Callable[[httpx.Response], Any]]:
    on_request, on_response = wire_printer(out)

    async def request_hook(request: httpx.Request) -> None:
        on_request(request)

    async def response_hook(response: httpx.Response) -> None:
        await response.aread()
        on_response(response)

    return request_hook, response_hook


def describe_send(result: SingleSendResult) -> str:
    return f"sendResult={result.send_result} ok={result.ok} already_sent={result.already_sent}"


def describe_batch(result: BatchResult[Any]) -> str:
    lines = [f"{len(result.created)} created, {len(result.failed)} failed, {len(result.unknown)} unknown"]
    for outcome in result.failed:
        reason = getattr(outcome.error, "message", None) or str(outcome.error)
        lines.append(f"     input {outcome.index} failed: {reason}")
    return "\n".join(lines)


def engagements(count: int, *, missing_contact_at: int | None = None) -> list[Any]:
    return [
        email_engagement(
            timestamp=NOW - timedelta(minutes=index),
            subject=f"Order #{1000 + index} confirmed",
            status="SENT",
            contact_ids=["999" if index == missing_contact_at else EXISTING_CONTACTS[index % 3]],
        )
        for index in range(count)
    ]


def run_sync(base_url: str, out: TextIO) -> dict[str, Any]:
    on_request, on_response = wire_printer(out)
    http = httpx.Client(event_hooks={"request": [on_request], "response": [on_response]})
    seen: dict[str, Any] = {}
    with http, Client(TOKEN, base_url=base_url, http_client=http) as client:
        print("\n== Client: v4 single send (a receipt)", file=out)
        seen["receipt"] = client.send_email(email_id=1001, to="ada@example.com", send_id="receipt-1001")
        print(f"   {describe_send(seen['receipt'])}", file=out)

        print(
            "\n== Client: the same send again (a retry after a crash): same sendId, not delivered twice",
            file=out,
        )
        seen["retry"] = client.send_email(email_id=1001, to="ada@example.com", send_id="receipt-1001")
        print(f"   {describe_send(seen['retry'])}", file=out)

        print("\n== Client: a send HubSpot refuses (the recipient bounced before)", file=out)
        seen["bounced"] = client.send_email(email_id=1001, to="gone@example.com", send_id="receipt-1002")
        print(f"   {describe_send(seen['bounced'])}", file=out)

        print("\n== Client: a send refused before any request (a role-based address)", file=out)
        try:
            client.send_email(email_id=1001, to="noreply@example.com")
        except InvalidInputError as error:
            seen["refused_field"] = error.field
            print(f"   InvalidInputError: {error}", file=out)

        print("\n== Client: legacy v1 single send (a password reset)", file=out)
        seen["legacy"] = client.send_legacy_email(
            email_id=2002,
            to="bob@example.com",
            from_="Example Shop <shop@example.com>",
            custom_properties={"reset_link": "https://example.com/reset/abc"},
            send_id="reset-77",
        )
        print(f"   {describe_send(seen['legacy'])}", file=out)

        print(
            "\n== Client: the same legacy send again: HubSpot answers 409, reported as already sent", file=out
        )
        seen["legacy_retry"] = client.send_legacy_email(
            email_id=2002, to="bob@example.com", send_id="reset-77"
        )
        print(f"   {describe_send(seen['legacy_retry'])}", file=out)

        print(
            "\n== Client: log 3 emails on the CRM timeline; one names a contact that does not exist", file=out
        )
        seen["batch"] = client.create_emails(engagements(3, missing_contact_at=2))
        print(f"   {describe_batch(seen['batch'])}", file=out)

        print("\n== Client: record attendance at a marketing event (contacts are created)", file=out)
        seen["attendance"] = client.record_attendance(
            EVENT_ID,
            "register",
            [
                attendee(email="ada@example.com", at=NOW, contact_properties={"firstname": "Ada"}),
                attendee(email="carol@example.com", at=NOW, contact_properties={"firstname": "Carol"}),
            ],
        )
        print(f"   {describe_batch(seen['attendance'])}", file=out)
    return seen


async def run_async(base_url: str, out: TextIO) -> dict[str, Any]:
    request_hook, response_hook = async_wire_printer(out)
    http = httpx.AsyncClient(event_hooks={"request": [request_hook], "response": [response_hook]})
    async with http, AsyncClient(TOKEN, base_url=base_url, http_client=http) as client:
        print(
            "\n== AsyncClient: all four operations at once; 250 engagements go in 3 chunks of <= 100",
            file=out,
        )
        receipt, legacy, batch, attendance = await asyncio.gather(
            client.send_email(email_id=1001, to="dave@example.com", send_id="receipt-2001"),
            client.send_legacy_email(email_id=2002, to="erin@example.com", send_id="reset-78"),
            client.create_emails(engagements(250)),
            client.record_attendance(
                EVENT_ID,
                "attend",
                [
                    attendee(
                        email="ada@example.com",
                        at=NOW,
                        properties={"joinedAt": str(round(NOW.timestamp() * 1000))},
                    )
                ],
            ),
        )
        print(f"   v4 send: {describe_send(receipt)}", file=out)
        print(f"   v1 send: {describe_send(legacy)}", file=out)
        print(f"   batch create: {describe_batch(batch)}", file=out)
        print(f"   attendance: {describe_batch(attendance)}", file=out)
    return {"receipt": receipt, "legacy": legacy, "batch": batch, "attendance": attendance}


def problems_with(sim: Simulator, sync: dict[str, Any], concurrent: dict[str, Any]) -> list[str]:
    """What the demo expected and did not see (empty when all went as it should)."""
    expectations = [
        (sync["receipt"].send_result == "SENT", "the first receipt was sent"),
        (
            sync["retry"].send_result == "IDEMPOTENT_IGNORE" and sync["retry"].already_sent,
            "the retried receipt was ignored, reported as already sent",
        ),
        (
            sync["legacy_retry"].ok and sync["legacy_retry"].already_sent,
            "the retried legacy send was reported as already sent, not as an error",
        ),
        (sync["bounced"].send_result == "PREVIOUSLY_BOUNCED", "the bounced recipient was refused"),
        (sync.get("refused_field") == "to", "the role-based address was refused before sending"),
        (sync["legacy"].send_result == "SENT", "the legacy send was sent"),
        (
            [len(sync["batch"].created), len(sync["batch"].failed)] == [2, 1],
            "the batch created 2 and failed 1",
        ),
        (len(sync["attendance"].created) == 2, "both attendees were recorded"),
        (concurrent["receipt"].ok and concurrent["legacy"].ok, "the async sends went out"),
        (len(concurrent["batch"].created) == 250, "the async batch created all 250"),
        (concurrent["attendance"].ok, "the async attendance was recorded"),
        (len(sim.deliveries) == 4, "exactly 4 emails were delivered"),
        (
            max(Counter(d.send_id for d in sim.deliveries).values(), default=0) <= 1,
            "no sendId was delivered twice",
        ),
        (len(sim.emails) == 252, "exactly 252 engagements exist"),
        (len(sim.contacts) == 2, "attendance created 2 contacts"),
    ]
    return [what for held, what in expectations if not held]


def main(out: TextIO = sys.stdout) -> int:
    sim = Simulator(bounced={"gone@example.com"}, record_ids=EXISTING_CONTACTS, events=[EVENT_ID])
    with sim.serve() as base_url:
        print(f"HubSpot simulator on {base_url} (loopback; no HubSpot account involved)", file=out)
        sync = run_sync(base_url, out)
        concurrent = asyncio.run(run_async(base_url, out))
    print("\n== What the simulator recorded", file=out)
    print(f"   deliveries: {[(d.api, d.to, d.send_id) for d in sim.deliveries]}", file=out)
    print(f"   engagements created: {len(sim.emails)}; contacts: {sorted(sim.contacts)}", file=out)
    print(f"   attendance: {[(a.state, a.email, a.vid) for a in sim.attendance]}", file=out)
    problems = problems_with(sim, sync, concurrent)
    for problem in problems:
        print(f"FAILED: expected that {problem}", file=out)
    if not problems:
        print("\nAll as expected: nothing sent twice, every batch input accounted for.", file=out)
    print(json.dumps({"requests": len(sim.exchanges), "problems": len(problems)}), file=out)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
