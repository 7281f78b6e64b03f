"""`api_version`: which operation each method calls (a plain function, tested by a table), and the check
of the version itself, made when a client is built, before any request."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from hubspot_email import AsyncClient, Client, InvalidInputError
from hubspot_email import _operations as ops
from hubspot_email_api.models import ApiVersion

TOKEN = "pat-na1-version-token"
BASE_URL = "https://api.test.example"

# Fact sheet, section 8: the dated successor of each numbered operation; the v1 send and the send-status
# lookup have none. Expected (operationId, version in the path) for each method and api_version; 2027-03
# stands for a version released after this package.
ROUTES: list[tuple[ops.Operation, str, str, str | None]] = [
    (ops.SEND_EMAIL, "legacy", "sendSingleEmail", None),
    (ops.SEND_EMAIL, "2026-03", "sendSingleEmailDated", "2026-03"),
    (ops.SEND_EMAIL, "2026-09", "sendSingleEmailDated", "2026-09"),
    (ops.SEND_EMAIL, "2027-03", "sendSingleEmailDated", "2027-03"),
    (ops.SEND_LEGACY_EMAIL, "legacy", "sendLegacySingleEmail", None),
    (ops.SEND_LEGACY_EMAIL, "2026-03", "sendLegacySingleEmail", None),
    (ops.SEND_LEGACY_EMAIL, "2026-09", "sendLegacySingleEmail", None),
    (ops.SEND_LEGACY_EMAIL, "2027-03", "sendLegacySingleEmail", None),
    (ops.CREATE_EMAILS, "legacy", "batchCreateEmails", None),
    (ops.CREATE_EMAILS, "2026-03", "batchCreateEmailsDated", "2026-03"),
    (ops.CREATE_EMAILS, "2026-09", "batchCreateEmailsDated", "2026-09"),
    (ops.CREATE_EMAILS, "2027-03", "batchCreateEmailsDated", "2027-03"),
    (ops.RECORD_ATTENDANCE, "legacy", "recordAttendanceByEmail", None),
    (ops.RECORD_ATTENDANCE, "2026-03", "recordAttendanceByEmailDated", "2026-03"),
    (ops.RECORD_ATTENDANCE, "2026-09", "recordAttendanceByEmailDated", "2026-09"),
    (ops.RECORD_ATTENDANCE, "2027-03", "recordAttendanceByEmailDated", "2027-03"),
    (ops.GET_SEND_STATUS, "legacy", "getSendStatus", None),
    (ops.GET_SEND_STATUS, "2026-03", "getSendStatus", None),
    (ops.GET_SEND_STATUS, "2026-09", "getSendStatus", None),
    (ops.GET_SEND_STATUS, "2027-03", "getSendStatus", None),
]


@pytest.mark.parametrize(
    ("operation", "api_version", "operation_id", "version"),
    ROUTES,
    ids=[f"{row[0].name}-{row[1]}" for row in ROUTES],
)
def test_route(operation: ops.Operation, api_version: str, operation_id: str, version: str | None) -> None:
    chosen = ops.route(operation, api_version)
    assert (chosen.operation.operation_id, chosen.version) == (operation_id, version)
    # The method's name stays: logs and errors say `send_email`, whichever path it took.
    assert chosen.operation.name == operation.name


@pytest.mark.parametrize("operation", ops.OPERATIONS, ids=lambda operation: operation.name)
def test_a_dated_operation_keeps_the_rules_of_its_twin(operation: ops.Operation) -> None:
    """Retries, idempotency and the rate budget are decided from these facts: the same either way."""
    dated = ops.route(operation, "2026-09").operation
    assert (dated.idempotent, dated.rate_limited) == (operation.idempotent, operation.rate_limited)
    assert dated.facts.idempotency_key == operation.facts.idempotency_key
    assert dated.facts.scopes == operation.facts.scopes
    assert dated.facts.success_statuses == operation.facts.success_statuses


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        pytest.param("legacy", "legacy", id="legacy"),
        pytest.param("2026-03", "2026-03", id="2026-03"),
        pytest.param("2026-09", "2026-09", id="2026-09"),
        pytest.param("2027-03", "2027-03", id="later"),
        pytest.param("2030-11", "2030-11", id="later-any-month"),
        pytest.param(ApiVersion.V2026_09, "2026-09", id="generated-enum"),
    ],
)
def test_accepted_api_versions(given: str, kept: str) -> None:
    checked = ops.check_api_version(given)
    assert checked == kept
    assert type(checked) is str


REFUSED: list[object] = [
    None,
    "",
    "Legacy",
    "v4",
    "latest",
    "2026-13",
    "2026-00",
    "2026-3",
    "26-03",
    "2026-03-01",
    "2026-03\n",
    " 2026-03",
    202603,
    b"2026-03",
    True,
]


@pytest.mark.parametrize("given", REFUSED, ids=repr)
def test_refused_api_versions_name_the_argument_and_the_fix(given: object) -> None:
    with pytest.raises(InvalidInputError) as raised:
        ops.check_api_version(given)
    assert raised.value.field == "api_version"
    message = str(raised.value)
    assert repr(given) in message
    assert "api_version='legacy'" in message
    assert "'2026-03'" in message  # a version to pass instead, from the spec


class NoNetwork(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Fails the test on any request."""

    requests: list[httpx.Request]

    def __init__(self) -> None:
        self.requests = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        raise AssertionError("a request was sent")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        raise AssertionError("a request was sent")


def build(kind: str, options: dict[str, Any]) -> None:
    if kind == "sync":
        Client(TOKEN, **options)
        return

    async def in_a_loop() -> None:
        AsyncClient(TOKEN, **options)

    asyncio.run(in_a_loop())


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("given", ["v4", "2026-13", "latest"])
def test_a_bad_api_version_is_refused_when_the_client_is_built(kind: str, given: str) -> None:
    transport = NoNetwork()
    options: dict[str, Any] = {"base_url": BASE_URL, "transport": transport, "api_version": given}
    with pytest.raises(InvalidInputError, match="api_version"):
        build(kind, options)
    assert transport.requests == []


def test_the_default_is_legacy_and_shows_in_the_repr() -> None:
    with Client(TOKEN, base_url=BASE_URL) as client:
        assert "api_version='legacy'" in repr(client)
        assert client._config.route(ops.SEND_EMAIL).operation == ops.SEND_EMAIL
    with Client(TOKEN, base_url=BASE_URL, api_version="2026-09") as client:
        assert "api_version='2026-09'" in repr(client)
        # with_options changes timeouts and retries, never the paths a client calls.
        assert client.with_options(max_retries=0)._config.route(ops.SEND_EMAIL).version == "2026-09"
