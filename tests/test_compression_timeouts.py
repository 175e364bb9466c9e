"""zstd request bodies, and what ``timeout`` / ``stream_idle_timeout`` bound, against the fake.

Compression: bodies of at least 1024 bytes go out ``content-encoding: zstd`` (as Codex sends them);
the fake decodes them, so its recorded JSON must equal the plain body of the same request sent with
``compression=False``. Timeouts run over a real loopback server (``backend.serve()``): ``timeout``
bounds the wait for the reply's headers, ``stream_idle_timeout`` the gaps between events after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from chatgpt_sdk import AsyncChatGPT, ChatGPT, _core, errors
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend, RecordedRequest

LITE_MODEL = "gpt-6.2-sol"
CLASSIC_MODEL = "gpt-5.5"
ENV = "CHATGPT_REQUEST_COMPRESSION"
SESSION = "0e5d1c6a-7b7e-4c1e-9a55-5e55105e55fe"


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


def history(turns: int = 30) -> list[dict[str, Any]]:
    """A long conversation: ``turns`` user/assistant exchanges, then a question."""
    items: list[dict[str, Any]] = []
    for turn in range(turns):
        items.append({"role": "user", "content": f"Turn {turn}: what is {turn} squared, and why?"})
        items.append(
            {
                "role": "assistant",
                "content": f"{turn} squared is {turn * turn}, because {turn} times {turn} is "
                f"{turn * turn}. Anything else about the number {turn}?",
            }
        )
    items.append({"role": "user", "content": "And what was the first thing I asked?"})
    return items


def create(mode: str, backend: FakeChatGPTBackend, /, client: dict[str, Any], **kw: Any) -> Any:
    """One ``responses.create`` through an in-process client made with ``client`` kwargs."""
    if mode == "sync":
        with backend.client(**client) as sync:
            return sync.responses.create(**kw)

    async def go() -> Any:
        async with backend.async_client(**client) as aclient:
            return await aclient.responses.create(**kw)

    return asyncio.run(go())


def last_post(backend: FakeChatGPTBackend) -> RecordedRequest:
    posts = [q for q in backend.requests if q.path == BASE_PATH + "/responses"]
    assert posts
    return posts[-1]


# -- compression -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [LITE_MODEL, CLASSIC_MODEL])
def test_a_large_request_is_sent_zstd_and_decodes_to_the_plain_body(mode: str, model: str) -> None:
    backend = FakeChatGPTBackend()
    items = history()
    kw: dict[str, Any] = {"model": model, "input": items, "instructions": "Remember everything."}

    plain_result = create(mode, backend, {"session_id": SESSION, "compression": False}, **kw)
    plain = last_post(backend)
    packed_result = create(mode, backend, {"session_id": SESSION}, **kw)
    packed = last_post(backend)

    assert plain.content_encoding is None
    assert plain.json is not None  # the body was JSON as it came over the wire
    assert plain.wire_size >= 1024
    assert packed.content_encoding == "zstd"
    assert packed.headers["content-encoding"] == "zstd"
    assert packed.json == plain.json
    assert packed.wire_size < plain.wire_size
    # ...and that body is the conversation the caller meant to send, every turn of it.
    sent = [
        (item["role"], item["content"])
        for item in packed.json["input"]
        if item.get("role") in ("user", "assistant")
    ]
    assert sent == [(item["role"], item["content"]) for item in items]
    # The backend answered both alike: the compressed request was understood.
    assert packed_result.output_text == plain_result.output_text
    assert packed_result.output_text == "You said: And what was the first thing I asked?"


def test_small_bodies_are_not_compressed(mode: str) -> None:
    backend = FakeChatGPTBackend()
    result = create(mode, backend, {}, model=LITE_MODEL, input="hi")
    assert result.output_text == "You said: hi"
    sent = last_post(backend)
    assert sent.content_encoding is None
    assert "content-encoding" not in sent.headers
    assert sent.wire_size < 1024
    assert sent.json["input"][0]["content"][0]["text"] == "hi"


def test_the_threshold_is_1024_bytes_of_body() -> None:
    backend = FakeChatGPTBackend()
    plain = {"session_id": SESSION, "compression": False}
    create("sync", backend, plain, model=CLASSIC_MODEL, input="x" * 100)
    base = last_post(backend).wire_size - 100  # the body's size without the text
    for size, expected in ((1023, None), (1024, "zstd"), (1025, "zstd")):
        text = "x" * (size - base)
        create("sync", backend, plain, model=CLASSIC_MODEL, input=text)
        assert last_post(backend).wire_size == size  # the plain body is exactly this large
        create("sync", backend, {"session_id": SESSION}, model=CLASSIC_MODEL, input=text)
        assert last_post(backend).content_encoding == expected, size


@pytest.mark.parametrize("value", ["0", "false", "off", "no", "FALSE"])
def test_the_environment_turns_compression_off(
    mode: str, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(ENV, value)
    backend = FakeChatGPTBackend()
    create(mode, backend, {}, model=LITE_MODEL, input=history())
    sent = last_post(backend)
    assert sent.content_encoding is None
    assert sent.wire_size >= 1024


@pytest.mark.parametrize(
    ("env", "argument", "expected"),
    [
        (None, False, None),
        ("1", False, None),
        ("0", True, "zstd"),
        ("1", None, "zstd"),
        ("true", None, "zstd"),
    ],
)
def test_the_argument_beats_the_environment(
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
    env: str | None,
    argument: bool | None,
    expected: str | None,
) -> None:
    if env is not None:
        monkeypatch.setenv(ENV, env)
    backend = FakeChatGPTBackend()
    create(mode, backend, {"compression": argument}, model=LITE_MODEL, input=history())
    assert last_post(backend).content_encoding == expected


@pytest.mark.parametrize("client_class", [ChatGPT, AsyncChatGPT])
def test_an_invalid_environment_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, client_class: type[ChatGPT] | type[AsyncChatGPT]
) -> None:
    monkeypatch.setenv(ENV, "sometimes")
    with pytest.raises(ValueError, match=ENV) as info:
        client_class(token_provider=StaticTokenProvider("tok", account_id="acc"))
    assert "sometimes" in str(info.value)


def test_a_retry_resends_the_same_compressed_body(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_core, "sleep", lambda seconds: None)

    async def no_wait(seconds: float) -> None:
        return None

    monkeypatch.setattr(_core, "asleep", no_wait)
    backend = FakeChatGPTBackend()
    backend.error(500, {"detail": "Internal error"})
    result = create(mode, backend, {"max_retries": 1}, model=LITE_MODEL, input=history())
    assert result.output_text == "You said: And what was the first thing I asked?"
    first, second = [q for q in backend.requests if q.path == BASE_PATH + "/responses"]
    assert first.content_encoding == second.content_encoding == "zstd"
    assert first.json == second.json
    assert first.wire_size == second.wire_size


# -- timeouts over loopback ----------------------------------------------------------------------


@pytest.fixture
def served() -> Iterator[tuple[FakeChatGPTBackend, str]]:
    backend = FakeChatGPTBackend()
    with backend.serve() as server:
        yield backend, server.url + BASE_PATH


def _client_kwargs(backend: FakeChatGPTBackend, base_url: str, **kw: Any) -> dict[str, Any]:
    return {
        "token_provider": StaticTokenProvider(backend.access_token, account_id=backend.account_id),
        "base_url": base_url,
        "model_catalog": backend.model_catalog,
        **kw,
    }


def timed(
    mode: str,
    served: tuple[FakeChatGPTBackend, str],
    client: dict[str, Any],
    *,
    stream: bool = False,
    **kw: Any,
) -> tuple[Any, list[Any], BaseException | None, float]:
    """(result, events seen, error, seconds) for one create over loopback.

    The model catalog is read before the clock starts, so only the ``POST /responses`` is timed.
    """
    backend, base_url = served
    kwargs = _client_kwargs(backend, base_url, **client)
    kw = {"model": LITE_MODEL, "input": "Say something after a pause.", **kw}
    events: list[Any] = []
    if mode == "sync":
        with ChatGPT(**kwargs) as sync:
            sync.models.list()
            start = time.monotonic()
            try:
                if stream:
                    for event in sync.responses.create(stream=True, **kw):
                        events.append(event)
                    return None, events, None, time.monotonic() - start
                return sync.responses.create(**kw), events, None, time.monotonic() - start
            except Exception as exc:
                return None, events, exc, time.monotonic() - start

    async def go() -> tuple[Any, list[Any], BaseException | None, float]:
        async with AsyncChatGPT(**kwargs) as aclient:
            await aclient.models.list()
            start = time.monotonic()
            try:
                if stream:
                    async for event in await aclient.responses.create(stream=True, **kw):
                        events.append(event)
                    return None, events, None, time.monotonic() - start
                result = await aclient.responses.create(**kw)
                return result, events, None, time.monotonic() - start
            except Exception as exc:
                return None, events, exc, time.monotonic() - start

    return asyncio.run(go())


def posts(backend: FakeChatGPTBackend) -> int:
    return len([q for q in backend.requests if q.path == BASE_PATH + "/responses"])


def test_a_silent_start_times_out_quickly(
    mode: str, served: tuple[FakeChatGPTBackend, str]
) -> None:
    backend, _ = served
    backend.stall_headers(5)
    _, _, error, elapsed = timed(mode, served, {"timeout": 0.5, "max_retries": 0})
    assert isinstance(error, errors.APITimeoutError), repr(error)
    assert 0.4 <= elapsed < 3
    assert posts(backend) == 1


def test_a_silent_start_times_out_after_its_retry_too(
    mode: str, served: tuple[FakeChatGPTBackend, str]
) -> None:
    backend, _ = served
    backend.stall_headers(5)
    backend.stall_headers(5)
    _, _, error, elapsed = timed(mode, served, {"timeout": 0.5, "max_retries": 1})
    assert isinstance(error, errors.APITimeoutError), repr(error)
    assert 0.9 <= elapsed < 4  # two waits of 0.5 s and one backoff, not two stalls of 5 s
    assert posts(backend) == 2
    assert backend.pending == 0


def test_a_per_call_timeout_bounds_the_start_too(
    mode: str, served: tuple[FakeChatGPTBackend, str]
) -> None:
    backend, _ = served
    backend.stall_headers(5)
    _, _, error, elapsed = timed(mode, served, {"max_retries": 0}, timeout=0.5)
    assert isinstance(error, errors.APITimeoutError), repr(error)
    assert elapsed < 3


def test_a_slow_start_within_the_timeout_is_answered(
    mode: str, served: tuple[FakeChatGPTBackend, str]
) -> None:
    backend, _ = served
    backend.stall_headers(0.3, text="Worth the wait.")
    result, _, error, elapsed = timed(mode, served, {"timeout": 2, "max_retries": 0})
    assert error is None
    assert result.output_text == "Worth the wait."
    assert 0.3 <= elapsed < 3


def test_the_start_is_bounded_by_timeout_not_by_the_idle_timeout(
    mode: str, served: tuple[FakeChatGPTBackend, str]
) -> None:
    backend, _ = served
    backend.stall_headers(1.0, text="Late but whole.")
    client = {"timeout": 5, "stream_idle_timeout": 0.5, "max_retries": 0}
    result, _, error, elapsed = timed(mode, served, client)
    assert error is None, repr(error)
    assert result.output_text == "Late but whole."
    assert 1.0 <= elapsed < 4


@pytest.mark.parametrize("where", ["client", "call"])
def test_a_gap_mid_stream_longer_than_timeout_completes(
    mode: str, served: tuple[FakeChatGPTBackend, str], where: str
) -> None:
    """``timeout`` bounds the start, not the gaps: a 2 s silence after two events is fine."""
    backend, _ = served
    backend.stall(2.0, after_events=2, text="Thought about it for a while.")
    client: dict[str, Any] = {"stream_idle_timeout": 5, "max_retries": 0}
    call: dict[str, Any] = {}
    (client if where == "client" else call)["timeout"] = 0.5
    result, _, error, elapsed = timed(mode, served, client, **call)
    assert error is None, repr(error)
    assert result.output_text == "Thought about it for a while."
    assert 2.0 <= elapsed < 5
    assert posts(backend) == 1  # completed in one go, not by a retry


def test_a_streamed_gap_longer_than_timeout_completes(
    mode: str, served: tuple[FakeChatGPTBackend, str]
) -> None:
    backend, _ = served
    backend.stall(2.0, after_events=2, text="Streamed after a pause.")
    client = {"timeout": 0.5, "stream_idle_timeout": 5, "max_retries": 0}
    _, events, error, elapsed = timed(mode, served, client, stream=True)
    assert error is None, repr(error)
    assert events[-1].type == "response.completed"
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text == "Streamed after a pause."
    assert 2.0 <= elapsed < 5


@pytest.mark.parametrize("stream", [False, True])
def test_a_gap_longer_than_the_idle_timeout_is_a_stream_error(
    mode: str, served: tuple[FakeChatGPTBackend, str], stream: bool
) -> None:
    backend, _ = served
    backend.stall(2.0, after_events=2)
    client = {"timeout": 5, "stream_idle_timeout": 0.5, "max_retries": 0}
    _, events, error, elapsed = timed(mode, served, client, stream=stream)
    assert isinstance(error, errors.StreamError), repr(error)
    assert not isinstance(error, errors.APITimeoutError)
    assert "idle timeout" in str(error)
    assert 0.4 <= elapsed < 1.9  # gave up on the gap, did not sit it out
    if stream:
        # The two events before the gap reached the caller, and the error says what came.
        assert [e.type for e in events] == ["response.created", "response.in_progress"]
    assert [e.type for e in error.events][:2] == ["response.created", "response.in_progress"]
