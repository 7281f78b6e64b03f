"""The tasks, registered on the caller's Celery app, and the batch helpers that queue and collect them."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from celery import Celery, Task, group
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.result import GroupResult

from hubspot_email._client import Client
from hubspot_email._exceptions import HubSpotError, RateLimitError
from hubspot_email._ratelimit import RateLimiter
from hubspot_email._validation import InvalidInputError

from ._decisions import (
    DAILY_POLICY,
    MAX_CHUNK_SIZE,
    REDELIVERED_REASON,
    ChunkEnd,
    DailyLimitError,
    Fail,
    HubSpotTaskError,
    InvalidTaskInputError,
    Retry,
    attendee_from_json,
    backoff,
    batch_outcomes_json,
    chunk_decision,
    chunk_spans,
    engagement_from_json,
    merge_chunk_ends,
    send_error_decision,
    send_id_for_task,
    send_result_json,
    trace_id_for_task,
    whole_chunk,
)

if TYPE_CHECKING:
    import redis

    from hubspot_email._batch import BatchResult

__all__ = ["BatchJob", "HubSpotTasks", "register_tasks"]

ClientFactory = Callable[[RateLimiter], Client]
# How long a chunk task's marker is kept: far longer than any redelivery (Redis's visibility timeout is
# an hour by default), short enough not to pile up.
MARKER_SECONDS = 7 * 86_400
MARKER_PREFIX = "hubspot-email/celery/chunk/"
REDIS_SCHEMES = ("redis://", "rediss://", "redis+sentinel://", "unix://")
HINT = "pip install 'hubspot-email[celery]'"
# Celery's options for every task: acknowledged only once it ended, and requeued when its worker process
# dies, so a killed worker loses nothing; plain JSON in, plain JSON out.
TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "serializer": "json",
}


def default_client(rate_limiter: RateLimiter) -> Client:
    """A client from the worker's environment (HUBSPOT_ACCESS_TOKEN, HUBSPOT_BASE_URL) on the shared
    budget. No retries of its own: every retry is a Celery retry with a countdown, so no worker sleeps."""
    return Client(rate_limiter=rate_limiter, max_retries=0)


@dataclass(frozen=True)
class _Settings:
    app: Celery
    redis_url: str | None
    client_factory: ClientFactory
    retry_base_delay: float
    retry_max_delay: float
    max_inline_wait: float


@dataclass(frozen=True)
class _Process:
    """What one worker process builds once, after the fork: connections are not shared across forks."""

    client: Client
    limiter: RateLimiter  # the client's own, bound to its token
    redis: redis.Redis


class _PerProcess:
    def __init__(self, settings: _Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._built: _Process | None = None

    def redis_url(self) -> str:
        settings = self._settings
        url = settings.redis_url or settings.app.conf.get("hubspot_email_redis_url")
        if not url:
            broker = settings.app.conf.broker_url
            url = broker if isinstance(broker, str) and broker.startswith(REDIS_SCHEMES) else None
        if not url:
            raise HubSpotTaskError(
                "hubspot_email's tasks need Redis for the shared rate budget and the chunk markers: pass "
                "register_tasks(app, redis_url='redis://...'), or use a Redis broker"
            )
        return str(url)

    def get(self) -> _Process:
        with self._lock:
            if self._built is None or self._pid != os.getpid():
                try:
                    import redis as redis_module
                except ImportError as error:  # the extra brings it
                    raise ImportError(f"hubspot_email's Celery tasks need redis: {HINT}") from error
                url = self.redis_url()
                client = self._settings.client_factory(RateLimiter(storage=url))
                self._built = _Process(
                    client=client,
                    limiter=client._config.rate_limiter,
                    redis=redis_module.Redis.from_url(url),
                )
                self._pid = os.getpid()
            return self._built


def _jitter() -> float:
    return random.random()  # noqa: S311 (jitter, not a secret)


def _retry_or_raise(task: Task[Any, Any], decision: Retry, final: HubSpotTaskError) -> BaseException:
    """Celery's retry (the same task id, so the same keys) after the countdown; `final` once retries are
    spent."""
    return task.retry(countdown=decision.countdown, exc=final)


@dataclass(frozen=True)
class BatchJob:
    """A bulk job queued as chunk tasks (a Celery group): `collect()` gives one outcome per input."""

    result: GroupResult
    spans: Sequence[tuple[int, int]]  # (offset, size) of each chunk, in the group's order
    total: int

    @property
    def id(self) -> str:
        return str(self.result.id)

    def collect(self, timeout: float | None = None) -> list[dict[str, Any]]:
        """Wait for every chunk task (at most `timeout` seconds in all; TimeoutError after), then return
        exactly one outcome per input, in input order: `{"index", "state", "id", "reason"}` (and
        `trace_id` for engagements). A chunk task that failed leaves its inputs `failed` when it provably
        sent nothing, else `unknown`. Needs the app's result backend."""
        deadline = None if timeout is None else time.monotonic() + timeout
        ends: list[ChunkEnd] = []
        for (offset, size), chunk in zip(self.spans, self.result.results or [], strict=True):
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                value = chunk.get(timeout=left, propagate=False)
            except CeleryTimeoutError:
                raise TimeoutError(f"chunk at input {offset} had not finished in {timeout} s") from None
            if chunk.successful():
                ends.append(ChunkEnd(offset, size, outcomes=value if isinstance(value, list) else None))
            else:
                failure = chunk.result
                ends.append(ChunkEnd(offset, size, error_type=type(failure).__name__, error=str(failure)))
        return merge_chunk_ends(self.total, ends)


