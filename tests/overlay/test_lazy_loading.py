"""What `import hubspot_email` and `Client(...)` cost: only what a first call needs is loaded then.

Serverless users pay import time on every cold start (issue 13): the generated package (attrs, dateutil
and its models), email-validator, `limits` and asyncio are imported by the first call that needs them,
and the httpx client (whose SSL context loads the CA bundle) is opened by the first request.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import Any

import httpx
import hubspot_email
import pytest
from hubspot_email import AsyncClient, Client, RateLimiter
from hubspot_email._lazy import Deferred
from hubspot_email._ratelimit import parse_time_zone

TOKEN = "pat-na1-lazy-loading"
SEND: dict[str, Any] = {"email_id": 1, "to": "ada@example.com", "send_id": "s-1"}
SENT = {"status": "COMPLETE", "sendResult": "SENT", "statusId": "x", "requestedAt": "2026-11-14T10:59:14Z"}

# Loaded by the first call, never by import and construction.
DEFERRED_PACKAGES = ("hubspot_email_api", "email_validator", "limits", "attr", "attrs", "dateutil", "asyncio")


def _modules_after(code: str) -> list[str]:
    """The top-level packages of DEFERRED_PACKAGES imported by running `code` in a fresh interpreter."""
    loaded = "{name.partition('.')[0] for name in sys.modules}"
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted({loaded} & set({DEFERRED_PACKAGES!r}))))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    packages: list[str] = json.loads(done.stdout)
    return packages


@pytest.mark.parametrize(
    "code",
    [
        "import hubspot_email",
        "from hubspot_email import Client\nClient('t-1', base_url='https://api.hubapi.com').send_email",
        "from hubspot_email import AsyncClient\nAsyncClient('t-1').send_email",
        "from hubspot_email import RateLimiter\nRateLimiter(100, 10.0, time_zone='UTC')",
    ],
    ids=["import", "sync client", "async client", "rate limiter"],
)
def test_import_and_construct_load_none_of_what_a_call_needs(code: str) -> None:
    assert _modules_after(code) == []


def _first_send(to: str) -> str:
    return (
        "import httpx\nfrom hubspot_email import Client\n"
        "answer = httpx.Response(200, json={'status': 'COMPLETE', 'sendResult': 'SENT', 'statusId': 'x'})\n"
        "transport = httpx.MockTransport(lambda request: answer)\n"
        f"Client('t-1', transport=transport).send_email(email_id=1, to={to!r}, send_id='s')"
    )


def test_a_first_call_loads_the_generated_package_but_a_plain_address_needs_no_email_validator() -> None:
    loaded = set(_modules_after(_first_send("ada@example.com")))
    assert loaded >= {"hubspot_email_api", "attr"}
    assert "email_validator" not in loaded


def test_an_address_off_the_fast_path_loads_email_validator() -> None:
    assert "email_validator" in _modules_after(_first_send("ada@bücher.example"))


def test_a_redis_storage_still_loads_limits_for_its_connection() -> None:
    assert "limits" in _modules_after(
        "from hubspot_email import RateLimiter\n"
        "try:\n    RateLimiter(storage='redis://127.0.0.1:1/0')\nexcept Exception:\n    pass"
    )


def test_an_in_memory_limiter_starts_no_thread() -> None:
    before = threading.active_count()
    limiters = [RateLimiter() for _ in range(20)]
    assert threading.active_count() == before
    assert all(limiter.try_acquire() is None for limiter in limiters)


def test_the_default_time_zone_is_utc_without_the_tz_database() -> None:
    from datetime import UTC
    from zoneinfo import ZoneInfo

    assert parse_time_zone("UTC") is UTC
    assert parse_time_zone("Europe/Berlin") == ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("BatchResult", "hubspot_email._batch"),
        ("ChunkReport", "hubspot_email._batch"),
        ("Outcome", "hubspot_email._batch"),
        ("OutcomeState", "hubspot_email._batch"),
        ("attendee", "hubspot_email._engagements"),
        ("email_engagement", "hubspot_email._engagements"),
        ("SendStatus", "hubspot_email._results"),
        ("SingleSendResult", "hubspot_email._results"),
    ],
)
def test_lazy_exports_are_the_modules_own_objects(name: str, module: str) -> None:
    assert getattr(hubspot_email, name) is getattr(sys.modules[module], name)
    assert name in dir(hubspot_email)
    assert name in hubspot_email.__all__


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nonexistent'"):
        hubspot_email.Nonexistent  # noqa: B018


def test_star_import_gives_every_public_name() -> None:
    namespace: dict[str, Any] = {}
    exec("from hubspot_email import *", namespace)  # noqa: S102 (a fixed statement)
    assert set(hubspot_email.__all__) <= set(namespace)


def test_a_deferred_module_takes_its_placeholders_place_on_first_use() -> None:
    namespace: dict[str, Any] = {}
    namespace["spec_facts"] = Deferred(namespace, "spec_facts", "hubspot_email._spec_facts")
    assert "imported on first use" in repr(namespace["spec_facts"])
    assert namespace["spec_facts"].LEGACY_FAMILY == "legacy"
    assert namespace["spec_facts"] is sys.modules["hubspot_email._spec_facts"]


def _sent(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=SENT)


def test_the_http_client_is_opened_by_the_first_request_and_shared_with_clones() -> None:
    opened: list[httpx.Client] = []

    class Counting(httpx.Client):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            opened.append(self)

    client = Client(TOKEN)
    client._connections._open_client = lambda: Counting(transport=httpx.MockTransport(_sent))
    clone = client.with_options(max_retries=0)
    assert opened == []
    assert clone.send_email(**SEND).ok
    assert client.send_email(**SEND).ok
    assert len(opened) == 1
    client.close()
    assert opened[0].is_closed


def test_threads_making_their_first_calls_together_open_one_http_client() -> None:
    opened: list[httpx.Client] = []
    gate = threading.Barrier(8)

    def open_client() -> httpx.Client:
        opened.append(httpx.Client(transport=httpx.MockTransport(_sent)))
        return opened[-1]

    client = Client(TOKEN)
    client._connections._open_client = open_client
    results: list[bool] = []

    def first_call() -> None:
        gate.wait()
        results.append(client.send_email(**SEND).ok)

    threads = [threading.Thread(target=first_call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 8
    assert len(opened) == 1
    client.close()


def test_a_client_closed_before_any_request_refuses_to_send_as_httpx_would() -> None:
    client = Client(TOKEN, transport=httpx.MockTransport(_sent))
    client.close()
    with pytest.raises(RuntimeError, match="client has been closed"):
        client.send_email(**SEND)
    assert client._connections._client is None  # closing opened nothing


def test_closing_a_given_http_client_is_left_to_its_owner() -> None:
    given = httpx.Client(transport=httpx.MockTransport(_sent))
    with Client(TOKEN, http_client=given) as client:
        assert client.send_email(**SEND).ok
    assert not given.is_closed
    given.close()


def test_the_async_client_opens_its_http_client_on_the_first_request() -> None:
    import asyncio

    async def run() -> tuple[bool, bool, bool]:
        client = AsyncClient(TOKEN, transport=httpx.MockTransport(_sent))
        unopened = client._connections._client is None
        result = await client.send_email(**SEND)
        opened = client._connections._client
        await client.aclose()
        return unopened, result.ok, opened is not None and opened.is_closed

    assert asyncio.run(run()) == (True, True, True)
