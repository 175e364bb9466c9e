"""An agent loop over the WebSocket transport (chained turns) against HTTP SSE (issue 15).

A 50-turn tool loop: a ~2 KB developer prompt, three function tools with JSON schemas, one user
message; every reply is one function call (~100 bytes of arguments) and every next turn replays it
with its output (~1.5 KB of command output, as a shell tool returns). Against the fake backend in a
process of its own, each request delayed by a simulated 25 ms round trip (``latency``). For each
client, in a fresh interpreter:

- bytes uploaded: every byte the client process sent on its sockets (request lines, headers,
  bodies, WebSocket frames after permessage-deflate), in total and per turn;
- client CPU per turn (``time.process_time``, background threads included);
- wall time per turn.

Clients: ``websocket`` (chained: ``previous_response_id`` and only the new items), ``sse``
(the whole history each turn, uncompressed), ``sse+zstd`` (the same, zstd bodies as Codex sends).
Goals: at least 10x fewer bytes uploaded than ``sse``; a turn at most one round trip (25 ms) above
the fake's latency.

    uv run python benchmarks/bench_ws.py [--turns 50] [--latency 0.025] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend, RecordedRequest, sse

CLIENTS = {
    "websocket": {"transport": "websocket"},
    "sse": {"transport": "sse", "compression": False},
    "sse+zstd": {"transport": "sse", "compression": True},
}
MODEL = "gpt-5.5"
INSTRUCTIONS = (
    "You are a coding agent working in a repository. Read files with the tools, change them "
    "carefully, run the tests after each change and report what you did. "
) * 12  # ~2 KB
TOOLS = [
    {
        "type": "function",
        "name": name,
        "description": f"{name}: {description}",
        "parameters": {
            "type": "object",
            "properties": {
                "cmd": {"type": "string", "description": "The command line to run."},
                "workdir": {"type": "string", "description": "Where to run it."},
                "timeout_ms": {"type": "number", "description": "How long to wait."},
            },
            "required": ["cmd"],
            "additionalProperties": False,
        },
    }
    for name, description in (
        ("shell", "run a shell command and return its output"),
        ("read_file", "read a file of the repository"),
        ("apply_patch", "apply a unified diff to the repository"),
    )
]
WORDS = [
    "request",
    "response",
    "handler",
    "timeout",
    "session",
    "client",
    "server",
    "config",
    "token",
    "stream",
    "event",
    "item",
    "retry",
    "backoff",
    "cache",
    "pool",
    "socket",
    "frame",
    "header",
    "body",
    "parse",
    "encode",
    "decode",
    "model",
    "catalog",
]


def output_for(turn: int) -> str:
    """A tool's output for ``turn``: ~1.5 KB of search hits, different every turn (as real
    outputs are, so compression does not get them for free)."""
    rng = random.Random(turn)
    lines = []
    while sum(map(len, lines)) < 1500:
        words = "_".join(rng.choice(WORDS) for _ in range(2))
        lines.append(
            f"src/{rng.choice(WORDS)}/{words}.py:{rng.randint(1, 2000)}: "
            f"def {words}_{rng.randint(0, 999)}(self, {rng.choice(WORDS)}={rng.randint(0, 99)}):"
        )
    return "\n".join(lines)


def respond(request: RecordedRequest) -> list[dict[str, Any]]:
    """Every turn's reply: one function call, with an id unique to the turn."""
    items = request.input if request.input is not None else request.json.get("input", [])
    turn = len(items)
    return sse.reply_events(
        None,
        response_id=f"resp_bench_{turn:04d}",
        model=MODEL,
        tool_calls=[
            (
                "shell",
                json.dumps({"cmd": f"rg -n 'handler_{turn}' src", "workdir": "."}),
                f"call_{turn}",
            )
        ],
        usage={"input_tokens": 4000 + 500 * turn, "cached_tokens": 3500 + 500 * turn},
    )


def serve(port_file: Path, latency: float) -> None:
    backend = FakeChatGPTBackend(responder=respond, latency=latency)
    with backend.serve() as server:
        port_file.write_text(f"{server.url} {backend.access_token} {backend.account_id}")
        sys.stdin.read()  # until the parent closes our stdin


