"""The generated models against realistic payloads: right class, lossless round trip, clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from chatgpt_sdk.models import chat, responses
from chatgpt_sdk.models.catalog import ModelCatalog

FIXTURES = Path(__file__).parent / "fixtures"
EVENTS = TypeAdapter(responses.ResponseStreamEvent)
OUTPUT_ITEMS = TypeAdapter(responses.OutputItem)

EXPECTED_EVENT_CLASS = {
    "response.created": responses.ResponseCreatedEvent,
    "response.in_progress": responses.ResponseInProgressEvent,
    "response.output_item.added": responses.ResponseOutputItemAddedEvent,
    "response.output_item.done": responses.ResponseOutputItemDoneEvent,
    "response.content_part.added": responses.ResponseContentPartAddedEvent,
    "response.content_part.done": responses.ResponseContentPartDoneEvent,
    "response.output_text.delta": responses.ResponseTextDeltaEvent,
    "response.output_text.done": responses.ResponseTextDoneEvent,
    "response.reasoning_summary_part.added": responses.ResponseReasoningSummaryPartAddedEvent,
    "response.reasoning_summary_part.done": responses.ResponseReasoningSummaryPartDoneEvent,
    "response.reasoning_summary_text.delta": responses.ResponseReasoningSummaryTextDeltaEvent,
    "response.reasoning_summary_text.done": responses.ResponseReasoningSummaryTextDoneEvent,
    "response.reasoning_text.delta": responses.ResponseReasoningTextDeltaEvent,
    "response.function_call_arguments.delta": responses.ResponseFunctionCallArgumentsDeltaEvent,
    "response.function_call_arguments.done": responses.ResponseFunctionCallArgumentsDoneEvent,
    "response.custom_tool_call_input.delta": responses.ResponseCustomToolCallInputDeltaEvent,
    "response.completed": responses.ResponseCompletedEvent,
    "response.failed": responses.ResponseFailedEvent,
    "response.incomplete": responses.ResponseIncompleteEvent,
    "error": responses.ResponseErrorEvent,
}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def dumped(model: Any) -> Any:
    return json.loads(model.model_dump_json(by_alias=True, exclude_unset=True))


def test_every_event_type_has_a_fixture() -> None:
    on_disk = {p.name.removesuffix(".json") for p in (FIXTURES / "events").glob("*.json")}
    assert on_disk == set(EXPECTED_EVENT_CLASS)


@pytest.mark.parametrize("event_type", sorted(EXPECTED_EVENT_CLASS))
def test_event_fixture_picks_its_class_and_round_trips(event_type: str) -> None:
    payload = load(FIXTURES / "events" / f"{event_type}.json")
    event = EVENTS.validate_python(payload)
    assert type(event) is EXPECTED_EVENT_CLASS[event_type]
    assert event.type == event_type
    assert dumped(event) == payload
    # Validating from raw JSON bytes takes the same path the stream decoder uses.
    assert type(EVENTS.validate_json(json.dumps(payload))) is EXPECTED_EVENT_CLASS[event_type]


@pytest.mark.parametrize("path", sorted((FIXTURES / "sse").glob("*.sse")), ids=lambda p: p.stem)
def test_recorded_streams_validate_without_fallbacks(path: Path) -> None:
    lines = [ln[len("data: ") :] for ln in path.read_text().splitlines() if ln.startswith("data: ")]
    assert lines
    for line in lines:
        event = EVENTS.validate_json(line)
        assert not isinstance(event, responses.UnknownResponseStreamEvent), line
        assert dumped(event) == json.loads(line)


def test_full_response_round_trips_with_typed_items() -> None:
    payload = load(FIXTURES / "response_full.json")
    response = responses.Response.model_validate(payload)
    reasoning, message, call = response.output
    assert isinstance(reasoning, responses.ReasoningItem)
    assert reasoning.encrypted_content == "gAAAAABpXk2Zc3VtbWFyeS1lbmNyeXB0ZWQ="
    assert reasoning.summary[0].text.startswith("**Checking the forecast**")
    assert isinstance(message, responses.OutputMessage)
    assert isinstance(call, responses.FunctionToolCall)
    assert (call.call_id, call.name, call.arguments) == (
        "call_W7x",
        "get_weather",
        '{"city":"Paris"}',
    )
    assert response.output_text == "Let me check the weather in Paris."
    assert response.usage is not None
    assert response.usage.input_tokens_details.cached_tokens == 2048
    assert response.usage.output_tokens_details.reasoning_tokens == 64
    assert dumped(response) == payload


def test_chat_completion_and_chunk_round_trip() -> None:
    payload = load(FIXTURES / "chat_completion.json")
    completion = chat.ChatCompletion.model_validate(payload)
    calls = completion.choices[0].message.tool_calls
    assert calls is not None
    assert [c.id for c in calls] == ["call_W7x", "call_W8y"]  # type: ignore[union-attr]
    assert dumped(completion) == payload

    chunk_payload = load(FIXTURES / "chat_chunk_tool_calls.json")
    chunk = chat.ChatCompletionChunk.model_validate(chunk_payload)
    delta_calls = chunk.choices[0].delta.tool_calls
    assert delta_calls is not None
    assert delta_calls[0].index == 1
    assert dumped(chunk) == chunk_payload


def test_unknown_fields_survive_a_round_trip() -> None:
    payload = load(FIXTURES / "events" / "response.output_text.delta.json")
    payload["obfuscation"] = "x9Q"  # a field the backend added later
    payload["brand_new"] = {"nested": [1, 2]}
    event = EVENTS.validate_python(payload)
    assert type(event) is responses.ResponseTextDeltaEvent
    assert event.model_extra == {"obfuscation": "x9Q", "brand_new": {"nested": [1, 2]}}
    assert dumped(event) == payload


def test_unknown_event_type_becomes_the_fallback_model() -> None:
    payload = load(FIXTURES / "unknown_event.json")
    event = EVENTS.validate_python(payload)
    assert type(event) is responses.UnknownResponseStreamEvent
    assert event.type == "response.metadata"
    assert event.model_extra is not None
    assert event.model_extra["metadata"] == payload["metadata"]
    assert dumped(event) == payload


def test_unknown_output_item_type_becomes_the_fallback_model() -> None:
    payload = {"type": "web_fetch_call", "id": "wf_1", "status": "completed", "url": "https://x"}
    item = OUTPUT_ITEMS.validate_python(payload)
    assert type(item) is responses.UnknownOutputItem
    assert dumped(item) == payload
    # ...also when it arrives nested inside an event.
    event = EVENTS.validate_python(
        {
            "type": "response.output_item.done",
            "sequence_number": 4,
            "output_index": 0,
            "item": payload,
        }
    )
    assert isinstance(event, responses.ResponseOutputItemDoneEvent)
    assert type(event.item) is responses.UnknownOutputItem


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        (
            {
                "type": "response.output_text.delta",
                "sequence_number": 1,
                "item_id": "m",
                "output_index": "first",
                "content_index": 0,
                "delta": "x",
            },
            "output_index",
        ),
        (
            {
                "type": "response.output_text.delta",
                "sequence_number": 1,
                "item_id": "m",
                "output_index": 0,
                "content_index": 0,
            },
            "delta",
        ),
        (
            {
                "type": "response.output_item.done",
                "sequence_number": 3,
                "output_index": 0,
                "item": {"type": "function_call", "call_id": "c", "arguments": "{}"},
            },
            "item.FunctionToolCall.name",
        ),
    ],
    ids=["wrong-type", "missing-delta", "nested-missing-name"],
)
def test_invalid_payloads_name_the_field(payload: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        EVENTS.validate_python(payload)
    assert path in str(info.value)


def test_response_requires_an_id() -> None:
    with pytest.raises(ValidationError, match="id"):
        responses.Response.model_validate({"object": "response", "output": []})


def test_reasoning_effort_accepts_backend_values() -> None:
    adapter = TypeAdapter(responses.ReasoningEffort)
    for effort in ("minimal", "low", "medium", "high", "xhigh", "ultra"):
        assert adapter.validate_python(effort) == effort
    with pytest.raises(ValidationError):
        adapter.validate_python("enormous")


def test_replayed_assistant_and_reasoning_items_validate_as_input() -> None:
    """Replays carry no server ids or status (store=false), which the spec required."""
    request = responses.CreateResponse.model_validate(
        {
            "model": "gpt-5.5",
            "input": [
                {"type": "reasoning", "summary": [], "encrypted_content": "gAAA"},
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "Rome: 24 °C."}],
                },
                {"type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"},
            ],
        }
    )
    assert isinstance(request.input, list)
    assert [type(i).__name__ for i in request.input] == [
        "ReasoningItem",
        "OutputMessage",
        "FunctionToolCall",
    ]


def test_model_catalog_is_lenient() -> None:
    catalog = ModelCatalog.model_validate(
        {
            "models": [
                {"slug": "gpt-5.5", "context_window": 272000, "future_flag": True},
                {"slug": "x"},
            ]
        }
    )
    assert [m.slug for m in catalog.models] == ["gpt-5.5", "x"]
    assert catalog.models[0].model_extra == {"future_flag": True}
    with pytest.raises(ValidationError, match="slug"):
        ModelCatalog.model_validate({"models": [{"display_name": "no slug"}]})


@pytest.mark.parametrize(
    ("tool", "cls"),
    [
        ({"type": "web_search"}, responses.WebSearchTool),
        ({"type": "web_search_2025_08_26", "search_context_size": "low"}, responses.WebSearchTool),
        ({"type": "web_search_preview"}, responses.WebSearchPreviewTool),
        ({"type": "web_search_preview_2025_03_11"}, responses.WebSearchPreviewTool),
        ({"type": "function", "name": "f"}, responses.FunctionTool),
    ],
)
def test_tools_with_several_type_values_pick_their_class(tool: dict[str, Any], cls: type) -> None:
    """Once ``Literal["WebSearchTool"]`` (the class name): the schema's own enum is the tag."""
    parsed = TypeAdapter(responses.Tool).validate_python(tool)
    assert type(parsed) is cls
    assert parsed.model_dump(exclude_unset=True) == tool


def test_file_search_filters_take_the_spec_operators() -> None:
    """ComparisonFilter and CompoundFilter are tagged by their operators, as the spec says."""
    tool = responses.FileSearchTool.model_validate(
        {
            "type": "file_search",
            "vector_store_ids": ["vs_1"],
            "filters": {
                "type": "and",
                "filters": [
                    {"type": "eq", "key": "lang", "value": "en"},
                    {
                        "type": "or",
                        "filters": [
                            {"type": "gte", "key": "year", "value": 2020},
                            {"type": "in", "key": "tag", "value": ["a", "b"]},
                        ],
                    },
                ],
            },
        }
    )
    assert isinstance(tool.filters, responses.CompoundFilter)
    first, nested = tool.filters.filters
    assert isinstance(first, responses.ComparisonFilter)
    assert first.type == "eq"
    assert isinstance(nested, responses.CompoundFilter)
    assert [f.type for f in nested.filters] == ["gte", "in"]
