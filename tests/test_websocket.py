"""The WebSocket transport against the fake backend served on loopback, sync and async.

The same scenarios run over both transports (``transport`` parameter): the caller sees the same
results, events, errors and usage windows. The WebSocket-only behaviour follows: chained turns
that send only new items (the fake refuses a resent prefix with ``strict_chaining``), a chain
lost with its connection, the connection limit, the fallback to HTTP SSE, and the frames next to
what Codex 0.171 sent (``shared/reference/captures/websocket-*.json``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from chatgpt_sdk import AsyncChatGPT, ChatGPT, errors
from chatgpt_sdk.auth import Credentials, StaticTokenProvider
from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend, RecordedRequest

WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather for a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["sse", "websocket"])
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def backend() -> Iterator[FakeChatGPTBackend]:
    fake = FakeChatGPTBackend()
    with fake.serve() as server:
        fake.base = server.url + BASE_PATH  # type: ignore[attr-defined]
        fake.server = server  # type: ignore[attr-defined]
        yield fake


@dataclass
class Ops:
    """One client's operations, awaited alike for the sync and the async client."""

    client: ChatGPT | AsyncChatGPT
    create: Callable[..., Awaitable[Any]]
    stream: Callable[..., Awaitable[list[Any]]]
    prewarm: Callable[..., Awaitable[bool]]
    chat: Callable[..., Awaitable[Any]]
    chat_chunks: Callable[..., Awaitable[list[Any]]]


def client_kwargs(backend: FakeChatGPTBackend, **kw: Any) -> dict[str, Any]:
    return {
        "token_provider": StaticTokenProvider(backend.access_token, account_id=backend.account_id),
        "base_url": backend.base,  # type: ignore[attr-defined]
        "model_catalog": backend.model_catalog,
        **kw,
    }


def drive(mode: str, kwargs: dict[str, Any], scenario: Callable[[Ops], Awaitable[Any]]) -> Any:
    """Run ``scenario`` with one client (sync calls made from a coroutine, or the async client),
    all on one event loop so the async client's connections live through the scenario."""
    if mode == "sync":
        sync = ChatGPT(**kwargs)

        async def create(**kw: Any) -> Any:
            return sync.responses.create(**kw)

        async def stream(**kw: Any) -> list[Any]:
            return list(sync.responses.create(stream=True, **kw))

        async def prewarm(**kw: Any) -> bool:
            return sync.responses.prewarm(**kw)

        async def chat(**kw: Any) -> Any:
            return sync.chat.completions.create(**kw)

        async def chat_chunks(**kw: Any) -> list[Any]:
            return list(sync.chat.completions.create(stream=True, **kw))

        try:
            return asyncio.run(scenario(Ops(sync, create, stream, prewarm, chat, chat_chunks)))
        finally:
            sync.close()

    async def main() -> Any:
        async with AsyncChatGPT(**kwargs) as aclient:

            async def stream(**kw: Any) -> list[Any]:
                return [e async for e in await aclient.responses.create(stream=True, **kw)]

            async def chat_chunks(**kw: Any) -> list[Any]:
                return [c async for c in await aclient.chat.completions.create(stream=True, **kw)]

            ops = Ops(
                aclient,
                aclient.responses.create,
                stream,
                aclient.responses.prewarm,
                aclient.chat.completions.create,
                chat_chunks,
            )
            return await scenario(ops)

    return asyncio.run(main())


def sent(backend: FakeChatGPTBackend) -> list[RecordedRequest]:
    return [q for q in backend.requests if q.path == BASE_PATH + "/responses"]


def frames(backend: FakeChatGPTBackend) -> list[dict[str, Any]]:
    return [q.json for q in sent(backend) if q.transport == "websocket"]


# -- the same over both transports ---------------------------------------------------------------


