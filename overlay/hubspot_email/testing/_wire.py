"""A request and an answer as the simulator's core sees them, whatever carried them (httpx or ASGI)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._decisions import Fault


@dataclass(frozen=True)
class SimRequest:
    method: str
    path: str
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
