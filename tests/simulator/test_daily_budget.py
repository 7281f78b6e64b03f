"""The daily budget restarts at the account's midnight, read from an injectable clock.

A fake clock crosses midnight without waiting; a DAILY 429 says in Retry-After how far away it is.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from hubspot_email import OutcomeState, RateLimitError, attendee
from hubspot_email.testing import SIMULATOR_TOKEN, RateLimit, Simulator

BATCH = "/crm/v3/objects/emails/batch/create"
NEW_YORK = ZoneInfo("America/New_York")
ONE_A_DAY = RateLimit(max_requests=100, interval=10.0, daily=1)


class Clock:
    """A fake clock: an aware datetime moved by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def engagement() -> dict[str, Any]:
    return {
        "properties": {"hs_timestamp": "1795000000000"},
        "associations": [
            {
                "to": {"id": "1"},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}],
            }
        ],
    }


def create(sim: Simulator) -> httpx.Response:
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        return http.post(
            BATCH, json={"inputs": [engagement()]}, headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"}
        )


def test_the_daily_budget_restarts_at_the_accounts_midnight() -> None:
    clock = Clock(datetime(2026, 11, 23, 23, 59, 0, tzinfo=NEW_YORK))
    sim = Simulator(
        rate_limit=RateLimit(max_requests=100, interval=10.0, daily=2),
        clock=clock,
        timezone="America/New_York",
    )
    assert [create(sim).status_code for _ in range(2)] == [201, 201]
    refused = create(sim)
    assert refused.status_code == 429
    assert refused.json()["policyName"] == "DAILY"
    assert refused.headers["retry-after"] == "60"
    assert refused.headers["x-hubspot-ratelimit-daily-remaining"] == "0"
    clock.now += timedelta(seconds=59)
    assert create(sim).headers["retry-after"] == "1"
    clock.now += timedelta(seconds=1)  # midnight in New York
    allowed = create(sim)
    assert allowed.status_code == 201
    assert allowed.headers["x-hubspot-ratelimit-daily-remaining"] == "1"
    assert "retry-after" not in allowed.headers
    assert len(sim.emails) == 3


def test_the_account_time_zone_decides_when_the_day_turns() -> None:
    start = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 18:30 in New York
    utc_clock, new_york_clock = Clock(start), Clock(start)
    in_utc = Simulator(rate_limit=ONE_A_DAY, clock=utc_clock)
    in_new_york = Simulator(rate_limit=ONE_A_DAY, clock=new_york_clock, timezone="America/New_York")
    assert create(in_utc).status_code == create(in_new_york).status_code == 201
    assert create(in_utc).headers["retry-after"] == str(30 * 60)
    assert create(in_new_york).headers["retry-after"] == str(5 * 3600 + 30 * 60)  # to 05:00 UTC
    utc_clock.now = new_york_clock.now = start + timedelta(hours=1)  # a new day in UTC only
    assert create(in_utc).status_code == 201
    still_refused = create(in_new_york)
    assert still_refused.status_code == 429
    assert still_refused.headers["retry-after"] == str(4 * 3600 + 30 * 60)


def test_retry_after_counts_real_seconds_on_a_day_that_springs_forward() -> None:
    # 2026-03-08 is 23 hours long in New York: at 01:00 EST, midnight is 22 hours away, not 23.
    clock = Clock(datetime(2026, 3, 8, 6, 0, tzinfo=UTC))
    sim = Simulator(rate_limit=RateLimit(daily=0), clock=clock, timezone=NEW_YORK)
    assert create(sim).headers["retry-after"] == str(22 * 3600)


def test_a_clock_in_epoch_seconds_is_taken_as_utc() -> None:
    midnight = datetime(2026, 11, 24, tzinfo=UTC).timestamp()
    now = [midnight - 0.5]
    sim = Simulator(rate_limit=ONE_A_DAY, clock=lambda: now[0])
    assert create(sim).status_code == 201
    refused = create(sim)
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "1")  # rounded up
    now[0] = midnight
    assert create(sim).status_code == 201


def test_the_clock_also_stamps_the_answers() -> None:
    clock = Clock(datetime(2026, 11, 23, 12, 0, tzinfo=NEW_YORK))
    sim = Simulator(clock=clock)
    (result,) = create(sim).json()["results"]
    assert result["createdAt"] == "2026-11-23T17:00:00.000Z"


def test_the_overlay_reads_the_wait_until_midnight_and_does_not_retry() -> None:
    clock = Clock(datetime(2026, 11, 23, 23, 0, tzinfo=UTC))
    sim = Simulator(rate_limit=RateLimit(daily=0), clock=clock)
    with sim.client() as client:
        result = client.record_attendance("e1", "register", [attendee(email="ada@example.com", at=clock.now)])
    (outcome,) = result.outcomes
    assert outcome.state is OutcomeState.FAILED
    assert isinstance(outcome.error, RateLimitError)
    assert outcome.error.policy_name == "DAILY"
    assert outcome.error.retry_after == 3600
    assert len(sim.exchanges) == 1


def test_a_naive_clock_or_an_unknown_zone_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        Simulator(clock=lambda: datetime(2026, 11, 23, 12, 0))
    with pytest.raises(TypeError, match="epoch seconds"):
        Simulator(clock=lambda: "noon")  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        Simulator(timezone="Mars/Olympus")
