"""The client-side rate limiter: header decisions by table, and the budget under many concurrent callers.

Time is virtual: the limiter takes a clock and a sleep, and the virtual clock only moves when every
caller is asleep, and then to the earliest wake-up: a discrete-event schedule, with no real sleeping.
The window's rules (a slot is free one window after its answer, sub-second windows exact, a user's
budget never raised, headroom, the DAILY block until midnight in the account's time zone) are tables
against a fake clock.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hubspot_email import (
    AsyncClient,
    Client,
    DailyLimitReachedError,
    InvalidInputError,
    OutcomeState,
    RateLimitError,
    email_engagement,
)
from hubspot_email._ratelimit import (
    DEFAULT_BUDGET,
    DEFAULT_WINDOW_SECONDS,
    MIN_WAIT,
    Budget,
    RateLimiter,
    key_for_token,
    parse_budget_headers,
    wait_seconds,
)
from hubspot_email.testing import RateLimit, Simulator

START = 1_000_000.0
NOW = datetime(2025, 1, 1, tzinfo=UTC)


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
    # An answer's own headers (httpx.Headers, read without lower-casing a copy) say the same.
    assert parse_budget_headers(httpx.Headers(headers)) == expected


@pytest.mark.parametrize(
    ("frees_at", "now", "expected"),
    [
        (110.0, 100.0, 10.0 + MIN_WAIT),
        (110.0, 105.0, 5.0 + MIN_WAIT),
        (110.0, 110.0, MIN_WAIT),
        (110.0, 120.0, MIN_WAIT),
    ],
)
def test_wait_seconds(frees_at: float, now: float, expected: float) -> None:
    assert wait_seconds(frees_at, now) == pytest.approx(expected)


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
    limiter = RateLimiter()
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


def assert_within_budget(stamps: list[float], budget: int, window: float) -> None:
    """No window of `window` seconds (closed at both ends) holds more than `budget` acquisitions."""
    ordered = sorted(stamps)
    for first, later in zip(ordered, ordered[budget:], strict=False):
        assert later - first > window, f"{budget + 1} acquisitions within {later - first} s"


# --- many concurrent callers ------------------------------------------------------------------------


def run_threads(limiter: RateLimiter, clock: ThreadClock, callers: int, each: int) -> list[float]:
    limiter.release()  # as if an answer had come: no probe (these callers take slots and never release)
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


def test_threads_never_exceed_the_budget() -> None:
    callers, each, budget, window = 40, 5, 10, 10.0
    clock = ThreadClock(callers)
    limiter = RateLimiter(budget, window, headroom=1.0, clock=clock.now, sleep=clock.sleep)

    stamps = run_threads(limiter, clock, callers, each)

    assert len(stamps) == callers * each
    assert_within_budget(stamps, budget, window)
    # And not needlessly slow: 200 acquisitions at 10 per 10 s take 19 windows after the first burst.
    assert 190.0 < max(stamps) - min(stamps) < 191.0


async def run_tasks(limiter: RateLimiter, clock: TaskClock, callers: int, each: int) -> list[float]:
    limiter.release()  # as in run_threads
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


def test_tasks_never_exceed_the_budget() -> None:
    callers, each, budget, window = 50, 6, 25, 10.0
    clock = TaskClock(callers)
    limiter = RateLimiter(budget, window, headroom=1.0, clock=clock.now, async_sleep=clock.sleep)

    stamps = asyncio.run(run_tasks(limiter, clock, callers, each))

    assert len(stamps) == callers * each
    assert_within_budget(stamps, budget, window)
    assert 110.0 < max(stamps) - min(stamps) < 111.0


def test_threads_and_tasks_share_one_budget() -> None:
    """One limiter, used by sync and async calls at once, keeps one window."""
    budget, window = 8, 10.0
    clock = ThreadClock(callers=5)  # four threads, and one thread running the event loop

    async def async_sleep(seconds: float) -> None:
        await asyncio.to_thread(clock.sleep, seconds)

    limiter = RateLimiter(
        budget, window, headroom=1.0, clock=clock.now, sleep=clock.sleep, async_sleep=async_sleep
    )
    stamps: list[float] = []
    lock = threading.Lock()

    limiter.release()  # as in run_threads

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


def test_a_smaller_budget_from_headers_lowers_the_rate() -> None:
    callers, window = 20, 10.0
    clock = ThreadClock(callers)
    limiter = RateLimiter(100, window, headroom=1.0, clock=clock.now, sleep=clock.sleep)

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


# --- the window's rules, against a fake clock ------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def limiter_at(clock: FakeClock, budget: int, window: float, **options: object) -> RateLimiter:
    limiter = RateLimiter(budget, window, headroom=1.0, clock=clock, **options)  # type: ignore[arg-type]
    limiter.release()  # heard: no probe
    return limiter


@pytest.mark.parametrize(
    ("answered_after", "try_after", "expected_wait"),
    [
        pytest.param(0.0, 1.0, None, id="answered-at-once-free-one-window-after"),
        pytest.param(0.3, 1.0, 0.3 + MIN_WAIT, id="answered-late-still-held-at-send+window"),
        pytest.param(0.3, 1.2999, 0.0001 + MIN_WAIT, id="held-until-answer+window"),
        pytest.param(0.3, 1.3, None, id="free-at-answer+window"),
        pytest.param(None, 1.0, None, id="never-released-counts-from-the-send"),
        pytest.param(None, 0.9999, 0.0001 + MIN_WAIT, id="never-released-held-until-send+window"),
    ],
)
def test_a_slot_is_free_one_window_after_its_answer(
    answered_after: float | None, try_after: float, expected_wait: float | None
) -> None:
    clock = FakeClock()
    limiter = limiter_at(clock, 2, 1.0)
    assert limiter.try_acquire() is None
    assert limiter.try_acquire() is None
    if answered_after is not None:
        clock.now = START + answered_after
        limiter.release()
        limiter.release()
    clock.now = START + try_after
    wait = limiter.try_acquire()
    if expected_wait is None:
        assert wait is None
    else:
        assert wait == pytest.approx(expected_wait)


def test_free_slot_in_says_how_long_until_a_slot_frees_and_takes_nothing() -> None:
    clock = FakeClock()
    limiter = limiter_at(clock, 2, 1.0)
    assert limiter.free_slot_in() == 0.0
    assert limiter.try_acquire() is None
    assert limiter.free_slot_in() == 0.0  # one slot left, and asking took none
    assert limiter.try_acquire() is None
    clock.now = START + 0.25
    assert limiter.free_slot_in() == pytest.approx(0.75 + MIN_WAIT)
    assert limiter.try_acquire() == pytest.approx(limiter.free_slot_in())
    clock.now = START + 1.0
    assert limiter.free_slot_in() == 0.0


def test_the_oldest_slot_out_is_released_first() -> None:
    """Release moves the oldest unreleased slot: never later than the truth, and the same in the end."""
    clock = FakeClock()
    limiter = limiter_at(clock, 2, 1.0)
    limiter.try_acquire()
    clock.now = START + 0.5
    limiter.try_acquire()
    clock.now = START + 0.6
    limiter.release()  # the slot from START now counts from START + 0.6
    clock.now = START + 1.55
    assert limiter.try_acquire() is None  # the slot from START + 0.5 is out and past its window
    assert limiter.try_acquire() == pytest.approx(0.05 + MIN_WAIT)  # START + 0.6 holds until 1.6


@pytest.mark.parametrize("window", [0.05, 0.1, 0.25, 0.5, 1.5, 10.0])
def test_sub_second_windows_are_exact(window: float) -> None:
    clock = FakeClock()
    limiter = limiter_at(clock, 5, window)
    for _ in range(5):
        assert limiter.try_acquire() is None
        limiter.release()
    assert limiter.try_acquire() == pytest.approx(window + MIN_WAIT)
    clock.now = START + window
    assert limiter.try_acquire() is None


@pytest.mark.parametrize(
    ("budget", "window", "headers", "announced", "allowed"),
    [
        pytest.param(None, None, (190, 10_000), (190, 10.0), (190, 10.0), id="default-raised"),
        pytest.param(None, None, (100, 1_000), (100, 1.0), (100, 1.0), id="default-faster-window"),
        pytest.param(170, 10.0, (190, 10_000), (190, 10.0), (170, 10.0), id="user-budget-never-raised"),
        pytest.param(170, 10.0, (100, 10_000), (100, 10.0), (100, 10.0), id="user-budget-lowered"),
        pytest.param(170, 10.0, (190, 1_000), (190, 1.0), (170, 10.0), id="user-window-never-shortened"),
        pytest.param(170, 10.0, (190, 20_000), (190, 20.0), (170, 20.0), id="user-window-lengthened"),
        pytest.param(170, None, (190, 1_000), (190, 1.0), (170, 1.0), id="user-budget-default-window"),
    ],
)
def test_a_budget_the_user_set_is_never_raised(
    budget: int | None,
    window: float | None,
    headers: tuple[int, int],
    announced: tuple[int, float],
    allowed: tuple[int, float],
) -> None:
    limiter = RateLimiter(budget, window, headroom=1.0)
    limiter.update_from_headers(
        {
            "X-HubSpot-RateLimit-Max": str(headers[0]),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(headers[1]),
        }
    )
    assert limiter.budget == Budget(*announced)
    assert limiter.allowed == Budget(*allowed)


@pytest.mark.parametrize(
    ("requests", "headroom", "expected"),
    [
        (100, 0.9, 90),
        (10, 0.9, 9),
        (190, 0.9, 171),
        (250, 0.9, 225),
        (1, 0.9, 1),
        (5, 0.5, 2),
        (100, 1.0, 100),
    ],
)
def test_headroom_spends_a_share_of_the_budget(requests: int, headroom: float, expected: int) -> None:
    clock = FakeClock()
    limiter = RateLimiter(headroom=headroom, clock=clock)
    limiter.update_from_headers({"X-HubSpot-RateLimit-Max": str(requests)})
    limiter.release()
    taken = 0
    while limiter.try_acquire() is None and taken <= requests:
        taken += 1
    assert taken == expected == limiter.allowed.requests


def test_default_headroom_is_under_the_whole_budget() -> None:
    assert RateLimiter().allowed == Budget(90, 10.0)


@pytest.mark.parametrize("headroom", [0.0, -0.1, 1.01])
def test_rejects_nonsense_headroom(headroom: float) -> None:
    with pytest.raises(ValueError, match="headroom"):
        RateLimiter(headroom=headroom)


@pytest.mark.parametrize(
    ("full", "retry_after", "expected"),
    [
        pytest.param(0, None, 1.0 + MIN_WAIT, id="empty-one-window"),
        pytest.param(1, None, 0.6 + MIN_WAIT, id="not-full-window-after-our-oldest"),
        pytest.param(1, 0.3, 0.3, id="not-full-hubspot-knows-better"),
        pytest.param(4, None, 0.6 + MIN_WAIT, id="full-until-a-slot-frees"),
        pytest.param(4, 0.1, 0.6 + MIN_WAIT, id="full-later-of-the-two"),
        pytest.param(4, 2.0, 2.0, id="full-retry-after-later"),
    ],
)
def test_after_a_rolling_429_wait_until_the_window_frees_a_slot(
    full: int, retry_after: float | None, expected: float
) -> None:
    clock = FakeClock()
    limiter = limiter_at(clock, 4, 1.0)
    for _ in range(full):
        limiter.try_acquire()
    clock.now = START + 0.4
    assert limiter.rolling_limit_wait(retry_after) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("now", "zone", "seconds"),
    [
        pytest.param(datetime(2025, 1, 1, 23, tzinfo=UTC), "UTC", 3600, id="utc"),
        pytest.param(datetime(2025, 1, 1, 23, tzinfo=UTC), "America/New_York", 6 * 3600, id="new-york"),
        pytest.param(
            datetime(2025, 1, 1, 23, tzinfo=UTC), "Europe/Berlin", 24 * 3600, id="berlin-at-midnight"
        ),
        pytest.param(datetime(2025, 1, 1, 18, tzinfo=UTC), "Asia/Kolkata", 1800, id="kolkata-half-hour"),
        # 23:00 EST on the day before clocks go forward: midnight is still an hour away.
        pytest.param(datetime(2025, 3, 9, 4, tzinfo=UTC), "America/New_York", 3600, id="new-york-dst-eve"),
        # 00:30 EDT, after clocks went forward that night (02:00 -> 03:00): 23 h 30 of wall time left.
        pytest.param(datetime(2025, 3, 9, 5, 30, tzinfo=UTC), "America/New_York", 22.5 * 3600, id="dst-day"),
    ],
)
def test_daily_429_stops_budgeted_calls_until_midnight_in_the_account_time_zone(
    now: datetime, zone: str, seconds: float
) -> None:
    clock = FakeClock()
    wall = [now]
    limiter = limiter_at(clock, 10, 1.0, time_zone=zone, wall_clock=lambda: wall[0])
    assert limiter.note_daily_limit() == pytest.approx(seconds)
    with pytest.raises(DailyLimitReachedError) as caught:
        limiter.try_acquire()
    assert caught.value.retry_after == pytest.approx(seconds)
    assert caught.value.resets_at == now + timedelta(seconds=seconds)
    assert limiter.daily_limit_left() == pytest.approx(seconds)
    clock.now, wall[0] = START + seconds - 1, now + timedelta(seconds=seconds - 1)
    with pytest.raises(DailyLimitReachedError) as caught:
        limiter.try_acquire()
    assert caught.value.retry_after == pytest.approx(1.0)
    clock.now, wall[0] = START + seconds, now + timedelta(seconds=seconds)
    assert limiter.try_acquire() is None
    assert limiter.daily_limit_left() is None


def test_the_time_zone_given_at_the_429_wins() -> None:
    limiter = RateLimiter(wall_clock=lambda: datetime(2025, 1, 1, 23, tzinfo=UTC))
    assert limiter.note_daily_limit("America/Los_Angeles") == pytest.approx(9 * 3600)


def test_unknown_time_zones_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        RateLimiter(time_zone="Mars/Olympus_Mons")


# --- one budget per token -------------------------------------------------------------------------

TOKEN = "pat-na1-00000000-1111-2222-3333-444444444444"


def test_clients_with_one_token_share_one_limiter_and_others_do_not() -> None:
    clients = [Client(TOKEN), Client(TOKEN), AsyncClient(TOKEN), Client(TOKEN).with_options(max_retries=0)]
    other = Client(TOKEN + "5")
    own = RateLimiter()
    chosen = Client(TOKEN, rate_limiter=own)
    limiters = {id(client._config.rate_limiter) for client in clients}
    assert len(limiters) == 1
    assert other._config.rate_limiter is not clients[0]._config.rate_limiter
    assert chosen._config.rate_limiter is own
    assert TOKEN not in repr(shared_registry())
    assert f"{key_for_token(TOKEN)} https://api.hubapi.com" in shared_registry()
    # Another host is another account (a test's simulator on its own port): another budget.
    elsewhere = Client(TOKEN, base_url="http://127.0.0.1:8765")
    assert elsewhere._config.rate_limiter is not clients[0]._config.rate_limiter


def test_a_new_client_finds_the_window_its_predecessor_filled() -> None:
    clock = FakeClock()
    first = Client(TOKEN)._config.rate_limiter
    first.update_from_headers({"X-HubSpot-RateLimit-Max": "1"})
    first.release()
    first.try_acquire()
    del first
    assert Client(TOKEN)._config.rate_limiter.try_acquire() is not None
    assert clock.now == START


def shared_registry() -> dict[str, RateLimiter]:
    from hubspot_email import _ratelimit

    return _ratelimit._shared


# --- the client with the simulator: DAILY ----------------------------------------------------------


def test_after_a_daily_429_budgeted_calls_fail_unsent_until_midnight_and_sends_still_go() -> None:
    sim = Simulator(rate_limit=RateLimit(daily=1))
    limiter = RateLimiter(wall_clock=lambda: datetime(2025, 1, 1, 23, tzinfo=UTC))
    inputs = [email_engagement(timestamp=NOW, contact_ids=["1"], trace_id=f"t{n}") for n in range(3)]
    with sim.client(rate_limiter=limiter, account_time_zone="America/New_York") as client:
        result = client.create_emails(inputs, chunk_size=1)
        later = client.create_emails(inputs[:1])
        sent = client.send_email(email_id=1, to="ada@example.com", send_id="s-1")
    states = [outcome.state for outcome in result.outcomes + later.outcomes]
    assert states == [OutcomeState.CREATED] + [OutcomeState.FAILED] * 3
    assert isinstance(result.outcomes[1].error, RateLimitError)  # HubSpot's DAILY 429
    for outcome in [*result.outcomes[2:], *later.outcomes]:
        assert isinstance(outcome.error, DailyLimitReachedError)
        assert outcome.error.retry_after == pytest.approx(6 * 3600, abs=1)
        assert outcome.reason is not None
        assert "not sent" in outcome.reason
    assert [exchange.status for exchange in sim.exchanges] == [201, 429, 200]  # nothing sent after the 429
    assert sent.send_result is not None
    assert len(sim.deliveries) == 1


def test_account_time_zone_is_checked() -> None:
    with pytest.raises(InvalidInputError, match="account_time_zone"):
        Client(TOKEN, account_time_zone="Nowhere/Special")


# --- requests in flight (the clients acquire `until_released` and give back their own slot) --------


def test_a_request_in_flight_counts_until_its_answer_however_long() -> None:
    """HubSpot counts a request when it arrives, which may be long after the send: until the answer,
    the slot counts as now, so no slot frees early under a slow request."""
    clock = FakeClock()
    limiter = limiter_at(clock, 1, 0.5)
    slot = limiter.acquire(until_released=True)
    clock.now = START + 3.0  # six windows later, still in flight
    assert limiter.try_acquire() is not None
    limiter.release(slot)
    assert limiter.try_acquire() is not None  # one window after the answer, not after the send
    clock.now = START + 3.5
    assert limiter.try_acquire() is None


def test_a_slot_given_back_by_name_is_that_slot() -> None:
    """With many callers on one limiter, a fast answer must not move a slow request's slot."""
    clock = FakeClock()
    limiter = limiter_at(clock, 2, 1.0)
    slow = limiter.acquire(until_released=True)
    clock.now = START + 0.1
    fast = limiter.acquire(until_released=True)
    clock.now = START + 0.2
    limiter.release(fast)
    assert list(limiter._in_flight) == [slow]  # the slow request's slot is the one still out
    clock.now = START + 1.5  # the fast one's window is over; the slow one is still in flight
    assert limiter.try_acquire(until_released=True) is None
    assert limiter.try_acquire() is not None  # the slow one still counts
    limiter.release(slow)


def test_a_learned_budget_applies_to_the_next_take() -> None:
    """After the probe's answer taught the budget, the next caller takes on it, not on the default."""
    clock = FakeClock()
    limiter = RateLimiter(headroom=1.0, clock=clock)  # the default: 100 per 10 s
    probe = limiter.acquire(until_released=True)
    limiter.update_from_headers(
        {"X-HubSpot-RateLimit-Max": "2", "X-HubSpot-RateLimit-Interval-Milliseconds": "1000"}
    )
    limiter.release(probe)
    assert limiter.try_acquire() is None
    assert limiter.try_acquire() is not None  # two in the window: the learned budget, not 100
