"""Client overhead, side by side, against one local fake backend (issue 4, "Speed").

    uv run --group bench python benchmarks/bench_client.py

One ``FakeChatGPTBackend`` process serves 127.0.0.1 (see ``fake_server.py``); each client runs in
a fresh process of its own, so no library's import, background threads or caches leak into
another's numbers, and the server's CPU is never counted. For every client:

- CPU per request: ``time.process_time`` over many non-streamed requests of a 60-delta reply
  (the client aggregates the stream into a final response);
- deltas/s: one 20,000-delta stream, best of a few runs;
- async wall: 200 requests at concurrency 50 through the client's async flavour.

The floor is raw httpx plus ``json.loads`` of every ``data:`` line. A client that cannot be
imported or fails is reported with its reason; the others go on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from fake_server import (
    ACCOUNT_ID,
    EXPIRES_AT,
    access_token,
    prompt_for,
    reply_body,
    start_server,
)

MODEL = "gpt-5.5"
INSTRUCTIONS = "You are a helpful assistant."
SHORT, LONG = 60, 20_000
CPU_REQUESTS, CPU_BUDGET_S = 300, 20.0
STREAM_RUNS, STREAM_BUDGET_S = 3, 30.0
ASYNC_TOTAL, ASYNC_CONCURRENCY = 200, 50
WORKER_TIMEOUT_S = 300


class Client:
    """One client under test: a blocking request, a counted stream, an async batch."""

    def request(self, prompt: str) -> None:
        raise NotImplementedError

    def stream(self, prompt: str) -> int:
        """Stream a reply; return how many text deltas arrived."""
        raise NotImplementedError

    async def batch(self, prompt: str, total: int, concurrency: int) -> float:
        """Wall seconds for ``total`` requests, ``concurrency`` at a time, after a warm-up round."""
        raise NotImplementedError


async def bounded(call: Callable[[], Awaitable[Any]], total: int, concurrency: int) -> float:
    """Warm up ``concurrency`` connections, then time ``total`` calls ``concurrency`` at a time."""
    await asyncio.gather(*(call() for _ in range(concurrency)))
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            await call()

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(total)))
    return time.perf_counter() - start


def wire_body(prompt: str) -> dict[str, Any]:
    return {
        "model": MODEL,
        "instructions": INSTRUCTIONS,
        "input": [{"type": "message", "role": "user", "content": prompt}],
        "store": False,
        "stream": True,
    }


class RawHttpx(Client):
    """The floor: raw httpx and ``json.loads`` of every data line, text joined by hand."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.headers = {
            "Authorization": f"Bearer {access_token()}",
            "ChatGPT-Account-Id": ACCOUNT_ID,
        }
        self.client = httpx.Client(base_url=base, headers=self.headers)

    @staticmethod
    def _deltas(lines: Any) -> list[str]:
        deltas = []
        for line in lines:
            if line.startswith("data: "):
                event = json.loads(line[6:])
                if event["type"] == "response.output_text.delta":
                    deltas.append(event["delta"])
        return deltas

    def _post(self, prompt: str) -> list[str]:
        with self.client.stream("POST", "/responses", json=wire_body(prompt)) as response:
            response.raise_for_status()
            return self._deltas(response.iter_lines())

    def request(self, prompt: str) -> None:
        "".join(self._post(prompt))

    def stream(self, prompt: str) -> int:
        return len(self._post(prompt))

    async def batch(self, prompt: str, total: int, concurrency: int) -> float:
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(
            base_url=self.base, headers=self.headers, limits=limits
        ) as client:

            async def call() -> None:
                async with client.stream("POST", "/responses", json=wire_body(prompt)) as response:
                    response.raise_for_status()
                    "".join(self._deltas([line async for line in response.aiter_lines()]))

            return await bounded(call, total, concurrency)


class ChatGPTSDK(Client):
    """chatgpt_sdk's Responses client."""

    def __init__(self, base: str) -> None:
        from chatgpt_sdk import AsyncChatGPT, ChatGPT
        from chatgpt_sdk.auth import StaticTokenProvider

        self.provider = StaticTokenProvider(access_token(), account_id=ACCOUNT_ID)
        self.base = base
        # Over HTTP SSE, as every other row is; the default `auto` (WebSocket on this backend)
        # is weighed by bench_ws.py.
        self.client = ChatGPT(
            token_provider=self.provider, base_url=base, max_retries=0, transport="sse"
        )
        self.async_class = AsyncChatGPT

    def request(self, prompt: str) -> None:
        self.client.responses.create(model=MODEL, input=prompt, instructions=INSTRUCTIONS)

    def stream(self, prompt: str) -> int:
        events = self.client.responses.create(
            model=MODEL, input=prompt, instructions=INSTRUCTIONS, stream=True
        )
        return sum(event.type == "response.output_text.delta" for event in events)

    async def batch(self, prompt: str, total: int, concurrency: int) -> float:
        async with self.async_class(
            token_provider=self.provider, base_url=self.base, max_retries=0, transport="sse"
        ) as client:
            return await bounded(
                lambda: client.responses.create(
                    model=MODEL, input=prompt, instructions=INSTRUCTIONS
                ),
                total,
                concurrency,
            )


