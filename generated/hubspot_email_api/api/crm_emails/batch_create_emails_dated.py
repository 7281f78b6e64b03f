from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.api_version import ApiVersion
from ...models.batch_create_emails_request import BatchCreateEmailsRequest
from ...models.batch_response_simple_public_object import (
    BatchResponseSimplePublicObject,
)
from ...models.error import Error
from ...models.rate_limit_error import RateLimitError
from ...types import Response


def _get_kwargs(
    version: ApiVersion | str,
    *,
    body: BatchCreateEmailsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/crm/objects/{version}/emails/batch/create".format(
            version=quote(str(version), safe=""),
        ),
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
    version: ApiVersion | str,
    *,
    client: AuthenticatedClient,
    body: BatchCreateEmailsRequest,
) -> Response[BatchResponseSimplePublicObject | Error | RateLimitError]:
    """Create a batch of email engagements (date-versioned)

     The dated successor of `batchCreateEmails` (`POST /crm/v3/objects/emails/batch/create`): the
    same inputs, answers and rules (per-input failures in `errors[]`, matched back by
    `objectWriteTraceId`; no idempotency key; counted against the rate limits).

    Where HubSpot's descriptions differ:
    - HubSpot describes one path for every CRM object type,
    `/crm/objects/{version}/{objectType}/batch/create`.
      This operation is that path with `objectType` = `emails`, written out as the numbered twin's
      is (HubSpot's own SDK calls `/crm/objects/2026-03/emails/batch/create`).
    - The `2026-09` description marks property values nullable. Answers already allow a null value
      (`SimplePublicObject.properties`). Requests keep string values for every version: `2026-03`
      does not accept a null, and leaving a property out says the same; the client sends strings.

    Args:
        version (ApiVersion | str): A date-based API version: one this spec knows, or a newer one
            of the same form (YYYY-MM).
            Written as the open response enums are (see the header), with a pattern on the string
            branch:
            a version released after this spec is a string to send, not a failure.
        body (BatchCreateEmailsRequest): The email engagements to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResponseSimplePublicObject | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        version=version,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    version: ApiVersion | str,
    *,
    client: AuthenticatedClient,
    body: BatchCreateEmailsRequest,
) -> BatchResponseSimplePublicObject | Error | RateLimitError | None:
    """Create a batch of email engagements (date-versioned)

     The dated successor of `batchCreateEmails` (`POST /crm/v3/objects/emails/batch/create`): the
    same inputs, answers and rules (per-input failures in `errors[]`, matched back by
    `objectWriteTraceId`; no idempotency key; counted against the rate limits).

    Where HubSpot's descriptions differ:
    - HubSpot describes one path for every CRM object type,
    `/crm/objects/{version}/{objectType}/batch/create`.
      This operation is that path with `objectType` = `emails`, written out as the numbered twin's
      is (HubSpot's own SDK calls `/crm/objects/2026-03/emails/batch/create`).
    - The `2026-09` description marks property values nullable. Answers already allow a null value
      (`SimplePublicObject.properties`). Requests keep string values for every version: `2026-03`
      does not accept a null, and leaving a property out says the same; the client sends strings.

    Args:
        version (ApiVersion | str): A date-based API version: one this spec knows, or a newer one
            of the same form (YYYY-MM).
            Written as the open response enums are (see the header), with a pattern on the string
            branch:
            a version released after this spec is a string to send, not a failure.
        body (BatchCreateEmailsRequest): The email engagements to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResponseSimplePublicObject | Error | RateLimitError
    """

    return sync_detailed(
        version=version,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    version: ApiVersion | str,
    *,
    client: AuthenticatedClient,
    body: BatchCreateEmailsRequest,
) -> Response[BatchResponseSimplePublicObject | Error | RateLimitError]:
    """Create a batch of email engagements (date-versioned)

     The dated successor of `batchCreateEmails` (`POST /crm/v3/objects/emails/batch/create`): the
    same inputs, answers and rules (per-input failures in `errors[]`, matched back by
    `objectWriteTraceId`; no idempotency key; counted against the rate limits).

    Where HubSpot's descriptions differ:
    - HubSpot describes one path for every CRM object type,
    `/crm/objects/{version}/{objectType}/batch/create`.
      This operation is that path with `objectType` = `emails`, written out as the numbered twin's
      is (HubSpot's own SDK calls `/crm/objects/2026-03/emails/batch/create`).
    - The `2026-09` description marks property values nullable. Answers already allow a null value
      (`SimplePublicObject.properties`). Requests keep string values for every version: `2026-03`
      does not accept a null, and leaving a property out says the same; the client sends strings.

    Args:
        version (ApiVersion | str): A date-based API version: one this spec knows, or a newer one
            of the same form (YYYY-MM).
            Written as the open response enums are (see the header), with a pattern on the string
            branch:
            a version released after this spec is a string to send, not a failure.
        body (BatchCreateEmailsRequest): The email engagements to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResponseSimplePublicObject | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        version=version,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    version: ApiVersion | str,
    *,
    client: AuthenticatedClient,
    body: BatchCreateEmailsRequest,
) -> BatchResponseSimplePublicObject | Error | RateLimitError | None:
    """Create a batch of email engagements (date-versioned)

     The dated successor of `batchCreateEmails` (`POST /crm/v3/objects/emails/batch/create`): the
    same inputs, answers and rules (per-input failures in `errors[]`, matched back by
    `objectWriteTraceId`; no idempotency key; counted against the rate limits).

    Where HubSpot's descriptions differ:
    - HubSpot describes one path for every CRM object type,
    `/crm/objects/{version}/{objectType}/batch/create`.
      This operation is that path with `objectType` = `emails`, written out as the numbered twin's
      is (HubSpot's own SDK calls `/crm/objects/2026-03/emails/batch/create`).
    - The `2026-09` description marks property values nullable. Answers already allow a null value
      (`SimplePublicObject.properties`). Requests keep string values for every version: `2026-03`
      does not accept a null, and leaving a property out says the same; the client sends strings.

    Args:
        version (ApiVersion | str): A date-based API version: one this spec knows, or a newer one
            of the same form (YYYY-MM).
            Written as the open response enums are (see the header), with a pattern on the string
            branch:
            a version released after this spec is a string to send, not a failure.
        body (BatchCreateEmailsRequest): The email engagements to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResponseSimplePublicObject | Error | RateLimitError
    """

    return (
        await asyncio_detailed(
            version=version,
            client=client,
            body=body,
        )
    ).parsed
