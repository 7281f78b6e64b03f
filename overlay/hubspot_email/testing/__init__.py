"""A simulator of HubSpot's four email endpoints (numbered and dated paths) and the send-status lookup,
for tests and demos without a HubSpot account.

    from hubspot_email.testing import Simulator

    sim = Simulator(bounced={"gone@example.com"})
    client = sim.client()  # a hubspot_email.Client answered in process by the simulator
    client.send_email(email_id=1, to="ada@example.com", send_id="order-42")
    assert [d.to for d in sim.deliveries] == ["ada@example.com"]

It validates requests against the project's spec (400 naming the field), checks bearer tokens and
scopes, de-duplicates single sends by sendId, gives per-recipient results, creates engagements and
attendance with ids, keeps HubSpot's rolling rate limit, and injects seeded faults. `sim.serve()` (or
`python -m hubspot_email.testing`) serves it on loopback; the `hubspot_simulator` pytest fixture hands
one to users' tests. Needs the `testing` extra: `pip install 'hubspot-email[testing]'`.
"""

from ._decisions import Fault, Faults, RateLimit
from ._records import AttendanceRecord, Contact, CreatedEmail, Delivery, Exchange
from ._simulator import SIMULATOR_BASE_URL, SIMULATOR_TOKEN, Simulator, SimulatorTransport

__all__ = [
    "SIMULATOR_BASE_URL",
    "SIMULATOR_TOKEN",
    "AttendanceRecord",
    "Contact",
    "CreatedEmail",
    "Delivery",
    "Exchange",
    "Fault",
    "Faults",
    "RateLimit",
    "Simulator",
    "SimulatorTransport",
]
