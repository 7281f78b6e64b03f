"""Start a throwaway redis-server on 127.0.0.1 for tests, and install it first if asked.

    python scripts/redis_server.py --install   # install Debian's redis-server if none is on PATH
    python scripts/redis_server.py             # start one, print its URL, stop it on Ctrl-C

From Python (a pytest fixture imports this file by path):

    with RedisServer() as server:
        use(server.url)  # redis://127.0.0.1:PORT/0

The server keeps nothing on disk (no RDB, no AOF, a temporary working directory), listens only on the
loopback address on a free port, answers PING before `__enter__` returns, and is stopped on exit.
No Python Redis client is needed here: PING is spoken over a plain socket.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from types import TracebackType

HOST = "127.0.0.1"
BINARY = "redis-server"
APT_PACKAGE = "redis-server"
START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0


class RedisUnavailableError(RuntimeError):
    """redis-server is missing or did not come up."""


def find_binary() -> str | None:
    return shutil.which(BINARY)


def install_binary() -> str:
    """Install Debian's redis-server with apt-get (needs root); return the binary's path."""
    found = find_binary()
    if found:
        return found
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        raise RedisUnavailableError(
            f"{BINARY} is not on PATH and cannot be installed here (needs root and apt-get): "
            f"install the Debian package {APT_PACKAGE!r} by hand"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt_get, "update", "-qq"], check=True, env=env)
    subprocess.run(
        [apt_get, "install", "-y", "-qq", "--no-install-recommends", APT_PACKAGE], check=True, env=env
    )
    found = find_binary()
    if found is None:
        raise RedisUnavailableError(f"apt-get installed {APT_PACKAGE!r} but {BINARY} is still not on PATH")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def ping(port: int, timeout: float = 0.5) -> bool:
    """True if a Redis server on `port` answers PING with PONG."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as connection:
            connection.sendall(b"*1\r\n$4\r\nPING\r\n")
            return connection.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A redis-server process on a free loopback port, for the lifetime of a `with` block."""

    def __init__(self, binary: str | None = None, *, install: bool = False) -> None:
        self._binary = binary
        self._install = install
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: tempfile.TemporaryDirectory[str] | None = None
        self.port = 0
        self._log = ""

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        binary = self._binary or (install_binary() if self._install else find_binary())
        if binary is None:
            raise RedisUnavailableError(
                f"{BINARY} is not on PATH: run `python scripts/redis_server.py --install` "
                f"(or `apt-get install {APT_PACKAGE}`)"
            )
        self._workdir = tempfile.TemporaryDirectory(prefix="redis-test-")
        self.port = free_port()
        command = [
            binary,
            "--port",
            str(self.port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            self._workdir.name,
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ]
        self._log = os.path.join(self._workdir.name, "redis.log")
        with open(self._log, "wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                with open(self._log, encoding="utf-8", errors="replace") as log_text:
                    output = log_text.read()
                self.stop()
                raise RedisUnavailableError(f"{BINARY} exited at start:\n{output}")
            if ping(self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise RedisUnavailableError(f"{BINARY} did not answer PING on port {self.port} in {START_TIMEOUT} s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        workdir, self._workdir = self._workdir, None
        if workdir is not None:
            workdir.cleanup()

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--install", action="store_true", help="install redis-server if missing, then exit")
    arguments = parser.parse_args(argv)
    if arguments.install:
        print(install_binary())
        return 0
    with RedisServer() as server:
        print(server.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
