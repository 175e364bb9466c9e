"""A user with only ``model="gpt-6.2-sol"`` gets answers, tool calls and streamed chat through the
SDK (sync and async), the Chat bridge, the proxy and ``chatgpt-sdk ask``, against the fake backend,
which enforces the Responses Lite rules (WIRE.md 3.6) as strictly as the real one.

Every test ends by checking the wire: each request for a Lite model carried the Lite header and no
top-level ``tools`` / ``instructions``; each request for the classic ``gpt-5.5`` carried neither the
header nor an ``additional_tools`` item.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chatgpt_sdk import AsyncChatGPT, ChatGPT, cli
from chatgpt_sdk.auth import FileTokenProvider
from chatgpt_sdk.models import responses as r
from chatgpt_sdk.server import create_app
from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend, RecordedRequest, sse

LITE_MODEL = "gpt-6.2-sol"
CLASSIC_MODEL = "gpt-5.5"
LITE_HEADER = "x-openai-internal-codex-responses-lite"
CITY = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}

WEATHER_FLAT = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather for a city.",
    "parameters": CITY,
}
TIME_NESTED = {
    "type": "function",
    "function": {"name": "get_time", "description": "Local time in a city.", "parameters": CITY},
}
WEATHER_CHAT = {
    "type": "function",
    "function": {k: v for k, v in WEATHER_FLAT.items() if k != "type"},
}
EXEC_CUSTOM = {"type": "custom", "name": "exec", "description": "Run JavaScript code."}


# -- the wire ----------------------------------------------------------------------------------


def responses_requests(backend: FakeChatGPTBackend) -> list[RecordedRequest]:
    return [q for q in backend.requests if q.path == BASE_PATH + "/responses"]


def assert_lite(request: RecordedRequest) -> dict[str, Any]:
    body = request.json
    assert isinstance(body, dict)
    assert body["model"] == LITE_MODEL
    assert request.headers.get(LITE_HEADER) == "true"
    assert "tools" not in body
    assert "instructions" not in body
    assert body["parallel_tool_calls"] is False
    assert body["reasoning"]["context"] == "all_turns"
    assert "reasoning.encrypted_content" in body["include"]
    return body


def assert_classic(request: RecordedRequest) -> dict[str, Any]:
    body = request.json
    assert isinstance(body, dict)
    assert body["model"] == CLASSIC_MODEL
    assert LITE_HEADER not in request.headers
    assert not [i for i in body["input"] if i.get("type") == "additional_tools"]
    assert "context" not in (body.get("reasoning") or {})
    return body


def assert_wire(backend: FakeChatGPTBackend, *, expected: int) -> list[dict[str, Any]]:
    """Every ``POST /responses`` took its model's shape; returns the Lite bodies, in order."""
    sent = responses_requests(backend)
    assert len(sent) == expected
    lite = []
    for request in sent:
        if request.json["model"] == LITE_MODEL:
            lite.append(assert_lite(request))
        else:
            assert_classic(request)
    return lite


def declared(body: dict[str, Any]) -> dict[str, list[str]]:
    """namespace -> tool names, from the request's ``additional_tools`` item (its first item)."""
    head = body["input"][0]
    assert head["type"] == "additional_tools"
    assert head["role"] == "developer"
    return {ns["name"]: [t["name"] for t in ns["tools"]] for ns in head["tools"]}


def user_texts(body: dict[str, Any]) -> list[str]:
    texts = []
    for item in body["input"]:
        if item.get("role") == "user":
            content = item["content"]
            texts.append(content if isinstance(content, str) else content[0]["text"])
    return texts


# -- one driver for the sync and the async client ------------------------------------------------


