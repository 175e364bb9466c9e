"""Fairness and cost of the HTTP connection pool under load (issue 10, "Speed").

    uv run python benchmarks/bench_pool.py --repeat 3           # every row, 5 s each, medians
    uv run python benchmarks/bench_pool.py --only httpx --only httpx-fair --seconds 3

One ``FakeChatGPTBackend`` process serves 127.0.0.1 (see ``fake_server.py``). Each row runs in a
fresh interpreter: a sequential pass (one caller, CPU per request), then ``--clients`` callers
(50) that each send requests in a loop, back to back, for ``--seconds``; a request counts if it
started before the deadline. Reported per row:

- p50, p99 and p99/p50 of the request latency (call to last byte read);
- completed requests per caller: min, max and max/min (the goal: max/min <= 1.2);
- CPU per request (``time.process_time`` of the client's process) sequentially and under load;
- pool retries: how many times a request was handed a connection that another request had
  already taken, and had to queue again (httpcore's ``ConnectionNotAvailable``, counted by
  wrapping the HTTP/1.1 connection's request method in this benchmark only), and TCP connects.

Rows, each with httpcore's pool and with ``chatgpt_sdk._pool`` (``-fair``):

- ``httpx``: ``httpx.AsyncClient(limits=POOL_LIMITS)``, a streamed POST, ``json.loads`` of every
  ``data:`` line (as the floor of ``bench_client.py``);
- ``sdk``: ``AsyncChatGPT.responses.create`` (non-streamed; it aggregates the stream);
- ``sync``: ``httpx.Client`` shared by ``--clients`` threads, the same request as ``httpx``;
- ``proxy``: the OpenAI-compatible proxy (``create_app`` under uvicorn, in a process of its own)
  in front of the fake, one shared ``AsyncChatGPT``; the callers are a separate load process,
  each with a connection of its own (so no pool on the caller's side), posting non-streamed chat
  completions. CPU and retries are the proxy process's own.

``--max-connections N`` replaces ``POOL_LIMITS`` (200 connections, 100 kept alive) with N and N,
to see the pool when requests must queue for a connection. Three processes share two cores in
the proxy rows; nothing leaves 127.0.0.1 and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fake_server import ACCOUNT_ID, access_token, prompt_for, start_server
from processes import started

MODEL = "gpt-5.5"
INSTRUCTIONS = "You are a helpful assistant."
DELTAS = 60
SEQUENTIAL = 200
WORKER_TIMEOUT_S = 180

ROWS = {
    "httpx": "raw httpx, async",
    "httpx-fair": "raw httpx, async, fair pool",
    "sdk": "AsyncChatGPT",
    "sdk-fair": "AsyncChatGPT, fair pool",
    "sync": "raw httpx, sync, threads",
    "sync-fair": "raw httpx, sync, fair pool",
    "proxy": "proxy (AsyncChatGPT)",
    "proxy-fair": "proxy, fair pool",
}


# -- instrumentation (this process only) -------------------------------------------------------

COUNTS = {"retries": 0, "connects": 0}


def instrument() -> None:
    """Count pool retries and TCP connects by wrapping httpcore's connection classes."""
    import httpcore
    from httpcore._async.connection import AsyncHTTPConnection
    from httpcore._async.http11 import AsyncHTTP11Connection
    from httpcore._sync.connection import HTTPConnection
    from httpcore._sync.http11 import HTTP11Connection

    lock = threading.Lock()

    def bump(key: str) -> None:
        with lock:
            COUNTS[key] += 1

    async_request = AsyncHTTP11Connection.handle_async_request
    sync_request = HTTP11Connection.handle_request
    async_connect = AsyncHTTPConnection._connect
    sync_connect = HTTPConnection._connect

    async def counted_async_request(self: Any, request: Any) -> Any:
        try:
            return await async_request(self, request)
        except httpcore.ConnectionNotAvailable:
            bump("retries")
            raise

    def counted_sync_request(self: Any, request: Any) -> Any:
        try:
            return sync_request(self, request)
        except httpcore.ConnectionNotAvailable:
            bump("retries")
            raise

    async def counted_async_connect(self: Any, request: Any) -> Any:
        bump("connects")
        return await async_connect(self, request)

    def counted_sync_connect(self: Any, request: Any) -> Any:
        bump("connects")
        return sync_connect(self, request)

    AsyncHTTP11Connection.handle_async_request = counted_async_request  # type: ignore[method-assign]
    HTTP11Connection.handle_request = counted_sync_request  # type: ignore[method-assign]
    AsyncHTTPConnection._connect = counted_async_connect  # type: ignore[method-assign]
    HTTPConnection._connect = counted_sync_connect  # type: ignore[method-assign]


