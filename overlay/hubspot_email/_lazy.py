"""Modules imported on first use, so that `import hubspot_email` and `Client(...)` stay cheap.

The request path needs the generated package (its models, attrs, dateutil: about 70 ms to import) only
when a first request is built; serverless users pay import time on every cold start.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Deferred"]


class Deferred:
    """Stands in a module's namespace for the module `name` until an attribute is first read: then it
    imports `name` and puts it in its own place under `alias`, so later reads are plain global look-ups.

    Importing is thread-safe (the import system's per-module locks); two threads that both get here
    first import the module once and both store the same object.
    """

    __slots__ = ("_alias", "_name", "_namespace")

    def __init__(self, namespace: dict[str, Any], alias: str, name: str) -> None:
        self._namespace = namespace
        self._alias = alias
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        module = importlib.import_module(self._name)
        self._namespace[self._alias] = module
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"
