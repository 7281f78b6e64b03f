"""hubspot-email: a spec-first, typed client for HubSpot's email APIs.

`Client` and `AsyncClient` call the operations (on HubSpot's numbered paths, or with `api_version` on
their date-versioned successors; `wait_for_send` polls a send's status); the request and response
models come from the generated package `hubspot_email_api` and are re-exported from
`hubspot_email.models`.
"""

from typing import TYPE_CHECKING, Any

from ._client import AsyncClient, Client
from ._exceptions import (
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
    LockedError,
    MissingTokenError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from ._logs import setup_logging as _setup_logging
from ._ratelimit import RateLimiter
from ._validation import InvalidInputError
from ._version import __version__

if TYPE_CHECKING:
    from ._batch import BatchResult, ChunkReport, Outcome, OutcomeState
    from ._engagements import attendee, email_engagement
    from ._results import SendStatus, SingleSendResult

# Imported on first use (PEP 562): their modules import the generated package, which `import
# hubspot_email` and `Client(...)` do not need (serverless users pay import time on every cold start).
_LAZY = {
    "BatchResult": "_batch",
    "ChunkReport": "_batch",
    "Outcome": "_batch",
    "OutcomeState": "_batch",
    "attendee": "_engagements",
    "email_engagement": "_engagements",
    "SendStatus": "_results",
    "SingleSendResult": "_results",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


_setup_logging()

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "BatchResult",
    "ChunkReport",
    "Client",
    "ConflictError",
    "DailyLimitReachedError",
    "HubSpotError",
    "InternalServerError",
    "InvalidInputError",
    "LockedError",
    "MissingTokenError",
    "NotFoundError",
    "Outcome",
    "OutcomeState",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimiter",
    "SendStatus",
    "SingleSendResult",
    "__version__",
    "attendee",
    "email_engagement",
]
