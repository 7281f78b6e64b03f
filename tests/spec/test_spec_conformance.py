"""The hand-written spec (`openapi/hubspot-email.yaml`) against its sources.

The sources are HubSpot's four reference pages (`shared/seeds/`) and the fact sheet
(`shared/reference/hubspot-email-api.md`). Expected values come from those documents: parsed from the
seed pages where they can be (read from `seed_facts.json`, the committed output of the parsers in
`_seeds.py`, which `test_seed_facts.py` checks against the pages), otherwise written out in the tables
below from reading them; none is taken from the spec or the generated client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

if TYPE_CHECKING:  # mypy resolves the helper by its path; pytest puts this folder on sys.path
    from tests.spec._seeds import (
        ATTENDANCE_BY_EMAIL,
        BATCH_CREATE_EMAILS,
        HTTP_METHODS,
        LEGACY_SINGLE_SEND,
        SEED_OPERATIONS,
        SPEC_PATH,
        V4_SINGLE_SEND,
        MediaExample,
        extract_json_objects,
        load_spec,
        media_examples,
        operation_examples,
        operations,
        ref_name,
        resolve,
        seed_attendance_statuses,
        seed_endpoint_urls,
        seed_examples,
        seed_fields,
        seed_legacy_field_bullets,
        seed_legacy_send_results,
        seed_path_parameters,
        seed_scopes,
        seed_status_codes,
        seed_v4_send_results,
        seed_v4_statuses,
    )
else:
    from _seeds import (
        ATTENDANCE_BY_EMAIL,
        BATCH_CREATE_EMAILS,
        HTTP_METHODS,
        LEGACY_SINGLE_SEND,
        SEED_OPERATIONS,
        SPEC_PATH,
        V4_SINGLE_SEND,
        MediaExample,
        extract_json_objects,
        load_spec,
        media_examples,
        operation_examples,
        operations,
        ref_name,
        resolve,
        seed_attendance_statuses,
        seed_endpoint_urls,
        seed_examples,
        seed_fields,
        seed_legacy_field_bullets,
        seed_legacy_send_results,
        seed_path_parameters,
        seed_scopes,
        seed_status_codes,
        seed_v4_send_results,
        seed_v4_statuses,
    )


Schema = Mapping[str, Any]

SPEC = load_spec()
SCHEMAS: Mapping[str, Schema] = SPEC["components"]["schemas"]
OPERATIONS = operations(SPEC)

JSON_SEEDS = [V4_SINGLE_SEND, BATCH_CREATE_EMAILS, ATTENDANCE_BY_EMAIL]

# Success codes: the seed pages (200 on each), fact-sheet sections 1-4 (201 and 207 on batch create) and
# section 9 (the send-status lookup returns an EmailSendStatusView).
SUCCESS_CODES: dict[str, list[str]] = {
    "sendSingleEmail": ["200"],
    "sendLegacySingleEmail": ["200"],
    "batchCreateEmails": ["200", "201", "207"],
    "recordAttendanceByEmail": ["200"],
    "getSendStatus": ["200"],
}
# Fact sheet section 8: the dated successors of three operations (the v1 send has none, nor has the
# send-status lookup of section 9), each with "the same request and response" as its numbered twin, at a
# path whose version is a path parameter.
DATED_OPERATION_TABLE: list[tuple[str, str, str, str]] = [
    ("sendSingleEmailDated", "sendSingleEmail", "post", "/marketing/email-campaigns/{version}/single-send"),
    ("batchCreateEmailsDated", "batchCreateEmails", "post", "/crm/objects/{version}/emails/batch/create"),
    (
        "recordAttendanceByEmailDated",
        "recordAttendanceByEmail",
        "post",
        "/marketing/marketing-events/{version}/{objectId}/attendance/{subscriberState}/email-create",
    ),
]
DATED_SUCCESSORS: dict[str, str | None] = {
    "sendSingleEmail": "sendSingleEmailDated",
    "sendLegacySingleEmail": None,
    "batchCreateEmails": "batchCreateEmailsDated",
    "recordAttendanceByEmail": "recordAttendanceByEmailDated",
    "getSendStatus": None,
}
KNOWN_VERSIONS = ["2026-03", "2026-09"]
SUCCESS_CODES.update({dated: SUCCESS_CODES[twin] for dated, twin, _, _ in DATED_OPERATION_TABLE})
# Fact-sheet section 5: HubSpot's error-handling page plus the codes seen in practice, and a default.
ERROR_STATUSES = (400, 401, 403, 404, 409, 423, 429, 477, 500, 502, 503, 504, 521, 522, 523)
ERROR_CODES = [str(status) for status in ERROR_STATUSES]

HUBSPOT_HOST = "https://api.hubapi.com"


def _seed_id(seed: object) -> str:
    """A readable test id for a seed page: `000-sendSingleEmail`."""
    return f"{str(seed)[:3]}-{SEED_OPERATIONS[str(seed)]}"


# ------------------------------------------------------------------------------------------ helpers
def request_schema(operation_id: str) -> Schema:
    _, _, operation = OPERATIONS[operation_id]
    body = resolve(SPEC, operation["requestBody"])
    schema: Schema = body["content"]["application/json"]["schema"]
    return schema


def response_schema(operation_id: str, code: str) -> Schema:
    _, _, operation = OPERATIONS[operation_id]
    response = resolve(SPEC, operation["responses"][code])
    schema: Schema = response["content"]["application/json"]["schema"]
    return schema


def side_schemas(operation_id: str, side: str) -> dict[str, Schema]:
    """The schemas of one side of an operation: its request body, or each success response."""
    if side == "request":
        return {"request": request_schema(operation_id)}
    return {code: response_schema(operation_id, code) for code in SUCCESS_CODES[operation_id]}


def branches(spec: Mapping[str, Any], node: Schema) -> list[Schema]:
    """The node (its $ref followed) and, recursively, every anyOf/oneOf/allOf branch of it."""
    node = resolve(spec, node)
    found = [node]
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(keyword, []):
            found += branches(spec, branch)
    return found


def missing_key_paths(spec: Mapping[str, Any], value: object, node: Schema, path: str = "$") -> list[str]:
    """The key paths of a JSON value that the schema does not describe.

    A key is described when a branch of the schema names it in `properties`, or when the branch is a
    map (`additionalProperties` is a schema): then any key is fine and its value is checked against
    that schema. Objects that merely leave `additionalProperties` unset describe no key.
    """
    if isinstance(value, dict):
        missing: list[str] = []
        for key, item in value.items():
            candidates: list[Schema] = []
            for branch in branches(spec, node):
                properties = branch.get("properties", {})
                additional = branch.get("additionalProperties")
                if key in properties:
                    candidates.append(properties[key])
                elif isinstance(additional, Mapping):
                    candidates.append(additional)
            missing += _best_fit(spec, item, candidates, f"{path}.{key}")
        return sorted(set(missing))
    if isinstance(value, list):
        item_schemas = [branch["items"] for branch in branches(spec, node) if "items" in branch]
        missing = []
        for item in value:
            missing += _best_fit(spec, item, item_schemas, f"{path}[]")
        return sorted(set(missing))
    return []


def _best_fit(spec: Mapping[str, Any], value: object, candidates: list[Schema], path: str) -> list[str]:
    if not candidates:
        return [path]
    return min((missing_key_paths(spec, value, candidate, path) for candidate in candidates), key=len)


def find_property(root: Schema, dotted: str) -> tuple[Schema, Schema] | None:
    """(the object schema that declares it, the property schema) for `a.b[].c`, or None."""
    node = root
    segments = dotted.split(".")
    for position, segment in enumerate(segments):
        name = segment.removesuffix("[]")
        parent = next((b for b in branches(SPEC, node) if name in b.get("properties", {})), None)
        if parent is None:
            return None
        prop: Schema = parent["properties"][name]
        if position == len(segments) - 1:
            return parent, prop
        node = prop
        if segment.endswith("[]"):
            items = [branch["items"] for branch in branches(SPEC, node) if "items" in branch]
            if not items:
                return None
            node = items[0]
    return None


def json_key_paths(value: object, prefix: str = "") -> set[str]:
    """The dotted key paths of a JSON value, `[]` marking list items: `inputs[].email`."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            if isinstance(item, list):
                for element in item:
                    paths |= json_key_paths(element, f"{path}[]")
            else:
                paths |= json_key_paths(item, path)
    return paths


