"""Server-sent events that are ready together leave the proxy in one write.

The backend's events arrive a network read at a time, often dozens per read (a burst of text
deltas). Sent one by one, each goes down the ASGI stack and becomes a write of its own: the
streamed chat request cost 1.56 times the non-streamed one in ``benchmarks/bench_proxy.py``. Here
the lines are made in a task of their own, which runs until it waits for the network; whatever it
made by then is joined into one body message. Nothing is held back to wait for more: a line is
sent as soon as its producer pauses, so latency is never traded for fewer writes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Final

__all__ = ["coalesced"]

MAX_PENDING: Final = 256  # lines made ahead of the writer; past this the producer waits


class _End:
    """The producer finished: normally (``error`` None) or with an exception to re-raise."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


async def coalesced(
    lines: AsyncGenerator[str, None], *, max_pending: int = MAX_PENDING
) -> AsyncIterator[str]:
    """``lines`` regrouped: each item is every line that was ready when the writer asked.

    Closing this iterator (or cancelling its reader) cancels the producer and closes ``lines``,
    so the upstream request ends with the client; an exception from ``lines`` is raised here
    after the lines made before it.
    """
    queue: asyncio.Queue[str | _End] = asyncio.Queue(max_pending)
    closing = False

    async def produce() -> None:
        async with contextlib.aclosing(lines):
            try:
                async for line in lines:
                    await queue.put(line)
            except BaseException as exc:
                if closing:
                    raise  # our own cancellation: the reader is gone
                # Anything else, a stray CancelledError included, reaches the reader, who would
                # otherwise wait for an end that never comes.
                await queue.put(_End(exc))
                return
        await queue.put(_End())

    producer = asyncio.ensure_future(produce())
    try:
        while True:
            batch: list[str] = []
            item = await queue.get()
            while isinstance(item, str):
                batch.append(item)
                if queue.empty():
                    break
                item = queue.get_nowait()
            if batch:
                yield "".join(batch)
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
    finally:
        closing = True
        producer.cancel()
        # Waits without taking the producer's cancellation as ours: a cancellation of the
        # reader's own task while it waits still goes through.
        await asyncio.wait({producer})
