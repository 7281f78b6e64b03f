"""Client-side rate limiting: stay under the account's rolling ten-second budget.

HubSpot allows a number of requests per rolling window (by default 100 per 10 s on Free/Starter) and
says the real numbers in `X-HubSpot-RateLimit-Max` and `X-HubSpot-RateLimit-Interval-Milliseconds`.
One `RateLimiter` is shared by every call and coroutine of a client; callers block (`acquire`) or
await (`acquire_async`) until a slot in the moving window is free. The v4 single send is exempt from
this budget on HubSpot's side, so a client does not acquire for it.

The window is kept by the `limits` library's moving-window storages (atomic check-and-add):
`memory://` for one process, `redis://host:port/db` for several processes sharing one budget.
The storage's own `acquire_entry`/`get_moving_window` are called with a stable key rather than
through `limits.MovingWindowRateLimiter`, whose keys embed the amount: learning a new budget from the
headers would otherwise start an empty window and allow a burst.

`limits.aio` is not used: its storages are separate objects from the sync ones, so the sync and async
calls of one client could not share one in-process window. `acquire_async` uses the same storage;
an in-memory check takes microseconds and runs inline, a network storage runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from limits.storage import MemoryStorage, MovingWindowSupport, Storage, storage_from_string

DEFAULT_BUDGET = 100
DEFAULT_WINDOW_SECONDS = 10.0
MAX_HEADER = "x-hubspot-ratelimit-max"
INTERVAL_HEADER = "x-hubspot-ratelimit-interval-milliseconds"
# Waiting to the exact end of the window still finds the slot taken (the storage compares with >=):
# every wait is at least this long, which also keeps a stuck clock from spinning.
MIN_WAIT = 0.001
# Sanity bounds for learned values: anything outside is treated as garbage.
MAX_BUDGET = 1_000_000
MAX_WINDOW_SECONDS = 86_400.0

Clock = Callable[[], float]
Sleep = Callable[[float], None]
AsyncSleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Budget:
    """At most `requests` acquisitions in any window of `window_seconds`."""

    requests: int
    window_seconds: float


def parse_budget_headers(headers: Mapping[str, str]) -> tuple[int | None, float | None]:
    """The budget and window (seconds) HubSpot announces; None for each one absent or garbage.

    Header names are matched case-insensitively. A budget must be a positive integer, an interval a
    positive finite number of milliseconds; both are bounded to catch nonsense.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    return _positive_int(lowered.get(MAX_HEADER)), _interval_seconds(lowered.get(INTERVAL_HEADER))


def storage_seconds(window_seconds: float) -> int:
    """The window in whole seconds for the storage (Redis expires in whole seconds): rounded up.

    A longer window with the same budget is a lower rate, so rounding up never overshoots.
    """
    return max(1, math.ceil(window_seconds - 1e-9))


def key_for_token(token: str, app: str = "hubspot") -> str:
    """A storage key that identifies a token's budget without revealing it (a truncated SHA-256)."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:16]
    return f"{app}:{digest}"


def wait_seconds(window_start: float, window_seconds: int, now: float) -> float:
    """How long to wait before retrying when the window starting at `window_start` is full."""
    return max(window_start + window_seconds - now, 0.0) + MIN_WAIT


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


class RateLimiter:
    """A moving-window budget shared by all threads and coroutines that hold this object.

    `storage` is a `limits` storage URI (`memory://`, `redis://127.0.0.1:6379/0`) or a storage
    object supporting the moving window; limiters with the same `key` on one Redis share one budget.
    `clock`, `sleep` and `async_sleep` are injectable for tests; the clock must be the one the storage
    stamps entries with (`time.time` for the `limits` storages).
    """

    def __init__(
        self,
        budget: int = DEFAULT_BUDGET,
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
        *,
        storage: str | Storage = "memory://",
        key: str = "hubspot-email",
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        async_sleep: AsyncSleep = asyncio.sleep,
    ) -> None:
        if budget <= 0 or window_seconds <= 0:
            raise ValueError("budget and window_seconds must be positive")
        backend = storage_from_string(storage) if isinstance(storage, str) else storage
        if not isinstance(backend, MovingWindowSupport):
            raise TypeError(f"storage {type(backend).__name__} does not support the moving window")
        self._storage: MovingWindowSupport = backend
        self._inline = isinstance(backend, MemoryStorage)
        self._key = f"hubspot-email/ratelimit/{key}"
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._lock = threading.Lock()
        self._budget = Budget(budget, window_seconds)

    @property
    def budget(self) -> Budget:
        return self._budget

    def set_budget(self, requests: int, window_seconds: float) -> None:
        if requests <= 0 or window_seconds <= 0:
            raise ValueError("budget and window_seconds must be positive")
        with self._lock:
            self._budget = Budget(requests, window_seconds)

    def update_from_headers(self, headers: Mapping[str, str]) -> bool:
        """Learn the budget from HubSpot's rate-limit headers; True if it changed.

        Either header may come alone; absent or garbage values leave that part as it was.
        """
        requests, window = parse_budget_headers(headers)
        if requests is None and window is None:
            return False
        with self._lock:
            new = Budget(
                requests if requests is not None else self._budget.requests,
                window if window is not None else self._budget.window_seconds,
            )
            changed = new != self._budget
            self._budget = new
        return changed

    def try_acquire(self) -> float | None:
        """Take a slot if one is free now: None on success, else the seconds to wait before retrying."""
        budget = self._budget
        seconds = storage_seconds(budget.window_seconds)
        if self._storage.acquire_entry(self._key, budget.requests, seconds):
            return None
        window_start, _count = self._storage.get_moving_window(self._key, budget.requests, seconds)
        return wait_seconds(window_start, seconds, self._clock())

    def acquire(self) -> None:
        """Block until a slot in the window is free, and take it."""
        while (delay := self.try_acquire()) is not None:
            self._sleep(delay)

    async def acquire_async(self) -> None:
        """Await until a slot in the window is free, and take it."""
        while True:
            if self._inline:
                delay = self.try_acquire()
            else:
                delay = await asyncio.to_thread(self.try_acquire)
            if delay is None:
                return
            await self._async_sleep(delay)
