"""A fair (first come, first served) HTTP/1.1 connection pool for httpx, async and sync.

Why this exists: httpcore's pool (1.0.9, the pool behind every httpx client) is the bottleneck
under load, and its maintainers have not fixed it (encode/httpcore#822, #1110; fixes open in
#1000, #1035, #1111). ``ConnectionPool._assign_requests_to_connections`` hands a queued request an
idle connection but leaves the connection ``IDLE`` until that request's task (or thread) runs
and marks it ``ACTIVE``. Every pass in between sees the same connection as available: every
request queued in one pass gets ``available_connections[0]``, and requests that start in the same
event-loop tick before the first one runs all get it too. All but one then raise
``ConnectionNotAvailable``, queue again and run another pass, which opens surplus connections
and polls every idle socket (``has_expired``); who wins is whoever the scheduler wakes first,
not who asked first. (The same pass also counts every connection, not the idle ones, against
``max_keepalive_connections``.)

This pool keeps httpcore's connections (``httpcore.AsyncHTTPConnection``: HTTP/1.1, keep-alive,
per-request timeouts from ``request.extensions["timeout"]``, read on every read, so a timeout
changed after the headers still applies) and replaces only the hand-out:

- a request first takes a *slot* (at most ``max_connections``); without a free slot it waits in a
  FIFO queue, and a released slot goes straight to the longest waiting request (nobody barges
  in), bounded by the ``pool`` timeout;
- with the slot it takes the most recently used idle connection of its origin, else opens one,
  closing the least recently used idle connection if the pool is full; a connection is never
  handed to two requests, so ``ConnectionNotAvailable`` is left for a server that closed it;
- the slot and the connection come back when the response is closed (or the request fails or
  is cancelled: a cancelled waiter leaves the queue, a cancelled holder releases its slot).

Measured with ``uv run python benchmarks/bench_pool.py --repeat 3`` (50 callers, each sending
requests back to back for 5 s, against the local fake backend in another process; 2 shared
cores; medians of 3 rounds). httpcore's pool -> this one; "max/min" compares the requests each
caller completed, "retries" counts ``ConnectionNotAvailable``, CPU is per request at 50 callers:

    POOL_LIMITS (200)     p99/p50       max/min        CPU ms/req    retries       req/s
    raw httpx, async      5.70 -> 1.44  1.77 -> 1.01   1.45 -> 0.77  15,627 -> 0   688 -> 1,263
    AsyncChatGPT          5.77 -> 1.57  1.70 -> 1.01   1.70 -> 0.96  13,293 -> 0   589 -> 1,030
    proxy                 4.62 -> 1.81  1.61 -> 1.05   2.34 -> 1.25   8,411 -> 0   426 -> 722
    httpx.Client, threads 3.04 -> 2.95  1.38 -> 1.27   1.68 -> 0.95     221 -> 0   589 -> 983
    10 connections
    raw httpx, async      6.07 -> 1.24  1.65 -> 1.01   1.35 -> 0.84  17,012 -> 0   741 -> 1,183
    AsyncChatGPT          6.04 -> 1.36  1.76 -> 1.01   1.61 -> 1.08  14,294 -> 0   621 -> 922
    httpx.Client, threads 3.14 -> 1.27  1.32 -> 1.04   1.03 -> 0.97     462 -> 0   925 -> 968

CPU per request of a single caller is unchanged (raw httpx 0.99 -> 0.95 ms, AsyncChatGPT 1.22 ->
1.22 ms). What p99 keeps beyond p50 with this pool is not ordering (every caller completes the
same count) but stalls of the whole process: with ``--freeze`` (``gc.freeze()`` once warm, as
``chatgpt-sdk serve`` does) p99/p50 is 1.17 for raw httpx, 1.19 for AsyncChatGPT and 1.39 for
the proxy, so most of it was the garbage collector's full passes over the long-lived objects.
With threads, which thread runs next is the GIL's choice, not the pool's.

HTTP/1.1 only (the backend speaks it; a slot is one request on one connection). Proxies from the
environment are still mounted by httpx with its own transport.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

import anyio
import httpcore
import httpx

__all__ = [
    "FairAsyncConnectionPool",
    "FairAsyncTransport",
    "FairConnectionPool",
    "FairTransport",
    "fair_async_client",
    "fair_client",
]


_HTTPX_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's default


def _check_scheme(request: httpcore.Request) -> None:
    scheme = request.url.scheme.decode()
    if scheme == "":
        raise httpcore.UnsupportedProtocol(
            "Request URL is missing an 'http://' or 'https://' protocol."
        )
    if scheme not in ("http", "https"):
        raise httpcore.UnsupportedProtocol(
            f"Request URL has an unsupported protocol '{scheme}://'."
        )


def _pool_timeout(request: httpcore.Request) -> float | None:
    timeouts = request.extensions.get("timeout", {})
    timeout: float | None = timeouts.get("pool")
    return timeout


class FairAsyncConnectionPool(httpcore.AsyncConnectionPool):
    """httpcore's async pool with a FIFO hand-out: one request per connection, slots granted in
    the order they were asked for. asyncio only (like the SDK)."""

    def __init__(
        self,
        ssl_context: Any = None,
        max_connections: int | None = 10,
        max_keepalive_connections: int | None = None,
        keepalive_expiry: float | None = None,
        retries: int = 0,
        local_address: str | None = None,
        uds: str | None = None,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> None:
        super().__init__(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=keepalive_expiry,
            http1=True,
            http2=False,
            retries=retries,
            local_address=local_address,
            uds=uds,
            network_backend=network_backend,
            socket_options=socket_options,
        )
        # Every open connection is in ``self._connections`` (httpcore's list, so ``connections``
        # still works); the idle ones are also here, least recently used first.
        self._idle: list[httpcore.AsyncConnectionInterface] = []
        self._busy = 0  # slots taken
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        _check_scheme(request)
        await self._acquire(_pool_timeout(request))
        connection: httpcore.AsyncConnectionInterface | None = None
        try:
            while True:
                connection, closing = self._checkout(request.url.origin)
                if closing:
                    await self._close_connections(closing)
                try:
                    response = await connection.handle_async_request(request)
                except httpcore.ConnectionNotAvailable:
                    # Not from another request (none shares it): the server closed it. Next one.
                    self._forget(connection)
                    await self._close_connections([connection])
                    connection = None
                    continue
                break
        except BaseException:
            await self._close_connections(self._checkin(connection))
            raise
        assert isinstance(response.stream, AsyncIterable)
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_AsyncSlotStream(response.stream, self, connection),
            extensions=response.extensions,
        )

    async def _acquire(self, pool_timeout: float | None) -> None:
        """Take a slot, waiting in FIFO order if none is free."""
        if self._busy < self._max_connections and not self._waiters:
            self._busy += 1
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiters.append(waiter)
        timer = None if pool_timeout is None else loop.call_later(pool_timeout, _expire, waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release()  # granted, then cancelled before it could run: pass it on
            elif waiter in self._waiters:  # ``_release`` may have dropped it already
                self._waiters.remove(waiter)
            raise
        finally:
            if timer is not None:
                timer.cancel()

    def _release(self) -> None:
        """Give the slot to the longest waiting request, else free it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._busy -= 1

    def _checkout(
        self, origin: httpcore.Origin
    ) -> tuple[httpcore.AsyncConnectionInterface, list[httpcore.AsyncConnectionInterface]]:
        """A connection for ``origin`` (the caller holds a slot) and the connections to close."""
        closing: list[httpcore.AsyncConnectionInterface] = []
        for index in range(len(self._idle) - 1, -1, -1):
            connection = self._idle[index]
            if not connection.can_handle_request(origin):
                continue
            del self._idle[index]
            if connection.is_available() and not connection.has_expired():
                return connection, closing
            self._connections.remove(connection)
            closing.append(connection)
        if len(self._connections) >= self._max_connections and self._idle:
            # Full, and nothing idle for this origin (holding a slot, something is idle).
            oldest = self._idle.pop(0)
            self._connections.remove(oldest)
            closing.append(oldest)
        connection = self.create_connection(origin)
        self._connections.append(connection)
        return connection, closing

    def _checkin(
        self, connection: httpcore.AsyncConnectionInterface | None
    ) -> list[httpcore.AsyncConnectionInterface]:
        """Take back ``connection`` and the slot; returns the connections to close."""
        closing: list[httpcore.AsyncConnectionInterface] = []
        if connection is not None:
            reusable = not connection.is_closed() and connection.is_idle()
            if reusable and connection in self._connections:  # not if the pool was closed
                self._idle.append(connection)
                if len(self._idle) > self._max_keepalive_connections:
                    closing.append(self._idle[0])
                    self._forget(self._idle[0])
                # Expired or server-closed idle connections go, oldest first.
                while self._idle and self._idle[0].has_expired():
                    closing.append(self._idle[0])
                    self._forget(self._idle[0])
            else:
                self._forget(connection)
                closing.append(connection)
        self._release()
        return closing

    def _forget(self, connection: httpcore.AsyncConnectionInterface) -> None:
        if connection in self._connections:
            self._connections.remove(connection)
        if connection in self._idle:
            self._idle.remove(connection)

    async def _close_connections(self, closing: list[httpcore.AsyncConnectionInterface]) -> None:
        with anyio.CancelScope(shield=True):
            for connection in closing:
                await connection.aclose()

    async def aclose(self) -> None:
        closing, self._connections, self._idle = list(self._connections), [], []
        await self._close_connections(closing)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} [Requests: {self._busy} active, {len(self._waiters)} "
            f"queued | Connections: {len(self._connections) - len(self._idle)} active, "
            f"{len(self._idle)} idle]>"
        )


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(httpcore.PoolTimeout("No connection became free in time."))


