"""Device-code login (WIRE.md 2.1-2.2): show a code, the user approves it in a browser, we poll."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from chatgpt_sdk.auth import _oauth
from chatgpt_sdk.auth._config import resolve_client_id, resolve_issuer
from chatgpt_sdk.auth._credentials import Credentials
from chatgpt_sdk.auth._login import (
    HTTP_TIMEOUT,
    Cancellation,
    LoginTarget,
    async_poster,
    check_login_arguments,
    default_target,
    login_tokens,
    sync_client,
    unreachable,
)
from chatgpt_sdk.errors import LoginFailedError

__all__ = ["DeviceCode", "DeviceCodeLogin"]

log = logging.getLogger("chatgpt_sdk.auth")

DEVICE_CODE_LIFETIME = 900.0  # the server's codes die after 15 minutes; so does our polling
DENIED_CODES = {"authorization_declined", "access_denied"}
_DEFAULT_INTERVAL = 5.0
_TRANSIENT_PAUSE = 1.0


@dataclass(frozen=True)
class DeviceCode:
    """What the user needs to approve the login: open ``verification_url``, type ``user_code``."""

    user_code: str
    verification_url: str
    interval: float
    expires_at: datetime
    device_auth_id: str = field(default="", repr=False)


def _interval(value: object) -> float:
    """Seconds between polls: the server sends a string ("5"); a number is accepted too."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or value == "":
        return _DEFAULT_INTERVAL
    try:
        return max(float(value), 0.0)
    except ValueError:
        return _DEFAULT_INTERVAL


