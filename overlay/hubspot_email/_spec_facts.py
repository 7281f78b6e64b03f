"""Operation facts, read once from the spec embedded in the generated package (`openapi.json`).

The spec is the one place where each fact is written: its method, which 2xx statuses an operation
documents, where its idempotency key sits (`x-hubspot-idempotency-key`), whether HubSpot counts it
against the rate limit (`x-hubspot-rate-limited`), its scopes (`x-hubspot-scopes`), and which engagement
properties take closed lists of values (`x-hubspot-property-enums`). The client and the simulator derive
their tables from here. Read lazily, on first use, so that importing the package parses no JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["OperationFacts", "engagement_property_enums", "operation_facts"]

SPEC_RESOURCE = "openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Methods that change nothing on the server (RFC 9110, 9.2.1): repeating one can never act twice.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class OperationFacts:
    operation_id: str
    method: str
    path: str
    success_statuses: frozenset[int]
    # The dotted path of the idempotency key in the body (`message.sendId`), or None: no key.
    idempotency_key: str | None
    rate_limited: bool
    scopes: tuple[str, ...]

    @property
    def idempotent(self) -> bool:
        """Safe to repeat: a safe method (a GET), or a request that carries its idempotency key. Any
        other request that may have reached HubSpot is never repeated."""
        return self.method in SAFE_METHODS or self.idempotency_key is not None


@cache
def embedded_spec() -> dict[str, Any]:
    text = resources.files("hubspot_email_api").joinpath(SPEC_RESOURCE).read_text(encoding="utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


@cache
def operation_facts() -> dict[str, OperationFacts]:
    """Every operation of the spec by operationId. Missing extensions are errors of the spec, not
    defaults: a new operation must say whether it is idempotent and rate limited."""
    facts: dict[str, OperationFacts] = {}
    for path, item in embedded_spec()["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operation_id = operation["operationId"]
            missing = [
                name
                for name in ("x-hubspot-idempotency-key", "x-hubspot-rate-limited", "x-hubspot-scopes")
                if name not in operation
            ]
            if missing:
                raise LookupError(f"the spec's {operation_id} does not say {', '.join(missing)}")
            facts[operation_id] = OperationFacts(
                operation_id=operation_id,
                method=method.upper(),
                path=path,
                success_statuses=frozenset(
                    int(status) for status in operation["responses"] if status.isdigit() and status[0] == "2"
                ),
                idempotency_key=operation["x-hubspot-idempotency-key"],
                rate_limited=bool(operation["x-hubspot-rate-limited"]),
                scopes=tuple(operation["x-hubspot-scopes"]),
            )
    return facts


@cache
def engagement_property_enums() -> dict[str, frozenset[str]]:
    """The email engagement properties whose values are closed lists, with each list's values."""
    schemas = embedded_spec()["components"]["schemas"]
    named = schemas["EmailCreateInput"]["properties"]["properties"]["x-hubspot-property-enums"]
    return {prop: frozenset(schemas[enum]["enum"]) for prop, enum in named.items()}
