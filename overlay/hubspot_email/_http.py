"""What both clients do around httpx: the bearer token, and reading an answer without losing it.

The token lives in one `BearerAuth` object and nowhere else: not in the client's headers, not in a
local variable of the request loop (tracebacks captured with locals, as Sentry does, show those), and
not on a request once its exchange is over, so an exception or a pickle that keeps the response keeps
no token.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx

__all__ = ["Answer", "BearerAuth", "answer_from_raw"]

REDACTED = "Bearer [redacted]"


class BearerAuth(httpx.Auth):
    """Adds `Authorization: Bearer ...` for the length of one exchange, then takes it off the request."""

    __slots__ = ("_header",)

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        response: httpx.Response | None = None
        try:
            response = yield request
        finally:
            # The request outlives the exchange (response.request, an error's request): leave no token.
            request.headers["Authorization"] = REDACTED
            # Nor on the requests of redirects followed within the exchange (an http_client with
            # follow_redirects=True): httpx copies the header onto a redirect to the same origin.
            for hop in [] if response is None else [*response.history, response]:
                if hop.request.headers.get("Authorization") == self._header:
                    hop.request.headers["Authorization"] = REDACTED

    def redact(self, text: str) -> str:
        """`text` with the token replaced: for messages written by others (a transport's exception)."""
        return text.replace(self._header.removeprefix("Bearer "), "[redacted]")

    def __repr__(self) -> str:
        return "BearerAuth([redacted])"

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("BearerAuth holds an access token and is not picklable")


@dataclass(frozen=True)
class Answer:
    """HubSpot's answer to one attempt. `response.content` is the decoded body or, when the body could
    not be decoded (a wrong Content-Encoding), the bytes as they came, with `decode_error` saying why."""

    response: httpx.Response
    decode_error: str | None = None
    # An earlier attempt of the same call may have been acted on (a timeout, a reset after sending, a
    # 5xx, an unreadable answer): an error read from this answer must not claim nothing was done.
    earlier_attempt_may_have_acted: bool = False

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @cached_property
    def body(self) -> Any:
        """The body as JSON; None when it is not JSON or could not be decoded. Parsed once."""
        return None if self.decode_error is not None else json_or_none(self.response)

    @property
    def readable(self) -> bool:
        """A JSON object, as every answer HubSpot documents is."""
        return isinstance(self.body, dict)


def needs_raw_read(response: httpx.Response) -> bool:
    """True when the body is encoded (gzip, br...) and still to be read: it is read raw first, so that a
    body that fails to decode is still kept. Plain bodies are read the usual way; an answer a transport
    built in memory (a mock, an in-process app) was read, and decoded, when it was made."""
    return "content-encoding" in response.headers and not response.is_stream_consumed


def answer_from_raw(response: httpx.Response, raw: bytes) -> Answer:
    """Decode `raw` as `response`'s headers say; keep the raw bytes when that fails."""
    decoded = httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx.ByteStream(raw),
        request=response.request,
        extensions=response.extensions,
    )
    try:
        decoded.read()
    except httpx.DecodingError as error:
        encoding = response.headers.get("content-encoding", "")
        kept = httpx.Response(
            response.status_code, content=raw, request=response.request, extensions=response.extensions
        )
        # Every header as HubSpot sent it, Content-Encoding included; the content is the raw bytes.
        kept.headers = httpx.Headers(response.headers.multi_items())
        return Answer(
            kept, f"the body is labelled Content-Encoding {encoding!r} but does not decode ({error})"
        )
    return Answer(decoded)


def read_answer(response: httpx.Response) -> Answer:
    """A streamed response read in full (sync). The response is closed."""
    try:
        if needs_raw_read(response):
            return answer_from_raw(response, b"".join(response.iter_raw()))
        response.read()
    finally:
        response.close()
    return Answer(response)


async def aread_answer(response: httpx.Response) -> Answer:
    """A streamed response read in full (async). The response is closed."""
    try:
        if needs_raw_read(response):
            return answer_from_raw(response, b"".join([chunk async for chunk in response.aiter_raw()]))
        await response.aread()
    finally:
        await response.aclose()
    return Answer(response)


def json_or_none(response: httpx.Response) -> Any:
    """The body as JSON, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def summary(response: httpx.Response, body: Any) -> str:
    """A short, safe description of an answer's body (`body`: its JSON): HubSpot's message if it sent one."""
    if isinstance(body, Mapping) and isinstance(body.get("message"), str):
        return str(body["message"])
    if body is None:
        return f"{len(response.content)} bytes of {response.headers.get('content-type', 'unknown type')}"
    return "no message in the body"
