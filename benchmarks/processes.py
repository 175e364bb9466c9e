"""The benchmarks' child processes: started until they print their URL (or answer), stopped for sure,
and their CPU and memory read from /proc (children included)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from http_load import get, one_request

CLK_TCK = os.sysconf("SC_CLK_TCK")
STARTUP_TIMEOUT_S = 180


@contextlib.contextmanager
def started(
    command: Sequence[str], what: str, **options: Any
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run ``command``, which prints its ``http://127.0.0.1:PORT`` URL on its first line; yields
    ``(url, process)`` and stops the process after."""
    process = subprocess.Popen(list(command), stdout=subprocess.PIPE, text=True, **options)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"{what} did not start (said {url!r})")
        yield url, process
    finally:
        stop(process)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    process: subprocess.Popen[Any], port: int, path: str, last_words: Callable[[], str]
) -> None:
    """Until ``GET path`` answers 200; RuntimeError if the process exits or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"exited with status {process.returncode}: {last_words()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"did not answer within {STARTUP_TIMEOUT_S} s")
        with contextlib.suppress(OSError, asyncio.TimeoutError):
            status, _, _ = asyncio.run(one_request("127.0.0.1", port, get(path, port)))
            if status == 200:
                return
        time.sleep(0.2)


def stop(process: subprocess.Popen[Any], group: bool = False) -> None:
    if process.poll() is None:
        if group:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            if group:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.wait(timeout=5)


def tree(pid: int) -> list[int]:
    """``pid`` and its live descendants."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += parents.get(current, [])
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its descendants (reaped children's included)."""
    total = 0
    for member in tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / CLK_TCK


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, peak RSS) of ``pid`` and its descendants, MiB."""
    rss = peak = 0
    for member in tree(pid):
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{member}/status").read_text()
            rss += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            peak += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return rss / 1024, peak / 1024
