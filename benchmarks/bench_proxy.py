"""Our proxy beside the LiteLLM proxy, both in front of one fast local fake (issue 10, "Speed").

    uv run --group bench --with 'litellm[proxy]' python benchmarks/bench_proxy.py --repeat 3
    uv run python benchmarks/bench_proxy.py --only ours          # without LiteLLM

Three server processes on 127.0.0.1, started once: the fake backend (``fake_server.py``), our
proxy (``create_app`` under uvicorn with ``server_options`` after ``settle_process()``, as
``chatgpt-sdk serve`` runs it), and ``litellm --config`` with its ``chatgpt/`` provider pointed at
the same fake (``CHATGPT_API_BASE``, an ``auth.json`` it trusts in a temporary
``CHATGPT_TOKEN_DIR``). Both proxies have an API key.
This process is the load: a minimal HTTP/1.1 client on asyncio streams (uvloop when installed), one
connection per caller, so the callers cost little CPU and have no pool of their own to be unfair.

Targets: ``direct`` (the Responses request a proxy makes, sent to the fake itself: the floor),
``ours`` and ``litellm`` (a non-streamed chat completion of a 60-delta reply, system + user).
Each round, for every target:

- sequential: ``--requests`` non-streamed requests one at a time, then as many streamed ones;
  latency is call to last byte; CPU per request is the server process's own
  (``/proc/<pid>/stat``, children included), so the load's CPU is never counted. Added latency =
  a proxy's percentile minus the direct one's.
- load: ``--clients`` callers (50), each on its own connection, back to back for ``--seconds``:
  requests/s, p50, p99, p99/p50, completed requests per caller (min, max, max/min), CPU per
  request under load.
- memory: RSS of the server process (with its children) after the load, and its peak.

Targets take turns within a round (0.5 s apart); ``--repeat N`` runs N rounds, so noise on this
shared machine hits them alike, and shows each figure's median. Goals (issue 10): added p50 < 2 ms
and at most half of LiteLLM's added latency and CPU per request; under load p99/p50 <= 2 and
max/min <= 1.2. Nothing leaves 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import importlib.util
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_server import ACCOUNT_ID, EXPIRES_AT, access_token, prompt_for, start_server
from http_load import Connection, post
from processes import cpu_seconds, free_port, memory_mib, started, stop, wait_until_up

MODEL = "gpt-5.5"
INSTRUCTIONS = "You are a helpful assistant."
DELTAS = 60
KEY = "sk-bench-proxy-0123456789abcdef0123456789abcdef"
REQUEST_TIMEOUT_S = 30
PAUSE_S = 0.5
LABELS = {"direct": "fake, direct", "ours": "chatgpt-sdk proxy", "litellm": "LiteLLM proxy"}


# -- the proxies ---------------------------------------------------------------------------------


def serve_ours(base: str, upstream: str) -> None:
    """Worker: our proxy as ``chatgpt-sdk serve`` runs it, on a free port it prints."""
    import uvicorn

    from chatgpt_sdk import AsyncChatGPT
    from chatgpt_sdk._core import POOL_LIMITS
    from chatgpt_sdk._pool import fair_async_client
    from chatgpt_sdk.auth import StaticTokenProvider
    from chatgpt_sdk.server import ProxyConfig, create_app
    from chatgpt_sdk.server._run import server_options, settle_process

    # The default client's own HTTP client (FIFO pool, POOL_LIMITS), passed explicitly: it keeps
    # the proxy on HTTP SSE to the fake, as LiteLLM is. ``--upstream websocket``: the transport
    # `chatgpt-sdk serve` uses by default on the Codex backend.
    client = AsyncChatGPT(
        token_provider=StaticTokenProvider(access_token(), account_id=ACCOUNT_ID),
        base_url=base,
        http_client=fair_async_client(POOL_LIMITS, follow_redirects=False),
        transport="websocket" if upstream == "websocket" else "sse",
    )
    config = ProxyConfig()
    app = create_app(client, api_key=KEY, config=config)
    options = server_options(config)
    settle_process()  # warm and freeze the heap, as `chatgpt-sdk serve` does before uvicorn
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(f"http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", **options)).run(sockets=[sock])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[Any]
    host: str
    port: int
    version: str = ""


@contextlib.contextmanager
def start_ours(base: str, upstream: str) -> Iterator[Server]:
    command = [sys.executable, __file__, "--serve-ours", base, "--upstream", upstream]
    with started(command, "our proxy") as (url, process):
        from chatgpt_sdk import __version__

        port = int(url.rsplit(":", 1)[1])
        wait_until_up(process, port, "/health", lambda: "")
        yield Server("ours", process, "127.0.0.1", port, __version__)


LITELLM_CONFIG = f"""\
model_list:
  - model_name: {MODEL}
    model_info:
      mode: responses
    litellm_params:
      model: chatgpt/{MODEL}
