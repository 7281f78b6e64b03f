"""Operation facts, read once from the spec embedded in the generated package (`openapi.json`).

The spec is the one place where each fact is written: its method, which 2xx statuses an operation
documents, where its idempotency key sits (`x-hubspot-idempotency-key`), whether HubSpot counts it
against the rate limit (`x-hubspot-rate-limited`), its scopes (`x-hubspot-scopes`), which family of
paths it belongs to and its counterpart in the other (`x-hubspot-api-family`: a numbered, "legacy"
operation names its dated successor in `x-hubspot-dated-successor`, null when it has none; a dated one
its numbered twin in `x-hubspot-legacy-twin`), what a date-based API version looks like (the
`ApiVersion` parameter), and which engagement properties take closed lists of values
(`x-hubspot-property-enums`). The client and the simulator derive their tables from here. Read lazily,
on first use, so that importing the package parses no JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ._constants import LEGACY_API

__all__ = [
    "LEGACY_FAMILY",
    "ApiVersionFacts",
    "OperationFacts",
    "api_version_facts",
    "engagement_property_enums",
    "operation_facts",
]

SPEC_RESOURCE = "openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LEGACY_FAMILY = LEGACY_API  # HubSpot's name for the numbered paths (v1, v3, v4)
DATED_FAMILY = "dated"
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
    api_family: str  # LEGACY_FAMILY (a numbered path) or DATED_FAMILY (a date-versioned one)
    # A numbered operation's date-versioned successor (None: it has none, as the v1 send and the
    # send-status lookup); None on a dated operation.
    dated_successor: str | None = None
    # A dated operation's numbered twin; None on a numbered operation.
    legacy_twin: str | None = None

    @property
    def idempotent(self) -> bool:
        """Safe to repeat: a safe method (a GET), or a request that carries its idempotency key. Any
        other request that may have reached HubSpot is never repeated."""
        return self.method in SAFE_METHODS or self.idempotency_key is not None


@dataclass(frozen=True)
class ApiVersionFacts:
    """The date-based API versions: those the spec names, and the form every version has (a later one
    too: HubSpot releases one each March and September, and a client must not need an upgrade for it)."""

    known: tuple[str, ...]
    pattern: str
    max_length: int | None

    def accepts(self, version: str) -> bool:
        if self.max_length is not None and len(version) > self.max_length:
            return False
        return version in self.known or re.fullmatch(self.pattern, version) is not None


@cache
def embedded_spec() -> dict[str, Any]:
    text = resources.files("hubspot_email_api").joinpath(SPEC_RESOURCE).read_text(encoding="utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


# The extensions each operation must carry, by family: a missing one is an error of the spec, not a
# default (a new operation must say whether it is idempotent, rate limited, and what its counterpart is).
REQUIRED_EXTENSIONS = ("x-hubspot-idempotency-key", "x-hubspot-rate-limited", "x-hubspot-scopes")
LINK_EXTENSIONS = {LEGACY_FAMILY: "x-hubspot-dated-successor", DATED_FAMILY: "x-hubspot-legacy-twin"}


@cache
def operation_facts() -> dict[str, OperationFacts]:
    """Every operation of the spec by operationId. Missing extensions are errors of the spec, not
    defaults; so is a link between a numbered and a dated operation that does not point back."""
    facts: dict[str, OperationFacts] = {}
    for path, item in embedded_spec()["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operation_id = operation["operationId"]
            family = operation.get("x-hubspot-api-family")
            if family not in LINK_EXTENSIONS:
                raise LookupError(
                    f"the spec's {operation_id} has no x-hubspot-api-family of {set(LINK_EXTENSIONS)}"
                )
            link = LINK_EXTENSIONS[family]
            missing = [name for name in (*REQUIRED_EXTENSIONS, link) if name not in operation]
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
                api_family=family,
                dated_successor=operation.get("x-hubspot-dated-successor"),
                legacy_twin=operation.get("x-hubspot-legacy-twin"),
            )
    _check_links(facts)
    return facts


def _check_links(facts: dict[str, OperationFacts]) -> None:
    """Each successor is a dated operation naming its twin back, and each twin a numbered one naming it."""
    for operation_id, fact in facts.items():
        other = fact.dated_successor or fact.legacy_twin
        if other is None:
            continue
        counterpart = facts.get(other)
        back = None if counterpart is None else (counterpart.legacy_twin or counterpart.dated_successor)
        if counterpart is None or counterpart.api_family == fact.api_family or back != operation_id:
            raise LookupError(f"the spec's {operation_id} and {other} do not name each other")


@cache
def api_version_facts() -> ApiVersionFacts:
    """The `version` path parameter of the dated operations: `anyOf: [{$ref: the known versions' enum},
    {type: string, pattern: ...}]`, as the spec writes an open enum."""
    spec = embedded_spec()
    schema = _followed(spec, spec["components"]["parameters"]["ApiVersion"]["schema"])
    known: tuple[str, ...] = ()
    pattern: str | None = None
    max_length: int | None = None
    for branch in schema["anyOf"]:
        branch = _followed(spec, branch)
        if "enum" in branch:
            known = tuple(branch["enum"])
        elif "pattern" in branch:
            pattern, max_length = branch["pattern"], branch.get("maxLength")
    if not known or pattern is None:
        raise LookupError("the spec's ApiVersion parameter names no known versions or no pattern")
    return ApiVersionFacts(known=known, pattern=pattern, max_length=max_length)


def _followed(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node`, or the component its `$ref` names."""
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].removeprefix("#/components/schemas/")]
    return node


@cache
def engagement_property_enums() -> dict[str, frozenset[str]]:
    """The email engagement properties whose values are closed lists, with each list's values."""
    schemas = embedded_spec()["components"]["schemas"]
    named = schemas["EmailCreateInput"]["properties"]["properties"]["x-hubspot-property-enums"]
    return {prop: frozenset(schemas[enum]["enum"]) for prop, enum in named.items()}
