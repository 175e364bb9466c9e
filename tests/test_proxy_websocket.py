"""The proxy over the WebSocket transport (issue 15): its default client against the served fake.

The proxy's ``AsyncChatGPT`` is made without an ``http_client``, so ``transport="auto"`` picks the
WebSocket on the Codex backend. The fake, with ``strict_chaining``, refuses a resent prefix: the
chained tests pass only if every turn after the first reaches it as ``previous_response_id`` and
the new items, on one connection. Each test serves its own fake on a free loopback port and
drives the proxy through ``httpx.ASGITransport``, so the tests run side by side under ``-n 4``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from chatgpt_sdk import AsyncChatGPT
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.server import create_app
from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend, RecordedRequest

WEATHER_CHAT = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
WEATHER = {"type": "function", **WEATHER_CHAT["function"]}  # the Responses shape


@pytest.fixture
def backend() -> Iterator[FakeChatGPTBackend]:
    fake = FakeChatGPTBackend()
    with fake.serve() as server:
        fake.base = server.url + BASE_PATH  # type: ignore[attr-defined]
        fake.server = server  # type: ignore[attr-defined]
        yield fake


def sent(backend: FakeChatGPTBackend) -> list[RecordedRequest]:
    return [q for q in backend.requests if q.path == BASE_PATH + "/responses"]


def frames(backend: FakeChatGPTBackend) -> list[dict[str, Any]]:
    return [q.json for q in sent(backend) if q.transport == "websocket"]


@asynccontextmanager
async def proxy(
    backend: FakeChatGPTBackend, response_store: str = "memory", **client_kw: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, AsyncChatGPT]]:
    """The proxy app in front of the served fake, its client made as ``chatgpt-sdk serve`` makes
    it (no ``http_client``: the transport is the client's own choice)."""
    client = AsyncChatGPT(
        token_provider=StaticTokenProvider(backend.access_token, account_id=backend.account_id),
        base_url=backend.base,  # type: ignore[attr-defined]
        model_catalog=backend.model_catalog,
        **client_kw,
    )
    app = create_app(client, response_store=response_store)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", timeout=30
        ) as http:
            yield http, client
    finally:
        await client.close()


