"""The Chat ⇄ Responses bridge, one mapping rule per case (docs/chat.md)."""

from __future__ import annotations

import asyncio
import copy
import warnings
from typing import Any

import pytest

from chatgpt_sdk import bridge
from chatgpt_sdk.errors import BridgeError, UnsupportedParameterWarning
from chatgpt_sdk.models import chat, responses
from chatgpt_sdk.testing import FakeChatGPTBackend

WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
PNG = "data:image/png;base64,iVBORw0KGgo="


def to_responses(params: dict[str, Any]) -> dict[str, Any]:
    """Convert, prove the result is schema-valid and the input untouched, and return its JSON."""
    before = copy.deepcopy(params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        request = bridge.chat_request_to_responses(params)
        dumped = request.model_dump(mode="json", exclude_unset=True)
    assert params == before
    revalidated = responses.CreateResponse.model_validate(dumped)
    assert revalidated.model_dump(mode="json", exclude_unset=True) == dumped
    return dumped


def user(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def call(
    call_id: str, name: str = "get_weather", arguments: str = '{"city":"Rome"}'
) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


REQUEST_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "leading system messages become instructions",
        {
            "model": "gpt-5.5",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "system", "content": [{"type": "text", "text": "Use metric units."}]},
                {"role": "user", "content": "hi"},
            ],
        },
        {
            "model": "gpt-5.5",
            "instructions": "Be brief.\n\nUse metric units.",
            "input": [user("hi")],
        },
    ),
    (
        "later system messages become developer messages; developer stays developer",
        {
            "model": "m",
            "messages": [
                {"role": "developer", "content": "dev"},
                {"role": "system", "content": "late"},
                {"role": "user", "content": "hi"},
            ],
        },
        {
            "model": "m",
            "input": [
                {
                    "type": "message",
                    "role": "developer",
                    "content": [{"type": "input_text", "text": "dev"}],
                },
                {
                    "type": "message",
                    "role": "developer",
                    "content": [{"type": "input_text", "text": "late"}],
                },
                user("hi"),
            ],
        },
    ),
    (
        "user text, image and file parts",
        {
            "model": "m",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "What is this?"},
                        {"type": "image_url", "image_url": {"url": PNG}},
                        {
                            "type": "image_url",
                            "image_url": {"url": "https://x.test/a.png", "detail": "low"},
                        },
                        {
                            "type": "file",
                            "file": {
                                "filename": "a.pdf",
                                "file_data": "data:application/pdf;base64,JVBE",
                            },
                        },
                        {"type": "file", "file": {"file_id": "file-1"}},
                    ],
                }
            ],
        },
        {
            "model": "m",
            "input": [
                {
                    "type": "message",
                    "role": "user",
                    "content": [
                        {"type": "input_text", "text": "What is this?"},
                        {"type": "input_image", "image_url": PNG, "detail": "auto"},
                        {
                            "type": "input_image",
                            "image_url": "https://x.test/a.png",
                            "detail": "low",
                        },
                        {
                            "type": "input_file",
                            "filename": "a.pdf",
                            "file_data": "data:application/pdf;base64,JVBE",
                        },
                        {"type": "input_file", "file_id": "file-1"},
                    ],
                }
            ],
        },
    ),
    (
        "multi-turn tool use: assistant calls, tool results, assistant text",
        {
            "model": "m",
            "messages": [
                {"role": "user", "content": "Weather in Rome and Paris?"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [call("call_1"), call("call_2", arguments='{"city":"Paris"}')],
                },
                {"role": "tool", "tool_call_id": "call_1", "content": "24C"},
                {
                    "role": "tool",
                    "tool_call_id": "call_2",
                    "content": [{"type": "text", "text": "19C"}],
                },
                {"role": "assistant", "content": "Rome 24C, Paris 19C."},
                {"role": "user", "content": "Thanks"},
            ],
        },
        {
            "model": "m",
            "input": [
                user("Weather in Rome and Paris?"),
                {
                    "type": "function_call",
                    "call_id": "call_1",
                    "name": "get_weather",
                    "arguments": '{"city":"Rome"}',
                },
                {
                    "type": "function_call",
                    "call_id": "call_2",
                    "name": "get_weather",
                    "arguments": '{"city":"Paris"}',
                },
                {"type": "function_call_output", "call_id": "call_1", "output": "24C"},
                {"type": "function_call_output", "call_id": "call_2", "output": "19C"},
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "Rome 24C, Paris 19C."}],
                },
                user("Thanks"),
            ],
        },
    ),
    (
        "assistant text and tool calls in one message: text first; refusal kept",
        {
            "model": "m",
            "messages": [
                {
                    "role": "assistant",
                    "content": [{"type": "text", "text": "Checking."}],
                    "tool_calls": [call("c")],
                },
                {"role": "assistant", "content": None, "refusal": "No."},
            ],
        },
        {
            "model": "m",
            "input": [
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "Checking."}],
                },
                {
                    "type": "function_call",
                    "call_id": "c",
                    "name": "get_weather",
                    "arguments": '{"city":"Rome"}',
                },
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "refusal", "refusal": "No."}],
                },
            ],
        },
    ),
    (
        "reasoning items replayed before their assistant message, without id",
        {
            "model": "m",
            "messages": [
                {"role": "user", "content": "q"},
                {
                    "role": "assistant",
                    "content": "a",
                    "tool_calls": [call("c")],
                    "reasoning_items": [
                        {
                            "id": "rs_1",
                            "type": "reasoning",
                            "summary": [{"type": "summary_text", "text": "hm"}],
                            "encrypted_content": "gAAA",
                        }
                    ],
                },
            ],
        },
        {
            "model": "m",
            "input": [
                user("q"),
                {
                    "type": "reasoning",
                    "summary": [{"type": "summary_text", "text": "hm"}],
                    "encrypted_content": "gAAA",
                },
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "a"}],
                },
                {
                    "type": "function_call",
                    "call_id": "c",
                    "name": "get_weather",
                    "arguments": '{"city":"Rome"}',
                },
            ],
        },
    ),
    (
        "tools flattened with strict; named tool_choice; parallel_tool_calls",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "tools": [
                {
                    "type": "function",
                    "function": {
                        "name": "get_weather",
                        "description": "Weather.",
                        "parameters": WEATHER,
                        "strict": True,
                    },
                },
                {"type": "function", "function": {"name": "noop"}},
            ],
            "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
            "parallel_tool_calls": False,
        },
        {
            "model": "m",
            "input": [user("hi")],
            "tools": [
                {
                    "type": "function",
                    "name": "get_weather",
                    "description": "Weather.",
                    "parameters": WEATHER,
                    "strict": True,
                },
                {"type": "function", "name": "noop"},
            ],
            "tool_choice": {"type": "function", "name": "get_weather"},
            "parallel_tool_calls": False,
        },
    ),
    (
        "allowed_tools tool_choice",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "tool_choice": {
                "type": "allowed_tools",
                "allowed_tools": {
                    "mode": "required",
                    "tools": [{"type": "function", "function": {"name": "a"}}],
                },
            },
        },
        {
            "model": "m",
            "input": [user("hi")],
            "tool_choice": {
                "type": "allowed_tools",
                "mode": "required",
                "tools": [{"type": "function", "name": "a"}],
            },
        },
    ),
    (
        "legacy functions and function_call",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "functions": [{"name": "f", "parameters": WEATHER}],
            "function_call": {"name": "f"},
        },
        {
            "model": "m",
            "input": [user("hi")],
            "tools": [{"type": "function", "name": "f", "parameters": WEATHER}],
            "tool_choice": {"type": "function", "name": "f"},
        },
    ),
    (
        "json_schema response_format, verbosity and reasoning_effort",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "w", "schema": WEATHER, "strict": True},
            },
            "verbosity": "low",
            "reasoning_effort": "high",
        },
        {
            "model": "m",
            "input": [user("hi")],
            "text": {
                "format": {"type": "json_schema", "name": "w", "schema": WEATHER, "strict": True},
                "verbosity": "low",
            },
            "reasoning": {"effort": "high"},
        },
    ),
    (
        "json_object response_format; reasoning extension merged with reasoning_effort",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "response_format": {"type": "json_object"},
            "reasoning": {"summary": "auto", "effort": "low"},
            "reasoning_effort": "medium",
        },
        {
            "model": "m",
            "input": [user("hi")],
            "text": {"format": {"type": "json_object"}},
            "reasoning": {"summary": "auto", "effort": "medium"},
        },
    ),
    (
        "web_search_options {} becomes the web_search tool",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "news?"}],
            "web_search_options": {},
        },
        {"model": "m", "input": [user("news?")], "tools": [{"type": "web_search"}]},
    ),
    (
        "web_search_options: user_location flattened, search_context_size kept, after functions",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "weather near me?"}],
            "tools": [{"type": "function", "function": {"name": "get_weather"}}],
            "web_search_options": {
                "search_context_size": "high",
                "user_location": {
                    "type": "approximate",
                    "approximate": {"country": "FR", "city": "Paris", "timezone": "Europe/Paris"},
                },
            },
        },
        {
            "model": "m",
            "input": [user("weather near me?")],
            "tools": [
                {"type": "function", "name": "get_weather"},
                {
                    "type": "web_search",
                    "search_context_size": "high",
                    "user_location": {
                        "type": "approximate",
                        "country": "FR",
                        "city": "Paris",
                        "timezone": "Europe/Paris",
                    },
                },
            ],
        },
    ),
    (
        "text response_format",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "response_format": {"type": "text"},
        },
        {"model": "m", "input": [user("hi")], "text": {"format": {"type": "text"}}},
    ),
    (
        "pass-through fields, unsupported ones left for the normaliser; transport fields not set",
        {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "max_tokens": 100,
            "max_completion_tokens": 200,
            "temperature": 0.2,
            "top_p": 0.9,
            "user": "u1",
            "metadata": {"k": "v"},
            "service_tier": "priority",
            "prompt_cache_key": "conv-1",
            "frequency_penalty": 0.5,
            "n": 1,
            "stream": True,
            "stream_options": {"include_usage": True},
            "store": True,
            "modalities": ["text"],
        },
        {
            "model": "m",
            "input": [user("hi")],
            "max_tokens": 100,
            "max_completion_tokens": 200,
            "temperature": 0.2,
            "top_p": 0.9,
            "user": "u1",
            "metadata": {"k": "v"},
            "service_tier": "priority",
            "prompt_cache_key": "conv-1",
            "frequency_penalty": 0.5,
        },
    ),
]


