"""The recorded exchanges in `tests/recordings/` against the spec and the overlay.

Each recording (format: `tests/recordings/README.md`) must
- match the recording format, under `tests/recordings/<operationId>/`, at a path of its operation;
- pass schemathesis' response checks: status, content type, headers and body as the spec documents;
- validate against the strict spec (enums closed) unless it says `strict_enums: false`, in which case it
  must fail the strict check and pass the lenient one (so the flag stays honest);
- carry a request that conforms to the spec exactly when it says `request_conforms: true`;
- parse through the overlay with nothing lost: a success round-trips through the generated model
  (unknown fields included), any other status raises the class `error_class_for_status` names, holding
  the status, headers and raw body.
Every status the spec documents for an operation, and every `seed` example of the spec, is recorded;
the send-status lookup (a GET, which scripts/record.py does not record) is the one operation left out.

The dated operations have no files of their own: their request and answers are their numbered twins'
(the spec refers to the same components), so each recording of a twin is checked again re-addressed to
the dated path (`as_dated`), through the same checks.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import schemathesis
from hubspot_email import (
    APIStatusError,
    OutcomeState,
    PermissionDeniedError,
    RateLimitError,
    SingleSendResult,
    _batch,
)
from hubspot_email import _operations as ops
from hubspot_email._exceptions import error_class_for_status
from hubspot_email._http import Answer
from hubspot_email._results import read_single_send
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

if TYPE_CHECKING:  # mypy resolves the helpers by their paths; pytest puts this folder on sys.path
    from schemathesis.specs.openapi.schemas import OpenApiSchema

    from tests.contract._recordings import (
        DATED_SUCCESSORS,
        Recording,
        as_dated,
        check_format,
        load_recordings,
    )
    from tests.contract._spec_schemas import (
        SPEC_PATH,
        load_spec,
        operations,
        path_parameter_validators,
        request_body_validator,
        response_validator,
        strict_variant,
    )
else:
    from _recordings import DATED_SUCCESSORS, Recording, as_dated, check_format, load_recordings
    from _spec_schemas import (
        SPEC_PATH,
        load_spec,
        operations,
        path_parameter_validators,
        request_body_validator,
        response_validator,
        strict_variant,
    )

ALL = load_recordings()
BY_NAME = {recording.name: recording for recording in ALL}
# The files, and each recording of a numbered operation re-addressed to its dated successor.
CHECKED = ALL + [
    as_dated(recording, "2026-09") for recording in ALL if recording.operation in DATED_SUCCESSORS
]
JSON_BODIES = [recording for recording in CHECKED if "body" in recording.data["response"]]
TWIN_OF = {dated: numbered for numbered, (dated, _, _) in DATED_SUCCESSORS.items()}

OVERLAY_OPERATIONS: dict[str, ops.Operation] = {
    "sendSingleEmail": ops.SEND_EMAIL,
    "sendLegacySingleEmail": ops.SEND_LEGACY_EMAIL,
    "batchCreateEmails": ops.CREATE_EMAILS,
    "recordAttendanceByEmail": ops.RECORD_ATTENDANCE,
}
# The page each operation's `seed:` recordings must come from (shared/seeds/README.md).
SEED_PAGES = {
    "sendSingleEmail": "000_090ed5814d965fc9.txt",
    "sendLegacySingleEmail": "001_4cf7e87eb55081af.txt",
    "batchCreateEmails": "002_c5107f6727f6cdaf.txt",
    "recordAttendanceByEmail": "003_dbb0c6d8ffc0d3ae.txt",
}
SCHEMATHESIS_CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Properties typed `string, format: date-time` in the spec: the generated models write them back in
# another RFC 3339 spelling ("...Z" becomes "...+00:00"), which the round trip accepts.
DATE_TIME_KEYS = frozenset(
    {
        "completedAt",
        "requestedAt",
        "startedAt",
        "created",
        "createdAt",
        "updatedAt",
        "archivedAt",
        "timestamp",
    }
)
ADDRESS = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def by_name(recordings: list[Recording]) -> dict[str, Any]:
    return {"argvalues": recordings, "ids": [recording.name for recording in recordings]}


def media_type(recording: Recording) -> str:
    return str(recording.data["response"]["headers"].get("content-type", "")).split(";")[0].strip()


def path_parameters(recording: Recording) -> dict[str, str]:
    match = operations()[recording.operation].path_pattern.fullmatch(recording.data["request"]["path"])
    assert match is not None, f"{recording.data['request']['path']} is not a path of {recording.operation}"
    return match.groupdict()


@pytest.fixture(scope="module")
def schema() -> OpenApiSchema:
    return schemathesis.openapi.from_path(str(SPEC_PATH))


def schemathesis_check(schema: OpenApiSchema, recording: Recording, response: httpx.Response) -> None:
    """Run schemathesis' response checks on `response` as an answer to `recording`'s request."""
    operation = schema.find_operation_by_id(recording.operation)
    case = operation.Case(
        path_parameters=path_parameters(recording),
        headers=dict(recording.data["request"]["headers"]),
        body=recording.data["request"].get("body"),
        media_type="application/json",
    )
    response.elapsed = datetime.timedelta(0)  # schemathesis reads it; a recorded response was never timed
    case.validate_response(response, checks=SCHEMATHESIS_CHECKS)


def round_trip(original: object, written: object, path: str = "$") -> None:
    """`written` equals `original`, a date-time property's spelling aside (same instant, both RFC 3339)."""
    if isinstance(original, dict):
        assert isinstance(written, dict), f"{path}: {written!r} is not an object"
        assert set(written) == set(original), f"{path}: keys {sorted(written)} != {sorted(original)}"
        for key, value in original.items():
            round_trip(value, written[key], f"{path}.{key}")
    elif isinstance(original, list):
        assert isinstance(written, list), f"{path}: {written!r} is not an array"
        assert len(written) == len(original), f"{path}: {len(written)} items != {len(original)}"
        for index, (item, written_item) in enumerate(zip(original, written, strict=True)):
            round_trip(item, written_item, f"{path}[{index}]")
    elif original != written or type(original) is not type(written):
        key = path.rsplit(".", 1)[-1]
        assert key in DATE_TIME_KEYS, f"{path}: {written!r} != {original!r}"
        assert isinstance(original, str), f"{path}: {written!r} != {original!r}"
        assert isinstance(written, str), f"{path}: {written!r} != {original!r}"
        parsed = datetime.datetime.fromisoformat(original), datetime.datetime.fromisoformat(written)
        assert parsed[0].tzinfo is not None, f"{path}: {original!r} has no offset"
        assert parsed[0] == parsed[1], f"{path}: {written!r} is not the instant {original!r}"


