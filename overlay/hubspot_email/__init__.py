"""hubspot-email: a spec-first, typed client for HubSpot's email APIs.

`Client` and `AsyncClient` call the four operations; the request and response models come from the
generated package `hubspot_email_api` and are re-exported from `hubspot_email.models`.
"""

from ._client import AsyncClient, Client
from ._exceptions import APIError, APIResponseValidationError, APIStatusError, HubSpotError, MissingTokenError
from ._version import __version__

__all__ = [
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "AsyncClient",
    "Client",
    "HubSpotError",
    "MissingTokenError",
    "__version__",
]