def schema_validation_errors(schema: Schema, instance: object) -> list[str]:
    """JSON Schema (OAS 3.1 dialect) errors of an instance against a schema node of the spec."""
    root = {**schema, "components": SPEC["components"]}
    validator = OAS31Validator(root, format_checker=oas31_format_checker)
    return sorted(
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(instance)
    )


# ------------------------------------------------------------------------------------------ validity
def test_spec_is_a_valid_openapi_document() -> None:
    document, base_uri = read_from_filename(str(SPEC_PATH))
    validate(document, base_uri=base_uri)
    assert document["openapi"].startswith("3.1")


# ------------------------------------------------------------------------------------------ seed JSON
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'x {"a": {"b": 1}} y {"c": [{"d": 2}]}', [{"a": {"b": 1}}, {"c": [{"d": 2}]}], id="nested-once"
        ),
        pytest.param('--data \'{"a": 1}\n\'{"b": 2}', [{"a": 1}, {"b": 2}], id="glued-quote"),
        pytest.param("{{ contact.NAME }} /{objectId}/ {token}", [], id="template-tokens"),
        pytest.param('{"s": "{\\"x\\": 1}"} {"t": 2}', [{"s": '{"x": 1}'}, {"t": 2}], id="json-in-string"),
        pytest.param('{"broken": } {"ok": true}', [{"ok": True}], id="broken-then-valid"),
    ],
)
def test_extract_json_objects(text: str, expected: list[dict[str, Any]]) -> None:
    assert extract_json_objects(text) == expected


@pytest.mark.parametrize(
    ("seed", "count"),
    [
        pytest.param(V4_SINGLE_SEND, 2, id="000-v4"),
        pytest.param(LEGACY_SINGLE_SEND, 0, id="001-legacy-prose-only"),
        pytest.param(BATCH_CREATE_EMAILS, 2, id="002-batch"),
        pytest.param(ATTENDANCE_BY_EMAIL, 4, id="003-attendance"),
    ],
)
def test_seed_pages_yield_their_examples(seed: str, count: int) -> None:
    examples = seed_examples(seed)
    assert len(examples) == count
    if seed == ATTENDANCE_BY_EMAIL:  # the page repeats its request/response pair
        assert examples[0:2] == examples[2:4]


@pytest.mark.parametrize("seed", JSON_SEEDS, ids=_seed_id)
def test_seed_example_key_paths_exist_in_spec(seed: str) -> None:
    """Every key of every seed example is described by the matching schema, and only by that side's."""
    operation_id = SEED_OPERATIONS[seed]
    for position, example in enumerate(seed_examples(seed)):
        side, other = ("request", "response") if position % 2 == 0 else ("response", "request")
        for label, schema in side_schemas(operation_id, side).items():
            missing = missing_key_paths(SPEC, example, schema)
            assert missing == [], f"example {position} ({side}) has keys missing from {operation_id} {label}"
        # Position-based classification agrees with fit: the example does not fit the other side.
        for label, schema in side_schemas(operation_id, other).items():
            assert missing_key_paths(SPEC, example, schema) != [], f"example {position} also fits {label}"


@pytest.mark.parametrize(
    ("value", "schema", "missing"),
    [
        pytest.param(
            {"a": {"zzz": 1}}, {"properties": {"a": {"type": "object"}}}, ["$.a.zzz"], id="plain-object"
        ),
        pytest.param({"a": {"zzz": 1}}, {"properties": {"a": {"additionalProperties": {}}}}, [], id="map"),
        pytest.param([{"x": 1}, {"y": 2}], {"items": {"properties": {"x": {}}}}, ["$[].y"], id="items"),
        pytest.param(
            {"c": {"k": [1]}},
            {"properties": {"c": {"anyOf": [{"type": "string"}, {"additionalProperties": {"items": {}}}]}}},
            [],
            id="anyOf-branch",
        ),
        pytest.param(
            {"r": {"q": 1}},
            {"properties": {"r": {"$ref": "#/components/schemas/R"}}},
            ["$.r.q"],
            id="ref",
        ),
    ],
)
def test_missing_key_paths_detects_undescribed_keys(
    value: object, schema: Schema, missing: list[str]
) -> None:
    spec = {"components": {"schemas": {"R": {"type": "object", "properties": {"p": {}}}}}}
    assert missing_key_paths(spec, value, schema) == missing


def _seed_example_cases() -> list[Any]:
    cases = []
    for seed in JSON_SEEDS:
        for position, example in enumerate(seed_examples(seed)):
            side = "request" if position % 2 == 0 else "response"
            cases.append(pytest.param(seed, side, example, id=f"{seed[:3]}-{side}-{position // 2 + 1}"))
    return cases


@pytest.mark.parametrize(("seed", "side", "example"), _seed_example_cases())
def test_seed_example_validates_against_schema(seed: str, side: str, example: dict[str, Any]) -> None:
    """Types too, not only keys: each seed example is a valid instance of its schema (formats checked)."""
    for label, schema in side_schemas(SEED_OPERATIONS[seed], side).items():
        assert schema_validation_errors(schema, example) == [], label


@pytest.mark.parametrize("example", media_examples(SPEC), ids=lambda example: example.location)
def test_spec_example_validates_against_its_schema(example: MediaExample) -> None:
    assert schema_validation_errors(example.schema, example.value) == []


@pytest.mark.parametrize("seed", JSON_SEEDS, ids=_seed_id)
def test_spec_seed_examples_are_the_seed_pages_json(seed: str) -> None:
    """The spec's examples named `seed` ("The example on HubSpot's reference page") are that example."""
    operation_id = SEED_OPERATIONS[seed]
    request, response = seed_examples(seed)[:2]
    examples = {example.location: example.value for example in operation_examples(SPEC, operation_id)}
    assert examples[f"{operation_id}-request-seed"] == request
    operation = operations(SPEC)[operation_id][2]
    media = [
        resolve(SPEC, operation["responses"][code])["content"]["application/json"]
        for code in SUCCESS_CODES[operation_id]
    ]
    responses = [m["examples"]["seed"]["value"] for m in media if "seed" in m.get("examples", {})]
    assert responses, f"no seed response example on {operation_id}"
    assert all(value == response for value in responses)


