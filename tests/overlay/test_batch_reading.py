"""Reading a batch's answer cheaply: records parsed when first read, HubSpot's timestamps without isoparse."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import threading
from datetime import datetime
from typing import Any

import httpx
import pytest
from dateutil import tz
from dateutil.parser import isoparse
from hubspot_email import Outcome, OutcomeState
from hubspot_email._batch import CRM_EMAILS, _timestamp, read_chunk
from hubspot_email._http import Answer
from hubspot_email_api.models import SimplePublicObject, SubscriberEmailResult
from hypothesis import given, settings
from hypothesis import strategies as st

RECORD = {
    "id": "901",
    "properties": {"hs_email_subject": "Receipt"},
    "createdAt": "2026-11-23T10:00:00.123Z",
    "updatedAt": "2026-11-23T10:00:00Z",
    "archived": False,
    "objectWriteTraceId": "a",
}


class CountingParse:
    """SimplePublicObject.from_dict, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: dict[str, Any]) -> SimplePublicObject:
        self.calls += 1
        return SimplePublicObject.from_dict(data)


def test_a_created_outcome_parses_its_record_once_when_first_read() -> None:
    parse = CountingParse()
    outcome = Outcome.created(3, RECORD, parse)
    assert parse.calls == 0
    assert outcome.state is OutcomeState.CREATED
    assert outcome.raw is RECORD
    record = outcome.record
    assert isinstance(record, SimplePublicObject)
    assert record.id == "901"
    assert outcome.reason is None
    assert outcome.record is record
    assert parse.calls == 1


def test_a_created_outcome_is_the_outcome_built_eagerly() -> None:
    lazy = Outcome.created(3, RECORD, SimplePublicObject.from_dict)
    eager = Outcome(3, OutcomeState.CREATED, record=SimplePublicObject.from_dict(RECORD), raw=RECORD)
    assert lazy == eager
    assert repr(lazy) == repr(eager)
    names = [field.name for field in dataclasses.fields(Outcome)]
    assert {name: getattr(lazy, name) for name in names} == {name: getattr(eager, name) for name in names}
    assert dataclasses.replace(lazy, index=4) == dataclasses.replace(eager, index=4)
    assert names == [
        "index", "state", "record", "error", "reason", "raw"
    ]  # fmt: skip
    assert Outcome.record is None  # type: ignore[misc]
    assert Outcome.reason is None


def test_a_record_that_does_not_fit_the_spec_gives_its_reason_when_read() -> None:
    bad = {"id": "902", "createdAt": "yesterday"}
    outcome = Outcome.created(0, bad, SimplePublicObject.from_dict)
    assert outcome.reason is not None
    assert "does not fit the spec" in outcome.reason
    assert outcome.record is None
    assert outcome.state is OutcomeState.CREATED
    assert outcome.raw is bad


def test_a_created_outcome_stays_frozen_and_survives_copy_and_pickle() -> None:
    outcome = Outcome.created(0, RECORD, SimplePublicObject.from_dict)
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.record = None  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(outcome)) == outcome  # noqa: S301 (our own bytes)
    assert copy.copy(outcome) == outcome
    deep = copy.deepcopy(outcome).record
    assert isinstance(deep, SimplePublicObject)
    assert deep.id == "901"  # (a deep copy of a generated model copies UNSET too: compare a field)


def test_outcomes_built_with_values_keep_them() -> None:
    outcome: Outcome[SubscriberEmailResult] = Outcome(1, OutcomeState.UNKNOWN, reason="why")
    assert outcome.record is None
    assert outcome.reason == "why"
    record = SubscriberEmailResult(email="ada@example.com", vid=7)
    assert Outcome(2, OutcomeState.CREATED, record=record).record is record


def test_threads_reading_at_once_see_one_record() -> None:
    outcome = Outcome.created(0, RECORD, SimplePublicObject.from_dict)
    seen: list[object] = []
    start = threading.Barrier(8)

    def read() -> None:
        start.wait()
        seen.append(outcome.record)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8
    assert all(record is seen[0] for record in seen)


def test_a_chunk_read_leaves_records_to_parse_until_read() -> None:
    body = {"status": "COMPLETE", "results": [RECORD], "requestedAt": "2026-11-23T10:00:00.5Z"}
    report = read_chunk(CRM_EMAILS, 0, ["a"], Answer(httpx.Response(201, json=body)))
    (outcome,) = report.outcomes
    assert "_parsed" not in vars(outcome)
    assert outcome.record == SimplePublicObject.from_dict(RECORD)
    assert report.requested_at == datetime(2026, 11, 23, 10, 0, 0, 500000, tzinfo=tz.UTC)


def _isoparsed(value: str) -> datetime | str:
    """What every timestamp was read as before the fast path."""
    try:
        return isoparse(value)
    except (ValueError, OverflowError):
        return value


TIMESTAMPS = [
    "2026-11-23T10:00:00Z",
    "2026-11-23T10:00:00.1Z",
    "2026-11-23T10:00:00.123Z",
    "2026-11-23T10:00:00.123456Z",
    "2026-11-23T10:00:00.1234567Z",  # seven digits: isoparse's
    "2026-11-23T10:00:00+00:00",
    "2026-11-23T10:00:00+01:30",
    "2026-11-23T10:00Z",
    "2026-11-23",
    "2026-11-23T24:00:00Z",  # isoparse takes 24:00, fromisoformat does not
    "2026-13-23T10:00:00Z",
    "2026-02-30T10:00:00Z",
    "2026-11-23T10:00:60Z",
    "0000-11-23T10:00:00Z",
    "2026-11-23t10:00:00z",
    "2026-11-23T10:00:00.Z",
    "not a date",
    "",
    "\uff12\uff10\uff12\uff16-11-23T10:00:00Z",  # full-width digits
]  # fmt: skip


@pytest.mark.parametrize("value", TIMESTAMPS)
def test_timestamps_read_as_isoparse_reads_them(value: str) -> None:
    fast, slow = _timestamp(value), _isoparsed(value)
    assert fast == slow
    assert type(fast) is type(slow)
    if isinstance(fast, datetime) and isinstance(slow, datetime):
        assert fast.tzinfo is slow.tzinfo or fast.tzinfo == slow.tzinfo
        assert repr(fast) == repr(slow)


_digits = st.text(alphabet="0123456789", min_size=1, max_size=7)


@settings(max_examples=500, deadline=None)
@given(
    st.builds(
        lambda date, time, fraction, zone: f"{date}T{time}{fraction}{zone}",
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
        st.from_regex(r"[0-9]{2}:[0-9]{2}:[0-9]{2}", fullmatch=True),
        st.one_of(st.just(""), _digits.map(lambda digits: f".{digits}")),
        st.sampled_from(["Z", "z", "+00:00", ""]),
    )
)
def test_hubspot_shaped_timestamps_read_as_isoparse_reads_them(value: str) -> None:
    fast, slow = _timestamp(value), _isoparsed(value)
    assert fast == slow
    assert repr(fast) == repr(slow)
