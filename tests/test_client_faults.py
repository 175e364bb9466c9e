"""Faults on the client side (issue 11): streams that only keep alive, bare CRs, unread streams,
long Retry-After, huge error bodies, tokens reachable from errors, corrupt encodings, bad
arguments. Each failure must be a documented error, and nothing may leak or hang."""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx
from client_support import BASE, SECRET, Api, Body, catalog_response, recorded, recorded_events, sse

from chatgpt_sdk import AsyncChatGPT, ChatGPT, _core, errors
from chatgpt_sdk._transport import MAX_ERROR_BODY, mask
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend

EVENT_STREAM = {"content-type": "text/event-stream"}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/models").mock(return_value=catalog_response())
        yield router


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    seen: list[float] = []

    async def asleep(seconds: float) -> None:
        seen.append(seconds)

    monkeypatch.setattr(_core, "sleep", seen.append)
    monkeypatch.setattr(_core, "asleep", asleep)
    return seen


class KeepAlives(httpx.SyncByteStream, httpx.AsyncByteStream):
    """One event, then only SSE comments every ``every`` seconds, for at most ``lasting``."""

    def __init__(self, first: bytes, every: float = 0.05, lasting: float = 5.0) -> None:
        self.first, self.every, self.lasting = first, every, lasting
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        deadline = time.monotonic() + self.lasting
        while time.monotonic() < deadline:
            time.sleep(self.every)
            self.sent += 1
            yield b": keep-alive\n\n"

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        deadline = time.monotonic() + self.lasting
        while time.monotonic() < deadline:
            await asyncio.sleep(self.every)
            self.sent += 1
            yield b": keep-alive\n\n"


