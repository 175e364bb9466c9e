"""The OpenAI-compatible proxy, in process: httpx.ASGITransport -> app -> FakeChatGPTBackend.

openai-python is not a test dependency, so these tests pin the exact wire shapes it parses:
chunk JSON, ``data: [DONE]``, the ``{"error": {...}}`` body, SSE ``event:``/``data:`` pairs.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from chatgpt_sdk import cli
from chatgpt_sdk._fake.backend import DEFAULT_MODELS
from chatgpt_sdk.server import (
    DROPPED_PARAMS_HEADER,
    ProxyConfig,
    ProxyConfigError,
    check_bind,
    create_app,
    load_config,
    parse_config,
)
from chatgpt_sdk.testing import FakeChatGPTBackend

KEY = "sk-local-test-key"
USER = [{"role": "user", "content": "hi"}]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": name,
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    for name in ("get_weather", "get_time")
]

Proxy = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
def backend() -> FakeChatGPTBackend:
    return FakeChatGPTBackend()


@pytest.fixture
async def proxy(backend: FakeChatGPTBackend) -> AsyncIterator[Proxy]:
    """``await proxy(api_key=..., config=..., peer=...)``: an HTTP client talking to a new app."""
    opened: list[Any] = []

    async def make(
        *, peer: tuple[str, int] = ("127.0.0.1", 50000), **kwargs: Any
    ) -> httpx.AsyncClient:
        client = backend.async_client(max_retries=0)
        app = create_app(client, **kwargs)
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=peer), base_url="http://proxy"
        )
        opened.extend([http, client])
        return http

    yield make
    for thing in reversed(opened):
        await (thing.aclose() if isinstance(thing, httpx.AsyncClient) else thing.close())


def sse_blocks(text: str) -> list[dict[str, str]]:
    """Each SSE event as {field: value}; every block must end with a blank line."""
    assert text.endswith("\n\n")
    blocks = []
    for raw in text[:-2].split("\n\n"):
        fields = {}
        for line in raw.split("\n"):
            name, _, value = line.partition(": ")
            fields[name] = value
        blocks.append(fields)
    return blocks


def chat_chunks(response: httpx.Response) -> list[dict[str, Any]]:
    """The chunks of a Chat stream, checking the framing: only data lines, [DONE] last."""
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    blocks = sse_blocks(response.text)
    assert all(list(block) == ["data"] for block in blocks)
    assert blocks[-1]["data"] == "[DONE]"
    assert all(block["data"] != "[DONE]" for block in blocks[:-1])
    return [json.loads(block["data"]) for block in blocks[:-1]]


def assert_error(response: httpx.Response, status: int, type_: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"message", "type", "param", "code"} <= set(error)
    assert isinstance(error["message"], str)
    assert error["message"]
    if type_ is not None:
        assert error["type"] == type_
    return dict(error)


# --- chat completions -------------------------------------------------------------------------


async def test_chat_non_stream(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    backend.reply("Hello there!")
    response = await http.post(
        "/v1/chat/completions",
        json={"model": "gpt-5.5", "messages": [{"role": "system", "content": "Be brief."}, *USER]},
    )
    assert response.status_code == 200
    assert DROPPED_PARAMS_HEADER not in response.headers
    body = response.json()
    assert body["object"] == "chat.completion"
    assert body["model"] == "gpt-5.5"
    (choice,) = body["choices"]
    assert choice["index"] == 0
    assert choice["message"] == {"role": "assistant", "content": "Hello there!", "refusal": None}
    assert choice["finish_reason"] == "stop"
    assert body["usage"]["total_tokens"] == (
        body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
    )
    assert backend.last_request.json["instructions"] == "Be brief."


async def test_chat_stream_text(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    backend.reply("Hello there!", deltas=["Hel", "lo ", "there!"])
    response = await http.post(
        "/v1/chat/completions", json={"model": "gpt-5.5", "messages": USER, "stream": True}
    )
    chunks = chat_chunks(response)
    assert len({c["id"] for c in chunks}) == 1
    assert all(c["object"] == "chat.completion.chunk" and "usage" not in c for c in chunks)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant"}
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert text == "Hello there!"
    finishes = [c["choices"][0]["finish_reason"] for c in chunks]
    assert finishes[-1] == "stop"
    assert finishes.count("stop") == 1
    assert finishes[:-1] == [None] * (len(chunks) - 1)


async def test_chat_stream_parallel_tool_calls(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    backend.reply(
        tool_calls=[("get_weather", '{"city":"Paris"}'), ("get_time", '{"city":"Tokyo"}')]
    )
    response = await http.post(
        "/v1/chat/completions",
        json={"model": "gpt-5.5", "messages": USER, "tools": TOOLS, "stream": True},
    )
    chunks = chat_chunks(response)
    assert all(len(c["choices"]) == 1 and c["choices"][0]["index"] == 0 for c in chunks)
    calls: dict[int, dict[str, str]] = {}
    for chunk in chunks:
        for part in chunk["choices"][0]["delta"].get("tool_calls") or []:
            call = calls.setdefault(part["index"], {"id": "", "name": "", "arguments": ""})
            if "id" in part:
                assert part["type"] == "function"
                call["id"] = part["id"]
                call["name"] = part["function"]["name"]
            call["arguments"] += part["function"].get("arguments", "")
    assert sorted(calls) == [0, 1]
    assert [(c["name"], c["arguments"]) for c in calls.values()] == [
        ("get_weather", '{"city":"Paris"}'),
        ("get_time", '{"city":"Tokyo"}'),
    ]
    assert all(c["id"] for c in calls.values())
    finishes = [
        c["choices"][0]["finish_reason"] for c in chunks if c["choices"][0]["finish_reason"]
    ]
    assert finishes == ["tool_calls"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
    sent_tools = backend.last_request.json["tools"]
    assert [t["name"] for t in sent_tools] == ["get_weather", "get_time"]


async def test_chat_stream_include_usage(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    backend.reply("Hi", usage={"output_tokens": 7})
    response = await http.post(
        "/v1/chat/completions",
        json={
            "model": "gpt-5.5",
            "messages": USER,
            "stream": True,
            "stream_options": {"include_usage": True},
        },
    )
    chunks = chat_chunks(response)
    *content, last = chunks
    assert last["choices"] == []
    assert last["usage"]["completion_tokens"] == 7
    assert all(c["usage"] is None for c in content)
    assert content[-1]["choices"][0]["finish_reason"] == "stop"
    assert "stream_options" not in backend.last_request.json


async def test_chat_validation_error_names_the_field(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    http = await proxy()
    error = assert_error(
        await http.post("/v1/chat/completions", json={"model": "gpt-5.5"}),
        400,
        "invalid_request_error",
    )
    assert "messages" in error["message"]
    assert error["param"] == "messages"
    error = assert_error(
        await http.post(
            "/v1/chat/completions", json={"model": "gpt-5.5", "messages": USER, "n": 2}
        ),
        400,
    )
    assert "n=2" in error["message"]
    bad_json = await http.post(
        "/v1/chat/completions", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert "not valid JSON" in assert_error(bad_json, 400)["message"]
    assert backend.requests == []


# --- responses --------------------------------------------------------------------------------


async def test_responses_non_stream(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    backend.reply("Native!", tool_calls=[("get_weather", '{"city":"Paris"}')])
    response = await http.post(
        "/v1/responses", json={"model": "gpt-5.5", "input": "hi", "instructions": "Be brief"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "response"
    assert body["status"] == "completed"
    assert [item["type"] for item in body["output"]] == ["message", "function_call"]
    assert body["output"][0]["content"][0]["text"] == "Native!"
    assert body["usage"]["input_tokens"] > 0
    sent = backend.last_request.json
    assert sent["instructions"] == "Be brief"
    assert sent["store"] is False


async def test_responses_stream(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    backend.reply("Streamed", deltas=["Stream", "ed"])
    response = await http.post(
        "/v1/responses", json={"model": "gpt-5.5", "input": "hi", "stream": True}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    blocks = sse_blocks(response.text)
    events = []
    for block in blocks:
        assert list(block) == ["event", "data"]
        data = json.loads(block["data"])
        assert data["type"] == block["event"]
        events.append(data)
    kinds = [e["type"] for e in events]
    assert kinds[0] == "response.created"
    assert kinds[-1] == "response.completed"
    deltas = [e["delta"] for e in events if e["type"] == "response.output_text.delta"]
    assert deltas == ["Stream", "ed"]
    # The backend's completed event has output: []; the proxy fills it from output_item.done.
    final = events[-1]["response"]
    assert final["output"][0]["content"][0]["text"] == "Streamed"


# --- models -----------------------------------------------------------------------------------

LITELLM_CONFIG = """
model_list:
  - model_name: chatgpt/gpt-5.2
    model_info:
      mode: responses
    litellm_params:
      model: chatgpt/gpt-5.2
  - model_name: fast
    litellm_params:
      model: chatgpt/gpt-5.4
      reasoning_effort: low
