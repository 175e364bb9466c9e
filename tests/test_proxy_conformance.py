"""Conformance: the running proxy as the real ``openai`` package meets it (issue 10, item 8).

One real uvicorn (the options ``chatgpt-sdk serve`` uses) on a free loopback port serves the
proxy, whose one ``AsyncChatGPT`` talks HTTP to a ``FakeChatGPTBackend`` served on another
loopback port. Tests drive it with ``openai.OpenAI`` and ``openai.AsyncOpenAI`` exactly as a user
would (``base_url=<proxy>/v1``), and every test checks both sides: what the client received, and
what reached the backend (``backend.requests``). Both servers are started once for the module; the
fake's script and request log are reset before each test. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import openai
import pytest
from proxy_support import uvicorn_proxy
from pydantic import BaseModel

from chatgpt_sdk import AsyncChatGPT
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.server import DROPPED_PARAMS_HEADER
from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend, RecordedRequest

CLASSIC = "gpt-5.5"
LITE = "gpt-6.2-sol"
LITE_HEADER = "x-openai-internal-codex-responses-lite"
CITY = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
CHAT_TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather in a city.",
            "parameters": CITY,
        },
    }
]
RESPONSES_TOOLS: list[Any] = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "Weather in a city.",
        "parameters": CITY,
        "strict": False,
    }
]
# A 1x1 transparent PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()
DATA_URL = f"data:image/png;base64,{PNG}"
TIMEOUT = 10.0


# -- the servers ---------------------------------------------------------------------------------


@dataclass
class Stack:
    backend: FakeChatGPTBackend
    url: str  # the proxy's OpenAI base URL, ending in /v1


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    backend = FakeChatGPTBackend()
    with backend.serve() as fake:

        def make_client() -> AsyncChatGPT:
            # The caller's own httpx client keeps the SDK on HTTP SSE, where the fake records
            # each request as it came.
            return AsyncChatGPT(
                token_provider=StaticTokenProvider(
                    backend.access_token, account_id=backend.account_id
                ),
                base_url=fake.url + BASE_PATH,
                http_client=httpx.AsyncClient(timeout=TIMEOUT),
                max_retries=0,
                model_catalog=backend.model_catalog,
            )

        with uvicorn_proxy(make_client) as port:
            yield Stack(backend, f"http://127.0.0.1:{port}/v1")


@pytest.fixture
def backend(stack: Stack) -> FakeChatGPTBackend:
    stack.backend.reset()
    return stack.backend


@pytest.fixture
def client(stack: Stack, backend: FakeChatGPTBackend) -> Iterator[openai.OpenAI]:
    # max_retries=0: one call is one request, so the backend's log is exactly what was sent.
    with openai.OpenAI(
        base_url=stack.url, api_key="unused-on-loopback", max_retries=0, timeout=TIMEOUT
    ) as made:
        yield made


@pytest.fixture
async def aclient(stack: Stack, backend: FakeChatGPTBackend) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(
        base_url=stack.url, api_key="unused-on-loopback", max_retries=0, timeout=TIMEOUT
    ) as made:
        yield made


# -- what reached the backend ----------------------------------------------------------------


def sent(backend: FakeChatGPTBackend) -> list[dict[str, Any]]:
    """The bodies of the ``POST /responses`` the backend received (catalog fetches aside)."""
    return [q.json for q in posts(backend)]


def posts(backend: FakeChatGPTBackend) -> list[RecordedRequest]:
    return [q for q in backend.requests if q.path == BASE_PATH + "/responses"]


def only(backend: FakeChatGPTBackend) -> dict[str, Any]:
    bodies = sent(backend)
    assert len(bodies) == 1, bodies
    return bodies[0]


def assert_wire(body: dict[str, Any], model: str = CLASSIC) -> None:
    """What the backend requires of every request (WIRE.md 3.5)."""
    assert body["model"] == model
    assert body["stream"] is True
    assert body["store"] is False
    assert isinstance(body["input"], list)


def messages(body: dict[str, Any], role: str | None = None) -> list[dict[str, Any]]:
    return [
        item
        for item in body["input"]
        if item.get("type", "message") == "message" and (role is None or item["role"] == role)
    ]


def text_of(item: dict[str, Any]) -> str:
    content = item["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content)


def assert_lite_wire(request: RecordedRequest) -> dict[str, Any]:
    """The Responses Lite shape (WIRE.md 3.6): a header, tools in an ``additional_tools`` item."""
    body = request.json
    assert_wire(body, LITE)
    assert request.headers.get(LITE_HEADER) == "true"
    assert "tools" not in body
    assert "instructions" not in body
    return dict(body)


def additional_tool_names(body: dict[str, Any]) -> list[str]:
    names = []
    for item in body["input"]:
        if item.get("type") == "additional_tools":
            for tool in item["tools"]:
                names += [t["name"] for t in tool.get("tools", [])] or [tool.get("name")]
    return names


# -- chat completions --------------------------------------------------------------------------


def test_chat_non_streamed(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    backend.reply("Hello there!")
    completion = client.chat.completions.create(
        model=CLASSIC,
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "hi"},
        ],
    )
    assert completion.object == "chat.completion"
    assert completion.model == CLASSIC
    (choice,) = completion.choices
    assert choice.message.role == "assistant"
    assert choice.message.content == "Hello there!"
    assert choice.message.tool_calls is None
    assert choice.finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )
    body = only(backend)
    assert_wire(body)
    assert body["instructions"] == "Be brief."
    (user,) = messages(body)
    assert user["role"] == "user"
    assert text_of(user) == "hi"


async def test_chat_streamed_with_usage(
    aclient: openai.AsyncOpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.reply("Hello there!", deltas=["Hel", "lo ", "there!"])
    stream = await aclient.chat.completions.create(
        model=CLASSIC,
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello there!"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert all(c.object == "chat.completion.chunk" and c.model == CLASSIC for c in chunks)
    assert len({c.id for c in chunks}) == 1
    usage = chunks[-1]
    assert usage.choices == []
    assert usage.usage is not None
    assert usage.usage.completion_tokens > 0
    body = only(backend)
    assert_wire(body)
    assert "stream_options" not in body  # the backend refuses it; the proxy keeps it for itself
    assert text_of(messages(body, "user")[0]) == "hi"


def test_chat_parameters_the_backend_rejects_are_named(
    client: openai.OpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.reply("ok")
    raw = client.chat.completions.with_raw_response.create(
        model=CLASSIC,
        messages=[{"role": "user", "content": "hi"}],
        max_tokens=50,
        temperature=0.2,
    )
    assert raw.headers.get(DROPPED_PARAMS_HEADER) == "max_tokens,temperature"
    assert raw.parse().choices[0].message.content == "ok"
    body = only(backend)
    assert not {"max_tokens", "max_output_tokens", "temperature"} & set(body)


async def test_chat_tools_with_a_second_turn(
    aclient: openai.AsyncOpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Paris"}', "call_w1")])
    history: list[Any] = [{"role": "user", "content": "Weather in Paris?"}]
    first = await aclient.chat.completions.create(
        model=CLASSIC, messages=history, tools=CHAT_TOOLS, tool_choice="auto"
    )
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    (call,) = choice.message.tool_calls or []
    assert call.type == "function"
    assert call.id == "call_w1"
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Paris"}

    backend.reply("It is sunny in Paris.")
    history += [
        choice.message.model_dump(exclude_none=True),  # the assistant message, as clients replay it
        {"role": "tool", "tool_call_id": call.id, "content": '{"sky":"sunny"}'},
    ]
    second = await aclient.chat.completions.create(
        model=CLASSIC, messages=history, tools=CHAT_TOOLS
    )
    assert second.choices[0].message.content == "It is sunny in Paris."
    assert second.choices[0].finish_reason == "stop"

    one, two = sent(backend)
    for body in (one, two):
        assert_wire(body)
        (tool,) = body["tools"]
        assert tool["type"] == "function"
        assert tool["name"] == "get_weather"
        assert tool["parameters"] == CITY
    assert one["tool_choice"] == "auto"
    kinds = [item.get("type", "message") for item in two["input"]]
    assert kinds == ["message", "function_call", "function_call_output"]
    replayed, output = two["input"][1:]
    assert replayed["call_id"] == output["call_id"] == "call_w1"
    assert replayed["name"] == "get_weather"
    assert json.loads(replayed["arguments"]) == {"city": "Paris"}
    assert output["output"] == '{"sky":"sunny"}'


def test_chat_streamed_tool_call(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Oslo"}', "call_s1")])
    stream = client.chat.completions.create(
        model=CLASSIC,
        messages=[{"role": "user", "content": "Weather in Oslo?"}],
        tools=CHAT_TOOLS,
        stream=True,
    )
    name, arguments, ids, finish = "", "", set(), None
    for chunk in stream:
        for choice in chunk.choices:
            for delta in choice.delta.tool_calls or []:
                assert delta.index == 0
                if delta.id:
                    ids.add(delta.id)
                if delta.function is not None:
                    name += delta.function.name or ""
                    arguments += delta.function.arguments or ""
            finish = choice.finish_reason or finish
    assert (name, json.loads(arguments), ids, finish) == (
        "get_weather",
        {"city": "Oslo"},
        {"call_s1"},
        "tool_calls",
    )
    assert only(backend)["tools"][0]["name"] == "get_weather"


def test_chat_web_search_options(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    cases: list[tuple[Any, dict[str, str]]] = [
        ({}, {"type": "web_search"}),
        (
            {"search_context_size": "low"},
            {"type": "web_search", "search_context_size": "low"},
        ),
    ]
    for options, expected in cases:
        backend.reset()
        backend.reply("Searched.")
        completion = client.chat.completions.create(
            model=CLASSIC,
            messages=[{"role": "user", "content": "News today?"}],
            web_search_options=options,
        )
        assert completion.choices[0].message.content == "Searched."
        body = only(backend)
        assert_wire(body)
        (tool,) = body["tools"]
        assert {k: v for k, v in tool.items() if k in expected or k == "type"} == expected


def test_chat_image_part(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    backend.reply("A dot.")
    completion = client.chat.completions.create(
        model=CLASSIC,
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": DATA_URL, "detail": "low"}},
                ],
            }
        ],
    )
    assert completion.choices[0].message.content == "A dot."
    (user,) = messages(only(backend), "user")
    text, image = user["content"]
    assert text == {"type": "input_text", "text": "What is this?"}
    assert image["type"] == "input_image"
    assert image["image_url"] == DATA_URL
    assert image.get("detail") == "low"


class Weather(BaseModel):
    city: str
    temperature: int


def test_chat_structured_output(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    backend.reply('{"city":"Paris","temperature":21}')
    completion = client.chat.completions.parse(
        model=CLASSIC,
        messages=[{"role": "user", "content": "Weather in Paris as JSON."}],
        response_format=Weather,
    )
    assert completion.choices[0].message.parsed == Weather(city="Paris", temperature=21)
    body = only(backend)
    assert_wire(body)
    fmt = body["text"]["format"]
    assert fmt["type"] == "json_schema"
    assert fmt["name"] == "Weather"
    assert fmt["strict"] is True
    assert fmt["schema"]["properties"].keys() == {"city", "temperature"}
    assert fmt["schema"]["additionalProperties"] is False

    # The same through the streaming helper, which parses the joined deltas.
    backend.reset()
    backend.reply(
        '{"city":"Oslo","temperature":-3}', deltas=['{"city":"Oslo",', '"temperature":-3}']
    )
    with client.chat.completions.stream(
        model=CLASSIC,
        messages=[{"role": "user", "content": "Weather in Oslo as JSON."}],
        response_format=Weather,
    ) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    assert final.choices[0].message.parsed == Weather(city="Oslo", temperature=-3)
    assert only(backend)["text"]["format"]["name"] == "Weather"


# -- responses ---------------------------------------------------------------------------------


def test_responses_non_streamed(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    backend.reply("Hello from Responses.")
    response = client.responses.create(
        model=CLASSIC, instructions="Be brief.", input="hi", reasoning={"effort": "low"}
    )
    assert response.object == "response"
    assert response.status == "completed"
    assert response.model == CLASSIC
    assert response.output_text == "Hello from Responses."
    assert response.output[-1].type == "message"
    assert response.usage is not None
    assert response.usage.output_tokens > 0
    body = only(backend)
    assert_wire(body)
    assert body["instructions"] == "Be brief."
    assert body["reasoning"]["effort"] == "low"
    (user,) = messages(body)
    assert text_of(user) == "hi"


async def test_responses_streamed(aclient: openai.AsyncOpenAI, backend: FakeChatGPTBackend) -> None:
    backend.reply("Hello there!", deltas=["Hel", "lo ", "there!"], reasoning_summary="Greet.")
    async with aclient.responses.stream(model=CLASSIC, input="hi") as stream:
        deltas = [e.delta async for e in stream if e.type == "response.output_text.delta"]
        final = await stream.get_final_response()
    assert deltas == ["Hel", "lo ", "there!"]
    assert final.status == "completed"
    assert final.output_text == "Hello there!"
    # The proxy put the items back into response.completed (the backend sends output: []).
    assert [item.type for item in final.output] == ["reasoning", "message"]
    assert_wire(only(backend))

    backend.reset()
    backend.reply("Again.")
    events = await aclient.responses.create(model=CLASSIC, input="again", stream=True)
    kinds = [event.type async for event in events]
    assert kinds[0] == "response.created"
    assert kinds[-1] == "response.completed"
    assert "response.output_text.delta" in kinds
    assert text_of(messages(only(backend))[0]) == "again"


def test_responses_tools_with_a_second_turn(
    client: openai.OpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.reply(
        reasoning_summary="Use the tool.",
        tool_calls=[("get_weather", '{"city":"Paris"}', "call_r1")],
    )
    history: list[Any] = [{"role": "user", "content": "Weather in Paris?"}]
    include: Any = ["reasoning.encrypted_content"]
    first = client.responses.create(
        model=CLASSIC, input=history, tools=RESPONSES_TOOLS, include=include
    )
    assert [item.type for item in first.output] == ["reasoning", "function_call"]
    (call,) = [item for item in first.output if item.type == "function_call"]
    assert call.name == "get_weather"
    assert call.call_id == "call_r1"
    assert json.loads(call.arguments) == {"city": "Paris"}

    backend.reply("Sunny.")
    # The openai docs' way: the whole output replayed (its objects as they are), then the result.
    history += first.output
    history.append({"type": "function_call_output", "call_id": call.call_id, "output": "sunny"})
    second = client.responses.create(
        model=CLASSIC, input=history, tools=RESPONSES_TOOLS, include=include
    )
    assert second.output_text == "Sunny."

    one, two = sent(backend)
    assert one["tools"][0]["name"] == two["tools"][0]["name"] == "get_weather"
    assert one["include"] == two["include"] == include
    kinds = [item.get("type", "message") for item in two["input"]]
    assert kinds == ["message", "reasoning", "function_call", "function_call_output"]
    reasoning, replayed, output = two["input"][1:]
    # Replayed as a stateless backend needs: the encrypted reasoning, no item ids.
    assert reasoning["encrypted_content"] == first.output[0].encrypted_content  # type: ignore[union-attr]
    assert "id" not in reasoning
    assert "id" not in replayed
    assert replayed["call_id"] == output["call_id"] == "call_r1"
    assert replayed["arguments"] == call.arguments
    assert output["output"] == "sunny"


def test_responses_typeless_assistant_message(
    client: openai.OpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.reply("Third answer.")
    # The Vercel AI SDK's shape of an earlier answer: a message without "type": "message".
    assistant = {"role": "assistant", "content": [{"type": "output_text", "text": "First answer."}]}
    response = client.responses.create(
        model=CLASSIC,
        input=[
            {"role": "user", "content": [{"type": "input_text", "text": "first"}]},
            assistant,  # type: ignore[list-item]
            {"role": "user", "content": "second"},
        ],
    )
    assert response.output_text == "Third answer."
    body = only(backend)
    roles = [(item["role"], text_of(item)) for item in messages(body)]
    assert roles == [("user", "first"), ("assistant", "First answer."), ("user", "second")]
    (sent_assistant,) = messages(body, "assistant")
    assert sent_assistant["content"][0]["type"] == "output_text"


def test_responses_item_reference(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    """An ``item_reference`` is resolved from the proxy's response store, or, without one,
    refused with a 400 that names the id; never a field error, never sent on as it is."""
    backend.reply("Remember me.")
    first = client.responses.create(model=CLASSIC, input="hi")
    item_id = first.output[-1].id
    assert item_id
    before = len(posts(backend))
    backend.reply("Resolved.")
    reference: Any = {"type": "item_reference", "id": item_id}
    refused: openai.BadRequestError | None = None
    try:
        second = client.responses.create(
            model=CLASSIC, input=[{"role": "user", "content": "hi"}, reference]
        )
    except openai.BadRequestError as exc:
        refused = exc
    if refused is not None:  # no response store: the documented 400, naming the id
        assert refused.status_code == 400
        assert item_id in refused.message
        assert "store" in refused.message
        assert "Field required" not in refused.message
        assert len(posts(backend)) == before
    else:  # a response store: the reference became the stored message
        assert second.output_text == "Resolved."
        body = sent(backend)[-1]
        assert not [i for i in body["input"] if i.get("type") == "item_reference"]
        assert "Remember me." in [text_of(m) for m in messages(body, "assistant")]

    # An id nobody stored is a 400 naming it, store or no store; nothing reaches the backend.
    backend.reset()
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(
            model=CLASSIC,
            input=[
                {"type": "item_reference", "id": "msg_never_stored"},
                {"role": "user", "content": "hi"},
            ],
        )
    assert caught.value.status_code == 400
    assert "msg_never_stored" in caught.value.message
    assert posts(backend) == []


def test_responses_input_image(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    backend.reply("A dot.")
    response = client.responses.create(
        model=CLASSIC,
        input=[
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "What is this?"},
                    {"type": "input_image", "image_url": DATA_URL, "detail": "auto"},
                ],
            }
        ],
    )
    assert response.output_text == "A dot."
    (user,) = messages(only(backend), "user")
    assert user["content"][1] == {"type": "input_image", "image_url": DATA_URL, "detail": "auto"}


def test_responses_structured_output(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    backend.reply('{"city":"Oslo","temperature":-3}')
    response = client.responses.parse(
        model=CLASSIC, input="Weather in Oslo as JSON.", text_format=Weather
    )
    assert response.output_parsed == Weather(city="Oslo", temperature=-3)
    fmt = only(backend)["text"]["format"]
    assert fmt["type"] == "json_schema"
    assert fmt["name"] == "Weather"
    assert fmt["strict"] is True
    assert fmt["schema"]["required"] == ["city", "temperature"]


async def test_responses_streamed_tool_call(
    aclient: openai.AsyncOpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Bern"}', "call_s2")])
    async with aclient.responses.stream(
        model=CLASSIC, input="Weather in Bern?", tools=RESPONSES_TOOLS
    ) as stream:
        arguments = "".join(
            [e.delta async for e in stream if e.type == "response.function_call_arguments.delta"]
        )
        final = await stream.get_final_response()
    assert json.loads(arguments) == {"city": "Bern"}
    (call,) = final.output
    assert call.type == "function_call"
    assert (call.name, call.call_id, call.arguments) == ("get_weather", "call_s2", arguments)
    assert only(backend)["tools"][0]["name"] == "get_weather"


def test_strict_pydantic_function_tools(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    """``openai.pydantic_function_tool`` (strict schemas), parsed back by both ``parse`` helpers."""
    tool = openai.pydantic_function_tool(Weather)
    backend.reply(tool_calls=[("Weather", '{"city":"Kyiv","temperature":4}', "call_p1")])
    chat = client.chat.completions.parse(
        model=CLASSIC, messages=[{"role": "user", "content": "Kyiv?"}], tools=[tool]
    )
    (chat_call,) = chat.choices[0].message.tool_calls or []
    assert chat_call.function.parsed_arguments == Weather(city="Kyiv", temperature=4)

    backend.reply(tool_calls=[("Weather", '{"city":"Kyiv","temperature":5}', "call_p2")])
    # responses.parse takes the same tool and sends it in the Responses shape.
    response = client.responses.parse(model=CLASSIC, input="Kyiv?", tools=[tool])
    (call,) = response.output
    assert call.type == "function_call"
    assert call.parsed_arguments == Weather(city="Kyiv", temperature=5)

    for body in sent(backend):
        (sent_tool,) = body["tools"]
        assert sent_tool["name"] == "Weather"
        assert sent_tool["strict"] is True
        assert sent_tool["parameters"]["additionalProperties"] is False


# -- Responses Lite (gpt-6.2-sol) ----------------------------------------------------------------


async def test_lite_chat_tools_with_a_second_turn(
    aclient: openai.AsyncOpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Rome"}', "call_l1")])
    history: list[Any] = [
        {"role": "system", "content": "Use tools."},
        {"role": "user", "content": "Weather in Rome?"},
    ]
    stream = await aclient.chat.completions.create(
        model=LITE, messages=history, tools=CHAT_TOOLS, stream=True
    )
    name, arguments, call_id = "", "", None
    async for chunk in stream:
        for delta in chunk.choices[0].delta.tool_calls or [] if chunk.choices else []:
            call_id = delta.id or call_id
            if delta.function is not None:
                name += delta.function.name or ""
                arguments += delta.function.arguments or ""
    assert (name, json.loads(arguments), call_id) == ("get_weather", {"city": "Rome"}, "call_l1")

    backend.reply("Warm in Rome.")
    history += [
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": arguments},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call_id, "content": "warm"},
    ]
    second = await aclient.chat.completions.create(model=LITE, messages=history, tools=CHAT_TOOLS)
    assert second.choices[0].message.content == "Warm in Rome."

    one, two = (assert_lite_wire(q) for q in posts(backend))
    assert additional_tool_names(one) == additional_tool_names(two) == ["get_weather"]
    # The instructions travel in the input (Lite has no top-level field).
    assert any("Use tools." in text_of(m) for m in messages(one) if m["role"] != "user")
    calls = [i for i in two["input"] if i.get("type") == "function_call"]
    outputs = [i for i in two["input"] if i.get("type") == "function_call_output"]
    assert [c["call_id"] for c in calls] == [o["call_id"] for o in outputs] == ["call_l1"]
    assert outputs[0]["output"] == "warm"


def test_lite_responses_tools_with_a_second_turn(
    client: openai.OpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Lima"}', "call_l2")])
    history: list[Any] = [{"role": "user", "content": "Weather in Lima?"}]
    first = client.responses.create(
        model=LITE, instructions="Use tools.", input=history, tools=RESPONSES_TOOLS
    )
    (call,) = [item for item in first.output if item.type == "function_call"]
    assert call.name == "get_weather"
    assert json.loads(call.arguments) == {"city": "Lima"}

    backend.reply("Mild in Lima.")
    history += first.output
    history.append({"type": "function_call_output", "call_id": call.call_id, "output": "mild"})
    second = client.responses.create(
        model=LITE, instructions="Use tools.", input=history, tools=RESPONSES_TOOLS
    )
    assert second.output_text == "Mild in Lima."

    one, two = (assert_lite_wire(q) for q in posts(backend))
    assert additional_tool_names(one) == additional_tool_names(two) == ["get_weather"]
    outputs = [i for i in two["input"] if i.get("type") == "function_call_output"]
    assert [o["call_id"] for o in outputs] == [call.call_id]


# -- errors ------------------------------------------------------------------------------------


def test_usage_limit_is_a_rate_limit_error(
    client: openai.OpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.usage_limit(plan_type="plus", resets_in_seconds=600)
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model=CLASSIC, messages=[{"role": "user", "content": "hi"}])
    error = caught.value
    assert error.status_code == 429
    assert error.code == "usage_limit_reached"
    assert 0 < int(error.response.headers["retry-after"]) <= 600
    assert isinstance(error.body, dict)
    assert error.body.get("plan_type") == "plus"
    assert len(posts(backend)) == 1


async def test_usage_limit_streamed_is_a_rate_limit_error(
    aclient: openai.AsyncOpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.usage_limit()
    with pytest.raises(openai.RateLimitError) as caught:
        await aclient.responses.create(model=CLASSIC, input="hi", stream=True)
    assert caught.value.status_code == 429
    assert len(posts(backend)) == 1


def test_backend_400_is_a_bad_request_error(
    client: openai.OpenAI, backend: FakeChatGPTBackend
) -> None:
    backend.error(
        400,
        {
            "error": {
                "message": "Invalid 'input[0].content': too long.",
                "type": "invalid_request_error",
                "param": "input",
                "code": None,
            }
        },
    )
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model=CLASSIC, input="hi")
    assert caught.value.status_code == 400
    assert "too long" in caught.value.message
    assert len(posts(backend)) == 1


def test_invalid_request_is_a_bad_request_error_and_not_sent(
    client: openai.OpenAI, backend: FakeChatGPTBackend
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=CLASSIC, messages=[{"role": "nobody", "content": "x"}])  # type: ignore[misc, list-item]
    assert caught.value.status_code == 400
    assert "messages" in caught.value.message
    assert posts(backend) == []


def test_invalid_model(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    # A name the backend does not serve: its 400, with its message.
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="gpt-nonexistent", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.status_code == 400
    assert "gpt-nonexistent" in caught.value.message
    assert only(backend)["model"] == "gpt-nonexistent"
    # A name that is not a model name at all: refused by the proxy, nothing sent.
    backend.reset()
    with pytest.raises(openai.BadRequestError) as bad:
        client.responses.create(model="not a model", input="hi")
    assert bad.value.status_code == 400
    assert bad.value.param == "model"
    assert posts(backend) == []


async def test_failure_mid_stream_raises_api_error(
    aclient: openai.AsyncOpenAI, backend: FakeChatGPTBackend
) -> None:
    received: list[Any] = []

    async def read(kind: str) -> None:
        if kind == "chat":
            stream: Any = await aclient.chat.completions.create(
                model=CLASSIC, messages=[{"role": "user", "content": "hi"}], stream=True
            )
        else:
            stream = await aclient.responses.create(model=CLASSIC, input="hi", stream=True)
        async for event in stream:
            received.append(event)

    for kind in ("chat", "responses"):
        backend.reset()
        received.clear()
        backend.failed(text="Partial")
        with pytest.raises(openai.APIError) as caught:
            await read(kind)
        assert "overloaded" in caught.value.message.lower(), kind
        assert received, kind  # what came before the failure arrived
        assert len(posts(backend)) == 1


def test_models_list(client: openai.OpenAI, backend: FakeChatGPTBackend) -> None:
    names = [model.id for model in client.models.list()]
    assert CLASSIC in names
    assert LITE in names
    assert client.models.retrieve(CLASSIC).id == CLASSIC
    assert posts(backend) == []
    assert any(q.path == BASE_PATH + "/models" for q in backend.requests)
