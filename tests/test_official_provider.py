"""OfficialTokenProvider: the record on disk, refresh near expiry, refresh errors, sign-out, export."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from official_support import ISSUER, provider_for, signed_in
from process_support import release, results_of, start_children

from chatgpt_sdk.auth import OfficialTokenProvider, default_token_provider
from chatgpt_sdk.auth._official_tokens import TERMINAL_REFRESH_CODES
from chatgpt_sdk.auth._store import AuthFile
from chatgpt_sdk.errors import (
    APIConnectionError,
    APIStatusError,
    AuthFileError,
    LoginRequiredError,
    ReauthenticationRequired,
)
from chatgpt_sdk.testing import FakeSIWC


@pytest.fixture
def fake() -> FakeSIWC:
    return FakeSIWC()


def record_of(provider: OfficialTokenProvider) -> dict[str, Any]:
    assert provider.path is not None
    data: dict[str, Any] = json.loads(provider.path.read_text())
    return data


def expire(provider: OfficialTokenProvider, seconds_left: float = -10) -> None:
    """Make the stored access token (nearly) expired, as time passing would."""
    data = record_of(provider)
    data["expires_at"] = int(time.time() + seconds_left)
    assert provider.path is not None
    AuthFile(provider.path).write(data)


def fresh(provider: OfficialTokenProvider, fake: FakeSIWC) -> OfficialTokenProvider:
    """Another provider (another process, say) on the same files."""
    return provider_for(fake, provider.directory.parent)


def test_a_valid_token_is_used_without_refreshing(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    token = record_of(provider)["access_token"]
    assert provider.credentials().access_token == token
    assert fake.refresh_requests == []
    assert provider.backend == OfficialTokenProvider.backend == "official"


def test_refresh_near_expiry_is_form_encoded_without_scope(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    before = record_of(provider)
    expire(provider, seconds_left=60)  # inside the margin: refreshed before use
    other = fresh(provider, fake)
    creds = other.credentials()
    [request] = fake.refresh_requests
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert request.form == {
        "grant_type": "refresh_token",
        "client_id": before["client_id"],
        "refresh_token": before["refresh_token"],
        "resource": "https://api.openai.com/v1",
    }
    after = record_of(provider)
    assert creds.access_token == after["access_token"] != before["access_token"]
    assert after["refresh_token"] != before["refresh_token"]
    assert fake.refresh_token_state(before["refresh_token"]) == "used"
    assert fake.refresh_token_state(after["refresh_token"]) == "live"
    # Replaced as a whole; registration, subject, host id and mode kept.
    for key in ("client_id", "subject", "ext_agent_host_id", "issuer", "email"):
        assert after[key] == before[key]
    assert provider.path is not None
    assert stat.S_IMODE(provider.path.stat().st_mode) == 0o600
    assert after["id_token"] != before["id_token"]  # verified, same subject: adopted


def test_a_refresh_without_scope_keeps_the_scopes(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    scopes = record_of(provider)["scopes"]
    fake.refresh_omits_scope = True
    fake.refresh_returns_id_token = False
    expire(provider)
    fresh(provider, fake).credentials()
    assert record_of(provider)["scopes"] == scopes


def test_force_refresh_after_a_401_refreshes_once(fake: FakeSIWC, tmp_path: Path) -> None:
    """Threads that all got a 401 on the same token cost one refresh."""
    import threading

    provider = signed_in(fake, tmp_path)
    barrier = threading.Barrier(4)
    seen: list[str] = []

    def caller() -> None:
        first = provider.credentials()
        barrier.wait()
        seen.append(first.access_token)
        seen.append(provider.credentials(force_refresh=True).access_token)

    threads = [threading.Thread(target=caller) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(fake.refresh_requests) == 1
    assert len(set(seen)) == 2


async def test_concurrent_tasks_refresh_once(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    expire(provider)
    other = fresh(provider, fake)
    tokens = await asyncio.gather(*(other.acredentials() for _ in range(20)))
    assert len({t.access_token for t in tokens}) == 1
    assert len(fake.refresh_requests) == 1


@pytest.mark.parametrize("code", sorted(TERMINAL_REFRESH_CODES))
def test_terminal_refresh_errors_clear_tokens_keep_registration(
    fake: FakeSIWC, tmp_path: Path, code: str
) -> None:
    provider = signed_in(fake, tmp_path)
    before = record_of(provider)
    expire(provider)
    fake.fail_next_refreshes(1, 400, {"error": code, "error_description": "dead"})
    other = fresh(provider, fake)
    with pytest.raises(ReauthenticationRequired, match="login --official") as caught:
        other.credentials()
    assert caught.value.code == code
    after = record_of(provider)
    assert after["access_token"] is None
    assert after["refresh_token"] is None
    assert after["id_token"] == before["id_token"]  # kept for id_token_hint
    for key in ("client_id", "subject", "ext_agent_host_id"):
        assert after[key] == before[key]
    assert other.registration() == provider.registration()
    assert other.host_id() == before["ext_agent_host_id"]
    with pytest.raises(LoginRequiredError, match="signed out"):
        fresh(provider, fake).credentials()


def test_a_reused_refresh_token_ends_the_session(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    stale = record_of(provider)
    expire(provider)
    fresh(provider, fake).credentials()  # rotates
    assert provider.path is not None
    AuthFile(provider.path).write({**stale, "expires_at": int(time.time()) - 10})
    with pytest.raises(ReauthenticationRequired) as caught:
        fresh(provider, fake).credentials()
    assert caught.value.code == "refresh_token_reused"


def test_invalid_client_erases_nothing(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    expire(provider)
    before = record_of(provider)
    fake.fail_next_refreshes(1, 401, {"error": "invalid_client"})
    with pytest.raises(APIStatusError, match="invalid_client"):
        fresh(provider, fake).credentials()
    assert record_of(provider) == before


@pytest.mark.parametrize(("status", "body"), [(503, None), (500, {"error": "x"}), (429, None)])
def test_transient_refresh_errors_are_retried_and_erase_nothing(
    fake: FakeSIWC, tmp_path: Path, status: int, body: dict[str, Any] | None
) -> None:
    provider = signed_in(fake, tmp_path)
    expire(provider)
    before = record_of(provider)
    fake.fail_next_refreshes(3, status, body)
    other = fresh(provider, fake)
    with pytest.raises(APIStatusError) as caught:
        other.credentials()
    assert caught.value.status_code == status
    assert "kept" in caught.value.message
    assert record_of(provider) == before
    assert len(fake.refresh_requests) == 3
    # A later try succeeds with the same refresh token: nothing was lost.
    fake.fail_next_refreshes(1, status, body)
    assert other.credentials().access_token != before["access_token"]


def test_network_errors_during_refresh_erase_nothing(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    expire(provider)
    before = record_of(provider)

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth/token"):
            raise httpx.ConnectError("down", request=request)
        return fake.handle(request)

    other = OfficialTokenProvider(
        tmp_path, issuer=ISSUER, http_client=httpx.Client(transport=httpx.MockTransport(flaky))
    )
    other.retry_delays = (0.0,)
    with pytest.raises(APIConnectionError, match="kept"):
        other.credentials()
    assert record_of(provider) == before


def test_an_unwritable_folder_does_not_spend_the_refresh_token(
    fake: FakeSIWC, tmp_path: Path
) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    provider = signed_in(fake, tmp_path)
    expire(provider)
    os.chmod(provider.directory, 0o500)
    try:
        with pytest.raises(AuthFileError):
            fresh(provider, fake).credentials()
    finally:
        os.chmod(provider.directory, 0o700)
    assert fake.refresh_requests == []


def test_a_failed_write_leaves_the_old_record_whole(
    fake: FakeSIWC, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = signed_in(fake, tmp_path)
    assert provider.path is not None
    before = provider.path.read_bytes()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(AuthFileError):
        AuthFile(provider.path).write({"kind": "half"})
    monkeypatch.undo()
    assert provider.path.read_bytes() == before
    assert not [p for p in provider.directory.iterdir() if p.name.endswith(".tmp")]


def test_logout_revokes_at_the_discovered_endpoint(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    before = record_of(provider)
    result = provider.logout()
    assert (result.had_login, result.revoked) == (True, True)
    [request] = fake.revoke_requests
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert request.form == {
        "token": before["refresh_token"],
        "token_type_hint": "refresh_token",
        "client_id": before["client_id"],
    }
    assert fake.refresh_token_state(before["refresh_token"]) == "revoked"
    after = record_of(provider)
    assert after["access_token"] is after["refresh_token"] is after["id_token"] is None
    assert (after["client_id"], after["ext_agent_host_id"]) == (
        before["client_id"],
        before["ext_agent_host_id"],
    )
    with pytest.raises(LoginRequiredError):
        provider.credentials()
    # The next sign-in reuses the registration, without the (cleared) ID token hint.
    fake.sign_in(provider, http_client=fake.http_client())
    last = fake.authorize_requests[-1]
    assert last["client_id"] == [before["client_id"]]
    assert "id_token_hint" not in last
    assert len(fake.registrations) == 1


def test_logout_clears_tokens_even_when_revocation_fails(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    fake.fail_next_revocations(2, 503)
    result = provider.logout()
    assert result.revoked is False
    assert len(fake.revoke_requests) == 2  # retried once
    assert record_of(provider)["refresh_token"] is None
    assert provider.logout().revoked is None  # nothing left to revoke


def test_export_and_import_keep_the_targets_host_id(fake: FakeSIWC, tmp_path: Path) -> None:
    laptop = signed_in(fake, tmp_path / "laptop")
    server = provider_for(fake, tmp_path / "server")
    server_host = server.host_id(create=True)
    exported = laptop.export_record()
    assert "ext_agent_host_id" not in exported
    imported = server.import_record(exported)
    assert imported.ext_agent_host_id == server_host != laptop.host_id()
    assert record_of(server)["ext_agent_host_id"] == server_host
    laptop.logout(revoke=False)  # the laptop forgets it (one machine per session)
    expire(server)
    assert fake.is_valid_access_token(server.credentials().access_token)
    # The server's next sign-in uses its own host id with the same registration.
    fake.sign_in(server, http_client=fake.http_client())
    assert fake.authorize_requests[-1]["ext_agent_host_id"] == [server_host]
    assert len(fake.registrations) == 1


def test_import_refuses_another_registration_and_signed_out_records(
    fake: FakeSIWC, tmp_path: Path
) -> None:
    mine = signed_in(fake, tmp_path / "a")
    theirs = signed_in(FakeSIWC(subject="other"), tmp_path / "b")
    with pytest.raises(LoginRequiredError, match="another registration"):
        mine.import_record(theirs.export_record())
    out = theirs.export_record()
    with pytest.raises(LoginRequiredError, match="no tokens"):
        provider_for(fake, tmp_path / "c").import_record({**out, "access_token": None})
    with pytest.raises(LoginRequiredError):
        provider_for(fake, tmp_path / "d").import_record({"kind": "something else"})


def test_profiles_are_separate(fake: FakeSIWC, tmp_path: Path) -> None:
    work = signed_in(fake, tmp_path, profile="work")
    assert provider_for(fake, tmp_path).registration() is None
    assert work.registration() is not None
    assert work.host_id() == provider_for(fake, tmp_path).host_id()  # one host, many logins


def test_default_token_provider_prefers_a_signed_in_official_login(
    fake: FakeSIWC, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path))
    monkeypatch.setenv("CHATGPT_AUTH_ISSUER", ISSUER)
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    monkeypatch.delenv("CHATGPT_BACKEND", raising=False)
    monkeypatch.delenv("CHATGPT_PROFILE", raising=False)
    with pytest.raises(LoginRequiredError, match="login --official"):
        default_token_provider()
    signed_in(fake, tmp_path)
    chosen = default_token_provider()
    assert isinstance(chosen, OfficialTokenProvider)
    monkeypatch.setenv("CHATGPT_BACKEND", "codex")
    with pytest.raises(LoginRequiredError):
        default_token_provider()


CHILD = """
import json, sys, time
from pathlib import Path
from chatgpt_sdk.auth import OfficialTokenProvider

directory, issuer, name = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
provider = OfficialTokenProvider(directory, issuer=issuer)
(directory / f"ready-{name}").touch()
while not (directory / "go").exists():
    time.sleep(0.005)
creds = provider.credentials()
print(json.dumps({"token": creds.access_token}))
"""


def test_three_processes_refresh_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeSIWC(refresh_delay=1.5)
    with fake.serve() as server:
        provider = OfficialTokenProvider(tmp_path, issuer=server.url)
        fake.sign_in(provider)
        expire(provider)
        arguments = [[str(tmp_path), server.url, str(n)] for n in range(3)]
        children = start_children(CHILD, arguments, tmp_path)
        release(tmp_path)
        results = results_of(children)
    tokens = {result["token"] for result in results}
    assert len(fake.refresh_requests) == 1
    assert len(tokens) == 1
    assert record_of(provider)["access_token"] in tokens
