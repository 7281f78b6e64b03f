"""The app's budget on HubSpot: a rolling window, and a daily count that restarts at the account's midnight.

Single sends are exempt (the caller asks only for rate-limited operations). The decisions themselves
are plain functions in `_decisions.py`; this keeps their state.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from . import _decisions as decide
from ._decisions import RateLimit, Verdict


@dataclass(frozen=True)
class Taken:
    verdict: Verdict
    headers: dict[str, str]  # X-HubSpot-RateLimit-*, on every rate-limited answer
    # Seconds until the account's midnight, for a DAILY refusal; an injected rolling 429's, if set.
    retry_after: int | None


class Budget:
    def __init__(self) -> None:
        self.window: deque[float] = deque()  # epoch seconds of the requests in the rolling window
        self.used_today = 0
        self.day: date | None = None  # the account's local date `used_today` counts for

    def take(self, limit: RateLimit, now: datetime, zone: tzinfo) -> Taken:
        """Count one request if it fits; say which limit refused it if not."""
        today = now.astimezone(zone).date()
        if today != self.day:
            self.day, self.used_today = today, 0
        stamp = now.timestamp()
        verdict = decide.rate_verdict(self.window, self.used_today, stamp, limit)
        if verdict is Verdict.ALLOWED:
            self.window.append(stamp)
            self.used_today += 1
        headers = decide.rate_headers(limit, len(self.window), self.used_today)
        retry_after = seconds_until_midnight(now, zone) if verdict is Verdict.DAILY else None
        return Taken(verdict, headers, retry_after)

    def spent_window(self, limit: RateLimit, now: datetime, zone: tzinfo) -> Taken:
        """A TEN_SECONDLY_ROLLING refusal as if requests this budget never saw had spent the window (an
        injected 429): counts nothing; the daily count is as it stands."""
        used_today = self.used_today if now.astimezone(zone).date() == self.day else 0
        headers = decide.rate_headers(limit, limit.max_requests, used_today)
        return Taken(Verdict.TEN_SECONDLY_ROLLING, headers, None)


def seconds_until_midnight(now: datetime, zone: tzinfo) -> int:
    """Whole seconds (rounded up, at least 1) from `now` to the next midnight in `zone`.

    Computed in UTC: a day that changes to or from daylight saving time is 23 or 25 hours long.
    """
    local = now.astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
    remaining = (midnight.astimezone(UTC) - now.astimezone(UTC)).total_seconds()
    return max(1, math.ceil(remaining))
