"""``FakeChatGPTBackend``: an emulator of the Codex backend, as strict as the real one.

It is one thread-safe httpx-style handler (``httpx.Request -> httpx.Response``): in-process through
``httpx.MockTransport``, or over real HTTP on loopback through ``chatgpt_sdk._fake.server``. It
enforces the request rules of WIRE.md 3.5 and, for Responses Lite models, 3.6 with the recorded
status codes and texts (``chatgpt_sdk._fake.rules``; a fake laxer than the backend would hide
client bugs), streams the event sequences of WIRE.md 4, and replies from a FIFO script of
outcomes, falling back to a deterministic echo (``chatgpt_sdk._fake.outcomes``), over HTTP or the
WebSocket transport (``chatgpt_sdk._fake.sessions``), with the catalog of
``chatgpt_sdk._fake.catalog``. It follows today's backend as Codex 0.171.0 meets
it (``../shared/reference/captures/``): the 0.171.0 catalog, optional ``instructions``, client ids
on input items, zstd request bodies.

Where the real behaviour is unrecorded, the choice made here is marked "emulation choice".
"""

from __future__ import annotations

import base64
import copy
import functools
import itertools
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from chatgpt_sdk._fake import sse
from chatgpt_sdk._fake.catalog import DEFAULT_MODELS, models_response
from chatgpt_sdk._fake.outcomes import Outcome, Responder, Turn
from chatgpt_sdk._fake.recording import BASE_PATH, RecordedRequest, RequestLog, parse_json
from chatgpt_sdk._fake.rules import UNSUPPORTED_PARAMETERS, decode_body, validate_responses
from chatgpt_sdk._fake.rules import Rejected as _Rejected
from chatgpt_sdk._fake.rules import json_response as _json
from chatgpt_sdk._fake.server import HEADERS_DELAY, LoopbackServer, serve
from chatgpt_sdk._fake.sessions import WEBSOCKET_MAX_AGE, WebSocketSessions
from chatgpt_sdk.auth._credentials import AUTH_CLAIM, jwt_claims
from chatgpt_sdk.catalog import ModelCatalog

if TYPE_CHECKING:
    from chatgpt_sdk.client import AsyncChatGPT, ChatGPT

__all__ = [
    "BASE_PATH",
    "DEFAULT_BASE_URL",
    "DEFAULT_MODELS",
    "UNSUPPORTED_PARAMETERS",
    "FakeChatGPTBackend",
    "IssuerLike",
    "RecordedRequest",
    "make_access_token",
]

DEFAULT_BASE_URL = "https://chatgpt.fake" + BASE_PATH
_AUTH_PREFIXES = ("/oauth/", "/api/accounts/")

_CLOUDFLARE_403 = (
    '<!DOCTYPE html>\n<html lang="en-US"><head><title>Attention Required! | Cloudflare</title>'
    "</head>\n<body><h1>Sorry, you have been blocked</h1>\n<p>You are unable to access "
    "chatgpt.com</p>\n<p>Cloudflare Ray ID: <strong>8f00fake00000000</strong></p></body></html>\n"
)


class IssuerLike(Protocol):
    """What the backend needs from ``chatgpt_sdk._fake.issuer.FakeIssuer`` (duck-typed)."""

    @property
    def account_id(self) -> str: ...

    @property
    def plan_type(self) -> str: ...

    def handle(self, request: httpx.Request) -> httpx.Response: ...

    def is_valid_access_token(self, token: str) -> bool: ...


def make_access_token(
    account_id: str, plan_type: str = "plus", *, expires_at: int | None = None
) -> str:
    """An unsigned JWT shaped like the backend's access tokens (clients never check signatures)."""

    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    claims = {
        "exp": expires_at if expires_at is not None else int(time.time()) + 10 * 24 * 3600,
        "email": "user@example.com",
        AUTH_CLAIM: {
            "chatgpt_account_id": account_id,
            "chatgpt_plan_type": plan_type,
            "chatgpt_user_id": "user-fake",
        },
    }
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.fake-signature"


