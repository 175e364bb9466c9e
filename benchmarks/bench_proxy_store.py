"""What the proxy adds to a request by resolving ``previous_response_id`` (issue 12, "Speed").

    uv run python benchmarks/bench_proxy_store.py                 # SQLite and Redis, 1/10/50 turns
    uv run python benchmarks/bench_proxy_store.py --runs 500 --only sqlite

The same request two ways, through the whole proxy app (``create_app``, driven in process by
``httpx.ASGITransport``; the backend is ``FakeChatGPTBackend`` in process, answering a short
reply): once with the conversation **inline** (every earlier item in ``input``), once naming the
last turn with **``previous_response_id``**, which the proxy resolves from its store into the
same input. Both send ``store: false``, so neither keeps its reply: the difference ("added") is
the resolution alone (one ``achain`` and the replay). "kept too" sends the chained request with
``store`` left on: it also writes the reply (``aput``) before answering ("keeping adds").

Each turn of a conversation is one stored response, with a tool call: in, the previous call's
``function_call_output`` and a user message; out, a reasoning item (1 KB of
``encrypted_content``), a ``function_call``. Stores: SQLite (a file in a temporary directory; its
async methods run in a worker thread) and Redis (a ``redis-server`` on a free loopback port,
started here as the tests do; skipped when not installed). Cells are medians of ``--runs``
requests in ms, the variants interleaved, after a warm-up; the differences are medians of each
round's difference. Goal: under 2 ms added at 10 turns on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import itertools
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import httpx
from redis_support import RedisUnavailable, redis_server

from chatgpt_sdk._fake import sse
from chatgpt_sdk._stateful import replay
from chatgpt_sdk.server import create_app
from chatgpt_sdk.stores import ResponseStore, StoredResponse, open_store
from chatgpt_sdk.testing import FakeChatGPTBackend, RecordedRequest

TURNS = (1, 10, 50)
WARMUP = 30
MODEL = "gpt-5.5"
TOOLS = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "Weather in a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
]


def user(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def turn(i: int, previous: str | None, tag: str) -> StoredResponse:
    inputs: list[dict[str, Any]] = []
    if previous is not None:
        inputs.append(
            {
                "type": "function_call_output",
                "call_id": f"call_{tag}_{i - 1}",
                "output": '{"temperature": 21, "unit": "C"}',
            }
        )
    inputs.append(user(f"Turn {i}: and what about tomorrow in Paris?"))
    return StoredResponse(
        id=f"resp_{tag}_{i}",
        model=MODEL,
        created_at=time.time(),
        previous_response_id=previous,
        input_items=inputs,
        output_items=[
            {
                "type": "reasoning",
                "id": f"rs_{tag}_{i}",
                "summary": [],
                "encrypted_content": base64.b64encode(os.urandom(768)).decode(),  # 1 KB
            },
            {
                "type": "function_call",
                "id": f"fc_{tag}_{i}",
                "call_id": f"call_{tag}_{i}",
                "name": "get_weather",
                "arguments": '{"city": "Paris", "day": "tomorrow"}',
                "status": "completed",
            },
        ],
        response={"id": f"resp_{tag}_{i}", "object": "response", "status": "completed"},
    )


def fill(store: ResponseStore, turns: int, tag: str) -> tuple[str, list[StoredResponse]]:
    chain: list[StoredResponse] = []
    previous = None
    for i in range(turns):
        stored = turn(i, previous, tag)
        store.put(stored)
        chain.append(stored)
        previous = stored.id
    assert previous is not None
    return previous, chain


def responder() -> Any:
    """A short reply with a fresh response id each time (kept replies must not collide)."""
    counter = itertools.count()

    def answer(request: RecordedRequest) -> list[sse.Event]:
        return sse.reply_events("Sunny.", response_id=f"resp_bench_{next(counter)}", model=MODEL)

    return answer


def paired(a: list[float], b: list[float]) -> float:
    """The median of the round-by-round differences (a load burst hits both of a round)."""
    return statistics.median(x - y for x, y in zip(a, b, strict=True))


async def bench_store(url: str, runs: int) -> list[tuple[int, float, float, float, float, float]]:
    store = open_store(url)
    assert store is not None
    backend = FakeChatGPTBackend(responder=responder())
    client = backend.async_client(max_retries=0)
    app = create_app(client, response_store=store)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    rows = []
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        for turns in TURNS:
            last, chain = fill(store, turns, f"t{turns}")
            new = [
                {
                    "type": "function_call_output",
                    "call_id": f"call_t{turns}_{turns - 1}",
                    "output": '{"temperature": 22}',
                },
                user("And the day after?"),
            ]
            base = {"model": MODEL, "tools": TOOLS}
            bodies = {
                "inline": {**base, "input": [*replay(chain), *new], "store": False},
                "chained": {**base, "input": new, "previous_response_id": last, "store": False},
                "kept": {**base, "input": new, "previous_response_id": last},
            }
            samples: dict[str, list[float]] = {name: [] for name in bodies}
            for round_ in range(WARMUP + runs):
                for name, body in bodies.items():
                    start = time.perf_counter()
                    reply = await http.post("/v1/responses", json=body)
                    elapsed = (time.perf_counter() - start) * 1000
                    if reply.status_code != 200:
                        raise SystemExit(f"{name}: {reply.status_code} {reply.text[:300]}")
                    if round_ >= WARMUP:
                        samples[name].append(elapsed)
            sent = backend.last_request.json["input"]
            assert len(sent) == 4 * turns - 1 + len(new), len(sent)
            backend.reset()
            inline, chained, kept = (samples[n] for n in bodies)
            rows.append(
                (
                    turns,
                    statistics.median(inline),
                    statistics.median(chained),
                    paired(chained, inline),
                    statistics.median(kept),
                    paired(kept, chained),
                )
            )
    await client.close()
    await store.aclose()
    return rows


@contextlib.contextmanager
def maybe_redis() -> Iterator[str | None]:
    try:
        with redis_server() as url:
            yield url
    except RedisUnavailable as exc:
        print(f"Redis: not available ({exc})", file=sys.stderr)
        yield None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="requests per cell (default 200)")
    parser.add_argument("--only", choices=["sqlite", "redis"], help="one store only")
    args = parser.parse_args()

    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}")
    print(f"median ms per request through the proxy app, {args.runs} runs, {WARMUP} warm-up\n")
    print(
        "| store | turns | inline | previous_response_id | added | kept too | keeping adds |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        stores = []
        if args.only in (None, "sqlite"):
            stores.append(("SQLite", f"sqlite:///{Path(tmp) / 'responses.sqlite3'}"))
        if args.only in (None, "redis"):
            url = stack.enter_context(maybe_redis())
            if url is not None:
                stores.append(("Redis", f"{url}?prefix=bench:"))
        for name, url in stores:
            for turns, inline, chained, added, kept, keeping in asyncio.run(
                bench_store(url, args.runs)
            ):
                print(
                    f"| {name} | {turns} | {inline:.2f} | {chained:.2f} | {added:+.2f} | "
                    f"{kept:.2f} | {keeping:+.2f} |"
                )


if __name__ == "__main__":
    main()
