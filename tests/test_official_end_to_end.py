"""The official backend end to end against FakeSIWC: the SDK, the bridge, the proxy and the CLI.

The fake enforces SIWC 3.3-3.6 (stored and omitted fields, flat tools, system messages, usage
limits before and mid-stream), so passing here means the client shapes what the route documents.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from official_support import ISSUER, provider_for, signed_in

from chatgpt_sdk import AsyncChatGPT, ChatGPT, cli, errors
from chatgpt_sdk._backends.official import USAGE_SETTINGS_URL
from chatgpt_sdk.auth import OfficialTokenProvider
from chatgpt_sdk.server import create_app
from chatgpt_sdk.server._run import check_official_exposure
from chatgpt_sdk.server.config import ProxyConfigError
from chatgpt_sdk.testing import FakeSIWC

MODEL = "gpt-6.1-sol"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}
TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def fake() -> FakeSIWC:
    return FakeSIWC()


@pytest.fixture
def provider(fake: FakeSIWC, tmp_path: Path) -> OfficialTokenProvider:
    return signed_in(fake, tmp_path)


@pytest.fixture
def client(fake: FakeSIWC, provider: OfficialTokenProvider) -> Iterator[ChatGPT]:
    with ChatGPT(
        token_provider=provider, base_url=f"{ISSUER}/v1", http_client=fake.http_client()
    ) as chatgpt:
        yield chatgpt


# --- the fake's rules, asked directly ---------------------------------------------------------


def post(fake: FakeSIWC, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    token = token or fake.issue_access_token()
    return fake.handle(
        httpx.Request(
            "POST",
            f"{ISSUER}/v1/responses",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
    )


BASE_BODY = {
    "model": MODEL,
    "input": [{"role": "user", "content": "hi"}],
    "store": False,
    "stream": True,
}


@pytest.mark.parametrize(
    ("change", "status", "param"),
    [
        ({"store": True}, 400, "store"),
        ({"stream": False}, 400, "stream"),
        ({"previous_response_id": "resp_1"}, 400, "previous_response_id"),
        ({"service_tier": "priority"}, 400, "service_tier"),
        ({"max_output_tokens": 10}, 400, "max_output_tokens"),
        ({"temperature": 0.2}, 400, "temperature"),
        ({"conversation": "conv_1"}, 400, "conversation"),
        ({"tools": [WEATHER]}, 400, "tools[0]"),
        ({"tools": [{"type": "custom", "name": "x"}]}, 400, "tools[0]"),
        ({"tools": [{"type": "file_search"}]}, 400, "tools[0]"),
    ],
)
def test_the_fake_refuses_what_the_route_refuses(
    fake: FakeSIWC, change: dict[str, Any], status: int, param: str
) -> None:
    answer = post(fake, {**BASE_BODY, **change})
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["code"] == "subscription_sharing_unsupported_capability"
    assert error["param"] == param


def test_the_fake_refuses_string_input_system_messages_and_other_routes(fake: FakeSIWC) -> None:
    answer = post(fake, {**BASE_BODY, "input": "hi"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "list_type"
    system = post(fake, {**BASE_BODY, "input": [{"role": "system", "content": "x"}]})
    assert system.status_code == 400
    token = fake.issue_access_token()
    chat = fake.handle(
        httpx.Request(
            "POST",
            f"{ISSUER}/v1/chat/completions",
            json={},
            headers={"Authorization": f"Bearer {token}"},
        )
    )
    assert chat.status_code == 403
    assert chat.json()["error"]["code"] == "subscription_sharing_route_not_supported"
    no_plan = fake.issue_access_token(scopes=("openid", "offline_access"))
    refused = post(fake, BASE_BODY, no_plan)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "chatpass_v2_scope_not_authorized"
    assert post(fake, BASE_BODY, "not-a-token").status_code == 401


def test_the_fake_takes_namespaces_and_additional_tools(fake: FakeSIWC) -> None:
    namespace = {"type": "namespace", "name": "app", "description": "", "tools": [WEATHER]}
    assert post(fake, {**BASE_BODY, "tools": [namespace]}).status_code == 200
    item = {"type": "additional_tools", "role": "developer", "tools": [namespace]}
    body = {**BASE_BODY, "input": [item, *BASE_BODY["input"]]}  # type: ignore[list-item]
    assert post(fake, body).status_code == 200


# --- the SDK ---------------------------------------------------------------------------------


def test_the_sdk_on_an_official_login(client: ChatGPT, fake: FakeSIWC) -> None:
    assert client.backend == "official"  # chosen from the login
    reply = client.responses.create(model=MODEL, input="Say hi", instructions="Be brief.")
    assert reply.output_text == "You said: Say hi"
    request = fake.last_request
    assert request.path == "/v1/responses"
    assert request.headers["authorization"].startswith("Bearer ")
    for codex_only in ("chatgpt-account-id", "originator", "version", "session-id"):
        assert codex_only not in request.headers
    assert request.json["store"] is False
    assert request.json["stream"] is True
    models = client.models.list()
    assert [m.slug for m in models][:2] == ["gpt-6.2-sol", "gpt-6.2-astra"]


def test_tools_round_trip_with_their_namespace(client: ChatGPT, fake: FakeSIWC) -> None:
    fake.reply("Checking.", tool_calls=[("get_weather", '{"city":"Paris"}')])
    first = client.responses.create(model=MODEL, input="Weather in Paris?", tools=[WEATHER])
    call = first.output[-1]
    assert getattr(call, "name", None) == "get_weather"
    sent = fake.last_request.json
    assert "tools" not in sent
    assert sent["input"][0]["type"] == "additional_tools"
    fake.reply("Paris: 21 °C.")
    second = client.responses.create(
        model=MODEL,
        tools=[WEATHER],
        input=[
            {"role": "user", "content": "Weather in Paris?"},
            *first.output,
            {
                "type": "function_call_output",
                "call_id": getattr(call, "call_id", ""),
                "output": '{"temp_c": 21}',
            },
        ],
    )
    assert second.output_text == "Paris: 21 °C."


def test_inline_images_pass(client: ChatGPT, fake: FakeSIWC) -> None:
    client.responses.create(
        model=MODEL,
        input=[
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "What is this?"},
                    {"type": "input_image", "image_url": TINY_PNG},
                ],
            }
        ],
    )
    parts = fake.last_request.json["input"][-1]["content"]
    assert parts[1]["image_url"] == TINY_PNG


def test_dropped_fields_never_reach_the_route(client: ChatGPT, fake: FakeSIWC) -> None:
    with pytest.warns(errors.UnsupportedParameterWarning):
        reply = client.responses.create(
            model=MODEL, input="hi", temperature=0.3, service_tier="priority", max_output_tokens=9
        )
    assert reply.output_text == "You said: hi"


def test_usage_limit_before_the_stream_is_not_retried(client: ChatGPT, fake: FakeSIWC) -> None:
    fake.usage_limit()
    with pytest.raises(errors.UsageLimitError) as caught:
        client.responses.create(model=MODEL, input="one more?")
    assert caught.value.resets_at is None
    assert USAGE_SETTINGS_URL in caught.value.message
    assert len([r for r in fake.requests if r.path == "/v1/responses"]) == 1


def test_usage_limit_mid_stream(client: ChatGPT, fake: FakeSIWC) -> None:
    fake.usage_limit_mid_stream("Half an ans")
    texts: list[str] = []
    with (
        pytest.raises(errors.UsageLimitError),
        client.responses.stream(model=MODEL, input="long one") as stream,
    ):
        texts.extend(stream.text_deltas())
    assert "".join(texts).startswith("Half")


def test_usage_unavailable_is_retried(fake: FakeSIWC, provider: OfficialTokenProvider) -> None:
    fake.usage_unavailable()
    with ChatGPT(
        token_provider=provider,
        base_url=f"{ISSUER}/v1",
        http_client=fake.http_client(),
        max_retries=2,
    ) as chatgpt:
        assert chatgpt.responses.create(model=MODEL, input="again").output_text
    assert len([r for r in fake.requests if r.path == "/v1/responses"]) == 2


def test_an_expired_access_token_is_refreshed_after_a_401(client: ChatGPT, fake: FakeSIWC) -> None:
    client.responses.create(model=MODEL, input="first")
    fake._access.clear()  # the route no longer accepts the token (revoked, expired...)
    assert client.responses.create(model=MODEL, input="second").output_text
    assert len(fake.refresh_requests) == 1


def test_untyped_event_streams_are_accepted(client: ChatGPT, fake: FakeSIWC) -> None:
    fake.untyped_streams = True
    assert client.responses.create(model=MODEL, input="hi").output_text == "You said: hi"


async def test_the_async_client(fake: FakeSIWC, provider: OfficialTokenProvider) -> None:
    async with AsyncChatGPT(
        token_provider=provider,
        base_url=f"{ISSUER}/v1",
        http_client=httpx.AsyncClient(transport=fake.transport()),
    ) as chatgpt:
        assert chatgpt.backend == "official"
        reply = await chatgpt.responses.create(model=MODEL, input="async hi")
        assert reply.output_text == "You said: async hi"


def test_the_bridge(client: ChatGPT, fake: FakeSIWC) -> None:
    chat = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hey"}],
    )
    assert chat.choices[0].message.content == "You said: hey"
    sent = fake.last_request.json
    assert sent["instructions"] == "Be brief."
    assert all(item.get("role") != "system" for item in sent["input"])
    fake.reply("", tool_calls=[("get_weather", '{"city":"Oslo"}')])
    chunks = list(
        client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "weather?"}],
            tools=[
                {
                    "type": "function",
                    "function": {"name": "get_weather", "parameters": WEATHER["parameters"]},
                }
            ],
            stream=True,
        )
    )
    calls = [c for chunk in chunks for c in chunk.choices[0].delta.tool_calls or []]
    assert calls[0].function is not None
    assert calls[0].function.name == "get_weather"
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


async def test_the_proxy(fake: FakeSIWC, provider: OfficialTokenProvider) -> None:
    chatgpt = AsyncChatGPT(
        token_provider=provider,
        base_url=f"{ISSUER}/v1",
        http_client=httpx.AsyncClient(transport=fake.transport()),
        max_retries=0,
    )
    app = create_app(chatgpt)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
        base_url="http://127.0.0.1",
    ) as http:
        chat = await http.post(
            "/v1/chat/completions",
            json={"model": MODEL, "messages": [{"role": "user", "content": "proxy?"}]},
        )
        assert chat.status_code == 200, chat.text
        assert chat.json()["choices"][0]["message"]["content"] == "You said: proxy?"
        responses = await http.post("/v1/responses", json={"model": MODEL, "input": "r?"})
        assert responses.status_code == 200, responses.text
        fake.usage_limit()
        limited = await http.post("/v1/responses", json={"model": MODEL, "input": "more?"})
        assert limited.status_code == 429
    await chatgpt.close()


def test_the_proxy_keeps_an_official_login_on_loopback() -> None:
    check_official_exposure("127.0.0.1", serves_only_me=False, official=True)
    with pytest.raises(ProxyConfigError, match="serves-only-me"):
        check_official_exposure("0.0.0.0", serves_only_me=False, official=True)
    check_official_exposure("0.0.0.0", serves_only_me=True, official=True)
    check_official_exposure("0.0.0.0", serves_only_me=False, official=False)


# --- the CLI ----------------------------------------------------------------------------------


@pytest.fixture
def served(fake: FakeSIWC, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fake on a loopback port, the CLI's environment pointed at it; yields its URL."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "tokens"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    for name in ("CHATGPT_BACKEND", "CHATGPT_PROFILE", "CHATGPT_AUTH_FILE", "CHATGPT_MODEL"):
        monkeypatch.delenv(name, raising=False)
    with fake.serve() as server:
        monkeypatch.setenv("CHATGPT_AUTH_ISSUER", server.url)
        monkeypatch.setenv("CHATGPT_API_BASE", server.url + "/v1")
        yield server.url


def cli_login(fake: FakeSIWC, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    """``chatgpt-sdk login --official``, with the fake playing the browser that gets opened."""
    import threading
    import webbrowser

    def open_url(url: str, *args: Any, **kwargs: Any) -> bool:
        threading.Thread(target=fake.browser, args=(url,), daemon=True).start()
        return True

    monkeypatch.setattr(webbrowser, "open", open_url)
    return cli.main(["login", "--official", *extra])


def test_cli_login_status_ask_logout(
    fake: FakeSIWC,
    served: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli_login(fake, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "Signed in with ChatGPT" in out
    assert "dynamic_agent_client" in out  # the printed URL (no token in it)
    provider = OfficialTokenProvider(issuer=served)
    record = provider.peek()
    assert record is not None
    for token in (record.access_token, record.refresh_token, record.id_token):
        assert token
        assert token not in out

    assert cli.main(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["backend"] == "official"
    assert report["client_id"] == record.client_id
    assert report["host_id"] == record.ext_agent_host_id
    assert report["api_base"] == "https://api.openai.com/v1"
    assert report["plan_enabled"] is True
    assert cli.main(["status"]) == 0
    text = capsys.readouterr().out
    assert "official" in text
    assert record.client_id in text
    assert record.ext_agent_host_id in text

    fake.reply("Hello from the plan.")
    assert cli.main(["ask", "-m", MODEL, "hi"]) == 0
    assert capsys.readouterr().out.strip() == "Hello from the plan."
    assert fake.last_request.path == "/v1/responses"

    assert cli.main(["logout", "--yes"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert fake.refresh_token_state(record.refresh_token or "") == "revoked"
    after = provider.peek()
    assert after is not None
    assert not after.signed_in
    assert after.client_id == record.client_id


def test_cli_export_and_import(
    fake: FakeSIWC,
    served: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli_login(fake, monkeypatch) == 0
    capsys.readouterr()
    moved = tmp_path / "login.json"
    assert cli.main(["export", "-o", str(moved)]) == 0
    assert "live tokens" in capsys.readouterr().err
    assert moved.stat().st_mode & 0o777 == 0o600
    here = OfficialTokenProvider(issuer=served).peek()
    assert here is not None
    assert not here.signed_in
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "server"))
    assert cli.main(["import", str(moved)]) == 0
    there = OfficialTokenProvider(issuer=served)
    imported = there.peek()
    assert imported is not None
    assert imported.signed_in
    assert imported.ext_agent_host_id == there.host_id() != here.ext_agent_host_id
    assert fake.is_valid_access_token(there.credentials().access_token)


def test_cli_serve_refuses_an_official_login_off_loopback(
    fake: FakeSIWC,
    served: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli_login(fake, monkeypatch) == 0
    capsys.readouterr()
    started: list[dict[str, Any]] = []
    from chatgpt_sdk import server

    monkeypatch.setattr(server, "run", lambda **kwargs: started.append(kwargs))
    code = cli.main(["serve", "--host", "0.0.0.0", "--api-key", "sk-local"])
    assert code == 1
    assert "serves-only-me" in capsys.readouterr().err
    assert started == []
    assert cli.main(["serve", "--host", "0.0.0.0", "--api-key", "k", "--serves-only-me"]) == 0
    assert started
    assert started[0]["serves_only_me"] is True


def test_provider_in_another_directory_is_untouched(fake: FakeSIWC, tmp_path: Path) -> None:
    """Two token directories are two machines: nothing leaks between them."""
    one = signed_in(fake, tmp_path / "one")
    two = provider_for(fake, tmp_path / "two")
    assert two.registration() is None
    assert one.host_id() != two.host_id(create=True)
    assert time.time() > 0
