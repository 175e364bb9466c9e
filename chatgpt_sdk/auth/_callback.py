"""The loopback callback listener both browser logins share (``BrowserLogin``, ``OfficialLogin``).

A redirect to the callback path becomes a ``Callback`` in the login's inbox, and the browser's
request is held open until the login answers it, so the page can say how the login ended. A
redirect with another ``state`` (stale, or forged by a page that found the port) is answered 400 at
once and never queued: the login keeps waiting for the real one. A pasted address (the headless
fallback) goes to the same inbox unchecked; the login's own state check fails it at once. What
differs between the two logins (the words, the page, how strict the listener is) is a
``CallbackSite``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import queue
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from chatgpt_sdk.errors import LoginFailedError

log = logging.getLogger("chatgpt_sdk.auth")

_REPLY_WAIT = 60.0  # seconds a browser's request waits for the login's answer
_IDLE = 15  # strict: seconds for a request to arrive whole (a slow or idle socket is dropped)
_SINGLE = ("state", "code", "client_id", "error", "error_description", "iss", "scope")


def _b64url(data: bytes) -> str:
    """Unpadded base64url, as PKCE and the state want it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def random_b64url(size: int) -> str:
    """``size`` random bytes as unpadded base64url: a PKCE verifier, a state, a nonce."""
    return _b64url(secrets.token_bytes(size))


def code_challenge(verifier: str) -> str:
    """The PKCE S256 challenge for ``verifier``."""
    return _b64url(hashlib.sha256(verifier.encode()).digest())


@dataclass(frozen=True)
class CallbackSite:
    """What one login's listener says, and how strict it is; the listener itself is shared."""

    path: str
    """The callback path registered with the issuer; anything else is 404."""
    page: Callable[[str], str]
    """The HTML page around a message."""
    noun: str
    """What the messages call this login ("login", "sign-in")."""
    foreign: str
    """Answered (400) to a callback with another state; the listener keeps waiting."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Sent with every page."""
    strict: bool = False
    """SIWC.md 2's listener: the exact ``Host``, blank values kept, exactly one of each OAuth
    parameter, GET only (else 405) and an idle timeout. Otherwise the first non-blank value of
    each parameter counts, as the Codex login has always read its callback."""


@dataclass
class Callback:
    """One redirect (from the browser, or pasted); ``reply`` carries the page back to the browser."""

    params: dict[str, str]
    reply: queue.Queue[tuple[int, str]] | None = field(default=None)

    def answer(self, status: int, message: str) -> None:
        if self.reply is not None:
            self.reply.put((status, message))


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # the query holds the code
        return

    def do_GET(self) -> None:
        listener = self.server.listener
        site = listener.site
        if site.strict and self.headers.get("Host") != self.server.expected_host:
            self._send(400, "This address is not the sign-in callback.")
            return
        url = urlsplit(self.path)
        if url.path != site.path:
            self._send(404, "Not found.")
            return
        params = parse_qs(url.query, keep_blank_values=site.strict)
        states = params.get("state", [])
        if (
            not states
            or (site.strict and len(states) != 1)
            or not hmac.compare_digest(states[0].encode(), listener.state.encode())
        ):
            # Not this attempt's redirect (stale, or forged by a page that found the port):
            # refused, never queued, and the login keeps waiting for the real one.
            log.warning("Ignored a %s callback with the wrong state", site.noun)
            self._send(400, site.foreign)
            return
        if site.strict and any(len(params.get(name, [])) > 1 for name in _SINGLE):
            self._send(400, "The callback repeats a parameter.")
            return
        reply: queue.Queue[tuple[int, str]] = queue.Queue(maxsize=1)
        listener.inbox.put(Callback({k: v[0] for k, v in params.items()}, reply))
        try:
            status, message = reply.get(timeout=_REPLY_WAIT)
        except queue.Empty:
            status, message = 504, f"The {site.noun} did not finish in time."
        self._send(status, message)

    def _send(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        site = self.server.listener.site
        body = site.page(message).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**site.headers, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _StrictHandler(_Handler):
    timeout = _IDLE

    def _refuse_method(self) -> None:
        self._send(405, "Method not allowed.", {"Allow": "GET"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _refuse_method


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, listener: CallbackListener) -> None:
        handler = _StrictHandler if listener.site.strict else _Handler
        super().__init__(("127.0.0.1", port), handler)
        self.listener = listener
        self.expected_host = f"127.0.0.1:{self.server_address[1]}"


class CallbackListener:
    """One login's callback server on 127.0.0.1 and the inbox its callbacks wait in.

    ``listen()`` may run again after ``close()`` (a login started twice); the inbox and ``cancel()``
    outlive it, so a cancel before the wait still ends the wait.
    """

    def __init__(self, site: CallbackSite, state: str) -> None:
        self.site = site
        self.state = state
        self.inbox: queue.Queue[Callback | None] = queue.Queue()
        self._cancelled = threading.Event()
        self._server: _Server | None = None

    @property
    def listening(self) -> bool:
        return self._server is not None

    def listen(self, port: int, thread_name: str) -> int:
        """Serve on ``port`` (0: any free one) in a daemon thread; the port. OSError if taken."""
        server = self._server = _Server(port, self)
        threading.Thread(target=server.serve_forever, name=thread_name, daemon=True).start()
        return server.server_address[1]

    def submit(self, params: dict[str, str]) -> None:
        """Queue a pasted callback (no page to answer)."""
        self.inbox.put(Callback(params))

    def cancel(self) -> None:
        self._cancelled.set()
        self.inbox.put(None)

    def wait(self, timeout: float, *, expired: str) -> Callback:
        """The next callback; LoginFailedError ``expired`` (with that message) or ``cancelled``."""
        if not self.listening:
            raise RuntimeError("call start() first")
        try:
            callback = self.inbox.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            raise LoginFailedError(expired, reason="expired") from None
        if callback is None or self._cancelled.is_set():
            raise LoginFailedError(f"The {self.site.noun} was cancelled.", reason="cancelled")
        return callback

    def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
