"""CodexCLITokenProvider: reuse a Codex CLI login, read-only or refreshing in Codex's own layout."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk.auth import CodexCLITokenProvider, FileTokenProvider
from chatgpt_sdk.errors import LoginRequiredError

ISSUER = "https://auth.fake.test"


@pytest.fixture
def issuer() -> FakeIssuer:
    return FakeIssuer()


def codex_file(home: Path, issuer: FakeIssuer, *, ttl: float) -> dict[str, Any]:
    tokens = issuer.issue_tokens(access_token_ttl=ttl)
    content = {
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": None,
        "tokens": {**tokens, "account_id": issuer.account_id, "future_field": 7},
        "last_refresh": "2026-04-25T12:34:56.123456Z",
        "agent_identity": {"kept": True},
    }
    home.mkdir(parents=True, exist_ok=True)
    (home / "auth.json").write_text(json.dumps(content, indent=2))
    return content


def provider(home: Path, issuer: FakeIssuer, **kw: Any) -> CodexCLITokenProvider:
    client = httpx.Client(transport=httpx.MockTransport(issuer.handle))
    return CodexCLITokenProvider(home, issuer=ISSUER, http_client=client, **kw)


def test_reads_a_codex_login(tmp_path: Path, issuer: FakeIssuer) -> None:
    content = codex_file(tmp_path, issuer, ttl=3600)
    creds = provider(tmp_path, issuer, read_only=True).credentials()
    assert creds.access_token == content["tokens"]["access_token"]
    assert creds.account_id == issuer.account_id


def test_codex_home_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEX_HOME", str(tmp_path))
    assert CodexCLITokenProvider().path == tmp_path / "auth.json"
    monkeypatch.delenv("CODEX_HOME")
    assert CodexCLITokenProvider().path == Path.home() / ".codex" / "auth.json"


def test_read_only_never_writes(tmp_path: Path, issuer: FakeIssuer) -> None:
    codex_file(tmp_path, issuer, ttl=-60)
    before = (tmp_path / "auth.json").read_bytes()
    ro = provider(tmp_path, issuer, read_only=True)
    with pytest.raises(LoginRequiredError, match="codex login") as info:
        ro.credentials()
    assert "chatgpt-sdk login" in str(info.value)
    with pytest.raises(LoginRequiredError):
        ro.credentials(force_refresh=True)
    assert (tmp_path / "auth.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["auth.json"]  # not even a lock file
    assert issuer.refresh_calls == 0


def test_read_only_serves_a_token_until_it_really_expires(
    tmp_path: Path, issuer: FakeIssuer
) -> None:
    codex_file(tmp_path, issuer, ttl=120)  # inside the 5-minute margin, but still valid
    provider(tmp_path, issuer, read_only=True).credentials()
    assert issuer.refresh_calls == 0


def test_read_only_picks_up_a_refresh_done_by_codex(tmp_path: Path, issuer: FakeIssuer) -> None:
    codex_file(tmp_path, issuer, ttl=3600)
    ro = provider(tmp_path, issuer, read_only=True)
    ro.credentials()
    renewed = codex_file(tmp_path, issuer, ttl=3600)  # the Codex CLI rotated the tokens
    creds = ro.credentials(force_refresh=True)
    assert creds.access_token == renewed["tokens"]["access_token"]


def test_refresh_writes_back_in_codex_format_keeping_other_fields(
    tmp_path: Path, issuer: FakeIssuer
) -> None:
    old = codex_file(tmp_path, issuer, ttl=-60)
    creds = provider(tmp_path, issuer).credentials()
    assert issuer.refresh_calls == 1
    saved = json.loads((tmp_path / "auth.json").read_text())
    assert set(saved) == {"auth_mode", "OPENAI_API_KEY", "tokens", "last_refresh", "agent_identity"}
    assert saved["auth_mode"] == "chatgpt"
    assert saved["OPENAI_API_KEY"] is None
    assert saved["agent_identity"] == {"kept": True}
    assert saved["tokens"]["future_field"] == 7
    assert saved["tokens"]["access_token"] == creds.access_token
    assert saved["tokens"]["refresh_token"] != old["tokens"]["refresh_token"]
    assert saved["tokens"]["account_id"] == issuer.account_id
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", saved["last_refresh"])
    assert saved["last_refresh"] != old["last_refresh"]


def test_api_key_login_is_refused_clearly(tmp_path: Path, issuer: FakeIssuer) -> None:
    (tmp_path / "auth.json").write_text(json.dumps({"OPENAI_API_KEY": "sk-123", "tokens": None}))
    with pytest.raises(LoginRequiredError, match="API key"):
        provider(tmp_path, issuer, read_only=True).credentials()


def test_file_provider_also_reads_codex_layout(tmp_path: Path, issuer: FakeIssuer) -> None:
    codex_file(tmp_path, issuer, ttl=-60)
    client = httpx.Client(transport=httpx.MockTransport(issuer.handle))
    FileTokenProvider(tmp_path, issuer=ISSUER, http_client=client).credentials()
    assert "tokens" in json.loads((tmp_path / "auth.json").read_text())  # the layout is kept


def test_login_into_codex_home(tmp_path: Path, issuer: FakeIssuer) -> None:
    creds = provider(tmp_path / "codex", issuer).save_tokens(**issuer.issue_tokens())
    saved = json.loads((tmp_path / "codex" / "auth.json").read_text())
    assert saved["auth_mode"] == "chatgpt"
    assert saved["tokens"]["access_token"] == creds.access_token
    assert saved["last_refresh"].endswith("Z")
