"""Response bodies of the fakes: byte streams with scripted pauses and cuts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Pause:
    seconds: float


class Drop:
    pass


Part = bytes | Pause | Drop


class SSEBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body for sync and async clients alike (one handler serves both).

    A cut raises ``drop``: ``DropConnection`` when served (the server closes the socket), or,
    in-process, the very error httpx raises when a peer cuts a chunked body.
    """

    def __init__(
        self, parts: Sequence[Part], chunk_size: int | None, drop: type[Exception]
    ) -> None:
        self._parts = parts
        self._chunk_size = chunk_size
        self._drop = drop

    def _chunks(self) -> Iterator[Part]:
        size = self._chunk_size
        if size is None:
            yield from self._parts
            return
        buffer = bytearray()
        for part in self._parts:
            if isinstance(part, bytes):
                buffer += part
                while len(buffer) >= size:
                    yield bytes(buffer[:size])
                    del buffer[:size]
                continue
            if buffer:
                yield bytes(buffer)
                buffer.clear()
            yield part
        if buffer:
            yield bytes(buffer)

    def _cut(self) -> Exception:
        return self._drop(
            "peer closed connection without sending complete message body (incomplete chunked read)"
        )

    def __iter__(self) -> Iterator[bytes]:
        for part in self._chunks():
            if isinstance(part, bytes):
                yield part
            elif isinstance(part, Pause):
                time.sleep(part.seconds)
            else:
                raise self._cut()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self._chunks():
            if isinstance(part, bytes):
                yield part
            elif isinstance(part, Pause):
                await asyncio.sleep(part.seconds)
            else:
                raise self._cut()
