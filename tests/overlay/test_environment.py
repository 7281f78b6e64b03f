"""The environment variables generated SDKs honour: the base URL and the log level."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from hubspot_email import Client, InvalidInputError
from hubspot_email._logs import setup_logging


def _sent_to(client_options: dict[str, Any]) -> str:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"sendResult": "SENT"})

    with Client("pat-x", transport=httpx.MockTransport(answer), **client_options) as client:
        client.send_legacy_email(email_id=1, to="ada@example.com")
    return seen[0]


@pytest.mark.parametrize(
    ("environment", "options", "expected"),
    [
        pytest.param(None, {}, "https://api.hubapi.com/", id="default"),
        pytest.param("https://eu1.api.example", {}, "https://eu1.api.example/", id="from-the-environment"),
        pytest.param("https://eu1.api.example", {"base_url": "https://mine.example"}, "https://mine.example/",
                     id="the-argument-wins"),
        pytest.param("", {}, "https://api.hubapi.com/", id="empty-means-unset"),
    ],
)  # fmt: skip
def test_hubspot_base_url(
    monkeypatch: pytest.MonkeyPatch, environment: str | None, options: dict[str, str], expected: str
) -> None:
    if environment is None:
        monkeypatch.delenv("HUBSPOT_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("HUBSPOT_BASE_URL", environment)
    assert _sent_to(options).startswith(expected)


def test_a_base_url_from_the_environment_is_checked_like_an_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_BASE_URL", "http://api.example.com")
    with pytest.raises(InvalidInputError, match="tls_terminating_proxy"):
        Client("pat-x")


@pytest.mark.parametrize(
    ("value", "level", "httpx_too"),
    [("debug", logging.DEBUG, True), ("INFO", logging.INFO, False), ("", None, False), ("loud", None, False)],
)
def test_hubspot_log(value: str, level: int | None, httpx_too: bool) -> None:
    ours, theirs = logging.getLogger("hubspot_email"), logging.getLogger("httpx")
    saved = [(logger, logger.level, list(logger.handlers)) for logger in (ours, theirs)]
    try:
        for logger in (ours, theirs):
            logger.setLevel(logging.NOTSET)
            logger.handlers = []
        assert setup_logging({"HUBSPOT_LOG": value}) == level
        assert setup_logging({"HUBSPOT_LOG": value}) == level  # twice: still one handler
        assert len(ours.handlers) == (0 if level is None else 1)
        assert ours.level == (level or logging.NOTSET)
        assert (theirs.level == logging.DEBUG) is httpx_too
        assert len(theirs.handlers) == (1 if httpx_too else 0)
    finally:
        for logger, old_level, old_handlers in saved:
            logger.setLevel(old_level)
            logger.handlers = old_handlers