# ------------------------------------------------------------------------------------------ seed fields
# Field names of each operation as the seed pages give them (`[]` = each item of an array), and
# whether the page marks the field required. Pages 000, 002 and 003 show JSON examples and field lists;
# page 001 (legacy v1) is prose only: "Top-level fields", "Message object fields", "Response details".
# The emailId/message/status/statusId flags are the "required" labels of page 000; page 001 names
# Email ID and Message "Required parameters" and says "At the minimum, the to field must be present".
SEED_FIELDS: list[tuple[str, str, str, bool]] = [
    # 000: POST /marketing/v4/email/single-send
    ("sendSingleEmail", "request", "emailId", True),
    ("sendSingleEmail", "request", "message", True),
    ("sendSingleEmail", "request", "message.to", True),
    ("sendSingleEmail", "request", "message.from", False),
    ("sendSingleEmail", "request", "message.sendId", False),
    ("sendSingleEmail", "request", "message.replyTo", False),
    ("sendSingleEmail", "request", "message.cc", False),
    ("sendSingleEmail", "request", "message.bcc", False),
    ("sendSingleEmail", "request", "contactProperties", False),
    ("sendSingleEmail", "request", "customProperties", False),
    ("sendSingleEmail", "response", "status", True),
    ("sendSingleEmail", "response", "statusId", True),
    ("sendSingleEmail", "response", "completedAt", False),
    ("sendSingleEmail", "response", "eventId", False),
    ("sendSingleEmail", "response", "eventId.id", False),
    ("sendSingleEmail", "response", "eventId.created", False),
    ("sendSingleEmail", "response", "message", False),
    ("sendSingleEmail", "response", "requestedAt", False),
    ("sendSingleEmail", "response", "sendResult", False),
    ("sendSingleEmail", "response", "startedAt", False),
    # 001: POST /email/public/v1/singleEmail/send (prose only)
    ("sendLegacySingleEmail", "request", "emailId", True),
    ("sendLegacySingleEmail", "request", "message", True),
    ("sendLegacySingleEmail", "request", "contactProperties", False),
    ("sendLegacySingleEmail", "request", "customProperties", False),
    ("sendLegacySingleEmail", "request", "contactProperties[].name", False),
    ("sendLegacySingleEmail", "request", "contactProperties[].value", False),
    ("sendLegacySingleEmail", "request", "customProperties[].name", False),
    ("sendLegacySingleEmail", "request", "customProperties[].value", False),
    ("sendLegacySingleEmail", "request", "message.to", True),
    ("sendLegacySingleEmail", "request", "message.from", False),
    ("sendLegacySingleEmail", "request", "message.sendId", False),
    ("sendLegacySingleEmail", "request", "message.replyTo", False),
    ("sendLegacySingleEmail", "request", "message.replyToList", False),
    ("sendLegacySingleEmail", "request", "message.cc", False),
    ("sendLegacySingleEmail", "request", "message.bcc", False),
    ("sendLegacySingleEmail", "response", "sendResult", False),
    ("sendLegacySingleEmail", "response", "message", False),
    ("sendLegacySingleEmail", "response", "eventId", False),
    ("sendLegacySingleEmail", "response", "eventId.id", False),
    ("sendLegacySingleEmail", "response", "eventId.created", False),
    # 002: POST /crm/v3/objects/emails/batch/create
    ("batchCreateEmails", "request", "inputs", False),
    ("batchCreateEmails", "request", "inputs[].associations", False),
    ("batchCreateEmails", "request", "inputs[].associations[].types", False),
    ("batchCreateEmails", "request", "inputs[].associations[].types[].associationCategory", False),
    ("batchCreateEmails", "request", "inputs[].associations[].types[].associationTypeId", False),
    ("batchCreateEmails", "request", "inputs[].associations[].to", False),
    ("batchCreateEmails", "request", "inputs[].associations[].to.id", False),
    ("batchCreateEmails", "request", "inputs[].objectWriteTraceId", False),
    ("batchCreateEmails", "request", "inputs[].properties", False),
    ("batchCreateEmails", "response", "completedAt", False),
    ("batchCreateEmails", "response", "numErrors", False),
    ("batchCreateEmails", "response", "requestedAt", False),
    ("batchCreateEmails", "response", "startedAt", False),
    ("batchCreateEmails", "response", "links", False),
    ("batchCreateEmails", "response", "results", False),
    ("batchCreateEmails", "response", "results[].archived", False),
    ("batchCreateEmails", "response", "results[].createdAt", False),
    ("batchCreateEmails", "response", "results[].id", False),
    ("batchCreateEmails", "response", "results[].properties", False),
    ("batchCreateEmails", "response", "results[].updatedAt", False),
    ("batchCreateEmails", "response", "errors", False),
    ("batchCreateEmails", "response", "errors[].subCategory", False),
    ("batchCreateEmails", "response", "errors[].context", False),
    ("batchCreateEmails", "response", "errors[].links", False),
    ("batchCreateEmails", "response", "errors[].id", False),
    ("batchCreateEmails", "response", "errors[].category", False),
    ("batchCreateEmails", "response", "errors[].message", False),
    ("batchCreateEmails", "response", "errors[].errors", False),
    ("batchCreateEmails", "response", "errors[].errors[].subCategory", False),
    ("batchCreateEmails", "response", "errors[].errors[].code", False),
    ("batchCreateEmails", "response", "errors[].errors[].in", False),
    ("batchCreateEmails", "response", "errors[].errors[].context", False),
    ("batchCreateEmails", "response", "errors[].errors[].message", False),
    ("batchCreateEmails", "response", "errors[].status", False),
    ("batchCreateEmails", "response", "status", False),
    # 003: POST /marketing/v3/marketing-events/{objectId}/attendance/{subscriberState}/email-create
    ("recordAttendanceByEmail", "request", "inputs", False),
    ("recordAttendanceByEmail", "request", "inputs[].contactProperties", False),
    ("recordAttendanceByEmail", "request", "inputs[].email", False),
    ("recordAttendanceByEmail", "request", "inputs[].interactionDateTime", False),
    ("recordAttendanceByEmail", "request", "inputs[].properties", False),
    ("recordAttendanceByEmail", "response", "completedAt", False),
    ("recordAttendanceByEmail", "response", "results", False),
    ("recordAttendanceByEmail", "response", "results[].email", False),
    ("recordAttendanceByEmail", "response", "results[].vid", False),
    ("recordAttendanceByEmail", "response", "startedAt", False),
    ("recordAttendanceByEmail", "response", "status", False),
    ("recordAttendanceByEmail", "response", "errors", False),
    ("recordAttendanceByEmail", "response", "errors[].category", False),
    ("recordAttendanceByEmail", "response", "errors[].context", False),
    ("recordAttendanceByEmail", "response", "errors[].errors", False),
    ("recordAttendanceByEmail", "response", "errors[].errors[].message", False),
    ("recordAttendanceByEmail", "response", "errors[].errors[].code", False),
    ("recordAttendanceByEmail", "response", "errors[].errors[].context", False),
    ("recordAttendanceByEmail", "response", "errors[].errors[].in", False),
    ("recordAttendanceByEmail", "response", "errors[].errors[].subCategory", False),
    ("recordAttendanceByEmail", "response", "errors[].links", False),
    ("recordAttendanceByEmail", "response", "errors[].message", False),
    ("recordAttendanceByEmail", "response", "errors[].status", False),
    ("recordAttendanceByEmail", "response", "errors[].id", False),
    ("recordAttendanceByEmail", "response", "errors[].subCategory", False),
    ("recordAttendanceByEmail", "response", "links", False),
    ("recordAttendanceByEmail", "response", "numErrors", False),
    ("recordAttendanceByEmail", "response", "requestedAt", False),
]


