"""Client-side rate limiting: stay under the account's rolling budget, and stop at the daily one.

HubSpot allows a number of requests per rolling window (by default 100 per 10 s on Free/Starter) and
says the real numbers in `X-HubSpot-RateLimit-Max` and `X-HubSpot-RateLimit-Interval-Milliseconds`.
Batch create and attendance spend it; the single sends are exempt, so clients do not acquire for them.

One budget per token. Clients built with the same token in one process share one `RateLimiter` (a
registry keyed by a hash of the token, never the token) unless given `rate_limiter=`. A Redis-backed
limiter shares one window across processes; built with no `key=`, it keys by the hash of the token of
each client that uses it (`for_token`).

The window ends where HubSpot's does. HubSpot counts a request when it arrives, somewhere between our
sending it and our reading its answer, so a slot taken by `acquire` is stamped with the send time and,
at `release` (the answer came, or the attempt failed), moved to the release time: it is free again one
full window after the answer, whatever the latency. A caller that never releases keeps the send time.

Until a limiter has seen an answer, one request at a time goes (a probe): the budget HubSpot announces
may be lower than the default, and a burst sent before the first answer would overshoot it.

In one process the window is a deque of stamps under a lock (exact for sub-second windows; no thread,
no timer). Across processes it lives in Redis (a sorted set, changed by Lua scripts that read Redis's
own clock, so the processes' clocks need not agree); the `limits` library is used only to open the
Redis connection from its URL (`redis://`, `rediss://`, `redis+sentinel://`, `redis+cluster://`).

After HubSpot's DAILY 429 the limiter refuses every acquisition until the account's midnight
(`DailyLimitReachedError`, with `retry_after`): HubSpot resets the daily limit at midnight in the
account's time zone, an option here (`time_zone=`, default UTC).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import time as day_time
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import httpx

from ._constants import DEFAULT_ACCOUNT_TIME_ZONE, DEFAULT_RATE_HEADROOM
from ._exceptions import DailyLimitReachedError

if TYPE_CHECKING:
    from limits.storage import RedisStorage, Storage

__all__ = ["Budget", "RateLimiter"]

# The in-process window is ours (a deque under a lock); `limits` is loaded only for a Redis storage,
# whose connection it opens from the URL. Its memory storage would start a timer thread per limiter.
MEMORY_STORAGE = "memory://"

DEFAULT_BUDGET = 100
DEFAULT_WINDOW_SECONDS = 10.0
# The share of the announced budget spent. Not all of it: HubSpot counts a request when it arrives and
# we only see when we sent it and when the answer came, our clock and HubSpot's are not the same clock,
# and the same app may spend the budget from places that do not share this limiter (another host, a
# cron job, a second library). A 10% margin absorbs these; every 429 counts against the app.
DEFAULT_HEADROOM = DEFAULT_RATE_HEADROOM
MAX_HEADER = "x-hubspot-ratelimit-max"
INTERVAL_HEADER = "x-hubspot-ratelimit-interval-milliseconds"
# Every wait is at least this long past the moment a slot frees: the window compares stamps strictly,
# and a stuck clock must not spin.
MIN_WAIT = 0.001
# While the first request is out (the probe), others look again this often.
PROBE_WAIT = 0.01
# Sanity bounds for learned values: anything outside is treated as garbage.
MAX_BUDGET = 1_000_000
MAX_WINDOW_SECONDS = 86_400.0
# The per-process registry drops idle limiters beyond this many tokens (OAuth tokens rotate).
REGISTRY_SIZE = 256
# A request still in flight counts as "now" (HubSpot counts it when it arrives, which may be later than
# the send) until its answer moves it to the answer time; one never answered stops counting after this.
IN_FLIGHT_BOUND = 60.0
IN_FLIGHT = math.inf  # the time of a request in flight, in a window's list of times


def poll_wait(window_seconds: float) -> float:
    """How long to wait when the slot that frees next belongs to a request still in flight: its answer
    decides when, so look again soon (a fiftieth of the window, at most 50 ms)."""
    return max(MIN_WAIT, min(window_seconds / 50, 0.05))


# Slots never released are forgotten after this long (beyond the longest window seen).
FORGET_SECONDS = 600.0

ResultT = TypeVar("ResultT")
Clock = Callable[[], float]
WallClock = Callable[[], datetime]
Sleep = Callable[[float], None]
AsyncSleep = Callable[[float], Awaitable[None]]

logger = logging.getLogger("hubspot_email")


@dataclass(frozen=True)
class Budget:
    """At most `requests` acquisitions in any window of `window_seconds`."""

    requests: int
    window_seconds: float


# --- decisions (pure) ---------------------------------------------------------------------------


def parse_budget_headers(headers: Mapping[str, str]) -> tuple[int | None, float | None]:
    """The budget and window (seconds) HubSpot announces; None for each one absent or garbage.

    Header names are matched case-insensitively. A budget must be a positive integer, an interval a
    positive finite number of milliseconds; both are bounded to catch nonsense.
    """
    if not isinstance(headers, httpx.Headers):  # httpx's are case-insensitive already (every answer)
        headers = {name.lower(): value for name, value in headers.items()}
    return _positive_int(headers.get(MAX_HEADER)), _interval_seconds(headers.get(INTERVAL_HEADER))


def key_for_token(token: str, app: str = "hubspot") -> str:
    """A key that identifies a token's budget without revealing it (a truncated SHA-256)."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:16]
    return f"{app}:{digest}"


