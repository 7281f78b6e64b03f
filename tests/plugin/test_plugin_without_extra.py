"""The plugin loads, and other tests run, when the `testing` extra (jsonschema, uvicorn) is missing.

pytest loads the plugin in every session of every project that installed hubspot-email. Each test here
starts a fresh interpreter in which the extra's packages cannot be imported (None in `sys.modules`),
imports the plugin module, and runs a small user suite with it.
"""

from __future__ import annotations

import sys

import pytest

pytest_plugins = ["pytester"]

RUNNER = """
import sys

blocked, *args = sys.argv[1:]
for name in filter(None, blocked.split(",")):
    sys.modules[name] = None  # import NAME now raises ImportError, as when it is not installed

import pytest


class Probe:
    # After pytest has loaded the plugin (-p), before any test asked for a fixture.
    @staticmethod
    def pytest_sessionstart(session):
        optional = sorted(
            name
            for name, module in sys.modules.items()
            if module is not None
            and (name.startswith("hubspot_email.testing") or name.split(".")[0] in ("jsonschema", "uvicorn"))
        )
        print("plugin loaded:", "hubspot_email.pytest_plugin" in sys.modules, "optional imported:", optional)


plugin_args = ["-p", "hubspot_email.pytest_plugin", "-p", "no:cacheprovider", "--strict-markers"]
sys.exit(pytest.main([*plugin_args, *args], plugins=[Probe()]))
"""

USERS_SUITE = """
import pytest

def test_unrelated():
    assert 1 + 1 == 2

@pytest.mark.hubspot_simulator(bounced=["gone@example.com"])
def test_uses_the_simulator(hubspot_simulator):
    assert hubspot_simulator.bounced == {"gone@example.com"}

def test_uses_the_url(hubspot_simulator_url):
    assert hubspot_simulator_url.startswith("http://127.0.0.1:")

def test_uses_the_factory(hubspot_simulator_factory):
    hubspot_simulator_factory()
"""


@pytest.fixture(autouse=True)
def no_entry_point_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    # The installed entry points may import jsonschema themselves (schemathesis does).
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def run_without(pytester: pytest.Pytester, blocked: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(run_blocked=RUNNER, test_users_code=USERS_SUITE)
    return pytester.run(sys.executable, "run_blocked.py", blocked, *args, timeout=120)


def test_without_jsonschema_and_uvicorn_other_tests_pass_and_fixture_users_get_the_install_hint(
    pytester: pytest.Pytester,
) -> None:
    result = run_without(pytester, "jsonschema,uvicorn", "-rEf")
    result.stdout.fnmatch_lines(["plugin loaded: True optional imported: []"])
    # The fixtures fail the tests that ask for them (at setup; the factory when called).
    result.assert_outcomes(passed=1, errors=2, failed=1)
    hint = "the {} needs the 'testing' extra of hubspot-email: pip install 'hubspot-email[[]testing]' (*)"
    result.stdout.fnmatch_lines(
        [
            "*" + hint.format("hubspot_simulator fixture"),
            "*" + hint.format("hubspot_simulator fixture"),
            "*hubspot_simulator_factory needs the 'testing' extra of hubspot-email: "
            "pip install 'hubspot-email[[]testing]' (*jsonschema*)",
        ],
        consecutive=False,
    )
    output = result.stdout.str()
    assert "Error while loading" not in output
    assert "Traceback" not in output
    assert "During handling" not in output  # one message, not a chain
    assert "ERROR test_users_code.py::test_unrelated" not in output


def test_with_jsonschema_but_without_uvicorn_only_serving_fails(pytester: pytest.Pytester) -> None:
    result = run_without(pytester, "uvicorn", "-rE")
    result.stdout.fnmatch_lines(["plugin loaded: True optional imported: []"])
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "the hubspot_simulator_url fixture "
            "needs the 'testing' extra of hubspot-email: pip install 'hubspot-email[[]testing]' "
            "(ModuleNotFoundError: *uvicorn*)"
        ]
    )
    assert "During handling" not in result.stdout.str()


def test_nothing_blocked_everything_passes(pytester: pytest.Pytester) -> None:
    run_without(pytester, "").assert_outcomes(passed=4)


def test_the_old_plugin_module_did_not_load_without_the_extra(pytester: pytest.Pytester) -> None:
    """The check above can fail: the module the entry point used to name breaks the session."""
    pytester.makepyfile(
        check="""
        import sys
        sys.modules["jsonschema"] = None
        sys.modules["uvicorn"] = None
        try:
            import hubspot_email.testing.pytest_plugin
        except ImportError as error:
            print("refused:", error)
        """
    )
    result = pytester.run(sys.executable, "check.py", timeout=60)
    result.stdout.fnmatch_lines(["refused: *pip install 'hubspot-email[[]testing]'*"])
