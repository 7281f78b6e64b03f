"""The client-side rate limiter: header decisions by table, and the budget under many concurrent callers.

Time is virtual: `limits`' in-memory storage stamps entries with `time.time()` from its own module, so
the tests point that module's `time` at a virtual clock (the library has no clock parameter), and give
the limiter the same clock and a virtual sleep. The virtual clock only moves when every caller is
asleep, and then to the earliest wake-up: a discrete-event schedule, with no real sleeping.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
import types
from collections.abc import Callable

import pytest
from hubspot_email._ratelimit import (
    DEFAULT_BUDGET,
    DEFAULT_WINDOW_SECONDS,
    MIN_WAIT,
    Budget,
    RateLimiter,
    key_for_token,
    parse_budget_headers,
    storage_seconds,
    wait_seconds,
)

START = 1_000_000.0


# --- decisions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, (None, None)),
        (
            {"X-HubSpot-RateLimit-Max": "100", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"},
            (100, 10.0),
        ),
        (
            {"x-hubspot-ratelimit-max": "190", "X-HUBSPOT-RATELIMIT-INTERVAL-MILLISECONDS": "10000"},
            (190, 10.0),
        ),
        ({"X-HubSpot-RateLimit-Max": " 110 "}, (110, None)),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "1500"}, (None, 1.5)),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "2500.5"}, (None, 2.5005)),
        ({"X-HubSpot-RateLimit-Max": "0"}, (None, None)),
        ({"X-HubSpot-RateLimit-Max": "-5"}, (None, None)),
        ({"X-HubSpot-RateLimit-Max": "ten"}, (None, None)),
        ({"X-HubSpot-RateLimit-Max": "10.5"}, (None, None)),
        ({"X-HubSpot-RateLimit-Max": ""}, (None, None)),
        ({"X-HubSpot-RateLimit-Max": "99999999999"}, (None, None)),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "0"}, (None, None)),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "-1000"}, (None, None)),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "nan"}, (None, None)),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "inf"}, (None, None)),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "soon"}, (None, None)),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "1e12"}, (None, None)),
        ({"X-HubSpot-RateLimit-Remaining": "3", "X-HubSpot-RateLimit-Daily": "250000"}, (None, None)),
    ],
)
def test_parse_budget_headers(headers: dict[str, str], expected: tuple[int | None, float | None]) -> None:
    assert parse_budget_headers(headers) == expected


@pytest.mark.parametrize(
    ("window", "expected"),
    [(10.0, 10), (1.0, 1), (1.5, 2), (0.2, 1), (10.000000000001, 10), (86_400.0, 86_400)],
)
def test_storage_seconds_rounds_up(window: float, expected: int) -> None:
    assert storage_seconds(window) == expected


@pytest.mark.parametrize(
    ("window_start", "window", "now", "expected"),
    [
        (100.0, 10, 100.0, 10.0 + MIN_WAIT),
        (100.0, 10, 105.0, 5.0 + MIN_WAIT),
        (100.0, 10, 110.0, MIN_WAIT),
        (100.0, 10, 120.0, MIN_WAIT),
    ],
)
def test_wait_seconds(window_start: float, window: int, now: float, expected: float) -> None:
    assert wait_seconds(window_start, window, now) == pytest.approx(expected)


def test_key_for_token_hides_the_token() -> None:
    token = "pat-na1-11111111-2222-3333-4444-555555555555"
    key = key_for_token(token)
    assert token not in key
    assert "pat-na1" not in key
    assert key == key_for_token(token)
    assert key != key_for_token(token + "x")
    assert key_for_token(token, app="other").startswith("other:")


def test_defaults_are_the_free_starter_limit() -> None:
    limiter = RateLimiter()
    assert (DEFAULT_BUDGET, DEFAULT_WINDOW_SECONDS) == (100, 10.0)
    assert limiter.budget == Budget(100, 10.0)


@pytest.mark.parametrize(("budget", "window"), [(0, 10.0), (-1, 10.0), (10, 0.0), (10, -1.0)])
def test_rejects_nonsense_budgets(budget: int, window: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(budget, window)


def test_update_from_headers_keeps_what_is_absent_or_garbage() -> None:
    limiter = RateLimiter(100, 10.0)
    assert not limiter.update_from_headers({})
    assert not limiter.update_from_headers({"X-HubSpot-RateLimit-Max": "lots"})
    assert limiter.update_from_headers({"X-HubSpot-RateLimit-Max": "190"})
    assert limiter.budget == Budget(190, 10.0)
    assert not limiter.update_from_headers({"X-HubSpot-RateLimit-Max": "190"})
    assert limiter.update_from_headers({"X-HubSpot-RateLimit-Interval-Milliseconds": "1000"})
    assert limiter.budget == Budget(190, 1.0)


# --- virtual time ---------------------------------------------------------------------------------


class ThreadClock:
    """Virtual time for threads: it advances only when every registered thread sleeps."""

    def __init__(self, callers: int) -> None:
        self._lock = threading.Lock()
        self._now = START
        self._active = callers
        self._sleepers: list[tuple[float, int, threading.Event]] = []
        self._order = itertools.count()

    def now(self) -> float:
        with self._lock:
            return self._now

    def add_callers(self, callers: int) -> None:
        with self._lock:
            self._active += callers

    def sleep(self, seconds: float) -> None:
        assert seconds > 0, "the limiter must never sleep for zero (it would spin)"
        wake = threading.Event()
        with self._lock:
            heapq.heappush(self._sleepers, (self._now + seconds, next(self._order), wake))
            self._active -= 1
            self._advance()
        assert wake.wait(timeout=30), "virtual clock deadlock"

    def done(self) -> None:
        with self._lock:
            self._active -= 1
            self._advance()

    def _advance(self) -> None:
        if self._active == 0 and self._sleepers:
            when, _, wake = heapq.heappop(self._sleepers)
            self._now = max(self._now, when)
            self._active += 1
            wake.set()


class TaskClock:
    """Virtual time for asyncio tasks: it advances only when every registered task sleeps."""

    def __init__(self, callers: int) -> None:
        self.now_value = START
        self._active = callers
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self.now_value

    async def sleep(self, seconds: float) -> None:
        assert seconds > 0, "the limiter must never sleep for zero (it would spin)"
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now_value + seconds, next(self._order), wake))
        self._active -= 1
        self._advance()
        await wake

    def done(self) -> None:
        self._active -= 1
        self._advance()

    def _advance(self) -> None:
        if self._active == 0 and self._sleepers:
            when, _, wake = heapq.heappop(self._sleepers)
            self.now_value = max(self.now_value, when)
            self._active += 1
            wake.set_result(None)


@pytest.fixture
def storage_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], float]], None]:
    """Point `limits`' in-memory storage at a virtual clock (it reads `time.time()` from its module)."""
    import limits.storage.memory

    def use(clock: Callable[[], float]) -> None:
        monkeypatch.setattr(limits.storage.memory, "time", types.SimpleNamespace(time=clock))

    return use


