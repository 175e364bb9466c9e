"""``FakeIssuer``: an in-process stand-in for auth.openai.com, for tests (ours and users').

It is a plain handler (``httpx.Request -> httpx.Response``): use it in-process with
``httpx.MockTransport(issuer.handle)`` or over real HTTP with ``chatgpt_sdk._fake.server.serve``.
It behaves like the real server where that matters to a client: device-code login with scriptable
pending polls, denial and expiry; PKCE code exchange that really checks the verifier; refresh
tokens that **rotate and are single-use** (reuse answers ``refresh_token_reused``); revoke.
Every refresh request is recorded (headers and JSON body) in ``refresh_requests``.
Tokens are JWT-shaped (unsigned) with ``exp`` and the ``https://api.openai.com/auth`` claim.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx

from chatgpt_sdk.auth._config import CLIENT_ID

__all__ = ["FakeIssuer", "RefreshRequest"]

AUTH_CLAIM = "https://api.openai.com/auth"
EXPIRED_MESSAGE = "Device authorization code has expired. Please request a new code."
# The ``refresh_reason`` values Codex 0.171 sends (captures/refresh-*.json); spelled out here
# rather than imported so the fake checks the client instead of agreeing with it by construction.
REFRESH_REASONS = frozenset({"proactive_expiry", "unauthorized_recovery"})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


@dataclass
class _DeviceCode:
    user_code: str
    pending_left: int
    outcome: str = "approve"  # approve | deny | expire


def _known_reason(body: dict[str, Any]) -> bool:
    """True when the body has no ``refresh_reason`` or one Codex sends."""
    if "refresh_reason" not in body:
        return True
    reason = body["refresh_reason"]
    return isinstance(reason, str) and reason in REFRESH_REASONS


@dataclass(frozen=True)
class RefreshRequest:
    """One ``POST /oauth/token`` refresh grant as the issuer received it."""

    headers: httpx.Headers
    json: Any  # the parsed body (None when it was not JSON)

    @property
    def reason(self) -> str | None:
        """The body's ``refresh_reason``, or None when absent."""
        value = self.json.get("refresh_reason") if isinstance(self.json, dict) else None
        return value if isinstance(value, str) else None


@dataclass
class _Grant:
    challenge: str
    redirect_uri: str
    verifier: str | None = None  # the device flow hands the verifier out itself
    used: bool = False