# ------------------------------------------------------------------------------------------ format
@pytest.mark.parametrize("recording", **by_name(ALL))
def test_format(recording: Recording) -> None:
    check_format(recording.data)
    assert recording.path.parent.name == recording.operation, "a recording lives in its operation's folder"
    text = recording.path.read_text(encoding="utf-8")
    renderings = {json.dumps(recording.data, indent=2, ensure_ascii=flag) + "\n" for flag in (False, True)}
    assert text in renderings, "JSON with a 2-space indent and a trailing newline"
    path_parameters(recording)  # the request path is a path of the operation
    source = recording.data["source"]
    if source.startswith("seed: "):
        assert source == f"seed: {SEED_PAGES[recording.operation]}", "a seed recording names its own page"
    response = recording.data["response"]
    assert "content-type" in response["headers"] or response.get("body", response.get("text")) is None
    if "text" in response:
        assert media_type(recording) != "application/json", "a JSON body is recorded in `body`, not `text`"


def test_recordings_exist() -> None:
    """Files exist for the numbered operations only; the dated ones are checked on re-addressed copies."""
    assert len(ALL) >= len(OVERLAY_OPERATIONS)
    assert {recording.operation for recording in ALL} == set(OVERLAY_OPERATIONS)
    assert {recording.operation for recording in CHECKED} == set(OVERLAY_OPERATIONS) | set(TWIN_OF)


@pytest.mark.parametrize("recording", **by_name(ALL))
def test_only_example_addresses(recording: Recording) -> None:
    text = json.dumps(recording.data)
    domains = {match.group(1) for match in ADDRESS.finditer(text)}
    assert all(domain == "example.com" or domain.endswith(".example.com") for domain in domains), domains


# ------------------------------------------------------------------------------------ the spec
@pytest.mark.parametrize("recording", **by_name(CHECKED))
def test_response_conforms_to_spec(schema: OpenApiSchema, recording: Recording) -> None:
    documented = operations()[recording.operation].definition["responses"]
    assert str(recording.status) in documented or "default" in documented
    schemathesis_check(schema, recording, recording.httpx_response())


