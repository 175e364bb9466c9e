"""WebSockets on the loopback server: the upgrade, and messages in and out of one connection.

``chatgpt_sdk._fake.server`` hands an upgrade request (``Upgrade: websocket``) to the app's
WebSocket handler with an ``UpgradeChannel``: the handler refuses it with an HTTP answer (which is
how a backend without the WebSocket transport looks to a client) or accepts it and talks through
the returned ``Peer``. The framing is websockets' sans-I/O protocol, so permessage-deflate, pings
and the closing handshake behave as a real server's; the socket is the HTTP server's own.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx

__all__ = ["Peer", "UpgradeChannel", "sse_payloads"]


class UpgradeChannel:
    """An upgrade request waiting for its answer."""

    def __init__(self, handler: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        self._handler = handler
        self.stopping = stopping  # set when the server shuts down: long waits end early

    def refuse(self, response: httpx.Response) -> None:
        """Answer with ``response`` (a plain HTTP reply with a Content-Length, then close)."""
        handler = self._handler
        content = response.read()
        handler.send_response(response.status_code)
        for name, value in response.headers.multi_items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(content)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        with contextlib.suppress(OSError):
            handler.wfile.write(content)
            handler.wfile.flush()
        handler.close_connection = True

    def accept(self, headers: dict[str, str] | None = None) -> Peer:
        """Complete the handshake (101, permessage-deflate as offered); ``headers`` are added to
        the 101 answer."""
        from websockets.extensions.permessage_deflate import enable_server_permessage_deflate
        from websockets.http11 import Request
        from websockets.server import ServerProtocol

        handler = self._handler
        # permessage-deflate when the client offers it (Codex does), as websockets' servers do.
        protocol = ServerProtocol(extensions=enable_server_permessage_deflate(None), max_size=None)
        # The HTTP server has read the request already: the protocol reads it again, as sent.
        raw: bytes = getattr(handler, "raw_requestline", b"") + b"".join(
            f"{name}: {value}\r\n".encode("latin-1") for name, value in handler.headers.items()
        )
        protocol.receive_data(raw + b"\r\n")
        (request,) = protocol.events_received()
        assert isinstance(request, Request)
        response = protocol.accept(request)
        for name, value in (headers or {}).items():
            response.headers[name] = value
        protocol.send_response(response)
        peer = Peer(handler, protocol)
        peer.flush()
        if response.status_code != 101:  # a malformed upgrade request
            peer.abort()
        return peer


class Peer:
    """One accepted WebSocket, driven by the handler's thread."""

    def __init__(self, handler: BaseHTTPRequestHandler, protocol: Any) -> None:
        self._handler = handler
        self._protocol = protocol
        self._messages: deque[bytes] = deque()
        self._fragments: list[bytes] = []
        self.closed = False

    def recv(self) -> bytes | None:
        """The next text or binary message; None once the client closed (or went away)."""
        from websockets.frames import Opcode

        while not self._messages:
            if self.closed:
                return None
            try:
                data = self._handler.rfile.read1(65536)
            except (OSError, ValueError):
                data = b""
            if data:
                self._protocol.receive_data(data)
            else:
                self._protocol.receive_eof()
                self.closed = True
            for frame in self._protocol.events_received():
                if frame.opcode in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT):
                    self._fragments.append(bytes(frame.data))
                    if frame.fin:
                        self._messages.append(b"".join(self._fragments))
                        self._fragments.clear()
                elif frame.opcode is Opcode.CLOSE:
                    self.closed = True
            self.flush()  # pongs and the answer to a close
        return self._messages.popleft()

    def send(self, text: bytes) -> bool:
        """Send one text message; False when the client is gone."""
        if self.closed:
            return False
        try:
            self._protocol.send_text(text)
        except Exception:  # the protocol is closing
            self.closed = True
            return False
        return self.flush()

    def close(self, code: int = 1000, reason: str = "") -> None:
        """A clean close: the closing frame, then the TCP connection."""
        with contextlib.suppress(Exception):
            self._protocol.send_close(code, reason)
            self.flush()
        self.abort()

    def abort(self) -> None:
        """Cut the TCP connection without a closing frame, like a dropped connection."""
        self.closed = True
        connection: socket.socket = self._handler.connection
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
        self._handler.close_connection = True

    def flush(self) -> bool:
        out = self._protocol.data_to_send()
        if not out:
            return True
        try:
            for chunk in out:
                if chunk:
                    self._handler.wfile.write(chunk)
                else:  # the protocol says: close the TCP connection
                    self.abort()
                    return False
            self._handler.wfile.flush()
        except OSError:
            self.closed = True
            return False
        return True


class SSEPayloads:
    """The ``data`` of each SSE event in a byte stream fed in pieces (the fake's own bodies:
    one ``data:`` line per event; a line that is not one, such as a comment, is skipped)."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        self._buffer += chunk
        *events, self._buffer = self._buffer.replace(b"\r\n", b"\n").split(b"\n\n")
        out = []
        for event in events:
            data = [
                line[6:] if line[5:6] == b" " else line[5:]
                for line in event.split(b"\n")
                if line.startswith(b"data:")
            ]
            if data:
                out.append(b"\n".join(data))
        return out


def sse_payloads() -> SSEPayloads:
    return SSEPayloads()