class _AsyncSlotStream:
    """The response body; closing it gives back the connection and the slot."""

    def __init__(
        self,
        stream: AsyncIterable[bytes],
        pool: FairAsyncConnectionPool,
        connection: httpcore.AsyncConnectionInterface,
    ) -> None:
        self._stream = stream
        self._pool = pool
        self._connection = connection
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            with anyio.CancelScope(shield=True):
                close = getattr(self._stream, "aclose", None)
                if close is not None:
                    await close()
        finally:
            await self._pool._close_connections(self._pool._checkin(self._connection))


class _Waiter:
    __slots__ = ("event", "granted")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.granted = False


class FairConnectionPool(httpcore.ConnectionPool):
    """The sync twin of ``FairAsyncConnectionPool``, for a client shared by threads."""

    def __init__(
        self,
        ssl_context: Any = None,
        max_connections: int | None = 10,
        max_keepalive_connections: int | None = None,
        keepalive_expiry: float | None = None,
        retries: int = 0,
        local_address: str | None = None,
        uds: str | None = None,
        network_backend: httpcore.NetworkBackend | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> None:
        super().__init__(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=keepalive_expiry,
            http1=True,
            http2=False,
            retries=retries,
            local_address=local_address,
            uds=uds,
            network_backend=network_backend,
            socket_options=socket_options,
        )
        self._lock = threading.Lock()
        self._idle: list[httpcore.ConnectionInterface] = []
        self._busy = 0
        self._waiters: deque[_Waiter] = deque()

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        _check_scheme(request)
        self._acquire(_pool_timeout(request))
        connection: httpcore.ConnectionInterface | None = None
        try:
            while True:
                with self._lock:
                    connection, closing = self._checkout(request.url.origin)
                self._close_connections(closing)
                try:
                    response = connection.handle_request(request)
                except httpcore.ConnectionNotAvailable:
                    with self._lock:
                        self._forget(connection)
                    self._close_connections([connection])
                    connection = None
                    continue
                break
        except BaseException:
            self._close_connections(self._checkin(connection))
            raise
        assert isinstance(response.stream, Iterable)
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_SlotStream(response.stream, self, connection),
            extensions=response.extensions,
        )

    def _acquire(self, timeout: float | None) -> None:
        with self._lock:
            if self._busy < self._max_connections and not self._waiters:
                self._busy += 1
                return
            waiter = _Waiter()
            self._waiters.append(waiter)
        try:
            granted = waiter.event.wait(timeout)
        except BaseException:
            granted = False
            with self._lock:
                if waiter.granted:
                    self._release()
                else:
                    self._waiters.remove(waiter)
            raise
        if not granted:
            with self._lock:
                if waiter.granted:  # at the last moment
                    return
                self._waiters.remove(waiter)
            raise httpcore.PoolTimeout("No connection became free in time.")

    def _release(self) -> None:
        """With the lock held: give the slot to the longest waiting thread, else free it."""
        if self._waiters:
            waiter = self._waiters.popleft()
            waiter.granted = True
            waiter.event.set()
            return
        self._busy -= 1

    def _checkout(
        self, origin: httpcore.Origin
    ) -> tuple[httpcore.ConnectionInterface, list[httpcore.ConnectionInterface]]:
        closing: list[httpcore.ConnectionInterface] = []
        for index in range(len(self._idle) - 1, -1, -1):
            connection = self._idle[index]
            if not connection.can_handle_request(origin):
                continue
            del self._idle[index]
            if connection.is_available() and not connection.has_expired():
                return connection, closing
            self._connections.remove(connection)
            closing.append(connection)
        if len(self._connections) >= self._max_connections and self._idle:
            oldest = self._idle.pop(0)
            self._connections.remove(oldest)
            closing.append(oldest)
        connection = self.create_connection(origin)
        self._connections.append(connection)
        return connection, closing

    def _checkin(
        self, connection: httpcore.ConnectionInterface | None
    ) -> list[httpcore.ConnectionInterface]:
        closing: list[httpcore.ConnectionInterface] = []
        with self._lock:
            if connection is not None:
                reusable = not connection.is_closed() and connection.is_idle()
                if reusable and connection in self._connections:
                    self._idle.append(connection)
                    if len(self._idle) > self._max_keepalive_connections:
                        closing.append(self._idle[0])
                        self._forget(self._idle[0])
                    while self._idle and self._idle[0].has_expired():
                        closing.append(self._idle[0])
                        self._forget(self._idle[0])
                else:
                    self._forget(connection)
                    closing.append(connection)
            self._release()
        return closing

    def _forget(self, connection: httpcore.ConnectionInterface) -> None:
        if connection in self._connections:
            self._connections.remove(connection)
        if connection in self._idle:
            self._idle.remove(connection)

    def _close_connections(self, closing: list[httpcore.ConnectionInterface]) -> None:
        for connection in closing:
            connection.close()

    def close(self) -> None:
        with self._lock:
            closing, self._connections, self._idle = list(self._connections), [], []
        self._close_connections(closing)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} [Requests: {self._busy} active, {len(self._waiters)} "
            f"queued | Connections: {len(self._connections) - len(self._idle)} active, "
            f"{len(self._idle)} idle]>"
        )