def default_rate_limit_headers(plan_type: str, now: int) -> dict[str, str]:
    """Rate-limit headers as on every real reply (WIRE.md 5.3): a lightly used plan."""
    return {
        "x-codex-plan-type": plan_type,
        "x-codex-active-limit": "codex",
        "x-codex-primary-used-percent": "12.0",
        "x-codex-primary-window-minutes": "300",
        "x-codex-primary-reset-at": str(now + 9000),
        "x-codex-primary-reset-after-seconds": "9000",
        "x-codex-secondary-used-percent": "3.5",
        "x-codex-secondary-window-minutes": "10080",
        "x-codex-secondary-reset-at": str(now + 432000),
        "x-codex-secondary-reset-after-seconds": "432000",
        "x-codex-primary-over-secondary-limit-percent": "0.0",
        "x-codex-credits-has-credits": "false",
        "x-codex-credits-unlimited": "false",
    }


class FakeChatGPTBackend(WebSocketSessions, RequestLog):
    """An emulator of ``https://chatgpt.com/backend-api/codex`` for tests, benchmarks and demos.

    Plug it into a client (``client()``, ``async_client()``, ``transport()``) or serve it on a
    loopback port (``serve()``). Script what the next ``POST /responses`` gets with ``reply``,
    ``reply_events``, ``reply_raw``, ``error``, ``usage_limit``, ``drop_after``, ``failed``,
    ``incomplete``, ``malformed_line``, ``stall`` and ``stall_headers`` (first in, first out); with
    nothing scripted, the reply echoes the last user text (or comes from ``responder``). Every
    request to the Codex paths is recorded in ``requests`` (``GET /models`` calls included: count
    them there; ``keep_requests=N`` keeps only the newest N); auth paths go to ``issuer`` and are
    not recorded.

    A model whose catalog entry has ``use_responses_lite: true`` takes the Lite shape only (WIRE.md
    3.6): tool calls in a reply to it carry the ``namespace`` their tool was declared in.

    ``chunk_size=None`` sends one network chunk per event, as the backend flushes them; a number
    re-slices the body into chunks of that many bytes, splitting events (and UTF-8 characters)
    across chunks to exercise clients' decoders, or coalescing them for speed.
    """

    base_url = DEFAULT_BASE_URL
    _nothing_received = "the fake backend has received no request yet"

    def __init__(
        self,
        *,
        issuer: IssuerLike | None = None,
        account_id: str | None = None,
        plan_type: str | None = None,
        models: Sequence[Mapping[str, Any]] | None = None,
        rate_limits: Mapping[str, str] | None = None,
        chunk_size: int | None = None,
        responder: Responder | None = None,
        latency: float = 0.0,
        websocket: bool = True,
        websocket_max_age: float = WEBSOCKET_MAX_AGE,
        strict_chaining: bool = False,
        keep_requests: int | None = None,
    ) -> None:
        self.issuer = issuer
        self.account_id = account_id or (
            issuer.account_id if issuer else "0b6c3a1e-0000-4000-8000-00000000fa4e"
        )
        self.plan_type = plan_type or (issuer.plan_type if issuer else "plus")
        self.access_token = make_access_token(self.account_id, self.plan_type)
        self.models: list[dict[str, Any]] = copy.deepcopy(
            [dict(m) for m in models or DEFAULT_MODELS]
        )
        self.rate_limits: dict[str, str] = dict(
            rate_limits or default_rate_limit_headers(self.plan_type, int(time.time()))
        )
        self.chunk_size = chunk_size
        self.responder = responder
        # Seconds each POST /responses (or response.create frame) waits before its answer starts:
        # a simulated round trip, for benchmarks.
        self.latency = latency
        # The WebSocket transport (served only): False answers upgrades 426 Upgrade Required, as
        # a backend without it; ``websocket_max_age`` is the connection limit (60 minutes).
        self.websocket = websocket
        self.websocket_max_age = websocket_max_age
        # True: a full input on a connection that holds its beginning (previous_response_id was
        # due) is refused, so tests can hold clients to sending only new items.
        self.strict_chaining = strict_chaining
        self._handshakes: list[RecordedRequest] = []
        self._connections = itertools.count(1)
        # The clients of this backend share one model catalog, as the clients of one process
        # share the default; its own, so another backend's (or the real) catalog never leaks in.
        self.model_catalog = ModelCatalog()
        self._lock = threading.Lock()
        self._script: deque[Outcome] = deque()
        if keep_requests is not None and (
            isinstance(keep_requests, bool)
            or not isinstance(keep_requests, int)
            or keep_requests < 1
        ):
            raise ValueError(f"keep_requests must be a positive int or None, got {keep_requests!r}")
        # A long-running fake (a benchmark's) keeps only the newest requests: an unbounded record
        # grows the heap, and the garbage collector's full passes over it stall every reply.
        self._requests: deque[RecordedRequest] = deque(maxlen=keep_requests)
        self._prompts: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._id_base = secrets.token_hex(4)

    # -- plugging in -------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """An httpx transport for sync and async clients alike."""
        return httpx.MockTransport(self.handle)

    def client(self, **kwargs: Any) -> ChatGPT:
        """A ``ChatGPT`` wired to this backend in-process; ``kwargs`` go to its constructor."""
        from chatgpt_sdk.auth import StaticTokenProvider
        from chatgpt_sdk.client import ChatGPT

        return ChatGPT(
            token_provider=StaticTokenProvider(self.access_token, account_id=self.account_id),
            base_url=self.base_url,
            http_client=httpx.Client(transport=self.transport()),
            **{"model_catalog": self.model_catalog, **kwargs},
        )

    def async_client(self, **kwargs: Any) -> AsyncChatGPT:
        """An ``AsyncChatGPT`` wired to this backend in-process; ``kwargs`` go to its constructor."""
        from chatgpt_sdk.auth import StaticTokenProvider
        from chatgpt_sdk.client import AsyncChatGPT

        return AsyncChatGPT(
            token_provider=StaticTokenProvider(self.access_token, account_id=self.account_id),
            base_url=self.base_url,
            http_client=httpx.AsyncClient(transport=self.transport()),
            **{"model_catalog": self.model_catalog, **kwargs},
        )

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[LoopbackServer]:
        """Serve over real HTTP on loopback; the API base is ``server.url + BASE_PATH``."""
        with serve(
            functools.partial(self._handle, served=True), host, port, websocket=self._websocket
        ) as server:
            yield server

    # -- what was received -------------------------------------------------------------------

    @property
    def handshakes(self) -> list[RecordedRequest]:
        """Every WebSocket upgrade request, accepted or refused, oldest first (a copy)."""
        with self._lock:
            return list(self._handshakes)

    @property
    def pending(self) -> int:
        """How many scripted outcomes are still waiting for a request."""
        with self._lock:
            return len(self._script)

    def reset(self) -> None:
        """Forget received requests, the script and the prompt cache."""
        with self._lock:
            self._requests.clear()
            self._script.clear()
            self._prompts.clear()
            self._handshakes.clear()

    # -- the handler -------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request, as the backend (or, for auth paths, the issuer) would."""
        return self._handle(request, served=False)

    def _handle(self, request: httpx.Request, *, served: bool) -> httpx.Response:
        path = request.url.path
        if path.startswith(_AUTH_PREFIXES):
            if self.issuer is None:
                return _json(404, {"detail": "Not Found"})
            return self.issuer.handle(request)
        encoding = request.headers.get("content-encoding")
        undecodable: httpx.Response | None = None
        try:
            content = decode_body(request.content, encoding)
        except _Rejected as rejected:
            content, undecodable = b"", rejected.response
        recorded = RecordedRequest(
            method=request.method,
            path=path,
            headers=request.headers,
            json=parse_json(content),
            query=dict(request.url.params),
            content_encoding=encoding,
            wire_size=len(request.content),
        )
        with self._lock:
            self._requests.append(recorded)
        if undecodable is not None:
            return undecodable
        endpoint = path[len(BASE_PATH) :] if path.startswith(BASE_PATH) else None
        try:
            if endpoint == "/chat/completions":
                # The backend has no Chat Completions path; Cloudflare answers first.
                return httpx.Response(
                    403,
                    headers={"content-type": "text/html; charset=UTF-8", "server": "cloudflare"},
                    text=_CLOUDFLARE_403,
                )
            if endpoint == "/responses":
                _require_method(request, "POST")
                self._authenticate(request)
                return self._delayed(self._responses(recorded, served), served)
            if endpoint == "/models":
                _require_method(request, "GET")
                self._authenticate(request)
                return models_response(
                    self.models, recorded, functools.partial(self._next_id, "req")
                )
            return _json(404, {"detail": "Not Found"})
        except _Rejected as rejected:
            return rejected.response

    def _authenticate(self, request: httpx.Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        valid = scheme.lower() == "bearer" and bool(token)
        if valid and token != self.access_token:
            valid = self.issuer is not None and self.issuer.is_valid_access_token(token)
        if not valid:
            # Emulation choice: the body the public API gives for an expired token.
            message = (
                "Your authentication token has expired. Please try signing in again."
                if token
                else "Missing bearer authentication in header"
            )
            raise _Rejected(
                _json(
                    401,
                    {
                        "error": {
                            "message": message,
                            "type": "invalid_request_error",
                            "param": None,
                            "code": "token_expired",
                        }
                    },
                )
            )
        claimed = request.headers.get("chatgpt-account-id")
        auth = jwt_claims(token).get(AUTH_CLAIM)
        owner = auth.get("chatgpt_account_id") if isinstance(auth, dict) else None
        if claimed is not None and claimed != (owner or self.account_id):
            # Emulation choice: 403 (the token is fine, the account is not), so that a client's
            # 401 refresh-and-retry does not loop on a mismatch a refresh cannot fix.
            raise _Rejected(
                _json(403, {"detail": "The ChatGPT-Account-Id header does not match the token."})
            )

    def _delayed(self, response: httpx.Response, served: bool) -> httpx.Response:
        if self.latency:
            if served:
                delay = float(response.extensions.get(HEADERS_DELAY) or 0)
                response.extensions[HEADERS_DELAY] = delay + self.latency
            else:
                time.sleep(self.latency)
        return response

    def _responses(
        self, recorded: RecordedRequest, served: bool, body: Any = None
    ) -> httpx.Response:
        body = recorded.json if body is None else body
        if not isinstance(body, dict):
            raise _Rejected(_json(400, {"detail": "Request body must be a JSON object"}))
        shape = validate_responses(body, recorded.headers, self.models)
        prompt = json.dumps(
            [body.get("instructions"), body.get("tools") or [], body["input"]], ensure_ascii=False
        )
        cache_key = body.get("prompt_cache_key")
        with self._lock:
            outcome = self._script.popleft() if self._script else None
            cached = 0
            if isinstance(cache_key, str):
                # Prompt cache: the prefix this key's previous prompt shares with this one.
                cached = _shared_prefix(self._prompts.get(cache_key, ""), prompt)
                self._prompts[cache_key] = prompt
        turn = Turn(
            request=recorded,
            body=body,
            response_id=self._next_id("resp"),
            created_at=int(time.time()),
            input_tokens=sse.estimate_tokens(prompt),
            cached_tokens=cached // 4,
            served=served,
            namespaces=shape.namespaces,
        )
        if outcome is None:
            outcome = self._default_outcome
        return outcome(turn)


def _require_method(request: httpx.Request, method: str) -> None:
    if request.method != method:
        raise _Rejected(_json(405, {"detail": "Method Not Allowed"}))


def _shared_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix (binary search: slice compares run in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
