"""The fair pool for ``httpx.Client`` (threads); the twin of ``_async``."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

from chatgpt_sdk._pool._common import HTTPX_LIMITS, check_scheme, pool_timeout

__all__ = ["FairConnectionPool", "FairTransport", "fair_client"]


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
        check_scheme(request)
        self._acquire(pool_timeout(request))
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


class FairTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` (HTTP/1.1) on ``FairConnectionPool``."""

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


def fair_client(limits: httpx.Limits, **options: Any) -> httpx.Client:
    """``httpx.Client(limits=limits, **options)`` on a ``FairTransport``."""
    transport = FairTransport(limits=limits, trust_env=options.get("trust_env", True))
    return httpx.Client(transport=transport, limits=limits, **options)
