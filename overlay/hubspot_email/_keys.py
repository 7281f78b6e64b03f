"""Keys derived from a caller's own key: the same on every retry, resume or redelivery."""

from __future__ import annotations

import hashlib

__all__ = ["derived_key"]


def derived_key(*parts: object) -> str:
    """ "hse-" and 32 hex digits of the SHA-256 of `parts` joined by NUL: a sendId or objectWriteTraceId
    that a rerun of the same work derives again. The bytes hashed must never change: journals and
    Celery tasks already out hold keys made this way, and a different key would send again."""
    text = "\0".join(str(part) for part in parts)
    return "hse-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
