"""Derived keys never change: a resumed CLI run and a redelivered Celery task must derive the sendIds and
trace ids their first run sent, or HubSpot would send again. The expected values were made by each
function before they shared `derived_key`, and are pinned here."""

from __future__ import annotations

from collections.abc import Callable

import hubspot_email.cli._app  # noqa: F401 (the command modules register through it)
import pytest
from hubspot_email._keys import derived_key
from hubspot_email.cli._batches import trace_id_for
from hubspot_email.cli._bulk import send_id_for
from hubspot_email.contrib.celery._decisions import send_id_for_task, trace_id_for_task


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (lambda: send_id_for("run-1", 7, " Ada@Example.com "), "hse-1e515e5f0b52f43cd0b1d8cd613d37c0"),
        (lambda: trace_id_for("run-1", 12), "hse-b3c1f17b669355c2d2a2c78248bba43d"),
        (lambda: send_id_for_task("task-9"), "hse-6441f2c83fb42888c01c3da4a0b5f855"),
        (lambda: trace_id_for_task("task-9", 3), "hse-cc2a449feaf6a96ce00658a55efadbb9"),
    ],
    ids=["bulk-send sendId", "log-emails trace id", "celery sendId", "celery trace id"],
)
def test_derived_keys_are_the_ones_already_out(made: Callable[[], str], expected: str) -> None:
    assert made() == expected


def test_parts_are_kept_apart() -> None:
    assert derived_key("ab", "c") != derived_key("a", "bc")
    assert derived_key("a", 1) == derived_key("a", "1")
    assert len(derived_key("x")) == len("hse-") + 32