def reset_counts() -> None:
    COUNTS.update(retries=0, connects=0)


# -- the request each row sends ----------------------------------------------------------------


def limits(max_connections: int | None) -> httpx.Limits:
    if max_connections is None:
        from chatgpt_sdk._core import POOL_LIMITS

        return POOL_LIMITS
    return httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)


def headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token()}", "ChatGPT-Account-Id": ACCOUNT_ID}


def wire_body() -> dict[str, Any]:
    return {
        "model": MODEL,
        "instructions": INSTRUCTIONS,
        "input": [{"type": "message", "role": "user", "content": prompt_for(DELTAS)}],
        "store": False,
        "stream": True,
    }


def deltas(lines: Any) -> int:
    count = 0
    for line in lines:
        if line.startswith("data: "):
            count += json.loads(line[6:])["type"] == "response.output_text.delta"
    return count


def async_http_client(fair: bool, max_connections: int | None) -> httpx.AsyncClient:
    if fair:
        from chatgpt_sdk._pool import fair_async_client

        return fair_async_client(limits(max_connections))
    return httpx.AsyncClient(limits=limits(max_connections), follow_redirects=False)


def sync_http_client(fair: bool, max_connections: int | None) -> httpx.Client:
    if fair:
        from chatgpt_sdk._pool import fair_client

        return fair_client(limits(max_connections))
    return httpx.Client(limits=limits(max_connections), follow_redirects=False)


# -- driving callers -----------------------------------------------------------------------------


