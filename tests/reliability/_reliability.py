"""The reliability tests' scale: short in the default suite, full under `nox -s reliability`."""

from __future__ import annotations

import os

RELIABILITY_ENV_VAR = "HUBSPOT_EMAIL_RELIABILITY"
FULL = os.environ.get(RELIABILITY_ENV_VAR, "") == "full"


def scaled(short: int, full: int) -> int:
    """`full` under `nox -s reliability` (HUBSPOT_EMAIL_RELIABILITY=full), else `short`."""
    return full if FULL else short
