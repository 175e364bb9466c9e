"""Serve an httpx-style handler (``httpx.Request -> httpx.Response``) on 127.0.0.1.

The emulators are written once as plain handlers: a client uses them in-process through
``httpx.MockTransport``; other processes (the cross-process auth tests, benchmarks, the demo)
reach the very same handler over real HTTP through this server. Streamed bodies are sent with
chunked encoding as they are produced; a handler whose body iterator raises ``DropConnection``
closes the socket mid-stream, which is how a dropped stream looks to a client. A response whose
``extensions`` hold ``HEADERS_DELAY`` (seconds) is held back that long before its status line, which
is how a server that accepts a request and then goes silent looks to a client.

A server given a ``websocket`` handler passes it every upgrade request (``Upgrade: websocket``)
with an ``UpgradeChannel`` to refuse or accept it (``chatgpt_sdk._fake.websocket``); without one,
an upgrade request is an ordinary request for ``app``.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from chatgpt_sdk._fake.websocket import UpgradeChannel

__all__ = ["HEADERS_DELAY", "DropConnection", "LoopbackServer", "serve"]

HEADERS_DELAY = "chatgpt_sdk.fake.headers_delay"
"""A response extension: seconds to wait before sending the status line and headers."""

Handler = Callable[[httpx.Request], httpx.Response]
WebSocketHandler = Callable[[httpx.Request, "UpgradeChannel"], None]
_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}


class DropConnection(Exception):
    """Raised by a body iterator to cut the connection without finishing the response."""


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and each chunk go out as separate small writes: without TCP_NODELAY, Nagle's
    # algorithm and the client's delayed ACK add about 40 ms to every response.
    disable_nagle_algorithm = True
    server: LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and benchmarks
        return

    def _dispatch(self) -> None:
        websocket = self.server.websocket
        if websocket is not None and self.headers.get("Upgrade", "").lower() == "websocket":
            url = f"http://{self.server.host}:{self.server.port}{self.path}"
            self.close_connection = True
            with self.server.lock:
                self.server.upgraded.add(self.connection)
            try:
                websocket(
                    httpx.Request(self.command, url, headers=list(self.headers.items())),
                    UpgradeChannel(self, self.server.stopping),
                )
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with self.server.lock:
                    self.server.upgraded.discard(self.connection)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = f"http://{self.server.host}:{self.server.port}{self.path}"
        request = httpx.Request(self.command, url, headers=list(self.headers.items()), content=body)
        response = self.server.app(request)
        delay = response.extensions.get(HEADERS_DELAY)
        # Bounded and cut short by shutdown, so a stalled handler thread never outlives its server.
        if delay and self.server.stopping.wait(float(delay)):
            response.close()
            self.close_connection = True
            return
        try:
            self._send(response)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout test, say): nothing is left to tell it.
            response.close()
            self.close_connection = True

    def _send(self, response: httpx.Response) -> None:
        self.send_response(response.status_code)
        for name, value in response.headers.multi_items():
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        # A response built from bytes (a JSON error, say) is already read; iter_raw() refuses it.
        chunks = [response.content] if response.is_stream_consumed else response.iter_raw()
        try:
            for chunk in chunks:
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
        except DropConnection:
            self.close_connection = True
            self.wfile.flush()
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 resets connections under concurrent load.
    request_queue_size = 128

    def __init__(
        self,
        app: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        websocket: WebSocketHandler | None = None,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the fake servers only listen on loopback addresses")
        super().__init__((host, port), _RequestHandler)
        self.app = app
        self.websocket = websocket
        self.lock = threading.Lock()
        self.upgraded: set[socket.socket] = set()  # the sockets of open WebSockets
        self.host = host
        self.stopping = threading.Event()
        self.port = int(self.server_address[1])

    def close_websockets(self) -> None:
        """Cut every open WebSocket (their handler threads end)."""
        with self.lock:
            sockets = list(self.upgraded)
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextmanager
def serve(
    app: Handler,
    host: str = "127.0.0.1",
    port: int = 0,
    websocket: WebSocketHandler | None = None,
) -> Iterator[LoopbackServer]:
    """Run ``app`` on a loopback port in a background thread for the duration of the block."""
    server = LoopbackServer(app, host, port, websocket)
    thread = threading.Thread(target=server.serve_forever, name="chatgpt-sdk-fake", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.close_websockets()
        server.server_close()
        thread.join(timeout=5)
