"""Developer and CI sessions. `nox` alone runs the default suite (what `.ci/run` runs).

Every session installs what it needs into its own virtualenv, so a machine needs only Python and nox.
The generator and ruff are pinned exactly: both shape the bytes of `generated/`.
"""

from __future__ import annotations

import os

import nox

GENERATOR = "openapi-python-client==0.29.1"
SPEC_VALIDATOR = "openapi-spec-validator==0.9.0"
RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"
# What `nox -s bench` compares ours against: HubSpot's classic SDK and its Stainless-generated one.
HUBSPOT_SDKS = ["hubspot-api-client==12.0.0", "hubspot-sdk==0.1.0a9"]

HAND_WRITTEN = ["overlay", "tests", "scripts", "noxfile.py"]

nox.options.sessions = ["lint", "drift", "typecheck", "tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_external_run = True


def _install_generator(session: nox.Session) -> None:
    session.install(GENERATOR, SPEC_VALIDATOR, RUFF)


@nox.session
def generate(session: nox.Session) -> None:
    """Validate the spec and regenerate generated/hubspot_email_api from it."""
    _install_generator(session)
    session.run("python", "scripts/generate.py")


@nox.session
def drift(session: nox.Session) -> None:
    """Regenerate and fail if generated/ differs from what is committed."""
    _install_generator(session)
    session.run("python", "scripts/generate.py")
    changes = session.run("git", "status", "--porcelain", "--", "generated/", external=True, silent=True)
    if changes:
        session.error(
            "generated/ does not match the spec; run `nox -s generate` and commit the result:\n"
            + str(changes)
        )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on hand-written code (generated/ is excluded in pyproject.toml)."""
    session.install(RUFF)
    session.run("ruff", "check", *HAND_WRITTEN)
    session.run("ruff", "format", "--check", *HAND_WRITTEN)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on both packages, the tests and the scripts."""
    session.install(
        "-e",
        ".[test]",
        MYPY,
        "types-python-dateutil",
        "types-PyYAML",
        "types-jsonschema",
        "celery-types",
        "nox",
        SPEC_VALIDATOR,
    )
    session.run(
        "mypy", "generated/hubspot_email_api", "overlay/hubspot_email", "tests", "scripts", "noxfile.py"
    )


@nox.session
def tests(session: nox.Session) -> None:
    """The pytest suite: spec, generated models, overlay (respx), simulator, contract (short fuzz), demo."""
    session.install("-e", ".[test]")
    # The Redis-backed limiter is tested against a real redis-server (Debian's, installed if missing).
    session.run("python", "scripts/redis_server.py", "--install")
    # The built wheel in fresh venvs, with and without the testing extra: users' own pytest runs must
    # load our plugin whatever they installed (pip reaches the package index here, as CI's does).
    session.env.setdefault("HUBSPOT_EMAIL_WHEEL_TESTS", os.environ.get("HUBSPOT_EMAIL_WHEEL_TESTS", "1"))
    session.run("pytest", *session.posargs)


@nox.session
def reliability(session: nox.Session) -> None:
    """The reliability suite at full size (issue 14): faults, crash recovery, workers; prints its figures.

    The default suite runs the same tests at a short size.
    """
    session.install("-e", ".[test]")
    session.run("python", "scripts/redis_server.py", "--install")
    session.env["HUBSPOT_EMAIL_RELIABILITY"] = "full"
    session.run("pytest", "tests/reliability", *session.posargs)


@nox.session
def contract(session: nox.Session) -> None:
    """The long fuzz: 1,000+ cases per operation and mode, schemathesis's coverage phase included."""
    session.install("-e", ".[test]")
    session.env["HUBSPOT_EMAIL_FUZZ_EXAMPLES"] = os.environ.get("HUBSPOT_EMAIL_FUZZ_EXAMPLES", "1000")
    session.env["HUBSPOT_EMAIL_FUZZ_COVERAGE"] = "1"
    session.run("pytest", "tests/contract", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: the hubspot-email command line against the simulator on loopback, exactly once."""
    session.install("-e", ".[testing,cli]")
    session.run("python", "scripts/demo.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark ours against plain httpx, the generated functions and HubSpot's two SDKs (not default).

    On a loopback stub: per call, import and construct, async sends. Writes bench-results.json and
    prints the Markdown table (posargs go to scripts/bench.py, e.g. -- --quick).
    """
    session.install("-e", ".[testing]", *HUBSPOT_SDKS)
    session.run("python", "scripts/bench.py", *session.posargs)