@pytest.mark.parametrize(
    ("params", "expected"), [c[1:] for c in REQUEST_CASES], ids=[c[0] for c in REQUEST_CASES]
)
def test_chat_request_to_responses(params: dict[str, Any], expected: dict[str, Any]) -> None:
    assert to_responses(params) == expected


@pytest.mark.parametrize(
    ("params", "expected"), [c[1:] for c in REQUEST_CASES], ids=[c[0] for c in REQUEST_CASES]
)
def test_typed_request_gives_the_same(params: dict[str, Any], expected: dict[str, Any]) -> None:
    typed = chat.CreateChatCompletionRequest.model_validate(params)
    dumped = bridge.chat_request_to_responses(typed).model_dump(mode="json", exclude_unset=True)
    assert dumped == expected


def test_unsupported_parameters_are_extras_for_the_normaliser() -> None:
    request = bridge.chat_request_to_responses(
        {"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
    )
    assert request.model_extra == {"max_tokens": 5}
    assert request.store is None
    assert request.stream is None
    assert request.include is None


BRIDGE_ERRORS = [
    ("n > 1", {"n": 2}, "n=2"),
    ("audio output", {"modalities": ["text", "audio"]}, "audio"),
    ("audio parameter", {"audio": {"voice": "alloy", "format": "mp3"}}, "audio"),
    ("custom tools", {"tools": [{"type": "custom", "custom": {"name": "x"}}]}, "custom"),
    ("custom tool_choice", {"tool_choice": {"type": "custom", "custom": {"name": "x"}}}, "custom"),
]


@pytest.mark.parametrize(
    ("extra", "match"), [e[1:] for e in BRIDGE_ERRORS], ids=[e[0] for e in BRIDGE_ERRORS]
)
def test_bridge_errors(extra: dict[str, Any], match: str) -> None:
    with pytest.raises(BridgeError, match=match):
        bridge.chat_request_to_responses(
            {"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra}
        )


@pytest.mark.parametrize(
    "message",
    [
        {
            "role": "user",
            "content": [{"type": "input_audio", "input_audio": {"data": "AA==", "format": "wav"}}],
        },
        {"role": "function", "name": "f", "content": "x"},
        {"role": "assistant", "content": None, "function_call": {"name": "f", "arguments": "{}"}},
        {
            "role": "assistant",
            "tool_calls": [{"type": "custom", "id": "c", "custom": {"name": "x", "input": "y"}}],
        },
    ],
    ids=["input_audio", "function role", "legacy function_call", "custom tool call"],
)
def test_bridge_errors_in_messages(message: dict[str, Any]) -> None:
    with pytest.raises(BridgeError):
        bridge.chat_request_to_responses({"model": "m", "messages": [message]})


def test_a_completion_message_can_be_appended_as_is() -> None:
    """The usual loop: append ``choices[0].message`` (a model) to ``messages`` and ask again."""
    completion = bridge.response_to_chat_completion(response_of(REASONING, FUNCTION_CALL))
    messages: list[Any] = [{"role": "user", "content": "q"}, completion.choices[0].message]
    messages.append({"role": "tool", "tool_call_id": "call_1", "content": "ok"})
    items = to_responses({"model": "m", "messages": messages})["input"]
    assert [i["type"] for i in items] == [
        "message",
        "reasoning",
        "function_call",
        "function_call_output",
    ]
    assert "id" not in items[1]
    assert items[1]["encrypted_content"] == "gAAAA-secret"


# --- Response → Chat completion --------------------------------------------------------------

USAGE = {
    "input_tokens": 2150,
    "input_tokens_details": {"cached_tokens": 2048},
    "output_tokens": 80,
    "output_tokens_details": {"reasoning_tokens": 64},
    "total_tokens": 2230,
}
REASONING = {
    "id": "rs_1",
    "type": "reasoning",
    "summary": [
        {"type": "summary_text", "text": "**Plan**"},
        {"type": "summary_text", "text": "Then act."},
    ],
    "encrypted_content": "gAAAA-secret",
}
MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "status": "completed",
    "content": [
        {"type": "output_text", "text": "Hello", "annotations": []},
        {"type": "output_text", "text": " world", "annotations": []},
    ],
}
FUNCTION_CALL = {
    "id": "fc_1",
    "type": "function_call",
    "call_id": "call_1",
    "name": "get_weather",
    "arguments": '{"city":"Rome"}',
    "status": "completed",
}
FUNCTION_CALL_2 = {
    **FUNCTION_CALL,
    "id": "fc_2",
    "call_id": "call_2",
    "arguments": '{"city":"Paris"}',
}
REFUSAL = {
    "id": "msg_r",
    "type": "message",
    "role": "assistant",
    "content": [{"type": "refusal", "refusal": "I can't."}],
}


def response_of(*items: dict[str, Any], **fields: Any) -> responses.Response:
    body = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1767225600,
        "status": "completed",
        "model": "gpt-5.5",
        "output": list(items),
        "usage": USAGE,
        **fields,
    }
    return responses.Response.model_validate(body)


