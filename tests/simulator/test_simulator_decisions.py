"""The simulator's decisions, by table: recipient results, the rate window, faults, per-input checks."""

from __future__ import annotations

from collections import deque

import pytest
from hubspot_email.testing import Fault, Faults, RateLimit
from hubspot_email.testing._decisions import (
    Verdict,
    attendee_problems,
    choose_fault,
    engagement_problems,
    rate_headers,
    rate_verdict,
    recipient_result,
    timestamp_problem,
)
from hubspot_email.testing._spec import field_name

LISTS = {
    "bounced": frozenset({"gone@example.com"}),
    "unsubscribed": frozenset({"left@example.com"}),
    "blocked": frozenset({"blocked@example.com", "spam-domain.example"}),
}


@pytest.mark.parametrize(
    ("api", "to", "sender", "email_id", "published", "expected"),
    [
        ("v4", "ada@example.com", None, 1, None, "SENT"),
        ("v1", "ada@example.com", None, 1, None, "SENT"),
        ("v4", "Ada@Example.com", "Shop <shop@example.com>", 1, None, "SENT"),
        ("v4", "ada@example.com", None, 2, frozenset({1}), "MISSING_CONTENT"),
        ("v1", "ada@example.com", None, 2, frozenset({1}), "MISSING_CONTENT"),
        ("v4", "not-an-address", None, 1, None, "INVALID_TO_ADDRESS"),
        ("v4", "", None, 1, None, "INVALID_TO_ADDRESS"),
        ("v4", "noreply@example.com", None, 1, None, "INVALID_TO_ADDRESS"),
        ("v1", "postmaster@example.com", None, 1, None, "INVALID_TO_ADDRESS"),
        ("v4", "undisclosed-recipients@example.com", None, 1, None, "INVALID_TO_ADDRESS"),
        ("v4", "ada@example.com", "Shop <not an address>", 1, None, "INVALID_FROM_ADDRESS"),
        ("v1", "ada@example.com", "shop", 1, None, "INVALID_FROM_ADDRESS"),
        ("v4", "gone@example.com", None, 1, None, "PREVIOUSLY_BOUNCED"),
        ("v1", "GONE@example.com", None, 1, None, "PREVIOUSLY_BOUNCED"),
        ("v4", "left@example.com", None, 1, None, "PREVIOUSLY_UNSUBSCRIBED_PORTAL"),
        # Transactional email reaches unsubscribed contacts; the legacy send has no such result.
        ("v1", "left@example.com", None, 1, None, "SENT"),
        ("v4", "blocked@example.com", None, 1, None, "BLOCKED_ADDRESS"),
        ("v1", "blocked@example.com", None, 1, None, "BLOCKED_DOMAIN"),
        ("v4", "anyone@spam-domain.example", None, 1, None, "BLOCKED_DOMAIN"),
        ("v1", "anyone@spam-domain.example", None, 1, None, "BLOCKED_DOMAIN"),
    ],
)
def test_recipient_result(
    api: str, to: str, sender: str | None, email_id: int, published: frozenset[int] | None, expected: str
) -> None:
    assert (
        recipient_result(
            api=api, to=to, sender=sender, email_id=email_id, published_email_ids=published, **LISTS
        )
        == expected
    )


@pytest.mark.parametrize(
    ("stamps", "used_today", "now", "limit", "expected", "left_in_window"),
    [
        ([], 0, 0.0, RateLimit(2, 1.0), Verdict.ALLOWED, 0),
        ([0.0], 1, 0.5, RateLimit(2, 1.0), Verdict.ALLOWED, 1),
        ([0.0, 0.5], 2, 0.9, RateLimit(2, 1.0), Verdict.TEN_SECONDLY_ROLLING, 2),
        # Exactly one interval later the oldest request has left the window.
        ([0.0, 0.5], 2, 1.0, RateLimit(2, 1.0), Verdict.ALLOWED, 1),
        ([0.0, 0.5], 2, 5.0, RateLimit(2, 1.0), Verdict.ALLOWED, 0),
        # The daily budget wins over a free window.
        ([], 10, 0.0, RateLimit(2, 1.0, daily=10), Verdict.DAILY, 0),
        ([0.0, 0.1], 10, 0.2, RateLimit(2, 1.0, daily=10), Verdict.DAILY, 2),
    ],
)
def test_rate_verdict(
    stamps: list[float], used_today: int, now: float, limit: RateLimit, expected: Verdict, left_in_window: int
) -> None:
    window = deque(stamps)
    assert rate_verdict(window, used_today, now, limit) is expected
    assert len(window) == left_in_window


