"""uvicorn's HTTP/1.1 protocols with what they lack: a header deadline and a connection cap.

uvicorn closes a connection idle between requests (``timeout_keep_alive``), but nothing bounds
the wait for a request's headers: a new connection that sends nothing, or trickles its headers a
byte at a time, is held forever ("slowloris"), and any byte it sends even cancels the keep-alive
timer. These subclasses start a deadline when a connection opens and again when a response is
complete, and close the connection if the next request's headers are not in by then. Connections
past ``max_connections`` get one short deadline and a 503 (OpenAI's error JSON, ``Retry-After``,
``Connection: close``) instead of the app, and a request uvicorn cannot parse gets OpenAI's error
JSON too (400) rather than plain text.

The body has its own deadline in the app (``BodyLimits.timeout``), since only the app knows when
it wants the body.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
from typing import Any, ClassVar

from chatgpt_sdk.server._errors import error_body

__all__ = ["protocol_class"]

logger = logging.getLogger("chatgpt_sdk.server")

OVER_CAPACITY_DEADLINE = 1.0
"""Seconds a connection past the cap gets to send its request headers (then 503 and close)."""


class _HeaderClock:
    """One connection's deadline for the next request's headers."""

    def __init__(self) -> None:
        self.timer: asyncio.TimerHandle | None = None

    def arm(self, loop: asyncio.AbstractEventLoop, transport: Any, seconds: float | None) -> None:
        self.disarm()
        if seconds is not None:
            self.timer = loop.call_later(seconds, self._expire, transport, seconds)

    def disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _expire(self, transport: Any, seconds: float) -> None:
        self.timer = None
        if not transport.is_closing():
            logger.debug("closing a connection whose request headers took over %gs", seconds)
            transport.close()


def _over_capacity_app(limit: int) -> Any:
    body = json.dumps(
        error_body(
            f"The proxy holds its maximum of {limit} connections (max_connections); retry shortly.",
            "server_error",
            code="too_many_connections",
        )
    ).encode()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", b"1"),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def _send_bad_request(transport: Any, default_headers: list[tuple[bytes, bytes]], msg: str) -> None:
    """uvicorn's answer to a request it cannot parse, as OpenAI's error JSON."""
    body = json.dumps(
        error_body(f"{msg} (malformed HTTP/1.1)", "invalid_request_error", code="bad_http_request")
    ).encode()
    head = [b"HTTP/1.1 400 Bad Request\r\n"]
    head += [name + b": " + value + b"\r\n" for name, value in default_headers]
    head += [
        b"content-type: application/json\r\n",
        b"content-length: " + str(len(body)).encode() + b"\r\n",
        b"connection: close\r\n\r\n",
    ]
    transport.write(b"".join(head) + body)
    transport.close()


class _Guarded:
    """What both uvicorn protocols get: the header deadline, the connection cap, and uvicorn's
    own parse errors answered as OpenAI-shaped JSON. Mixed in before uvicorn's class."""

    header_timeout: ClassVar[float | None] = None
    max_connections: ClassVar[int | None] = None
    connections: Any
    app: Any
    loop: asyncio.AbstractEventLoop
    transport: Any
    server_state: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = _HeaderClock()

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        deadline = self.header_timeout
        limit = self.max_connections
        if limit is not None and len(self.connections) > limit:
            self.app = _over_capacity_app(limit)
            deadline = OVER_CAPACITY_DEADLINE
        self._clock.arm(self.loop, transport, deadline)

    def connection_lost(self, exc: Exception | None) -> None:
        self._clock.disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def send_400_response(self, msg: str) -> None:
        _send_bad_request(self.transport, self.server_state.default_headers, msg)


def _h11_class() -> type[asyncio.Protocol]:
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class ProxyH11Protocol(_Guarded, H11Protocol):  # type: ignore[misc]
        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._clock.timer is not None and self.conn.their_state is not h11.IDLE:
                self._clock.disarm()  # the request line and headers are in

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                self._clock.arm(self.loop, self.transport, self.header_timeout)

    return ProxyH11Protocol


def _httptools_class() -> type[asyncio.Protocol]:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class ProxyHttpToolsProtocol(_Guarded, HttpToolsProtocol):  # type: ignore[misc]
        def on_headers_complete(self) -> None:
            self._clock.disarm()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            # uvicorn arms its keep-alive timer exactly when no pipelined request is waiting.
            if not self.transport.is_closing() and self.timeout_keep_alive_task is not None:
                self._clock.arm(self.loop, self.transport, self.header_timeout)

    return ProxyHttpToolsProtocol


def protocol_class(
    *,
    header_timeout: float | None,
    max_connections: int | None,
    implementation: str = "auto",
) -> type[asyncio.Protocol]:
    """uvicorn's ``http=`` protocol with the deadline and cap set.

    ``implementation``: ``"h11"``, ``"httptools"``, or ``"auto"`` (httptools when installed,
    as uvicorn itself chooses; ``pip install 'chatgpt-sdk[speed]'``).
    """
    if implementation == "auto":
        has_httptools = importlib.util.find_spec("httptools") is not None
        implementation = "httptools" if has_httptools else "h11"
    if implementation == "httptools":
        base = _httptools_class()
    elif implementation == "h11":
        base = _h11_class()
    else:
        raise ValueError(f"unknown HTTP implementation {implementation!r}")
    return type(
        base.__name__,
        (base,),
        {"header_timeout": header_timeout, "max_connections": max_connections},
    )