def wait_seconds(frees_at: float, now: float) -> float:
    """How long to wait for the slot that frees at `frees_at` (at least MIN_WAIT)."""
    return max(frees_at - now, 0.0) + MIN_WAIT


def allowed_budget(
    *,
    configured: Budget,
    user_requests: bool,
    user_window: bool,
    learned: tuple[int | None, float | None],
    headroom: float,
) -> Budget:
    """The budget the window enforces.

    A learned value replaces a default one; it may lower what the user set, never raise it (a user's
    budget stays a ceiling, a user's window a floor). Then only `headroom` of the requests, at least 1.
    """
    learned_requests, learned_window = learned
    requests, window = configured.requests, configured.window_seconds
    if learned_requests is not None:
        requests = min(requests, learned_requests) if user_requests else learned_requests
    if learned_window is not None:
        window = max(window, learned_window) if user_window else learned_window
    return Budget(max(1, math.floor(requests * headroom + 1e-9)), window)


def next_midnight(now: datetime, zone: tzinfo) -> datetime:
    """The next midnight in `zone` after the aware datetime `now`, in UTC."""
    local = now.astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), day_time(0), tzinfo=zone)
    return midnight.astimezone(UTC)


def parse_time_zone(value: str | tzinfo) -> tzinfo:
    """A time zone from an IANA name ("Europe/Berlin") or a tzinfo; ValueError when unknown."""
    if isinstance(value, tzinfo):
        return value
    if value == "UTC":  # the default: no zoneinfo import (and tz database read) at construction
        return UTC
    if isinstance(value, str):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            message = f"unknown time zone {value!r} (use an IANA name like 'America/New_York')"
            raise ValueError(message) from error
    raise TypeError(f"time_zone: expected an IANA name or a tzinfo, got {value!r}")


def _positive_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if 0 < value <= MAX_BUDGET else None


