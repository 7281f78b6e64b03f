"""The spec as JSON Schema validators, lenient (as written) and strict (enums closed).

The one place the contract tests read `openapi/hubspot-email.yaml` (with `yaml.safe_load`, the single
source of truth) and build validators from it; `_spec_requests.py` checks whole HTTP requests with them.

The spec writes every enum of a response as `anyOf: [{$ref: TheEnum}, {type: string}]` so that values
HubSpot adds later still parse. `strict_variant` closes them again (`{$ref: TheEnum}`), so that a
recording can be checked for exactly the values the spec knows, and a request the client builds for
only ever carrying values it knows.

Validators resolve the spec's `#/components/...` references with `referencing`: the whole spec (or its
strict variant) is one Draft 2020-12 resource, and each validator starts from a `$ref` into it.
OpenAPI's `int32`/`int64` formats are always checked, as ranges (jsonschema knows neither); the formats
jsonschema checks itself (`date-time`, `uuid`, ...) only when a caller asks for them.

At run time the tests import this file as `from _spec_schemas import ...` (pytest puts this folder on
`sys.path`); under `TYPE_CHECKING` as `tests.contract._spec_schemas`, the name mypy gives it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "hubspot-email.yaml"
SPEC_URI = "urn:hubspot-email:openapi"
STRICT_SPEC_URI = "urn:hubspot-email:openapi:strict"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
JSON_MEDIA_TYPE = "application/json"

INT32_RANGE = (-(2**31), 2**31 - 1)
INT64_RANGE = (-(2**63), 2**63 - 1)


# ------------------------------------------------------------------------------------------ the spec
@cache
def load_spec() -> dict[str, Any]:
    """The spec, parsed once and shared: never change it (`copy.deepcopy` it first)."""
    with SPEC_PATH.open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    if not isinstance(spec, dict):
        raise TypeError(f"{SPEC_PATH} is not a YAML mapping")
    return spec


def open_enum_ref(alternatives: object) -> str | None:
    """X when `alternatives` is exactly `[{$ref: X}, {type: string}]` (in either order), else None."""
    if not isinstance(alternatives, list) or len(alternatives) != 2:
        return None
    refs = [
        item["$ref"]
        for item in alternatives
        if isinstance(item, dict) and set(item) == {"$ref"} and isinstance(item["$ref"], str)
    ]
    strings = [item for item in alternatives if item == {"type": "string"}]
    if len(refs) == 1 and len(strings) == 1:
        return str(refs[0])
    return None


def strict_variant(node: Any) -> Any:
    """A copy of `node` (a spec, a schema, any JSON value) with every open enum closed.

    Each `anyOf: [{$ref: X}, {type: string}]` becomes `$ref: X`; the object's other keywords (a
    description, say) are kept. Any other `anyOf` is left as it is. `node` itself is not changed.
    """
    if isinstance(node, list):
        return [strict_variant(item) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {key: strict_variant(value) for key, value in node.items()}
    ref = open_enum_ref(node.get("anyOf"))
    if ref is not None:
        if "$ref" in node:
            raise ValueError(f"cannot close an open enum beside an existing $ref: {node!r}")
        del copied["anyOf"]
        copied["$ref"] = ref
    return copied


@cache
def strict_spec() -> dict[str, Any]:
    """The strict variant of the spec, built once and shared: never change it."""
    strict = strict_variant(load_spec())
    assert isinstance(strict, dict)
    return strict


def json_pointer(*tokens: str | int) -> str:
    """The JSON pointer (RFC 6901) made of `tokens`, e.g. ("paths", "/a/b") -> "/paths/~1a~1b"."""
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in tokens)


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The node of `document` at the JSON pointer `pointer`."""
    node = document
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def followed(pointer: str) -> tuple[str, dict[str, Any]]:
    """The node at `pointer` in the spec and where it is, a `$ref` there followed (to the request bodies,
    responses and parameters an operation shares through components)."""
    node = resolve_pointer(load_spec(), pointer)
    while isinstance(node, dict) and "$ref" in node:
        pointer = str(node["$ref"]).removeprefix("#")
        node = resolve_pointer(load_spec(), pointer)
    return pointer, node


# ------------------------------------------------------------------------------------ the validators
@cache
def _registry(strict: bool) -> Registry[Any]:
    resource: Resource[Any] = DRAFT202012.create_resource(strict_spec() if strict else load_spec())
    registry: Registry[Any] = Registry().with_resource(STRICT_SPEC_URI if strict else SPEC_URI, resource)
    return registry


def _in_range(low: int, high: int) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return True  # a format applies only to the type it is defined for
        return low <= value <= high

    return check


