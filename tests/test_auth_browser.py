"""BrowserLogin (PKCE): the local callback, state check, paste fallback, busy ports."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk.auth import BrowserLogin, FileTokenProvider
from chatgpt_sdk.errors import LoginFailedError

ISSUER = "https://auth.fake.test"


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture
def issuer() -> FakeIssuer:
    return FakeIssuer()


@pytest.fixture
def login(issuer: FakeIssuer, tmp_path: Path) -> Iterator[BrowserLogin]:
    client = httpx.Client(transport=httpx.MockTransport(issuer.handle))
    provider = FileTokenProvider(tmp_path, issuer=ISSUER)
    flow = BrowserLogin(
        provider, issuer=ISSUER, http_client=client, ports=free_ports(2), timeout=10
    )
    yield flow
    flow.close()


class Completion:
    """Runs ``login.complete()`` in a thread, as a CLI waiting for the browser would."""

    def __init__(self, login: BrowserLogin) -> None:
        self.result: Any = None
        self._thread = threading.Thread(target=self._run, args=(login,))
        self._thread.start()

    def _run(self, login: BrowserLogin) -> None:
        try:
            self.result = login.complete()
        except Exception as exc:
            self.result = exc

    def wait(self) -> Any:
        self._thread.join(10)
        return self.result


def browser_redirect(issuer: FakeIssuer, authorize_url: str) -> str:
    """What the browser does at the issuer: it ends up redirected to our callback."""
    answer = issuer.handle(httpx.Request("GET", authorize_url))
    assert answer.status_code == 302
    return answer.headers["location"]


def visit(url: str) -> httpx.Response:
    local = url.replace("http://localhost:", "http://127.0.0.1:")
    return httpx.get(local, trust_env=False, timeout=10)


def test_authorize_url_carries_pkce_and_the_registered_redirect(login: BrowserLogin) -> None:
    shown: list[str] = []
    login._on_url = shown.append
    url = login.start()
    assert shown == [url]
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{ISSUER}/oauth/authorize?response_type=code&client_id=")
    assert query["client_id"] == "app_EMoamEEZ73f0CkXaXp7hrann"
    assert query["redirect_uri"] == login.redirect_uri
    assert login.redirect_uri.startswith("http://localhost:")
    assert query["code_challenge_method"] == "S256"
    assert len(base64.urlsafe_b64decode(query["code_challenge"] + "=")) == 32
    assert len(base64.urlsafe_b64decode(query["state"] + "=")) == 32
    assert query["scope"].startswith("openid profile email offline_access")
    assert "%20" in url
    verifier = login._verifier
    assert len(verifier) == 86
    digest = hashlib.sha256(verifier.encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == query["code_challenge"]


def test_callback_completes_the_login(login: BrowserLogin, issuer: FakeIssuer) -> None:
    url = login.start()
    done = Completion(login)
    page = visit(browser_redirect(issuer, url))
    creds = done.wait()
    assert page.status_code == 200
    assert "Signed in" in page.text
    assert issuer.is_valid_access_token(creds.access_token)
    saved = json.loads(login.provider.path.read_text())  # type: ignore[attr-defined]
    assert saved["access_token"] == creds.access_token


def test_a_forged_callback_is_refused_and_the_real_one_still_completes(
    login: BrowserLogin, issuer: FakeIssuer
) -> None:
    url = login.start()
    done = Completion(login)
    redirect = browser_redirect(issuer, url)
    base = redirect.split("?")[0]
    forged = visit(redirect.split("&state=")[0] + "&state=forged")
    forged_denial = visit(f"{base}?error=access_denied&state=forged")
    no_state = visit(f"{base}?code=ac_forged")
    assert [forged.status_code, forged_denial.status_code, no_state.status_code] == [400] * 3
    assert "State mismatch" in forged.text
    real = visit(redirect)  # the listener is still there: no connection reset
    creds = done.wait()
    assert real.status_code == 200
    assert "Signed in" in real.text
    assert issuer.is_valid_access_token(creds.access_token)
    assert issuer.code_exchanges == 1


def test_after_a_forged_callback_the_login_waits_until_its_timeout(
    issuer: FakeIssuer, tmp_path: Path
) -> None:
    client = httpx.Client(transport=httpx.MockTransport(issuer.handle))
    flow = BrowserLogin(
        FileTokenProvider(tmp_path, issuer=ISSUER),
        issuer=ISSUER,
        http_client=client,
        ports=free_ports(2),
        timeout=1.0,
    )
    url = flow.start()
    done = Completion(flow)
    redirect = browser_redirect(issuer, url)
    assert visit(redirect.split("&state=")[0] + "&state=forged").status_code == 400
    error = done.wait()
    assert isinstance(error, LoginFailedError)
    assert error.reason == "expired"
    assert issuer.code_exchanges == 0


def test_a_pasted_address_with_the_wrong_state_fails_at_once(
    login: BrowserLogin, issuer: FakeIssuer
) -> None:
    url = login.start()
    login.submit_redirect_url(browser_redirect(issuer, url).split("&state=")[0] + "&state=old")
    with pytest.raises(LoginFailedError) as info:
        login.complete()
    assert info.value.reason == "state_mismatch"
    assert issuer.code_exchanges == 0


def test_pasted_redirect_url_completes_the_login(login: BrowserLogin, issuer: FakeIssuer) -> None:
    url = login.start()
    login.submit_redirect_url("  " + browser_redirect(issuer, url) + "\n")
    creds = login.complete()
    assert issuer.is_valid_access_token(creds.access_token)


def test_denied_in_the_browser(login: BrowserLogin, issuer: FakeIssuer) -> None:
    issuer.deny_next_login()
    url = login.start()
    login.submit_redirect_url(browser_redirect(issuer, url))
    with pytest.raises(LoginFailedError) as info:
        login.complete()
    assert info.value.reason == "denied"


def test_falls_back_to_the_second_port(login: BrowserLogin) -> None:
    first, second = login._ports
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", first))
        busy.listen()
        login.start()
    assert login.redirect_uri == f"http://localhost:{second}/auth/callback"


def test_both_ports_busy_gives_a_clear_message(login: BrowserLogin) -> None:
    holders = []
    for port in login._ports:
        s = socket.socket()
        s.bind(("127.0.0.1", port))
        s.listen()
        holders.append(s)
    try:
        with pytest.raises(LoginFailedError, match="in use") as info:
            login.start()
    finally:
        for s in holders:
            s.close()
    assert info.value.reason == "ports_busy"
    assert "chatgpt-sdk login" in str(info.value)


def test_default_ports_are_the_registered_ones() -> None:
    assert BrowserLogin(issuer=ISSUER)._ports == (1455, 1457)


async def test_async_run_and_cancel(login: BrowserLogin) -> None:
    import asyncio

    task = asyncio.create_task(login.arun())
    await asyncio.sleep(0.2)
    login.cancel()
    with pytest.raises(LoginFailedError) as info:
        await asyncio.wait_for(task, 5)
    assert info.value.reason == "cancelled"