def to_chat(response: responses.Response, **kw: Any) -> dict[str, Any]:
    before = response.model_dump()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        completion = bridge.response_to_chat_completion(response, **kw)
        dumped = completion.model_dump(mode="json")
    assert response.model_dump() == before
    assert chat.ChatCompletion.model_validate(dumped).model_dump(mode="json") == dumped
    return dumped


COMPLETION_CASES: list[tuple[str, responses.Response, dict[str, Any], str]] = [
    ("text", response_of(MESSAGE), {"content": "Hello world", "refusal": None}, "stop"),
    ("empty output", response_of(), {"content": ""}, "stop"),
    (
        "text and parallel tool calls",
        response_of(MESSAGE, FUNCTION_CALL, FUNCTION_CALL_2),
        {
            "content": "Hello world",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Rome"}'},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                },
            ],
        },
        "tool_calls",
    ),
    (
        "tool call only: content is None",
        response_of(FUNCTION_CALL),
        {"content": None},
        "tool_calls",
    ),
    ("refusal", response_of(REFUSAL), {"content": None, "refusal": "I can't."}, "stop"),
    (
        "reasoning: summary text and replayable items",
        response_of(REASONING, MESSAGE),
        {
            "content": "Hello world",
            "reasoning_content": "**Plan**\n\nThen act.",
            "reasoning_items": [{k: v for k, v in REASONING.items() if k != "id"}],
        },
        "stop",
    ),
    (
        "reasoning without encrypted content is not replayable",
        response_of({"type": "reasoning", "id": "rs", "summary": []}, MESSAGE),
        {"content": "Hello world"},
        "stop",
    ),
    (
        "incomplete: max_output_tokens",
        response_of(
            MESSAGE, status="incomplete", incomplete_details={"reason": "max_output_tokens"}
        ),
        {"content": "Hello world"},
        "length",
    ),
    (
        "incomplete: content_filter",
        response_of(MESSAGE, status="incomplete", incomplete_details={"reason": "content_filter"}),
        {"content": "Hello world"},
        "content_filter",
    ),
    (
        "incomplete with a tool call is still tool_calls",
        response_of(
            FUNCTION_CALL, status="incomplete", incomplete_details={"reason": "max_output_tokens"}
        ),
        {"content": None},
        "tool_calls",
    ),
]