class Driver:
    """The client operations through ``ChatGPT`` (one client) or ``AsyncChatGPT`` (one per call)."""

    def __init__(self, mode: str, backend: FakeChatGPTBackend) -> None:
        self.mode = mode
        self.backend = backend
        self.sync: ChatGPT | None = backend.client() if mode == "sync" else None

    def close(self) -> None:
        if self.sync is not None:
            self.sync.close()

    def _run(
        self, sync: Callable[[ChatGPT], Any], aio: Callable[[AsyncChatGPT], Awaitable[Any]]
    ) -> Any:
        if self.sync is not None:
            return sync(self.sync)

        async def go() -> Any:
            async with self.backend.async_client() as client:
                return await aio(client)

        return asyncio.run(go())

    def create(self, **kw: Any) -> r.Response:
        async def aio(c: AsyncChatGPT) -> r.Response:
            result: r.Response = await c.responses.create(**kw)
            return result

        return self._run(lambda c: c.responses.create(**kw), aio)  # type: ignore[no-any-return]

    def stream_events(self, **kw: Any) -> list[Any]:
        async def aio(c: AsyncChatGPT) -> list[Any]:
            return [e async for e in await c.responses.create(stream=True, **kw)]

        return self._run(lambda c: list(c.responses.create(stream=True, **kw)), aio)  # type: ignore[no-any-return]

    def stream_manager(self, **kw: Any) -> tuple[list[str], r.Response]:
        def sync(c: ChatGPT) -> tuple[list[str], r.Response]:
            with c.responses.stream(**kw) as s:
                return list(s.text_deltas()), s.get_final_response()

        async def aio(c: AsyncChatGPT) -> tuple[list[str], r.Response]:
            async with c.responses.stream(**kw) as s:
                return [t async for t in s.text_deltas()], await s.get_final_response()

        return self._run(sync, aio)  # type: ignore[no-any-return]

    def chat(self, **kw: Any) -> Any:
        async def aio(c: AsyncChatGPT) -> Any:
            return await c.chat.completions.create(**kw)

        return self._run(lambda c: c.chat.completions.create(**kw), aio)

    def chat_chunks(self, **kw: Any) -> list[Any]:
        async def aio(c: AsyncChatGPT) -> list[Any]:
            return [chunk async for chunk in await c.chat.completions.create(stream=True, **kw)]

        return self._run(lambda c: list(c.chat.completions.create(stream=True, **kw)), aio)  # type: ignore[no-any-return]


@pytest.fixture
def backend() -> FakeChatGPTBackend:
    return FakeChatGPTBackend()


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, backend: FakeChatGPTBackend) -> Iterator[Driver]:
    driver = Driver(str(request.param), backend)
    yield driver
    driver.close()


def replay(first_input: list[Any], output: list[Any], results: dict[str, str]) -> list[Any]:
    """The next turn's input: what was said, the whole output, and one output per call."""
    items: list[Any] = [*first_input, *output]
    for item in output:
        if isinstance(item, r.FunctionToolCall):
            items.append(
                {
                    "type": "function_call_output",
                    "call_id": item.call_id,
                    "output": results[item.name],
                }
            )
        elif isinstance(item, r.CustomToolCall):
            items.append(
                {
                    "type": "custom_tool_call_output",
                    "call_id": item.call_id,
                    "output": results[item.name],
                }
            )
    return items


# -- Responses through the SDK ---------------------------------------------------------------------


def test_plain_answer(api: Driver, backend: FakeChatGPTBackend) -> None:
    result = api.create(model=LITE_MODEL, input="Say hi in three words.")
    assert result.output_text == "You said: Say hi in three words."
    assert result.model == LITE_MODEL
    (body,) = assert_wire(backend, expected=1)
    assert [i["role"] for i in body["input"]] == ["user"]  # no tools, no instructions: no head
    assert body["reasoning"]["effort"] == "low"  # the catalog's default for the model


def test_instructions_travel_as_a_developer_message(
    api: Driver, backend: FakeChatGPTBackend
) -> None:
    backend.reply("Hi there, friend.")
    result = api.create(model=LITE_MODEL, input="Say hi.", instructions="Answer in three words.")
    assert result.output_text == "Hi there, friend."
    (body,) = assert_wire(backend, expected=1)
    first, second = body["input"]
    assert first == {
        "type": "message",
        "role": "developer",
        "content": [{"type": "input_text", "text": "Answer in three words."}],
    }
    assert second["role"] == "user"


