from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.email_send_status_view import EmailSendStatusView
from ...models.error import Error
from ...models.rate_limit_error import RateLimitError
from ...types import Response


def _get_kwargs(
    status_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/marketing/v3/email/send-statuses/{status_id}".format(
            status_id=quote(str(status_id), safe=""),
        ),
    }

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
    status_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[EmailSendStatusView | Error | RateLimitError]:
    """Get the status of a single send

     The status of a send request, by the `statusId` a v4 single send, its dated successor or a v3
    transactional send answered with: the same `EmailSendStatusView` body as the send's own answer, as
    it stands now. A v4 send
    answers at once, often with `status` PENDING or PROCESSING; ask here to learn what became of it.

    Where this comes from: HubSpot's transactional email guides document this endpoint and
    third-party clients use it, but it is absent from HubSpot's published OpenAPI files (the fact
    sheet, section 9); it is written here from those facts.

    `status` and `sendResult` answer different questions and are independent. `status` (PENDING,
    PROCESSING, CANCELED, COMPLETE) says whether HubSpot has finished processing the request:
    COMPLETE and CANCELED are final. `sendResult` says what the send attempt did (SENT, QUEUED,
    PREVIOUSLY_BOUNCED, ...). A CANCELED request has no sendResult, and QUEUED may come with
    COMPLETE. A 404 means HubSpot knows no send status by this id: it says nothing about the send.

    Requires one of the scopes `marketing-email` or `transactional-email`, as the send does. Unlike
    the single sends it is not exempt from the rate limits.

    Args:
        status_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmailSendStatusView | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        status_id=status_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    status_id: str,
    *,
    client: AuthenticatedClient,
) -> EmailSendStatusView | Error | RateLimitError | None:
    """Get the status of a single send

     The status of a send request, by the `statusId` a v4 single send, its dated successor or a v3
    transactional send answered with: the same `EmailSendStatusView` body as the send's own answer, as
    it stands now. A v4 send
    answers at once, often with `status` PENDING or PROCESSING; ask here to learn what became of it.

    Where this comes from: HubSpot's transactional email guides document this endpoint and
    third-party clients use it, but it is absent from HubSpot's published OpenAPI files (the fact
    sheet, section 9); it is written here from those facts.

    `status` and `sendResult` answer different questions and are independent. `status` (PENDING,
    PROCESSING, CANCELED, COMPLETE) says whether HubSpot has finished processing the request:
    COMPLETE and CANCELED are final. `sendResult` says what the send attempt did (SENT, QUEUED,
    PREVIOUSLY_BOUNCED, ...). A CANCELED request has no sendResult, and QUEUED may come with
    COMPLETE. A 404 means HubSpot knows no send status by this id: it says nothing about the send.

    Requires one of the scopes `marketing-email` or `transactional-email`, as the send does. Unlike
    the single sends it is not exempt from the rate limits.

    Args:
        status_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmailSendStatusView | Error | RateLimitError
    """

    return sync_detailed(
        status_id=status_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    status_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[EmailSendStatusView | Error | RateLimitError]:
    """Get the status of a single send

     The status of a send request, by the `statusId` a v4 single send, its dated successor or a v3
    transactional send answered with: the same `EmailSendStatusView` body as the send's own answer, as
    it stands now. A v4 send
    answers at once, often with `status` PENDING or PROCESSING; ask here to learn what became of it.

    Where this comes from: HubSpot's transactional email guides document this endpoint and
    third-party clients use it, but it is absent from HubSpot's published OpenAPI files (the fact
    sheet, section 9); it is written here from those facts.

    `status` and `sendResult` answer different questions and are independent. `status` (PENDING,
    PROCESSING, CANCELED, COMPLETE) says whether HubSpot has finished processing the request:
    COMPLETE and CANCELED are final. `sendResult` says what the send attempt did (SENT, QUEUED,
    PREVIOUSLY_BOUNCED, ...). A CANCELED request has no sendResult, and QUEUED may come with
    COMPLETE. A 404 means HubSpot knows no send status by this id: it says nothing about the send.

    Requires one of the scopes `marketing-email` or `transactional-email`, as the send does. Unlike
    the single sends it is not exempt from the rate limits.

    Args:
        status_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmailSendStatusView | Error | RateLimitError]
    """

    kwargs = _get_kwargs(
        status_id=status_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    status_id: str,
    *,
    client: AuthenticatedClient,
) -> EmailSendStatusView | Error | RateLimitError | None:
    """Get the status of a single send

     The status of a send request, by the `statusId` a v4 single send, its dated successor or a v3
    transactional send answered with: the same `EmailSendStatusView` body as the send's own answer, as
    it stands now. A v4 send
    answers at once, often with `status` PENDING or PROCESSING; ask here to learn what became of it.

    Where this comes from: HubSpot's transactional email guides document this endpoint and
    third-party clients use it, but it is absent from HubSpot's published OpenAPI files (the fact
    sheet, section 9); it is written here from those facts.

    `status` and `sendResult` answer different questions and are independent. `status` (PENDING,
    PROCESSING, CANCELED, COMPLETE) says whether HubSpot has finished processing the request:
    COMPLETE and CANCELED are final. `sendResult` says what the send attempt did (SENT, QUEUED,
    PREVIOUSLY_BOUNCED, ...). A CANCELED request has no sendResult, and QUEUED may come with
    COMPLETE. A 404 means HubSpot knows no send status by this id: it says nothing about the send.

    Requires one of the scopes `marketing-email` or `transactional-email`, as the send does. Unlike
    the single sends it is not exempt from the rate limits.

    Args:
        status_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmailSendStatusView | Error | RateLimitError
    """

    return (
        await asyncio_detailed(
            status_id=status_id,
            client=client,
        )
    ).parsed