# Fields the seed pages show as maps: the keys under them are data (property names), not fields.
SEED_MAP_FIELDS = {"results[].properties"}


def _table_fields(operation_id: str, side: str) -> set[str]:
    return {path for op, s, path, _ in SEED_FIELDS if op == operation_id and s == side}


@pytest.mark.parametrize(
    ("operation_id", "side", "field_path", "required"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}-{row[2]}") for row in SEED_FIELDS],
)
def test_seed_field_is_in_spec(operation_id: str, side: str, field_path: str, required: bool) -> None:
    for label, schema in side_schemas(operation_id, side).items():
        found = find_property(schema, field_path)
        assert found is not None, f"{field_path} is not in {operation_id} {label}"
        parent, _ = found
        if required:
            name = field_path.rsplit(".", 1)[-1]
            assert name in parent.get("required", []), (
                f"{field_path} is not required in {operation_id} {label}"
            )


@pytest.mark.parametrize("seed", JSON_SEEDS, ids=_seed_id)
def test_seed_field_table_covers_every_json_key(seed: str) -> None:
    """The table above is complete: every key path of the page's JSON examples is in it."""
    operation_id = SEED_OPERATIONS[seed]
    for position, example in enumerate(seed_examples(seed)):
        side = "request" if position % 2 == 0 else "response"
        paths = {
            p for p in json_key_paths(example) if not any(p.startswith(f"{m}.") for m in SEED_MAP_FIELDS)
        }
        assert paths - _table_fields(operation_id, side) == set()


@pytest.mark.parametrize(
    ("side", "prefix", "section"),
    [
        pytest.param("request", "", "top-level", id="top-level"),
        pytest.param("request", "message.", "message", id="message"),
        pytest.param("response", "", "response", id="response"),
    ],
)
def test_seed_field_table_matches_legacy_prose(side: str, prefix: str, section: str) -> None:
    """The v1 rows of the table are the bullets of page 001, no more and no fewer."""
    bullets = {prefix + name for name in seed_legacy_field_bullets(section)}
    assert len(bullets) >= 3, "the seed parser found too few bullets"
    depth = prefix.count(".")
    table = {
        path
        for path in _table_fields("sendLegacySingleEmail", side)
        if path.startswith(prefix) and path.count(".") == depth and "[]" not in path
    }
    assert bullets == table


@pytest.mark.parametrize("side", ["request", "response"])
def test_seed_field_table_matches_v4_field_list(side: str) -> None:
    """The top-level v4 rows of the table are the fields page 000 lists, with its `required` labels."""
    listed = {field["name"]: field["required"] for field in seed_fields(V4_SINGLE_SEND, side)}
    assert len(listed) >= 4, "the seed parser found too few fields"
    table = {
        path: required
        for op, s, path, required in SEED_FIELDS
        if op == "sendSingleEmail" and s == side and "." not in path and "[]" not in path
    }
    assert table == listed


def _type_matches(spec: Mapping[str, Any], prop: Schema, page_type: str) -> bool:
    """Whether a property's schema (any branch) has the type the page gives: `string<date-time>` is a
    string of that format, `enum<string>` a string enum."""
    found = branches(spec, prop)
    if page_type.startswith("enum<"):
        base = page_type.removeprefix("enum<").removesuffix(">")
        return any("enum" in branch and branch.get("type") == base for branch in found)
    base, _, fmt = page_type.partition("<")
    return any(
        branch.get("type") == base and (not fmt or branch.get("format") == fmt.removesuffix(">"))
        for branch in found
    )


V4_FIELD_TYPE_CASES = [
    pytest.param(side, field["name"], field["type"], id=f"{side}-{field['name']}")
    for side in ("request", "response")
    for field in seed_fields(V4_SINGLE_SEND, side)
]


@pytest.mark.parametrize(("side", "name", "page_type"), V4_FIELD_TYPE_CASES)
def test_v4_field_has_the_type_page_000_gives(side: str, name: str, page_type: str) -> None:
    for label, schema in side_schemas("sendSingleEmail", side).items():
        found = find_property(schema, name)
        assert found is not None, f"{name} is not in sendSingleEmail {label}"
        assert _type_matches(SPEC, found[1], page_type), f"{name} is not {page_type} in {label}"


@pytest.mark.parametrize(
    ("schema", "page_type", "matches"),
    [
        pytest.param({"type": "integer"}, "integer", True, id="integer"),
        pytest.param({"type": "string"}, "integer", False, id="not-integer"),
        pytest.param({"type": "string", "format": "date-time"}, "string<date-time>", True, id="date-time"),
        pytest.param({"type": "string"}, "string<date-time>", False, id="no-format"),
        pytest.param(
            {"anyOf": [{"$ref": "#/components/schemas/E"}, {"type": "string"}]},
            "enum<string>",
            True,
            id="enum",
        ),
        pytest.param({"type": "string"}, "enum<string>", False, id="plain-string-is-no-enum"),
    ],
)
def test_type_matches(schema: Schema, page_type: str, matches: bool) -> None:
    spec = {"components": {"schemas": {"E": {"type": "string", "enum": ["A"]}}}}
    assert _type_matches(spec, schema, page_type) is matches


@pytest.mark.parametrize(
    ("name", "location"),
    [
        pytest.param("objectId", "path", id="objectId"),
        pytest.param("subscriberState", "path", id="subscriberState"),
    ],
)
def test_attendance_path_parameters(name: str, location: str) -> None:
    _, path, operation = OPERATIONS["recordAttendanceByEmail"]
    parameters = {p["name"]: p for p in (resolve(SPEC, p) for p in operation.get("parameters", []))}
    assert name in parameters
    assert parameters[name]["in"] == location
    assert parameters[name]["required"] is True
    assert f"{{{name}}}" in path
    assert name in seed_path_parameters(ATTENDANCE_BY_EMAIL)


# ------------------------------------------------------------------------------------------ enums
def enum_values(schema_name: str) -> list[str]:
    values: list[str] = SCHEMAS[schema_name]["enum"]
    return values