def test_replies_events_and_the_bridge_are_the_same(
    mode: str, transport: str, backend: FakeChatGPTBackend
) -> None:
    async def scenario(ops: Ops) -> dict[str, Any]:
        backend.reply("Hello there.", deltas=["Hello", " there."])
        text = (await ops.create(model="gpt-5.5", input="hi")).output_text
        backend.reply("Streamed.", deltas=["Stream", "ed."])
        events = await ops.stream(model="gpt-6.2-sol", input="hi")
        backend.reply("Checking.", tool_calls=[("get_weather", '{"city":"Paris"}', "call_1")])
        calls = (await ops.create(model="gpt-5.5", input="weather?", tools=[WEATHER])).output
        backend.reply("Chat.")
        completion = await ops.chat(model="gpt-5.5", messages=[{"role": "user", "content": "x"}])
        backend.reply("Chunks.", deltas=["Chu", "nks."])
        chunks = await ops.chat_chunks(
            model="gpt-6.2-sol", messages=[{"role": "user", "content": "y"}]
        )
        return {
            "text": text,
            "types": [e.type for e in events],
            "deltas": [e.delta for e in events if e.type == "response.output_text.delta"],
            "call": [(i.type, getattr(i, "call_id", None)) for i in calls],
            "chat": completion.choices[0].message.content,
            "chunks": "".join(c.choices[0].delta.content or "" for c in chunks if c.choices),
            "transport": ops.client.transport,
            "limits": ops.client.rate_limits,
        }

    seen = drive(mode, client_kwargs(backend, transport=transport), scenario)
    assert seen["text"] == "Hello there."
    assert seen["types"][0] == "response.created"
    assert seen["types"][-1] == "response.completed"
    assert seen["deltas"] == ["Stream", "ed."]
    assert ("function_call", "call_1") in seen["call"]
    assert seen["chat"] == "Chat."
    assert seen["chunks"] == "Chunks."
    assert seen["transport"] == transport
    # The usage windows: from headers over HTTP, from codex.rate_limits frames over WebSocket.
    assert seen["limits"].primary.used_percent == 12.0
    assert seen["limits"].secondary.window_minutes == 10080
    kinds = {q.transport for q in sent(backend)}
    assert kinds == {"http" if transport == "sse" else "websocket"}


def test_status_errors_are_the_same_typed_errors(
    mode: str, transport: str, backend: FakeChatGPTBackend
) -> None:
    async def scenario(ops: Ops) -> list[Any]:
        out: list[Any] = []
        backend.error(400, {"detail": "Unsupported parameter: foo"})
        try:
            await ops.create(model="gpt-5.5", input="a")
        except errors.BadRequestError as exc:
            out.append(exc)
        backend.usage_limit(plan_type="pro", resets_at=int(time.time()) + 3600)
        try:
            await ops.create(model="gpt-5.5", input="b")
        except errors.UsageLimitError as exc:
            out.append(exc)
        out.append(ops.client.rate_limits)
        backend.error(500, {"detail": "oops"})
        out.append((await ops.create(model="gpt-5.5", input="c")).output_text)  # retried
        return out

    bad, limit, limits, retried = drive(mode, client_kwargs(backend, transport=transport), scenario)
    assert isinstance(bad, errors.UnsupportedParameterError)
    assert bad.status_code == 400
    assert list(bad.parameters) == ["foo"]
    assert limit.status_code == 429
    assert limit.plan_type == "pro"
    assert limit.resets_at is not None
    assert abs(limit.resets_at.timestamp() - time.time() - 3600) < 60
    assert limits.primary.used_percent == 100.0  # the 429's headers, as HTTP carries them
    assert retried == "You said: c"


class _FlakyToken:
    """First an expired token, then (on the forced refresh) the good one."""

    def __init__(self, backend: FakeChatGPTBackend) -> None:
        self.backend = backend
        self.calls: list[bool] = []

    def credentials(self, force_refresh: bool = False) -> Credentials:
        self.calls.append(force_refresh)
        token = self.backend.access_token if force_refresh else "expired"
        return Credentials(access_token=token, account_id=self.backend.account_id)

    async def acredentials(self, force_refresh: bool = False) -> Credentials:
        return self.credentials(force_refresh)


def test_a_401_refreshes_once_over_both_transports(
    mode: str, transport: str, backend: FakeChatGPTBackend
) -> None:
    provider = _FlakyToken(backend)

    async def scenario(ops: Ops) -> str:
        return str((await ops.create(model="gpt-5.5", input="hi")).output_text)

    kwargs = client_kwargs(backend, transport=transport, token_provider=provider)
    kwargs["model_catalog"] = None  # the catalog is read with the expired token first, too
    assert drive(mode, kwargs, scenario) == "You said: hi"
    assert provider.calls[-2:] == [False, True]


def test_a_silence_past_the_idle_timeout_drops_the_stream(
    mode: str, transport: str, backend: FakeChatGPTBackend
) -> None:
    async def scenario(ops: Ops) -> tuple[BaseException, float]:
        backend.stall(3.0, after_events=3)
        started = time.monotonic()
        with pytest.raises(errors.StreamError) as info:
            await ops.stream(model="gpt-5.5", input="hi")
        return info.value, time.monotonic() - started

    kwargs = client_kwargs(backend, transport=transport, stream_idle_timeout=0.4, max_retries=0)
    error, elapsed = drive(mode, kwargs, scenario)
    assert "idle timeout" in str(error) or "timed out" in str(error)
    assert elapsed < 2.5  # dropped after the idle timeout, not when the silence ended


