"""Client options are checked before any request: each refusal names the field and the fix, and the
transport sees nothing. Through `Client` and `AsyncClient`, at construction, in `with_options` and in
the batch methods' own options."""

from __future__ import annotations

import asyncio
import inspect
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hubspot_email import (
    AsyncClient,
    BatchResult,
    Client,
    HubSpotError,
    InvalidInputError,
    MissingTokenError,
    attendee,
    email_engagement,
)

TOKEN = "pat-na1-options"
BASE_URL = "https://api.test.example"
WHEN = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
STAMP = "2026-11-23T10:00:00Z"
KINDS = ("sync", "async")
BATCH_METHODS = ("create_emails", "record_attendance")


class Recorder:
    """An in-process HubSpot that answers every request with success and keeps the requests."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.answer)

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = _json(request)
        if "message" in body:
            return httpx.Response(200, json={"status": "COMPLETE", "sendResult": "SENT", "statusId": "s"})
        inputs = body["inputs"]
        if inputs and "objectWriteTraceId" in inputs[0]:
            results = [
                {
                    "id": str(100 + index),
                    "properties": {},
                    "createdAt": STAMP,
                    "updatedAt": STAMP,
                    "archived": False,
                    "objectWriteTraceId": item["objectWriteTraceId"],
                }
                for index, item in enumerate(inputs)
            ]
            return httpx.Response(201, json={"status": "COMPLETE", "results": results})
        results = [{"email": item["email"], "vid": 1001 + index} for index, item in enumerate(inputs)]
        return httpx.Response(200, json={"status": "COMPLETE", "results": results})


def _json(request: httpx.Request) -> dict[str, Any]:
    import json

    loaded: dict[str, Any] = json.loads(request.content)
    return loaded


def _inputs(method: str, count: int = 3) -> list[Any]:
    if method == "create_emails":
        return [email_engagement(timestamp=WHEN, subject=f"s{n}", contact_ids=["501"]) for n in range(count)]
    return [attendee(email=f"ada{n}@example.com", at=WHEN) for n in range(count)]


def _batch_args(method: str, count: int = 3) -> tuple[Any, ...]:
    if method == "create_emails":
        return (_inputs(method, count),)
    return ("58237132332", "attend", _inputs(method, count))


def _client(kind: str, recorder: Recorder, options: dict[str, Any]) -> Client | AsyncClient:
    options = {"base_url": BASE_URL, **options}
    if kind == "sync":
        return Client(transport=recorder.transport(), **options)
    return AsyncClient(transport=recorder.transport(), **options)


def _send(client: Client | AsyncClient) -> Any:
    """A single send through either client; for the async one, awaited here."""
    if isinstance(client, Client):
        with client:
            return client.send_email(email_id=1, to="ada@example.com", send_id="s-1")

    async def main() -> Any:
        async with client:
            return await client.send_email(email_id=1, to="ada@example.com", send_id="s-1")

    return asyncio.run(main())


def _batch(client: Client | AsyncClient, method: str, count: int = 3, **options: Any) -> BatchResult[Any]:
    if isinstance(client, Client):
        with client:
            result: BatchResult[Any] = getattr(client, method)(*_batch_args(method, count), **options)
            return result

    async def main() -> BatchResult[Any]:
        async with client:
            awaited: BatchResult[Any] = await getattr(client, method)(*_batch_args(method, count), **options)
            return awaited

    return asyncio.run(main())


# ---------------------------------------------------------------------------- construction
# (id, constructor options, the field named, a phrase of the message). The token is TOKEN unless given.
BAD_CONSTRUCTION: list[tuple[str, dict[str, Any], str, str]] = [
    ("timeout-zero", {"timeout": 0}, "timeout", "above 0"),
    ("timeout-negative", {"timeout": -1}, "timeout", "above 0"),
    ("timeout-nan", {"timeout": float("nan")}, "timeout", "finite"),
    ("timeout-inf", {"timeout": float("inf")}, "timeout", "finite"),
    ("timeout-string", {"timeout": "5"}, "timeout", "expected seconds as a number"),
    ("timeout-connect-zero", {"timeout": httpx.Timeout(5.0, connect=0)}, "timeout.connect", "above 0"),
    ("max-retries-negative", {"max_retries": -1}, "max_retries", "Pass e.g. max_retries=2"),
    ("max-retries-string", {"max_retries": "2"}, "max_retries", "Pass e.g. max_retries=2"),
    ("max-retries-bool", {"max_retries": True}, "max_retries", "Pass e.g. max_retries=2"),
    ("token-blank", {"access_token": "   "}, "access_token", "only white space"),
    ("token-with-space", {"access_token": "pat with space"}, "access_token", "white space at position 3"),
    ("token-with-newline", {"access_token": "pat\nx"}, "access_token", "Strip it"),
    ("token-int", {"access_token": 42}, "access_token", "expected a string"),
    ("base-url-ftp", {"base_url": "ftp://x"}, "base_url", "expected an http or https URL"),
    ("base-url-no-scheme", {"base_url": "api.hubapi.com"}, "base_url", "Pass e.g. 'https://api.hubapi.com'"),
    ("base-url-no-host", {"base_url": "https://"}, "base_url", "names no host"),
    ("base-url-int", {"base_url": 42}, "base_url", "expected a string"),
    ("tls-proxy-not-a-bool", {"base_url": "http://proxy.internal:8080", "tls_terminating_proxy": "no"},
     "tls_terminating_proxy", "expected True or False"),
]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("options", "field", "phrase"),
    [pytest.param(options, field, phrase, id=case) for case, options, field, phrase in BAD_CONSTRUCTION],
)
def test_a_bad_option_is_refused_when_the_client_is_built(
    kind: str, options: dict[str, Any], field: str, phrase: str
) -> None:
    recorder = Recorder()
    with pytest.raises(InvalidInputError) as caught:
        _client(kind, recorder, {"access_token": TOKEN, **options})
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert phrase in str(caught.value)
    assert recorder.requests == []


@pytest.mark.parametrize("kind", KINDS)
def test_an_absent_token_is_a_missing_token_error(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    recorder = Recorder()
    for options in ({}, {"access_token": ""}):
        with pytest.raises(MissingTokenError, match=r"access_token=.*HUBSPOT_ACCESS_TOKEN"):
            _client(kind, recorder, options)
    # An empty token passed explicitly is not replaced by the environment's.
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    with pytest.raises(MissingTokenError):
        _client(kind, recorder, {"access_token": ""})
    assert recorder.requests == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("value", "phrase"), [("   ", "only white space"), (f"{TOKEN}\n", "white space at position 15")]
)
def test_a_bad_token_in_the_environment_is_refused_naming_the_variable(
    kind: str, value: str, phrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", value)
    recorder = Recorder()
    with pytest.raises(InvalidInputError) as caught:
        _client(kind, recorder, {})
    assert caught.value.field == "HUBSPOT_ACCESS_TOKEN"
    assert phrase in str(caught.value)
    assert "Set HUBSPOT_ACCESS_TOKEN to your private app's access token" in str(caught.value)
    assert recorder.requests == []


@pytest.mark.parametrize("kind", KINDS)
def test_transport_and_http_client_together_are_refused(kind: str) -> None:
    recorder = Recorder()
    http_client: httpx.Client | httpx.AsyncClient
    if kind == "sync":
        with (
            httpx.Client(transport=recorder.transport()) as http_client,
            pytest.raises(InvalidInputError) as caught,
        ):
            Client(TOKEN, transport=recorder.transport(), http_client=http_client)
    else:
        http_client = httpx.AsyncClient(transport=recorder.transport())
        with pytest.raises(InvalidInputError) as caught:
            AsyncClient(TOKEN, transport=recorder.transport(), http_client=http_client)
        asyncio.run(http_client.aclose())
    assert caught.value.field == "transport"
    assert "Pass only transport=" in str(caught.value)
    assert recorder.requests == []


# ---------------------------------------------------------------------------- with_options
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("options", "field", "phrase"),
    [
        ({"timeout": 0}, "timeout", "above 0"),
        ({"timeout": float("nan")}, "timeout", "finite"),
        ({"timeout": httpx.Timeout(5.0, connect=0)}, "timeout.connect", "above 0"),
        ({"max_retries": -1}, "max_retries", "Pass e.g. max_retries=2"),
        ({"max_retries": True}, "max_retries", "Pass e.g. max_retries=2"),
    ],
    ids=["timeout-zero", "timeout-nan", "timeout-connect-zero", "max-retries-negative", "max-retries-bool"],
)
def test_with_options_checks_what_the_constructor_checks(
    kind: str, options: dict[str, Any], field: str, phrase: str
) -> None:
    recorder = Recorder()
    client = _client(kind, recorder, {"access_token": TOKEN})
    with pytest.raises(InvalidInputError) as caught:
        client.with_options(**options)
    assert caught.value.field == field
    assert phrase in str(caught.value)
    assert recorder.requests == []
    # The original is untouched and still works.
    assert _send(client).ok
    assert len(recorder.requests) == 1


# ---------------------------------------------------------------------------- batch options
BAD_CHUNK_SIZES: list[tuple[object, str]] = [
    (0, "expected 1 to 100"),
    (101, "expected 1 to 100"),
    (-1, "expected 1 to 100"),
    ("10", "expected an int"),
    (2.5, "expected an int"),
    (True, "expected an int"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", BATCH_METHODS)
@pytest.mark.parametrize(("chunk_size", "phrase"), BAD_CHUNK_SIZES)
def test_a_bad_chunk_size_is_refused_before_any_request(
    kind: str, method: str, chunk_size: object, phrase: str
) -> None:
    recorder = Recorder()
    with pytest.raises(InvalidInputError) as caught:
        _batch(_client(kind, recorder, {"access_token": TOKEN}), method, chunk_size=chunk_size)
    assert caught.value.field == "chunk_size"
    assert phrase in str(caught.value)
    assert "chunk_size=100" in str(caught.value) or "at most 100 inputs" in str(caught.value)
    assert recorder.requests == []


@pytest.mark.parametrize("method", BATCH_METHODS)
@pytest.mark.parametrize(
    ("max_concurrency", "phrase", "fix"),
    [
        (0, "expected 1 or more", "Pass 1 to send one request at a time"),
        (-1, "expected 1 or more", "Pass 1 to send one request at a time"),
        ("4", "expected an int", "Pass e.g. max_concurrency=4"),
    ],
)
def test_a_bad_max_concurrency_is_refused_before_any_request(
    method: str, max_concurrency: object, phrase: str, fix: str
) -> None:
    recorder = Recorder()
    with pytest.raises(InvalidInputError) as caught:
        _batch(_client("async", recorder, {"access_token": TOKEN}), method, max_concurrency=max_concurrency)
    assert caught.value.field == "max_concurrency"
    assert phrase in str(caught.value)
    assert fix in str(caught.value)
    assert recorder.requests == []


@pytest.mark.parametrize("method", BATCH_METHODS)
def test_the_sync_batch_methods_take_no_max_concurrency(method: str) -> None:
    """The sync client sends chunks one after another: it has no such option, and says so."""
    assert "max_concurrency" not in inspect.signature(getattr(Client, method)).parameters
    assert "max_concurrency" in inspect.signature(getattr(AsyncClient, method)).parameters
    recorder = Recorder()
    with pytest.raises(TypeError, match="max_concurrency"):
        _batch(_client("sync", recorder, {"access_token": TOKEN}), method, max_concurrency=2)
    assert recorder.requests == []


# ---------------------------------------------------------------------------- good options
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("timeout", "sent"),
    [
        (httpx.Timeout(10, connect=2), {"connect": 2.0, "read": 10.0, "write": 10.0, "pool": 10.0}),
        (3, {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}),
    ],
    ids=["httpx-timeout", "seconds"],
)
def test_a_good_timeout_is_taken_and_sent_with_each_request(
    kind: str, timeout: object, sent: dict[str, float]
) -> None:
    recorder = Recorder()
    assert _send(_client(kind, recorder, {"access_token": TOKEN, "timeout": timeout})).ok
    assert recorder.requests[0].extensions["timeout"] == sent
    # with_options takes the same values, for the calls made through it.
    other = _client(kind, recorder, {"access_token": TOKEN})
    assert _send(other.with_options(timeout=timeout)).ok  # type: ignore[arg-type]
    assert recorder.requests[1].extensions["timeout"] == sent


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", BATCH_METHODS)
@pytest.mark.parametrize(("chunk_size", "count", "requests"), [(1, 3, 3), (100, 100, 1), (100, 101, 2)])
def test_a_good_chunk_size_is_taken(
    kind: str, method: str, chunk_size: int, count: int, requests: int
) -> None:
    recorder = Recorder()
    options: dict[str, Any] = {"chunk_size": chunk_size}
    if kind == "async":
        options["max_concurrency"] = 1
    result = _batch(_client(kind, recorder, {"access_token": TOKEN}), method, count, **options)
    assert result.ok
    assert len(result.outcomes) == count
    assert len(recorder.requests) == requests
    assert [len(_json(request)["inputs"]) for request in recorder.requests] == [
        min(chunk_size, count - offset) for offset in range(0, count, chunk_size)
    ]


def test_every_refusal_here_is_a_hubspot_error_and_a_value_error() -> None:
    """Callers can catch option mistakes as ValueError, as they would from the standard library."""
    with pytest.raises(ValueError, match="timeout") as caught:
        Client(TOKEN, timeout=0)
    assert isinstance(caught.value, HubSpotError)