@cache
def format_checker(*, standard_formats: bool) -> FormatChecker:
    """`int32` and `int64` as ranges; with `standard_formats`, also every format Draft 2020-12's own
    checker asserts (`date-time`, `uuid`, `email`, ...: those whose libraries are installed)."""
    checker = FormatChecker(formats=())
    if standard_formats:
        for name, (check, raises) in Draft202012Validator.FORMAT_CHECKER.checkers.items():
            checker.checks(name, raises)(check)
    checker.checks("int32")(_in_range(*INT32_RANGE))
    checker.checks("int64")(_in_range(*INT64_RANGE))
    return checker


@cache
def schema_validator(pointer: str, *, strict: bool, standard_formats: bool = True) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the spec (`strict`: in its strict variant)."""
    uri = STRICT_SPEC_URI if strict else SPEC_URI
    return Draft202012Validator(
        {"$ref": f"{uri}#{pointer}"},
        registry=_registry(strict),
        format_checker=format_checker(standard_formats=standard_formats),
    )


# ------------------------------------------------------------------------------------ the operations
@dataclass(frozen=True)
class DocumentedResponse:
    """One response object of an operation, with the pointer it lives at (a response `$ref` followed)."""

    pointer: str
    definition: dict[str, Any]

    @property
    def media_types(self) -> list[str]:
        return list(self.definition.get("content", {}))

    def schema_pointer(self, media_type: str = JSON_MEDIA_TYPE) -> str:
        return self.pointer + json_pointer("content", media_type, "schema")


@dataclass(frozen=True)
class SpecOperation:
    """One operation of the spec: its path template, method (lower case, as the spec writes it) and
    objects, and where its parts are (JSON pointers into the document)."""

    operation_id: str
    path: str
    method: str
    definition: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def pointer(self) -> str:
        return json_pointer("paths", self.path, self.method)

    @property
    def path_pattern(self) -> re.Pattern[str]:
        """The path template as a regex (for `fullmatch`); each `{name}` captures one non-empty segment.

        What a segment may hold is checked against its parameter's schema.
        """
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(pattern)

    @property
    def path_parameters(self) -> dict[str, str]:
        """Path parameter name -> the pointer to its schema (path-level parameters, then the
        operation's own, which take the place of a path-level one of the same name)."""
        found = {}
        for owner, parameters in (
            (json_pointer("paths", self.path), self.path_item.get("parameters", [])),
            (self.pointer, self.definition.get("parameters", [])),
        ):
            for index in range(len(parameters)):
                where, parameter = followed(owner + json_pointer("parameters", index))
                if parameter.get("in") == "path":
                    found[parameter["name"]] = where + json_pointer("schema")
        return found

    @property
    def request_body(self) -> dict[str, Any] | None:
        """The request body object (a shared one in components followed), or None when there is none."""
        if "requestBody" not in self.definition:
            return None
        return followed(self.pointer + json_pointer("requestBody"))[1]

    def request_body_schema_pointer(self, media_type: str = JSON_MEDIA_TYPE) -> str:
        where, _ = followed(self.pointer + json_pointer("requestBody"))
        return where + json_pointer("content", media_type, "schema")

    def responses(self) -> dict[str, DocumentedResponse]:
        """Status code (or `default`) -> its response object (a shared one in components followed)."""
        found = {}
        for status in self.definition["responses"]:
            where, response = followed(self.pointer + json_pointer("responses", str(status)))
            found[str(status)] = DocumentedResponse(where, response)
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


def documented_response(operation_id: str, status: int) -> DocumentedResponse:
    """The response object documented for `status` (falling back on `default`)."""
    responses = operations()[operation_id].responses()
    found = responses.get(str(status), responses.get("default"))
    assert found is not None, f"{operation_id}: status {status} is not documented"
    return found


def response_validator(
    operation_id: str, status: int, *, strict: bool, media_type: str = JSON_MEDIA_TYPE
) -> Draft202012Validator:
    """A validator for the body of `status` in `media_type`, lenient or strict."""
    response = documented_response(operation_id, status)
    assert media_type in response.media_types, f"{operation_id} {status}: no {media_type} body"
    return schema_validator(response.schema_pointer(media_type), strict=strict)


def request_body_validator(operation_id: str, *, strict: bool) -> Draft202012Validator:
    return schema_validator(operations()[operation_id].request_body_schema_pointer(), strict=strict)


def path_parameter_validators(operation_id: str, *, strict: bool) -> dict[str, Draft202012Validator]:
    """One validator per path parameter (operation-level and path-level parameters)."""
    return {
        name: schema_validator(pointer, strict=strict)
        for name, pointer in operations()[operation_id].path_parameters.items()
    }
