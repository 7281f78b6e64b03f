"""Every outcome the overlay reports under faults agrees with what the simulator did.

A seeded fault matrix (5xx including 500, resets, timeouts after acting, malformed bodies, bad
encodings) is run through both clients; afterwards each send's result or error and each batch input's
outcome is checked against the simulator's record: nothing done twice, `ok`/`created` only for what was
done, `failed` only for what was not, no error for a delivered send that claims it was not sent, and no
exception other than `HubSpotError` ever reaching the caller. Transport wrappers add what no fault of the
simulator can: unexpected exceptions around the exchange, and results answered in reversed order.
"""

from __future__ import annotations

import asyncio
import collections
import gzip
import io
import json
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import httpx
import pytest
from hubspot_email import (
    APIConnectionError,
    AsyncClient,
    BatchResult,
    Client,
    HubSpotError,
    OutcomeState,
    RateLimiter,
    SingleSendResult,
)
from hubspot_email.testing import (
    SIMULATOR_BASE_URL,
    SIMULATOR_TOKEN,
    Fault,
    Faults,
    RateLimit,
    Simulator,
    SimulatorTransport,
)

if TYPE_CHECKING:  # mypy resolves the shared helper by its path; pytest puts tests/ on sys.path
    from tests._scripts import ROOT, load_module
else:
    from _scripts import ROOT, load_module


if TYPE_CHECKING:
    from scripts import fault_run
else:
    fault_run = load_module("hubspot_email_fault_run_script", ROOT / "scripts" / "fault_run.py")

Kind = Literal["sync", "async"]
Api = Literal["v4", "v1"]
Operation = Literal["create_emails", "record_attendance"]
KINDS: tuple[Kind, ...] = ("sync", "async")

# Every fault, each often enough that a few hundred requests meet all of them.
FAULT_MATRIX = Faults(
    seed=1,
    server_error_rate=0.10,
    reset_rate=0.07,
    malformed_rate=0.07,
    timeout_after_acting_rate=0.07,
    bad_encoding_rate=0.07,
    server_error_statuses=(500, 502, 503, 504),
)
NO_FAULTS = Faults()
# Neither the simulator's budget nor the client's limiter may make a test wait.
ROOMY = RateLimit(max_requests=100_000, interval=10.0, daily=10**9)
# The inputs, the simulator's records and the judgement of errors are the fault run's (scripts/).
EVENT_ID, EXISTING_CONTACT, FAILING_EVERY = (
    fault_run.EVENT_ID,
    fault_run.EXISTING_CONTACT,
    fault_run.FAILING_EVERY,
)
engagements, attendees = fault_run.engagements, fault_run.attendees
says_hubspot_may_have_acted = fault_run.says_hubspot_may_have_acted


def simulator(faults: Faults = FAULT_MATRIX) -> Simulator:
    return Simulator(faults=faults, rate_limit=ROOMY, record_ids=[EXISTING_CONTACT], events=[EVENT_ID])


async def _no_async_sleep(seconds: float) -> None:
    return None


def sync_client(transport: httpx.BaseTransport, max_retries: int) -> Client:
    client = Client(
        access_token=SIMULATOR_TOKEN,
        base_url=SIMULATOR_BASE_URL,
        transport=transport,
        max_retries=max_retries,
        rate_limiter=RateLimiter(budget=100_000),
    )
    client._sleep = lambda seconds: None  # no real backoff in tests
    return client


def async_client(transport: httpx.AsyncBaseTransport, max_retries: int) -> AsyncClient:
    client = AsyncClient(
        access_token=SIMULATOR_TOKEN,
        base_url=SIMULATOR_BASE_URL,
        transport=transport,
        max_retries=max_retries,
        rate_limiter=RateLimiter(budget=100_000),
    )
    client._sleep = _no_async_sleep
    return client


# ------------------------------------------------------------------------------ single sends
@dataclass
class Sends:
    """What each send came to: a result, a `HubSpotError`, or an exception that should never escape."""

    results: dict[str, SingleSendResult] = field(default_factory=dict)
    errors: dict[str, HubSpotError] = field(default_factory=dict)
    escaped: dict[str, Exception] = field(default_factory=dict)


