"""`Client` and `AsyncClient`: one method per HubSpot operation, and `wait_for_send` over the status one.

Both share `_ClientConfig` (token, base URL, timeout, headers) and the functions in `_operations`;
they differ only in the few lines that perform I/O.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
import random
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from . import _retry
from . import _validation as check
from ._constants import (
    BASE_URL_ENV_VAR,
    DEFAULT_BASE_URL,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_RETRIES,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    LEGACY_API,
    TOKEN_ENV_VAR,
)
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    DailyLimitReachedError,
    HubSpotError,
    MissingTokenError,
    after_earlier_attempt,
)
from ._http import Answer, BearerAuth, aread_answer, read_answer
from ._lazy import Deferred
from ._ratelimit import RateLimiter, Slot, asyncio_sleep, key_for_token, parse_time_zone, shared_limiter
from ._version import __version__

if TYPE_CHECKING:
    from hubspot_email_api.models import (
        AttendeeByEmail,
        EmailCreateInput,
        SimplePublicObject,
        SubscriberEmailResult,
        SubscriberState,
    )

    from . import _batch, _polling, _results
    from . import _operations as ops
    from ._batch import BatchResult, ChunkReport
    from ._results import SendStatus, SingleSendResult
else:
    # Imported by the first call that needs them (see `_lazy`): they bring in the generated package.
    ops = Deferred(globals(), "ops", "hubspot_email._operations")
    _batch = Deferred(globals(), "_batch", "hubspot_email._batch")
    _polling = Deferred(globals(), "_polling", "hubspot_email._polling")
    _results = Deferred(globals(), "_results", "hubspot_email._results")

__all__ = ["AsyncClient", "Client"]

RecordT = TypeVar("RecordT")
# What one attempt comes to: the final answer, the seconds to wait before the next, or the error to raise.
Step = Answer | float | HubSpotError

logger = logging.getLogger("hubspot_email")


def _new_send_id() -> str:
    return str(uuid.uuid4())


class _ClientConfig:
    """Configuration shared by the sync and async clients.

    The token is held by `auth` alone (never in headers, reprs or the request loop's variables), and
    is only ever sent over https, or plain http to this machine, unless `tls_terminating_proxy`.
    """

    def __init__(
        self,
        *,
        access_token: str | None,
        base_url: str | None,
        timeout: httpx.Timeout | float,
        max_retries: int,
        rate_limiter: RateLimiter | None,
        tls_terminating_proxy: bool,
        account_time_zone: str | tzinfo | None = None,
        api_version: str = LEGACY_API,
    ) -> None:
        try:
            self.auth, limiter_key = _bearer_auth(access_token)
        finally:
            # Not a variable of this frame when a check fails: tracebacks captured with locals show them.
            access_token = None
        if not isinstance(tls_terminating_proxy, bool):  # a truthy "no" would let the token go in clear
            raise check.InvalidInputError(
                "tls_terminating_proxy",
                f"expected True or False, got {tls_terminating_proxy!r}",
                "Pass True only when a TLS-terminating proxy you control forwards the requests.",
            )
        if base_url is None:  # the convention of generated SDKs: <NAME>_BASE_URL, then HubSpot's
            base_url = os.environ.get(BASE_URL_ENV_VAR) or DEFAULT_BASE_URL
        self.base_url = check.check_base_url(base_url, tls_terminating_proxy=tls_terminating_proxy)
        self.timeout = check.check_timeout(timeout)
        self.max_retries = _check_max_retries(max_retries)
        # The default needs no check (nor the operations module, which imports the generated package).
        self.api_version = (
            LEGACY_API
            if api_version == LEGACY_API and type(api_version) is str
            else ops.check_api_version(api_version)
        )
        # Which operation each method calls: numbered paths, or their dated successors. Decided on first
        # use (see `route`), so that constructing a client imports no operation.
        self._routes: dict[ops.Operation, ops.Route] = {}
        # Built once: the same on every request.
        self._headers = {
            "Accept": "application/json",
            "User-Agent": f"hubspot-email/{__version__} httpx/{httpx.__version__}",
        }
        # One budget per token: every client of this process with the same token shares one limiter,
        # unless given its own. A Redis-backed limiter built without a key binds to this token's hash.
        if rate_limiter is not None and not isinstance(rate_limiter, RateLimiter):
            raise check.InvalidInputError(
                "rate_limiter", f"expected a RateLimiter, got {rate_limiter!r}", "Pass e.g. RateLimiter()."
            )
        # The shared one is per token and per host: a test's simulator on another port is another account.
        self.rate_limiter = (
            shared_limiter(f"{limiter_key} {self.base_url}")
            if rate_limiter is None
            else rate_limiter.for_token(limiter_key)
        )
        # HubSpot resets the daily limit at midnight in the account's time zone (None: the limiter's).
        self.account_time_zone = None if account_time_zone is None else _check_time_zone(account_time_zone)

    def headers(self) -> dict[str, str]:
        return self._headers

    def route(self, operation: ops.Operation) -> ops.Route:
        """The operation a method calls under this client's api_version (`ops.route`), and its version."""
        routed = self._routes.get(operation)
        if routed is None:  # once per operation (a race computes the same route twice, harmlessly)
            routed = self._routes[operation] = ops.route(operation, self.api_version)
        return routed

    def build_request(
        self, http: httpx.Client | httpx.AsyncClient, build: Callable[[], dict[str, Any]]
    ) -> httpx.Request:
        """The generated request (`build()`: method, path, JSON, content type) made absolute, with our
        headers.

        Built once per call: every attempt sends the same bytes (and so the same sendId). A request that
        cannot be built (a body that cannot be encoded) never left: `InvalidInputError`.
        """
        try:
            generated = build()
            return http.build_request(
                **{
                    **generated,
                    "url": self.base_url + generated["url"],
                    "headers": {**self._headers, **generated.get("headers", {})},
                    "timeout": self.timeout,
                }
            )
        except Exception as error:  # whatever fails here, nothing was sent
            failure = check.InvalidInputError(
                "request",
                f"the request could not be encoded ({type(error).__name__}: {error})",
                "Check the strings and numbers you passed; nothing was sent.",
            )
        raise failure

    def after_answer(self, operation: ops.Operation, answer: Answer, retries_done: int) -> Answer | float:
        """The answer to hand to the caller, or the seconds to wait before retrying. Logs the attempt."""
        response = answer.response
        delay: float | None = None
        jitter = random.random()  # noqa: S311 (jitter, not a secret)
        success = 200 <= response.status_code < 300
        if not success:
            delay = _retry.delay_after_response(
                response,
                idempotent=operation.idempotent,
                retries_done=retries_done,
                max_retries=self.max_retries,
                jitter=jitter,
                now=datetime.now(UTC),
                window_wait=self._after_rate_limit(operation, response),
            )
        unreadable = answer.decode_error is not None or (success and not answer.readable)
        if delay is None and operation.idempotent and unreadable:
            # An answer that cannot be read (a 2xx, or a 409 whose body might say "already sent"): the
            # same sendId asks again safely, and the repeat says what became of the send.
            delay = _retry.retry_delay(
                retries_done=retries_done, max_retries=self.max_retries, idempotent=True, jitter=jitter
            )
        if logger.isEnabledFor(logging.INFO):  # its arguments cost more than the call itself
            logger.info(
                "%s attempt %d: HTTP %d%s, %s, correlation id %s",
                operation.name,
                retries_done + 1,
                response.status_code,
                "" if answer.decode_error is None else " (undecodable body)",
                "final" if delay is None else f"retrying in {delay:.2f}s",
                response.headers.get("x-hubspot-correlation-id", "-"),
            )
        return answer if delay is None else delay

    def _after_rate_limit(self, operation: ops.Operation, response: httpx.Response) -> float | None:
        """After a 429 on a budgeted call, tell the limiter. A DAILY one stops the budgeted calls until the
        account's midnight; after a rolling one, the seconds until the window frees a slot (else None).

        With a Redis limiter this is one round trip on the caller's thread: 429s are rare.
        """
        if response.status_code != 429 or not operation.rate_limited:
            return None
        try:
            if _retry.rate_limit_policy(response) == _retry.DAILY_POLICY:
                seconds = self.rate_limiter.note_daily_limit(self.account_time_zone)
                logger.warning("HubSpot's daily limit is spent: budgeted calls stop for %.0f s", seconds)
                return None
            retry_after = _retry.parse_retry_after(response.headers, datetime.now(UTC))
            return self.rate_limiter.rolling_limit_wait(retry_after)
        except Exception as error:  # the limiter's store failed: fall back to HubSpot's hint and backoff
            logger.warning("the rate limiter failed after a 429 (%s)", type(error).__name__)
            return None

    def learn(self, answer: Answer) -> None:
        """The budget HubSpot announces in an answer's headers."""
        try:
            self.rate_limiter.update_from_headers(answer.response.headers)
        except Exception as error:  # the budget stays as it was: the window still holds
            logger.warning("the rate limiter failed to learn the budget (%s)", type(error).__name__)

    def release(self, slot: Slot | None) -> None:
        """The attempt of a budgeted call is over: its slot counts from now (see `RateLimiter.release`)."""
        if slot is not None:
            try:
                self.rate_limiter.release(slot)
            except Exception as error:  # the slot keeps its send time: the budget errs early, not late
                logger.warning("the rate limiter failed to release a slot (%s)", type(error).__name__)

    async def release_async(self, slot: Slot | None) -> None:
        if slot is not None:
            try:
                await self.rate_limiter.release_async(slot)
            except Exception as error:  # as in `release`
                logger.warning("the rate limiter failed to release a slot (%s)", type(error).__name__)

    def after_failure(
        self, operation: ops.Operation, error: Exception, retries_done: int
    ) -> float | HubSpotError:
        """Seconds to wait before retrying after no answer, or the error to raise. Logs the attempt.

        The error is built here and raised by the caller outside its `except` block, so it carries no
        chained httpx exception: those hold frames whose variables show the request's headers.
        """
        if isinstance(error, httpx.TransportError):
            delay = _retry.retry_delay(
                retries_done=retries_done,
                max_retries=self.max_retries,
                idempotent=operation.idempotent,
                jitter=random.random(),  # noqa: S311 (jitter, not a secret)
                connection_refused=_retry.never_sent(error),
            )
        else:
            delay = None
        logger.info(
            "%s attempt %d: %s, %s",
            operation.name,
            retries_done + 1,
            type(error).__name__,
            "final" if delay is None else f"retrying in {delay:.2f}s",
        )
        if delay is not None:
            return delay
        sent = not (isinstance(error, httpx.TransportError) and _retry.never_sent(error))
        error_type = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        what = (
            f"no answer from HubSpot ({type(error).__name__})"
            if isinstance(error, httpx.TransportError)
            # A message from outside the HTTP stack may quote the request's headers.
            else f"the request failed ({type(error).__name__}: {self.auth.redact(str(error))})"
        )
        where = "it may have reached HubSpot" if sent else "it was not sent"
        return error_type(f"{operation.name}: {what}; {where}", may_have_reached_hubspot=sent)

    @staticmethod
    def limiter_failure(operation: ops.Operation, error: Exception) -> HubSpotError:
        return APIConnectionError(
            f"{operation.name}: the rate limiter failed ({type(error).__name__}: {error}); the request was "
            "not sent",
            may_have_reached_hubspot=False,
        )

    def with_changes(
        self, *, timeout: httpx.Timeout | float | None, max_retries: int | None
    ) -> _ClientConfig:
        changed = copy.copy(self)
        if timeout is not None:
            changed.timeout = check.check_timeout(timeout)
        if max_retries is not None:
            changed.max_retries = _check_max_retries(max_retries)
        return changed

    def __repr__(self) -> str:
        # Half-built too (a check failed in __init__): tracebacks captured with locals show it.
        base_url, max_retries = getattr(self, "base_url", None), getattr(self, "max_retries", None)
        api_version = getattr(self, "api_version", None)
        return f"base_url={base_url!r}, max_retries={max_retries}, api_version={api_version!r}"


def _log_poll(latest: SendStatus, wait: float) -> None:
    logger.info("wait_for_send: status %s, asking again in %.2fs", latest.status or "-", wait)


def _acted(answer: Answer) -> bool:
    unreadable = answer.decode_error is not None or (200 <= answer.status_code < 300 and not answer.readable)
    return _retry.answer_may_have_acted(answer.status_code, unreadable=unreadable)


def _final(step: Answer | HubSpotError, *, acted: bool) -> Answer:
    """The exchange's last attempt: its answer, or its error raised; after an earlier attempt HubSpot may
    have acted on (`acted`), marked so whichever it is."""
    if isinstance(step, Answer):
        return dataclasses.replace(step, earlier_attempt_may_have_acted=True) if acted else step
    raise after_earlier_attempt(step) if acted else step


def _bearer_auth(access_token: str | None) -> tuple[BearerAuth, str]:
    """The token, checked, in the `BearerAuth` that alone holds it; and its rate-limit key.

    A refusal is raised from here with no frame of the check in its traceback, and with this frame's
    copies of the token cleared: tracebacks captured with locals (as Sentry does) show every variable.
    """
    from_env = access_token is None
    token = os.environ.get(TOKEN_ENV_VAR) if access_token is None else access_token
    if token is None or token == "":
        failure: HubSpotError = MissingTokenError(
            f"No HubSpot access token: pass access_token=... or set the {TOKEN_ENV_VAR} environment "
            "variable to a private-app or OAuth access token."
        )
    else:
        try:
            return BearerAuth(check.check_access_token(token)), key_for_token(token)
        except check.InvalidInputError as error:
            failure = error.with_traceback(None)
            if from_env:
                failure = check.InvalidInputError(
                    TOKEN_ENV_VAR,
                    f"the environment variable holds no usable token ({error})",
                    f"Set {TOKEN_ENV_VAR} to your private app's access token, or pass access_token=....",
                )
    access_token = token = None
    raise failure


def _check_time_zone(value: object) -> tzinfo:
    try:
        if not isinstance(value, str | tzinfo):
            raise TypeError
        return parse_time_zone(value)
    except (TypeError, ValueError):
        failure = check.InvalidInputError(
            "account_time_zone",
            f"expected an IANA time zone name or a tzinfo, got {value!r}",
            "Pass your HubSpot account's time zone, e.g. account_time_zone='America/New_York'.",
        )
    raise failure


def _check_max_retries(max_retries: object) -> int:
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise check.InvalidInputError(
            "max_retries", f"expected an int of 0 or more, got {max_retries!r}", "Pass e.g. max_retries=2."
        )
    return max_retries


def _check_clients(http_client: object, transport: object) -> None:
    if http_client is not None and transport is not None:
        raise check.InvalidInputError(
            "transport",
            "both http_client= and transport= were given, and a client's transport cannot be replaced",
            "Pass only transport=, or build your httpx client with that transport and pass http_client=.",
        )


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


class _Connections(Generic[HttpT]):
    """The httpx client, opened by the first request rather than by the constructor: opening one loads
    the CA bundle into an SSL context (about 30 ms), which a client built at import time or on a cold
    start, and perhaps never used, should not pay. Clones made by `with_options` share this object,
    so they share the connections whenever they are opened.
    """

    def __init__(self, given: HttpT | None, open_client: Callable[[], HttpT]) -> None:
        self._client: HttpT | None = given
        self._open_client: Callable[[], HttpT] = open_client
        self._lock = threading.Lock()
        self._closed = False

    def get(self) -> HttpT:
        client = self._client
        if client is None:
            with self._lock:  # threads sharing a client that make their first calls together open one
                if self._client is None:
                    if self._closed:
                        # What httpx raises for a closed client: this one was closed before any request.
                        raise RuntimeError("Cannot send a request, as the client has been closed.")
                    self._client = self._open_client()
                client = self._client
        return client

    def opened(self) -> HttpT | None:
        """The client if a request opened it (or it was given), else None; closing marks it closed."""
        with self._lock:
            self._closed = True
            return self._client


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

    `api_version`: "legacy" (the default) calls HubSpot's numbered paths (v4, v3, v1); a date-based
    version such as "2026-03" or "2026-09" calls their dated successors, with that version in the path.
    Any YYYY-MM is accepted, so a version released after this package works without an upgrade; anything
    else is an `InvalidInputError` here, before any request. Every method keeps its arguments and results
    whichever version; `send_legacy_email` has no dated successor and always calls v1.

    >>> with Client(access_token="pat-...") as client:  # doctest: +SKIP
    ...     client.send_email(email_id=123456, to="ada@example.com", send_id="receipt-42")
    """

    def __init__(
        self,
        access_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limiter: RateLimiter | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        tls_terminating_proxy: bool = False,
        account_time_zone: str | tzinfo | None = None,
        api_version: str = LEGACY_API,
    ) -> None:
        try:
            _check_clients(http_client, transport)
            self._config = _ClientConfig(
                access_token=access_token,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                rate_limiter=rate_limiter,
                tls_terminating_proxy=tls_terminating_proxy,
                account_time_zone=account_time_zone,
                api_version=api_version,
            )
        finally:
            access_token = None  # not a variable of this frame when a check fails (see _bearer_auth)
        self._sleep: Callable[[float], None] = time.sleep
        self._clock: Callable[[], float] = time.monotonic  # wait_for_send's deadline; tests pass a fake
        # A client the caller passed in is theirs to close; one we open is ours.
        self._owns_http_client = http_client is None
        # transport: e.g. an httpx.HTTPTransport with retries, a proxy or mTLS, or an in-process app.
        self._connections = _Connections(
            http_client, partial(httpx.Client, timeout=self._config.timeout, transport=transport)
        )

    @property
    def _http(self) -> httpx.Client:
        return self._connections.get()

    def _exchange(self, operation: ops.Operation, request: httpx.Request) -> Answer:
        """HubSpot's final answer to `request`, after the retries the rules allow; raises only
        `HubSpotError`s (no answer at all). After an attempt HubSpot may have acted on, what the last
        one says is marked so (`_final`)."""
        retries_done, acted = 0, False
        while True:
            step, may_have_acted = self._attempt(operation, request, retries_done)
            if not isinstance(step, float):
                return _final(step, acted=acted)
            acted = acted or (may_have_acted and not operation.safe)
            self._sleep(step)
            retries_done += 1

    def _attempt(
        self, operation: ops.Operation, request: httpx.Request, retries_done: int
    ) -> tuple[Step, bool]:
        """What one attempt comes to, and whether HubSpot may have acted on it."""
        slot: Slot | None = None
        if operation.rate_limited:
            try:
                slot = self._config.rate_limiter.acquire(until_released=True)
            except DailyLimitReachedError as error:  # not sent: the daily budget is spent until midnight
                return error, False
            except Exception as error:  # becomes the call's own error
                return self._config.limiter_failure(operation, error), False
        try:
            answer = read_answer(self._http.send(request, auth=self._config.auth, stream=True))
        except Exception as error:  # any failure of the exchange is decided on, then raised
            self._config.release(slot)
            return self._config.after_failure(operation, error, retries_done), _retry.failure_may_have_acted(
                error
            )
        # The budget HubSpot announced is learned before the slot is given back: the callers waiting
        # for it (a probe's answer) must not go on the default budget.
        self._config.learn(answer)
        self._config.release(slot)
        return self._config.after_answer(operation, answer, retries_done), _acted(answer)

    def _send(
        self, operation: ops.Operation, build: Callable[[], dict[str, Any]], *, legacy: bool
    ) -> SingleSendResult:
        answer = self._exchange(operation, self._config.build_request(self._http, build))
        return _results.read_single_send(operation.name, legacy, answer)

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
        """Send one published email to one recipient (POST /marketing/v4/email/single-send; with a
        date-based `api_version`, POST /marketing/email-campaigns/{version}/single-send).

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
        target = self._config.route(ops.SEND_EMAIL)
        return self._send(target.operation, partial(ops.send_email_request, target, inputs), legacy=False)

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
        `replyToList`. v1 has no date-versioned successor: this calls v1 whatever the client's
        `api_version`.
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
        target = self._config.route(ops.SEND_LEGACY_EMAIL)  # v1 whatever the api_version: it has no successor
        return self._send(target.operation, partial(ops.send_legacy_email_request, inputs), legacy=True)

    def get_send_status(self, status_id: str) -> SendStatus:
        """The status of a v4 send now (GET /marketing/v3/email/send-statuses/{statusId}), by the
        `status_id` of its result.

        `status` says whether HubSpot is done with the request (`final`: COMPLETE or CANCELED);
        `send_result` what the send attempt did, once there was one. A 404 is a result, `found=False`: HubSpot
        knows no status by this id, which says nothing of the send. A lookup changes nothing, so transient
        failures are retried; it counts against the app's rate budget, as the sends do not. It has no
        date-versioned successor: this calls v3 whatever the client's `api_version` (a dated send's
        status id is looked up here too).
        """
        return self._get_status(check.check_status_id(status_id))

    def _get_status(self, status_id: str) -> SendStatus:
        # v3 whatever the api_version: the lookup has no dated successor.
        operation = self._config.route(ops.GET_SEND_STATUS).operation
        build = partial(ops.get_send_status_request, status_id)
        answer = self._exchange(operation, self._config.build_request(self._http, build))
        return _results.read_send_status(operation.name, status_id, answer)

    def wait_for_send(
        self,
        result_or_status_id: SingleSendResult | str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
    ) -> SendStatus:
        """Poll the send's status until it is final (COMPLETE or CANCELED), not found, or `timeout`
        seconds have passed; returns the last status seen.

        `result_or_status_id`: a `SingleSendResult` of `send_email` (a final one is returned as it is, with
        no request; a pending one is asked about after the first wait) or a status id (asked about at
        once). Polls start `poll_interval` seconds apart and grow by half each time, up to 30 s.

        Out of time, it RETURNS the last status seen (`final` False) rather than raising: the send was
        accepted and may still go out, and a caller shown an error may resend, which is a double send.
        Resend only with the same send_id, if at all. An error raised here (no answer after the retries,
        401, 403) is about asking, never about the send. `timeout` bounds the waits between polls; a poll
        itself may take up to the client's timeout and retries.

            status = client.wait_for_send(client.send_email(email_id=1, to="ada@example.com"), timeout=30)
            if status.final: print(status.status, status.send_result)
        """
        plan = _polling.WaitPlan.of(result_or_status_id, timeout, poll_interval)
        deadline = self._clock() + plan.timeout
        interval, latest = plan.poll_interval, plan.known
        while True:
            if latest is not None:
                wait = _polling.wait_before_next_poll(latest, interval, deadline, self._clock())
                if wait is None:
                    return latest
                _log_poll(latest, wait)
                self._sleep(wait)
                interval = _polling.next_poll_interval(interval, plan.poll_interval)
            latest = self._get_status(plan.status_id)

    def create_emails(
        self, inputs: Iterable[EmailCreateInput], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> BatchResult[SimplePublicObject]:
        """Log email engagements on the CRM timeline (POST /crm/v3/objects/emails/batch/create; with a
        date-based `api_version`, POST /crm/objects/{version}/emails/batch/create).

        Any number of inputs (build them with `email_engagement(...)`), sent in chunks of `chunk_size`.
        Returns one outcome per input, in input order: created, failed (with HubSpot's reason) or
        unknown (HubSpot may have acted; do not blindly resend).
        """
        target = self._config.route(ops.CREATE_EMAILS)
        return self._run_batch(target.operation, ops.create_emails_jobs(target, inputs, chunk_size))

    def record_attendance(
        self,
        event_id: str,
        state: SubscriberState | str,
        attendees: Iterable[AttendeeByEmail],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> BatchResult[SubscriberEmailResult]:
        """Record attendance at a marketing event by email address; contacts are created as needed
        (POST /marketing/v3/marketing-events/{id}/attendance/{state}/email-create; with a date-based
        `api_version`, POST /marketing/marketing-events/{version}/{id}/attendance/{state}/email-create).

            client.record_attendance("58237132332", "attend", [attendee(email="ada@example.com", at=now)])

        `state` is "register", "attend" or "cancel". Returns one outcome per attendee, in input order.
        """
        target = self._config.route(ops.RECORD_ATTENDANCE)
        jobs = ops.record_attendance_jobs(target, event_id, state, attendees, chunk_size)
        return self._run_batch(target.operation, jobs)

    def _run_batch(self, operation: ops.Operation, jobs: list[ops.ChunkJob[RecordT]]) -> BatchResult[RecordT]:
        """Send the chunks one after another; whatever happens to one, its inputs get outcomes."""
        return _batch.BatchResult.from_chunks(self._run_chunk(operation, job) for job in jobs)

    def _run_chunk(self, operation: ops.Operation, job: ops.ChunkJob[RecordT]) -> ChunkReport[RecordT]:
        try:
            answer = self._exchange(operation, self._config.build_request(self._http, job.build))
        except Exception as error:  # every input keeps an outcome, whatever went wrong
            return _batch.no_answer(job.offset, job.size, error)
        return job.read(answer)

    def close(self) -> None:
        if self._owns_http_client and (http := self._connections.opened()) is not None:
            http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        # Also for a client whose construction failed: tracebacks captured with locals show it.
        return f"Client({getattr(self, '_config', 'not built')!s})"


class AsyncClient(_WithOptions):
    """An asynchronous client for HubSpot's email APIs; the same methods as `Client`, awaited."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limiter: RateLimiter | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        tls_terminating_proxy: bool = False,
        account_time_zone: str | tzinfo | None = None,
        api_version: str = LEGACY_API,
    ) -> None:
        try:
            _check_clients(http_client, transport)
            self._config = _ClientConfig(
                access_token=access_token,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                rate_limiter=rate_limiter,
                tls_terminating_proxy=tls_terminating_proxy,
                account_time_zone=account_time_zone,
                api_version=api_version,
            )
        finally:
            access_token = None  # not a variable of this frame when a check fails (see _bearer_auth)
        self._sleep: Callable[[float], Awaitable[None]] = asyncio_sleep
        self._clock: Callable[[], float] = time.monotonic
        self._owns_http_client = http_client is None
        self._connections = _Connections(
            http_client, partial(httpx.AsyncClient, timeout=self._config.timeout, transport=transport)
        )

    @property
    def _http(self) -> httpx.AsyncClient:
        return self._connections.get()

    async def _exchange(self, operation: ops.Operation, request: httpx.Request) -> Answer:
        """Like `Client._exchange`, awaited."""
        retries_done, acted = 0, False
        while True:
            step, may_have_acted = await self._attempt(operation, request, retries_done)
            if not isinstance(step, float):
                return _final(step, acted=acted)
            acted = acted or (may_have_acted and not operation.safe)
            await self._sleep(step)
            retries_done += 1

    async def _attempt(
        self, operation: ops.Operation, request: httpx.Request, retries_done: int
    ) -> tuple[Step, bool]:
        slot: Slot | None = None
        if operation.rate_limited:
            try:
                slot = await self._config.rate_limiter.acquire_async(until_released=True)
            except DailyLimitReachedError as error:  # not sent: the daily budget is spent until midnight
                return error, False
            except Exception as error:  # becomes the call's own error
                return self._config.limiter_failure(operation, error), False
        try:
            answer = await aread_answer(await self._http.send(request, auth=self._config.auth, stream=True))
        except Exception as error:  # any failure of the exchange is decided on, then raised
            await self._config.release_async(slot)
            return self._config.after_failure(operation, error, retries_done), _retry.failure_may_have_acted(
                error
            )
        self._config.learn(answer)  # before the slot is given back, as in `Client._attempt`
        await self._config.release_async(slot)
        return self._config.after_answer(operation, answer, retries_done), _acted(answer)

    async def _send(
        self, operation: ops.Operation, build: Callable[[], dict[str, Any]], *, legacy: bool
    ) -> SingleSendResult:
        answer = await self._exchange(operation, self._config.build_request(self._http, build))
        return _results.read_single_send(operation.name, legacy, answer)

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
        """Send one published email to one recipient (POST /marketing/v4/email/single-send; with a
        date-based `api_version`, POST /marketing/email-campaigns/{version}/single-send).

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
        target = self._config.route(ops.SEND_EMAIL)
        return await self._send(
            target.operation, partial(ops.send_email_request, target, inputs), legacy=False
        )

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
        `replyToList`. v1 has no date-versioned successor: this calls v1 whatever the client's
        `api_version`.
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
        target = self._config.route(ops.SEND_LEGACY_EMAIL)  # v1 whatever the api_version: it has no successor
        return await self._send(target.operation, partial(ops.send_legacy_email_request, inputs), legacy=True)

    async def get_send_status(self, status_id: str) -> SendStatus:
        """Like `Client.get_send_status`, awaited."""
        return await self._get_status(check.check_status_id(status_id))

    async def _get_status(self, status_id: str) -> SendStatus:
        # v3 whatever the api_version: the lookup has no dated successor.
        operation = self._config.route(ops.GET_SEND_STATUS).operation
        build = partial(ops.get_send_status_request, status_id)
        answer = await self._exchange(operation, self._config.build_request(self._http, build))
        return _results.read_send_status(operation.name, status_id, answer)

    async def wait_for_send(
        self,
        result_or_status_id: SingleSendResult | str,
        *,
        # The same signature as the sync client's; asyncio.timeout() would cancel a poll mid-request.
        timeout: float = DEFAULT_WAIT_TIMEOUT,  # noqa: ASYNC109
        poll_interval: float = DEFAULT_POLL_INTERVAL,
    ) -> SendStatus:
        """Like `Client.wait_for_send`, awaited: out of time, it returns the last status seen (a caller
        shown an error may resend, which is a double send)."""
        plan = _polling.WaitPlan.of(result_or_status_id, timeout, poll_interval)
        deadline = self._clock() + plan.timeout
        interval, latest = plan.poll_interval, plan.known
        while True:
            if latest is not None:
                wait = _polling.wait_before_next_poll(latest, interval, deadline, self._clock())
                if wait is None:
                    return latest
                _log_poll(latest, wait)
                await self._sleep(wait)
                interval = _polling.next_poll_interval(interval, plan.poll_interval)
            latest = await self._get_status(plan.status_id)

    async def create_emails(
        self,
        inputs: Iterable[EmailCreateInput],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    ) -> BatchResult[SimplePublicObject]:
        """Like `Client.create_emails`, with up to `max_concurrency` chunks in flight at once."""
        target = self._config.route(ops.CREATE_EMAILS)
        jobs = ops.create_emails_jobs(target, inputs, chunk_size)
        return await self._run_batch(target.operation, jobs, max_concurrency)

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
        target = self._config.route(ops.RECORD_ATTENDANCE)
        jobs = ops.record_attendance_jobs(target, event_id, state, attendees, chunk_size)
        return await self._run_batch(target.operation, jobs, max_concurrency)

    async def _run_batch(
        self, operation: ops.Operation, jobs: list[ops.ChunkJob[RecordT]], max_concurrency: int
    ) -> BatchResult[RecordT]:
        """Send up to `max_concurrency` chunks at once; whatever happens to one, its inputs get outcomes."""
        import asyncio  # the async client's first batch imports it, not `import hubspot_email`

        gate = asyncio.Semaphore(check.check_max_concurrency(max_concurrency))

        async def run(job: ops.ChunkJob[RecordT]) -> ChunkReport[RecordT]:
            async with gate:
                try:
                    request = self._config.build_request(self._http, job.build)
                    answer = await self._exchange(operation, request)
                except Exception as error:  # every input keeps an outcome
                    return _batch.no_answer(job.offset, job.size, error)
                return job.read(answer)

        return _batch.BatchResult.from_chunks(await asyncio.gather(*(run(job) for job in jobs)))

    async def aclose(self) -> None:
        if self._owns_http_client and (http := self._connections.opened()) is not None:
            await http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncClient({getattr(self, '_config', 'not built')!s})"
