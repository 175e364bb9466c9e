"""``FakeChatGPTBackend``: an emulator of the Codex backend, as strict as the real one.

It is one thread-safe httpx-style handler (``httpx.Request -> httpx.Response``): in-process through
``httpx.MockTransport``, or over real HTTP on loopback through ``chatgpt_sdk._fake.server``. It
enforces the request rules of WIRE.md 3.5 and, for Responses Lite models, 3.6 with the recorded
status codes and texts (``chatgpt_sdk._fake.rules``; a fake laxer than the backend would hide
client bugs), streams the event sequences of WIRE.md 4, and replies from a FIFO script of
outcomes, falling back to a deterministic echo. It follows today's backend as Codex 0.171.0 meets
it (``../shared/reference/captures/``): the 0.171.0 catalog, optional ``instructions``, client ids
on input items, zstd request bodies.

Where the real behaviour is unrecorded, the choice made here is marked "emulation choice".
"""

from __future__ import annotations

import asyncio
import base64
import copy
import functools
import hashlib
import itertools
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from chatgpt_sdk._fake import sse
from chatgpt_sdk._fake.rules import UNSUPPORTED_PARAMETERS, decode_body, validate_responses
from chatgpt_sdk._fake.rules import Rejected as _Rejected
from chatgpt_sdk._fake.rules import json_response as _json
from chatgpt_sdk._fake.server import HEADERS_DELAY, DropConnection, LoopbackServer, serve
from chatgpt_sdk._fake.websocket import Peer, SSEPayloads, UpgradeChannel
from chatgpt_sdk.auth._credentials import AUTH_CLAIM, jwt_claims
from chatgpt_sdk.catalog import ModelCatalog
from chatgpt_sdk.models import catalog_snapshot

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

BASE_PATH = "/backend-api/codex"
WEBSOCKET_MAX_AGE = 3600.0  # [source] a Responses WebSocket connection lasts at most 60 minutes
CONNECTION_LIMIT_MESSAGE = (
    "Responses websocket connection limit reached (60 minutes). Create a new websocket "
    "connection to continue."
)  # [source]
DEFAULT_BASE_URL = "https://chatgpt.fake" + BASE_PATH
_AUTH_PREFIXES = ("/oauth/", "/api/accounts/")


def _model_entry(slug: str, display: str, priority: int, minimal: list[int]) -> dict[str, Any]:
    efforts = ("low", "medium", "high", "xhigh")
    return {
        "slug": slug,
        "display_name": display,
        "description": f"{display}: a fake catalog entry.",
        "default_reasoning_level": "medium",
        "supported_reasoning_levels": [
            {"effort": effort, "description": f"{effort.capitalize()} reasoning effort"}
            for effort in efforts
        ],
        "shell_type": "shell_command",
        "visibility": "list",
        "supported_in_api": True,
        "priority": priority,
        "upgrade": None,
        "base_instructions": "You are a helpful assistant.",
        "supports_reasoning_summaries": True,
        "default_reasoning_summary": "none",
        "support_verbosity": True,
        "default_verbosity": "low",
        "apply_patch_tool_type": None,
        "truncation_policy": {"mode": "tokens", "limit": 10000},
        "supports_parallel_tool_calls": True,
        "context_window": 272000,
        "experimental_supported_tools": [],
        "input_modalities": ["text", "image"],
        "minimal_client_version": minimal,
        "additional_speed_tiers": ["fast"],
        "use_responses_lite": False,
    }