def recipient(send_id: str) -> str:
    return f"{send_id}@example.com"


def send_each(
    kind: Kind, transport: SimulatorTransport | Both, api: Api, send_ids: Sequence[str], max_retries: int
) -> Sends:
    sends = Sends()

    def keep(send_id: str, result: SingleSendResult | BaseException) -> None:
        if isinstance(result, SingleSendResult):
            sends.results[send_id] = result
        elif isinstance(result, HubSpotError):
            sends.errors[send_id] = result
        elif isinstance(result, Exception):
            sends.escaped[send_id] = result
        else:
            raise result

    if kind == "sync":
        with sync_client(transport, max_retries) as client:
            send = client.send_email if api == "v4" else client.send_legacy_email
            for send_id in send_ids:
                try:
                    keep(send_id, send(email_id=1, to=recipient(send_id), send_id=send_id))
                except Exception as error:  # sorted by keep(): only HubSpotError may escape a send
                    keep(send_id, error)
        return sends

    async def run() -> None:
        async with async_client(transport, max_retries) as client:
            send = client.send_email if api == "v4" else client.send_legacy_email
            outcomes = await asyncio.gather(
                *(send(email_id=1, to=recipient(send_id), send_id=send_id) for send_id in send_ids),
                return_exceptions=True,
            )
            for send_id, outcome in zip(send_ids, outcomes, strict=True):
                keep(send_id, outcome)

    asyncio.run(run())
    return sends


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("api", ["v4", "v1"])
@pytest.mark.parametrize("kind", KINDS)
def test_single_sends_under_faults_are_delivered_once_and_resent_safely(kind: Kind, api: Api) -> None:
    sim = simulator()
    send_ids = [f"{api}-{kind}-{index:04d}" for index in range(300)]
    first = send_each(kind, sim.transport, api, send_ids, max_retries=2)

    assert {send_id: describe(error) for send_id, error in first.escaped.items()} == {}
    delivered = collections.Counter(delivery.send_id for delivery in sim.deliveries)
    assert [send_id for send_id, count in delivered.items() if count > 1] == []
    # Every recipient is deliverable, so every result is ok, and ok means delivered exactly once.
    assert [send_id for send_id, result in first.results.items() if not result.ok] == []
    assert [send_id for send_id in first.results if delivered[send_id] != 1] == []
    already_sent = [send_id for send_id, result in first.results.items() if result.already_sent]
    assert already_sent, "no retry found its first attempt delivered: the matrix no longer exercises that"
    assert first.errors, "no send ran out of retries: the resend below would prove nothing"
    assert any(delivered[send_id] for send_id in first.errors), "no errored send had been delivered"

    # The caller's remedy for an error: the same sendId again, here with the faults gone.
    sim.faults = NO_FAULTS
    second = send_each(kind, sim.transport, api, list(first.errors), max_retries=0)
    assert {send_id: describe(error) for send_id, error in {**second.errors, **second.escaped}.items()} == {}
    assert {send_id: (result.ok, result.already_sent) for send_id, result in second.results.items()} == {
        send_id: (True, bool(delivered[send_id])) for send_id in first.errors
    }
    assert collections.Counter(delivery.send_id for delivery in sim.deliveries) == dict.fromkeys(send_ids, 1)


def test_a_legacy_send_whose_first_attempt_was_delivered_is_already_sent_on_retry() -> None:
    # The case the matrix above must meet at least once, on its own: acted, no answer, retried -> 409.
    sim = simulator(Faults(timeout_after_acting_rate=1.0))
    first = send_each("sync", sim.transport, "v1", ["order-1"], max_retries=0)
    assert isinstance(first.errors["order-1"], APIConnectionError)
    sim.faults = NO_FAULTS
    second = send_each("sync", sim.transport, "v1", ["order-1"], max_retries=0)
    result = second.results["order-1"]
    assert (result.ok, result.already_sent, result.http_status) == (True, True, 409)
    assert [delivery.send_id for delivery in sim.deliveries] == ["order-1"]