SEED_SEND_RESULTS = seed_v4_send_results()
# Fact sheet section 1: values HubSpot added after the seed's 45 (2026-03, 2026-04, 2026-06).
ADDED_SEND_RESULTS = [
    "ATTACHMENT_DOWNLOAD_QUEUE_FULL",
    "BRAND_RECIPIENT_FATIGUE_SUPPRESSED",
    "INVALID_APP_ID_ATTRIBUTION",
    "UBB_GOVERNANCE_MISSING",
    "CONTACT_VIEW_PERMISSION",
    "MARKETING_ACTIVATION_DISALLOWED",
]
SEED_SEND_RESULT_COUNT = 45
CURRENT_SEND_RESULT_COUNT = 51


def test_seed_send_result_list_is_parsed_whole() -> None:
    assert len(SEED_SEND_RESULTS) == SEED_SEND_RESULT_COUNT
    assert len(set(SEED_SEND_RESULTS)) == SEED_SEND_RESULT_COUNT
    assert all(value.isupper() and value.replace("_", "").isalpha() for value in SEED_SEND_RESULTS)
    assert SEED_SEND_RESULTS[0] == "ADDRESS_LIST_BOMBED"
    assert SEED_SEND_RESULTS[-1] == "VALIDATION_FAILED"


@pytest.mark.parametrize("value", SEED_SEND_RESULTS, ids=str)
def test_seed_send_result_is_in_spec(value: str) -> None:
    assert value in enum_values("SendResult")


@pytest.mark.parametrize("value", ADDED_SEND_RESULTS, ids=str)
def test_send_result_added_since_seed_is_in_spec(value: str) -> None:
    assert value not in SEED_SEND_RESULTS
    assert value in enum_values("SendResult")


def test_send_result_is_exactly_seed_plus_added() -> None:
    values = enum_values("SendResult")
    assert len(values) == CURRENT_SEND_RESULT_COUNT
    assert len(set(values)) == len(values), "duplicate values"
    assert set(values) == set(SEED_SEND_RESULTS) | set(ADDED_SEND_RESULTS)


@pytest.mark.parametrize(
    "parsed",
    [
        pytest.param(seed_v4_statuses(), id="000-v4"),
        pytest.param(seed_attendance_statuses(), id="003-attendance"),
    ],
)
def test_processing_status_matches_seed(parsed: list[str]) -> None:
    assert parsed == ["CANCELED", "COMPLETE", "PENDING", "PROCESSING"]
    assert sorted(enum_values("ProcessingStatus")) == sorted(parsed)


def test_legacy_send_result_matches_seed() -> None:
    parsed = seed_legacy_send_results()
    assert len(parsed) == 10
    assert sorted(enum_values("LegacySendResult")) == sorted(parsed)


@pytest.mark.parametrize(
    ("schema_name", "value"),
    [
        pytest.param("AssociationCategory", "HUBSPOT_DEFINED", id="AssociationCategory-HUBSPOT_DEFINED"),
        pytest.param("AssociationCategory", "USER_DEFINED", id="AssociationCategory-USER_DEFINED"),
        pytest.param(
            "AssociationCategory", "INTEGRATOR_DEFINED", id="AssociationCategory-INTEGRATOR_DEFINED"
        ),
        pytest.param("AssociationCategory", "WORK", id="AssociationCategory-WORK"),
        pytest.param("RateLimitPolicy", "TEN_SECONDLY_ROLLING", id="RateLimitPolicy-TEN_SECONDLY_ROLLING"),
        pytest.param("RateLimitPolicy", "DAILY", id="RateLimitPolicy-DAILY"),
        pytest.param("RateLimitPolicy", "SECONDLY", id="RateLimitPolicy-SECONDLY"),
    ],
)
def test_enum_has_fact_sheet_value(schema_name: str, value: str) -> None:
    assert value in enum_values(schema_name)


def test_subscriber_state_is_register_attend_cancel() -> None:
    assert sorted(enum_values("SubscriberState")) == ["attend", "cancel", "register"]


# ------------------------------------------------------------------------------------------ enum wrapping
def _wrapped_enum(spec: Mapping[str, Any], any_of: list[Schema]) -> str | None:
    """The enum's name when `any_of` is exactly [$ref to a string enum, {type: string}] (either order)."""
    refs = [branch for branch in any_of if "$ref" in branch]
    others = [branch for branch in any_of if "$ref" not in branch]
    if len(any_of) != 2 or len(refs) != 1 or others != [{"type": "string"}]:
        return None
    target = resolve(spec, refs[0])
    if "enum" not in target or target.get("type") != "string":
        return None
    return ref_name(refs[0]["$ref"])


def unwrapped_enums(
    spec: Mapping[str, Any], node: Schema, path: str, seen: set[str], wrapped: set[str]
) -> list[str]:
    """Places under `node` where an enum is used bare (not as `anyOf: [$ref Enum, {type: string}]`)."""
    if "$ref" in node:
        name = ref_name(node["$ref"])
        target = resolve(spec, node)
        if "enum" in target:
            return [f"{path}: bare $ref to enum {name}"]
        if name in seen:
            return []
        seen.add(name)
        return unwrapped_enums(spec, target, name, seen, wrapped)
    found = [f"{path}: inline enum"] if "enum" in node else []
    wrapped_name = _wrapped_enum(spec, node["anyOf"]) if "anyOf" in node else None
    if wrapped_name is not None:
        wrapped.add(wrapped_name)
    else:
        for keyword in ("anyOf", "oneOf", "allOf"):
            for index, branch in enumerate(node.get(keyword, [])):
                found += unwrapped_enums(spec, branch, f"{path}.{keyword}[{index}]", seen, wrapped)
    for name, prop in node.get("properties", {}).items():
        found += unwrapped_enums(spec, prop, f"{path}.{name}", seen, wrapped)
    for keyword in ("items", "additionalProperties"):
        if isinstance(node.get(keyword), Mapping):
            found += unwrapped_enums(spec, node[keyword], f"{path}.{keyword}", seen, wrapped)
    return found


def response_enum_walk(spec: Mapping[str, Any]) -> tuple[list[str], set[str]]:
    """(bare enum uses, wrapped enum names) over every response schema of the spec."""
    seen: set[str] = set()
    wrapped: set[str] = set()
    found: list[str] = []
    responses: list[tuple[str, Schema]] = []
    for operation_id, (_, _, operation) in operations(spec).items():
        responses += [(f"{operation_id} {code}", r) for code, r in operation["responses"].items()]
    responses += [
        (f"components.responses.{n}", r) for n, r in spec["components"].get("responses", {}).items()
    ]
    for label, response in responses:
        for media_type, media in resolve(spec, response).get("content", {}).items():
            if "schema" in media:
                found += unwrapped_enums(spec, media["schema"], f"{label} {media_type}", seen, wrapped)
    return found, wrapped


def test_every_response_enum_is_wrapped_in_anyof_with_string() -> None:
    bare, wrapped = response_enum_walk(SPEC)
    assert bare == []
    # The walk reached the response enums the seeds and the fact sheet describe.
    assert {"ProcessingStatus", "SendResult", "LegacySendResult", "RateLimitPolicy"} <= wrapped