def _from_snapshot(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A built-in catalog entry, completed with the fuller fields of ``_model_entry``.

    Emulation choices for what the snapshot leaves out: a Lite model needs the client version of
    the catalog that ships it, the classic gpt-5.5 the 0.125 it was the default of; Lite models do
    not support parallel tool calls (Codex sends ``parallel_tool_calls: false`` for them).
    """
    lite = snapshot.get("use_responses_lite") is True
    minimal = _version_list(catalog_snapshot.CLIENT_VERSION) if lite else [0, 125, 0]
    entry = _model_entry(
        str(snapshot["slug"]),
        str(snapshot.get("display_name") or snapshot["slug"]),
        int(snapshot.get("priority") or 0),
        minimal,
    )
    if lite:
        entry["supports_parallel_tool_calls"] = False
    entry.update(copy.deepcopy(dict(snapshot)))
    # The snapshot keeps only each level's effort; the real catalog describes each one.
    entry["supported_reasoning_levels"] = [
        {"description": f"{str(level.get('effort')).capitalize()} reasoning effort"} | level
        for level in entry["supported_reasoning_levels"]
    ]
    return entry


def _version_list(text: str) -> list[int]:
    return [int(piece) for piece in text.split(".")]


DEFAULT_MODELS: tuple[dict[str, Any], ...] = (
    *(_from_snapshot(model) for model in catalog_snapshot.MODELS),
    _model_entry("gpt-5.4", "GPT-5.4", 14, [0, 99, 0]),
    _model_entry("gpt-5.2", "GPT-5.2", 15, [0, 60, 0]),
)
"""The default ``GET /models`` catalog (WIRE.md 6 shape): Codex 0.171.0's 14 models (13 Responses
Lite, ``gpt-5.5`` classic) from ``chatgpt_sdk.models.catalog_snapshot``, plus the older classic
``gpt-5.4`` and ``gpt-5.2``. Copy and edit to configure."""

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


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the backend received it.

    ``json`` is the body decoded (content-encoding undone) and parsed, or None; ``content_encoding``
    the request's ``content-encoding`` header; ``wire_size`` the body's size in bytes on the wire.

    A request that came as a WebSocket frame has ``transport == "websocket"`` and ``method``
    ``"WEBSOCKET"``; ``json`` is the frame as sent (``{"type": "response.create", ...}``),
    ``headers`` the upgrade request's plus the frame's ``client_metadata.ws_request_header_*``
    (the headers the request carried in effect), ``wire_size`` the frame's size before
    permessage-deflate, ``connection`` the connection's number (1, 2, ...) and ``input`` the
    whole input once the ``previous_response_id`` chain is resolved.
    """

    method: str
    path: str
    headers: httpx.Headers
    json: Any
    query: dict[str, str]
    content_encoding: str | None = None
    wire_size: int = 0
    transport: str = "http"
    connection: int | None = None
    input: Any = None


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


@dataclass(frozen=True)
class _Pause:
    seconds: float


class _Drop:
    pass


_Part = bytes | _Pause | _Drop


