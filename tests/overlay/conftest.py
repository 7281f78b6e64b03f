"""A real redis-server on 127.0.0.1 for the tests of the Redis-backed rate limiter (one per session)."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_redis_server() -> ModuleType:
    """scripts/redis_server.py, imported by path (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("redis_server", ROOT / "scripts" / "redis_server.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("redis_server", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    redis_server = load_redis_server()
    # CI installs Debian's redis-server when it is missing; elsewhere only when asked.
    install = bool(os.environ.get("CI")) or os.environ.get("HUBSPOT_EMAIL_INSTALL_REDIS") == "1"
    try:
        with redis_server.RedisServer(install=install) as server:
            yield server.url
    except redis_server.RedisUnavailableError as error:
        pytest.fail(f"a real redis-server is required for this test and could not be started: {error}")