def test_flat_and_nested_function_tools_are_called_and_the_replay_is_answered(
    api: Driver, backend: FakeChatGPTBackend
) -> None:
    backend.reply(
        "Checking.",
        reasoning_summary="**Two lookups**",
        tool_calls=[("get_weather", '{"city":"Paris"}'), ("get_time", '{"city":"Tokyo"}')],
    )
    backend.reply("Paris is 21 °C; it is 9 pm in Tokyo.")
    question = [{"role": "user", "content": "Weather in Paris, time in Tokyo?"}]
    tools = [WEATHER_FLAT, TIME_NESTED]

    first = api.create(
        model=LITE_MODEL,
        input=question,
        tools=tools,
        instructions="Use tools.",
        reasoning={"summary": "auto"},
    )
    assert [type(item) for item in first.output] == [
        r.ReasoningItem,
        r.OutputMessage,
        r.FunctionToolCall,
        r.FunctionToolCall,
    ]
    calls = [item for item in first.output if isinstance(item, r.FunctionToolCall)]
    assert [(c.name, c.arguments) for c in calls] == [
        ("get_weather", '{"city":"Paris"}'),
        ("get_time", '{"city":"Tokyo"}'),
    ]
    assert all(c.call_id for c in calls)
    assert len({c.call_id for c in calls}) == 2
    assert first.output_text == "Checking."

    second = api.create(
        model=LITE_MODEL,
        input=replay(question, first.output, {"get_weather": "21 °C", "get_time": "21:00"}),
        tools=tools,
    )
    assert second.output_text == "Paris is 21 °C; it is 9 pm in Tokyo."

    body_one, body_two = assert_wire(backend, expected=2)
    for body in (body_one, body_two):
        assert declared(body) == {"functions": ["get_weather", "get_time"]}
        members = body["input"][0]["tools"][0]["tools"]
        assert all("function" not in tool for tool in members)  # the nested one was flattened
    replayed = [i for i in body_two["input"] if i.get("type") == "function_call"]
    assert [(i["name"], i["call_id"]) for i in replayed] == [(c.name, c.call_id) for c in calls]
    assert all("id" not in i for i in body_two["input"])
    outputs = [i for i in body_two["input"] if i.get("type") == "function_call_output"]
    assert [o["output"] for o in outputs] == ["21 °C", "21:00"]
    # The reasoning item is replayed whole (its encrypted content), without its server id.
    (reasoning,) = [i for i in body_two["input"] if i.get("type") == "reasoning"]
    assert reasoning["encrypted_content"] == first.output[0].encrypted_content  # type: ignore[union-attr]


def test_a_conversation_may_switch_between_lite_and_classic(
    api: Driver, backend: FakeChatGPTBackend
) -> None:
    """A Lite turn's output replayed to the classic model, and back: both shapes accepted."""
    backend.reply(tool_calls=[("get_weather", '{"city":"Bern"}')])
    backend.reply("Bern: 18 °C (classic).")
    backend.reply("Bern: 18 °C (Lite).")
    question = [{"role": "user", "content": "Weather in Bern?"}]
    first = api.create(model=LITE_MODEL, input=question, tools=[WEATHER_FLAT])
    history = replay(question, first.output, {"get_weather": "18 °C"})
    classic = api.create(model=CLASSIC_MODEL, input=history, tools=[WEATHER_FLAT])
    assert classic.output_text == "Bern: 18 °C (classic)."
    lite = api.create(model=LITE_MODEL, input=history, tools=[WEATHER_FLAT])
    assert lite.output_text == "Bern: 18 °C (Lite)."

    assert_wire(backend, expected=3)
    _, to_classic, to_lite = (q.json for q in responses_requests(backend))
    (call,) = [i for i in to_classic["input"] if i.get("type") == "function_call"]
    assert "namespace" not in call  # the classic model declared get_weather at the top level
    assert [t["name"] for t in to_classic["tools"]] == ["get_weather"]
    (call,) = [i for i in to_lite["input"] if i.get("type") == "function_call"]
    assert call["namespace"] == "functions"


