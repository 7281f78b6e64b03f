"""The simulator's notion of now: an injectable clock, read as an aware datetime.

A clock is any callable returning an aware `datetime` or epoch seconds (`time.time` is the default).
Tests pass a fake one to cross the rate window or the account's midnight without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Clock = Callable[[], datetime | float]
real_time: Clock = time.time


def read(clock: Clock) -> datetime:
    """The clock's reading as an aware datetime (epoch seconds are taken as UTC)."""
    value = clock()
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("the simulator's clock returned a naive datetime: give it a time zone")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"the simulator's clock must return a datetime or epoch seconds, not {value!r}")
    return datetime.fromtimestamp(value, UTC)


def iso(moment: datetime) -> str:
    """HubSpot's spelling of a moment: UTC, milliseconds, `Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def zone(name: str | tzinfo) -> tzinfo:
    """An IANA time zone by name ("America/New_York"), or a tzinfo as given."""
    if not isinstance(name, str):
        return name
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}: give an IANA name such as 'America/New_York'"
        ) from None
