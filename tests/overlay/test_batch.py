"""Batch create: chunking, one outcome per input in input order, and `email_engagement` inputs."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import (
    AsyncClient,
    BatchResult,
    Client,
    InvalidInputError,
    OutcomeState,
    email_engagement,
)

TOKEN = "pat-na1-batch"
BASE_URL = "https://api.test.example"
PATH = "/crm/v3/objects/emails/batch/create"
WHEN = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
WHEN_MS = "1795428000000"


def _record(record_id: str, trace_id: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": record_id,
        "properties": {},
        "createdAt": "2026-11-23T10:00:00Z",
        "updatedAt": "2026-11-23T10:00:00Z",
        "archived": False,
    }
    if trace_id is not None:
        record["objectWriteTraceId"] = trace_id
    return record


def _answer(
    request: httpx.Request, failing_subjects: frozenset[str] = frozenset(), echo: bool = True
) -> httpx.Response:
    """HubSpot's behaviour: create each input, except those whose subject is in `failing_subjects`."""
    inputs = json.loads(request.content)["inputs"]
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in inputs:
        trace_id = item["objectWriteTraceId"]
        if item["properties"].get("hs_email_subject") in failing_subjects:
            errors.append(
                {
                    "status": "error",
                    "category": "VALIDATION_ERROR",
                    "message": "bad",
                    "context": {"objectWriteTraceId": [trace_id]},
                }
            )
        else:
            results.append(
                _record("id-" + item["properties"]["hs_email_subject"], trace_id if echo else None)
            )
    body: dict[str, Any] = {
        "status": "COMPLETE",
        "startedAt": "2026-11-23T10:00:00Z",
        "completedAt": "2026-11-23T10:00:01Z",
        "results": results,
    }
    if errors:
        body |= {"errors": errors, "numErrors": len(errors)}
    return httpx.Response(207 if errors else 201, json=body)


def _inputs(count: int) -> list[Any]:
    return [email_engagement(timestamp=WHEN, subject=str(n)) for n in range(count)]


def _create(kind: str, inputs: list[Any], **options: Any) -> BatchResult[Any]:
    if kind == "sync":
        with Client(TOKEN, base_url=BASE_URL) as client:
            return client.create_emails(inputs, **options)

    async def run() -> BatchResult[Any]:
        async with AsyncClient(TOKEN, base_url=BASE_URL) as client:
            return await client.create_emails(inputs, **options)

    return asyncio.run(run())


KINDS = ["sync", "async"]


@pytest.mark.parametrize("kind", KINDS)
def test_250_inputs_become_3_calls_merged_in_input_order(kind: str) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + PATH).mock(side_effect=_answer)
        result = _create(kind, _inputs(250))
    sizes = sorted(len(json.loads(call.request.content)["inputs"]) for call in route.calls)
    assert sizes == [50, 100, 100]
    assert [outcome.index for outcome in result.outcomes] == list(range(250))
    assert [outcome.record.id for outcome in result.outcomes if outcome.record] == [
        f"id-{n}" for n in range(250)
    ]
    assert result.ok


@pytest.mark.parametrize("kind", KINDS)
def test_207_errors_land_on_their_inputs(kind: str) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        mock.post(BASE_URL + PATH).mock(side_effect=lambda request: _answer(request, frozenset({"1", "3"})))
        result = _create(kind, _inputs(5), chunk_size=2)
    states = [outcome.state for outcome in result.outcomes]
    assert states == ["created", "failed", "created", "failed", "created"]
    assert [outcome.record.id for outcome in result.created if outcome.record] == ["id-0", "id-2", "id-4"]
    assert not result.ok


def test_results_without_trace_ids_pair_in_order_only_when_counts_agree() -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        mock.post(BASE_URL + PATH).mock(
            side_effect=lambda request: _answer(request, frozenset({"1"}), echo=False)
        )
        result = _create("sync", _inputs(3))
    assert [outcome.state for outcome in result.outcomes] == ["created", "failed", "created"]
    assert [outcome.record.id for outcome in result.created if outcome.record] == ["id-0", "id-2"]
    with respx.mock(assert_all_mocked=True) as mock:
        short = {
            "status": "COMPLETE",
            "startedAt": "2026-11-23T10:00:00Z",
            "completedAt": "2026-11-23T10:00:01Z",
            "results": [_record("only-one", None)],
        }
        mock.post(BASE_URL + PATH).mock(return_value=httpx.Response(201, json=short))
        result = _create("sync", _inputs(2))
    assert [outcome.state for outcome in result.outcomes] == ["unknown", "unknown"]


