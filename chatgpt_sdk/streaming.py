"""From SSE lines to typed events, and from events to the final ``Response``.

``StreamState`` is the I/O-free part both clients share: it validates each ``data:`` payload into
its generated event class, notices terminal and failure events, and accumulates the final
response. The backend's ``response.completed`` usually carries ``output: []``, so output is
rebuilt from the authoritative ``response.output_item.done`` items, falling back to the deltas
of an item whose done event never came (WIRE 4.7).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import ConfigDict, TypeAdapter, ValidationError

from chatgpt_sdk import errors
from chatgpt_sdk._base import closed_union
from chatgpt_sdk._sse import DEFAULT_MAX_EVENT_SIZE, EventTooLarge, SSEDecoder
from chatgpt_sdk.models import responses as r

if TYPE_CHECKING:
    from types import TracebackType

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "AsyncResponseStream",
    "AsyncResponseStreamManager",
    "AsyncStream",
    "EventTooLarge",
    "ResponseStream",
    "SSEDecoder",
    "Stream",
    "StreamState",
]

T = TypeVar("T")
Event = r.ResponseStreamEvent
_EVENT_ADAPTERS: tuple[TypeAdapter[Event], TypeAdapter[Event]] | None = None
_QUOTE_LIMIT = 200


def _event_adapters() -> tuple[TypeAdapter[Event], TypeAdapter[Event]]:
    """(known events, all events), built on first use: building validators is the costly part."""
    global _EVENT_ADAPTERS
    if _EVENT_ADAPTERS is None:
        config = ConfigDict(title="ResponseStreamEvent")
        _EVENT_ADAPTERS = (
            TypeAdapter(closed_union(r.ResponseStreamEvent), config=config),
            TypeAdapter(r.ResponseStreamEvent, config=config),
        )
    return _EVENT_ADAPTERS


def validate_event(data: bytes | str) -> Event:
    """One event from its JSON; a ``type`` this version does not know gives the Unknown model."""
    known, everything = _event_adapters()
    try:
        return known.validate_json(data)
    except ValidationError as exc:
        if exc.errors()[0]["type"] != "union_tag_invalid":
            raise
    return everything.validate_json(data)


def _quote(text: str) -> str:
    return text if len(text) <= _QUOTE_LIMIT else text[:_QUOTE_LIMIT] + "…"


@dataclass
class _Partial:
    """What the deltas of one output item said, for items whose done event never came."""

    item: Any = None
    text: dict[int, list[str]] = field(default_factory=dict)
    text_done: dict[int, str] = field(default_factory=dict)
    arguments: list[str] = field(default_factory=list)
    summary: dict[int, list[str]] = field(default_factory=dict)


class StreamState:
    """Everything one attempt of a stream has received; the fold behind ``get_final_response``."""

    def __init__(
        self,
        idle_timeout: float | None = None,
        on_failure: Callable[[errors.ResponseFailedError], errors.ChatGPTError] | None = None,
    ) -> None:
        self.idle_timeout = idle_timeout
        self._on_failure = on_failure  # what a response.failed means on this backend
        self.reset()

    def reset(self) -> None:
        self._decoder = SSEDecoder()
        self._last_event = time.monotonic()
        # Raw payloads, not models: bytes are invisible to the cyclic GC, while tens of thousands
        # of retained models made every collection walk them (3x the per-event cost at 20k).
        self._raw: list[bytes | str] = []
        self.response: r.Response | None = None
        self.terminal: Event | None = None
        self._done: dict[int, Any] = {}
        self._partials: dict[int, _Partial] = {}

    @property
    def partial_text(self) -> str:
        return "".join(
            "".join(deltas)
            for index in sorted(self._partials)
            for _, deltas in sorted(self._partials[index].text.items())
        )

    def stream_error(self, message: str) -> errors.StreamError:
        return errors.StreamError(message, partial_text=self.partial_text, events=self.events)

    @property
    def events(self) -> list[Event]:
        """Every event received so far (rebuilt from the raw payloads; meant for error paths)."""
        return [validate_event(data) for data in self._raw]

    def feed_bytes(self, chunk: bytes) -> Iterator[Event]:
        """The events completed by one network chunk, each validated and folded in as yielded."""
        try:
            completed = self._decoder.feed(chunk)
        except EventTooLarge as exc:
            too_large = self.stream_error(str(exc))
            too_large.retryable = False  # the same reply would be as large again
            raise too_large from None
        if not completed:
            self._check_idle()
            return
        self._last_event = time.monotonic()
        for data in completed:
            if self.terminal is not None:
                return  # nothing after the terminal event belongs to this reply
            if data != b"[DONE]":
                yield self.parse(data)

    def _check_idle(self) -> None:
        """Bytes that complete no event (comments, keep-alives) do not keep a stream alive.

        The HTTP read timeout catches silence; this catches a backend that sends only bytes
        that are not events for longer than the idle timeout.
        """
        if self.idle_timeout is None or self.terminal is not None:
            return
        if time.monotonic() - self._last_event > self.idle_timeout:
            raise self.stream_error(
                f"no stream event within the idle timeout ({self.idle_timeout:g} s), only "
                "keep-alive bytes; stream dropped"
            )

    def parse(self, data: bytes | str) -> Event:
        """Validate one ``data:`` payload and fold it in."""
        try:
            event = validate_event(data)
        except ValidationError as exc:
            text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                raise self.stream_error(
                    f"malformed stream data (not JSON): {_quote(text)!r}"
                ) from None
            mismatch = self.stream_error(
                f"stream event does not match its schema: {_quote(text)!r}\n{exc}"
            )
            mismatch.retryable = False  # the same reply would fail the same way
            raise mismatch from None
        self._raw.append(data)
        self.feed(event)
        return event

    def _partial(self, index: int) -> _Partial:
        partial = self._partials.get(index)
        if partial is None:
            partial = self._partials[index] = _Partial()
        return partial

    def feed(self, event: Event) -> None:
        if isinstance(event, r.ResponseTextDeltaEvent):
            self._partial(event.output_index).text.setdefault(event.content_index, []).append(
                event.delta
            )
        elif isinstance(event, r.ResponseFunctionCallArgumentsDeltaEvent):
            self._partial(event.output_index).arguments.append(event.delta)
        elif isinstance(event, r.ResponseReasoningSummaryTextDeltaEvent):
            self._partial(event.output_index).summary.setdefault(event.summary_index, []).append(
                event.delta
            )
        elif isinstance(event, r.ResponseTextDoneEvent):
            self._partial(event.output_index).text_done[event.content_index] = event.text
        elif isinstance(event, r.ResponseOutputItemAddedEvent):
            self._partial(event.output_index).item = event.item
        elif isinstance(event, r.ResponseOutputItemDoneEvent):
            self._done[event.output_index] = event.item
        elif isinstance(event, (r.ResponseCreatedEvent, r.ResponseInProgressEvent)):
            self.response = event.response
        elif isinstance(event, (r.ResponseCompletedEvent, r.ResponseIncompleteEvent)):
            self.response = event.response
            self.terminal = event
        elif isinstance(event, r.ResponseFailedEvent):
            self.terminal = event
            error = event.response.error
            code = error.code if error is not None else None
            message = error.message if error is not None else "the response failed"
            raise self._failed(
                errors.ResponseFailedError(
                    message, code=str(code) if code is not None else None, response=event.response
                )
            )
        elif isinstance(event, r.ResponseErrorEvent):
            self.terminal = event
            raise self._failed(errors.ResponseFailedError(event.message, code=event.code))

    def _failed(self, error: errors.ResponseFailedError) -> errors.ChatGPTError:
        return error if self._on_failure is None else self._on_failure(error)

    def finish(self) -> None:
        """Called when the body ended; a stream without a terminal event was dropped."""
        if self.terminal is None:
            raise self.stream_error("stream closed before response.completed")

    def _rebuilt(self, index: int, partial: _Partial) -> Any:
        item = partial.item
        kind = getattr(item, "type", None)
        if kind == "message" or (item is None and (partial.text or partial.text_done)):
            indices = sorted(set(partial.text) | set(partial.text_done))
            content = [
                r.OutputTextContent(
                    type="output_text",
                    text=partial.text_done.get(i, "".join(partial.text.get(i, []))),
                    annotations=[],
                )
                for i in indices
            ]
            return r.OutputMessage(
                id=getattr(item, "id", None) or f"msg_{index}",
                type="message",
                role="assistant",
                status="incomplete",
                content=content,
            )
        if kind == "function_call" and item is not None:
            return item.model_copy(
                update={"arguments": "".join(partial.arguments) or item.arguments}
            )
        if kind == "reasoning" and item is not None:
            summary = [
                r.SummaryTextContent(type="summary_text", text="".join(partial.summary[i]))
                for i in sorted(partial.summary)
            ]
            return item.model_copy(update={"summary": summary or item.summary})
        return item

    def final_output(self) -> list[Any]:
        indices = sorted(set(self._done) | set(self._partials))
        output = []
        for index in indices:
            item = self._done.get(index)
            if item is None:
                item = self._rebuilt(index, self._partials[index])
            if item is not None:
                output.append(item)
        return output

    def final_response(self) -> r.Response:
        if self.response is None or self.terminal is None:
            raise self.stream_error("stream closed before response.completed")
        if self.response.output:
            return self.response  # a non-empty completed.output is authoritative
        return self.response.model_copy(update={"output": self.final_output()})


class _StreamBase:
    def __init__(self, state: StreamState) -> None:
        self._state = state

    @property
    def events_received(self) -> list[Event]:
        """Every event of the current attempt so far, typed (rebuilt on each access)."""
        return self._state.events


def _unclosed(stream: object) -> None:
    warnings.warn(
        f"{type(stream).__name__} was never closed: read it to the end or close it (use it in "
        "a with block); its connection was released now, when it was garbage collected",
        ResourceWarning,
        source=stream,
        stacklevel=2,
    )


class Stream(Generic[T]):
    """A sync iterator over a streamed reply that owns (and closes) the HTTP response.

    ``is_closed`` tells whether the response is already released; a stream dropped before that
    releases it when garbage collected, with a ``ResourceWarning`` (as httpx warns).
    """

    def __init__(
        self,
        iterator: Iterator[T],
        close: Callable[[], None] | None = None,
        *,
        is_closed: Callable[[], bool] | None = None,
    ) -> None:
        self._iterator = iterator
        self._close = close
        self._is_closed = is_closed

    def __del__(self) -> None:
        if self._is_closed is None or self._is_closed():
            return
        _unclosed(self)
        with contextlib.suppress(Exception):
            self.close()

    def __iter__(self) -> Iterator[T]:
        return self  # so a `for` loop keeps this object (and its finaliser) alive

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        close = getattr(self._iterator, "close", None)
        if close is not None:
            close()
        if self._close is not None:
            self._close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_CLOSING: set[asyncio.Future[None]] = set()  # closes scheduled by finalisers, kept alive


class AsyncStream(Generic[T]):
    """The async twin of ``Stream``; a finaliser cannot await, so it schedules the close on the
    event loop the stream was made on."""

    def __init__(
        self,
        iterator: AsyncIterator[T],
        close: Callable[[], Awaitable[None]] | None = None,
        *,
        is_closed: Callable[[], bool] | None = None,
    ) -> None:
        self._iterator = iterator
        self._close = close
        self._is_closed = is_closed
        self._loop = asyncio.get_running_loop() if is_closed is not None else None

    def __del__(self) -> None:
        loop = self._loop
        if self._is_closed is None or self._is_closed() or loop is None or loop.is_closed():
            return
        _unclosed(self)
        with contextlib.suppress(RuntimeError):  # the loop stopped meanwhile
            loop.call_soon_threadsafe(_schedule_close, loop, self.close())

    def __aiter__(self) -> AsyncIterator[T]:
        return self  # so an `async for` keeps this object (and its finaliser) alive

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is not None:
            await aclose()
        if self._close is not None:
            await self._close()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def _schedule_close(loop: asyncio.AbstractEventLoop, closing: Awaitable[None]) -> None:
    future = asyncio.ensure_future(closing, loop=loop)
    _CLOSING.add(future)
    future.add_done_callback(_CLOSING.discard)


class ResponseStream(Stream[Event], _StreamBase):
    """Typed events of one streamed response, plus the fold into the final ``Response``."""

    def __init__(
        self,
        iterator: Iterator[Event],
        state: StreamState,
        close: Callable[[], None] | None = None,
        *,
        is_closed: Callable[[], bool] | None = None,
    ) -> None:
        Stream.__init__(self, iterator, close, is_closed=is_closed)
        _StreamBase.__init__(self, state)

    def text_deltas(self) -> Iterator[str]:
        """Just the output text, as it arrives."""
        for event in self:
            if isinstance(event, r.ResponseTextDeltaEvent):
                yield event.delta

    def get_final_response(self) -> r.Response:
        """Reads the rest of the stream and returns the assembled response."""
        for _ in self:
            pass
        return self._state.final_response()

    def __enter__(self) -> ResponseStream:
        return self


class AsyncResponseStream(AsyncStream[Event], _StreamBase):
    """The async twin of ``ResponseStream``."""

    def __init__(
        self,
        iterator: AsyncIterator[Event],
        state: StreamState,
        close: Callable[[], Awaitable[None]] | None = None,
        *,
        is_closed: Callable[[], bool] | None = None,
    ) -> None:
        AsyncStream.__init__(self, iterator, close, is_closed=is_closed)
        _StreamBase.__init__(self, state)

    async def text_deltas(self) -> AsyncIterator[str]:
        async for event in self:
            if isinstance(event, r.ResponseTextDeltaEvent):
                yield event.delta

    async def get_final_response(self) -> r.Response:
        async for _ in self:
            pass
        return self._state.final_response()

    async def __aenter__(self) -> AsyncResponseStream:
        return self


class AsyncResponseStreamManager:
    """What ``AsyncChatGPT.responses.stream()`` returns: sends on ``__aenter__``, like the sync
    ``stream()`` sends on call, so status errors surface before the first event either way."""

    def __init__(self, open_stream: Callable[[], Awaitable[AsyncResponseStream]]) -> None:
        self._open_stream = open_stream
        self._stream: AsyncResponseStream | None = None

    async def __aenter__(self) -> AsyncResponseStream:
        self._stream = await self._open_stream()
        return self._stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
