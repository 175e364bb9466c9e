"""The refresh grant as Codex 0.171 sends it: headers, body and ``refresh_reason`` (captures/refresh-*)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from chatgpt_sdk import AsyncChatGPT, ChatGPT, config
from chatgpt_sdk._fake.issuer import FakeIssuer, RefreshRequest
from chatgpt_sdk.auth import CodexCLITokenProvider, FileTokenProvider, _oauth
from chatgpt_sdk.auth._config import CLIENT_ID
from chatgpt_sdk.auth._credentials import jwt_claims
from chatgpt_sdk.testing import FakeChatGPTBackend

ISSUER = "https://auth.fake.test"
BODY_KEYS = {"client_id", "grant_type", "refresh_reason", "refresh_token"}


@pytest.fixture(autouse=True)
def _wire_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CHATGPT_ORIGINATOR", "CHATGPT_USER_AGENT", "CHATGPT_AUTH_ISSUER"):
        monkeypatch.delenv(name, raising=False)
    # A suffix is for backend requests only; the refresh must not carry it (as captured).
    monkeypatch.setenv("CHATGPT_USER_AGENT_SUFFIX", "suffix-not-for-refresh")


@pytest.fixture
def issuer() -> FakeIssuer:
    fake = FakeIssuer()
    fake.reject_unknown_refresh_reasons = True
    return fake


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def seed(issuer: FakeIssuer, path: Path, *, ttl: float) -> dict[str, str]:
    tokens = issuer.issue_tokens(access_token_ttl=ttl)
    exp = jwt_claims(tokens["access_token"])["exp"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**tokens, "expires_at": exp, "account_id": issuer.account_id}))
    return tokens


def provider_for(directory: Path, transport: httpx.BaseTransport) -> FileTokenProvider:
    provider = FileTokenProvider(
        directory, issuer=ISSUER, http_client=httpx.Client(transport=transport)
    )
    provider.retry_delays = (0.0, 0.0, 0.0)
    return provider


def get_credentials(mode: str, provider: FileTokenProvider, *, force: bool = False) -> str:
    if mode == "sync":
        return provider.credentials(force_refresh=force).access_token

    async def go() -> str:
        return (await provider.acredentials(force_refresh=force)).access_token

    return asyncio.run(go())


def assert_codex_refresh(request: RefreshRequest, refresh_token: str, reason: str) -> None:
    """Body and headers as in captures/refresh-proactive.json (originator from the environment)."""
    assert set(request.json) == BODY_KEYS
    assert request.json == {
        "client_id": CLIENT_ID,
        "grant_type": "refresh_token",
        "refresh_reason": reason,
        "refresh_token": refresh_token,
    }
    assert request.reason == reason
    assert request.headers["content-type"] == "application/json"
    originator = request.headers["originator"]
    assert originator == config.DEFAULT_ORIGINATOR
    agent = request.headers["user-agent"]
    assert agent == config.default_user_agent(originator)
    assert agent.startswith(f"{originator}/")
    assert "suffix-not-for-refresh" not in agent


# -- proactive: the stored access token is expired or about to be ------------------------------


@pytest.mark.parametrize("ttl", [-60.0, 60.0], ids=["expired", "within-margin"])
def test_expiring_token_is_refreshed_as_proactive_expiry(
    tmp_path: Path, issuer: FakeIssuer, mode: str, ttl: float
) -> None:
    old = seed(issuer, tmp_path / "auth.json", ttl=ttl)
    token = get_credentials(mode, provider_for(tmp_path, httpx.MockTransport(issuer.handle)))
    assert issuer.is_valid_access_token(token)
    [request] = issuer.refresh_requests
    assert_codex_refresh(request, old["refresh_token"], "proactive_expiry")


def test_codex_cli_login_refreshes_the_same_way(tmp_path: Path, issuer: FakeIssuer) -> None:
    tokens = issuer.issue_tokens(access_token_ttl=-60)
    (tmp_path / "auth.json").write_text(
        json.dumps({"auth_mode": "chatgpt", "OPENAI_API_KEY": None, "tokens": tokens})
    )
    http = httpx.Client(transport=httpx.MockTransport(issuer.handle))
    CodexCLITokenProvider(tmp_path, issuer=ISSUER, http_client=http).credentials()
    [request] = issuer.refresh_requests
    assert_codex_refresh(request, tokens["refresh_token"], "proactive_expiry")


def test_originator_comes_from_the_environment(
    tmp_path: Path, issuer: FakeIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATGPT_ORIGINATOR", "codex_exec")
    seed(issuer, tmp_path / "auth.json", ttl=-60)
    provider_for(tmp_path, httpx.MockTransport(issuer.handle)).credentials()
    [request] = issuer.refresh_requests
    assert request.headers["originator"] == "codex_exec"
    assert request.headers["user-agent"] == config.default_user_agent("codex_exec")
    assert request.headers["user-agent"].startswith("codex_exec/")


def test_retries_after_transient_failures_keep_the_reason(
    tmp_path: Path, issuer: FakeIssuer
) -> None:
    old = seed(issuer, tmp_path / "auth.json", ttl=-60)
    issuer.fail_next_refreshes(2, 503)
    provider_for(tmp_path, httpx.MockTransport(issuer.handle)).credentials()
    requests = issuer.refresh_requests
    assert len(requests) == 3
    for request in requests:
        assert_codex_refresh(request, old["refresh_token"], "proactive_expiry")


# -- after a 401 -----------------------------------------------------------------------------


def test_force_refresh_is_unauthorized_recovery(
    tmp_path: Path, issuer: FakeIssuer, mode: str
) -> None:
    old = seed(issuer, tmp_path / "auth.json", ttl=3600)
    provider = provider_for(tmp_path, httpx.MockTransport(issuer.handle))
    first = get_credentials(mode, provider)
    assert issuer.refresh_requests == []
    second = get_credentials(mode, provider, force=True)
    assert second != first
    [request] = issuer.refresh_requests
    assert_codex_refresh(request, old["refresh_token"], "unauthorized_recovery")


def test_a_rejected_token_that_also_expired_is_still_unauthorized_recovery(
    tmp_path: Path, issuer: FakeIssuer
) -> None:
    # The 401 is why this refresh happens, whatever the token's own expiry says.
    seed(issuer, tmp_path / "auth.json", ttl=-60)
    provider = provider_for(tmp_path, httpx.MockTransport(issuer.handle))
    provider.credentials(force_refresh=True)
    assert [r.reason for r in issuer.refresh_requests] == ["unauthorized_recovery"]


def test_401_from_the_backend_refreshes_as_unauthorized_recovery(
    tmp_path: Path, issuer: FakeIssuer, mode: str
) -> None:
    backend = FakeChatGPTBackend(issuer=issuer)
    old = seed(issuer, tmp_path / "auth.json", ttl=3600)
    # The server's clock runs two hours ahead: it rejects the stored token while the client,
    # by its own clock, still finds it fresh, so the refresh is the 401's doing alone.
    issuer.clock = lambda: time.time() + 7200
    provider = provider_for(tmp_path, backend.transport())
    kwargs: dict[str, Any] = {"token_provider": provider, "base_url": backend.base_url}
    if mode == "sync":
        with ChatGPT(http_client=httpx.Client(transport=backend.transport()), **kwargs) as client:
            text = client.responses.create(
                model="gpt-5.5", input="hi", instructions="Be brief"
            ).output_text
    else:

        async def go() -> str:
            http = httpx.AsyncClient(transport=backend.transport())
            async with AsyncChatGPT(http_client=http, **kwargs) as client:
                return (
                    await client.responses.create(
                        model="gpt-5.5", input="hi", instructions="Be brief"
                    )
                ).output_text

        text = asyncio.run(go())
    assert text
    # The first request (whichever path the client starts with) carried the stored token and got
    # the 401; the answered /responses carried the refreshed one.
    first, last = backend.requests[0], backend.requests[-1]
    assert first.headers["authorization"] == f"Bearer {old['access_token']}"
    assert last.path.endswith("/responses")
    assert last.headers["authorization"] != first.headers["authorization"]
    [request] = issuer.refresh_requests
    assert_codex_refresh(request, old["refresh_token"], "unauthorized_recovery")


# -- the pieces --------------------------------------------------------------------------------


def test_refresh_refuses_a_reason_codex_does_not_send() -> None:
    http = httpx.Client(transport=httpx.MockTransport(FakeIssuer().handle))
    with pytest.raises(ValueError, match="refresh reason"):
        _oauth.refresh(
            http,
            ISSUER,
            CLIENT_ID,
            "rt_x",
            reason="bored",  # type: ignore[arg-type]
            login_hint="Run it",
            delays=(),
        )


@pytest.mark.parametrize("reason", ["proactive_expiry", "unauthorized_recovery"])
def test_refresh_body_is_the_captured_shape(reason: _oauth.RefreshReason) -> None:
    assert _oauth.refresh_body("app_x", "rt_x", reason) == {
        "client_id": "app_x",
        "grant_type": "refresh_token",
        "refresh_reason": reason,
        "refresh_token": "rt_x",
    }


def fake_refresh(issuer: FakeIssuer, body: Any) -> httpx.Response:
    return issuer.handle(httpx.Request("POST", f"{ISSUER}/oauth/token", json=body))


@pytest.mark.parametrize("reason", ["later", "", None, 3, ["proactive_expiry"]])
def test_fake_issuer_can_reject_unknown_reasons(issuer: FakeIssuer, reason: object) -> None:
    tokens = issuer.issue_tokens()
    body: dict[str, object] = {
        **_oauth.refresh_body(CLIENT_ID, tokens["refresh_token"], "proactive_expiry"),
        "refresh_reason": reason,
    }
    response = fake_refresh(issuer, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert issuer.refresh_token_state(tokens["refresh_token"]) == "live"
    issuer.reject_unknown_refresh_reasons = False
    assert fake_refresh(issuer, body).status_code == 200
    assert [r.json for r in issuer.refresh_requests] == [body, body]


def test_fake_issuer_accepts_a_body_without_reason(issuer: FakeIssuer) -> None:
    tokens = issuer.issue_tokens()
    body = {
        "client_id": CLIENT_ID,
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
    }
    assert fake_refresh(issuer, body).status_code == 200
    [request] = issuer.refresh_requests
    assert request.reason is None
