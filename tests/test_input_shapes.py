"""Every input item shape the OpenAI Responses API accepts validates (issue 10, item 1).

Messages may leave out ``type`` whatever their role and content parts; ``item_reference`` items
(with or without ``type``) are well formed but cannot be resolved while the backend stores
nothing, so they are a clear 400 before anything is sent, never a misleading field error.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from chatgpt_sdk import errors
from chatgpt_sdk._validate import _item_class, validate_responses_request
from chatgpt_sdk.models import responses as r
from chatgpt_sdk.server import create_app
from chatgpt_sdk.testing import FakeChatGPTBackend

INPUT_PARTS: dict[str, dict[str, Any]] = {
    "input_text": {"type": "input_text", "text": "hello"},
    "input_image": {"type": "input_image", "image_url": "https://example.com/a.png"},
    "input_image detail": {
        "type": "input_image",
        "image_url": "data:image/png;base64,iVBORw0KGgo=",
        "detail": "low",
    },
    "input_file": {"type": "input_file", "filename": "a.txt", "file_data": "data:text/plain,hi"},
}
OUTPUT_PARTS: dict[str, dict[str, Any]] = {
    "output_text": {"type": "output_text", "text": "an earlier answer"},
    "output_text annotated": {"type": "output_text", "text": "cited", "annotations": []},
    "refusal": {"type": "refusal", "refusal": "I can't help with that."},
}


def shapes() -> list[tuple[str, dict[str, Any], type]]:
    """(id, type-less message, the class it validates as) for every role and content form."""
    cases: list[tuple[str, dict[str, Any], type]] = []
    for role in ("user", "developer", "system", "assistant"):
        cases.append((f"{role} string", {"role": role, "content": "hi"}, r.EasyInputMessage))
        cases.append((f"{role} empty list", {"role": role, "content": []}, r.EasyInputMessage))
        for name, part in INPUT_PARTS.items():
            message = {"role": role, "content": [part]}
            cases.append((f"{role} {name}", message, r.EasyInputMessage))
    for name, part in OUTPUT_PARTS.items():
        message = {"role": "assistant", "content": [part]}
        cases.append((f"assistant {name}", message, r.OutputMessage))
    both = {"role": "assistant", "content": [OUTPUT_PARTS["output_text"], OUTPUT_PARTS["refusal"]]}
    cases.append(("assistant output_text and refusal", both, r.OutputMessage))
    phased = {
        "role": "assistant",
        "content": [OUTPUT_PARTS["output_text"]],
        "phase": "final_answer",
    }
    cases.append(("assistant phase", phased, r.OutputMessage))
    return cases


SHAPES = shapes()


def body(*items: Any) -> dict[str, Any]:
    return {"model": "gpt-5.5", "input": list(items)}


@pytest.mark.parametrize(("message", "cls"), [c[1:] for c in SHAPES], ids=[c[0] for c in SHAPES])
def test_type_less_messages_validate_as_their_typed_twin(
    message: dict[str, Any], cls: type
) -> None:
    typed = {**message, "type": "message"}
    assert _item_class(message) is cls
    assert _item_class(typed) is cls
    validate_responses_request(body(message))
    validate_responses_request(body(typed))
    # The type-less message means exactly its typed twin.
    assert cls.model_validate(typed).model_dump(exclude={"type"}) == cls.model_validate(
        {**message, "type": "message"}
    ).model_dump(exclude={"type"})


def test_a_conversation_of_every_shape_validates() -> None:
    items = [message for _, message, _ in SHAPES]
    items += [
        {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "42"},
        {"type": "reasoning", "summary": [], "encrypted_content": "gAAA"},
        {"type": None, "role": "user", "content": "type given as null"},
    ]
    validate_responses_request(body(*items))


@pytest.mark.parametrize(
    ("item", "where"),
    [
        ({"role": "assistant", "content": [{"type": "output_text"}]}, "input.3.content.0.text"),
        ({"role": "assistant", "content": [{"type": "refusal"}]}, "input.3.content.0.refusal"),
        ({"role": "user", "content": [{"type": "input_text"}]}, "input.3.content.0.text"),
        (
            {"role": "developer", "content": [{"type": "input_text", "text": 5}]},
            "input.3.content.0.text",
        ),
        ({"role": "user"}, "input.3.content"),
        ({"content": "who said this?"}, "input.3.role"),
        ({"role": "robot", "content": "beep"}, "input.3.role"),
        ({"type": "function_call", "call_id": "c", "arguments": "{}"}, "input.3.name"),
        (
            {"type": "function_call_output", "call_id": "c", "output": [{"type": "input_text"}]},
            "input.3.output.0.text",
        ),
    ],
)
def test_errors_read_like_the_request(item: dict[str, Any], where: str) -> None:
    fine = {"role": "user", "content": "fine"}
    with pytest.raises(ValidationError) as info:
        validate_responses_request(body(fine, fine, fine, item))
    locations = [".".join(map(str, e["loc"])) for e in info.value.errors()]
    assert locations == [where]


def test_other_fields_read_like_the_request_too() -> None:
    with pytest.raises(ValidationError) as info:
        validate_responses_request(
            {
                "model": "m",
                "input": [],
                "tools": [{"type": "function"}],
                "text": {"format": {"type": "json_schema", "schema": {}}},
            }
        )
    locations = {".".join(map(str, e["loc"])) for e in info.value.errors()}
    assert locations == {"tools.0.name", "text.format.name"}
    with pytest.raises(ValidationError) as info:
        validate_responses_request({"model": "m", "input": 7})
    assert {".".join(map(str, e["loc"])) for e in info.value.errors()} == {"input"}


# --- item_reference -------------------------------------------------------------------------

REFERENCES = [
    {"type": "item_reference", "id": "msg_123"},
    {"id": "msg_123"},
    {"type": None, "id": "msg_123"},
]
REFUSAL = (
    "input.2: item_reference 'msg_123' cannot be resolved: the ChatGPT backend stores nothing "
    "(store=false), so send the referenced item itself instead of a reference, or give the "
    "client a response store (response_store='sqlite://', 'memory' or a 'redis://HOST:PORT/DB' "
    "URL, or CHATGPT_RESPONSE_STORE)."
)


@pytest.mark.parametrize("reference", REFERENCES, ids=["typed", "type-less", "type null"])
def test_an_item_reference_is_well_formed_but_refused_with_a_clear_400(
    reference: dict[str, Any],
) -> None:
    assert _item_class(reference) is r.ItemReferenceParam
    r.ItemReferenceParam.model_validate(reference)  # kept whole: the id is the item
    user = {"role": "user", "content": "hi"}
    with pytest.raises(errors.BadRequestError) as info:
        validate_responses_request(body(user, user, reference))
    assert info.value.status_code == 400
    assert info.value.message == REFUSAL


def test_every_reference_is_named_and_outranks_field_errors() -> None:
    items = [
        {"type": "item_reference", "id": "msg_1"},
        {"role": "user"},  # a field error elsewhere does not hide the references
        {"id": "rs_2"},
    ]
    with pytest.raises(errors.BadRequestError) as info:
        validate_responses_request(body(*items))
    assert info.value.message.startswith(
        "input.0: item_reference 'msg_1' and input.2: item_reference 'rs_2' cannot be resolved"
    )
    assert "send the referenced items themselves" in info.value.message


def test_a_malformed_reference_is_a_field_error() -> None:
    with pytest.raises(ValidationError) as info:
        validate_responses_request(body({"type": "item_reference"}))
    assert [".".join(map(str, e["loc"])) for e in info.value.errors()] == ["input.0.id"]
    with pytest.raises(ValidationError):
        validate_responses_request(body({"type": "item_reference", "id": 7}))


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def create(mode: str, backend: FakeChatGPTBackend, **params: Any) -> Any:
    if mode == "sync":
        with backend.client(max_retries=0) as client:
            return client.responses.create(**params)

    async def go() -> Any:
        async with backend.async_client(max_retries=0) as client:
            return await client.responses.create(**params)

    return asyncio.run(go())


def test_the_client_refuses_a_reference_before_sending(mode: str) -> None:
    backend = FakeChatGPTBackend()
    backend.reply(text="never sent")
    history = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": [{"type": "output_text", "text": "hello"}]},
        {"type": "item_reference", "id": "msg_123"},
    ]
    with pytest.raises(errors.BadRequestError) as info:
        create(mode, backend, model="gpt-5.5", input=history)
    assert info.value.status_code == 400
    assert info.value.message == REFUSAL
    assert backend.requests == []


def test_the_client_refuses_a_type_less_reference_before_sending(mode: str) -> None:
    backend = FakeChatGPTBackend()
    with pytest.raises(errors.BadRequestError, match="item_reference 'msg_123'"):
        create(mode, backend, model="gpt-5.5", input=[{"id": "msg_123"}])
    assert backend.requests == []


@pytest.mark.parametrize("model", ["gpt-5.5", "gpt-6.2-sol"])
def test_a_type_less_history_reaches_the_backend(mode: str, model: str) -> None:
    backend = FakeChatGPTBackend()
    backend.reply(text="second answer")
    history = [
        {"role": "developer", "content": "Be brief."},
        {"role": "user", "content": [{"type": "input_text", "text": "first question"}]},
        {"role": "assistant", "content": [{"type": "output_text", "text": "first answer"}]},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "not that"}]},
        {"role": "assistant", "content": "a plain reply"},
        {"role": "user", "content": "second question"},
    ]
    result = create(mode, backend, model=model, input=history)
    assert result.output_text == "second answer"
    sent = backend.last_request.json["input"]
    texts = []
    for item in sent:
        content = item.get("content")
        if isinstance(content, str):
            texts.append(content)
        for part in content if isinstance(content, list) else ():
            texts.append(part.get("text") or part.get("refusal"))
    for expected in ("first question", "first answer", "not that", "a plain reply"):
        assert expected in texts
    assert "second question" in texts[-1]


@pytest.mark.parametrize("store", ["none", "memory"])
async def test_the_proxy_answers_a_reference_with_an_openai_shaped_400(store: str) -> None:
    backend = FakeChatGPTBackend()
    client = backend.async_client(max_retries=0)
    app = create_app(client, response_store=store)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        response = await http.post(
            "/v1/responses",
            json={
                "model": "gpt-5.5",
                "input": [
                    {"role": "user", "content": "hi"},
                    {"role": "assistant", "content": [{"type": "output_text", "text": "yo"}]},
                    {"type": "item_reference", "id": "msg_123"},
                ],
            },
        )
    await client.close()
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "item_not_found"
    assert (
        "item_reference 'msg_123'" in error["message"] or "'msg_123' not found" in error["message"]
    )
    if store == "none":  # nothing could resolve it: the refusal says how to keep responses
        assert "start the proxy with a response store" in error["message"]
    assert backend.requests == []
