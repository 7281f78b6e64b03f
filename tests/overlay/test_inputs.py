"""Batch inputs, however built, are checked item by item; bad ones stop both clients before any request."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import AsyncClient, Client, InvalidInputError, attendee, email_engagement
from hubspot_email._inputs import engagement_body, prepare_attendees, prepare_engagements
from hubspot_email_api.models import (
    AssociationCategory,
    AssociationForCreate,
    AssociationSpec,
    AttendeeByEmail,
    AttendeeByEmailContactProperties,
    AttendeeByEmailProperties,
    EmailCreateInput,
    EmailCreateInputProperties,
    PublicObjectId,
)
from hubspot_email_api.types import UNSET, Unset

TOKEN = "pat-na1-inputs"
BASE_URL = "https://api.test.example"
BATCH_PATH = "/crm/v3/objects/emails/batch/create"
EVENT_ID = "58237132332"
WHEN = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
WHEN_MS = "1795428000000"
SURROGATE = "unpaired surrogate that cannot be sent as UTF-8"


def association(record_id: Any = "501", category: Any = "HUBSPOT_DEFINED", type_id: Any = 198) -> Any:
    spec = AssociationSpec(association_category=category, association_type_id=type_id)
    return AssociationForCreate(to=PublicObjectId(id=record_id), types=[spec])


def hand_built(
    properties: Any = None, associations: Any = None, trace_id: Any = UNSET, **extra: str
) -> EmailCreateInput:
    """An input built from the generated models, as a caller may do without `email_engagement`."""
    values = EmailCreateInputProperties()
    values.additional_properties = (
        {"hs_timestamp": WHEN_MS, "hs_email_subject": "hello", **extra} if properties is None else properties
    )
    return EmailCreateInput(
        properties=values,
        associations=[association()] if associations is None else associations,
        object_write_trace_id=trace_id,
    )


def hand_built_attendee(
    email: Any = "ada@example.com", at: Any = int(WHEN_MS), properties: Any = None, contact: Any = None
) -> AttendeeByEmail:
    event_properties = AttendeeByEmailProperties()
    event_properties.additional_properties = {"joinedAt": WHEN_MS} if properties is None else properties
    contact_properties = AttendeeByEmailContactProperties()
    contact_properties.additional_properties = {} if contact is None else contact
    return AttendeeByEmail(
        email=email,
        interaction_date_time=at,
        properties=event_properties,
        contact_properties=contact_properties,
    )


def engagements_with(bad: Any, size: int = 3) -> list[Any]:
    """`size` inputs, the last one `bad` (so the error must name its index)."""
    return [email_engagement(timestamp=WHEN, subject=str(n)) for n in range(size - 1)] + [bad]


def attendees_with(bad: Any, size: int = 3) -> list[Any]:
    return [attendee(email=f"a{n}@example.com", at=WHEN) for n in range(size - 1)] + [bad]


# (id, inputs, the field the error names, a phrase of the message)
BAD_ENGAGEMENTS: list[tuple[str, Any, str, str]] = [
    ("not-an-input", engagements_with({"properties": {}}), "inputs[2]", "expected an EmailCreateInput"),
    ("hs-timestamp-missing", engagements_with(hand_built({"hs_email_subject": "x"})),
     "inputs[2].properties['hs_timestamp']", "hs_timestamp is required"),
    ("hs-timestamp-seconds", engagements_with(hand_built({"hs_timestamp": "1795428000"})),
     "inputs[2].properties['hs_timestamp']", "looks like epoch seconds"),
    ("hs-timestamp-microseconds", engagements_with(hand_built({"hs_timestamp": "1795428000000000"})),
     "inputs[2].properties['hs_timestamp']", "microseconds"),
    ("hs-timestamp-words", engagements_with(hand_built({"hs_timestamp": "yesterday"})),
     "inputs[2].properties['hs_timestamp']", "neither epoch milliseconds"),
    ("hs-timestamp-naive-iso", engagements_with(hand_built({"hs_timestamp": "2026-11-23T10:00:00"})),
     "inputs[2].properties['hs_timestamp']", "with an offset"),
    ("hs-timestamp-date-only", engagements_with(hand_built({"hs_timestamp": "2026-11-23"})),
     "inputs[2].properties['hs_timestamp']", "with an offset"),
    ("hs-timestamp-space", engagements_with(hand_built({"hs_timestamp": "2026-11-23 10:00:00+00:00"})),
     "inputs[2].properties['hs_timestamp']", "ISO-8601"),
    ("hs-timestamp-negative", engagements_with(hand_built({"hs_timestamp": "-1795428000000"})),
     "inputs[2].properties['hs_timestamp']", "neither epoch milliseconds"),
    ("hs-timestamp-int", engagements_with(hand_built({"hs_timestamp": 1795428000000})),
     "inputs[2].properties['hs_timestamp']", "expected a string"),
    ("direction", engagements_with(hand_built(hs_email_direction="OUTGOING")),
     "inputs[2].properties['hs_email_direction']", "unknown value"),
    ("status", engagements_with(hand_built(hs_email_status="LOST")),
     "inputs[2].properties['hs_email_status']", "unknown value"),
    ("surrogate-value", engagements_with(hand_built(hs_email_subject="\ud800")),
     "inputs[2].properties['hs_email_subject']", SURROGATE),
    ("surrogate-name", engagements_with(hand_built({"hs_timestamp": WHEN_MS, "a\ud800": "x"})),
     "inputs[2].properties['a\\ud800']", "property name holds an unpaired surrogate"),
    ("properties-a-dict", engagements_with(EmailCreateInput(properties={"hs_timestamp": WHEN_MS},  # type: ignore[arg-type]
                                                            associations=[])),
     "inputs[2].properties", "expected EmailCreateInputProperties"),
    ("associations-none", engagements_with(EmailCreateInput(properties=hand_built().properties,
                                                            associations=None)),  # type: ignore[arg-type]
     "inputs[2].associations", "expected a list"),
    ("association-a-dict", engagements_with(hand_built(associations=[{"to": {"id": "1"}}])),
     "inputs[2].associations[0]", "expected an AssociationForCreate"),
    ("association-to-a-dict",
     engagements_with(hand_built(associations=[AssociationForCreate(to={"id": "1"}, types=[])])),  # type: ignore[arg-type]
     "inputs[2].associations[0].to", "expected a PublicObjectId"),
    ("association-id-abc", engagements_with(hand_built(associations=[association(), association("abc")])),
     "inputs[2].associations[1].to.id", "expected a record id"),
    ("association-id-zero", engagements_with(hand_built(associations=[association("0")])),
     "inputs[2].associations[0].to.id", "positive"),
    ("association-id-negative", engagements_with(hand_built(associations=[association(-5)])),
     "inputs[2].associations[0].to.id", "positive"),
    ("association-id-huge", engagements_with(hand_built(associations=[association(2**70)])),
     "inputs[2].associations[0].to.id", "64-bit"),
    ("association-id-bool", engagements_with(hand_built(associations=[association(True)])),
     "inputs[2].associations[0].to.id", "expected a record id"),
    ("association-types-empty",
     engagements_with(hand_built(associations=[AssociationForCreate(to=PublicObjectId(id="1"), types=[])])),
     "inputs[2].associations[0].types", "non-empty list"),
    ("association-category", engagements_with(hand_built(associations=[association(category="FRIENDS")])),
     "inputs[2].associations[0].types[0].association_category", "unknown category"),
    ("association-category-lower",
     engagements_with(hand_built(associations=[association(category="hubspot_defined")])),
     "inputs[2].associations[0].types[0].association_category", "unknown category"),
    ("association-type-zero", engagements_with(hand_built(associations=[association(type_id=0)])),
     "inputs[2].associations[0].types[0].association_type_id", "positive 32-bit int"),
    ("association-type-int64", engagements_with(hand_built(associations=[association(type_id=2**31)])),
     "inputs[2].associations[0].types[0].association_type_id", "positive 32-bit int"),
    ("association-type-bool", engagements_with(hand_built(associations=[association(type_id=True)])),
     "inputs[2].associations[0].types[0].association_type_id", "positive 32-bit int"),
    ("association-type-str", engagements_with(hand_built(associations=[association(type_id="198")])),
     "inputs[2].associations[0].types[0].association_type_id", "positive 32-bit int"),
    ("trace-id-empty", engagements_with(hand_built(trace_id="")),
     "inputs[2].object_write_trace_id", "non-empty string"),
    ("trace-id-int", engagements_with(hand_built(trace_id=7)),
     "inputs[2].object_write_trace_id", "non-empty string"),
    ("trace-id-none", engagements_with(hand_built(trace_id=None)),
     "inputs[2].object_write_trace_id", "non-empty string"),
    ("trace-id-surrogate", engagements_with(hand_built(trace_id="t\udfff")),
     "inputs[2].object_write_trace_id", SURROGATE),
    ("trace-id-twice", [hand_built(trace_id="t"), hand_built(), hand_built(trace_id="t")],
     "inputs[2].object_write_trace_id", "used by an earlier input"),
    ("surrogate-in-the-last-of-151", engagements_with(hand_built(hs_email_html="<p>\udc80</p>"), size=151),
     "inputs[150].properties['hs_email_html']", SURROGATE),
    ("empty", [], "inputs", "the batch is empty"),
    ("empty-generator", (n for n in range(0)), "inputs", "the batch is empty"),
    ("none", None, "inputs", "expected a list of EmailCreateInput, got NoneType"),
    ("an-int", 5, "inputs", "expected a list of EmailCreateInput, got int"),
    ("a-string", "inputs", "inputs", "expected a list of EmailCreateInput, got str"),
    ("a-dict", {"properties": {}}, "inputs", "expected a list of EmailCreateInput, got dict"),
    ("a-single-input", hand_built(), "inputs", "got a single EmailCreateInput"),
]  # fmt: skip

BAD_ATTENDEES: list[tuple[str, Any, str, str]] = [
    ("not-an-attendee", attendees_with({"email": "a@example.com"}),
     "attendees[2]", "expected an AttendeeByEmail"),
    ("seconds", attendees_with(hand_built_attendee(at=1795428000)),
     "attendees[2].interaction_date_time", "looks like epoch seconds"),
    ("bool-time", attendees_with(hand_built_attendee(at=True)),
     "attendees[2].interaction_date_time", "expected an int of epoch milliseconds"),
    ("float-time", attendees_with(hand_built_attendee(at=1795428000000.0)),
     "attendees[2].interaction_date_time", "expected an int of epoch milliseconds"),
    ("datetime-time", attendees_with(hand_built_attendee(at=WHEN)),
     "attendees[2].interaction_date_time", "expected an int of epoch milliseconds"),
    ("role-based", attendees_with(hand_built_attendee(email="postmaster@example.com")),
     "attendees[2].email", "not a person who can attend"),
    ("malformed", attendees_with(hand_built_attendee(email="ada@")),
     "attendees[2].email", "not a valid email"),
    ("no-email", attendees_with(hand_built_attendee(email=None)), "attendees[2].email", "email is required"),
    ("surrogate-email", attendees_with(hand_built_attendee(email="a\ud800@example.com")),
     "attendees[2].email", SURROGATE),
    ("int-property", attendees_with(hand_built_attendee(properties={"joinedAt": 1})),
     "attendees[2].properties['joinedAt']", "expected a string"),
    ("surrogate-contact-property", attendees_with(hand_built_attendee(contact={"firstname": "\ud800"})),
     "attendees[2].contact_properties['firstname']", SURROGATE),
    ("properties-a-dict", attendees_with(AttendeeByEmail(email="b@example.com",
                                                         interaction_date_time=int(WHEN_MS),
                                                         properties={},  # type: ignore[arg-type]
                                                         contact_properties=AttendeeByEmailContactProperties())),
     "attendees[2].properties", "expected AttendeeByEmailProperties"),
    ("same-email-other-case", attendees_with(hand_built_attendee(email="A0@Example.com")),
     "attendees[2].email", "listed twice"),
    ("surrogate-in-the-last-of-151",
     attendees_with(hand_built_attendee(properties={"leftAt": "\udc80"}), size=151),
     "attendees[150].properties['leftAt']", SURROGATE),
    ("empty", [], "attendees", "no attendees"),
    ("none", None, "attendees", "expected a list of AttendeeByEmail, got NoneType"),
    ("an-int", 5, "attendees", "got int"),
    ("a-string", "ada@example.com", "attendees", "got str"),
    ("a-single-attendee", hand_built_attendee(), "attendees", "got a single AttendeeByEmail"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inputs", "field", "phrase"), [case[1:] for case in BAD_ENGAGEMENTS], ids=[c[0] for c in BAD_ENGAGEMENTS]
)
def test_prepare_engagements_refuses(inputs: Any, field: str, phrase: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        prepare_engagements(inputs)
    assert caught.value.field == field
    assert phrase in str(caught.value)


@pytest.mark.parametrize(
    ("attendees", "field", "phrase"), [case[1:] for case in BAD_ATTENDEES], ids=[c[0] for c in BAD_ATTENDEES]
)
def test_prepare_attendees_refuses(attendees: Any, field: str, phrase: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        prepare_attendees(attendees)
    assert caught.value.field == field
    assert phrase in str(caught.value)


@pytest.mark.parametrize(
    "timestamp", [WHEN_MS, "100000000000", "2026-11-23T10:00:00Z", "2026-11-23T11:00:00.123+01:00"]
)
def test_hand_built_inputs_that_are_valid_pass(timestamp: str) -> None:
    categories = [*AssociationCategory, "USER_DEFINED", "WORK"]
    inputs = [
        hand_built(
            {"hs_timestamp": timestamp, "hs_email_direction": "INCOMING_EMAIL", "hs_email_status": "SENT"}
        ),
        hand_built(
            associations=[association(category=category, type_id=2**31 - 1) for category in categories]
        ),
        hand_built(associations=[], trace_id="caller-trace"),
    ]
    prepared = prepare_engagements(inputs)
    assert [engagement_body(item)["properties"] for item in prepared] == [
        item.to_dict()["properties"] for item in inputs
    ]
    assert [item.item for item in prepared] == inputs  # the caller's own objects, never copies
    assert prepared[2].item is inputs[2]
    assert prepared[2].trace_id == "caller-trace"
    assert prepared[2].record_ids is None  # nothing to change


def test_the_body_carries_the_trace_id_and_digits_and_leaves_the_callers_objects_alone() -> None:
    original = hand_built(associations=[association(501), association("502")])
    original.additional_properties["extra"] = "kept"
    original.associations[0].to.additional_properties["kept"] = "too"
    before = original.to_dict()
    (prepared,) = prepare_engagements(iter([original]))
    body = engagement_body(prepared)
    assert original.to_dict() == before
    assert original.object_write_trace_id is UNSET
    assert original.to_dict()["associations"][0]["to"]["id"] == 501  # still the int it was given
    assert prepared.item is original
    assert prepared.record_ids == ["501", "502"]
    assert body["objectWriteTraceId"] == prepared.trace_id
    assert body["extra"] == "kept"
    assert [item["to"] for item in body["associations"]] == [{"id": "501", "kept": "too"}, {"id": "502"}]
    # The order the generated to_dict gives, the trace id last, as when a copy carried it.
    assert list(body) == ["extra", "properties", "associations", "objectWriteTraceId"]
    assert engagement_body(prepared) == body  # built again for each request, from the same values


def test_prepare_attendees_passes_valid_hand_built_attendees_unchanged() -> None:
    attendees = [hand_built_attendee(), hand_built_attendee(email="b@example.com", at=10**11)]
    assert all(new is old for new, old in zip(prepare_attendees(attendees), attendees, strict=True))


# ------------------------------------------------------------------------------ through the clients
def _run(kind: str, call: Callable[[Any], Any]) -> Any:
    if kind == "sync":
        with Client(TOKEN, base_url=BASE_URL) as client:
            return call(client)

    async def run() -> Any:
        async with AsyncClient(TOKEN, base_url=BASE_URL) as client:
            return await call(client)

    return asyncio.run(run())


def _refused_before_any_request(kind: str, call: Callable[[Any], Any]) -> InvalidInputError:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        mock.route().mock(return_value=httpx.Response(500))
        with pytest.raises(InvalidInputError) as caught:
            _run(kind, call)
    assert mock.calls.call_count == 0
    return caught.value


KINDS = ["sync", "async"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("inputs", "field", "phrase"), [case[1:] for case in BAD_ENGAGEMENTS], ids=[c[0] for c in BAD_ENGAGEMENTS]
)
def test_bad_engagements_send_nothing(kind: str, inputs: Any, field: str, phrase: str) -> None:
    error = _refused_before_any_request(kind, lambda client: client.create_emails(inputs))
    assert error.field == field
    assert phrase in str(error)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("attendees", "field", "phrase"), [case[1:] for case in BAD_ATTENDEES], ids=[c[0] for c in BAD_ATTENDEES]
)
def test_bad_attendees_send_nothing(kind: str, attendees: Any, field: str, phrase: str) -> None:
    error = _refused_before_any_request(
        kind, lambda client: client.record_attendance(EVENT_ID, "attend", attendees)
    )
    assert error.field == field
    assert phrase in str(error)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("event_id", "phrase"),
    [
        ("a/b", "'/', '?' or '#'"),
        ("1?x", "'/', '?' or '#'"),
        ("1" * 65, "longer than an event id"),
        ("58\ud800", SURROGATE),
        (None, "expected a string or int"),
        ("..", "dropped from the URL"),
    ],
)
def test_bad_event_ids_send_nothing(kind: str, event_id: Any, phrase: str) -> None:
    attendees = [attendee(email="ada@example.com", at=WHEN)]
    error = _refused_before_any_request(
        kind, lambda client: client.record_attendance(event_id, "attend", attendees)
    )
    assert error.field == "event_id"
    assert phrase in str(error)


def _created(request: httpx.Request) -> httpx.Response:
    inputs = json.loads(request.content)["inputs"]
    results = [
        {
            "id": str(1000 + n),
            "properties": {},
            "createdAt": "2026-11-23T10:00:00Z",
            "updatedAt": "2026-11-23T10:00:00Z",
            "archived": False,
            "objectWriteTraceId": item["objectWriteTraceId"],
        }
        for n, item in enumerate(inputs)
    ]
    body = {"status": "COMPLETE", "startedAt": "2026-11-23T10:00:00Z", "completedAt": "2026-11-23T10:00:01Z"}
    return httpx.Response(201, json={**body, "results": results})


@pytest.mark.parametrize("kind", KINDS)
def test_callers_inputs_are_not_mutated_and_each_request_input_has_its_own_trace_id(kind: str) -> None:
    inputs = [hand_built(associations=[association(500 + n)]) for n in range(5)]
    inputs += [email_engagement(timestamp=WHEN, contact_ids=[7]) for _ in range(5)]
    before = [item.to_dict() for item in inputs]
    with respx.mock(base_url=BASE_URL) as mock:
        route = mock.post(BATCH_PATH).mock(side_effect=_created)
        result = _run(kind, lambda client: client.create_emails(inputs, chunk_size=3))
    assert result.ok
    assert [item.to_dict() for item in inputs] == before
    assert all(isinstance(item.object_write_trace_id, Unset) for item in inputs)
    sent = [item for call in route.calls for item in json.loads(call.request.content)["inputs"]]
    trace_ids = [item["objectWriteTraceId"] for item in sent]
    assert len(sent) == 10
    assert len(set(trace_ids)) == 10
    assert all(isinstance(trace_id, str) and trace_id for trace_id in trace_ids)
    assert [item["associations"][0]["to"]["id"] for item in sent] == [str(500 + n) for n in range(5)] + [
        "7"
    ] * 5
