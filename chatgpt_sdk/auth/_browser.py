"""Browser login with PKCE (WIRE.md 2.3): a local callback server on localhost:1455 (else 1457).

Those two ports are the only ones the issuer accepts as redirect targets, so no other port is ever
tried. On a headless machine the user opens the printed URL anywhere and pastes the address the
browser was redirected to (``submit_redirect_url``); whichever arrives first completes the login.
"""

from __future__ import annotations

import asyncio
import html
import logging
import webbrowser
from collections.abc import Callable, Sequence
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx

from chatgpt_sdk.auth import _oauth
from chatgpt_sdk.auth._callback import (
    Callback,
    CallbackListener,
    CallbackSite,
    code_challenge,
    random_b64url,
)
from chatgpt_sdk.auth._config import check_optional_str, resolve_client_id, resolve_issuer
from chatgpt_sdk.auth._credentials import Credentials
from chatgpt_sdk.auth._login import (
    HTTP_TIMEOUT,
    LoginTarget,
    check_login_arguments,
    default_target,
    login_tokens,
    sync_client,
    unreachable,
)
from chatgpt_sdk.errors import LoginFailedError

__all__ = ["BrowserLogin"]

log = logging.getLogger("chatgpt_sdk.auth")

CALLBACK_PORTS = (1455, 1457)
SCOPE = "openid profile email offline_access api.connectors.read api.connectors.invoke"
_CALLBACK_PATH = "/auth/callback"


def _page(message: str) -> str:
    return f"<!doctype html><title>chatgpt-sdk login</title><p>{html.escape(message)}</p>"


_SITE = CallbackSite(
    path=_CALLBACK_PATH,
    page=_page,
    noun="login",
    foreign="State mismatch: this login was not started here. Start again.",
)


