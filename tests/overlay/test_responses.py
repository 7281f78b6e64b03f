"""`parse_response`: every answer reaches the caller with its status, headers and body (a table test)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hubspot_email import APIResponseValidationError, APIStatusError, Client, MissingTokenError
from hubspot_email import _operations as ops
from hubspot_email_api.models import BatchResponseSimplePublicObject, ProcessingStatus

BATCH_BODY: dict[str, Any] = {
    "status": "COMPLETE",
    "startedAt": "2026-11-23T10:00:00Z",
    "completedAt": "2026-11-23T10:00:01Z",
    "results": [],
}
ERROR_BODY = {
    "category": "VALIDATION_ERROR",
    "correlationId": "c-1",
    "message": "Property values were not valid",
}
HTML_502 = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


@pytest.mark.parametrize(
    ("status", "body", "headers", "error_type", "message_part"),
    [
        pytest.param(400, ERROR_BODY, {}, APIStatusError, "were not valid", id="400-error-body"),
        pytest.param(477, ERROR_BODY, {"Retry-After": "30"}, APIStatusError, "477", id="477-migration"),
        pytest.param(502, HTML_502, {"Content-Type": "text/html"}, APIStatusError, "html", id="502-html"),
        pytest.param(521, b"", {}, APIStatusError, "0 bytes", id="521-empty"),
        pytest.param(429, {"policyName": "DAILY"}, {}, APIStatusError, "no message", id="429-no-message"),
        pytest.param(200, b"", {}, APIResponseValidationError, "JSONDecodeError", id="200-empty-body"),
        pytest.param(200, [1, 2], {}, APIResponseValidationError, "JSON object", id="200-json-array"),
        pytest.param(
            201, {"status": "COMPLETE", "results": []}, {}, APIResponseValidationError, "startedAt",
            id="201-missing-required-field",
        ),
    ],
)  # fmt: skip
def test_non_success_answers_raise_with_the_whole_response(
    status: int, body: Any, headers: dict[str, str], error_type: type[Exception], message_part: str
) -> None:
    content = body if isinstance(body, bytes) else None
    response = httpx.Response(
        status,
        content=content,
        json=None if content is not None else body,
        headers={"X-HubSpot-Correlation-Id": "corr-9", **headers},
    )
    with pytest.raises(error_type) as caught:
        ops.parse_response(ops.CREATE_EMAILS, response)
    error = caught.value
    assert isinstance(error, APIStatusError | APIResponseValidationError)
    assert error.status_code == status
    assert error.body == response.content
    assert error.correlation_id == "corr-9"
    for name, value in headers.items():
        assert error.headers[name] == value
    assert message_part in str(error)


@pytest.mark.parametrize("status", [200, 201, 207])
def test_every_documented_batch_success_status_parses(status: int) -> None:
    response = httpx.Response(status, json={**BATCH_BODY, "numErrors": 0})
    result = ops.parse_response(ops.CREATE_EMAILS, response)
    assert isinstance(result, BatchResponseSimplePublicObject)
    assert result.status is ProcessingStatus.COMPLETE


@pytest.mark.parametrize(
    ("operation", "status"),
    [(ops.SEND_EMAIL, 201), (ops.RECORD_ATTENDANCE, 207), (ops.SEND_LEGACY_EMAIL, 204)],
)
def test_status_outside_an_operations_success_set_is_an_error(
    operation: ops.Operation[Any], status: int
) -> None:
    with pytest.raises(APIStatusError):
        ops.parse_response(operation, httpx.Response(status, json={}))


def test_missing_token_names_the_argument_and_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    with pytest.raises(MissingTokenError, match=r"access_token=.*HUBSPOT_ACCESS_TOKEN"):
        Client()


def test_token_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-from-env")
    with Client() as client:
        assert client._config.headers()["Authorization"] == "Bearer pat-from-env"


def test_token_never_appears_in_repr_or_errors() -> None:
    secret = "pat-na1-very-secret-0123"
    with Client(secret, base_url="https://api.test.example") as client:
        assert secret not in repr(client)
        assert secret not in str(client)
    response = httpx.Response(
        401,
        json={"message": "Authentication credentials not found."},
        request=httpx.Request(
            "POST", "https://api.test.example/x", headers={"Authorization": f"Bearer {secret}"}
        ),
    )
    with pytest.raises(APIStatusError) as caught:
        ops.parse_response(ops.SEND_EMAIL, response)
    assert secret not in str(caught.value)
    assert secret not in repr(caught.value)
