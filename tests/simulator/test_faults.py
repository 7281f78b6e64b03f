"""Seeded fault injection, and what the overlay makes of it: nothing sent twice, no outcome lost."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hubspot_email import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BatchResult,
    HubSpotError,
    InternalServerError,
    OutcomeState,
    RateLimitError,
    email_engagement,
)
from hubspot_email.models import EmailCreateInput
from hubspot_email.testing import SIMULATOR_TOKEN, Fault, Faults, RateLimit, Simulator

V4 = "/marketing/v4/email/single-send"
BATCH = "/crm/v3/objects/emails/batch/create"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
UNLIMITED = RateLimit(max_requests=10**9, interval=10.0, daily=10**9)


def send_raw(sim: Simulator, count: int) -> list[str | None]:
    """The fault of each of `count` raw sends (None: answered normally)."""
    with httpx.Client(
        transport=sim.transport, base_url="http://sim", headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"}
    ) as http:
        for index in range(count):
            with contextlib.suppress(httpx.TransportError, httpx.DecodingError):
                http.post(
                    V4, json={"emailId": 1, "message": {"to": "ada@example.com", "sendId": f"s{index}"}}
                )
    return [exchange.fault for exchange in sim.exchanges]


MIXED = Faults(
    seed=7,
    server_error_rate=0.1,
    reset_rate=0.1,
    slow_rate=0.05,
    malformed_rate=0.1,
    timeout_after_acting_rate=0.1,
    bad_encoding_rate=0.1,
    rate_limited_rate=0.1,
    slow_seconds=0.0,
)


def test_the_same_seed_gives_the_same_faults() -> None:
    first = send_raw(Simulator(faults=MIXED), 200)
    second = send_raw(Simulator(faults=MIXED), 200)
    other = send_raw(Simulator(faults=Faults(**{**MIXED.__dict__, "seed": 8})), 200)
    assert first == second
    assert first != other


def test_reset_restarts_the_fault_sequence() -> None:
    sim = Simulator(faults=MIXED)
    first = send_raw(sim, 50)
    sim.reset()
    assert send_raw(sim, 50) == first


def test_fault_rates_are_honoured() -> None:
    faults = collections.Counter(send_raw(Simulator(faults=MIXED), 2000))
    for fault, rate in MIXED.rates():
        assert faults[fault.value] == pytest.approx(2000 * rate, rel=0.25), fault


@pytest.mark.parametrize(
    ("fault", "raised", "delivered"),
    [
        # Before acting: nothing was delivered.
        (Faults(server_error_rate=1.0), None, 0),
        (Faults(reset_rate=1.0), httpx.RemoteProtocolError, 0),
        (Faults(rate_limited_rate=1.0), None, 0),
        # After acting: delivered, but the caller can't know from this answer.
        (Faults(malformed_rate=1.0), None, 1),
        (Faults(timeout_after_acting_rate=1.0), httpx.ReadTimeout, 1),
        (Faults(slow_rate=1.0, slow_seconds=0.01), None, 1),
        (Faults(bad_encoding_rate=1.0), httpx.DecodingError, 1),
    ],
)
def test_each_fault_strikes_before_or_after_acting(
    fault: Faults, raised: type[Exception] | None, delivered: int
) -> None:
    sim = Simulator(faults=fault)
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        request = {"emailId": 1, "message": {"to": "ada@example.com"}}
        headers = {"Authorization": "Bearer t"}
        if raised is None:
            response = http.post(V4, json=request, headers=headers)
            if fault.server_error_rate:
                assert response.status_code in fault.server_error_statuses
            if fault.rate_limited_rate:
                assert response.status_code == 429
            if fault.malformed_rate:
                assert response.status_code == 200
                with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
                    response.json()
        else:
            with pytest.raises(raised):
                http.post(V4, json=request, headers=headers)
    assert len(sim.deliveries) == delivered
    (exchange,) = sim.exchanges
    assert exchange.processed == bool(delivered)


def test_the_faults_added_later_at_rate_zero_leave_each_seeds_faults_as_they_were() -> None:
    without = Faults(**{**MIXED.__dict__, "bad_encoding_rate": 0.0, "rate_limited_rate": 0.0})
    # What this seed drew before the bad encoding and 429 faults existed (they come last in the rates).
    assert send_raw(Simulator(faults=without), 12) == [
        *("malformed", "reset", None, "server_error", "timeout_after_acting", "server_error"),
        *("server_error", "timeout_after_acting", "slow", None, "server_error", None),
    ]


def test_the_429_fault_strikes_only_requests_that_drew_no_fault_without_it() -> None:
    before = send_raw(Simulator(faults=Faults(**{**MIXED.__dict__, "rate_limited_rate": 0.0})), 300)
    after = send_raw(Simulator(faults=MIXED), 300)
    assert "rate_limited" in after
    for index, (fault_before, fault_after) in enumerate(zip(before, after, strict=True)):
        assert fault_after == fault_before or (fault_before, fault_after) == (None, "rate_limited"), index


ENGAGEMENT = {
    "properties": {"hs_timestamp": "1795000000000"},
    "associations": [
        {"to": {"id": "101"}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}]}
    ],
    "objectWriteTraceId": "trace-1",
}
SEND = {"emailId": 1, "message": {"to": "ada@example.com", "sendId": "order-1"}}


def assert_acted_then_answered_undecodably(sim: Simulator) -> None:
    assert [delivery.send_id for delivery in sim.deliveries] == ["order-1"]
    assert [email.object_write_trace_id for email in sim.emails] == ["trace-1"]
    assert [
        (exchange.operation, exchange.status, exchange.fault, exchange.processed)
        for exchange in sim.exchanges
    ] == [
        ("sendSingleEmail", 200, "bad_encoding", True),
        ("batchCreateEmails", 201, "bad_encoding", True),
    ]


def test_a_bad_encoding_fails_to_decode_in_process_after_the_simulator_acted() -> None:
    sim = Simulator(faults=Faults(bad_encoding_rate=1.0))
    with httpx.Client(
        transport=sim.transport, base_url="http://sim", headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"}
    ) as http:
        with pytest.raises(httpx.DecodingError):
            http.post(V4, json=SEND)
        with pytest.raises(httpx.DecodingError):
            http.post(BATCH, json={"inputs": [ENGAGEMENT]})
    assert_acted_then_answered_undecodably(sim)


def test_a_bad_encoding_fails_to_decode_in_process_for_the_async_client_too() -> None:
    sim = Simulator(faults=Faults(bad_encoding_rate=1.0))

    async def run() -> None:
        async with httpx.AsyncClient(
            transport=sim.transport,
            base_url="http://sim",
            headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"},
        ) as http:
            with pytest.raises(httpx.DecodingError):
                await http.post(V4, json=SEND)
            with pytest.raises(httpx.DecodingError):
                await http.post(BATCH, json={"inputs": [ENGAGEMENT]})

    asyncio.run(run())
    assert_acted_then_answered_undecodably(sim)


def test_a_bad_encoding_is_the_usual_answer_labelled_gzip() -> None:
    sim = Simulator(faults=Faults(bad_encoding_rate=1.0))
    with (
        httpx.Client(transport=sim.transport, base_url="http://sim") as http,
        http.stream("POST", V4, json=SEND, headers={"Authorization": "Bearer t"}) as response,
    ):
        raw = b"".join(response.iter_raw())
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-length"] == str(len(raw))
    assert json.loads(raw)["sendResult"] == "SENT"
    assert response.headers["x-hubspot-correlation-id"]


def answered(sim: Simulator, requests: list[tuple[str, dict[str, Any]]]) -> list[httpx.Response]:
    with httpx.Client(
        transport=sim.transport, base_url="http://sim", headers={"Authorization": f"Bearer {SIMULATOR_TOKEN}"}
    ) as http:
        return [http.post(path, json=body) for path, body in requests]


def shape(response: httpx.Response) -> tuple[int, list[str], dict[str, Any]]:
    """A 429's status, header names and body, but for its correlation id (fresh for every answer)."""
    body = response.json()
    assert body.pop("correlationId") == response.headers["x-hubspot-correlation-id"]
    return response.status_code, sorted(response.headers), body