@pytest.mark.parametrize("recording", **by_name(JSON_BODIES))
def test_enums_strict_unless_flagged(recording: Recording) -> None:
    body = recording.data["response"]["body"]
    lenient = response_validator(recording.operation, recording.status, strict=False)
    strict = response_validator(recording.operation, recording.status, strict=True)
    lenient.validate(body)
    strict_errors = list(strict.iter_errors(body))
    if recording.strict_enums:
        assert not strict_errors, [error.message for error in strict_errors]
    else:
        assert strict_errors, "strict_enums is false, but every enum value is one the spec knows"


@pytest.mark.parametrize("recording", **by_name(CHECKED))
def test_request_conforms_exactly_when_flagged(recording: Recording) -> None:
    request = recording.data["request"]
    problems: list[str] = []
    for strict in (False, True):
        validator = request_body_validator(recording.operation, strict=strict)
        problems += [f"body: {error.message}" for error in validator.iter_errors(request.get("body"))]
        for name, value in path_parameters(recording).items():
            parameter = path_parameter_validators(recording.operation, strict=strict)[name]
            problems += [f"path {name}: {error.message}" for error in parameter.iter_errors(value)]
    if recording.request_conforms:
        assert not problems, problems
    else:
        assert problems, "request_conforms is false, but the request conforms to the spec"
        assert 400 <= recording.status < 500


# ----------------------------------------------------------------------------------- the overlay
def read_with_overlay(recording: Recording) -> SingleSendResult | _batch.ChunkReport[Any]:
    """The recording's answer read as the clients read a final answer (single sends may raise)."""
    answer = Answer(recording.httpx_response())
    operation = TWIN_OF.get(recording.operation, recording.operation)  # a dated one is read as its twin
    if operation in ("sendSingleEmail", "sendLegacySingleEmail"):
        return read_single_send(recording.operation, operation == "sendLegacySingleEmail", answer)
    inputs = recording.data["request"].get("body", {}).get("inputs", [])
    if operation == "batchCreateEmails":
        keys = [str(item.get("objectWriteTraceId", f"untraced-{n}")) for n, item in enumerate(inputs)]
        return _batch.read_chunk(_batch.CRM_EMAILS, 0, keys, answer)
    emails = [str(item.get("email", "")).lower() for item in inputs]
    return _batch.read_chunk(_batch.ATTENDANCE, 0, emails, answer)


def _check_error(error: object, recording: Recording) -> None:
    recorded = recording.data["response"]
    assert type(error) is error_class_for_status(recording.status)
    assert isinstance(error, APIStatusError)
    assert error.status_code == recording.status
    assert {name: error.headers.get(name) for name in recorded["headers"]} == recorded["headers"]
    assert error.body == recording.response_content()
    assert error.json_body == recorded.get("body")
    if "retry-after" in recorded["headers"]:
        assert error.retry_after is not None
    if isinstance(error, RateLimitError):
        assert error.policy_name == recorded["body"].get("policyName")


@pytest.mark.parametrize("recording", **by_name(CHECKED))
def test_overlay_keeps_everything(recording: Recording) -> None:
    recorded = recording.data["response"]
    success = 200 <= recording.status < 300
    try:
        read = read_with_overlay(recording)
    except APIStatusError as error:
        assert not success
        _check_error(error, recording)
        return
    if isinstance(read, SingleSendResult):
        assert read.http_status == recording.status
        assert read.body == recorded["body"]
        if success:
            assert read.raw is not None, read.parse_problem
            round_trip(recorded["body"], read.raw.to_dict())
        else:  # a 409 for a repeated sendId: already sent, a result
            assert read.already_sent
        return
    assert read.http_status == recording.status
    assert read.headers is not None
    assert {name: read.headers.get(name) for name in recorded["headers"]} == recorded["headers"]
    if not success:
        _check_error(read.error, recording)
        assert all(outcome.error is read.error for outcome in read.outcomes)
        return
    assert read.body == recorded["body"]
    # Every result and error HubSpot sent is reachable: on an outcome or among the unmatched.
    reachable = [outcome.raw for outcome in read.outcomes if outcome.raw is not None]
    raw_unmatched = [item for item in read.unmatched_results if isinstance(item, dict)]
    typed_unmatched = [item.to_dict() for item in read.unmatched_results if hasattr(item, "to_dict")]
    for item in recorded["body"].get("results", []):
        assert (
            item in reachable
            or item in raw_unmatched
            or any(item.get("id") == typed.get("id") for typed in typed_unmatched)
        )
    assert len(read.errors) == len(recorded["body"].get("errors", []))
    assert all(outcome.state in OutcomeState for outcome in read.outcomes)
    assert all("does not fit the spec" not in str(outcome.reason) for outcome in read.outcomes)


