"""The overlay's exceptions. Every one derives from `HubSpotError`.

The status-to-class mapping lives in one function, `error_class_for_status`. Every error pickles (to
hand it to another process or a task queue), and a pickled error never holds the access token.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, NamedTuple

import httpx

from ._retry import parse_retry_after

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "DailyLimitReachedError",
    "HubSpotError",
    "InternalServerError",
    "LockedError",
    "MissingTokenError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "error_class_for_status",
]


class HubSpotError(Exception):
    """The base of every error this package raises.

    `earlier_attempt_may_have_acted` is True when this call was retried and an earlier attempt may have
    been acted on by HubSpot (it timed out, the connection broke after sending, a 5xx, an answer that
    could not be read), whatever the last attempt's error says: an email may have gone out. Resend
    only with the same send_id.

    Pickles whatever its subclass's `__init__` takes: the default pickling replays `args` into
    `__init__`, which fails for keyword-only or multi-part constructors. An `httpx.Response` in the
    error's attributes is pickled as its status, headers, body and request line only: the request's
    headers carry the `Authorization: Bearer` token.
    """

    earlier_attempt_may_have_acted = False

    def __reduce__(self) -> tuple[Any, ...]:
        state = {name: _picklable(value) for name, value in self.__dict__.items()}
        return (_unpickle_error, (type(self), self.args, state))


class MissingTokenError(HubSpotError):
    """No access token was given and `HUBSPOT_ACCESS_TOKEN` is not set."""


class APIConnectionError(HubSpotError):
    """No response arrived: the connection failed or broke.

    `may_have_reached_hubspot` is False only when the request provably never left (no connection was
    made); otherwise HubSpot may or may not have acted on it.
    """

    def __init__(self, message: str, *, may_have_reached_hubspot: bool = True) -> None:
        super().__init__(message)
        self.may_have_reached_hubspot = may_have_reached_hubspot


class DailyLimitReachedError(HubSpotError):
    """HubSpot said the day's request budget is spent (a DAILY 429): the call was not sent.

    Until the account's midnight (`resets_at`, in `retry_after` seconds) the client's rate limiter stops
    every call that spends the daily budget; single sends are exempt and still go.
    """

    may_have_reached_hubspot = False

    def __init__(self, message: str, *, retry_after: float, resets_at: datetime) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.resets_at = resets_at


class APITimeoutError(APIConnectionError):
    """No response arrived in time. HubSpot may or may not have acted."""


class APIError(HubSpotError):
    """HubSpot answered, and the answer is not the success the caller needs.

    Carries the whole response so that nothing is lost: status, headers and the raw body.
    """

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = response.content
        self.json_body: Any = _json_or_none(response)

    def __str__(self) -> str:
        """The message, and HubSpot's correlation id (what HubSpot support asks for) when it sent one."""
        message = super().__str__()
        correlation_id = self.correlation_id
        if correlation_id is None or correlation_id in message:
            return message
        return f"{message} (correlation id {correlation_id})"

    def _body_field(self, name: str) -> str | None:
        value = self.json_body.get(name) if isinstance(self.json_body, dict) else None
        return value if isinstance(value, str) else None

    @property
    def correlation_id(self) -> str | None:
        header: str | None = self.response.headers.get("x-hubspot-correlation-id")
        return header or self._body_field("correlationId")

    @property
    def category(self) -> str | None:
        return self._body_field("category")

    @property
    def retry_after(self) -> float | None:
        """Seconds HubSpot asked to wait (Retry-After: seconds or an HTTP date), if it said."""
        return parse_retry_after(self.headers, datetime.now(UTC))


class APIStatusError(APIError):
    """HubSpot answered with a status that is not a success for this operation."""


class BadRequestError(APIStatusError):
    """400: the request was invalid. Do not resend it unchanged."""


class AuthenticationError(APIStatusError):
    """401: the token is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the token lacks a scope; `missing_scopes` names them when HubSpot does.

    HubSpot names them in `context.missingScopes` or `context.requiredGranularScopes`.
    """

    @property
    def missing_scopes(self) -> list[str]:
        return _missing_scopes(self.json_body)


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class LockedError(APIStatusError):
    """423: the resource is locked; wait at least 2 seconds."""


class RateLimitError(APIStatusError):
    """429: a rate limit was reached. `policy_name` says which (DAILY is not retried)."""

    @property
    def policy_name(self) -> str | None:
        return self._body_field("policyName")


class InternalServerError(APIStatusError):
    """5xx, and HubSpot's 477 (account migration). HubSpot may or may not have acted."""


