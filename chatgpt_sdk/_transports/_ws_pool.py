"""What the sync and async WebSocket transports share: the pool's bookkeeping, no I/O.

Connections are keyed by what their upgrade request said (URL, account, conversation, model
hint, the caller's extra headers; not the token). A request takes the idle connection whose last
response its input continues (``Chain``), else the least recently used idle one, else a new one.
Methods hand back the connections to close; the transports close them their own way.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

import httpx

from chatgpt_sdk import errors
from chatgpt_sdk._transports import FallBack
from chatgpt_sdk._transports._frames import (
    CONNECT_TIMEOUT,
    MAX_AGE,
    Chain,
    ErrorFrame,
    rate_limits_from_frame,
)

if TYPE_CHECKING:
    from chatgpt_sdk._core import Core
    from chatgpt_sdk.streaming import StreamState

__all__ = [
    "IDLE_EXPIRY",
    "MAX_FAILURES",
    "MAX_IDLE",
    "Connection",
    "WebSocketPool",
    "refused_status",
]

log = logging.getLogger("chatgpt_sdk")

MAX_FAILURES = 3  # connection failures in a row after which ``auto`` gives up on the WebSocket
# Idle connections kept per client: enough for a service's concurrent callers (with 16, 30
# callers reopened 14 connections every wave); past it the least recently used go first.
MAX_IDLE = 100
# An idle connection unused this long is closed when the pool is next used: long enough to keep
# an agent loop's chain across a slow tool call, short enough that a burst's sockets do not
# linger for the connection's hour.
IDLE_EXPIRY = 300.0
CLOSE_TIMEOUT = 2.0
# Statuses an upgrade may be answered with that are the backend's verdict on the request, mapped
# like HTTP answers (a 401 refreshes, a 429 is the usage limit, 5xx retry); any other status says
# this endpoint takes no WebSocket (426 Upgrade Required, 404, 405, a 200 page...).
_VERDICTS = frozenset({401, 403, 408, 409, 429})


def refused_status(status: int) -> bool:
    return status not in _VERDICTS and status < 500


def open_timeout(timeout: httpx.Timeout | None) -> float:
    """The connect timeout: the request's, at most Codex's 15 s."""
    limit = timeout.connect if timeout is not None else None
    return min(CONNECT_TIMEOUT, limit) if limit else CONNECT_TIMEOUT


class Connection:
    """One pooled WebSocket and what it holds."""

    __slots__ = ("chain", "created", "key", "last_used", "loop", "ws")

    def __init__(self, ws: Any, key: tuple[str, ...], loop: Any = None) -> None:
        self.ws = ws
        self.key = key
        self.loop = loop  # the event loop an async connection belongs to
        self.created = self.last_used = time.monotonic()
        self.chain: Chain | None = None

    @property
    def url(self) -> str:
        return self.key[0]


class WebSocketPool:
    """The pool and the transport's state: fallen back or not, failures in a row, counters."""

    name = "websocket"

    def __init__(self, core: Core, *, fallback: bool, max_age: float = MAX_AGE) -> None:
        self._core = core
        self._fallback = fallback
        self.max_age = max_age
        self.fell_back = False
        self._idle: dict[tuple[str, ...], list[Connection]] = {}
        self._lock = threading.Lock()
        self._connected_once = False
        self._failures = 0
        self._closed = False
        # What went over the wire (for tests and the benchmark): connections opened, frames sent
        # and their bytes (before permessage-deflate).
        self.connects = 0
        self.frames_sent = 0
        self.bytes_sent = 0

    def acquire(
        self, key: tuple[str, ...], body: dict[str, Any], loop: Any = None
    ) -> tuple[Connection | None, list[Connection]]:
        """(the idle connection holding ``body``'s chain, else the least recently used one, else
        None; connections to close: past ``max_age``, idle past ``IDLE_EXPIRY``, or of another
        event loop)."""
        now = time.monotonic()
        stale: list[Connection] = []
        chosen: Connection | None = None
        with self._lock:
            for group in self._idle.values():
                if any(now - conn.last_used >= IDLE_EXPIRY for conn in group):
                    stale += [c for c in group if now - c.last_used >= IDLE_EXPIRY]
                    group[:] = [c for c in group if now - c.last_used < IDLE_EXPIRY]
            conns = self._idle.get(key)
            if conns:
                keep = []
                for conn in conns:
                    if now - conn.created >= self.max_age or conn.loop is not loop:
                        stale.append(conn)
                    else:
                        keep.append(conn)
                conns[:] = keep
                for index, conn in enumerate(conns):
                    if conn.chain is not None and conn.chain.held(body) is not None:
                        chosen = conns.pop(index)
                        break
                if chosen is None and conns:
                    chosen = conns.pop(0)  # kept least recently used first
        return chosen, stale

    def release(self, conn: Connection) -> Connection | None:
        """Back to the pool; returns a connection to close (this one or the least recently used)."""
        conn.last_used = time.monotonic()
        with self._lock:
            if self._closed or conn.last_used - conn.created >= self.max_age:
                return conn
            self._idle.setdefault(conn.key, []).append(conn)
            if sum(len(group) for group in self._idle.values()) <= MAX_IDLE:
                return None
            oldest = min(
                (c for group in self._idle.values() for c in group), key=lambda c: c.last_used
            )
            self._idle[oldest.key].remove(oldest)
            return oldest

    def drop(self, key: tuple[str, ...]) -> list[Connection]:
        with self._lock:
            return self._idle.pop(key, [])

    def take_all(self, *, closing: bool) -> list[Connection]:
        with self._lock:
            self._closed = self._closed or closing
            conns = [conn for group in self._idle.values() for conn in group]
            self._idle.clear()
        return conns

    @property
    def failing(self) -> bool:
        return self._failures >= MAX_FAILURES

    def connected(self) -> None:
        self._connected_once = True
        self.connects += 1

    def failed(self) -> None:
        self._failures += 1

    def succeeded(self) -> None:
        self._failures = 0

    def connect_failed(self, error: errors.APIConnectionError) -> Exception:
        """What a failed connect raises: ``auto`` never connected falls back at once."""
        if not self._connected_once and self._fallback:
            return self.unusable(str(error))
        self.failed()
        return error

    def unusable(self, reason: str) -> Exception:
        """``FallBack`` (with a log line, once) for ``auto``; an error for ``websocket``."""
        if not self._fallback:
            return errors.APIConnectionError(f"the WebSocket transport is not available: {reason}")
        if not self.fell_back:
            self.fell_back = True
            log.warning(
                "WebSocket transport unavailable (%s); this client uses HTTP SSE from now on",
                reason,
            )
        return FallBack(reason)

    def sent(self, frame: bytes) -> None:
        self.frames_sent += 1
        self.bytes_sent += len(frame)

    def rate_limits(self, payload: bytes) -> None:
        limits = rate_limits_from_frame(payload)
        if limits is not None:
            self._core.remember_rate_limits(limits)

    def mid_stream(self, error: ErrorFrame, state: StreamState, url: str) -> Exception:
        """An error frame after the reply started: a replaced connection is a dropped stream
        (the loop may send again); anything else is the backend's typed error."""
        if error.connection_limit:
            return state.stream_error(f"stream dropped: {error.code}")
        core = self._core
        response = error.response(url)
        core.accept(response)
        return core.backend.error(
            error.status,
            response.headers,
            error.content,
            response=response,
            rate_limits=core.rate_limits,
            secrets=(),
            hint=None,
        )

    def chain_of(self, state: StreamState, body: dict[str, Any]) -> Chain | None:
        """What a connection holds after this reply: a completed response's input and output."""
        from chatgpt_sdk.models import responses as r

        response = state.response
        if not isinstance(state.terminal, r.ResponseCompletedEvent) or response is None:
            return None
        output = [
            item.model_dump(mode="json", by_alias=True, exclude_none=True)
            for item in state.final_response().output
        ]
        return Chain.of(response.id, body, output)


def handshake_error(exc: Any, url: str) -> tuple[httpx.Response, bytes]:
    """A refused upgrade (websockets' ``InvalidStatus``) as the HTTP answer it was."""
    body = exc.response.body or b""
    response = httpx.Response(
        exc.response.status_code,
        headers=list(exc.response.headers.raw_items()),
        content=body,
        request=httpx.Request("GET", url),
    )
    return response, body


def as_bytes(data: str | bytes) -> bytes:
    return data.encode() if isinstance(data, str) else data


def closed_why(exc: Exception) -> str:
    rcvd = getattr(exc, "rcvd", None)
    if rcvd is None:
        return "no close frame"
    return f"code {rcvd.code}" + (f": {rcvd.reason}" if rcvd.reason else "")
