"""pytest fixtures for users' own tests, registered through the `pytest11` entry point `hubspot_email`.

    import pytest

    @pytest.mark.hubspot_simulator(bounced=["gone@example.com"])
    def test_a_bounced_address_is_not_retried(hubspot_simulator):
        client = hubspot_simulator.client()
        client.send_email(email_id=1, to="gone@example.com", send_id="order-42")
        assert hubspot_simulator.deliveries[0].to == "gone@example.com"

- `hubspot_simulator`: a fresh `hubspot_email.testing.Simulator` for one test. The keyword arguments of
  `@pytest.mark.hubspot_simulator(...)` (on the test, its class or its module; the closest wins per
  option) go to `Simulator(...)`.
- `hubspot_simulator_url`: that simulator served on 127.0.0.1 for one test (its base URL).
- `hubspot_simulator_factory`: `factory(**options)` makes more simulators in one test;
  `factory.serve(simulator)` serves one on 127.0.0.1 until the test ends and returns its base URL.

pytest loads this module in every test session of every project that installed hubspot-email, with
or without the `testing` extra, so it imports only pytest and the standard library: the simulator
(jsonschema, uvicorn) is imported when a test asks for a fixture. Without the extra that test fails
with the install hint, and every other test runs as usual.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from hubspot_email.testing import Simulator

__all__ = [
    "SimulatorFactory",
    "hubspot_simulator",
    "hubspot_simulator_factory",
    "hubspot_simulator_url",
]

MARKER = "hubspot_simulator"
INSTALL_HINT = "pip install 'hubspot-email[testing]'"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): keyword arguments for hubspot_email.testing.Simulator(...) "
        "behind the hubspot_simulator and hubspot_simulator_url fixtures",
    )


def _fail_missing_extra(what: str, error: ImportError) -> NoReturn:
    """Fail the asking test (not the session) with the install hint and the import that failed."""
    cause = error.__cause__ if isinstance(error.__cause__, ImportError) else error
    pytest.fail(
        f"{what} needs the 'testing' extra of hubspot-email: {INSTALL_HINT} "
        f"({type(cause).__name__}: {cause})",
        pytrace=False,
    )


def _testing(what: str) -> ModuleType:
    """`hubspot_email.testing`, imported now; without the extra, the asking test fails with the hint."""
    try:
        return importlib.import_module("hubspot_email.testing")
    except ImportError as error:
        missing = error
    _fail_missing_extra(what, missing)  # outside the except: no "During handling ..." in the report


def _accepted_options(simulator_class: type[Simulator]) -> list[str] | None:
    """The keyword arguments `Simulator.__init__` takes; None if it takes any (a `**options`)."""
    parameters = list(inspect.signature(simulator_class.__init__).parameters.values())[1:]
    if any(parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in parameters):
        return None
    return [
        parameter.name
        for parameter in parameters
        if parameter.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]


def _unknown_options(simulator_class: type[Simulator], options: Mapping[str, Any]) -> str | None:
    """A message naming the options `Simulator(...)` does not take and the ones it does, or None."""
    accepted = _accepted_options(simulator_class)
    if accepted is None:
        return None
    unknown = sorted(set(options) - set(accepted))
    if not unknown:
        return None
    return f"unknown option(s) {', '.join(unknown)}; Simulator(...) accepts: {', '.join(accepted)}"


class SimulatorFactory:
    """What `hubspot_simulator_factory` gives: makes simulators, and serves them until the test ends."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self.simulators: list[Simulator] = []  # every simulator made, in order

    def __call__(self, **options: Any) -> Simulator:
        """A new `Simulator(**options)`; an unknown option raises TypeError listing the accepted ones."""
        testing = _testing("hubspot_simulator_factory")
        simulator_class: type[Simulator] = testing.Simulator
        problem = _unknown_options(simulator_class, options)
        if problem is not None:
            raise TypeError(f"hubspot_simulator_factory: {problem}")
        simulator = simulator_class(**options)
        self.simulators.append(simulator)
        return simulator

    def serve(self, simulator: Simulator) -> str:
        """Serve `simulator` on 127.0.0.1 until the test ends (then it stops); returns its base URL."""
        return _serve(self._stack, simulator, "hubspot_simulator_factory.serve")


def _serve(stack: contextlib.ExitStack, simulator: Simulator, what: str) -> str:
    try:
        return stack.enter_context(simulator.serve(host="127.0.0.1"))
    except ImportError as error:  # uvicorn is imported when the server starts
        missing = error
    _fail_missing_extra(what, missing)


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The kwargs of every `hubspot_simulator` marker on the test, the closest one winning per option."""
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers(MARKER))):  # farthest (module) first
        if marker.args:
            pytest.fail(
                f"@pytest.mark.{MARKER}(...) takes keyword arguments only (for Simulator(...)), "
                f"got positional {marker.args!r}",
                pytrace=False,
            )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def hubspot_simulator(request: pytest.FixtureRequest) -> Simulator:
    """A fresh in-process HubSpot simulator for one test, configured by `@pytest.mark.hubspot_simulator`.

    The marker's keyword arguments go to `hubspot_email.testing.Simulator(...)`, e.g.
    `@pytest.mark.hubspot_simulator(tokens={"pat-1": ["transactional-email"]}, bounced=["x@example.com"])`.
    """
    simulator_class: type[Simulator] = _testing("the hubspot_simulator fixture").Simulator
    options = _marker_options(request)
    problem = _unknown_options(simulator_class, options)
    if problem is not None:
        pytest.fail(f"@pytest.mark.{MARKER}: {problem}", pytrace=False)
    try:
        return simulator_class(**options)
    except (TypeError, ValueError) as error:
        pytest.fail(f"@pytest.mark.{MARKER}: Simulator(...) refused the options: {error}", pytrace=False)


@pytest.fixture
def hubspot_simulator_url(hubspot_simulator: Simulator) -> Iterator[str]:
    """The base URL of `hubspot_simulator` served on 127.0.0.1 for one test (for code that opens sockets).

    Point the code under test at it, e.g. `Client(base_url=hubspot_simulator_url)`; assertions go to
    the `hubspot_simulator` fixture, which is the same simulator. The server stops when the test ends.
    """
    with contextlib.ExitStack() as stack:
        yield _serve(stack, hubspot_simulator, "the hubspot_simulator_url fixture")


@pytest.fixture
def hubspot_simulator_factory() -> Iterator[SimulatorFactory]:
    """A callable `(**options) -> Simulator` for tests that need several or differently set simulators.

    `hubspot_simulator_factory.serve(simulator)` serves one on 127.0.0.1 and returns its base URL;
    every simulator served that way stops when the test ends.
    """
    with contextlib.ExitStack() as stack:
        yield SimulatorFactory(stack)
