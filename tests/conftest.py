"""Shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hubspot_email._ratelimit import forget_shared_limiters


@pytest.fixture(autouse=True)
def fresh_shared_limiters() -> Iterator[None]:
    """Clients with one token share one rate limiter per process (and with it a DAILY block until
    midnight): each test starts with none, as a new process would."""
    forget_shared_limiters()
    yield
    forget_shared_limiters()
