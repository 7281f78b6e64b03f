"""The helpers of `_spec_schemas.py` (the strict variant, JSON pointers) and of `_spec_requests.py`
(operation matching, request and response checks)."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:  # mypy resolves the helpers by their paths; pytest puts this folder on sys.path
    from tests.contract._spec_requests import body_errors, match_operation, request_errors, response_errors
    from tests.contract._spec_schemas import json_pointer, load_spec, open_enum_ref, strict_variant
else:
    from _spec_requests import body_errors, match_operation, request_errors, response_errors
    from _spec_schemas import json_pointer, load_spec, open_enum_ref, strict_variant

REF = {"$ref": "#/components/schemas/SendResult"}
STRING = {"type": "string"}

STRICT_VARIANT_CASES: list[tuple[str, Any, Any]] = [
    ("open enum", {"anyOf": [REF, STRING]}, REF),
    ("open enum, string first", {"anyOf": [STRING, REF]}, REF),
    (
        "other keywords are kept",
        {"description": "The result.", "anyOf": [REF, STRING]},
        {"description": "The result.", **REF},
    ),
    (
        "nested in properties and items",
        {"type": "array", "items": {"properties": {"a": {"anyOf": [REF, STRING]}}}},
        {"type": "array", "items": {"properties": {"a": REF}}},
    ),
    ("inside a list of schemas", {"allOf": [{"anyOf": [REF, STRING]}]}, {"allOf": [REF]}),
    (
        "nested in objects and lists",
        {"properties": {"a": {"items": [{"anyOf": [REF, STRING]}]}}},
        {"properties": {"a": {"items": [REF]}}},
    ),
    ("a string with a format", {"anyOf": [REF, {"type": "string", "format": "uuid"}]}, None),
    ("a constrained string", {"anyOf": [REF, {"type": "string", "minLength": 1}]}, None),
    ("two refs", {"anyOf": [REF, {"$ref": "#/components/schemas/Other"}]}, None),
    ("three alternatives", {"anyOf": [REF, STRING, {"type": "null"}]}, None),
    ("an object or a string", {"anyOf": [{"type": "object"}, STRING]}, None),
    ("a ref with siblings", {"anyOf": [{**REF, "description": "x"}, STRING]}, None),
    ("oneOf is not anyOf", {"oneOf": [REF, STRING]}, None),
    ("anyOf not a list", {"anyOf": "not a list"}, None),
    ("not a schema", [1, "anyOf", None], None),
]


@pytest.mark.parametrize(
    ("node", "expected"),
    [(node, expected) for _, node, expected in STRICT_VARIANT_CASES],
    ids=[name for name, _, _ in STRICT_VARIANT_CASES],
)
def test_strict_variant(node: Any, expected: Any) -> None:
    """None as `expected`: the node comes back unchanged. The input is never changed."""
    before = copy.deepcopy(node)
    assert strict_variant(node) == (before if expected is None else expected)
    assert node == before


def test_strict_variant_of_the_spec_closes_every_open_enum_and_nothing_else() -> None:
    spec = load_spec()
    strict = strict_variant(spec)

    def open_enums(node: Any) -> int:
        if isinstance(node, list):
            return sum(open_enums(item) for item in node)
        if not isinstance(node, dict):
            return 0
        return int(open_enum_ref(node.get("anyOf")) is not None) + sum(map(open_enums, node.values()))

    assert open_enums(spec) > 0
    assert open_enums(strict) == 0
    # ErrorDetail.context (an object or a string) is not an enum: it stays open.
    assert "anyOf" in strict["components"]["schemas"]["ErrorDetail"]["properties"]["context"]
    assert strict["components"]["schemas"]["AssociationSpec"]["properties"]["associationCategory"] == {
        "$ref": "#/components/schemas/AssociationCategory"
    }


def test_json_pointer_escapes_slashes_and_tildes() -> None:
    assert json_pointer("paths", "/a/{b}", "post") == "/paths/~1a~1{b}/post"
    assert json_pointer("x~y", 0) == "/x~0y/0"


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/marketing/v4/email/single-send", ("sendSingleEmail", {})),
        ("post", "/email/public/v1/singleEmail/send?x=1", ("sendLegacySingleEmail", {})),
        ("POST", "/crm/v3/objects/emails/batch/create", ("batchCreateEmails", {})),
        (
            "POST",
            "/marketing/v3/marketing-events/58%2F2/attendance/attend/email-create",
            ("recordAttendanceByEmail", {"objectId": "58/2", "subscriberState": "attend"}),
        ),
        ("GET", "/marketing/v4/email/single-send", None),
        ("POST", "/marketing/v4/email/single-send/", None),
        ("POST", "/marketing/v3/marketing-events/attendance/attend/email-create", None),
    ],
)
def test_match_operation(method: str, path: str, expected: tuple[str, dict[str, str]] | None) -> None:
    matched = match_operation(method, path)
    assert (None if matched is None else (matched[0].operation_id, matched[1])) == expected


BASE_URL = "https://api.test.example/base"
ATTENDANCE_PATH = "/marketing/v3/marketing-events/58237132332/attendance/attend/email-create"
ATTENDANCE_BODY = {
    "inputs": [
        {"email": "ada@example.com", "interactionDateTime": 1, "properties": {}, "contactProperties": {}}
    ]
}
ASSOCIATED_EMAIL: dict[str, Any] = {
    "properties": {"hs_timestamp": "1"},
    "associations": [{"to": {"id": "1"}, "types": [{"associationCategory": "WORK", "associationTypeId": 1}]}],
}


def _request(
    path: str = ATTENDANCE_PATH,
    body: object = ATTENDANCE_BODY,
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
) -> httpx.Request:
    sent_headers = {"Authorization": "Bearer pat-1", "Content-Type": "application/json"}
    sent_headers.update(headers or {})
    return httpx.Request(
        method,
        BASE_URL + path,
        headers={name: value for name, value in sent_headers.items() if value},
        content=json.dumps(body).encode() if content is None else content,
    )


REQUEST_CASES: list[tuple[str, httpx.Request, list[str]]] = [
    ("conforms", _request(), []),
    ("another path", _request("/marketing/v3/attendance/attend/email-create"), ["no operation of the spec"]),
    ("another method", _request(method="PUT"), ["no operation of the spec"]),
    (
        "an unknown state",
        _request(ATTENDANCE_PATH.replace("attend/", "attended/")),
        ["path parameter 'subscriberState'", "path parameter 'subscriberState'"],
    ),
    ("no token", _request(headers={"Authorization": ""}), ["Authorization: Bearer"]),
    ("basic auth", _request(headers={"Authorization": "Basic dTpw"}), ["Authorization: Bearer"]),
    ("form content", _request(headers={"Content-Type": "text/plain"}), ["content type"]),
    ("not JSON", _request(content=b"{"), ["not UTF-8 JSON"]),
    ("no body", _request(content=b""), ["body is required"]),
    (
        "a string for an integer",
        _request(body={"inputs": [{**ATTENDANCE_BODY["inputs"][0], "interactionDateTime": "1"}]}),
        ["(spec,", "(strict spec,"],
    ),
    (
        "an int64 overflow",
        _request(body={"inputs": [{**ATTENDANCE_BODY["inputs"][0], "interactionDateTime": 2**63}]}),
        ["is not a 'int64' (spec,", "is not a 'int64' (strict spec,"],
    ),
    (
        "a known association category",
        _request("/crm/v3/objects/emails/batch/create", {"inputs": [ASSOCIATED_EMAIL]}),
        [],
    ),
    (
        "an association category the spec does not know (strict only)",
        _request(
            "/crm/v3/objects/emails/batch/create",
            {
                "inputs": [
                    {
                        **ASSOCIATED_EMAIL,
                        "associations": [
                            {
                                "to": {"id": "1"},
                                "types": [{"associationCategory": "NEW", "associationTypeId": 1}],
                            }
                        ],
                    }
                ]
            },
        ),
        ["'NEW' is not one of"],
    ),
]


@pytest.mark.parametrize(
    ("request_", "expected"),
    [(request, expected) for _, request, expected in REQUEST_CASES],
    ids=[name for name, _, _ in REQUEST_CASES],
)
def test_request_errors(request_: httpx.Request, expected: list[str]) -> None:
    """One error per expected fragment, each containing it, in order."""
    errors = request_errors(request_, base_url=BASE_URL)
    assert len(errors) == len(expected), errors
    for error, fragment in zip(errors, expected, strict=True):
        assert fragment in error


def test_request_errors_outside_the_base_url() -> None:
    request = httpx.Request("POST", "https://api.test.example" + ATTENDANCE_PATH)
    assert request_errors(request, base_url=BASE_URL) == [
        f"path {ATTENDANCE_PATH!r} is not below the base URL {BASE_URL!r}"
    ]


def test_body_errors_lenient_and_strict() -> None:
    body = {
        "inputs": [
            {
                **ASSOCIATED_EMAIL,
                "associations": [
                    {"to": {"id": "1"}, "types": [{"associationCategory": "NEW", "associationTypeId": 1}]}
                ],
            }
        ]
    }
    assert body_errors("batchCreateEmails", body, strict=False) == []
    assert len(body_errors("batchCreateEmails", body, strict=True)) == 1


def test_response_errors() -> None:
    assert response_errors("sendLegacySingleEmail", 200, {"sendResult": "SOMETHING_NEW"}) == []
    assert response_errors("sendLegacySingleEmail", 200, {"sendResult": "SOMETHING_NEW"}, strict=True)
    # A shared response of components: 201 of the batch create is a $ref.
    assert response_errors("batchCreateEmails", 201, {"status": "COMPLETE"})
