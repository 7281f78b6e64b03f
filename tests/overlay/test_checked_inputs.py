"""Inputs built by email_engagement/attendee are not checked twice, unless changed since (tables)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hubspot_email import InvalidInputError, _engagements, _inputs, attendee, email_engagement
from hubspot_email._engagements import attendee_fingerprint, engagement_fingerprint, still_as_checked
from hubspot_email._inputs import engagement_body, prepare_attendees, prepare_engagements
from hubspot_email_api.models import (
    AssociationCategory,
    AssociationForCreate,
    AssociationSpec,
    AttendeeByEmail,
    EmailCreateInput,
    EmailCreateInputProperties,
    PublicObjectId,
)
from hypothesis import given, settings
from hypothesis import strategies as st

WHEN = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
SURROGATE = "unpaired surrogate that cannot be sent as UTF-8"


def built_engagement() -> EmailCreateInput:
    return email_engagement(
        timestamp=WHEN, subject="Receipt", status="SENT", contact_ids=["501"], properties={"a": "b"}
    )


def built_attendee(email: str = "ada@example.com") -> AttendeeByEmail:
    return attendee(email=email, at=WHEN, properties={"joinedAt": "x"}, contact_properties={"n": "v"})


def _put(model: Any, name: str, value: object) -> None:
    """Sets a property to any value (the models' types say str)."""
    model.additional_properties[name] = value


# (id, how an input built by email_engagement is changed, the field the error names, a phrase)
ENGAGEMENT_CHANGES: list[tuple[str, Callable[[EmailCreateInput], None], str, str]] = [
    ("status-set", lambda e: e.properties.__setitem__("hs_email_status", "LOST"),
     "inputs[1].properties['hs_email_status']", "unknown value"),
    ("timestamp-seconds", lambda e: e.properties.additional_properties.update(hs_timestamp="1795428000"),
     "inputs[1].properties['hs_timestamp']", "looks like epoch seconds"),
    ("timestamp-deleted", lambda e: e.properties.__delitem__("hs_timestamp"),
     "inputs[1].properties['hs_timestamp']", "hs_timestamp is required"),
    ("values-replaced", lambda e: setattr(e.properties, "additional_properties", {"hs_email_subject": "x"}),
     "inputs[1].properties['hs_timestamp']", "hs_timestamp is required"),
    ("property-surrogate", lambda e: e.properties.__setitem__("hs_email_subject", "\ud800"),
     "inputs[1].properties['hs_email_subject']", SURROGATE),
    ("property-int", lambda e: _put(e.properties, "a", 5),
     "inputs[1].properties['a']", "expected a string"),
    ("properties-a-dict", lambda e: setattr(e, "properties", {"hs_timestamp": "1795428000000"}),
     "inputs[1].properties", "expected EmailCreateInputProperties"),
    ("record-id", lambda e: setattr(e.associations[0].to, "id", "abc"),
     "inputs[1].associations[0].to.id", "expected a record id"),
    ("to-replaced", lambda e: setattr(e.associations[0], "to", {"id": "1"}),
     "inputs[1].associations[0].to", "expected a PublicObjectId"),
    # A float equal to the int it replaced: fingerprints compare identity, not equality.
    ("type-id-float", lambda e: setattr(e.associations[0].types[0], "association_type_id", 198.0),
     "inputs[1].associations[0].types[0].association_type_id", "positive 32-bit int"),
    ("category", lambda e: setattr(e.associations[0].types[0], "association_category", "FRIENDS"),
     "inputs[1].associations[0].types[0].association_category", "unknown category"),
    ("types-emptied", lambda e: e.associations[0].types.clear(),
     "inputs[1].associations[0].types", "non-empty list"),
    ("association-appended", lambda e: e.associations.append({"to": {"id": "1"}}),  # type: ignore[arg-type]
     "inputs[1].associations[1]", "expected an AssociationForCreate"),
    ("associations-none", lambda e: setattr(e, "associations", None),
     "inputs[1].associations", "expected a list"),
    ("trace-id-empty", lambda e: setattr(e, "object_write_trace_id", ""),
     "inputs[1].object_write_trace_id", "non-empty string"),
]  # fmt: skip

ATTENDEE_CHANGES: list[tuple[str, Callable[[AttendeeByEmail], None], str, str]] = [
    ("email-malformed", lambda a: setattr(a, "email", "ada@"), "attendees[1].email", "not a valid email"),
    ("email-role-based", lambda a: setattr(a, "email", "postmaster@example.com"),
     "attendees[1].email", "not a person who can attend"),
    ("email-none", lambda a: setattr(a, "email", None), "attendees[1].email", "email is required"),
    ("seconds", lambda a: setattr(a, "interaction_date_time", 1795428000),
     "attendees[1].interaction_date_time", "looks like epoch seconds"),
    ("float-equal", lambda a: setattr(a, "interaction_date_time", float(a.interaction_date_time)),
     "attendees[1].interaction_date_time", "expected an int of epoch milliseconds"),
    ("property-int", lambda a: _put(a.properties, "joinedAt", 1),
     "attendees[1].properties['joinedAt']", "expected a string"),
    ("property-added", lambda a: _put(a.properties, "leftAt", ["x"]),
     "attendees[1].properties['leftAt']", "lists"),
    ("contact-surrogate", lambda a: setattr(a.contact_properties, "additional_properties", {"n": "\udc80"}),
     "attendees[1].contact_properties['n']", SURROGATE),
    ("properties-a-dict", lambda a: setattr(a, "properties", {}),
     "attendees[1].properties", "expected AttendeeByEmailProperties"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "phrase"), [c[1:] for c in ENGAGEMENT_CHANGES], ids=[c[0] for c in ENGAGEMENT_CHANGES]
)
def test_an_engagement_changed_after_it_was_built_is_checked_again(
    change: Callable[[EmailCreateInput], None], field: str, phrase: str
) -> None:
    inputs = [built_engagement(), built_engagement()]
    assert still_as_checked(inputs[1], engagement_fingerprint)
    change(inputs[1])
    assert not still_as_checked(inputs[1], engagement_fingerprint)
    with pytest.raises(InvalidInputError) as caught:
        prepare_engagements(inputs)
    assert caught.value.field == field
    assert phrase in str(caught.value)


@pytest.mark.parametrize(
    ("change", "field", "phrase"), [c[1:] for c in ATTENDEE_CHANGES], ids=[c[0] for c in ATTENDEE_CHANGES]
)
def test_an_attendee_changed_after_it_was_built_is_checked_again(
    change: Callable[[AttendeeByEmail], None], field: str, phrase: str
) -> None:
    attendees = [built_attendee("a@example.com"), built_attendee("b@example.com")]
    assert still_as_checked(attendees[1], attendee_fingerprint)
    change(attendees[1])
    assert not still_as_checked(attendees[1], attendee_fingerprint)
    with pytest.raises(InvalidInputError) as caught:
        prepare_attendees(attendees)
    assert caught.value.field == field
    assert phrase in str(caught.value)


# Built with no properties at all (the usual attendee): its fingerprint is shorter, and still sees them.
BARE_ATTENDEE_CHANGES: list[tuple[str, Callable[[AttendeeByEmail], None], str, str]] = [
    ("property-added", lambda a: _put(a.properties, "joinedAt", 1),
     "attendees[1].properties['joinedAt']", "expected a string"),
    ("contact-property-added", lambda a: _put(a.contact_properties, "n", "\udc80"),
     "attendees[1].contact_properties['n']", SURROGATE),
    ("email", lambda a: setattr(a, "email", "noreply@example.com"), "attendees[1].email", "role-based"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "phrase"),
    [c[1:] for c in BARE_ATTENDEE_CHANGES],
    ids=[c[0] for c in BARE_ATTENDEE_CHANGES],
)
def test_an_attendee_built_without_properties_and_changed_is_checked_again(
    change: Callable[[AttendeeByEmail], None], field: str, phrase: str
) -> None:
    attendees = [attendee(email="a@example.com", at=WHEN), attendee(email="b@example.com", at=WHEN)]
    assert still_as_checked(attendees[1], attendee_fingerprint)
    change(attendees[1])
    assert not still_as_checked(attendees[1], attendee_fingerprint)
    with pytest.raises(InvalidInputError) as caught:
        prepare_attendees(attendees)
    assert caught.value.field == field
    assert phrase in str(caught.value)


def _refuse(*_: object) -> Any:
    raise AssertionError("checked again")


def test_unchanged_helper_built_inputs_are_not_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    engagements, attendees = [built_engagement(), built_engagement()], [built_attendee()]
    monkeypatch.setattr(_inputs, "_check_engagement", _refuse)
    monkeypatch.setattr(_inputs, "_check_attendee", _refuse)
    assert [prepared.item for prepared in prepare_engagements(engagements)] == engagements
    assert prepare_attendees(attendees) == attendees
    with pytest.raises(AssertionError, match="checked again"):
        prepare_engagements(
            [*engagements, EmailCreateInput(properties=EmailCreateInputProperties(), associations=[])]
        )


def test_a_valid_change_is_checked_and_sent() -> None:
    engagement, other = built_engagement(), built_engagement()
    engagement.properties["hs_email_subject"] = "Another subject"
    engagement.object_write_trace_id = "mine"
    engagement.associations[0].to.id = "0502"  # sent as digits, as for any input
    prepared = prepare_engagements([other, engagement])
    body = engagement_body(prepared[1])
    assert body["properties"]["hs_email_subject"] == "Another subject"
    assert body["objectWriteTraceId"] == "mine"
    assert body["associations"][0]["to"]["id"] == "502"
    assert engagement.associations[0].to.id == "0502"  # the caller's object as the caller left it


def test_duplicates_are_refused_whoever_built_the_inputs() -> None:
    with pytest.raises(InvalidInputError, match="listed twice") as caught:
        prepare_attendees([built_attendee("Ada@example.com"), built_attendee("ada@EXAMPLE.com")])
    assert caught.value.field == "attendees[1].email"
    twice = [email_engagement(timestamp=WHEN, trace_id="t"), email_engagement(timestamp=WHEN, trace_id="t")]
    with pytest.raises(InvalidInputError, match="used by an earlier input") as caught:
        prepare_engagements(twice)
    assert caught.value.field == "inputs[1].object_write_trace_id"


def test_an_input_of_another_kind_is_not_taken_for_a_checked_one() -> None:
    with pytest.raises(InvalidInputError, match="expected an EmailCreateInput") as caught:
        prepare_engagements([built_attendee()])  # type: ignore[list-item]
    assert caught.value.field == "inputs[0]"
    with pytest.raises(InvalidInputError, match="expected an AttendeeByEmail"):
        prepare_attendees([built_engagement()])  # type: ignore[list-item]


def test_a_moment_after_9999_is_not_remembered_and_the_batch_refuses_it() -> None:
    # Rounded, 9999-12-31T23:59:59.9999Z is one millisecond past the latest the batch takes.
    late = email_engagement(timestamp=datetime(9999, 12, 31, 23, 59, 59, 999900, tzinfo=UTC))
    assert not still_as_checked(late, engagement_fingerprint)
    with pytest.raises(InvalidInputError, match="microseconds or nanoseconds") as caught:
        prepare_engagements([late])
    assert caught.value.field == "inputs[0].properties['hs_timestamp']"
    ahead = timezone(timedelta(hours=-5))
    late_attendee = attendee(email="ada@example.com", at=datetime(9999, 12, 31, 23, 0, tzinfo=ahead))
    assert not still_as_checked(late_attendee, attendee_fingerprint)
    with pytest.raises(InvalidInputError, match="microseconds or nanoseconds"):
        prepare_attendees([late_attendee])


def test_an_id_reused_by_another_object_does_not_match() -> None:
    survivor, stranger = built_attendee(), built_attendee("b@example.com")
    entry = _engagements._CHECKED[id(survivor)]
    # As if `stranger` had been freed and `survivor` had its id: the reference names another object.
    _engagements._CHECKED[id(survivor)] = (weakref.ref(stranger), entry[1], entry[2])
    assert not still_as_checked(survivor, attendee_fingerprint)
    _engagements._CHECKED[id(survivor)] = entry
    assert still_as_checked(survivor, attendee_fingerprint)


def test_the_registry_does_not_grow_with_inputs_gone() -> None:
    gc.collect()
    kept = [built_attendee(f"k{n}@example.com") for n in range(50)]
    for n in range(20_000):
        built_attendee(f"gone{n}@example.com")
    # Swept whenever it reaches twice what was alive at the last sweep (these 50, what other tests keep).
    assert len(_engagements._CHECKED) < _engagements._sweep_at
    assert len(_engagements._CHECKED) < 10_000
    assert all(still_as_checked(item, attendee_fingerprint) for item in kept)


# Everything a helper remembers as checked passes the full checks: the helpers check no less.
_texts = st.text(alphabet="abcXYZ09 <>&é-_.", max_size=12)
_ids = st.one_of(
    st.integers(min_value=1, max_value=2**63 - 1), st.from_regex(r"[1-9][0-9]{0,17}", fullmatch=True)
)
_moments = st.datetimes(
    min_value=datetime(1973, 3, 4),
    max_value=datetime(9999, 12, 31),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-11)), timezone(timedelta(hours=14))]),
)