class _SlotStream:
    def __init__(
        self,
        stream: Iterable[bytes],
        pool: FairConnectionPool,
        connection: httpcore.ConnectionInterface,
    ) -> None:
        self._stream = stream
        self._pool = pool
        self._connection = connection
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            close = getattr(self._stream, "close", None)
            if close is not None:
                close()
        finally:
            self._pool._close_connections(self._pool._checkin(self._connection))


class FairAsyncTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` (HTTP/1.1) on ``FairAsyncConnectionPool``."""

    def __init__(
        self,
        *,
        limits: httpx.Limits = _HTTPX_LIMITS,
        verify: Any = True,
        cert: Any = None,
        trust_env: bool = True,
        local_address: str | None = None,
        uds: str | None = None,
        retries: int = 0,
        socket_options: Iterable[Any] | None = None,
    ) -> None:
        super().__init__(verify=verify, cert=cert, trust_env=trust_env, limits=limits)
        # httpx built its pool with the SSL context made from verify/cert/trust_env; keep that.
        self._pool = FairAsyncConnectionPool(
            ssl_context=self._pool._ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            retries=retries,
            local_address=local_address,
            uds=uds,
            socket_options=socket_options,
        )


class FairTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` (HTTP/1.1) on ``FairConnectionPool``."""

    def __init__(
        self,
        *,
        limits: httpx.Limits = _HTTPX_LIMITS,
        verify: Any = True,
        cert: Any = None,
        trust_env: bool = True,
        local_address: str | None = None,
        uds: str | None = None,
        retries: int = 0,
        socket_options: Iterable[Any] | None = None,
    ) -> None:
        super().__init__(verify=verify, cert=cert, trust_env=trust_env, limits=limits)
        self._pool = FairConnectionPool(
            ssl_context=self._pool._ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            retries=retries,
            local_address=local_address,
            uds=uds,
            socket_options=socket_options,
        )


def fair_async_client(limits: httpx.Limits, **options: Any) -> httpx.AsyncClient:
    """``httpx.AsyncClient(limits=limits, **options)`` on a ``FairAsyncTransport``."""
    transport = FairAsyncTransport(limits=limits, trust_env=options.get("trust_env", True))
    return httpx.AsyncClient(transport=transport, limits=limits, **options)


def fair_client(limits: httpx.Limits, **options: Any) -> httpx.Client:
    """``httpx.Client(limits=limits, **options)`` on a ``FairTransport``."""
    transport = FairTransport(limits=limits, trust_env=options.get("trust_env", True))
    return httpx.Client(transport=transport, limits=limits, **options)
