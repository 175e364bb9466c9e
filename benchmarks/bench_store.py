"""Resolving a ``previous_response_id`` chain from a response store (issue 12, "Speed").

    uv run python benchmarks/bench_store.py                  # every store, 1/10/50 turns
    uv run python benchmarks/bench_store.py --runs 500 --only sqlite

What a request with ``previous_response_id`` costs the proxy before it is sent: ``chain(id)`` plus
concatenating every turn's input and output items into one list (the replay). Each turn is one
stored response holding five items: a ``function_call_output`` and a user message in, a reasoning
item (1 KB of ``encrypted_content``), a ``function_call`` and an assistant message out.

Rows: the memory store (the floor), SQLite (a file in a temporary directory; sync, and async
through ``asyncio.to_thread`` as the proxy calls it) and Redis (a ``redis-server`` on a free
loopback port, started here as the tests do; sync and ``redis.asyncio``). Each cell is the median
(and p99) of ``--runs`` resolutions, in milliseconds, after a warm-up. Goal: under 2 ms at 10
turns on SQLite.

A second table times ``find_items`` (what an ``item_reference`` replay costs): 20 ids, the
``function_call`` and assistant message of every turn of the 10-turn conversation, as the Vercel
AI SDK references a previous reply's items.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from redis_support import RedisUnavailable, redis_server

from chatgpt_sdk.stores import (
    MemoryResponseStore,
    RedisResponseStore,
    ResponseStore,
    SQLiteResponseStore,
    StoredResponse,
)

TURNS = (1, 10, 50)
WARMUP = 50
FIND_TURNS = 10  # find_items: the fc_ and msg_ ids of this conversation's turns (20 ids)

Cell = tuple[float, float]  # median, p99 (ms)


def turn(i: int, previous: str | None, tag: str) -> StoredResponse:
    call_id = f"call_{tag}_{i}"
    return StoredResponse(
        id=f"resp_{tag}_{i}",
        model="gpt-5.2",
        created_at=time.time(),
        previous_response_id=previous,
        input_items=[
            {
                "type": "function_call_output",
                "call_id": f"call_{tag}_{i - 1}",
                "output": '{"temperature": 21, "unit": "C"}',
            },
            {
                "type": "message",
                "role": "user",
                "content": [
                    {"type": "input_text", "text": f"Turn {i}: and what about tomorrow in Paris?"}
                ],
            },
        ],
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
                "call_id": call_id,
                "name": "get_weather",
                "arguments": '{"city": "Paris", "day": "tomorrow"}',
                "status": "completed",
            },
            {
                "type": "message",
                "id": f"msg_{tag}_{i}",
                "role": "assistant",
                "status": "completed",
                "content": [
                    {
                        "type": "output_text",
                        "text": "It will be sunny, 21 °C, with a light breeze from the west.",
                        "annotations": [],
                    }
                ],
            },
        ],
        response={
            "id": f"resp_{tag}_{i}",
            "object": "response",
            "status": "completed",
            "model": "gpt-5.2",
        },
        instructions="You are a helpful assistant.",
    )


def fill(store: ResponseStore, turns: int) -> str:
    previous = None
    for i in range(turns):
        stored = turn(i, previous, f"t{turns}")
        store.put(stored)
        previous = stored.id
    assert previous is not None
    return previous


def replay(chain: list[StoredResponse]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for stored in chain:
        items += stored.input_items
        items += stored.output_items
    return items


def item_ids(turns: int) -> list[str]:
    return [f"{kind}_t{turns}_{i}" for i in range(turns) for kind in ("fc", "msg")]


def measure(run: Callable[[], int], runs: int) -> Cell:
    for _ in range(WARMUP):
        run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def sync_row(store: ResponseStore, runs: int) -> tuple[list[Cell], Cell]:
    """The chain cells (one per TURNS) and the find_items cell."""
    cells = []
    for turns in TURNS:
        last = fill(store, turns)
        assert len(replay(store.chain(last))) == 5 * turns
        cells.append(measure(lambda last=last: len(replay(store.chain(last))), runs))
    ids = item_ids(FIND_TURNS)
    assert len(store.find_items(ids)) == len(ids) == 2 * FIND_TURNS
    return cells, measure(lambda: len(store.find_items(ids)), runs)


def async_row(store: ResponseStore, runs: int) -> tuple[list[Cell], Cell]:
    async def main() -> tuple[list[Cell], Cell]:
        cells = []
        for turns in TURNS:
            last = fill(store, turns)

            async def once(last: str = last) -> int:
                return len(replay(await store.achain(last)))

            cells.append(await ameasure(once, runs))
        ids = item_ids(FIND_TURNS)
        assert len(await store.afind_items(ids)) == len(ids)

        async def find() -> int:
            return len(await store.afind_items(ids))

        find_cell = await ameasure(find, runs)
        await store.aclose()
        return cells, find_cell

    return asyncio.run(main())


async def ameasure(run: Callable[[], Awaitable[int]], runs: int) -> Cell:
    for _ in range(WARMUP):
        await run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await run()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


@contextlib.contextmanager
def maybe_redis() -> Iterator[str | None]:
    try:
        with redis_server() as url:
            yield url
    except RedisUnavailable as exc:
        print(f"(Redis rows skipped: {exc})", file=sys.stderr)
        yield None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs", type=int, default=2000, help="resolutions per cell (default 2000)"
    )
    parser.add_argument(
        "--only", action="append", choices=["memory", "sqlite", "redis"], help="only these stores"
    )
    args = parser.parse_args()
    only = set(args.only or ["memory", "sqlite", "redis"])
    rows: list[tuple[str, tuple[list[Cell], Cell]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder, maybe_redis() as redis_url:
        if "memory" in only:
            rows.append(("memory", sync_row(MemoryResponseStore(), args.runs)))
        if "sqlite" in only:
            with SQLiteResponseStore(Path(folder) / "sync.sqlite3") as store:
                rows.append(("SQLite", sync_row(store, args.runs)))
            rows.append(
                (
                    "SQLite, async",
                    async_row(SQLiteResponseStore(Path(folder) / "async.sqlite3"), args.runs),
                )
            )
        if "redis" in only and redis_url is not None:
            with RedisResponseStore(redis_url, prefix="bench-sync:") as store:
                rows.append(("Redis", sync_row(store, args.runs)))
            rows.append(
                (
                    "Redis, async",
                    async_row(RedisResponseStore(redis_url, prefix="bench-async:"), args.runs),
                )
            )

    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {args.runs} runs per cell; "
        "ms to resolve a chain (chain() + concatenating the items), median (p99)\n"
    )
    print("| store | " + " | ".join(f"{t} turn{'s' if t > 1 else ''}" for t in TURNS) + " |")
    print("| --- |" + " ---: |" * len(TURNS))
    for name, (cells, _) in rows:
        print(f"| {name} | " + " | ".join(_cell(cell) for cell in cells) + " |")
    print(
        f"\nms for find_items() of {2 * FIND_TURNS} ids (item_reference), median (p99)\n\n"
        "| | " + " | ".join(name for name, _ in rows) + " |\n"
        "| --- |" + " ---: |" * len(rows) + "\n"
        f"| find_items, {2 * FIND_TURNS} ids | "
        + " | ".join(_cell(find_cell) for _, (_, find_cell) in rows)
        + " |"
    )


def _cell(cell: Cell) -> str:
    median, p99 = cell
    return f"{median:.3f} ({p99:.3f})"


if __name__ == "__main__":
    main()
