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
    check_access_token,
    check_attendee_email,
    check_base_url,
    check_chunk_size,
    check_epoch_milliseconds,
    check_max_concurrency,
    check_recipient,
    check_record_id,
    check_text,
    check_timeout,
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
    # Not a plain ASCII address: those are accepted before the cache (test_address_fast_path).
    address = "cache-probé-7f3a@example.com"
    check_recipient("to", address)
    hits = _address_syntax_problem.cache_info().hits
    check_recipient("to", address)
    check_attendee_email("attendees[0].email", address)
    assert _address_syntax_problem.cache_info().hits == hits + 2
    assert _address_syntax_problem.cache_info().maxsize is not None  # bounded: a stream of addresses
    first = str(_refusal(lambda: check_recipient("to", "cache-probe@")))
    again = str(_refusal(lambda: check_recipient("to", "cache-probe@")))
    assert first == again
    assert "not a valid email address" in first


@pytest.mark.parametrize(
    ("value", "phrase"),
    [(0, "1 to 100"), (101, "at most 100"), (-5, "1 to 100"), (True, "expected an int"),
     (10.0, "expected an int"), ("10", "expected an int"), (None, "expected an int")],
)  # fmt: skip
def test_check_chunk_size_refuses(value: object, phrase: str) -> None:
    error = _refusal(lambda: check_chunk_size(value))
    assert error.field == "chunk_size"
    assert phrase in str(error)


@pytest.mark.parametrize("value", [1, 50, 100])
def test_check_chunk_size_passes(value: int) -> None:
    assert check_chunk_size(value) == value


@pytest.mark.parametrize(
    ("value", "phrase"),
    [(0, "1 or more"), (-1, "1 or more"), (True, "expected an int"), (1.5, "expected an int"),
     ("2", "expected an int"), (None, "expected an int")],
)  # fmt: skip
def test_check_max_concurrency_refuses(value: object, phrase: str) -> None:
    error = _refusal(lambda: check_max_concurrency(value))
    assert error.field == "max_concurrency"
    assert phrase in str(error)


@pytest.mark.parametrize("value", [1, 4, 1000])
def test_check_max_concurrency_passes(value: int) -> None:
    assert check_max_concurrency(value) == value


@pytest.mark.parametrize(
    ("value", "field", "phrase"),
    [
        (0, "timeout", "above 0"),
        (-1, "timeout", "above 0"),
        (float("nan"), "timeout", "finite"),
        (float("inf"), "timeout", "finite"),
        ("5", "timeout", "expected seconds as a number"),
        (True, "timeout", "expected seconds as a number"),
        (None, "timeout", "expected seconds as a number"),
        (httpx.Timeout(5, connect=0), "timeout.connect", "above 0"),
        (httpx.Timeout(5, read=-1), "timeout.read", "above 0"),
        (httpx.Timeout(5, pool=float("inf")), "timeout.pool", "finite"),
        (httpx.Timeout(float("nan")), "timeout.connect", "finite"),
    ],
)
def test_check_timeout_refuses(value: object, field: str, phrase: str) -> None:
    error = _refusal(lambda: check_timeout(value))
    assert error.field == field
    assert phrase in str(error)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, httpx.Timeout(5.0)),
        (0.5, httpx.Timeout(0.5)),
        (httpx.Timeout(5, connect=None), httpx.Timeout(5, connect=None)),
        (httpx.Timeout(None), httpx.Timeout(None)),
        (httpx.Timeout(10, connect=2), httpx.Timeout(10, connect=2)),
    ],
)
def test_check_timeout_passes(value: object, expected: httpx.Timeout) -> None:
    checked = check_timeout(value)
    assert isinstance(checked, httpx.Timeout)
    assert checked == expected
    if isinstance(value, httpx.Timeout):
        assert checked is value


SECRET = "pat-na1-SECRET0a-1b2c-3d4e"