async def post(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(path, json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def stream(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    events = []
    async with http.stream("POST", path, json={**body, "stream": True}) as response:
        assert response.status_code == 200, await response.aread()
        async for line in response.aiter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                events.append(json.loads(line[len("data: ") :]))
    return events


# -- (1) previous_response_id chains through the response store -----------------------------------


async def test_a_5_turn_previous_response_id_chain_is_chained_on_the_wire(
    backend: FakeChatGPTBackend,
) -> None:
    backend.strict_chaining = True  # a resent prefix is refused
    ids: list[str] = []
    texts: list[str] = []
    async with proxy(backend, response_store="memory") as (http, client):
        assert client.transport == "websocket"  # auto, on the Codex backend
        previous = None
        for turn in range(5):
            backend.reply(f"answer {turn}")
            body: dict[str, Any] = {"model": "gpt-5.5", "input": f"question {turn}"}
            if previous is not None:
                body["previous_response_id"] = previous
            answer = await post(http, "/v1/responses", body)
            previous = answer["id"]
            ids.append(previous)
            texts.append(answer["output"][-1]["content"][0]["text"])
    assert texts == [f"answer {turn}" for turn in range(5)]
    records = sent(backend)
    assert len(records) == 5
    assert {q.transport for q in records} == {"websocket"}
    assert {q.connection for q in records} == {1}  # one connection throughout
    assert len(backend.handshakes) == 1
    sent_frames = frames(backend)
    assert "previous_response_id" not in sent_frames[0]
    assert [frame.get("previous_response_id") for frame in sent_frames] == [None, *ids[:-1]]
    for turn, frame in enumerate(sent_frames):
        assert len(frame["input"]) == 1  # only the new question
        assert f"question {turn}" in json.dumps(frame["input"][0])
    assert len(records[-1].input) == 9  # the backend saw the whole conversation


async def test_a_streamed_chain_is_chained_on_the_wire(backend: FakeChatGPTBackend) -> None:
    backend.strict_chaining = True
    async with proxy(backend, response_store="memory") as (http, _):
        previous = None
        for turn in range(3):
            backend.reply(f"answer {turn}", deltas=["ans", f"wer {turn}"])
            body: dict[str, Any] = {"model": "gpt-5.5", "input": f"question {turn}"}
            if previous is not None:
                body["previous_response_id"] = previous
            events = await stream(http, "/v1/responses", body)
            assert events[-1]["type"] == "response.completed"
            deltas = [e["delta"] for e in events if e["type"] == "response.output_text.delta"]
            assert "".join(deltas) == f"answer {turn}"
            previous = events[-1]["response"]["id"]
    sent_frames = frames(backend)
    assert len(sent_frames) == 3
    assert all(len(frame["input"]) == 1 for frame in sent_frames)
    assert [bool(frame.get("previous_response_id")) for frame in sent_frames] == [
        False,
        True,
        True,
    ]
    assert {q.connection for q in sent(backend)} == {1}


# -- (2) an agent loop sending the whole history each turn ----------------------------------------


@pytest.mark.parametrize("store", ["none", "memory"])
async def test_a_full_history_agent_loop_is_chained_on_the_wire(
    backend: FakeChatGPTBackend, store: str
) -> None:
    """As the openai and Vercel clients do without a store: each turn replays the previous
    response's output items (as the proxy returned them) and adds the tool's output."""
    backend.strict_chaining = True
    history: list[Any] = [{"role": "user", "content": "Weather in 5 cities, one by one."}]
    ids = []
    async with proxy(backend, response_store=store) as (http, _):
        for turn in range(5):
            call_id = f"call_{turn}"
            backend.reply(tool_calls=[("get_weather", json.dumps({"city": f"c{turn}"}), call_id)])
            answer = await post(
                http,
                "/v1/responses",
                {"model": "gpt-5.5", "input": history, "tools": [WEATHER], "store": False},
            )
            ids.append(answer["id"])
            calls = [i for i in answer["output"] if i["type"] == "function_call"]
            assert [c["call_id"] for c in calls] == [call_id]
            history = [*history, *answer["output"]]
            history.append({"type": "function_call_output", "call_id": call_id, "output": "sunny"})
    sent_frames = frames(backend)
    assert len(sent_frames) == 5
    assert "previous_response_id" not in sent_frames[0]
    for frame in sent_frames[1:]:
        assert frame["previous_response_id"].startswith("resp_")
        assert [item["type"] for item in frame["input"]] == ["function_call_output"]
    records = sent(backend)
    assert {q.connection for q in records} == {1}
    assert len(records[-1].input) == 1 + 2 * 4  # the backend saw the whole conversation


# -- (3) Chat Completions (the bridge) over the WebSocket -----------------------------------------


async def chat_scenario(http: httpx.AsyncClient, backend: FakeChatGPTBackend) -> dict[str, Any]:
    messages = [{"role": "user", "content": "Weather in Paris?"}]
    backend.reply("Hello there.", deltas=["Hello", " there."])
    plain = await post(http, "/v1/chat/completions", {"model": "gpt-5.5", "messages": messages})
    backend.reply("Checking.", tool_calls=[("get_weather", '{"city":"Paris"}', "call_1")])
    tooled = await post(
        http,
        "/v1/chat/completions",
        {"model": "gpt-5.5", "messages": messages, "tools": [WEATHER_CHAT]},
    )
    backend.reply("Chunks.", deltas=["Chu", "nks."])
    chunks = await stream(
        http, "/v1/chat/completions", {"model": "gpt-6.2-sol", "messages": messages}
    )
    backend.reply(tool_calls=[("get_weather", '{"city":"Lyon"}', "call_2")])
    tool_chunks = await stream(
        http,
        "/v1/chat/completions",
        {"model": "gpt-5.5", "messages": messages, "tools": [WEATHER_CHAT]},
    )
    calls = tooled["choices"][0]["message"]["tool_calls"]
    streamed_calls: dict[int, dict[str, str]] = {}
    finish = []
    for chunk in tool_chunks:
        for choice in chunk.get("choices", []):
            finish.append(choice.get("finish_reason"))
            for call in choice["delta"].get("tool_calls") or []:
                slot = streamed_calls.setdefault(call["index"], {"name": "", "arguments": ""})
                function = call.get("function") or {}
                slot["name"] += function.get("name") or ""
                slot["arguments"] += function.get("arguments") or ""
                slot["id"] = call.get("id") or slot.get("id", "")
    return {
        "plain": plain["choices"][0]["message"]["content"],
        "plain_finish": plain["choices"][0]["finish_reason"],
        "calls": [(c["id"], c["function"]["name"], c["function"]["arguments"]) for c in calls],
        "tool_finish": tooled["choices"][0]["finish_reason"],
        "chunks": "".join(
            c["choices"][0]["delta"].get("content") or "" for c in chunks if c.get("choices")
        ),
        "streamed_calls": sorted(
            (s["id"], s["name"], s["arguments"]) for s in streamed_calls.values()
        ),
        "streamed_finish": [f for f in finish if f],
    }


async def test_chat_completions_answer_over_the_websocket_as_over_sse() -> None:
    seen = {}
    for transport in ("sse", None):  # None: the default, auto (the WebSocket)
        fake = FakeChatGPTBackend()
        with fake.serve() as server:
            fake.base = server.url + BASE_PATH  # type: ignore[attr-defined]
            kw = {"transport": transport} if transport else {}
            async with proxy(fake, **kw) as (http, client):
                seen[transport or "websocket"] = await chat_scenario(http, fake)
                assert client.transport == (transport or "websocket")
            assert {q.transport for q in sent(fake)} == {"http" if transport else "websocket"}
    assert seen["websocket"] == seen["sse"]
    ws = seen["websocket"]
    assert ws["plain"] == "Hello there."
    assert ws["plain_finish"] == "stop"
    assert ws["calls"] == [("call_1", "get_weather", '{"city":"Paris"}')]
    assert ws["tool_finish"] == "tool_calls"
    assert ws["chunks"] == "Chunks."
    assert ws["streamed_calls"] == [("call_2", "get_weather", '{"city":"Lyon"}')]
    assert ws["streamed_finish"] == ["tool_calls"]


# -- (4) a refused upgrade --------------------------------------------------------------------------


async def test_a_refused_upgrade_falls_back_to_sse_and_the_proxy_answers(
    backend: FakeChatGPTBackend, caplog: pytest.LogCaptureFixture
) -> None:
    backend.websocket = False  # the upgrade is answered 426
    with caplog.at_level(logging.WARNING, logger="chatgpt_sdk"):
        async with proxy(backend, response_store="memory") as (http, client):
            first = await post(http, "/v1/responses", {"model": "gpt-5.5", "input": "q0"})
            second = await post(
                http,
                "/v1/responses",
                {"model": "gpt-5.5", "input": "q1", "previous_response_id": first["id"]},
            )
            backend.reply("Chat.")
            chat = await post(
                http,
                "/v1/chat/completions",
                {"model": "gpt-5.5", "messages": [{"role": "user", "content": "x"}]},
            )
            assert client.transport == "sse"
    assert first["output"][-1]["content"][0]["text"] == "You said: q0"
    assert second["output"][-1]["content"][0]["text"] == "You said: q1"
    assert chat["choices"][0]["message"]["content"] == "Chat."
    assert len(backend.handshakes) == 1  # tried once, then HTTP for the client's life
    records = sent(backend)
    assert {q.transport for q in records} == {"http"}
    assert len(records[1].json["input"]) == 3  # over HTTP the stored chain goes in full
    assert "previous_response_id" not in records[1].json
    assert "HTTP 426" in caplog.text