def test_an_image_with_detail_is_accepted(api: Driver, backend: FakeChatGPTBackend) -> None:
    """The fake refuses image detail for Lite models; the SDK leaves it out."""
    backend.reply("A red dot.")
    image = {
        "type": "input_image",
        "image_url": "data:image/png;base64,iVBORw0KGgo=",
        "detail": "high",
    }
    message = {"role": "user", "content": [{"type": "input_text", "text": "What is this?"}, image]}
    result = api.create(model=LITE_MODEL, input=[message])
    assert result.output_text == "A red dot."
    (body,) = assert_wire(backend, expected=1)
    (sent_image,) = [p for p in body["input"][0]["content"] if p["type"] == "input_image"]
    assert "detail" not in sent_image
    assert sent_image["image_url"] == image["image_url"]


def test_custom_tool_call_round_trips(api: Driver, backend: FakeChatGPTBackend) -> None:
    backend.reply(tool_calls=[sse.CustomToolCall("exec", "console.log(6 * 7)")])
    backend.reply("It printed 42.")
    question = [{"role": "user", "content": "What is six times seven? Use exec."}]

    first = api.create(model=LITE_MODEL, input=question, tools=[EXEC_CUSTOM])
    (call,) = first.output
    assert isinstance(call, r.CustomToolCall)
    assert (call.name, call.input) == ("exec", "console.log(6 * 7)")

    second = api.create(
        model=LITE_MODEL, input=replay(question, first.output, {"exec": "42"}), tools=[EXEC_CUSTOM]
    )
    assert second.output_text == "It printed 42."
    _, body = assert_wire(backend, expected=2)
    assert declared(body) == {"functions": ["exec"]}
    kinds = [i.get("type") for i in body["input"]]
    assert kinds[-2:] == ["custom_tool_call", "custom_tool_call_output"]


def test_streamed_create_yields_the_tool_call(api: Driver, backend: FakeChatGPTBackend) -> None:
    backend.reply("Let me look.", tool_calls=[("get_weather", '{"city":"Oslo"}')])
    events = api.stream_events(model=LITE_MODEL, input="Weather in Oslo?", tools=[WEATHER_FLAT])
    assert events[0].type == "response.created"
    assert events[-1].type == "response.completed"
    done = [e.item for e in events if e.type == "response.output_item.done"]
    calls = [item for item in done if isinstance(item, r.FunctionToolCall)]
    assert [(c.name, c.arguments) for c in calls] == [("get_weather", '{"city":"Oslo"}')]
    streamed_args = "".join(
        e.delta for e in events if e.type == "response.function_call_arguments.delta"
    )
    assert streamed_args == '{"city":"Oslo"}'
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text == "Let me look."
    assert_wire(backend, expected=1)


def test_stream_manager_gives_the_text_and_a_final_tool_call(
    api: Driver, backend: FakeChatGPTBackend
) -> None:
    backend.reply(
        "One moment.", deltas=["One ", "moment."], tool_calls=[("get_time", '{"city":"Lima"}')]
    )
    backend.reply("It is noon in Lima.", deltas=["It is noon ", "in Lima."])
    question = [{"role": "user", "content": "Time in Lima?"}]
    deltas, final = api.stream_manager(model=LITE_MODEL, input=question, tools=[TIME_NESTED])
    assert deltas == ["One ", "moment."]
    call = final.output[-1]
    assert isinstance(call, r.FunctionToolCall)
    assert (call.name, call.arguments) == ("get_time", '{"city":"Lima"}')

    deltas, final = api.stream_manager(
        model=LITE_MODEL,
        input=replay(question, final.output, {"get_time": "12:00"}),
        tools=[TIME_NESTED],
    )
    assert deltas == ["It is noon ", "in Lima."]
    assert final.output_text == "It is noon in Lima."
    assert_wire(backend, expected=2)