class FakeIssuer:
    """An emulated OAuth issuer. Thread-safe; counters and scripting hooks are public attributes.

    Scripting: ``pending_polls`` (pending answers before a device code is approved),
    ``deny_next_login()``, ``expire_next_device_code()``, ``fail_next_refreshes(n, status)``,
    ``refresh_delay`` (seconds each refresh takes, to widen race windows), ``access_token_ttl``,
    ``rotate_refresh_tokens`` (False: refresh answers omit ``refresh_token``),
    ``reject_unknown_refresh_reasons`` (True: a ``refresh_reason`` Codex does not send gets 400;
    a body without one is still accepted, as older clients send none), ``after_refresh`` (called
    once a refresh has rotated the tokens, before the answer is sent).

    Inspection: ``refresh_requests`` (every refresh grant received, failed ones included).
    """

    def __init__(
        self,
        *,
        account_id: str = "fake-account-0001",
        plan_type: str = "plus",
        email: str = "user@example.com",
        access_token_ttl: float = 3600.0,
        interval: str | float = "0",
        pending_polls: int = 0,
        refresh_delay: float = 0.0,
        client_id: str = CLIENT_ID,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.account_id = account_id
        self.plan_type = plan_type
        self.email = email
        self.access_token_ttl = access_token_ttl
        self.interval = interval
        self.pending_polls = pending_polls
        self.refresh_delay = refresh_delay
        self.rotate_refresh_tokens = True
        self.reject_unknown_refresh_reasons = False
        self.client_id = client_id
        self.clock = clock
        self.usercode_calls = 0
        self.device_poll_calls = 0
        self.code_exchanges = 0
        self.refresh_calls = 0
        self.revoke_calls = 0
        self._lock = threading.Lock()
        self._devices: dict[str, _DeviceCode] = {}
        self._grants: dict[str, _Grant] = {}
        self._refresh_tokens: dict[str, str] = {}  # token -> live | used | revoked | expired
        self._access_tokens: dict[str, float] = {}  # token -> exp
        self._next_outcome = "approve"
        self._refresh_failures: list[tuple[int, dict[str, Any] | None]] = []
        # Called after a refresh rotated the tokens, before the answer leaves: lets a test break
        # the disk at the worst moment (the old refresh token is already spent).
        self.after_refresh: Callable[[], None] | None = None
        self._refresh_requests: list[RefreshRequest] = []

    # --- scripting --------------------------------------------------------------------------

    def deny_next_login(self) -> None:
        """The next device code (or browser authorization) is declined by the user."""
        self._next_outcome = "deny"

    def expire_next_device_code(self) -> None:
        """The next device code expires before the user approves it."""
        self._next_outcome = "expire"

    def fail_next_refreshes(
        self, count: int, status: int = 503, body: dict[str, Any] | None = None
    ) -> None:
        """The next ``count`` refresh requests fail with ``status`` (transient by default).

        ``body`` replaces the default error body, e.g. ``{"error": "invalid_grant",
        "error_description": "..."}`` to answer in the other OAuth error shape.
        """
        with self._lock:
            self._refresh_failures.extend([(status, body)] * count)

    def expire_refresh_token(self, token: str) -> None:
        with self._lock:
            self._refresh_tokens[token] = "expired"

    @property
    def refresh_requests(self) -> list[RefreshRequest]:
        """Every refresh grant received, oldest first (a copy)."""
        with self._lock:
            return list(self._refresh_requests)

    # --- tokens -----------------------------------------------------------------------------

    def issue_tokens(self, *, access_token_ttl: float | None = None) -> dict[str, str]:
        """A fresh login (id, access and live refresh token), e.g. to seed an auth file in a test."""
        with self._lock:
            return self._mint(
                self.access_token_ttl if access_token_ttl is None else access_token_ttl
            )

    def is_valid_access_token(self, token: str) -> bool:
        """True for an access token this issuer minted that has not expired."""
        with self._lock:
            exp = self._access_tokens.get(token)
        return exp is not None and exp > self.clock()

    def refresh_token_state(self, token: str) -> str | None:
        """``live``, ``used``, ``revoked``, ``expired``, or None for a token never issued."""
        with self._lock:
            return self._refresh_tokens.get(token)

    def _mint(self, ttl: float) -> dict[str, str]:
        now = self.clock()
        auth = {
            "chatgpt_account_id": self.account_id,
            "chatgpt_plan_type": self.plan_type,
            "chatgpt_user_id": "user-fake",
        }
        access = self._jwt(
            {"exp": int(now + ttl), "iat": int(now), "jti": secrets.token_hex(8), AUTH_CLAIM: auth}
        )
        ident = self._jwt(
            {
                "exp": int(now + 3600),
                "iat": int(now),
                "email": self.email,
                AUTH_CLAIM: auth,
                "https://api.openai.com/profile": {"email": self.email},
            }
        )
        refresh = "rt_" + secrets.token_urlsafe(24)
        self._access_tokens[access] = now + ttl
        self._refresh_tokens[refresh] = "live"
        return {"id_token": ident, "access_token": access, "refresh_token": refresh}

    def _jwt(self, claims: dict[str, Any]) -> str:
        header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        return f"{header}.{_b64(json.dumps(claims).encode())}.{_b64(b'fake-signature')}"

    # --- the handler ------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request the way auth.openai.com would."""
        route = (request.method, request.url.path)
        if route == ("POST", "/api/accounts/deviceauth/usercode"):
            return self._usercode(request)
        if route == ("POST", "/api/accounts/deviceauth/token"):
            return self._device_poll(request)
        if route == ("POST", "/oauth/token"):
            if request.headers.get("content-type", "").startswith("application/json"):
                return self._refresh(request)
            return self._exchange(request)
        if route == ("POST", "/oauth/revoke"):
            return self._revoke(request)
        if route == ("GET", "/oauth/authorize"):
            return self._authorize(request)
        return _json(404, {"error": "not_found"})

    def _usercode(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        if body.get("client_id") != self.client_id:
            return _json(400, {"error": "invalid_client"})
        with self._lock:
            self.usercode_calls += 1
            device_id = "deviceauth_" + secrets.token_hex(8)
            code = f"{secrets.token_hex(2).upper()}-{secrets.randbelow(10000):04d}"
            self._devices[device_id] = _DeviceCode(code, self.pending_polls, self._next_outcome)
            self._next_outcome = "approve"
        return _json(
            200, {"device_auth_id": device_id, "user_code": code, "interval": self.interval}
        )

    def _device_poll(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        with self._lock:
            self.device_poll_calls += 1
            device = self._devices.get(body.get("device_auth_id", ""))
            if device is None or device.user_code != body.get("user_code"):
                return _json(400, {"error": "invalid_request", "error_description": "unknown code"})
            if device.outcome == "expire":
                return _json(403, {"error": {"message": EXPIRED_MESSAGE}})
            if device.pending_left > 0:
                device.pending_left -= 1
                return _json(403, {"error": {"message": "Authorization is pending."}})
            if device.outcome == "deny":
                return _json(
                    400, {"error": "authorization_declined", "error_description": "Denied"}
                )
            del self._devices[body["device_auth_id"]]
            verifier = _b64(secrets.token_bytes(32))
            challenge = _b64(hashlib.sha256(verifier.encode()).digest())
            code = "ac_" + secrets.token_urlsafe(16)
            base = f"{request.url.scheme}://{request.url.netloc.decode()}"
            self._grants[code] = _Grant(challenge, f"{base}/deviceauth/callback", verifier)
        return _json(
            200,
            {"authorization_code": code, "code_challenge": challenge, "code_verifier": verifier},
        )

    def _authorize(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        redirect = params.get("redirect_uri", "")
        if params.get("client_id") != self.client_id or not redirect.startswith(
            "http://localhost:"
        ):
            return _json(400, {"error": "invalid_request"})
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return _json(400, {"error": "invalid_request", "error_description": "PKCE required"})
        state = params.get("state", "")
        with self._lock:
            outcome, self._next_outcome = self._next_outcome, "approve"
            if outcome == "deny":
                query = {"error": "access_denied", "error_description": "denied", "state": state}
            else:
                code = "ac_" + secrets.token_urlsafe(16)
                self._grants[code] = _Grant(params["code_challenge"], redirect)
                query = {"code": code, "state": state}
        return httpx.Response(302, headers={"location": f"{redirect}?{urlencode(query)}"})

    def _exchange(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        with self._lock:
            self.code_exchanges += 1
            grant = self._grants.get(form.get("code", ""))
            if (
                form.get("grant_type") != "authorization_code"
                or form.get("client_id") != self.client_id
            ):
                return _json(400, {"error": "invalid_request"})
            if grant is None or grant.used:
                return _json(400, {"error": "invalid_grant", "error_description": "bad code"})
            verifier = form.get("code_verifier", "")
            challenge = _b64(hashlib.sha256(verifier.encode()).digest())
            if challenge != grant.challenge or form.get("redirect_uri") != grant.redirect_uri:
                return _json(403, {"error": "invalid_grant", "error_description": "PKCE mismatch"})
            grant.used = True
            return _json(200, self._mint(self.access_token_ttl))

    def _refresh(self, request: httpx.Request) -> httpx.Response:
        if self.refresh_delay:
            time.sleep(self.refresh_delay)
        try:
            body = json.loads(request.content or b"{}")
        except ValueError:
            body = None
        recorded = RefreshRequest(httpx.Headers(request.headers), body)
        with self._lock:
            self.refresh_calls += 1
            self._refresh_requests.append(recorded)
            if self._refresh_failures:
                status, failure = self._refresh_failures.pop(0)
                return _json(status, failure or {"error": {"message": "temporarily unavailable"}})
            if (
                not isinstance(body, dict)
                or body.get("client_id") != self.client_id
                or body.get("grant_type") != "refresh_token"
            ):
                return _json(400, {"error": "invalid_request"})
            if self.reject_unknown_refresh_reasons and not _known_reason(body):
                return _json(
                    400,
                    {
                        "error": "invalid_request",
                        "error_description": "unknown refresh_reason",
                    },
                )
            token = body.get("refresh_token", "")
            state = self._refresh_tokens.get(token)
            if state != "live":
                return _json(401, {"error": self._refresh_error(state)})
            minted = self._mint(self.access_token_ttl)
            if self.rotate_refresh_tokens:
                self._refresh_tokens[token] = "used"
            else:
                del self._refresh_tokens[minted.pop("refresh_token")]
            hook = self.after_refresh
        if hook is not None:
            hook()
        return _json(200, minted)

    @staticmethod
    def _refresh_error(state: str | None) -> dict[str, Any]:
        code, message = {
            "used": (
                "refresh_token_reused",
                "Your refresh token has already been used to generate a new access token. "
                "Please try signing in again.",
            ),
            "revoked": ("refresh_token_invalidated", "Your refresh token has been invalidated."),
            "expired": ("refresh_token_expired", "Your refresh token has expired."),
        }.get(state or "", ("invalid_refresh_token", "Could not validate your token."))
        return {"message": message, "type": "invalid_request_error", "param": None, "code": code}

    def _revoke(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        with self._lock:
            self.revoke_calls += 1
            token = body.get("token", "")
            if token in self._refresh_tokens:
                self._refresh_tokens[token] = "revoked"
            self._access_tokens.pop(token, None)
        return _json(200, {})
