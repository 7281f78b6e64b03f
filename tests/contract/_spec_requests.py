"""Check an HTTP request against `openapi/hubspot-email.yaml`: path, method, headers and JSON body.

Plain functions, shared by the contract tests. The spec is read from the YAML file itself (the single
source of truth), and every `$ref` resolves through a `referencing` registry holding the whole
document, so a body schema is checked exactly as written, with JSON Schema Draft 2020-12.

Two variants of the spec are used:

- the spec as written (`strict=False`), where every enum that appears in a response is open,
  `anyOf: [{$ref: TheEnum}, {type: string}]`, so that values HubSpot adds later still parse;
- the strict variant (`strict=True`, `strict_variant()`), where each such `anyOf` is replaced by its
  `$ref`: a request the client builds must only ever carry values it knows.

OpenAPI's `int32`/`int64` formats are checked as ranges (jsonschema knows neither); no other format
is asserted.

At run time the tests import this file as `from _spec_requests import ...` (pytest puts this folder on
`sys.path`); under `TYPE_CHECKING` as `tests.contract._spec_requests`, the name mypy gives it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = [
    "SPEC_PATH",
    "SpecOperation",
    "body_errors",
    "json_pointer",
    "load_spec",
    "match_operation",
    "open_enum_ref",
    "request_errors",
    "response_errors",
    "spec_operations",
    "strict_variant",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi" / "hubspot-email.yaml"
SPEC_URI = "urn:hubspot-email:openapi"
STRICT_SPEC_URI = "urn:hubspot-email:openapi:strict"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_MEDIA_TYPE = "application/json"

INT32_RANGE = (-(2**31), 2**31 - 1)
INT64_RANGE = (-(2**63), 2**63 - 1)


# ------------------------------------------------------------------------------------------ the spec
@cache
def _document() -> dict[str, Any]:
    """The spec, parsed once; shared, so never changed (`load_spec()` hands out copies)."""
    document = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise TypeError(f"{SPEC_PATH} is not a YAML mapping")
    return document


def load_spec() -> dict[str, Any]:
    """A copy of the spec document, parsed with `yaml.safe_load` (callers may change it)."""
    return copy.deepcopy(_document())


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


def json_pointer(*tokens: str | int) -> str:
    """The JSON pointer (RFC 6901) made of `tokens`, e.g. ("paths", "/a/b") -> "/paths/~1a~1b"."""
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in tokens)


@cache
def _registry(strict: bool) -> Registry[Any]:
    document = strict_variant(_document()) if strict else _document()
    uri = STRICT_SPEC_URI if strict else SPEC_URI
    resource: Resource[Any] = DRAFT202012.create_resource(document)
    registry: Registry[Any] = Registry().with_resource(uri, resource)
    return registry


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    def in_range(low: int, high: int) -> Any:
        def check(value: object) -> bool:
            if not isinstance(value, int) or isinstance(value, bool):
                return True  # a format applies only to the type it is defined for
            return low <= value <= high

        return check

    checker.checks("int32")(in_range(*INT32_RANGE))
    checker.checks("int64")(in_range(*INT64_RANGE))
    return checker


@cache
def _validator(pointer: str, strict: bool) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the spec (or its strict variant)."""
    uri = STRICT_SPEC_URI if strict else SPEC_URI
    return Draft202012Validator(
        {"$ref": f"{uri}#{pointer}"}, registry=_registry(strict), format_checker=_format_checker()
    )


def _errors(pointer: str, value: object, *, strict: bool, what: str) -> list[str]:
    variant = "strict spec" if strict else "spec"
    return [
        f"{what} at {error.json_path}: {error.message} ({variant}, schema {pointer})"
        for error in sorted(_validator(pointer, strict).iter_errors(value), key=lambda e: e.json_path)
    ]


# ------------------------------------------------------------------------------------ the operations
@dataclass(frozen=True)
class SpecOperation:
    """One operation of the spec, and where its parts are (JSON pointers into the document)."""

    operation_id: str
    method: str  # upper case, as on the wire
    path_template: str
    pointer: str  # the operation object
    path_parameters: tuple[tuple[str, str], ...]  # (name, pointer to its schema)

    def path_pattern(self) -> re.Pattern[str]:
        return _path_pattern(self.path_template)


@cache
def _path_pattern(template: str) -> re.Pattern[str]:
    # A path parameter is one segment; what it may hold is checked against its schema.
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{regex}$")