def test_a_classic_model_in_the_same_session_is_sent_classic(
    api: Driver, backend: FakeChatGPTBackend
) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Rome"}')])
    backend.reply(tool_calls=[("get_weather", '{"city":"Rome"}')])
    backend.reply("Lite again.")
    lite = api.create(model=LITE_MODEL, input="Rome?", tools=[WEATHER_FLAT], instructions="Brief.")
    classic = api.create(
        model=CLASSIC_MODEL, input="Rome?", tools=[WEATHER_FLAT], instructions="Brief."
    )
    for result in (lite, classic):
        (call,) = result.output
        assert isinstance(call, r.FunctionToolCall)
        assert call.name == "get_weather"
    assert api.create(model=LITE_MODEL, input="again").output_text == "Lite again."

    assert_wire(backend, expected=3)
    sent = responses_requests(backend)
    classic_body = sent[1].json
    assert classic_body["instructions"] == "Brief."
    assert [t["name"] for t in classic_body["tools"]] == ["get_weather"]
    # the classic reply's call carries no namespace: it was declared at the top level
    assert classic.output[0].namespace is None  # type: ignore[union-attr]


# -- Chat Completions through the client's bridge ----------------------------------------------------

CHAT_QUESTION = [{"role": "user", "content": "Weather in Paris?"}]


def chat_second_turn(call_id: str, arguments: str) -> list[dict[str, Any]]:
    return [
        *CHAT_QUESTION,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": arguments},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call_id, "content": "21 °C and sunny"},
    ]


def fold_tool_calls(chunks: list[Any]) -> tuple[dict[int, dict[str, str]], list[str]]:
    """Tool calls by index, and every finish_reason seen, from Chat chunks."""
    calls: dict[int, dict[str, str]] = {}
    finishes: list[str] = []
    for chunk in chunks:
        if not chunk.choices:
            continue
        (choice,) = chunk.choices
        if choice.finish_reason is not None:
            finishes.append(choice.finish_reason)
        for part in choice.delta.tool_calls or []:
            call = calls.setdefault(part.index, {"id": "", "name": "", "arguments": ""})
            if part.id:
                call["id"] = part.id
            if part.function is not None:
                call["name"] += part.function.name or ""
                call["arguments"] += part.function.arguments or ""
    return calls, finishes


def test_chat_tool_call_and_second_turn(api: Driver, backend: FakeChatGPTBackend) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Paris"}')])
    backend.reply("Paris: 21 °C and sunny.")
    first = api.chat(model=LITE_MODEL, messages=CHAT_QUESTION, tools=[WEATHER_CHAT])
    (choice,) = first.choices
    assert choice.finish_reason == "tool_calls"
    (call,) = choice.message.tool_calls
    assert call.function.name == "get_weather"
    assert call.function.arguments == '{"city":"Paris"}'
    assert call.id

    # A leading system message becomes instructions, which a Lite model takes as a developer message.
    system = {"role": "system", "content": "Answer briefly."}
    second = api.chat(
        model=LITE_MODEL,
        messages=[system, *chat_second_turn(call.id, call.function.arguments)],
        tools=[WEATHER_CHAT],
    )
    assert second.choices[0].message.content == "Paris: 21 °C and sunny."
    assert second.choices[0].finish_reason == "stop"
    _, body = assert_wire(backend, expected=2)
    assert declared(body) == {"functions": ["get_weather"]}
    assert body["input"][1] == {
        "type": "message",
        "role": "developer",
        "content": [{"type": "input_text", "text": "Answer briefly."}],
    }
    assert not [i for i in body["input"] if i.get("role") == "system"]
    kinds = [i.get("type") for i in body["input"]]
    assert kinds[-2:] == ["function_call", "function_call_output"]


