"""The real thing: the built wheel in fresh virtualenvs, with and without the `testing`, `cli` and
`celery` extras.

pip needs a package index (PyPI or a mirror) for pytest and the dependencies, and this takes about
20 seconds: `nox -s tests` (the README's test command, so CI) sets HUBSPOT_EMAIL_WHEEL_TESTS=1 and runs
it; a bare `pytest` elsewhere skips it, saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("HUBSPOT_EMAIL_WHEEL_TESTS") != "1",
    reason="builds the wheel and pip-installs it into new virtualenvs; set HUBSPOT_EMAIL_WHEEL_TESTS=1",
)

ROOT = Path(__file__).resolve().parents[2]

TRIVIAL = """
def test_trivial():
    assert 1 + 1 == 2
"""

USES_THE_FIXTURES = """
import httpx
import pytest

@pytest.mark.hubspot_simulator(bounced=["gone@example.com"])
def test_marker_and_url(hubspot_simulator, hubspot_simulator_url):
    answer = httpx.post(
        f"{hubspot_simulator_url}/marketing/v4/email/single-send",
        json={"emailId": 1, "message": {"to": "gone@example.com"}},
        headers={"Authorization": "Bearer t"},
        timeout=5,
    )
    assert answer.json()["sendResult"] == "PREVIOUSLY_BOUNCED"

def test_factory(hubspot_simulator_factory):
    simulator = hubspot_simulator_factory(email_ids=[1])
    with simulator.client() as client:
        assert client.send_email(email_id=2, to="ada@example.com").send_result.value == "MISSING_CONTENT"
"""


def run(*command: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "PYTEST_"))}
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT, cwd=out)
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = out.glob("hubspot_email-*.whl")
    return found


def venv_with(tmp_path: Path, *requirements: str) -> Path:
    venv = tmp_path / "venv"
    created = run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "-q", "pytest", *requirements, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return python


def users_project(tmp_path: Path, **files: str) -> Path:
    project = tmp_path / "users_project"
    project.mkdir()
    for name, text in files.items():
        (project / f"{name}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    return project


def test_without_the_extra_a_users_suite_runs_and_fixture_users_get_the_hint(
    wheel: Path, tmp_path: Path
) -> None:
    python = venv_with(tmp_path, str(wheel))
    assert run(python, "-c", "import jsonschema", cwd=tmp_path).returncode != 0  # really without

    # Nor Celery: the package imports without it, and its contrib module names the extra.
    celery = run(python, "-c", "import hubspot_email.contrib.celery", cwd=tmp_path)
    assert celery.returncode == 1
    assert "pip install 'hubspot-email[celery]'" in celery.stderr
    assert (
        run(
            python, "-c", "import hubspot_email, sys; assert 'celery' not in sys.modules", cwd=tmp_path
        ).returncode
        == 0
    )

    project = users_project(tmp_path, test_trivial=TRIVIAL)
    session = run(python, "-m", "pytest", "-p", "no:cacheprovider", "--strict-markers", cwd=project)
    assert session.returncode == 0, session.stdout + session.stderr
    assert "1 passed" in session.stdout
    assert "Error while loading" not in session.stdout + session.stderr

    (project / "test_uses_the_fixtures.py").write_text(USES_THE_FIXTURES, encoding="utf-8")
    # -rN: no short summary, whose lines pytest cuts to the terminal's width except under CI=true, so
    # the hint is counted once per test that used a fixture, wherever this runs.
    session = run(python, "-m", "pytest", "-p", "no:cacheprovider", "--strict-markers", "-rN", cwd=project)
    assert session.returncode == 1, session.stdout + session.stderr
    assert "1 failed, 1 passed, 1 error" in session.stdout
    assert session.stdout.count("pip install 'hubspot-email[testing]'") == 2


def test_with_the_extra_the_fixtures_work(wheel: Path, tmp_path: Path) -> None:
    python = venv_with(tmp_path, f"{wheel}[testing]")
    project = users_project(tmp_path, test_trivial=TRIVIAL, test_uses_the_fixtures=USES_THE_FIXTURES)
    session = run(python, "-m", "pytest", "-p", "no:cacheprovider", "--strict-markers", cwd=project)
    assert session.returncode == 0, session.stdout + session.stderr
    assert "3 passed" in session.stdout


def test_the_console_script_without_the_cli_extra_names_the_extra_without_a_traceback(
    wheel: Path, tmp_path: Path
) -> None:
    python = venv_with(tmp_path, str(wheel))
    script = python.parent / "hubspot-email"
    shown = run(script, "--help", cwd=tmp_path)
    assert shown.returncode == 2, shown.stdout + shown.stderr
    assert "pip install 'hubspot-email[cli]'" in shown.stderr
    assert "Traceback" not in shown.stderr


def test_with_the_cli_extra_the_console_script_sends_and_the_simulator_needs_the_testing_extra(
    wheel: Path, tmp_path: Path
) -> None:
    from hubspot_email.testing import Simulator

    python = venv_with(tmp_path, f"{wheel}[cli]")
    script = python.parent / "hubspot-email"
    assert run(script, "--help", cwd=tmp_path).returncode == 0

    without_testing = run(script, "simulator", "--port", "0", cwd=tmp_path)
    assert without_testing.returncode == 2, without_testing.stdout + without_testing.stderr
    assert "pip install 'hubspot-email[testing]'" in without_testing.stderr
    assert "Traceback" not in without_testing.stderr

    simulator = Simulator()  # served by this test's interpreter, which has the extra
    with simulator.serve() as url:
        token_file = tmp_path / "token"
        token_file.write_text("pat-wheel-test\n", encoding="utf-8")
        sent = run(
            script, "--base-url", url, "--token-file", token_file,
            "send", "--email-id", "7", "--to", "ada@example.com", "--send-id", "wheel-1",
            cwd=tmp_path,
        )  # fmt: skip
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "sendResult: SENT" in sent.stdout
    assert [delivery.to for delivery in simulator.deliveries] == ["ada@example.com"]
    assert "pat-wheel-test" not in sent.stdout + sent.stderr


CELERY_APP = """
from celery import Celery
from hubspot_email.contrib.celery import register_tasks

app = Celery("users_app", broker="redis://127.0.0.1:1/0")
hubspot = register_tasks(app)
print(sorted(name for name in app.tasks if name.startswith("hubspot_email.")))
"""


def test_with_the_celery_extra_the_tasks_register_and_a_users_suite_still_runs(
    wheel: Path, tmp_path: Path
) -> None:
    python = venv_with(tmp_path, f"{wheel}[celery]")
    registered = run(python, "-c", CELERY_APP, cwd=tmp_path)  # no broker is reached by registering
    assert registered.returncode == 0, registered.stdout + registered.stderr
    assert "hubspot_email.send_email" in registered.stdout
    project = users_project(tmp_path, test_trivial=TRIVIAL)
    session = run(python, "-m", "pytest", "-p", "no:cacheprovider", "--strict-markers", cwd=project)
    assert session.returncode == 0, session.stdout + session.stderr
    assert "1 passed" in session.stdout
