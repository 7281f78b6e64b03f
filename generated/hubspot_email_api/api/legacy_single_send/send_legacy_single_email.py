from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.legacy_send_response import LegacySendResponse
from ...models.legacy_single_send_request import LegacySingleSendRequest
from ...models.rate_limit_error import RateLimitError
from ...types import Response


def _get_kwargs(
    *,
    body: LegacySingleSendRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/email/public/v1/singleEmail/send",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | LegacySendResponse | RateLimitError:
    if response.status_code == 200:
        response_200 = LegacySendResponse.from_dict(response.json())

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
) -> Response[Error | LegacySendResponse | RateLimitError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: LegacySingleSendRequest,
) -> Response[Error | LegacySendResponse | RateLimitError]:
    """Send one transactional email (legacy v1)

     The legacy transactional single send. Sends an email designed in the marketing email tool and
    saved for the single-send API to one recipient. Contacts are created for unknown recipient
    addresses. Requires the Transactional Email add-on and the scope `transactional-email`.

    HubSpot's guidance: a 4xx response means "do not resend"; a 5xx means the request failed.
    `message.sendId` de-duplicates sends as in v4. No sunset has been announced.

    This send has no dated successor: HubSpot's date-versioned API has no counterpart of v1.

    Args:
        body (LegacySingleSendRequest): A legacy single-send request. Property lists are arrays of
            name/value pairs, not maps.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LegacySendResponse | RateLimitError]
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
    body: LegacySingleSendRequest,
) -> Error | LegacySendResponse | RateLimitError | None:
    """Send one transactional email (legacy v1)

     The legacy transactional single send. Sends an email designed in the marketing email tool and
    saved for the single-send API to one recipient. Contacts are created for unknown recipient
    addresses. Requires the Transactional Email add-on and the scope `transactional-email`.

    HubSpot's guidance: a 4xx response means "do not resend"; a 5xx means the request failed.
    `message.sendId` de-duplicates sends as in v4. No sunset has been announced.

    This send has no dated successor: HubSpot's date-versioned API has no counterpart of v1.

    Args:
        body (LegacySingleSendRequest): A legacy single-send request. Property lists are arrays of
            name/value pairs, not maps.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LegacySendResponse | RateLimitError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: LegacySingleSendRequest,
) -> Response[Error | LegacySendResponse | RateLimitError]:
    """Send one transactional email (legacy v1)

     The legacy transactional single send. Sends an email designed in the marketing email tool and
    saved for the single-send API to one recipient. Contacts are created for unknown recipient
    addresses. Requires the Transactional Email add-on and the scope `transactional-email`.

    HubSpot's guidance: a 4xx response means "do not resend"; a 5xx means the request failed.
    `message.sendId` de-duplicates sends as in v4. No sunset has been announced.

    This send has no dated successor: HubSpot's date-versioned API has no counterpart of v1.

    Args:
        body (LegacySingleSendRequest): A legacy single-send request. Property lists are arrays of
            name/value pairs, not maps.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LegacySendResponse | RateLimitError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: LegacySingleSendRequest,
) -> Error | LegacySendResponse | RateLimitError | None:
    """Send one transactional email (legacy v1)

     The legacy transactional single send. Sends an email designed in the marketing email tool and
    saved for the single-send API to one recipient. Contacts are created for unknown recipient
    addresses. Requires the Transactional Email add-on and the scope `transactional-email`.

    HubSpot's guidance: a 4xx response means "do not resend"; a 5xx means the request failed.
    `message.sendId` de-duplicates sends as in v4. No sunset has been announced.

    This send has no dated successor: HubSpot's date-versioned API has no counterpart of v1.

    Args:
        body (LegacySingleSendRequest): A legacy single-send request. Property lists are arrays of
            name/value pairs, not maps.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LegacySendResponse | RateLimitError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