def test_chat_streamed_tool_calls_and_second_turn(api: Driver, backend: FakeChatGPTBackend) -> None:
    backend.reply(
        tool_calls=[("get_weather", '{"city":"Paris"}'), ("get_weather", '{"city":"Rome"}')]
    )
    backend.reply("Both sunny.", deltas=["Both ", "sunny."])
    chunks = api.chat_chunks(model=LITE_MODEL, messages=CHAT_QUESTION, tools=[WEATHER_CHAT])
    assert len({chunk.id for chunk in chunks}) == 1
    calls, finishes = fold_tool_calls(chunks)
    assert sorted(calls) == [0, 1]
    assert [(c["name"], c["arguments"]) for c in calls.values()] == [
        ("get_weather", '{"city":"Paris"}'),
        ("get_weather", '{"city":"Rome"}'),
    ]
    assert all(c["id"] for c in calls.values())
    assert finishes == ["tool_calls"]

    messages = [
        *CHAT_QUESTION,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": c["id"],
                    "type": "function",
                    "function": {"name": c["name"], "arguments": c["arguments"]},
                }
                for c in calls.values()
            ],
        },
        *({"role": "tool", "tool_call_id": c["id"], "content": "sunny"} for c in calls.values()),
    ]
    chunks = api.chat_chunks(model=LITE_MODEL, messages=messages, tools=[WEATHER_CHAT])
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == "Both sunny."
    assert [
        c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason
    ] == ["stop"]
    _, body = assert_wire(backend, expected=2)
    outputs = [i for i in body["input"] if i.get("type") == "function_call_output"]
    assert [o["call_id"] for o in outputs] == [c["id"] for c in calls.values()]


# -- the proxy ---------------------------------------------------------------------------------------


@pytest.fixture
async def proxy(backend: FakeChatGPTBackend) -> AsyncIterator[httpx.AsyncClient]:
    """The real app, in process, in front of the fake (as tests/test_proxy.py builds it)."""
    client = backend.async_client(max_retries=0)
    app = create_app(client)
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)), base_url="http://proxy"
    )
    yield http
    await http.aclose()
    await client.close()


def sse_data(text: str) -> list[str]:
    return [line[len("data: ") :] for line in text.split("\n") if line.startswith("data: ")]