class DeviceCodeLogin:
    """Log in with a device code; ``run()`` (or ``arun()``) does it all and saves the tokens.

    ``cancel()`` (from any thread) stops a login that is polling; it then raises
    ``LoginFailedError(reason="cancelled")``. Denied and expired codes raise it with
    ``reason="denied"`` / ``"expired"``. ``timeout`` caps the wait (default: the code's 15 minutes).
    """

    def __init__(
        self,
        provider: LoginTarget | None = None,
        *,
        issuer: str | None = None,
        client_id: str | None = None,
        on_code: Callable[[DeviceCode], None] | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        timeout: float = DEVICE_CODE_LIFETIME,
    ) -> None:
        self.issuer = resolve_issuer(issuer)
        self.client_id = resolve_client_id(client_id)
        check_login_arguments(provider, on_code, "on_code", http_client, timeout)
        self._provider = provider
        self._on_code = on_code
        self._http_client = http_client
        self._timeout = float(timeout)
        self._cancellation = Cancellation()

    @property
    def provider(self) -> LoginTarget:
        """Where the tokens go: the given provider, else the default ``FileTokenProvider``."""
        if self._provider is None:
            self._provider = default_target(self.issuer)
        return self._provider

    def cancel(self) -> None:
        """Stop polling (thread-safe; wakes a sleeping poll at once)."""
        self._cancellation.set()

    # --- sync -------------------------------------------------------------------------------

    def start(self) -> DeviceCode:
        """Ask the issuer for a user code; ``on_code`` is called with it."""
        with sync_client(self._http_client) as client:
            try:
                response = client.post(**self._send(self._usercode_request()))
            except httpx.RequestError as exc:
                raise unreachable(self.issuer, exc) from None
        return self._announce(self._parse_usercode(response))

    def complete(self, code: DeviceCode) -> Credentials:
        """Poll until the user approves, then exchange the code and save the tokens."""
        with sync_client(self._http_client) as client:
            while True:
                pause = self._pause_before_poll(code)
                try:
                    response: httpx.Response | None = client.post(
                        **self._send(self._poll_request(code))
                    )
                except httpx.RequestError:
                    response = None
                grant = self._poll_outcome(response)
                if grant is not None:
                    break
                if self._cancellation.wait(
                    min(pause if response else _TRANSIENT_PAUSE, self._left(code))
                ):
                    raise self._cancelled()
            try:
                answer = client.post(**self._send(self._exchange_request(grant)))
            except httpx.RequestError as exc:
                raise unreachable(self.issuer, exc) from None
        return self.provider.save_tokens(**login_tokens(answer))

    def run(self) -> Credentials:
        return self.complete(self.start())

    # --- async ------------------------------------------------------------------------------

    async def astart(self) -> DeviceCode:
        async with async_poster(self._http_client) as client:
            try:
                response = await client.post(**self._send(self._usercode_request()))
            except httpx.RequestError as exc:
                raise unreachable(self.issuer, exc) from None
        return self._announce(self._parse_usercode(response))

    async def acomplete(self, code: DeviceCode) -> Credentials:
        async with async_poster(self._http_client) as client:
            while True:
                pause = self._pause_before_poll(code)
                try:
                    response: httpx.Response | None = await client.post(
                        **self._send(self._poll_request(code))
                    )
                except httpx.RequestError:
                    response = None
                grant = self._poll_outcome(response)
                if grant is not None:
                    break
                wait = min(pause if response else _TRANSIENT_PAUSE, self._left(code))
                if await self._cancellation.await_(wait):
                    raise self._cancelled()
            try:
                answer = await client.post(**self._send(self._exchange_request(grant)))
            except httpx.RequestError as exc:
                raise unreachable(self.issuer, exc) from None
        tokens = login_tokens(answer)
        return await asyncio.to_thread(lambda: self.provider.save_tokens(**tokens))

    async def arun(self) -> Credentials:
        return await self.acomplete(await self.astart())

    # --- the protocol, shared by both -------------------------------------------------------

    def _usercode_request(self) -> tuple[str, dict[str, Any]]:
        return f"{self.issuer}/api/accounts/deviceauth/usercode", {
            "json": {"client_id": self.client_id}
        }

    def _parse_usercode(self, response: httpx.Response) -> DeviceCode:
        if response.status_code == 404:
            raise LoginFailedError(
                f"Device-code login is not enabled on {self.issuer}. Try `chatgpt-sdk login --browser`.",
                reason="unsupported",
            )
        body = _oauth.json_body(response)
        if response.status_code == 429:
            raise LoginFailedError(
                "Too many login codes were requested; wait a few minutes and try again.",
                reason="error",
            )
        user_code = isinstance(body, dict) and (body.get("user_code") or body.get("usercode"))
        if not response.is_success or not isinstance(body, dict) or not isinstance(user_code, str):
            raise LoginFailedError(
                f"The auth server did not issue a device code ({response.status_code}).",
                reason="error",
            )
        return DeviceCode(
            user_code=user_code,
            verification_url=f"{self.issuer}/codex/device",
            interval=_interval(body.get("interval")),
            expires_at=datetime.now(timezone.utc) + timedelta(seconds=self._timeout),
            device_auth_id=str(body.get("device_auth_id", "")),
        )

    def _announce(self, code: DeviceCode) -> DeviceCode:
        log.info("Device code issued; waiting for approval at %s", code.verification_url)
        if self._on_code is not None:
            self._on_code(code)
        return code

    def _poll_request(self, code: DeviceCode) -> tuple[str, dict[str, Any]]:
        body = {"device_auth_id": code.device_auth_id, "user_code": code.user_code}
        return f"{self.issuer}/api/accounts/deviceauth/token", {"json": body}

    def _pause_before_poll(self, code: DeviceCode) -> float:
        """Raise if cancelled or past the deadline; else how long to wait after a pending answer."""
        if self._cancellation.is_set:
            raise self._cancelled()
        if self._left(code) <= 0:
            raise LoginFailedError(
                "The device code expired before the login was approved. Run the login again.",
                reason="expired",
            )
        return code.interval

    def _left(self, code: DeviceCode) -> float:
        return (code.expires_at - datetime.now(timezone.utc)).total_seconds()

    def _poll_outcome(self, response: httpx.Response | None) -> dict[str, str] | None:
        """The approved grant, None while pending (or after a transient failure), else raise."""
        if response is None:
            return None
        body = _oauth.json_body(response)
        if response.is_success:
            if (
                isinstance(body, dict)
                and isinstance(body.get("authorization_code"), str)
                and isinstance(body.get("code_verifier"), str)
            ):
                return {"code": body["authorization_code"], "verifier": body["code_verifier"]}
            raise LoginFailedError("The approved device login carried no authorization code.")
        code = _oauth.error_code(body)
        text = _oauth.error_text(body) or ""
        if code in DENIED_CODES:
            raise LoginFailedError("The login was denied in the browser.", reason="denied")
        if "expired" in text.lower() or "expired" in (code or ""):
            raise LoginFailedError(
                "The device code expired before the login was approved. Run the login again.",
                reason="expired",
            )
        if response.status_code in (403, 404, 429) or response.status_code >= 500:
            return None  # pending (403/404), or a hiccup worth polling through
        raise LoginFailedError(
            f"The device login failed ({response.status_code} {code or text or response.reason_phrase}).",
            reason="error",
        )

    def _exchange_request(self, grant: dict[str, str]) -> tuple[str, dict[str, Any]]:
        form = _oauth.exchange_form(
            grant["code"], f"{self.issuer}/deviceauth/callback", self.client_id, grant["verifier"]
        )
        return f"{self.issuer}/oauth/token", {"data": form}

    @staticmethod
    def _send(request: tuple[str, dict[str, Any]]) -> dict[str, Any]:
        url, kwargs = request
        return {"url": url, "timeout": HTTP_TIMEOUT, **kwargs}

    def _cancelled(self) -> LoginFailedError:
        return LoginFailedError("The login was cancelled.", reason="cancelled")

    def __repr__(self) -> str:
        return f"DeviceCodeLogin(issuer={self.issuer!r})"