"""


def config_file(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_models_lists_catalog_and_aliases(proxy: Proxy, tmp_path: Path) -> None:
    http = await proxy(config=load_config(config_file(tmp_path, LITELLM_CONFIG)))
    response = await http.get("/v1/models")
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "list"
    ids = [m["id"] for m in body["data"]]
    served = [m["slug"] for m in DEFAULT_MODELS if m.get("visibility") in (None, "list")]
    assert ids == [*served, "chatgpt/gpt-5.2", "fast"]
    assert {"gpt-6.2-sol", "gpt-5.5", "gpt-5.2"} <= set(served)
    assert body["data"][-1] == {"id": "fast", "object": "model", "created": 0, "owned_by": "openai"}
    one = await http.get("/v1/models/chatgpt/gpt-5.2")
    assert one.status_code == 200
    assert one.json()["id"] == "chatgpt/gpt-5.2"
    assert_error(await http.get("/v1/models/nope"), 404)


async def test_aliases_map_to_slugs_with_their_defaults(
    proxy: Proxy, backend: FakeChatGPTBackend, tmp_path: Path
) -> None:
    http = await proxy(config=load_config(config_file(tmp_path, LITELLM_CONFIG)))
    backend.reply("ok")
    response = await http.post("/v1/chat/completions", json={"model": "fast", "messages": USER})
    assert response.status_code == 200
    assert response.json()["model"] == "fast"
    sent = backend.last_request.json
    assert sent["model"] == "gpt-5.4"
    assert sent["reasoning"]["effort"] == "low"
    # An explicit effort wins over the alias's default; LiteLLM-style names work unlisted too.
    backend.reply("ok")
    await http.post(
        "/v1/chat/completions",
        json={"model": "fast", "messages": USER, "reasoning_effort": "high"},
    )
    assert backend.last_request.json["reasoning"]["effort"] == "high"
    backend.reply("ok")
    await http.post("/v1/responses", json={"model": "chatgpt/gpt-5.5", "input": "hi"})
    assert backend.last_request.json["model"] == "gpt-5.5"


async def test_only_listed_and_defaults(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    config = parse_config(
        {
            "model_list": [{"model_name": "main", "litellm_params": {"model": "gpt-5.2"}}],
            "only_listed": True,
            "default_instructions": "You are terse.",
            "reasoning_effort": "medium",
        }
    )
    http = await proxy(config=config)
    models = (await http.get("/v1/models")).json()["data"]
    assert [m["id"] for m in models] == ["main"]
    assert backend.requests == []  # the catalog was not needed
    error = assert_error(
        await http.post("/v1/chat/completions", json={"model": "gpt-5.5", "messages": USER}),
        404,
    )
    assert error["code"] == "model_not_found"
    assert "main" in error["message"]
    backend.reply("ok")
    assert (await http.post("/v1/responses", json={"model": "main", "input": "x"})).is_success
    sent = backend.last_request.json
    assert sent["model"] == "gpt-5.2"
    assert sent["instructions"] == "You are terse."
    assert sent["reasoning"]["effort"] == "medium"


# --- auth -------------------------------------------------------------------------------------


async def test_api_key_required_when_set(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy(api_key=KEY)
    request = {"model": "gpt-5.5", "messages": USER}
    missing = assert_error(await http.post("/v1/chat/completions", json=request), 401)
    assert missing["code"] == "invalid_api_key"
    wrong = await http.post(
        "/v1/chat/completions", json=request, headers={"Authorization": "Bearer sk-wrong"}
    )
    assert assert_error(wrong, 401)["message"] == "Incorrect API key provided."
    assert KEY not in wrong.text
    assert_error(await http.get("/v1/models", headers={"Authorization": KEY}), 401)
    assert backend.requests == []
    backend.reply("in")
    right = await http.post(
        "/v1/chat/completions", json=request, headers={"Authorization": f"Bearer {KEY}"}
    )
    assert right.status_code == 200
    health = await http.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"


async def test_without_a_key_only_loopback_is_served(proxy: Proxy) -> None:
    remote = await proxy(peer=("203.0.113.7", 40000))
    error = assert_error(await remote.get("/v1/models"), 403)
    assert "--api-key" in error["message"]
    keyed = await proxy(peer=("203.0.113.7", 40000), api_key=KEY)
    ok = await keyed.get("/v1/models", headers={"Authorization": f"Bearer {KEY}"})
    assert ok.status_code == 200
    assert (await (await proxy(peer=("::1", 40000))).get("/v1/models")).status_code == 200


def test_refuses_to_bind_a_public_host_without_a_key() -> None:
    with pytest.raises(ProxyConfigError, match="without an API key"):
        check_bind("0.0.0.0", None)
    with pytest.raises(ProxyConfigError, match="--api-key"):
        check_bind("::", None)
    check_bind("127.0.0.1", None)
    check_bind("localhost", None)
    check_bind("::1", None)
    check_bind("0.0.0.0", KEY)


# --- dropped parameters -----------------------------------------------------------------------


async def test_dropped_params_are_reported_in_a_header(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    http = await proxy()
    backend.reply("fine")
    response = await http.post(
        "/v1/chat/completions",
        json={"model": "gpt-5.5", "messages": USER, "max_tokens": 50, "temperature": 0.2},
    )
    assert response.status_code == 200
    assert response.headers[DROPPED_PARAMS_HEADER] == "max_tokens,temperature"
    sent = backend.last_request.json
    assert "max_tokens" not in sent
    assert "temperature" not in sent
    backend.reply("fine")
    streamed = await http.post(
        "/v1/responses",
        json={"model": "gpt-5.5", "input": "x", "max_output_tokens": 9, "stream": True},
    )
    assert streamed.status_code == 200
    assert streamed.headers[DROPPED_PARAMS_HEADER] == "max_output_tokens"


async def test_strict_config_rejects_unsupported_params(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    http = await proxy(config=ProxyConfig(strict=True))
    response = await http.post(
        "/v1/chat/completions",
        json={"model": "gpt-5.5", "messages": USER, "temperature": 0.2, "stream": True},
    )
    error = assert_error(response, 400, "invalid_request_error")
    assert error["param"] == "temperature"
    assert error["code"] == "unsupported_parameter"
    assert "temperature" in error["message"]
    assert backend.requests == []


# --- errors from the backend ------------------------------------------------------------------


async def test_usage_limit_is_429_with_retry_after(
    proxy: Proxy, backend: FakeChatGPTBackend
) -> None:
    http = await proxy()
    resets_at = int(time.time()) + 3600
    backend.usage_limit(plan_type="plus", resets_at=resets_at)
    response = await http.post(
        "/v1/chat/completions", json={"model": "gpt-5.5", "messages": USER, "stream": True}
    )
    error = assert_error(response, 429, "rate_limit_error")
    assert error["code"] == "usage_limit_reached"
    assert error["resets_at"] == resets_at
    assert error["plan_type"] == "plus"
    assert "resets at" in error["message"]
    assert 3590 <= int(response.headers["retry-after"]) <= 3600


async def test_backend_400_keeps_its_message(proxy: Proxy, backend: FakeChatGPTBackend) -> None:
    http = await proxy()
    response = await http.post("/v1/responses", json={"model": "gpt-9", "input": "hi"})
    error = assert_error(response, 400, "invalid_request_error")
    assert error["message"] == (
        "The 'gpt-9' model is not supported when using Codex with a ChatGPT account."
    )
    backend.error(500, {"detail": "boom"}, headers={"retry-after": "7"})
    failed = await http.post("/v1/chat/completions", json={"model": "gpt-5.5", "messages": USER})
    assert assert_error(failed, 500, "server_error")["message"] == "boom"
    assert failed.headers["retry-after"] == "7"


async def test_missing_login_is_401_naming_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "no-codex"))
    app = create_app()  # no client: one is made at startup and closed at shutdown
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://proxy") as http,
    ):
        response = await http.post(
            "/v1/chat/completions", json={"model": "gpt-5.5", "messages": USER}
        )
    error = assert_error(response, 401, "authentication_error")
    assert "chatgpt-sdk login" in error["message"]
    assert error["code"] == "login_required"


async def test_startup_builds_the_validators_but_never_freezes_the_heap(
    backend: FakeChatGPTBackend, monkeypatch: pytest.MonkeyPatch, heap_freezes: list[int]
) -> None:
    from chatgpt_sdk import streaming

    monkeypatch.setattr(streaming, "_EVENT_ADAPTERS", None)
    client = backend.async_client()
    app = create_app(client)
    async with app.router.lifespan_context(app):
        assert streaming._EVENT_ADAPTERS is not None  # built before the first request
    await client.close()
    assert heap_freezes == []  # create_app leaves the process's heap to its owner


async def test_dropped_stream_ends_with_an_error_event(
    proxy: Proxy, backend: FakeChatGPTBackend, caplog: pytest.LogCaptureFixture
) -> None:
    http = await proxy()
    caplog.set_level(logging.DEBUG)
    backend.drop_after(6)
    response = await http.post(
        "/v1/chat/completions", json={"model": "gpt-5.5", "messages": USER, "stream": True}
    )
    assert response.status_code == 200
    blocks = sse_blocks(response.text)
    assert all(b["data"] != "[DONE]" for b in blocks)
    last = json.loads(blocks[-1]["data"])
    assert set(last) == {"error"}
    assert last["error"]["code"] == "stream_error"
    assert "dropped" in last["error"]["message"]
    assert any("content" in json.loads(b["data"])["choices"][0]["delta"] for b in blocks[:-1])

    backend.drop_after(6)
    response = await http.post(
        "/v1/responses", json={"model": "gpt-5.5", "input": "hi", "stream": True}
    )
    blocks = sse_blocks(response.text)
    assert blocks[-1]["event"] == "error"
    error_event = json.loads(blocks[-1]["data"])
    assert error_event["type"] == "error"
    assert error_event["code"] == "stream_error"
    assert error_event["error"]["message"] == error_event["message"]
    assert backend.access_token not in caplog.text + response.text


async def test_unknown_path_is_json_404(proxy: Proxy) -> None:
    http = await proxy()
    assert_error(await http.get("/v1/embeddings"), 404)
    assert_error(await http.get("/v1/chat/completions"), 405)


# --- config files -----------------------------------------------------------------------------


def test_litellm_config_loads(tmp_path: Path) -> None:
    config = load_config(config_file(tmp_path, LITELLM_CONFIG))
    routes = config.routes()
    assert routes["chatgpt/gpt-5.2"].slug == "gpt-5.2"
    assert routes["fast"].slug == "gpt-5.4"
    assert routes["fast"].reasoning_effort == "low"
    assert config.strict is False
    assert config.only_listed is False
    assert load_config(config_file(tmp_path, "", "empty.yaml")) == ProxyConfig()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("model_list: [\n  - oops", "invalid YAML at line"),
        ("strictt: true\n", "strictt: unknown key"),
        (
            "model_list:\n  - model_name: x\n    litellm_params: {model: gpt-5.2, api_base: y}\n",
            "model_list[0].litellm_params.api_base: unknown key",
        ),
        (
            "model_list:\n  - model_name: x\n    litellm_params: {model: openai/gpt-4o}\n",
            "model_list[0].litellm_params.model: 'openai/gpt-4o' belongs to LiteLLM provider",
        ),
        ("model_list:\n  - model_name: x\n", "model_list[0].litellm_params: Field required"),
        ("general_settings: {master_key: sk-1}\n", "'general_settings' is a LiteLLM section"),
        ("reasoning_effort: huge\n", "reasoning_effort: Input should be"),
        ("- just a list\n", "the top level must be a mapping"),
    ],
)
def test_config_errors_name_the_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = config_file(tmp_path, text, "proxy.yaml")
    with pytest.raises(ProxyConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "sk-1" not in message


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProxyConfigError, match=r"nope\.yaml: cannot read"):
        load_config(tmp_path / "nope.yaml")


# --- the serve command ------------------------------------------------------------------------


def test_serve_runs_uvicorn_with_the_app(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    heap_freezes: list[int],
) -> None:
    import uvicorn

    from chatgpt_sdk import streaming

    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kw: Any) -> None:
        # By the time uvicorn starts, the validators exist and the heap was frozen once.
        seen.update(app=app, adapters=streaming._EVENT_ADAPTERS, freezes=list(heap_freezes), **kw)

    monkeypatch.setattr(streaming, "_EVENT_ADAPTERS", None)
    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("CHATGPT_SDK_API_KEY", KEY)
    path = config_file(tmp_path, LITELLM_CONFIG)
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "8123", "--config", str(path)]) == 0
    assert seen["host"] == "0.0.0.0"
    assert seen["port"] == 8123
    assert seen["app"].state.proxy.routes["fast"].slug == "gpt-5.4"
    out = capsys.readouterr()
    assert "http://0.0.0.0:8123/v1" in out.err
    assert KEY not in out.out + out.err
    # uvloop when installed; the protocol with the header deadline and the connection cap
    assert seen["loop"] == "auto"
    assert seen["http"].header_timeout == 10.0
    assert seen["http"].max_connections == 512
    assert seen["timeout_keep_alive"] == 5
    assert seen["adapters"] is not None
    assert len(seen["freezes"]) == 1  # frozen once, before serving
    assert seen["freezes"][0] > 0
    assert heap_freezes[1:] == [-1]  # and unfrozen when serving ended


def test_serve_limits_from_the_config_and_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.delenv("CHATGPT_SDK_API_KEY", raising=False)
    path = config_file(
        tmp_path,
        "max_body_size: 8MB\nallowed_hosts: [proxy.lan]\nmax_concurrent_requests: 4\n"
        "header_timeout: 3\nkeep_alive_timeout: 7\n",
    )
    argv = ["serve", "--config", str(path), "--max-concurrent-requests", "9"]
    argv += ["--allowed-host", "other.lan", "--allowed-origin", "http://localhost:5173"]
    argv += ["--body-timeout", "12.5", "--max-connections", "33"]
    assert cli.main(argv) == 0
    config = seen["app"].state.proxy.config
    assert config.max_body_size == 8 * 1024 * 1024
    assert config.max_concurrent_requests == 9  # the flag beats the file
    assert config.allowed_hosts == ["proxy.lan", "other.lan"]
    assert config.allowed_origins == ["http://localhost:5173"]
    assert config.body_timeout == 12.5
    assert seen["http"].header_timeout == 3
    assert seen["http"].max_connections == 33
    assert seen["timeout_keep_alive"] == 7

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: pytest.fail("must not start"))
    assert cli.main(["serve", "--max-body-size", "lots"]) == 1
    assert "command line: max_body_size: 'lots' is not a size" in capsys.readouterr().err
    assert cli.main(["serve", "--allowed-origin", "*"]) == 1
    assert "needs an API key" in capsys.readouterr().err


def test_limit_keys_and_their_defaults() -> None:
    config = ProxyConfig()
    assert config.max_body_size == 32 * 1024 * 1024
    assert config.allowed_hosts == []
    assert config.allowed_origins == []
    assert config.max_concurrent_requests == 128
    assert config.max_connections == 512
    assert config.header_timeout == 10.0
    assert config.body_timeout == 60.0
    assert config.keep_alive_timeout == 5
    assert parse_config({"max_body_size": "512KiB"}).max_body_size == 512 * 1024
    assert parse_config({"max_body_size": 1000}).max_body_size == 1000
    assert parse_config({"max_concurrent_requests": None}).max_concurrent_requests is None
    for bad, message in [
        ({"max_body_size": 0}, "max_body_size: Input should be greater than 0"),
        ({"max_body_size": True}, "max_body_size: a size is"),
        ({"allowed_origins": ["localhost:3000"]}, "is not an origin"),
        ({"allowed_hosts": [""]}, "must not be empty"),
        ({"header_timeout": -1}, "header_timeout: Input should be greater than 0"),
    ]:
        with pytest.raises(ProxyConfigError, match=message):
            parse_config(bad)


def test_serve_reports_config_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: pytest.fail("must not start"))
    path = config_file(tmp_path, "bogus: 1\n")
    assert cli.main(["serve", "--config", str(path)]) == 1
    assert f"{path}: bogus: unknown key" in capsys.readouterr().err