class APIResponseValidationError(APIError):
    """HubSpot answered with a success status, but the body is not what the spec describes."""


_CLASS_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    423: LockedError,
    429: RateLimitError,
    477: InternalServerError,
}


def error_class_for_status(status: int) -> type[APIStatusError]:
    """The exception class for a non-success status."""
    if status in _CLASS_BY_STATUS:
        return _CLASS_BY_STATUS[status]
    if status >= 500:
        return InternalServerError
    return APIStatusError


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


# The context keys under which HubSpot lists the scopes a token lacks.
_SCOPE_KEYS = ("missingScopes", "requiredGranularScopes")
# A Java map's toString(), as on the attendance reference page: {missingScopes=[scope1, scope2]}.
_JAVA_MAP_SCOPES = re.compile(r"(?P<key>missingScopes|requiredGranularScopes)=\[(?P<scopes>[^\]]*)\]")


def _context_from_string(text: str) -> Any:
    """A detail context HubSpot serialised into a string: JSON, or a Java map's toString()."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    context = {
        found.group("key"): [scope.strip() for scope in found.group("scopes").split(",") if scope.strip()]
        for found in _JAVA_MAP_SCOPES.finditer(text)
    }
    return context or None


def _missing_scopes(body: Any) -> list[str]:
    """Scopes named in `context.missingScopes` or `context.requiredGranularScopes`, of the error or of
    its `errors[]` details, in the order HubSpot gave them and each once.

    A detail's context may be a map or, as HubSpot's pages show, that map serialised into a string.
    """
    if not isinstance(body, dict):
        return []
    contexts: list[Any] = [body.get("context")]
    details = body.get("errors")
    if isinstance(details, list):
        contexts += [detail.get("context") for detail in details if isinstance(detail, dict)]
    scopes: list[str] = []
    for context in contexts:
        if isinstance(context, str):
            context = _context_from_string(context)
        if not isinstance(context, dict):
            continue
        for key, named in context.items():
            if key in _SCOPE_KEYS and isinstance(named, list):
                for scope in named:
                    if isinstance(scope, str) and scope not in scopes:
                        scopes.append(scope)
    return scopes


class _PickledResponse(NamedTuple):
    """What a pickled error keeps of an `httpx.Response`: no request headers, so no token."""

    status_code: int
    raw_headers: list[tuple[bytes, bytes]]
    content: bytes  # already decoded, whatever Content-Encoding the headers name
    method: str | None
    url: str | None


def _picklable(value: Any) -> Any:
    if not isinstance(value, httpx.Response):
        return value
    try:
        request: httpx.Request | None = value.request
    except RuntimeError:  # a response built without a request
        request = None
    return _PickledResponse(
        status_code=value.status_code,
        raw_headers=list(value.headers.raw),
        content=value.content,
        method=request.method if request is not None else None,
        url=str(request.url) if request is not None else None,
    )


def _unpicklable(value: Any) -> Any:
    if not isinstance(value, _PickledResponse):
        return value
    request = httpx.Request(value.method, value.url) if value.method and value.url else None
    # Built without the original headers: given a Content-Encoding, httpx would decode the body again.
    response = httpx.Response(value.status_code, content=value.content, request=request)
    response.headers = httpx.Headers(value.raw_headers)
    return response


def _unpickle_error(
    error_class: type[HubSpotError], args: tuple[Any, ...], state: dict[str, Any]
) -> HubSpotError:
    error = error_class.__new__(error_class)
    error.args = args
    error.__dict__.update({name: _unpicklable(value) for name, value in state.items()})
    return error


EARLIER_ATTEMPT_NOTE = (
    "; an earlier attempt of this call may have been acted on by HubSpot, so it may have taken effect: "
    "resend only with the same send_id"
)


def after_earlier_attempt(error: HubSpotError) -> HubSpotError:
    """`error`, the last attempt's, marked as coming after an attempt HubSpot may have acted on: its
    message says so, `earlier_attempt_may_have_acted` is True, and a connection error may have
    reached HubSpot (the call as a whole may have)."""
    error.earlier_attempt_may_have_acted = True
    if error.args and isinstance(error.args[0], str):
        error.args = (error.args[0] + EARLIER_ATTEMPT_NOTE, *error.args[1:])
    if isinstance(error, APIError):
        error.message += EARLIER_ATTEMPT_NOTE
    if isinstance(error, APIConnectionError):
        error.may_have_reached_hubspot = True
    return error
