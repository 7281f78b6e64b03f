"""Reading answers: every answer reaches the caller with its status, headers and body (table tests).

Single sends raise for what is not a success and return a result for what is; a batch chunk never
raises: each answer becomes one outcome per input, with the chunk's report.
"""

from __future__ import annotations

import gzip
from typing import Any

import httpx
import pytest
from hubspot_email import (
    APIResponseValidationError,
    APIStatusError,
    Client,
    ConflictError,
    InternalServerError,
    MissingTokenError,
    OutcomeState,
)
from hubspot_email._batch import ATTENDANCE, CRM_EMAILS, read_chunk
from hubspot_email._http import Answer, answer_from_raw
from hubspot_email._results import read_single_send
from hubspot_email_api.models import ProcessingStatus

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
REQUEST = httpx.Request("POST", "https://api.test.example/send")
HTML_502 = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    content = body if isinstance(body, bytes) else None
    return httpx.Response(
        status,
        content=content,
        json=None if content is not None else body,
        headers={"X-HubSpot-Correlation-Id": "corr-9", **(headers or {})},
    )


def _undecodable(status: int, raw: bytes = b'{"sendResult": "SENT"}') -> Answer:
    """An answer labelled gzip whose bytes are not gzip, as read by the clients."""
    streamed = httpx.Response(
        status, headers={"Content-Encoding": "gzip", "X-HubSpot-Correlation-Id": "c"}, request=REQUEST
    )
    return answer_from_raw(streamed, raw)


@pytest.mark.parametrize(
    ("status", "body", "headers", "error_type", "message_part"),
    [
        pytest.param(400, ERROR_BODY, {}, APIStatusError, "were not valid", id="400-error-body"),
        pytest.param(477, ERROR_BODY, {"Retry-After": "30"}, InternalServerError, "477", id="477"),
        pytest.param(502, HTML_502, {"Content-Type": "text/html"}, InternalServerError, "html", id="502"),
        pytest.param(521, b"", {}, InternalServerError, "0 bytes", id="521-empty"),
        pytest.param(429, {"policyName": "DAILY"}, {}, APIStatusError, "no message", id="429-no-message"),
        pytest.param(302, b"", {"Location": "https://elsewhere.example"}, APIStatusError, "302",
                     id="302-unexpected-redirect"),
        pytest.param(409, {"message": "sendId r-1 was already used for a different message."}, {},
                     ConflictError, "different message", id="409-different-message"),
        pytest.param(200, b"", {}, APIResponseValidationError, "no JSON", id="200-empty-body"),
        pytest.param(200, [1, 2], {}, APIResponseValidationError, "not an object", id="200-json-array"),
    ],
)  # fmt: skip
def test_single_send_errors_carry_the_whole_response(
    status: int, body: Any, headers: dict[str, str], error_type: type[Exception], message_part: str
) -> None:
    response = _response(status, body, headers)
    with pytest.raises(error_type) as caught:
        read_single_send("send_email", False, Answer(response))
    error = caught.value
    assert isinstance(error, APIStatusError | APIResponseValidationError)
    assert error.status_code == status
    assert error.body == response.content
    assert error.correlation_id == "corr-9"
    for name, value in headers.items():
        assert error.headers[name] == value
    assert message_part in str(error)


@pytest.mark.parametrize(
    ("status", "error_type"), [(200, APIResponseValidationError), (502, InternalServerError)]
)
def test_an_undecodable_single_send_answer_raises_with_the_raw_body(
    status: int, error_type: type[Exception]
) -> None:
    with pytest.raises(error_type) as caught:
        read_single_send("send_email", False, _undecodable(status, b"\x00not gzip"))
    error = caught.value
    assert isinstance(error, APIStatusError | APIResponseValidationError)
    assert (error.status_code, error.body) == (status, b"\x00not gzip")
    assert error.headers["content-encoding"] == "gzip"
    assert "does not decode" in str(error)


def test_a_decodable_gzip_body_is_decoded() -> None:
    streamed = httpx.Response(200, headers={"Content-Encoding": "gzip"}, request=REQUEST)
    answer = answer_from_raw(streamed, gzip.compress(b'{"sendResult": "SENT"}'))
    assert answer.decode_error is None
    assert read_single_send("send_legacy_email", True, answer).ok


