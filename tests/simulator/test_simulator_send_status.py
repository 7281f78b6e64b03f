"""The simulator's asynchronous v4 send and its send-status lookup, in process and on loopback.

A fake clock (for the simulator, and for the client's waits) crosses the completion delay without
waiting: PENDING with no sendResult until the delay has passed on the simulator's clock, then COMPLETE.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hubspot_email import Client, SendStatus
from hubspot_email.testing import SIMULATOR_TOKEN, RateLimit, Simulator
from hubspot_email_api.models import ProcessingStatus, SendResult

V4 = "/marketing/v4/email/single-send"
STATUSES = "/marketing/v3/email/send-statuses/"
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
AUTH = {"Authorization": f"Bearer {SIMULATOR_TOKEN}"}


@dataclass
class FakeTime:
    """One clock for the simulator (an aware datetime) and the client's waits (monotonic seconds): a
    client's sleep moves both, as the real clock would."""

    now: datetime = START
    sleeps: list[float] = field(default_factory=list)

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return (self.now - START).total_seconds()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def v4_send(http: httpx.Client, to: str = "ada@example.com", send_id: str | None = None) -> dict[str, Any]:
    message = {"to": to} if send_id is None else {"to": to, "sendId": send_id}
    answer = http.post(V4, json={"emailId": 1, "message": message}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def lookup(http: httpx.Client, status_id: str) -> httpx.Response:
    return http.get(STATUSES + status_id, headers=AUTH)


def test_with_a_delay_a_send_is_pending_without_a_result_until_the_delay_has_passed() -> None:
    time = FakeTime()
    sim = Simulator(clock=time.wall, send_completion_delay=5)
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        accepted = v4_send(http, send_id="receipt-1")
        # The delivery is recorded when the send is accepted: exactly once, whatever the delay.
        [delivery] = sim.deliveries
        time.advance(4.999)
        before = lookup(http, accepted["statusId"]).json()
        time.advance(0.001)
        after = lookup(http, accepted["statusId"]).json()
        time.advance(60)
        later = lookup(http, accepted["statusId"]).json()
    requested = "2026-11-23T10:00:00.000Z"
    completed = "2026-11-23T10:00:05.000Z"
    assert accepted == {"status": "PENDING", "statusId": accepted["statusId"], "requestedAt": requested}
    assert before == accepted
    assert after == {
        "status": "COMPLETE",
        "statusId": accepted["statusId"],
        "sendResult": "SENT",
        "requestedAt": requested,
        "startedAt": completed,
        "completedAt": completed,
        "eventId": {"id": delivery.event_id, "created": completed},
    }
    assert later == after  # a final status stays as it is
    assert len(sim.deliveries) == 1


def test_without_a_delay_the_send_completes_at_once_and_the_lookup_agrees() -> None:
    time = FakeTime()
    sim = Simulator(clock=time.wall)
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        accepted = v4_send(http)
        looked_up = lookup(http, accepted["statusId"])
    assert (accepted["status"], accepted["sendResult"]) == ("COMPLETE", "SENT")
    assert accepted["completedAt"] == accepted["requestedAt"] == "2026-11-23T10:00:00.000Z"
    assert looked_up.status_code == 200
    assert looked_up.json() == accepted


def test_a_refused_recipient_completes_with_its_result_and_no_delivery() -> None:
    time = FakeTime()
    sim = Simulator(clock=time.wall, send_completion_delay=2, bounced={"gone@example.com"})
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        accepted = v4_send(http, to="gone@example.com")
        time.advance(2)
        done = lookup(http, accepted["statusId"]).json()
    assert accepted["status"] == "PENDING"
    assert "sendResult" not in accepted
    assert (done["status"], done["sendResult"]) == ("COMPLETE", "PREVIOUSLY_BOUNCED")
    assert "eventId" not in done
    assert sim.deliveries == []


def test_a_repeated_send_ids_ignored_request_has_its_own_queryable_status() -> None:
    time = FakeTime()
    sim = Simulator(clock=time.wall, send_completion_delay=1)
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        first = v4_send(http, send_id="once")
        second = v4_send(http, send_id="once")
        time.advance(1)
        first_done = lookup(http, first["statusId"]).json()
        second_done = lookup(http, second["statusId"]).json()
    assert first["statusId"] != second["statusId"]
    assert second["status"] == "PENDING"
    assert first_done["sendResult"] == "SENT"
    assert (second_done["status"], second_done["sendResult"]) == ("COMPLETE", "IDEMPOTENT_IGNORE")
    assert len(sim.deliveries) == 1


def test_an_unknown_status_id_is_a_404_in_hubspots_error_shape() -> None:
    sim = Simulator()
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        answer = lookup(http, "no-such-status")
    assert answer.status_code == 404
    body = answer.json()
    assert (body["status"], body["category"]) == ("error", "OBJECT_NOT_FOUND")
    assert "no-such-status" in body["message"]
    assert body["correlationId"] == answer.headers["x-hubspot-correlation-id"]
    assert [exchange.operation for exchange in sim.exchanges] == ["getSendStatus"]


def test_statuses_are_forgotten_past_max_records_and_on_reset_but_not_by_clear_records() -> None:
    sim = Simulator(max_records=2)
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        ids = [v4_send(http, send_id=f"s-{n}")["statusId"] for n in range(3)]
        capped = [lookup(http, status_id).status_code for status_id in ids]
        sim.clear_records()
        cleared = [lookup(http, status_id).status_code for status_id in ids]
        sim.reset()
        after_reset = [lookup(http, status_id).status_code for status_id in ids]
    assert capped == [404, 200, 200]  # the oldest is no longer kept
    assert cleared == [404, 200, 200]
    assert after_reset == [404, 404, 404]


def test_the_lookup_spends_the_rate_budget_as_the_sends_do_not() -> None:
    sim = Simulator(rate_limit=RateLimit(max_requests=1, interval=10.0))
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        status_ids = [v4_send(http, send_id=f"s-{n}")["statusId"] for n in range(3)]  # exempt: all pass
        first, second = (lookup(http, status_id) for status_id in status_ids[:2])
    assert first.status_code == 200
    assert second.status_code == 429
    assert second.json()["policyName"] == "TEN_SECONDLY_ROLLING"


def test_the_lookup_needs_one_of_the_send_scopes() -> None:
    sim = Simulator(
        tokens={"sender": ["transactional-email"], "crm": ["crm.objects.contacts.write"]},
    )
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        accepted = http.post(
            V4,
            json={"emailId": 1, "message": {"to": "ada@example.com"}},
            headers={"Authorization": "Bearer sender"},
        ).json()
        allowed = http.get(STATUSES + accepted["statusId"], headers={"Authorization": "Bearer sender"})
        refused = http.get(STATUSES + accepted["statusId"], headers={"Authorization": "Bearer crm"})
    assert allowed.status_code == 200
    assert refused.status_code == 403


def test_a_body_sent_with_the_get_is_ignored() -> None:
    sim = Simulator()
    with httpx.Client(transport=sim.transport, base_url="https://sim") as http:
        accepted = v4_send(http)
        answer = http.request(
            "GET",
            STATUSES + accepted["statusId"],
            headers={**AUTH, "content-type": "text/plain"},
            content=b"x",
        )
    assert answer.status_code == 200


@pytest.mark.parametrize("delay", [-1, math.nan, math.inf, True, "5"])
def test_a_completion_delay_must_be_seconds(delay: Any) -> None:
    with pytest.raises(ValueError, match="send_completion_delay"):
        Simulator(send_completion_delay=delay)


# ------------------------------------------------------------------------------ through the client
def _wire_sync(client: Client, time: FakeTime) -> Client:
    client._sleep, client._clock = time.sleep, time.monotonic
    return client


def test_in_process_the_client_waits_from_pending_to_complete() -> None:
    time = FakeTime()
    sim = Simulator(clock=time.wall, send_completion_delay=5)
    with _wire_sync(sim.client(), time) as client:
        sent = client.send_email(email_id=1, to="ada@example.com", send_id="receipt-42")
        asked = client.get_send_status(sent.status_id or "")
        waited = client.wait_for_send(sent, timeout=60, poll_interval=1)
    assert (sent.status, sent.send_result, sent.ok) == (ProcessingStatus.PENDING, None, True)
    assert (asked.status, asked.final) == (ProcessingStatus.PENDING, False)
    assert (waited.status, waited.send_result, waited.final) == (
        ProcessingStatus.COMPLETE,
        SendResult.SENT,
        True,
    )
    assert waited.completed_at == START + timedelta(seconds=5)
    assert sum(time.sleeps) >= 5  # no earlier answer could have been COMPLETE
    assert len(sim.deliveries) == 1


def test_in_process_the_async_client_waits_from_pending_to_complete() -> None:
    time = FakeTime()
    sim = Simulator(clock=time.wall, send_completion_delay=5)

    async def run() -> SendStatus:
        async with sim.async_client() as client:
            client._sleep, client._clock = time.async_sleep, time.monotonic
            sent = await client.send_email(email_id=1, to="ada@example.com")
            return await client.wait_for_send(sent, timeout=60, poll_interval=1)

    waited = asyncio.run(run())
    assert (waited.status, waited.send_result) == (ProcessingStatus.COMPLETE, SendResult.SENT)


def test_in_process_a_wait_shorter_than_the_delay_returns_pending() -> None:
    time = FakeTime()
    sim = Simulator(clock=time.wall, send_completion_delay=120)
    with _wire_sync(sim.client(), time) as client:
        sent = client.send_email(email_id=1, to="ada@example.com")
        waited = client.wait_for_send(sent, timeout=10, poll_interval=1)
    assert (waited.found, waited.final, waited.status) == (True, False, ProcessingStatus.PENDING)
    assert math.isclose(sum(time.sleeps), 10)


def test_on_loopback_the_client_waits_from_pending_to_complete() -> None:
    time = FakeTime()
    sim = Simulator(clock=time.wall, send_completion_delay=3)
    with sim.serve() as base_url, _wire_sync(Client("any-token", base_url=base_url), time) as client:
        sent = client.send_email(email_id=1, to="ada@example.com", send_id="loopback-1")
        pending = client.get_send_status(sent.status_id or "")
        waited = client.wait_for_send(sent, timeout=60, poll_interval=1)
        unknown = client.get_send_status("no-such-status")
    assert (sent.status, pending.status) == (ProcessingStatus.PENDING, ProcessingStatus.PENDING)
    assert (waited.status, waited.send_result) == (ProcessingStatus.COMPLETE, SendResult.SENT)
    assert (unknown.found, unknown.http_status) == (False, 404)
    assert len(sim.deliveries) == 1
