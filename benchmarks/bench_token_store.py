"""Reading credentials from the Redis token store versus the auth file (issue 14, "Speed").

    uv run python benchmarks/bench_token_store.py                 # all three tables
    uv run python benchmarks/bench_token_store.py --requests 400 --rounds 5

Goal: under 0.5 ms p50 added per request by Redis, at concurrency 50, through the proxy.

1. **Through the proxy**: the proxy app (``create_app``, in this process, driven over ASGI) with
   ``token_store: file`` and with ``token_store: redis://...``, 50 callers sending
   ``POST /v1/responses`` (a 60-delta reply, non-streamed) to the benchmarks' fake backend (a
   process of its own, ``fake_server.py``) over loopback HTTP. Rounds alternate file and Redis;
   each cell is the median over rounds of that round's p50 (p99), with the range of the rounds'
   p50s (the noise), in ms. On a small machine 50 callers saturate the CPU, so the request
   latency is mostly queueing; the second pair of columns is the part that depends on the store:
   the time each request spent in ``acredentials()`` inside the loaded proxy, in µs.
2. **Credentials per request**: what the client does before each request,
   ``await provider.acredentials()``, from 50 tasks at once: µs per call. A provider keeps the
   tokens it read and goes back to its store only to refresh, so this is the steady state.
3. **One uncached read**: ``store.read()`` (file: open, read, ``json.loads``; Redis: one
   ``GET``), from 50 threads at once and from one: µs per read. This is what a replica pays when
   it (re)loads the login: at start, and under the lock when it refreshes.

The Redis is a ``redis-server`` on a free loopback port, started here as the tests do.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from fake_server import access_token, prompt_for, start_server
from redis_support import redis_server

from chatgpt_sdk.auth import FileTokenProvider

CONCURRENCY = 50


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def seed(provider: FileTokenProvider) -> None:
    # The fake server's own token (valid until 2100): no refresh ever happens here.
    provider.save_tokens(access_token=access_token(), refresh_token="rt_bench", id_token="")


# --- 1. through the proxy -----------------------------------------------------------------------


async def proxy_round(token_store: str, requests: int) -> list[float]:
    from chatgpt_sdk.server import create_app
    from chatgpt_sdk.server.config import parse_config

    app = create_app(config=parse_config({"token_store": token_store}))
    body = {"model": "gpt-5.5", "input": prompt_for(60)}
    latencies: list[float] = []
    in_credentials.clear()
    limits = httpx.Limits(max_connections=CONCURRENCY * 2)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://proxy", limits=limits
        ) as http,
    ):
        for _ in range(CONCURRENCY):  # warm-up: connections, the catalog, the login
            assert (await http.post("/v1/responses", json=body)).status_code == 200
        left = requests

        async def caller() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                started = time.perf_counter()
                answer = await http.post("/v1/responses", json=body)
                latencies.append(time.perf_counter() - started)
                assert answer.status_code == 200, answer.text

        await asyncio.gather(*(caller() for _ in range(CONCURRENCY)))
    return latencies


# Every acredentials() call the proxy's clients make, timed (installed by main()).
in_credentials: list[float] = []


def time_credentials() -> None:
    original = FileTokenProvider.acredentials

    async def timed(self: FileTokenProvider, force_refresh: bool = False) -> Any:
        started = time.perf_counter()
        try:
            return await original(self, force_refresh)
        finally:
            in_credentials.append(time.perf_counter() - started)

    FileTokenProvider.acredentials = timed  # type: ignore[method-assign]


def table_proxy(redis_url: str, requests: int, rounds: int) -> list[str]:
    results: dict[str, list[tuple[float, float, float, float]]] = {"file": [], "redis": []}
    for _ in range(rounds):
        for name, store in (("file", "file"), ("redis", redis_url)):
            lat = asyncio.run(proxy_round(store, requests))
            cred = in_credentials[-requests:]
            results[name].append(
                (
                    percentile(lat, 0.5),
                    percentile(lat, 0.99),
                    percentile(cred, 0.5),
                    percentile(cred, 0.99),
                )
            )
    rows = [
        "| token store | request p50 ms (rounds) | request p99 ms | acredentials() p50 µs "
        "| acredentials() p99 µs |",
        "| --- | --- | --- | --- | --- |",
    ]
    p50: dict[str, float] = {}
    cred50: dict[str, float] = {}
    for name, cells in results.items():
        p50[name] = statistics.median(c[0] for c in cells) * 1e3
        spread = f"{min(c[0] for c in cells) * 1e3:.0f}-{max(c[0] for c in cells) * 1e3:.0f}"
        p99 = statistics.median(c[1] for c in cells) * 1e3
        cred50[name] = statistics.median(c[2] for c in cells) * 1e6
        cred99 = statistics.median(c[3] for c in cells) * 1e6
        rows.append(
            f"| {name} | {p50[name]:.1f} ({spread}) | {p99:.1f} | {cred50[name]:.1f} "
            f"| {cred99:.1f} |"
        )
    rows.append(
        f"| **added by Redis** | {p50['redis'] - p50['file']:+.1f} (noise: see the rounds) | "
        f"| **{cred50['redis'] - cred50['file']:+.1f} µs** | |"
    )
    return rows


# --- 2. credentials per request -----------------------------------------------------------------


async def per_call_us(provider: FileTokenProvider, calls: int) -> tuple[float, float]:
    await provider.acredentials()  # loaded once, as a client does at its first request
    latencies: list[float] = []
    left = calls

    async def task() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            started = time.perf_counter()
            await provider.acredentials()
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0)

    await asyncio.gather(*(task() for _ in range(CONCURRENCY)))
    return percentile(latencies, 0.5) * 1e6, percentile(latencies, 0.99) * 1e6


# --- 3. one uncached read -----------------------------------------------------------------------


def read_us(read: Callable[[], Any], calls: int, threads: int) -> tuple[float, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = max(1, calls // threads)

    def worker() -> None:
        mine = []
        for _ in range(per_thread):
            started = time.perf_counter()
            read()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return percentile(latencies, 0.5) * 1e6, percentile(latencies, 0.99) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000, help="proxy requests per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per store (alternating)")
    parser.add_argument("--calls", type=int, default=20000, help="calls for tables 2 and 3")
    args = parser.parse_args()

    print(f"# bench_token_store: Python {platform.python_version()}, {os.cpu_count()} CPUs")
    with (
        tempfile.TemporaryDirectory() as folder,
        redis_server() as redis_base,
        start_server() as (api_base, _process),
    ):
        for name in ("CHATGPT_PROFILE", "CHATGPT_TOKEN_STORE", "CHATGPT_AUTH_FILE"):
            os.environ.pop(name, None)
        os.environ.update(
            CHATGPT_TOKEN_DIR=folder,
            CODEX_HOME=str(Path(folder) / "codex"),
            CHATGPT_API_BASE=api_base,
            CHATGPT_TRANSPORT="sse",
            CHATGPT_RESPONSE_STORE="none",  # only the token store differs between the rows
            NO_PROXY="127.0.0.1,localhost",
        )
        redis_url = f"{redis_base}?prefix=bench:"
        file_provider = FileTokenProvider()
        redis_provider = FileTokenProvider(token_store=redis_url)
        seed(file_provider)
        seed(redis_provider)
        time_credentials()

        print(
            f"\n## 1. Through the proxy: {CONCURRENCY} callers, {args.requests} requests x "
            f"{args.rounds} rounds per store\n"
        )
        print("\n".join(table_proxy(redis_url, args.requests, args.rounds)))

        print(f"\n## 2. acredentials() per request, {CONCURRENCY} tasks (steady state)\n")
        print("| token store | p50 µs | p99 µs |\n| --- | --- | --- |")
        for name, provider in (("file", file_provider), ("redis", redis_provider)):
            fresh = FileTokenProvider(token_store=provider.store)
            p50, p99 = asyncio.run(per_call_us(fresh, args.calls))
            print(f"| {name} | {p50:.1f} | {p99:.1f} |")

        print("\n## 3. One uncached read of the login (store.read())\n")
        print("| token store | 1 thread p50 µs | 50 threads p50 µs | 50 threads p99 µs |")
        print("| --- | --- | --- | --- |")
        for name, provider in (("file", file_provider), ("redis", redis_provider)):
            store = provider.store
            single, _ = read_us(store.read, min(args.calls, 5000), 1)
            p50, p99 = read_us(store.read, args.calls, CONCURRENCY)
            print(f"| {name} | {single:.0f} | {p50:.0f} | {p99:.0f} |")
        redis_provider.close()


if __name__ == "__main__":
    main()
