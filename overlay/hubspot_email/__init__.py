"""hubspot-email: a spec-first, typed client for HubSpot's email APIs.

`Client` and `AsyncClient` call the operations (on HubSpot's numbered paths, or with `api_version` on
their date-versioned successors; `wait_for_send` polls a send's status); the request and response
models come from the generated package `hubspot_email_api` and are re-exported from
`hubspot_email.models`.
"""

from ._batch import BatchResult, ChunkReport, Outcome, OutcomeState
from ._client import AsyncClient, Client
from ._engagements import attendee, email_engagement
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
from ._results import SendStatus, SingleSendResult
from ._validation import InvalidInputError
from ._version import __version__

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
