"""The model's shape (``normalize.shape_for_model``): Responses Lite and classic, pure."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatgpt_sdk.catalog import ModelProfile, builtin_profiles
from chatgpt_sdk.normalize import (
    LITE_HEADER,
    LITE_RULES,
    ShapeError,
    lite_tools,
    normalize_request,
    shape_for_model,
)

LITE = builtin_profiles()["gpt-6.2-sol"]
CLASSIC = builtin_profiles()["gpt-5.5"]
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather for a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    "strict": False,
}
EXEC = {"type": "custom", "name": "exec", "description": "Run code."}


def body(**fields: Any) -> dict[str, Any]:
    return normalize_request({"model": "m", "input": "hi", **fields}, prompt_cache_key="k").body


def test_builtin_table_knows_codex_0171_catalog() -> None:
    profiles = builtin_profiles()
    assert len(profiles) == 14
    assert [slug for slug, p in profiles.items() if not p.responses_lite] == ["gpt-5.5"]
    assert LITE.default_reasoning_effort == "low"
    assert LITE.reasoning_efforts == ("low", "medium", "high", "xhigh", "max", "ultra")
    assert CLASSIC.reasoning_efforts == ("low", "medium", "high", "xhigh")


def test_lite_request_takes_the_captured_shape() -> None:
    sent = body(
        instructions="Be brief.",
        tools=[WEATHER, EXEC],
        reasoning={"summary": "auto"},
        parallel_tool_calls=True,
    )
    shaped = shape_for_model(sent, LITE)
    assert shaped.headers == {LITE_HEADER: "true"}
    out = shaped.body
    assert "tools" not in out
    assert "instructions" not in out
    assert out["input"][0] == {
        "type": "additional_tools",
        "role": "developer",
        "tools": [
            {"type": "namespace", "name": "functions", "description": "", "tools": [WEATHER, EXEC]}
        ],
    }
    assert out["input"][1] == {
        "type": "message",
        "role": "developer",
        "content": [{"type": "input_text", "text": "Be brief."}],
    }
    assert out["input"][2]["role"] == "user"
    assert out["parallel_tool_calls"] is False
    assert out["tool_choice"] == "auto"
    assert out["reasoning"] == {"summary": "auto", "effort": "low", "context": "all_turns"}
    assert out["include"] == ["reasoning.encrypted_content"]
    assert out["store"] is False
    assert out["stream"] is True
    # the caller asked for parallel calls: said, not silently dropped
    assert [what for what, _ in shaped.dropped] == ["parallel_tool_calls=True"]


def test_lite_without_tools_or_instructions_adds_no_head_items() -> None:
    out = shape_for_model(body(), LITE).body
    assert [item["role"] for item in out["input"]] == ["user"]
    assert shape_for_model(body(), LITE).dropped == ()


def test_lite_tools_keep_other_namespaces_and_merge_a_functions_namespace() -> None:
    clock = {"type": "namespace", "name": "clock", "description": "Time.", "tools": [WEATHER]}
    own = {"type": "namespace", "name": "functions", "description": "mine", "tools": [EXEC]}
    search = {"type": "tool_search"}
    assert lite_tools([clock, WEATHER, search, own]) == [
        clock,
        {"type": "namespace", "name": "functions", "description": "", "tools": [WEATHER, EXEC]},
        search,
    ]


def test_hosted_tools_are_dropped_for_lite_with_a_reason() -> None:
    shaped = shape_for_model(body(tools=[{"type": "web_search"}, WEATHER]), LITE)
    assert shaped.body["input"][0]["tools"][0]["tools"] == [WEATHER]
    assert shaped.dropped == (("tools[0] (web_search)", LITE_RULES["hosted_tools"]),)


def test_lite_replays_name_the_default_namespace_and_classic_drops_it() -> None:
    call = {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{}"}
    custom = {"type": "custom_tool_call", "call_id": "c2", "name": "exec", "input": "1+1"}
    other = {**call, "call_id": "c3", "namespace": "clock"}
    sent = body(input=[call, custom, other])
    lite = shape_for_model(sent, LITE).body["input"]
    assert [item.get("namespace") for item in lite] == ["functions", "functions", "clock"]
    classic = shape_for_model(
        {**sent, "input": [{**call, "namespace": "functions"}, other]}, CLASSIC
    ).body["input"]
    assert "namespace" not in classic[0]
    assert classic[1]["namespace"] == "clock"


def test_lite_strips_image_detail() -> None:
    image = {"type": "input_image", "image_url": "data:image/png;base64,AA", "detail": "high"}
    sent = body(input=[{"role": "user", "content": [{"type": "input_text", "text": "?"}, image]}])
    parts = shape_for_model(sent, LITE).body["input"][0]["content"]
    assert parts[1] == {"type": "input_image", "image_url": "data:image/png;base64,AA"}
    assert shape_for_model(sent, CLASSIC).body["input"][0]["content"][1]["detail"] == "high"


def test_classic_request_is_left_in_the_classic_shape() -> None:
    sent = body(instructions="Be brief.", tools=[WEATHER], parallel_tool_calls=True)
    shaped = shape_for_model(sent, CLASSIC)
    assert shaped.headers == {}
    assert shaped.body == sent
    assert shaped.dropped == ()


def test_an_effort_the_model_does_not_offer_falls_back_to_its_default() -> None:
    shaped = shape_for_model(body(reasoning={"effort": "minimal"}), LITE)
    assert shaped.body["reasoning"] == {"effort": "low", "context": "all_turns"}
    (what, why), *_ = shaped.dropped
    assert what == "reasoning.effort='minimal'"
    assert "low, medium, high, xhigh, max, ultra" in why
    classic = shape_for_model(body(reasoning={"effort": "ultra"}), CLASSIC)
    assert classic.body["reasoning"] == {}
    assert classic.dropped[0][0] == "reasoning.effort='ultra'"


def test_catalog_flags_drop_verbosity_and_web_search_and_refuse_images() -> None:
    plain = ModelProfile(
        "text-only", listed=True, supports_verbosity=False, input_modalities=("text",)
    )
    shaped = shape_for_model(body(text={"verbosity": "low"}, tools=[{"type": "web_search"}]), plain)
    assert shaped.body["text"] == {}
    assert "tools" not in shaped.body
    assert [what for what, _ in shaped.dropped] == ["text.verbosity", "tools[0] (web_search)"]
    image = {"type": "input_image", "image_url": "https://x.test/a.png"}
    with pytest.raises(ShapeError, match=r"input\.0 holds an image, but text-only takes text"):
        shape_for_model(body(input=[{"role": "user", "content": [image]}]), plain)


def test_unknown_models_are_sent_classic_and_unchecked() -> None:
    sent = body(reasoning={"effort": "whatever"}, tools=[{"type": "web_search"}])
    shaped = shape_for_model(sent, ModelProfile("gpt-unknown"))
    assert shaped.body == sent
    assert shaped.headers == {}


def test_the_override_flips_the_shape_either_way() -> None:
    assert shape_for_model(body(), CLASSIC.with_lite(True)).headers == {LITE_HEADER: "true"}
    assert shape_for_model(body(), LITE.with_lite(False)).headers == {}
    assert LITE.with_lite(None) is LITE


tools_st = st.lists(
    st.one_of(
        st.builds(lambda n: {**WEATHER, "name": n}, st.text("abcxyz_", min_size=1, max_size=8)),
        st.builds(lambda n: {**EXEC, "name": n}, st.text("abcxyz_", min_size=1, max_size=8)),
        st.just({"type": "namespace", "name": "clock", "description": "", "tools": [WEATHER]}),
        st.just({"type": "web_search"}),
    ),
    max_size=6,
)


@given(tools=tools_st, instructions=st.one_of(st.none(), st.text(max_size=20)))
def test_lite_keeps_every_client_tool_once_and_never_mutates(
    tools: list[dict[str, Any]], instructions: str | None
) -> None:
    sent = body(tools=tools, **({"instructions": instructions} if instructions is not None else {}))
    before = copy.deepcopy(sent)
    out = shape_for_model(sent, LITE).body
    assert sent == before
    assert "tools" not in out
    assert "instructions" not in out
    heads = [i for i in out["input"] if i.get("type") == "additional_tools"]
    declared = [t for t in tools if t["type"] in ("function", "custom")]
    if not [t for t in tools if t["type"] != "web_search"]:
        assert heads == []
        return
    (head,) = heads
    namespaced = [t for t in head["tools"] if t.get("name") == "functions"]
    members = namespaced[0]["tools"] if namespaced else []
    assert members == declared
    assert [t for t in head["tools"] if t.get("name") == "clock"] == [
        t for t in tools if t.get("name") == "clock"
    ]
    developer = [i for i in out["input"] if i.get("role") == "developer" and i["type"] == "message"]
    assert len(developer) == (1 if instructions else 0)
