"""``FakeSIWC``: an emulator of Sign in with ChatGPT, the issuer and the API (SIWC.md 2 and 3).

One thread-safe httpx-style handler serves, on one origin (the issuer is the request's origin, so it
works in-process and on any loopback port alike):

* ``GET /.well-known/openid-configuration`` and ``/.well-known/jwks.json``: a real RSA key pair;
  tokens are RS256 JWTs a client can (and must) verify;
* ``GET /api/accounts/authorize``: the parameters of SIWC 2.3 checked (an invalid request is a 400
  page, not a redirect), a ``dynamic_agent_client`` registration answered with an issued
  ``oaiapp_`` client id on the callback, a re-authorization with the saved client;
* ``POST /api/accounts/oauth/token``: form-encoded only; the code grant (PKCE, the byte-identical
  redirect URI, ``resource``) and the refresh grant (no ``scope``, with ``resource``; rotating,
  single-use refresh tokens whose reuse is ``refresh_token_reused``);
* ``POST /api/accounts/oauth/revoke``: form-encoded, an empty 200;
* ``GET /v1/models`` (``{"models": [...]}``) and ``POST /v1/responses`` enforcing SIWC 3.3-3.6:
  ``store: false``, ``stream: true``, an input list, the omitted fields and ``service_tier``
  refused as ``subscription_sharing_unsupported_capability`` naming the field, flat top-level
  function and custom tools refused the same way (namespaces and ``additional_tools`` only), the
  banned hosted tools, system messages; usage-limit errors before and mid-stream; any other
  ``/v1`` route is ``subscription_sharing_route_not_supported``.

The documented errors are used where SIWC.md gives them; elsewhere the choice is marked "emulation
choice". Scripting hooks are methods; what was received is in ``requests`` (API) and the
``*_requests`` lists (issuer).
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from chatgpt_sdk._fake import sse
from chatgpt_sdk._fake.bodies import Drop, Part, SSEBody
from chatgpt_sdk._fake.recording import RecordedRequest
from chatgpt_sdk._fake.server import DropConnection, LoopbackServer, serve

if TYPE_CHECKING:
    from chatgpt_sdk.auth._credentials import Credentials
    from chatgpt_sdk.auth._official_provider import OfficialTokenProvider
    from chatgpt_sdk.client import AsyncChatGPT, ChatGPT

__all__ = ["SIWC_DEFAULT_MODELS", "SIWC_ORIGIN", "FakeSIWC", "FormRequest"]

SIWC_ORIGIN = "https://siwc.fake"
"""The origin (issuer and API host) of an in-process ``FakeSIWC``."""
RESOURCE = "https://api.openai.com/v1"
BOOTSTRAP = "dynamic_agent_client"
PLAN_SCOPE = "chatgpt.tokens.use.direct"
SCOPES = ("openid", "profile", "email", "offline_access", "resource.invoke", PLAN_SCOPE)
AUTH_CLAIM = "https://api.openai.com/auth"
_HOST_ID = re.compile(
    r"urn:uuid:[0-9a-fA-F-]{36}|urn:ietf:params:oauth:jwk-thumbprint:\S+|did:key:\S+"
)
_REDIRECT = re.compile(r"http://127\.0\.0\.1:(\d{1,5})/auth/callback")
# SIWC 3.3: omit these (and previous_response_id over HTTP, and service_tier).
OMITTED_FIELDS = (
    "background",
    "conversation",
    "max_output_tokens",
    "max_tool_calls",
    "metadata",
    "moderation",
    "multi_agent",
    "prompt",
    "prompt_cache_retention",
    "safety_identifier",
    "temperature",
    "top_logprobs",
    "top_p",
    "truncation",
    "user",
    "previous_response_id",
    "service_tier",
)
_BANNED_TOOLS = frozenset(
    {
        "file_search",
        "code_interpreter",
        "image_generation",
        "computer_use_preview",
        "computer",
        "mcp",
        "local_shell",
        "tool_search",
        "programmatic_tool_calling",
    }
)
_FLAT_TOOLS = ("function", "custom")
USAGE_LIMIT = "subscription_sharing_usage_limit_exceeded"
USAGE_UNAVAILABLE = "subscription_sharing_usage_unavailable"


def _keep(entry: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("slug", "display_name", "visibility", "description", "context_window")
    out = {k: entry[k] for k in keys if k in entry}
    for key in ("default_reasoning_level", "supported_reasoning_levels", "input_modalities"):
        if key in entry:
            out[key] = copy.deepcopy(entry[key])
    return out


def _default_models() -> list[dict[str, Any]]:
    from chatgpt_sdk.models.catalog_snapshot import MODELS

    return [_keep(m) for m in MODELS]


SIWC_DEFAULT_MODELS: list[dict[str, Any]] = _default_models()
"""``GET /v1/models``: the catalog's models in SIWC's documented shape (slug, display_name,
visibility) plus the optional fields third parties read. Copy and edit to configure."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        headers={"content-type": "application/json", **(headers or {})},
        content=json.dumps(body).encode(),
    )


