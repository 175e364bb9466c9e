"""``previous_response_id`` and ``item_reference`` in the SDK, emulated from a response store."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from chatgpt_sdk import errors
from chatgpt_sdk.normalize import FIELDS, Action
from chatgpt_sdk.stores import MemoryResponseStore, ResponseStore
from chatgpt_sdk.testing import FakeChatGPTBackend

MODEL = "gpt-5.5"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(mode: str, backend: FakeChatGPTBackend, response_store: Any, /, **kw: Any) -> Any:
    if mode == "sync":
        with backend.client(response_store=response_store) as client:
            return client.responses.create(**kw)

    async def go() -> Any:
        async with backend.async_client(response_store=response_store) as client:
            return await client.responses.create(**kw)

    return asyncio.run(go())


def stream(mode: str, backend: FakeChatGPTBackend, response_store: Any, /, **kw: Any) -> Any:
    if mode == "sync":
        with (
            backend.client(response_store=response_store) as client,
            client.responses.stream(**kw) as s,
        ):
            return s.get_final_response()

    async def go() -> Any:
        async with (
            backend.async_client(response_store=response_store) as client,
            client.responses.stream(**kw) as s,
        ):
            return await s.get_final_response()

    return asyncio.run(go())


def sent_inputs(backend: FakeChatGPTBackend) -> list[list[dict[str, Any]]]:
    return [r.json["input"] for r in backend.requests if r.path.endswith("/responses")]


def test_the_normaliser_row_says_emulated() -> None:
    assert FIELDS["previous_response_id"].action is Action.EMULATE


@pytest.mark.parametrize(
    "kw",
    [
        {"previous_response_id": "resp_1", "input": "and then?"},
        {"input": [{"type": "item_reference", "id": "msg_1"}]},
    ],
)
def test_without_a_store_the_error_says_how_to_enable_one(mode: str, kw: dict[str, Any]) -> None:
    backend = FakeChatGPTBackend()
    with pytest.raises(errors.BadRequestError, match="response store") as info:
        call(mode, backend, None, model=MODEL, **kw)
    assert "response_store='sqlite://'" in str(info.value)
    assert "CHATGPT_RESPONSE_STORE" in str(info.value)
    assert sent_inputs(backend) == []


def test_a_five_turn_chain_with_tools_and_reasoning_replays_in_order(mode: str) -> None:
    backend = FakeChatGPTBackend()
    store = MemoryResponseStore()
    previous = None
    expected_history: list[dict[str, Any]] = []
    for turn in range(5):
        if turn % 2:
            backend.reply(
                tool_calls=[("get_weather", f'{{"city":"C{turn}"}}')], reasoning_summary="thinking"
            )
        else:
            backend.reply(text=f"answer {turn}", reasoning_summary="thinking")
        user = {"role": "user", "content": f"question {turn}"}
        kwargs: dict[str, Any] = {
            "model": MODEL,
            "input": [user],
            "tools": [WEATHER],
            "reasoning": {"effort": "low"},
        }
        if previous is not None:
            kwargs["previous_response_id"] = previous.id
        result = call(mode, backend, store, **kwargs)
        sent = sent_inputs(backend)[-1]
        # what went out: every earlier turn's input and output (no ids), then this turn's input
        assert sent[: len(expected_history)] == expected_history
        assert sent[len(expected_history) :] == [
            {"role": "user", "content": [{"type": "input_text", "text": f"question {turn}"}]}
        ] or sent[len(expected_history) :] == [{"role": "user", "content": f"question {turn}"}]
        assert all("id" not in item for item in sent)
        expected_history = sent + [
            {
                k: v
                for k, v in item.model_dump(by_alias=True, exclude_none=True).items()
                if k not in ("id", "status")
            }
            for item in result.output
        ]
        previous = result
    assert any(
        item.get("type") == "reasoning" and item.get("encrypted_content")
        for item in expected_history
    )
    assert sum(item.get("type") == "function_call" for item in expected_history) == 2
    assert store.get(previous.id) is not None


def test_store_false_keeps_nothing(mode: str) -> None:
    backend = FakeChatGPTBackend()
    store = MemoryResponseStore()
    result = call(mode, backend, store, model=MODEL, input="hi", store=False)
    assert store.get(result.id) is None


def test_store_true_is_not_warned_about_when_a_store_keeps_it(mode: str) -> None:
    import warnings

    backend = FakeChatGPTBackend()
    store = MemoryResponseStore()
    with warnings.catch_warnings():
        warnings.simplefilter("error", errors.UnsupportedParameterWarning)
        result = call(mode, backend, store, model=MODEL, input="hi", store=True)
    assert store.get(result.id) is not None
    assert backend.last_request.json["store"] is False  # the backend still stores nothing


def test_an_unknown_previous_response_is_a_400_and_nothing_is_sent(mode: str) -> None:
    backend = FakeChatGPTBackend()
    with pytest.raises(errors.BadRequestError, match="resp_missing") as info:
        call(
            mode,
            backend,
            MemoryResponseStore(),
            model=MODEL,
            input="x",
            previous_response_id="resp_missing",
        )
    assert info.value.body["error"]["code"] == "previous_response_not_found"
    assert sent_inputs(backend) == []


def test_a_streamed_turn_is_kept_once_read(mode: str) -> None:
    backend = FakeChatGPTBackend()
    store = MemoryResponseStore()
    first = stream(mode, backend, store, model=MODEL, input="one")
    assert store.get(first.id) is not None
    second = stream(mode, backend, store, model=MODEL, input="two", previous_response_id=first.id)
    assert store.get(second.id) is not None
    assert len(sent_inputs(backend)[-1]) == 3  # one, its answer, two


def test_item_references_resolve_to_the_stored_items(mode: str) -> None:
    backend = FakeChatGPTBackend()
    store = MemoryResponseStore()
    backend.reply(tool_calls=[("get_weather", '{"city":"Rome"}')])
    first = call(mode, backend, store, model=MODEL, input="weather?", tools=[WEATHER])
    fc = first.output[-1]
    # The Vercel AI SDK's second turn: references to the first reply's items, then new items.
    second_input = [
        {"role": "user", "content": "weather?"},
        {"type": "item_reference", "id": fc.id},
        {"type": "function_call_output", "call_id": fc.call_id, "output": "24C"},
    ]
    call(mode, backend, store, model=MODEL, input=second_input, tools=[WEATHER])
    sent = sent_inputs(backend)[-1]
    assert sent[1]["type"] == "function_call"
    assert sent[1]["call_id"] == fc.call_id
    assert "id" not in sent[1]


def test_an_unknown_item_reference_is_a_400(mode: str) -> None:
    backend = FakeChatGPTBackend()
    with pytest.raises(errors.BadRequestError, match="msg_nowhere") as info:
        call(
            mode,
            backend,
            MemoryResponseStore(),
            model=MODEL,
            input=[{"type": "item_reference", "id": "msg_nowhere"}],
        )
    assert info.value.body["error"]["code"] == "item_not_found"
    assert sent_inputs(backend) == []


def test_a_sqlite_url_and_the_environment_choose_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = FakeChatGPTBackend()
    path = tmp_path / "r.sqlite3"
    first = call("sync", backend, f"sqlite:///{path}", model=MODEL, input="one")
    assert path.exists()
    monkeypatch.setenv("CHATGPT_RESPONSE_STORE", f"sqlite:///{path}")
    second = call("sync", backend, None, model=MODEL, input="two", previous_response_id=first.id)
    assert second.output_text
    assert len(sent_inputs(backend)[-1]) == 3


def test_a_bad_store_argument_is_refused() -> None:
    backend = FakeChatGPTBackend()
    with pytest.raises(TypeError, match="response_store must be a ResponseStore"):
        backend.client(response_store=42)
    with pytest.raises(ValueError, match="response_store"):
        backend.client(response_store="ftp://nowhere")


def test_a_failing_store_does_not_lose_the_answer(mode: str) -> None:
    class Broken(MemoryResponseStore):
        def put(self, stored: Any) -> None:
            raise OSError("disk full")

        async def aput(self, stored: Any) -> None:
            raise OSError("disk full")

    backend = FakeChatGPTBackend()
    store: ResponseStore = Broken()
    with pytest.warns(RuntimeWarning, match="was not kept in the response store"):
        result = call(mode, backend, store, model=MODEL, input="hi")
    assert result.output_text
