"""pytest fixtures for users' own tests, registered through the `pytest11` entry point.

    def test_receipt_is_sent_once(hubspot_simulator):
        client = hubspot_simulator.client()
        client.send_email(email_id=1, to="ada@example.com", send_id="order-42")
        client.send_email(email_id=1, to="ada@example.com", send_id="order-42")
        assert len(hubspot_simulator.deliveries) == 1

`hubspot_simulator_url` serves the same simulator on 127.0.0.1 for code that opens its own sockets.

The simulator is imported only when a test asks for a fixture, so installing hubspot-email without
the `testing` extra never breaks a test session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from hubspot_email.testing import Simulator


@pytest.fixture
def hubspot_simulator() -> Simulator:
    """A fresh in-process HubSpot simulator (default settings, no faults) for one test."""
    from hubspot_email.testing import Simulator

    return Simulator()


@pytest.fixture
def hubspot_simulator_url(hubspot_simulator: Simulator) -> Iterator[str]:
    """The base URL of `hubspot_simulator` served on 127.0.0.1 for one test (for code that opens sockets).

    Point the code under test at it, e.g. `Client(base_url=hubspot_simulator_url)`; assertions go to
    the `hubspot_simulator` fixture, which is the same simulator.
    """
    with hubspot_simulator.serve() as base_url:
        yield base_url
