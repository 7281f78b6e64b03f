"""Pairing a batch answer with its inputs by what HubSpot echoes, and keeping all it said (tables)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import Client, OutcomeState, attendee, email_engagement
from hubspot_email._batch import ATTENDANCE, CRM_EMAILS, pair, read_chunk
from hubspot_email._http import Answer
from hubspot_email_api.models import ProcessingStatus, SimplePublicObject, StandardError

BASE_URL = "https://api.test.example"
WHEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
STAMPS = {"createdAt": "2026-11-23T10:00:00Z", "updatedAt": "2026-11-23T10:00:00Z", "archived": False}


def record(record_id: str, trace_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"id": record_id, "properties": {}, **STAMPS}
    if trace_id is not None:
        body["objectWriteTraceId"] = trace_id
    return body


def error(*trace_ids: str, message: str = "bad") -> dict[str, Any]:
    return {
        "status": "error",
        "category": "VALIDATION_ERROR",
        "message": message,
        "context": {"objectWriteTraceId": list(trace_ids)} if trace_ids else {},
    }


# (case id, input trace ids, results, errors, expected states, expected record id per input or None,
#  unmatched errors, unmatched results)
CRM_CASES: list[tuple[str, list[str], list[Any], list[Any], str, list[str | None], int, int]] = [
    ("in-order", ["a", "b"], [record("1", "a"), record("2", "b")], [], "CC", ["1", "2"], 0, 0),
    ("reversed", ["a", "b", "c"], [record("3", "c"), record("2", "b"), record("1", "a")], [], "CCC",
     ["1", "2", "3"], 0, 0),
    ("one-failed", ["a", "b"], [record("2", "b")], [error("a")], "FC", [None, "2"], 0, 0),
    ("error-names-two", ["a", "b", "c"], [record("3", "c")], [error("a", "b")], "FFC",
     [None, None, "3"], 0, 0),
    ("untraced-not-by-position", ["a", "b"], [record("1"), record("2")], [], "UU", [None, None], 0, 2),
    ("lone-untraced-pairs", ["a", "b"], [record("2")], [error("a")], "FC", [None, "2"], 0, 0),
    ("lone-untraced-but-unexplained-error", ["a"], [record("1")], [error()], "U", [None], 1, 1),
    ("unmatched-error-kept", ["a", "b"], [record("1", "a"), record("2", "b")], [error("zzz")], "CC",
     ["1", "2"], 1, 0),
    ("foreign-trace-id", ["a"], [record("9", "other")], [], "U", [None], 0, 1),
    ("record-and-error-for-one", ["a"], [record("1", "a")], [error("a")], "U", [None], 0, 0),
    ("second-record-for-one", ["a", "b"], [record("1", "a"), record("5", "a"), record("2", "b")], [], "CC",
     ["1", "2"], 0, 1),
    ("names-nothing", ["a", "b"], [record("1", "a")], [], "CU", ["1", None], 0, 0),
    ("empty-answer", ["a"], [], [], "U", [None], 0, 0),
]  # fmt: skip
STATES = {"C": OutcomeState.CREATED, "F": OutcomeState.FAILED, "U": OutcomeState.UNKNOWN}


@pytest.mark.parametrize(
    ("keys", "results", "errors", "states", "record_ids", "unmatched_errors", "unmatched_results"),
    [case[1:] for case in CRM_CASES],
    ids=[case[0] for case in CRM_CASES],
)
def test_crm_results_pair_only_by_trace_id(
    keys: list[str],
    results: list[Any],
    errors: list[Any],
    states: str,
    record_ids: list[str | None],
    unmatched_errors: int,
    unmatched_results: int,
) -> None:
    outcomes, stray_errors, stray_results = pair(CRM_EMAILS, 100, keys, results, errors)
    assert [outcome.index for outcome in outcomes] == [100 + index for index in range(len(keys))]
    assert [outcome.state for outcome in outcomes] == [STATES[state] for state in states]
    assert [outcome.record.id if outcome.record else None for outcome in outcomes] == record_ids
    assert (len(stray_errors), len(stray_results)) == (unmatched_errors, unmatched_results)
    for outcome in outcomes:
        if outcome.state is OutcomeState.UNKNOWN:
            assert outcome.reason
        if outcome.state is OutcomeState.FAILED:
            assert isinstance(outcome.error, StandardError)
            assert outcome.raw in errors


@pytest.mark.parametrize(
    ("keys", "results", "errors", "states"),
    [
        pytest.param(["ada@x.com", "bob@x.com"],
                     [{"email": "BOB@x.com", "vid": 2}, {"email": "ada@x.com", "vid": 1}],
                     [], "CC", id="reversed-and-recased"),
        pytest.param(["ada@x.com", "bob@x.com"], [{"email": "ada@x.com", "vid": 1}],
                     [{"message": "invalid", "context": {"emails": ["bob@x.com"]}}], "CF",
                     id="error-by-email"),
        pytest.param(["ada@x.com"], [], [{"message": "invalid", "context": {"ids": ["42"]}}], "U",
                     id="error-naming-no-input"),
        pytest.param(["ada@x.com"], [{"email": "ada@x.com", "vid": 1}],
                     [{"message": "m", "context": {"email": "ada@x.com"}}], "U", id="both-for-one"),
    ],
)  # fmt: skip
def test_attendance_pairs_by_email(
    keys: list[str], results: list[Any], errors: list[Any], states: str
) -> None:
    outcomes, _errors, _results = pair(ATTENDANCE, 0, keys, results, errors)
    assert [outcome.state for outcome in outcomes] == [STATES[state] for state in states]
    for outcome, key in zip(outcomes, keys, strict=True):
        if outcome.record is not None:
            assert outcome.record.email.lower() == key


def test_a_chunk_report_keeps_everything_hubspot_said() -> None:
    body: dict[str, Any] = {
        "status": "DEFERRED",
        "requestedAt": "2026-11-23T10:00:00Z",
        "startedAt": "not a date",
        "completedAt": "2026-11-23T10:00:02.5Z",
        "numErrors": 2,
        "results": [record("1", "a"), {"id": "2", "objectWriteTraceId": "b", "createdAt": "yesterday"}],
        "errors": [error("zzz", message="an error about no input"), {"message": 7}],
        "links": {"self": "https://api.hubapi.com/x"},
        "somethingNew": {"x": 1},
    }
    response = httpx.Response(207, json=body, headers={"X-HubSpot-Correlation-Id": "c-7"})
    report = read_chunk(CRM_EMAILS, 0, ["a", "b"], Answer(response))
    assert report.status == "DEFERRED"
    assert report.requested_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert report.started_at == "not a date"
    assert report.completed_at == datetime(2026, 11, 23, 10, 0, 2, 500000, tzinfo=UTC)
    assert report.num_errors == 2
    assert report.http_status == 207
    assert report.headers is not None
    assert report.headers["x-hubspot-correlation-id"] == "c-7"
    assert report.body == body
    # Two errors, neither naming an input: both kept, typed where they fit the spec.
    assert len(report.errors) == 2
    assert len(report.unmatched_errors) == 2
    assert isinstance(report.unmatched_errors[0], StandardError)
    assert report.unmatched_errors[1] == {"message": 7}
    first, second = report.outcomes
    assert first.state is OutcomeState.CREATED
    assert isinstance(first.record, SimplePublicObject)
    # The second record exists, but its JSON does not fit the spec: created, with the JSON kept.
    assert second.state is OutcomeState.CREATED
    assert second.record is None
    assert second.raw == body["results"][1]
    assert "does not fit the spec" in str(second.reason)


def test_a_known_batch_status_is_its_member() -> None:
    body = {"status": "PENDING", "results": []}
    report = read_chunk(CRM_EMAILS, 0, ["a"], Answer(httpx.Response(201, json=body)))
    assert report.status is ProcessingStatus.PENDING
    assert "PENDING" in str(report.outcomes[0].reason)


def _reversed(answer: dict[str, Any]) -> dict[str, Any]:
    return {**answer, "results": list(reversed(answer["results"]))}


def test_crm_results_in_reverse_order_land_on_their_inputs_through_the_client() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        inputs = json.loads(request.content)["inputs"]
        results = [
            record(f"id-{item['properties']['hs_email_subject']}", item["objectWriteTraceId"])
            for item in inputs
        ]
        return httpx.Response(201, json=_reversed({"status": "COMPLETE", "results": results}))

    with respx.mock(assert_all_mocked=True) as mock, Client("t", base_url=BASE_URL) as client:
        mock.post(BASE_URL + "/crm/v3/objects/emails/batch/create").mock(side_effect=answer)
        result = client.create_emails(
            [email_engagement(timestamp=WHEN, subject=str(n)) for n in range(150)], chunk_size=60
        )
    assert [outcome.record.id if outcome.record else None for outcome in result.outcomes] == [
        f"id-{n}" for n in range(150)
    ]
    assert [chunk.offset for chunk in result.chunks] == [0, 60, 120]
    assert [chunk.size for chunk in result.chunks] == [60, 60, 30]


def test_attendance_results_in_reverse_order_land_on_their_inputs_through_the_client() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        inputs = json.loads(request.content)["inputs"]
        results = [{"email": item["email"].upper(), "vid": 1000 + n} for n, item in enumerate(inputs)]
        return httpx.Response(200, json=_reversed({"status": "COMPLETE", "results": results}))

    emails = [f"person{n}@example.com" for n in range(5)]
    with respx.mock(assert_all_mocked=True) as mock, Client("t", base_url=BASE_URL) as client:
        mock.post(url__regex=r".*/email-create$").mock(side_effect=answer)
        result = client.record_attendance("123", "attend", [attendee(email=e, at=WHEN) for e in emails])
    assert [outcome.record.vid if outcome.record else None for outcome in result.outcomes] == [
        1000 + n for n in range(5)
    ]