"""


@contextlib.contextmanager
def start_litellm(base: str) -> Iterator[Server]:
    """``litellm --config`` in front of the fake; raises RuntimeError with the reason if it fails."""
    command = shutil.which("litellm")
    if command is None:
        raise RuntimeError(
            "no `litellm` command: run with `uv run --group bench --with 'litellm[proxy]' ...`"
        )
    workdir = Path(tempfile.mkdtemp(prefix="bench-proxy-litellm-"))
    record = {
        "access_token": access_token(),
        "refresh_token": "rt_bench_unused",
        "id_token": access_token(),
        "expires_at": EXPIRES_AT,
        "account_id": ACCOUNT_ID,
    }
    (workdir / "auth.json").write_text(json.dumps(record))
    (workdir / "config.yaml").write_text(LITELLM_CONFIG)
    env = dict(
        os.environ,
        CHATGPT_API_BASE=base,
        CHATGPT_TOKEN_DIR=str(workdir),
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        LITELLM_LOG="ERROR",
        LITELLM_MASTER_KEY=KEY,
    )
    port = free_port()
    log = (workdir / "litellm.log").open("w")
    process = subprocess.Popen(
        [
            command,
            "--config",
            str(workdir / "config.yaml"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=workdir,
        start_new_session=True,
    )
    try:

        def tail() -> str:
            log.flush()
            lines = (workdir / "litellm.log").read_text(errors="replace").strip().splitlines()
            return lines[-1] if lines else ""

        wait_until_up(process, port, "/health/liveliness", tail)
        version = litellm_version()
        yield Server("litellm", process, "127.0.0.1", port, version)
    finally:
        stop(process, group=True)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def litellm_version() -> str:
    from importlib.metadata import version

    try:
        return version("litellm")
    except Exception:
        return "?"


# -- the targets ---------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    host: str
    port: int
    pid: int | None  # the server process whose CPU and memory count (None: the fake's)
    plain: bytes  # the non-streamed request
    streamed: bytes
    check_plain: bytes  # a byte string every good answer holds
    check_streamed: bytes


def targets(fake_port: int, fake_path: str, servers: list[Server]) -> list[Target]:
    wire = {
        "model": MODEL,
        "instructions": INSTRUCTIONS,
        "input": [{"type": "message", "role": "user", "content": prompt_for(DELTAS)}],
        "store": False,
        "stream": True,
    }
    direct = post(
        fake_path,
        wire,
        fake_port,
        {"Authorization": f"Bearer {access_token()}", "ChatGPT-Account-Id": ACCOUNT_ID},
    )
    found = [
        Target("direct", "127.0.0.1", fake_port, None, direct, direct, b"tok59", b"tok59"),
    ]
    chat = {
        "model": MODEL,
        "messages": [
            {"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": prompt_for(DELTAS)},
        ],
    }
    auth = {"Authorization": f"Bearer {KEY}"}
    for server in servers:
        found.append(
            Target(
                server.name,
                server.host,
                server.port,
                server.process.pid,
                post("/v1/chat/completions", chat, server.port, auth),
                post("/v1/chat/completions", {**chat, "stream": True}, server.port, auth),
                b"tok59",
                b"[DONE]",
            )
        )
    return found


async def call(connection: Connection, raw: bytes, check: bytes) -> float:
    begin = time.perf_counter()
    status, _, body = await asyncio.wait_for(connection.send(raw), REQUEST_TIMEOUT_S)
    elapsed = time.perf_counter() - begin
    if status != 200 or check not in body:
        raise RuntimeError(f"bad answer: {status} {body[:300]!r}")
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def sequential(target: Target, count: int, fake_pid: int, streamed: bool) -> dict[str, float]:
    """One request at a time: latency percentiles and the server's CPU per request."""
    connection = Connection(target.host, target.port)
    raw = target.streamed if streamed else target.plain
    check = target.check_streamed if streamed else target.check_plain
    for _ in range(20):  # warm: the connection, caches, the proxy's catalog
        await call(connection, raw, check)
    pid = target.pid or fake_pid
    cpu = cpu_seconds(pid)
    latencies = [await call(connection, raw, check) for _ in range(count)]
    spent = cpu_seconds(pid) - cpu
    await connection.close()
    kind = "stream" if streamed else "plain"
    return {
        f"{kind}_p50": percentile(latencies, 0.5) * 1000,
        f"{kind}_p99": percentile(latencies, 0.99) * 1000,
        f"{kind}_cpu": spent / count * 1000,
    }


