"""`Client` and `AsyncClient`: one method per HubSpot operation.

Both share `_ClientConfig` (token, base URL, timeout, headers) and the functions in `_operations`;
they differ only in the few lines that perform I/O.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from hubspot_email_api.models import (
    AttendanceByEmailRequest,
    BatchCreateEmailsRequest,
    BatchResponseSimplePublicObject,
    BatchResponseSubscriberEmail,
    EmailSendStatusView,
    LegacySendResponse,
    LegacySingleSendRequest,
    SingleSendRequest,
    SubscriberState,
)

from . import _operations as ops
from ._constants import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, TOKEN_ENV_VAR
from ._exceptions import MissingTokenError
from ._version import __version__

__all__ = ["AsyncClient", "Client"]

ResultT = TypeVar("ResultT")


class _ClientConfig:
    """Configuration shared by the sync and async clients. The token is kept out of every repr."""

    def __init__(self, *, access_token: str | None, base_url: str, timeout: httpx.Timeout | float) -> None:
        token = access_token if access_token is not None else os.environ.get(TOKEN_ENV_VAR)
        if not token:
            raise MissingTokenError(
                f"No HubSpot access token: pass access_token=... or set the {TOKEN_ENV_VAR} environment "
                "variable to a private-app or OAuth access token."
            )
        self._access_token = token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._access_token}",
            "Accept": "application/json",
            "User-Agent": f"hubspot-email/{__version__} httpx/{httpx.__version__}",
        }

    def request_kwargs(self, generated_kwargs: dict[str, Any]) -> dict[str, Any]:
        """The generated request (method, path, JSON, content type) made absolute, with our headers."""
        return {
            **generated_kwargs,
            "url": self.base_url + generated_kwargs["url"],
            "headers": {**self.headers(), **generated_kwargs.get("headers", {})},
        }

    def __repr__(self) -> str:
        return f"base_url={self.base_url!r}"


class Client:
    """A synchronous client for HubSpot's email APIs.

    >>> with Client(access_token="pat-...") as client:  # doctest: +SKIP
    ...     client.send_email(SingleSendRequest(email_id=123, message=SingleSendMessage(to="a@example.com")))
    """

    def __init__(
        self,
        access_token: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._config = _ClientConfig(access_token=access_token, base_url=base_url, timeout=timeout)
        # A client the caller passed in is theirs to close; one we open is ours.
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.Client(timeout=self._config.timeout)

    def _call(self, operation: ops.Operation[ResultT], generated_kwargs: dict[str, Any]) -> ResultT:
        response = self._http.request(**self._config.request_kwargs(generated_kwargs))
        return ops.parse_response(operation, response)

    def send_email(self, body: SingleSendRequest) -> EmailSendStatusView:
        """Send one published email to one recipient (POST /marketing/v4/email/single-send)."""
        return self._call(ops.SEND_EMAIL, ops.send_email_request(body))

    def send_legacy_email(self, body: LegacySingleSendRequest) -> LegacySendResponse:
        """The legacy single send (POST /email/public/v1/singleEmail/send)."""
        return self._call(ops.SEND_LEGACY_EMAIL, ops.send_legacy_email_request(body))

    def create_emails(self, body: BatchCreateEmailsRequest) -> BatchResponseSimplePublicObject:
        """Create email engagements on the CRM timeline (POST /crm/v3/objects/emails/batch/create)."""
        return self._call(ops.CREATE_EMAILS, ops.create_emails_request(body))

    def record_attendance(
        self, event_id: str, state: SubscriberState, body: AttendanceByEmailRequest
    ) -> BatchResponseSubscriberEmail:
        """Record marketing-event attendance by email address."""
        return self._call(ops.RECORD_ATTENDANCE, ops.record_attendance_request(event_id, state, body))

    def close(self) -> None:
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client({self._config!r})"


class AsyncClient:
    """An asynchronous client for HubSpot's email APIs; the same methods as `Client`, awaited."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._config = _ClientConfig(access_token=access_token, base_url=base_url, timeout=timeout)
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self._config.timeout)

    async def _call(self, operation: ops.Operation[ResultT], generated_kwargs: dict[str, Any]) -> ResultT:
        response = await self._http.request(**self._config.request_kwargs(generated_kwargs))
        return ops.parse_response(operation, response)

    async def send_email(self, body: SingleSendRequest) -> EmailSendStatusView:
        """Send one published email to one recipient (POST /marketing/v4/email/single-send)."""
        return await self._call(ops.SEND_EMAIL, ops.send_email_request(body))

    async def send_legacy_email(self, body: LegacySingleSendRequest) -> LegacySendResponse:
        """The legacy single send (POST /email/public/v1/singleEmail/send)."""
        return await self._call(ops.SEND_LEGACY_EMAIL, ops.send_legacy_email_request(body))

    async def create_emails(self, body: BatchCreateEmailsRequest) -> BatchResponseSimplePublicObject:
        """Create email engagements on the CRM timeline (POST /crm/v3/objects/emails/batch/create)."""
        return await self._call(ops.CREATE_EMAILS, ops.create_emails_request(body))

    async def record_attendance(
        self, event_id: str, state: SubscriberState, body: AttendanceByEmailRequest
    ) -> BatchResponseSubscriberEmail:
        """Record marketing-event attendance by email address."""
        return await self._call(ops.RECORD_ATTENDANCE, ops.record_attendance_request(event_id, state, body))

    async def aclose(self) -> None:
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncClient({self._config!r})"