def _interval_seconds(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        milliseconds = float(raw.strip())
    except ValueError:
        return None
    if not math.isfinite(milliseconds):
        return None
    seconds = milliseconds / 1000.0
    return seconds if 0 < seconds <= MAX_WINDOW_SECONDS else None


def _utc_now() -> datetime:
    return datetime.now(UTC)


# --- windows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refusal:
    """No slot now: wait `wait` seconds (`daily`: the daily budget is spent, wait is until midnight)."""

    wait: float
    daily: bool = False


class _Stamp:
    """One request of the in-process window: its send time, and whether it counts as "now" until its
    answer (`in_flight`) or from its send."""

    __slots__ = ("in_flight", "sent")

    def __init__(self, sent: float, in_flight: bool) -> None:
        self.sent = sent
        self.in_flight = in_flight


class _Window(Protocol):
    """Where the stamps live. Handles returned by `take` are given back to `move_to_now`."""

    inline: bool  # True when calls take microseconds (no I/O): async callers run them on the loop

    def take(self, budget: Budget, heard: bool = True, in_flight: bool = False) -> object | _Refusal: ...
    def move_to_now(self, handle: object, budget: Budget) -> None: ...
    def rolling_wait(self, budget: Budget) -> tuple[bool, float]: ...
    def block_daily(self, seconds: float) -> None: ...
    def daily_left(self) -> float | None: ...
    def idle(self) -> bool: ...
    def budget_known(self) -> bool: ...


class _MemoryWindow:
    """The moving window of one process, under a lock: the answer times of finished requests (a deque in
    time order: old ones leave from the left), and the requests still in flight, which count as now.
    """

    inline = True

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._answered: deque[float] = deque()
        self._in_flight: dict[int, _Stamp] = {}
        self._horizon = 0.0  # the longest window seen: history younger than it is kept
        self._daily_until: float | None = None

    def _forget(self, now: float, window: float) -> None:
        """Forget answers older than every window seen and requests in flight longer than
        IN_FLIGHT_BOUND (both kept oldest first: a deque in time order, a dict in insertion order)."""
        self._horizon = max(self._horizon, window)
        while self._answered and self._answered[0] <= now - self._horizon:
            self._answered.popleft()
        while self._in_flight and next(iter(self._in_flight.values())).sent <= now - IN_FLIGHT_BOUND:
            del self._in_flight[next(iter(self._in_flight))]

    def _inside(self, now: float, window: float) -> list[float]:
        """The times that count in `window`, oldest first, a request in flight as `IN_FLIGHT` (it frees a
        slot one window after its answer, not yet known)."""
        self._forget(now, window)
        return [at for at in self._answered if at > now - window] + [IN_FLIGHT] * len(self._in_flight)

    def _count_inside(self, now: float, window: float) -> int:
        """len(self._inside(now, window)), without building the list (every acquisition asks)."""
        self._forget(now, window)
        if window >= self._horizon:  # every answer kept is inside: the usual case, one window size
            answered = len(self._answered)
        else:
            answered = sum(1 for at in self._answered if at > now - window)
        return answered + len(self._in_flight)

    def take(self, budget: Budget, heard: bool = True, in_flight: bool = False) -> _Stamp | _Refusal:
        with self._lock:
            now = self._clock()
            if self._daily_until is not None:
                if now < self._daily_until:
                    return _Refusal(self._daily_until - now, daily=True)
                self._daily_until = None
            if self._count_inside(now, budget.window_seconds) < budget.requests:
                stamp = _Stamp(now, in_flight)
                if in_flight:
                    self._in_flight[id(stamp)] = stamp
                else:
                    self._answered.append(now)
                return stamp
            return _Refusal(_frees_in(self._inside(now, budget.window_seconds), budget, now))

    def move_to_now(self, handle: object, budget: Budget) -> None:
        assert isinstance(handle, _Stamp)
        with self._lock:
            if handle.in_flight:
                # Forgotten already (in flight longer than the bound): its answer still counts from now.
                self._in_flight.pop(id(handle), None)
            else:
                # Its send time (any stamp of that time will do); forgotten already: counted from now.
                with contextlib.suppress(ValueError):
                    self._answered.remove(handle.sent)
            self._answered.append(self._clock())

    def rolling_wait(self, budget: Budget) -> tuple[bool, float]:
        with self._lock:
            now = self._clock()
            return _rolling_wait(self._inside(now, budget.window_seconds), budget, now)

    def block_daily(self, seconds: float) -> None:
        with self._lock:
            until = self._clock() + seconds
            self._daily_until = until if self._daily_until is None else max(self._daily_until, until)

    def daily_left(self) -> float | None:
        with self._lock:
            if self._daily_until is None:
                return None
            left = self._daily_until - self._clock()
            return left if left > 0 else None

    def idle(self) -> bool:
        with self._lock:
            now = self._clock()
            return not self._inside(now, self._horizon) and (
                self._daily_until is None or self._daily_until <= now
            )

    def budget_known(self) -> bool:
        return False  # one process: what it learned, the limiter knows


def _frees_in(inside: list[float], budget: Budget, now: float) -> float:
    """Seconds until a full window (`inside`: times oldest first, then IN_FLIGHT) frees a slot."""
    at = inside[len(inside) - budget.requests]
    if at == IN_FLIGHT:  # the slot that frees next is a request in flight: its answer decides
        return poll_wait(budget.window_seconds)
    return wait_seconds(at + budget.window_seconds, now)


def _rolling_wait(inside: list[float], budget: Budget, now: float) -> tuple[bool, float]:
    """After HubSpot's rolling 429: is our window full, and how long until HubSpot's frees a slot?

    If ours is full, a slot frees when ours frees one. Otherwise HubSpot counted requests we did not
    see (another process, another host) and its oldest is no younger than our oldest: a slot is free one
    window after our oldest stamp, or one window from now if we have none.
    """
    window = budget.window_seconds
    if len(inside) >= budget.requests:
        return True, _frees_in(inside, budget, now)
    if inside:
        return False, wait_seconds(min(inside[0], now) + window, now)
    return False, window + MIN_WAIT


# KEYS: the stamps (a sorted set: member -> microseconds), the horizon (the longest window seen, in
# microseconds), the daily block (a key that expires at the account's midnight). Times are Redis's own.
_REDIS_PRELUDE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function fmt(number)
    return string.format('%.0f', number)
end
-- Forget stamps older than the longest window seen (a longer learned window keeps more history).
local function prune(window)
    local horizon = math.max(window, tonumber(redis.call('GET', KEYS[2]) or '0'))
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', fmt(now - horizon))
    return horizon
end
-- After a write: keep the stamps and the horizon for the longest window seen, never for less (and the
-- stamps for `ahead` more, the furthest a stamp in flight is scored ahead of now).
local function keep(horizon, ahead)
    local ms = math.ceil(horizon / 1000) + 1000
    redis.call('SET', KEYS[2], fmt(horizon), 'PX', ms)
    local stamps_ms = ms + math.ceil((ahead or 0) / 1000)
    if redis.call('PTTL', KEYS[1]) < stamps_ms then
        redis.call('PEXPIRE', KEYS[1], stamps_ms)
    end
end
"""
# ARGV: requests, window (microseconds), member, '1' before this process heard HubSpot's budget, and
# how far ahead to score the stamp while in flight (IN_FLIGHT_BOUND in microseconds, or 0: from the
# send). Returns {1, 0} taken, {0, wait} full, {3, 0} full until an answer comes, {2, wait} daily.
_REDIS_TAKE = (
    _REDIS_PRELUDE
    + """
local daily = redis.call('PTTL', KEYS[3])
if daily > 0 then
    return {2, daily * 1000}
end
local requests, window = tonumber(ARGV[1]), tonumber(ARGV[2])
-- A process that has not heard HubSpot yet takes the budget another process learned.
local shared = redis.call('GET', KEYS[4])
if ARGV[4] == '1' and shared then
    local shared_requests, shared_window = string.match(shared, '(%d+) (%d+)')
    requests, window = tonumber(shared_requests), tonumber(shared_window)
end
local horizon = prune(window)
local since = '(' .. fmt(now - window)
local count = redis.call('ZCOUNT', KEYS[1], since, '+inf')
if count < requests then
    -- In flight: scored ahead, so it counts until its answer moves it to the answer time (or the bound).
    redis.call('ZADD', KEYS[1], fmt(now + tonumber(ARGV[5])), ARGV[3])
    keep(horizon, tonumber(ARGV[5]))
    return {1, 0}
end
local frees = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT', count - requests, 1)
local at = tonumber(frees[2])
if at > now then
    return {3, 0}  -- the slot that frees next is in flight: its answer decides, look again soon
end
return {0, at + window - now}
"""
)
# ARGV: member, window (microseconds). Moves the stamp to now (adds it back if it was forgotten).
_REDIS_MOVE = (
    _REDIS_PRELUDE
    + """
local horizon = prune(tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], fmt(now), ARGV[1])
keep(horizon)
return 1
"""
)
# ARGV: requests, window (microseconds). Returns {1 if full else 0, microseconds} (`_rolling_wait`).
_REDIS_ROLLING = (
    _REDIS_PRELUDE
    + """
