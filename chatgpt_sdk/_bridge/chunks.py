"""Responses stream events → Chat completion chunks: one pure fold, sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any

from chatgpt_sdk._bridge._build import _new
from chatgpt_sdk._bridge.completion import (
    _chat_id,
    _chat_usage,
    _finish_reason,
    _replay_item,
    _summary_text,
)
from chatgpt_sdk.models import chat as c
from chatgpt_sdk.models import responses as r


class _ToolCall:
    """Stream state of one function call: its Chat index and whether arguments were sent."""

    __slots__ = ("args_sent", "index")

    def __init__(self, index: int) -> None:
        self.index = index
        self.args_sent = False


class ChatChunkFold:
    """The Responses-events → Chat-chunks state machine behind :func:`chat_chunks`.

    ``feed(event)`` returns the chunks that event produces; ``finish()`` those still owed when the
    input ends. Laws (tested): one chunk id per stream; the first chunk carries the role; tool-call
    indices are 0, 1, 2 in order of first appearance; exactly one chunk carries ``finish_reason``;
    with ``include_usage`` a last chunk has ``choices: []`` and the usage. ``response.failed`` and
    ``error`` events are skipped: the client raises ``ResponseFailedError`` / ``StreamError``
    itself. If the input stops without ``response.completed`` / ``response.incomplete`` (a dropped
    stream, which the client reports as an error), ``finish()`` still closes the Chat stream.
    """

    def __init__(self, *, model: str | None = None, include_usage: bool = False) -> None:
        self._model_override = model
        self._include_usage = include_usage
        self._id: str | None = None
        self._created = 0
        self._model = model or ""
        self._started = False
        self._finished = False
        self._tools_by_item: dict[str, _ToolCall] = {}
        self._tools_by_index: dict[int, _ToolCall] = {}
        self._tool_count = 0
        self._text_sent: set[Any] = set()
        self._reasoning_sent: set[Any] = set()
        self._last_summary: tuple[int, int] | None = None
        self._said_anything = False
        self._reasoning_items: list[dict[str, Any]] = []

    def feed(self, event: Any) -> list[c.ChatCompletionChunk]:
        """The chunks one stream event produces (often none)."""
        if self._finished:
            return []
        handler = _HANDLERS.get(event.type)
        if handler is None:
            return []
        out: list[c.ChatCompletionChunk] = []
        handler(self, event, out)
        return out

    def finish(self) -> list[c.ChatCompletionChunk]:
        """The chunks owed at the end of the input: the finish chunk if no terminal event came."""
        if self._finished:
            return []
        out: list[c.ChatCompletionChunk] = []
        self._close(out, None, None, None)
        return out

    # -- chunk building ----------------------------------------------------------------------

    def _chunk(self, choices: list[Any], usage: Any = None) -> c.ChatCompletionChunk:
        return _new(
            c.ChatCompletionChunk,
            {
                "id": self._id or "chatcmpl-stream",
                "object": "chat.completion.chunk",
                "created": self._created,
                "model": self._model,
                "choices": choices,
                "usage": usage,
            },
        )

    def _emit(
        self,
        out: list[c.ChatCompletionChunk],
        delta: dict[str, Any],
        *,
        finish: str | None = None,
        extra: dict[str, Any] | None = None,
        item_id: str | None = None,
    ) -> None:
        if not self._started:
            self._start(out, item_id)
        choice = _new(
            c.Choice1,
            {
                "index": 0,
                "delta": _new(c.ChatCompletionStreamResponseDelta, delta, extra),
                "finish_reason": finish,
                "logprobs": None,
            },
        )
        out.append(self._chunk([choice]))

    def _start(self, out: list[c.ChatCompletionChunk], item_id: str | None) -> None:
        self._started = True
        if self._id is None:
            self._id = _chat_id(item_id) if item_id else "chatcmpl-stream"
        self._emit(out, {"role": "assistant"})

    def _adopt(self, response: r.Response) -> None:
        """Take id, timestamp and model from the response envelope, before the first chunk."""
        if self._started:
            return
        self._id = _chat_id(response.id)
        self._created = response.created_at or 0
        self._model = self._model_override or response.model or ""

    def _tool(self, item_id: str | None, output_index: int) -> _ToolCall | None:
        found = self._tools_by_item.get(item_id) if item_id else None
        return found if found is not None else self._tools_by_index.get(output_index)

    def _open_tool(
        self, out: list[c.ChatCompletionChunk], item: Any, output_index: int
    ) -> _ToolCall:
        tool = _ToolCall(self._tool_count)
        self._tool_count += 1
        if item.id:
            self._tools_by_item[item.id] = tool
        self._tools_by_index[output_index] = tool
        header = _new(
            c.ChatCompletionMessageToolCallChunk,
            {
                "index": tool.index,
                "id": item.call_id,
                "type": "function",
                "function": _new(c.Function1, {"name": item.name, "arguments": ""}),
            },
        )
        self._said_anything = True
        self._emit(out, {"tool_calls": [header]}, item_id=item.id)
        return tool

    def _arguments(self, out: list[c.ChatCompletionChunk], tool: _ToolCall, delta: str) -> None:
        tool.args_sent = True
        part = _new(
            c.ChatCompletionMessageToolCallChunk,
            {"index": tool.index, "function": _new(c.Function1, {"arguments": delta})},
        )
        self._emit(out, {"tool_calls": [part]})

    def _text(
        self, out: list[c.ChatCompletionChunk], key: tuple[str | None, int], text: str, field: str
    ) -> None:
        if key[0]:
            self._text_sent.add((key[0], field))
        self._text_sent.add((key[1], field))
        self._said_anything = True
        self._emit(out, {field: text}, item_id=key[0])

    def _summary(
        self, out: list[c.ChatCompletionChunk], key: tuple[int, int], item_id: str | None, text: str
    ) -> None:
        """A reasoning-summary delta; parts are separated by a blank line, as in completions."""
        if self._last_summary is not None and self._last_summary != key:
            text = "\n\n" + text
        self._last_summary = key
        if item_id:
            self._reasoning_sent.add(item_id)
        self._reasoning_sent.add(key[0])
        self._emit(out, {}, extra={"reasoning_content": text}, item_id=item_id)

    def _close(
        self, out: list[c.ChatCompletionChunk], status: str | None, incomplete: Any, usage: Any
    ) -> None:
        self._finished = True
        delta: dict[str, Any] = {} if self._said_anything else {"content": ""}
        extra = {"reasoning_items": self._reasoning_items} if self._reasoning_items else None
        finish = _finish_reason(self._tool_count > 0, status, incomplete)
        self._emit(out, delta, finish=finish, extra=extra)
        if self._include_usage and usage is not None:
            out.append(self._chunk([], _chat_usage(usage)))

    # -- event handlers ----------------------------------------------------------------------

    def _on_created(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        self._adopt(event.response)
        if not self._started:
            self._start(out, None)

    def _on_in_progress(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        self._adopt(event.response)

    def _on_item_added(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        item = event.item
        if item.type == "function_call" and self._tool(item.id, event.output_index) is None:
            self._open_tool(out, item, event.output_index)

    def _on_text_delta(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        if event.delta:
            self._text(out, (event.item_id, event.output_index), event.delta, "content")

    def _on_refusal_delta(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        if event.delta:
            self._text(out, (event.item_id, event.output_index), event.delta, "refusal")

    def _on_arguments_delta(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        tool = self._tool(event.item_id, event.output_index)
        if tool is not None and event.delta:
            self._arguments(out, tool, event.delta)

    def _on_summary_delta(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        if event.delta:
            self._summary(
                out, (event.output_index, event.summary_index), event.item_id, event.delta
            )

    def _on_item_done(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        """Send whatever the authoritative item holds that no delta carried."""
        item, index = event.item, event.output_index
        kind = item.type
        if kind == "function_call":
            tool = self._tool(item.id, index) or self._open_tool(out, item, index)
            if not tool.args_sent and item.arguments:
                self._arguments(out, tool, item.arguments)
        elif kind == "message":
            key = (item.id, index)
            for field, part_type, attr in (
                ("content", "output_text", "text"),
                ("refusal", "refusal", "refusal"),
            ):
                if (item.id, field) in self._text_sent or (index, field) in self._text_sent:
                    continue
                text = "".join(getattr(p, attr) for p in item.content if p.type == part_type)
                if text:
                    self._text(out, key, text, field)
        elif kind == "reasoning":
            if item.id not in self._reasoning_sent and index not in self._reasoning_sent:
                for number, text in enumerate(_summary_text(item)):
                    self._summary(out, (index, number), item.id, text)
            if item.encrypted_content:
                self._reasoning_items.append(_replay_item(item))

    def _on_terminal(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        response = event.response
        self._adopt(response)
        self._close(out, response.status, response.incomplete_details, response.usage)


_HANDLERS: dict[str, Callable[[ChatChunkFold, Any, list[c.ChatCompletionChunk]], None]] = {
    "response.created": ChatChunkFold._on_created,
    "response.in_progress": ChatChunkFold._on_in_progress,
    "response.output_item.added": ChatChunkFold._on_item_added,
    "response.output_text.delta": ChatChunkFold._on_text_delta,
    "response.refusal.delta": ChatChunkFold._on_refusal_delta,
    "response.function_call_arguments.delta": ChatChunkFold._on_arguments_delta,
    "response.reasoning_summary_text.delta": ChatChunkFold._on_summary_delta,
    "response.output_item.done": ChatChunkFold._on_item_done,
    "response.completed": ChatChunkFold._on_terminal,
    "response.incomplete": ChatChunkFold._on_terminal,
}


def chat_chunks(
    events: Iterable[Any], *, model: str | None = None, include_usage: bool = False
) -> Iterator[c.ChatCompletionChunk]:
    """Fold Responses stream events into Chat completion chunks (see :class:`ChatChunkFold`).

    ``include_usage`` mirrors the Chat request's ``stream_options.include_usage``. ``model``
    overrides the model name the response reports.
    """
    fold = ChatChunkFold(model=model, include_usage=include_usage)
    for event in events:
        yield from fold.feed(event)
    yield from fold.finish()


async def achat_chunks(
    events: AsyncIterable[Any], *, model: str | None = None, include_usage: bool = False
) -> AsyncIterator[c.ChatCompletionChunk]:
    """The async twin of :func:`chat_chunks`; the same fold, fed from an async iterator."""
    fold = ChatChunkFold(model=model, include_usage=include_usage)
    async for event in events:
        for chunk in fold.feed(event):
            yield chunk
    for chunk in fold.finish():
        yield chunk
