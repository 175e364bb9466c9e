"""Streamed replies: SSE lines made from the client's typed events, written as they are ready,
and the upstream request closed as soon as the client goes away."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from chatgpt_sdk import bridge
from chatgpt_sdk.models import responses as r
from chatgpt_sdk.server._body import ClientGone
from chatgpt_sdk.server._coalesce import coalesced
from chatgpt_sdk.server._errors import to_error

if TYPE_CHECKING:
    from chatgpt_sdk.server._state import Turn
    from chatgpt_sdk.streaming import AsyncResponseStream

__all__ = ["EventStream", "chat_sse", "responses_sse", "until_disconnect"]

_SSE_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}
logger = logging.getLogger("chatgpt_sdk.server")
T = TypeVar("T")


def _json_dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


async def _disconnected(receive: Receive) -> None:
    """Returns when the client has gone (call once the request body has been read)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def until_disconnect(receive: Receive, work: Awaitable[T]) -> T:
    """``work``'s result, unless the client goes away first: then ``work`` is cancelled (which
    closes its upstream request) and ``ClientGone`` is raised."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_disconnected(receive))
    try:
        await asyncio.wait((task, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        watcher.cancel()
    if task.cancelled() or (watcher.done() and not watcher.cancelled()):
        raise ClientGone
    return task.result()


def _sse_error(exc: BaseException) -> dict[str, Any]:
    reply = to_error(exc)
    logger.warning("stream ended with an error: %s", reply.message)
    return reply.body()


class EventStream(StreamingResponse):
    """Server-sent events whose upstream request is closed as soon as the client goes away,
    whatever the ASGI server's spec version, and even while the upstream is silent."""

    def __init__(
        self,
        lines: AsyncGenerator[str, None],
        headers: Mapping[str, str],
        close: Callable[[], Awaitable[None]],
    ) -> None:
        super().__init__(
            coalesced(lines), media_type="text/event-stream", headers={**_SSE_HEADERS, **headers}
        )
        self._close_upstream = close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await until_disconnect(receive, self.stream_response(send))
        except ClientGone:
            logger.debug("the client went away mid-stream; the upstream request was closed")
        finally:
            with contextlib.suppress(Exception):
                await cast(AsyncGenerator[Any, None], self.body_iterator).aclose()
            await self._close_upstream()


async def chat_sse(
    events: AsyncResponseStream, *, model: str, include_usage: bool
) -> AsyncGenerator[str, None]:
    """``data: {chunk}`` lines and a final ``data: [DONE]``; an error ends the stream early."""
    exclude = None if include_usage else {"usage"}
    try:
        async for chunk in bridge.achat_chunks(events, model=model, include_usage=include_usage):
            yield f"data: {chunk.model_dump_json(by_alias=True, exclude_unset=True, exclude=exclude)}\n\n"
    except Exception as exc:
        yield f"data: {_json_dumps(_sse_error(exc))}\n\n"
        return
    finally:
        await events.close()
    yield "data: [DONE]\n\n"


async def responses_sse(
    events: AsyncResponseStream, turn: Turn | None = None
) -> AsyncGenerator[str, None]:
    """The typed events re-emitted as ``event:`` / ``data:`` pairs.

    The backend's ``response.completed`` usually has ``output: []``; the items from the
    ``output_item.done`` events are put back, so OpenAI clients' final response is complete.
    With a ``turn``, the response is kept before its ``response.completed`` is sent (a client
    that continues from it at once finds it), and every response object says what was asked
    (``store``, ``previous_response_id``).
    """
    done: dict[int, Any] = {}
    try:
        async for event in events:
            kind = event.type
            if isinstance(event, r.ResponseOutputItemDoneEvent):
                done[event.output_index] = event.item
            elif isinstance(event, (r.ResponseCompletedEvent, r.ResponseIncompleteEvent)):
                response = event.response
                if done and not response.output:
                    response = response.model_copy(
                        update={"output": [done[i] for i in sorted(done)]}
                    )
                if turn is not None:
                    response = await turn.finish(response)
                if response is not event.response:
                    event = event.model_copy(update={"response": response})
            elif turn is not None and turn.reports and isinstance(event, _ENVELOPES):
                event = event.model_copy(update={"response": turn.patch(event.response)})
            payload = event.model_dump_json(by_alias=True, exclude_unset=True)
            yield f"event: {kind}\ndata: {payload}\n\n"
    except Exception as exc:
        # Both shapes at once: the Responses ``error`` event's fields, and the ``error`` object
        # that makes OpenAI clients raise.
        error = _sse_error(exc)
        detail = error["error"]
        data = {"type": "error", **{k: detail[k] for k in ("code", "message", "param")}, **error}
        yield f"event: error\ndata: {_json_dumps(data)}\n\n"
    finally:
        await events.close()


_ENVELOPES = (r.ResponseCreatedEvent, r.ResponseInProgressEvent, r.ResponseFailedEvent)