FORBIDDEN = [recording for recording in CHECKED if recording.status == 403]


@pytest.mark.parametrize("recording", [pytest.param(r, id=r.name) for r in FORBIDDEN])
def test_permission_denied_names_missing_scopes(recording: Recording) -> None:
    if TWIN_OF.get(recording.operation, recording.operation) in ("sendSingleEmail", "sendLegacySingleEmail"):
        with pytest.raises(PermissionDeniedError) as raised:
            read_with_overlay(recording)
        assert raised.value.missing_scopes
        return
    read = read_with_overlay(recording)
    assert isinstance(read, _batch.ChunkReport)
    assert isinstance(read.error, PermissionDeniedError)
    assert read.error.missing_scopes


# ------------------------------------------------------------------------------------ coverage
def documented_statuses(operation_id: str) -> list[str]:
    return [status for status in operations()[operation_id].definition["responses"] if status != "default"]


EVERY_OPERATION = sorted([*OVERLAY_OPERATIONS, *TWIN_OF])
# Not recorded: the send-status lookup, a GET of a statusId a send answered with (scripts/record.py
# records the numbered POST operations only). Its answers are checked by the simulator's contract tests.
NOT_RECORDED = {"getSendStatus"}


def test_every_operation_of_the_spec_is_checked() -> None:
    assert set(EVERY_OPERATION) | NOT_RECORDED == set(operations())
    assert not NOT_RECORDED & set(EVERY_OPERATION)
    # Only a GET goes unrecorded: every POST (numbered, or dated through its twin) is checked.
    assert {operations()[operation_id].method for operation_id in NOT_RECORDED} == {"get"}


@pytest.mark.parametrize("operation_id", EVERY_OPERATION)
def test_every_documented_status_is_recorded(operation_id: str) -> None:
    recorded = {str(r.status) for r in CHECKED if r.operation == operation_id}
    missing = [status for status in documented_statuses(operation_id) if status not in recorded]
    assert not missing, f"{operation_id}: no recording of {missing}"
    assert documented_statuses(operation_id), f"{operation_id}: the spec documents no status"


def seed_examples(operation_id: str) -> list[tuple[str, str, Any]]:
    """(where, statuses, value) of every example named `seed` of the operation: its request body and
    its responses (a response shared by several statuses counts once, for all of them)."""
    operation = operations()[operation_id]
    found: list[tuple[str, str, Any]] = []
    request_body = operation.request_body
    assert request_body is not None, f"{operation_id} takes no body"
    request_examples = request_body["content"]["application/json"].get("examples", {})
    if "seed" in request_examples:
        found.append(("request", "", request_examples["seed"]["value"]))
    statuses_by_pointer: dict[str, list[str]] = {}
    value_by_pointer: dict[str, Any] = {}
    for status, response in operation.responses().items():
        for content in response.definition.get("content", {}).values():
            if "seed" in content.get("examples", {}):
                statuses_by_pointer.setdefault(response.pointer, []).append(status)
                value_by_pointer[response.pointer] = content["examples"]["seed"]["value"]
    found += [
        ("response", ",".join(statuses), value_by_pointer[where])
        for where, statuses in statuses_by_pointer.items()
    ]
    return found


@pytest.mark.parametrize("operation_id", EVERY_OPERATION)
def test_every_seed_example_is_recorded(operation_id: str) -> None:
    seeds = [r for r in CHECKED if r.operation == operation_id and r.data["source"].startswith("seed: ")]
    assert seeds, f"{operation_id}: no recording from its seed page"
    for where, statuses, value in seed_examples(operation_id):
        if where == "request":
            assert any(r.data["request"].get("body") == value for r in seeds), f"seed request {value}"
        else:
            documented = statuses.split(",")
            assert any(
                str(r.status) in documented and r.data["response"].get("body") == value for r in seeds
            ), f"seed response for {statuses}"


