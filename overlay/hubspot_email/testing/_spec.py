"""The simulator's view of the spec: which operation a request is, and what is wrong with its body.

The spec is the one the client was generated from, shipped inside the generated package as
`openapi.json` (written by `nox -s generate`), so the simulator and the client can never disagree.
Everything here is a plain function of its inputs; the simulator calls them per request.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import unquote

try:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as missing:
    raise ImportError(
        "hubspot_email.testing needs the 'testing' extra: pip install 'hubspot-email[testing]'"
    ) from missing

SPEC_URI = "urn:hubspot-email:openapi"


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class OperationSpec:
    operation_id: str
    method: str  # upper case
    path_template: str
    path_pattern: re.Pattern[str]
    scopes: tuple[str, ...]  # any one of them is enough
    rate_limited: bool
    body_validator: Draft202012Validator | None  # None: the operation takes no body (a GET)
    parameter_validators: tuple[tuple[str, Draft202012Validator], ...]


@dataclass(frozen=True)
class FieldError:
    """One problem with a request: the field it is about (dotted, with [i] for list items) and why."""

    field: str
    code: str
    message: str


@cache
def load_spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        files("hubspot_email_api").joinpath("openapi.json").read_text(encoding="utf-8")
    )
    return document


# HubSpot's servers are Java: an int32 or int64 field refuses a number outside its range. JSON Schema
# has no such bound, so the formats carry it (the only formats checked: no others occur in requests).
INTEGER_FORMATS = FormatChecker(formats=())


@INTEGER_FORMATS.checks("int32")
def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@INTEGER_FORMATS.checks("int64")
def _is_int64(value: object) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def _validator(schema: dict[str, Any], registry: Registry[Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, registry=registry, format_checker=INTEGER_FORMATS)


def _path_pattern(template: str) -> re.Pattern[str]:
    # Path parameters match one segment of the raw path (so `a%2Fb` is one segment); what a segment may
    # hold is checked by its schema afterwards, once percent-decoded.
    regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{regex}$")


def closed_request_enums(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of `spec` in which each open enum (`anyOf: [<enum $ref>, {type: string}]`) is closed.

    The spec leaves such enums open so that answers carrying values HubSpot adds later still parse;
    HubSpot itself refuses a request with a value outside the enum (e.g. an unknown
    associationCategory is a 400), so the simulator validates requests against the closed form.
    """
    closed = copy.deepcopy(spec)
    schemas = closed.get("components", {}).get("schemas", {})

    def close(node: Any) -> None:
        if isinstance(node, dict):
            options = node.get("anyOf")
            if isinstance(options, list) and len(options) == 2 and {"type": "string"} in options:
                (other,) = [option for option in options if option != {"type": "string"}]
                reference = other.get("$ref", "") if isinstance(other, dict) else ""
                target = schemas.get(reference.removeprefix("#/components/schemas/"), {})
                if reference.startswith("#/components/schemas/") and "enum" in target:
                    del node["anyOf"]
                    node["$ref"] = reference
            for value in list(node.values()):
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(closed)
    return closed


@cache
def operations() -> tuple[OperationSpec, ...]:
    spec = closed_request_enums(load_spec())
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, DRAFT202012))
    found: list[OperationSpec] = []
    for template, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                found.append(_operation(spec, template, method, operation, registry))
    return tuple(found)


def _followed(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node`, or what its `$ref` points to: request bodies and parameters may live in components."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _operation(
    spec: dict[str, Any], template: str, method: str, operation: dict[str, Any], registry: Registry[Any]
) -> OperationSpec:
    # A GET has no request body; a body may be a $ref to components.
    request_body = operation.get("requestBody")
    body = None if request_body is None else _followed(spec, request_body)
    body_ref = None if body is None else body["content"]["application/json"]["schema"]["$ref"]
    parameters = tuple(
        (
            parameter["name"],
            _validator({"$ref": f"{SPEC_URI}{_fragment(parameter['schema'])}"}, registry)
            if "$ref" in parameter["schema"]
            else _validator(parameter["schema"], registry),
        )
        for parameter in (_followed(spec, item) for item in operation.get("parameters", []))
        if parameter["in"] == "path"
    )
    return OperationSpec(
        operation_id=operation["operationId"],
        method=method.upper(),
        path_template=template,
        path_pattern=_path_pattern(template),
        scopes=tuple(operation.get("x-hubspot-scopes", [])),
        rate_limited=operation.get("x-hubspot-rate-limited", True),
        body_validator=None if body_ref is None else _validator({"$ref": f"{SPEC_URI}{body_ref}"}, registry),
        parameter_validators=parameters,
    )


def _fragment(schema: dict[str, Any]) -> str:
    return str(schema["$ref"])


def match_path(raw_path: str) -> list[tuple[OperationSpec, dict[str, str]]]:
    """Every operation (any method) whose path template matches `raw_path`, with its path parameters.

    Routes match the raw, percent-encoded path; each parameter is then percent-decoded, so an event
    id `a/b` sent as `a%2Fb` reaches its operation as `a/b`.
    """
    found: list[tuple[OperationSpec, dict[str, str]]] = []
    for operation in operations():
        matched = operation.path_pattern.match(raw_path)
        if matched:
            parameters = {name: unquote(value) for name, value in matched.groupdict().items()}
            found.append((operation, parameters))
    return found


def field_name(location: list[str | int]) -> str:
    """`["message", "cc", 0]` -> `message.cc[0]`: the spelling HubSpot's `errors[].in` uses."""
    name = ""
    for part in location:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else part
    return name


def _field_error(error: ValidationError) -> FieldError:
    location: list[str | int] = list(error.absolute_path)
    if error.validator == "required":
        # jsonschema reports a missing property at its parent; name the property itself.
        missing = re.match(r"'([^']+)' is a required property", error.message)
        if missing:
            location.append(missing.group(1))
        return FieldError(field_name(location) or "body", "REQUIRED", f"{field_name(location)} is required")
    code = "INVALID_TYPE" if error.validator == "type" else "INVALID_VALUE"
    return FieldError(field_name(location) or "body", code, error.message)


def body_errors(operation: OperationSpec, body: Any) -> list[FieldError]:
    """Every way `body` breaks the operation's request schema, the shallowest first."""
    if operation.body_validator is None:
        return []
    errors = sorted(
        operation.body_validator.iter_errors(body),
        key=lambda error: (len(error.absolute_path), error.message),
    )
    return [_field_error(error) for error in errors]


def parameter_errors(operation: OperationSpec, parameters: dict[str, str]) -> list[FieldError]:
    problems: list[FieldError] = []
    for name, validator in operation.parameter_validators:
        for error in validator.iter_errors(parameters.get(name)):
            problems.append(FieldError(name, "INVALID_VALUE", f"{name}: {error.message}"))
    return problems