def test_rate_headers_speak_hubspots_names_and_never_go_negative() -> None:
    assert rate_headers(RateLimit(100, 10.0, daily=1000), 101, 1001) == {
        "x-hubspot-ratelimit-max": "100",
        "x-hubspot-ratelimit-remaining": "0",
        "x-hubspot-ratelimit-interval-milliseconds": "10000",
        "x-hubspot-ratelimit-daily": "1000",
        "x-hubspot-ratelimit-daily-remaining": "0",
    }
    assert rate_headers(RateLimit(5, 0.25), 2, 7)["x-hubspot-ratelimit-interval-milliseconds"] == "250"


FAULTS = Faults(
    server_error_rate=0.1,
    reset_rate=0.1,
    slow_rate=0.1,
    malformed_rate=0.1,
    timeout_after_acting_rate=0.1,
    bad_encoding_rate=0.1,
    rate_limited_rate=0.1,
)


@pytest.mark.parametrize(
    ("faults", "draw", "expected"),
    [
        (Faults(), 0.0, None),
        (FAULTS, 0.0, Fault.SERVER_ERROR),
        (FAULTS, 0.0999, Fault.SERVER_ERROR),
        (FAULTS, 0.1, Fault.RESET),
        (FAULTS, 0.25, Fault.SLOW),
        (FAULTS, 0.35, Fault.MALFORMED),
        (FAULTS, 0.45, Fault.TIMEOUT_AFTER_ACTING),
        (FAULTS, 0.5, Fault.BAD_ENCODING),
        (FAULTS, 0.5999, Fault.BAD_ENCODING),
        (FAULTS, 0.6, Fault.RATE_LIMITED),
        (FAULTS, 0.6999, Fault.RATE_LIMITED),
        (FAULTS, 0.7, None),
        (FAULTS, 0.999, None),
        (Faults(reset_rate=1.0), 0.999, Fault.RESET),
        (Faults(rate_limited_rate=1.0), 0.0, Fault.RATE_LIMITED),
        (Faults(rate_limited_rate=1.0), 0.999, Fault.RATE_LIMITED),
        (Faults(server_error_rate=0.5, rate_limited_rate=0.25), 0.5, Fault.RATE_LIMITED),
        (Faults(server_error_rate=0.5, rate_limited_rate=0.25), 0.75, None),
    ],
)
def test_choose_fault(faults: Faults, draw: float, expected: Fault | None) -> None:
    assert choose_fault(faults, draw) is expected


def test_a_429_rate_takes_only_draws_that_drew_no_fault_before() -> None:
    """It comes last in the rates: every seed's requests still suffer the faults they did without it."""
    without = Faults(**{**FAULTS.__dict__, "rate_limited_rate": 0.0})
    for draw in (index / 1000 for index in range(1000)):
        before = choose_fault(without, draw)
        allowed = {None, Fault.RATE_LIMITED} if before is None else {before}
        assert choose_fault(FAULTS, draw) in allowed, draw


