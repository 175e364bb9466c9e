"""The official issuer's token endpoint (SIWC.md 2.6, 2.9): the refresh grant, and the record a
token answer gives once checked. Shared by ``OfficialTokenProvider`` and ``OfficialLogin``."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from chatgpt_sdk.auth._credentials import check_access_token, token_expiry
from chatgpt_sdk.auth._oauth import error_code, error_text, json_body
from chatgpt_sdk.auth._official import LOGIN_COMMAND, RESOURCE, OfficialRecord
from chatgpt_sdk.auth._single_flight import ClientScope
from chatgpt_sdk.errors import APIConnectionError, APIStatusError, ReauthenticationRequired

__all__ = [
    "HTTP_TIMEOUT",
    "TERMINAL_REFRESH_CODES",
    "client_scope",
    "record_from_tokens",
    "refresh_grant",
]

log = logging.getLogger("chatgpt_sdk.auth")

HTTP_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
# SIWC 2.9: these mean the refresh token is dead; only a new sign-in (same client) helps.
TERMINAL_REFRESH_CODES = frozenset(
    {
        "invalid_grant",
        "invalid_refresh_token",
        "token_expired",
        "refresh_token_expired",
        "refresh_token_invalidated",
        "refresh_token_reused",
    }
)


@contextmanager
def client_scope(client: httpx.Client | None) -> Iterator[httpx.Client]:
    with ClientScope(client, timeout=HTTP_TIMEOUT) as scoped:
        yield scoped


# --- the token endpoint ---------------------------------------------------------------------------


def refresh_grant(
    client: httpx.Client,
    endpoint: str,
    client_id: str,
    refresh_token: str,
    *,
    delays: Sequence[float],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """POST the refresh grant (SIWC 2.9: form-encoded, no ``scope``, with ``resource``).

    Network errors, 429 and 5xx are retried after each delay, then raised (``APIConnectionError``
    or ``APIStatusError``); the terminal codes raise ``ReauthenticationRequired``.
    """
    form = {
        "grant_type": "refresh_token",
        "client_id": client_id,
        "refresh_token": refresh_token,
        "resource": RESOURCE,
    }
    attempt = 0
    while True:
        last = attempt >= len(delays)
        try:
            response = client.post(
                endpoint, data=form, headers={"Accept": "application/json"}, timeout=HTTP_TIMEOUT
            )
        except httpx.HTTPError as exc:
            if last:
                raise APIConnectionError(
                    f"Could not reach the auth server to refresh the ChatGPT token "
                    f"({type(exc).__name__}). Your login is kept; try again later."
                ) from None
            log.warning("token refresh: %s, retrying", type(exc).__name__)
            sleep(delays[attempt])
            attempt += 1
            continue
        if response.status_code == 200:
            body = json_body(response)
            if not isinstance(body, dict):
                raise APIStatusError(
                    "The auth server's refresh answer was not a JSON object.", status_code=200
                )
            return body
        data = json_body(response)
        code = error_code(data)
        status = response.status_code
        if code in TERMINAL_REFRESH_CODES and 400 <= status < 500 and status != 429:
            raise ReauthenticationRequired(
                f"Your Sign in with ChatGPT login can no longer be refreshed ({code}). Run "
                f"`{LOGIN_COMMAND}` to sign in again; the app registration and this machine's "
                "host id are kept.",
                code=code,
            )
        if code == "invalid_client":
            raise APIStatusError(
                "The auth server does not accept this app's registration (invalid_client). "
                "Nothing was erased. If you disconnected the app in ChatGPT settings, sign in "
                f"again with a new registration: `{LOGIN_COMMAND} --new-registration`.",
                status_code=status,
                body=data,
            )
        transient = status == 429 or status >= 500
        if not transient or last:
            raise APIStatusError(
                f"Refreshing the ChatGPT token failed: {status} "
                f"{code or error_text(data) or response.reason_phrase}. Your login is kept.",
                status_code=status,
                body=data,
            )
        log.warning("token refresh: HTTP %s, retrying", status)
        sleep(delays[attempt])
        attempt += 1


def record_from_tokens(
    payload: Mapping[str, Any], base: OfficialRecord, *, grant: str
) -> OfficialRecord:
    """``base`` with the tokens of a token-endpoint answer, checked (SIWC 2.6).

    A refresh answer may omit ``scope`` (the previous scopes stay), ``refresh_token`` (the
    previous one stays) and ``id_token`` (verified separately when present).
    """
    access = payload.get("access_token")
    try:
        check_access_token(access, "access_token")
    except (TypeError, ValueError) as exc:
        raise _bad_answer(grant, f"an unusable access_token ({exc})") from None
    assert isinstance(access, str)
    token_type = payload.get("token_type", "Bearer")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise _bad_answer(grant, f"token_type {token_type!r} (expected Bearer)")
    scope = payload.get("scope")
    if scope is None and grant == "refresh":
        scopes = base.scopes
    elif isinstance(scope, str):
        scopes = tuple(scope.split())
    else:
        raise _bad_answer(grant, "no scope string")
    refresh = payload.get("refresh_token")
    if refresh is not None and (not isinstance(refresh, str) or not refresh):
        raise _bad_answer(grant, "an unusable refresh_token")
    if refresh is None and grant == "refresh":
        refresh = base.refresh_token
    if refresh is None and "offline_access" in scopes:
        raise _bad_answer(grant, "no refresh_token although offline_access was granted")
    expires_in = payload.get("expires_in")
    now = datetime.now(timezone.utc)
    if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool):
        if not expires_in > 0 or expires_in != expires_in:
            raise _bad_answer(grant, "a non-positive expires_in")
        lifetime: int | None = int(expires_in)
        expires_at: datetime | None = now + timedelta(seconds=float(expires_in))
    elif expires_in is None:
        lifetime, expires_at = None, token_expiry(access)
    else:
        raise _bad_answer(grant, "an expires_in that is not a number")
    return replace(
        base,
        access_token=access,
        refresh_token=refresh,
        token_type="Bearer",
        expires_in=lifetime,
        expires_at=expires_at or now,
        scopes=scopes,
        saved_at=now,
        earliest_refresh_at=payload.get("earliest_refresh_at"),
    )


def _bad_answer(grant: str, why: str) -> APIStatusError:
    what = "login" if grant == "authorization_code" else "refresh"
    return APIStatusError(
        f"The auth server's {what} answer was refused: {why}. Nothing was changed.",
        status_code=200,
    )