class Counted(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A large body in 64 KiB chunks that counts how much of it was read."""

    def __init__(self, size: int) -> None:
        self.size, self.read = size, 0

    def _chunks(self) -> Iterator[bytes]:
        while self.read < self.size:
            self.read += 65536
            yield b"x" * 65536

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk


# ------------------------------------------------------------------------------------ streams


def test_keep_alive_comments_do_not_keep_a_stream_alive(mode: str, mock: respx.MockRouter) -> None:
    first = recorded("text").split(b"\n\n")[0] + b"\n\n"
    body = KeepAlives(first)
    mock.post("/responses").mock(
        return_value=httpx.Response(200, stream=body, headers=EVENT_STREAM)
    )
    started = time.monotonic()
    events, error = Api(mode, max_retries=0, stream_idle_timeout=0.5).stream_until_error(
        model="gpt-5.5", input="x"
    )
    elapsed = time.monotonic() - started
    assert isinstance(error, errors.StreamError)
    assert "only keep-alive bytes" in str(error)
    assert [e.type for e in events] == ["response.created"]
    # Comments kept arriving (every 0.05 s, fewer on a loaded machine) and did not reset the idle
    # timer: the stream was dropped before the body's 5 s of comments ran out.
    assert body.sent >= 2
    assert elapsed < body.lasting


def test_bare_cr_line_endings_parse(mode: str, mock: respx.MockRouter) -> None:
    events = recorded_events("text")
    body = sse(events).replace(b"\n", b"\r")
    mock.post("/responses").mock(
        return_value=httpx.Response(200, content=body, headers=EVENT_STREAM)
    )
    result = Api(mode).create(model="gpt-5.5", input="x")
    assert result.output_text == "Hello! How can I help?"


@pytest.fixture
def served() -> Iterator[str]:
    backend = FakeChatGPTBackend()
    with backend.serve() as server:
        yield server.url + BASE_PATH


def test_unread_streams_release_their_connections(served: str) -> None:
    client = ChatGPT(
        token_provider=StaticTokenProvider(FakeChatGPTBackend().access_token),
        base_url=served,
        timeout=3.0,
        max_retries=0,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(250):  # more than the pool's 200 connections
            client.responses.create(model="gpt-5.5", input="x", stream=True)  # never read
        gc.collect()
    assert sum(issubclass(w.category, ResourceWarning) for w in caught) == 250
    assert "was never closed" in str(caught[0].message)
    assert client.responses.create(model="gpt-5.5", input="one more").output_text
    client.close()


def test_unread_async_streams_release_their_connections(served: str) -> None:
    async def go() -> str:
        client = AsyncChatGPT(
            token_provider=StaticTokenProvider(FakeChatGPTBackend().access_token),
            base_url=served,
            timeout=3.0,
            max_retries=0,
        )
        for _ in range(250):
            await client.responses.create(model="gpt-5.5", input="x", stream=True)
            await asyncio.sleep(0)  # let the scheduled close run
        gc.collect()
        await asyncio.sleep(0.05)
        text = (await client.responses.create(model="gpt-5.5", input="one more")).output_text
        await client.close()
        return text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        assert asyncio.run(go())


def test_a_stream_read_to_the_end_gives_no_warning(served: str) -> None:
    client = ChatGPT(
        token_provider=StaticTokenProvider(FakeChatGPTBackend().access_token), base_url=served
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        for _ in client.responses.create(model="gpt-5.5", input="x", stream=True):
            pass
        with client.responses.stream(model="gpt-5.5", input="x") as stream:
            next(iter(stream))  # closed by the with block, not read to the end
        gc.collect()
    client.close()


# ------------------------------------------------------------------------- errors and retries


def test_a_retry_after_longer_than_the_budget_raises_at_once(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(
            503, json={"detail": "maintenance"}, headers={"retry-after": "86400"}
        )
    )
    with pytest.raises(errors.InternalServerError) as info:
        Api(mode, max_retries=3).create(model="gpt-5.5", input="x")
    assert route.call_count == 1
    assert delays == []
    assert info.value.retry_after == 86400
    assert "asks to wait 86400 s" in str(info.value)


def test_a_short_retry_after_is_honoured(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        side_effect=[
            httpx.Response(503, json={"detail": "busy"}, headers={"retry-after": "7"}),
            httpx.Response(200, content=recorded("text"), headers=EVENT_STREAM),
        ]
    )
    assert Api(mode).create(model="gpt-5.5", input="x").output_text
    assert route.call_count == 2
    assert delays == [7.0]


def test_error_bodies_are_read_up_to_a_cap(mode: str, mock: respx.MockRouter) -> None:
    body = Counted(64 * 1024 * 1024)
    mock.post("/responses").mock(return_value=httpx.Response(400, stream=body))
    with pytest.raises(errors.BadRequestError) as info:
        Api(mode).create(model="gpt-5.5", input="x")
    assert body.read <= MAX_ERROR_BODY + 65536
    assert isinstance(info.value.body, str)
    assert len(info.value.body) == MAX_ERROR_BODY


def test_errors_keep_no_authorization_and_mask_echoed_prefixes(
    mode: str, mock: respx.MockRouter
) -> None:
    echoed = {"detail": f"bad token {SECRET[:14]}... and {SECRET}", "seen": [SECRET[:13]]}
    mock.post("/responses").mock(return_value=httpx.Response(403, json=echoed))
    with pytest.raises(errors.PermissionDeniedError) as info:
        Api(mode).create(model="gpt-5.5", input="x")
    error = info.value
    assert error.response is not None
    assert "authorization" not in error.response.request.headers
    text = json.dumps(error.body) + str(error) + repr(error)
    assert SECRET[:12] not in text
    assert error.body == {"detail": "bad token ***... and ***", "seen": ["***"]}


@pytest.mark.parametrize(
    ("text", "secret", "expected"),
    [
        ("a tok-SECRET-abc123 b", "tok-SECRET-abc123", "a *** b"),
        ("tok-SECRET-ab|tok-SECRET-abc123X", "tok-SECRET-abc123", "***|***X"),
        ("tok-SECRET-", "tok-SECRET-abc123", "tok-SECRET-"),  # 11 chars: not yet a token
        ("tok-SECRET-a", "tok-SECRET-abc123", "***"),  # 12: masked
        ("short", "short", "***"),
        ("nothing here", "tok-SECRET-abc123", "nothing here"),
    ],
)
def test_mask(text: str, secret: str, expected: str) -> None:
    assert mask(text, secret) == expected


def test_a_corrupt_gzip_stream_is_a_stream_error(mode: str, mock: respx.MockRouter) -> None:
    corrupt = gzip.compress(b"")[:10] + b"\xff\xff\xff\xff"  # a gzip header, then a bad block
    mock.post("/responses").mock(
        return_value=httpx.Response(
            200, stream=Body([corrupt]), headers={**EVENT_STREAM, "content-encoding": "gzip"}
        )
    )
    _, error = Api(mode, max_retries=0).stream_until_error(model="gpt-5.5", input="x")
    assert isinstance(error, errors.StreamError)
    assert "could not be decoded" in str(error)


def test_a_corrupt_gzip_catalog_listing_is_a_connection_error(
    mode: str, mock: respx.MockRouter
) -> None:
    mock.get("/models").mock(
        return_value=httpx.Response(
            200,
            stream=Body([gzip.compress(b"")[:10] + b"\xff\xff\xff\xff"]),
            headers={"content-encoding": "gzip"},
        )
    )
    with pytest.raises(errors.APIConnectionError, match="could not decode"):
        Api(mode).models()


def test_gzip_and_zstd_replies_are_decoded(mode: str, mock: respx.MockRouter) -> None:
    import zstandard

    mock.post("/responses").mock(
        side_effect=[
            httpx.Response(
                200,
                content=gzip.compress(recorded("text")),
                headers={**EVENT_STREAM, "content-encoding": "gzip"},
            ),
            httpx.Response(
                200,
                content=zstandard.ZstdCompressor().compress(recorded("text")),
                headers={**EVENT_STREAM, "content-encoding": "zstd"},
            ),
        ]
    )
    api = Api(mode)
    assert api.create(model="gpt-5.5", input="x").output_text == "Hello! How can I help?"
    assert api.create(model="gpt-5.5", input="x").output_text == "Hello! How can I help?"


# -------------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"timeout": "soon"}, TypeError, "timeout must be a number"),
        ({"timeout": -1}, ValueError, "timeout must be a positive"),
        ({"timeout": float("nan")}, ValueError, "timeout must be a positive"),
        ({"stream_idle_timeout": "1"}, TypeError, "stream_idle_timeout"),
        ({"max_retries": "2"}, TypeError, "max_retries must be an integer"),
        ({"max_retries": -1}, ValueError, "max_retries must be >= 0"),
        ({"base_url": 123}, TypeError, "base_url must be a string"),
        ({"base_url": "chatgpt.com"}, ValueError, "base_url must start with http"),
        ({"originator": "café"}, ValueError, "originator goes into an HTTP header"),
        ({"session_id": "a\nb"}, ValueError, "session_id goes into an HTTP header"),
        ({"user_agent": 5}, TypeError, "user_agent must be a string"),
        ({"strict": "yes"}, TypeError, "strict must be True or False"),
        ({"compression": 1}, TypeError, "compression must be True or False"),
        ({"responses_lite": "true"}, TypeError, "responses_lite must be True or False"),
        ({"token_provider": "tok"}, TypeError, "token_provider must be a TokenProvider"),
        ({"model_catalog": {}}, TypeError, "model_catalog must be a chatgpt_sdk.catalog"),
    ],
)
def test_constructor_arguments_are_checked_at_construction(
    mode: str, kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        Api(mode, **kwargs)


@pytest.mark.parametrize("client_type", [ChatGPT, AsyncChatGPT])
def test_the_wrong_http_client_is_refused(client_type: Any) -> None:
    wrong = httpx.AsyncClient() if client_type is ChatGPT else httpx.Client()
    with pytest.raises(TypeError, match="http_client must be an httpx"):
        client_type(token_provider=StaticTokenProvider("t"), base_url=BASE, http_client=wrong)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"extra_headers": {"x-a": 1}}, TypeError, r"extra_headers\['x-a'\] must be a string"),
        ({"extra_headers": {"bad name": "v"}}, ValueError, "invalid header name"),
        ({"extra_headers": {"x-a": "é"}}, ValueError, "goes into an HTTP header"),
        ({"extra_headers": ["x"]}, TypeError, "extra_headers must be a mapping"),
        ({"extra_body": "x"}, TypeError, "extra_body must be a mapping"),
        ({"timeout": "soon"}, TypeError, "timeout must be a number"),
        ({"responses_lite": 1}, TypeError, "responses_lite must be True or False"),
    ],
)
def test_call_arguments_are_checked_before_sending(
    mode: str, mock: respx.MockRouter, kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    route = mock.post("/responses")
    with pytest.raises(error, match=words):
        Api(mode).create(model="gpt-5.5", input="x", **kwargs)
    assert route.call_count == 0


def test_a_catalog_listing_that_is_not_a_catalog_is_a_typed_error(
    mode: str, mock: respx.MockRouter
) -> None:
    mock.get("/models").mock(return_value=httpx.Response(200, json={"models": "none"}))
    with pytest.raises(errors.APIResponseValidationError, match="is not a catalog") as info:
        Api(mode).models()
    assert info.value.status_code == 200


def test_a_model_name_that_cannot_be_a_header_does_not_crash_the_client(
    mode: str, mock: respx.MockRouter
) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(400, json={"detail": "The 'gpt-é' model is not supported."})
    )
    with pytest.raises(errors.BadRequestError, match="not supported"):
        Api(mode).create(model="gpt-é", input="x")
    assert "x-codex-routing-hint" not in route.calls.last.request.headers
