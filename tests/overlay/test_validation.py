"""Bad input fails before the network, naming the field and the fix (respx asserts zero calls)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import AsyncClient, Client, InvalidInputError

TOKEN = "pat-na1-validation"
BASE_URL = "https://api.test.example"
GOOD: dict[str, Any] = {"email_id": 123, "to": "ada@example.com", "send_id": "s-1"}

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
