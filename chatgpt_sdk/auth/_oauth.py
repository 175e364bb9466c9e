"""The OAuth calls against the issuer (WIRE.md section 2): code exchange, refresh, revoke."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from typing import Any, Final, Literal

import httpx

from chatgpt_sdk import config
from chatgpt_sdk.errors import APIConnectionError, APIStatusError, ReauthenticationRequired

log = logging.getLogger("chatgpt_sdk.auth")

HTTP_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
# Codes that mean the refresh token is dead for good; only a new login helps.
# Each comes in either OAuth body shape (``{"error": "<code>", "error_description": ...}`` or
# ``{"error": {"code": "<code>", "message": ...}}``) and with 400, 401 or 403 (any 4xx but 429).
PERMANENT_REFRESH_CODES = {
    "invalid_grant": "the auth server no longer accepts the refresh token",
    "refresh_token_reused": "the refresh token was already used (another program refreshed it)",
    "refresh_token_expired": "the refresh token expired",
    "refresh_token_invalidated": "the refresh token was revoked (logout or password change)",
}

# Why a refresh happens, sent as ``refresh_reason`` the way Codex 0.171 does (captures/refresh-*).
RefreshReason = Literal["proactive_expiry", "unauthorized_recovery"]
PROACTIVE_EXPIRY: Final = "proactive_expiry"  # the access token is expired or about to expire
UNAUTHORIZED_RECOVERY: Final = "unauthorized_recovery"  # the backend answered 401 to the token
REFRESH_REASONS: Final = frozenset({PROACTIVE_EXPIRY, UNAUTHORIZED_RECOVERY})


def error_code(body: object) -> str | None:
    """The error code the way Codex reads it: ``error.code``, else ``error`` if a string, else ``code``."""
    if not isinstance(body, dict):
        return None
    err = body.get("error")
    if isinstance(err, dict) and isinstance(err.get("code"), str):
        return str(err["code"])
    if isinstance(err, str):
        return err
    code = body.get("code")
    return code if isinstance(code, str) else None


def error_text(body: object) -> str | None:
    """A human message from either OAuth error shape, for error messages (never holds tokens)."""
    if not isinstance(body, dict):
        return None
    err = body.get("error")
    if isinstance(err, dict) and isinstance(err.get("message"), str):
        return _short(err["message"])
    for key in ("error_description", "message", "detail"):
        if isinstance(body.get(key), str):
            return _short(body[key])
    return None


def _short(text: str, limit: int = 300) -> str:
    """One line of at most ``limit`` characters (the server's words go into our messages)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def is_dead_refresh_token(status_code: int, code: str | None) -> bool:
    """True when a refresh answer means the refresh token is dead for good (only a login helps).

    Any 401, and any other client error (but 429) carrying one of ``PERMANENT_REFRESH_CODES``.
    """
    if status_code == 401:
        return True
    return code in PERMANENT_REFRESH_CODES and 400 <= status_code < 500 and status_code != 429


def json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def token_payload(response: httpx.Response, what: str) -> dict[str, Any]:
    """A successful /oauth/token answer, checked to hold an access token."""
    body = json_body(response)
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        raise APIStatusError(
            f"The auth server's {what} answer had no access_token.",
            status_code=response.status_code,
        )
    return body


def exchange_form(code: str, redirect_uri: str, client_id: str, verifier: str) -> dict[str, str]:
    """The form body of the authorization-code exchange (WIRE 2.2)."""
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "code_verifier": verifier,
    }


def exchange_failed(response: httpx.Response) -> APIStatusError:
    body = json_body(response)
    detail = error_code(body) or error_text(body) or response.reason_phrase
    return APIStatusError(
        f"The auth server refused the login code ({response.status_code} {detail}).",
        status_code=response.status_code,
        body=body,
    )


def refresh_headers() -> dict[str, str]:
    """``originator`` and ``User-Agent`` as Codex sends them to the issuer (no UA suffix).

    The originator is resolved as the client resolves it: ``CHATGPT_ORIGINATOR``, else the default.
    """
    originator = os.environ.get("CHATGPT_ORIGINATOR") or config.DEFAULT_ORIGINATOR
    return {"originator": originator, "User-Agent": config.default_user_agent(originator)}


def refresh_body(client_id: str, refresh_token: str, reason: RefreshReason) -> dict[str, str]:
    """The JSON body of the refresh grant, with Codex 0.171's ``refresh_reason``."""
    return {
        "client_id": client_id,
        "grant_type": "refresh_token",
        "refresh_reason": reason,
        "refresh_token": refresh_token,
    }


def refresh(
    client: httpx.Client,
    issuer: str,
    client_id: str,
    refresh_token: str,
    *,
    reason: RefreshReason,
    login_hint: str,  # a sentence such as "Run `chatgpt-sdk login`"
    delays: Sequence[float],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """POST the refresh grant; retry transient failures (network, 429, 5xx) after each delay.

    Dead refresh tokens raise ``ReauthenticationRequired``; other 4xx raise ``APIStatusError``.
    """
    if reason not in REFRESH_REASONS:
        raise ValueError(f"unknown refresh reason {reason!r}")
    body = refresh_body(client_id, refresh_token, reason)
    headers = refresh_headers()
    attempt = 0
    while True:
        last = attempt >= len(delays)
        try:
            response = client.post(
                f"{issuer}/oauth/token", json=body, headers=headers, timeout=HTTP_TIMEOUT
            )
        except httpx.RequestError as exc:  # transport failures, and undecodable bodies
            if last:
                raise APIConnectionError(
                    f"Could not reach {issuer} to refresh the ChatGPT token ({type(exc).__name__})."
                ) from None
            log.warning("token refresh: %s, retrying", type(exc).__name__)
            sleep(delays[attempt])
            attempt += 1
            continue
        if response.is_success:
            return token_payload(response, "refresh")
        data = json_body(response)
        code = error_code(data)
        if is_dead_refresh_token(response.status_code, code):
            why = PERMANENT_REFRESH_CODES.get(code or "", error_text(data) or "it was rejected")
            raise ReauthenticationRequired(
                f"Your ChatGPT login can no longer be refreshed: {why}"
                f"{f' ({code})' if code else ''}. {login_hint} to sign in again.",
                code=code,
            )
        transient = response.status_code == 429 or response.status_code >= 500
        if not transient or last:
            raise APIStatusError(
                f"Refreshing the ChatGPT token failed: {response.status_code} "
                f"{code or error_text(data) or response.reason_phrase}.",
                status_code=response.status_code,
                body=data,
            )
        log.warning("token refresh: HTTP %s, retrying", response.status_code)
        sleep(delays[attempt])
        attempt += 1


def revoke(client: httpx.Client, issuer: str, client_id: str, refresh_token: str) -> bool:
    """Best-effort revoke of a refresh token (WIRE 2.7); True when the server accepted it."""
    body = {"token": refresh_token, "token_type_hint": "refresh_token", "client_id": client_id}
    try:
        response = client.post(f"{issuer}/oauth/revoke", json=body, timeout=10.0)
    except httpx.HTTPError:
        return False
    return response.is_success
