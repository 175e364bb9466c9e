"""The stream fold: Responses events → Chat chunks (WIRE.md 4.3-4.9). Helpers here are shared
with the property tests."""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from chatgpt_sdk import bridge
from chatgpt_sdk.models import chat, responses

FIXTURES = Path(__file__).parent / "fixtures" / "sse"
EVENTS: TypeAdapter[Any] = TypeAdapter(responses.ResponseStreamEvent)


def events_of(bodies: Iterable[dict[str, Any]]) -> list[Any]:
    return [EVENTS.validate_python(body) for body in bodies]


def load_sse(name: str) -> list[Any]:
    lines = (FIXTURES / name).read_text().splitlines()
    return events_of(json.loads(line[5:]) for line in lines if line.startswith("data:"))


def final_response(events: list[Any]) -> responses.Response:
    """The final response as the client rebuilds it (WIRE 4.7): ``output_item.done`` items by
    ``output_index``, the rest from the terminal event."""
    done = {e.output_index: e.item for e in events if e.type == "response.output_item.done"}
    terminal = next(e for e in events if e.type in ("response.completed", "response.incomplete"))
    response = terminal.response.model_copy()
    if not response.output:
        response.output = [done[i] for i in sorted(done)]
    return response


def chunks_of(events: list[Any], **kw: Any) -> list[dict[str, Any]]:
    """Run the fold and prove every chunk is a schema-valid ChatCompletionChunk."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dumped = [chunk.model_dump(mode="json") for chunk in bridge.chat_chunks(events, **kw)]
    for chunk in dumped:
        assert chat.ChatCompletionChunk.model_validate(chunk).model_dump(mode="json") == chunk
    return dumped


def fold(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    """Accumulate chunks the way OpenAI clients do, into one message plus the stream facts."""
    message: dict[str, Any] = {"role": None, "content": None, "refusal": None, "tool_calls": {}}
    finish: list[str] = []
    for chunk in chunks:
        for choice in chunk["choices"]:
            delta = choice["delta"]
            if delta.get("role"):
                message["role"] = delta["role"]
            for key in ("content", "refusal", "reasoning_content"):
                if delta.get(key) is not None:
                    message[key] = (message.get(key) or "") + delta[key]
            for call in delta.get("tool_calls") or ():
                slot = message["tool_calls"].setdefault(
                    call["index"], {"function": {"arguments": ""}}
                )
                if call.get("id"):
                    slot["id"] = call["id"]
                    slot["type"] = call["type"]
                function = call.get("function") or {}
                if function.get("name"):
                    slot["function"]["name"] = function["name"]
                slot["function"]["arguments"] += function.get("arguments") or ""
            if delta.get("reasoning_items"):
                message["reasoning_items"] = delta["reasoning_items"]
            if choice["finish_reason"] is not None:
                finish.append(choice["finish_reason"])
    calls = message.pop("tool_calls")
    message["tool_calls"] = [calls[i] for i in sorted(calls)] or None
    return {"message": message, "finish_reasons": finish, "indices": sorted(calls)}


def completion_view(completion: chat.ChatCompletion) -> dict[str, Any]:
    """The parts of a completion a stream can carry, in the shape :func:`fold` returns."""
    message = completion.choices[0].message.model_dump(mode="json")
    view = {k: message[k] for k in ("role", "content", "refusal")}
    view["tool_calls"] = message.get("tool_calls")
    for key in ("reasoning_content", "reasoning_items"):
        if key in message:
            view[key] = message[key]
    return {"message": view, "finish_reasons": [completion.choices[0].finish_reason]}


def assert_stream_laws(chunks: list[dict[str, Any]], include_usage: bool = False) -> None:
    """One id, role first, exactly one finish_reason, indices 0..k-1 headed by id and name."""
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    body = chunks[:-1] if include_usage and not chunks[-1]["choices"] else chunks
    finishes = [c for c in body if c["choices"][0]["finish_reason"] is not None]
    assert len(finishes) == 1
    assert finishes[0] is body[-1]
    seen: list[int] = []
    for chunk in body:
        for call in chunk["choices"][0]["delta"].get("tool_calls") or ():
            if call["index"] not in seen:
                assert call["id"], "the first chunk of a tool call carries its id"
                assert call["function"]["name"]
                assert call["index"] == len(seen)
                seen.append(call["index"])


def assert_fold_equals_completion(events: list[Any], **kw: Any) -> dict[str, Any]:
    chunks = chunks_of(events, **kw)
    assert_stream_laws(chunks, kw.get("include_usage", False))
    folded = fold(chunks)
    expected = completion_view(
        bridge.response_to_chat_completion(final_response(events), **kw_model(kw))
    )
    assert {k: folded[k] for k in expected} == expected
    return {"chunks": chunks, **folded}


def kw_model(kw: dict[str, Any]) -> dict[str, Any]:
    return {"model": kw["model"]} if "model" in kw else {}


# --- recorded streams (WIRE 4.3-4.6) ---------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["text.sse", "function_call.sse", "parallel_function_calls.sse", "reasoning_then_text.sse"],
)
def test_fold_of_recorded_stream_equals_completion(name: str) -> None:
    assert_fold_equals_completion(load_sse(name))


def test_text_stream_chunks() -> None:
    chunks = chunks_of(load_sse("text.sse"))
    assert [c["choices"][0]["delta"].get("content") for c in chunks] == [
        None,
        "Hello",
        "! How can I help?",
        None,
    ]
    assert chunks[0]["id"] == "chatcmpl-resp_abc"
    assert chunks[0]["created"] == 1767225600
    assert chunks[0]["model"] == "gpt-5.5"
    assert chunks[0]["object"] == "chat.completion.chunk"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_parallel_calls_are_indexed_0_and_1_with_headers_then_arguments() -> None:
    chunks = chunks_of(load_sse("parallel_function_calls.sse"))
    calls = [
        c["choices"][0]["delta"]["tool_calls"][0]
        for c in chunks
        if c["choices"][0]["delta"].get("tool_calls")
    ]
    assert calls == [
        {
            "index": 0,
            "id": "call_R1",
            "type": "function",
            "function": {"name": "get_weather", "arguments": ""},
        },
        {
            "index": 0,
            "id": None,
            "type": None,
            "function": {"name": None, "arguments": '{"city":"Paris"}'},
        },
        {
            "index": 1,
            "id": "call_R2",
            "type": "function",
            "function": {"name": "get_weather", "arguments": ""},
        },
        {
            "index": 1,
            "id": None,
            "type": None,
            "function": {"name": None, "arguments": '{"city":"Berlin"}'},
        },
    ]
    assert len(chunks[-1]["choices"]) == 1
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_reasoning_summary_and_replay_items() -> None:
    result = assert_fold_equals_completion(load_sse("reasoning_then_text.sse"))
    message = result["message"]
    assert (
        message["reasoning_content"]
        == "**Comparing the options**\n\nThe user wants a one-line answer."
    )
    assert message["reasoning_items"] == [
        {
            "type": "reasoning",
            "summary": [
                {
                    "type": "summary_text",
                    "text": "**Comparing the options**\n\nThe user wants a one-line answer.",
                }
            ],
            "encrypted_content": "gAAAAABpXk2…",
        }
    ]
    assert "reasoning_items" in result["chunks"][-1]["choices"][0]["delta"]


def test_include_usage_adds_one_last_chunk() -> None:
    chunks = chunks_of(load_sse("text.sse"), include_usage=True)
    assert_stream_laws(chunks, include_usage=True)
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["prompt_tokens"] == 2150
    assert chunks[-1]["usage"]["prompt_tokens_details"]["cached_tokens"] == 2048
    assert all(c["usage"] is None for c in chunks[:-1])


def test_model_override() -> None:
    assert {c["model"] for c in chunks_of(load_sse("text.sse"), model="alias")} == {"alias"}


# --- built streams: the cases recordings do not cover ----------------------------------------

CREATED = {
    "id": "resp_x",
    "object": "response",
    "created_at": 1,
    "status": "in_progress",
    "model": "m",
    "output": [],
}


def created() -> dict[str, Any]:
    return {"type": "response.created", "sequence_number": 0, "response": CREATED}


def completed(status: str = "completed", reason: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {**CREATED, "status": status, "usage": None}
    if reason:
        response["incomplete_details"] = {"reason": reason}
    kind = "response.completed" if status == "completed" else "response.incomplete"
    return {"type": kind, "sequence_number": 99, "response": response}


def fc(item_id: str, call_id: str, arguments: str = "") -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "function_call",
        "call_id": call_id,
        "name": "f",
        "arguments": arguments,
    }


def added(index: int, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "response.output_item.added",
        "sequence_number": 1,
        "output_index": index,
        "item": item,
    }


def done(index: int, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "response.output_item.done",
        "sequence_number": 1,
        "output_index": index,
        "item": item,
    }


def args(index: int, item_id: str, delta: str) -> dict[str, Any]:
    return {
        "type": "response.function_call_arguments.delta",
        "sequence_number": 1,
        "item_id": item_id,
        "output_index": index,
        "delta": delta,
    }


def msg(item_id: str, text: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text}],
    }


def test_interleaved_calls_after_reasoning_are_renumbered_by_first_appearance() -> None:
    reasoning = {"id": "rs", "type": "reasoning", "summary": []}
    events = events_of(
        [
            created(),
            added(0, reasoning),
            done(0, reasoning),
            added(2, fc("fc_b", "call_b")),
            added(1, fc("fc_a", "call_a")),
            args(1, "fc_a", '{"a":'),
            args(2, "fc_b", '{"b":'),
            args(1, "fc_a", "1}"),
            args(2, "fc_b", "2}"),
            done(2, fc("fc_b", "call_b", '{"b":2}')),
            done(1, fc("fc_a", "call_a", '{"a":1}')),
            completed(),
        ]
    )
    result = assert_stream_laws_and_fold(events)
    assert result["message"]["tool_calls"] == [
        {"id": "call_b", "type": "function", "function": {"name": "f", "arguments": '{"b":2}'}},
        {"id": "call_a", "type": "function", "function": {"name": "f", "arguments": '{"a":1}'}},
    ]


def assert_stream_laws_and_fold(events: list[Any]) -> dict[str, Any]:
    chunks = chunks_of(events)
    assert_stream_laws(chunks)
    return fold(chunks)


def test_arguments_only_on_done_and_text_only_on_done() -> None:
    events = events_of(
        [
            created(),
            added(0, fc("fc", "call")),
            done(0, fc("fc", "call", '{"x":1}')),
            done(1, msg("m", "late")),
        ]
    )
    events += events_of([completed()])
    result = assert_fold_equals_completion(events)
    assert result["message"]["tool_calls"][0]["function"]["arguments"] == '{"x":1}'
    assert result["message"]["content"] == "late"


def test_a_call_without_added_event_is_opened_at_done() -> None:
    result = assert_fold_equals_completion(
        events_of([created(), done(0, fc("fc", "call", "{}")), completed()])
    )
    assert result["indices"] == [0]


def test_unknown_and_failed_events_are_skipped() -> None:
    base = load_sse("text.sse")
    noise = events_of(
        [
            {"type": "response.metadata", "sequence_number": 3, "metadata": {}},
            {"type": "response.brand_new", "sequence_number": 4},
            {"type": "error", "sequence_number": 5, "code": "x", "message": "y", "param": None},
            {
                "type": "response.failed",
                "sequence_number": 6,
                "response": {**CREATED, "status": "failed"},
            },
        ]
    )
    assert chunks_of(base[:3] + noise + base[3:]) == chunks_of(base)


def test_incomplete_is_length_or_content_filter() -> None:
    text = [created(), added(0, msg("m", "")), done(0, msg("m", "cut"))]
    for reason, finish in (("max_output_tokens", "length"), ("content_filter", "content_filter")):
        result = assert_fold_equals_completion(events_of([*text, completed("incomplete", reason)]))
        assert result["finish_reasons"] == [finish]


def test_without_response_created_the_id_comes_from_the_first_item() -> None:
    chunks = chunks_of(
        events_of([added(0, fc("fc_1", "call")), done(0, fc("fc_1", "call", "{}")), completed()])
    )
    assert {c["id"] for c in chunks} == {"chatcmpl-fc_1"}


def test_a_stream_cut_short_still_gets_one_finish_chunk() -> None:
    chunks = chunks_of(events_of([created(), added(0, fc("fc", "call")), args(0, "fc", "{}")]))
    assert_stream_laws(chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_events_after_the_terminal_event_are_ignored() -> None:
    base = load_sse("text.sse")
    assert chunks_of(base + base[2:]) == chunks_of(base)


def test_empty_stream_is_an_empty_message() -> None:
    result = assert_fold_equals_completion(events_of([created(), completed()]))
    assert result["message"]["content"] == ""


async def aiter(events: list[Any]) -> AsyncIterator[Any]:
    for event in events:
        yield event


@pytest.mark.parametrize(
    "name", ["text.sse", "parallel_function_calls.sse", "reasoning_then_text.sse"]
)
async def test_achat_chunks_equals_chat_chunks(name: str) -> None:
    events = load_sse(name)
    sync = [c.model_dump() for c in bridge.chat_chunks(events, include_usage=True)]
    async_ = [c.model_dump() async for c in bridge.achat_chunks(aiter(events), include_usage=True)]
    assert async_ == sync