class BrowserLogin:
    """Log in through the browser (PKCE, S256); ``run()`` does it all and saves the tokens.

    ``start()`` binds the callback server and returns the URL to open (``on_url`` gets it too;
    ``open_browser=True`` opens it). ``complete()`` waits for the redirect, checks ``state``,
    exchanges the code and saves the tokens. ``cancel()`` stops the wait from any thread.
    """

    def __init__(
        self,
        provider: LoginTarget | None = None,
        *,
        issuer: str | None = None,
        client_id: str | None = None,
        on_url: Callable[[str], None] | None = None,
        http_client: httpx.Client | None = None,
        open_browser: bool = False,
        ports: Sequence[int] = CALLBACK_PORTS,
        timeout: float = 600.0,
        originator: str = "codex_cli_rs",
    ) -> None:
        self.issuer = resolve_issuer(issuer)
        self.client_id = resolve_client_id(client_id)
        check_login_arguments(provider, on_url, "on_url", http_client, timeout)
        if isinstance(http_client, httpx.AsyncClient):
            raise TypeError("http_client must be an httpx.Client (the code exchange is sync)")
        ports = tuple(ports)
        if not ports or not all(
            isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 65535 for p in ports
        ):
            raise ValueError("ports must be a non-empty sequence of port numbers (0-65535)")
        check_optional_str("originator", originator)
        if not isinstance(open_browser, bool):
            raise TypeError(f"open_browser must be a bool, not {type(open_browser).__name__}")
        self._provider = provider
        self._on_url = on_url
        self._http_client = http_client
        self._open_browser = open_browser
        self._ports = ports
        self._timeout = float(timeout)
        self._originator = originator
        self._verifier = random_b64url(64)
        self._state = random_b64url(32)
        self._redirect_uri = ""
        self._listener = CallbackListener(_SITE, self._state)

    @property
    def provider(self) -> LoginTarget:
        if self._provider is None:
            self._provider = default_target(self.issuer)
        return self._provider

    @property
    def redirect_uri(self) -> str:
        return self._redirect_uri

    def start(self) -> str:
        """Listen for the callback and return the authorize URL the user must open."""
        if not self._listener.listening:
            self._redirect_uri = f"http://localhost:{self._listen()}{_CALLBACK_PATH}"
        url = self.authorize_url()
        if self._on_url is not None:
            self._on_url(url)
        if self._open_browser:
            webbrowser.open(url)
        return url

    def authorize_url(self) -> str:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self._redirect_uri,
            "scope": SCOPE,
            "code_challenge": code_challenge(self._verifier),
            "code_challenge_method": "S256",
            "id_token_add_organizations": "true",
            "codex_cli_simplified_flow": "true",
            "state": self._state,
            "originator": self._originator,
        }
        return f"{self.issuer}/oauth/authorize?{urlencode(params, quote_via=quote)}"

    def submit_redirect_url(self, url: str) -> None:
        """Complete the login with the address the browser ended on (the headless fallback)."""
        query = urlsplit(url.strip()).query if "?" in url else url.strip()
        self._listener.submit({k: v[0] for k, v in parse_qs(query).items()})

    def cancel(self) -> None:
        self._listener.cancel()

    def complete(self) -> Credentials:
        """Wait for the redirect, then exchange the code and save the tokens."""
        try:
            # A browser callback with the wrong state never gets here: the listener refuses it
            # (400) and keeps waiting. Only a pasted address fails the login on it (_finish).
            callback = self._listener.wait(
                self._timeout, expired="No browser login arrived in time. Run the login again."
            )
            return self._finish(callback)
        finally:
            self.close()

    def run(self) -> Credentials:
        self.start()
        return self.complete()

    async def acomplete(self) -> Credentials:
        """``complete()`` in a worker thread; cancelling the task cancels the login."""
        try:
            return await asyncio.to_thread(self.complete)
        except asyncio.CancelledError:
            self.cancel()
            raise

    async def arun(self) -> Credentials:
        await asyncio.to_thread(self.start)
        return await self.acomplete()

    def close(self) -> None:
        """Stop the callback server (``complete()`` does this itself)."""
        self._listener.close()

    def _listen(self) -> int:
        for port in self._ports:
            try:
                return self._listener.listen(port, "chatgpt-sdk-login")
            except OSError:
                log.info("Login callback port %s is busy", port)
        ports = " and ".join(str(p) for p in self._ports)
        raise LoginFailedError(
            f"Cannot listen for the login callback: localhost ports {ports} are in use (another "
            "login still waiting?). Close it and retry, or log in with a device code instead: "
            "`chatgpt-sdk login`.",
            reason="ports_busy",
        )

    def _finish(self, callback: Callback) -> Credentials:
        params = callback.params
        if params.get("state") != self._state:
            callback.answer(400, "State mismatch: this login was not started here. Start again.")
            raise LoginFailedError(
                "The login callback carried the wrong state (a stale or forged redirect).",
                reason="state_mismatch",
            )
        if "error" in params:
            detail = params.get("error_description") or params["error"]
            callback.answer(200, f"Login failed: {detail}")
            hint = (
                " Codex is not enabled for this workspace."
                if "missing_codex_entitlement" in detail
                else ""
            )
            raise LoginFailedError(f"The login was refused: {detail}.{hint}", reason="denied")
        code = params.get("code")
        if not code:
            callback.answer(400, "The redirect carried no code.")
            raise LoginFailedError("The login redirect carried no authorization code.")
        try:
            creds = self._exchange(code)
        except Exception:
            callback.answer(500, "Login failed while exchanging the code; see the terminal.")
            raise
        callback.answer(200, "Signed in to ChatGPT. You can close this tab.")
        return creds

    def _exchange(self, code: str) -> Credentials:
        form = _oauth.exchange_form(code, self._redirect_uri, self.client_id, self._verifier)
        with sync_client(self._http_client) as client:
            try:
                response = client.post(
                    f"{self.issuer}/oauth/token", data=form, timeout=HTTP_TIMEOUT
                )
            except httpx.RequestError as exc:
                raise unreachable(self.issuer, exc) from None
        return self.provider.save_tokens(**login_tokens(response))

    def __repr__(self) -> str:
        return f"BrowserLogin(issuer={self.issuer!r}, redirect_uri={self._redirect_uri!r})"