def read_slowly(client: ChatGPT) -> str:
    text = ""
    for event in client.responses.create(model="gpt-5.5", input="hi", stream=True):
        time.sleep(0.3)  # the consumer is slow; the backend sent everything
        text += getattr(event, "delta", "") if event.type.endswith("text.delta") else ""
    return text


def test_time_the_reader_spends_between_events_is_not_idle_time(
    mode: str, transport: str, backend: FakeChatGPTBackend
) -> None:
    async def scenario(ops: Ops) -> str:
        backend.reply("Slowly read.", deltas=["Slowly", " read", "."])
        text = ""
        if isinstance(ops.client, AsyncChatGPT):
            async for event in await ops.client.responses.create(
                model="gpt-5.5", input="hi", stream=True
            ):
                await asyncio.sleep(0.3)  # the consumer is slow; the backend sent everything
                text += getattr(event, "delta", "") if event.type.endswith("text.delta") else ""
        else:
            text = read_slowly(ops.client)
        return text

    kwargs = client_kwargs(backend, transport=transport, stream_idle_timeout=0.2, max_retries=0)
    assert drive(mode, kwargs, scenario) == "Slowly read."


def test_cancelling_a_read_is_a_cancellation_not_a_timeout(backend: FakeChatGPTBackend) -> None:
    async def main() -> None:
        kwargs = client_kwargs(backend, transport="websocket", stream_idle_timeout=30.0)
        async with AsyncChatGPT(**kwargs) as client:
            backend.stall(5.0, after_events=2)
            stream = await client.responses.create(model="gpt-5.5", input="hi", stream=True)

            async def read() -> None:
                async for _ in stream:
                    pass

            task = asyncio.ensure_future(read())
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert client.transport == "websocket"

    asyncio.run(main())


# -- incremental turns ---------------------------------------------------------------------------


async def tool_loop(
    ops: Ops, backend: FakeChatGPTBackend, turns: int, history: list[Any] | None = None
) -> tuple[list[str], list[Any]]:
    """``turns`` turns of an agent loop: each reply is a tool call, each next request replays
    the reply's items and adds the tool's output. Returns the response ids and the history."""
    history = history or [{"role": "user", "content": "Weather in 20 cities, one by one."}]
    ids = []
    for turn in range(turns):
        call_id = f"call_{len(ids)}_{len(history)}"
        backend.reply(tool_calls=[("get_weather", json.dumps({"city": f"c{turn}"}), call_id)])
        response = await ops.create(model="gpt-5.5", input=history, tools=[WEATHER])
        ids.append(response.id)
        history = [*history, *response.output]  # the items themselves, as a caller replays them
        history.append({"type": "function_call_output", "call_id": call_id, "output": "sunny"})
    return ids, history


def test_a_20_turn_tool_loop_sends_only_the_new_items(
    mode: str, backend: FakeChatGPTBackend
) -> None:
    backend.strict_chaining = True  # a resent prefix is refused

    async def scenario(ops: Ops) -> list[str]:
        ids, _ = await tool_loop(ops, backend, 20)
        return ids

    ids = drive(mode, client_kwargs(backend, transport="websocket"), scenario)
    sent_frames = frames(backend)
    assert len(sent_frames) == 20
    assert "previous_response_id" not in sent_frames[0]
    assert len(sent_frames[0]["input"]) == 1
    for index, frame in enumerate(sent_frames[1:], 1):
        assert frame["previous_response_id"] == ids[index - 1]
        assert [item["type"] for item in frame["input"]] == ["function_call_output"]
    records = sent(backend)
    assert {q.connection for q in records} == {1}  # one connection throughout
    assert len(records[-1].input) == 1 + 2 * 19  # the backend saw the whole conversation
    assert len(backend.handshakes) == 1


def test_the_same_loop_over_sse_sends_everything_each_turn(
    mode: str, backend: FakeChatGPTBackend
) -> None:
    async def scenario(ops: Ops) -> None:
        await tool_loop(ops, backend, 5)

    drive(mode, client_kwargs(backend, transport="sse"), scenario)
    assert [len(q.json["input"]) for q in sent(backend)] == [1, 3, 5, 7, 9]