def test_faults_refuse_impossible_rates() -> None:
    with pytest.raises(ValueError, match="rate"):
        Faults(server_error_rate=-0.1)
    with pytest.raises(ValueError, match="rate"):
        Faults(reset_rate=0.6, malformed_rate=0.5)
    with pytest.raises(ValueError, match="rate"):
        Faults(bad_encoding_rate=-0.1)
    with pytest.raises(ValueError, match="rate"):
        Faults(timeout_after_acting_rate=0.5, bad_encoding_rate=0.6)
    assert Faults(timeout_after_acting_rate=0.5, bad_encoding_rate=0.5).bad_encoding_rate == 0.5
    with pytest.raises(ValueError, match="rate"):
        Faults(rate_limited_rate=-0.1)
    with pytest.raises(ValueError, match="rate"):
        Faults(bad_encoding_rate=0.5, rate_limited_rate=0.6)
    assert Faults(bad_encoding_rate=0.5, rate_limited_rate=0.5).rate_limited_rate == 0.5


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1700000000000", None),
        ("2026-11-23T10:00:00Z", None),
        ("2026-11-23T10:00:00.123+01:00", None),
        (None, "hs_timestamp is required"),
        ("", "hs_timestamp is required"),
        ("yesterday", "neither epoch milliseconds nor an ISO-8601"),
        ("-5", "neither epoch milliseconds nor an ISO-8601"),
    ],
)
def test_timestamp_problem(value: str | None, problem: str | None) -> None:
    found = timestamp_problem(value)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found


GOOD = {"hs_timestamp": "1700000000000", "hs_email_direction": "EMAIL", "hs_email_status": "SENT"}


@pytest.mark.parametrize(
    ("properties", "associations", "problems"),
    [
        (GOOD, [{"to": {"id": "101"}, "types": []}], []),
        ({"hs_timestamp": "1700000000000"}, [], []),
        ({}, [], ["hs_timestamp is required"]),
        (
            {**GOOD, "hs_email_direction": "OUTGOING"},
            [],
            ["'OUTGOING' is not a valid option for hs_email_direction"],
        ),
        (
            {**GOOD, "hs_email_status": "DELIVERED"},
            [],
            ["'DELIVERED' is not a valid option for hs_email_status"],
        ),
        (GOOD, [{"to": {"id": "abc"}, "types": []}], ["association target id 'abc' is not a record id"]),
        (
            {"hs_email_status": "NOPE"},
            [{"to": {"id": ""}, "types": []}],
            [
                "hs_timestamp is required",
                "'NOPE' is not a valid option for hs_email_status",
                "association target id '' is not a record id",
            ],
        ),
    ],
)
def test_engagement_problems(
    properties: dict[str, str], associations: list[dict[str, object]], problems: list[str]
) -> None:
    assert engagement_problems(properties, associations) == problems


@pytest.mark.parametrize(
    ("target", "record_ids", "problems"),
    [
        ("101", None, []),
        ("101", frozenset({"101"}), []),
        ("999", frozenset({"101"}), ["association target 999 does not exist"]),
        ("x", frozenset({"101"}), ["association target id 'x' is not a record id"]),
    ],
)
def test_engagement_association_targets_must_exist(
    target: str, record_ids: frozenset[str] | None, problems: list[str]
) -> None:
    associations: list[dict[str, object]] = [{"to": {"id": target}, "types": []}]
    assert engagement_problems(GOOD, associations, record_ids) == problems


@pytest.mark.parametrize(
    ("state", "email", "properties", "count"),
    [
        ("register", "ada@example.com", {}, 0),
        ("attend", "ada@example.com", {"joinedAt": "1", "leftAt": "2"}, 0),
        ("attend", "ada@example.com", {"rating": "5"}, 1),
        ("register", "ada@example.com", {"rating": "5"}, 0),
        ("cancel", "not an address", {}, 1),
        ("attend", "nope", {"rating": "5"}, 2),
    ],
)
def test_attendee_problems(state: str, email: str, properties: dict[str, str], count: int) -> None:
    assert len(attendee_problems(state, email, properties)) == count


@pytest.mark.parametrize(
    ("location", "name"),
    [
        ([], ""),
        (["emailId"], "emailId"),
        (["message", "to"], "message.to"),
        (["message", "cc", 2], "message.cc[2]"),
        (["inputs", 0, "associations", 1, "to", "id"], "inputs[0].associations[1].to.id"),
    ],
)
def test_field_name(location: list[str | int], name: str) -> None:
    assert field_name(location) == name
