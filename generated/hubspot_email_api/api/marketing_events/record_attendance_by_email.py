from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.attendance_by_email_request import AttendanceByEmailRequest
from ...models.batch_response_subscriber_email import BatchResponseSubscriberEmail
from ...models.error import Error
from ...models.rate_limit_error import RateLimitError
from ...models.subscriber_state import SubscriberState
from ...types import Response


def _get_kwargs(
    object_id: str,
    subscriber_state: SubscriberState,
    *,
    body: AttendanceByEmailRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/marketing/v3/marketing-events/{object_id}/attendance/{subscriber_state}/email-create".format(
            object_id=quote(str(object_id), safe=""),
            subscriber_state=quote(str(subscriber_state), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchResponseSubscriberEmail | Error | RateLimitError:
    if response.status_code == 200:
        response_200 = BatchResponseSubscriberEmail.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 423:
        response_423 = Error.from_dict(response.json())

        return response_423

    if response.status_code == 429:
        response_429 = RateLimitError.from_dict(response.json())

        return response_429

    if response.status_code == 477:
        response_477 = Error.from_dict(response.json())

        return response_477

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Error.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Error.from_dict(response.json())

        return response_504

    if response.status_code == 521:
        response_521 = Error.from_dict(response.json())

        return response_521

    if response.status_code == 522:
        response_522 = Error.from_dict(response.json())

        return response_522

    if response.status_code == 523:
        response_523 = Error.from_dict(response.json())

        return response_523

    response_default = Error.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchResponseSubscriberEmail | Error | RateLimitError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    object_id: str,
    subscriber_state: SubscriberState,
    *,
    client: AuthenticatedClient,
    body: AttendanceByEmailRequest,
) -> Response[BatchResponseSubscriberEmail | Error | RateLimitError]:
    """Record attendance of contacts at a marketing event by email

     Records the attendance state of several contacts at a marketing event, by email address.
    Contacts that do not exist are created; `contactProperties` apply only to newly created
    contacts and never update existing ones. For `attend`, the allowed event `properties` are
    `joinedAt` and `leftAt`.

    HubSpot answers 200 whenever the request was processed; per-input failures are reported inside
    that body in `errors`/`numErrors`. There is no idempotency key.

    Requires the scope `crm.objects.marketing_events.write`.

    HubSpot now calls this numbered path legacy; its dated successor is
    `recordAttendanceByEmailDated`.

    Args:
        object_id (str):
        subscriber_state (SubscriberState): An attendance state.
        body (AttendanceByEmailRequest): The attendees to record.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResponseSubscriberEmail | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        object_id=object_id,
        subscriber_state=subscriber_state,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    object_id: str,
    subscriber_state: SubscriberState,
    *,
    client: AuthenticatedClient,
    body: AttendanceByEmailRequest,
) -> BatchResponseSubscriberEmail | Error | RateLimitError | None:
    """Record attendance of contacts at a marketing event by email

     Records the attendance state of several contacts at a marketing event, by email address.
    Contacts that do not exist are created; `contactProperties` apply only to newly created
    contacts and never update existing ones. For `attend`, the allowed event `properties` are
    `joinedAt` and `leftAt`.

    HubSpot answers 200 whenever the request was processed; per-input failures are reported inside
    that body in `errors`/`numErrors`. There is no idempotency key.

    Requires the scope `crm.objects.marketing_events.write`.

    HubSpot now calls this numbered path legacy; its dated successor is
    `recordAttendanceByEmailDated`.

    Args:
        object_id (str):
        subscriber_state (SubscriberState): An attendance state.
        body (AttendanceByEmailRequest): The attendees to record.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResponseSubscriberEmail | Error | RateLimitError
    """

    return sync_detailed(
        object_id=object_id,
        subscriber_state=subscriber_state,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    object_id: str,
    subscriber_state: SubscriberState,
    *,
    client: AuthenticatedClient,
    body: AttendanceByEmailRequest,
) -> Response[BatchResponseSubscriberEmail | Error | RateLimitError]:
    """Record attendance of contacts at a marketing event by email

     Records the attendance state of several contacts at a marketing event, by email address.
    Contacts that do not exist are created; `contactProperties` apply only to newly created
    contacts and never update existing ones. For `attend`, the allowed event `properties` are
    `joinedAt` and `leftAt`.

    HubSpot answers 200 whenever the request was processed; per-input failures are reported inside
    that body in `errors`/`numErrors`. There is no idempotency key.

    Requires the scope `crm.objects.marketing_events.write`.

    HubSpot now calls this numbered path legacy; its dated successor is
    `recordAttendanceByEmailDated`.

    Args:
        object_id (str):
        subscriber_state (SubscriberState): An attendance state.
        body (AttendanceByEmailRequest): The attendees to record.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResponseSubscriberEmail | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        object_id=object_id,
        subscriber_state=subscriber_state,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    object_id: str,
    subscriber_state: SubscriberState,
    *,
    client: AuthenticatedClient,
    body: AttendanceByEmailRequest,
) -> BatchResponseSubscriberEmail | Error | RateLimitError | None:
    """Record attendance of contacts at a marketing event by email

     Records the attendance state of several contacts at a marketing event, by email address.
    Contacts that do not exist are created; `contactProperties` apply only to newly created
    contacts and never update existing ones. For `attend`, the allowed event `properties` are
    `joinedAt` and `leftAt`.

    HubSpot answers 200 whenever the request was processed; per-input failures are reported inside
    that body in `errors`/`numErrors`. There is no idempotency key.

    Requires the scope `crm.objects.marketing_events.write`.

    HubSpot now calls this numbered path legacy; its dated successor is
    `recordAttendanceByEmailDated`.

    Args:
        object_id (str):
        subscriber_state (SubscriberState): An attendance state.
        body (AttendanceByEmailRequest): The attendees to record.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResponseSubscriberEmail | Error | RateLimitError
    """

    return (
        await asyncio_detailed(
            object_id=object_id,
            subscriber_state=subscriber_state,
            client=client,
            body=body,
        )
    ).parsed
