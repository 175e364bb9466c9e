"""Pure builders for the backend's SSE event sequences (WIRE.md 4.3-4.9) and their encoder.

The fake backend, the tests, the benchmarks and the demo all build streams here, so each of them
sees the same shapes. Events are plain dicts, not models: a 20,000-delta stream must stay cheap to
build, and ``import chatgpt_sdk.testing`` must not pull in pydantic.

Shapes follow the recorded sequences of WIRE.md exactly: the ``response.created`` /
``response.in_progress`` envelope, per-item ``added`` / ``delta`` / ``done`` events, and a terminal
event whose ``response.output`` is empty by default, as the real backend sends it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from chatgpt_sdk._fake.sse_encoding import Event, encode_data, encode_event, encode_events

__all__ = [
    "CustomToolCall",
    "Event",
    "ToolCallSpec",
    "UsageOverride",
    "custom_tool_call_events",
    "done_items",
    "encode_data",
    "encode_event",
    "encode_events",
    "estimate_tokens",
    "failed_events",
    "function_call_events",
    "message_events",
    "numbered",
    "reasoning_events",
    "reply_events",
    "response_object",
    "split_text",
    "usage_object",
]


@dataclass(frozen=True)
class CustomToolCall:
    """A scripted call to a custom (free-form input) tool: a ``custom_tool_call`` output item."""

    name: str
    input: str
    call_id: str | None = None


ToolCallSpec = tuple[str, str] | tuple[str, str, str] | CustomToolCall
"""``(name, arguments_json)`` or ``(name, arguments_json, call_id)`` for a function call, or a
``CustomToolCall`` for a custom tool call."""


class UsageOverride(TypedDict, total=False):
    """Usage counts to report instead of the derived ones."""

    input_tokens: int
    cached_tokens: int
    output_tokens: int
    reasoning_tokens: int


_WORDS = re.compile(r"\s*\S+|\s+")
# Non-ASCII is sent as raw UTF-8 (not \u escapes) so that clients' decoders meet multi-byte
# characters, possibly split across network chunks. Whether the real backend escapes is unrecorded.


def split_text(text: str) -> list[str]:
    """Split ``text`` into word-sized deltas (``"Hello"``, ``" world"``) the way tokens stream."""
    return _WORDS.findall(text)


def estimate_tokens(text: str) -> int:
    """A deterministic token count (about four characters a token), for fake usage numbers."""
    return (len(text) + 3) // 4


def usage_object(
    input_tokens: int, output_tokens: int, *, cached_tokens: int = 0, reasoning_tokens: int = 0
) -> Event:
    """The ``usage`` object of ``response.completed`` (WIRE.md 4.2)."""
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": cached_tokens},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "total_tokens": input_tokens + output_tokens,
    }


def response_object(
    response_id: str,
    *,
    model: str,
    created_at: int,
    status: str = "in_progress",
    output: Sequence[Event] = (),
    usage: Event | None = None,
    fields: Event | None = None,
) -> Event:
    """The ``response`` object of the envelope events; ``fields`` adds the echoed request fields."""
    return {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": status,
        **(fields or {}),
        "model": model,
        "output": list(output),
        "usage": usage,
    }


def message_events(
    item_id: str, output_index: int, deltas: Sequence[str], *, status: str = "completed"
) -> list[Event]:
    """An assistant message with one ``output_text`` part (WIRE.md 4.3), without sequence numbers."""
    text = "".join(deltas)
    where = {"item_id": item_id, "output_index": output_index, "content_index": 0}
    events: list[Event] = [
        {
            "type": "response.output_item.added",
            "output_index": output_index,
            "item": {
                "id": item_id,
                "type": "message",
                "status": "in_progress",
                "role": "assistant",
                "content": [],
            },
        },
        {
            "type": "response.content_part.added",
            **where,
            "part": {"type": "output_text", "annotations": [], "logprobs": [], "text": ""},
        },
    ]
    events.extend(
        {"type": "response.output_text.delta", **where, "delta": delta, "logprobs": []}
        for delta in deltas
    )
    part = {"type": "output_text", "annotations": [], "logprobs": [], "text": text}
    events += [
        {"type": "response.output_text.done", **where, "text": text, "logprobs": []},
        {"type": "response.content_part.done", **where, "part": part},
        {
            "type": "response.output_item.done",
            "output_index": output_index,
            "item": {
                "id": item_id,
                "type": "message",
                "status": status,
                "role": "assistant",
                "content": [dict(part)],
            },
        },
    ]
    return events


def function_call_events(
    item_id: str,
    output_index: int,
    *,
    call_id: str,
    name: str,
    arguments: str,
    deltas: Sequence[str] | None = None,
    namespace: str | None = None,
) -> list[Event]:
    """One function call item (WIRE.md 4.4); arguments stream in two halves unless ``deltas``.

    ``namespace`` adds the item's ``namespace`` field, as Responses Lite replies carry it.
    """
    if deltas is None:
        deltas = _halves(arguments)
    where = {"item_id": item_id, "output_index": output_index}

    def item(status: str, args: str) -> Event:
        event: Event = {
            "id": item_id,
            "type": "function_call",
            "status": status,
            "arguments": args,
            "call_id": call_id,
            "name": name,
        }
        if namespace is not None:
            event["namespace"] = namespace
        return event

    events: list[Event] = [
        {
            "type": "response.output_item.added",
            "output_index": output_index,
            "item": item("in_progress", ""),
        }
    ]
    events.extend(
        {"type": "response.function_call_arguments.delta", **where, "delta": delta}
        for delta in deltas
    )
    events += [
        {"type": "response.function_call_arguments.done", **where, "arguments": arguments},
        {
            "type": "response.output_item.done",
            "output_index": output_index,
            "item": item("completed", arguments),
        },
    ]
    return events


def custom_tool_call_events(
    item_id: str,
    output_index: int,
    *,
    call_id: str,
    name: str,
    input: str,
    deltas: Sequence[str] | None = None,
    namespace: str | None = None,
) -> list[Event]:
    """One ``custom_tool_call`` item; its input streams in two halves unless ``deltas``.

    The public API's event names (``response.custom_tool_call_input.delta`` / ``.done``); the
    backend's sequence for custom tools is unrecorded, so this mirrors the function call one.
    """
    if deltas is None:
        deltas = _halves(input)
    where = {"item_id": item_id, "output_index": output_index}

    def item(text: str) -> Event:
        event: Event = {
            "id": item_id,
            "type": "custom_tool_call",
            "call_id": call_id,
            "name": name,
            "input": text,
        }
        if namespace is not None:
            event["namespace"] = namespace
        return event

    events: list[Event] = [
        {"type": "response.output_item.added", "output_index": output_index, "item": item("")}
    ]
    events.extend(
        {"type": "response.custom_tool_call_input.delta", **where, "delta": delta}
        for delta in deltas
    )
    events += [
        {"type": "response.custom_tool_call_input.done", **where, "input": input},
        {"type": "response.output_item.done", "output_index": output_index, "item": item(input)},
    ]
    return events


def _halves(text: str) -> list[str]:
    half = len(text) // 2
    return [piece for piece in (text[:half], text[half:]) if piece]


def reasoning_events(
    item_id: str,
    output_index: int,
    summary_parts: Sequence[Sequence[str]],
    *,
    encrypted_content: str,
) -> list[Event]:
    """A reasoning item (WIRE.md 4.6); ``summary_parts`` holds each summary part's deltas."""
    events: list[Event] = [
        {
            "type": "response.output_item.added",
            "output_index": output_index,
            "item": {"id": item_id, "type": "reasoning", "summary": []},
        }
    ]
    summary: list[Event] = []
    for summary_index, deltas in enumerate(summary_parts):
        text = "".join(deltas)
        where = {"item_id": item_id, "output_index": output_index, "summary_index": summary_index}
        events.append(
            {
                "type": "response.reasoning_summary_part.added",
                **where,
                "part": {"type": "summary_text", "text": ""},
            }
        )
        events.extend(
            {"type": "response.reasoning_summary_text.delta", **where, "delta": delta}
            for delta in deltas
        )
        part = {"type": "summary_text", "text": text}
        events += [
            {"type": "response.reasoning_summary_text.done", **where, "text": text},
            {"type": "response.reasoning_summary_part.done", **where, "part": part},
        ]
        summary.append(dict(part))
    events.append(
        {
            "type": "response.output_item.done",
            "output_index": output_index,
            "item": {
                "id": item_id,
                "type": "reasoning",
                "summary": summary,
                "encrypted_content": encrypted_content,
            },
        }
    )
    return events


