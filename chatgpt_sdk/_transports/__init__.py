"""How one prepared request travels, and how its events come back: the transport seam.

The clients' I/O loops (``_sync_client``, ``_async_client``) own the decisions that do not depend
on the wire: credentials and the one refresh after a 401, the retry budget, when a stream may be
restarted. A *transport* does one attempt: ``send(prepared, credentials)`` returns a *reply* that
has started (its status is known), or raises

- ``Rejected``: an error answer (HTTP status, or a WebSocket ``error`` frame), as the
  ``httpx.Response`` the core maps to a typed error exactly as it maps an HTTP one;
- ``errors.APIConnectionError`` (or ``APITimeoutError``): nothing usable came back;
- ``FallBack``: this client cannot use the WebSocket (the upgrade was refused, or it never
  connected, or it keeps failing): the loop sends the same attempt over HTTP SSE at once.

``reply.events(state)`` then feeds each payload to the ``StreamState`` and yields the typed events,
raising ``StreamError`` / ``ResponseFailedError`` as the SSE reader always has; ``reply.close()``
releases the connection. Two implementations: HTTP SSE (``sse``: ``POST {base}/responses``) and
the WebSocket (``websocket``, ``websocket_async``: ``response.create`` frames on pooled
connections, chained turns). ``GET /models`` always goes over HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import httpx

    from chatgpt_sdk._core import Core
    from chatgpt_sdk._transport import Prepared
    from chatgpt_sdk.auth import Credentials
    from chatgpt_sdk.streaming import Event, StreamState

__all__ = [
    "AsyncReply",
    "AsyncTransport",
    "FallBack",
    "Rejected",
    "Reply",
    "Transport",
    "wants_websocket",
]

log = logging.getLogger("chatgpt_sdk")


class Rejected(Exception):
    """An error answer before any event: ``response`` (status, headers) and its body."""

    def __init__(self, response: httpx.Response, content: bytes) -> None:
        super().__init__(response.status_code)
        self.response = response
        self.content = content


class FallBack(Exception):
    """The WebSocket is not usable by this client; send over HTTP SSE instead, without waiting."""


class Reply(Protocol):
    """One started answer (sync)."""

    def events(self, state: StreamState) -> Iterator[Event]: ...

    def close(self) -> None: ...

    @property
    def is_closed(self) -> bool: ...


class AsyncReply(Protocol):
    """One started answer (async)."""

    def events(self, state: StreamState) -> AsyncIterator[Event]: ...

    async def close(self) -> None: ...

    @property
    def is_closed(self) -> bool: ...


class Transport(Protocol):
    name: str

    def send(self, prepared: Prepared, credentials: Credentials) -> Reply: ...

    def close(self) -> None: ...


class AsyncTransport(Protocol):
    name: str

    async def send(self, prepared: Prepared, credentials: Credentials) -> AsyncReply: ...

    async def close(self) -> None: ...


def wants_websocket(core: Core, owns_http: bool) -> bool:
    """Whether a client sends over the WebSocket: ``transport="websocket"``, or ``"auto"`` on the
    Codex backend with the client's own HTTP client. A caller's ``http_client`` may route, mock or
    instrument requests in ways a WebSocket would bypass, so ``auto`` keeps to it (HTTP SSE).
    The official backend has no WebSocket transport."""
    setting = core.settings.transport
    if setting == "sse":
        return False
    if core.backend.name != "codex":
        if setting == "websocket":
            log.warning(
                "transport='websocket' is not available on the %s backend; using HTTP SSE",
                core.backend.name,
            )
        return False
    return setting == "websocket" or owns_http
