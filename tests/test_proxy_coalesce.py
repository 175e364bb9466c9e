"""Streamed lines that are ready together leave the proxy in one write, and none waits for more."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator
from typing import Any

import pytest

from chatgpt_sdk.server import create_app
from chatgpt_sdk.server._coalesce import coalesced
from chatgpt_sdk.testing import FakeChatGPTBackend


async def _take(iterator: AsyncGenerator[str, None]) -> str:
    return await asyncio.wait_for(iterator.__anext__(), 2)


async def test_lines_ready_together_are_one_item_and_none_is_held_back() -> None:
    more = asyncio.Event()

    async def lines() -> AsyncGenerator[str, None]:
        for line in ("a", "b", "c"):
            yield line
        await more.wait()  # the producer waits (for the network): what it made goes now
        yield "d"
        yield "e"

    joined = coalesced(lines())
    assert await _take(joined) == "abc"  # without `more` being set: nothing waits for it
    more.set()
    assert await _take(joined) == "de"
    with pytest.raises(StopAsyncIteration):
        await _take(joined)


async def test_an_error_comes_after_the_lines_made_before_it() -> None:
    async def lines() -> AsyncGenerator[str, None]:
        yield "a"
        yield "b"
        raise ValueError("upstream broke")

    joined = coalesced(lines())
    assert await _take(joined) == "ab"
    with pytest.raises(ValueError, match="upstream broke"):
        await _take(joined)


async def test_closing_cancels_the_producer_and_closes_the_source() -> None:
    closed = asyncio.Event()
    forever = asyncio.Event()

    async def lines() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            await forever.wait()
            yield "never"
        finally:
            closed.set()  # where the proxy closes the upstream request

    joined = coalesced(lines())
    assert await _take(joined) == "a"
    await joined.aclose()
    assert closed.is_set()


async def test_a_stray_cancellation_from_the_source_reaches_the_reader() -> None:
    """Not the reader's own cancellation (an upstream library's cancel scope, say): it must end
    the stream, not leave the writer waiting for an end that never comes."""

    async def lines() -> AsyncGenerator[str, None]:
        yield "a"
        raise asyncio.CancelledError

    joined = coalesced(lines())
    assert await _take(joined) == "a"
    with pytest.raises(asyncio.CancelledError):
        await _take(joined)  # raised by the source, within the 2 s _take allows


async def test_cancelling_the_closing_task_is_not_swallowed() -> None:
    async def lines() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0.3)  # closing the upstream takes a moment

    async def handler() -> str:
        joined = coalesced(lines())
        await joined.__anext__()
        await joined.aclose()  # as EventStream does when the response ends
        return "finished"

    task = asyncio.ensure_future(handler())
    await asyncio.sleep(0.1)
    task.cancel()  # a server shutting down cancels the request while it closes
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_source_that_never_pauses_is_written_in_bounded_batches() -> None:
    async def lines() -> AsyncGenerator[str, None]:
        for index in range(20):
            yield f"{index},"

    batches = [batch async for batch in coalesced(lines(), max_pending=3)]
    assert "".join(batches) == "".join(f"{i}," for i in range(20))
    assert max(batch.count(",") for batch in batches) <= 3
    assert len(batches) >= 7


async def test_a_streamed_chat_reply_leaves_in_a_few_writes() -> None:
    """Driven as an ASGI server drives it, counting the body messages (each one a write)."""
    backend = FakeChatGPTBackend()
    deltas = [f" word{i}" for i in range(40)]
    backend.reply(deltas=deltas)
    client = backend.async_client(max_retries=0)
    app = create_app(client)
    body = json.dumps(
        {"model": "gpt-5.5", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    ).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/chat/completions",
        "raw_path": b"/v1/chat/completions",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    requests = [{"type": "http.request", "body": body, "more_body": False}]
    finished = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        await finished.wait()
        return {"type": "http.disconnect"}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            finished.set()

    await asyncio.wait_for(app(scope, receive, send), 10)
    await client.close()
    assert sent[0]["status"] == 200
    writes = [m["body"] for m in sent[1:] if m["body"]]
    text = b"".join(writes).decode()
    chunks = [json.loads(b[6:]) for b in text.split("\n\n") if b.startswith("data: {")]
    said = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert said == "".join(deltas)
    assert text.endswith("data: [DONE]\n\n")
    assert len(chunks) >= len(deltas) + 1
    assert len(writes) <= 3  # one per network read of the upstream reply, not one per chunk