local requests, window = tonumber(ARGV[1]), tonumber(ARGV[2])
prune(window)
local since = '(' .. fmt(now - window)
local count = redis.call('ZCOUNT', KEYS[1], since, '+inf')
if count == 0 then
    return {0, window}
end
local full, index = 0, 0
if count >= requests then
    full, index = 1, count - requests
end
local frees = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT', index, 1)
local at = math.min(tonumber(frees[2]), now)  -- in flight: counts as now
return {full, at + window - now}
"""
)
# ARGV: requests, window (microseconds), milliseconds to keep. The budget learned, for the others.
_REDIS_SHARE = """
redis.call('SET', KEYS[4], ARGV[1] .. ' ' .. ARGV[2], 'PX', tonumber(ARGV[3]))
return 1
"""
# ARGV: milliseconds. Blocks until then, never shortening a longer block.
_REDIS_DAILY = """
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[3]) < ms then
    redis.call('SET', KEYS[3], '1', 'PX', ms)
end
return 1
"""


class _RedisWindow:
    """The moving window shared through Redis by every process using the same key."""

    inline = False

    def __init__(self, storage: RedisStorage, key: str) -> None:
        connection: Any = storage.get_connection()
        self._storage = storage
        self._connection = connection
        self._take = connection.register_script(_REDIS_TAKE)
        self._move = connection.register_script(_REDIS_MOVE)
        self._rolling = connection.register_script(_REDIS_ROLLING)
        self._daily = connection.register_script(_REDIS_DAILY)
        self._share = connection.register_script(_REDIS_SHARE)
        # One hash tag: the three keys live on one Redis Cluster slot.
        base = f"hubspot-email/ratelimit/{{{key}}}"
        self._keys = [f"{base}/stamps", f"{base}/horizon", f"{base}/daily", f"{base}/budget"]

    def for_key(self, key: str) -> _RedisWindow:
        return _RedisWindow(self._storage, key)

    def take(self, budget: Budget, heard: bool = True, in_flight: bool = False) -> str | _Refusal:
        member = uuid.uuid4().hex
        args = [
            budget.requests,
            _micros(budget.window_seconds),
            member,
            "0" if heard else "1",
            _micros(IN_FLIGHT_BOUND) if in_flight else 0,
        ]
        status, micros = self._take(keys=self._keys, args=args)
        if int(status) == 1:
            return member
        if int(status) == 3:
            return _Refusal(poll_wait(budget.window_seconds))
        wait = max(int(micros), 0) / 1_000_000
        return _Refusal(wait, daily=True) if int(status) == 2 else _Refusal(wait + MIN_WAIT)

    def move_to_now(self, handle: object, budget: Budget) -> None:
        assert isinstance(handle, str)
        self._move(keys=self._keys, args=[handle, _micros(budget.window_seconds)])

    def rolling_wait(self, budget: Budget) -> tuple[bool, float]:
        full, micros = self._rolling(keys=self._keys, args=[budget.requests, _micros(budget.window_seconds)])
        return bool(int(full)), max(int(micros), 0) / 1_000_000 + MIN_WAIT

    def share(self, budget: Budget) -> None:
        """Tell processes that have not heard HubSpot yet the budget this one learned (kept a day)."""
        self._share(keys=self._keys, args=[budget.requests, _micros(budget.window_seconds), 86_400_000])

    def block_daily(self, seconds: float) -> None:
        self._daily(keys=self._keys, args=[max(1, math.ceil(seconds * 1000))])

    def daily_left(self) -> float | None:
        milliseconds = int(self._connection.pttl(self._keys[2]))
        return milliseconds / 1000 if milliseconds > 0 else None

    def idle(self) -> bool:
        return False

    def budget_known(self) -> bool:
        """True when another process already learned HubSpot's budget (no probe needed here)."""
        return bool(self._connection.exists(self._keys[3]))


