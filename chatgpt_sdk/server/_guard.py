"""What a web page must not be able to do, and how many requests run at once.

Without an API key a proxy on loopback trusts whoever can reach it, and a web page open in the
user's browser can reach it: by a cross-origin ``fetch`` or form POST (it sends an ``Origin``), or
by DNS rebinding (a name of the attacker's that now resolves to 127.0.0.1, so the ``Host`` header
is the attacker's name). This ASGI middleware refuses both before any endpoint runs, and answers
503 with ``Retry-After`` once ``max_concurrent_requests`` are in flight.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from chatgpt_sdk.server._errors import error_body

__all__ = ["Guard", "host_name", "is_loopback_name", "normalize_origin"]

_UNLIMITED_PATHS = frozenset({"/health"})


def host_name(host: str) -> str:
    """``Host`` header value -> the bare, lower-case name or address (no port, no brackets)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    name, colon, port = host.rpartition(":")
    if colon and port.isdigit() and ":" not in name:
        host = name
    return host.rstrip(".")


def is_loopback_name(name: str) -> bool:
    """``localhost``, a ``*.localhost`` name (RFC 6761) or a loopback address literal."""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def normalize_origin(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


class _HostRule:
    def __init__(self, patterns: Iterable[str]) -> None:
        self.any = False
        self.exact: set[str] = set()
        self.suffixes: list[str] = []
        for pattern in patterns:
            pattern = pattern.strip().lower().rstrip(".")
            if pattern == "*":
                self.any = True
            elif pattern.startswith("*."):
                self.suffixes.append(pattern[1:])
            else:
                self.exact.add(host_name(pattern))

    def __call__(self, name: str) -> bool:
        return self.any or name in self.exact or any(name.endswith(s) for s in self.suffixes)


class Guard:
    """Host and Origin checks, then the concurrency cap; every refusal is OpenAI's error JSON."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        check_host: bool,
        allowed_hosts: Iterable[str] = (),
        allowed_origins: Iterable[str] = (),
        max_concurrent_requests: int | None = None,
    ) -> None:
        self.app = app
        self.check_host = check_host
        self.allowed_host = _HostRule(allowed_hosts)
        origins = [normalize_origin(o) for o in allowed_origins]
        self.any_origin = "*" in origins
        self.origins = frozenset(origins)
        self.max_concurrent = max_concurrent_requests
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = origin = None
        for name, value in scope["headers"]:
            if name == b"host":
                host = value.decode("latin-1")
            elif name == b"origin":
                origin = value.decode("latin-1")
        refusal = self._refusal(scope, host, origin)
        if refusal is not None:
            await _send_error(send, 403, refusal[0], refusal[1])
            return
        if scope["path"] in _UNLIMITED_PATHS or self.max_concurrent is None:
            await self.app(scope, receive, send)
            return
        if self.active >= self.max_concurrent:
            await _send_error(
                send,
                503,
                f"The proxy is serving its maximum of {self.max_concurrent} concurrent requests "
                "(max_concurrent_requests); retry shortly.",
                "too_many_concurrent_requests",
                {"retry-after": "1"},
                type_="server_error",
            )
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1

    def _refusal(
        self, scope: Scope, host: str | None, origin: str | None
    ) -> tuple[str, str] | None:
        if self.check_host and host is not None:
            name = host_name(host)
            server = scope.get("server")
            listening = str(server[0]).lower() if server else None
            if not (is_loopback_name(name) or name == listening or self.allowed_host(name)):
                return (
                    f"Host {name!r} is not served here: this proxy answers loopback names "
                    "(localhost, 127.0.0.1, [::1]) and the allowed_hosts setting. A foreign Host "
                    "is how a web page reaches a local server through DNS rebinding.",
                    "host_not_allowed",
                )
        if origin is not None and not (self.any_origin or normalize_origin(origin) in self.origins):
            return (
                f"Requests from web pages (Origin {origin.strip()!r}) are refused: add the "
                "origin to the allowed_origins setting to serve it.",
                "origin_not_allowed",
            )
        return None


async def _send_error(
    send: Send,
    status: int,
    message: str,
    code: str,
    headers: dict[str, str] | None = None,
    *,
    type_: str = "permission_error",
) -> None:
    """Answer without reading the body, so the connection is closed after the reply."""
    body = json.dumps(error_body(message, type_, code=code)).encode()
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *((k.encode(), v.encode()) for k, v in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
