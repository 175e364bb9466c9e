"""FileTokenProvider: formats, refresh, single-flight across threads and tasks, crash safety."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import stat
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk.auth import FileTokenProvider, default_token_provider
from chatgpt_sdk.auth._credentials import jwt_claims
from chatgpt_sdk.errors import (
    APIStatusError,
    CredentialsNotSavedWarning,
    LoginRequiredError,
    ReauthenticationRequired,
)

ISSUER = "https://auth.fake.test"


@pytest.fixture
def issuer() -> FakeIssuer:
    return FakeIssuer()


@pytest.fixture
def http(issuer: FakeIssuer) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(issuer.handle))


def seed(issuer: FakeIssuer, path: Path, *, ttl: float = -60, **extra: Any) -> dict[str, str]:
    """Write a LiteLLM-style flat auth file holding a fresh login whose access token has ``ttl``."""
    tokens = issuer.issue_tokens(access_token_ttl=ttl)
    exp = jwt_claims(tokens["access_token"])["exp"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({**tokens, "expires_at": exp, "account_id": issuer.account_id, **extra})
    )
    return tokens


def provider_for(tmp_path: Path, http: httpx.Client) -> FileTokenProvider:
    provider = FileTokenProvider(tmp_path, issuer=ISSUER, http_client=http)
    provider.retry_delays = (0.0, 0.0, 0.0)
    return provider


def test_fresh_token_is_used_without_refresh(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    tokens = seed(issuer, tmp_path / "auth.json", ttl=3600)
    creds = provider_for(tmp_path, http).credentials()
    assert creds.access_token == tokens["access_token"]
    assert creds.account_id == issuer.account_id
    assert creds.plan_type == "plus"
    assert issuer.refresh_calls == 0


def test_expired_token_is_refreshed_and_rotation_persisted(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    old = seed(issuer, tmp_path / "auth.json")
    creds = provider_for(tmp_path, http).credentials()
    assert issuer.refresh_calls == 1
    assert issuer.is_valid_access_token(creds.access_token)
    saved = json.loads((tmp_path / "auth.json").read_text())
    assert saved["access_token"] == creds.access_token
    assert saved["refresh_token"] != old["refresh_token"]
    assert issuer.refresh_token_state(saved["refresh_token"]) == "live"
    assert issuer.refresh_token_state(old["refresh_token"]) == "used"
    assert saved["expires_at"] == int(creds.expires_at.timestamp())  # type: ignore[union-attr]
    assert saved["plan_type"] == "plus"
    assert saved["last_refresh"].endswith("Z")


def test_token_expiring_within_five_minutes_is_refreshed(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json", ttl=240)
    provider_for(tmp_path, http).credentials()
    assert issuer.refresh_calls == 1


def test_refresh_answer_without_refresh_token_keeps_the_old_one(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    old = seed(issuer, tmp_path / "auth.json")
    issuer.rotate_refresh_tokens = False
    provider_for(tmp_path, http).credentials()
    assert json.loads((tmp_path / "auth.json").read_text())["refresh_token"] == old["refresh_token"]


def test_litellm_file_is_read_and_stays_readable_by_litellm(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json", device_code_requested_at=1767225000.25)
    creds = provider_for(tmp_path, http).credentials()
    saved = json.loads((tmp_path / "auth.json").read_text())
    for key in ("access_token", "refresh_token", "id_token", "account_id"):
        assert isinstance(saved[key], str)
    assert isinstance(saved["expires_at"], int)
    assert saved["device_code_requested_at"] == 1767225000.25  # keys we do not own survive
    assert saved["access_token"] == creds.access_token


def test_force_refresh_after_401_refreshes(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json", ttl=3600)
    provider = provider_for(tmp_path, http)
    first = provider.credentials()
    second = provider.credentials(force_refresh=True)
    assert issuer.refresh_calls == 1
    assert second.access_token != first.access_token


def test_force_refresh_returns_tokens_another_caller_already_rotated(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json", ttl=3600)
    provider = provider_for(tmp_path, http)
    results: dict[str, str] = {}
    got_old = threading.Barrier(2)

    def caller(name: str) -> None:
        provider.credentials()  # both hold the same (soon rejected) token
        got_old.wait()
        if name == "b":
            first_refresh.wait()
        results[name] = provider.credentials(force_refresh=True).access_token
        if name == "a":
            first_refresh.set()

    first_refresh = threading.Event()
    threads = [threading.Thread(target=caller, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert issuer.refresh_calls == 1
    assert results["a"] == results["b"]


async def test_100_tasks_and_8_threads_cause_exactly_one_refresh(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json")
    issuer.refresh_delay = 0.2  # everyone arrives while the refresh is in flight
    provider = provider_for(tmp_path, http)
    start = threading.Barrier(9)
    thread_tokens: list[str] = []

    def in_thread() -> None:
        start.wait()
        thread_tokens.append(provider.credentials().access_token)

    threads = [threading.Thread(target=in_thread) for _ in range(8)]
    for t in threads:
        t.start()
    await asyncio.to_thread(start.wait)
    task_creds = await asyncio.gather(*(provider.acredentials() for _ in range(100)))
    await asyncio.to_thread(lambda: [t.join(10) for t in threads])
    tokens = {c.access_token for c in task_creds} | set(thread_tokens)
    assert len(thread_tokens) == 8
    assert issuer.refresh_calls == 1
    assert len(tokens) == 1
    assert issuer.is_valid_access_token(tokens.pop())


async def test_100_concurrent_401s_cause_one_refresh(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json", ttl=3600)
    issuer.refresh_delay = 0.05
    provider = provider_for(tmp_path, http)

    async def request_that_gets_401() -> str:
        await provider.acredentials()
        await asyncio.sleep(0)  # all tasks hold the old token before any 401 is handled
        return (await provider.acredentials(force_refresh=True)).access_token

    tokens = await asyncio.gather(*(request_that_gets_401() for _ in range(100)))
    assert issuer.refresh_calls == 1
    assert len(set(tokens)) == 1


async def test_async_refresh_does_not_block_the_event_loop(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json")
    issuer.refresh_delay = 0.3
    provider = provider_for(tmp_path, http)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    tick_task = asyncio.create_task(ticker())
    await provider.acredentials()
    tick_task.cancel()
    assert ticks >= 10  # the loop kept running while the refresh waited 0.3 s


@pytest.mark.parametrize(
    "code", ["refresh_token_reused", "refresh_token_expired", "refresh_token_invalidated"]
)
def test_dead_refresh_token_requires_a_new_login(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, code: str
) -> None:
    tokens = seed(issuer, tmp_path / "auth.json")
    state = {"refresh_token_reused": "used", "refresh_token_invalidated": "revoked"}.get(code)
    if state == "used":
        issuer.handle(
            httpx.Request(
                "POST",
                f"{ISSUER}/oauth/token",
                json={
                    "client_id": issuer.client_id,
                    "grant_type": "refresh_token",
                    "refresh_token": tokens["refresh_token"],
                },
            )
        )
    elif state == "revoked":
        issuer.handle(
            httpx.Request("POST", f"{ISSUER}/oauth/revoke", json={"token": tokens["refresh_token"]})
        )
    else:
        issuer.expire_refresh_token(tokens["refresh_token"])
    before = issuer.refresh_calls
    provider = provider_for(tmp_path, http)
    with pytest.raises(ReauthenticationRequired) as info:
        provider.credentials()
    assert info.value.code == code
    assert "chatgpt-sdk login" in str(info.value)
    with pytest.raises(ReauthenticationRequired):
        provider.credentials()
    assert issuer.refresh_calls == before + 1  # a known-dead token is not sent again


def test_transient_failures_are_retried(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json")
    issuer.fail_next_refreshes(2, status=503)
    creds = provider_for(tmp_path, http).credentials()
    assert issuer.refresh_calls == 3
    assert issuer.is_valid_access_token(creds.access_token)


def test_persistent_server_errors_give_up(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json")
    issuer.fail_next_refreshes(10, status=502)
    with pytest.raises(APIStatusError) as info:
        provider_for(tmp_path, http).credentials()
    assert info.value.status_code == 502
    assert issuer.refresh_calls == 4


def test_interrupted_write_leaves_the_old_file_intact(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "auth.json"
    seed(issuer, path)
    original = path.read_bytes()

    def crash(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.warns(CredentialsNotSavedWarning, match="No space left"):
        creds = provider_for(tmp_path, http).credentials()  # kept in memory, not dropped
    monkeypatch.undo()
    assert issuer.is_valid_access_token(creds.access_token)
    assert path.read_bytes() == original
    assert json.loads(original)["access_token"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        "auth.json"
    ]


def test_new_access_token_is_only_returned_after_the_rotation_is_on_disk(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "auth.json"
    seed(issuer, path)
    on_disk_at_replace: list[dict[str, Any]] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        on_disk_at_replace.append(json.loads(Path(src).read_text()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    creds = provider_for(tmp_path, http).credentials()
    assert len(on_disk_at_replace) == 1
    written = on_disk_at_replace[0]
    assert written["access_token"] == creds.access_token
    assert issuer.refresh_token_state(written["refresh_token"]) == "live"


def test_file_and_directory_modes(tmp_path: Path, issuer: FakeIssuer, http: httpx.Client) -> None:
    directory = tmp_path / "new" / "chatgpt-sdk"
    provider = FileTokenProvider(directory, issuer=ISSUER, http_client=http)
    tokens = issuer.issue_tokens()
    provider.save_tokens(**tokens)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE((directory / "auth.json").stat().st_mode) == 0o600
    seed(issuer, directory / "auth.json")
    os.chmod(directory / "auth.json", 0o644)
    provider_for(directory, http).credentials()  # a refresh rewrites the file: back to 0600
    assert issuer.refresh_calls == 1
    assert stat.S_IMODE((directory / "auth.json").stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "content", [b"", b'{"access_token": "eyJ', b"[1, 2]", b'{"refresh_token": "x"}', b"\xff\xfe"]
)
def test_corrupted_file_names_the_path_and_is_not_overwritten(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, content: bytes
) -> None:
    path = tmp_path / "auth.json"
    path.write_bytes(content)
    provider = provider_for(tmp_path, http)
    for force in (False, True):
        with pytest.raises(LoginRequiredError) as info:
            provider.credentials(force_refresh=force)
        assert str(path) in str(info.value)
        assert "untouched" in str(info.value)
    assert path.read_bytes() == content
    assert issuer.refresh_calls == 0


def test_missing_file_says_how_to_log_in(tmp_path: Path, http: httpx.Client) -> None:
    with pytest.raises(LoginRequiredError, match="chatgpt-sdk login") as info:
        provider_for(tmp_path, http).credentials()
    assert str(tmp_path / "auth.json") in str(info.value)


def test_tokens_never_appear_in_logs_errors_or_reprs(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "auth.json"
    old = seed(issuer, path)
    provider = provider_for(tmp_path, http)
    issuer.fail_next_refreshes(1)
    creds = provider.credentials()
    new = json.loads(path.read_text())
    secrets = {*old.values(), new["access_token"], new["refresh_token"], new["id_token"]}
    texts = [caplog.text, repr(provider), repr(creds), str(creds), repr(provider.peek())]
    path.write_text(json.dumps(old))  # the old refresh token is now dead
    stale = provider_for(tmp_path, http)
    with pytest.raises(ReauthenticationRequired) as info:
        stale.credentials()
    texts += [str(info.value), repr(info.value), caplog.text]
    assert "Refreshing" in caplog.text
    for text in texts:
        for secret in secrets:
            assert secret not in text
            assert secret[-20:] not in text


def test_environment_picks_directory_file_and_issuer(
    tmp_path: Path, issuer: FakeIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path))
    monkeypatch.setenv("CHATGPT_AUTH_FILE", "other.json")
    monkeypatch.setenv("CHATGPT_AUTH_ISSUER", "https://issuer.env.test/")
    provider = FileTokenProvider()
    assert provider.path == tmp_path / "other.json"
    assert provider.issuer == "https://issuer.env.test"
    assert (
        FileTokenProvider(tmp_path / "x", "y.json", issuer=ISSUER).path == tmp_path / "x" / "y.json"
    )
    assert FileTokenProvider(issuer=ISSUER).issuer == ISSUER


def test_default_location_is_the_user_config_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CHATGPT_TOKEN_DIR", raising=False)
    monkeypatch.delenv("CHATGPT_AUTH_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert FileTokenProvider().path == tmp_path / "chatgpt-sdk" / "auth.json"


def test_default_resolution_order(
    tmp_path: Path, issuer: FakeIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    own, codex = tmp_path / "own", tmp_path / "codex"
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(own))
    monkeypatch.setenv("CODEX_HOME", str(codex))
    monkeypatch.delenv("CHATGPT_CODEX_REFRESH", raising=False)
    with pytest.raises(LoginRequiredError, match="chatgpt-sdk login"):
        default_token_provider()
    codex.mkdir()
    (codex / "auth.json").write_text(json.dumps({"tokens": issuer.issue_tokens()}))
    found = default_token_provider()
    assert type(found).__name__ == "CodexCLITokenProvider"
    assert found.read_only  # type: ignore[attr-defined]
    assert not default_token_provider(codex_refresh=True).read_only  # type: ignore[attr-defined]
    monkeypatch.setenv("CHATGPT_CODEX_REFRESH", "1")
    assert not default_token_provider().read_only  # type: ignore[attr-defined]
    seed(issuer, own / "auth.json")
    assert isinstance(default_token_provider(), FileTokenProvider)


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, chatgpt_sdk.auth; print(sorted(m for m in ('httpx', 'filelock', 'platformdirs') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_loaded_file_record_hides_its_tokens_in_repr(tmp_path: Path) -> None:
    """Tracebacks that print locals (pytest -l, Sentry, rich) show reprs of these records."""
    from chatgpt_sdk.auth._providers import _Loaded
    from chatgpt_sdk.auth._tokens import TokenSet

    tokens = TokenSet(access_token="at-SECRET", refresh_token="rt-SECRET", id_token="id-SECRET")
    loaded = _Loaded(
        kind="flat", tokens=tokens, raw={"access_token": "at-SECRET", "refresh_token": "rt-SECRET"}
    )
    assert "SECRET" not in repr(loaded)