@settings(max_examples=300, deadline=None)
@given(
    moment=_moments,
    subject=st.one_of(st.none(), _texts),
    status=st.one_of(st.none(), st.sampled_from(["SENT", "BOUNCED", "FAILED"])),
    direction=st.one_of(st.none(), st.sampled_from(["EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"])),
    owner=st.one_of(st.none(), _ids),
    contacts=st.lists(_ids, max_size=3),
    deals=st.lists(_ids, max_size=2),
    extra=st.dictionaries(st.sampled_from(["x", "hs_email_html", "y z"]), _texts, max_size=3),
    trace=st.one_of(st.none(), _texts.filter(bool)),
)
def test_every_engagement_the_helper_remembers_passes_the_full_checks(
    moment: datetime,
    subject: str | None,
    status: str | None,
    direction: str | None,
    owner: int | str | None,
    contacts: list[int | str],
    deals: list[int | str],
    extra: dict[str, str],
    trace: str | None,
) -> None:
    try:
        built = email_engagement(
            timestamp=moment, subject=subject, status=status, direction=direction, owner_id=owner,
            contact_ids=contacts, deal_ids=deals, properties=extra, trace_id=trace,
        )  # fmt: skip
    except InvalidInputError:
        return  # (the helper refused: nothing remembered)
    if still_as_checked(built, engagement_fingerprint):
        checked, trace_id, record_ids = _inputs._check_engagement("inputs[0]", built)
        assert checked is built
        assert trace_id == built.object_write_trace_id
        assert record_ids is None