def _queued(job: group, spans: list[tuple[int, int]], total: int, options: dict[str, Any]) -> BatchJob:
    queued = job.apply_async(**options)
    assert isinstance(queued, GroupResult)  # a group's result
    return BatchJob(queued, spans, total)


@dataclass(frozen=True)
class HubSpotTasks:
    """The tasks `register_tasks` put on an app, and helpers that split bulk jobs into chunk tasks."""

    send_email: Task[..., dict[str, Any]]
    create_emails_chunk: Task[..., list[dict[str, Any]]]
    record_attendance_chunk: Task[..., list[dict[str, Any]]]

    def create_emails(
        self, inputs: Iterable[Mapping[str, Any]], *, chunk_size: int = MAX_CHUNK_SIZE, **options: Any
    ) -> BatchJob:
        """Queue engagements to log (each the JSON keyword arguments of `email_engagement`, `timestamp` as
        ISO 8601 text or epoch ms) as tasks of `chunk_size` (at most 100). Every input is checked first:
        an invalid one raises `InvalidInputError` naming it (`inputs[3].timestamp`), nothing queued.
        `options` go to Celery's `apply_async` (queue, countdown, ...)."""
        from hubspot_email._inputs import prepare_engagements

        items = [dict(item) if isinstance(item, Mapping) else item for item in inputs]
        spans = chunk_spans(len(items), chunk_size)
        prepare_engagements([engagement_from_json(f"inputs[{i}]", item) for i, item in enumerate(items)])
        job = group(self.create_emails_chunk.s(items[start : start + size], start) for start, size in spans)
        return _queued(job, spans, len(items), options)

    def record_attendance(
        self,
        event_id: str,
        state: str,
        attendees: Iterable[Mapping[str, Any]],
        *,
        chunk_size: int = MAX_CHUNK_SIZE,
        **options: Any,
    ) -> BatchJob:
        """Queue attendance (each attendee the JSON keyword arguments of `attendee`, `at` as ISO 8601 text
        or epoch ms; now when absent, fixed here so that every retry sends the same moment) as tasks of
        `chunk_size`. Checked first, as `create_emails`; an address listed twice is refused."""
        from hubspot_email._engagements import check_event_id, check_subscriber_state
        from hubspot_email._inputs import prepare_attendees

        checked_event, checked_state = check_event_id(event_id), str(check_subscriber_state(state))
        now = datetime.now(UTC).isoformat()
        items: list[Any] = []
        for item in attendees:
            if isinstance(item, Mapping):
                item = dict(item)
                if item.get("at") is None:
                    item["at"] = now
            items.append(item)
        spans = chunk_spans(len(items), chunk_size)
        prepare_attendees([attendee_from_json(f"attendees[{i}]", item) for i, item in enumerate(items)])
        job = group(
            self.record_attendance_chunk.s(checked_event, checked_state, items[start : start + size], start)
            for start, size in spans
        )
        return _queued(job, spans, len(items), options)