def numbered(events: Iterable[Event], start: int = 0) -> list[Event]:
    """Copies of ``events`` with ``sequence_number`` set (placed right after ``type``)."""
    return [
        {"type": event["type"], "sequence_number": number, **event}
        for number, event in enumerate(events, start)
    ]


def done_items(events: Iterable[Event]) -> list[Event]:
    """The authoritative output items: those of the ``output_item.done`` events, in index order."""
    done = [e for e in events if e.get("type") == "response.output_item.done"]
    return [e["item"] for e in sorted(done, key=lambda e: int(e["output_index"]))]


def reply_events(
    text: str | None = None,
    *,
    response_id: str = "resp_fake",
    model: str = "gpt-5.5",
    created_at: int = 0,
    deltas: Sequence[str] | None = None,
    reasoning_summary: str | Sequence[str] | None = None,
    tool_calls: Sequence[ToolCallSpec] = (),
    usage: UsageOverride | None = None,
    completed_output_empty: bool = True,
    incomplete_reason: str | None = None,
    response_fields: Event | None = None,
    namespaces: Mapping[str, str] | None = None,
) -> list[Event]:
    """A whole reply stream, numbered: envelope, reasoning, message, tool calls, terminal event.

    Item ids derive from ``response_id`` as in WIRE.md (``resp_abc`` gives ``rs_abc``,
    ``msg_abc``, ``fc_abc1``, ``call_abc1``). ``text`` (or ``deltas``, an explicit split) makes a
    message; with neither and no tool calls the message is empty. ``reasoning_summary`` adds a
    reasoning item first ("" gives one with an empty summary, as reasoning models send).
    ``incomplete_reason`` ends with ``response.incomplete`` instead of ``response.completed``.
    ``completed_output_empty`` reproduces the backend's terminal ``output: []`` quirk (WIRE 4.7).
    Usage counts left out of ``usage`` are derived from the text lengths (input: 0).
    ``tool_calls`` entries are function calls (tuples) or ``CustomToolCall``s (``ctc_abc1``
    items); ``namespaces`` maps a tool name to the ``namespace`` its call item carries.
    """
    suffix = response_id.split("_", 1)[-1]
    body: list[Event] = []
    output_tokens = reasoning_tokens = 0
    if reasoning_summary is not None:
        parts = [reasoning_summary] if isinstance(reasoning_summary, str) else reasoning_summary
        parts = [part for part in parts if part]
        digest = hashlib.sha256("\n".join(parts).encode()).digest()
        encrypted = "gAAAAAB" + base64.urlsafe_b64encode(digest * 2).decode()
        body += reasoning_events(
            f"rs_{suffix}",
            0,
            [split_text(part) for part in parts],
            encrypted_content=encrypted,
        )
        reasoning_tokens = 4 * sum(estimate_tokens(part) for part in parts)
    if deltas is None and (text is not None or not tool_calls):
        deltas = split_text(text or "")
    if deltas is not None:
        status = "completed" if incomplete_reason is None else "incomplete"
        body += message_events(f"msg_{suffix}", len(done_items(body)), deltas, status=status)
        output_tokens += estimate_tokens("".join(deltas))
    for number, spec in enumerate(tool_calls, 1):
        index = len(done_items(body))
        if isinstance(spec, CustomToolCall):
            name, arguments = spec.name, spec.input
            body += custom_tool_call_events(
                f"ctc_{suffix}{number}",
                index,
                call_id=spec.call_id or f"call_{suffix}{number}",
                name=name,
                input=arguments,
                namespace=(namespaces or {}).get(name),
            )
        else:
            name, arguments = spec[0], spec[1]
            body += function_call_events(
                f"fc_{suffix}{number}",
                index,
                call_id=spec[2] if len(spec) == 3 else f"call_{suffix}{number}",
                name=name,
                arguments=arguments,
                namespace=(namespaces or {}).get(name),
            )
        output_tokens += estimate_tokens(name + arguments)
    counts = usage or {}
    usage_body = usage_object(
        counts.get("input_tokens", 0),
        counts.get("output_tokens", output_tokens + reasoning_tokens),
        cached_tokens=counts.get("cached_tokens", 0),
        reasoning_tokens=counts.get("reasoning_tokens", reasoning_tokens),
    )

    def envelope(status: str, **extra: Any) -> Event:
        return response_object(
            response_id,
            model=model,
            created_at=created_at,
            status=status,
            fields=response_fields,
            **extra,
        )

    output = [] if completed_output_empty else done_items(body)
    if incomplete_reason is None:
        end: Event = {
            "type": "response.completed",
            "response": envelope("completed", output=output, usage=usage_body),
        }
    else:
        response = envelope("incomplete", output=output, usage=usage_body)
        response["incomplete_details"] = {"reason": incomplete_reason}
        end = {"type": "response.incomplete", "response": response}
    return numbered(
        [
            {"type": "response.created", "response": envelope("in_progress")},
            {"type": "response.in_progress", "response": envelope("in_progress")},
            *body,
            end,
        ]
    )


def failed_events(
    code: str,
    message: str,
    *,
    response_id: str = "resp_fake",
    model: str = "gpt-5.5",
    created_at: int = 0,
    text: str | None = None,
    response_fields: Event | None = None,
) -> list[Event]:
    """A stream ending in ``response.failed`` (WIRE.md 4.8), optionally after some message text."""

    def envelope(status: str) -> Event:
        return response_object(
            response_id, model=model, created_at=created_at, status=status, fields=response_fields
        )

    body: list[Event] = []
    if text is not None:
        # The message never finishes: only its opening events and the deltas were sent.
        body = [
            e
            for e in message_events(f"msg_{response_id.split('_', 1)[-1]}", 0, split_text(text))
            if not e["type"].endswith(".done")
        ]
    failed = envelope("failed")
    failed["error"] = {"code": code, "message": message}
    return numbered(
        [
            {"type": "response.created", "response": envelope("in_progress")},
            {"type": "response.in_progress", "response": envelope("in_progress")},
            *body,
            {"type": "response.failed", "response": failed},
        ]
    )