def _oauth_error(status: int, code: str, description: str) -> httpx.Response:
    return _json(status, {"error": code, "error_description": description})


def _api_error(status: int, code: str, message: str, param: str | None = None) -> httpx.Response:
    return _json(
        status,
        {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": param,
                "code": code,
            }
        },
    )


class _Refused(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _capability(param: str, message: str) -> _Refused:
    return _Refused(_api_error(400, "subscription_sharing_unsupported_capability", message, param))


@dataclass(frozen=True)
class FormRequest:
    """One form-encoded request to the issuer, as received (``form`` holds single values)."""

    headers: httpx.Headers
    form: dict[str, str]
    repeated: tuple[str, ...] = ()


@dataclass
class _Registration:
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


@dataclass
class _AccessToken:
    client_id: str
    subject: str
    scopes: tuple[str, ...]
    exp: float


@dataclass
class _RefreshToken:
    client_id: str
    subject: str
    scopes: tuple[str, ...]
    state: str = "live"  # live | used | revoked | expired


_Outcome = Callable[["_Turn"], httpx.Response]


@dataclass(frozen=True)
class _Turn:
    body: dict[str, Any]
    response_id: str
    served: bool
    namespaces: Mapping[str, str]

    @property
    def model(self) -> str:
        return str(self.body["model"])


class FakeSIWC:
    """An emulator of Sign in with ChatGPT for tests and demos (see the module docstring).

    Plug it into clients with ``transport()``, ``client()``, ``async_client()`` (an in-process
    origin, ``SIWC_ORIGIN``), or serve it on loopback with ``serve()`` (the origin is the server's
    URL; the API base is ``<origin>/v1``). ``browser(url)`` plays the user's browser for an
    authorize URL: it approves and follows the redirect to the app's loopback callback.

    Scripting (first in, first out for replies): ``reply``, ``error``, ``usage_limit``,
    ``usage_limit_mid_stream``, ``usage_unavailable``; ``deny_next_authorization``,
    ``grant_without_plan``, ``callback_client_id``, ``sign_in_as``, ``forge_next_id_token``,
    ``fail_next_refreshes``, ``fail_next_revocations``, ``expire_refresh_token``,
    ``refresh_delay``, ``untyped_streams`` (SSE without a Content-Type).
    """

    def __init__(
        self,
        *,
        subject: str = "user-siwc-0001",
        email: str = "user@example.com",
        models: Sequence[Mapping[str, Any]] | None = None,
        access_token_ttl: float = 3600.0,
        refresh_delay: float = 0.0,
        chunk_size: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.subject = subject
        self.email = email
        self.models: list[dict[str, Any]] = copy.deepcopy(
            [dict(m) for m in models or SIWC_DEFAULT_MODELS]
        )
        self.access_token_ttl = access_token_ttl
        self.refresh_delay = refresh_delay
        self.chunk_size = chunk_size
        self.clock = clock
        self.untyped_streams = False
        self.refresh_omits_scope = False
        self.refresh_returns_id_token = True
        self.kid = "siwc-fake-" + secrets.token_hex(4)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._lock = threading.Lock()
        self._registrations: dict[str, _Registration] = {}
        self._grants: dict[str, _Grant] = {}
        self._access: dict[str, _AccessToken] = {}
        self._refresh: dict[str, _RefreshToken] = {}
        self._script: deque[_Outcome] = deque()
        self._requests: list[RecordedRequest] = []
        self._ids = itertools.count(1)
        self._id_base = secrets.token_hex(4)
        self._deny_next = False
        self._without_plan_next = False
        self._callback_client: str | None = None
        self._next_subject: str | None = None
        self._forge_next: str | None = None
        self._refresh_failures: list[tuple[int, dict[str, Any] | None]] = []
        self._revoke_failures: list[int] = []
        self.authorize_requests: list[dict[str, list[str]]] = []
        self.token_requests: list[FormRequest] = []
        self.refresh_requests: list[FormRequest] = []
        self.revoke_requests: list[FormRequest] = []
        self.discovery_calls = 0
        self.jwks_calls = 0

    # -- plugging in -------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def http_client(self) -> httpx.Client:
        """An httpx client wired to this fake in-process (for providers and logins)."""
        return httpx.Client(transport=self.transport())

    def client(self, **kwargs: Any) -> ChatGPT:
        """A ``ChatGPT`` on the official backend, wired in-process, with a fresh plan token."""
        from chatgpt_sdk.auth import StaticTokenProvider
        from chatgpt_sdk.client import ChatGPT

        options: dict[str, Any] = {
            "token_provider": StaticTokenProvider(self.issue_access_token()),
            "backend": "official",
            "base_url": SIWC_ORIGIN + "/v1",
            "http_client": httpx.Client(transport=self.transport()),
        }
        return ChatGPT(**{**options, **kwargs})

    def async_client(self, **kwargs: Any) -> AsyncChatGPT:
        from chatgpt_sdk.auth import StaticTokenProvider
        from chatgpt_sdk.client import AsyncChatGPT

        options: dict[str, Any] = {
            "token_provider": StaticTokenProvider(self.issue_access_token()),
            "backend": "official",
            "base_url": SIWC_ORIGIN + "/v1",
            "http_client": httpx.AsyncClient(transport=self.transport()),
        }
        return AsyncChatGPT(**{**options, **kwargs})

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[LoopbackServer]:
        """Serve over real HTTP on loopback: issuer ``server.url``, API ``server.url + "/v1"``."""
        with serve(functools.partial(self._handle, served=True), host, port) as server:
            yield server

    # -- the browser -------------------------------------------------------------------------

    def browser(self, authorize_url: str) -> httpx.Response:
        """Play the user's browser: open ``authorize_url`` here, approve, follow the redirect.

        The authorize step is answered in-process; the redirect goes over real HTTP to the app's
        loopback listener, as a browser would send it. Returns the listener's answer (or the
        authorize error page when there was no redirect).
        """
        answer = self.handle(httpx.Request("GET", authorize_url))
        location = answer.headers.get("location")
        if answer.status_code != 302 or not location:
            return answer
        with httpx.Client(trust_env=False, timeout=30) as http:
            return http.get(location)

    def sign_in(self, provider: OfficialTokenProvider, **login: Any) -> Credentials:
        """A whole browser sign-in into ``provider`` (whose issuer must be this fake's origin)."""
        from chatgpt_sdk.auth._official_login import OfficialLogin

        answers: list[httpx.Response] = []

        def open_url(url: str) -> None:
            threading.Thread(target=lambda: answers.append(self.browser(url)), daemon=True).start()

        options: dict[str, Any] = {"open_browser": False, "on_url": open_url, "timeout": 30}
        flow = OfficialLogin(provider, **{**options, **login})
        return flow.run()

    # -- scripting: the issuer ---------------------------------------------------------------

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

    def forge_next_id_token(self, kind: str) -> None:
        """The next ID token is bad: ``signature`` (another key), ``expired``, ``nonce``,
        ``audience``, ``issuer``, ``azp`` or ``alg`` (HS256)."""
        if kind not in ("signature", "expired", "nonce", "audience", "issuer", "azp", "alg"):
            raise ValueError(f"unknown forgery {kind!r}")
        self._forge_next = kind

    def fail_next_refreshes(
        self, count: int, status: int = 503, body: dict[str, Any] | None = None
    ) -> None:
        """The next ``count`` refresh grants fail with ``status`` and ``body``."""
        with self._lock:
            self._refresh_failures.extend([(status, body)] * count)

    def fail_next_revocations(self, count: int, status: int = 503) -> None:
        with self._lock:
            self._revoke_failures.extend([status] * count)

    def expire_refresh_token(self, token: str) -> None:
        with self._lock:
            if token in self._refresh:
                self._refresh[token].state = "expired"

    def refresh_token_state(self, token: str) -> str | None:
        """``live``, ``used``, ``revoked``, ``expired``, or None for a token never issued."""
        with self._lock:
            found = self._refresh.get(token)
            return found.state if found else None

    def is_valid_access_token(self, token: str) -> bool:
        with self._lock:
            found = self._access.get(token)
        return found is not None and found.exp > self.clock()

    @property
    def registrations(self) -> dict[str, str]:
        """Issued client id -> subject."""
        with self._lock:
            return {cid: reg.subject for cid, reg in self._registrations.items()}

    def issue_access_token(
        self, *, scopes: Sequence[str] = SCOPES, ttl: float | None = None
    ) -> str:
        """A valid access token for a pre-registered test client (no sign-in needed)."""
        with self._lock:
            client = "oaiapp_test_client"
            self._registrations.setdefault(
                client, _Registration(client, self.subject, ("http", "127.0.0.1", "/auth/callback"))
            )
            return self._mint_access(
                SIWC_ORIGIN,
                client,
                self.subject,
                tuple(scopes),
                self.access_token_ttl if ttl is None else ttl,
            )

    # -- scripting: the API ------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request to ``/v1``, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> RecordedRequest:
        with self._lock:
            if not self._requests:
                raise LookupError("the fake has received no API request yet")
            return self._requests[-1]

    def reply(
        self,
        text: str | None = None,
        *,
        tool_calls: Sequence[sse.ToolCallSpec] = (),
        reasoning_summary: str | None = None,
    ) -> None:
        """Answer the next ``POST /v1/responses`` with a streamed reply."""
        self._push(
            lambda turn: self._stream(
                turn,
                [
                    sse.encode_event(e)
                    for e in self._events(turn, text, tool_calls, reasoning_summary)
                ],
            )
        )

    def error(self, status: int, body: Any) -> None:
        """Answer the next request with this HTTP error (a dict is sent as JSON)."""
        self._push(lambda turn: _json(status, body, {"x-request-id": self._next_id("req")}))

    def usage_limit(self) -> None:
        """429 ``subscription_sharing_usage_limit_exceeded`` before the stream (no reset time)."""
        self.error(
            429,
            {
                "error": {
                    "code": USAGE_LIMIT,
                    "message": "You have reached this app's usage limit for your ChatGPT plan.",
                    "type": "usage_limit",
                    "param": None,
                }
            },
        )

    def usage_unavailable(self) -> None:
        """503 ``subscription_sharing_usage_unavailable`` (retryable with backoff)."""
        self.error(
            503,
            {
                "error": {
                    "code": USAGE_UNAVAILABLE,
                    "message": "Plan usage is temporarily unavailable.",
                    "type": "server_error",
                    "param": None,
                }
            },
        )

    def usage_limit_mid_stream(
        self, text: str = "Partial answer before the limit", *, code: str = USAGE_LIMIT
    ) -> None:
        """A stream that starts the reply, then ends in ``response.failed`` with ``code``."""

        def outcome(turn: _Turn) -> httpx.Response:
            events = sse.failed_events(
                code,
                "The usage limit was reached during this response.",
                response_id=turn.response_id,
                model=turn.model,
                created_at=int(self.clock()),
                text=text,
            )
            return self._stream(turn, [sse.encode_event(e) for e in events])

        self._push(outcome)

    def drop_after(self, n_events: int, text: str = "A reply cut short.") -> None:
        def outcome(turn: _Turn) -> httpx.Response:
            events = [sse.encode_event(e) for e in self._events(turn, text, (), None)]
            return self._stream(turn, [*events[:n_events], Drop()])

        self._push(outcome)

    # -- the handler -------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        return self._handle(request, served=False)

    def _handle(self, request: httpx.Request, *, served: bool) -> httpx.Response:
        origin = f"{request.url.scheme}://{request.url.netloc.decode()}"
        route = (request.method, request.url.path)
        try:
            if route == ("GET", "/.well-known/openid-configuration"):
                return self._discovery(origin)
            if route == ("GET", "/.well-known/jwks.json"):
                with self._lock:
                    self.jwks_calls += 1
                return _json(200, {"keys": [self._jwk()]})
            if route == ("GET", "/api/accounts/authorize"):
                return self._authorize(request, origin)
            if route == ("POST", "/api/accounts/oauth/token"):
                return self._token(request, origin)
            if route == ("POST", "/api/accounts/oauth/revoke"):
                return self._revoke(request)
            if request.url.path.startswith("/v1/") or request.url.path == "/v1":
                return self._api(request, served)
        except _Refused as refused:
            return refused.response
        return _json(404, {"error": "not_found"})

    # -- discovery and keys ------------------------------------------------------------------

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

    def _jwk(self) -> dict[str, Any]:
        from jwt.algorithms import RSAAlgorithm

        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def _sign(self, claims: Mapping[str, Any], *, forged: bool = False) -> str:
        import jwt

        key = self._forger if forged else self._key
        return jwt.encode(dict(claims), key, algorithm="RS256", headers={"kid": self.kid})

    def _mint_access(
        self, origin: str, client_id: str, subject: str, scopes: tuple[str, ...], ttl: float
    ) -> str:
        """Under the lock: an RS256 access token with SIWC 2.6's claims, remembered as valid."""
        now = self.clock()
        token = self._sign(
            {
                "sub": subject,
                "aud": RESOURCE,
                "client_id": client_id,
                "scope": " ".join(scopes),
                AUTH_CLAIM: {
                    "per_user_salt": _b64(hashlib.sha256(subject.encode()).digest()[:12]),
                    "encrypted_auth_metadata": _b64(secrets.token_bytes(24)),
                },
                "iss": origin,
                "iat": int(now),
                "nbf": int(now),
                "exp": int(now + ttl),
                "jti": secrets.token_hex(12),
            }
        )
        self._access[token] = _AccessToken(client_id, subject, scopes, now + ttl)
        return token

    def _id_token(self, origin: str, client_id: str, subject: str, nonce: str | None) -> str:
        now = int(self.clock())
        claims: dict[str, Any] = {
            "iss": origin,
            "aud": client_id,
            "azp": client_id,
            "sub": subject,
            "email": self.email if subject == self.subject else f"{subject}@example.com",
            "iat": now,
            "exp": now + 3600,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        forgery, self._forge_next = self._forge_next, None
        if forgery == "signature":
            return self._sign(claims, forged=True)
        if forgery == "expired":
            claims.update(iat=now - 7200, exp=now - 3600)
        elif forgery == "nonce":
            claims["nonce"] = _b64(secrets.token_bytes(32))
        elif forgery == "audience":
            claims["aud"] = claims["azp"] = "oaiapp_someone_else"
        elif forgery == "issuer":
            claims["iss"] = "https://evil.example"
        elif forgery == "azp":
            claims["aud"], claims["azp"] = [client_id, "oaiapp_other"], "oaiapp_other"
        elif forgery == "alg":
            import jwt

            return jwt.encode(claims, "not-a-key-but-a-secret-of-32-bytes", algorithm="HS256")
        return self._sign(claims)

    # -- authorize ---------------------------------------------------------------------------

    def _authorize(self, request: httpx.Request, origin: str) -> httpx.Response:
        query = parse_qs(request.url.query.decode(), keep_blank_values=True)
        with self._lock:
            self.authorize_requests.append(query)

        def bad(description: str) -> _Refused:
            # Emulation choice: an invalid authorize request is an error page, never a redirect.
            return _Refused(_oauth_error(400, "invalid_request", description))

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
                raise _Refused(_oauth_error(400, "invalid_client", "unknown client_id"))
            else:
                if "agent_name_hint" in params:
                    raise bad("agent_name_hint is only for a first registration")
                if registration.redirect_base != ("http", "127.0.0.1", "/auth/callback"):
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
                registration = _Registration(
                    issued, subject, ("http", "127.0.0.1", "/auth/callback")
                )
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

    def _hint_ok(self, hint: str, client_id: str) -> bool:
        import jwt

        try:
            jwt.decode(
                hint,
                self._key.public_key(),
                algorithms=["RS256"],
                audience=client_id,
                options={"verify_exp": False, "verify_iss": False},
            )
        except jwt.PyJWTError:
            return False
        return True

    # -- the token endpoint ------------------------------------------------------------------

    def _form(self, request: httpx.Request) -> FormRequest:
        kind = request.headers.get("content-type", "")
        if not kind.startswith("application/x-www-form-urlencoded"):
            raise _Refused(_oauth_error(400, "invalid_request", "the body must be form-encoded"))
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
            challenge = _b64(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if challenge != found.challenge:
                return _oauth_error(400, "invalid_grant", "PKCE verification failed")
            if form.get("redirect_uri") != found.redirect_uri:
                return _oauth_error(400, "invalid_grant", "redirect_uri differs from authorize")
            found.used = True
            body = self._tokens(origin, client_id, found.subject, found.scopes, found.nonce)
        return _json(200, body)

    def _tokens(
        self,
        origin: str,
        client_id: str,
        subject: str,
        scopes: tuple[str, ...],
        nonce: str | None,
        *,
        with_id_token: bool = True,
        with_scope: bool = True,
    ) -> dict[str, Any]:
        access = self._mint_access(origin, client_id, subject, scopes, self.access_token_ttl)
        refresh = "rt_" + secrets.token_urlsafe(32)
        self._refresh[refresh] = _RefreshToken(client_id, subject, scopes)
        body: dict[str, Any] = {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "expires_in": int(self.access_token_ttl),
        }
        if with_scope:
            body["scope"] = " ".join(scopes)
        if with_id_token:
            body["id_token"] = self._id_token(origin, client_id, subject, nonce)
        return body

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

    # -- the API -----------------------------------------------------------------------------

    def _api(self, request: httpx.Request, served: bool) -> httpx.Response:
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            headers=request.headers,
            json=_parse(request.content),
            query=dict(request.url.params),
            content_encoding=request.headers.get("content-encoding"),
            wire_size=len(request.content),
        )
        with self._lock:
            self._requests.append(recorded)
        route = (request.method, request.url.path)
        if route not in (("GET", "/v1/models"), ("POST", "/v1/responses")):
            return _api_error(
                403,
                "subscription_sharing_route_not_supported",
                "Only POST /v1/responses and GET /v1/models are served with a ChatGPT plan.",
            )
        self._authenticate(request)
        if route == ("GET", "/v1/models"):
            return _json(200, {"models": self.models}, {"x-request-id": self._next_id("req")})
        body = recorded.json
        if not isinstance(body, dict):
            return _json(400, {"detail": "The body must be a JSON object."})
        namespaces = validate_siwc_request(body, self.models)
        with self._lock:
            outcome = self._script.popleft() if self._script else None
        turn = _Turn(body, self._next_id("resp"), served, namespaces)
        if outcome is None:
            text = _last_user_text(body["input"])
            return self._stream(
                turn,
                [sse.encode_event(e) for e in self._events(turn, f"You said: {text}", (), None)],
            )
        return outcome(turn)

    def _authenticate(self, request: httpx.Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        with self._lock:
            found = self._access.get(token) if scheme.lower() == "bearer" else None
        if found is None or found.exp <= self.clock():
            # SIWC 3.6: admission errors may be {"detail": ...}.
            raise _Refused(
                _json(401, {"detail": "The access token is missing, invalid or expired."})
            )
        if PLAN_SCOPE not in found.scopes:
            raise _Refused(
                _api_error(
                    403,
                    "chatpass_v2_scope_not_authorized",
                    "The signed permission context does not authorize plan use.",
                )
            )

    def _events(
        self,
        turn: _Turn,
        text: str | None,
        tool_calls: Sequence[sse.ToolCallSpec],
        reasoning_summary: str | None,
    ) -> list[sse.Event]:
        return sse.reply_events(
            text,
            response_id=turn.response_id,
            model=turn.model,
            created_at=int(self.clock()),
            tool_calls=tool_calls,
            reasoning_summary=reasoning_summary,
            namespaces=turn.namespaces,
        )

    def _stream(self, turn: _Turn, parts: Sequence[Part]) -> httpx.Response:
        headers = {"x-request-id": self._next_id("req")}
        if not self.untyped_streams:
            headers["content-type"] = "text/event-stream"
        return httpx.Response(
            200,
            headers=headers,
            stream=SSEBody(
                parts, self.chunk_size, DropConnection if turn.served else httpx.RemoteProtocolError
            ),
        )

    def _push(self, outcome: _Outcome) -> None:
        with self._lock:
            self._script.append(outcome)

    def _next_id(self, prefix: str) -> str:
        # Unique across fake instances (as the backend's are): tests sharing one response store
        # must not find another fake's ``msg_...`` under the same id.
        return f"{prefix}_{self._id_base}{next(self._ids):08x}"


# -- the request rules (SIWC 3.3-3.4) --------------------------------------------------------------


def validate_siwc_request(
    body: Mapping[str, Any], models: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """SIWC 3.3-3.4 in order; returns tool name -> namespace. Raises ``_Refused``."""
    if not isinstance(body.get("input"), list):
        # [DK test fixture] a string input is a validation error.
        raise _Refused(
            _json(
                422,
                {
                    "detail": [
                        {
                            "loc": ["body", "input"],
                            "type": "list_type",
                            "msg": "Input should be a valid list",
                        }
                    ]
                },
            )
        )
    if body.get("store") is not False:
        raise _capability("store", "Plan requests are not stored: send store=false.")
    if body.get("stream") is not True:
        raise _capability("stream", "Plan requests must stream: send stream=true.")
    for name in OMITTED_FIELDS:
        if name in body:
            raise _capability(name, f"{name} is not supported with a ChatGPT plan.")
    model = body.get("model")
    if not isinstance(model, str) or not any(m.get("slug") == model for m in models):
        raise _Refused(
            _api_error(
                404,
                "model_not_found",
                f"The model {model!r} does not exist or is not listed.",
                "model",
            )
        )
    namespaces: dict[str, str] = {}
    for index, tool in enumerate(body.get("tools") or ()):
        _check_top_tool(tool, f"tools[{index}]", namespaces)
    calls: set[str] = set()
    for index, item in enumerate(body["input"]):
        if not isinstance(item, dict):
            continue
        where = f"input[{index}]"
        if item.get("role") == "system":
            # Emulation choice (text): SIWC 3.3 says explicit system items are rejected.
            raise _Refused(_json(400, {"detail": "System messages are not allowed"}))
        kind = item.get("type")
        if kind == "item_reference":
            raise _Refused(
                _api_error(
                    404,
                    "not_found",
                    f"Item with id '{item.get('id')}' not found. Items are not persisted when "
                    "`store` is set to false.",
                    where,
                )
            )
        if kind == "additional_tools":
            if item.get("role") != "developer":
                raise _capability(f"{where}.role", "Only developer is supported for role.")
            tools = item.get("tools")
            if not isinstance(tools, list):
                raise _Refused(
                    _json(400, {"detail": f"Missing required parameter: '{where}.tools'."})
                )
            for tool_index, tool in enumerate(tools):
                _check_grouped_tool(tool, f"{where}.tools[{tool_index}]", namespaces)
        elif kind in ("function_call", "custom_tool_call"):
            calls.add(str(item.get("call_id")))
        elif kind in ("function_call_output", "custom_tool_call_output") and (
            str(item.get("call_id")) not in calls
        ):
            raise _Refused(
                _api_error(
                    400,
                    "invalid_request_error",
                    f"No tool call found for output with call_id {item.get('call_id')}.",
                    where,
                )
            )
        content = item.get("content")
        for part_index, part in enumerate(content if isinstance(content, list) else ()):
            if not isinstance(part, dict):
                continue
            path = f"{where}.content[{part_index}]"
            if part.get("type") in ("input_audio", "input_video"):
                raise _capability(path, "Audio and video input are not supported.")
            if part.get("type") in ("input_image", "input_file") and part.get("file_id"):
                raise _capability(path, "Files must be sent inline (no Files API).")
    return namespaces


def _tool_kind(tool: Any, path: str) -> str:
    if not isinstance(tool, dict) or not isinstance(tool.get("type"), str):
        raise _Refused(_json(400, {"detail": f"Missing required parameter: '{path}.type'."}))
    return str(tool["type"])


def _check_top_tool(tool: Any, path: str, namespaces: dict[str, str]) -> None:
    kind = _tool_kind(tool, path)
    if kind in _FLAT_TOOLS:
        raise _capability(
            path,
            "Function and custom tools must be grouped in a namespace or supplied through "
            "additional_tools input items.",
        )
    if kind in _BANNED_TOOLS:
        raise _capability(path, f"The {kind} tool is not supported with a ChatGPT plan.")
    if kind == "namespace":
        _check_namespace(tool, path, namespaces)


def _check_grouped_tool(tool: Any, path: str, namespaces: dict[str, str]) -> None:
    kind = _tool_kind(tool, path)
    if kind == "namespace":
        _check_namespace(tool, path, namespaces)
    elif kind in _FLAT_TOOLS:
        _check_function(tool, path)  # a call to it carries no namespace
    elif kind in _BANNED_TOOLS:
        raise _capability(path, f"The {kind} tool is not supported with a ChatGPT plan.")


def _check_namespace(tool: Mapping[str, Any], path: str, namespaces: dict[str, str]) -> None:
    name = tool.get("name")
    if not isinstance(name, str) or not name:
        raise _Refused(_json(400, {"detail": f"Missing required parameter: '{path}.name'."}))
    members = tool.get("tools")
    if not isinstance(members, list) or not members:
        raise _Refused(_json(400, {"detail": f"Missing required parameter: '{path}.tools'."}))
    for index, member in enumerate(members):
        member_path = f"{path}.tools[{index}]"
        if _tool_kind(member, member_path) not in _FLAT_TOOLS:
            raise _capability(member_path, "A namespace holds only function and custom tools.")
        _check_function(member, member_path)
        namespaces.setdefault(str(member["name"]), name)


def _check_function(tool: Mapping[str, Any], path: str) -> None:
    if not isinstance(tool.get("name"), str) or not tool["name"]:
        # A Chat-style tool (nested under "function") ends here.
        raise _Refused(_json(400, {"detail": f"Missing required parameter: '{path}.name'."}))
    if tool.get("type") == "function" and not isinstance(tool.get("parameters", {}), dict):
        raise _Refused(
            _json(400, {"detail": f"Invalid type for '{path}.parameters': expected an object."})
        )


def _parse(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def _last_user_text(items: Sequence[Any]) -> str:
    for item in reversed(items):
        if not isinstance(item, dict) or item.get("role") != "user":
            continue
        content = item.get("content")
        if isinstance(content, str):
            return content
        return "".join(
            str(part.get("text", ""))
            for part in content or ()
            if isinstance(part, dict) and part.get("type") == "input_text"
        )
    return ""


def callback_params(url: str) -> dict[str, str]:
    """The query of a callback address as a dict (a test helper)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
