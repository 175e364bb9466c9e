"""The proxy against hostile input and connections (issue 10, items 2 to 5).

Pure request handling runs in process (httpx.ASGITransport); what is about sockets and time
(413 before the body, slow headers and bodies, connection caps, clients that go away) runs a
real uvicorn on a free loopback port with the options ``chatgpt-sdk serve`` uses. Every loop
is bounded and every wait has a deadline; nothing leaves loopback.
"""

from __future__ import annotations

import asyncio
import gzip
import importlib.util
import json
import socket
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from proxy_support import uvicorn_proxy

from chatgpt_sdk import AsyncChatGPT
from chatgpt_sdk._fake.backend import BASE_PATH
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.server import DROPPED_PARAMS_HEADER, ProxyConfig, ProxyConfigError, create_app
from chatgpt_sdk.server._body import nesting_depth, supported_encodings
from chatgpt_sdk.server.config import parse_config
from chatgpt_sdk.testing import FakeChatGPTBackend

KEY = "sk-hostile-test"
USER = [{"role": "user", "content": "hi"}]
CHAT = {"model": "gpt-5.5", "messages": USER}
JSON = {"content-type": "application/json"}
HTTP_IMPLEMENTATIONS = ["h11"] + (
    ["httptools"] if importlib.util.find_spec("httptools") is not None else []
)

Proxy = Callable[..., Awaitable[httpx.AsyncClient]]


# --- in process -------------------------------------------------------------------------------


@pytest.fixture
def backend() -> FakeChatGPTBackend:
    return FakeChatGPTBackend()


@pytest.fixture
async def proxy(backend: FakeChatGPTBackend) -> AsyncIterator[Proxy]:
    """``await proxy(api_key=..., config=..., base_url=...)``: a client of a new in-process app."""
    opened: list[Any] = []

    async def make(*, base_url: str = "http://127.0.0.1:8000", **kwargs: Any) -> httpx.AsyncClient:
        client = backend.async_client(max_retries=0)
        app = create_app(client, **kwargs)
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)), base_url=base_url
        )
        opened.extend([http, client])
        return http

    yield make
    for thing in reversed(opened):
        await (thing.aclose() if isinstance(thing, httpx.AsyncClient) else thing.close())


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"message", "type", "param", "code"} <= set(error)
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return dict(error)


def dumps(data: Any) -> bytes:
    return json.dumps(data).encode()


def sent_responses(backend: FakeChatGPTBackend) -> int:
    """How many ``POST /responses`` reached the backend (the catalog's ``GET /models`` aside)."""
    return sum(1 for r in backend.requests if r.path.endswith("/responses"))


# --- browser safety ---------------------------------------------------------------------------


async def test_cross_origin_text_plain_post_is_refused(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    http = await proxy()
    # What <form enctype="text/plain"> or fetch(url, {mode: "no-cors", body}) sends.
    forged = await http.post(
        "/v1/chat/completions",
        content=dumps(CHAT),
        headers={"content-type": "text/plain", "origin": "https://evil.example"},
    )
    assert "evil.example" in assert_error(forged, 403, "origin_not_allowed")["message"]
    # The same without an Origin (an old browser, a stripped header): the body type is refused.
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}
        response = await http.post("/v1/chat/completions", content=dumps(CHAT), headers=headers)
        error = assert_error(response, 415, "unsupported_media_type")
        assert "application/json" in error["message"]
    # An Origin on a JSON request (a CORS fetch) and on a GET are refused too.
    cors = await http.post("/v1/responses", json=CHAT, headers={"origin": "null"})
    assert_error(cors, 403, "origin_not_allowed")
    assert_error(await http.get("/v1/models", headers={"origin": "http://x.test"}), 403)
    assert backend.requests == []


