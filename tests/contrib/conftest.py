"""A real redis-server on 127.0.0.1 for the Celery tasks' tests (their budget and markers live in Redis)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # mypy resolves the helper by its path; pytest puts the tests folder on sys.path
    from tests._scripts import SCRIPTS, load_module
else:
    from _scripts import SCRIPTS, load_module


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    redis_server = load_module("contrib_redis_server", SCRIPTS / "redis_server.py")
    install = bool(os.environ.get("CI")) or os.environ.get("HUBSPOT_EMAIL_INSTALL_REDIS") == "1"
    try:
        with redis_server.RedisServer(install=install) as server:
            yield server.url
    except redis_server.RedisUnavailableError as error:
        pytest.fail(f"a real redis-server is required for this test and could not be started: {error}")