@cache
def spec_operations() -> tuple[SpecOperation, ...]:
    spec = _document()
    operations: list[SpecOperation] = []
    for template, path_item in spec["paths"].items():
        for method in HTTP_METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            parameters: list[tuple[str, str]] = []
            for owner_pointer, owner in (
                (json_pointer("paths", template), path_item),
                (json_pointer("paths", template, method), operation),
            ):
                for index, parameter in enumerate(owner.get("parameters", [])):
                    if parameter.get("in") == "path":
                        parameters.append(
                            (
                                parameter["name"],
                                f"{owner_pointer}{json_pointer('parameters', index, 'schema')}",
                            )
                        )
            operations.append(
                SpecOperation(
                    operation_id=operation["operationId"],
                    method=method.upper(),
                    path_template=template,
                    pointer=json_pointer("paths", template, method),
                    path_parameters=tuple(parameters),
                )
            )
    return tuple(operations)


def match_operation(method: str, raw_path: str) -> tuple[SpecOperation, dict[str, str]] | None:
    """The operation whose method and path template match, with its (percent-decoded) path arguments."""
    path = raw_path.split("?", 1)[0]
    for operation in spec_operations():
        if operation.method != method.upper():
            continue
        found = operation.path_pattern().match(path)
        if found:
            return operation, {name: unquote(value) for name, value in found.groupdict().items()}
    return None


def _resolve(document: Mapping[str, Any], pointer: str) -> Any:
    node: Any = document
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _bearer_scheme_names() -> set[str]:
    schemes = _document().get("components", {}).get("securitySchemes", {})
    return {
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer"
    }


# ------------------------------------------------------------------------------------------- checks
def body_errors(operation_id: str, body: object, *, strict: bool) -> list[str]:
    """What is wrong with `body` as the JSON request body of `operation_id`."""
    operation = next(op for op in spec_operations() if op.operation_id == operation_id)
    pointer = operation.pointer + json_pointer("requestBody", "content", JSON_MEDIA_TYPE, "schema")
    return _errors(pointer, body, strict=strict, what="body")


def response_errors(operation_id: str, status: int, body: object, *, strict: bool = False) -> list[str]:
    """What is wrong with `body` as the JSON response of `operation_id` with this status."""
    operation = next(op for op in spec_operations() if op.operation_id == operation_id)
    pointer = operation.pointer + json_pointer("responses", str(status))
    response = _resolve(_document(), pointer)
    if "$ref" in response:  # a shared response in components
        pointer = str(response["$ref"]).removeprefix("#")
    return _errors(
        pointer + json_pointer("content", JSON_MEDIA_TYPE, "schema"), body, strict=strict, what="response"
    )


def request_errors(request: httpx.Request, *, base_url: str) -> list[str]:
    """Everything about `request` that the spec does not allow; an empty list when it conforms.

    The path (below `base_url`) must match an operation's template with that method; each path argument
    must validate against its parameter's schema; the request must carry `Authorization: Bearer <token>`
    (the spec's security scheme) and a media type the operation accepts; and the JSON body must
    validate against the operation's request body schema, both as written and in the strict variant
    (the strict variant implies the other: see below).
    """
    prefix = httpx.URL(base_url).raw_path.decode("ascii").rstrip("/")
    raw_path = request.url.raw_path.decode("ascii")
    if not raw_path.startswith(prefix + "/"):
        return [f"path {raw_path!r} is not below the base URL {base_url!r}"]
    matched = match_operation(request.method, raw_path.removeprefix(prefix))
    if matched is None:
        return [f"no operation of the spec is {request.method} {raw_path!r}"]
    operation, arguments = matched
    errors: list[str] = []
    for name, pointer in operation.path_parameters:
        for strict in (False, True):
            errors += _errors(pointer, arguments.get(name), strict=strict, what=f"path parameter {name!r}")

    spec = _document()
    security = _resolve(spec, operation.pointer).get("security", spec.get("security", []))
    if any(set(requirement) & _bearer_scheme_names() for requirement in security):
        authorization = request.headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            errors.append(f"expected an 'Authorization: Bearer <token>' header, got {authorization!r}")

    request_body = _resolve(spec, operation.pointer).get("requestBody")
    if request_body is None:
        if request.content:
            errors.append(f"{operation.operation_id} takes no body, got {len(request.content)} bytes")
        return errors
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in request_body["content"]:
        errors.append(f"content type {content_type!r} is not one of {sorted(request_body['content'])}")
    if media_type != JSON_MEDIA_TYPE:
        return errors
    if not request.content:
        if request_body.get("required", False):
            errors.append("the request body is required, and there is none")
        return errors
    try:
        body = json.loads(request.content.decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return [*errors, f"the body is not UTF-8 JSON: {error}"]
    # The strict variant first: a body it accepts, the spec as written accepts too (closing an enum
    # only narrows a schema), so the spec itself is consulted only to report what the body breaks there.
    # Validating a large batch is the slow part of the contract tests; this halves it.
    strict_errors = body_errors(operation.operation_id, body, strict=True)
    if strict_errors:
        errors += body_errors(operation.operation_id, body, strict=False) + strict_errors
    return errors
