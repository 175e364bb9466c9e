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

The parts: ``siwc_issuer`` (the OAuth endpoints) on ``siwc_tokens`` (keys, JWTs, issued tokens),
``siwc_api`` (the ``/v1`` routes) with ``siwc_rules`` (the request rules); this module joins them
into one handler and plugs it into clients.
"""

from __future__ import annotations

import copy
import functools
import itertools
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx

from chatgpt_sdk._fake.rules import Rejected
from chatgpt_sdk._fake.rules import json_response as _json
from chatgpt_sdk._fake.server import LoopbackServer, serve
from chatgpt_sdk._fake.siwc_api import USAGE_LIMIT as USAGE_LIMIT
from chatgpt_sdk._fake.siwc_api import USAGE_UNAVAILABLE as USAGE_UNAVAILABLE
from chatgpt_sdk._fake.siwc_api import SIWCResponsesAPI
from chatgpt_sdk._fake.siwc_issuer import BOOTSTRAP as BOOTSTRAP
from chatgpt_sdk._fake.siwc_issuer import LOOPBACK_CALLBACK, SCOPES, Registration, SIWCIssuer
from chatgpt_sdk._fake.siwc_issuer import PLAN_SCOPE as PLAN_SCOPE
from chatgpt_sdk._fake.siwc_issuer import FormRequest as FormRequest
from chatgpt_sdk._fake.siwc_rules import OMITTED_FIELDS as OMITTED_FIELDS
from chatgpt_sdk._fake.siwc_rules import validate_siwc_request as validate_siwc_request
from chatgpt_sdk._fake.siwc_tokens import AUTH_CLAIM as AUTH_CLAIM
from chatgpt_sdk._fake.siwc_tokens import RESOURCE as RESOURCE

if TYPE_CHECKING:
    from chatgpt_sdk.auth._credentials import Credentials
    from chatgpt_sdk.auth._official_provider import OfficialTokenProvider
    from chatgpt_sdk.client import AsyncChatGPT, ChatGPT

__all__ = ["SIWC_DEFAULT_MODELS", "SIWC_ORIGIN", "FakeSIWC", "FormRequest"]

SIWC_ORIGIN = "https://siwc.fake"
"""The origin (issuer and API host) of an in-process ``FakeSIWC``."""


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


class FakeSIWC(SIWCIssuer, SIWCResponsesAPI):
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
        self.models = copy.deepcopy([dict(m) for m in models or SIWC_DEFAULT_MODELS])
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
        self._registrations = {}
        self._grants = {}
        self._access = {}
        self._refresh = {}
        self._script = deque()
        self._requests = []
        self._ids = itertools.count(1)
        self._id_base = secrets.token_hex(4)
        self._deny_next = False
        self._without_plan_next = False
        self._callback_client = None
        self._next_subject = None
        self._forge_next = None
        self._refresh_failures = []
        self._revoke_failures = []
        self.authorize_requests = []
        self.token_requests = []
        self.refresh_requests = []
        self.revoke_requests = []
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
        from chatgpt_sdk.client import ChatGPT

        http = httpx.Client(transport=self.transport())
        return ChatGPT(**self._client_options(http, kwargs))

    def async_client(self, **kwargs: Any) -> AsyncChatGPT:
        from chatgpt_sdk.client import AsyncChatGPT

        http = httpx.AsyncClient(transport=self.transport())
        return AsyncChatGPT(**self._client_options(http, kwargs))

    def _client_options(
        self, http_client: httpx.Client | httpx.AsyncClient, kwargs: Mapping[str, Any]
    ) -> dict[str, Any]:
        from chatgpt_sdk.auth import StaticTokenProvider

        options: dict[str, Any] = {
            "token_provider": StaticTokenProvider(self.issue_access_token()),
            "backend": "official",
            "base_url": SIWC_ORIGIN + "/v1",
            "http_client": http_client,
        }
        return {**options, **kwargs}

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

    # -- tokens without a sign-in ------------------------------------------------------------

    def issue_access_token(
        self, *, scopes: Sequence[str] = SCOPES, ttl: float | None = None
    ) -> str:
        """A valid access token for a pre-registered test client (no sign-in needed)."""
        with self._lock:
            client = "oaiapp_test_client"
            self._registrations.setdefault(
                client, Registration(client, self.subject, LOOPBACK_CALLBACK)
            )
            return self._mint_access(
                SIWC_ORIGIN,
                client,
                self.subject,
                tuple(scopes),
                self.access_token_ttl if ttl is None else ttl,
            )

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
                return self._jwks()
            if route == ("GET", "/api/accounts/authorize"):
                return self._authorize(request, origin)
            if route == ("POST", "/api/accounts/oauth/token"):
                return self._token(request, origin)
            if route == ("POST", "/api/accounts/oauth/revoke"):
                return self._revoke(request)
            if request.url.path.startswith("/v1/") or request.url.path == "/v1":
                return self._api(request, served)
        except Rejected as refused:
            return refused.response
        return _json(404, {"error": "not_found"})
