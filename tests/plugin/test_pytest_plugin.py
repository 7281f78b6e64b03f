"""The pytest plugin in a user's test suite: the marker, the factory, the URL fixture, strict markers.

Each test writes a user's test file and runs pytest on it with pytester, with entry-point plugins
off (`PYTEST_DISABLE_PLUGIN_AUTOLOAD`) and the plugin named explicitly, so the module under test is the
one loaded, whatever entry point the installed metadata names.
"""

from __future__ import annotations

import inspect
import tomllib
from pathlib import Path

import pytest
from hubspot_email import pytest_plugin
from hubspot_email.testing import Simulator

pytest_plugins = ["pytester"]

PLUGIN = pytest_plugin.__name__
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture(autouse=True)
def only_the_plugin_under_test(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def run_users_suite(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", PLUGIN, "-p", "no:cacheprovider", *args)


def test_the_entry_point_names_the_plugin_module_outside_the_testing_package() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["pytest11"] == {"hubspot_email": PLUGIN}
    assert PLUGIN == "hubspot_email.pytest_plugin"


def test_the_marker_configures_the_simulator_and_the_closest_marker_wins(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_users_code="""
        import httpx
        import pytest
        from hubspot_email import AuthenticationError
        from hubspot_email.testing import Faults, RateLimit

        pytestmark = pytest.mark.hubspot_simulator(bounced=["module@example.com"], email_ids=[1])

        def test_module_marker(hubspot_simulator):
            with hubspot_simulator.client() as client:
                assert client.send_email(email_id=1, to="module@example.com").send_result.value == (
                    "PREVIOUSLY_BOUNCED"
                )
                assert client.send_email(email_id=2, to="ada@example.com").send_result.value == (
                    "MISSING_CONTENT"
                )

        @pytest.mark.hubspot_simulator(
            tokens={"pat-1": ["transactional-email"]},
            bounced=["closest@example.com"],
            rate_limit=RateLimit(1, 60.0),
            faults=Faults(seed=3),
        )
        def test_closest_marker_wins_per_option(hubspot_simulator):
            assert hubspot_simulator.bounced == {"closest@example.com"}
            assert hubspot_simulator.email_ids == {1}  # from the module's marker
            assert hubspot_simulator.rate_limit == RateLimit(1, 60.0)
            assert hubspot_simulator.faults == Faults(seed=3)
            with hubspot_simulator.client(access_token="pat-2") as client:
                with pytest.raises(AuthenticationError):
                    client.send_email(email_id=1, to="ada@example.com")

        @pytest.mark.hubspot_simulator(faults=Faults(seed=1, server_error_rate=1.0))
        def test_faults_reach_the_simulator(hubspot_simulator):
            with httpx.Client(transport=hubspot_simulator.transport, base_url="https://x.invalid") as http:
                answer = http.post(
                    "/marketing/v4/email/single-send",
                    json={"emailId": 1, "message": {"to": "ada@example.com"}},
                    headers={"Authorization": "Bearer t"},
                )
            assert answer.status_code >= 500

        class TestWithoutMarkerOfItsOwn:
            def test_gets_the_module_marker(self, hubspot_simulator):
                assert hubspot_simulator.bounced == {"module@example.com"}
        """
    )
    pytester.makepyfile(
        test_no_marker="""
        def test_defaults(hubspot_simulator):
            assert hubspot_simulator.bounced == frozenset()
            assert hubspot_simulator.email_ids is None
            with hubspot_simulator.client(access_token="any-token") as client:
                assert client.send_email(email_id=9, to="ada@example.com").send_result.value == "SENT"
            assert [d.to for d in hubspot_simulator.deliveries] == ["ada@example.com"]
        """
    )
    result = run_users_suite(pytester)
    result.assert_outcomes(passed=5)


def test_the_url_fixture_serves_the_marker_configured_simulator_over_loopback(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_users_code="""
        import httpx
        import pytest

        SERVED = []

        @pytest.mark.hubspot_simulator(bounced=["gone@example.com"])
        def test_a_real_request(hubspot_simulator, hubspot_simulator_url):
            assert hubspot_simulator_url.startswith("http://127.0.0.1:")
            SERVED.append(hubspot_simulator_url)
            answer = httpx.post(
                f"{hubspot_simulator_url}/marketing/v4/email/single-send",
                json={"emailId": 1, "message": {"to": "gone@example.com"}},
                headers={"Authorization": "Bearer t"},
                timeout=5,
            )
            assert answer.json()["sendResult"] == "PREVIOUSLY_BOUNCED"
            assert len(hubspot_simulator.exchanges) == 1  # the fixture's simulator answered it
            assert hubspot_simulator.deliveries == []

        def test_the_server_stopped_when_the_test_ended():
            with pytest.raises(httpx.ConnectError):
                httpx.get(SERVED[0], timeout=2)
        """
    )
    run_users_suite(pytester).assert_outcomes(passed=2)


def test_the_factory_makes_several_simulators_and_stops_the_served_ones(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_users_code="""
        import httpx
        import pytest
        from hubspot_email.testing import RateLimit

        SERVED = []

        def send(url, to):
            return httpx.post(
                f"{url}/marketing/v4/email/single-send",
                json={"emailId": 1, "message": {"to": to}},
                headers={"Authorization": "Bearer t"},
                timeout=5,
            ).json()["sendResult"]

        def test_two_simulators(hubspot_simulator_factory):
            first = hubspot_simulator_factory(bounced=["ada@example.com"])
            second = hubspot_simulator_factory(rate_limit=RateLimit(2, 1.0))
            assert first is not second
            assert hubspot_simulator_factory.simulators == [first, second]
            assert second.rate_limit == RateLimit(2, 1.0)
            urls = [hubspot_simulator_factory.serve(first), hubspot_simulator_factory.serve(second)]
            SERVED.extend(urls)
            assert urls[0] != urls[1]
            assert send(urls[0], "ada@example.com") == "PREVIOUSLY_BOUNCED"
            assert send(urls[1], "ada@example.com") == "SENT"
            assert (len(first.exchanges), len(first.deliveries)) == (1, 0)  # bounced: not delivered
            assert (len(second.exchanges), len(second.deliveries)) == (1, 1)

        def test_an_unknown_option_is_a_type_error_naming_the_accepted_ones(hubspot_simulator_factory):
            with pytest.raises(TypeError, match=r"bouncd.*accepts: .*bounced"):
                hubspot_simulator_factory(bouncd=["ada@example.com"])

        def test_both_servers_stopped_when_the_test_ended():
            assert len(SERVED) == 2
            for url in SERVED:
                with pytest.raises(httpx.ConnectError):
                    httpx.get(url, timeout=2)
        """
    )
    run_users_suite(pytester).assert_outcomes(passed=3)


def test_an_unknown_marker_option_fails_the_test_listing_the_accepted_ones(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_users_code="""
        import pytest

        @pytest.mark.hubspot_simulator(bouncd=["gone@example.com"], tokenz={})
        def test_typo(hubspot_simulator):
            pass

        @pytest.mark.hubspot_simulator({"bounced": []})
        def test_positional(hubspot_simulator):
            pass

        @pytest.mark.hubspot_simulator(batch_status=202)
        def test_refused_value(hubspot_simulator):
            pass

        def test_unrelated():
            pass
        """
    )
    result = run_users_suite(pytester)
    result.assert_outcomes(passed=1, errors=3)
    accepted = [name for name in inspect.signature(Simulator.__init__).parameters if name != "self"]
    assert "bounced" in accepted  # a sanity check on what the message is compared with
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.hubspot_simulator: unknown option(s) bouncd, tokenz; "
            f"Simulator(...) accepts: {', '.join(accepted)}",
            "*@pytest.mark.hubspot_simulator(...) takes keyword arguments only*",
            "*@pytest.mark.hubspot_simulator: Simulator(...) refused the options: batch_status*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_the_marker_is_registered_for_strict_markers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_users_code="""
        import pytest

        @pytest.mark.hubspot_simulator(bounced=["gone@example.com"])
        def test_marked(hubspot_simulator):
            assert hubspot_simulator.bounced == {"gone@example.com"}
        """
    )
    # In subprocesses: in process, pytest's global mark generator remembers markers of earlier runs.
    strict = ("-p", "no:cacheprovider", "--strict-markers", "-W", "error")
    result = pytester.runpytest_subprocess("-p", PLUGIN, *strict)
    result.assert_outcomes(passed=1)
    listed = pytester.runpytest_subprocess("-p", PLUGIN, "--markers")
    listed.stdout.fnmatch_lines(["@pytest.mark.hubspot_simulator(**options): *Simulator(...)*"])
    # Without the plugin, the same file is refused: the check above can fail.
    without = pytester.runpytest_subprocess(*strict)
    without.stdout.fnmatch_lines(["*'hubspot_simulator' not found in `markers` configuration option*"])
    assert without.ret != 0


def test_the_old_module_path_still_gives_the_same_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_users_code="""
        import pytest

        @pytest.mark.hubspot_simulator(bounced=["gone@example.com"])
        def test_marked(hubspot_simulator, hubspot_simulator_factory):
            assert hubspot_simulator.bounced == {"gone@example.com"}
            assert hubspot_simulator_factory().bounced == frozenset()
        """
    )
    result = pytester.runpytest(
        "-p", "hubspot_email.testing.pytest_plugin", "-p", "no:cacheprovider", "--strict-markers"
    )
    result.assert_outcomes(passed=1)