_ENUM = {"type": "string", "enum": ["A", "B"]}
_WRAPPED = {"anyOf": [{"$ref": "#/components/schemas/E"}, {"type": "string"}]}


@pytest.mark.parametrize(
    ("schema", "bare"),
    [
        pytest.param({"properties": {"s": _WRAPPED}}, 0, id="wrapped"),
        pytest.param({"properties": {"s": {"$ref": "#/components/schemas/E"}}}, 1, id="bare-ref"),
        pytest.param({"properties": {"s": {"type": "string", "enum": ["X"]}}}, 1, id="inline-enum"),
        pytest.param(
            {"items": {"properties": {"s": {"$ref": "#/components/schemas/E"}}}}, 1, id="bare-in-items"
        ),
        pytest.param(
            {"properties": {"s": {"anyOf": [{"$ref": "#/components/schemas/E"}, {"type": "integer"}]}}},
            1,
            id="anyOf-without-string",
        ),
        pytest.param({"additionalProperties": {"$ref": "#/components/schemas/E"}}, 1, id="bare-in-map"),
    ],
)
def test_enum_walk_detects_bare_enums(schema: Schema, bare: int) -> None:
    spec = {
        "paths": {
            "/x": {
                "get": {
                    "operationId": "x",
                    "responses": {"200": {"content": {"application/json": {"schema": schema}}}},
                }
            }
        },
        "components": {"schemas": {"E": _ENUM}},
    }
    found, _ = response_enum_walk(spec)
    assert len(found) == bare


# ------------------------------------------------------------------------------------------ status codes
STATUS_CODE_CASES = [
    pytest.param(operation_id, code, id=f"{operation_id}-{code}")
    for operation_id, success in SUCCESS_CODES.items()
    for code in [*success, *ERROR_CODES, "default"]
]


@pytest.mark.parametrize(("operation_id", "code"), STATUS_CODE_CASES)
def test_operation_lists_status_code(operation_id: str, code: str) -> None:
    _, _, operation = OPERATIONS[operation_id]
    assert code in operation["responses"]


ERROR_BODY_CASES = [
    pytest.param(operation_id, code, id=f"{operation_id}-{code}")
    for operation_id in SUCCESS_CODES
    for code in [*ERROR_CODES, "default"]
]


@pytest.mark.parametrize(("operation_id", "code"), ERROR_BODY_CASES)
def test_error_response_has_json_error_body(operation_id: str, code: str) -> None:
    """Fact sheet: any other status carries the shared `Error` body; a 429 has its own shape."""
    expected = "RateLimitError" if code == "429" else "Error"
    schema = response_schema(operation_id, code)
    assert ref_name(schema["$ref"]) == expected


# ------------------------------------------------------------------------------------------ operations
# Method and path from the seed pages; scopes from the fact sheet (and the pages that list them).
OPERATION_TABLE: list[tuple[str, str, str, str, list[str]]] = [
    (
        "sendSingleEmail",
        V4_SINGLE_SEND,
        "post",
        "/marketing/v4/email/single-send",
        ["marketing-email", "transactional-email"],
    ),
    (
        "sendLegacySingleEmail",
        LEGACY_SINGLE_SEND,
        "post",
        "/email/public/v1/singleEmail/send",
        ["transactional-email"],
    ),
    (
        "batchCreateEmails",
        BATCH_CREATE_EMAILS,
        "post",
        "/crm/v3/objects/emails/batch/create",
        ["crm.objects.contacts.write"],
    ),
    (
        "recordAttendanceByEmail",
        ATTENDANCE_BY_EMAIL,
        "post",
        "/marketing/v3/marketing-events/{objectId}/attendance/{subscriberState}/email-create",
        ["crm.objects.marketing_events.write"],
    ),
]


@pytest.mark.parametrize(
    ("operation_id", "seed", "method", "path", "scopes"),
    [pytest.param(*row, id=row[0]) for row in OPERATION_TABLE],
)
def test_operation_metadata(operation_id: str, seed: str, method: str, path: str, scopes: list[str]) -> None:
    assert operation_id in OPERATIONS, f"no operation {operation_id}"
    actual_method, actual_path, operation = OPERATIONS[operation_id]
    assert (actual_method, actual_path) == (method, path)
    assert f"{HUBSPOT_HOST}{path}" in seed_endpoint_urls(seed)
    assert len(operation["tags"]) == 1
    assert operation["tags"][0] in {tag["name"] for tag in SPEC["tags"]}
    for key in ("summary", "description"):
        assert isinstance(operation.get(key), str)
        assert operation[key].strip()
    security = operation.get("security", SPEC.get("security", []))
    granted = {scope for requirement in security for scopes_ in requirement.values() for scope in scopes_}
    assert set(scopes) <= granted
    assert all(set(requirement) <= set(SPEC["components"]["securitySchemes"]) for requirement in security)
    servers = [server["url"] for server in operation.get("servers", SPEC["servers"])]
    assert HUBSPOT_HOST in servers


# Operations no seed page describes: method and path from the fact sheet (section 9); scopes those of the
# v4 send whose status it reads (the fact sheet names none).
FACT_SHEET_OPERATION_TABLE: list[tuple[str, str, str, list[str]]] = [
    (
        "getSendStatus",
        "get",
        "/marketing/v3/email/send-statuses/{statusId}",
        ["marketing-email", "transactional-email"],
    ),
]


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "scopes"),
    [pytest.param(*row, id=row[0]) for row in FACT_SHEET_OPERATION_TABLE],
)
def test_fact_sheet_operation_metadata(operation_id: str, method: str, path: str, scopes: list[str]) -> None:
    assert operation_id in OPERATIONS, f"no operation {operation_id}"
    actual_method, actual_path, operation = OPERATIONS[operation_id]
    assert (actual_method, actual_path) == (method, path)
    assert len(operation["tags"]) == 1
    assert operation["tags"][0] in {tag["name"] for tag in SPEC["tags"]}
    for key in ("summary", "description"):
        assert isinstance(operation.get(key), str)
        assert operation[key].strip()
    granted = {
        scope
        for requirement in operation["security"]
        for scopes_ in requirement.values()
        for scope in scopes_
    }
    assert set(scopes) == granted
    assert operation["x-hubspot-scopes"] == scopes


def test_the_send_status_lookup_answers_the_v4_sends_body() -> None:
    """Fact sheet section 9: the lookup returns an `EmailSendStatusView`, the body the v4 send answers."""
    assert response_schema("getSendStatus", "200") == response_schema("sendSingleEmail", "200")
    assert ref_name(response_schema("getSendStatus", "200")["$ref"]) == "EmailSendStatusView"


def test_the_send_status_lookup_says_where_it_comes_from_and_what_its_fields_mean() -> None:
    """Fact sheet section 9: documented in HubSpot's guides, absent from its OpenAPI files; status and
    sendResult are independent."""
    _, _, operation = OPERATIONS["getSendStatus"]
    description = " ".join(operation["description"].split())
    for words in ("transactional email guides", "absent from HubSpot's published OpenAPI", "independent"):
        assert words in description
    assert "requestBody" not in operation


