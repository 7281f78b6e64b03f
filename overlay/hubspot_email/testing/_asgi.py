"""The simulator as an ASGI app, and a loopback server for it (uvicorn in a background thread).

Over a socket, faults are real: a dropped connection is an announced body that never arrives in full
(the server closes the connection mid-answer), an answer that never comes is held for
`Faults.hang_seconds`, longer than any sensible client read timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ._decisions import Fault
from ._wire import SimRequest

if TYPE_CHECKING:
    from ._simulator import Simulator


class DroppedConnection(Exception):
    """Raised inside the ASGI app after a partial answer, so the server closes the connection."""


async def serve_asgi(simulator: Simulator, scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] != "http":
        return
    content = bytearray()
    while True:
        message = await receive()
        content += message.get("body", b"")
        if not message.get("more_body"):
            break
    request = SimRequest(
        method=scope["method"],
        path=scope["path"],
        headers={name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]},
        content=bytes(content),
    )
    answer = simulator.handle(request)
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


class _QuietInjectedFaults(logging.Filter):
    """Keep uvicorn from logging a traceback for each fault the simulator injected on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], DroppedConnection | asyncio.CancelledError):
            return False
        return "timeout graceful shutdown exceeded" not in record.getMessage()


_QUIET = _QuietInjectedFaults()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serve_in_thread(simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve on loopback for the duration of the block; yields the base URL. Stops by itself."""
    import uvicorn

    port = port or free_port(host)
    config = uvicorn.Config(
        simulator,
        host=host,
        port=port,
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
    thread = threading.Thread(target=server.run, name="hubspot-simulator", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"the simulator could not start on {host}:{port}")
        threading.Event().wait(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