async def load(target: Target, clients: int, seconds: float, fake_pid: int) -> dict[str, float]:
    """``clients`` callers, a connection each, back to back for ``seconds``."""
    connections = [Connection(target.host, target.port) for _ in range(clients)]
    await asyncio.gather(*(call(c, target.plain, target.check_plain) for c in connections))
    latencies: list[float] = []
    counts = [0] * clients
    pid = target.pid or fake_pid
    cpu = cpu_seconds(pid)
    start = time.perf_counter()
    deadline = start + seconds

    async def caller(index: int) -> None:
        connection = connections[index]
        while time.perf_counter() < deadline:
            latencies.append(await call(connection, target.plain, target.check_plain))
            counts[index] += 1

    await asyncio.gather(*(caller(i) for i in range(clients)))
    wall = time.perf_counter() - start
    spent = cpu_seconds(pid) - cpu
    for connection in connections:
        await connection.close()
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    rss, peak = memory_mib(pid)
    return {
        "rps": len(latencies) / wall,
        "load_p50": p50 * 1000,
        "load_p99": p99 * 1000,
        "load_ratio": p99 / p50,
        "min": min(counts),
        "max": max(counts),
        "spread": max(counts) / min(counts) if min(counts) else float("inf"),
        "load_cpu": spent / len(latencies) * 1000,
        "rss": rss,
        "peak": peak,
    }


async def round_(
    found: list[Target], args: argparse.Namespace, fake_pid: int
) -> dict[str, dict[str, float]]:
    """Each target in turn: non-streamed, streamed, then the load (a pause between phases, so
    that no server's leftover work runs into another's measurement)."""
    results: dict[str, dict[str, float]] = {}
    for target in found:
        row = results[target.name] = {}
        for streamed in (False, True):
            row.update(await sequential(target, args.requests, fake_pid, streamed))
            await asyncio.sleep(PAUSE_S)
        row.update(await load(target, args.clients, args.seconds, fake_pid))
        await asyncio.sleep(PAUSE_S)
    return results


# -- the report ----------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b > 0 else "–"


