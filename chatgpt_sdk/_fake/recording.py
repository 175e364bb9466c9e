"""Where the Codex paths start (``BASE_PATH``) and what the fakes record of each request."""

from __future__ import annotations

import json
import threading
from collections.abc import MutableSequence
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

BASE_PATH = "/backend-api/codex"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the backend received it.

    ``json`` is the body decoded (content-encoding undone) and parsed, or None; ``content_encoding``
    the request's ``content-encoding`` header; ``wire_size`` the body's size in bytes on the wire.

    A request that came as a WebSocket frame has ``transport == "websocket"`` and ``method``
    ``"WEBSOCKET"``; ``json`` is the frame as sent (``{"type": "response.create", ...}``),
    ``headers`` the upgrade request's plus the frame's ``client_metadata.ws_request_header_*``
    (the headers the request carried in effect), ``wire_size`` the frame's size before
    permessage-deflate, ``connection`` the connection's number (1, 2, ...) and ``input`` the
    whole input once the ``previous_response_id`` chain is resolved.
    """

    method: str
    path: str
    headers: httpx.Headers
    json: Any
    query: dict[str, str]
    content_encoding: str | None = None
    wire_size: int = 0
    transport: str = "http"
    connection: int | None = None
    input: Any = None


def parse_json(content: bytes) -> Any:
    """A request body parsed as JSON, or None (empty or not JSON)."""
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


class RequestLog:
    """``requests`` and ``last_request`` for a fake whose constructor sets ``_lock`` and
    ``_requests`` (the requests it recorded, oldest first)."""

    _lock: threading.Lock
    _requests: MutableSequence[RecordedRequest]
    _nothing_received: ClassVar[str] = "the fake has received no request yet"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request to the API (not the issuer's paths), oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> RecordedRequest:
        with self._lock:
            if not self._requests:
                raise LookupError(self._nothing_received)
            return self._requests[-1]
