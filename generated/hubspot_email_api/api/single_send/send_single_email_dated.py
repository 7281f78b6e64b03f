from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.api_version import ApiVersion
from ...models.email_send_status_view import EmailSendStatusView
from ...models.error import Error
from ...models.rate_limit_error import RateLimitError
from ...models.single_send_request import SingleSendRequest
from ...types import Response


def _get_kwargs(
    version: ApiVersion | str,
    *,
    body: SingleSendRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/marketing/email-campaigns/{version}/single-send".format(
            version=quote(str(version), safe=""),
        ),
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
    version: ApiVersion | str,
    *,
    client: AuthenticatedClient,
    body: SingleSendRequest,
) -> Response[EmailSendStatusView | Error | RateLimitError]:
    """Send one email to one recipient (date-versioned)

     The dated successor of `sendSingleEmail` (`POST /marketing/v4/email/single-send`): the same
    request, the same `EmailSendStatusView` answer and the same rules (at most one email per
    `message.sendId` per account; scope `marketing-email` or `transactional-email`; exempt from the
    daily and ten-second rate limits).

    Where HubSpot's descriptions differ, this spec follows the numbered one:
    - HubSpot's dated descriptions list `message.bcc`, `cc` and `replyTo` as required and
      `message.to` as optional. That is self-evidently wrong (`to` is the recipient, the one field
      a send cannot do without), so `message` here is v4's: `to` required, the others optional.
    - HubSpot has published this path for `2026-03` only (the other dated operations also for
      `2026-09`). A client sends the one version it was given to every dated operation, this one
      included: before choosing a version, check that HubSpot serves this path at it.

    Args:
        version (ApiVersion | str): A date-based API version: one this spec knows, or a newer one
            of the same form (YYYY-MM).
            Written as the open response enums are (see the header), with a pattern on the string
            branch:
            a version released after this spec is a string to send, not a failure.
        body (SingleSendRequest): A request to send a single email asynchronously.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmailSendStatusView | Error | RateLimitError]
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
    body: SingleSendRequest,
) -> EmailSendStatusView | Error | RateLimitError | None:
    """Send one email to one recipient (date-versioned)

     The dated successor of `sendSingleEmail` (`POST /marketing/v4/email/single-send`): the same
    request, the same `EmailSendStatusView` answer and the same rules (at most one email per
    `message.sendId` per account; scope `marketing-email` or `transactional-email`; exempt from the
    daily and ten-second rate limits).

    Where HubSpot's descriptions differ, this spec follows the numbered one:
    - HubSpot's dated descriptions list `message.bcc`, `cc` and `replyTo` as required and
      `message.to` as optional. That is self-evidently wrong (`to` is the recipient, the one field
      a send cannot do without), so `message` here is v4's: `to` required, the others optional.
    - HubSpot has published this path for `2026-03` only (the other dated operations also for
      `2026-09`). A client sends the one version it was given to every dated operation, this one
      included: before choosing a version, check that HubSpot serves this path at it.

    Args:
        version (ApiVersion | str): A date-based API version: one this spec knows, or a newer one
            of the same form (YYYY-MM).
            Written as the open response enums are (see the header), with a pattern on the string
            branch:
            a version released after this spec is a string to send, not a failure.
        body (SingleSendRequest): A request to send a single email asynchronously.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmailSendStatusView | Error | RateLimitError
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
    body: SingleSendRequest,
) -> Response[EmailSendStatusView | Error | RateLimitError]:
    """Send one email to one recipient (date-versioned)

     The dated successor of `sendSingleEmail` (`POST /marketing/v4/email/single-send`): the same
    request, the same `EmailSendStatusView` answer and the same rules (at most one email per
    `message.sendId` per account; scope `marketing-email` or `transactional-email`; exempt from the
    daily and ten-second rate limits).

    Where HubSpot's descriptions differ, this spec follows the numbered one:
    - HubSpot's dated descriptions list `message.bcc`, `cc` and `replyTo` as required and
      `message.to` as optional. That is self-evidently wrong (`to` is the recipient, the one field
      a send cannot do without), so `message` here is v4's: `to` required, the others optional.
    - HubSpot has published this path for `2026-03` only (the other dated operations also for
      `2026-09`). A client sends the one version it was given to every dated operation, this one
      included: before choosing a version, check that HubSpot serves this path at it.

    Args:
        version (ApiVersion | str): A date-based API version: one this spec knows, or a newer one
            of the same form (YYYY-MM).
            Written as the open response enums are (see the header), with a pattern on the string
            branch:
            a version released after this spec is a string to send, not a failure.
        body (SingleSendRequest): A request to send a single email asynchronously.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmailSendStatusView | Error | RateLimitError]
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
    body: SingleSendRequest,
) -> EmailSendStatusView | Error | RateLimitError | None:
    """Send one email to one recipient (date-versioned)

     The dated successor of `sendSingleEmail` (`POST /marketing/v4/email/single-send`): the same
    request, the same `EmailSendStatusView` answer and the same rules (at most one email per
    `message.sendId` per account; scope `marketing-email` or `transactional-email`; exempt from the
    daily and ten-second rate limits).

    Where HubSpot's descriptions differ, this spec follows the numbered one:
    - HubSpot's dated descriptions list `message.bcc`, `cc` and `replyTo` as required and
      `message.to` as optional. That is self-evidently wrong (`to` is the recipient, the one field
      a send cannot do without), so `message` here is v4's: `to` required, the others optional.
    - HubSpot has published this path for `2026-03` only (the other dated operations also for
      `2026-09`). A client sends the one version it was given to every dated operation, this one
      included: before choosing a version, check that HubSpot serves this path at it.

    Args:
        version (ApiVersion | str): A date-based API version: one this spec knows, or a newer one
            of the same form (YYYY-MM).
            Written as the open response enums are (see the header), with a pattern on the string
            branch:
            a version released after this spec is a string to send, not a failure.
        body (SingleSendRequest): A request to send a single email asynchronously.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmailSendStatusView | Error | RateLimitError
    """

    return (
        await asyncio_detailed(
            version=version,
            client=client,
            body=body,
        )
    ).parsed