def test_a_429_fault_is_the_budgets_429_and_acts_on_nothing() -> None:
    spent = Simulator(rate_limit=RateLimit(max_requests=1, interval=60.0))
    _, budget_refusal = answered(spent, [(BATCH, {"inputs": [ENGAGEMENT]})] * 2)
    sim = Simulator(faults=Faults(rate_limited_rate=1.0))
    refusals = answered(sim, [(V4, SEND), (BATCH, {"inputs": [ENGAGEMENT]})])
    assert shape(budget_refusal)[0] == 429
    assert [shape(refusal) for refusal in refusals] == [shape(budget_refusal)] * 2
    for refusal in refusals:
        assert refusal.json()["policyName"] == "TEN_SECONDLY_ROLLING"
        assert refusal.headers["x-hubspot-ratelimit-remaining"] == "0"
        assert "retry-after" not in refusal.headers
    assert sim.deliveries == []
    assert sim.emails == []
    assert [
        (exchange.operation, exchange.status, exchange.fault, exchange.processed)
        for exchange in sim.exchanges
    ] == [
        ("sendSingleEmail", 429, "rate_limited", False),
        ("batchCreateEmails", 429, "rate_limited", False),
    ]


def test_the_overlay_surfaces_each_fault_as_its_error() -> None:
    cases: list[tuple[Faults, type[HubSpotError]]] = [
        (Faults(server_error_rate=1.0), InternalServerError),
        (Faults(reset_rate=1.0), APIConnectionError),
        (Faults(rate_limited_rate=1.0), RateLimitError),
        (Faults(malformed_rate=1.0), APIResponseValidationError),
        (Faults(timeout_after_acting_rate=1.0), APITimeoutError),
    ]
    for faults, error in cases:
        sim = Simulator(faults=faults)
        with sim.client(max_retries=0) as client, pytest.raises(error):
            client.send_email(email_id=1, to="ada@example.com")


