"""Sign in with ChatGPT, the browser flow (SIWC.md section 2) against FakeSIWC.

The issuer runs in-process; the app's callback listener is real (127.0.0.1, a free port), and the
tests drive it as a browser would: the authorize URL answered by the fake, then a GET of the
redirect on the loopback listener.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from official_support import ISSUER, Waiting, make_login, provider_for, raw_get, signed_in

from chatgpt_sdk.auth import OfficialLogin, OfficialTokenProvider
from chatgpt_sdk.auth._official import SCOPES
from chatgpt_sdk.errors import APIConnectionError, LoginFailedError, LoginRequiredError
from chatgpt_sdk.testing import FakeSIWC


@pytest.fixture
def fake() -> FakeSIWC:
    return FakeSIWC()


@pytest.fixture
def provider(fake: FakeSIWC, tmp_path: Path) -> OfficialTokenProvider:
    return provider_for(fake, tmp_path)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def approve(fake: FakeSIWC, login: OfficialLogin) -> str:
    """The callback address the fake sends the browser to (not yet followed)."""
    assert login.authorize_url is not None
    answer = fake.handle(httpx.Request("GET", login.authorize_url))
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def test_the_whole_browser_login(fake: FakeSIWC, provider: OfficialTokenProvider) -> None:
    login = make_login(fake, provider, app_name="My Tool")
    url = login.start()
    assert login.authorize_url == url
    sent = query(url)
    host_id = provider.host_id()
    assert host_id is not None
    assert host_id.startswith("urn:uuid:")
    assert {k: v[0] for k, v in sent.items() if k not in ("state", "nonce", "code_challenge")} == {
        "client_id": "dynamic_agent_client",
        "agent_name_hint": "My Tool",
        "ext_agent_host_id": host_id,
        "response_type": "code",
        "redirect_uri": login.redirect_uri,
        "scope": " ".join(SCOPES),
        "resource": "https://api.openai.com/v1",
        "code_challenge_method": "S256",
    }
    assert urlsplit(url)._replace(query="").geturl() == f"{ISSUER}/api/accounts/authorize"
    assert login.redirect_uri.startswith("http://127.0.0.1:")
    assert login.redirect_uri.endswith("/auth/callback")
    assert len(sent["state"][0]) >= 43
    assert len(sent["nonce"][0]) >= 43
    assert sent["state"][0] != sent["nonce"][0]
    waiting = Waiting(login)
    page = raw_get(approve(fake, login))
    assert page.status_code == 200
    assert "Signed in" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "history.replaceState" in page.text
    creds = waiting.join()
    assert fake.is_valid_access_token(creds.access_token)
    assert creds.account_id is None  # SIWC tokens carry no account: no account header is sent
    # The code exchange: form-encoded, the issued client, the byte-identical redirect, resource.
    exchange = fake.token_requests[-1]
    assert exchange.headers["content-type"].startswith("application/x-www-form-urlencoded")
    issued = exchange.form["client_id"]
    assert issued.startswith("oaiapp_")
    assert exchange.form["redirect_uri"] == login.redirect_uri
    assert exchange.form["resource"] == "https://api.openai.com/v1"
    assert set(exchange.form) == {
        "grant_type",
        "client_id",
        "code",
        "code_verifier",
        "redirect_uri",
        "resource",
    }
    registration = provider.registration()
    assert registration is not None
    assert (registration.client_id, registration.subject) == (issued, fake.subject)
    record = json.loads(provider.path.read_text())  # type: ignore[union-attr]
    assert record["client_id"] == issued
    assert record["subject"] == fake.subject
    assert record["ext_agent_host_id"] == host_id
    assert record["scopes"] == list(SCOPES)
    assert record["email"] == fake.email
    for name in ("access_token", "refresh_token", "id_token"):
        assert record[name]
    # The listener is gone once the login is over.
    with pytest.raises(httpx.ConnectError):
        raw_get(login.redirect_uri)


def test_files_are_private(fake: FakeSIWC, tmp_path: Path) -> None:
    provider = signed_in(fake, tmp_path)
    folder = provider.directory
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert not [p for p in folder.iterdir() if p.name.endswith((".tmp", ".probe"))]


def test_re_authorization_uses_the_saved_client_and_hint(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    fake.sign_in(provider, http_client=fake.http_client())
    first = provider.peek()
    assert first is not None
    login = make_login(fake, provider)
    url = login.start()
    sent = query(url)
    assert sent["client_id"] == [first.client_id]
    assert "agent_name_hint" not in sent
    assert sent["ext_agent_host_id"] == [first.ext_agent_host_id]
    assert sent["id_token_hint"] == [first.id_token]
    assert login.display_url is not None
    assert "id_token_hint" not in login.display_url
    waiting = Waiting(login)
    callback = approve(fake, login)
    assert "client_id" not in query(callback)  # a re-authorization may omit it
    assert raw_get(callback).status_code == 200
    waiting.join()
    assert len(fake.registrations) == 1  # never registered twice
    second = provider.peek()
    assert second is not None
    assert second.client_id == first.client_id
    assert second.access_token != first.access_token


def test_a_wrong_state_gets_400_and_the_listener_keeps_waiting(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    login = make_login(fake, provider)
    login.start()
    waiting = Waiting(login)
    callback = approve(fake, login)
    forged = callback.replace("state=", "state=forged")
    assert raw_get(forged).status_code == 400
    no_state = login.redirect_uri + "?code=abc"
    assert raw_get(no_state).status_code == 400
    twice = callback + "&state=" + query(callback)["state"][0]
    assert raw_get(twice).status_code == 400
    assert waiting.waiting
    assert raw_get(callback).status_code == 200
    waiting.join()


def test_wrong_host_path_or_method_are_refused(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    login = make_login(fake, provider)
    login.start()
    waiting = Waiting(login)
    callback = approve(fake, login)
    port = urlsplit(login.redirect_uri).port
    assert raw_get(callback, headers={"Host": f"localhost:{port}"}).status_code == 400
    assert raw_get(callback, headers={"Host": "evil.example"}).status_code == 400
    assert raw_get(callback.replace("/auth/callback", "/callback")).status_code == 404
    with httpx.Client(trust_env=False) as http:
        assert http.post(callback).status_code == 405
    assert waiting.waiting
    assert raw_get(callback).status_code == 200
    waiting.join()


def test_access_denied_exchanges_no_code(fake: FakeSIWC, provider: OfficialTokenProvider) -> None:
    fake.deny_next_authorization()
    login = make_login(fake, provider)
    login.start()
    waiting = Waiting(login)
    callback = approve(fake, login)
    assert query(callback)["error"] == ["access_denied"]
    raw_get(callback)
    with pytest.raises(LoginFailedError) as caught:
        waiting.join()
    assert caught.value.reason == "access_denied"
    assert "--reconsent" in caught.value.message
    assert fake.token_requests == []
    # The issued client id the callback carried is kept: the next attempt reuses it.
    registration = provider.registration()
    assert registration is not None
    assert registration.client_id.startswith("oaiapp_")


def test_missing_plan_scope_keeps_the_sign_in_but_disables_plan_use(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    fake.grant_without_plan()
    with pytest.raises(LoginFailedError) as caught:
        fake.sign_in(provider, http_client=fake.http_client())
    assert caught.value.reason == "plan_not_enabled"
    record = provider.peek()
    assert record is not None
    assert record.signed_in
    assert not record.plan_enabled
    with pytest.raises(LoginFailedError, match="not enabled") as local:
        provider.credentials()
    assert local.value.reason == "plan_not_enabled"
    # Re-consent (explicitly asked for) sends prompt=consent and gets the plan scope back.
    login = make_login(fake, provider, reconsent=True)
    assert query(login.start())["prompt"] == ["consent"]
    waiting = Waiting(login)
    raw_get(approve(fake, login))
    waiting.join()
    assert provider.credentials().access_token


def test_a_different_client_id_on_re_authorization_is_refused(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    fake.sign_in(provider, http_client=fake.http_client())
    before = provider.peek()
    fake.callback_client_id("oaiapp_intruder")
    login = make_login(fake, provider)
    login.start()
    waiting = Waiting(login)
    assert raw_get(approve(fake, login)).status_code == 400
    with pytest.raises(LoginFailedError) as caught:
        waiting.join()
    assert caught.value.reason == "client_mismatch"
    assert provider.peek() == before
    assert len(fake.token_requests) == 1  # only the first login's exchange


@pytest.mark.parametrize(
    ("forgery", "words"),
    [
        ("signature", "signature"),
        ("expired", "expired"),
        ("nonce", "nonce"),
        ("audience", "another client"),
        ("issuer", "issuer"),
        ("azp", "azp"),
        ("alg", "RS256"),
    ],
)
def test_a_bad_id_token_is_refused_and_nothing_is_saved(
    fake: FakeSIWC, provider: OfficialTokenProvider, forgery: str, words: str
) -> None:
    fake.forge_next_id_token(forgery)
    with pytest.raises(LoginFailedError, match=words) as caught:
        fake.sign_in(provider, http_client=fake.http_client())
    assert caught.value.reason == "invalid_id_token"
    assert provider.peek() is None
    # The registration was saved before the exchange: the next attempt reuses it.
    registration = provider.registration()
    assert registration is not None
    assert registration.subject is None
    fake.sign_in(provider, http_client=fake.http_client())
    assert provider.registration().client_id == registration.client_id  # type: ignore[union-attr]
    assert len(fake.registrations) == 1


def test_the_client_id_is_saved_before_the_code_exchange(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    """A failed exchange must not cost the registration (SIWC 2.4)."""
    login = make_login(fake, provider)
    login.start()
    waiting = Waiting(login)
    callback = approve(fake, login)
    code = query(callback)["code"][0]
    # Spend the code first, as an expired or replayed code would be.
    fake._grants[code].used = True
    raw_get(callback)
    with pytest.raises(LoginFailedError) as caught:
        waiting.join()
    assert caught.value.reason == "invalid_grant"
    registration = provider.registration()
    assert registration is not None
    assert registration.client_id.startswith("oaiapp_")
    again = make_login(fake, provider)
    assert query(again.start())["client_id"] == [registration.client_id]
    again.close()


def test_another_account_on_re_authorization_is_refused(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    fake.sign_in(provider, http_client=fake.http_client())
    before = provider.peek()
    fake.sign_in_as("someone-else")
    with pytest.raises(LoginFailedError) as caught:
        fake.sign_in(provider, http_client=fake.http_client())
    assert caught.value.reason == "account_mismatch"
    assert provider.peek() == before


def test_a_registration_without_an_issued_client_is_incomplete(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    fake.callback_client_id("dynamic_agent_client")
    with pytest.raises(LoginFailedError) as caught:
        fake.sign_in(provider, http_client=fake.http_client())
    assert caught.value.reason == "registration_incomplete"
    assert provider.registration() is None


def test_a_pasted_callback_completes_the_login(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    login = make_login(fake, provider)
    login.start()
    waiting = Waiting(login)
    with pytest.raises(LoginFailedError):
        login.submit_redirect_url("http://127.0.0.1:1/auth/callback?code=x&state=y")
    login.submit_redirect_url(approve(fake, login))
    assert waiting.join().access_token


def test_cancel_and_timeout(fake: FakeSIWC, provider: OfficialTokenProvider) -> None:
    login = make_login(fake, provider)
    login.start()
    waiting = Waiting(login)
    login.cancel()
    with pytest.raises(LoginFailedError) as caught:
        waiting.join()
    assert caught.value.reason == "cancelled"
    short = make_login(fake, provider, timeout=0.2)
    short.start()
    with pytest.raises(LoginFailedError) as expired:
        short.complete()
    assert expired.value.reason == "expired"


async def test_arun(fake: FakeSIWC, provider: OfficialTokenProvider) -> None:
    import asyncio

    def open_url(url: str) -> None:
        import threading

        threading.Thread(target=fake.browser, args=(url,), daemon=True).start()

    login = make_login(fake, provider, on_url=open_url)
    creds = await asyncio.wait_for(login.arun(), 20)
    assert fake.is_valid_access_token(creds.access_token)


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"issuer": "https://evil.example"}, "another issuer"),
        ({"token_endpoint": "https://evil.example/token"}, "another origin"),
        ({"revocation_endpoint": "http://siwc.fake/revoke"}, "another origin"),
        ({"jwks_uri": None}, "no jwks_uri"),
        ({"code_challenge_methods_supported": ["plain"]}, "S256"),
    ],
)
def test_discovery_is_checked(tmp_path: Path, document: dict[str, object], words: str) -> None:
    fake = FakeSIWC()

    def handler(request: httpx.Request) -> httpx.Response:
        answer = fake.handle(request)
        if request.url.path.endswith("openid-configuration"):
            data = {**answer.json(), **document}
            return httpx.Response(200, json={k: v for k, v in data.items() if v is not None})
        return answer

    provider = OfficialTokenProvider(tmp_path, issuer=ISSUER)
    login = OfficialLogin(
        provider,
        open_browser=False,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(LoginFailedError, match=words) as caught:
        login.start()
    assert caught.value.reason == "discovery"


def test_an_unreachable_issuer_is_a_connection_error(tmp_path: Path) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    provider = OfficialTokenProvider(tmp_path, issuer=ISSUER)
    login = OfficialLogin(
        provider, open_browser=False, http_client=httpx.Client(transport=httpx.MockTransport(down))
    )
    with pytest.raises(APIConnectionError, match="unavailable"):
        login.start()


def test_arguments_are_checked(tmp_path: Path) -> None:
    provider = OfficialTokenProvider(tmp_path, issuer=ISSUER)
    with pytest.raises(TypeError):
        OfficialLogin(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="app_name"):
        OfficialLogin(provider, app_name=" ")
    with pytest.raises(ValueError, match="port"):
        OfficialLogin(provider, port=70000)
    with pytest.raises(ValueError, match="differs"):
        OfficialLogin(provider, issuer="https://other.example")
    with pytest.raises(ValueError, match="profile"):
        OfficialTokenProvider(tmp_path, profile="../x")
    with pytest.raises(LoginRequiredError, match="login --official"):
        provider.credentials()


def test_the_login_uses_the_providers_http_client(
    fake: FakeSIWC, provider: OfficialTokenProvider
) -> None:
    login = OfficialLogin(provider, open_browser=False, timeout=20)
    login.start()  # discovery through the provider's (in-process) client
    waiting = Waiting(login)
    assert raw_get(approve(fake, login)).status_code == 200
    assert fake.is_valid_access_token(waiting.join().access_token)
