"""Each operation through `Client` and `AsyncClient`, against respx: the exact request, the parsed result,
on the numbered paths and (`api_version`) on their dated successors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import respx
from hubspot_email import AsyncClient, BatchResult, Client, OutcomeState, SingleSendResult
from hubspot_email_api.models import (
    AssociationCategory,
    AssociationForCreate,
    AssociationSpec,
    AttendeeByEmail,
    AttendeeByEmailContactProperties,
    AttendeeByEmailProperties,
    EmailCreateInput,
    EmailCreateInputProperties,
    EmailSendStatusView,
    LegacySendResponse,
    LegacySendResult,
    ProcessingStatus,
    PublicObjectId,
    SendResult,
    SingleSendRequestContactProperties,
    SingleSendRequestCustomProperties,
    SubscriberState,
)

TOKEN = "pat-na1-test-token"
BASE_URL = "https://api.test.example"


def _contact_properties(values: dict[str, str]) -> SingleSendRequestContactProperties:
    properties = SingleSendRequestContactProperties()
    properties.additional_properties = dict(values)
    return properties


def _custom_properties(values: dict[str, str]) -> SingleSendRequestCustomProperties:
    properties = SingleSendRequestCustomProperties()
    properties.additional_properties = dict(values)
    return properties


def _email_properties(values: dict[str, str]) -> EmailCreateInputProperties:
    properties = EmailCreateInputProperties()
    properties.additional_properties = dict(values)
    return properties


def _attendee(email: str, at_ms: int, joined_at: str) -> AttendeeByEmail:
    properties = AttendeeByEmailProperties()
    properties.additional_properties = {"joinedAt": joined_at}
    contact_properties = AttendeeByEmailContactProperties()
    contact_properties.additional_properties = {"firstname": "Ada"}
    return AttendeeByEmail(
        email=email, interaction_date_time=at_ms, properties=properties, contact_properties=contact_properties
    )


@dataclass(frozen=True)
class Case:
    """One operation: how to call it, what must go over the wire, and what comes back."""

    method: str
    args: tuple[Any, ...]
    path: str
    request_json: dict[str, Any]
    status: int
    response_json: dict[str, Any]
    check: Callable[[Any], None]
    kwargs: dict[str, Any] = field(default_factory=dict)


def _check_send(result: Any) -> None:
    assert isinstance(result, SingleSendResult)
    assert isinstance(result.raw, EmailSendStatusView)
    assert result.ok
    assert result.status is ProcessingStatus.PENDING
    assert result.status_id == "status-1"
    assert result.send_result is SendResult.QUEUED


def _check_legacy(result: Any) -> None:
    assert isinstance(result, SingleSendResult)
    assert result.send_result is LegacySendResult.SENT
    assert result.event_id == "e-1"
    assert result.ok
    assert isinstance(result.raw, LegacySendResponse)
    assert result.raw.event_id.created == 1715558400000  # type: ignore[union-attr]


def _check_batch(result: Any) -> None:
    assert isinstance(result, BatchResult)
    assert [outcome.state for outcome in result.outcomes] == [OutcomeState.CREATED, OutcomeState.CREATED]
    assert [outcome.record.id for outcome in result.outcomes if outcome.record] == ["901", "902"]
    first = result.outcomes[0].record
    assert first is not None
    assert first.properties.additional_properties["hs_email_subject"] == "Receipt"


def _check_attendance(result: Any) -> None:
    assert isinstance(result, BatchResult)
    assert [outcome.state for outcome in result.outcomes] == [OutcomeState.CREATED]
    record = result.outcomes[0].record
    assert record is not None
    assert (record.email, record.vid) == ("ada@example.com", 9007199254740993)


CASES = [
    Case(
        method="send_email",
        args=(),
        kwargs={
            "email_id": 4242,
            "to": "ada@example.com",
            "from_": "Billing <billing@example.com>",
            "send_id": "receipt-1",
            "reply_to": ["help@example.com"],
            "cc": ["cc@example.com"],
            "bcc": ["audit@example.com"],
            "contact_properties": {"last_paid_date": "2026-11-01"},
            "custom_properties": {"items": "<ul><li>Tea</li></ul>"},
        },
        path="/marketing/v4/email/single-send",
        request_json={
            "emailId": 4242,
            "message": {
                "to": "ada@example.com",
                "from": "Billing <billing@example.com>",
                "sendId": "receipt-1",
                "replyTo": ["help@example.com"],
                "cc": ["cc@example.com"],
                "bcc": ["audit@example.com"],
            },
            "contactProperties": {"last_paid_date": "2026-11-01"},
            "customProperties": {"items": "<ul><li>Tea</li></ul>"},
        },
        status=200,
        response_json={"status": "PENDING", "statusId": "status-1", "sendResult": "QUEUED"},
        check=_check_send,
    ),
    Case(
        method="send_legacy_email",
        args=(),
        kwargs={
            "email_id": 77,
            "to": "ada@example.com",
            "send_id": "legacy-1",
            "reply_to": ["a@example.com", "b@example.com"],
            "contact_properties": {"plan": "pro"},
            "custom_properties": {"amount": "$42.00"},
        },
        path="/email/public/v1/singleEmail/send",
        request_json={
            "emailId": 77,
            "message": {
                "to": "ada@example.com",
                "sendId": "legacy-1",
                "replyToList": ["a@example.com", "b@example.com"],
            },
            "contactProperties": [{"name": "plan", "value": "pro"}],
            "customProperties": [{"name": "amount", "value": "$42.00"}],
        },
        status=200,
        response_json={"sendResult": "SENT", "eventId": {"id": "e-1", "created": 1715558400000}},
        check=_check_legacy,
    ),
    Case(
        method="create_emails",
        args=(
            [
                EmailCreateInput(
                    properties=_email_properties(
                        {"hs_timestamp": "1763900000000", "hs_email_subject": "Receipt"}
                    ),
                    associations=[
                        AssociationForCreate(
                            to=PublicObjectId(id="501"),
                            types=[
                                AssociationSpec(
                                    association_category=AssociationCategory.HUBSPOT_DEFINED,
                                    association_type_id=198,
                                )
                            ],
                        )
                    ],
                    object_write_trace_id="trace-0",
                ),
                EmailCreateInput(
                    properties=_email_properties({"hs_timestamp": "1763900000001"}),
                    associations=[],
                    object_write_trace_id="trace-1",
                ),
            ],
        ),
        path="/crm/v3/objects/emails/batch/create",
        request_json={
            "inputs": [
                {
                    "properties": {"hs_timestamp": "1763900000000", "hs_email_subject": "Receipt"},
                    "associations": [
                        {
                            "to": {"id": "501"},
                            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}],
                        }
                    ],
                    "objectWriteTraceId": "trace-0",
                },
                {
                    "properties": {"hs_timestamp": "1763900000001"},
                    "associations": [],
                    "objectWriteTraceId": "trace-1",
                },
            ]
        },
        status=201,
        response_json={
            "status": "COMPLETE",
            "startedAt": "2026-11-23T10:00:00Z",
            "completedAt": "2026-11-23T10:00:01Z",
            "results": [
                {
                    "id": "901",
                    "properties": {"hs_email_subject": "Receipt"},
                    "createdAt": "2026-11-23T10:00:00Z",
                    "updatedAt": "2026-11-23T10:00:00Z",
                    "archived": False,
                    "objectWriteTraceId": "trace-0",
                },
                {
                    "objectWriteTraceId": "trace-1",
                    "id": "902",
                    "properties": {"hs_email_subject": None},
                    "createdAt": "2026-11-23T10:00:00Z",
                    "updatedAt": "2026-11-23T10:00:00Z",
                    "archived": False,
                },
            ],
        },
        check=_check_batch,
    ),
    Case(
        method="record_attendance",
        args=(
            "58237132332",
            SubscriberState.ATTEND,
            [_attendee("ada@example.com", 1763900000000, "1763900000000")],
        ),
        path="/marketing/v3/marketing-events/58237132332/attendance/attend/email-create",
        request_json={
            "inputs": [
                {
                    "email": "ada@example.com",
                    "interactionDateTime": 1763900000000,
                    "properties": {"joinedAt": "1763900000000"},
                    "contactProperties": {"firstname": "Ada"},
                }
            ]
        },
        status=200,
        response_json={
            "status": "COMPLETE",
            "startedAt": "2026-11-23T10:00:00Z",
            "completedAt": "2026-11-23T10:00:01Z",
            "results": [{"email": "ada@example.com", "vid": 9007199254740993}],
        },
        check=_check_attendance,
    ),
]


def call(kind: str, method: str, *args: Any, api_version: str = "legacy", **kwargs: Any) -> Any:
    """Call `method` through a fresh `Client` (kind "sync") or `AsyncClient` (kind "async")."""
    if kind == "sync":
        with Client(TOKEN, base_url=BASE_URL, api_version=api_version) as client:
            return getattr(client, method)(*args, **kwargs)

    async def run() -> Any:
        async with AsyncClient(TOKEN, base_url=BASE_URL, api_version=api_version) as client:
            return await getattr(client, method)(*args, **kwargs)

    return asyncio.run(run())


KINDS = ["sync", "async"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES, ids=[case.method for case in CASES])
def test_operation_sends_exact_request_and_parses_result(kind: str, case: Case) -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + case.path).mock(
            return_value=httpx.Response(case.status, json=case.response_json)
        )
        result = call(kind, case.method, *case.args, **case.kwargs)

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.url == BASE_URL + case.path
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("hubspot-email/")
    assert json.loads(request.content) == case.request_json
    case.check(result)


@pytest.mark.parametrize("kind", KINDS)
def test_base_url_trailing_slash_does_not_double_the_slash(kind: str) -> None:
    case = CASES[0]
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + case.path).mock(
            return_value=httpx.Response(200, json=case.response_json)
        )
        if kind == "sync":
            with Client(TOKEN, base_url=BASE_URL + "/") as client:
                client.send_email(**case.kwargs)
        else:

            async def run() -> None:
                async with AsyncClient(TOKEN, base_url=BASE_URL + "/") as client:
                    await client.send_email(**case.kwargs)

            asyncio.run(run())
    assert route.calls.last.request.url.path == case.path


def test_injected_http_client_is_used_and_left_open() -> None:
    case = CASES[0]
    with respx.mock(assert_all_called=True) as mock:
        mock.post(BASE_URL + case.path).mock(return_value=httpx.Response(200, json=case.response_json))
        http_client = httpx.Client(headers={"X-Proxy-Tag": "corp"})
        with Client(TOKEN, base_url=BASE_URL, http_client=http_client) as client:
            client.send_email(**case.kwargs)
        assert mock.calls.last.request.headers["x-proxy-tag"] == "corp"
        assert not http_client.is_closed
        http_client.close()


# The path each method calls for each api_version (fact sheet, section 8): the numbered path for "legacy";
# for a date, the dated successor with that date in its path, a version newer than the package's spec
# (2027-03) included; the v1 send has no successor and stays v1.
VERSIONED_PATHS: dict[tuple[str, str], str] = {
    ("send_email", "legacy"): "/marketing/v4/email/single-send",
    ("send_email", "2026-03"): "/marketing/email-campaigns/2026-03/single-send",
    ("send_email", "2026-09"): "/marketing/email-campaigns/2026-09/single-send",
    ("send_email", "2027-03"): "/marketing/email-campaigns/2027-03/single-send",
    ("send_legacy_email", "legacy"): "/email/public/v1/singleEmail/send",
    ("send_legacy_email", "2026-03"): "/email/public/v1/singleEmail/send",
    ("send_legacy_email", "2026-09"): "/email/public/v1/singleEmail/send",
    ("send_legacy_email", "2027-03"): "/email/public/v1/singleEmail/send",
    ("create_emails", "legacy"): "/crm/v3/objects/emails/batch/create",
    ("create_emails", "2026-03"): "/crm/objects/2026-03/emails/batch/create",
    ("create_emails", "2026-09"): "/crm/objects/2026-09/emails/batch/create",
    ("create_emails", "2027-03"): "/crm/objects/2027-03/emails/batch/create",
    (
        "record_attendance",
        "legacy",
    ): "/marketing/v3/marketing-events/58237132332/attendance/attend/email-create",
    (
        "record_attendance",
        "2026-03",
    ): "/marketing/marketing-events/2026-03/58237132332/attendance/attend/email-create",
    (
        "record_attendance",
        "2026-09",
    ): "/marketing/marketing-events/2026-09/58237132332/attendance/attend/email-create",
    (
        "record_attendance",
        "2027-03",
    ): "/marketing/marketing-events/2027-03/58237132332/attendance/attend/email-create",
}
API_VERSIONS = ["legacy", "2026-03", "2026-09", "2027-03"]


def test_the_path_table_covers_every_case_and_version() -> None:
    assert set(VERSIONED_PATHS) == {(case.method, version) for case in CASES for version in API_VERSIONS}
    assert all(VERSIONED_PATHS[case.method, "legacy"] == case.path for case in CASES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("api_version", API_VERSIONS)
@pytest.mark.parametrize("case", CASES, ids=[case.method for case in CASES])
def test_each_method_calls_its_path_for_the_api_version_with_the_same_request_and_result(
    kind: str, api_version: str, case: Case
) -> None:
    """Only the path changes with the version: the body, the headers and the result read are the same."""
    path = VERSIONED_PATHS[case.method, api_version]
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as mock:
        route = mock.post(BASE_URL + path).mock(
            return_value=httpx.Response(case.status, json=case.response_json)
        )
        result = call(kind, case.method, *case.args, api_version=api_version, **case.kwargs)
    assert route.call_count == 1
    request = route.calls.last.request
    assert request.url.raw_path.decode("ascii") == path
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == case.request_json
    case.check(result)
