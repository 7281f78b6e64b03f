"""The spec as JSON Schema validators, lenient (as written) and strict (enums closed).

The spec writes every enum of a response as `anyOf: [{$ref: TheEnum}, {type: string}]` so that values
HubSpot adds later still parse. `strict_variant` closes them again (`{$ref: TheEnum}`), so that a
recording can be checked for exactly the values the spec knows.

Validators resolve the spec's `#/components/...` references with `referencing`: the whole spec is one
Draft 2020-12 resource, and each validator starts from a `$ref` into it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "hubspot-email.yaml"
SPEC_URI = "urn:hubspot-email:openapi"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def strict_variant(node: Any) -> Any:
    """A copy of `node` in which every `anyOf: [{$ref: X}, {type: string}]` becomes `$ref: X`.

    The other keys of that schema (a description) are kept. Any other `anyOf` is left alone, and
    `node` itself is not changed.
    """
    if isinstance(node, list):
        return [strict_variant(item) for item in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    result = {key: strict_variant(value) for key, value in node.items()}
    branches = node.get("anyOf")
    if isinstance(branches, list) and len(branches) == 2:
        refs = [b for b in branches if isinstance(b, dict) and set(b) == {"$ref"}]
        strings = [b for b in branches if b == {"type": "string"}]
        if len(refs) == 1 and len(strings) == 1:
            del result["anyOf"]
            result["$ref"] = refs[0]["$ref"]
    return result


@cache
def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    assert isinstance(spec, dict)
    return spec


@cache
def strict_spec() -> dict[str, Any]:
    strict = strict_variant(load_spec())
    assert isinstance(strict, dict)
    return strict


def pointer(*parts: str) -> str:
    """A JSON pointer (RFC 6901) from unescaped parts."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def resolve_pointer(document: Any, json_pointer: str) -> Any:
    node = document
    for raw in json_pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


@dataclass(frozen=True)
class DocumentedResponse:
    """One response object of an operation, with the pointer it lives at (a response `$ref` followed)."""

    pointer: str
    definition: dict[str, Any]

    @property
    def media_types(self) -> list[str]:
        return list(self.definition.get("content", {}))


@dataclass(frozen=True)
class SpecOperation:
    operation_id: str
    path: str
    method: str
    definition: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def pointer(self) -> str:
        return pointer("paths", self.path, self.method)

    @property
    def path_pattern(self) -> re.Pattern[str]:
        """The path template as a regex; each `{name}` captures one non-empty segment."""
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(pattern)

    def responses(self) -> dict[str, DocumentedResponse]:
        """Status code (or `default`) -> its response object."""
        found = {}
        for status, response in self.definition["responses"].items():
            target = pointer("paths", self.path, self.method, "responses", str(status))
            if "$ref" in response:
                target = response["$ref"].removeprefix("#")
            found[str(status)] = DocumentedResponse(target, resolve_pointer(load_spec(), target))
        return found


@cache
def operations() -> dict[str, SpecOperation]:
    """The spec's operations by operationId."""
    found = {}
    for path, item in load_spec()["paths"].items():
        for method, definition in item.items():
            if method in HTTP_METHODS:
                found[definition["operationId"]] = SpecOperation(
                    definition["operationId"], path, method, definition, item
                )
    return found


def _validator(spec: dict[str, Any], json_pointer: str) -> Draft202012Validator:
    resource: Resource[Any] = DRAFT202012.create_resource(spec)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{json_pointer}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@cache
def _validator_at(strict: bool, json_pointer: str) -> Draft202012Validator:
    return _validator(strict_spec() if strict else load_spec(), json_pointer)


def documented_response(operation_id: str, status: int) -> DocumentedResponse:
    """The response object documented for `status` (falling back on `default`)."""
    responses = operations()[operation_id].responses()
    found = responses.get(str(status), responses.get("default"))
    assert found is not None, f"{operation_id}: status {status} is not documented"
    return found


def response_validator(
    operation_id: str, status: int, *, strict: bool, media_type: str = "application/json"
) -> Draft202012Validator:
    """A validator for the body of `status` in `media_type`, lenient or strict."""
    response = documented_response(operation_id, status)
    assert media_type in response.media_types, f"{operation_id} {status}: no {media_type} body"
    return _validator_at(strict, response.pointer + pointer("content", media_type, "schema"))


def request_body_validator(operation_id: str, *, strict: bool) -> Draft202012Validator:
    operation = operations()[operation_id]
    body = pointer("requestBody", "content", "application/json", "schema")
    return _validator_at(strict, operation.pointer + body)


def path_parameter_validators(operation_id: str, *, strict: bool) -> dict[str, Draft202012Validator]:
    """One validator per path parameter (operation-level and path-level parameters)."""
    operation = operations()[operation_id]
    validators = {}
    for owner, parameters in (
        (pointer("paths", operation.path), operation.path_item.get("parameters", [])),
        (operation.pointer, operation.definition.get("parameters", [])),
    ):
        for index, parameter in enumerate(parameters):
            if parameter["in"] == "path":
                validators[parameter["name"]] = _validator_at(
                    strict, f"{owner}{pointer('parameters', str(index), 'schema')}"
                )
    return validators
