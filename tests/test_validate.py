"""Request validation by dispatch agrees with the spec's union and keeps error locations."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from chatgpt_sdk._validate import _item_class, validate_responses_request
from chatgpt_sdk.models import responses as r

ITEMS: list[tuple[dict[str, Any], type]] = [
    ({"role": "user", "content": "hi"}, r.EasyInputMessage),
    (
        {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "x"}]},
        r.EasyInputMessage,
    ),
    ({"type": "message", "role": "assistant", "content": "plain text reply"}, r.EasyInputMessage),
    (
        {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "ok"}],
        },
        r.OutputMessage,
    ),
    ({"type": "reasoning", "summary": [], "encrypted_content": "gAAA"}, r.ReasoningItem),
    (
        {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
        r.FunctionToolCall,
    ),
    (
        {"type": "function_call_output", "call_id": "c1", "output": "42"},
        r.FunctionCallOutputItemParam,
    ),
    (  # declared after InputItem in the module: a forward reference in the union
        {"type": "tool_search_output", "call_id": "c2", "tools": []},
        r.ToolSearchOutputItemParam,
    ),
    ({"type": "item_reference", "id": "msg_1"}, r.ItemReferenceParam),
]


@pytest.mark.parametrize(("item", "cls"), ITEMS, ids=lambda v: getattr(v, "__name__", ""))
def test_each_item_goes_to_one_class_that_the_union_also_accepts(
    item: dict[str, Any], cls: type
) -> None:
    assert _item_class(item) is cls
    TypeAdapter(r.InputItem).validate_python(item)  # the spec's union agrees it is valid


def test_a_long_mixed_conversation_validates() -> None:
    items = [item for item, cls in ITEMS if cls is not r.ItemReferenceParam] * 3
    validate_responses_request({"model": "gpt-5.5", "instructions": "x", "input": items})


def test_errors_name_the_item_and_field() -> None:
    body = {
        "model": "gpt-5.5",
        "input": [
            {"role": "user", "content": "fine"},
            {"type": "function_call", "call_id": "c"},
            {"type": "function_call_output", "output": 3},
        ],
    }
    with pytest.raises(ValidationError) as info:
        validate_responses_request(body)
    locations = {".".join(map(str, e["loc"])) for e in info.value.errors()}
    assert {"input.1.name", "input.1.arguments"} <= locations
    assert any(loc.startswith("input.2.") for loc in locations)
    assert not any(loc.startswith("input.0") for loc in locations)


def test_other_fields_and_odd_items_are_still_checked() -> None:
    with pytest.raises(ValidationError, match="reasoning"):
        validate_responses_request({"model": "m", "input": [], "reasoning": {"effort": "huge"}})
    with pytest.raises(ValidationError, match=r"input\.0"):
        validate_responses_request({"model": "m", "input": [{"type": "not_an_item"}]})
    with pytest.raises(ValidationError):
        validate_responses_request({"model": "m", "input": 7})


def test_every_item_type_of_the_union_is_dispatched_to_one_class() -> None:
    from chatgpt_sdk._validate import _item_classes, _item_owners

    shared = {tag for tag, owners in _item_owners().items() if len(owners) > 1}
    assert shared == {"message"}  # settled by role and content instead
    assert {"tool_search_output", "item_reference", "reasoning"} <= set(_item_classes())


def test_an_unknown_item_is_one_clear_error_not_one_per_union_member() -> None:
    for item, loc, text in [
        ({"type": "not_an_item"}, "input.0.type", "'function_call'"),
        ({"type": 5}, "input.0.type", "'message'"),
        ("just text", "input.0", "valid dictionary"),
    ]:
        with pytest.raises(ValidationError) as info:
            validate_responses_request({"model": "m", "input": [item]})
        (error,) = info.value.errors()
        assert ".".join(map(str, error["loc"])) == loc
        assert text in error["msg"]
