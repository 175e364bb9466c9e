"""Conversion throughput of the Chat ⇄ Responses bridge, next to LiteLLM's own transformation for
its ``chatgpt/`` provider, measured in the same process and run.

Run it (the ``bench`` group installs openai and litellm into the project venv)::

    uv run --group bench python benchmarks/bench_bridge.py [--seconds 0.5]

Two workloads, equivalent inputs on both sides:

- **request**: a 20-message Chat conversation with 3 function tools (system prompt, user turns,
  parallel tool calls, tool results, assistant answers) → a Responses request.
  Ours: ``bridge.chat_request_to_responses(params)``. LiteLLM: the Chat → Responses bridge
  (``LiteLLMResponsesTransformationHandler.transform_request``), then the ``chatgpt`` provider's
  request transform (``ChatGPTResponsesAPIConfig.transform_responses_api_request``); the two
  stages are also shown apart.
- **response**: a parsed 5-item Responses result (reasoning, message, 3 function calls) → a Chat
  completion. Ours: ``bridge.response_to_chat_completion(response)``. LiteLLM:
  ``LiteLLMResponsesTransformationHandler.transform_response`` on its parsed
  ``ResponsesAPIResponse``, into a fresh ``ModelResponse``.

Each figure is the best of five rounds of CPU time (``time.process_time``). If LiteLLM cannot be imported, that is printed
and only our figures are reported.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from chatgpt_sdk import bridge
from chatgpt_sdk.models.responses import Response

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": name,
            "description": f"{name.replace('_', ' ').capitalize()}.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string"},
                    "unit": {"type": "string", "enum": ["c", "f"]},
                },
                "required": ["city"],
                "additionalProperties": False,
            },
        },
    }
    for name in ("get_weather", "get_forecast", "get_air_quality")
]


def conversation() -> list[dict[str, Any]]:
    """20 messages: a system prompt, three rounds of user → two parallel tool calls → results →
    answer, and a fourth round that stops at the tool results (the request that sends them)."""
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": "You are a weather assistant. Be brief."}
    ]
    for turn, city in enumerate(("Rome", "Paris", "Berlin", "Oslo")):
        messages.append({"role": "user", "content": f"What's the weather and forecast in {city}?"})
        calls = [
            {
                "id": f"call_{turn}_{n}",
                "type": "function",
                "function": {"name": name, "arguments": f'{{"city":"{city}","unit":"c"}}'},
            }
            for n, name in enumerate(("get_weather", "get_forecast"))
        ]
        messages.append({"role": "assistant", "content": None, "tool_calls": calls})
        messages += [
            {"role": "tool", "tool_call_id": c["id"], "content": '{"temp_c":21,"sky":"clear"}'}
            for c in calls
        ]
        if turn < 3:
            messages.append(
                {"role": "assistant", "content": f"{city}: 21 °C and clear; tomorrow similar."}
            )
    assert len(messages) == 20
    return messages


MESSAGES = conversation()
OPTIONS = {
    "tools": TOOLS,
    "tool_choice": "auto",
    "parallel_tool_calls": True,
    "reasoning_effort": "medium",
}
REQUEST = {"model": "gpt-5.5", "messages": MESSAGES, **OPTIONS}

RESPONSE_JSON: dict[str, Any] = {
    "id": "resp_bench",
    "object": "response",
    "created_at": 1767225600,
    "status": "completed",
    "model": "gpt-5.5",
    "output": [
        {
            "id": "rs_1",
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": "**Checking three cities**"}],
            "encrypted_content": "gAAAAABp" + "x" * 400,
        },
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": [
                {"type": "output_text", "text": "Let me check all three.", "annotations": []}
            ],
        },
        *(
            {
                "id": f"fc_{n}",
                "type": "function_call",
                "call_id": f"call_{n}",
                "name": "get_weather",
                "arguments": f'{{"city":"{city}"}}',
                "status": "completed",
            }
            for n, city in enumerate(("Rome", "Paris", "Berlin"))
        ),
    ],
    "usage": {
        "input_tokens": 2150,
        "input_tokens_details": {"cached_tokens": 2048},
        "output_tokens": 96,
        "output_tokens_details": {"reasoning_tokens": 64},
        "total_tokens": 2246,
    },
}


def ops_per_second(fn: Callable[[], Any], seconds: float) -> float:
    """Best-of-five throughput in CPU time (``process_time``, so other processes on a busy
    machine do not skew the ratio), each round calibrated to about ``seconds / 5``."""
    fn()
    number = 1
    while True:
        start = time.process_time()
        for _ in range(number):
            fn()
        elapsed = time.process_time() - start
        if elapsed >= seconds / 50:
            break
        number *= 2
    number = max(1, int(number * (seconds / 5) / elapsed))
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(number):
            fn()
        best = min(best, (time.process_time() - start) / number)
    return 1 / best


def litellm_workloads() -> dict[str, Callable[[], Any]] | str:
    """LiteLLM's request and response transforms for ``chatgpt/``, or why they are unavailable."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network at import
    try:
        from litellm.completion_extras.litellm_responses_transformation.transformation import (
            LiteLLMResponsesTransformationHandler,
        )
        from litellm.llms.chatgpt.responses.transformation import ChatGPTResponsesAPIConfig
        from litellm.types.llms.openai import ResponsesAPIResponse
        from litellm.types.router import GenericLiteLLMParams
        from litellm.types.utils import ModelResponse
    except Exception as exc:
        return f"LiteLLM could not be imported ({type(exc).__name__}: {exc})"

    handler = LiteLLMResponsesTransformationHandler()
    provider = ChatGPTResponsesAPIConfig()
    internal = {"model", "input", "litellm_logging_obj", "custom_llm_provider", "client"}

    def bridge_stage() -> dict[str, Any]:
        return handler.transform_request(
            "gpt-5.5", MESSAGES, dict(OPTIONS), {"custom_llm_provider": "chatgpt"}, {}, None
        )

    staged = bridge_stage()

    def provider_stage(request: dict[str, Any] = staged) -> dict[str, Any]:
        optional = {k: v for k, v in request.items() if k not in internal}
        return provider.transform_responses_api_request(
            "gpt-5.5", request["input"], optional, GenericLiteLLMParams(), {}
        )

    raw = ResponsesAPIResponse.model_validate(copy.deepcopy(RESPONSE_JSON))

    def response() -> Any:
        return handler.transform_response(
            "gpt-5.5", raw, ModelResponse(), None, {}, MESSAGES, {}, {}, None
        )

    converted = response()
    assert len(converted.choices[0].message.tool_calls) == 3
    return {
        "request": lambda: provider_stage(bridge_stage()),
        "request (bridge stage)": bridge_stage,
        "request (chatgpt stage)": provider_stage,
        "response": response,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    seconds = parser.parse_args().seconds

    parsed = Response.model_validate(RESPONSE_JSON)
    completion = bridge.response_to_chat_completion(parsed)
    assert [c.id for c in completion.choices[0].message.tool_calls or ()] == [
        "call_0",
        "call_1",
        "call_2",
    ]
    assert len(bridge.chat_request_to_responses(REQUEST).input or ()) == 23

    ours = {
        "request": ops_per_second(lambda: bridge.chat_request_to_responses(REQUEST), seconds),
        "response": ops_per_second(lambda: bridge.response_to_chat_completion(parsed), seconds),
    }
    theirs = litellm_workloads()

    print(
        f"Python {sys.version.split()[0]}; CPU time, best of 5 rounds, {seconds:g} s per measurement\n"
    )
    print(f"{'workload':<34}{'chatgpt-sdk ops/s':>18}{'LiteLLM ops/s':>16}{'ratio':>9}")
    print("-" * 77)
    rows = [
        ("request: 20 messages + 3 tools", "request"),
        ("  LiteLLM bridge stage only", "request (bridge stage)"),
        ("  LiteLLM chatgpt stage only", "request (chatgpt stage)"),
        ("response: 5 output items", "response"),
    ]
    for label, key in rows:
        mine = ours.get(key)
        mine_text = f"{mine:>18,.0f}" if mine is not None else f"{'':>18}"
        if isinstance(theirs, str):
            print(f"{label:<34}{mine_text}{'n/a':>16}{'':>9}")
            continue
        other = ops_per_second(theirs[key], seconds)
        reference = ours["request"] if key.startswith("request") else ours["response"]
        print(f"{label:<34}{mine_text}{other:>16,.0f}{reference / other:>8.1f}x")
    if isinstance(theirs, str):
        print(f"\n{theirs}")


if __name__ == "__main__":
    main()