@pytest.mark.parametrize(
    "operation_id", ["sendSingleEmail", "batchCreateEmails", "recordAttendanceByEmail", *TWIN_OF]
)
def test_seed_examples_are_found(operation_id: str) -> None:
    """The three pages with JSON examples give the spec a `seed` request and response (so the check above
    is not vacuous); the v1 page has none."""
    assert {where for where, _, _ in seed_examples(operation_id)} == {"request", "response"}


# ------------------------------------------------------------------------ the checks can fail
def changed(recording: Recording, change: Callable[[dict[str, Any]], None]) -> Recording:
    data = copy.deepcopy(recording.data)
    change(data)
    return type(recording)(recording.path, data)


def _drop_status_id(data: dict[str, Any]) -> None:
    del data["response"]["body"]["statusId"]


def _misspell_send_result(data: dict[str, Any]) -> None:
    data["response"]["body"]["sendResult"] = "SNET"


def _html_as_plain_text(data: dict[str, Any]) -> None:
    data["response"]["headers"]["content-type"] = "text/plain"


def _non_integer_rate_limit_header(data: dict[str, Any]) -> None:
    data["response"]["headers"]["x-hubspot-ratelimit-remaining"] = "lots"


def _created_as_date_time(data: dict[str, Any]) -> None:
    data["response"]["body"]["eventId"]["created"] = "2026-11-03T10:00:00Z"


def _vid_as_string(data: dict[str, Any]) -> None:
    data["response"]["body"]["results"][0]["vid"] = "90501"


@pytest.mark.parametrize(
    ("name", "change", "schemathesis_fails", "strict_fails"),
    [
        ("sendSingleEmail/200-complete-sent.json", _drop_status_id, True, True),
        ("sendSingleEmail/200-complete-sent.json", _misspell_send_result, False, True),
        ("sendSingleEmail/502-html.json", _html_as_plain_text, True, False),
        ("batchCreateEmails/429-daily.json", _non_integer_rate_limit_header, True, False),
        ("sendLegacySingleEmail/seed-sent.json", _created_as_date_time, True, True),
        ("recordAttendanceByEmail/200-register.json", _vid_as_string, True, True),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_checks_reject_a_broken_copy(
    schema: OpenApiSchema,
    name: str,
    change: Callable[[dict[str, Any]], None],
    schemathesis_fails: bool,
    strict_fails: bool,
) -> None:
    original = BY_NAME[name]
    broken = changed(original, change)
    schemathesis_check(schema, original, original.httpx_response())
    if schemathesis_fails:
        with pytest.raises(FailureGroup):
            schemathesis_check(schema, broken, broken.httpx_response())
    else:
        schemathesis_check(schema, broken, broken.httpx_response())
    if "body" in broken.data["response"]:
        strict = response_validator(broken.operation, broken.status, strict=True)
        assert strict.is_valid(broken.data["response"]["body"]) is not strict_fails


# ----------------------------------------------------------------------------- strict_variant
def any_ofs(node: Any) -> list[list[Any]]:
    """Every `anyOf` list in `node`, depth first."""
    if isinstance(node, list):
        return [found for item in node for found in any_ofs(item)]
    if not isinstance(node, dict):
        return []
    own = [node["anyOf"]] if isinstance(node.get("anyOf"), list) else []
    return own + [found for value in node.values() for found in any_ofs(value)]


def test_strict_variant_of_the_spec_closes_every_enum_but_the_api_version() -> None:
    """The API version stays open in the strict variant too: its string branch has a pattern, so it is no
    open enum to close, and a request may rightly carry a version released after the spec."""

    def names_a_schema(branches: list[Any]) -> bool:
        return any(isinstance(branch, dict) and "$ref" in branch for branch in branches)

    original = any_ofs(load_spec())
    strict = any_ofs(strict_variant(load_spec()))
    version = load_spec()["components"]["schemas"]["ApiVersionInPath"]["anyOf"]
    closed = [branches for branches in original if names_a_schema(branches) and branches != version]
    assert closed, "the spec has open enums to close"
    assert [branches for branches in strict if names_a_schema(branches)] == [version]
    assert len(strict) == len(original) - len(closed)
