"""The simulator as an ASGI app, and a loopback server for it (uvicorn in a background thread).

Over a socket, faults are real: a dropped connection is an announced body that never arrives in full
(the server closes the connection mid-answer), an answer that never comes is held for
`Faults.hang_seconds`, longer than any sensible client read timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from ._decisions import Fault
from ._wire import Handler, SimAnswer, SimRequest

Log = Callable[[str], None]


class DroppedConnection(Exception):
    """Raised inside the ASGI app after a partial answer, so the server closes the connection."""


class AsgiApp:
    """An ASGI 3 app answering with `handler`; `log`, if given, gets one line per request."""

    def __init__(self, handler: Handler, log: Log | None = None) -> None:
        self.handler = handler
        self.log = log

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        request = SimRequest(
            method=scope["method"],
            path=_raw_path(scope),
            headers={
                name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
            },
            content=await _read_body(receive),
        )
        answer: SimAnswer | None = None
        try:
            answer = self.handler.handle(request)
            await _send_answer(answer, send)
        finally:
            if self.log is not None:
                self.log(request_line(request, answer, (time.perf_counter() - started) * 1000))


async def serve_asgi(handler: Handler, scope: dict[str, Any], receive: Any, send: Any) -> None:
    await AsgiApp(handler)(scope, receive, send)


def _raw_path(scope: dict[str, Any]) -> str:
    raw = scope.get("raw_path")
    if raw:
        # Some servers leave the query string on raw_path; the simulator routes on the path alone.
        return bytes(raw).decode("latin-1").partition("?")[0]
    return str(scope["path"])


async def _read_body(receive: Any) -> bytes:
    content = bytearray()
    while True:
        message = await receive()
        content += message.get("body", b"")
        if not message.get("more_body"):
            return bytes(content)


async def _send_answer(answer: SimAnswer, send: Any) -> None:
    if answer.fault in (Fault.SLOW, Fault.TIMEOUT_AFTER_ACTING):
        await asyncio.sleep(answer.delay)
    if answer.fault is Fault.RESET:
        # Promise a body, send a little of it, then fail: the server drops the connection.
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]})
        await send({"type": "http.response.body", "body": b"{", "more_body": True})
        raise DroppedConnection("connection dropped by the simulator's fault injection")
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers.items()]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.content})


def request_line(request: SimRequest, answer: SimAnswer | None, elapsed_ms: float) -> str:
    """`POST /path 200 3.1ms`, with `fault=NAME` when one was injected; `-` when nothing was answered.

    Never a header, a body or a query string: a token can travel in any of them.
    """
    status = "-" if answer is None or answer.fault is Fault.RESET else str(answer.status)
    fault = f" fault={answer.fault.value}" if answer is not None and answer.fault is not None else ""
    path = "".join(
        char if char.isprintable() and not char.isspace() else f"%{ord(char):02X}" for char in request.path
    )
    return f"{request.method} {path} {status}{fault} {elapsed_ms:.1f}ms"


class _QuietInjectedFaults(logging.Filter):
    """Keep uvicorn from logging a traceback for each fault the simulator injected on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], DroppedConnection | asyncio.CancelledError):
            return False
        return "timeout graceful shutdown exceeded" not in record.getMessage()


_QUIET = _QuietInjectedFaults()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _family(host: str) -> socket.AddressFamily:
    try:
        return socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        return socket.AF_INET


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (0 picks a free port); raises OSError if it is taken."""
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY on accepted connections only for a socket whose proto
    # says TCP; with Nagle left on, each answer after the first on a connection waited ~40 ms for an ACK.
    sock = socket.socket(_family(host), socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if sock.family == socket.AF_INET6 else f"http://{host}:{port}"


@contextlib.contextmanager
def serve_in_thread(
    handler: Handler,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    sock: socket.socket | None = None,
    log: Log | None = None,
) -> Iterator[str]:
    """Serve on host:port (or on `sock`, already bound) for the duration of the block; yields the base URL.

    The socket is bound before the server starts, so port 0 needs no probe and a taken port is an
    OSError here. Stops by itself at the end of the block.
    """
    import uvicorn

    sock = sock or bind(host, port)
    config = uvicorn.Config(
        AsgiApp(handler, log),
        interface="asgi3",
        log_level="warning",
        lifespan="off",
        # Held answers (timeouts after acting) must not keep the server from stopping.
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    server.config.load()  # configures uvicorn's loggers; the filter goes on after that
    error_log = logging.getLogger("uvicorn.error")
    if _QUIET not in error_log.filters:
        error_log.addFilter(_QUIET)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="hubspot-simulator", daemon=True
    )
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"the simulator could not start on {base_url(sock)}")
            threading.Event().wait(0.01)
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
