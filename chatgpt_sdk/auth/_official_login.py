"""``OfficialLogin``: the Sign in with ChatGPT browser flow, exactly as SIWC.md section 2 documents.

1. Discovery (issuer and same-origin endpoints checked), then this machine's persisted
   ``ext_agent_host_id`` (``urn:uuid:``, made once, before the first sign-in).
2. A loopback listener on ``127.0.0.1`` and any free port, path ``/auth/callback``: GET only, the
   exact ``Host``, exactly one ``state`` compared in constant time (a wrong one gets 400 and the
   listener keeps waiting), a reply page that is not cached, sends no referrer, runs only its own
   script (a strict CSP) and removes the code from the address bar.
3. The authorize URL: ``dynamic_agent_client`` with ``agent_name_hint`` on first registration,
   else the saved issued client with ``id_token_hint``; PKCE S256, fresh state and nonce, the
   complete scope set and ``resource`` every time.
4. The callback: ``state`` first, then ``error`` (``access_denied``: no exchange); a new
   registration's issued ``client_id`` is saved **before** the code exchange; a re-authorization
   naming another client is refused.
5. A form-encoded exchange with ``resource``; the ID token verified (RS256, JWKS, ``iss``, ``aud``,
   ``exp``, ``nonce``, ``azp``); the same subject on re-authorization; the plan gate on the granted
   scopes (``chatgpt.tokens.use.direct``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import html
import logging
import webbrowser
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx

from chatgpt_sdk.auth._callback import CallbackListener, CallbackSite, code_challenge, random_b64url
from chatgpt_sdk.auth._config import check_bool, check_optional_str, resolve_issuer
from chatgpt_sdk.auth._credentials import Credentials
from chatgpt_sdk.auth._oauth import error_code, error_text, json_body
from chatgpt_sdk.auth._official import (
    BOOTSTRAP_CLIENT_ID,
    CALLBACK_PATH,
    LOGIN_COMMAND,
    PLAN_SCOPE,
    RESOURCE,
    SCOPES,
    USAGE_URL,
    OfficialRecord,
    Registration,
    valid_client_id,
)
from chatgpt_sdk.auth._official_provider import OfficialTokenProvider
from chatgpt_sdk.auth._official_tokens import HTTP_TIMEOUT, client_scope, record_from_tokens
from chatgpt_sdk.errors import APIConnectionError, LoginFailedError

__all__ = ["OfficialLogin"]

log = logging.getLogger("chatgpt_sdk.auth")

_SCRIPT = f"history.replaceState(null, '', '{CALLBACK_PATH}');"
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        f"default-src 'none'; script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
}


def _page(message: str) -> str:
    return (
        "<!doctype html><meta charset=utf-8><title>chatgpt-sdk sign-in</title>"
        f"<p>{html.escape(message)}</p><script>{_SCRIPT}</script>"
    )


_SITE = CallbackSite(
    path=CALLBACK_PATH,
    page=_page,
    noun="sign-in",
    foreign="This sign-in was not started here (state mismatch).",
    headers=_PAGE_HEADERS,
    strict=True,
)


class OfficialLogin:
    """Sign in with ChatGPT in the system browser; ``run()`` does it all and saves the record.

    ``start()`` discovers the issuer, binds the callback listener and returns the authorize URL
    (also ``authorize_url``; ``on_url`` gets it and ``open_browser=True`` opens it).
    ``complete()`` waits for the callback, exchanges the code, verifies the ID token and saves the
    login into ``provider`` (an ``OfficialTokenProvider``; the default login when None).
    ``submit_redirect_url()`` completes it with a pasted callback address (headless fallback);
    ``cancel()`` stops the wait from any thread.

    ``reconsent=True`` asks again for plan use (``prompt=consent``, SIWC 2.10);
    ``new_registration=True`` registers a new client even when one is saved; ``id_token_hint``
    (default on, as the docs say) skips the account selector on a returning sign-in.
    """

    def __init__(
        self,
        provider: OfficialTokenProvider | None = None,
        *,
        issuer: str | None = None,
        app_name: str = "chatgpt-sdk",
        open_browser: bool = True,
        http_client: httpx.Client | None = None,
        on_url: Callable[[str], None] | None = None,
        port: int = 0,
        timeout: float = 600.0,
        reconsent: bool = False,
        new_registration: bool = False,
        id_token_hint: bool = True,
    ) -> None:
        if provider is not None and not isinstance(provider, OfficialTokenProvider):
            raise TypeError(
                f"provider must be an OfficialTokenProvider, not {type(provider).__name__}"
            )
        check_optional_str("issuer", issuer)
        name = check_optional_str("app_name", app_name)
        if name is None or not name.strip():
            raise ValueError("app_name must name the app (it is shown to the user)")
        for flag, value in (
            ("open_browser", open_browser),
            ("reconsent", reconsent),
            ("new_registration", new_registration),
            ("id_token_hint", id_token_hint),
        ):
            check_bool(flag, value)
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError("http_client must be an httpx.Client (the login runs in a thread)")
        if on_url is not None and not callable(on_url):
            raise TypeError(f"on_url must be callable, not {type(on_url).__name__}")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError("port must be a port number (0 picks any free port)")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ValueError("timeout must be a positive number of seconds")
        if provider is None:
            provider = OfficialTokenProvider(issuer=issuer, http_client=http_client)
        elif issuer is not None and resolve_issuer(issuer) != provider.issuer:
            raise ValueError(f"issuer {issuer!r} differs from the provider's ({provider.issuer})")
        self.provider = provider
        self.issuer = provider.issuer
        self.app_name = name.strip()
        self._open_browser = open_browser
        # The provider's client by default: one transport for discovery, exchange and refresh.
        self._http_client = http_client if http_client is not None else provider._http_client
        self._on_url = on_url
        self._port = port
        self._timeout = float(timeout)
        self._reconsent = reconsent
        self._new_registration = new_registration
        self._send_hint = id_token_hint
        self._state = random_b64url(32)
        self._nonce = random_b64url(32)
        self._verifier = random_b64url(64)
        self._listener = CallbackListener(_SITE, self._state)
        self._registration: Registration | None = None
        self._redirect_uri = ""
        self.authorize_url: str | None = None
        """The URL the user opens, once ``start()`` ran (it may hold ``id_token_hint``)."""
        self.display_url: str | None = None
        """``authorize_url`` without ``id_token_hint``: the one to print or log."""

    @property
    def redirect_uri(self) -> str:
        return self._redirect_uri

    @property
    def new_registration(self) -> bool:
        """True when this attempt registers a new client (``dynamic_agent_client``)."""
        return self._registration is None

    # --- start -----------------------------------------------------------------------------

    def start(self) -> str:
        """Discover, persist the host id, listen, and return the authorize URL to open."""
        if self._listener.listening:
            assert self.authorize_url is not None
            return self.authorize_url
        with client_scope(self._http_client) as client:
            discovery = self.provider._verifier.discovery(client)
        host_id = self.provider.host_id(create=True)
        assert host_id is not None
        registration = None if self._new_registration else self.provider.registration()
        if registration is not None and registration.issuer != self.issuer:
            registration = None  # another issuer's client means nothing here
        self._registration = registration
        hint = self._id_token_hint(registration)
        port = self._listener.listen(self._port, "chatgpt-sdk-siwc-callback")
        self._redirect_uri = f"http://127.0.0.1:{port}{CALLBACK_PATH}"
        params: dict[str, str] = {
            "client_id": registration.client_id if registration else BOOTSTRAP_CLIENT_ID
        }
        if registration is None:
            params["agent_name_hint"] = self.app_name
        params["ext_agent_host_id"] = host_id
        params.update(
            {
                "response_type": "code",
                "redirect_uri": self._redirect_uri,
                "scope": " ".join(SCOPES),
                "resource": RESOURCE,
                "state": self._state,
                "nonce": self._nonce,
                "code_challenge": code_challenge(self._verifier),
                "code_challenge_method": "S256",
            }
        )
        if self._reconsent:
            params["prompt"] = "consent"
        base = discovery.authorization_endpoint
        self.display_url = f"{base}?{urlencode(params, quote_via=quote)}"
        if hint is not None:
            params["id_token_hint"] = hint
        self.authorize_url = f"{base}?{urlencode(params, quote_via=quote)}"
        if self._on_url is not None:
            self._on_url(self.authorize_url)
        if self._open_browser:
            webbrowser.open(self.authorize_url)
        return self.authorize_url

    def _id_token_hint(self, registration: Registration | None) -> str | None:
        if registration is None or not self._send_hint:
            return None
        try:
            record = self.provider.peek()
        except LoginFailedError:
            return None
        except Exception:  # an unreadable record only costs the hint
            return None
        return record.id_token if record is not None and record.id_token else None

    # --- complete --------------------------------------------------------------------------

    def submit_redirect_url(self, url: str) -> None:
        """Complete the sign-in with the address the browser ended on (the headless fallback)."""
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}")
        parts = urlsplit(url.strip())
        expected = urlsplit(self._redirect_uri)
        if (parts.scheme, parts.netloc, parts.path) != (
            expected.scheme,
            expected.netloc,
            expected.path,
        ):
            raise LoginFailedError(
                f"That is not this sign-in's callback address ({self._redirect_uri}...).",
                reason="state_mismatch",
            )
        params = parse_qs(parts.query, keep_blank_values=True)
        self._listener.submit({k: v[0] for k, v in params.items() if len(v) == 1})

    def cancel(self) -> None:
        self._listener.cancel()

    def complete(self) -> Credentials:
        """Wait for the callback, then exchange, verify and save. Closes the listener."""
        try:
            callback = self._listener.wait(
                self._timeout, expired=f"No sign-in arrived in time. Run `{LOGIN_COMMAND}` again."
            )
            try:
                creds = self._finish(callback.params)
            except LoginFailedError as exc:
                callback.answer(400 if exc.reason != "access_denied" else 200, exc.message)
                raise
            except Exception:
                callback.answer(500, "The sign-in failed; see the terminal.")
                raise
            callback.answer(
                200, "Signed in to ChatGPT. Return to your app; you can close this tab."
            )
            return creds
        finally:
            self.close()

    def run(self) -> Credentials:
        self.start()
        return self.complete()

    async def arun(self) -> Credentials:
        """``run()`` off the event loop; cancelling the task cancels the sign-in."""
        await asyncio.to_thread(self.start)
        try:
            return await asyncio.to_thread(self.complete)
        except asyncio.CancelledError:
            self.cancel()
            raise

    def close(self) -> None:
        self._listener.close()

    def _finish(self, params: dict[str, str]) -> Credentials:
        state = params.get("state", "")
        if not hmac.compare_digest(state.encode(), self._state.encode()):
            raise LoginFailedError(
                "The callback carried the wrong state (a stale or forged redirect).",
                reason="state_mismatch",
            )
        iss = params.get("iss")
        if iss is not None and iss != self.issuer:
            raise LoginFailedError(
                f"The callback came from another issuer ({iss!r}).", reason="issuer_mismatch"
            )
        returned = params.get("client_id")
        registration = self._registration
        if registration is not None and returned is not None and returned != registration.client_id:
            raise LoginFailedError(
                "The callback named another client than this login's registration; it was "
                "refused and the saved registration kept.",
                reason="client_mismatch",
            )
        if registration is None and valid_client_id(returned):
            # Saved before anything else can fail: a lost code must not cost a registration.
            assert returned is not None
            self.provider._save_registration(returned, None)
            registration = self._registration = Registration(self.issuer, returned)
        if "error" in params:
            self._refused(params)
        if registration is None:
            raise LoginFailedError(
                "The registration did not complete: the callback carried no issued client id. "
                f"Run `{LOGIN_COMMAND}` again.",
                reason="registration_incomplete",
            )
        code = params.get("code")
        if not code:
            raise LoginFailedError("The callback carried no authorization code.", reason="error")
        with client_scope(self._http_client) as client:
            payload = self._exchange(client, registration.client_id, code)
            ident = payload.get("id_token")
            if not isinstance(ident, str) or not ident:
                raise LoginFailedError(
                    "The auth server's answer had no ID token.", reason="invalid_id_token"
                )
            claims = self.provider._verifier.verify(
                client, ident, client_id=registration.client_id, nonce=self._nonce
            )
        subject = str(claims["sub"])
        if registration.subject is not None and subject != registration.subject:
            raise LoginFailedError(
                "You signed in with another ChatGPT account than this login's; nothing was "
                "saved. Use another profile for another account.",
                reason="account_mismatch",
            )
        email = claims.get("email")
        base = OfficialRecord(
            issuer=self.issuer,
            client_id=registration.client_id,
            subject=subject,
            ext_agent_host_id=str(self.provider.host_id(create=True)),
            email=email if isinstance(email, str) else None,
            id_token=ident,
        )
        record = record_from_tokens(payload, base, grant="authorization_code")
        self.provider._save_login(record)
        if not record.plan_enabled:
            raise LoginFailedError(
                "Signed in, but ChatGPT plan use was not granted to this app (no "
                f"{PLAN_SCOPE} scope), so it cannot make requests. Enable it with "
                f"`{LOGIN_COMMAND} --reconsent`, check {USAGE_URL}, or use another billing "
                "path (an API key).",
                reason="plan_not_enabled",
            )
        log.info("Signed in with ChatGPT (client %s)", registration.client_id)
        return record.credentials

    def _refused(self, params: dict[str, str]) -> None:
        error = params["error"]
        if error == "access_denied":
            raise LoginFailedError(
                "ChatGPT plan use was declined for this app, so no code was exchanged. To "
                f"enable it later, run `{LOGIN_COMMAND} --reconsent`; or use another billing "
                "path (an API key).",
                reason="access_denied",
            )
        detail = params.get("error_description") or error
        raise LoginFailedError(f"The sign-in was refused: {detail}.", reason="denied")

    def _exchange(self, client: httpx.Client, client_id: str, code: str) -> dict[str, Any]:
        form = {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "code_verifier": self._verifier,
            "redirect_uri": self._redirect_uri,
            "resource": RESOURCE,
        }
        endpoint = self.provider._verifier.discovery(client).token_endpoint
        try:
            response = client.post(
                endpoint, data=form, headers={"Accept": "application/json"}, timeout=HTTP_TIMEOUT
            )
        except httpx.HTTPError as exc:
            raise APIConnectionError(
                f"Could not reach the auth server {self.issuer} ({type(exc).__name__}). The app "
                f"registration is kept; run `{LOGIN_COMMAND}` again."
            ) from None
        body = json_body(response)
        if response.status_code != 200 or not isinstance(body, dict):
            code_name = error_code(body)
            if code_name == "invalid_grant":
                raise LoginFailedError(
                    "The authorization code was refused (invalid_grant: expired or already "
                    f"used). Run `{LOGIN_COMMAND}` again; the app registration is kept.",
                    reason="invalid_grant",
                )
            raise LoginFailedError(
                f"The code exchange failed ({response.status_code} "
                f"{code_name or error_text(body) or response.reason_phrase}).",
                reason="exchange_failed",
            )
        return body

    def __repr__(self) -> str:
        return f"OfficialLogin(issuer={self.issuer!r}, redirect_uri={self._redirect_uri!r})"