def test_concurrent_requests_keep_their_connections_for_the_next_wave(
    backend: FakeChatGPTBackend,
) -> None:
    """A service answering 30 callers at once opens at most 30 connections, then reuses them:
    none is closed for want of room in the pool (each reopening costs a TLS and upgrade round
    trip)."""
    opened: list[int] = []

    async def main() -> None:
        kwargs = client_kwargs(backend, transport="websocket")
        async with AsyncChatGPT(**kwargs) as client:
            for _ in range(3):
                replies = await asyncio.gather(
                    *(client.responses.create(model="gpt-5.5", input=f"n{i}") for i in range(30))
                )
                assert [r.output_text for r in replies] == [f"You said: n{i}" for i in range(30)]
                opened.append(len(backend.handshakes))

    asyncio.run(main())
    assert opened[-1] <= 30
    assert opened[-1] == opened[-2]  # the third wave found every connection it needed


def test_a_connection_idle_past_the_expiry_is_closed_not_reused(
    mode: str, backend: FakeChatGPTBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chatgpt_sdk._transports import _ws_pool

    monkeypatch.setattr(_ws_pool, "IDLE_EXPIRY", 0.3)

    async def scenario(ops: Ops) -> None:
        await ops.create(model="gpt-5.5", input="one")
        await ops.create(model="gpt-5.5", input="two")  # at once: the same connection
        await asyncio.sleep(0.5)
        await ops.create(model="gpt-5.5", input="three")  # idle too long: a new one

    drive(mode, client_kwargs(backend, transport="websocket"), scenario)
    assert [q.connection for q in sent(backend)] == [1, 1, 2]
    assert len(backend.handshakes) == 2


def test_a_chain_lost_with_its_connection_becomes_the_full_input(
    mode: str, backend: FakeChatGPTBackend
) -> None:
    async def scenario(ops: Ops) -> str:
        _, history = await tool_loop(ops, backend, 2)
        backend.server.close_websockets()  # type: ignore[attr-defined]  # the backend went away
        await asyncio.sleep(0.1)
        backend.reply("Done.")
        result = await ops.create(model="gpt-5.5", input=history, tools=[WEATHER])
        return str(result.output_text)

    assert drive(mode, client_kwargs(backend, transport="websocket"), scenario) == "Done."
    records = sent(backend)
    assert [q.connection for q in records] == [1, 1, 2]
    last = records[-1].json
    assert "previous_response_id" not in last
    assert len(last["input"]) == 5  # the whole conversation, on the new connection


def test_an_unknown_previous_response_is_refused_by_the_fake(
    backend: FakeChatGPTBackend,
) -> None:
    from websockets.sync.client import connect

    url = backend.base.replace("http://", "ws://") + "/responses"  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {backend.access_token}"}
    with connect(url, additional_headers=headers) as ws:
        ws.send(
            json.dumps(
                {
                    "type": "response.create",
                    "model": "gpt-5.5",
                    "previous_response_id": "resp_elsewhere",
                    "input": [],
                    "store": False,
                    "stream": True,
                }
            )
        )
        frame = json.loads(ws.recv(timeout=5))
    assert frame["type"] == "error"
    assert frame["status"] == 400
    assert frame["error"]["code"] == "previous_response_not_found"


def test_the_connection_limit_is_met_with_a_new_connection(
    mode: str, backend: FakeChatGPTBackend
) -> None:
    backend.websocket_max_age = 0.5

    async def scenario(ops: Ops) -> list[str]:
        backend.reply("first")
        first = (await ops.create(model="gpt-5.5", input="a")).output_text
        await asyncio.sleep(0.7)
        backend.reply("second")
        second = (await ops.create(model="gpt-5.5", input="b")).output_text
        return [first, second]

    assert drive(mode, client_kwargs(backend, transport="websocket"), scenario) == [
        "first",
        "second",
    ]
    records = sent(backend)
    # The second request met the limit on connection 1, then went out again on connection 2.
    assert [q.connection for q in records] == [1, 1, 2]
    assert len(backend.handshakes) == 2


def test_the_client_replaces_a_connection_before_the_limit(
    mode: str, backend: FakeChatGPTBackend
) -> None:
    async def scenario(ops: Ops) -> None:
        ops.client._transport().max_age = 0.3  # type: ignore[union-attr]
        await ops.create(model="gpt-5.5", input="a")
        await asyncio.sleep(0.4)
        await ops.create(model="gpt-5.5", input="b")

    drive(mode, client_kwargs(backend, transport="websocket"), scenario)
    assert [q.connection for q in sent(backend)] == [1, 2]  # no error frame was needed


def test_a_dropped_stream_is_sent_again_on_a_new_connection(
    mode: str, backend: FakeChatGPTBackend
) -> None:
    async def scenario(ops: Ops) -> str:
        backend.drop_after(4, text="cut short")
        return str((await ops.create(model="gpt-5.5", input="hi")).output_text)

    assert drive(mode, client_kwargs(backend, transport="websocket"), scenario) == "You said: hi"
    assert [q.connection for q in sent(backend)] == [1, 2]


def test_a_streamed_drop_keeps_the_partial_text(mode: str, backend: FakeChatGPTBackend) -> None:
    async def scenario(ops: Ops) -> errors.StreamError:
        backend.drop_after(6, text="partial text here")
        try:
            await ops.stream(model="gpt-5.5", input="x")
        except errors.StreamError as exc:
            return exc
        raise AssertionError("no StreamError")

    error = drive(mode, client_kwargs(backend, transport="websocket"), scenario)
    assert error.partial_text
    assert "partial text here".startswith(error.partial_text)


def test_prewarm_chains_the_first_turn(mode: str, backend: FakeChatGPTBackend) -> None:
    system = {"role": "developer", "content": "You are terse."}

    async def scenario(ops: Ops) -> bool:
        warmed = await ops.prewarm(model="gpt-5.5", input=[system], tools=[WEATHER])
        await ops.create(
            model="gpt-5.5", input=[system, {"role": "user", "content": "hi"}], tools=[WEATHER]
        )
        return bool(warmed)

    assert drive(mode, client_kwargs(backend, transport="websocket"), scenario) is True
    warm, turn = frames(backend)
    assert warm["generate"] is False
    assert "previous_response_id" not in warm
    assert turn["previous_response_id"].startswith("resp_")
    assert turn["input"] == [{"role": "user", "content": "hi"}]
    assert "generate" not in turn


def test_prewarm_over_sse_sends_nothing(mode: str, backend: FakeChatGPTBackend) -> None:
    async def scenario(ops: Ops) -> bool:
        return bool(await ops.prewarm(model="gpt-5.5", input="hi"))

    assert drive(mode, client_kwargs(backend, transport="sse"), scenario) is False
    assert sent(backend) == []


# -- choosing the transport, and falling back ----------------------------------------------------


def test_a_refused_upgrade_falls_back_to_sse_for_the_client(
    mode: str, backend: FakeChatGPTBackend, caplog: pytest.LogCaptureFixture
) -> None:
    backend.websocket = False  # the upgrade is answered 426

    async def scenario(ops: Ops) -> list[Any]:
        texts = [(await ops.create(model="gpt-5.5", input=f"q{i}")).output_text for i in range(3)]
        return [*texts, ops.client.transport]

    with caplog.at_level(logging.WARNING, logger="chatgpt_sdk"):
        seen = drive(mode, client_kwargs(backend), scenario)
    assert seen == ["You said: q0", "You said: q1", "You said: q2", "sse"]
    assert len(backend.handshakes) == 1  # tried once, then HTTP for the client's life
    assert {q.transport for q in sent(backend)} == {"http"}
    assert "HTTP 426" in caplog.text
    assert "HTTP SSE from now on" in caplog.text


def test_an_explicit_websocket_transport_does_not_fall_back(
    mode: str, backend: FakeChatGPTBackend
) -> None:
    backend.websocket = False

    async def scenario(ops: Ops) -> None:
        await ops.create(model="gpt-5.5", input="x")

    with pytest.raises(errors.APIConnectionError, match="HTTP 426"):
        drive(mode, client_kwargs(backend, transport="websocket", max_retries=0), scenario)


def test_auto_uses_the_websocket_on_the_codex_backend(backend: FakeChatGPTBackend) -> None:
    with ChatGPT(**client_kwargs(backend)) as client:
        assert client.transport == "websocket"
        assert client.responses.create(model="gpt-5.5", input="x").output_text
    assert sent(backend)[-1].transport == "websocket"


def test_auto_keeps_to_a_given_http_client_and_the_environment(
    backend: FakeChatGPTBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ChatGPT(**client_kwargs(backend), http_client=httpx.Client()) as client:
        assert client.transport == "sse"
    monkeypatch.setenv("CHATGPT_TRANSPORT", "sse")
    with ChatGPT(**client_kwargs(backend)) as client:
        assert client.transport == "sse"
    with ChatGPT(**client_kwargs(backend), transport="websocket") as client:
        assert client.transport == "websocket"  # an argument beats the environment
    monkeypatch.setenv("CHATGPT_TRANSPORT", "carrier-pigeon")
    with pytest.raises(ValueError, match="CHATGPT_TRANSPORT"):
        ChatGPT(**client_kwargs(backend))
    with pytest.raises(ValueError, match="transport must be one of"):
        ChatGPT(**client_kwargs(backend), transport="pigeon")  # type: ignore[arg-type]


def test_the_official_backend_stays_on_sse() -> None:
    client = ChatGPT(
        token_provider=StaticTokenProvider("tok"), backend="official", transport="websocket"
    )
    assert client.transport == "sse"
    client.close()


def test_an_unreachable_backend_falls_back_at_once_under_auto() -> None:
    """No WebSocket ever connected: the same attempt goes over HTTP (here: nothing listens)."""
    client = ChatGPT(
        token_provider=StaticTokenProvider("tok", account_id="acc"),
        base_url="http://127.0.0.1:9/backend-api/codex",
        max_retries=0,
    )
    with pytest.raises(errors.APIConnectionError):
        client.responses.create(model="gpt-5.5", input="x")
    assert client.transport == "sse"
    client.close()


def test_a_stored_previous_response_id_chains_on_the_live_connection(
    mode: str, backend: FakeChatGPTBackend
) -> None:
    """A caller's previous_response_id: the response store expands it to the full input, and the
    WebSocket transport sends only the new items on the connection that holds the chain."""
    from chatgpt_sdk.stores import MemoryResponseStore

    backend.strict_chaining = True  # a resent prefix is refused

    async def scenario(ops: Ops) -> list[str]:
        ids = []
        previous = None
        for turn in range(4):
            backend.reply(f"answer {turn}")
            kw: dict[str, Any] = {"model": "gpt-5.5", "input": f"question {turn}"}
            if previous is not None:
                kw["previous_response_id"] = previous
            previous = (await ops.create(**kw)).id
            ids.append(previous)
        return ids

    store = MemoryResponseStore()
    ids = drive(mode, client_kwargs(backend, transport="websocket", response_store=store), scenario)
    sent_frames = frames(backend)
    assert [frame.get("previous_response_id") for frame in sent_frames] == [None, *ids[:-1]]
    assert all(len(frame["input"]) == 1 for frame in sent_frames)  # only the new question
    assert len(sent(backend)[-1].input) == 7  # the backend saw the whole conversation
    assert all(store.get(i) is not None for i in ids)


# -- the idle watch of async reads ----------------------------------------------------------------


async def _never() -> None:
    await asyncio.Event().wait()


def test_the_idle_watch_times_out_a_silent_read_and_leaves_no_cancellation() -> None:
    from chatgpt_sdk._transports.websocket_async import _IdleWatch

    async def main() -> float:
        watch = _IdleWatch(0.2)
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await watch.read(_never())
        watch.close()
        task = asyncio.current_task()
        assert task is not None
        if sys.version_info >= (3, 11):
            assert task.cancelling() == 0  # the task is not left half-cancelled
        return time.monotonic() - started

    assert 0.15 < asyncio.run(main()) < 1.5


@pytest.mark.skipif(sys.version_info < (3, 11), reason="uncancel() exists from Python 3.11")
def test_a_cancel_from_outside_at_the_moment_of_expiry_stays_a_cancellation() -> None:
    from chatgpt_sdk._transports.websocket_async import _IdleWatch

    async def main() -> None:
        watch = _IdleWatch(0.2)

        async def reader() -> str:
            try:
                await watch.read(_never())
            except TimeoutError:
                return "timed out"
            return "read"

        task = asyncio.ensure_future(reader())
        await asyncio.sleep(0.01)
        since = watch._since
        assert since is not None
        # In the same loop iteration as the watch's own check: both cancel the task.
        asyncio.get_running_loop().call_at(since + 0.2, task.cancel)
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())


def test_an_outer_timeout_shorter_than_the_idle_timeout_still_wins() -> None:
    from chatgpt_sdk._transports.websocket_async import _IdleWatch

    async def main() -> None:
        watch = _IdleWatch(5.0)
        # asyncio's own TimeoutError: a class apart from the builtin one before Python 3.11
        with pytest.raises((TimeoutError, asyncio.TimeoutError)):
            await asyncio.wait_for(watch.read(_never()), 0.1)
        watch.close()

    asyncio.run(main())
