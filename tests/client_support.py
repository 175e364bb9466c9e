"""Helpers that let one test drive the sync and the async client alike."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

from chatgpt_sdk import AsyncChatGPT, ChatGPT
from chatgpt_sdk.auth import Credentials, StaticTokenProvider

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://chatgpt.test/backend-api/codex"
SECRET = "tok-SECRET-abc123"


def sse(events: Sequence[dict[str, Any]]) -> bytes:
    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


def recorded(name: str) -> bytes:
    return (FIXTURES / "sse" / f"{name}.sse").read_bytes()


def recorded_events(name: str) -> list[dict[str, Any]]:
    return [
        json.loads(line[len("data: ") :])
        for line in recorded(name).decode().splitlines()
        if line.startswith("data: ")
    ]


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body in chunks that may fail part-way, like a dropped connection."""

    def __init__(self, chunks: Sequence[bytes], error: Exception | None = None) -> None:
        self.chunks = list(chunks)
        self.error = error

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.error is not None:
            raise self.error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.error is not None:
            raise self.error


def catalog_response() -> httpx.Response:
    """``GET /models`` as the backend answers it: the built-in (Codex 0.171.0) catalog."""
    from chatgpt_sdk.models.catalog_snapshot import MODELS

    return httpx.Response(200, json={"models": list(MODELS)}, headers={"etag": '"catalog-1"'})


def stream_response(content: bytes, *, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, content=content, headers={"content-type": "text/event-stream", **headers}
    )


class RecordingProvider:
    """A token provider that hands out a new token on each forced refresh and records calls."""

    def __init__(self, tokens: Sequence[str] = (SECRET, SECRET + "-fresh")) -> None:
        self.tokens = list(tokens)
        self.calls: list[bool] = []
        self.index = 0

    def credentials(self, force_refresh: bool = False) -> Credentials:
        self.calls.append(force_refresh)
        if force_refresh:
            self.index = min(self.index + 1, len(self.tokens) - 1)
        return Credentials(access_token=self.tokens[self.index], account_id="acc-1")

    async def acredentials(self, force_refresh: bool = False) -> Credentials:
        return self.credentials(force_refresh)


class Api:
    """The client operations, run through either ``ChatGPT`` or ``AsyncChatGPT``."""

    def __init__(self, mode: str, **client_kwargs: Any) -> None:
        self.mode = mode
        client_kwargs.setdefault("token_provider", StaticTokenProvider(SECRET, account_id="acc-1"))
        client_kwargs.setdefault("base_url", BASE)
        self.kwargs = client_kwargs
        self.sync = ChatGPT(**client_kwargs) if mode == "sync" else None
        self.aclient = AsyncChatGPT(**client_kwargs) if mode == "async" else None

    @property
    def client(self) -> ChatGPT | AsyncChatGPT:
        client = self.sync or self.aclient
        assert client is not None
        return client

    def run(self, coro: Any) -> Any:
        return asyncio.run(coro)

    def create(self, **kw: Any) -> Any:
        if self.sync:
            return self.sync.responses.create(**kw)
        assert self.aclient
        return self.run(self.aclient.responses.create(**kw))

    def stream_events(self, **kw: Any) -> list[Any]:
        """All events of ``create(stream=True)``; the error, if any, propagates."""
        if self.sync:
            return list(self.sync.responses.create(stream=True, **kw))
        assert self.aclient
        client = self.aclient

        async def go() -> list[Any]:
            stream = await client.responses.create(stream=True, **kw)
            return [e async for e in stream]

        return self.run(go())

    def stream_until_error(self, **kw: Any) -> tuple[list[Any], BaseException | None]:
        events: list[Any] = []
        if self.sync:
            try:
                for event in self.sync.responses.create(stream=True, **kw):
                    events.append(event)
            except Exception as exc:
                return events, exc
            return events, None
        assert self.aclient
        client = self.aclient

        async def go() -> tuple[list[Any], BaseException | None]:
            try:
                async for event in await client.responses.create(stream=True, **kw):
                    events.append(event)
            except Exception as exc:
                return events, exc
            return events, None

        return self.run(go())

    def stream_text_and_final(self, **kw: Any) -> tuple[list[str], Any]:
        if self.sync:
            with self.sync.responses.stream(**kw) as s:
                return list(s.text_deltas()), s.get_final_response()
        assert self.aclient
        client = self.aclient

        async def go() -> tuple[list[str], Any]:
            async with client.responses.stream(**kw) as s:
                texts = [t async for t in s.text_deltas()]
                return texts, await s.get_final_response()

        return self.run(go())

    def models(self) -> Any:
        if self.sync:
            return self.sync.models.list()
        assert self.aclient
        return self.run(self.aclient.models.list())

    def chat(self, **kw: Any) -> Any:
        if self.sync:
            return self.sync.chat.completions.create(**kw)
        assert self.aclient
        return self.run(self.aclient.chat.completions.create(**kw))

    def chat_chunks(self, **kw: Any) -> list[Any]:
        if self.sync:
            return list(self.sync.chat.completions.create(stream=True, **kw))
        assert self.aclient
        client = self.aclient

        async def go() -> list[Any]:
            stream = await client.chat.completions.create(stream=True, **kw)
            return [c async for c in stream]

        return self.run(go())