SENT = [0]


def count_uploads() -> None:
    """Count every byte this process sends on a socket (httpx and websockets both use
    ``socket.sendall``/``send``): request lines, headers, bodies, frames after deflate."""
    import socket

    base_sendall, base_send = socket.socket.sendall, socket.socket.send

    def sendall(self: socket.socket, data: Any, *args: Any) -> None:
        SENT[0] += len(data)
        base_sendall(self, data, *args)

    def send(self: socket.socket, data: Any, *args: Any) -> int:
        sent = base_send(self, data, *args)
        SENT[0] += sent
        return sent

    socket.socket.sendall = sendall  # type: ignore[method-assign]
    socket.socket.send = send  # type: ignore[method-assign]


def worker(name: str, url: str, token: str, account: str, turns: int) -> dict[str, float]:
    from chatgpt_sdk import ChatGPT
    from chatgpt_sdk.auth import StaticTokenProvider

    count_uploads()
    client = ChatGPT(
        token_provider=StaticTokenProvider(token, account_id=account),
        base_url=url + BASE_PATH,
        **CLIENTS[name],  # type: ignore[arg-type]
    )
    history: list[Any] = [
        {"role": "developer", "content": INSTRUCTIONS},
        {"role": "user", "content": "Find every request handler and give each a timeout."},
    ]
    client.responses.create(model=MODEL, input="warm up", tools=TOOLS)  # catalog, connection
    written, cpu, wall = SENT[0], time.process_time(), time.perf_counter()
    for _ in range(turns):
        response = client.responses.create(model=MODEL, input=history, tools=TOOLS)
        call = response.output[-1]
        history = [*history, *response.output]
        output = output_for(len(history))
        history.append({"type": "function_call_output", "call_id": call.call_id, "output": output})
    result = {
        "bytes": SENT[0] - written,
        "cpu": (time.process_time() - cpu) / turns,
        "wall": (time.perf_counter() - wall) / turns,
        "transport": client.transport,
    }
    client.close()
    return result  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.025, help="seconds per request")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are shown")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=list(CLIENTS), help=argparse.SUPPRESS)
    parser.add_argument("--server", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.latency)
        return
    if args.worker:
        url, token, account = args.server.split()
        print(json.dumps(worker(args.worker, url, token, account, args.turns)))
        return

    port_file = Path(f"/tmp/bench_ws_{os.getpid()}.addr")
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port_file), "--latency", str(args.latency)],
        stdin=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            if port_file.exists() and port_file.read_text():
                break
            time.sleep(0.1)
        address = port_file.read_text()
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name in CLIENTS}
        for _ in range(args.repeat):
            for name in CLIENTS:
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--worker",
                        name,
                        "--server",
                        address,
                        "--turns",
                        str(args.turns),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=600,
                )
                rounds[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=10)
        port_file.unlink(missing_ok=True)

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in rounds[name])

    sse_bytes = median("sse", "bytes")
    print(
        f"{args.turns}-turn tool loop, simulated latency {args.latency * 1000:.0f} ms, "
        f"medians of {args.repeat} rounds\n"
    )
    print(
        "| client | sent over | bytes uploaded | per turn | vs sse | CPU ms/turn | wall ms/turn |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name in CLIENTS:
        total = median(name, "bytes")
        print(
            f"| {name} | {rounds[name][0]['transport']} | {total:,.0f} | "
            f"{total / args.turns:,.0f} | {sse_bytes / total:.1f}x fewer | "
            f"{median(name, 'cpu') * 1000:.2f} | {median(name, 'wall') * 1000:.1f} |"
        )
    ws_wall = median("websocket", "wall")
    print(
        f"\nwebsocket: {sse_bytes / median('websocket', 'bytes'):.1f}x fewer bytes than sse "
        f"(goal >= 10x); a turn {1000 * (ws_wall - args.latency):.1f} ms above the latency "
        f"(goal <= {args.latency * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