async def _no_sleep(seconds: float) -> None:
    return None


def send_all(sim: Simulator, kind: str, send_ids: list[str]) -> dict[str, bool]:
    """Send one email per sendId through the sync or the async client; whether each came back ok."""

    if kind == "sync":
        outcomes: dict[str, bool] = {}
        with sim.client(max_retries=6) as client:
            client._sleep = lambda seconds: None  # no real backoff in tests
            for send_id in send_ids:
                try:
                    outcomes[send_id] = client.send_email(
                        email_id=1, to="ada@example.com", send_id=send_id
                    ).ok
                except HubSpotError:
                    outcomes[send_id] = False
        return outcomes

    async def run() -> dict[str, bool]:
        async with sim.async_client(max_retries=6) as client:
            client._sleep = _no_sleep

            async def one(send_id: str) -> bool:
                try:
                    return (await client.send_email(email_id=1, to="ada@example.com", send_id=send_id)).ok
                except HubSpotError:
                    return False

            results = await asyncio.gather(*(one(send_id) for send_id in send_ids))
            return dict(zip(send_ids, results, strict=True))

    return asyncio.run(run())


def create_all(sim: Simulator, kind: str, inputs: list[EmailCreateInput]) -> BatchResult[Any]:
    if kind == "sync":
        with sim.client(max_retries=4) as client:
            client._sleep = lambda seconds: None
            return client.create_emails(inputs, chunk_size=10)

    async def run() -> BatchResult[Any]:
        async with sim.async_client(max_retries=4) as client:
            client._sleep = _no_sleep
            return await client.create_emails(inputs, chunk_size=10, max_concurrency=4)

    return asyncio.run(run())


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_single_sends_under_faults_deliver_at_most_once_each(kind: str) -> None:
    # 500 is left out: the overlay does not retry it (HubSpot "failed to process"); 502-504 it does.
    sim = Simulator(
        faults=Faults(
            seed=11,
            server_error_rate=0.2,
            reset_rate=0.15,
            timeout_after_acting_rate=0.2,
            server_error_statuses=(502, 503, 504),
        )
    )
    outcomes = send_all(sim, kind, [f"order-{index}" for index in range(300)])
    delivered = collections.Counter(delivery.send_id for delivery in sim.deliveries)
    assert max(delivered.values()) == 1, "a sendId was delivered twice"
    # Every send the client reported ok was delivered exactly once; retries reused the sendId.
    assert all(delivered[send_id] == 1 for send_id, ok in outcomes.items() if ok)
    assert sum(outcomes.values()) >= 280
    assert any(exchange.fault == Fault.TIMEOUT_AFTER_ACTING.value for exchange in sim.exchanges)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_batches_under_faults_lose_no_outcome_and_create_nothing_twice(kind: str) -> None:
    sim = Simulator(
        rate_limit=UNLIMITED,
        faults=Faults(
            seed=5,
            server_error_rate=0.15,
            reset_rate=0.1,
            malformed_rate=0.1,
            timeout_after_acting_rate=0.1,
        ),
    )
    inputs = [
        email_engagement(timestamp=NOW, contact_ids=["1"], trace_id=f"t{index}") for index in range(1000)
    ]
    result = create_all(sim, kind, inputs)
    assert [outcome.index for outcome in result.outcomes] == list(range(1000))
    created_on_server = collections.Counter(email.object_write_trace_id for email in sim.emails)
    assert max(created_on_server.values()) == 1, "an input was created twice"
    for outcome, index in zip(result.outcomes, range(1000), strict=True):
        trace = f"t{index}"
        if outcome.state is OutcomeState.CREATED:
            assert created_on_server[trace] == 1
        elif outcome.state is OutcomeState.FAILED:
            assert created_on_server[trace] == 0
        # unknown: the simulator may or may not have acted, which is exactly what unknown says.
    states = collections.Counter(outcome.state for outcome in result.outcomes)
    assert states[OutcomeState.UNKNOWN] > 0
    assert states[OutcomeState.CREATED] > 0