@pytest.mark.parametrize(
    ("response", "message", "finish"),
    [c[1:] for c in COMPLETION_CASES],
    ids=[c[0] for c in COMPLETION_CASES],
)
def test_response_to_chat_completion(
    response: responses.Response, message: dict[str, Any], finish: str
) -> None:
    dumped = to_chat(response)
    choice = dumped["choices"][0]
    assert len(dumped["choices"]) == 1
    assert choice["index"] == 0
    assert choice["logprobs"] is None
    assert choice["finish_reason"] == finish
    assert choice["message"]["role"] == "assistant"
    for key, value in message.items():
        assert choice["message"][key] == value, key
    for key in ("reasoning_content", "reasoning_items"):
        if key not in message:
            assert key not in choice["message"]


def test_completion_envelope_and_usage() -> None:
    dumped = to_chat(response_of(MESSAGE))
    assert dumped["id"] == "chatcmpl-resp_1"
    assert dumped["object"] == "chat.completion"
    assert dumped["created"] == 1767225600
    assert dumped["model"] == "gpt-5.5"
    usage = dumped["usage"]
    assert (usage["prompt_tokens"], usage["completion_tokens"], usage["total_tokens"]) == (
        2150,
        80,
        2230,
    )
    assert usage["prompt_tokens_details"]["cached_tokens"] == 2048
    assert usage["completion_tokens_details"]["reasoning_tokens"] == 64
    assert to_chat(response_of(MESSAGE), model="alias")["model"] == "alias"
    assert to_chat(response_of(MESSAGE, usage=None))["usage"] is None


