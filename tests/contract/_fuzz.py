"""The hypothesis settings every contract fuzz test shares: how many examples, and no deadline.

`HUBSPOT_EMAIL_FUZZ_EXAMPLES` sets the number of examples per test: 60 when unset (the default suite,
which must stay quick on a 2-core machine), 1000 under `nox -s contract`. At run time the tests import
this file as `from _fuzz import fuzz_settings` (pytest puts this folder on `sys.path`); under
`TYPE_CHECKING` as `tests.contract._fuzz`, the name mypy gives it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["DEFAULT_EXAMPLES", "EXAMPLES_ENV_VAR", "PROFILE", "fuzz_examples", "fuzz_settings"]

EXAMPLES_ENV_VAR = "HUBSPOT_EMAIL_FUZZ_EXAMPLES"
DEFAULT_EXAMPLES = 60
PROFILE = "hubspot-email-contract"


def fuzz_examples() -> int:
    """The number of examples per test, from the environment; a clear error for a bad value."""
    raw = os.environ.get(EXAMPLES_ENV_VAR, "").strip()
    if not raw:
        return DEFAULT_EXAMPLES
    try:
        examples = int(raw)
    except ValueError:
        raise ValueError(f"{EXAMPLES_ENV_VAR} must be a positive integer, not {raw!r}") from None
    if examples < 1:
        raise ValueError(f"{EXAMPLES_ENV_VAR} must be a positive integer, not {raw!r}")
    return examples


def fuzz_settings() -> settings:
    """The contract tests' profile (registered as `PROFILE`), for use as a decorator: `@fuzz_settings()`.

    No deadline: the first example of a test pays for building validators and a client, and a busy CI
    machine must not turn that into a failure. `too_slow` is suppressed for the same reason (batches of
    up to 250 inputs are large by design). Examples are random, not derandomized, so that every run
    explores new inputs; a failure prints the `@reproduce_failure` line to replay it.
    """
    settings.register_profile(
        PROFILE,
        max_examples=fuzz_examples(),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=False,
    )
    return settings.get_profile(PROFILE)