def _window_for(storage: object, key: str | None, clock: Clock) -> _Window:
    """The window a storage names: ours in memory, or one in Redis (only then is `limits` imported)."""
    if storage == MEMORY_STORAGE:
        return _MemoryWindow(clock)
    from limits.storage import MemoryStorage, RedisStorage, storage_from_string

    backend = storage_from_string(storage) if isinstance(storage, str) else storage
    if isinstance(backend, MemoryStorage):
        return _MemoryWindow(clock)
    if isinstance(backend, RedisStorage):
        return _RedisWindow(backend, key or "hubspot-email")
    raise TypeError(f"storage {type(backend).__name__}: use memory:// or a Redis storage")


# asyncio is imported by the first async call, not by `import hubspot_email` (a sync user never needs it).
async def asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def _to_thread(function: Callable[..., ResultT], *args: Any) -> ResultT:
    import asyncio

    return await asyncio.to_thread(function, *args)


def _micros(seconds: float) -> int:
    return math.ceil(seconds * 1_000_000)


# --- the limiter ----------------------------------------------------------------------------------


class Slot:
    """A slot taken from a limiter: given back with `release(slot)` when the request's answer came."""

    __slots__ = ("handle", "sent")

    def __init__(self, sent: float, handle: object) -> None:
        self.sent = sent
        self.handle = handle

    def __eq__(self, other: object) -> bool:  # by identity: two slots of one instant are still two
        return self is other

    __hash__ = object.__hash__


