"""Bad input fails before the network, naming the field and the fix (respx asserts zero calls)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import AsyncClient, Client, InvalidInputError
from hubspot_email._engagements import check_event_id
from hubspot_email._validation import (
    _address_syntax_problem,
    check_attendee_email,
    check_epoch_milliseconds,
    check_recipient,
    check_record_id,
    check_text,
)

TOKEN = "pat-na1-validation"
BASE_URL = "https://api.test.example"
GOOD: dict[str, Any] = {"email_id": 123, "to": "ada@example.com", "send_id": "s-1"}
SURROGATE = "unpaired surrogate that cannot be sent as UTF-8"

# (id, arguments replacing the good ones, the field the error names, a phrase of the message)
BAD_INPUTS: list[tuple[str, dict[str, Any], str, str]] = [
    ("missing-recipient", {"to": ""}, "to", "recipient is required"),
    ("none-recipient", {"to": None}, "to", "recipient is required"),
    ("malformed-recipient", {"to": "ada@"}, "to", "not a valid email address"),
    ("recipient-not-a-string", {"to": 42}, "to", "expected an email address string"),
    ("role-based-noreply", {"to": "noreply@example.com"}, "to", "role-based"),
    ("role-based-postmaster-any-case", {"to": "PostMaster@example.com"}, "to", "role-based"),
    ("role-based-undisclosed", {"to": "undisclosed-recipients@example.com"}, "to", "role-based"),
    ("malformed-from", {"from_": "Billing <billing@>"}, "from_", "not a valid email address"),
    ("malformed-cc-item", {"cc": ["ok@example.com", "nope"]}, "cc[1]", "not a valid email address"),
    ("bcc-as-a-string", {"bcc": "audit@example.com"}, "bcc", "expected a list"),
    ("reply-to-as-a-string", {"reply_to": "help@example.com"}, "reply_to", "expected a list"),
    ("email-id-as-string", {"email_id": "123"}, "email_id", "expected an int"),
    ("email-id-as-bool", {"email_id": True}, "email_id", "expected an int"),
    ("email-id-zero", {"email_id": 0}, "email_id", "positive"),
    ("email-id-beyond-int64", {"email_id": 2**63}, "email_id", "64-bit"),
    ("empty-send-id", {"send_id": "  "}, "send_id", "non-empty string"),
    ("send-id-as-int", {"send_id": 7}, "send_id", "non-empty string"),
    ("int-contact-property", {"contact_properties": {"age": 42}}, "contact_properties['age']", "a string"),
    ("none-custom-property", {"custom_properties": {"note": None}}, "custom_properties['note']", "a string"),
    ("list-custom-property", {"custom_properties": {"li": ["a", "b"]}}, "custom_properties['li']", "lists"),
    ("properties-not-a-mapping", {"contact_properties": [("a", "b")]}, "contact_properties", "mapping"),
    ("empty-property-name", {"custom_properties": {"": "x"}}, "custom_properties", "non-empty strings"),
    # Lone surrogates cannot be encoded as UTF-8: refused before httpx fails on them.
    ("surrogate-in-to", {"to": "ada\ud800@example.com"}, "to", SURROGATE),
    ("surrogate-in-from", {"from_": "Ada \udc80 <ada@example.com>"}, "from_", SURROGATE),
    ("surrogate-in-send-id", {"send_id": "s-\ud800"}, "send_id", SURROGATE),
    ("surrogate-in-reply-to", {"reply_to": ["\udfff@example.com"]}, "reply_to[0]", SURROGATE),
    ("surrogate-in-cc", {"cc": ["ok@example.com", "x\ud800@example.com"]}, "cc[1]", SURROGATE),
    ("surrogate-in-bcc", {"bcc": ["x\ud800@example.com"]}, "bcc[0]", SURROGATE),
    ("surrogate-in-property-name", {"contact_properties": {"na\ud800me": "x"}},
     "contact_properties['na\\ud800me']", "property name holds an unpaired surrogate"),
    ("surrogate-in-property-value", {"custom_properties": {"note": "\ud800"}}, "custom_properties['note']",
     SURROGATE),
]  # fmt: skip


def _call(kind: str, method: str, arguments: dict[str, Any]) -> None:
    if kind == "sync":
        with Client(TOKEN, base_url=BASE_URL) as client:
            getattr(client, method)(**arguments)
        return

    async def run() -> None:
        async with AsyncClient(TOKEN, base_url=BASE_URL) as client:
            await getattr(client, method)(**arguments)

    asyncio.run(run())


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("method", ["send_email", "send_legacy_email"])
@pytest.mark.parametrize(
    ("changes", "field", "phrase"), [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_input_is_refused_before_any_request(
    kind: str, method: str, changes: dict[str, Any], field: str, phrase: str
) -> None:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as mock:
        route = mock.post(url__startswith=BASE_URL).mock(return_value=httpx.Response(500))
        with pytest.raises(InvalidInputError) as caught:
            _call(kind, method, {**GOOD, **changes})
    assert route.call_count == 0
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert phrase in str(caught.value)
    assert isinstance(caught.value, ValueError)  # so a generic `except ValueError` still catches it


@pytest.mark.parametrize(
    ("reply_to", "expected_message"),
    [
        ([], {"to": "ada@example.com", "sendId": "s-1"}),
        (["one@example.com"], {"to": "ada@example.com", "sendId": "s-1", "replyTo": "one@example.com"}),
        (
            ["one@example.com", "two@example.com"],
            {"to": "ada@example.com", "sendId": "s-1", "replyToList": ["one@example.com", "two@example.com"]},
        ),
    ],
)
def test_legacy_reply_to_becomes_reply_to_or_reply_to_list(
    reply_to: list[str], expected_message: dict[str, Any]
) -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + "/email/public/v1/singleEmail/send").mock(
            return_value=httpx.Response(200, json={"sendResult": "SENT"})
        )
        with Client(TOKEN, base_url=BASE_URL) as client:
            client.send_legacy_email(**GOOD, reply_to=reply_to)
    assert json.loads(route.calls.last.request.content) == {"emailId": 123, "message": expected_message}


def test_display_name_is_allowed_in_from_only() -> None:
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + "/marketing/v4/email/single-send").mock(
            return_value=httpx.Response(200, json={"status": "PENDING", "statusId": "x"})
        )
        with Client(TOKEN, base_url=BASE_URL) as client:
            client.send_email(**GOOD, from_="Ada's Shop <shop@example.com>")
            with pytest.raises(InvalidInputError, match=r"^to: "):
                client.send_email(**{**GOOD, "to": "Ada <ada@example.com>"})
    assert route.call_count == 1
    assert json.loads(route.calls.last.request.content)["message"]["from"] == "Ada's Shop <shop@example.com>"


# ------------------------------------------------------------------------------ the pure checks
def _refusal(check: Callable[[], object]) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        check()
    assert isinstance(caught.value, ValueError)
    return caught.value


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("\ud800", SURROGATE),
        ("subject \udfff", SURROGATE),
        ("caf\udce9", SURROGATE),  # what bytes.decode('utf-8', 'surrogateescape') leaves for a bad byte
        ("\udc80", "s.encode('utf-16', 'surrogatepass').decode('utf-16')"),
        (b"bytes", "expected a string"),
        (None, "expected a string"),
    ],
)
def test_check_text_refuses_what_utf8_cannot_carry(value: object, phrase: str) -> None:
    error = _refusal(lambda: check_text("subject", value))
    assert error.field == "subject"
    assert phrase in str(error)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plain",
        "日本語 ✓",
        "\u00a0",
        "\U0001f600",
        "\ud83d\ude00".encode("utf-16", "surrogatepass").decode("utf-16"),
    ],
)
def test_check_text_passes_encodable_strings_unchanged(value: str) -> None:
    assert check_text("subject", value) is value


@pytest.mark.parametrize(
    ("record_id", "phrase"),
    [
        ("abc", "expected a record id"),
        ("", "expected a record id"),
        ("1/2", "expected a record id"),
        (" 12", "expected a record id"),
        ("12 ", "expected a record id"),
        ("12.0", "expected a record id"),
        ("-1", "expected a record id"),
        ("+1", "expected a record id"),
        ("\u0661\u0662", "expected a record id"),  # Arabic-Indic digits: str.isdigit() says yes
        ("\u00b2", "expected a record id"),  # superscript two
        (True, "expected a record id"),
        (1.5, "expected a record id"),
        (12.0, "expected a record id"),
        (None, "expected a record id"),
        (-1, "positive"),
        (0, "positive"),
        ("0", "positive"),
        ("000", "positive"),
        (2**63, "64-bit"),
        (2**70, "64-bit"),
        (str(2**63), "64-bit"),
    ],
)
def test_check_record_id_refuses(record_id: object, phrase: str) -> None:
    error = _refusal(lambda: check_record_id("contact_ids[0]", record_id))
    assert error.field == "contact_ids[0]"
    assert phrase in str(error)


@pytest.mark.parametrize(
    ("record_id", "sent"),
    [(1, "1"), ("1", "1"), (501, "501"), ("501", "501"), (2**63 - 1, str(2**63 - 1)), ("007", "7")],
)
def test_check_record_id_gives_the_digits(record_id: object, sent: str) -> None:
    assert check_record_id("owner_id", record_id) == sent


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (1795428000, "looks like epoch seconds"),
        (10**11 - 1, "looks like epoch seconds"),
        (0, "looks like epoch seconds"),
        (-1, "looks like epoch seconds"),
        (1795428000000000, "microseconds or nanoseconds"),
        (True, "expected an int of epoch milliseconds"),
        (1795428000000.0, "expected an int of epoch milliseconds"),
        ("1795428000000", "expected an int of epoch milliseconds"),
        (None, "expected an int of epoch milliseconds"),
    ],
)
def test_check_epoch_milliseconds_refuses(value: object, phrase: str) -> None:
    error = _refusal(lambda: check_epoch_milliseconds("at", value))
    assert error.field == "at"
    assert phrase in str(error)


@pytest.mark.parametrize("value", [10**11, 1795428000000, 253_402_300_799_999])
def test_check_epoch_milliseconds_passes(value: int) -> None:
    assert check_epoch_milliseconds("at", value) == value


@pytest.mark.parametrize("local_part", ["noreply", "NoReply", "postmaster", "abuse", "no-reply"])
def test_a_role_based_attendee_is_refused_in_terms_of_attendance(local_part: str) -> None:
    error = _refusal(lambda: check_attendee_email("attendees[0].email", f"{local_part}@example.com"))
    assert error.field == "attendees[0].email"
    assert "not a person who can attend" in str(error)
    assert "INVALID_TO_ADDRESS" in str(error)
    assert "Send to" not in str(error)


def test_address_checks_are_cached_and_say_the_same_the_second_time() -> None:
    address = "cache-probe-7f3a@example.com"
    check_recipient("to", address)
    hits = _address_syntax_problem.cache_info().hits
    check_recipient("to", address)
    check_attendee_email("attendees[0].email", address)
    assert _address_syntax_problem.cache_info().hits == hits + 2
    assert _address_syntax_problem.cache_info().maxsize == 65536
    first = str(_refusal(lambda: check_recipient("to", "cache-probe@")))
    again = str(_refusal(lambda: check_recipient("to", "cache-probe@")))
    assert first == again
    assert "not a valid email address" in first


@pytest.mark.parametrize(
    ("event_id", "phrase"),
    [
        ("", "expected an id"),
        ("   ", "expected an id"),
        (".", "dropped from the URL"),
        ("..", "dropped from the URL"),
        ("...", "dropped from the URL"),
        ("a/b", "'/', '?' or '#'"),
        ("123?x=1", "'/', '?' or '#'"),
        ("#top", "'/', '?' or '#'"),
        ("https://app.hubspot.com/events/1", "'/', '?' or '#'"),
        ("1" * 65, "longer than an event id"),
        ("5823\ud800", SURROGATE),
        (12.5, "expected a string or int"),
        (True, "expected a string or int"),
        (None, "expected a string or int"),
        (0, "expected an id"),
        (-4, "expected an id"),
    ],
)
def test_check_event_id_refuses(event_id: object, phrase: str) -> None:
    error = _refusal(lambda: check_event_id(event_id))
    assert error.field == "event_id"
    assert phrase in str(error)


@pytest.mark.parametrize(
    ("event_id", "checked"),
    [("58237132332", "58237132332"), (58237132332, "58237132332"), ("1" * 64, "1" * 64), ("ev-1", "ev-1")],
)
def test_check_event_id_passes(event_id: object, checked: str) -> None:
    assert check_event_id(event_id) == checked
