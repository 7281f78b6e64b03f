"""str() names the correlation id; scopes are read from every form HubSpot uses."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest
from hubspot_email import (
    APIStatusError,
    BadRequestError,
    PermissionDeniedError,
)
from hubspot_email._exceptions import error_class_for_status

SECRET = "SECRET-9f27c4e1b03a4d6e"
TOKEN = f"pat-na1-{SECRET}"
SEND_URL = "https://api.hubapi.com/marketing/v4/email/single-send"
CORRELATION = {"x-hubspot-correlation-id": "3f2a6c1e-7d4b-4a9e-8f00-1b2c3d4e5f60"}


def hubspot_answer(
    status: int, body: Any, *, headers: dict[str, str] | None = None, gzipped: bool = False
) -> httpx.Response:
    """An answer as the client receives it: its request carries the token, a gzipped body is decoded."""
    content = json.dumps(body).encode()
    answer_headers = {"Content-Type": "application/json;charset=utf-8", **(headers or {})}
    if gzipped:
        content = gzip.compress(content)
        answer_headers["Content-Encoding"] = "gzip"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=answer_headers, content=content)

    with httpx.Client(
        transport=httpx.MockTransport(answer), headers={"Authorization": f"Bearer {TOKEN}"}
    ) as http:
        return http.post(SEND_URL, json={"emailId": 1, "message": {"to": "ada@example.com"}})


def status_error(status: int, body: Any, **options: Any) -> APIStatusError:
    """As the package raises a non-success answer: the class for the status, the whole response."""
    return error_class_for_status(status)(
        f"sendSingleEmail: HubSpot answered {status}", response=hubspot_answer(status, body, **options)
    )


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        pytest.param(
            CORRELATION, {}, f"denied (correlation id {CORRELATION['x-hubspot-correlation-id']})", id="header"
        ),
        pytest.param({}, {"correlationId": "body-c-1"}, "denied (correlation id body-c-1)", id="body"),
        pytest.param(
            {"x-hubspot-correlation-id": "header-c-1"},
            {"correlationId": "body-c-1"},
            "denied (correlation id header-c-1)",
            id="header-wins",
        ),
        pytest.param({}, {"message": "no id"}, "denied", id="none"),
        pytest.param({}, [1, 2], "denied", id="body-not-an-object"),
        pytest.param({}, {"correlationId": 42}, "denied", id="id-not-a-string"),
    ],
)
def test_str_names_the_correlation_id_when_there_is_one(
    headers: dict[str, str], body: Any, expected: str
) -> None:
    error = BadRequestError("denied", response=hubspot_answer(400, body, headers=headers))
    assert str(error) == expected
    assert error.message == "denied"
    assert error.args == ("denied",)


def test_str_does_not_repeat_a_correlation_id_the_message_already_holds() -> None:
    response = hubspot_answer(400, {"correlationId": "body-c-1"})
    error = BadRequestError("denied (see body-c-1)", response=response)
    assert str(error) == "denied (see body-c-1)"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param({"context": {"requiredGranularScopes": ["a", "b"]}}, ["a", "b"], id="top-level-map"),
        pytest.param(
            {"errors": [{"message": "m", "context": {"requiredGranularScopes": ["c"]}}]},
            ["c"],
            id="detail-map",
        ),
        pytest.param(
            {"errors": [{"message": "m", "context": '{"requiredGranularScopes":["scope1","scope2"]}'}]},
            ["scope1", "scope2"],
            id="detail-json-string",
        ),
        pytest.param(
            {"errors": [{"message": "m", "context": "{requiredGranularScopes=[scope1, scope2]}"}]},
            ["scope1", "scope2"],
            id="detail-java-map-string",
        ),
        pytest.param(
            {"errors": [{"message": "m", "context": "{requiredGranularScopes=[]}"}]}, [], id="java-map-empty"
        ),
        pytest.param(
            {
                "errors": [
                    {"message": "m", "context": "{missingScopes=[a, b], requiredGranularScopes=[b, c]}"}
                ]
            },
            ["a", "b", "c"],
            id="java-map-both-keys",
        ),
        pytest.param(
            {"context": {"requiredGranularScopes": ["z", "a"], "missingScopes": ["a", "m"]}},
            ["z", "a", "m"],
            id="map-both-keys-in-their-order",
        ),
        pytest.param(
            {
                "context": {"missingScopes": ["a"]},
                "errors": [
                    {"message": "m", "context": {"requiredGranularScopes": ["a", "b"]}},
                    {"message": "m", "context": '{"requiredGranularScopes":["b","c"]}'},
                ],
            },
            ["a", "b", "c"],
            id="across-contexts-once-each",
        ),
        pytest.param(
            {"context": {"requiredGranularScopes": "transactional-email"}}, [], id="value-not-a-list"
        ),
        pytest.param(
            {"context": {"requiredGranularScopes": ["a", "b", "a"]}}, ["a", "b"], id="repeated-in-one-list"
        ),
        pytest.param({"context": {"requiredScopes": ["a"]}}, [], id="other-key"),
    ],
)
def test_missing_scopes_reads_required_granular_scopes(body: Any, expected: list[str]) -> None:
    for gzipped in (False, True):
        error = status_error(403, body, gzipped=gzipped)
        assert isinstance(error, PermissionDeniedError)
        assert error.missing_scopes == expected
