"""The clients against FakeChatGPTBackend: in-process and over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from chatgpt_sdk import AsyncChatGPT, ChatGPT, errors
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.models import chat as c
from chatgpt_sdk.models import responses as r
from chatgpt_sdk.testing import FakeChatGPTBackend

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(mode: str, backend: FakeChatGPTBackend, op: Any, **client_kwargs: Any) -> Any:
    """Run ``op(client)`` with the sync client, or await it with the async one."""
    if mode == "sync":
        with backend.client(**client_kwargs) as client:
            return op(client)

    async def go() -> Any:
        async with backend.async_client(**client_kwargs) as client:
            result = op(client)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(go())


def test_reply_with_reasoning_text_and_tools_round_trips(mode: str) -> None:
    backend = FakeChatGPTBackend()
    backend.reply(
        text="Checking both.",
        reasoning_summary="**Two cities**",
        tool_calls=[("get_weather", '{"city":"Paris"}'), ("get_weather", '{"city":"Rome"}')],
    )
    result = run(
        mode,
        backend,
        lambda client: client.responses.create(
            model="gpt-5.5", input="weather?", reasoning={"effort": "low", "summary": "auto"}
        ),
    )
    kinds = [type(item) for item in result.output]
    assert kinds == [r.ReasoningItem, r.OutputMessage, r.FunctionToolCall, r.FunctionToolCall]
    assert result.output_text == "Checking both."
    assert result.output[0].encrypted_content
    sent = backend.last_request.json
    assert sent is not None
    assert sent["include"] == ["reasoning.encrypted_content"]


def test_second_turn_replays_output_and_the_fake_accepts_it(mode: str) -> None:
    """The fake rejects replayed ids with 404, like the backend; the normaliser strips them."""
    backend = FakeChatGPTBackend()
    backend.reply(text="Let me look.", tool_calls=[("get_weather", '{"city":"Paris"}')])
    backend.reply(text="Paris: 21 °C.")

    async def turn_async(client: AsyncChatGPT) -> r.Response:
        first = await client.responses.create(model="gpt-5.5", input="weather in Paris?")
        call = first.output[-1]
        history = [
            {"role": "user", "content": "weather in Paris?"},
            *first.output,
            {"type": "function_call_output", "call_id": call.call_id, "output": "21"},
        ]
        return await client.responses.create(model="gpt-5.5", input=history)

    def turn_sync(client: ChatGPT) -> r.Response:
        first = client.responses.create(model="gpt-5.5", input="weather in Paris?")
        call = first.output[-1]
        history = [
            {"role": "user", "content": "weather in Paris?"},
            *first.output,
            {"type": "function_call_output", "call_id": call.call_id, "output": "21"},
        ]
        return client.responses.create(model="gpt-5.5", input=history)

    second = run(mode, backend, turn_sync if mode == "sync" else turn_async)
    assert second.output_text == "Paris: 21 °C."
    replayed = backend.last_request.json["input"]  # type: ignore[index]
    assert all("id" not in item for item in replayed)


def test_fake_backend_rules_surface_as_typed_errors(mode: str) -> None:
    backend = FakeChatGPTBackend()
    with pytest.raises(errors.BadRequestError, match="not supported when using Codex"):
        run(mode, backend, lambda client: client.responses.create(model="gpt-4o", input="x"))
    backend.usage_limit(plan_type="pro", resets_in_seconds=600)
    with pytest.raises(errors.UsageLimitError) as info:
        run(mode, backend, lambda client: client.responses.create(model="gpt-5.5", input="x"))
    assert info.value.plan_type == "pro"
    assert info.value.rate_limits is not None


def test_failed_and_incomplete_through_the_fake(mode: str) -> None:
    backend = FakeChatGPTBackend()
    backend.failed(code="context_length_exceeded", message="Too long.")
    with pytest.raises(errors.ResponseFailedError) as info:
        run(mode, backend, lambda client: client.responses.create(model="gpt-5.5", input="x"))
    assert info.value.code == "context_length_exceeded"
    backend.incomplete(reason="max_output_tokens", text="Cut")
    result = run(mode, backend, lambda client: client.responses.create(model="gpt-5.5", input="x"))
    assert result.status == "incomplete"


def test_overloaded_failure_is_not_retried_but_transient_drop_is(mode: str) -> None:
    backend = FakeChatGPTBackend()
    backend.drop_after(0)
    backend.reply(text="second try")
    result = run(mode, backend, lambda client: client.responses.create(model="gpt-5.5", input="x"))
    assert result.output_text == "second try"
    assert len([r for r in backend.requests if r.path.endswith("/responses")]) == 2


def test_chat_completion_with_text_and_parallel_tool_calls(mode: str) -> None:
    backend = FakeChatGPTBackend()
    backend.reply(
        text="Both at once.",
        tool_calls=[("get_weather", '{"city":"Paris"}'), ("get_weather", '{"city":"Rome"}')],
    )
    completion = run(
        mode,
        backend,
        lambda client: client.chat.completions.create(
            model="gpt-5.5",
            messages=[
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Weather in Paris and Rome?"},
            ],
            tools=[WEATHER_TOOL],
            parallel_tool_calls=True,
        ),
    )
    assert isinstance(completion, c.ChatCompletion)
    assert len(completion.choices) == 1
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "Both at once."
    calls = choice.message.tool_calls
    assert calls is not None
    assert [json.loads(t.function.arguments)["city"] for t in calls] == ["Paris", "Rome"]
    sent = backend.last_request.json
    assert sent is not None
    assert sent["instructions"] == "Be brief."
    assert sent["tools"][0]["name"] == "get_weather"
    assert sent["parallel_tool_calls"] is True


def test_streamed_chat_has_one_choice_indices_0_1_and_one_finish_reason(mode: str) -> None:
    backend = FakeChatGPTBackend()
    backend.reply(
        text="Both.",
        tool_calls=[("get_weather", '{"city":"Paris"}'), ("get_weather", '{"city":"Rome"}')],
    )

    def sync_op(client: ChatGPT) -> list[c.ChatCompletionChunk]:
        return list(
            client.chat.completions.create(
                model="gpt-5.5",
                messages=[{"role": "user", "content": "hi"}],
                stream=True,
                stream_options={"include_usage": True},
            )
        )

    async def async_op(client: AsyncChatGPT) -> list[c.ChatCompletionChunk]:
        stream = await client.chat.completions.create(
            model="gpt-5.5",
            messages=[{"role": "user", "content": "hi"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        return [chunk async for chunk in stream]

    chunks = run(mode, backend, sync_op if mode == "sync" else async_op)
    assert len({chunk.id for chunk in chunks}) == 1
    assert all(len(chunk.choices) <= 1 for chunk in chunks)
    finishes = [
        ch.choices[0].finish_reason for ch in chunks if ch.choices and ch.choices[0].finish_reason
    ]
    assert finishes == ["tool_calls"]
    headers = [
        (tc.index, tc.id)
        for ch in chunks
        if ch.choices
        for tc in ch.choices[0].delta.tool_calls or []
        if tc.id
    ]
    assert [index for index, _ in headers] == [0, 1]
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
    assert text == "Both."
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None


def test_chat_unsupported_parameters_warn_and_strict_raises_before_sending() -> None:
    backend = FakeChatGPTBackend()
    with (
        backend.client() as client,
        pytest.warns(errors.UnsupportedParameterWarning, match="max_tokens"),
    ):
        client.chat.completions.create(
            model="gpt-5.5", messages=[{"role": "user", "content": "hi"}], max_tokens=10
        )
    assert "max_tokens" not in (backend.last_request.json or {})
    before = len(backend.requests)
    with backend.client(strict=True) as client, pytest.raises(errors.UnsupportedParameterError):
        client.chat.completions.create(
            model="gpt-5.5", messages=[{"role": "user", "content": "hi"}], temperature=0.3
        )
    assert len(backend.requests) == before


def test_models_list_from_the_fake(mode: str) -> None:
    backend = FakeChatGPTBackend()
    models = run(mode, backend, lambda client: client.models.list())
    assert "gpt-5.5" in [m.slug for m in models]


def test_over_real_http_on_loopback() -> None:
    """The same client over a real socket: chunked SSE, a mid-stream drop, the pool reused."""
    backend = FakeChatGPTBackend()
    with backend.serve() as server:
        base = server.url + "/backend-api/codex"
        provider = StaticTokenProvider(backend.access_token, account_id=backend.account_id)
        with ChatGPT(token_provider=provider, base_url=base) as client:
            backend.reply(text="over the wire", deltas=["over ", "the ", "wire"])
            with client.responses.stream(model="gpt-5.5", input="x") as stream:
                assert list(stream.text_deltas()) == ["over ", "the ", "wire"]
            backend.drop_after(6, text="partial text here")
            with pytest.raises(errors.StreamError) as info:
                list(client.responses.create(model="gpt-5.5", input="x", stream=True))
            assert info.value.partial_text
            assert "partial text here".startswith(info.value.partial_text)

        async def go() -> list[str]:
            async with AsyncChatGPT(token_provider=provider, base_url=base) as aclient:
                results = await asyncio.gather(
                    *(aclient.responses.create(model="gpt-5.5", input=f"n{i}") for i in range(8))
                )
                return [res.output_text for res in results]

        texts = asyncio.run(go())
        # Eight concurrent replies over one pool, each the answer to its own prompt.
        assert [text.endswith(f"n{i}") for i, text in enumerate(texts)] == [True] * 8
    with pytest.raises(errors.APIConnectionError):
        ChatGPT(token_provider=provider, base_url=base, max_retries=0).responses.create(
            model="gpt-5.5", input="x"
        )


def test_fake_rejects_what_the_normaliser_would_have_fixed() -> None:
    """Without the SDK's normaliser the backend's rules bite: proof the fake is strict."""
    backend = FakeChatGPTBackend()
    with httpx.Client(transport=backend.transport()) as http:
        answer = http.post(
            backend.base_url + "/responses",
            headers={"Authorization": f"Bearer {backend.access_token}"},
            json={
                "model": "gpt-5.5",
                "input": "x",
                "store": False,
                "stream": True,
                "instructions": "x",
            },
        )
    assert answer.status_code == 400
    assert answer.json() == {"detail": "Input must be a list"}


class _CountingTransport(httpx.HTTPTransport):
    """Counts new TCP connections through httpcore's documented ``trace`` extension."""

    def __init__(self) -> None:
        super().__init__()
        self.connects = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        def trace(name: str, info: dict[str, Any]) -> None:
            if name == "connection.connect_tcp.complete":
                self.connects += 1

        request.extensions["trace"] = trace
        return super().handle_request(request)


def test_connections_are_reused_after_complete_replies() -> None:
    """The body is read to its end after response.completed, so the connection is pooled."""
    backend = FakeChatGPTBackend()
    transport = _CountingTransport()
    with backend.serve() as server:
        provider = StaticTokenProvider(backend.access_token, account_id=backend.account_id)
        client = ChatGPT(
            token_provider=provider,
            base_url=server.url + "/backend-api/codex",
            http_client=httpx.Client(transport=transport),
        )
        for i in range(5):
            assert client.responses.create(model="gpt-5.5", input=f"q{i}").output_text
        for _ in client.responses.create(model="gpt-5.5", input="streamed", stream=True):
            pass
        client._http.close()
    assert transport.connects == 1