class ChatGPTSDKChat(ChatGPTSDK):
    """chatgpt_sdk's Chat Completions bridge (compare with LiteLLM's completion)."""

    def request(self, prompt: str) -> None:
        self.client.chat.completions.create(model=MODEL, messages=_messages(prompt))

    def stream(self, prompt: str) -> int:
        chunks = self.client.chat.completions.create(
            model=MODEL, messages=_messages(prompt), stream=True
        )
        return sum(bool(c.choices and c.choices[0].delta.content) for c in chunks)

    async def batch(self, prompt: str, total: int, concurrency: int) -> float:
        async with self.async_class(
            token_provider=self.provider, base_url=self.base, max_retries=0, transport="sse"
        ) as client:
            return await bounded(
                lambda: client.chat.completions.create(model=MODEL, messages=_messages(prompt)),
                total,
                concurrency,
            )


def _messages(prompt: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": INSTRUCTIONS}, {"role": "user", "content": prompt}]


class OpenAIResponses(Client):
    """openai-python's Responses client pointed at the fake; it must stream (the backend rule)."""

    def __init__(self, base: str) -> None:
        from openai import AsyncOpenAI, OpenAI

        self.options: dict[str, Any] = {
            "base_url": base,
            "api_key": access_token(),
            "max_retries": 0,
            "default_headers": {"ChatGPT-Account-Id": ACCOUNT_ID},
        }
        self.client = OpenAI(**self.options)
        self.async_class = AsyncOpenAI

    def _params(self, prompt: str) -> dict[str, Any]:
        # As the real backend, the fake wants input as a list and store=false.
        return {
            "model": MODEL,
            "input": [{"role": "user", "content": prompt}],
            "instructions": INSTRUCTIONS,
            "store": False,
        }

    def request(self, prompt: str) -> None:
        with self.client.responses.stream(**self._params(prompt)) as stream:
            stream.get_final_response()

    def stream(self, prompt: str) -> int:
        events = self.client.responses.create(**self._params(prompt), stream=True)
        return sum(event.type == "response.output_text.delta" for event in events)

    async def batch(self, prompt: str, total: int, concurrency: int) -> float:
        async with self.async_class(**self.options) as client:

            async def call() -> None:
                async with client.responses.stream(**self._params(prompt)) as stream:
                    await stream.get_final_response()

            return await bounded(call, total, concurrency)


class LiteLLMResponses(Client):
    """LiteLLM's ``chatgpt/`` provider, Responses API."""

    def __init__(self, base: str) -> None:
        _litellm_environment(base)
        import litellm

        litellm.telemetry = False
        self.litellm = litellm

    def request(self, prompt: str) -> None:
        self.litellm.responses(model=f"chatgpt/{MODEL}", input=prompt, instructions=INSTRUCTIONS)

    def stream(self, prompt: str) -> int:
        events = self.litellm.responses(
            model=f"chatgpt/{MODEL}", input=prompt, instructions=INSTRUCTIONS, stream=True
        )
        return sum(getattr(e, "type", None) == "response.output_text.delta" for e in events)

    async def batch(self, prompt: str, total: int, concurrency: int) -> float:
        return await bounded(
            lambda: self.litellm.aresponses(
                model=f"chatgpt/{MODEL}", input=prompt, instructions=INSTRUCTIONS
            ),
            total,
            concurrency,
        )


class LiteLLMCompletion(LiteLLMResponses):
    """LiteLLM's ``chatgpt/`` provider, Chat Completions."""

    def request(self, prompt: str) -> None:
        self.litellm.completion(model=f"chatgpt/{MODEL}", messages=_messages(prompt))

    def stream(self, prompt: str) -> int:
        chunks = self.litellm.completion(
            model=f"chatgpt/{MODEL}", messages=_messages(prompt), stream=True
        )
        return sum(bool(c.choices and c.choices[0].delta.content) for c in chunks)

    async def batch(self, prompt: str, total: int, concurrency: int) -> float:
        return await bounded(
            lambda: self.litellm.acompletion(model=f"chatgpt/{MODEL}", messages=_messages(prompt)),
            total,
            concurrency,
        )


def _litellm_environment(base: str) -> None:
    """Point LiteLLM at the fake, with an auth file it trusts, and keep it off the network."""
    token_dir = tempfile.mkdtemp(prefix="bench-litellm-")
    record = {
        "access_token": access_token(),
        "refresh_token": "rt_bench_unused",
        "id_token": access_token(),
        "expires_at": EXPIRES_AT,
        "account_id": ACCOUNT_ID,
    }
    Path(token_dir, "auth.json").write_text(json.dumps(record))
    os.environ.update(
        CHATGPT_API_BASE=base,
        CHATGPT_TOKEN_DIR=token_dir,
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        LITELLM_LOG="ERROR",
    )


CLIENTS: dict[str, tuple[str, type[Client]]] = {
    "floor": ("floor: httpx + json.loads", RawHttpx),
    "sdk": ("chatgpt_sdk responses", ChatGPTSDK),
    "sdk-chat": ("chatgpt_sdk chat bridge", ChatGPTSDKChat),
    "openai": ("openai-python responses", OpenAIResponses),
    "litellm-responses": ("litellm responses", LiteLLMResponses),
    "litellm-completion": ("litellm completion", LiteLLMCompletion),
}


def measure(name: str, base: str) -> dict[str, Any]:
    """Run in a worker process: the three measurements for one client."""
    client = CLIENTS[name][1](base)
    short, long = prompt_for(SHORT), prompt_for(LONG)
    result: dict[str, Any] = {}
    for _ in range(10):
        client.request(short)
    started, cpu, done = time.perf_counter(), time.process_time(), 0
    while done < CPU_REQUESTS and time.perf_counter() - started < CPU_BUDGET_S:
        client.request(short)
        done += 1
    result["cpu_ms"] = (time.process_time() - cpu) / done * 1000
    best, started = 0.0, time.perf_counter()
    for _ in range(STREAM_RUNS):
        begin = time.perf_counter()
        count = client.stream(long)
        elapsed = time.perf_counter() - begin
        if count != LONG:
            raise RuntimeError(f"the stream gave {count} deltas, not {LONG}")
        best = max(best, LONG / elapsed)
        if time.perf_counter() - started > STREAM_BUDGET_S:
            break
    result["deltas_per_s"] = best
    result["async_wall_s"] = asyncio.run(client.batch(short, ASYNC_TOTAL, ASYNC_CONCURRENCY))
    return result


def run_worker(name: str, base: str) -> dict[str, Any]:
    """Measure one client in a fresh interpreter; failures come back as ``{"error": ...}``."""
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", name, "--base", base],
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {WORKER_TIMEOUT_S} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": reason[:160]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def ratio(value: float | None, floor: float | None, *, inverse: bool = False) -> str:
    if value is None or not floor:
        return ""
    return f"{(floor / value if inverse else value / floor):.2f}x"


def report(results: dict[str, dict[str, Any]]) -> None:
    floor = results["floor"]
    header = (
        f"{'client':<26} {'CPU ms/req':>10} {'vs floor':>8}  {'deltas/s':>9} {'vs floor':>8}"
        f"  {'async s':>8} {'vs floor':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, row in results.items():
        label = CLIENTS[name][0]
        if "error" in row:
            print(f"{label:<26} not available: {row['error']}")
            continue
        print(
            f"{label:<26} {row['cpu_ms']:>10.3f} {ratio(row['cpu_ms'], floor.get('cpu_ms')):>8}"
            f"  {row['deltas_per_s']:>9,.0f} "
            f"{ratio(row['deltas_per_s'], floor.get('deltas_per_s')):>8}"
            f"  {row['async_wall_s']:>8.3f} "
            f"{ratio(row['async_wall_s'], floor.get('async_wall_s')):>8}"
        )
    print(
        f"\nCPU: {SHORT}-delta replies, up to {CPU_REQUESTS} requests; deltas/s: one "
        f"{LONG:,}-delta stream (best of {STREAM_RUNS}); async: {ASYNC_TOTAL} requests at "
        f"concurrency {ASYNC_CONCURRENCY}. Goals (issue 4): CPU <= 1.5x, deltas/s >= 0.7x, "
        "async <= 1.1x the floor."
    )


def server_check(base: str) -> None:
    """Show the server is not the bottleneck: the floor over the wire against the same bytes
    parsed straight from memory (a pre-encoded static stream with no server at all)."""
    floor = RawHttpx(base)
    wire = 0.0
    for _ in range(STREAM_RUNS):
        begin = time.perf_counter()
        floor.stream(prompt_for(LONG))
        wire = max(wire, LONG / (time.perf_counter() - begin))
    body, memory = reply_body(LONG), 0.0
    for _ in range(STREAM_RUNS):
        begin = time.perf_counter()
        RawHttpx._deltas(httpx.Response(200, content=body).iter_lines())
        memory = max(memory, LONG / (time.perf_counter() - begin))
    print(
        f"server check: floor over loopback {wire:,.0f} deltas/s; the same bytes from memory "
        f"{memory:,.0f} deltas/s ({wire / memory:.2f}x)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=list(CLIENTS), help="repeatable")
    parser.add_argument("--worker", choices=list(CLIENTS), help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args.worker, args.base)))
        return
    names = ["floor", *(n for n in args.only or CLIENTS if n != "floor")]
    with start_server() as (base, _process):
        # The server encodes each reply length once; do it before anyone is timed.
        RawHttpx(base).stream(prompt_for(LONG))
        RawHttpx(base).stream(prompt_for(SHORT))
        server_check(base)
        results = {}
        for name in names:
            print(f"... {name}", file=sys.stderr, flush=True)
            results[name] = run_worker(name, base)
    report(results)


if __name__ == "__main__":
    main()
