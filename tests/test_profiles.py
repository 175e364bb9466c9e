"""Profiles: several logins side by side, in the file store and in Redis; the CLI's ``--profile``
and ``--token-store``; a proxy whose models name the login they use; ``/health`` and the store.

The default profile is today's auth file: existing files keep working untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis_support import free_port, redis_or_skip

from chatgpt_sdk import cli
from chatgpt_sdk._fake.backend import BASE_PATH, FakeChatGPTBackend
from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk._fake.server import serve
from chatgpt_sdk.auth import (
    FileTokenProvider,
    FileTokenStore,
    RedisTokenStore,
    default_token_provider,
)
from chatgpt_sdk.auth._credentials import jwt_claims
from chatgpt_sdk.errors import LoginRequiredError
from chatgpt_sdk.rate_limits import RateLimits, RateLimitWindow

ISSUER = "https://auth.fake.test"


def own_redis() -> contextlib.AbstractContextManager[str]:
    """A ``redis-server`` of this test's own (to stop it mid-test), or skip without one."""
    return redis_or_skip("the Redis token store")


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with own_redis() as url:
        yield url


@pytest.fixture
def store_url(redis_url: str) -> str:
    return f"{redis_url}?prefix=pr-{uuid.uuid4().hex[:10]}:"


@pytest.fixture
def tokens_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CHATGPT_TOKEN_STORE", "CHATGPT_PROFILE", "CHATGPT_AUTH_FILE", "CHATGPT_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    folder = tmp_path / "sdk"
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(folder))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    return folder


@pytest.fixture
def issuer() -> FakeIssuer:
    return FakeIssuer()


@pytest.fixture
def http(issuer: FakeIssuer) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(issuer.handle))


def seed_file(issuer: FakeIssuer, path: Path, *, ttl: float = -60, **extra: Any) -> dict[str, str]:
    tokens = issuer.issue_tokens(access_token_ttl=ttl)
    exp = jwt_claims(tokens["access_token"])["exp"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**tokens, "expires_at": exp, **extra}))
    return tokens


# --- the file store -----------------------------------------------------------------------------


def test_a_named_profile_is_its_own_file(tokens_dir: Path) -> None:
    default = FileTokenProvider()
    work = FileTokenProvider(profile="work")
    assert default.path == tokens_dir / "auth.json"
    assert work.path == tokens_dir / "profiles" / "work.json"
    assert work.profile == "work"
    assert default.profile is None
    assert FileTokenProvider(profile="default").path == default.path
    assert FileTokenProvider(tokens_dir / "x", "mine.json", profile="a.b_c-1").path == (
        tokens_dir / "x" / "profiles" / "a.b_c-1.json"
    )


