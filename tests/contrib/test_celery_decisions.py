"""hubspot_email.contrib.celery's decisions, by tables: sendIds from task keys, retry or stop after an
error, chunk spans, JSON inputs, and one outcome per input from however the chunk tasks ended."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hubspot_email import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    DailyLimitReachedError,
    InternalServerError,
    InvalidInputError,
    LockedError,
    RateLimitError,
)
from hubspot_email.contrib.celery._decisions import (
    ChunkEnd,
    DailyLimitError,
    Fail,
    HubSpotTaskError,
    InvalidTaskInputError,
    Retry,
    attendee_from_json,
    backoff,
    chunk_decision,
    chunk_spans,
    engagement_from_json,
    merge_chunk_ends,
    send_error_decision,
    send_id_for_task,
)

BACKOFF = {"base": 1.0, "cap": 60.0, "jitter": 1.0}  # jitter 1.0: the whole backoff, base * 2**n


def _status_error(kind: type[APIStatusError], status: int, body: str = "{}", **headers: str) -> Any:
    response = httpx.Response(
        status, headers={"content-type": "application/json", **headers}, content=body.encode()
    )
    return kind(f"HubSpot answered {status}", response=response)


def test_a_task_key_gives_one_stable_send_id() -> None:
    assert send_id_for_task("task-1") == send_id_for_task("task-1")
    assert send_id_for_task("task-1") != send_id_for_task("task-2")
    assert send_id_for_task("task-1").startswith("hse-")
    assert len(send_id_for_task("task-1")) == 36


@pytest.mark.parametrize(
    ("retries", "jitter", "expected"),
    [(0, 1.0, 1.0), (3, 1.0, 8.0), (10, 1.0, 60.0), (0, 0.0, 0.5), (2, 0.5, 3.0)],
)
def test_backoff(retries: int, jitter: float, expected: float) -> None:
    assert backoff(retries, base=1.0, cap=60.0, jitter=jitter) == pytest.approx(expected)


DAILY_BODY = '{"policyName": "DAILY", "category": "RATE_LIMITS"}'
ROLLING_BODY = '{"policyName": "TEN_SECONDLY_ROLLING", "category": "RATE_LIMITS"}'


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            _status_error(RateLimitError, 429, ROLLING_BODY, **{"retry-after": "3"}),
            Retry(3.0, ""),
            id="rolling-429-retry-after",
        ),
        pytest.param(
            _status_error(RateLimitError, 429, ROLLING_BODY), Retry(2.0, ""), id="rolling-429-backoff"
        ),
        pytest.param(_status_error(RateLimitError, 429, DAILY_BODY), DailyLimitError, id="daily-429-stops"),
        pytest.param(
            DailyLimitReachedError("spent", retry_after=5.0, resets_at=None),  # type: ignore[arg-type]
            DailyLimitError,
            id="daily-block-stops",
        ),
        pytest.param(_status_error(InternalServerError, 503), Retry(2.0, ""), id="5xx-retried"),
        pytest.param(_status_error(LockedError, 423), Retry(2.0, ""), id="423-at-least-2s"),
        pytest.param(APITimeoutError("late"), Retry(2.0, ""), id="timeout-retried-same-send-id"),
        pytest.param(APIConnectionError("reset"), Retry(2.0, ""), id="reset-retried-same-send-id"),
        pytest.param(InvalidInputError("to", "bad", "Fix it."), InvalidTaskInputError, id="invalid-stops"),
        pytest.param(_status_error(BadRequestError, 400), HubSpotTaskError, id="400-stops"),
        pytest.param(_status_error(AuthenticationError, 401), HubSpotTaskError, id="401-stops"),
    ],
)
def test_after_a_send_error(error: Exception, expected: Retry | type[HubSpotTaskError]) -> None:
    decision = send_error_decision(error, 1, **BACKOFF)
    if isinstance(expected, Retry):
        assert isinstance(decision, Retry)
        assert decision.countdown == pytest.approx(expected.countdown)
    else:
        assert isinstance(decision, Fail)
        assert type(decision.error) is expected


@pytest.mark.parametrize(
    ("error", "window_wait", "expected"),
    [
        pytest.param(None, None, None, id="answered-report-outcomes"),
        pytest.param(_status_error(RateLimitError, 429, ROLLING_BODY), 4.5, Retry(4.5, ""), id="rolling-429"),
        pytest.param(_status_error(RateLimitError, 429, DAILY_BODY), None, DailyLimitError, id="daily-429"),
        pytest.param(_status_error(LockedError, 423), None, Retry(2.0, ""), id="423-not-acted"),
        pytest.param(
            APIConnectionError("refused", may_have_reached_hubspot=False),
            None,
            Retry(2.0, ""),
            id="never-sent",
        ),
        pytest.param(APITimeoutError("late"), None, None, id="timeout-unknown-never-retried"),
        pytest.param(APIConnectionError("reset"), None, None, id="reset-unknown-never-retried"),
        pytest.param(_status_error(InternalServerError, 500), None, None, id="5xx-unknown-never-retried"),
    ],
)
def test_after_a_chunk_ended(
    error: Exception | None, window_wait: float | None, expected: Retry | type[HubSpotTaskError] | None
) -> None:
    decision = chunk_decision(error, 1, window_wait=window_wait, **BACKOFF)
    if expected is None:
        assert decision is None
    elif isinstance(expected, Retry):
        assert isinstance(decision, Retry)
        assert decision.countdown == pytest.approx(expected.countdown)
    else:
        assert isinstance(decision, Fail)
        assert type(decision.error) is expected


@pytest.mark.parametrize(
    ("total", "size", "expected"),
    [
        (0, 100, []),
        (1, 100, [(0, 1)]),
        (250, 100, [(0, 100), (100, 100), (200, 50)]),
        (5, 2, [(0, 2), (2, 2), (4, 1)]),
    ],
)
def test_chunk_spans(total: int, size: int, expected: list[tuple[int, int]]) -> None:
    assert chunk_spans(total, size) == expected


@pytest.mark.parametrize("size", [0, 101, True])
def test_chunk_spans_refuses_sizes_hubspot_would(size: int) -> None:
    with pytest.raises(InvalidInputError, match="chunk_size"):
        chunk_spans(10, size)


def _created(index: int) -> dict[str, Any]:
    return {"index": index, "state": "created", "id": str(100 + index), "reason": None}


@pytest.mark.parametrize(
    ("ends", "expected_states"),
    [
        pytest.param(
            [ChunkEnd(0, 2, outcomes=[_created(0), _created(1)]), ChunkEnd(2, 1, outcomes=[_created(2)])],
            ["created"] * 3,
            id="all-created",
        ),
        pytest.param(
            [
                ChunkEnd(2, 1, outcomes=[_created(2)]),
                ChunkEnd(0, 2, error_type="InvalidTaskInputError", error="x"),
            ],
            ["failed", "failed", "created"],
            id="invalid-chunk-failed-out-of-order",
        ),
        pytest.param(
            [
                ChunkEnd(0, 2, error_type="DailyLimitError", error="x"),
                ChunkEnd(2, 1, error_type="WorkerLostError"),
            ],
            ["failed", "failed", "unknown"],
            id="daily-failed-lost-unknown",
        ),
        pytest.param(
            [ChunkEnd(0, 2, outcomes=[_created(0)]), ChunkEnd(2, 1)],
            ["created", "unknown", "unknown"],
            id="missing-outcome-and-unfinished-unknown",
        ),
        pytest.param(
            [ChunkEnd(0, 2, outcomes=[_created(0), _created(1)])],
            ["created", "created", "unknown"],
            id="uncovered",
        ),
    ],
)
def test_one_outcome_per_input_in_order(ends: list[ChunkEnd], expected_states: list[str]) -> None:
    merged = merge_chunk_ends(3, ends)
    assert [outcome["index"] for outcome in merged] == [0, 1, 2]
    assert [outcome["state"] for outcome in merged] == expected_states


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"subject": "no timestamp"}, "inputs[3].timestamp"),
        ({"timestamp": "2026-03-01T10:00:00"}, "inputs[3].timestamp"),  # no offset
        ({"timestamp": "2026-03-01T10:00:00Z", "direction": "SIDEWAYS"}, "inputs[3].hs_email_direction"),
        ({"timestamp": "2026-03-01T10:00:00Z", "contact_ids": ["abc"]}, "inputs[3].contact_ids[0]"),
        ({"timestamp": "2026-03-01T10:00:00Z", "colour": "red"}, "inputs[3].colour"),
        ("not an object", "inputs[3]"),
    ],
)
def test_a_bad_engagement_names_its_field(data: object, field: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        engagement_from_json("inputs[3]", data)
    assert str(raised.value).startswith(f"{field}:"), str(raised.value)


def test_a_good_engagement_and_attendee_are_built() -> None:
    built = engagement_from_json("inputs[0]", {"timestamp": 1_772_000_000_000, "subject": "Hi"}, "trace-1")
    assert built.object_write_trace_id == "trace-1"
    assert built.properties.additional_properties["hs_timestamp"] == "1772000000000"
    guest = attendee_from_json("attendees[0]", {"email": "ada@example.com", "at": "2026-03-01T10:00:00Z"})
    assert guest.email == "ada@example.com"
    with pytest.raises(InvalidInputError, match=r"^attendees\[1\]\.email:"):
        attendee_from_json("attendees[1]", {"email": "noreply@example.com"})
