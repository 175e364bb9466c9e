"""The WebSocket transport (async): the twin of ``websocket``, on websockets' asyncio client.

A connection belongs to the event loop it was opened on; one met from another loop (a client
used under several ``asyncio.run`` calls) is dropped, never awaited.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

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

__all__ = ["AsyncWebSocketReply", "AsyncWebSocketTransport"]

# Python 3.10's asyncio raises its own TimeoutError (one class with the builtin from 3.11 on).
TIMEOUTS = (TimeoutError, asyncio.TimeoutError)

T = TypeVar("T")


async def _within(seconds: float | None, awaitable: Awaitable[T]) -> T:
    """``awaitable``, or ``TimeoutError`` after ``seconds`` (None: no limit)."""
    if seconds is None:
        return await awaitable
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(seconds):
            return await awaitable
    return await asyncio.wait_for(awaitable, seconds)  # pragma: no cover - Python 3.10


class _IdleWatch:
    """The idle timeout of one stream's reads, with one timer per idle period, not per event.

    ``asyncio.timeout`` around each read made and cancelled a timer for every event: a third of
    the async WebSocket's CPU per event (12 µs against 3.7 µs over SSE). Here a read only notes
    when it began; a timer that fires once per ``seconds`` checks whether the read in progress
    has waited that long and, if so, cancels it, which the read turns into ``TimeoutError``.
    Time the consumer spends between events is never counted, as with one timeout per read.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._loop = asyncio.get_running_loop()
        self._task: asyncio.Task[Any] | None = None
        self._since: float | None = None  # when the read in progress began; None: none waits
        self._handle: asyncio.TimerHandle | None = None
        self._expired = False

    async def read(self, awaitable: Awaitable[T]) -> T:
        if self.seconds is None:
            return await awaitable
        task = self._task = asyncio.current_task()
        assert task is not None
        cancelling = 0
        if sys.version_info >= (3, 11):
            cancelling = task.cancelling()
        self._since = self._loop.time()
        if self._handle is None:
            self._handle = self._loop.call_at(self._since + self.seconds, self._check)
        try:
            return await awaitable
        except asyncio.CancelledError:
            if not self._expired:
                raise
            self._expired = False
            # Ours, unless someone else cancelled the task too (then theirs wins), as
            # asyncio.timeout decides.
            if sys.version_info >= (3, 11) and task.uncancel() > cancelling:
                raise
            raise TimeoutError from None
        finally:
            self._since = None

    def _check(self) -> None:
        self._handle = None
        since = self._since
        if since is None or self.seconds is None:
            return  # no read waits: the next one arms the timer again
        due = since + self.seconds
        if self._loop.time() >= due and self._task is not None:
            self._expired = True
            self._task.cancel()
        else:
            self._handle = self._loop.call_at(due, self._check)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


class _Stale(Exception):
    """The connection closed before the reply started."""


class AsyncWebSocketTransport(WebSocketPool):
    """Sends over pooled WebSocket connections (async); see ``websocket``."""

    async def send(self, prepared: Prepared, credentials: Credentials) -> AsyncWebSocketReply:
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
        loop = asyncio.get_running_loop()
        for attempt in range(3):
            conn, stale = self.acquire(key, body, loop)
            for old in stale:
                await _close(old)
            fresh = conn is None
            if conn is None:
                conn = await self._connect(url, headers, key, timeout, loop)
            previous, skip = incremental(conn.chain, body)
            frame = create_frame(body, previous_response_id=previous, skip=skip, metadata=metadata)
            try:
                try:
                    await conn.ws.send(frame, text=True)
                except ConnectionClosed:
                    raise _Stale from None
                self.sent(frame)
                first = await self._first_frame(conn, read_timeout)
            except _Stale:
                _abort(conn)
                if fresh or attempt:
                    self.failed()
                    raise errors.APIConnectionError(
                        "the WebSocket closed before the reply started"
                    ) from None
                continue
            except BaseException:
                _abort(conn)
                raise
            if isinstance(first, bytes):
                return AsyncWebSocketReply(self, conn, first, body)
            if first.connection_limit:
                _abort(conn)
                continue
            if first.status == 401:
                _abort(conn)
                for old in self.drop(key):
                    await _close(old)
            else:
                conn.chain = None
                await self._put_back(conn)
            response = first.response(url)
            core.accept(response)
            raise Rejected(response, first.content)
        raise errors.APIConnectionError("the WebSocket connection was replaced twice in a row")

    async def close(self) -> None:
        for conn in self.take_all(closing=True):
            await _close(conn)

    async def _put_back(self, conn: Connection) -> None:
        surplus = self.release(conn)
        if surplus is not None:
            await _close(surplus)

    async def _connect(
        self,
        url: str,
        headers: dict[str, str],
        key: tuple[str, ...],
        timeout: httpx.Timeout | None,
        loop: asyncio.AbstractEventLoop,
    ) -> Connection:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidHandshake, InvalidStatus

        try:
            ws = await connect(
                url,
                additional_headers=headers,
                user_agent_header=None,
                open_timeout=open_timeout(timeout),
                close_timeout=CLOSE_TIMEOUT,
                max_size=DEFAULT_MAX_EVENT_SIZE,
                compression="deflate",
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
        except TIMEOUTS:
            raise self.connect_failed(
                errors.APITimeoutError("request timed out: the WebSocket did not open in time")
            ) from None
        except OSError as exc:
            raise self.connect_failed(
                errors.APIConnectionError(f"could not reach the backend: {exc!r}")
            ) from None
        self.connected()
        return Connection(ws, key, loop)

    async def _first_frame(self, conn: Connection, seconds: float | None) -> bytes | ErrorFrame:
        from websockets.exceptions import ConnectionClosed

        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            try:
                payload = as_bytes(await _within(remaining, conn.ws.recv(decode=False)))
            except TIMEOUTS:
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


class AsyncWebSocketReply:
    """One response's frames (async); see ``websocket.WebSocketReply``."""

    def __init__(
        self,
        transport: AsyncWebSocketTransport,
        conn: Connection,
        first: bytes,
        body: dict[str, Any],
    ) -> None:
        self._transport = transport
        self._conn: Connection | None = conn
        self._first = first
        self._body = body

    async def events(self, state: StreamState) -> AsyncIterator[Event]:
        from websockets.exceptions import ConnectionClosed

        transport, conn, payload = self._transport, self._conn, self._first
        self._first = b""
        if conn is None or not payload:
            return
        idle = _IdleWatch(state.idle_timeout)
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
                        await self._done(transport.chain_of(state, self._body))
                        yield event
                        return
                    yield event
                try:
                    payload = as_bytes(await idle.read(conn.ws.recv(decode=False)))
                except TIMEOUTS:
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
                await self._done(None)
            raise
        finally:
            idle.close()
            await self.close()

    async def _done(self, chain: Any) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._transport.succeeded()
            conn.chain = chain
            await self._transport._put_back(conn)

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            _abort(conn)

    @property
    def is_closed(self) -> bool:
        return self._conn is None


async def _close(conn: Connection) -> None:
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:  # pragma: no cover
        running = None
    if conn.loop is not running:
        _abort(conn)  # its loop is gone or elsewhere: nothing to await there
        return
    with contextlib.suppress(Exception):
        await conn.ws.close()


def _abort(conn: Connection) -> None:
    transport = getattr(conn.ws, "transport", None)
    with contextlib.suppress(Exception):
        if transport is not None:
            transport.abort()
