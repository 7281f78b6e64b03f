"""The overlay's exceptions. Every one derives from `HubSpotError`."""

from __future__ import annotations

import httpx

__all__ = ["APIError", "APIResponseValidationError", "APIStatusError", "HubSpotError", "MissingTokenError"]


class HubSpotError(Exception):
    """The base of every error this package raises."""


class MissingTokenError(HubSpotError):
    """No access token was given and `HUBSPOT_ACCESS_TOKEN` is not set."""


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

    @property
    def correlation_id(self) -> str | None:
        value: str | None = self.response.headers.get("x-hubspot-correlation-id")
        return value


class APIStatusError(APIError):
    """HubSpot answered with a status that is not a success for this operation."""


class APIResponseValidationError(APIError):
    """HubSpot answered with a success status, but the body is not what the spec describes."""