class RateLimiter:
    """A moving-window budget shared by all threads and coroutines that hold this object.

    `budget` requests per `window_seconds`: give them to set a ceiling HubSpot's headers may lower but
    never raise; leave them out to take what HubSpot announces (100 per 10 s until it does). Only
    `headroom` of the budget is spent (0.9: see DEFAULT_HEADROOM). `storage` is `memory://` (this
    process) or a Redis URL / `limits` Redis storage (every process using the same key shares the
    window). `key`: the Redis key's name; None keys by the hash of each client's token. `time_zone`:
    the account's, where HubSpot's daily limit resets at midnight. `clock` (monotonic seconds, for the
    in-process window), `wall_clock` (an aware datetime, for midnight), `sleep` and `async_sleep` are
    injectable for tests.
    """

    def __init__(
        self,
        budget: int | None = None,
        window_seconds: float | None = None,
        *,
        headroom: float = DEFAULT_HEADROOM,
        storage: str | Storage = MEMORY_STORAGE,
        key: str | None = None,
        time_zone: str | tzinfo = DEFAULT_ACCOUNT_TIME_ZONE,
        clock: Clock = time.monotonic,
        wall_clock: WallClock = _utc_now,
        sleep: Sleep = time.sleep,
        async_sleep: AsyncSleep | None = None,
    ) -> None:
        if (budget is not None and budget <= 0) or (window_seconds is not None and window_seconds <= 0):
            raise ValueError("budget and window_seconds must be positive")
        if not 0 < headroom <= 1:
            raise ValueError("headroom must be more than 0 and at most 1 (the share of the budget spent)")
        self._zone = parse_time_zone(time_zone)
        self._key = key
        self._window: _Window = _window_for(storage, key, clock)
        self._headroom = headroom
        self._configured = Budget(budget or DEFAULT_BUDGET, window_seconds or DEFAULT_WINDOW_SECONDS)
        self._user_requests = budget is not None
        self._user_window = window_seconds is not None
        self._learned: tuple[int | None, float | None] = (None, None)
        # `allowed`, worked out again only when what it depends on changes: it is read on every
        # acquisition and release.
        self._allowed: Budget | None = None
        self._clock = clock
        self._wall_clock = wall_clock
        self._sleep = sleep
        self._async_sleep = asyncio_sleep if async_sleep is None else async_sleep
        # Reentrant: the probe takes its slot under it, and taking records the slot under it.
        self._lock = threading.RLock()
        # Slots taken and not yet released, oldest first: (when taken, the window's handle).
        self._in_flight: deque[Slot] = deque()
        self._answered = False  # until then, one request at a time (the probe)
        self._children: dict[str, RateLimiter] = {}

    # --- the budget

    @property
    def budget(self) -> Budget:
        """What HubSpot last announced, or else what was configured (before headroom)."""
        requests, window = self._learned
        return Budget(
            requests if requests is not None else self._configured.requests,
            window if window is not None else self._configured.window_seconds,
        )

    @property
    def allowed(self) -> Budget:
        """What the window lets through: the user's ceiling, the announced budget, times headroom."""
        allowed = self._allowed
        if allowed is None:
            with self._lock:  # where the inputs change and the cache is cleared: never a torn mix
                allowed = self._allowed = allowed_budget(
                    configured=self._configured,
                    user_requests=self._user_requests,
                    user_window=self._user_window,
                    learned=self._learned,
                    headroom=self._headroom,
                )
        return allowed

    @property
    def headroom(self) -> float:
        return self._headroom

    def set_budget(self, requests: int, window_seconds: float) -> None:
        """Set the budget as the user's: a ceiling that HubSpot's headers may lower, never raise."""
        if requests <= 0 or window_seconds <= 0:
            raise ValueError("budget and window_seconds must be positive")
        with self._lock:
            self._configured = Budget(requests, window_seconds)
            self._user_requests = self._user_window = True
            self._allowed = None

    def update_from_headers(self, headers: Mapping[str, str]) -> bool:
        """Learn the budget from HubSpot's rate-limit headers; True if the announced budget changed.

        Either header may come alone; absent or garbage values leave that part as it was.
        """
        requests, window = parse_budget_headers(headers)
        if requests is None and window is None:
            return False
        with self._lock:
            before, allowed_before = self.budget, self.allowed
            old_requests, old_window = self._learned
            self._learned = (
                requests if requests is not None else old_requests,
                window if window is not None else old_window,
            )
            self._allowed = None
            changed = self.budget != before
            allowed = self.allowed
        if allowed != allowed_before or (old_requests, old_window) == (None, None):
            self._share(allowed)
        return changed

    def _share(self, allowed: Budget) -> None:
        if isinstance(self._window, _RedisWindow):
            try:
                self._window.share(allowed)
            except Exception as error:  # the others keep probing with their own budget
                logger.warning(
                    "the rate limiter could not share the budget it learned (%s)", type(error).__name__
                )

    # --- binding to a token

    def for_token(self, key: str) -> RateLimiter:
        """The limiter a client with this token (its `key_for_token`) uses.

        An in-process limiter, or one given an explicit `key`, is itself: the caller chose to share it.
        A Redis limiter built with no key gives one limiter per token, on the same connection.
        """
        if self._key is not None or not isinstance(self._window, _RedisWindow):
            return self
        with self._lock:
            child = self._children.get(key)
            if child is None:
                child = self._clone()
                child._key = key
                child._window = self._window.for_key(key)
                self._children[key] = child
            return child

    def _clone(self) -> RateLimiter:
        clone = RateLimiter.__new__(RateLimiter)
        clone.__dict__.update(self.__dict__)
        clone._lock = threading.RLock()
        clone._in_flight = deque()
        clone._answered = False
        clone._children = {}
        return clone

    # --- taking and giving back slots

    def try_acquire(self, until_released: bool = False) -> float | None:
        """Take a slot if one is free now: None on success, else the seconds to wait before retrying.
        (`acquire` returns the slot taken, for `release(slot)`.)

        `until_released`: the caller promises `release()` when the answer comes (the clients do); the
        slot then counts as "now" while the request is in flight, since HubSpot counts a request when it
        arrives. Without it the slot counts from its send until released. Raises
        `DailyLimitReachedError` while the daily budget is spent.
        """
        taken = self._try_take(until_released)
        return None if isinstance(taken, Slot) else taken

    def _try_take(self, until_released: bool) -> Slot | float:
        allowed = self.allowed
        with self._lock:
            now = self._clock()
            self._forget_unreleased(now, allowed.window_seconds)
            probing = not self._answered
            if probing and not self._window.inline and self._window.budget_known():
                probing = False  # another process heard HubSpot: its budget is shared (see _REDIS_TAKE)
            if probing and self._in_flight:
                if now - self._in_flight[0].sent < allowed.window_seconds:
                    return PROBE_WAIT
                self._answered = probing = False  # a probe never released: its caller does not release
            if probing:  # taken under the lock: no second request slips out beside the probe
                taken = self._take(now, until_released)
        if not probing:
            taken = self._take(now, until_released)
        if isinstance(taken, Slot):
            return taken
        if taken.daily:
            raise self._daily_error(taken.wait)
        return taken.wait

    def _take(self, now: float, until_released: bool) -> _Refusal | Slot:
        # One snapshot: a budget read before HubSpot's headers were learned, sent as if heard, would
        # let a burst through on the default budget.
        with self._lock:
            allowed, heard = self.allowed, self._learned != (None, None)
        taken = self._window.take(allowed, heard=heard, in_flight=until_released)
        if isinstance(taken, _Refusal):
            return taken
        slot = Slot(now, taken)
        with self._lock:
            self._in_flight.append(slot)
        return slot

    def _forget_unreleased(self, now: float, window: float) -> None:
        while self._in_flight and self._in_flight[0].sent < now - max(window, FORGET_SECONDS):
            self._in_flight.popleft()

    def acquire(self, until_released: bool = False) -> Slot:
        """Block until a slot in the window is free, and take it; `release(slot)` when the answer came."""
        while not isinstance(taken := self._try_take(until_released), Slot):
            self._sleep(taken)
        return taken

    async def acquire_async(self, until_released: bool = False) -> Slot:
        """Await until a slot in the window is free, and take it; `release_async(slot)` after the answer."""
        while True:
            if self._window.inline:
                taken = self._try_take(until_released)
            else:
                taken = await _to_thread(self._try_take, until_released)
            if isinstance(taken, Slot):
                return taken
            await self._async_sleep(taken)

    def release(self, slot: Slot | None = None) -> None:
        """An answer came (or the attempt ended): `slot` (the one `acquire` gave) counts from now.

        Without a slot, the oldest still out: that errs on the safe side for one caller, but with many
        callers on one limiter a slow request's slot could be moved by a faster one's answer, and count
        from before its request arrived; the clients always name theirs.
        """
        with self._lock:
            self._answered = True
            if slot is None:
                if not self._in_flight:
                    return
                slot = self._in_flight.popleft()
            else:
                # Forgotten (out longer than FORGET_SECONDS): it still counts from now.
                with contextlib.suppress(ValueError):
                    self._in_flight.remove(slot)
        self._window.move_to_now(slot.handle, self.allowed)

    async def release_async(self, slot: Slot | None = None) -> None:
        if self._window.inline:
            self.release(slot)
        else:
            await _to_thread(self.release, slot)

    # --- after a 429

    def rolling_limit_wait(self, retry_after: float | None = None) -> float:
        """After HubSpot's TEN_SECONDLY_ROLLING 429: the seconds until its window frees a slot.

        When our window is full, until it frees one (and no sooner than `retry_after`); when it is not,
        HubSpot counted requests we did not see: its `retry_after` if it gave one, else one window after
        our oldest stamp (see `_rolling_wait`).
        """
        full, wait = self._window.rolling_wait(self.allowed)
        if retry_after is None:
            return wait
        return max(wait, retry_after) if full else retry_after

    def free_slot_in(self) -> float:
        """Seconds until the window has a free slot: 0.0 when one is free now, as far as this limiter knows.

        Takes nothing. For callers that would rather come back later than block (a task queue retrying a
        task with this countdown); an `acquire` right after may still wait if others took the slot first.
        """
        full, wait = self._window.rolling_wait(self.allowed)
        return wait if full else 0.0

    def note_daily_limit(self, time_zone: str | tzinfo | None = None) -> float:
        """After HubSpot's DAILY 429: refuse every acquisition until the account's midnight (in
        `time_zone`, else the limiter's). Returns the seconds until then."""
        zone = self._zone if time_zone is None else parse_time_zone(time_zone)
        now = self._wall_clock()
        seconds = (next_midnight(now, zone) - now).total_seconds()
        self._window.block_daily(seconds)
        return seconds

    def daily_limit_left(self) -> float | None:
        """Seconds until the daily budget is back, or None when it is not spent (as far as we know)."""
        return self._window.daily_left()

    def _daily_error(self, seconds: float) -> DailyLimitReachedError:
        resets_at = self._wall_clock() + timedelta(seconds=seconds)
        return DailyLimitReachedError(
            f"HubSpot's daily request limit is spent until midnight in the account's time zone "
            f"({resets_at.isoformat(timespec='seconds')}, in {seconds:.0f} s); the request was not sent",
            retry_after=seconds,
            resets_at=resets_at,
        )

    def idle(self) -> bool:
        """Nothing in flight, nothing in the window, no daily block: forgetting it loses nothing."""
        with self._lock:
            return not self._in_flight and self._window.idle()

    def __repr__(self) -> str:
        return f"RateLimiter(budget={self.budget}, allowed={self.allowed}, headroom={self._headroom})"


# --- one budget per token in a process -----------------------------------------------------------

_shared: dict[str, RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(key: str) -> RateLimiter:
    """The in-process limiter of the token whose `key_for_token` is `key`: every client built with
    that token (and no `rate_limiter=`) shares it, so their requests spend one budget.

    A plain dict, not weak references: a client made per call must find the window its predecessor
    filled. Beyond REGISTRY_SIZE tokens (OAuth access tokens rotate), idle limiters are dropped.
    """
    with _shared_lock:
        limiter = _shared.get(key)
        if limiter is None:
            if len(_shared) >= REGISTRY_SIZE:
                for stale in [name for name, held in _shared.items() if held.idle()]:
                    del _shared[stale]
            limiter = _shared[key] = RateLimiter()
        return limiter


def forget_shared_limiters() -> None:
    """Drop every shared limiter (for tests: each starts with a fresh window and no daily block)."""
    with _shared_lock:
        _shared.clear()