def test_profiles_keep_their_tokens_apart_in_files(
    tokens_dir: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    home = seed_file(issuer, tokens_dir / "auth.json")
    work = seed_file(issuer, tokens_dir / "profiles" / "work.json")
    before_home = (tokens_dir / "auth.json").read_bytes()
    provider = FileTokenProvider(profile="work", issuer=ISSUER, http_client=http)
    fresh = provider.credentials()
    assert issuer.refresh_calls == 1
    assert fresh.access_token not in (home["access_token"], work["access_token"])
    saved = json.loads((tokens_dir / "profiles" / "work.json").read_text())
    assert saved["access_token"] == fresh.access_token
    assert (tokens_dir / "auth.json").read_bytes() == before_home  # the other login untouched
    assert (tokens_dir / "profiles" / "work.json.lock").exists()  # its own lock
    mode = (tokens_dir / "profiles").stat().st_mode & 0o777
    assert mode == 0o700
    home_fresh = FileTokenProvider(issuer=ISSUER, http_client=http).credentials()
    assert issuer.refresh_calls == 2
    assert home_fresh.access_token != fresh.access_token


def test_the_environment_names_the_profile(
    tokens_dir: Path, issuer: FakeIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_file(issuer, tokens_dir / "profiles" / "work.json", ttl=3600)
    monkeypatch.setenv("CHATGPT_PROFILE", "work")
    assert FileTokenProvider().path == tokens_dir / "profiles" / "work.json"
    chosen = default_token_provider()
    assert isinstance(chosen, FileTokenProvider)
    assert chosen.profile == "work"
    # The argument beats the environment.
    assert FileTokenProvider(profile="default").path == tokens_dir / "auth.json"
    monkeypatch.setenv("CHATGPT_PROFILE", "missing")
    with pytest.raises(LoginRequiredError, match="chatgpt-sdk login --profile missing"):
        default_token_provider()
    monkeypatch.setenv("CHATGPT_PROFILE", "../etc")
    with pytest.raises(ValueError, match="CHATGPT_PROFILE must be"):
        FileTokenProvider()


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden", "x" * 65, "sp ace", "é"])
def test_bad_profile_names_are_refused(tokens_dir: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="profile"):
        FileTokenProvider(profile=bad)


def test_a_profile_must_be_a_string(tokens_dir: Path) -> None:
    with pytest.raises(TypeError, match="profile"):
        FileTokenProvider(profile=3)  # type: ignore[arg-type]


def test_existing_auth_files_keep_working_untouched(
    tokens_dir: Path, issuer: FakeIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An auth file from before profiles (LiteLLM-style, with keys of its own) is still the
    default login, is read as it is, and gains no profiles folder or new keys."""
    path = tokens_dir / "auth.json"
    tokens = seed_file(issuer, path, ttl=3600, custom_key={"kept": True})
    os.chmod(tokens_dir, 0o700)
    before = path.read_bytes()
    listing = sorted(p.name for p in tokens_dir.iterdir())
    provider = default_token_provider()
    assert isinstance(provider, FileTokenProvider)
    assert isinstance(provider.store, FileTokenStore)
    assert provider.path == path
    assert provider.credentials().access_token == tokens["access_token"]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tokens_dir.iterdir()) == listing
    assert not (tokens_dir / "profiles").exists()


# --- Redis --------------------------------------------------------------------------------------


def test_profiles_keep_their_tokens_apart_in_redis(
    store_url: str, issuer: FakeIssuer, http: httpx.Client, tokens_dir: Path
) -> None:
    def provider(profile: str | None) -> FileTokenProvider:
        made = FileTokenProvider(
            profile=profile, token_store=store_url, issuer=ISSUER, http_client=http
        )
        made.retry_delays = ()
        return made

    default, work = provider(None), provider("work")
    assert isinstance(default.store, RedisTokenStore)
    assert isinstance(work.store, RedisTokenStore)
    assert default.store.key.endswith("auth:default")
    assert work.store.key.endswith("auth:work")
    home_tokens = issuer.issue_tokens(access_token_ttl=3600)
    work_tokens = issuer.issue_tokens(access_token_ttl=-60)
    default.save_tokens(**home_tokens)
    work.save_tokens(**work_tokens)
    fresh = provider("work").credentials()
    assert issuer.refresh_calls == 1
    assert provider(None).credentials().access_token == home_tokens["access_token"]
    assert provider("work").credentials().access_token == fresh.access_token
    with pytest.raises(LoginRequiredError, match="--profile other --token-store redis://"):
        provider("other").credentials()
    assert not tokens_dir.exists()  # nothing on disk


# --- the CLI ------------------------------------------------------------------------------------


@pytest.fixture
def served_issuer(tokens_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIssuer]:
    fake = FakeIssuer(pending_polls=0, interval="0.01")
    with serve(fake.handle) as server:
        monkeypatch.setenv("CHATGPT_AUTH_ISSUER", server.url)
        yield fake


def test_cli_login_status_logout_with_a_profile(
    served_issuer: FakeIssuer, tokens_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["login", "--profile", "work"]) == 0
    out = capsys.readouterr().out
    assert "Logged in (profile work)" in out
    assert str(tokens_dir / "profiles" / "work.json") in out
    assert not (tokens_dir / "auth.json").exists()

    assert cli.main(["status", "--profile", "work", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["logged_in"] is True
    assert report["profile"] == "work"
    assert report["source"] == "file"
    assert report["path"] == str(tokens_dir / "profiles" / "work.json")

    assert cli.main(["status", "--profile", "work"]) == 0
    assert "profile work, chatgpt-sdk auth file" in capsys.readouterr().out

    assert cli.main(["status", "--json"]) == 1  # the default login is another one
    assert json.loads(capsys.readouterr().out)["logged_in"] is False

    assert cli.main(["logout", "--profile", "work", "--yes"]) == 0
    assert "Logged out (profile work)" in capsys.readouterr().out
    assert not (tokens_dir / "profiles" / "work.json").exists()
    assert cli.main(["logout", "--profile", "work", "--yes"]) == 0
    assert "Not logged in (profile work)" in capsys.readouterr().out


def test_cli_login_to_redis_and_shared_usage_windows(
    served_issuer: FakeIssuer,
    store_url: str,
    tokens_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["login", "--token-store", store_url, "--profile", "team"]) == 0
    out = capsys.readouterr().out
    assert "Saved to redis://127.0.0.1:" in out
    assert "(key pr-" in out
    assert not tokens_dir.exists()
    # A replica saw usage windows: status (anywhere) shows them.
    replica = FileTokenProvider(profile="team", token_store=store_url)
    replica.save_rate_limits(RateLimits(RateLimitWindow(64.0, 300, None), None, "plus"))
    assert cli.main(["status", "--token-store", store_url, "--profile", "team", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["logged_in"] is True
    assert report["source"] == "redis"
    assert report["path"] is None
    assert report["location"].startswith("redis://127.0.0.1:")
    assert report["rate_limits"]["primary"]["used_percent"] == 64.0
    assert cli.main(["status", "--token-store", store_url, "--profile", "team"]) == 0
    assert "profile team, Redis token store" in capsys.readouterr().out
    assert cli.main(["logout", "--token-store", store_url, "--profile", "team", "--yes"]) == 0
    assert replica.peek() is None


def test_cli_names_an_unreachable_store(
    tokens_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    assert cli.main(["logout", "--token-store", url, "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chatgpt-sdk: error: The Redis token store redis://127.0.0.1:")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--profile", "no/slash", "profile must be"), ("--token-store", "mysql://h", "Redis URL")],
)
def test_cli_refuses_a_bad_profile_or_store(
    tokens_dir: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    for command in ("login", "status", "logout"):
        with pytest.raises(SystemExit) as info:
            cli.main([command, option, value])
        assert info.value.code == 2
        assert message in capsys.readouterr().err


# --- the proxy ----------------------------------------------------------------------------------


@pytest.fixture
def backend(tokens_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeChatGPTBackend]:
    fake = FakeChatGPTBackend(issuer=FakeIssuer())
    with fake.serve() as server:
        monkeypatch.setenv("CHATGPT_API_BASE", server.url + BASE_PATH)
        monkeypatch.setenv("CHATGPT_TRANSPORT", "sse")
        yield fake


@contextlib.asynccontextmanager
async def proxy_for(config: dict[str, Any]) -> Any:
    from chatgpt_sdk.server import create_app
    from chatgpt_sdk.server.config import parse_config

    app = create_app(config=parse_config(config))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://proxy") as http,
    ):
        yield http


def bearer_of(request: Any) -> str:
    return str(request.headers["authorization"]).removeprefix("Bearer ")


async def test_proxy_models_use_the_profile_they_name(
    backend: FakeChatGPTBackend, tokens_dir: Path
) -> None:
    assert backend.issuer is not None
    issuer = backend.issuer
    assert isinstance(issuer, FakeIssuer)
    home = seed_file(issuer, tokens_dir / "auth.json", ttl=3600)
    work = seed_file(issuer, tokens_dir / "profiles" / "work.json", ttl=3600)
    config = {
        "model_list": [
            {"model_name": "home", "litellm_params": {"model": "chatgpt/gpt-5.5"}},
            {
                "model_name": "work",
                "profile": "work",
                "litellm_params": {"model": "chatgpt/gpt-5.5"},
            },
        ]
    }
    async with proxy_for(config) as http:
        for model in ("work", "home", "work"):
            backend.reply(text=f"hi from {model}")
            answer = await http.post("/v1/responses", json={"model": model, "input": "hi"})
            assert answer.status_code == 200, answer.text
        missing = {"model_name": "gone", "profile": "gone", "litellm_params": {"model": "gpt-5.5"}}
    used = [bearer_of(r) for r in backend.requests if r.path.endswith("/responses")]
    assert used == [work["access_token"], home["access_token"], work["access_token"]]

    config["model_list"].append(missing)
    async with proxy_for(config) as http:
        answer = await http.post("/v1/responses", json={"model": "gone", "input": "hi"})
    assert answer.status_code == 401
    assert "chatgpt-sdk login --profile gone" in answer.json()["error"]["message"]


async def test_proxy_default_profile_and_redis_store(
    backend: FakeChatGPTBackend, store_url: str, tokens_dir: Path
) -> None:
    issuer = backend.issuer
    assert isinstance(issuer, FakeIssuer)
    tokens = issuer.issue_tokens(access_token_ttl=3600)
    FileTokenProvider(profile="team", token_store=store_url).save_tokens(**tokens)
    config = {"token_store": store_url, "profile": "team"}
    async with proxy_for(config) as http:
        backend.reply(text="hello")
        answer = await http.post("/v1/responses", json={"model": "gpt-5.5", "input": "hi"})
        assert answer.status_code == 200, answer.text
        health = (await http.get("/health")).json()
    assert bearer_of(backend.requests[-1]) == tokens["access_token"]
    assert health["status"] == "ok"
    assert health["token_store"]["kind"] == "redis"
    assert health["token_store"]["reachable"] is True
    assert health["token_store"]["location"].startswith("redis://127.0.0.1:")


async def test_proxy_api_keys_use_the_profile_they_name(
    backend: FakeChatGPTBackend, tokens_dir: Path
) -> None:
    issuer = backend.issuer
    assert isinstance(issuer, FakeIssuer)
    home = seed_file(issuer, tokens_dir / "auth.json", ttl=3600)
    work = seed_file(issuer, tokens_dir / "profiles" / "work.json", ttl=3600)
    team = seed_file(issuer, tokens_dir / "profiles" / "team.json", ttl=3600)
    config: dict[str, Any] = {
        "api_keys": [
            "sk-plain-0001",
            {"key": "sk-work-0002", "profile": "work"},
            {"key": "sk-team-0003", "profile": "team"},
        ],
        "model_list": [
            {"model_name": "any", "litellm_params": {"model": "chatgpt/gpt-5.5"}},
            {"model_name": "pinned", "profile": "team", "litellm_params": {"model": "gpt-5.5"}},
        ],
        "response_store": "memory",
    }
    asked = [
        ("sk-work-0002", "any", work),
        ("sk-team-0003", "any", team),
        ("sk-plain-0001", "any", home),
        ("sk-work-0002", "gpt-5.5", work),  # a model not listed: the key's login too
        ("sk-plain-0001", "gpt-5.5", home),
        ("sk-work-0002", "pinned", team),  # the model entry's profile wins over the key's
        ("sk-plain-0001", "pinned", team),
    ]
    ids: dict[str, str] = {}
    async with proxy_for(config) as http:
        for key, model, _ in asked:
            backend.reply(text="hi")
            answer = await http.post(
                "/v1/responses",
                json={"model": model, "input": "hi"},
                headers={"Authorization": f"Bearer {key}"},
            )
            assert answer.status_code == 200, answer.text
            ids[key] = answer.json()["id"]
        # Each key stays the owner of its own stored responses, whatever login it uses.
        mine = await http.get(
            f"/v1/responses/{ids['sk-work-0002']}",
            headers={"Authorization": "Bearer sk-work-0002"},
        )
        theirs = await http.get(
            f"/v1/responses/{ids['sk-work-0002']}",
            headers={"Authorization": "Bearer sk-team-0003"},
        )
    assert mine.status_code == 200, mine.text
    assert theirs.status_code == 404
    used = [bearer_of(r) for r in backend.requests if r.path.endswith("/responses")]
    assert used == [tokens["access_token"] for _, _, tokens in asked]

    # The key's profile beats the top-level one; a plain key uses the top-level one.
    config["profile"] = "team"
    before = len(backend.requests)
    async with proxy_for(config) as http:
        for key in ("sk-plain-0001", "sk-work-0002"):
            backend.reply(text="hi")
            answer = await http.post(
                "/v1/responses",
                json={"model": "any", "input": "hi"},
                headers={"Authorization": f"Bearer {key}"},
            )
            assert answer.status_code == 200, answer.text
    used = [bearer_of(r) for r in backend.requests[before:] if r.path.endswith("/responses")]
    assert used == [team["access_token"], work["access_token"]]


async def test_an_added_plain_key_uses_the_default_login(
    backend: FakeChatGPTBackend, tokens_dir: Path
) -> None:
    from chatgpt_sdk.server import create_app
    from chatgpt_sdk.server.config import parse_config

    issuer = backend.issuer
    assert isinstance(issuer, FakeIssuer)
    home = seed_file(issuer, tokens_dir / "auth.json", ttl=3600)
    work = seed_file(issuer, tokens_dir / "profiles" / "work.json", ttl=3600)
    config = parse_config({"api_keys": [{"key": "sk-work-0002", "profile": "work"}]})
    app = create_app(config=config, api_key="sk-cli-0004")  # as --api-key / CHATGPT_SDK_API_KEY
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://proxy") as http,
    ):
        for key in ("sk-cli-0004", "sk-work-0002"):
            backend.reply(text="hi")
            answer = await http.post(
                "/v1/responses",
                json={"model": "gpt-5.5", "input": "hi"},
                headers={"Authorization": f"Bearer {key}"},
            )
            assert answer.status_code == 200, answer.text
    used = [bearer_of(r) for r in backend.requests if r.path.endswith("/responses")]
    assert used == [home["access_token"], work["access_token"]]


@pytest.mark.parametrize(
    ("api_keys", "message"),
    [
        ([{"key": "sk-a-1234", "profle": "work"}], "api_keys[0].profle: unknown key"),
        ([{"key": "sk-a-1234", "profile": "../work"}], "api_keys[0].profile: profile must be"),
        ([{"key": "sk-a-1234", "profile": ""}], "api_keys[0].profile"),
        (["sk-a-1234", {"profile": "work"}], "api_keys[1].key: Field required"),
        ([42], "api_keys[0]: an API key is a string, or a mapping {key: ..., profile: ...}"),
        (
            ["sk-a-1234", {"key": "sk-a-1234", "profile": "work"}],
            "entry 1 repeats an earlier key with another profile",
        ),
        ([{"key": "sk-a 1234", "profile": "work"}], "entry 0 is not a usable key"),
    ],
)
def test_api_key_entries_are_checked(api_keys: list[Any], message: str) -> None:
    from chatgpt_sdk.server.config import ProxyConfigError, parse_config

    with pytest.raises(ProxyConfigError) as caught:
        parse_config({"api_keys": api_keys}, source="proxy.yaml")
    assert str(caught.value).startswith("proxy.yaml: ")
    assert message in str(caught.value)
    assert "sk-a" not in str(caught.value)


def test_api_key_profiles_survive_overrides() -> None:
    from chatgpt_sdk.server.config import parse_config, with_overrides

    config = parse_config(
        {"api_keys": ["sk-plain-0001", {"key": "sk-work-0002", "profile": "work"}]}
    )
    assert "sk-work-0002" not in repr(config)
    again = with_overrides(config, max_body_size="1MB")
    assert [(k.get_secret_value(), k.profile) for k in again.api_keys] == [
        ("sk-plain-0001", None),
        ("sk-work-0002", "work"),
    ]


async def test_health_reports_the_token_store(tokens_dir: Path) -> None:
    async with proxy_for({}) as http:
        body = (await http.get("/health")).json()
    assert body["status"] == "ok"
    assert body["token_store"] == {
        "kind": "file",
        "location": str(tokens_dir),
        "reachable": True,
    }
    url = f"redis://user:pw@127.0.0.1:{free_port()}/0"
    async with proxy_for({"token_store": url}) as http:
        answer = await http.get("/health")
    assert answer.status_code == 200  # alive; the body says what is wrong
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["token_store"]["reachable"] is False
    assert "Redis token store redis://user:***@127.0.0.1:" in body["token_store"]["error"]
    assert "pw@" not in answer.text


async def test_a_redis_outage_is_a_503_naming_the_store(
    backend: FakeChatGPTBackend, tokens_dir: Path
) -> None:
    with own_redis() as url:
        tokens = backend.issuer.issue_tokens(access_token_ttl=-60)  # type: ignore[union-attr]
        FileTokenProvider(token_store=url).save_tokens(**tokens)
    refreshes = backend.issuer.refresh_calls  # type: ignore[union-attr]
    async with proxy_for({"token_store": url}) as http:
        answer = await http.post("/v1/responses", json={"model": "gpt-5.5", "input": "hi"})
    assert backend.issuer.refresh_calls == refreshes  # type: ignore[union-attr]
    assert answer.status_code == 503
    assert "Redis token store redis://127.0.0.1:" in answer.json()["error"]["message"]


# --- the clients ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_clients_read_the_profile_and_store_they_are_given(
    backend: FakeChatGPTBackend, tokens_dir: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    import asyncio

    from chatgpt_sdk import AsyncChatGPT, ChatGPT

    assert isinstance(backend.issuer, FakeIssuer)
    home = seed_file(backend.issuer, tokens_dir / "auth.json", ttl=3600)
    work = seed_file(backend.issuer, tokens_dir / "profiles" / "work.json", ttl=3600)

    def ask(**kw: Any) -> None:
        if mode == "sync":
            with ChatGPT(**kw) as client:
                client.responses.create(model="gpt-5.5", input="hi")
            return

        async def go() -> None:
            async with AsyncChatGPT(**kw) as client:
                await client.responses.create(model="gpt-5.5", input="hi")

        asyncio.run(go())

    ask(profile="work")
    ask()
    monkeypatch.setenv("CHATGPT_PROFILE", "work")
    ask()
    ask(profile="default")  # the argument beats the environment
    used = [bearer_of(r) for r in backend.requests if r.path.endswith("/responses")]
    assert used == [
        work["access_token"],
        home["access_token"],
        work["access_token"],
        home["access_token"],
    ]
    # the usage windows seen on the way are kept with the profile's login
    assert (tokens_dir / "profiles" / "work.rate_limits.json").exists()


def test_a_profile_beside_an_explicit_provider_is_refused(tokens_dir: Path) -> None:
    from chatgpt_sdk import ChatGPT
    from chatgpt_sdk.auth import StaticTokenProvider

    with pytest.raises(ValueError, match="give them to it instead"):
        ChatGPT(token_provider=StaticTokenProvider("t"), profile="work")


def test_a_usage_limit_names_the_profile(backend: FakeChatGPTBackend, tokens_dir: Path) -> None:
    from chatgpt_sdk import ChatGPT
    from chatgpt_sdk.errors import UsageLimitError

    assert isinstance(backend.issuer, FakeIssuer)
    seed_file(backend.issuer, tokens_dir / "profiles" / "work.json", ttl=3600)
    backend.usage_limit(resets_in_seconds=600)
    with ChatGPT(profile="work") as client, pytest.raises(UsageLimitError) as info:
        client.responses.create(model="gpt-5.5", input="hi")
    assert str(info.value).startswith("429: Profile 'work': ")
    assert info.value.resets_at is not None