def proxy_chat_chunks(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    data = sse_data(response.text)
    assert data[-1] == "[DONE]"
    return [json.loads(d) for d in data[:-1]]


def proxy_events(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return [json.loads(d) for d in sse_data(response.text)]


@pytest.mark.parametrize("stream", [False, True])
async def test_proxy_chat_with_tools_and_a_second_turn(
    proxy: httpx.AsyncClient, backend: FakeChatGPTBackend, stream: bool
) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Paris"}')])
    backend.reply("Paris: 21 °C and sunny.", deltas=["Paris: ", "21 °C and sunny."])
    request = {
        "model": LITE_MODEL,
        "messages": CHAT_QUESTION,
        "tools": [WEATHER_CHAT],
        "stream": stream,
    }
    response = await proxy.post("/v1/chat/completions", json=request)
    if stream:
        chunks = proxy_chat_chunks(response)
        calls: dict[int, dict[str, str]] = {}
        finishes = []
        for chunk in chunks:
            choice = chunk["choices"][0]
            if choice["finish_reason"]:
                finishes.append(choice["finish_reason"])
            for part in choice["delta"].get("tool_calls") or []:
                call = calls.setdefault(part["index"], {"id": "", "name": "", "arguments": ""})
                if "id" in part:
                    call["id"] = part["id"]
                    call["name"] = part["function"]["name"]
                call["arguments"] += part["function"].get("arguments", "")
        assert finishes == ["tool_calls"]
        assert sorted(calls) == [0]
        call_id, name, arguments = calls[0]["id"], calls[0]["name"], calls[0]["arguments"]
    else:
        assert response.status_code == 200, response.text
        (choice,) = response.json()["choices"]
        assert choice["finish_reason"] == "tool_calls"
        (call,) = choice["message"]["tool_calls"]
        call_id, name = call["id"], call["function"]["name"]
        arguments = call["function"]["arguments"]
    assert (name, arguments) == ("get_weather", '{"city":"Paris"}')

    second = {**request, "messages": chat_second_turn(call_id, arguments)}
    response = await proxy.post("/v1/chat/completions", json=second)
    if stream:
        chunks = proxy_chat_chunks(response)
        text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
        finishes = [
            c["choices"][0]["finish_reason"] for c in chunks if c["choices"][0]["finish_reason"]
        ]
        assert finishes == ["stop"]
    else:
        assert response.status_code == 200, response.text
        text = response.json()["choices"][0]["message"]["content"]
    assert text == "Paris: 21 °C and sunny."
    _, body = assert_wire(backend, expected=2)
    assert declared(body) == {"functions": ["get_weather"]}


@pytest.mark.parametrize("stream", [False, True])
async def test_proxy_responses_with_tools_and_a_second_turn(
    proxy: httpx.AsyncClient, backend: FakeChatGPTBackend, stream: bool
) -> None:
    backend.reply("Looking.", tool_calls=[("get_weather", '{"city":"Paris"}')])
    backend.reply("Paris: 21 °C.", deltas=["Paris: ", "21 °C."])
    question = [{"role": "user", "content": "Weather in Paris?"}]
    request = {
        "model": LITE_MODEL,
        "input": question,
        "instructions": "Be brief.",
        "tools": [WEATHER_FLAT],
        "stream": stream,
    }
    response = await proxy.post("/v1/responses", json=request)
    if stream:
        events = proxy_events(response)
        assert events[-1]["type"] == "response.completed"
        output = events[-1]["response"]["output"]
    else:
        assert response.status_code == 200, response.text
        output = response.json()["output"]
    calls = [item for item in output if item["type"] == "function_call"]
    assert [(c["name"], c["arguments"]) for c in calls] == [("get_weather", '{"city":"Paris"}')]

    next_input = [
        *question,
        *output,
        {"type": "function_call_output", "call_id": calls[0]["call_id"], "output": "21 °C"},
    ]
    response = await proxy.post("/v1/responses", json={**request, "input": next_input})
    if stream:
        events = proxy_events(response)
        text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
        assert events[-1]["type"] == "response.completed"
    else:
        assert response.status_code == 200, response.text
        body = response.json()
        text = "".join(
            part["text"]
            for item in body["output"]
            if item["type"] == "message"
            for part in item["content"]
        )
    assert text == "Paris: 21 °C."
    first, second = assert_wire(backend, expected=2)
    for body in (first, second):
        assert declared(body) == {"functions": ["get_weather"]}
        assert body["input"][1]["role"] == "developer"
        assert body["input"][1]["content"][0]["text"] == "Be brief."
    assert [i.get("type") for i in second["input"]][-2:] == [
        "function_call",
        "function_call_output",
    ]


async def test_proxy_serves_a_classic_model_classic_beside_lite(
    proxy: httpx.AsyncClient, backend: FakeChatGPTBackend
) -> None:
    for model in (LITE_MODEL, CLASSIC_MODEL):
        response = await proxy.post(
            "/v1/chat/completions",
            json={"model": model, "messages": CHAT_QUESTION, "tools": [WEATHER_CHAT]},
        )
        assert response.status_code == 200, response.text
    assert_wire(backend, expected=2)
    classic = responses_requests(backend)[1].json
    assert [t["name"] for t in classic["tools"]] == ["get_weather"]


# -- chatgpt-sdk ask -------------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeChatGPTBackend]:
    """A served fake backend and an auth file it accepts (as tests/test_cli_commands.py does)."""
    fake = FakeChatGPTBackend()
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "tokens"))
    monkeypatch.delenv("CHATGPT_AUTH_FILE", raising=False)
    monkeypatch.delenv("CHATGPT_MODEL", raising=False)
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "no-codex"))
    FileTokenProvider().save_tokens(
        access_token=fake.access_token, refresh_token="rt-unused", id_token=fake.access_token
    )
    with fake.serve() as server:
        monkeypatch.setenv("CHATGPT_API_BASE", server.url + BASE_PATH)
        yield fake


def test_ask_without_a_model_uses_the_lite_default(
    served: FakeChatGPTBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    served.reply("Forty-two.", deltas=["Forty", "-two."])
    assert cli.main(["ask", "What is the answer?"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "Forty-two.\n"
    (body,) = assert_wire(served, expected=1)
    assert user_texts(body) == ["What is the answer?"]


def test_ask_json_without_a_model(
    served: FakeChatGPTBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    served.reply("ok")
    assert cli.main(["ask", "hi", "--json"]) == 0
    final = json.loads(capsys.readouterr().out)
    assert final["model"] == LITE_MODEL
    assert final["output"][0]["content"][0]["text"] == "ok"
    assert_wire(served, expected=1)
