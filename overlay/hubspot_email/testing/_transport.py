"""The simulator as an httpx transport, for `Client(transport=...)` and `AsyncClient(transport=...)`.

In process there is no socket, so faults are raised as the exceptions httpx would raise: a dropped
connection as `RemoteProtocolError`, an answer that never comes as `ReadTimeout` (at once: the client
would have given up anyway, and tests should not wait), a slow answer by sleeping. A mislabelled
encoding is answered as a stream, as off a socket, so the client fails to decode it when it reads.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from ._decisions import Fault
from ._wire import Handler, SimAnswer, SimRequest


class HandlerTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Carries httpx requests to `simulator.handle` (the public subclass is `SimulatorTransport`)."""

    def __init__(self, simulator: Handler) -> None:
        self.simulator = simulator

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.simulator!r})"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.simulator.handle(_sim_request(request, request.read()))
        if answer.fault is Fault.SLOW:
            time.sleep(answer.delay)
        return _response(answer, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.simulator.handle(_sim_request(request, await request.aread()))
        if answer.fault is Fault.SLOW:
            await asyncio.sleep(answer.delay)
        return _response(answer, request)


def _sim_request(request: httpx.Request, content: bytes) -> SimRequest:
    return SimRequest(
        method=request.method,
        # The raw path: a percent-encoded path parameter (`a%2Fb`) stays one segment.
        path=request.url.raw_path.decode("ascii").partition("?")[0],
        headers={name.lower(): value for name, value in request.headers.items()},
        content=content,
    )


def _response(answer: SimAnswer, request: httpx.Request) -> httpx.Response:
    if answer.fault is Fault.RESET:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
    if answer.fault is Fault.TIMEOUT_AFTER_ACTING:
        raise httpx.ReadTimeout("The read operation timed out", request=request)
    if answer.fault is Fault.BAD_ENCODING:
        # Given content=, httpx would decode here, in the transport; a stream is decoded by the client.
        headers = {**answer.headers, "content-length": str(len(answer.content))}
        return httpx.Response(
            answer.status, headers=headers, stream=httpx.ByteStream(answer.content), request=request
        )
    return httpx.Response(answer.status, headers=answer.headers, content=answer.content, request=request)
