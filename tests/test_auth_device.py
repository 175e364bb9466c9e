"""DeviceCodeLogin against the FakeIssuer: pending polls, approval, denial, expiry, cancel."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import httpx
import pytest

from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk.auth import DeviceCode, DeviceCodeLogin, FileTokenProvider
from chatgpt_sdk.errors import LoginFailedError

ISSUER = "https://auth.fake.test"


@pytest.fixture
def issuer() -> FakeIssuer:
    return FakeIssuer(pending_polls=3, interval="0.01")


@pytest.fixture
def provider(tmp_path: Path) -> FileTokenProvider:
    return FileTokenProvider(tmp_path, issuer=ISSUER)


def login_for(
    issuer: FakeIssuer, provider: FileTokenProvider, *, asynchronous: bool = False, **kw: object
) -> DeviceCodeLogin:
    transport = httpx.MockTransport(issuer.handle)
    client = (
        httpx.AsyncClient(transport=transport)
        if asynchronous
        else httpx.Client(transport=transport)
    )
    return DeviceCodeLogin(provider, issuer=ISSUER, http_client=client, **kw)  # type: ignore[arg-type]


def test_device_login_polls_until_approved_and_saves(
    issuer: FakeIssuer, provider: FileTokenProvider
) -> None:
    shown: list[DeviceCode] = []
    creds = login_for(issuer, provider, on_code=shown.append).run()
    assert len(shown) == 1
    code = shown[0]
    assert code.verification_url == f"{ISSUER}/codex/device"
    assert code.interval == 0.01
    assert code.device_auth_id not in repr(code)
    assert issuer.device_poll_calls == 4  # three pending answers, then approval
    assert issuer.code_exchanges == 1
    assert creds.account_id == issuer.account_id
    assert creds.plan_type == "plus"
    saved = json.loads(provider.path.read_text())
    assert saved["access_token"] == creds.access_token
    assert issuer.refresh_token_state(saved["refresh_token"]) == "live"
    assert provider.credentials().access_token == creds.access_token


async def test_async_device_login(issuer: FakeIssuer, provider: FileTokenProvider) -> None:
    creds = await login_for(issuer, provider, asynchronous=True).arun()
    assert issuer.is_valid_access_token(creds.access_token)
    assert json.loads(provider.path.read_text())["access_token"] == creds.access_token


async def test_async_login_accepts_a_sync_client(
    issuer: FakeIssuer, provider: FileTokenProvider
) -> None:
    login = login_for(issuer, provider)
    code = await login.astart()
    creds = await login.acomplete(code)
    assert issuer.is_valid_access_token(creds.access_token)


def test_interval_may_be_a_number_or_missing(
    issuer: FakeIssuer, provider: FileTokenProvider
) -> None:
    issuer.interval = 0
    assert login_for(issuer, provider).start().interval == 0.0
    issuer.interval = ""
    assert login_for(issuer, provider).start().interval == 5.0


@pytest.mark.parametrize("asynchronous", [False, True])
async def test_denied_login(
    issuer: FakeIssuer, provider: FileTokenProvider, asynchronous: bool
) -> None:
    issuer.deny_next_login()
    login = login_for(issuer, provider, asynchronous=asynchronous)
    with pytest.raises(LoginFailedError, match="denied") as info:
        await login.arun() if asynchronous else login.run()
    assert info.value.reason == "denied"
    assert not provider.path.exists()


def test_expired_code(issuer: FakeIssuer, provider: FileTokenProvider) -> None:
    issuer.expire_next_device_code()
    with pytest.raises(LoginFailedError, match="expired") as info:
        login_for(issuer, provider).run()
    assert info.value.reason == "expired"


def test_polling_stops_at_the_deadline(issuer: FakeIssuer, provider: FileTokenProvider) -> None:
    issuer.pending_polls = 10_000
    with pytest.raises(LoginFailedError) as info:
        login_for(issuer, provider, timeout=0.2).run()
    assert info.value.reason == "expired"
    assert issuer.code_exchanges == 0


def test_cancel_from_another_thread_stops_polling_at_once(
    issuer: FakeIssuer, provider: FileTokenProvider
) -> None:
    issuer.pending_polls = 10_000
    issuer.interval = "60"  # the poll loop is asleep when cancel arrives
    login = login_for(issuer, provider)
    code = login.start()
    threading.Timer(0.1, login.cancel).start()
    with pytest.raises(LoginFailedError, match="cancelled") as info:
        login.complete(code)
    assert info.value.reason == "cancelled"
    assert issuer.device_poll_calls == 1
    assert not provider.path.exists()


async def test_async_cancel(issuer: FakeIssuer, provider: FileTokenProvider) -> None:
    issuer.pending_polls = 10_000
    issuer.interval = "60"
    login = login_for(issuer, provider, asynchronous=True)
    code = await login.astart()
    asyncio.get_running_loop().call_later(0.1, login.cancel)
    with pytest.raises(LoginFailedError) as info:
        await asyncio.wait_for(login.acomplete(code), 5)
    assert info.value.reason == "cancelled"


def test_transient_poll_failures_are_polled_through(provider: FileTokenProvider) -> None:
    issuer = FakeIssuer(interval="0")
    failures = iter([503])

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/deviceauth/token"):
            status = next(failures, None)
            if status:
                return httpx.Response(status)
        return issuer.handle(request)

    client = httpx.Client(transport=httpx.MockTransport(flaky))
    creds = DeviceCodeLogin(provider, issuer=ISSUER, http_client=client).run()
    assert issuer.is_valid_access_token(creds.access_token)


def test_exchange_uses_a_form_with_the_device_redirect(provider: FileTokenProvider) -> None:
    issuer = FakeIssuer()
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return issuer.handle(request)

    DeviceCodeLogin(
        provider, issuer=ISSUER, http_client=httpx.Client(transport=httpx.MockTransport(record))
    ).run()
    exchange = seen[-1]
    assert exchange.url == f"{ISSUER}/oauth/token"
    assert exchange.headers["content-type"] == "application/x-www-form-urlencoded"
    form = dict(x.split("=", 1) for x in exchange.content.decode().split("&"))
    assert form["grant_type"] == "authorization_code"
    assert form["redirect_uri"] == "https%3A%2F%2Fauth.fake.test%2Fdeviceauth%2Fcallback"
    assert form["client_id"] == "app_EMoamEEZ73f0CkXaXp7hrann"
    assert json.loads(seen[0].content) == {"client_id": "app_EMoamEEZ73f0CkXaXp7hrann"}


def test_unsupported_server(provider: FileTokenProvider) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404)))
    with pytest.raises(LoginFailedError, match="--browser") as info:
        DeviceCodeLogin(provider, issuer=ISSUER, http_client=client).start()
    assert info.value.reason == "unsupported"


def test_default_provider_is_the_auth_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path))
    issuer = FakeIssuer()
    client = httpx.Client(transport=httpx.MockTransport(issuer.handle))
    DeviceCodeLogin(issuer=ISSUER, http_client=client).run()
    assert (tmp_path / "auth.json").exists()
