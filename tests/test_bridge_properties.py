"""The bridge's laws over generated conversations and event streams (hypothesis).

(a) folding ``chat_chunks(events)`` equals ``response_to_chat_completion(final)``;
(b) text, tool-call ids, names, arguments and their order survive chat → responses → chat;
(c) exactly one finish_reason per stream, tool-call indices 0..k-1;
(d) inputs are never mutated, outputs are schema-valid, and only BridgeError is ever raised.
"""

from __future__ import annotations

import copy
import json
import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bridge_stream import assert_fold_equals_completion, events_of, final_response

from chatgpt_sdk import bridge
from chatgpt_sdk.errors import BridgeError
from chatgpt_sdk.models import chat, responses

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.text(max_size=24)
names = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_-]{0,15}", fullmatch=True)
arguments = st.dictionaries(
    st.text(max_size=6), st.integers() | st.text(max_size=6), max_size=3
).map(json.dumps)
suffixes = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12)
reasoning_items = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.just("reasoning"),
            "summary": st.lists(
                texts.map(lambda t: {"type": "summary_text", "text": t}), max_size=2
            ),
            "encrypted_content": suffixes,
        },
        optional={"id": suffixes.map(lambda s: "rs_" + s)},
    ),
    max_size=2,
)


# --- conversations ---------------------------------------------------------------------------


@st.composite
def user_messages(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"role": "user", "content": draw(texts)}
    parts = draw(
        st.lists(
            st.one_of(
                texts.map(lambda t: {"type": "text", "text": t}),
                st.sampled_from(["https://x.test/a.png", "data:image/png;base64,iVBORw0KGgo="]).map(
                    lambda u: {"type": "image_url", "image_url": {"url": u}}
                ),
                suffixes.map(lambda f: {"type": "file", "file": {"file_id": "file-" + f}}),
            ),
            min_size=1,
            max_size=3,
        )
    )
    return {"role": "user", "content": parts}


