"""The issuer of ``FakeSIWC`` (SIWC.md 2): discovery, keys, authorize, token and revoke.

* ``GET /.well-known/openid-configuration`` and ``/.well-known/jwks.json``: a real RSA key pair;
* ``GET /api/accounts/authorize``: the parameters of SIWC 2.3 checked (an invalid request is a 400
  page, not a redirect), a ``dynamic_agent_client`` registration answered with an issued
  ``oaiapp_`` client id on the callback, a re-authorization with the saved client;
* ``POST /api/accounts/oauth/token``: form-encoded only; the code grant (PKCE, the byte-identical
  redirect URI, ``resource``) and the refresh grant (no ``scope``, with ``resource``; rotating,
  single-use refresh tokens whose reuse is ``refresh_token_reused``);
* ``POST /api/accounts/oauth/revoke``: form-encoded, an empty 200.

What was received is in the ``*_requests`` lists; the tokens themselves are ``siwc_tokens``'.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx

from chatgpt_sdk._fake.rules import Rejected
from chatgpt_sdk._fake.rules import json_response as _json
from chatgpt_sdk._fake.siwc_tokens import RESOURCE, SIWCTokens, b64

__all__ = ["BOOTSTRAP", "PLAN_SCOPE", "SCOPES", "FormRequest", "SIWCIssuer"]

BOOTSTRAP = "dynamic_agent_client"
PLAN_SCOPE = "chatgpt.tokens.use.direct"
SCOPES = ("openid", "profile", "email", "offline_access", "resource.invoke", PLAN_SCOPE)
LOOPBACK_CALLBACK = ("http", "127.0.0.1", "/auth/callback")
_HOST_ID = re.compile(
    r"urn:uuid:[0-9a-fA-F-]{36}|urn:ietf:params:oauth:jwk-thumbprint:\S+|did:key:\S+"
)
_REDIRECT = re.compile(r"http://127\.0\.0\.1:(\d{1,5})/auth/callback")


def _oauth_error(status: int, code: str, description: str) -> httpx.Response:
    return _json(status, {"error": code, "error_description": description})


@dataclass(frozen=True)
class FormRequest:
    """One form-encoded request to the issuer, as received (``form`` holds single values)."""

    headers: httpx.Headers
    form: dict[str, str]
    repeated: tuple[str, ...] = ()


@dataclass
class Registration:
    client_id: str
    subject: str
    redirect_base: tuple[str, str, str]  # scheme, host, path: only the port may vary
    host_ids: set[str] = field(default_factory=set)


@dataclass
class _Grant:
    client_id: str
    subject: str
    challenge: str
    redirect_uri: str
    nonce: str
    scopes: tuple[str, ...]
    used: bool = False


class SIWCIssuer(SIWCTokens):
    """The OAuth endpoints and their scripting. A base of ``FakeSIWC``, whose constructor sets the
    attributes declared here."""

    refresh_delay: float
    refresh_omits_scope: bool
    refresh_returns_id_token: bool
    authorize_requests: list[dict[str, list[str]]]
    token_requests: list[FormRequest]
    refresh_requests: list[FormRequest]
    revoke_requests: list[FormRequest]
    discovery_calls: int
    jwks_calls: int
    _registrations: dict[str, Registration]
    _grants: dict[str, _Grant]
    _deny_next: bool
    _without_plan_next: bool
    _callback_client: str | None
    _next_subject: str | None
    _refresh_failures: list[tuple[int, dict[str, Any] | None]]
    _revoke_failures: list[int]

    # -- scripting ---------------------------------------------------------------------------

    def deny_next_authorization(self) -> None:
        """The next authorization is declined: the callback carries ``error=access_denied``."""
        self._deny_next = True

    def grant_without_plan(self) -> None:
        """The next code grant leaves out ``chatgpt.tokens.use.direct`` (plan use not enabled)."""
        self._without_plan_next = True

    def callback_client_id(self, client_id: str) -> None:
        """The next callback names this client id (e.g. another one, on a re-authorization)."""
        self._callback_client = client_id

    def sign_in_as(self, subject: str) -> None:
        """The user picks another account at the next authorization."""
        self._next_subject = subject

    def fail_next_refreshes(
        self, count: int, status: int = 503, body: dict[str, Any] | None = None
    ) -> None:
        """The next ``count`` refresh grants fail with ``status`` and ``body``."""
        with self._lock:
            self._refresh_failures.extend([(status, body)] * count)

    def fail_next_revocations(self, count: int, status: int = 503) -> None:
        with self._lock:
            self._revoke_failures.extend([status] * count)

    @property
    def registrations(self) -> dict[str, str]:
        """Issued client id -> subject."""
        with self._lock:
            return {cid: reg.subject for cid, reg in self._registrations.items()}

    # -- discovery and keys ------------------------------------------------------------------

    def _jwks(self) -> httpx.Response:
        with self._lock:
            self.jwks_calls += 1
        return _json(200, {"keys": [self._jwk()]})

    def _discovery(self, origin: str) -> httpx.Response:
        with self._lock:
            self.discovery_calls += 1
        return _json(
            200,
            {
                "issuer": origin,
                "authorization_endpoint": f"{origin}/api/accounts/authorize",
                "token_endpoint": f"{origin}/api/accounts/oauth/token",
                "revocation_endpoint": f"{origin}/api/accounts/oauth/revoke",
                "userinfo_endpoint": f"{origin}/api/accounts/oauth/userinfo",
                "jwks_uri": f"{origin}/.well-known/jwks.json",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["none"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": list(SCOPES),
            },
        )

    # -- authorize ---------------------------------------------------------------------------

    def _authorize(self, request: httpx.Request, origin: str) -> httpx.Response:
        query = parse_qs(request.url.query.decode(), keep_blank_values=True)
        with self._lock:
            self.authorize_requests.append(query)

        def bad(description: str) -> Rejected:
            # Emulation choice: an invalid authorize request is an error page, never a redirect.
            return Rejected(_oauth_error(400, "invalid_request", description))

        if any(len(values) > 1 for values in query.values()):
            raise bad("repeated parameter")
        params = {k: v[0] for k, v in query.items()}
        client_id = params.get("client_id", "")
        host_id = params.get("ext_agent_host_id", "")
        if not _HOST_ID.fullmatch(host_id):
            raise bad("ext_agent_host_id is required (urn:uuid, jwk-thumbprint or did:key)")
        redirect = params.get("redirect_uri", "")
        match = _REDIRECT.fullmatch(redirect)
        if match is None:
            raise bad("redirect_uri must be http://127.0.0.1:<port>/auth/callback")
        if params.get("response_type") != "code":
            raise bad("response_type must be code")
        if sorted(params.get("scope", "").split(" ")) != sorted(SCOPES):
            raise bad("scope must be the complete set: " + " ".join(SCOPES))
        if params.get("resource") != RESOURCE:
            raise bad(f"resource must be {RESOURCE}")
        for name in ("state", "nonce", "code_challenge"):
            if not params.get(name):
                raise bad(f"{name} is required")
        if params.get("code_challenge_method") != "S256":
            raise bad("code_challenge_method must be S256")
        with self._lock:
            registration = self._registrations.get(client_id)
            if client_id == BOOTSTRAP:
                if not params.get("agent_name_hint"):
                    raise bad("agent_name_hint is required on first registration")
                if "id_token_hint" in params:
                    raise bad("id_token_hint is for a saved client")
            elif registration is None:
                raise Rejected(_oauth_error(400, "invalid_client", "unknown client_id"))
            else:
                if "agent_name_hint" in params:
                    raise bad("agent_name_hint is only for a first registration")
                if registration.redirect_base != LOOPBACK_CALLBACK:
                    raise bad("redirect_uri does not match the registration")
            subject, self._next_subject = self._next_subject or self.subject, None
            hint = params.get("id_token_hint")
            if (
                registration is not None
                and hint
                and not self._hint_ok(hint, registration.client_id)
            ):
                raise bad("id_token_hint was not issued to this client")
            query_out: dict[str, str] = {}
            new = registration is None
            if new:
                issued = "oaiapp_" + secrets.token_hex(12)
                registration = Registration(issued, subject, LOOPBACK_CALLBACK)
                self._registrations[issued] = registration
            assert registration is not None
            registration.host_ids.add(host_id)
            deny, self._deny_next = self._deny_next, False
            plan, self._without_plan_next = not self._without_plan_next, False
            if deny:
                query_out["error"] = "access_denied"
                query_out["error_description"] = "The user declined plan use for this app."
            else:
                code = "ac_" + secrets.token_urlsafe(24)
                scopes = SCOPES if plan else tuple(s for s in SCOPES if s != PLAN_SCOPE)
                self._grants[code] = _Grant(
                    registration.client_id,
                    subject,
                    params["code_challenge"],
                    redirect,
                    params["nonce"],
                    scopes,
                )
                query_out["code"] = code
                query_out["scope"] = " ".join(sorted(scopes))
            query_out["state"] = params["state"]
            named, self._callback_client = self._callback_client, None
            if named is not None:
                query_out["client_id"] = named
            elif new:
                query_out["client_id"] = registration.client_id
        return httpx.Response(302, headers={"location": f"{redirect}?{urlencode(query_out)}"})

    # -- the token endpoint ------------------------------------------------------------------

    def _form(self, request: httpx.Request) -> FormRequest:
        kind = request.headers.get("content-type", "")
        if not kind.startswith("application/x-www-form-urlencoded"):
            raise Rejected(_oauth_error(400, "invalid_request", "the body must be form-encoded"))
        parsed = parse_qs(request.content.decode(), keep_blank_values=True)
        repeated = tuple(k for k, v in parsed.items() if len(v) > 1)
        return FormRequest(
            httpx.Headers(request.headers), {k: v[0] for k, v in parsed.items()}, repeated
        )

    def _token(self, request: httpx.Request, origin: str) -> httpx.Response:
        form = self._form(request)
        if form.repeated:
            return _oauth_error(400, "invalid_request", "repeated parameter")
        grant = form.form.get("grant_type")
        if grant == "authorization_code":
            with self._lock:
                self.token_requests.append(form)
            return self._code_grant(form.form, origin)
        if grant == "refresh_token":
            if self.refresh_delay:
                time.sleep(self.refresh_delay)
            with self._lock:
                self.refresh_requests.append(form)
            return self._refresh_grant(form.form, origin)
        return _oauth_error(400, "unsupported_grant_type", "unknown grant_type")

    def _code_grant(self, form: dict[str, str], origin: str) -> httpx.Response:
        with self._lock:
            client_id = form.get("client_id", "")
            if client_id == BOOTSTRAP or client_id not in self._registrations:
                return _oauth_error(401, "invalid_client", "use the issued client_id")
            if form.get("resource") != RESOURCE:
                return _oauth_error(400, "invalid_target", f"resource must be {RESOURCE}")
            found = self._grants.get(form.get("code", ""))
            if found is None or found.used or found.client_id != client_id:
                return _oauth_error(400, "invalid_grant", "the code is invalid or was used")
            challenge = b64(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if challenge != found.challenge:
                return _oauth_error(400, "invalid_grant", "PKCE verification failed")
            if form.get("redirect_uri") != found.redirect_uri:
                return _oauth_error(400, "invalid_grant", "redirect_uri differs from authorize")
            found.used = True
            body = self._tokens(origin, client_id, found.subject, found.scopes, found.nonce)
        return _json(200, body)

    def _refresh_grant(self, form: dict[str, str], origin: str) -> httpx.Response:
        with self._lock:
            if self._refresh_failures:
                status, failure = self._refresh_failures.pop(0)
                return _json(status, failure or {"error": "temporarily_unavailable"})
            if "scope" in form:
                # Emulation choice: SIWC 2.9 says to omit it; a client sending one is caught.
                return _oauth_error(400, "invalid_scope", "omit scope on refresh")
            if form.get("resource") != RESOURCE:
                return _oauth_error(400, "invalid_target", f"resource must be {RESOURCE}")
            client_id = form.get("client_id", "")
            if client_id == BOOTSTRAP or client_id not in self._registrations:
                return _oauth_error(401, "invalid_client", "unknown client")
            token = self._refresh.get(form.get("refresh_token", ""))
            if token is None or token.client_id != client_id:
                return _oauth_error(400, "invalid_grant", "unknown refresh token")
            if token.state != "live":
                code = {
                    "used": "refresh_token_reused",
                    "revoked": "refresh_token_invalidated",
                    "expired": "refresh_token_expired",
                }[token.state]
                return _oauth_error(400, code, f"the refresh token is {token.state}")
            token.state = "used"
            body = self._tokens(
                origin,
                client_id,
                token.subject,
                token.scopes,
                None,
                with_id_token=self.refresh_returns_id_token,
                with_scope=not self.refresh_omits_scope,
            )
        return _json(200, body)

    def _revoke(self, request: httpx.Request) -> httpx.Response:
        form = self._form(request)
        with self._lock:
            self.revoke_requests.append(form)
            if self._revoke_failures:
                return _json(self._revoke_failures.pop(0), {"error": "temporarily_unavailable"})
            token = self._refresh.get(form.form.get("token", ""))
            if token is not None and token.client_id == form.form.get("client_id"):
                token.state = "revoked"
        return httpx.Response(200)  # SIWC 2.11: an empty 200, even for an invalid token
