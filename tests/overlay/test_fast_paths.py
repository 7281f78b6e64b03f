"""The per-call fast paths of issue 13 decide exactly as the slow ones did.

- property maps: an ASCII name and value are accepted at once; anything else takes the full checks;
- enum values: a dict look-up, a new value kept as the string HubSpot sent;
- a single send's typed model (`raw`) is parsed from the body when first read, with the same result.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hubspot_email import InvalidInputError
from hubspot_email._results import enum_or_text, legacy_result, v4_result
from hubspot_email._validation import check_properties
from hubspot_email_api.models import (
    EmailSendStatusView,
    LegacySendResponse,
    LegacySendResult,
    ProcessingStatus,
    SendResult,
)
from hypothesis import given
from hypothesis import strategies as st

V4_BODY = {
    "status": "COMPLETE",
    "sendResult": "SENT",
    "statusId": "1f3c",
    "requestedAt": "2026-11-14T10:59:14.600Z",
    "completedAt": "2026-11-14T10:59:15.100Z",
    "eventId": {"id": "abc", "created": "2026-11-14T10:59:15.100Z"},
}


def _reference_properties(properties: dict[Any, Any]) -> dict[str, str] | None:
    """What the checks accept, written out: non-empty string names and string values that encode as
    UTF-8 (no lone surrogates), and no list values. None: refused."""
    for name, value in properties.items():
        if not isinstance(name, str) or not name or not isinstance(value, str):
            return None
        for text in (name, value):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return None
    return dict(properties)


_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=8)
_VALUES = st.one_of(_TEXT, st.integers(), st.none(), st.lists(_TEXT, max_size=2), st.booleans())


@given(st.dictionaries(st.one_of(_TEXT, st.integers()), _VALUES, max_size=4))
def test_property_maps_are_accepted_or_refused_as_the_rules_say(properties: dict[Any, Any]) -> None:
    expected = _reference_properties(properties)
    if expected is None:
        with pytest.raises(InvalidInputError):
            check_properties("custom_properties", properties)
    else:
        assert check_properties("custom_properties", properties) == expected


@pytest.mark.parametrize(
    ("properties", "field"),
    [
        ({"amount": 42}, "custom_properties['amount']"),
        ({"items": ["a", "b"]}, "custom_properties['items']"),
        ({"": "x"}, "custom_properties"),
        ({"name": "\ud800"}, "custom_properties['name']"),
        ({"\ud800": "x"}, "custom_properties['\\ud800']"),
    ],
)
def test_a_refused_property_still_names_its_field(properties: dict[Any, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_properties("custom_properties", properties)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("enum_type", "value", "expected"),
    [
        (SendResult, "SENT", SendResult.SENT),
        (SendResult, "IDEMPOTENT_IGNORE", SendResult.IDEMPOTENT_IGNORE),
        (SendResult, "A_NEW_RESULT", "A_NEW_RESULT"),
        (SendResult, "sent", "sent"),  # values are case-sensitive: not the member
        (ProcessingStatus, "PENDING", ProcessingStatus.PENDING),
        (LegacySendResult, "SENT", LegacySendResult.SENT),
        (SendResult, None, None),
        (SendResult, 3, None),
    ],
)
def test_enum_or_text(enum_type: Any, value: object, expected: object) -> None:
    result = enum_or_text(enum_type, value)
    assert result == expected
    assert type(result) is type(expected)


def test_a_results_typed_model_is_parsed_when_first_read_and_kept() -> None:
    result = v4_result(dict(V4_BODY), 200)
    assert "_parsed" not in result.__dict__  # nothing parsed yet
    assert isinstance(result.raw, EmailSendStatusView)
    assert result.raw.to_dict() == EmailSendStatusView.from_dict(dict(V4_BODY)).to_dict()
    assert result.parse_problem is None
    assert result.raw is result.raw  # parsed once


def test_a_field_of_another_format_leaves_raw_none_and_says_why_when_read() -> None:
    result = v4_result({**V4_BODY, "requestedAt": 1731581954600}, 200)
    assert result.ok  # the lenient fields stand
    assert result.send_result is SendResult.SENT
    assert result.raw is None
    assert result.parse_problem


def test_the_legacy_result_parses_as_the_legacy_model() -> None:
    result = legacy_result({"sendResult": "SENT", "eventId": {"id": "e", "created": 1715558400000}}, 200)
    assert isinstance(result.raw, LegacySendResponse)
    assert result.event_id == "e"


def test_a_result_pickles_with_or_without_its_model_read() -> None:
    result = v4_result(dict(V4_BODY), 200)
    unread = pickle.loads(pickle.dumps(result))  # noqa: S301 (our own object)
    assert unread == result
    assert isinstance(unread.raw, EmailSendStatusView)
    assert result.raw is not None
    read = pickle.loads(pickle.dumps(result))  # noqa: S301
    assert read == result
    assert "_parsed" not in read.__dict__  # parsed again from the body when read
    assert isinstance(read.raw, EmailSendStatusView)
    assert read.raw.to_dict() == result.raw.to_dict()


# --- the in-process rate window ----------------------------------------------------------------

_WINDOW_STEPS = st.lists(
    st.tuples(
        st.sampled_from(["take", "take_in_flight", "release", "advance"]),
        st.floats(min_value=0.0, max_value=30.0),
        st.sampled_from([0.5, 1.0, 10.0]),
    ),
    max_size=60,
)


@given(_WINDOW_STEPS)
def test_the_window_counts_what_it_would_list(steps: list[tuple[str, float, float]]) -> None:
    """Acquisitions count the window without listing it; the count is the list's length, whatever mix
    of windows, answers, requests in flight and time passing came before."""
    from hubspot_email._ratelimit import Budget, _MemoryWindow, _Stamp

    now = [1000.0]
    window = _MemoryWindow(lambda: now[0])
    taken: list[_Stamp] = []
    for action, seconds, size in steps:
        budget = Budget(10**6, size)
        if action == "advance":
            now[0] += seconds
        elif action == "release" and taken:
            window.move_to_now(taken.pop(int(seconds) % len(taken)), budget)
        elif action.startswith("take"):
            stamp = window.take(budget, in_flight=action == "take_in_flight")
            assert isinstance(stamp, _Stamp)
            taken.append(stamp)
        for probe in (0.5, 1.0, 10.0):
            assert window._count_inside(now[0], probe) == len(window._inside(now[0], probe))


def test_a_limiters_allowed_budget_follows_what_it_learns_and_is_set() -> None:
    from hubspot_email import RateLimiter
    from hubspot_email._ratelimit import Budget

    limiter = RateLimiter(headroom=1.0)
    assert limiter.allowed == Budget(100, 10.0)
    limiter.update_from_headers({"X-HubSpot-RateLimit-Max": "190"})
    assert limiter.allowed == Budget(190, 10.0)
    limiter.set_budget(50, 1.0)  # a ceiling below the announced budget
    assert limiter.allowed == Budget(50, 1.0)
    limiter.update_from_headers({"X-HubSpot-RateLimit-Max": "40"})  # HubSpot lowers it
    assert limiter.allowed == Budget(40, 1.0)