def test_a_send_waits_out_each_429_then_is_sent_exactly_once() -> None:
    sim = Simulator(faults=Faults(seed=3, rate_limited_rate=0.5))
    send_ids = [f"order-{index}" for index in range(40)]
    waits: list[float] = []
    with sim.client(max_retries=8) as client:
        client._sleep = waits.append  # records the backoff instead of sleeping it
        results = [
            client.send_email(email_id=1, to=f"reader{index}@example.com", send_id=send_id)
            for index, send_id in enumerate(send_ids)
        ]
    answers = collections.Counter((exchange.status, exchange.fault) for exchange in sim.exchanges)
    assert answers[(429, "rate_limited")] > 0
    assert len(waits) == answers[(429, "rate_limited")], "each 429 is waited out, then retried"
    assert answers[(200, None)] == len(send_ids)
    # A 429 acted on nothing, so the retry is the send itself, not a repeat HubSpot ignores.
    assert [(result.ok, result.already_sent) for result in results] == [(True, False)] * len(send_ids)
    delivered = collections.Counter(delivery.send_id for delivery in sim.deliveries)
    assert delivered == collections.Counter(send_ids)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_single_sends_under_429s_are_each_delivered_once(kind: str) -> None:
    sim = Simulator(faults=Faults(seed=4, rate_limited_rate=0.3))
    send_ids = [f"order-{index}" for index in range(100)]
    outcomes = send_all(sim, kind, send_ids)
    assert outcomes == dict.fromkeys(send_ids, True)
    delivered = collections.Counter(delivery.send_id for delivery in sim.deliveries)
    assert delivered == collections.Counter(send_ids)
    assert any(exchange.fault == Fault.RATE_LIMITED.value for exchange in sim.exchanges)


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    ("faults", "all_created"),
    [
        pytest.param(Faults(seed=9, rate_limited_rate=0.3), True, id="429s"),
        pytest.param(
            Faults(
                seed=9,
                rate_limited_rate=0.2,
                server_error_rate=0.1,
                reset_rate=0.05,
                timeout_after_acting_rate=0.1,
            ),
            False,
            id="429s-5xx-resets-timeouts",
        ),
    ],
)
def test_batches_under_429s_give_each_input_one_outcome_and_create_nothing_twice(
    kind: str, faults: Faults, all_created: bool
) -> None:
    sim = Simulator(rate_limit=UNLIMITED, faults=faults)
    inputs = [
        email_engagement(timestamp=NOW, contact_ids=["1"], trace_id=f"t{index}") for index in range(300)
    ]
    result = create_all(sim, kind, inputs)
    assert [outcome.index for outcome in result.outcomes] == list(range(300))
    created = collections.Counter(email.object_write_trace_id for email in sim.emails)
    assert max(created.values()) == 1, "an input was created twice"
    for index, outcome in enumerate(result.outcomes):
        if outcome.state is OutcomeState.CREATED:
            assert created[f"t{index}"] == 1, index
        elif outcome.state is OutcomeState.FAILED:
            assert created[f"t{index}"] == 0, index
    assert any(exchange.fault == Fault.RATE_LIMITED.value for exchange in sim.exchanges)
    if all_created:  # 429s alone: each chunk was retried until created
        assert {outcome.state for outcome in result.outcomes} == {OutcomeState.CREATED}
        assert len(sim.emails) == len(inputs)


@pytest.mark.parametrize("retry_after", [None, 0, 7])
def test_injected_429s_carry_the_retry_after_asked_for(retry_after: int | None) -> None:
    sim = Simulator(faults=Faults(rate_limited_rate=1.0, rate_limited_retry_after=retry_after))
    with httpx.Client(transport=sim.transport, base_url="http://sim") as http:
        request = {"emailId": 1, "message": {"to": "ada@example.com"}}
        response = http.post(V4, json=request, headers={"Authorization": "Bearer t"})
    assert response.status_code == 429
    assert response.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert response.headers.get("retry-after") == (None if retry_after is None else str(retry_after))
    assert sim.deliveries == []


def test_a_negative_retry_after_is_refused() -> None:
    with pytest.raises(ValueError, match="rate_limited_retry_after"):
        Faults(rate_limited_retry_after=-1)


def test_the_command_line_sets_the_injected_retry_after() -> None:
    from hubspot_email.testing.__main__ import build_simulator, parse_args

    args = parse_args(["--rate-limited-rate", "0.05", "--rate-limited-retry-after", "2"])
    faults = build_simulator(args).faults
    assert (faults.rate_limited_rate, faults.rate_limited_retry_after) == (0.05, 2)
    assert build_simulator(parse_args([])).faults.rate_limited_retry_after is None
