from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.email_send_status_view import EmailSendStatusView
from ...models.error import Error
from ...models.rate_limit_error import RateLimitError
from ...models.single_send_request import SingleSendRequest
from ...types import Response


def _get_kwargs(
    *,
    body: SingleSendRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/marketing/v4/email/single-send",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmailSendStatusView | Error | RateLimitError:
    if response.status_code == 200:
        response_200 = EmailSendStatusView.from_dict(response.json())

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
) -> Response[EmailSendStatusView | Error | RateLimitError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SingleSendRequest,
) -> Response[EmailSendStatusView | Error | RateLimitError]:
    """Send one email to one recipient

     Sends a published email (marketing or transactional, saved for the single-send API) to one
    recipient, asynchronously. At most one email is sent per `message.sendId` per account, which
    makes `sendId` the idempotency key: send the same one on every retry.

    Requires one of the scopes `marketing-email` or `transactional-email`. HubSpot marks this
    endpoint exempt from the daily and ten-second rate limits.

    HubSpot now calls this numbered path legacy; its dated successor is `sendSingleEmailDated`.

    Args:
        body (SingleSendRequest): A request to send a single email asynchronously.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmailSendStatusView | Error | RateLimitError]
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
    body: SingleSendRequest,
) -> EmailSendStatusView | Error | RateLimitError | None:
    """Send one email to one recipient

     Sends a published email (marketing or transactional, saved for the single-send API) to one
    recipient, asynchronously. At most one email is sent per `message.sendId` per account, which
    makes `sendId` the idempotency key: send the same one on every retry.

    Requires one of the scopes `marketing-email` or `transactional-email`. HubSpot marks this
    endpoint exempt from the daily and ten-second rate limits.

    HubSpot now calls this numbered path legacy; its dated successor is `sendSingleEmailDated`.

    Args:
        body (SingleSendRequest): A request to send a single email asynchronously.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmailSendStatusView | Error | RateLimitError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SingleSendRequest,
) -> Response[EmailSendStatusView | Error | RateLimitError]:
    """Send one email to one recipient

     Sends a published email (marketing or transactional, saved for the single-send API) to one
    recipient, asynchronously. At most one email is sent per `message.sendId` per account, which
    makes `sendId` the idempotency key: send the same one on every retry.

    Requires one of the scopes `marketing-email` or `transactional-email`. HubSpot marks this
    endpoint exempt from the daily and ten-second rate limits.

    HubSpot now calls this numbered path legacy; its dated successor is `sendSingleEmailDated`.

    Args:
        body (SingleSendRequest): A request to send a single email asynchronously.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmailSendStatusView | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SingleSendRequest,
) -> EmailSendStatusView | Error | RateLimitError | None:
    """Send one email to one recipient

     Sends a published email (marketing or transactional, saved for the single-send API) to one
    recipient, asynchronously. At most one email is sent per `message.sendId` per account, which
    makes `sendId` the idempotency key: send the same one on every retry.

    Requires one of the scopes `marketing-email` or `transactional-email`. HubSpot marks this
    endpoint exempt from the daily and ten-second rate limits.

    HubSpot now calls this numbered path legacy; its dated successor is `sendSingleEmailDated`.

    Args:
        body (SingleSendRequest): A request to send a single email asynchronously.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmailSendStatusView | Error | RateLimitError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