# ------------------------------------------------------------------------------ batches
def input_keys(operation: Operation, count: int) -> list[str]:
    """The key of each input in the simulator's record: trace id, or lower-case email."""
    if operation == "create_emails":
        return [f"t{index}" for index in range(count)]
    return [f"guest{index}@example.com" for index in range(count)]


def recorded(sim: Simulator, operation: Operation) -> collections.Counter[str]:
    if operation == "create_emails":
        return collections.Counter(str(email.object_write_trace_id) for email in sim.emails)
    return collections.Counter(record.email.lower() for record in sim.attendance)


def record_ids(sim: Simulator, operation: Operation) -> dict[str, str]:
    """Key -> the id HubSpot gave what it made for that input (engagement id, contact vid)."""
    if operation == "create_emails":
        return {str(email.object_write_trace_id): email.id for email in sim.emails}
    return {record.email.lower(): str(record.vid) for record in sim.attendance}


def outcome_record_id(record: Any) -> str:
    return str(record.id if hasattr(record, "id") else record.vid)


class Both(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport wrapper for both clients: `exchange` decides around one request to `inner`."""

    def __init__(self, inner: SimulatorTransport) -> None:
        self.inner = inner

    def exchange(self, request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        return forward()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.exchange(request, lambda: self.inner.handle_request(request))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # The simulator answers synchronously; its async path only awaits the body and slow faults.
        await request.aread()
        return self.exchange(request, lambda: self.inner.handle_request(request))


def run_batch(
    kind: Kind,
    transport: SimulatorTransport | Both,
    operation: Operation,
    count: int,
    chunk_size: int,
    max_retries: int = 2,
) -> BatchResult[Any]:
    if kind == "sync":
        with sync_client(transport, max_retries) as client:
            if operation == "create_emails":
                return client.create_emails(engagements(count), chunk_size=chunk_size)
            return client.record_attendance(EVENT_ID, "attend", attendees(count), chunk_size=chunk_size)

    async def run() -> BatchResult[Any]:
        async with async_client(transport, max_retries) as client:
            if operation == "create_emails":
                return await client.create_emails(engagements(count), chunk_size=chunk_size)
            return await client.record_attendance(EVENT_ID, "attend", attendees(count), chunk_size=chunk_size)

    return asyncio.run(run())


def assert_outcomes_agree_with_the_record(
    sim: Simulator, operation: Operation, count: int, result: BatchResult[Any]
) -> None:
    keys = input_keys(operation, count)
    assert [outcome.index for outcome in result.outcomes] == list(range(count))
    assert [outcome.index for chunk in result.chunks for outcome in chunk.outcomes] == list(range(count))
    assert sum(chunk.size for chunk in result.chunks) == count
    in_record = recorded(sim, operation)
    assert [key for key, times in in_record.items() if times > 1] == [], "an input was acted on twice"
    made = record_ids(sim, operation)
    created_but_not_recorded = []
    wrong_record = []
    failed_but_recorded = []
    unknown_without_reason = []
    for outcome, key in zip(result.outcomes, keys, strict=True):
        if outcome.state is OutcomeState.CREATED:
            if in_record[key] != 1:
                created_but_not_recorded.append(key)
            elif outcome.record is None or outcome_record_id(outcome.record) != made[key]:
                wrong_record.append(key)
        elif outcome.state is OutcomeState.FAILED:
            if in_record[key]:
                failed_but_recorded.append(key)
        elif not outcome.reason:
            unknown_without_reason.append(key)
    assert created_but_not_recorded == []
    assert wrong_record == []
    assert failed_but_recorded == []
    assert unknown_without_reason == []


@pytest.mark.parametrize(
    ("operation", "count", "chunk_size"),
    [("create_emails", 2500, 100), ("create_emails", 1200, 10), ("record_attendance", 2500, 100)],
)
@pytest.mark.parametrize("kind", KINDS)
def test_batches_under_faults_give_each_input_one_true_outcome(
    kind: Kind, operation: Operation, count: int, chunk_size: int
) -> None:
    sim = simulator()
    result = run_batch(kind, sim.transport, operation, count, chunk_size)
    assert_outcomes_agree_with_the_record(sim, operation, count, result)

    # The run means something only if the chunks met every fault, and every kind of outcome came of it.
    met = {(exchange.fault, exchange.status) for exchange in sim.exchanges}
    assert (Fault.SERVER_ERROR.value, 500) in met
    for fault in (Fault.RESET, Fault.MALFORMED, Fault.BAD_ENCODING, Fault.TIMEOUT_AFTER_ACTING):
        assert fault.value in {fault_met for fault_met, _ in met}, fault
    assert {outcome.state for outcome in result.outcomes} == set(OutcomeState)


# ------------------------------------------------------------------------------ unexpected exceptions
class FailingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        raise OSError("injected: the body could not be read")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        raise OSError("injected: the body could not be read")
        yield b""  # an async generator, as httpx expects


Timing = Literal["answered", "before", "after_unicode", "after_value", "while_reading"]
# The fate of consecutive requests, repeated: about half raise something no transport should.
SCHEDULE: tuple[Timing, ...] = (
    "answered",
    "before",
    "answered",
    "after_unicode",
    "answered",
    "after_value",
    "answered",
    "while_reading",
)


class Exploding(Both):
    """Raises unexpected exceptions on a fixed schedule: before the simulator sees a request, after it
    acted, or while the answer's body is read. Keeps the keys of each request's inputs by timing."""

    def __init__(self, inner: SimulatorTransport) -> None:
        super().__init__(inner)
        self.requests = 0
        self.keys: dict[Timing, list[str]] = collections.defaultdict(list)

    def exchange(self, request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        timing = SCHEDULE[self.requests % len(SCHEDULE)]
        self.requests += 1
        self.keys[timing] += request_keys(request)
        if timing == "before":
            raise RuntimeError("injected before forwarding")
        response = forward()
        if timing == "after_unicode":
            raise UnicodeEncodeError("ascii", "\u00e9", 0, 1, "injected after the simulator acted")
        if timing == "after_value":
            raise ValueError("injected after the simulator acted")
        if timing == "while_reading":
            return httpx.Response(
                response.status_code, headers=response.headers, stream=FailingStream(), request=request
            )
        return response


def request_keys(request: httpx.Request) -> list[str]:
    """The record keys of a request's inputs (trace ids, lower-case emails, sendIds)."""
    body = json.loads(request.content)
    if "inputs" not in body:
        return [str(body["message"]["sendId"])]
    return [
        str(item["objectWriteTraceId"]) if "objectWriteTraceId" in item else str(item["email"]).lower()
        for item in body["inputs"]
    ]


@pytest.mark.parametrize("operation", ["create_emails", "record_attendance"])
@pytest.mark.parametrize("kind", KINDS)
def test_unexpected_exceptions_in_the_transport_lose_no_outcome(kind: Kind, operation: Operation) -> None:
    sim = simulator(NO_FAULTS)
    exploding = Exploding(sim.transport)
    result = run_batch(kind, exploding, operation, 1000, chunk_size=10)  # no exception escapes
    assert_outcomes_agree_with_the_record(sim, operation, 1000, result)

    states = dict(
        zip(input_keys(operation, 1000), (outcome.state for outcome in result.outcomes), strict=True)
    )
    in_record = recorded(sim, operation)
    assert exploding.keys["before"], "no request raised before forwarding"
    assert [key for key in exploding.keys["before"] if in_record[key]] == []
    assert [key for key in exploding.keys["before"] if states[key] is OutcomeState.CREATED] == []
    acted = exploding.keys["after_unicode"] + exploding.keys["after_value"] + exploding.keys["while_reading"]
    assert exploding.keys["after_unicode"]
    assert exploding.keys["after_value"]
    assert exploding.keys["while_reading"]
    assert {key: states[key] for key in acted} == dict.fromkeys(acted, OutcomeState.UNKNOWN)
    # The simulator acted on every valid input of those chunks; the outcome says it may have.
    assert [key for key in acted if in_record[key] > 1] == []


@pytest.mark.parametrize("api", ["v4", "v1"])
@pytest.mark.parametrize("kind", KINDS)
def test_unexpected_exceptions_in_the_transport_reach_a_single_send_as_hubspot_errors(
    kind: Kind, api: Api
) -> None:
    sim = simulator(NO_FAULTS)
    exploding = Exploding(sim.transport)
    send_ids = [f"{api}-{kind}-{index}" for index in range(40)]
    sends = send_each(kind, exploding, api, send_ids, max_retries=2)
    assert {send_id: describe(error) for send_id, error in sends.escaped.items()} == {}
    delivered = collections.Counter(delivery.send_id for delivery in sim.deliveries)
    assert [send_id for send_id, count in delivered.items() if count > 1] == []
    assert [send_id for send_id, result in sends.results.items() if delivered[send_id] != 1] == []
    assert sends.errors
    assert {
        send_id: describe(error)
        for send_id, error in sends.errors.items()
        if delivered[send_id] and not says_hubspot_may_have_acted(error)
    } == {}


# ------------------------------------------------------------------------------ answers out of order
class Reversing(Both):
    """Answers every batch with its `results` (and `errors`) in reversed order."""

    def __init__(self, inner: SimulatorTransport) -> None:
        super().__init__(inner)
        self.reversed_answers = 0

    def exchange(self, request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        response = forward()
        body = response.json()
        if not isinstance(body, dict) or len(body.get("results", [])) < 2:
            return response
        body["results"].reverse()
        body.get("errors", []).reverse()
        self.reversed_answers += 1
        headers = {
            name: value for name, value in response.headers.items() if name.lower() != "content-length"
        }
        return httpx.Response(response.status_code, headers=headers, json=body, request=request)


@pytest.mark.parametrize("operation", ["create_emails", "record_attendance"])
@pytest.mark.parametrize("kind", KINDS)
def test_results_answered_in_reversed_order_are_paired_with_their_own_inputs(
    kind: Kind, operation: Operation
) -> None:
    sim = simulator(NO_FAULTS)
    reversing = Reversing(sim.transport)
    result = run_batch(kind, reversing, operation, 1000, chunk_size=100)
    assert reversing.reversed_answers == 10
    # Includes: every created outcome carries the very record HubSpot made for its input.
    assert_outcomes_agree_with_the_record(sim, operation, 1000, result)
    keys = input_keys(operation, 1000)
    echoed = [
        str(outcome.raw.get("objectWriteTraceId", outcome.raw.get("email", ""))).lower()
        for outcome in result.created
        if outcome.raw is not None
    ]
    assert echoed == [keys[outcome.index].lower() for outcome in result.created]
    states = collections.Counter(outcome.state for outcome in result.outcomes)
    assert states == {OutcomeState.CREATED: 1000 - 77, OutcomeState.FAILED: 77}


# ------------------------------------------------------------------------------ the figures script
def test_the_fault_run_script_accounts_for_every_input_at_small_sizes() -> None:
    out = io.StringIO()
    arguments = ["--sends", "50", "--legacy-sends", "50", "--engagements", "120", "--attendees", "120"]
    status = fault_run.main(arguments, out=out)
    printed = out.getvalue()
    assert status == 0, printed
    assert "result: ok" in printed
    for kind in ("sync", "async"):
        assert f"== inprocess {kind}" in printed
        for operation in ("send_email", "send_legacy_email", "create_emails/100", "create_emails/10"):
            assert f"inprocess  {kind.ljust(5)}  {operation} " in printed, (kind, operation)
    assert "record_attendance/10 " in printed


def test_the_fault_run_script_fails_on_a_disagreement(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every send is delivered and then times out; were such errors taken as refusals, that is a lie.
    monkeypatch.setattr(
        fault_run, "fault_matrix", lambda seed, mode="inprocess": Faults(timeout_after_acting_rate=1.0)
    )
    monkeypatch.setattr(fault_run, "says_hubspot_may_have_acted", lambda error: False)
    out = io.StringIO()
    arguments = ["--sends", "3", "--legacy-sends", "3", "--engagements", "5", "--attendees", "5"]
    assert fault_run.main([*arguments, "--kind", "sync"], out=out) == 1
    printed = out.getvalue()
    assert "disagreements: {'refused_but_delivered': 3}" in printed
    assert "result: FAIL" in printed


# ------------------------------------------------------------- unreadable and pre-read answers
class ScriptedFaults(Both):
    """Sets the simulator's faults before each request from `script` (its last entry repeats)."""

    def __init__(self, inner: SimulatorTransport, script: Sequence[Faults]) -> None:
        super().__init__(inner)
        self.script = script
        self.requests = 0

    def exchange(self, request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        self.inner.simulator.faults = self.script[min(self.requests, len(self.script) - 1)]
        self.requests += 1
        return forward()


def test_delivered_sends_get_no_refusal_error_even_when_a_409_does_not_decode() -> None:
    """A single send whose first attempt was delivered, retried with the same sendId and answered with a
    body that does not decode under a non-2xx status (v1's 409 "already sent", labelled gzip), is asked
    again with the same sendId, and never reported with an error that says HubSpot refused it (found by
    this test: it raised `ConflictError` though the email went out).
    """
    refused_yet_delivered: dict[str, str] = {}
    # The shortest way there: delivered without an answer, then a 409 that does not decode, then the
    # same 409 readable, which a third attempt (max_retries=2 allows it) would read as already sent.
    for kind in KINDS:
        sim = simulator(NO_FAULTS)
        script = [Faults(timeout_after_acting_rate=1.0), Faults(bad_encoding_rate=1.0), NO_FAULTS]
        sends = send_each(kind, ScriptedFaults(sim.transport, script), "v1", ["order-1"], max_retries=2)
        assert [delivery.send_id for delivery in sim.deliveries] == ["order-1"]
        for send_id, error in sends.errors.items():
            refused_yet_delivered[f"{kind} scripted {send_id}"] = describe(error)
        if "order-1" in sends.results:
            assert sends.results["order-1"].already_sent
    # The same under the fault matrix: every error for a delivered send must leave open that it was sent.
    for kind in KINDS:
        for api in ("v4", "v1"):
            sim = simulator()
            sends = send_each(kind, sim.transport, api, [f"{api}-{index:04d}" for index in range(300)], 2)
            delivered = {delivery.send_id for delivery in sim.deliveries}
            for send_id, error in sends.errors.items():
                if send_id in delivered and not says_hubspot_may_have_acted(error):
                    refused_yet_delivered[f"{kind} matrix {send_id}"] = describe(error)
    assert refused_yet_delivered == {}, "\n".join(
        f"{where}: {error}" for where, error in refused_yet_delivered.items()
    )


class Gzipping(Both):
    """Answers gzip-encoded, as a transport may: the response built with `content=`, so already read."""

    def exchange(self, request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        response = forward()
        headers = {name: value for name, value in response.headers.items() if name != "content-length"}
        return httpx.Response(
            response.status_code,
            headers={**headers, "content-encoding": "gzip"},
            content=gzip.compress(response.content),
            request=request,
        )


def test_an_encoded_answer_a_transport_has_already_read_is_kept() -> None:
    """A response built with `content=` (httpx.MockTransport, respx, a wrapping transport) was read and
    decoded when it was made: it is used as it is (found by this test: re-reading it raw raised
    `StreamConsumed`, and a gzip answer that decodes perfectly became `APIConnectionError`).
    """
    lost: dict[str, list[str]] = {}
    for kind in KINDS:
        sim = simulator(NO_FAULTS)
        sends = send_each(kind, Gzipping(sim.transport), "v4", ["order-1"], max_retries=2)
        lost[f"{kind} send"] = [describe(error) for error in sends.errors.values()]
        result = run_batch(kind, Gzipping(sim.transport), "create_emails", 20, chunk_size=10)
        lost[f"{kind} batch"] = sorted({str(outcome.reason) for outcome in result.unknown})
    assert {where: problems for where, problems in lost.items() if problems} == {}