@pytest.mark.parametrize(
    ("answer", "state"),
    [
        pytest.param(httpx.ReadTimeout("slow"), OutcomeState.UNKNOWN, id="read-timeout"),
        pytest.param(httpx.Response(500), OutcomeState.UNKNOWN, id="500"),
        pytest.param(httpx.Response(200, text="not json"), OutcomeState.UNKNOWN, id="2xx-unreadable"),
        pytest.param(httpx.Response(400, json={"message": "bad"}), OutcomeState.FAILED, id="400"),
        pytest.param(httpx.Response(429, json={"policyName": "DAILY"}), OutcomeState.FAILED, id="daily-429"),
    ],
)
def test_a_failed_chunk_gives_each_of_its_inputs_one_outcome(answer: Any, state: OutcomeState) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + PATH)
        route.side_effect = iter([answer, _answer])  # then the next chunk succeeds
        result = _create("sync", _inputs(3), chunk_size=2)
    assert [outcome.state for outcome in result.outcomes] == [state, state, OutcomeState.CREATED]
    assert all(outcome.error is not None for outcome in result.outcomes[:2])


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        pytest.param([], "inputs", id="empty"),
        pytest.param([{"properties": {}}], "inputs[0]", id="not-an-input"),
        pytest.param(
            [email_engagement(timestamp=WHEN, trace_id="t"), email_engagement(timestamp=WHEN, trace_id="t")],
            "inputs[1].object_write_trace_id",
            id="duplicate-trace-id",
        ),
    ],
)
def test_bad_batches_send_nothing(inputs: list[Any], field: str) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(BASE_URL + PATH)
        with pytest.raises(InvalidInputError) as caught:
            _create("sync", inputs)
    assert caught.value.field == field
    assert route.call_count == 0


def test_email_engagement_builds_hubspot_properties_and_default_associations() -> None:
    engagement = email_engagement(
        timestamp=WHEN.astimezone(timezone(timedelta(hours=2))),
        subject="Receipt",
        html="<p>Thanks</p>",
        status="SENT",
        owner_id=77,
        contact_ids=["501", 502],
        company_ids=["601"],
        deal_ids=["701"],
        ticket_ids=["801"],
        properties={"hs_email_headers": "{}"},
        trace_id="order-42",
    )
    assert engagement.to_dict() == {
        "properties": {
            "hs_email_headers": "{}",
            "hs_timestamp": WHEN_MS,
            "hs_email_direction": "EMAIL",
            "hs_email_status": "SENT",
            "hs_email_subject": "Receipt",
            "hs_email_html": "<p>Thanks</p>",
            "hubspot_owner_id": "77",
        },
        "associations": [
            {
                "to": {"id": record_id},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
            }
            for record_id, type_id in [("501", 198), ("502", 198), ("601", 186), ("701", 210), ("801", 224)]
        ],
        "objectWriteTraceId": "order-42",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("arguments", "field", "phrase"),
    [
        pytest.param({"timestamp": datetime(2026, 11, 23, 10, 0)}, "timestamp", "naive", id="naive-datetime"),
        pytest.param({"timestamp": 1795428000}, "timestamp", "epoch seconds", id="seconds"),
        pytest.param({"timestamp": "2026-11-23"}, "timestamp", "timezone-aware datetime", id="string"),
        pytest.param({"direction": "OUTGOING"}, "hs_email_direction", "unknown value", id="direction"),
        pytest.param({"status": "DELIVERED"}, "hs_email_status", "unknown value", id="status"),
        pytest.param({"contact_ids": "501"}, "contact_ids", "list of ids", id="ids-as-string"),
        pytest.param({"deal_ids": [5.5]}, "deal_ids[0]", "record id", id="float-id"),
        pytest.param({"ticket_ids": [True]}, "ticket_ids[0]", "record id", id="bool-id"),
        pytest.param({"owner_id": ""}, "owner_id", "record id", id="empty-owner"),
        pytest.param(
            {"properties": {"hs_email_text": 3}}, "properties['hs_email_text']", "a string", id="int-prop"
        ),
    ],
)
def test_email_engagement_refuses_bad_input(arguments: dict[str, Any], field: str, phrase: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        email_engagement(**{"timestamp": WHEN, **arguments})
    assert caught.value.field == field
    assert phrase in str(caught.value)
