"""The generated client's models (`generated/hubspot_email_api/models/`) against the seed examples.

Every JSON example on HubSpot's reference pages, and every example in the spec, must parse through
the model its schema names and come back unchanged from `to_dict()`. Values HubSpot may add later
(an enum value, a field) must survive parsing and be written back as received.

The generator writes date-times with `datetime.isoformat()`: "2023-11-07T05:31:56Z" comes back as
"2023-11-07T05:31:56+00:00" and "2019-10-30T03:30:17.883Z" as "2019-10-30T03:30:17.883000+00:00".
Both are the same instant in RFC 3339, so the round-trip comparison accepts a different spelling of a
date-time field (and only of one) when both spellings are RFC 3339 and parse to the same instant; the
parsed datetimes are also compared with the values written out below.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from hubspot_email_api import models
from hubspot_email_api.api.crm_emails import batch_create_emails_dated
from hubspot_email_api.api.marketing_events import record_attendance_by_email_dated
from hubspot_email_api.api.single_send import send_single_email_dated
from hubspot_email_api.models import (
    ApiVersion,
    AssociationCategory,
    AttendanceByEmailRequest,
    BatchCreateEmailsRequest,
    BatchResponseSimplePublicObject,
    BatchResponseSubscriberEmail,
    EmailSendStatusView,
    Error,
    LegacySendResponse,
    LegacySendResult,
    LegacySingleSendRequest,
    ProcessingStatus,
    RateLimitError,
    RateLimitPolicy,
    SendResult,
    SimplePublicObject,
    SingleSendRequest,
    SubscriberState,
)
from hypothesis import given
from hypothesis import strategies as st

if TYPE_CHECKING:  # mypy resolves the helper by its path; pytest puts this folder on sys.path
    from tests.spec._seeds import (
        ATTENDANCE_BY_EMAIL,
        BATCH_CREATE_EMAILS,
        V4_SINGLE_SEND,
        MediaExample,
        load_spec,
        media_examples,
        operation_examples,
        ref_name,
        seed_legacy_send_results,
        seed_requests,
        seed_responses,
        seed_v4_send_results,
        seed_v4_statuses,
    )
else:
    from _seeds import (
        ATTENDANCE_BY_EMAIL,
        BATCH_CREATE_EMAILS,
        V4_SINGLE_SEND,
        MediaExample,
        load_spec,
        media_examples,
        operation_examples,
        ref_name,
        seed_legacy_send_results,
        seed_requests,
        seed_responses,
        seed_v4_send_results,
        seed_v4_statuses,
    )


class Model(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class ModelClass(Protocol):
    def from_dict(self, src_dict: Mapping[str, Any], /) -> Model: ...


Accessor = Callable[[Any], object]
Holder = Callable[[Any], Any]  # returns a generated model object (with `additional_properties`)
JsonPath = tuple[str | int, ...]

UTC = datetime.UTC
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# Properties typed `string, format: date-time` in the spec, by name.
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

# "2023-11-07T05:31:56Z", the date-time of every example on pages 000, 002 and 003.
SEED_INSTANT = datetime.datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)


def round_trip_differences(original: object, written: object, path: str = "$") -> set[str]:
    """Assert `written` equals `original`; return the date-time paths whose spelling differs.

    Values must be equal and of the same JSON type (so `1` never passes for `true`, nor an enum member
    for a plain string). Two different strings pass only for a date-time property whose two spellings
    are both RFC 3339 and denote the same instant.
    """
    if isinstance(original, dict):
        assert isinstance(written, dict), f"{path}: {written!r} is not an object"
        assert set(written) == set(original), f"{path}: keys {sorted(written)} != {sorted(original)}"
        differences: set[str] = set()
        for key, value in original.items():
            differences |= round_trip_differences(value, written[key], f"{path}.{key}")
        return differences
    if isinstance(original, list):
        assert isinstance(written, list), f"{path}: {written!r} is not an array"
        assert len(written) == len(original), f"{path}: {len(written)} items != {len(original)}"
        differences = set()
        for index, (item, written_item) in enumerate(zip(original, written, strict=True)):
            differences |= round_trip_differences(item, written_item, f"{path}[{index}]")
        return differences
    assert type(written) is type(original), f"{path}: {type(written).__name__} != {type(original).__name__}"
    if original == written:
        return set()
    assert isinstance(original, str), f"{path}: {written!r} != {original!r}"
    assert isinstance(written, str)
    assert path.rsplit(".", 1)[-1] in DATE_TIME_KEYS, f"{path}: {written!r} != {original!r}"
    assert RFC3339.match(original), f"{path}: {original!r} is not RFC 3339"
    assert RFC3339.match(written), f"{path}: written {written!r} is not RFC 3339"
    parsed_original = datetime.datetime.fromisoformat(original)
    parsed_written = datetime.datetime.fromisoformat(written)
    assert parsed_original.tzinfo is not None
    assert parsed_written.tzinfo is not None
    assert parsed_written == parsed_original, f"{path}: {written!r} is not the instant {original!r}"
    return {path}


def assert_round_trips(model_class: ModelClass, document: Mapping[str, Any]) -> Model:
    """Parse `document`, check `to_dict()` writes it back (date-times up to spelling), return the model."""
    before = copy.deepcopy(document)
    parsed = model_class.from_dict(document)
    assert document == before, "from_dict changed its input"
    round_trip_differences(document, parsed.to_dict())
    return parsed


def with_value(document: Mapping[str, Any], path: JsonPath, value: object) -> dict[str, Any]:
    """A deep copy of `document` with `value` set at `path` (keys and list indices)."""
    changed = copy.deepcopy(dict(document))
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def _seed_cases(
    table: list[tuple[str, str, ModelClass]], pick: Callable[[str], list[dict[str, Any]]]
) -> list[Any]:
    cases = []
    for seed, name, model_class in table:
        examples = pick(seed)
        assert examples, f"no examples extracted from {seed}"
        for number, example in enumerate(examples, 1):
            cases.append(pytest.param(model_class, example, id=f"{seed[:3]}-{name}-{number}"))
    return cases


SEED_RESPONSE_MODELS: list[tuple[str, str, ModelClass]] = [
    (V4_SINGLE_SEND, "EmailSendStatusView", EmailSendStatusView),
    (BATCH_CREATE_EMAILS, "BatchResponseSimplePublicObject", BatchResponseSimplePublicObject),
    (ATTENDANCE_BY_EMAIL, "BatchResponseSubscriberEmail", BatchResponseSubscriberEmail),
]
SEED_REQUEST_MODELS: list[tuple[str, str, ModelClass]] = [
    (V4_SINGLE_SEND, "SingleSendRequest", SingleSendRequest),
    (BATCH_CREATE_EMAILS, "BatchCreateEmailsRequest", BatchCreateEmailsRequest),
    (ATTENDANCE_BY_EMAIL, "AttendanceByEmailRequest", AttendanceByEmailRequest),
]

V4_RESPONSE = seed_responses(V4_SINGLE_SEND)[0]
V4_REQUEST = seed_requests(V4_SINGLE_SEND)[0]
BATCH_RESPONSE = seed_responses(BATCH_CREATE_EMAILS)[0]
BATCH_REQUEST = seed_requests(BATCH_CREATE_EMAILS)[0]
ATTENDANCE_RESPONSE = seed_responses(ATTENDANCE_BY_EMAIL)[0]
ATTENDANCE_REQUEST = seed_requests(ATTENDANCE_BY_EMAIL)[0]
# Page 001 has no JSON; this follows its prose (sendResult, message, eventId {id, created epoch ms}).
LEGACY_RESPONSE: dict[str, Any] = {
    "sendResult": "SENT",
    "message": "The email was sent successfully.",
    "eventId": {"id": "9d5c1d63-8a53-4b9a-9c47-7b9a4c1f2e10", "created": 1715558400000},
}
LEGACY_REQUEST: dict[str, Any] = {
    "emailId": 2853263,
    "message": {
        "to": "customer@example.com",
        "replyTo": "billing@example.com",
        "replyToList": ["a@example.com"],
    },
    "contactProperties": [{"name": "last_paid_date", "value": "2024-05-01"}],
    "customProperties": [{"name": "items", "value": "<ul><li>one</li></ul>"}],
}
# Fact sheet section 6: a 429 body.
RATE_LIMIT_BODY: dict[str, Any] = {
    "status": "error",
    "message": "You have reached your ten_secondly_rolling limit.",
    "errorType": "RATE_LIMIT",
    "correlationId": "5ac5a3b6-4c8e-4a0b-a0c4-3e5c1c2d9f11",
    "policyName": "TEN_SECONDLY_ROLLING",
}
ERROR_BODY: dict[str, Any] = {
    "category": "MISSING_SCOPES",
    "correlationId": "0b1f4a55-2f3c-4d6b-9e77-1d2c3b4a5f60",
    "message": "This app hasn't been granted all required scopes.",
    "context": {"missingScopes": ["transactional-email"]},
    "errors": [{"message": "missing scope", "context": {"requiredScopes": ["transactional-email"]}}],
}


# ------------------------------------------------------------------------------------------ seed round trips
@pytest.mark.parametrize(("model_class", "example"), _seed_cases(SEED_RESPONSE_MODELS, seed_responses))
def test_seed_response_round_trips(model_class: ModelClass, example: dict[str, Any]) -> None:
    differences = round_trip_differences(example, model_class.from_dict(example).to_dict())
    # Only date-time fields may be re-spelled (checked to be the same instant above).
    assert all(path.rsplit(".", 1)[-1] in DATE_TIME_KEYS for path in differences)


@pytest.mark.parametrize(("model_class", "example"), _seed_cases(SEED_REQUEST_MODELS, seed_requests))
def test_seed_request_round_trips_exactly(model_class: ModelClass, example: dict[str, Any]) -> None:
    written = model_class.from_dict(example).to_dict()
    assert written == example
    assert round_trip_differences(example, written) == set()


@pytest.mark.parametrize(
    ("model_class", "example"),
    [
        pytest.param(LegacySendResponse, LEGACY_RESPONSE, id="LegacySendResponse"),
        pytest.param(LegacySingleSendRequest, LEGACY_REQUEST, id="LegacySingleSendRequest"),
        pytest.param(RateLimitError, RATE_LIMIT_BODY, id="RateLimitError"),
        pytest.param(Error, ERROR_BODY, id="Error"),
        pytest.param(Error, {}, id="Error-empty"),
    ],
)
def test_prose_example_round_trips_exactly(model_class: ModelClass, example: dict[str, Any]) -> None:
    written = model_class.from_dict(example).to_dict()
    assert round_trip_differences(example, written) == set()


@pytest.mark.parametrize(
    ("document", "model_class", "accessor", "expected"),
    [
        pytest.param(
            V4_RESPONSE, EmailSendStatusView, lambda m: m.completed_at, SEED_INSTANT, id="000-completedAt"
        ),
        pytest.param(
            V4_RESPONSE, EmailSendStatusView, lambda m: m.requested_at, SEED_INSTANT, id="000-requestedAt"
        ),
        pytest.param(
            V4_RESPONSE, EmailSendStatusView, lambda m: m.started_at, SEED_INSTANT, id="000-startedAt"
        ),
        pytest.param(
            V4_RESPONSE,
            EmailSendStatusView,
            lambda m: m.event_id.created,
            SEED_INSTANT,
            id="000-eventId.created",
        ),
        pytest.param(
            BATCH_RESPONSE,
            BatchResponseSimplePublicObject,
            lambda m: m.started_at,
            SEED_INSTANT,
            id="002-startedAt",
        ),
        pytest.param(
            BATCH_RESPONSE,
            BatchResponseSimplePublicObject,
            lambda m: m.results[0].created_at,
            datetime.datetime(2019, 10, 30, 3, 30, 17, 883000, tzinfo=UTC),
            id="002-results.createdAt",
        ),
        pytest.param(
            BATCH_RESPONSE,
            BatchResponseSimplePublicObject,
            lambda m: m.results[0].updated_at,
            datetime.datetime(2019, 12, 7, 16, 50, 6, 678000, tzinfo=UTC),
            id="002-results.updatedAt",
        ),
        pytest.param(
            ATTENDANCE_RESPONSE,
            BatchResponseSubscriberEmail,
            lambda m: m.completed_at,
            SEED_INSTANT,
            id="003-completedAt",
        ),
        pytest.param(
            ATTENDANCE_RESPONSE,
            BatchResponseSubscriberEmail,
            lambda m: m.requested_at,
            SEED_INSTANT,
            id="003-requestedAt",
        ),
    ],
)
def test_seed_datetimes_parse_to_the_instant_written(
    document: dict[str, Any], model_class: ModelClass, accessor: Accessor, expected: datetime.datetime
) -> None:
    value = accessor(model_class.from_dict(document))
    assert isinstance(value, datetime.datetime)
    assert value.utcoffset() == datetime.timedelta(0)
    assert value == expected


@pytest.mark.parametrize(
    ("document", "model_class", "accessor", "expected"),
    [
        pytest.param(
            V4_RESPONSE,
            EmailSendStatusView,
            lambda m: m.event_id.id,
            "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            id="000-eventId.id",
        ),
        pytest.param(V4_REQUEST, SingleSendRequest, lambda m: m.email_id, 123, id="000-emailId"),
        pytest.param(
            V4_REQUEST,
            SingleSendRequest,
            lambda m: m.message.reply_to,
            ["<string>"],
            id="000-message.replyTo",
        ),
        pytest.param(
            BATCH_RESPONSE, BatchResponseSimplePublicObject, lambda m: m.num_errors, 123, id="002-numErrors"
        ),
        pytest.param(
            BATCH_RESPONSE,
            BatchResponseSimplePublicObject,
            lambda m: m.results[0].archived,
            False,
            id="002-archived",
        ),
        pytest.param(
            BATCH_RESPONSE,
            BatchResponseSimplePublicObject,
            lambda m: m.errors[0].errors[0].context,
            '{"missingScopes":["scope1","scope2"]}',
            id="002-errors.errors.context-string",
        ),
        pytest.param(
            BATCH_REQUEST,
            BatchCreateEmailsRequest,
            lambda m: m.inputs[0].associations[0].types[0].association_type_id,
            123,
            id="002-associationTypeId",
        ),
        pytest.param(
            ATTENDANCE_RESPONSE, BatchResponseSubscriberEmail, lambda m: m.results[0].vid, 123, id="003-vid"
        ),
        pytest.param(
            ATTENDANCE_REQUEST,
            AttendanceByEmailRequest,
            lambda m: m.inputs[0].interaction_date_time,
            123,
            id="003-interactionDateTime",
        ),
        pytest.param(
            LEGACY_RESPONSE,
            LegacySendResponse,
            lambda m: m.event_id.created,
            1715558400000,
            id="001-eventId.created",
        ),
        pytest.param(
            LEGACY_REQUEST,
            LegacySingleSendRequest,
            lambda m: m.message.reply_to,
            "billing@example.com",
            id="001-replyTo",
        ),
        pytest.param(
            LEGACY_REQUEST,
            LegacySingleSendRequest,
            lambda m: m.custom_properties[0].value,
            "<ul><li>one</li></ul>",
            id="001-customProperties",
        ),
    ],
)
def test_seed_values_parse_to_typed_attributes(
    document: dict[str, Any], model_class: ModelClass, accessor: Accessor, expected: object
) -> None:
    value = accessor(model_class.from_dict(document))
    assert type(value) is type(expected)
    assert value == expected


# ------------------------------------------------------------------------------------------ known enum values
@pytest.mark.parametrize(
    ("document", "model_class", "accessor", "member"),
    [
        pytest.param(
            V4_RESPONSE,
            EmailSendStatusView,
            lambda m: m.status,
            ProcessingStatus.CANCELED,
            id="000-status-CANCELED",
        ),
        pytest.param(
            V4_RESPONSE,
            EmailSendStatusView,
            lambda m: m.send_result,
            SendResult.ADDRESS_LIST_BOMBED,
            id="000-sendResult-ADDRESS_LIST_BOMBED",
        ),
        pytest.param(
            BATCH_RESPONSE,
            BatchResponseSimplePublicObject,
            lambda m: m.status,
            ProcessingStatus.PENDING,
            id="002-status-PENDING",
        ),
        pytest.param(
            ATTENDANCE_RESPONSE,
            BatchResponseSubscriberEmail,
            lambda m: m.status,
            ProcessingStatus.CANCELED,
            id="003-status-CANCELED",
        ),
        pytest.param(
            BATCH_REQUEST,
            BatchCreateEmailsRequest,
            lambda m: m.inputs[0].associations[0].types[0].association_category,
            AssociationCategory.HUBSPOT_DEFINED,
            id="002-associationCategory-HUBSPOT_DEFINED",
        ),
        pytest.param(
            with_value(
                BATCH_REQUEST, ("inputs", 0, "associations", 0, "types", 0, "associationCategory"), "WORK"
            ),
            BatchCreateEmailsRequest,
            lambda m: m.inputs[0].associations[0].types[0].association_category,
            AssociationCategory.WORK,
            id="fact-sheet-associationCategory-WORK",
        ),
        pytest.param(
            with_value(RATE_LIMIT_BODY, ("policyName",), "DAILY"),
            RateLimitError,
            lambda m: m.policy_name,
            RateLimitPolicy.DAILY,
            id="fact-sheet-policyName-DAILY",
        ),
        pytest.param(
            LEGACY_RESPONSE,
            LegacySendResponse,
            lambda m: m.send_result,
            LegacySendResult.SENT,
            id="001-sendResult-SENT",
        ),
        pytest.param(
            RATE_LIMIT_BODY,
            RateLimitError,
            lambda m: m.policy_name,
            RateLimitPolicy.TEN_SECONDLY_ROLLING,
            id="429-policyName",
        ),
    ],
)
def test_known_value_becomes_enum_member(
    document: dict[str, Any], model_class: ModelClass, accessor: Accessor, member: object
) -> None:
    value = accessor(model_class.from_dict(document))
    # Generated enums are StrEnums, equal to their plain-string value: compare identity, not equality.
    assert value is member


# Fact sheet section 1: sendResult values added after the 45 of page 000.
ADDED_SEND_RESULTS = [
    "ATTACHMENT_DOWNLOAD_QUEUE_FULL",
    "BRAND_RECIPIENT_FATIGUE_SUPPRESSED",
    "INVALID_APP_ID_ATTRIBUTION",
    "UBB_GOVERNANCE_MISSING",
    "CONTACT_VIEW_PERMISSION",
    "MARKETING_ACTIVATION_DISALLOWED",
]
DOCUMENTED_SEND_RESULTS = [*seed_v4_send_results(), *ADDED_SEND_RESULTS]
# Upper case and underscore (near misses of real values), some other characters; a fixed alphabet
# keeps hypothesis from building its Unicode tables (seconds on a fresh checkout).
SEND_RESULT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_ abcz019-éß日\u0000"


@pytest.mark.parametrize("value", DOCUMENTED_SEND_RESULTS, ids=str)
def test_every_documented_send_result_is_a_member(value: str) -> None:
    parsed = EmailSendStatusView.from_dict(with_value(V4_RESPONSE, ("sendResult",), value))
    assert type(parsed.send_result) is SendResult
    assert parsed.send_result.value == value
    assert parsed.to_dict()["sendResult"] == value


@pytest.mark.parametrize("value", seed_v4_statuses(), ids=str)
def test_every_documented_status_is_a_member(value: str) -> None:
    parsed = EmailSendStatusView.from_dict(with_value(V4_RESPONSE, ("status",), value))
    assert type(parsed.status) is ProcessingStatus
    assert parsed.status.value == value


@pytest.mark.parametrize("value", seed_legacy_send_results(), ids=str)
def test_every_documented_legacy_send_result_is_a_member(value: str) -> None:
    parsed = LegacySendResponse.from_dict(with_value(LEGACY_RESPONSE, ("sendResult",), value))
    assert type(parsed.send_result) is LegacySendResult
    assert parsed.send_result.value == value


# ------------------------------------------------------------------------------------------ unknown values
UNKNOWN_VALUE_CASES = [
    pytest.param(
        EmailSendStatusView,
        V4_RESPONSE,
        ("sendResult",),
        "SOME_NEW_RESULT_2027",
        lambda m: m.send_result,
        id="v4-sendResult",
    ),
    pytest.param(
        EmailSendStatusView, V4_RESPONSE, ("status",), "ARCHIVED_LATER", lambda m: m.status, id="v4-status"
    ),
    pytest.param(
        BatchResponseSimplePublicObject,
        BATCH_RESPONSE,
        ("status",),
        "ARCHIVED_LATER",
        lambda m: m.status,
        id="batch-status",
    ),
    pytest.param(
        BatchResponseSubscriberEmail,
        ATTENDANCE_RESPONSE,
        ("status",),
        "ARCHIVED_LATER",
        lambda m: m.status,
        id="attendance-status",
    ),
    pytest.param(
        BatchCreateEmailsRequest,
        BATCH_REQUEST,
        ("inputs", 0, "associations", 0, "types", 0, "associationCategory"),
        "PARTNER_DEFINED",
        lambda m: m.inputs[0].associations[0].types[0].association_category,
        id="batch-request-associationCategory",
    ),
    pytest.param(
        RateLimitError,
        RATE_LIMIT_BODY,
        ("policyName",),
        "HOURLY_ROLLING",
        lambda m: m.policy_name,
        id="429-policyName",
    ),
    pytest.param(
        LegacySendResponse,
        LEGACY_RESPONSE,
        ("sendResult",),
        "SOME_NEW_LEGACY_RESULT",
        lambda m: m.send_result,
        id="v1-sendResult",
    ),
    pytest.param(
        EmailSendStatusView,
        V4_RESPONSE,
        ("sendResult",),
        "address_list_bombed",
        lambda m: m.send_result,
        id="v4-sendResult-lowercase",
    ),
]


@pytest.mark.parametrize(("model_class", "document", "path", "raw", "accessor"), UNKNOWN_VALUE_CASES)
def test_unknown_enum_value_is_kept_as_string(
    model_class: ModelClass, document: dict[str, Any], path: JsonPath, raw: str, accessor: Accessor
) -> None:
    changed = with_value(document, path, raw)
    parsed = assert_round_trips(model_class, changed)
    value = accessor(parsed)
    assert type(value) is str
    assert value == raw


@given(st.one_of(st.sampled_from(DOCUMENTED_SEND_RESULTS), st.text(alphabet=SEND_RESULT_ALPHABET)))
def test_any_send_result_string_survives(value: str) -> None:
    """Documented values become members, any other string stays a string; both are written back."""
    parsed = EmailSendStatusView.from_dict(with_value(V4_RESPONSE, ("sendResult",), value))
    expected_type = SendResult if value in DOCUMENTED_SEND_RESULTS else str
    assert type(parsed.send_result) is expected_type
    written = parsed.to_dict()["sendResult"]
    assert type(written) is str
    assert written == value


UNKNOWN_FIELD_CASES = [
    pytest.param(
        EmailSendStatusView,
        V4_RESPONSE,
        (),
        "futureField",
        {"nested": [1, "two", None]},
        lambda m: m,
        id="v4-top-level",
    ),
    pytest.param(
        EmailSendStatusView, V4_RESPONSE, ("eventId",), "region", "eu1", lambda m: m.event_id, id="v4-eventId"
    ),
    pytest.param(LegacySendResponse, LEGACY_RESPONSE, (), "portalId", 62515, lambda m: m, id="v1-top-level"),
    pytest.param(
        LegacySendResponse, LEGACY_RESPONSE, ("eventId",), "shard", 7, lambda m: m.event_id, id="v1-eventId"
    ),
    pytest.param(
        BatchResponseSimplePublicObject,
        BATCH_RESPONSE,
        (),
        "nextPage",
        {"after": "abc"},
        lambda m: m,
        id="batch-top-level",
    ),
    pytest.param(
        BatchResponseSimplePublicObject,
        BATCH_RESPONSE,
        ("results", 0),
        "futureRecordField",
        True,
        lambda m: m.results[0],
        id="batch-results-item",
    ),
    pytest.param(
        BatchResponseSimplePublicObject,
        BATCH_RESPONSE,
        ("errors", 0, "errors", 0),
        "futureDetail",
        ["x"],
        lambda m: m.errors[0].errors[0],
        id="batch-errors-errors-item",
    ),
    pytest.param(
        BatchResponseSubscriberEmail,
        ATTENDANCE_RESPONSE,
        ("results", 0),
        "contactStatus",
        "NEW",
        lambda m: m.results[0],
        id="attendance-results-item",
    ),
    pytest.param(
        SingleSendRequest,
        V4_REQUEST,
        ("message",),
        "futureOption",
        "x",
        lambda m: m.message,
        id="v4-request-message",
    ),
    pytest.param(
        BatchCreateEmailsRequest,
        BATCH_REQUEST,
        ("inputs", 0, "associations", 0, "to"),
        "objectType",
        "contact",
        lambda m: m.inputs[0].associations[0].to,
        id="batch-request-to",
    ),
    pytest.param(
        AttendanceByEmailRequest,
        ATTENDANCE_REQUEST,
        ("inputs", 0),
        "futureInput",
        1.5,
        lambda m: m.inputs[0],
        id="attendance-request-input",
    ),
    pytest.param(RateLimitError, RATE_LIMIT_BODY, (), "retryAfterMs", 1000, lambda m: m, id="429-top-level"),
    pytest.param(
        Error, ERROR_BODY, (), "documentationUrl", "https://example.com", lambda m: m, id="error-top-level"
    ),
]


@pytest.mark.parametrize(("model_class", "document", "parent", "key", "value", "holder"), UNKNOWN_FIELD_CASES)
def test_unknown_field_is_kept_and_written_back(
    model_class: ModelClass,
    document: dict[str, Any],
    parent: JsonPath,
    key: str,
    value: object,
    holder: Holder,
) -> None:
    changed = with_value(document, (*parent, key), value)
    parsed = assert_round_trips(model_class, changed)
    assert holder(parsed).additional_properties == {key: value}


# ------------------------------------------------------------------------------------------ spec examples
SPEC = load_spec()


@pytest.mark.parametrize("example", media_examples(SPEC), ids=lambda example: example.location)
def test_spec_example_parses_through_its_model(example: MediaExample) -> None:
    assert "$ref" in example.schema, f"{example.location}: an inline schema has no generated model"
    name = ref_name(example.schema["$ref"])
    model_class = getattr(models, name, None)
    assert model_class is not None, f"no generated model {name}"
    assert isinstance(example.value, dict)
    assert_round_trips(model_class, example.value)


@pytest.mark.parametrize(
    "operation_id",
    [
        "sendSingleEmail",
        "sendLegacySingleEmail",
        "batchCreateEmails",
        "recordAttendanceByEmail",
        "sendSingleEmailDated",
        "batchCreateEmailsDated",
        "recordAttendanceByEmailDated",
    ],
)
def test_spec_has_request_and_success_examples_for_every_operation(operation_id: str) -> None:
    """A shared request body or response (a numbered operation and its dated successor) counts for both."""
    locations = {example.location for example in operation_examples(SPEC, operation_id)}
    assert any(location.startswith(f"{operation_id}-request-") for location in locations)
    assert any(location.startswith(f"{operation_id}-2") for location in locations)


def test_spec_has_success_examples_for_the_get() -> None:
    """A GET: a response example only (a pending status and a complete one)."""
    locations = {example.location for example in operation_examples(SPEC, "getSendStatus")}
    assert {"getSendStatus-200-pending", "getSendStatus-200-complete"} <= locations
    assert not [location for location in locations if location.startswith("getSendStatus-request-")]


def test_spec_has_examples_for_the_429() -> None:
    locations = {example.location for example in media_examples(SPEC)}
    assert any(location.startswith("components.TooManyRequests-") for location in locations)


def test_media_examples_lists_a_shared_example_once() -> None:
    """The seed request of the v4 send is shared with its dated successor: listed once, by its component."""
    locations = [example.location for example in media_examples(SPEC)]
    assert len(locations) == len(set(locations))
    assert "components.SingleSend-request-seed" in locations
    assert not [location for location in locations if location.startswith("sendSingleEmail")]


# ------------------------------------------------------------------------------------------ dated requests
DATED_REQUESTS: list[tuple[Callable[[str], dict[str, Any]], str]] = [
    (
        lambda version: send_single_email_dated._get_kwargs(
            version, body=SingleSendRequest.from_dict(V4_REQUEST)
        ),
        "/marketing/email-campaigns/{}/single-send",
    ),
    (
        lambda version: batch_create_emails_dated._get_kwargs(
            version, body=BatchCreateEmailsRequest.from_dict(BATCH_REQUEST)
        ),
        "/crm/objects/{}/emails/batch/create",
    ),
    (
        lambda version: record_attendance_by_email_dated._get_kwargs(
            version,
            "58237132332",
            SubscriberState.ATTEND,
            body=AttendanceByEmailRequest.from_dict(ATTENDANCE_REQUEST),
        ),
        "/marketing/marketing-events/{}/58237132332/attendance/attend/email-create",
    ),
]


@pytest.mark.parametrize(("build", "path"), DATED_REQUESTS, ids=["single-send", "batch-create", "attendance"])
@pytest.mark.parametrize("version", ["2026-03", "2026-09", "2027-03"])
def test_generated_dated_request_takes_the_version_as_a_plain_string(
    build: Callable[[str], dict[str, Any]], path: str, version: str
) -> None:
    """A version newer than the spec (2027-03) is sent as given: the generated type is `ApiVersion | str`."""
    assert build(version)["url"] == path.format(version)


def test_generated_api_version_enum_has_the_known_versions() -> None:
    assert [str(member) for member in ApiVersion] == ["2026-03", "2026-09"]
    assert (
        DATED_REQUESTS[0][0](ApiVersion.V2026_09)["url"] == "/marketing/email-campaigns/2026-09/single-send"
    )


# ------------------------------------------------------------------------------------------ null properties
SIMPLE_OBJECT: dict[str, Any] = {
    "id": "512",
    "properties": {"hs_email_subject": None, "hs_timestamp": "1715558400000", "hs_email_text": None},
    "createdAt": "2019-10-30T03:30:17.883Z",
    "updatedAt": "2019-12-07T16:50:06.678Z",
    "archived": False,
}


@pytest.mark.parametrize(
    ("model_class", "document", "properties_of", "nulls"),
    [
        pytest.param(
            SimplePublicObject,
            SIMPLE_OBJECT,
            lambda m: m.properties,
            ["hs_email_subject", "hs_email_text"],
            id="SimplePublicObject",
        ),
        pytest.param(
            BatchResponseSimplePublicObject,
            with_value(BATCH_RESPONSE, ("results", 0, "properties", "property_string"), None),
            lambda m: m.results[0].properties,
            ["property_string"],
            id="BatchResponseSimplePublicObject",
        ),
    ],
)
def test_null_property_values_parse_as_none_and_round_trip(
    model_class: ModelClass, document: dict[str, Any], properties_of: Holder, nulls: list[str]
) -> None:
    parsed = assert_round_trips(model_class, document)
    properties: dict[str, str | None] = properties_of(parsed).additional_properties
    assert sorted(name for name, value in properties.items() if value is None) == nulls
    for name in nulls:
        assert name in properties
        assert properties[name] is None