def assert_within_budget(stamps: list[float], budget: int, window: float) -> None:
    """No window of `window` seconds (closed at both ends) holds more than `budget` acquisitions."""
    ordered = sorted(stamps)
    for first, later in zip(ordered, ordered[budget:], strict=False):
        assert later - first > window, f"{budget + 1} acquisitions within {later - first} s"


# --- many concurrent callers ------------------------------------------------------------------------


def run_threads(limiter: RateLimiter, clock: ThreadClock, callers: int, each: int) -> list[float]:
    stamps: list[float] = []
    stamps_lock = threading.Lock()
    errors: list[BaseException] = []

    def caller() -> None:
        try:
            for _ in range(each):
                limiter.acquire()
                with stamps_lock:
                    stamps.append(clock.now())
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            clock.done()

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a caller never finished"
    assert not errors, errors
    return stamps


def test_threads_never_exceed_the_budget(storage_clock: Callable[[Callable[[], float]], None]) -> None:
    callers, each, budget, window = 40, 5, 10, 10.0
    clock = ThreadClock(callers)
    storage_clock(clock.now)
    limiter = RateLimiter(budget, window, clock=clock.now, sleep=clock.sleep)

    stamps = run_threads(limiter, clock, callers, each)

    assert len(stamps) == callers * each
    assert_within_budget(stamps, budget, window)
    # And not needlessly slow: 200 acquisitions at 10 per 10 s take 19 windows after the first burst.
    assert 190.0 < max(stamps) - min(stamps) < 191.0


