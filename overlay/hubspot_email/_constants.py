"""Defaults, kept in one place."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "https://api.hubapi.com"
BASE_URL_ENV_VAR = "HUBSPOT_BASE_URL"
# "debug" or "info": the package's logger (and at debug httpx's) write to stderr, as OPENAI_LOG does.
LOG_ENV_VAR = "HUBSPOT_LOG"
TOKEN_ENV_VAR = "HUBSPOT_ACCESS_TOKEN"  # noqa: S105 (the variable's name, not a secret)
# A short connect timeout fails fast on an unreachable host; reads wait longer for a busy HubSpot.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# Retries after the first attempt (each retry is bounded by the rules in _retry).
DEFAULT_MAX_RETRIES = 2
# Batch chunks in flight at once in the async client.
DEFAULT_MAX_CONCURRENCY = 4
# The share of HubSpot's announced rate budget a client spends (see _ratelimit.DEFAULT_HEADROOM).
DEFAULT_RATE_HEADROOM = 0.9
# HubSpot resets the daily request limit at midnight in the account's time zone.
DEFAULT_ACCOUNT_TIME_ZONE = "UTC"
# `Client(api_version=LEGACY_API)`, the default: the numbered paths, as before HubSpot dated its API;
# also the spec's x-hubspot-api-family name for them.
LEGACY_API = "legacy"
# Inputs per batch request: HubSpot's most for batch create and attendance.
DEFAULT_CHUNK_SIZE = 100
# wait_for_send: how long to wait in all, and the first wait between polls (seconds).
DEFAULT_WAIT_TIMEOUT = 60.0
DEFAULT_POLL_INTERVAL = 1.0
