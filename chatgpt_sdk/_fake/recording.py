"""Where the Codex paths start (``BASE_PATH``) and what the fakes record of each request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
