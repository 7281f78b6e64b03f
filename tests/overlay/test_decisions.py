"""The overlay's I/O-free decisions, tested by tables: error classes, Retry-After, backoff, retry rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hubspot_email import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    LockedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from hubspot_email._exceptions import error_class_for_status
from hubspot_email._results import legacy_result, names_a_repeated_send_id, v4_result
from hubspot_email._retry import backoff_delay, parse_retry_after, retry_delay

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (423, LockedError),
        (429, RateLimitError),
        (477, InternalServerError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (521, InternalServerError),
        (522, InternalServerError),
        (523, InternalServerError),
        (418, APIStatusError),
        (302, APIStatusError),
    ],
)
def test_error_class_for_status(status: int, expected: type[APIStatusError]) -> None:
    assert error_class_for_status(status) is expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param({"context": {"missingScopes": ["a", "b"]}}, ["a", "b"], id="top-level-context"),
        pytest.param(
            {"errors": [{"message": "m", "context": {"missingScopes": ["c"]}}]}, ["c"], id="detail-map"
        ),
        pytest.param(
            {"errors": [{"message": "m", "context": '{"missingScopes":["scope1","scope2"]}'}]},
            ["scope1", "scope2"],
            id="detail-json-string",
        ),
        pytest.param(
            {"errors": [{"message": "m", "context": "{missingScopes=[scope1, scope2]}"}]},
            ["scope1", "scope2"],
            id="detail-java-map-string",
        ),
        pytest.param(
            {"errors": [{"message": "m", "context": "{missingScopes=[]}"}]}, [], id="java-map-empty"
        ),
        pytest.param({"errors": [{"message": "m", "context": "not a map"}]}, [], id="unparseable-string"),
        pytest.param({"message": "forbidden"}, [], id="none-named"),
        pytest.param([1, 2], [], id="not-an-object"),
    ],
)
def test_permission_denied_names_missing_scopes(body: Any, expected: list[str]) -> None:
    error = PermissionDeniedError("denied", response=httpx.Response(403, json=body))
    assert error.missing_scopes == expected


@pytest.mark.parametrize(
    ("body", "policy", "category", "correlation"),
    [
        ({"policyName": "DAILY", "correlationId": "c-1"}, "DAILY", None, "c-1"),
        ({"policyName": "TEN_SECONDLY_ROLLING", "category": "RATE_LIMITS"}, "TEN_SECONDLY_ROLLING",
         "RATE_LIMITS", None),
        ({"policyName": 7}, None, None, None),
    ],
)  # fmt: skip
def test_rate_limit_error_reads_its_body(
    body: dict[str, Any], policy: str | None, category: str | None, correlation: str | None
) -> None:
    error = RateLimitError("limited", response=httpx.Response(429, json=body))
    assert error.policy_name == policy
    assert error.category == category
    assert error.correlation_id == correlation


def test_html_body_gives_no_fields_and_keeps_the_bytes() -> None:
    error = InternalServerError("bad gateway", response=httpx.Response(502, content=b"<html>502</html>"))
    assert error.json_body is None
    assert error.category is None
    assert error.body == b"<html>502</html>"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({}, None, id="absent"),
        pytest.param({"Retry-After": "30"}, 30.0, id="seconds"),
        pytest.param({"Retry-After": " 2.5 "}, 2.5, id="fractional-seconds"),
        pytest.param({"retry-after": "0"}, 0.0, id="zero-lowercase-name"),
        pytest.param({"Retry-After": "-5"}, 0.0, id="negative"),
        pytest.param({"Retry-After": "Mon, 23 Nov 2026 12:00:20 GMT"}, 20.0, id="http-date"),
        pytest.param({"Retry-After": "Mon, 23 Nov 2026 11:00:00 GMT"}, 0.0, id="past-date"),
        pytest.param({"Retry-After": "soon"}, None, id="garbage"),
        pytest.param({"Retry-After": "inf"}, None, id="infinity"),
        pytest.param({"Retry-After": "nan"}, None, id="nan"),
        pytest.param({"Retry-After": "86400"}, 86400.0, id="huge"),
        pytest.param({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5, id="milliseconds-first"),
        pytest.param({"retry-after-ms": "x", "Retry-After": "9"}, 9.0, id="bad-milliseconds-falls-back"),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, NOW) == expected


@pytest.mark.parametrize(
    ("retries_done", "jitter", "expected"),
    [
        (0, 0.0, 0.5),
        (1, 0.0, 1.0),
        (2, 0.0, 2.0),
        (4, 0.0, 8.0),
        (9, 0.0, 8.0),
        (0, 0.5, 0.4375),
        (4, 0.99, 6.02),
    ],
)
def test_backoff_delay(retries_done: int, jitter: float, expected: float) -> None:
    assert backoff_delay(retries_done, jitter) == pytest.approx(expected)


# (case id, keyword arguments, expected delay or None). idempotent=True is a single send with its sendId;
# False is batch create or attendance, which have no idempotency key.
RETRY_CASES: list[tuple[str, dict[str, Any], float | None]] = [
    (
        "429-ten-second-batch",
        {"status": 429, "policy_name": "TEN_SECONDLY_ROLLING", "idempotent": False},
        0.5,
    ),
    ("429-daily-never", {"status": 429, "policy_name": "DAILY", "idempotent": True}, None),
    ("429-no-policy", {"status": 429, "idempotent": False}, 0.5),
    ("429-retry-after-honoured", {"status": 429, "retry_after": 3.0, "idempotent": False}, 3.0),
    ("429-retry-after-over-cap", {"status": 429, "retry_after": 3600.0, "idempotent": True}, None),
    ("423-waits-2s", {"status": 423, "idempotent": False}, 2.0),
    ("423-longer-retry-after", {"status": 423, "retry_after": 5.0, "idempotent": False}, 5.0),
    ("477-send", {"status": 477, "retry_after": 30.0, "idempotent": True}, 30.0),
    ("477-batch-unknown", {"status": 477, "idempotent": False}, None),
    ("502-send", {"status": 502, "idempotent": True}, 0.5),
    ("502-batch-unknown", {"status": 502, "idempotent": False}, None),
    ("503-send", {"status": 503, "idempotent": True}, 0.5),
    ("504-send", {"status": 504, "idempotent": True}, 0.5),
    ("521-send", {"status": 521, "idempotent": True}, 0.5),
    ("523-send", {"status": 523, "idempotent": True}, 0.5),
    ("522-send", {"status": 522, "idempotent": True}, 0.5),
    ("500-send-with-its-send-id", {"status": 500, "idempotent": True}, 0.5),
    ("500-batch-unknown", {"status": 500, "idempotent": False}, None),
    ("599-send", {"status": 599, "idempotent": True}, 0.5),
    ("409-not-retried", {"status": 409, "idempotent": True}, None),
    ("408-batch-not-retried", {"status": 408, "idempotent": False}, None),
    ("400-not-retried", {"status": 400, "idempotent": True}, None),
    ("401-not-retried", {"status": 401, "idempotent": True}, None),
    ("403-not-retried", {"status": 403, "idempotent": True}, None),
    ("connect-refused-batch", {"connection_refused": True, "idempotent": False}, 0.5),
    ("read-timeout-batch-unknown", {"idempotent": False}, None),
    ("read-timeout-send", {"idempotent": True}, 0.5),
    ("third-retry-backs-off", {"status": 503, "idempotent": True, "retries_done": 2, "max_retries": 3}, 2.0),
    ("budget-spent", {"status": 503, "idempotent": True, "retries_done": 2, "max_retries": 2}, None),
    ("no-retries-configured", {"status": 429, "idempotent": True, "max_retries": 0}, None),
]


@pytest.mark.parametrize(
    ("arguments", "expected"), [c[1:] for c in RETRY_CASES], ids=[c[0] for c in RETRY_CASES]
)
def test_retry_delay(arguments: dict[str, Any], expected: float | None) -> None:
    options: dict[str, Any] = {"retries_done": 0, "max_retries": 2, "jitter": 0.0, **arguments}
    assert retry_delay(**options) == expected


@pytest.mark.parametrize(
    ("body", "ok", "retryable", "already_sent"),
    [
        ({"status": "COMPLETE", "statusId": "s", "sendResult": "SENT"}, True, False, False),
        ({"status": "PENDING", "statusId": "s", "sendResult": "QUEUED"}, True, False, False),
        ({"status": "COMPLETE", "statusId": "s", "sendResult": "IDEMPOTENT_IGNORE"}, True, False, True),
        ({"status": "PENDING", "statusId": "s"}, True, False, False),
        ({"status": "CANCELED", "statusId": "s"}, False, False, False),
        ({"status": "COMPLETE", "statusId": "s", "sendResult": "THROTTLED"}, False, True, False),
        ({"status": "COMPLETE", "statusId": "s", "sendResult": "ATTACHMENT_DOWNLOAD_QUEUE_FULL"}, False, True,
         False),
        ({"status": "COMPLETE", "statusId": "s", "sendResult": "INVALID_TO_ADDRESS"}, False, False, False),
        ({"status": "COMPLETE", "statusId": "s", "sendResult": "SOME_NEW_RESULT_2027"}, False, False, False),
        ({"status": "LATER_STATUS", "statusId": "s"}, False, False, False),
    ],
)  # fmt: skip
def test_single_send_ok_and_retryable(
    body: dict[str, Any], ok: bool, retryable: bool, already_sent: bool
) -> None:
    result = v4_result(body, 200)
    assert (result.ok, result.retryable, result.already_sent) == (ok, retryable, already_sent)
    assert result.status_id == "s"
    assert result.raw is not None
    assert result.parse_problem is None


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"sendResult": "SENT"}, True),
        ({"sendResult": "QUEUED"}, True),
        ({"sendResult": "PREVIOUSLY_BOUNCED"}, False),
    ],
)
def test_legacy_send_ok(body: dict[str, Any], ok: bool) -> None:
    result = legacy_result(body, 200)
    assert result.ok is ok
    assert result.status is None
    assert result.already_sent is False


# (case id, a 409's JSON body, whether it says this sendId was already used for this very send)
REPEATED_SEND_ID_CASES: list[tuple[str, Any, bool]] = [
    ("simulator-already-sent", {"message": "An email with sendId r-1 was already sent."}, True),
    ("in-progress", {"message": "A send with sendId r-1 is already in progress.",
                     "context": {"sendId": ["r-1"]}}, True),
    ("context-only", {"message": "Conflict", "context": {"sendId": ["r-1"]}}, True),
    ("spelled-send-id", {"message": "send id r-1 already used"}, True),
    ("different-message", {"message": "sendId r-1 was already used for a different message."}, False),
    ("other-conflict", {"message": "The object was modified by another request."}, False),
    ("no-message", {"category": "CONFLICT"}, False),
    ("message-not-a-string", {"message": ["sendId"]}, False),
    ("not-an-object", ["sendId"], False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "expected"), [c[1:] for c in REPEATED_SEND_ID_CASES], ids=[c[0] for c in REPEATED_SEND_ID_CASES]
)
def test_names_a_repeated_send_id(body: Any, expected: bool) -> None:
    assert names_a_repeated_send_id(body) is expected


@pytest.mark.parametrize(
    ("body", "field", "read", "typed"),
    [
        pytest.param({"eventId": {"id": "e-1", "created": 1795428000000}}, "event_id", "e-1", True,
                     id="epoch-ms-created"),
        pytest.param({"requestedAt": "yesterday"}, "status_id", "s", False, id="unparseable-timestamp"),
        pytest.param({"eventId": {"id": "e-2", "created": "2026-11-23T10:00:00Z"}, "startedAt": 17},
                     "event_id", "e-2", False, id="started-at-a-number"),
        pytest.param({"statusId": 5}, "status_id", None, True, id="status-id-a-number"),
        # The generated model keeps a non-string status as is; the result reads it as absent.
        pytest.param({"status": 7}, "status", None, True, id="status-not-a-string"),
        pytest.param({"sendResult": "NEW_2027"}, "send_result", "NEW_2027", True, id="new-send-result"),
    ],
)  # fmt: skip
def test_a_v4_2xx_is_read_leniently_field_by_field(
    body: dict[str, Any], field: str, read: Any, typed: bool
) -> None:
    """A field whose format differs from the spec never hides the others (HubSpot has sent eventId.created
    as epoch milliseconds on v4, which the spec describes as a date-time)."""
    full = {"status": "COMPLETE", "statusId": "s", "sendResult": "SENT", **body}
    result = v4_result(full, 200)
    assert getattr(result, field) == read
    assert result.body == full
    assert (result.raw is not None, result.parse_problem is None) == (typed, typed)
