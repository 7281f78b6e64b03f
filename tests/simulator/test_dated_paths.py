"""The simulator on the dated successors' paths: the same behaviour and records as on the numbered ones.

The same scenario (sends, a repeated sendId, a bounced recipient, the v1 send, a partial batch,
attendance) runs through `Client` and `AsyncClient` on a fresh simulator per `api_version`; outcomes,
deliveries, emails, contacts and attendance must be identical, and only the exchanges may differ, by
the operation and path each request took.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hubspot_email import AsyncClient, BatchResult, SingleSendResult, attendee, email_engagement
from hubspot_email.testing import SIMULATOR_TOKEN, Simulator
from hubspot_email.testing._operations import ACTIONS
from hubspot_email.testing._spec import load_spec

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# Fact sheet, section 8: each numbered operation and its dated successor (the v1 send has none).
DATED_TWINS = {
    "sendSingleEmailDated": "sendSingleEmail",
    "batchCreateEmailsDated": "batchCreateEmails",
    "recordAttendanceByEmailDated": "recordAttendanceByEmail",
}
DATED_VERSIONS = ["2026-03", "2026-09", "2027-03"]


def simulator() -> Simulator:
    # A clock that stands still: the records' and answers' timestamps are then comparable across runs.
    return Simulator(bounced={"gone@example.com"}, record_ids={"101"}, clock=lambda: NOW)


def _send_summary(result: SingleSendResult) -> tuple[Any, ...]:
    return (result.ok, result.already_sent, str(result.send_result), result.event_id, result.http_status)


def _batch_summary(result: BatchResult[Any]) -> list[tuple[Any, ...]]:
    return [(outcome.state, str(outcome.reason), outcome.raw) for outcome in result.outcomes]


def _engagements() -> list[Any]:
    return [
        email_engagement(timestamp=NOW, subject="Receipt", contact_ids=["101"], trace_id="t-1"),
        email_engagement(timestamp=NOW, subject="Unknown contact", contact_ids=["999"], trace_id="t-2"),
    ]


def _attendees() -> list[Any]:
    return [
        attendee(email="ada@example.com", at=NOW, contact_properties={"firstname": "Ada"}),
        attendee(email="bob@example.com", at=NOW),
    ]


def run_sync(sim: Simulator, api_version: str) -> list[Any]:
    with sim.client(api_version=api_version) as client:
        return [
            _send_summary(client.send_email(email_id=1, to="ada@example.com", send_id="order-1")),
            _send_summary(client.send_email(email_id=1, to="ada@example.com", send_id="order-1")),
            _send_summary(client.send_email(email_id=1, to="gone@example.com", send_id="order-2")),
            _send_summary(client.send_legacy_email(email_id=2, to="bob@example.com", send_id="legacy-1")),
            _batch_summary(client.create_emails(_engagements())),
            _batch_summary(client.record_attendance("58237132332", "register", _attendees())),
        ]


def run_async(sim: Simulator, api_version: str) -> list[Any]:
    async def scenario(client: AsyncClient) -> list[Any]:
        return [
            _send_summary(await client.send_email(email_id=1, to="ada@example.com", send_id="order-1")),
            _send_summary(await client.send_email(email_id=1, to="ada@example.com", send_id="order-1")),
            _send_summary(await client.send_email(email_id=1, to="gone@example.com", send_id="order-2")),
            _send_summary(
                await client.send_legacy_email(email_id=2, to="bob@example.com", send_id="legacy-1")
            ),
            _batch_summary(await client.create_emails(_engagements())),
            _batch_summary(await client.record_attendance("58237132332", "register", _attendees())),
        ]

    async def main() -> list[Any]:
        async with sim.async_client(api_version=api_version) as client:
            return await scenario(client)

    return asyncio.run(main())


RUNS = {"sync": run_sync, "async": run_async}


def record_without_exchanges(sim: Simulator) -> dict[str, Any]:
    return {key: value for key, value in sim.record().items() if key != "exchanges"}


@pytest.mark.parametrize("api_version", DATED_VERSIONS)
@pytest.mark.parametrize("kind", list(RUNS))
def test_the_dated_paths_give_the_same_outcomes_deliveries_and_records(kind: str, api_version: str) -> None:
    numbered, dated = simulator(), simulator()
    expected = RUNS[kind](numbered, "legacy")
    outcomes = RUNS[kind](dated, api_version)
    assert outcomes == expected
    assert record_without_exchanges(dated) == record_without_exchanges(numbered)
    # The scenario did what it says, so the comparison above is not between two empty runs.
    assert [delivery.to for delivery in dated.deliveries] == ["ada@example.com", "bob@example.com"]
    assert len(dated.emails) == 1
    assert sorted(dated.contacts) == ["ada@example.com", "bob@example.com"]
    # The exchanges say which path family was called: the dated operations, each on its dated path.
    numbered_calls = [(exchange.operation, exchange.status) for exchange in numbered.exchanges]
    dated_calls = [(DATED_TWINS.get(str(e.operation), e.operation), e.status) for e in dated.exchanges]
    assert dated_calls == numbered_calls
    called = {exchange.operation for exchange in dated.exchanges}
    assert called == {*DATED_TWINS, "sendLegacySingleEmail"}
    for exchange in dated.exchanges:
        in_path = f"/{api_version}/" in exchange.path
        assert in_path is (exchange.operation in DATED_TWINS), exchange


def test_the_simulator_acts_on_every_operation_of_the_spec() -> None:
    spec_ids = {
        operation["operationId"] for item in load_spec()["paths"].values() for operation in item.values()
    }
    assert set(ACTIONS) == spec_ids


def post(sim: Simulator, path: str, body: Any) -> httpx.Response:
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        return http.post(path, json=body, headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"})


SEND_BODY = {"emailId": 1, "message": {"to": "ada@example.com", "sendId": "raw-1"}}


@pytest.mark.parametrize("version", ["2026-03", "2026-09", "2027-03", "2099-12"])
def test_a_version_of_the_right_form_is_served(version: str) -> None:
    sim = Simulator()
    answer = post(sim, f"/marketing/email-campaigns/{version}/single-send", SEND_BODY)
    assert answer.status_code == 200, answer.text
    assert answer.json()["sendResult"] == "SENT"
    [exchange] = sim.exchanges
    assert (exchange.operation, exchange.processed) == ("sendSingleEmailDated", True)


@pytest.mark.parametrize("version", ["2026-13", "latest", "v4", "2026-3", "2026-03%0A"])
def test_a_version_of_another_form_is_a_400_naming_it(version: str) -> None:
    sim = Simulator()
    answer = post(sim, f"/marketing/email-campaigns/{version}/single-send", SEND_BODY)
    assert answer.status_code == 400
    assert [error["in"] for error in answer.json()["errors"]] == ["version"]
    assert sim.deliveries == []


def test_a_send_id_is_sent_once_across_both_path_families() -> None:
    """HubSpot de-duplicates by sendId per account, whichever path the send took."""
    sim = Simulator()
    with sim.client() as numbered, sim.client(api_version="2026-03") as dated:
        first = numbered.send_email(email_id=1, to="ada@example.com", send_id="once")
        again = dated.send_email(email_id=1, to="ada@example.com", send_id="once")
    assert (first.ok, first.already_sent) == (True, False)
    assert (again.ok, again.already_sent) == (True, True)
    assert len(sim.deliveries) == 1


def test_the_record_counts_exchanges_by_dated_operation() -> None:
    sim = Simulator()
    with sim.client(api_version="2026-09") as client:
        client.send_email(email_id=1, to="ada@example.com", send_id="r-1")
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        record = http.get("/_simulator/record").json()
    assert record["exchanges"] == [
        {"operation": "sendSingleEmailDated", "status": 200, "fault": None, "count": 1}
    ]
    assert [delivery["api"] for delivery in record["deliveries"]] == ["v4"]


def test_a_dated_sends_status_is_looked_up_on_v3() -> None:
    """The send-status lookup has no dated successor: a client on a dated version asks v3, and the
    statusId its dated send answered with is known there (pending until the delay, then complete)."""
    now = [NOW]
    sim = Simulator(clock=lambda: now[0], send_completion_delay=5)
    with sim.client(api_version="2026-09") as client:
        sent = client.send_email(email_id=1, to="ada@example.com", send_id="dated-status")
        pending = client.get_send_status(sent.status_id or "")
        now[0] = NOW + timedelta(seconds=5)
        complete = client.get_send_status(sent.status_id or "")
    assert (str(sent.status), str(pending.status), str(complete.status)) == ("PENDING", "PENDING", "COMPLETE")
    assert str(complete.send_result) == "SENT"
    assert [exchange.operation for exchange in sim.exchanges] == [
        "sendSingleEmailDated",
        "getSendStatus",
        "getSendStatus",
    ]
    assert all(
        exchange.path.startswith("/marketing/v3/email/send-statuses/") for exchange in sim.exchanges[1:]
    )