@settings(max_examples=300, deadline=None)
@given(
    local=st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9.+_-]{0,20}", fullmatch=True),
    domain=st.sampled_from(
        ["example.com", "Example.ORG", "a-b.co.uk", "xn--bcher-kva.example", "exämple.com"]
    ),
    moment=_moments,
    properties=st.dictionaries(st.sampled_from(["joinedAt", "leftAt"]), _texts, max_size=2),
)
def test_every_attendee_the_helper_remembers_passes_the_full_checks(
    local: str, domain: str, moment: datetime, properties: dict[str, str]
) -> None:
    try:
        built = attendee(email=f"{local}@{domain}", at=moment, properties=properties)
    except InvalidInputError:
        return
    if still_as_checked(built, attendee_fingerprint):
        assert _inputs._check_attendee("attendees[0]", built) is built


def test_the_fingerprints_see_every_association_and_spec() -> None:
    engagement = built_engagement()
    engagement.associations.append(
        AssociationForCreate(
            to=PublicObjectId(id="7"),
            types=[
                AssociationSpec(
                    association_category=AssociationCategory.HUBSPOT_DEFINED, association_type_id=1
                )
            ],
        )
    )
    assert not still_as_checked(engagement, engagement_fingerprint)
    prepared = prepare_engagements([engagement])  # checked in full: a valid association
    assert [item["to"]["id"] for item in engagement_body(prepared[0])["associations"]] == ["501", "7"]
