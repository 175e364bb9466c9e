"""The fair pool for ``httpx.AsyncClient`` (asyncio); see the package's docstring."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from typing import Any

import anyio
import httpcore
import httpx

from chatgpt_sdk._pool._common import HTTPX_LIMITS, check_scheme, pool_timeout

__all__ = ["FairAsyncConnectionPool", "FairAsyncTransport", "fair_async_client"]


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
        check_scheme(request)
        await self._acquire(pool_timeout(request))
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


class FairAsyncTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` (HTTP/1.1) on ``FairAsyncConnectionPool``."""

    def __init__(
        self,
        *,
        limits: httpx.Limits = HTTPX_LIMITS,
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


def fair_async_client(limits: httpx.Limits, **options: Any) -> httpx.AsyncClient:
    """``httpx.AsyncClient(limits=limits, **options)`` on a ``FairAsyncTransport``."""
    transport = FairAsyncTransport(limits=limits, trust_env=options.get("trust_env", True))
    return httpx.AsyncClient(transport=transport, limits=limits, **options)
