"""What the async and sync fair pools share: httpx's default limits and two request checks."""

from __future__ import annotations

import httpcore
import httpx

__all__ = ["HTTPX_LIMITS", "check_scheme", "pool_timeout"]

HTTPX_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's default


def check_scheme(request: httpcore.Request) -> None:
    scheme = request.url.scheme.decode()
    if scheme == "":
        raise httpcore.UnsupportedProtocol(
            "Request URL is missing an 'http://' or 'https://' protocol."
        )
    if scheme not in ("http", "https"):
        raise httpcore.UnsupportedProtocol(
            f"Request URL has an unsupported protocol '{scheme}://'."
        )


def pool_timeout(request: httpcore.Request) -> float | None:
    timeouts = request.extensions.get("timeout", {})
    timeout: float | None = timeouts.get("pool")
    return timeout