def summary(
    latencies: list[float], counts: list[int], cpu_s: float, wall_s: float, seq_cpu_ms: float
) -> dict[str, Any]:
    latencies.sort()
    total = len(latencies)
    p50 = latencies[total // 2]
    p99 = latencies[min(total - 1, int(total * 0.99))]
    return {
        "requests": total,
        "rps": total / wall_s,
        "p50_ms": p50 * 1000,
        "p99_ms": p99 * 1000,
        "p99_p50": p99 / p50,
        "min": min(counts),
        "max": max(counts),
        "spread": max(counts) / min(counts) if min(counts) else float("inf"),
        "cpu_ms": cpu_s / total * 1000,
        "seq_cpu_ms": seq_cpu_ms,
        **COUNTS,
    }


def settle(freeze: bool) -> None:
    """``--freeze``: what ``chatgpt-sdk serve`` does once warm (``gc.freeze``), in this worker."""
    if freeze:
        gc.collect()
        gc.freeze()


async def drive_async(
    call: Callable[[], Awaitable[Any]], clients: int, seconds: float, freeze: bool
) -> dict[str, Any]:
    for _ in range(10):
        await call()
    cpu = time.process_time()
    for _ in range(SEQUENTIAL):
        await call()
    seq_cpu_ms = (time.process_time() - cpu) / SEQUENTIAL * 1000
    settle(freeze)
    await asyncio.gather(*(call() for _ in range(clients)))  # open the connections
    reset_counts()
    latencies: list[float] = []
    counts = [0] * clients
    start = time.perf_counter()
    deadline = start + seconds

    async def caller(index: int) -> None:
        while (begin := time.perf_counter()) < deadline:
            await call()
            latencies.append(time.perf_counter() - begin)
            counts[index] += 1

    cpu = time.process_time()
    await asyncio.gather(*(caller(i) for i in range(clients)))
    return summary(
        latencies, counts, time.process_time() - cpu, time.perf_counter() - start, seq_cpu_ms
    )


def drive_threads(
    call: Callable[[], Any], clients: int, seconds: float, freeze: bool
) -> dict[str, Any]:
    for _ in range(10):
        call()
    cpu = time.process_time()
    for _ in range(SEQUENTIAL):
        call()
    seq_cpu_ms = (time.process_time() - cpu) / SEQUENTIAL * 1000
    settle(freeze)
    latencies: list[float] = []
    counts = [0] * clients
    opened, barrier = threading.Event(), threading.Barrier(clients + 1)
    timing: dict[str, float] = {}

    def caller(index: int) -> None:
        opened.wait()
        call()  # open its connection, all at once
        barrier.wait()
        barrier.wait()
        deadline = timing["deadline"]
        while (begin := time.perf_counter()) < deadline:
            call()
            latencies.append(time.perf_counter() - begin)
            counts[index] += 1

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    opened.set()
    barrier.wait()
    reset_counts()
    start = time.perf_counter()
    timing["deadline"] = start + seconds
    cpu = time.process_time()
    barrier.wait()
    for thread in threads:
        thread.join()
    return summary(
        latencies, counts, time.process_time() - cpu, time.perf_counter() - start, seq_cpu_ms
    )


# -- rows ----------------------------------------------------------------------------------------


def run_httpx(base: str, fair: bool, args: argparse.Namespace) -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        client = async_http_client(fair, args.max_connections)
        body, hdrs = wire_body(), headers()
        async with client:

            async def call() -> None:
                async with client.stream(
                    "POST", base + "/responses", json=body, headers=hdrs
                ) as response:
                    response.raise_for_status()
                    if deltas([line async for line in response.aiter_lines()]) != DELTAS:
                        raise RuntimeError("short reply")

            return await drive_async(call, args.clients, args.seconds, args.freeze)

    return asyncio.run(main())


def run_sdk(base: str, fair: bool, args: argparse.Namespace) -> dict[str, Any]:
    from chatgpt_sdk import AsyncChatGPT
    from chatgpt_sdk.auth import StaticTokenProvider

    async def main() -> dict[str, Any]:
        provider = StaticTokenProvider(access_token(), account_id=ACCOUNT_ID)
        http = async_http_client(fair, args.max_connections)
        async with (
            http,
            AsyncChatGPT(
                token_provider=provider, base_url=base, max_retries=0, http_client=http
            ) as client,
        ):
            prompt = prompt_for(DELTAS)

            async def call() -> None:
                await client.responses.create(model=MODEL, input=prompt, instructions=INSTRUCTIONS)

            return await drive_async(call, args.clients, args.seconds, args.freeze)

    return asyncio.run(main())


def run_sync(base: str, fair: bool, args: argparse.Namespace) -> dict[str, Any]:
    body, hdrs = wire_body(), headers()
    with sync_http_client(fair, args.max_connections) as client:

        def call() -> None:
            with client.stream("POST", base + "/responses", json=body, headers=hdrs) as response:
                response.raise_for_status()
                if deltas(response.iter_lines()) != DELTAS:
                    raise RuntimeError("short reply")

        return drive_threads(call, args.clients, args.seconds, args.freeze)


STATS_PATH = "/_bench_pool/stats"


def serve_proxy(base: str, fair: bool, max_connections: int | None, freeze: bool) -> None:
    """Worker: the proxy in front of the fake, on a free port it prints, with a stats route."""
    import uvicorn

    from chatgpt_sdk import AsyncChatGPT
    from chatgpt_sdk.auth import StaticTokenProvider
    from chatgpt_sdk.server.app import create_app

    provider = StaticTokenProvider(access_token(), account_id=ACCOUNT_ID)
    client = AsyncChatGPT(
        token_provider=provider,
        base_url=base,
        max_retries=0,
        http_client=async_http_client(fair, max_connections),
    )
    app = create_app(client)

    async def with_stats(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == STATS_PATH:
            if scope["method"] == "DELETE":
                reset_counts()
            body = json.dumps({"cpu_s": time.process_time(), **COUNTS}).encode()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(f"http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    if freeze:
        from chatgpt_sdk.server._run import settle_process

        settle_process()  # as `chatgpt-sdk serve` does
    config = uvicorn.Config(with_stats, log_level="warning", lifespan="on", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


@contextmanager
def proxy_process(
    base: str, fair: bool, max_connections: int | None, freeze: bool
) -> Iterator[str]:
    command = [sys.executable, __file__, "--serve-proxy", base]
    if fair:
        command.append("--fair")
    if freeze:
        command.append("--freeze")
    if max_connections is not None:
        command += ["--max-connections", str(max_connections)]
    with started(command, "the proxy") as (url, _process):
        yield url


def run_proxy(base: str, fair: bool, args: argparse.Namespace) -> dict[str, Any]:
    body = {
        "model": MODEL,
        "messages": [
            {"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": prompt_for(DELTAS)},
        ],
    }

    async def main(url: str) -> dict[str, Any]:
        # One connection per caller: the load side has no shared pool to be unfair.
        one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        callers = [httpx.AsyncClient(base_url=url, limits=one) for _ in range(args.clients)]
        queue = list(callers)

        async def call() -> None:
            client = queue.pop()
            try:
                response = await client.post("/v1/chat/completions", json=body)
                response.raise_for_status()
            finally:
                queue.append(client)

        async def stats(method: str) -> dict[str, Any]:
            response = await callers[0].request(method, STATS_PATH)
            result: dict[str, Any] = response.json()
            return result

        for _ in range(10):
            await call()
        before = await stats("GET")
        for _ in range(SEQUENTIAL):
            await call()
        after = await stats("GET")
        seq_cpu_ms = (after["cpu_s"] - before["cpu_s"]) / SEQUENTIAL * 1000
        await asyncio.gather(*(call() for _ in range(args.clients)))
        before = await stats("DELETE")
        latencies: list[float] = []
        counts = [0] * args.clients
        start = time.perf_counter()
        deadline = start + args.seconds

        async def caller(index: int) -> None:
            client = callers[index]
            while (begin := time.perf_counter()) < deadline:
                response = await client.post("/v1/chat/completions", json=body)
                response.raise_for_status()
                latencies.append(time.perf_counter() - begin)
                counts[index] += 1

        await asyncio.gather(*(caller(i) for i in range(args.clients)))
        wall = time.perf_counter() - start
        after = await stats("GET")
        for client in callers:
            await client.aclose()
        COUNTS.update(retries=after["retries"], connects=after["connects"])
        return summary(latencies, counts, after["cpu_s"] - before["cpu_s"], wall, seq_cpu_ms)

    with proxy_process(base, fair, args.max_connections, args.freeze) as url:
        return asyncio.run(main(url))


RUNNERS: dict[str, Callable[[str, bool, argparse.Namespace], dict[str, Any]]] = {
    "httpx": run_httpx,
    "sdk": run_sdk,
    "sync": run_sync,
    "proxy": run_proxy,
}


# -- the parent: a worker per row, then the table ------------------------------------------------


def run_worker(name: str, base: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", name, "--base", base]
    command += ["--seconds", str(args.seconds), "--clients", str(args.clients)]
    if args.max_connections is not None:
        command += ["--max-connections", str(args.max_connections)]
    if args.freeze:
        command.append("--freeze")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {WORKER_TIMEOUT_S} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": reason[:160]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    header = (
        f"{'row':<29} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'p99/p50':>7} "
        f"{'min':>4} {'max':>4} {'max/min':>7} {'CPU seq':>7} {'CPU @N':>7} "
        f"{'retries':>7} {'connects':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, row in results.items():
        label = ROWS[name]
        if "error" in row:
            print(f"{label:<29} not available: {row['error']}")
            continue
        print(
            f"{label:<29} {row['rps']:>6.0f} {row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} "
            f"{row['p99_p50']:>7.2f} {row['min']:>4.0f} {row['max']:>4.0f} "
            f"{row['spread']:>7.2f} {row['seq_cpu_ms']:>7.2f} {row['cpu_ms']:>7.2f} "
            f"{row['retries']:>7.0f} {row['connects']:>8.0f}"
        )
    pool = (
        "POOL_LIMITS (200 connections, 100 kept alive)"
        if args.max_connections is None
        else f"{args.max_connections} connections"
    )
    print(
        f"\n{args.clients} callers for {args.seconds:g} s each, {DELTAS}-delta replies, {pool}; "
        f"medians of {args.repeat} round(s)"
        + ("; heaps frozen once warm (--freeze). " if args.freeze else ". ")
        + "CPU: ms per request of the client process (the proxy's for proxy rows), one caller "
        f"(seq) and {args.clients} (@N). Goals (issue 10): p99/p50 <= 2, max/min <= 1.2."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=list(ROWS), help="repeatable")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--max-connections", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1, help="rounds; medians are shown")
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="gc.freeze() each client once warm, and the proxy at startup (as `serve` does)",
    )
    parser.add_argument("--worker", choices=list(ROWS), help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--serve-proxy", metavar="BASE", help=argparse.SUPPRESS)
    parser.add_argument("--fair", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_proxy:
        instrument()
        serve_proxy(args.serve_proxy, args.fair, args.max_connections, args.freeze)
        return
    if args.worker:
        instrument()
        kind, _, variant = args.worker.partition("-")
        print(json.dumps(RUNNERS[kind](args.base, variant == "fair", args)))
        return
    names = args.only or list(ROWS)
    with start_server() as (base, _process):
        # The server encodes each reply length once; do it before anyone is timed.
        httpx.post(base + "/responses", json=wire_body(), headers=headers()).raise_for_status()
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
        for round_ in range(args.repeat):  # rounds interleave the rows: noise hits them alike
            for name in names:
                print(f"... {name} ({round_ + 1}/{args.repeat})", file=sys.stderr, flush=True)
                runs[name].append(run_worker(name, base, args))
    report({name: median_row(rows) for name, rows in runs.items()}, args)


def median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over the rounds (an error in any round is reported instead)."""
    for row in rows:
        if "error" in row:
            return row
    return {key: statistics.median(row[key] for row in rows) for key in rows[0]}


if __name__ == "__main__":
    main()