@st.composite
def conversations(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Realistic Chat histories: system prompts, user turns, tool loops, replayed reasoning."""
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": t} for t in draw(st.lists(texts, max_size=2))
    ]
    calls = 0
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()) and messages:
            messages.append(
                {"role": draw(st.sampled_from(["system", "developer"])), "content": draw(texts)}
            )
        messages.append(draw(user_messages()))
        for _ in range(draw(st.integers(0, 2))):
            tool_calls = []
            for _ in range(draw(st.integers(1, 3))):
                calls += 1
                tool_calls.append(
                    {
                        "id": f"call_{calls}_{draw(suffixes)}",
                        "type": "function",
                        "function": {"name": draw(names), "arguments": draw(arguments)},
                    }
                )
            assistant: dict[str, Any] = {
                "role": "assistant",
                "content": draw(st.none() | texts),
                "tool_calls": tool_calls,
            }
            if draw(st.booleans()):
                assistant["reasoning_items"] = draw(reasoning_items)
            messages.append(assistant)
            messages.extend(
                {"role": "tool", "tool_call_id": c["id"], "content": draw(texts)}
                for c in tool_calls
            )
        messages.append({"role": "assistant", "content": draw(texts.filter(bool))})
    return messages


function_tools = names.map(
    lambda n: {
        "type": "function",
        "function": {"name": n, "parameters": {"type": "object"}, "strict": False},
    }
)
web_search_options = st.fixed_dictionaries(
    {},
    optional={
        "search_context_size": st.sampled_from(["low", "medium", "high"]),
        "user_location": st.fixed_dictionaries(
            {
                "type": st.just("approximate"),
                "approximate": st.fixed_dictionaries(
                    {},
                    optional={k: texts for k in ("country", "region", "city", "timezone")},
                ),
            }
        ),
    },
)
requests = st.fixed_dictionaries(
    {"model": st.sampled_from(["gpt-5.5", "gpt-5.2-codex"]), "messages": conversations()},
    optional={
        "tools": st.lists(function_tools, max_size=3),
        "tool_choice": st.sampled_from(["auto", "none", "required"]),
        "parallel_tool_calls": st.booleans(),
        "response_format": st.sampled_from(
            [
                {"type": "text"},
                {"type": "json_object"},
                {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}},
            ]
        ),
        "reasoning_effort": st.sampled_from(["low", "medium", "high"]),
        "verbosity": st.sampled_from(["low", "medium", "high"]),
        "max_tokens": st.integers(1, 1000),
        "temperature": st.floats(0, 2),
        "n": st.integers(1, 3),
        "stream_options": st.just({"include_usage": True}),
        "web_search_options": web_search_options,
    },
)


def view(messages: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What must survive a round trip: roles, texts, tool calls (id, name, arguments), order."""
    out: list[tuple[Any, ...]] = []
    for m in messages:
        content = m.get("content")
        if isinstance(content, list):
            content = [part_view(p) for p in content]
            content = content[0] if len(content) == 1 and isinstance(content[0], str) else content
        calls = tuple(
            (c["id"], c["function"]["name"], c["function"]["arguments"])
            for c in m.get("tool_calls") or ()
        )
        role = "developer" if m["role"] == "system" else m["role"]
        out.append((role, content or None, calls, len(m.get("reasoning_items") or ())))
    return out


def part_view(part: dict[str, Any]) -> Any:
    if part["type"] == "text":
        return part["text"]
    return part.get("image_url", {}).get("url") or part["file"]["file_id"]


def leading_system(messages: list[dict[str, Any]]) -> int:
    n = 0
    while n < len(messages) and messages[n]["role"] == "system":
        n += 1
    return n


@SETTINGS
@given(requests)
def test_chat_round_trip_keeps_text_and_tool_calls(params: dict[str, Any]) -> None:
    chat.CreateChatCompletionRequest.model_validate(params)  # the generator makes valid requests
    before = copy.deepcopy(params)
    try:
        forward = bridge.chat_request_to_responses(params)
    except BridgeError:
        assert params["n"] > 1
        return
    assert params == before
    dumped = forward.model_dump(mode="json", exclude_unset=True)
    assert (
        responses.CreateResponse.model_validate(dumped).model_dump(mode="json", exclude_unset=True)
        == dumped
    )

    back = bridge.responses_request_to_chat(forward).model_dump(mode="json", exclude_unset=True)
    lead = leading_system(params["messages"])
    if lead:
        assert back["messages"][0] == {
            "role": "system",
            "content": "\n\n".join(m["content"] for m in params["messages"][:lead]),
        }
        back["messages"] = back["messages"][1:]
    assert view(back["messages"]) == view(params["messages"][lead:])
    for key in (
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "response_format",
        "reasoning_effort",
        "verbosity",
        "web_search_options",
    ):
        if key == "tools" and "web_search_options" in params:
            # The web search joins the tools, and leaves them again: [] and no tools are alike.
            assert (back.get(key) or None) == (params.get(key) or None)
        else:
            assert back.get(key) == params.get(key)


@SETTINGS
@given(requests)
def test_typed_and_dict_requests_convert_alike(params: dict[str, Any]) -> None:
    typed = chat.CreateChatCompletionRequest.model_validate(params)
    try:
        from_dict = bridge.chat_request_to_responses(params).model_dump(
            mode="json", exclude_unset=True
        )
    except BridgeError:
        return
    assert (
        bridge.chat_request_to_responses(typed).model_dump(mode="json", exclude_unset=True)
        == from_dict
    )


# --- event streams (WIRE 4.3-4.6) ------------------------------------------------------------


deltas = st.lists(st.text(min_size=1, max_size=8), max_size=4)


@st.composite
def item_events(
    draw: st.DrawFn, index: int, calls: list[str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One output item's events (added, deltas, done) and its authoritative done item."""
    kind = draw(st.sampled_from(["reasoning", "message", "function_call"]))
    item_id = f"{kind[:2]}_{index}"
    at = {"item_id": item_id, "output_index": index}
    events: list[dict[str, Any]] = []
    streamed = draw(st.booleans()) or draw(
        st.booleans()
    )  # mostly; sometimes only the done item carries the data
    if kind == "reasoning":
        summary = []
        for number, parts in enumerate(draw(st.lists(deltas, max_size=2))):
            text = "".join(parts)
            summary.append({"type": "summary_text", "text": text})
            if streamed:
                events.append(
                    {
                        "type": "response.reasoning_summary_part.added",
                        **at,
                        "summary_index": number,
                        "part": {"type": "summary_text", "text": ""},
                    }
                )
                events.extend(
                    (
                        {
                            "type": "response.reasoning_summary_text.delta",
                            **at,
                            "summary_index": number,
                            "delta": d,
                        }
                    )
                    for d in parts
                )
                events.append(
                    {
                        "type": "response.reasoning_summary_text.done",
                        **at,
                        "summary_index": number,
                        "text": text,
                    }
                )
        item: dict[str, Any] = {"id": item_id, "type": "reasoning", "summary": summary}
        if draw(st.booleans()):
            item["encrypted_content"] = draw(suffixes)
        start: dict[str, Any] = {"id": item_id, "type": "reasoning", "summary": []}
    elif kind == "message":
        content = []
        for number, parts in enumerate(draw(st.lists(deltas, min_size=1, max_size=2))):
            text = "".join(parts)
            content.append({"type": "output_text", "text": text, "annotations": []})
            if streamed:
                part_at = {**at, "content_index": number}
                events.extend(
                    (
                        {
                            "type": "response.output_text.delta",
                            **part_at,
                            "delta": d,
                            "logprobs": [],
                        }
                    )
                    for d in parts
                )
                events.append(
                    {
                        "type": "response.output_text.done",
                        **part_at,
                        "text": text,
                        "logprobs": [],
                    }
                )
        item = {
            "id": item_id,
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": content,
        }
        start = {**item, "status": "in_progress", "content": []}
    else:
        call_id = f"call_{draw(suffixes)}_{index}"
        calls.append(call_id)
        parts = draw(deltas)
        if streamed:
            events.extend(
                ({"type": "response.function_call_arguments.delta", **at, "delta": d})
                for d in parts
            )
            events.append(
                {
                    "type": "response.function_call_arguments.done",
                    **at,
                    "arguments": "".join(parts),
                }
            )
        item = {
            "id": item_id,
            "type": "function_call",
            "call_id": call_id,
            "name": draw(names),
            "arguments": "".join(parts),
            "status": "completed",
        }
        start = {**item, "arguments": "", "status": "in_progress"}
    added = {"type": "response.output_item.added", "output_index": index, "item": start}
    done = {"type": "response.output_item.done", "output_index": index, "item": item}
    return [added, *events, done], item


@st.composite
def streams(draw: st.DrawFn) -> tuple[list[Any], list[str]]:
    """A realistic stream: created, items (function calls possibly interleaved), then completed
    (usually with the backend's empty ``output``) or incomplete."""
    envelope = {
        "id": "resp_" + draw(suffixes),
        "object": "response",
        "created_at": 1767225600,
        "model": "gpt-5.5",
        "output": [],
        "usage": None,
    }
    bodies = [({"type": "response.created", "response": {**envelope, "status": "in_progress"}})]
    bodies.append(
        {"type": "response.in_progress", "response": {**envelope, "status": "in_progress"}}
    )
    calls: list[str] = []
    items = []
    pending: list[tuple[str, list[dict[str, Any]]]] = []
    for index in range(draw(st.integers(0, 5))):
        events, item = draw(item_events(index, calls))
        items.append(item)
        pending.append((item["type"], events))
    # Function calls next to each other may interleave their deltas (each keeps its own order, and
    # items are added in output_index order); other items are sequential, as on the wire.
    started = 0
    while pending:
        lanes = 1
        while lanes < len(pending) and pending[0][0] == pending[lanes][0] == "function_call":
            lanes += 1
        lane = draw(st.integers(0, min(lanes, started + 1) - 1))
        if lane == started:
            started += 1
        bodies.append(pending[lane][1].pop(0))
        if not pending[lane][1]:
            pending.pop(lane)
            started -= 1
    usage = {
        "input_tokens": 10,
        "input_tokens_details": {"cached_tokens": 4},
        "output_tokens": 7,
        "output_tokens_details": {"reasoning_tokens": 2},
        "total_tokens": 17,
    }
    final = {
        **envelope,
        "usage": usage,
        "output": items if draw(st.booleans()) and draw(st.booleans()) else [],
    }
    reason = draw(st.sampled_from([None, None, "max_output_tokens", "content_filter"]))
    if reason is None:
        bodies.append({"type": "response.completed", "response": {**final, "status": "completed"}})
    else:
        incomplete = {**final, "status": "incomplete", "incomplete_details": {"reason": reason}}
        bodies.append({"type": "response.incomplete", "response": incomplete})
    for number, body in enumerate(bodies):
        body["sequence_number"] = number
    return events_of(bodies), calls


@SETTINGS
@given(streams(), st.booleans())
def test_fold_of_chunks_equals_completion_of_final_response(
    stream: tuple[list[Any], list[str]], include_usage: bool
) -> None:
    events, calls = stream
    result = assert_fold_equals_completion(events, include_usage=include_usage)  # (a) and (c)
    assert result["indices"] == list(range(len(calls)))
    # Tool calls keep the order of their first appearance in the stream.
    first_seen = [
        e.item.call_id
        for e in events
        if e.type == "response.output_item.added" and e.item.type == "function_call"
    ]
    assert [c["id"] for c in result["message"]["tool_calls"] or ()] == first_seen
    if include_usage:
        assert result["chunks"][-1]["choices"] == []
        assert result["chunks"][-1]["usage"]["total_tokens"] == 17


@SETTINGS
@given(streams())
def test_completion_round_trips_through_a_response(stream: tuple[list[Any], list[str]]) -> None:
    final = final_response(stream[0])
    before = final.model_dump()
    completion = bridge.response_to_chat_completion(final)
    assert final.model_dump() == before
    completion_before = completion.model_dump()
    back = bridge.chat_completion_to_response(completion)
    assert completion.model_dump() == completion_before
    again = bridge.response_to_chat_completion(back).model_dump()
    reasoning = [i for i in final.output or () if isinstance(i, responses.ReasoningItem)]
    if len({i.encrypted_content is None for i in reasoning}) > 1:
        # Only the replayable items travel; a summary of the others cannot be told apart.
        again["choices"][0]["message"].pop("reasoning_content", None)
        completion_before["choices"][0]["message"].pop("reasoning_content", None)
    assert again == completion_before