async def test_foreign_host_is_refused(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    for host in ("evil.example:8000", "evil.example", "0.0.0.0:8000", "localhost.evil.example"):
        response = await http.post("/v1/chat/completions", json=CHAT, headers={"host": host})
        error = assert_error(response, 403, "host_not_allowed")
        assert "DNS rebinding" in error["message"]
    assert backend.requests == []
    for host in ("localhost:8000", "127.0.0.1", "127.0.0.2:9", "[::1]:8000", "app.localhost"):
        backend.reply("ok")
        response = await http.post("/v1/chat/completions", json=CHAT, headers={"host": host})
        assert response.status_code == 200, (host, response.text)


async def test_allowed_host_and_origin_are_served(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    config = parse_config(
        {
            "allowed_hosts": ["proxy.lan", "*.dev.test"],
            "allowed_origins": ["http://localhost:3000"],
        }
    )
    http = await proxy(config=config)
    for host in ("proxy.lan:8000", "a.dev.test"):
        backend.reply("ok")
        response = await http.post("/v1/chat/completions", json=CHAT, headers={"host": host})
        assert response.status_code == 200, response.text
    assert_error(
        await http.post("/v1/chat/completions", json=CHAT, headers={"host": "other.lan"}), 403
    )
    backend.reply("ok")
    response = await http.post(
        "/v1/chat/completions", json=CHAT, headers={"origin": "http://localhost:3000"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert DROPPED_PARAMS_HEADER in response.headers["access-control-expose-headers"]
    assert_error(
        await http.post(
            "/v1/chat/completions", json=CHAT, headers={"origin": "http://localhost:3001"}
        ),
        403,
    )


async def test_cors_preflight_only_when_configured(proxy: Proxy) -> None:
    preflight = {
        "origin": "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
    }
    plain = await proxy()
    assert_error(await plain.options("/v1/chat/completions", headers=preflight), 403)

    http = await proxy(config=ProxyConfig(allowed_origins=["http://localhost:3000"]))
    response = await http.options("/v1/chat/completions", headers=preflight)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed
    assert "content-type" in allowed
    other = await http.options(
        "/v1/chat/completions", headers={**preflight, "origin": "https://evil.example"}
    )
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


async def test_with_an_api_key_the_key_is_the_gate(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    http = await proxy(api_key=KEY)
    auth = {"authorization": f"Bearer {KEY}"}
    backend.reply("ok")
    # Any Host (a reverse proxy's name) and any body type: a web page cannot send the key.
    response = await http.post(
        "/v1/chat/completions",
        content=dumps(CHAT),
        headers={**auth, "host": "proxy.example.com", "content-type": "text/plain"},
    )
    assert response.status_code == 200, response.text
    # A browser Origin is still refused unless allowed (CORS would be needed anyway).
    refused = await http.post("/v1/chat/completions", json=CHAT, headers={**auth, "origin": "x:"})
    assert_error(refused, 403, "origin_not_allowed")
    # allowed_hosts, when set, binds with a key too.
    pinned = await proxy(api_key=KEY, config=ProxyConfig(allowed_hosts=["proxy.example.com"]))
    wrong = await pinned.get("/v1/models", headers={**auth, "host": "other.example.com"})
    assert_error(wrong, 403, "host_not_allowed")


def test_every_origin_needs_an_api_key() -> None:
    config = ProxyConfig(allowed_origins=["*"])
    with pytest.raises(ProxyConfigError, match="needs an API key"):
        create_app(FakeChatGPTBackend().async_client(), config=config)
    create_app(FakeChatGPTBackend().async_client(), api_key=KEY, config=config)


# --- request bodies ---------------------------------------------------------------------------


def gzip_encode(data: bytes) -> bytes:
    return gzip.compress(data)


def deflate_encode(data: bytes) -> bytes:
    return zlib.compress(data)


def raw_deflate_encode(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def zstd_encode(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def br_encode(data: bytes) -> bytes:
    brotli = pytest.importorskip("brotli")
    return bytes(brotli.compress(data))


ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip_encode,
    "deflate": deflate_encode,
    "zstd": zstd_encode,
    "br": br_encode,
}


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "zstd", "br", "x-gzip", "raw-deflate"])
async def test_each_content_encoding_is_decoded(
    proxy: Proxy, backend: FakeChatGPTBackend, encoding: str
) -> None:
    http = await proxy()
    text = "Say hi in French. " * 200
    body = dumps({"model": "gpt-5.5", "messages": [{"role": "user", "content": text}]})
    if encoding == "x-gzip":
        content, header = gzip_encode(body), "x-gzip"
    elif encoding == "raw-deflate":
        content, header = raw_deflate_encode(body), "deflate"
    else:
        content, header = ENCODERS[encoding](body), encoding
    assert len(content) < len(body) / 10
    backend.reply("Salut !")
    response = await http.post(
        "/v1/chat/completions", content=content, headers={**JSON, "content-encoding": header}
    )
    assert response.status_code == 200, response.text
    assert response.json()["choices"][0]["message"]["content"] == "Salut !"
    sent = backend.last_request.json["input"][0]["content"][0]["text"]
    assert sent == text


async def test_stacked_and_streamed_encodings(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    body = dumps({"model": "gpt-5.5", "input": "stacked " * 1000})
    backend.reply("ok")
    stacked = await http.post(
        "/v1/responses",
        content=zstd_encode(gzip_encode(body)),
        headers={**JSON, "content-encoding": "gzip, zstd"},
    )
    assert stacked.status_code == 200, stacked.text

    encoded = gzip_encode(body) + gzip_encode(b"")  # two gzip members, sent 7 bytes at a time

    async def trickle() -> AsyncIterator[bytes]:
        for start in range(0, len(encoded), 7):
            yield encoded[start : start + 7]

    backend.reply("ok")
    chunked = await http.post(
        "/v1/responses", content=trickle(), headers={**JSON, "content-encoding": "gzip"}
    )
    assert chunked.status_code == 200, chunked.text
    assert backend.last_request.json["input"][0]["content"][0]["text"] == "stacked " * 1000


async def test_bad_encodings_are_4xx(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    body = dumps(CHAT)
    unknown = await http.post(
        "/v1/chat/completions", content=body, headers={**JSON, "content-encoding": "compress"}
    )
    error = assert_error(unknown, 415, "unsupported_content_encoding")
    assert all(name in error["message"] for name in supported_encodings())
    for name, content in [
        ("gzip", b"this is not gzip"),
        ("gzip", gzip_encode(body)[:-9]),  # truncated
        ("deflate", b"\x78\x9c garbage"),
        ("zstd", b"\x28\xb5\x2f\xfd garbage"),
        ("br", b"\xff\xff\xff\xff garbage"),
    ]:
        if name not in supported_encodings():
            continue
        response = await http.post(
            "/v1/chat/completions", content=content, headers={**JSON, "content-encoding": name}
        )
        assert response.status_code == 400, (name, response.text)
        assert_error(response, 400)
    assert backend.requests == []


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "zstd", "br"])
async def test_decompression_bomb_is_413(
    proxy: Proxy, backend: FakeChatGPTBackend, encoding: str
) -> None:
    http = await proxy(config=ProxyConfig(max_body_size="1MB"))
    # 64 MiB of JSON (a long string of spaces) in a body of some kilobytes.
    bomb = b'{"model": "gpt-5.5", "input": "' + b" " * (64 << 20) + b'"}'
    content = ENCODERS[encoding](bomb)
    assert len(content) < 1 << 20
    started = time.monotonic()
    response = await http.post(
        "/v1/responses", content=content, headers={**JSON, "content-encoding": encoding}
    )
    error = assert_error(response, 413, "request_too_large")
    assert "after decoding" in error["message"]
    assert time.monotonic() - started < 2  # stopped at the limit, not after 64 MiB
    assert response.headers["connection"] == "close"
    assert backend.requests == []


async def test_a_body_of_the_limit_is_served(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    text = "x" * 2000
    body = dumps({"model": "gpt-5.5", "input": text})
    http = await proxy(config=ProxyConfig(max_body_size=len(body)))
    backend.reply("ok")
    assert (await http.post("/v1/responses", content=body, headers=JSON)).status_code == 200
    over = dumps({"model": "gpt-5.5", "input": text + "x"})
    assert_error(await http.post("/v1/responses", content=over, headers=JSON), 413)

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b" " * 100

    streamed = await http.post("/v1/responses", content=chunks(), headers=JSON)
    assert_error(streamed, 413, "request_too_large")


@pytest.mark.parametrize("depth", [65, 200, 100_000])
async def test_deep_nesting_is_400(proxy: Proxy, backend: FakeChatGPTBackend, depth: int) -> None:
    http = await proxy()
    nested = "[" * depth + "]" * depth
    body = f'{{"model": "gpt-5.5", "input": "hi", "metadata": {nested}}}'.encode()
    response = await http.post("/v1/responses", content=body, headers=JSON)
    assert "levels deep" in assert_error(response, 400, "nesting_too_deep")["message"]
    assert backend.requests == []


async def test_brackets_in_strings_are_not_nesting(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    http = await proxy()
    text = '[{\\"' * 500 + "\\\\" + "]}" * 500
    backend.reply("ok")
    response = await http.post(
        "/v1/chat/completions",
        json={"model": "gpt-5.5", "messages": [{"role": "user", "content": text}]},
    )
    assert response.status_code == 200, response.text
    assert nesting_depth(dumps({"a": [[{"b": "]]]][[["}]]})) == 4


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{nope", "not valid JSON"),
        (b"", "empty"),
        (b"   ", "empty"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"text"', "must be a JSON object"),
        (b'{"model": "gpt-5.5", "input": NaN}', "not valid JSON"),
        (b'{"model": "gpt-5.5", "input": "\xff\xfe"}', "not valid UTF-8"),
        (b'{"model": "gpt-5.5"} trailing', "not valid JSON"),
    ],
)
async def test_invalid_json_is_400(
    proxy: Proxy, backend: FakeChatGPTBackend, content: bytes, expected: str
) -> None:
    http = await proxy()
    for path in ("/v1/responses", "/v1/chat/completions"):
        response = await http.post(path, content=content, headers=JSON)
        assert expected in assert_error(response, 400)["message"]
    assert backend.requests == []


async def test_large_bodies_are_parsed_off_the_event_loop(
    proxy: Proxy, backend: FakeChatGPTBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    http = await proxy()
    calls: list[str] = []
    real = asyncio.to_thread

    async def spy(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        calls.append(func.__name__)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", spy)
    backend.reply("ok")
    small = await http.post("/v1/chat/completions", json=CHAT)
    assert small.status_code == 200
    assert calls == []
    big = {"model": "gpt-5.5", "messages": [{"role": "user", "content": "y" * 400_000}]}
    backend.reply("ok")
    assert (await http.post("/v1/chat/completions", json=big)).status_code == 200
    assert calls == ["parse_json_object", "_translate_chat"]


# --- only the API's fields --------------------------------------------------------------------

SDK_OPTIONS = {
    "extra_headers": {
        "Authorization": "Bearer stolen",
        "ChatGPT-Account-Id": "someone-else",
        "X-Injected": "1",
    },
    "extra_body": {"store": True, "temperature": 2, "injected": True},
    "timeout": "soon",
    "responses_lite": True,
}


@pytest.mark.parametrize("endpoint", ["responses", "chat"])
async def test_sdk_call_options_in_a_body_are_ignored(
    proxy: Proxy, backend: FakeChatGPTBackend, endpoint: str
) -> None:
    http = await proxy()
    if endpoint == "responses":
        path, request = "/v1/responses", {"model": "gpt-5.5", "input": "hi", **SDK_OPTIONS}
    else:
        path, request = "/v1/chat/completions", {**CHAT, **SDK_OPTIONS}
    backend.reply("ok")
    response = await http.post(path, json=request)
    assert response.status_code == 200, response.text
    assert response.headers[DROPPED_PARAMS_HEADER] == (
        "extra_headers,extra_body,timeout,responses_lite"
    )
    sent = backend.last_request
    assert sent.headers["authorization"] == f"Bearer {backend.access_token}"
    assert sent.headers["chatgpt-account-id"] == backend.account_id
    assert "x-injected" not in sent.headers
    assert "x-openai-internal-codex-responses-lite" not in sent.headers
    assert sent.json["store"] is False
    for key in ("extra_headers", "extra_body", "timeout", "responses_lite", "injected"):
        assert key not in sent.json
    assert "temperature" not in sent.json

    strict = await proxy(config=ProxyConfig(strict=True))
    refused = assert_error(await strict.post(path, json=request), 400, "unsupported_parameter")
    assert refused["param"] == "extra_headers"
    assert "Not fields of the OpenAI API" in refused["message"]
    assert sent_responses(backend) == 1


async def test_stream_must_be_a_boolean(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    response = await http.post(
        "/v1/responses", json={"model": "gpt-5.5", "input": "hi", "stream": "yes"}
    )
    assert assert_error(response, 400)["param"] == "stream"
    assert backend.requests == []


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELD_NAMES = st.sampled_from(
    [
        "model", "input", "messages", "instructions", "tools", "tool_choice", "stream",
        "reasoning", "text", "include", "stop", "n", "response_format", "stream_options",
        "extra_headers", "extra_body", "timeout", "self", "content", "role",
    ]
)  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(["/v1/responses", "/v1/chat/completions"]),
    body=st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=5),
    valid_model=st.booleans(),
)
def test_no_body_gets_a_500(path: str, body: dict[str, Any], valid_model: bool) -> None:
    """Whatever JSON object arrives, the answer is a status with OpenAI's error shape."""
    if valid_model:
        body["model"] = "gpt-5.5"

    async def once() -> httpx.Response:
        backend = FakeChatGPTBackend()
        client = backend.async_client(max_retries=0)
        app = create_app(client)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
            try:
                return await http.post(path, json=body)
            finally:
                await client.close()

    response = asyncio.run(once())
    assert response.status_code < 500, (body, response.text)
    if response.status_code >= 400:
        assert_error(response, response.status_code)


# --- concurrency ------------------------------------------------------------------------------


async def test_concurrency_cap_is_503_with_retry_after(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    http = await proxy(config=ProxyConfig(max_concurrent_requests=1))
    backend.stall(0.5, after_events=2)
    first = asyncio.create_task(
        http.post("/v1/responses", json={"model": "gpt-5.5", "input": "hi", "stream": True})
    )
    for _ in range(200):
        if backend.requests:
            break
        await asyncio.sleep(0.005)
    assert backend.requests
    second = await http.post("/v1/chat/completions", json=CHAT)
    error = assert_error(second, 503, "too_many_concurrent_requests")
    assert error["type"] == "server_error"
    assert second.headers["retry-after"] == "1"
    assert (await http.get("/health")).status_code == 200  # never capped
    assert (await first).status_code == 200
    backend.reply("ok")
    assert (await http.post("/v1/chat/completions", json=CHAT)).status_code == 200


# --- over real sockets ------------------------------------------------------------------------


class Served:
    """The app under uvicorn (``server_options`` as ``chatgpt-sdk serve`` has them)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def connect(self, timeout: float = 5.0) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)


@contextmanager
def serve(
    make_client: Callable[[], AsyncChatGPT],
    config: ProxyConfig | None = None,
    *,
    http: str = "auto",
    api_key: str | None = None,
) -> Iterator[Served]:
    with uvicorn_proxy(make_client, config, http=http, api_key=api_key) as port:
        yield Served(port)


def in_process_client(backend: FakeChatGPTBackend) -> Callable[[], AsyncChatGPT]:
    return lambda: backend.async_client(max_retries=0)


def read_response(sock: socket.socket, deadline: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response with a Content-Length body, read off a raw socket."""
    data = b""
    sock.settimeout(deadline)
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a response: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk
        rest += chunk
    return int(status_line.split()[1]), headers, rest[:length]


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (EOF or reset), None if still open after."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return time.monotonic() - started
    except ConnectionResetError:
        return time.monotonic() - started
    except TimeoutError:
        return None


def test_413_by_content_length_before_the_body(backend: FakeChatGPTBackend) -> None:
    with serve(in_process_client(backend)) as served, served.connect() as sock:
        # A gigabyte announced; not one byte of it sent.
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n"
        )
        status, headers, body = read_response(sock)
        assert status == 413
        assert json.loads(body)["error"]["code"] == "request_too_large"
        assert headers["connection"] == "close"
        assert closed_within(sock, 2) is not None
    assert backend.requests == []


def test_413_by_a_streamed_chunked_body(backend: FakeChatGPTBackend) -> None:
    config = ProxyConfig(max_body_size=64 * 1024)
    with serve(in_process_client(backend), config) as served, served.connect() as sock:
        sock.sendall(
            b"POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b" " * 8192
        answered = False
        for _ in range(64):  # at most 512 KiB; the answer comes after 64 KiB
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sock.settimeout(0.02)
            try:
                answered = bool(sock.recv(1, socket.MSG_PEEK))
            except TimeoutError:
                continue
            if answered:
                break
        assert answered
        status, _, body = read_response(sock)
        assert status == 413
        assert json.loads(body)["error"]["code"] == "request_too_large"
    assert backend.requests == []


@pytest.mark.parametrize("http", HTTP_IMPLEMENTATIONS)
def test_slow_headers_are_cut_by_the_header_timeout(backend: FakeChatGPTBackend, http: str) -> None:
    config = ProxyConfig(header_timeout=0.4, keep_alive_timeout=30)
    with serve(in_process_client(backend), config, http=http) as served:
        # A connection that never sends anything.
        with served.connect() as idle:
            waited = closed_within(idle, 3)
            assert waited is not None
            assert 0.3 < waited < 1.5
        # A request line and one header byte every 0.1 s, as a slowloris client does.
        with served.connect() as slow:
            slow.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            started = time.monotonic()
            cut = False
            for _ in range(30):
                try:
                    slow.sendall(b"X")
                except (BrokenPipeError, ConnectionResetError):
                    cut = True
                    break
                if closed_within(slow, 0.1) is not None:
                    cut = True
                    break
            assert cut
            assert time.monotonic() - started < 1.5
        # After a full request on a keep-alive connection, the next one's headers are timed too.
        with served.connect() as reused:
            reused.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status, _, _ = read_response(reused)
            assert status == 200
            reused.sendall(b"GET /health HTTP/1.1\r\n")
            waited = closed_within(reused, 3)
            assert waited is not None
            assert waited < 1.5
        # A prompt client is not affected.
        response = httpx.get(f"{served.url}/health", timeout=5)
        assert response.status_code == 200


def test_slow_body_is_408(backend: FakeChatGPTBackend) -> None:
    config = ProxyConfig(body_timeout=0.4)
    with serve(in_process_client(backend), config) as served, served.connect() as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
        )
        started = time.monotonic()
        for _ in range(3):
            time.sleep(0.1)
            sock.sendall(b" ")
        status, headers, body = read_response(sock)
        assert status == 408
        assert 0.3 < time.monotonic() - started < 2
        assert json.loads(body)["error"]["code"] == "request_timeout"
        assert headers["connection"] == "close"
    assert backend.requests == []


@pytest.mark.parametrize("http", HTTP_IMPLEMENTATIONS)
def test_connections_past_the_cap_get_503(backend: FakeChatGPTBackend, http: str) -> None:
    config = ProxyConfig(max_connections=2)
    with serve(in_process_client(backend), config, http=http) as served:
        first, second, third = served.connect(), served.connect(), served.connect()
        with first, second, third:
            time.sleep(0.1)  # the server has accepted all three
            third.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status, headers, body = read_response(third)
            assert status == 503
            assert headers["retry-after"] == "1"
            assert json.loads(body)["error"]["code"] == "too_many_connections"
            first.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert read_response(first)[0] == 200
        # Once they are gone, new connections are served again.
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            if httpx.get(f"{served.url}/health", timeout=5).status_code == 200:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the cap never freed up")


@pytest.mark.parametrize("http", HTTP_IMPLEMENTATIONS)
def test_malformed_http_gets_error_json(backend: FakeChatGPTBackend, http: str) -> None:
    with serve(in_process_client(backend), http=http) as served, served.connect() as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        status, headers, body = read_response(sock)
        assert status == 400
        assert headers["content-type"] == "application/json"
        assert json.loads(body)["error"]["code"] == "bad_http_request"


def test_foreign_host_over_a_socket(backend: FakeChatGPTBackend) -> None:
    with serve(in_process_client(backend)) as served:
        response = httpx.post(
            f"{served.url}/v1/chat/completions",
            json=CHAT,
            headers={"host": "rebound.evil.example"},
            timeout=5,
        )
        assert_error(response, 403, "host_not_allowed")
        backend.reply("ok")
        for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}"):
            backend.reply("ok")
            ok = httpx.post(
                f"{served.url}/v1/chat/completions", json=CHAT, headers={"host": host}, timeout=5
            )
            assert ok.status_code == 200, ok.text


# --- a client that goes away cancels its upstream request --------------------------------------


class _Watched(httpx.SyncByteStream):
    """The fake's reply body, noting whether it was sent whole or cut."""

    def __init__(self, inner: httpx.SyncByteStream, log: list[str]) -> None:
        self.inner = inner
        self.log = log

    def __iter__(self) -> Iterator[bytes]:
        yield from self.inner
        self.log.append("complete")

    def close(self) -> None:
        if "complete" not in self.log:
            self.log.append("cut")
        self.inner.close()


class _Closes(httpx.AsyncBaseTransport):
    """The proxy's upstream transport, noting when each request ends early or its response is
    closed."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.closed: list[tuple[str, float]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        closed = self.closed
        path = request.url.path
        try:
            response = await self.inner.handle_async_request(request)
        except asyncio.CancelledError:
            closed.append((path, time.monotonic()))  # cancelled while waiting for the headers
            raise
        stream = response.stream

        class Noted(httpx.AsyncByteStream):
            async def __aiter__(self) -> AsyncIterator[bytes]:
                async for chunk in stream:  # type: ignore[union-attr]
                    yield chunk

            async def aclose(self) -> None:
                closed.append((path, time.monotonic()))
                await stream.aclose()  # type: ignore[union-attr]

        response.stream = Noted()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("shape", ["non-streamed", "streamed", "streamed, silent headers"])
def test_a_client_going_away_cancels_the_upstream_request(shape: str) -> None:
    backend = FakeChatGPTBackend()
    upstream = _Closes()
    log: list[str] = []
    stall = 1.5
    with backend.serve() as fake:
        wrapped = fake.app

        def app(request: httpx.Request) -> httpx.Response:
            response = wrapped(request)
            if request.url.path.endswith("/responses"):
                response.stream = _Watched(response.stream, log)  # type: ignore[arg-type]
            return response

        fake.app = app

        def make_client() -> AsyncChatGPT:
            return AsyncChatGPT(
                token_provider=StaticTokenProvider(
                    backend.access_token, account_id=backend.account_id
                ),
                base_url=fake.url + BASE_PATH,
                http_client=httpx.AsyncClient(transport=upstream),
                max_retries=0,
            )

        with serve(make_client) as served:
            if shape == "streamed, silent headers":
                backend.stall_headers(stall)
            else:
                backend.stall(stall, after_events=2)
            body = {"model": "gpt-5.5", "input": "hi", "stream": shape != "non-streamed"}
            with httpx.Client(base_url=served.url, timeout=0.3) as client:
                if shape == "streamed":
                    with client.stream("POST", "/v1/responses", json=body) as response:
                        assert response.status_code == 200
                        first = next(response.iter_raw())
                        assert b"response.created" in first
                    # leaving the block closes the half-read response: the connection is cut
                else:
                    with pytest.raises(httpx.ReadTimeout):
                        client.post("/v1/responses", json=body)
            gone_at = time.monotonic()
            deadline = gone_at + 1.0
            while not any(p.endswith("/responses") for p, _ in upstream.closed):
                assert time.monotonic() < deadline, "the upstream request was not closed"
                time.sleep(0.01)
            closed_at = next(t for p, t in upstream.closed if p.endswith("/responses"))
            assert closed_at - gone_at < stall / 2  # closed at once, not when the stall ended
            deadline = time.monotonic() + stall + 3
            while not log and time.monotonic() < deadline:
                time.sleep(0.02)
            # The fake, writing again after its stall, finds the connection cut.
            assert log == ["cut"]
    assert sent_responses(backend) == 1