def report(
    results: dict[str, dict[str, float]], args: argparse.Namespace, versions: dict[str, str]
) -> str:
    names = [n for n in ("direct", "ours", "litellm") if n in results]
    direct = results["direct"]
    for name in names:
        row = results[name]
        for kind in ("plain", "stream"):
            for q in ("p50", "p99"):
                row[f"{kind}_added_{q}"] = row[f"{kind}_{q}"] - direct[f"{kind}_{q}"]
        row["stream_cost"] = row["stream_cpu"] / row["plain_cpu"] if row["plain_cpu"] else 0.0
    both = "ours" in results and "litellm" in results
    lines = [
        "| | " + " | ".join(LABELS[n] for n in names) + (" | ours / LiteLLM |" if both else " |"),
        "| --- " * (len(names) + 1 + both) + "|",
    ]

    def add(label: str, key: str, fmt: str, *, proxies: bool = False, compare: bool = True) -> None:
        cells = []
        for name in names:
            row = results[name]
            cells.append("–" if proxies and name == "direct" else fmt.format(**row))
        if both:
            cells.append(ratio(results["ours"][key], results["litellm"][key]) if compare else "")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    n = args.clients
    add(
        "non-streamed chat, p50 / p99 ms",
        "plain_p50",
        "{plain_p50:.2f} / {plain_p99:.2f}",
        compare=False,
    )
    add("**added p50 ms**", "plain_added_p50", "{plain_added_p50:.2f}", proxies=True)
    add("**added p99 ms**", "plain_added_p99", "{plain_added_p99:.2f}", proxies=True)
    add("**CPU ms / request** (server process)", "plain_cpu", "{plain_cpu:.2f}")
    add("streamed chat, added p50 ms", "stream_added_p50", "{stream_added_p50:.2f}", proxies=True)
    add("streamed, CPU ms / request", "stream_cpu", "{stream_cpu:.2f}")
    add(
        "streamed / non-streamed CPU",
        "stream_cost",
        "{stream_cost:.2f}×",
        proxies=True,
        compare=False,
    )
    add(f"**requests/s at {n}**", "rps", "{rps:.0f}")
    add(f"p50 / p99 ms at {n}", "load_p50", "{load_p50:.1f} / {load_p99:.1f}", compare=False)
    add("**p99 / p50** under load", "load_ratio", "{load_ratio:.2f}", compare=False)
    add("completed per client, min – max", "min", "{min:.0f} – {max:.0f}", compare=False)
    add("**max / min**", "spread", "{spread:.2f}", compare=False)
    add(f"CPU ms / request at {n}", "load_cpu", "{load_cpu:.2f}")
    add("RSS MiB after the load (peak)", "rss", "{rss:.0f} ({peak:.0f})")
    table = "\n".join(lines)
    notes = [
        "",
        f"{datetime.date.today().isoformat()}; {args.requests} sequential requests per target and "
        f"kind, {args.clients} clients for {args.seconds:g} s, a {DELTAS}-delta reply; medians of "
        f"{args.repeat} round(s). Versions: "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + f"; ours on {args.server_stack}, upstream over {args.upstream}. The fake row's CPU and memory are the fake's own (its"
        + " requests are the proxies' upstream requests). Load average (1 min) "
        + f"{args.load_before:.1f} before, {os.getloadavg()[0]:.1f} after.",
    ]
    goals = []
    if "ours" in results:
        ours = results["ours"]
        goals.append(f"added p50 < 2 ms: {ours['plain_added_p50']:.2f} ms")
        if "litellm" in results:
            lite = results["litellm"]
            goals.append(
                f"added p50 <= 0.5× LiteLLM's: {ratio(ours['plain_added_p50'], lite['plain_added_p50'])}"
            )
            goals.append(
                f"CPU/request <= 0.5× LiteLLM's: {ratio(ours['plain_cpu'], lite['plain_cpu'])}"
            )
        goals.append(f"p99/p50 <= 2 under load: {ours['load_ratio']:.2f}")
        goals.append(f"max/min <= 1.2: {ours['spread']:.2f}")
        notes.append("Goals (issue 10), ours: " + "; ".join(goals) + ".")
    return table + "\n" + "\n".join(notes)


def median_results(rounds: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {
        name: {key: statistics.median(r[name][key] for r in rounds) for key in rounds[0][name]}
        for name in rounds[0]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=["ours", "litellm"], help="repeatable")
    parser.add_argument("--requests", type=int, default=300, help="sequential, per kind")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=1, help="rounds; medians are shown")
    parser.add_argument(
        "--upstream",
        choices=["sse", "websocket"],
        default="sse",
        help="our proxy's transport to the fake (sse: as LiteLLM; websocket: serve's default)",
    )
    parser.add_argument("--serve-ours", metavar="BASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_ours:
        serve_ours(args.serve_ours, args.upstream)
        return
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    wanted = args.only or ["ours", "litellm"]
    args.load_before = os.getloadavg()[0]
    speed = [m for m in ("uvloop", "httptools") if importlib.util.find_spec(m) is not None]
    args.server_stack = " + ".join(speed) if speed else "asyncio + h11"
    with start_server() as (base, fake), contextlib.ExitStack() as stack:
        fake_url = base.rsplit("/backend-api", 1)[0]
        fake_port = int(fake_url.rsplit(":", 1)[1])
        servers: list[Server] = []
        versions = {"python": sys.version.split()[0]}
        if "ours" in wanted:
            servers.append(stack.enter_context(start_ours(base, args.upstream)))
            versions["chatgpt-sdk"] = servers[-1].version
        if "litellm" in wanted:
            print("... starting the LiteLLM proxy", file=sys.stderr, flush=True)
            try:
                servers.append(stack.enter_context(start_litellm(base)))
                versions["LiteLLM proxy"] = servers[-1].version
            except RuntimeError as exc:
                print(f"LiteLLM proxy not available: {exc}", file=sys.stderr, flush=True)
        found = targets(fake_port, base[len(fake_url) :] + "/responses", servers)
        rounds = []
        for index in range(args.repeat):
            print(f"... round {index + 1}/{args.repeat}", file=sys.stderr, flush=True)
            rounds.append(asyncio.run(round_(found, args, fake.pid)))
        print(report(median_results(rounds), args, versions))


if __name__ == "__main__":
    main()
