"""`--redis URL`: the rate budget shared through Redis; a clear error when the redis package is missing or
Redis cannot be reached, before anything is sent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import redis
from hubspot_email.testing import Simulator

if TYPE_CHECKING:  # mypy resolves the helpers by their path; pytest puts tests/ on sys.path
    from tests._cli import cli_env, read_results, run_cli, write_csv
    from tests._scripts import SCRIPTS, load_module
else:
    from _cli import cli_env, read_results, run_cli, write_csv
    from _scripts import SCRIPTS, load_module

HEADER = ["timestamp", "subject"]


def _source(folder: Path, count: int = 3) -> Path:
    return write_csv(folder / "emails.csv", HEADER, [["2026-03-01T10:00:00Z", f"S{i}"] for i in range(count)])


def test_a_missing_redis_package_is_named_and_nothing_is_sent(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker" / "redis"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('No module named redis', name='redis')\n")
    source = _source(tmp_path)
    sim = Simulator()
    with sim.serve() as url:
        path = f"{blocker.parent}:{cli_env(url)['PYTHONPATH']}"
        result = run_cli(
            ["--redis", "redis://127.0.0.1:6379/0", "log-emails", str(source)], url, PYTHONPATH=path
        )
    assert result.returncode == 2, result.stderr
    assert "--redis needs the 'redis' extra" in result.stderr
    assert "pip install 'hubspot-email[redis]'" in result.stderr
    assert sim.exchanges == []
    assert not (tmp_path / "emails.csv.journal.sqlite").exists()


def test_an_unreachable_redis_is_a_clear_error_without_the_password(tmp_path: Path) -> None:
    source = _source(tmp_path)
    sim = Simulator()
    with sim.serve() as url:
        result = run_cli(["--redis", "redis://user:hunter2@127.0.0.1:1/0", "log-emails", str(source)], url)
        bad = run_cli(["--redis", "memcached://127.0.0.1:1", "log-emails", str(source)], url)
    assert result.returncode == 2, result.stderr
    assert "cannot reach Redis" in result.stderr
    assert "redis://user:***@127.0.0.1:1/0" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout
    assert bad.returncode == 2
    assert "--redis" in bad.stderr
    assert sim.exchanges == []


def test_a_reachable_redis_carries_the_budget(tmp_path: Path) -> None:
    redis_server = load_module("cli_redis_server", SCRIPTS / "redis_server.py")
    source = _source(tmp_path, 20)
    sim = Simulator()
    with redis_server.RedisServer() as server, sim.serve() as url:
        result = run_cli(["--redis", server.url, "log-emails", str(source), "--chunk-size", "5"], url)
        connection = redis.Redis.from_url(server.url)
        try:
            found: Any = connection.keys("*")  # redis-py types a sync answer as "Awaitable or not"
            keys = [key.decode() if isinstance(key, bytes) else key for key in found]
        finally:
            connection.close()
    assert result.returncode == 0, result.stderr
    assert len(sim.emails) == 20
    assert any(key.startswith("hubspot-email") for key in keys), keys  # the window lives in Redis
    assert {row["outcome"] for row in read_results(tmp_path / "emails.csv.results.csv")} == {"created"}