class _SSEBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body for sync and async clients alike (one handler serves both).

    A cut raises ``drop``: ``DropConnection`` when served (the server closes the socket), or,
    in-process, the very error httpx raises when a peer cuts a chunked body.
    """

    def __init__(
        self, parts: Sequence[_Part], chunk_size: int | None, drop: type[Exception]
    ) -> None:
        self._parts = parts
        self._chunk_size = chunk_size
        self._drop = drop

    def _chunks(self) -> Iterator[_Part]:
        size = self._chunk_size
        if size is None:
            yield from self._parts
            return
        buffer = bytearray()
        for part in self._parts:
            if isinstance(part, bytes):
                buffer += part
                while len(buffer) >= size:
                    yield bytes(buffer[:size])
                    del buffer[:size]
                continue
            if buffer:
                yield bytes(buffer)
                buffer.clear()
            yield part
        if buffer:
            yield bytes(buffer)

    def _cut(self) -> Exception:
        return self._drop(
            "peer closed connection without sending complete message body (incomplete chunked read)"
        )

    def __iter__(self) -> Iterator[bytes]:
        for part in self._chunks():
            if isinstance(part, bytes):
                yield part
            elif isinstance(part, _Pause):
                time.sleep(part.seconds)
            else:
                raise self._cut()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self._chunks():
            if isinstance(part, bytes):
                yield part
            elif isinstance(part, _Pause):
                await asyncio.sleep(part.seconds)
            else:
                raise self._cut()


@dataclass(frozen=True)
class _Turn:
    """What an outcome needs to answer one valid ``POST /responses``."""

    request: RecordedRequest
    body: dict[str, Any]
    response_id: str
    created_at: int
    input_tokens: int
    cached_tokens: int
    served: bool
    namespaces: Mapping[str, str]

    @property
    def model(self) -> str:
        return str(self.body["model"])

    def usage(self, override: sse.UsageOverride) -> sse.UsageOverride:
        """The prompt-side counts of this request, then ``override``."""
        counts: sse.UsageOverride = {
            "input_tokens": self.input_tokens,
            "cached_tokens": self.cached_tokens,
        }
        counts.update(override)
        return counts


_Outcome = Callable[[_Turn], httpx.Response]
Responder = Callable[[RecordedRequest], Sequence[sse.Event] | bytes]


class FakeChatGPTBackend:
    """An emulator of ``https://chatgpt.com/backend-api/codex`` for tests, benchmarks and demos.

    Plug it into a client (``client()``, ``async_client()``, ``transport()``) or serve it on a
    loopback port (``serve()``). Script what the next ``POST /responses`` gets with ``reply``,
    ``reply_events``, ``reply_raw``, ``error``, ``usage_limit``, ``drop_after``, ``failed``,
    ``incomplete``, ``malformed_line``, ``stall`` and ``stall_headers`` (first in, first out); with
    nothing scripted, the reply echoes the last user text (or comes from ``responder``). Every
    request to the Codex paths is recorded in ``requests`` (``GET /models`` calls included: count
    them there); auth paths go to ``issuer`` and are not recorded.

    A model whose catalog entry has ``use_responses_lite: true`` takes the Lite shape only (WIRE.md
    3.6): tool calls in a reply to it carry the ``namespace`` their tool was declared in.

    ``chunk_size=None`` sends one network chunk per event, as the backend flushes them; a number
    re-slices the body into chunks of that many bytes, splitting events (and UTF-8 characters)
    across chunks to exercise clients' decoders, or coalescing them for speed.
    """

    base_url = DEFAULT_BASE_URL

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
        self._script: deque[_Outcome] = deque()
        self._requests: list[RecordedRequest] = []
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
    def requests(self) -> list[RecordedRequest]:
        """Every request to the Codex paths, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def handshakes(self) -> list[RecordedRequest]:
        """Every WebSocket upgrade request, accepted or refused, oldest first (a copy)."""
        with self._lock:
            return list(self._handshakes)

    @property
    def last_request(self) -> RecordedRequest:
        with self._lock:
            if not self._requests:
                raise LookupError("the fake backend has received no request yet")
            return self._requests[-1]

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

    # -- scripting ---------------------------------------------------------------------------

    def reply(
        self,
        text: str | None = None,
        *,
        reasoning_summary: str | Sequence[str] | None = None,
        tool_calls: Sequence[sse.ToolCallSpec] = (),
        usage: sse.UsageOverride | None = None,
        deltas: Sequence[str] | None = None,
        completed_output_empty: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer with a streamed reply: optional reasoning, a message, tool calls.

        ``tool_calls`` holds ``(name, arguments_json)`` pairs (or triples with a call id) for
        function calls and ``sse.CustomToolCall(name, input, call_id=None)`` for custom tool
        calls, in output order. Replying to a Responses Lite request, a call whose tool the
        request's ``additional_tools`` declare in a namespace carries ``"namespace": <its name>``
        (``"functions"`` for Codex's default one). ``deltas`` splits the text explicitly;
        ``reasoning_summary`` may hold several parts.
        """
        self._push(
            functools.partial(
                self._stream_reply,
                spec=_ReplySpec(
                    text, reasoning_summary, tool_calls, deltas, completed_output_empty
                ),
                usage=usage or {},
                headers=headers or {},
            )
        )

    def reply_events(
        self, events: Sequence[sse.Event], *, headers: Mapping[str, str] | None = None
    ) -> None:
        """Answer with exactly these events (no envelope or numbering is added)."""
        body = [sse.encode_event(event) for event in events]
        self._push(lambda turn: self._stream(turn, body, headers or {}))

    def reply_raw(self, body: bytes, *, headers: Mapping[str, str] | None = None) -> None:
        """Answer with these SSE bytes verbatim, e.g. a recorded stream."""
        self._push(lambda turn: self._stream(turn, [body], headers or {}))

    def error(
        self,
        status: int,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer with an HTTP error: a dict is sent as JSON, text or bytes as they are."""
        self._push(lambda turn: self._error(status, body, headers or {}, turn))

    def usage_limit(
        self,
        plan_type: str = "plus",
        resets_in_seconds: int = 18000,
        resets_at: int | None = None,
    ) -> None:
        """Answer 429 ``usage_limit_reached`` (WIRE.md 5.2), with exhausted rate-limit headers."""

        def outcome(turn: _Turn) -> httpx.Response:
            now = int(time.time())
            reset_at = resets_at if resets_at is not None else now + resets_in_seconds
            reset_in = max(reset_at - now, 0)
            headers = {
                **self.rate_limits,
                "x-codex-plan-type": plan_type,
                "x-codex-primary-used-percent": "100.0",
                "x-codex-primary-reset-at": str(reset_at),
                "x-codex-primary-reset-after-seconds": str(reset_in),
            }
            body = {
                "error": {
                    "type": "usage_limit_reached",
                    "message": "The usage limit has been reached",
                    "plan_type": plan_type,
                    "resets_at": reset_at,
                    "resets_in_seconds": reset_in,
                    "eligible_promo": None,
                }
            }
            return self._error(429, body, headers, turn)

        self._push(outcome)

    def drop_after(
        self, n_events: int, text: str = "This reply is cut short by a dropped connection."
    ) -> None:
        """Send the first ``n_events`` of a text reply, then cut the connection."""
        self._push(functools.partial(self._cut_reply, text=text, after=n_events, cut=_Drop()))

    def stall(
        self, seconds: float, *, after_events: int = 2, text: str = "A reply after a long pause."
    ) -> None:
        """Send ``after_events`` events of a text reply, go silent for ``seconds``, then finish."""
        self._push(
            functools.partial(self._cut_reply, text=text, after=after_events, cut=_Pause(seconds))
        )

    def stall_headers(self, seconds: float, *, text: str = "A reply after a silent start.") -> None:
        """Accept the request, send nothing for ``seconds``, then reply ``text`` normally.

        Served (``serve()``), the status line and headers wait, which is what a client's connect
        or read timeout meets; the wait ends early when the server shuts down. In-process the
        handler just sleeps before returning.
        """

        def outcome(turn: _Turn) -> httpx.Response:
            response = self._stream_reply(turn, spec=_ReplySpec(text), usage={}, headers={})
            if turn.served:
                response.extensions[HEADERS_DELAY] = seconds
            else:
                time.sleep(seconds)
            return response

        self._push(outcome)

    def malformed_line(
        self,
        data: str = '{"type":"response.output_text.delta","delta":"unterminated',
        *,
        after_events: int = 4,
        text: str = "A reply with a broken line in it.",
    ) -> None:
        """Insert a ``data:`` line that is not JSON after ``after_events`` events of a text reply."""
        frame = sse.encode_data(data, "response.output_text.delta")
        self._push(functools.partial(self._cut_reply, text=text, after=after_events, cut=frame))

    def failed(
        self,
        code: str = "server_is_overloaded",
        message: str = "Our servers are currently overloaded. Please try again later.",
        *,
        text: str | None = None,
    ) -> None:
        """Answer 200 with a stream ending in ``response.failed`` (after ``text``'s deltas, if any)."""

        def outcome(turn: _Turn) -> httpx.Response:
            events = sse.failed_events(
                code,
                message,
                response_id=turn.response_id,
                model=turn.model,
                created_at=turn.created_at,
                text=text,
                response_fields=_echoed_fields(turn.body),
            )
            return self._stream(turn, [sse.encode_event(e) for e in events], {})

        self._push(outcome)

    def incomplete(
        self, reason: str = "max_output_tokens", text: str = "This answer stops in the mid"
    ) -> None:
        """Answer with a reply that ends in ``response.incomplete`` with ``reason``."""
        self._push(
            functools.partial(
                self._stream_reply,
                spec=_ReplySpec(text, None, (), None, True, incomplete_reason=reason),
                usage={},
                headers={},
            )
        )

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
            json=_parse_json(content),
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
                return self._models(recorded)
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

    def _models(self, recorded: RecordedRequest) -> httpx.Response:
        client_version = recorded.query.get("client_version")
        if not client_version:
            # Emulation choice: Codex always sends it, so a client that does not is refused.
            return _json(400, {"detail": "client_version is required"})
        models = self.models
        version = _parse_version(client_version)
        if version is not None:
            models = [m for m in models if tuple(m.get("minimal_client_version") or ()) <= version]
        content = json.dumps({"models": models}).encode()
        etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
        headers = {"etag": etag, "x-request-id": self._next_id("req")}
        if _etag_matches(recorded.headers.get("if-none-match"), etag):
            return httpx.Response(304, headers=headers)
        return httpx.Response(
            200, headers={"content-type": "application/json", **headers}, content=content
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
        turn = _Turn(
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

    # -- outcomes ----------------------------------------------------------------------------

    def _default_outcome(self, turn: _Turn) -> httpx.Response:
        if self.responder is not None:
            answer = self.responder(turn.request)
            if isinstance(answer, bytes):
                return self._stream(turn, [answer], {})
            return self._stream(turn, [sse.encode_event(e) for e in answer], {})
        text = _last_user_text(turn.body["input"])
        return self._stream_reply(
            turn,
            spec=_ReplySpec(f"You said: {text}" if text else "You said nothing."),
            usage={},
            headers={},
        )

    def _reply_events(
        self, turn: _Turn, spec: _ReplySpec, usage: sse.UsageOverride
    ) -> list[sse.Event]:
        return sse.reply_events(
            spec.text,
            response_id=turn.response_id,
            model=turn.model,
            created_at=turn.created_at,
            deltas=spec.deltas,
            reasoning_summary=spec.reasoning_summary,
            tool_calls=spec.tool_calls,
            usage=turn.usage(usage),
            completed_output_empty=spec.completed_output_empty,
            incomplete_reason=spec.incomplete_reason,
            response_fields=_echoed_fields(turn.body),
            namespaces=turn.namespaces,
        )

    def _stream_reply(
        self, turn: _Turn, *, spec: _ReplySpec, usage: sse.UsageOverride, headers: Mapping[str, str]
    ) -> httpx.Response:
        events = self._reply_events(turn, spec, usage)
        return self._stream(turn, [sse.encode_event(e) for e in events], headers)

    def _cut_reply(self, turn: _Turn, *, text: str, after: int, cut: _Part) -> httpx.Response:
        events = [sse.encode_event(e) for e in self._reply_events(turn, _ReplySpec(text), {})]
        rest = [] if isinstance(cut, _Drop) else events[after:]
        return self._stream(turn, [*events[:after], cut, *rest], {})

    def _stream(
        self, turn: _Turn, parts: Sequence[_Part], headers: Mapping[str, str]
    ) -> httpx.Response:
        return httpx.Response(
            200,
            headers={
                "content-type": "text/event-stream",
                "x-request-id": self._next_id("req"),
                "openai-model": turn.model,
                **self.rate_limits,
                **headers,
            },
            stream=_SSEBody(
                parts,
                self.chunk_size,
                DropConnection if turn.served else httpx.RemoteProtocolError,
            ),
        )

    def _error(
        self, status: int, body: Any, headers: Mapping[str, str], turn: _Turn
    ) -> httpx.Response:
        base = {"x-request-id": self._next_id("req")}
        if status == 429:
            base.update(self.rate_limits)
        if body is None:
            body = {"detail": httpx.codes.get_reason_phrase(status) or "Error"}
        if isinstance(body, (str, bytes)):
            content = body.encode() if isinstance(body, str) else body
            return httpx.Response(
                status, headers={"content-type": "text/plain", **base, **headers}, content=content
            )
        return _json(status, body, headers={**base, **headers})

    # -- the WebSocket transport (served) -----------------------------------------------------

    def _websocket(self, request: httpx.Request, channel: UpgradeChannel) -> None:
        """One upgrade request and, once accepted, the connection's frames until it closes."""
        path = request.url.path
        with self._lock:
            self._handshakes.append(
                RecordedRequest(
                    method=request.method,
                    path=path,
                    headers=request.headers,
                    json=None,
                    query=dict(request.url.params),
                    transport="websocket",
                )
            )
        if path != BASE_PATH + "/responses":
            channel.refuse(_json(404, {"detail": "Not Found"}))
            return
        if not self.websocket:
            # A backend (or a proxy in front of it) without the WebSocket transport; Codex falls
            # back to HTTP on this status. Emulation choice: the body.
            channel.refuse(_json(426, {"detail": "Upgrade Required"}))
            return
        try:
            self._authenticate(request)  # emulation choice: the upgrade answers 401/403 as HTTP
        except _Rejected as rejected:
            channel.refuse(rejected.response)
            return
        peer = channel.accept()
        session = _Connection(
            number=next(self._connections),
            opened=time.monotonic(),
            headers=request.headers,
            stopping=channel.stopping,
        )
        while not peer.closed:
            message = peer.recv()
            if message is None or not self._ws_message(peer, session, message):
                return

    def _ws_message(self, peer: Peer, session: _Connection, message: bytes) -> bool:
        """Answer one client message; False once the connection is over."""
        try:
            frame = json.loads(message)
        except ValueError:
            frame = None
        if not isinstance(frame, dict) or frame.get("type") != "response.create":
            # Emulation choice: the text; the status is the one for malformed requests.
            kind = frame.get("type") if isinstance(frame, dict) else None
            return _ws_error(
                peer,
                400,
                {
                    "type": "invalid_request_error",
                    "message": f"Unsupported message type: {kind!r}; expected 'response.create'.",
                },
            )
        body = {k: v for k, v in frame.items() if k not in _WS_ONLY_FIELDS}
        previous = frame.get("previous_response_id")
        items = body.get("input")
        chain = session.chains.get(previous) if isinstance(previous, str) else None
        if isinstance(items, list):
            body["input"] = [*(chain or ()), *items]
        headers = httpx.Headers(session.headers)
        metadata = frame.get("client_metadata")
        if isinstance(metadata, dict):
            for name, value in metadata.items():
                if name.startswith(_WS_HEADER_PREFIX) and isinstance(value, str):
                    headers[name[len(_WS_HEADER_PREFIX) :].replace("_", "-")] = value
        recorded = RecordedRequest(
            method="WEBSOCKET",
            path=BASE_PATH + "/responses",
            headers=headers,
            json=frame,
            query={},
            wire_size=len(message),
            transport="websocket",
            connection=session.number,
            input=body.get("input"),
        )
        with self._lock:
            self._requests.append(recorded)
        if time.monotonic() - session.opened >= self.websocket_max_age:
            _ws_error(
                peer,
                400,
                {
                    "type": "invalid_request_error",
                    "code": "websocket_connection_limit_reached",
                    "message": CONNECTION_LIMIT_MESSAGE,
                },
            )
            peer.close()  # emulation choice: the backend ends the connection after saying so
            return False
        if previous is not None and chain is None:
            # The public API's code and text; a chain lives only on its own connection.
            return _ws_error(
                peer,
                400,
                {
                    "type": "invalid_request_error",
                    "code": "previous_response_not_found",
                    "message": f"Previous response with id '{previous}' not found.",
                    "param": "previous_response_id",
                },
            )
        if self.strict_chaining and previous is None and isinstance(items, list):
            last = session.chains.get(session.last or "")
            if (
                last
                and len(items) >= len(last)
                and all(_loose(a) == _loose(b) for a, b in zip(items, last, strict=False))
            ):
                return _ws_error(
                    peer,
                    400,
                    {
                        "type": "invalid_request_error",
                        "message": f"strict_chaining: the input repeats the {len(last)} items "
                        f"this connection holds as {session.last}; send previous_response_id "
                        "and only the new items.",
                    },
                )
        try:
            if frame.get("generate") is False:
                response = self._prewarm(recorded, body)
            else:
                response = self._responses(recorded, True, body)
        except _Rejected as rejected:
            response = rejected.response
        return self._ws_reply(peer, session, body, self._delayed(response, True))

    def _prewarm(self, recorded: RecordedRequest, body: dict[str, Any]) -> httpx.Response:
        """``generate: false``: the request is checked and its prompt cached; nothing is
        generated (emulation choice: ``response.created`` then an empty ``response.completed``)."""
        validate_responses(body, recorded.headers, self.models)
        prompt = json.dumps(
            [body.get("instructions"), body.get("tools") or [], body["input"]], ensure_ascii=False
        )
        cache_key = body.get("prompt_cache_key")
        if isinstance(cache_key, str):
            with self._lock:
                self._prompts[cache_key] = prompt
        response_id, created_at = self._next_id("resp"), int(time.time())
        fields = _echoed_fields(body)
        events = [
            {
                "type": "response.created",
                "response": sse.response_object(
                    response_id, model=str(body["model"]), created_at=created_at, fields=fields
                ),
            },
            {
                "type": "response.completed",
                "response": sse.response_object(
                    response_id,
                    model=str(body["model"]),
                    created_at=created_at,
                    status="completed",
                    usage=sse.usage_object(0, 0),
                    fields=fields,
                ),
            },
        ]
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream", **self.rate_limits},
            stream=_SSEBody(
                [sse.encode_event(e) for e in sse.numbered(events)], None, DropConnection
            ),
        )

    def _ws_reply(
        self, peer: Peer, session: _Connection, body: dict[str, Any], response: httpx.Response
    ) -> bool:
        """Send an answer built for HTTP as frames: an ``error`` frame for a status, else a
        ``codex.rate_limits`` frame and the events; pauses and cuts as scripted."""
        delay = response.extensions.get(HEADERS_DELAY)
        if delay and session.stopping.wait(float(delay)):
            return False
        if response.status_code != 200:
            content = response.read()
            return _ws_error(
                peer,
                response.status_code,
                _error_object(content),
                {
                    k: v
                    for k, v in response.headers.items()
                    if k.startswith("x-") or k.startswith("retry-after")
                },
            )
        limits = _rate_limits_frame(response.headers)
        if limits is not None and not peer.send(limits):
            return False
        stream = response.stream
        parts: Iterator[_Part] = (
            stream._chunks() if isinstance(stream, _SSEBody) else iter([response.read()])
        )
        payloads = SSEPayloads()
        done: dict[int, Any] = {}
        for part in parts:
            if isinstance(part, _Pause):
                if session.stopping.wait(part.seconds):
                    return False
                continue
            if isinstance(part, _Drop):
                peer.abort()
                return False
            for data in payloads.feed(part):
                if not peer.send(data):
                    return False
                session.follow(data, body, done)
        return True

    # -- helpers -----------------------------------------------------------------------------

    def _push(self, outcome: _Outcome) -> None:
        with self._lock:
            self._script.append(outcome)

    def _next_id(self, prefix: str) -> str:
        # Unique across fake instances (as the backend's are): tests sharing one response store
        # must not find another fake's ``msg_...`` under the same id.
        return f"{prefix}_{self._id_base}{next(self._ids):08x}"


@dataclass(frozen=True)
class _ReplySpec:
    text: str | None = None
    reasoning_summary: str | Sequence[str] | None = None
    tool_calls: Sequence[sse.ToolCallSpec] = ()
    deltas: Sequence[str] | None = None
    completed_output_empty: bool = True
    incomplete_reason: str | None = None


def _require_method(request: httpx.Request, method: str) -> None:
    if request.method != method:
        raise _Rejected(_json(405, {"detail": "Method Not Allowed"}))


def _parse_json(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


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


def _etag_matches(header: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as for GET)."""
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def _parse_version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(piece) for piece in text.split(".")) if text else None
    except ValueError:
        return None


def _echoed_fields(body: Mapping[str, Any]) -> sse.Event:
    """The request fields a real ``response`` object repeats (WIRE.md 4.2: cut down there)."""
    reasoning = body.get("reasoning") or {}
    return {
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": None,
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": None,
        "prompt_cache_key": body.get("prompt_cache_key"),
        "reasoning": {"effort": reasoning.get("effort"), "summary": reasoning.get("summary")},
        "service_tier": body.get("service_tier") or "auto",
        "store": False,
        "temperature": 1.0,
        "text": body.get("text") or {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools") or [],
        "top_p": 1.0,
        "truncation": "disabled",
        "user": None,
        "metadata": {},
    }


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


_WS_ONLY_FIELDS = ("type", "previous_response_id", "generate")
_WS_HEADER_PREFIX = "ws_request_header_"
_MAX_CHAINS = 64  # responses a connection keeps (emulation choice; Codex chains to the last)


@dataclass
class _Connection:
    """One accepted WebSocket: its number, age, upgrade headers and the responses it holds."""

    number: int
    opened: float
    headers: httpx.Headers
    stopping: threading.Event
    last: str | None = None
    chains: dict[str, list[Any]] = field(default_factory=dict)

    def follow(self, data: bytes, body: Mapping[str, Any], done: dict[int, Any]) -> None:
        """Keep what the server holds after a completed response: its input and output."""
        if b"response.output_item.done" not in data[:64] and b"response.completed" not in data[:64]:
            return
        try:
            event = json.loads(data)
        except ValueError:
            return
        if event.get("type") == "response.output_item.done":
            done[int(event.get("output_index", len(done)))] = event.get("item")
        elif event.get("type") == "response.completed":
            response = event.get("response") or {}
            output = response.get("output") or [done[i] for i in sorted(done)]
            if isinstance(body.get("input"), list) and isinstance(response.get("id"), str):
                self.chains[response["id"]] = [*body["input"], *output]
                self.last = response["id"]
                while len(self.chains) > _MAX_CHAINS:
                    del self.chains[next(iter(self.chains))]


def _loose(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    return {k: v for k, v in item.items() if k not in ("id", "status", "namespace")}


def _ws_error(
    peer: Peer, status: int, error: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> bool:
    """An ``error`` frame (Codex's shape: status, error body, headers); False if the peer left."""
    frame: dict[str, Any] = {"type": "error", "status": status, "error": dict(error)}
    if headers:
        frame["headers"] = dict(headers)
    return peer.send(json.dumps(frame).encode())


def _error_object(content: bytes) -> dict[str, Any]:
    """The ``error`` of an error frame, from the body the HTTP answer would have had."""
    try:
        data = json.loads(content)
    except ValueError:
        data = None
    if isinstance(data, dict):
        if isinstance(data.get("error"), dict):
            return dict(data["error"])
        detail = data.get("detail")
        if detail is not None:
            message = detail if isinstance(detail, str) else json.dumps(detail)
            return {"type": "invalid_request_error", "message": message}
    return {"type": "error", "message": content.decode("utf-8", "replace")}


def _rate_limits_frame(headers: httpx.Headers) -> bytes | None:
    """The ``codex.rate_limits`` frame carrying what the rate-limit headers say (the shape of
    Codex's ``parse_rate_limit_event``)."""

    def window(which: str) -> dict[str, Any] | None:
        used = headers.get(f"x-codex-{which}-used-percent")
        if used is None:
            return None
        try:
            minutes = headers.get(f"x-codex-{which}-window-minutes")
            reset = headers.get(f"x-codex-{which}-reset-at")
            return {
                "used_percent": float(used),
                "window_minutes": int(minutes) if minutes else None,
                "reset_at": int(reset) if reset else None,
            }
        except ValueError:
            return None

    primary, secondary = window("primary"), window("secondary")
    if primary is None and secondary is None:
        return None
    frame = {
        "type": "codex.rate_limits",
        "plan_type": headers.get("x-codex-plan-type"),
        "rate_limits": {"primary": primary, "secondary": secondary},
    }
    return json.dumps(frame).encode()