def test_the_send_status_lookup_is_rate_limited_and_has_no_idempotency_key() -> None:
    """A GET carries no body, so no key; unlike the sends, nothing exempts it from the rate limits."""
    _, _, operation = OPERATIONS["getSendStatus"]
    assert operation["x-hubspot-idempotency-key"] is None
    assert operation["x-hubspot-rate-limited"] is True


def test_the_send_status_path_parameter() -> None:
    _, path, operation = OPERATIONS["getSendStatus"]
    (parameter,) = (resolve(SPEC, p) for p in operation["parameters"])
    assert (parameter["name"], parameter["in"], parameter["required"]) == ("statusId", "path", True)
    assert "{statusId}" in path
    assert schema_validation_errors(parameter["schema"], "") != []
    assert schema_validation_errors(parameter["schema"], "3f5c2a0e-8d4b-4c1e-9a7f-2b6d1e0c9a14") == []


def test_the_send_status_lookup_sits_right_after_the_v4_send() -> None:
    """Where it was inserted, next to the send it reads (other operations are appended at the end)."""
    paths = list(SPEC["paths"])
    assert paths.index("/marketing/v3/email/send-statuses/{statusId}") == (
        paths.index("/marketing/v4/email/single-send") + 1
    )


@pytest.mark.parametrize(
    ("seed", "scope"),
    [
        pytest.param(V4_SINGLE_SEND, "marketing-email", id="000-marketing-email"),
        pytest.param(V4_SINGLE_SEND, "transactional-email", id="000-transactional-email"),
        pytest.param(LEGACY_SINGLE_SEND, "transactional-email", id="001-transactional-email"),
        pytest.param(BATCH_CREATE_EMAILS, "crm.objects.contacts.write", id="002-crm.objects.contacts.write"),
    ],
)
def test_scope_named_on_seed_page_is_in_spec(seed: str, scope: str) -> None:
    assert scope in seed_scopes(seed)
    _, _, operation = OPERATIONS[SEED_OPERATIONS[seed]]
    assert any(scope in scopes for requirement in operation["security"] for scopes in requirement.values())


@pytest.mark.parametrize("seed", list(SEED_OPERATIONS), ids=_seed_id)
def test_every_scope_a_seed_page_lists_is_in_spec(seed: str) -> None:
    _, _, operation = OPERATIONS[SEED_OPERATIONS[seed]]
    granted = {
        scope for requirement in operation["security"] for scopes in requirement.values() for scope in scopes
    }
    assert set(seed_scopes(seed)) <= granted


@pytest.mark.parametrize("seed", list(SEED_OPERATIONS), ids=_seed_id)
def test_status_code_shown_on_seed_page_is_a_documented_success(seed: str) -> None:
    operation_id = SEED_OPERATIONS[seed]
    _, _, operation = OPERATIONS[operation_id]
    for code in seed_status_codes(seed):
        assert code in SUCCESS_CODES[operation_id]
        assert code in operation["responses"]


def test_operation_ids_are_unique_and_known() -> None:
    ids = [
        op["operationId"] for item in SPEC["paths"].values() for m, op in item.items() if m in HTTP_METHODS
    ]
    known = [
        *(row[0] for row in OPERATION_TABLE),
        *(row[0] for row in FACT_SHEET_OPERATION_TABLE),
        *(row[0] for row in DATED_OPERATION_TABLE),
    ]
    assert sorted(ids) == sorted(known)


# ------------------------------------------------------------------------------------------ dated successors
@pytest.mark.parametrize(
    ("operation_id", "twin", "method", "path"),
    [pytest.param(*row, id=row[0]) for row in DATED_OPERATION_TABLE],
)
def test_dated_operation_has_its_twins_facts(operation_id: str, twin: str, method: str, path: str) -> None:
    """Same tag, security and operation facts as the numbered twin; only the path differs."""
    actual_method, actual_path, operation = OPERATIONS[operation_id]
    _, twin_path, numbered = OPERATIONS[twin]
    assert (actual_method, actual_path) == (method, path)
    assert actual_path != twin_path
    for key in (
        "tags",
        "security",
        "x-hubspot-scopes",
        "x-hubspot-rate-limited",
        "x-hubspot-idempotency-key",
    ):
        assert key in operation, key
        assert operation[key] == numbered[key], key
    for key in ("summary", "description"):
        assert operation[key].strip()
        assert operation[key] != numbered[key]


@pytest.mark.parametrize(
    ("operation_id", "twin"), [pytest.param(row[0], row[1], id=row[0]) for row in DATED_OPERATION_TABLE]
)
def test_dated_operation_shares_its_twins_parts_by_reference(operation_id: str, twin: str) -> None:
    """Request body, every response and the path parameters other than the version are the twin's own
    components, referred to (never copied), so the two cannot drift apart."""
    _, _, operation = OPERATIONS[operation_id]
    _, _, numbered = OPERATIONS[twin]
    assert "$ref" in operation["requestBody"]
    assert operation["requestBody"] == numbered["requestBody"]
    assert list(operation["responses"]) == list(numbered["responses"])
    for code, response in operation["responses"].items():
        assert set(response) == {"$ref"}, code
        assert response == numbered["responses"][code], code
    others = [p for p in operation.get("parameters", []) if resolve(SPEC, p)["name"] != "version"]
    assert all(set(parameter) == {"$ref"} for parameter in others)
    assert others == numbered.get("parameters", [])


@pytest.mark.parametrize(("numbered", "successor"), list(DATED_SUCCESSORS.items()))
def test_numbered_and_dated_operations_name_each_other(numbered: str, successor: str | None) -> None:
    _, _, operation = OPERATIONS[numbered]
    assert operation["x-hubspot-api-family"] == "legacy"
    assert "x-hubspot-dated-successor" in operation  # said, also when there is none (v1, the lookup)
    assert operation["x-hubspot-dated-successor"] == successor
    if successor is not None:
        _, _, dated = OPERATIONS[successor]
        assert dated["x-hubspot-api-family"] == "dated"
        assert dated["x-hubspot-legacy-twin"] == numbered
        assert "x-hubspot-dated-successor" not in dated


def version_parameter(operation_id: str) -> Schema:
    _, _, operation = OPERATIONS[operation_id]
    found = [
        resolve(SPEC, p) for p in operation.get("parameters", []) if resolve(SPEC, p)["name"] == "version"
    ]
    assert len(found) == 1, f"{operation_id} has no single version parameter"
    return found[0]


@pytest.mark.parametrize("operation_id", [row[0] for row in DATED_OPERATION_TABLE])
def test_dated_operation_takes_the_version_in_its_path(operation_id: str) -> None:
    parameter = version_parameter(operation_id)
    assert (parameter["in"], parameter["required"]) == ("path", True)
    assert "{version}" in OPERATIONS[operation_id][1]


def test_known_versions_are_the_fact_sheets() -> None:
    assert enum_values("ApiVersion") == KNOWN_VERSIONS