def test_annotations_are_shifted_into_the_joined_text() -> None:
    cite = {
        "type": "url_citation",
        "url": "https://x.test/",
        "title": "X",
        "start_index": 1,
        "end_index": 3,
    }
    message = {
        **MESSAGE,
        "content": [MESSAGE["content"][0], {**MESSAGE["content"][1], "annotations": [cite]}],
    }
    annotations = to_chat(response_of(message))["choices"][0]["message"]["annotations"]
    assert annotations == [
        {
            "type": "url_citation",
            "url_citation": {
                "url": "https://x.test/",
                "title": "X",
                "start_index": 6,
                "end_index": 8,
            },
        }
    ]


def test_extension_fields_are_extras() -> None:
    message = bridge.response_to_chat_completion(response_of(REASONING, MESSAGE)).choices[0].message
    assert message.model_extra is not None
    assert set(message.model_extra) == {"reasoning_content", "reasoning_items"}


# --- Reverse directions ----------------------------------------------------------------------

WIRE_BODY: dict[str, Any] = {
    "model": "gpt-5.5",
    "instructions": "You are a helpful assistant. Answer briefly.",
    "input": [
        {
            "type": "message",
            "role": "developer",
            "content": [{"type": "input_text", "text": "Use metric units."}],
        },
        {
            "type": "message",
            "role": "user",
            "content": [
                {"type": "input_text", "text": "What's the weather where this photo was taken?"},
                {"type": "input_image", "image_url": PNG, "detail": "auto"},
            ],
        },
        {
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": "**Identifying the city**"}],
            "encrypted_content": "gAAAABp",
        },
        {
            "type": "function_call",
            "name": "get_weather",
            "arguments": '{"city":"Rome"}',
            "call_id": "call_a1B2c3",
        },
        {"type": "function_call_output", "call_id": "call_a1B2c3", "output": '{"temp_c":24}'},
        {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Rome: 24 °C, clear."}],
        },
        user("And in Paris?"),
    ],
    "tools": [
        {
            "type": "function",
            "name": "get_weather",
            "description": "Weather.",
            "strict": False,
            "parameters": WEATHER,
        }
    ],
    "tool_choice": "auto",
    "parallel_tool_calls": True,
    "reasoning": {"effort": "medium", "summary": "auto"},
    "store": False,
    "stream": True,
    "include": ["reasoning.encrypted_content"],
    "prompt_cache_key": "conv-1",
    "text": {
        "verbosity": "low",
        "format": {"type": "json_schema", "name": "w", "schema": WEATHER, "strict": True},
    },
    "max_output_tokens": 500,
}