async def run_tasks(limiter: RateLimiter, clock: TaskClock, callers: int, each: int) -> list[float]:
    stamps: list[float] = []

    async def caller() -> None:
        try:
            for _ in range(each):
                await limiter.acquire_async()
                stamps.append(clock.now())
        finally:
            clock.done()

    async with asyncio.timeout(60):
        await asyncio.gather(*(caller() for _ in range(callers)))
    return stamps


def test_tasks_never_exceed_the_budget(storage_clock: Callable[[Callable[[], float]], None]) -> None:
    callers, each, budget, window = 50, 6, 25, 10.0
    clock = TaskClock(callers)
    storage_clock(clock.now)
    limiter = RateLimiter(budget, window, clock=clock.now, async_sleep=clock.sleep)

    stamps = asyncio.run(run_tasks(limiter, clock, callers, each))

    assert len(stamps) == callers * each
    assert_within_budget(stamps, budget, window)
    assert 110.0 < max(stamps) - min(stamps) < 111.0


def test_threads_and_tasks_share_one_budget(storage_clock: Callable[[Callable[[], float]], None]) -> None:
    """One limiter, used by sync and async calls at once, keeps one window."""
    budget, window = 8, 10.0
    clock = ThreadClock(callers=5)  # four threads, and one thread running the event loop
    storage_clock(clock.now)

    async def async_sleep(seconds: float) -> None:
        await asyncio.to_thread(clock.sleep, seconds)

    limiter = RateLimiter(budget, window, clock=clock.now, sleep=clock.sleep, async_sleep=async_sleep)
    stamps: list[float] = []
    lock = threading.Lock()

    async def one_task() -> None:
        for _ in range(10):
            await limiter.acquire_async()
            with lock:
                stamps.append(clock.now())

    def loop_thread() -> None:
        try:
            asyncio.run(one_task())
        finally:
            clock.done()

    runner = threading.Thread(target=loop_thread)
    runner.start()
    stamps.extend(run_threads(limiter, clock, callers=4, each=10))
    runner.join(timeout=60)
    assert not runner.is_alive()

    assert len(stamps) == 50
    assert_within_budget(stamps, budget, window)


def test_a_smaller_budget_from_headers_lowers_the_rate(
    storage_clock: Callable[[Callable[[], float]], None],
) -> None:
    callers, window = 20, 10.0
    clock = ThreadClock(callers)
    storage_clock(clock.now)
    limiter = RateLimiter(100, window, clock=clock.now, sleep=clock.sleep)

    # Under 100 per 10 s, 60 calls go at once.
    burst = run_threads(limiter, clock, callers=callers, each=3)
    assert max(burst) == min(burst) == START

    learned = limiter.update_from_headers(
        {"X-HubSpot-RateLimit-Max": "10", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    )
    assert learned
    assert limiter.budget == Budget(10, 10.0)

    clock.add_callers(callers)
    after = run_threads(limiter, clock, callers=callers, each=2)

    # The window that holds the burst is full: nothing more until it has passed, then 10 per 10 s.
    assert min(after) > START + window
    assert_within_budget(after, 10, window)
    assert max(after) - min(after) > 30.0  # 40 calls at 10 per 10 s
