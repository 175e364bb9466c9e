"""A real ``redis-server`` on a free loopback port, for the tests (and the store benchmark).

No fake: the process is the system's ``redis-server`` (``.ci/run`` installs it when missing), with
persistence off, started in a temporary directory and killed when the block ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

START_TIMEOUT_SECONDS = 15.0


class RedisUnavailable(RuntimeError):
    """``redis-server`` is not installed (or would not start)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pings(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Start ``redis-server`` on 127.0.0.1 and yield its URL (``redis://127.0.0.1:PORT/0``)."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise RedisUnavailable("redis-server is not installed (apt-get install -y redis-server)")
    with tempfile.TemporaryDirectory(prefix="chatgpt-sdk-redis-") as workdir:
        for _attempt in range(3):  # the free port may be taken before redis binds it: retry
            port = free_port()
            process = subprocess.Popen(
                [
                    executable,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    workdir,
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while process.poll() is None and time.monotonic() < deadline:
                if _pings(port):
                    break
                time.sleep(0.02)
            if process.poll() is None and _pings(port):
                try:
                    yield f"redis://127.0.0.1:{port}/0"
                finally:
                    process.terminate()
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
                return
            if process.poll() is None:
                process.kill()
            process.wait()
        raise RedisUnavailable("redis-server would not start on a free loopback port")


@contextlib.contextmanager
def redis_or_skip(what: str) -> Iterator[str]:
    """``redis_server()`` for a test; without a ``redis-server`` the test is skipped, except in
    CI, which must test ``what`` against a real server and fails instead."""
    import pytest  # here: the benchmarks use this module without pytest

    try:
        with redis_server() as url:
            yield url
    except RedisUnavailable as exc:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            pytest.fail(f"CI must test {what} against a real server: {exc}")
        pytest.skip(str(exc))