@pytest.mark.parametrize("typed", [False, True], ids=["dict", "model"])
def test_responses_request_to_chat(typed: bool) -> None:
    before = copy.deepcopy(WIRE_BODY)
    source = responses.CreateResponse.model_validate(WIRE_BODY) if typed else WIRE_BODY
    request = bridge.responses_request_to_chat(source)
    assert before == WIRE_BODY
    dumped = request.model_dump(mode="json", exclude_unset=True)
    assert dumped["messages"] == [
        {"role": "system", "content": "You are a helpful assistant. Answer briefly."},
        {"role": "developer", "content": "Use metric units."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What's the weather where this photo was taken?"},
                {"type": "image_url", "image_url": {"url": PNG, "detail": "auto"}},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [call("call_a1B2c3")],
            "reasoning_items": [WIRE_BODY["input"][2]],
        },
        {"role": "tool", "tool_call_id": "call_a1B2c3", "content": '{"temp_c":24}'},
        {"role": "assistant", "content": "Rome: 24 °C, clear."},
        {"role": "user", "content": "And in Paris?"},
    ]
    assert dumped["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Weather.",
                "strict": False,
                "parameters": WEATHER,
            },
        }
    ]
    assert dumped["reasoning_effort"] == "medium"
    assert dumped["reasoning"] == {"summary": "auto"}
    assert dumped["verbosity"] == "low"
    assert dumped["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "w", "schema": WEATHER, "strict": True},
    }
    assert dumped["max_completion_tokens"] == 500
    assert dumped["prompt_cache_key"] == "conv-1"
    assert "store" not in dumped
    assert "stream" not in dumped
    assert "include" not in dumped
    # ... and forward again gives the same input items and tools.
    again = to_responses(dumped)
    assert again["input"] == WIRE_BODY["input"]
    assert again["tools"] == WIRE_BODY["tools"]
    assert again["instructions"] == WIRE_BODY["instructions"]


WEB_SEARCH_OPTIONS: list[dict[str, Any]] = [
    {},
    {"search_context_size": "low"},
    {"user_location": {"type": "approximate", "approximate": {"city": "Rome"}}},
    {
        "search_context_size": "medium",
        "user_location": {
            "type": "approximate",
            "approximate": {
                "country": "IT",
                "region": "Lazio",
                "city": "Rome",
                "timezone": "Europe/Rome",
            },
        },
    },
]


@pytest.mark.parametrize("options", WEB_SEARCH_OPTIONS)
@pytest.mark.parametrize("functions", [False, True], ids=["alone", "with functions"])
def test_web_search_options_round_trip(options: dict[str, Any], functions: bool) -> None:
    params: dict[str, Any] = {
        "model": "m",
        "messages": [{"role": "user", "content": "news?"}],
        "web_search_options": options,
    }
    if functions:
        params["tools"] = [{"type": "function", "function": {"name": "get_weather"}}]
    forward = to_responses(params)
    (search,) = [t for t in forward["tools"] if t["type"] == "web_search"]
    back = bridge.responses_request_to_chat(forward).model_dump(mode="json", exclude_unset=True)
    assert back["web_search_options"] == options
    assert back.get("tools") == params.get("tools")
    assert to_responses(back)["tools"] == forward["tools"]
    assert responses.WebSearchTool.model_validate(search).type == "web_search"


