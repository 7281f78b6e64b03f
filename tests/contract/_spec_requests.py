"""Check an HTTP request against `openapi/hubspot-email.yaml`: path, method, headers and JSON body.

Plain functions, shared by the contract tests, built on `_spec_schemas.py` (which reads the spec and
builds its validators): a body schema is checked exactly as written, with JSON Schema Draft 2020-12.

Two variants of the spec are used:

- the spec as written (`strict=False`), where every enum that appears in a response is open,
  `anyOf: [{$ref: TheEnum}, {type: string}]`, so that values HubSpot adds later still parse;
- the strict variant (`strict=True`, `_spec_schemas.strict_variant()`), where each such `anyOf` is
  replaced by its `$ref`: a request the client builds must only ever carry values it knows.

OpenAPI's `int32`/`int64` formats are checked as ranges (jsonschema knows neither); no other format
is asserted.

At run time the tests import this file as `from _spec_requests import ...` (pytest puts this folder on
`sys.path`); under `TYPE_CHECKING` as `tests.contract._spec_requests`, the name mypy gives it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import unquote

import httpx

if TYPE_CHECKING:  # mypy resolves the helper by its path; pytest puts this folder on sys.path
    from tests.contract._spec_schemas import (
        JSON_MEDIA_TYPE,
        SpecOperation,
        documented_response,
        load_spec,
        operations,
        schema_validator,
    )
else:
    from _spec_schemas import (
        JSON_MEDIA_TYPE,
        SpecOperation,
        documented_response,
        load_spec,
        operations,
        schema_validator,
    )

__all__ = ["body_errors", "match_operation", "request_errors", "response_errors"]


def _errors(pointer: str, value: object, *, strict: bool, what: str) -> list[str]:
    variant = "strict spec" if strict else "spec"
    validator = schema_validator(pointer, strict=strict, standard_formats=False)
    return [
        f"{what} at {error.json_path}: {error.message} ({variant}, schema {pointer})"
        for error in sorted(validator.iter_errors(value), key=lambda e: e.json_path)
    ]


# ------------------------------------------------------------------------------------ the operations
def match_operation(method: str, raw_path: str) -> tuple[SpecOperation, dict[str, str]] | None:
    """The operation whose method and path template match, with its (percent-decoded) path arguments."""
    path = raw_path.split("?", 1)[0]
    for operation in operations().values():
        if operation.method != method.lower():
            continue
        found = operation.path_pattern.fullmatch(path)
        if found:
            return operation, {name: unquote(value) for name, value in found.groupdict().items()}
    return None


def _bearer_scheme_names() -> set[str]:
    schemes = load_spec().get("components", {}).get("securitySchemes", {})
    return {
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer"
    }


# ------------------------------------------------------------------------------------------- checks
def body_errors(operation_id: str, body: object, *, strict: bool) -> list[str]:
    """What is wrong with `body` as the JSON request body of `operation_id`."""
    pointer = operations()[operation_id].request_body_schema_pointer()
    return _errors(pointer, body, strict=strict, what="body")


def response_errors(operation_id: str, status: int, body: object, *, strict: bool = False) -> list[str]:
    """What is wrong with `body` as the JSON response of `operation_id` with this status."""
    pointer = documented_response(operation_id, status).schema_pointer()
    return _errors(pointer, body, strict=strict, what="response")


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
    for name, pointer in operation.path_parameters.items():
        for strict in (False, True):
            errors += _errors(pointer, arguments.get(name), strict=strict, what=f"path parameter {name!r}")

    security = operation.definition.get("security", load_spec().get("security", []))
    if any(set(requirement) & _bearer_scheme_names() for requirement in security):
        authorization = request.headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            errors.append(f"expected an 'Authorization: Bearer <token>' header, got {authorization!r}")

    request_body = operation.request_body
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
