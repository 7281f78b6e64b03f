from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.batch_create_emails_request import BatchCreateEmailsRequest
from ...models.batch_response_simple_public_object import (
    BatchResponseSimplePublicObject,
)
from ...models.error import Error
from ...models.rate_limit_error import RateLimitError
from ...types import Response


def _get_kwargs(
    *,
    body: BatchCreateEmailsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/crm/v3/objects/emails/batch/create",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchResponseSimplePublicObject | Error | RateLimitError:
    if response.status_code == 200:
        response_200 = BatchResponseSimplePublicObject.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = BatchResponseSimplePublicObject.from_dict(response.json())

        return response_201

    if response.status_code == 207:
        response_207 = BatchResponseSimplePublicObject.from_dict(response.json())

        return response_207

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
) -> Response[BatchResponseSimplePublicObject | Error | RateLimitError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchCreateEmailsRequest,
) -> Response[BatchResponseSimplePublicObject | Error | RateLimitError]:
    """Create a batch of email engagements

     Creates email engagements (logged emails on the CRM timeline). HubSpot's description sets no
    maxItems on `inputs`; 100 per request is the limit HubSpot gives for CRM batch endpoints, and
    the client chunks to it by default.

    Per-input failures are reported in a 207 (or inside a 2xx body) as `errors[]`; give each input
    a unique `objectWriteTraceId` to match them back. There is no idempotency key: a request that
    may have reached HubSpot must not be blindly retried.

    Requires the scope `crm.objects.contacts.write` (or `sales-email-read`).

    HubSpot now calls this numbered path legacy; its dated successor is `batchCreateEmailsDated`.

    Args:
        body (BatchCreateEmailsRequest): The email engagements to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResponseSimplePublicObject | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: BatchCreateEmailsRequest,
) -> BatchResponseSimplePublicObject | Error | RateLimitError | None:
    """Create a batch of email engagements

     Creates email engagements (logged emails on the CRM timeline). HubSpot's description sets no
    maxItems on `inputs`; 100 per request is the limit HubSpot gives for CRM batch endpoints, and
    the client chunks to it by default.

    Per-input failures are reported in a 207 (or inside a 2xx body) as `errors[]`; give each input
    a unique `objectWriteTraceId` to match them back. There is no idempotency key: a request that
    may have reached HubSpot must not be blindly retried.

    Requires the scope `crm.objects.contacts.write` (or `sales-email-read`).

    HubSpot now calls this numbered path legacy; its dated successor is `batchCreateEmailsDated`.

    Args:
        body (BatchCreateEmailsRequest): The email engagements to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResponseSimplePublicObject | Error | RateLimitError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchCreateEmailsRequest,
) -> Response[BatchResponseSimplePublicObject | Error | RateLimitError]:
    """Create a batch of email engagements

     Creates email engagements (logged emails on the CRM timeline). HubSpot's description sets no
    maxItems on `inputs`; 100 per request is the limit HubSpot gives for CRM batch endpoints, and
    the client chunks to it by default.

    Per-input failures are reported in a 207 (or inside a 2xx body) as `errors[]`; give each input
    a unique `objectWriteTraceId` to match them back. There is no idempotency key: a request that
    may have reached HubSpot must not be blindly retried.

    Requires the scope `crm.objects.contacts.write` (or `sales-email-read`).

    HubSpot now calls this numbered path legacy; its dated successor is `batchCreateEmailsDated`.

    Args:
        body (BatchCreateEmailsRequest): The email engagements to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResponseSimplePublicObject | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BatchCreateEmailsRequest,
) -> BatchResponseSimplePublicObject | Error | RateLimitError | None:
    """Create a batch of email engagements

     Creates email engagements (logged emails on the CRM timeline). HubSpot's description sets no
    maxItems on `inputs`; 100 per request is the limit HubSpot gives for CRM batch endpoints, and
    the client chunks to it by default.

    Per-input failures are reported in a 207 (or inside a 2xx body) as `errors[]`; give each input
    a unique `objectWriteTraceId` to match them back. There is no idempotency key: a request that
    may have reached HubSpot must not be blindly retried.

    Requires the scope `crm.objects.contacts.write` (or `sales-email-read`).

    HubSpot now calls this numbered path legacy; its dated successor is `batchCreateEmailsDated`.

    Args:
        body (BatchCreateEmailsRequest): The email engagements to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResponseSimplePublicObject | Error | RateLimitError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
