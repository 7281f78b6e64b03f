"""The record can be capped (`max_records`) or cleared, and de-duplication holds past either."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hubspot_email.testing import SIMULATOR_TOKEN, Simulator

V4 = "/marketing/v4/email/single-send"
ATTEND = "/marketing/v3/marketing-events/e1/attendance/register/email-create"


def send(sim: Simulator, send_id: str) -> dict[str, Any]:
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        response = http.post(
            V4,
            json={"emailId": 1, "message": {"to": "ada@example.com", "sendId": send_id}},
            headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"},
        )
    body: dict[str, Any] = response.json()
    return body


def register(sim: Simulator, email: str) -> int:
    guest = {"email": email, "interactionDateTime": 1795000000000, "properties": {}, "contactProperties": {}}
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        response = http.post(ATTEND, json={"inputs": [guest]}, headers={"Authorization": "Bearer t"})
    vid: int = response.json()["results"][0]["vid"]
    return vid


def test_max_records_keeps_the_newest_and_says_how_many_it_dropped() -> None:
    sim = Simulator(max_records=3)
    for index in range(5):
        assert send(sim, f"s{index}")["sendResult"] == "SENT"
    assert [delivery.send_id for delivery in sim.deliveries] == ["s2", "s3", "s4"]
    assert len(sim.exchanges) == 3
    record = sim.record()
    assert record["max_records"] == 3
    assert record["dropped"] == {"deliveries": 2, "emails": 0, "attendance": 0, "exchanges": 2}
    # The counts by operation stay whole past the cap.
    assert record["exchanges"] == [{"operation": "sendSingleEmail", "status": 200, "fault": None, "count": 5}]


def test_a_send_id_delivered_before_the_cap_dropped_it_is_still_not_delivered_twice() -> None:
    sim = Simulator(max_records=1)
    send(sim, "first")
    send(sim, "second")
    assert [delivery.send_id for delivery in sim.deliveries] == ["second"]
    assert send(sim, "first")["sendResult"] == "IDEMPOTENT_IGNORE"
    assert [delivery.send_id for delivery in sim.deliveries] == ["second"]


def test_a_long_running_simulator_stays_within_its_cap() -> None:
    sim = Simulator(max_records=10)
    for index in range(300):
        send(sim, f"s{index}")
    assert len(sim.deliveries) == len(sim.exchanges) == 10
    assert sim.record()["dropped"]["exchanges"] == 290


def test_clear_records_forgets_the_logs_but_not_the_account() -> None:
    sim = Simulator()
    send(sim, "once")
    vid = register(sim, "ada@example.com")
    sim.clear_records()
    assert (sim.deliveries, sim.attendance, sim.exchanges) == ([], [], [])
    assert sim.record()["exchanges"] == []
    # What the account holds stays: the sendId is still delivered, the contact keeps its vid.
    assert send(sim, "once")["sendResult"] == "IDEMPOTENT_IGNORE"
    assert register(sim, "ada@example.com") == vid
    assert sim.deliveries == []


def test_reset_forgets_the_send_ids_too() -> None:
    sim = Simulator(max_records=1)
    send(sim, "once")
    sim.reset()
    assert send(sim, "once")["sendResult"] == "SENT"


@pytest.mark.parametrize("bad", [-1, True])
def test_max_records_must_be_a_count(bad: int) -> None:
    with pytest.raises(ValueError, match="max_records"):
        Simulator(max_records=bad)


def test_the_record_as_json() -> None:
    sim = Simulator()
    with sim.client() as client:
        client.send_legacy_email(email_id=7, to="ada@example.com", from_="shop@example.com", send_id="r-1")
    register(sim, "bob@example.com")
    record = sim.record()
    (delivery,) = record["deliveries"]
    assert delivery["api"] == "v1"
    assert delivery["from"] == "shop@example.com"
    assert delivery["send_id"] == "r-1"
    assert record["contacts"] == [{"vid": 1001, "email": "bob@example.com", "properties": {}}]
    assert [entry["email"] for entry in record["attendance"]] == ["bob@example.com"]
    assert record["max_records"] is None
