"""A request and an answer as the simulator's core sees them, whatever carried them (httpx or ASGI)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from ._decisions import Fault


@dataclass(frozen=True)
class SimRequest:
    method: str
    path: str  # the raw path as sent: percent-encoded, without the query string
    headers: Mapping[str, str]  # lower-case names
    content: bytes


@dataclass(frozen=True)
class SimAnswer:
    """What to answer, and how: `fault` tells an adapter to drop the connection or hold the answer."""

    status: int
    headers: dict[str, str]
    content: bytes
    fault: Fault | None = None
    delay: float = 0.0


class Handler(Protocol):
    """What a carrier hands requests to: the `Simulator` (or anything answering as it does)."""

    def handle(self, request: SimRequest) -> SimAnswer: ...