@pytest.mark.parametrize(
    "tool",
    [
        {"type": "web_search_2025_08_26"},
        {"type": "web_search_preview", "search_context_size": "low"},
        {"type": "web_search_preview_2025_03_11"},
        {"type": "web_search", "external_web_access": True},
    ],
)
def test_every_web_search_tool_maps_to_web_search_options(tool: dict[str, Any]) -> None:
    request = bridge.responses_request_to_chat({"model": "m", "input": "hi", "tools": [tool]})
    dumped = request.model_dump(mode="json", exclude_unset=True)
    expected = {k: v for k, v in tool.items() if k == "search_context_size"}
    assert dumped["web_search_options"] == expected
    assert "tools" not in dumped


def test_responses_request_with_string_input() -> None:
    request = bridge.responses_request_to_chat({"model": "m", "input": "hi"})
    assert request.model_dump(exclude_unset=True)["messages"] == [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    "request_body",
    [
        {"model": "m", "input": [{"type": "item_reference", "id": "x"}]},
        {"model": "m", "input": [{"id": "x"}]},
        {
            "model": "m",
            "input": [],
            "tools": [{"type": "web_search", "filters": {"allowed_domains": ["a.example"]}}],
        },
        {
            "model": "m",
            "input": [],
            "tools": [{"type": "web_search", "external_web_access": False}],
        },
        {"model": "m", "input": [], "tools": [{"type": "web_search"}, {"type": "web_search"}]},
        {"model": "m", "input": [], "tools": [{"type": "file_search", "vector_store_ids": ["v"]}]},
        {"model": "m", "input": [], "tool_choice": {"type": "mcp", "server_label": "x"}},
    ],
    ids=[
        "item_reference",
        "type-less item_reference",
        "web_search filters",
        "web_search offline",
        "two web searches",
        "file_search tool",
        "mcp tool_choice",
    ],
)
def test_responses_request_without_chat_equivalent(request_body: dict[str, Any]) -> None:
    with pytest.raises(BridgeError):
        bridge.responses_request_to_chat(request_body)


@pytest.mark.parametrize(
    ("response", "message", "finish"),
    [c[1:] for c in COMPLETION_CASES],
    ids=[c[0] for c in COMPLETION_CASES],
)
def test_chat_completion_to_response_round_trip(
    response: responses.Response, message: dict[str, Any], finish: str
) -> None:
    completion = bridge.response_to_chat_completion(response)
    back = bridge.chat_completion_to_response(completion)
    assert back.id == response.id
    assert back.created_at == response.created_at
    assert back.model == response.model
    assert back.output_text == response.output_text
    assert to_chat(back) == completion.model_dump(mode="json")


def test_chat_completion_to_response_rejects_several_choices() -> None:
    completion = bridge.response_to_chat_completion(response_of(MESSAGE)).model_dump()
    completion["choices"] = completion["choices"] * 2
    with pytest.raises(BridgeError, match="one choice"):
        bridge.chat_completion_to_response(completion)


# --- web_search_options through the client ------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("options", [{}, WEB_SEARCH_OPTIONS[-1]], ids=["empty", "full"])
def test_web_search_options_through_the_client(mode: str, options: dict[str, Any]) -> None:
    """A classic model gets the web_search tool; before the literal fix this was a 400."""
    backend = FakeChatGPTBackend()
    backend.reply(text="Today's news.")
    params: dict[str, Any] = {
        "model": "gpt-5.5",
        "messages": [{"role": "user", "content": "news?"}],
        "web_search_options": options,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if mode == "sync":
            with backend.client(max_retries=0) as client:
                completion = client.chat.completions.create(**params)
        else:

            async def go() -> Any:
                async with backend.async_client(max_retries=0) as client:
                    return await client.chat.completions.create(**params)

            completion = asyncio.run(go())
    assert completion.choices[0].message.content == "Today's news."
    (tool,) = backend.last_request.json["tools"]
    assert tool == to_responses(params)["tools"][0]
    assert tool["type"] == "web_search"


def test_a_lite_model_drops_web_search_with_a_warning() -> None:
    backend = FakeChatGPTBackend()
    backend.reply(text="From what I know.")
    warning = pytest.warns(UnsupportedParameterWarning, match=r"tools\[0\] \(web_search\)")
    with backend.client(max_retries=0) as client, warning:
        completion = client.chat.completions.create(
            model="gpt-6.2-sol",
            messages=[{"role": "user", "content": "news?"}],
            web_search_options={},
        )
    assert completion.choices[0].message.content == "From what I know."
    assert "web_search" not in str(backend.last_request.json)