@pytest.mark.parametrize("legacy", [False, True])
def test_a_409_for_a_repeated_send_id_is_already_sent_not_an_error(legacy: bool) -> None:
    body = {
        "status": "error",
        "message": "An email with sendId r-1 was already sent.",
        "category": "CONFLICT",
    }
    result = read_single_send("send", legacy, Answer(_response(409, body)))
    assert (result.ok, result.already_sent, result.http_status) == (True, True, 409)
    assert result.message == body["message"]
    assert result.body == body


# ------------------------------------------------------------------------------------------ batches
@pytest.mark.parametrize(
    ("status", "body", "state"),
    [
        pytest.param(400, ERROR_BODY, OutcomeState.FAILED, id="400-refused"),
        pytest.param(429, {"policyName": "DAILY"}, OutcomeState.FAILED, id="429-refused"),
        pytest.param(477, ERROR_BODY, OutcomeState.UNKNOWN, id="477-may-have-acted"),
        pytest.param(500, ERROR_BODY, OutcomeState.UNKNOWN, id="500"),
        pytest.param(502, HTML_502, OutcomeState.UNKNOWN, id="502-html"),
        pytest.param(302, b"", OutcomeState.UNKNOWN, id="302-unexpected-redirect"),
        pytest.param(204, b"", OutcomeState.UNKNOWN, id="204-no-body"),
        pytest.param(202, {"status": "PENDING"}, OutcomeState.UNKNOWN, id="202-pending-names-nothing"),
        pytest.param(200, [1], OutcomeState.UNKNOWN, id="200-json-array"),
        pytest.param(201, b"<html>", OutcomeState.UNKNOWN, id="201-not-json"),
    ],
)
def test_a_chunk_answered_as_a_whole_is_never_failed_unless_refused(
    status: int, body: Any, state: OutcomeState
) -> None:
    response = _response(status, body)
    report = read_chunk(CRM_EMAILS, 10, ["t-0", "t-1"], Answer(response))
    assert [(o.index, o.state) for o in report.outcomes] == [(10, state), (11, state)]
    assert all(outcome.reason for outcome in report.outcomes)
    assert report.http_status == status
    assert report.headers is not None
    assert report.headers["x-hubspot-correlation-id"] == "corr-9"


def test_an_undecodable_2xx_chunk_is_unknown() -> None:
    report = read_chunk(CRM_EMAILS, 0, ["t-0"], _undecodable(201))
    assert report.outcomes[0].state is OutcomeState.UNKNOWN
    assert "does not decode" in str(report.outcomes[0].reason)
    assert isinstance(report.error, APIResponseValidationError)


def test_a_207_on_attendance_is_read_like_a_200() -> None:
    body = {**BATCH_BODY, "results": [{"email": "ADA@example.com", "vid": 7}]}
    report = read_chunk(ATTENDANCE, 0, ["ada@example.com"], Answer(_response(207, body)))
    assert report.outcomes[0].state is OutcomeState.CREATED
    assert report.outcomes[0].record is not None
    assert report.outcomes[0].record.vid == 7


@pytest.mark.parametrize("status", [200, 201, 207])
def test_every_documented_batch_success_status_is_read(status: int) -> None:
    record = {"id": "5", "properties": {}, "objectWriteTraceId": "t", "archived": False}
    stamps = {"createdAt": "2026-11-23T10:00:00Z", "updatedAt": "2026-11-23T10:00:00Z"}
    body = {**BATCH_BODY, "numErrors": 0, "results": [record | stamps]}
    report = read_chunk(CRM_EMAILS, 0, ["t"], Answer(_response(status, body)))
    assert report.status is ProcessingStatus.COMPLETE
    assert report.num_errors == 0
    assert [outcome.state for outcome in report.outcomes] == [OutcomeState.CREATED]


def test_missing_token_names_the_argument_and_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    with pytest.raises(MissingTokenError, match=r"access_token=.*HUBSPOT_ACCESS_TOKEN"):
        Client()


def test_token_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-from-env")
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json={"sendResult": "SENT"})

    with Client(base_url="https://api.test.example", transport=httpx.MockTransport(answer)) as client:
        client.send_legacy_email(email_id=1, to="ada@example.com")
    assert seen == ["Bearer pat-from-env"]
