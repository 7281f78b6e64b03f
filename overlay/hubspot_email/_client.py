"""`Client` and `AsyncClient`: one method per HubSpot operation.

Both share `_ClientConfig` (token, base URL, timeout, headers) and the functions in `_operations`;
they differ only in the few lines that perform I/O.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from hubspot_email_api.models import (
    AttendeeByEmail,
    EmailCreateInput,
    SimplePublicObject,
    SubscriberEmailResult,
    SubscriberState,
)

from . import _batch, _results, _retry
from . import _operations as ops
from ._batch import DEFAULT_CHUNK_SIZE, BatchResult
from ._constants import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    TOKEN_ENV_VAR,
)
from ._exceptions import APIConnectionError, APIError, APITimeoutError, MissingTokenError
from ._ratelimit import RateLimiter, key_for_token
from ._results import SingleSendResult
from ._version import __version__

__all__ = ["AsyncClient", "Client"]

ResultT = TypeVar("ResultT")
RecordT = TypeVar("RecordT")

logger = logging.getLogger("hubspot_email")


def _new_send_id() -> str:
    return str(uuid.uuid4())


class _ClientConfig:
    """Configuration shared by the sync and async clients. The token is kept out of every repr."""

    def __init__(
        self,
        *,
        access_token: str | None,
        base_url: str,
        timeout: httpx.Timeout | float,
        max_retries: int,
        rate_limiter: RateLimiter | None,
    ) -> None:
        token = access_token if access_token is not None else os.environ.get(TOKEN_ENV_VAR)
        if not token:
            raise MissingTokenError(
                f"No HubSpot access token: pass access_token=... or set the {TOKEN_ENV_VAR} environment "
                "variable to a private-app or OAuth access token."
            )
        # Built once: the same on every request.
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "User-Agent": f"hubspot-email/{__version__} httpx/{httpx.__version__}",
        }
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, not {max_retries}")
        self.max_retries = max_retries
        # One budget for every call and coroutine of this client; pass a Redis-backed RateLimiter to
        # share it across processes.
        self.rate_limiter = rate_limiter or RateLimiter(key=key_for_token(token))

    def headers(self) -> dict[str, str]:
        return self._headers

    def request_kwargs(self, generated_kwargs: dict[str, Any]) -> dict[str, Any]:
        """The generated request (method, path, JSON, content type) made absolute, with our headers."""
        return {
            **generated_kwargs,
            "timeout": self.timeout,
            "url": self.base_url + generated_kwargs["url"],
            "headers": {**self.headers(), **generated_kwargs.get("headers", {})},
        }

    def delay_after_answer(
        self, operation: ops.Operation[Any], response: httpx.Response, retries_done: int
    ) -> float | None:
        """Seconds to wait before retrying this answer, or None to hand it to the caller. Logs the attempt."""
        self.rate_limiter.update_from_headers(response.headers)
        delay = None
        if response.status_code not in operation.success_statuses:
            delay = _retry.delay_after_response(
                response,
                idempotent=operation.idempotent,
                retries_done=retries_done,
                max_retries=self.max_retries,
                jitter=random.random(),  # noqa: S311 (jitter, not a secret)
                now=datetime.now(UTC),
            )
        logger.info(
            "%s attempt %d: HTTP %d, %s, correlation id %s",
            operation.name,
            retries_done + 1,
            response.status_code,
            "final" if delay is None else f"retrying in {delay:.2f}s",
            response.headers.get("x-hubspot-correlation-id", "-"),
        )
        return delay

    def delay_after_error(
        self, operation: ops.Operation[Any], error: httpx.TransportError, retries_done: int
    ) -> float | None:
        """Seconds to wait before retrying after no answer, or None to raise. Logs the attempt."""
        delay = _retry.retry_delay(
            retries_done=retries_done,
            max_retries=self.max_retries,
            idempotent=operation.idempotent,
            jitter=random.random(),  # noqa: S311 (jitter, not a secret)
            connection_refused=_retry.never_sent(error),
        )
        logger.info(
            "%s attempt %d: %s, %s",
            operation.name,
            retries_done + 1,
            type(error).__name__,
            "final" if delay is None else f"retrying in {delay:.2f}s",
        )
        return delay

    @staticmethod
    def no_answer_error(operation: ops.Operation[Any], error: httpx.TransportError) -> APIConnectionError:
        sent = "was not sent" if _retry.never_sent(error) else "may have reached HubSpot"
        error_type = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        return error_type(
            f"{operation.name}: no answer from HubSpot ({type(error).__name__}); the request {sent}"
        )

    def with_changes(
        self, *, timeout: httpx.Timeout | float | None, max_retries: int | None
    ) -> _ClientConfig:
        changed = copy.copy(self)
        if timeout is not None:
            changed.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        if max_retries is not None:
            if max_retries < 0:
                raise ValueError(f"max_retries must be 0 or more, not {max_retries}")
            changed.max_retries = max_retries
        return changed

    def __repr__(self) -> str:
        return f"base_url={self.base_url!r}, max_retries={self.max_retries}"


class _WithOptions:
    """`with_options(...)`: the same client with other settings, for one call or a group of calls."""

    _config: _ClientConfig
    _owns_http_client: bool

    def with_options(
        self, *, timeout: httpx.Timeout | float | None = None, max_retries: int | None = None
    ) -> Self:
        """A client that shares this one's connections and rate budget, with other settings.

            client.with_options(max_retries=0, timeout=5).send_email(...)

        Closing it closes nothing: the connections stay the original client's.
        """
        clone = copy.copy(self)
        clone._config = self._config.with_changes(timeout=timeout, max_retries=max_retries)
        clone._owns_http_client = False
        return clone


class Client(_WithOptions):
    """A synchronous client for HubSpot's email APIs.

    >>> with Client(access_token="pat-...") as client:  # doctest: +SKIP
    ...     client.send_email(email_id=123456, to="ada@example.com", send_id="receipt-42")
    """

    def __init__(
        self,
        access_token: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limiter: RateLimiter | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._config = _ClientConfig(
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            rate_limiter=rate_limiter,
        )
        self._sleep: Callable[[float], None] = time.sleep
        # A client the caller passed in is theirs to close; one we open is ours.
        self._owns_http_client = http_client is None
        # transport: e.g. an httpx.HTTPTransport with retries, a proxy or mTLS, or an in-process app.
        self._http = http_client or httpx.Client(timeout=self._config.timeout, transport=transport)

    def _call(self, operation: ops.Operation[ResultT], generated_kwargs: dict[str, Any]) -> ResultT:
        # The request is built once: every attempt sends the same bytes (and so the same sendId).
        request = self._config.request_kwargs(generated_kwargs)
        retries_done = 0
        while True:
            if operation.rate_limited:
                self._config.rate_limiter.acquire()
            try:
                response = self._http.request(**request)
            except httpx.TransportError as error:
                delay = self._config.delay_after_error(operation, error, retries_done)
                if delay is None:
                    raise self._config.no_answer_error(operation, error) from error
            else:
                delay = self._config.delay_after_answer(operation, response, retries_done)
                if delay is None:
                    return ops.parse_response(operation, response)
            self._sleep(delay)
            retries_done += 1

    def send_email(
        self,
        *,
        email_id: int,
        to: str,
        from_: str | None = None,
        send_id: str | None = None,
        reply_to: Sequence[str] = (),
        cc: Sequence[str] = (),
        bcc: Sequence[str] = (),
        contact_properties: Mapping[str, str] | None = None,
        custom_properties: Mapping[str, str] | None = None,
    ) -> SingleSendResult:
        """Send one published email to one recipient (POST /marketing/v4/email/single-send).

        `send_id` is the idempotency key: HubSpot sends at most one email per sendId per account. Give a
        stable one for each logical send (e.g. "receipt-<order id>"), or omit it and one is made before
        the first attempt and reused on every retry. Properties are strings; every argument is checked
        before anything is sent (`InvalidInputError` names the field and the fix).

            client.send_email(email_id=123456, to="ada@example.com", send_id="receipt-42",
                              custom_properties={"amount": "$42.00"})
        """
        inputs = ops.check_send_inputs(
            email_id=email_id,
            to=to,
            from_=from_,
            send_id=send_id,
            reply_to=reply_to,
            cc=cc,
            bcc=bcc,
            contact_properties=contact_properties,
            custom_properties=custom_properties,
            new_send_id=_new_send_id,
        )
        return _results.from_v4(self._call(ops.SEND_EMAIL, ops.send_email_request(inputs)))

    def send_legacy_email(
        self,
        *,
        email_id: int,
        to: str,
        from_: str | None = None,
        send_id: str | None = None,
        reply_to: Sequence[str] = (),
        cc: Sequence[str] = (),
        bcc: Sequence[str] = (),
        contact_properties: Mapping[str, str] | None = None,
        custom_properties: Mapping[str, str] | None = None,
    ) -> SingleSendResult:
        """The legacy single send (POST /email/public/v1/singleEmail/send): the same inputs as `send_email`.

        Properties become HubSpot's name/value lists; one reply-to address is sent as `replyTo`, several as
        `replyToList`.
        """
        inputs = ops.check_send_inputs(
            email_id=email_id,
            to=to,
            from_=from_,
            send_id=send_id,
            reply_to=reply_to,
            cc=cc,
            bcc=bcc,
            contact_properties=contact_properties,
            custom_properties=custom_properties,
            new_send_id=_new_send_id,
        )
        response = self._call(ops.SEND_LEGACY_EMAIL, ops.send_legacy_email_request(inputs))
        return _results.from_legacy(response)

    def create_emails(
        self, inputs: Iterable[EmailCreateInput], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> BatchResult[SimplePublicObject]:
        """Log email engagements on the CRM timeline (POST /crm/v3/objects/emails/batch/create).

        Any number of inputs (build them with `email_engagement(...)`), sent in chunks of `chunk_size`.
        Returns one outcome per input, in input order: created, failed (with HubSpot's reason) or
        unknown (HubSpot may have acted; do not blindly resend).
        """
        return self._run_batch(ops.CREATE_EMAILS, ops.create_emails_jobs(inputs, chunk_size))

    def record_attendance(
        self,
        event_id: str,
        state: SubscriberState | str,
        attendees: Iterable[AttendeeByEmail],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> BatchResult[SubscriberEmailResult]:
        """Record attendance at a marketing event by email address; contacts are created as needed.

            client.record_attendance("58237132332", "attend", [attendee(email="ada@example.com", at=now)])

        `state` is "register", "attend" or "cancel". Returns one outcome per attendee, in input order.
        """
        jobs = ops.record_attendance_jobs(event_id, state, attendees, chunk_size)
        return self._run_batch(ops.RECORD_ATTENDANCE, jobs)

    def _run_batch(
        self, operation: ops.Operation[Any], jobs: list[ops.ChunkJob[RecordT]]
    ) -> BatchResult[RecordT]:
        """Send the chunks one after another; a chunk that fails as a whole reports on each of its inputs."""
        outcomes: list[_batch.Outcome[RecordT]] = []
        for job in jobs:
            try:
                response = self._call(operation, job.request)
            except (APIError, APIConnectionError) as error:
                outcomes += _batch.outcomes_from_error(job.offset, job.size, error)
            else:
                outcomes += job.read_outcomes(response)
        return BatchResult(outcomes)

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


class AsyncClient(_WithOptions):
    """An asynchronous client for HubSpot's email APIs; the same methods as `Client`, awaited."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limiter: RateLimiter | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._config = _ClientConfig(
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            rate_limiter=rate_limiter,
        )
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self._config.timeout, transport=transport)

    async def _call(self, operation: ops.Operation[ResultT], generated_kwargs: dict[str, Any]) -> ResultT:
        request = self._config.request_kwargs(generated_kwargs)
        retries_done = 0
        while True:
            if operation.rate_limited:
                await self._config.rate_limiter.acquire_async()
            try:
                response = await self._http.request(**request)
            except httpx.TransportError as error:
                delay = self._config.delay_after_error(operation, error, retries_done)
                if delay is None:
                    raise self._config.no_answer_error(operation, error) from error
            else:
                delay = self._config.delay_after_answer(operation, response, retries_done)
                if delay is None:
                    return ops.parse_response(operation, response)
            await self._sleep(delay)
            retries_done += 1

    async def send_email(
        self,
        *,
        email_id: int,
        to: str,
        from_: str | None = None,
        send_id: str | None = None,
        reply_to: Sequence[str] = (),
        cc: Sequence[str] = (),
        bcc: Sequence[str] = (),
        contact_properties: Mapping[str, str] | None = None,
        custom_properties: Mapping[str, str] | None = None,
    ) -> SingleSendResult:
        """Send one published email to one recipient (POST /marketing/v4/email/single-send).

        `send_id` is the idempotency key: HubSpot sends at most one email per sendId per account. Give a
        stable one for each logical send (e.g. "receipt-<order id>"), or omit it and one is made before
        the first attempt and reused on every retry. Properties are strings; every argument is checked
        before anything is sent (`InvalidInputError` names the field and the fix).

            client.send_email(email_id=123456, to="ada@example.com", send_id="receipt-42",
                              custom_properties={"amount": "$42.00"})
        """
        inputs = ops.check_send_inputs(
            email_id=email_id,
            to=to,
            from_=from_,
            send_id=send_id,
            reply_to=reply_to,
            cc=cc,
            bcc=bcc,
            contact_properties=contact_properties,
            custom_properties=custom_properties,
            new_send_id=_new_send_id,
        )
        return _results.from_v4(await self._call(ops.SEND_EMAIL, ops.send_email_request(inputs)))

    async def send_legacy_email(
        self,
        *,
        email_id: int,
        to: str,
        from_: str | None = None,
        send_id: str | None = None,
        reply_to: Sequence[str] = (),
        cc: Sequence[str] = (),
        bcc: Sequence[str] = (),
        contact_properties: Mapping[str, str] | None = None,
        custom_properties: Mapping[str, str] | None = None,
    ) -> SingleSendResult:
        """The legacy single send (POST /email/public/v1/singleEmail/send): the same inputs as `send_email`.

        Properties become HubSpot's name/value lists; one reply-to address is sent as `replyTo`, several as
        `replyToList`.
        """
        inputs = ops.check_send_inputs(
            email_id=email_id,
            to=to,
            from_=from_,
            send_id=send_id,
            reply_to=reply_to,
            cc=cc,
            bcc=bcc,
            contact_properties=contact_properties,
            custom_properties=custom_properties,
            new_send_id=_new_send_id,
        )
        response = await self._call(ops.SEND_LEGACY_EMAIL, ops.send_legacy_email_request(inputs))
        return _results.from_legacy(response)

    async def create_emails(
        self,
        inputs: Iterable[EmailCreateInput],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    ) -> BatchResult[SimplePublicObject]:
        """Like `Client.create_emails`, with up to `max_concurrency` chunks in flight at once."""
        jobs = ops.create_emails_jobs(inputs, chunk_size)
        return await self._run_batch(ops.CREATE_EMAILS, jobs, max_concurrency)

    async def record_attendance(
        self,
        event_id: str,
        state: SubscriberState | str,
        attendees: Iterable[AttendeeByEmail],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    ) -> BatchResult[SubscriberEmailResult]:
        """Like `Client.record_attendance`, with up to `max_concurrency` chunks in flight at once."""
        jobs = ops.record_attendance_jobs(event_id, state, attendees, chunk_size)
        return await self._run_batch(ops.RECORD_ATTENDANCE, jobs, max_concurrency)

    async def _run_batch(
        self, operation: ops.Operation[Any], jobs: list[ops.ChunkJob[RecordT]], max_concurrency: int
    ) -> BatchResult[RecordT]:
        """Send up to `max_concurrency` chunks at once; gather keeps them, and so the outcomes, in order."""
        gate = asyncio.Semaphore(max_concurrency)

        async def run(job: ops.ChunkJob[RecordT]) -> list[_batch.Outcome[RecordT]]:
            async with gate:
                try:
                    response = await self._call(operation, job.request)
                except (APIError, APIConnectionError) as error:
                    return _batch.outcomes_from_error(job.offset, job.size, error)
                return job.read_outcomes(response)

        per_chunk = await asyncio.gather(*(run(job) for job in jobs))
        return BatchResult([outcome for outcomes in per_chunk for outcome in outcomes])

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