def register_tasks(
    app: Celery,
    *,
    redis_url: str | None = None,
    client_factory: ClientFactory = default_client,
    namespace: str = "hubspot_email",
    max_retries: int = 10,
    retry_base_delay: float = 1.0,
    retry_max_delay: float = 300.0,
    max_inline_wait: float = 1.0,
) -> HubSpotTasks:
    """Register hubspot_email's tasks on `app` (`{namespace}.send_email`, `.create_emails_chunk`,
    `.record_attendance_chunk`) and return them with the batch helpers.

    `redis_url`: the Redis that holds the rate budget shared by every worker and the chunk tasks' markers
    (default: the app's `hubspot_email_redis_url` setting, else its broker when that is Redis).
    `client_factory(rate_limiter)` builds each worker process's client, once, after the fork; the token
    comes from the worker's environment or your secrets store there, never from a task's arguments. The
    default reads HUBSPOT_ACCESS_TOKEN and HUBSPOT_BASE_URL and retries nothing itself. Failed attempts
    are Celery retries (at most `max_retries`) after HubSpot's Retry-After, the rate limiter's wait, or a
    backoff from `retry_base_delay` up to `retry_max_delay` seconds. A chunk task whose budget frees a
    slot within `max_inline_wait` seconds waits in the worker; later, it is retried with that countdown.
    """
    if redis_url is not None and not (isinstance(redis_url, str) and redis_url.startswith(REDIS_SCHEMES)):
        raise InvalidInputError("redis_url", f"expected a Redis URL, got {redis_url!r}", "Pass redis://...")
    settings = _Settings(app, redis_url, client_factory, retry_base_delay, retry_max_delay, max_inline_wait)
    process = _PerProcess(settings)

    def backoff_options() -> dict[str, float]:
        return {
            "base": settings.retry_base_delay,
            "cap": settings.retry_max_delay,
            "jitter": _jitter(),
        }

    @app.task(name=f"{namespace}.send_email", max_retries=max_retries, **TASK_OPTIONS)
    def send_email(
        self: Task[Any, Any],
        *,
        email_id: int,
        to: str,
        idempotency_key: str | None = None,
        send_id: str | None = None,
        from_: str | None = None,
        reply_to: Sequence[str] = (),
        cc: Sequence[str] = (),
        bcc: Sequence[str] = (),
        contact_properties: Mapping[str, str] | None = None,
        custom_properties: Mapping[str, str] | None = None,
        legacy: bool = False,
    ) -> dict[str, Any]:
        """One single send. Its sendId is `send_id`, else derived from `idempotency_key`, else from the
        task's id: every delivery and retry of the task sends the same one, so HubSpot sends at most once
        (a repeat answers `already_sent`). Returns plain JSON: state (sent, already_sent, refused),
        send_id, send_result, status, status_id, event_id, message, http_status."""
        if idempotency_key is not None and (not isinstance(idempotency_key, str) or not idempotency_key):
            raise InvalidTaskInputError(
                f"idempotency_key: expected a non-empty string, got {idempotency_key!r}. Pass a key unique "
                "to this send (e.g. 'receipt-order-42'), or none and the task's id is used."
            )
        key = idempotency_key if idempotency_key is not None else str(self.request.id)
        chosen = send_id if send_id is not None else send_id_for_task(key)
        client = process.get().client
        send = client.send_legacy_email if legacy else client.send_email
        try:
            result = send(
                email_id=email_id,
                to=to,
                from_=from_,
                send_id=chosen,
                reply_to=reply_to,
                cc=cc,
                bcc=bcc,
                contact_properties=contact_properties,
                custom_properties=custom_properties,
            )
        except HubSpotError as error:
            decision = send_error_decision(error, self.request.retries, **backoff_options())
            if isinstance(decision, Fail):
                raise decision.error from None
            final = HubSpotTaskError(
                f"{decision.reason}; retries spent. It may have been sent: send again with the same "
                f"send_id {chosen!r} (or idempotency key), never another"
            )
            raise _retry_or_raise(self, decision, final) from None
        if result.retryable:  # THROTTLED and the like: not sent now; the same sendId may go later
            wait = backoff(self.request.retries, **backoff_options())
            final = HubSpotTaskError(f"HubSpot answered {result.send_result} until retries were spent")
            raise _retry_or_raise(self, Retry(wait, str(result.send_result)), final)
        return send_result_json(result, chosen)

    def run_chunk(
        task: Task[Any, Any],
        offset: int,
        size: int,
        call: Callable[[Client], BatchResult[Any]],
        trace_ids: Sequence[str] | None,
    ) -> list[dict[str, Any]]:
        """One chunk's call, never sent twice: a marker in Redis says the chunk was being sent, so a
        delivery after a lost worker reports `unknown` instead of sending again (no idempotency key)."""
        built = process.get()
        marker = MARKER_PREFIX + str(task.request.id)
        # redis-py types a sync client's answers as "Awaitable or not"; this client is sync.
        seen = cast("bytes | None", built.redis.get(marker))
        if seen is not None:
            earlier = json.loads(seen)
            if earlier.get("state") == "done":
                return list(earlier["outcomes"])
            outcomes = whole_chunk(offset, size, "unknown", REDELIVERED_REASON)
            for position, outcome in enumerate(outcomes):
                if trace_ids is not None:
                    outcome["trace_id"] = trace_ids[position]
            built.redis.set(marker, json.dumps({"state": "done", "outcomes": outcomes}), ex=MARKER_SECONDS)
            return outcomes
        limiter = built.limiter
        daily = limiter.daily_limit_left()
        if daily is not None:
            raise DailyLimitError(
                f"HubSpot's daily request limit is spent for {daily:.0f} s more (until midnight in the "
                "account's time zone); nothing was sent"
            )
        wait = limiter.free_slot_in()
        if wait > settings.max_inline_wait and task.request.retries < (task.max_retries or 0):
            raise task.retry(countdown=wait)  # the budget is spent for now: free the worker meanwhile
        built.redis.set(marker, json.dumps({"state": "sending"}), ex=MARKER_SECONDS)
        result = call(built.client)
        error = result.chunks[0].error if len(result.chunks) == 1 else None
        window_wait = None
        if isinstance(error, RateLimitError) and error.policy_name != DAILY_POLICY:
            window_wait = limiter.rolling_limit_wait(error.retry_after)
        decision = chunk_decision(error, task.request.retries, window_wait=window_wait, **backoff_options())
        if isinstance(decision, Fail):
            built.redis.delete(marker)  # nothing was sent
            raise decision.error
        if isinstance(decision, Retry) and task.request.retries < (task.max_retries or 0):
            built.redis.delete(marker)  # HubSpot did not act: the retry may send
            raise task.retry(countdown=decision.countdown)
        outcomes = batch_outcomes_json(result, trace_ids)
        for outcome in outcomes:  # the client numbers a call's inputs from 0, the job from the chunk's offset
            outcome["index"] += offset
        built.redis.set(marker, json.dumps({"state": "done", "outcomes": outcomes}), ex=MARKER_SECONDS)
        return outcomes

    def checked_chunk(inputs: object, offset: object, field: str) -> tuple[list[Any], int]:
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise InvalidTaskInputError(f"offset: expected an int >= 0, got {offset!r}")
        if not isinstance(inputs, list) or not 1 <= len(inputs) <= MAX_CHUNK_SIZE:
            raise InvalidTaskInputError(
                f"{field}: expected a list of 1 to {MAX_CHUNK_SIZE} inputs, got "
                f"{len(inputs) if isinstance(inputs, list) else type(inputs).__name__}"
            )
        return inputs, offset

    @app.task(name=f"{namespace}.create_emails_chunk", max_retries=max_retries, **TASK_OPTIONS)
    def create_emails_chunk(self: Task[Any, Any], inputs: list[Any], offset: int = 0) -> list[dict[str, Any]]:
        """Log up to 100 engagements (JSON, as `HubSpotTasks.create_emails` takes them): one outcome per
        input, indexed from `offset`. An engagement with no trace id gets one derived from the task's id."""
        items, start = checked_chunk(inputs, offset, "inputs")
        key = str(self.request.id)
        try:
            built = [
                engagement_from_json(f"inputs[{start + i}]", item, trace_id_for_task(key, start + i))
                for i, item in enumerate(items)
            ]
        except InvalidInputError as error:
            raise InvalidTaskInputError(str(error)) from None
        trace_ids = [str(item.object_write_trace_id) for item in built]

        def call(client: Client) -> BatchResult[Any]:
            return client.create_emails(built)

        return run_chunk(self, start, len(built), call, trace_ids)

    @app.task(name=f"{namespace}.record_attendance_chunk", max_retries=max_retries, **TASK_OPTIONS)
    def record_attendance_chunk(
        self: Task[Any, Any], event_id: str, state: str, attendees: list[Any], offset: int = 0
    ) -> list[dict[str, Any]]:
        """Record attendance for up to 100 attendees (JSON, as `HubSpotTasks.record_attendance` takes
        them): one outcome per attendee, indexed from `offset`; `id` is the contact's vid."""
        items, start = checked_chunk(attendees, offset, "attendees")
        try:
            from hubspot_email._engagements import check_event_id, check_subscriber_state

            checked_event, checked_state = check_event_id(event_id), check_subscriber_state(state)
            built = [attendee_from_json(f"attendees[{start + i}]", item) for i, item in enumerate(items)]
        except InvalidInputError as error:
            raise InvalidTaskInputError(str(error)) from None

        def call(client: Client) -> BatchResult[Any]:
            return client.record_attendance(checked_event, checked_state, built)

        return run_chunk(self, start, len(built), call, None)

    return HubSpotTasks(send_email, create_emails_chunk, record_attendance_chunk)
