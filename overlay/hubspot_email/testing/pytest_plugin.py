"""Moved to `hubspot_email.pytest_plugin`; this name stays for installs that still point at it.

pytest loads the plugin through the `pytest11` entry point `hubspot_email`, which now names
`hubspot_email.pytest_plugin`: that module imports nothing optional, so installs without the `testing`
extra run their tests. This module is kept for entry points written by an older install (an editable
install keeps its metadata until it is reinstalled) and for users' conftests that name it in
`pytest_plugins`. Importing it imports `hubspot_email.testing`, so it needs the extra.
"""

from hubspot_email.pytest_plugin import (
    SimulatorFactory,
    hubspot_simulator,
    hubspot_simulator_factory,
    hubspot_simulator_url,
    pytest_configure,
)

__all__ = [
    "SimulatorFactory",
    "hubspot_simulator",
    "hubspot_simulator_factory",
    "hubspot_simulator_url",
    "pytest_configure",
]
