"""Exported errors: each pickles whole and without the token, str() names HubSpot's correlation id, and
missing scopes are read from every form HubSpot sends them in."""

from __future__ import annotations

import gzip
import json
import pickle
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import hubspot_email
import pytest
from hubspot_email import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DailyLimitReachedError,
    HubSpotError,
    InternalServerError,
    InvalidInputError,
    LockedError,
    MissingTokenError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from hubspot_email._exceptions import error_class_for_status
from hubspot_email._validation import check_recipient

SECRET = "SECRET-9f27c4e1b03a4d6e"
TOKEN = f"pat-na1-{SECRET}"
SEND_URL = "https://api.hubapi.com/marketing/v4/email/single-send"


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


def raised(action: Callable[[], object]) -> HubSpotError:
    with pytest.raises(HubSpotError) as info:
        action()
    return info.value


def error_body(category: str, **extra: Any) -> dict[str, Any]:
    return {"status": "error", "message": "m", "correlationId": "body-c-1", "category": category, **extra}


CORRELATION = {"x-hubspot-correlation-id": "3f2a6c1e-7d4b-4a9e-8f00-1b2c3d4e5f60"}
BUILDERS: dict[type[HubSpotError], Callable[[], HubSpotError]] = {
    HubSpotError: lambda: HubSpotError("something went wrong"),
    MissingTokenError: lambda: MissingTokenError("No HubSpot access token: pass access_token=..."),
    APIConnectionError: lambda: APIConnectionError("sendSingleEmail: no answer from HubSpot (ConnectError)"),
    APITimeoutError: lambda: APITimeoutError("sendSingleEmail: no answer from HubSpot (ReadTimeout)"),
    InvalidInputError: lambda: raised(lambda: check_recipient("to", "noreply@example.com")),
    APIError: lambda: APIError("HubSpot answered 200", response=hubspot_answer(200, {"status": "PENDING"})),
    APIStatusError: lambda: status_error(418, error_body("TEAPOT")),
    BadRequestError: lambda: status_error(400, error_body("VALIDATION_ERROR"), headers=CORRELATION),
    AuthenticationError: lambda: status_error(401, error_body("INVALID_AUTHENTICATION"), gzipped=True),
    PermissionDeniedError: lambda: status_error(
        403,
        error_body(
            "MISSING_SCOPES",
            errors=[{"message": "m", "context": {"requiredGranularScopes": ["transactional-email"]}}],
        ),
        headers=CORRELATION,
        gzipped=True,
    ),
    NotFoundError: lambda: status_error(404, error_body("OBJECT_NOT_FOUND")),
    ConflictError: lambda: status_error(409, error_body("CONFLICT")),
    LockedError: lambda: status_error(423, error_body("LOCKED"), headers={"Retry-After": "2"}),
    RateLimitError: lambda: status_error(
        429, error_body("RATE_LIMITS", policyName="TEN_SECONDLY_ROLLING"), headers={"Retry-After": "7"}
    ),
    DailyLimitReachedError: lambda: DailyLimitReachedError(
        "HubSpot's daily request limit is spent until midnight; the request was not sent",
        retry_after=3600.0,
        resets_at=datetime(2025, 1, 2, tzinfo=UTC),
    ),
    InternalServerError: lambda: status_error(502, {"message": "bad gateway"}, gzipped=True),
    APIResponseValidationError: lambda: APIResponseValidationError(
        "sendSingleEmail: HubSpot answered 200 with a body the spec does not describe",
        response=hubspot_answer(200, ["not", "an", "object"], headers=CORRELATION, gzipped=True),
    ),
}

EXPORTED_ERRORS = sorted(
    (
        exported
        for name in hubspot_email.__all__
        if isinstance(exported := getattr(hubspot_email, name), type) and issubclass(exported, HubSpotError)
    ),
    key=lambda error_class: error_class.__name__,
)
PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)
ATTRIBUTES = (
    "status_code",
    "headers",
    "body",
    "json_body",
    "message",
    "field",
    "category",
    "correlation_id",
    "retry_after",
    "missing_scopes",
    "policy_name",
)
ABSENT = object()


def test_every_exported_error_class_has_a_builder() -> None:
    assert len(EXPORTED_ERRORS) >= 16
    assert set(EXPORTED_ERRORS) == set(BUILDERS), "add the new error class to BUILDERS"


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("error_class", EXPORTED_ERRORS, ids=lambda error_class: error_class.__name__)
def test_every_error_pickles_whole_and_without_the_token(
    error_class: type[HubSpotError], protocol: int
) -> None:
    error = BUILDERS[error_class]()
    assert type(error) is error_class

    pickled = pickle.dumps(error, protocol=protocol)
    restored = pickle.loads(pickled)  # noqa: S301 (bytes this test just made)

    assert SECRET.encode() not in pickled
    assert type(restored) is error_class
    assert str(restored) == str(error)
    assert restored.args == error.args
    for name in ATTRIBUTES:
        assert getattr(restored, name, ABSENT) == getattr(error, name, ABSENT), name
    # Attributes added later are kept too; the response is compared below (httpx compares by identity).
    assert vars(restored).keys() == vars(error).keys()
    for name, value in vars(error).items():
        if name != "response":
            assert vars(restored)[name] == value, name
    if isinstance(error, APIError):
        assert isinstance(restored, APIError)
        # The check above can see the token: the request httpx would pickle carries it.
        assert SECRET.encode() in pickle.dumps(error.response.request, protocol=protocol)
        assert error.response.request.headers["authorization"] == f"Bearer {TOKEN}", "the original is intact"
        assert restored.response.status_code == error.response.status_code
        assert restored.response.headers.raw == error.response.headers.raw
        assert restored.response.content == error.response.content
        assert restored.response.request.method == "POST"
        assert restored.response.request.url == SEND_URL
        assert "authorization" not in restored.response.request.headers


def test_a_gzipped_answer_comes_back_decoded_and_still_labelled_gzip() -> None:
    error = BUILDERS[PermissionDeniedError]()
    assert isinstance(error, PermissionDeniedError)
    assert error.response.headers["content-encoding"] == "gzip"

    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 (bytes this test just made)
    assert isinstance(restored, PermissionDeniedError)

    assert restored.response.headers["content-encoding"] == "gzip"
    assert restored.response.json() == error.json_body
    assert restored.missing_scopes == ["transactional-email"]


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