@pytest.mark.parametrize(
    ("version", "accepted"),
    [
        *[pytest.param(known, True, id=known) for known in KNOWN_VERSIONS],
        # Later versions are not failures: a March or September one, and any month of the same form.
        pytest.param("2027-03", True, id="later-march"),
        pytest.param("2031-12", True, id="later-december"),
        pytest.param("2026-13", False, id="month-13"),
        pytest.param("2026-00", False, id="month-00"),
        pytest.param("2026-3", False, id="one-digit-month"),
        pytest.param("26-03", False, id="two-digit-year"),
        pytest.param("2026-03-01", False, id="a-day"),
        pytest.param("2026-03\n", False, id="trailing-newline"),
        pytest.param("v4", False, id="numbered"),
        pytest.param("legacy", False, id="legacy"),
        pytest.param("", False, id="empty"),
    ],
)
def test_version_parameter_accepts_known_and_later_versions(version: str, accepted: bool) -> None:
    schema = version_parameter("sendSingleEmailDated")["schema"]
    assert (schema_validation_errors(schema, version) == []) is accepted


def test_version_parameter_is_the_same_everywhere() -> None:
    parameters = [
        operation["parameters"][0] for _, path, operation in OPERATIONS.values() if "{version}" in path
    ]
    assert len(parameters) == len(DATED_OPERATION_TABLE)
    assert all(parameter == {"$ref": "#/components/parameters/ApiVersion"} for parameter in parameters)


def test_no_operation_addresses_an_event_by_its_external_id() -> None:
    """Section 8's external-event-id form of the dated attendance is left out (the numbered twin has none)."""
    assert not [path for path in SPEC["paths"] if "externalEventId" in path]


def test_servers_include_hubspot_host() -> None:
    assert HUBSPOT_HOST in [server["url"] for server in SPEC["servers"]]


def test_bearer_security_scheme_exists() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    bearer = [
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "http" and scheme.get("scheme") == "bearer"
    ]
    assert bearer
    for requirement in SPEC.get("security", []):
        assert set(requirement) <= set(bearer)
    for _, _, operation in OPERATIONS.values():
        for requirement in operation.get("security", []):
            assert set(requirement) <= set(bearer)


# ------------------------------------------------------------------------------------------ shapes
# Types the seed pages and the fact sheet give (expected keys are compared one by one).
SHAPES: list[tuple[str, str, dict[str, Any]]] = [
    # v1 (page 001, fact sheet section 2): property lists are arrays of name/value objects.
    ("LegacySingleSendRequest", "emailId", {"type": "integer"}),
    (
        "LegacySingleSendRequest",
        "contactProperties",
        {"type": "array", "items": {"$ref": "#/components/schemas/NameValuePair"}},
    ),
    (
        "LegacySingleSendRequest",
        "customProperties",
        {"type": "array", "items": {"$ref": "#/components/schemas/NameValuePair"}},
    ),
    ("NameValuePair", "name", {"type": "string"}),
    ("NameValuePair", "value", {"type": "string"}),
    ("LegacyMessage", "to", {"type": "string"}),
    ("LegacyMessage", "replyTo", {"type": "string"}),
    ("LegacyMessage", "replyToList", {"type": "array", "items": {"type": "string"}}),
    ("LegacyMessage", "cc", {"type": "array", "items": {"type": "string"}}),
    ("LegacyMessage", "bcc", {"type": "array", "items": {"type": "string"}}),
    ("LegacyEventId", "id", {"type": "string"}),
    ("LegacyEventId", "created", {"type": "integer", "format": "int64"}),
    # v4 (page 000, fact sheet section 1).
    ("SingleSendRequest", "emailId", {"type": "integer", "format": "int64"}),
    (
        "SingleSendRequest",
        "contactProperties",
        {"type": "object", "additionalProperties": {"type": "string"}},
    ),
    ("SingleSendRequest", "customProperties", {"type": "object"}),
    ("SingleSendMessage", "replyTo", {"type": "array", "items": {"type": "string"}}),
    ("SingleSendMessage", "cc", {"type": "array", "items": {"type": "string"}}),
    ("SingleSendMessage", "bcc", {"type": "array", "items": {"type": "string"}}),
    ("EventIdView", "id", {"type": "string"}),
    ("EmailSendStatusView", "completedAt", {"type": "string", "format": "date-time"}),
    ("EmailSendStatusView", "requestedAt", {"type": "string", "format": "date-time"}),
    ("EmailSendStatusView", "startedAt", {"type": "string", "format": "date-time"}),
    # Batch create (page 002, fact sheet section 3).
    ("EmailCreateInput", "properties", {"type": "object", "additionalProperties": {"type": "string"}}),
    ("AssociationSpec", "associationTypeId", {"type": "integer", "format": "int32"}),
    ("BatchResponseSimplePublicObject", "numErrors", {"type": "integer", "format": "int32"}),
    ("SimplePublicObject", "id", {"type": "string"}),
    ("SimplePublicObject", "archived", {"type": "boolean"}),
    ("SimplePublicObject", "createdAt", {"type": "string", "format": "date-time"}),
    ("SimplePublicObject", "updatedAt", {"type": "string", "format": "date-time"}),
    (
        "SimplePublicObject",
        "properties",
        {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
    ),
    ("StandardError", "subCategory", {"type": "object"}),
    # Attendance (page 003, fact sheet section 4).
    ("AttendeeByEmail", "email", {"type": "string"}),
    ("AttendeeByEmail", "interactionDateTime", {"type": "integer", "format": "int64"}),
    ("AttendeeByEmail", "properties", {"type": "object", "additionalProperties": {"type": "string"}}),
    ("AttendeeByEmail", "contactProperties", {"type": "object", "additionalProperties": {"type": "string"}}),
    ("SubscriberEmailResult", "vid", {"type": "integer", "format": "int64"}),
    ("BatchResponseSubscriberEmail", "numErrors", {"type": "integer", "format": "int32"}),
]


@pytest.mark.parametrize(
    ("schema_name", "prop", "expected"), [pytest.param(*row, id=f"{row[0]}.{row[1]}") for row in SHAPES]
)
def test_property_shape(schema_name: str, prop: str, expected: dict[str, Any]) -> None:
    schema = SCHEMAS[schema_name]["properties"][prop]
    for key, value in expected.items():
        assert schema.get(key) == value, f"{schema_name}.{prop}.{key}"


def test_v4_event_created_accepts_a_date_time_and_epoch_milliseconds() -> None:
    """The page documents a date-time; HubSpot has also answered epoch milliseconds (as v1 does)."""
    schema = SCHEMAS["EventIdView"]["properties"]["created"]
    accepted: list[object] = ["2026-11-02T12:06:40.090Z", 1793275600090]
    refused: list[object] = [True, 1.5, None, {"at": 1}]
    for instance in accepted:
        assert schema_validation_errors(schema, instance) == []
    for instance in refused:
        assert schema_validation_errors(schema, instance) != [], instance


def test_a_detail_context_accepts_string_and_map() -> None:
    """Pages 002 and 003 show `errors[].errors[].context` serialised into a string; the fact sheet a map."""
    schema = SCHEMAS["ErrorDetail"]["properties"]["context"]
    for instance in (
        '{"missingScopes":["scope1","scope2"]}',
        "{missingScopes=[scope1, scope2]}",
        {"missingScopes": ["a"]},
    ):
        assert schema_validation_errors(schema, instance) == []
