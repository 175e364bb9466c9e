"""The WebSocket transport (sync): ``response.create`` frames on pooled, chained connections.

A request takes the idle connection whose last response its input continues and is sent with
``previous_response_id`` and only the new items; otherwise it takes another idle connection, or
opens one, and sends its full input; the caller never sees the difference (``_ws_pool``).

Connections are replaced before the backend's 60-minute limit (``max_age``) and when the backend
says ``websocket_connection_limit_reached``. ``auto`` falls back to HTTP SSE for the client (with a
log line) when the upgrade is refused, when the first connection cannot be made, or after
``MAX_FAILURES`` connection failures in a row; an explicit ``transport="websocket"`` raises instead.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from chatgpt_sdk import errors
from chatgpt_sdk._sse import DEFAULT_MAX_EVENT_SIZE
from chatgpt_sdk._transports import Rejected
from chatgpt_sdk._transports._frames import (
    ErrorFrame,
    connection_key,
    create_frame,
    error_frame,
    frame_kind,
    handshake_headers,
    incremental,
    websocket_url,
)
from chatgpt_sdk._transports._ws_pool import (
    CLOSE_TIMEOUT,
    Connection,
    WebSocketPool,
    as_bytes,
    closed_why,
    handshake_error,
    open_timeout,
    refused_status,
)

if TYPE_CHECKING:
    import httpx

    from chatgpt_sdk._transport import Prepared
    from chatgpt_sdk.auth import Credentials
    from chatgpt_sdk.streaming import Event, StreamState

__all__ = ["WebSocketReply", "WebSocketTransport"]


def _legacy() -> dict[str, Any]:
    """websockets 17 returns a connection from ``connect()`` without a warning only when asked
    with ``legacy=True`` (older versions do it by default, and know no such argument)."""
    import inspect

    from websockets.sync.client import connect

    return {"legacy": True} if "legacy" in inspect.signature(connect).parameters else {}


_LEGACY_CACHE: list[dict[str, Any]] = []


def _legacy_flag() -> dict[str, Any]:
    if not _LEGACY_CACHE:
        _LEGACY_CACHE.append(_legacy())
    return _LEGACY_CACHE[0]


class _Stale(Exception):
    """The connection closed before the reply started."""


class WebSocketTransport(WebSocketPool):
    """Sends over pooled WebSocket connections; see the module docstring."""

    def send(self, prepared: Prepared, credentials: Credentials) -> WebSocketReply:
        from websockets.exceptions import ConnectionClosed

        if self.failing:
            raise self.unusable(f"{self._failures} connection failures in a row")
        core = self._core
        body = prepared.json_body
        assert body is not None
        url = websocket_url(core.base_url)
        headers, metadata = handshake_headers(
            core.backend.headers(core.settings, credentials, prepared), prepared.shape_headers
        )
        key = connection_key(url, headers)
        timeout = prepared.timeout
        read_timeout = timeout.read if timeout is not None else core.settings.timeout
        for attempt in range(3):
            conn, stale = self.acquire(key, body)
            for old in stale:
                _close(old)  # replaced before the backend's limit
            fresh = conn is None
            if conn is None:
                conn = self._connect(url, headers, key, timeout)
            previous, skip = incremental(conn.chain, body)
            frame = create_frame(body, previous_response_id=previous, skip=skip, metadata=metadata)
            try:
                try:
                    conn.ws.send(frame, text=True)
                except ConnectionClosed:
                    raise _Stale from None
                self.sent(frame)
                first = self._first_frame(conn, read_timeout)
            except _Stale:
                _abort(conn)
                if fresh or attempt:
                    self.failed()
                    raise errors.APIConnectionError(
                        "the WebSocket closed before the reply started"
                    ) from None
                continue  # an idle connection the server had closed: once more, on a new one
            except BaseException:
                _abort(conn)
                raise
            if isinstance(first, bytes):
                return WebSocketReply(self, conn, first, body)
            if first.connection_limit:
                # The backend's 60-minute limit: a new connection and the full input (the chain
                # lived on the old one).
                _abort(conn)
                continue
            if first.status == 401:
                # The token this key's connections were opened with is no longer good.
                _abort(conn)
                for old in self.drop(key):
                    _close(old)
            else:
                conn.chain = None
                self._put_back(conn)
            response = first.response(url)
            core.accept(response)
            raise Rejected(response, first.content)
        raise errors.APIConnectionError("the WebSocket connection was replaced twice in a row")

    def close(self) -> None:
        for conn in self.take_all(closing=True):
            _close(conn)

    def _put_back(self, conn: Connection) -> None:
        surplus = self.release(conn)
        if surplus is not None:
            _close(surplus)

    def _connect(
        self,
        url: str,
        headers: dict[str, str],
        key: tuple[str, ...],
        timeout: httpx.Timeout | None,
    ) -> Connection:
        from websockets.exceptions import InvalidHandshake, InvalidStatus
        from websockets.sync.client import connect

        try:
            ws = connect(
                url,
                additional_headers=headers,
                user_agent_header=None,  # ours is in the headers, as on HTTP
                open_timeout=open_timeout(timeout),
                close_timeout=CLOSE_TIMEOUT,
                max_size=DEFAULT_MAX_EVENT_SIZE,
                compression="deflate",
                **_legacy_flag(),
            )
        except InvalidStatus as exc:
            if refused_status(exc.response.status_code):
                reason = f"the upgrade was answered HTTP {exc.response.status_code}"
                raise self.unusable(reason) from None
            response, content = handshake_error(exc, url)
            self._core.accept(response)
            raise Rejected(response, content) from None
        except InvalidHandshake as exc:
            raise self.unusable(f"the upgrade failed: {exc}") from None
        except TimeoutError:
            raise self.connect_failed(
                errors.APITimeoutError("request timed out: the WebSocket did not open in time")
            ) from None
        except OSError as exc:
            raise self.connect_failed(
                errors.APIConnectionError(f"could not reach the backend: {exc!r}")
            ) from None
        self.connected()
        return Connection(ws, key)

    def _first_frame(self, conn: Connection, seconds: float | None) -> bytes | ErrorFrame:
        """The reply's first event, or the error frame that answers instead (rate-limit frames
        are taken in on the way); ``seconds`` bounds the wait, as ``timeout`` bounds the start
        of an HTTP reply."""
        from websockets.exceptions import ConnectionClosed

        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            try:
                payload = as_bytes(conn.ws.recv(timeout=remaining, decode=False))
            except TimeoutError:
                raise errors.APITimeoutError(
                    "request timed out: no reply over the WebSocket within the timeout"
                ) from None
            except ConnectionClosed:
                raise _Stale from None
            kind = frame_kind(payload)
            if kind == "codex.rate_limits":
                self.rate_limits(payload)
                continue
            if kind == "error":
                error = error_frame(payload)
                if error is not None:
                    return error
            return payload


class WebSocketReply:
    """One response's frames; the connection goes back to the pool once the reply is whole."""

    def __init__(
        self, transport: WebSocketTransport, conn: Connection, first: bytes, body: dict[str, Any]
    ) -> None:
        self._transport = transport
        self._conn: Connection | None = conn
        self._first = first
        self._body = body

    def events(self, state: StreamState) -> Iterator[Event]:
        from websockets.exceptions import ConnectionClosed

        transport, conn, payload = self._transport, self._conn, self._first
        self._first = b""
        if conn is None or not payload:
            return
        try:
            while True:
                kind = frame_kind(payload)
                if kind == "codex.rate_limits":
                    transport.rate_limits(payload)
                elif kind == "error" and (error := error_frame(payload)) is not None:
                    raise transport.mid_stream(error, state, conn.url)
                else:
                    event = state.parse(payload)
                    if state.terminal is not None:
                        self._done(transport.chain_of(state, self._body))
                        yield event
                        return
                    yield event
                try:
                    payload = as_bytes(conn.ws.recv(timeout=state.idle_timeout, decode=False))
                except TimeoutError:
                    raise state.stream_error(
                        "no stream event within the idle timeout; stream dropped"
                    ) from None
                except ConnectionClosed as exc:
                    transport.failed()
                    raise state.stream_error(
                        f"stream dropped: the WebSocket closed ({closed_why(exc)})"
                    ) from None
        except errors.ChatGPTError:
            if state.terminal is not None:
                self._done(None)  # a failed reply is whole: the connection is fine
            raise
        finally:
            self.close()

    def _done(self, chain: Any) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._transport.succeeded()
            conn.chain = chain
            self._transport._put_back(conn)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            _abort(conn)  # cut short: frames of this reply may still come

    @property
    def is_closed(self) -> bool:
        return self._conn is None


def _close(conn: Connection) -> None:
    with contextlib.suppress(Exception):
        conn.ws.close()


def _abort(conn: Connection) -> None:
    """Drop a connection whose state is unknown (a reply cut short): no closing handshake."""
    ws = conn.ws
    close_socket = getattr(ws, "close_socket", None)
    with contextlib.suppress(Exception):
        if close_socket is not None:
            close_socket()
        else:  # pragma: no cover - an older websockets
            ws.socket.close()