@pytest.mark.parametrize(
    ("token", "phrase"),
    [
        (None, "expected a string, got NoneType"),
        (SECRET.encode(), "token.decode('ascii')"),
        ("", "the token is empty"),
        ("   \n", "only white space"),
        (SECRET + "\n", "white space at position 26"),
        (" " + SECRET, "white space at position 0"),
        (SECRET[:8] + " " + SECRET[8:], "white space at position 8"),
        (SECRET[:8] + "\t" + SECRET[8:], "white space"),
        (SECRET[:8] + "\x00" + SECRET[8:], "a control character"),
        (SECRET[:8] + "\x7f" + SECRET[8:], "a control character"),
        (SECRET[:8] + "\u200b" + SECRET[8:], "a control character"),  # zero-width space (a format char)
        (SECRET[:8] + "é" + SECRET[8:], "a non-ASCII character"),
    ],
)
def test_check_access_token_refuses_without_ever_showing_the_token(token: object, phrase: str) -> None:
    error = _refusal(lambda: check_access_token(token))
    assert error.field == "access_token"
    assert phrase in str(error)
    assert "SECRET" not in str(error)
    assert "SECRET" not in repr(error.args)


def test_check_access_token_passes_a_token_unchanged() -> None:
    assert check_access_token(SECRET) is SECRET


@pytest.mark.parametrize(
    ("url", "options", "phrase"),
    [
        (None, {}, "expected a string"),
        ("", {}, "expected an http or https URL"),
        ("api.hubapi.com", {}, "expected an http or https URL"),
        ("ftp://api.hubapi.com", {}, "expected an http or https URL"),
        ("https://", {}, "names no host"),
        ("https:///path", {}, "names no host"),
        ("https://api.hubapi.com:99999", {}, "not a URL"),
        ("https://[::1", {}, "not a URL"),
        ("https://api.hubapi.com/?x=1", {}, "query or fragment"),
        ("https://api.hubapi.com/#top", {}, "query or fragment"),
        ("https://api.hubapi.com?", {}, "query or fragment"),
        ("https://api.\ud800.com", {}, SURROGATE),
        ("http://api.hubapi.com", {}, "would travel in clear text"),
        ("http://api.hubapi.com", {}, "tls_terminating_proxy=True"),
        ("http://10.0.0.1:8080", {}, "in clear text"),
        ("http://localhost.example.com", {}, "in clear text"),
        ("http://128.0.0.1", {}, "in clear text"),
        ("http://[::2]", {}, "in clear text"),
        ("ftp://proxy.internal", {"tls_terminating_proxy": True}, "expected an http or https URL"),
    ],
)
def test_check_base_url_refuses(url: object, options: dict[str, bool], phrase: str) -> None:
    error = _refusal(lambda: check_base_url(url, **options))
    assert error.field == "base_url"
    assert phrase in str(error)


@pytest.mark.parametrize(
    ("url", "options", "checked"),
    [
        ("https://api.hubapi.com", {}, "https://api.hubapi.com"),
        ("https://api.hubapi.com/", {}, "https://api.hubapi.com"),
        ("HTTPS://API.HUBAPI.COM//", {}, "HTTPS://API.HUBAPI.COM"),
        ("https://eu1.example.com:8443/prefix/", {}, "https://eu1.example.com:8443/prefix"),
        ("http://localhost:8080/", {}, "http://localhost:8080"),
        ("http://LOCALHOST", {}, "http://LOCALHOST"),
        ("http://127.0.0.1:9000", {}, "http://127.0.0.1:9000"),
        ("http://127.255.0.9", {}, "http://127.255.0.9"),
        ("http://[::1]:8080/", {}, "http://[::1]:8080"),
        ("http://proxy.internal:8080", {"tls_terminating_proxy": True}, "http://proxy.internal:8080"),
    ],
)
def test_check_base_url_passes(url: str, options: dict[str, bool], checked: str) -> None:
    assert check_base_url(url, **options) == checked


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
