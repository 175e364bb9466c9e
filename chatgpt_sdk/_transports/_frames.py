"""The WebSocket transport's wire rules, with no I/O (WIRE.md 7 and ``captures/websocket-*.json``).

Codex 0.171 opens ``wss://…/codex/responses`` with the identity headers of an HTTP request plus
``OpenAI-Beta: responses_websockets=2026-02-06``, then sends one ``{"type": "response.create",
…body…}`` text frame per response. The server answers with the SSE events as text frames, plus
``codex.rate_limits`` frames (the usage windows an HTTP reply carries in headers) and ``error``
frames (``{"type": "error", "status": 429, "error": {…}, "headers": {…}}``: what an HTTP error
answer would have said). A connection lasts at most 60 minutes; within it the server keeps each
response, so a follow-up names ``previous_response_id`` and sends only the items that are new.

Headers that vary per request on a shared connection travel in ``client_metadata`` as
``ws_request_header_<name>`` (the Responses Lite header: captured).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from pydantic_core import to_json

from chatgpt_sdk.rate_limits import RateLimits, RateLimitWindow, utc_from_timestamp

__all__ = [
    "BETA_HEADER",
    "CONNECTION_LIMIT_CODE",
    "MAX_AGE",
    "Chain",
    "ErrorFrame",
    "connection_key",
    "create_frame",
    "error_frame",
    "frame_kind",
    "handshake_headers",
    "incremental",
    "rate_limits_from_frame",
    "websocket_url",
]

BETA_HEADER = ("OpenAI-Beta", "responses_websockets=2026-02-06")  # [cap]
CONNECTION_LIMIT_CODE = "websocket_connection_limit_reached"  # [source] after 60 minutes
# A connection is replaced before the backend's 60-minute limit: a turn started at 59 minutes
# must not meet the limit halfway.
MAX_AGE = 55 * 60.0
CONNECT_TIMEOUT = 15.0  # [source] Codex's WebSocket connect timeout
# Fields that differ between the turns of one chain without breaking it.
_VOLATILE = frozenset({"input", "previous_response_id", "generate", "client_metadata"})
# HTTP-only headers: a WebSocket has no body and no content negotiation.
_HTTP_ONLY = frozenset({"accept", "accept-encoding", "content-type", "content-encoding"})
_DEFAULT_NAMESPACE = "functions"


def websocket_url(base_url: str) -> str:
    """``{base}/responses`` with the scheme a WebSocket takes (https -> wss, http -> ws)."""
    url = base_url + "/responses"
    if url.startswith("https://"):
        return "wss://" + url[len("https://") :]
    if url.startswith("http://"):
        return "ws://" + url[len("http://") :]
    return url


def handshake_headers(
    headers: Mapping[str, str], shape_headers: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """(the upgrade request's headers, the ``client_metadata`` entries) from an HTTP request's.

    The identity headers stay; the HTTP-only ones go; a per-request header of the model's shape
    (the Lite header) moves into ``client_metadata`` as ``ws_request_header_<name>``, as Codex
    sends it, because one connection serves requests of either shape.
    """
    moved = {name.lower() for name in shape_headers}
    out: dict[str, str] = {}
    metadata: dict[str, str] = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower in _HTTP_ONLY:
            continue
        if lower in moved:
            metadata["ws_request_header_" + lower.replace("-", "_")] = value
            continue
        out[name] = value
    out[BETA_HEADER[0]] = BETA_HEADER[1]
    return out, metadata


def connection_key(url: str, headers: Mapping[str, str]) -> tuple[str, ...]:
    """Which pooled connections may carry a request: the same URL and the same headers (account,
    conversation, model hint, caller's extra headers), whatever the token (it is refreshed)."""
    return (
        url,
        *sorted(f"{k.lower()}:{v}" for k, v in headers.items() if k.lower() != "authorization"),
    )


def frame_kind(payload: bytes) -> str | None:
    """``"error"`` or ``"codex.rate_limits"`` for the frames the transport handles itself, else
    None (an event for the stream). Cheap: only payloads naming one of them are parsed."""
    head = payload[:256]
    if b"codex.rate_limits" not in head and b'"error"' not in head:
        return None
    try:
        kind = json.loads(payload).get("type")
    except (ValueError, AttributeError):
        return None
    return kind if kind in ("error", "codex.rate_limits") else None


# -- error frames -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorFrame:
    """An ``error`` frame as the HTTP answer it stands for."""

    status: int
    headers: dict[str, str]
    content: bytes  # the body an HTTP error would have had: the frame without type/status/headers
    code: str | None

    @property
    def connection_limit(self) -> bool:
        return self.code == CONNECTION_LIMIT_CODE

    def response(self, url: str) -> httpx.Response:
        """An ``httpx.Response`` the core maps exactly as an HTTP error (rate limits, 401, 429)."""
        return httpx.Response(
            self.status,
            headers={"content-type": "application/json", **self.headers},
            content=self.content,
            request=httpx.Request("GET", url),
        )


def _header_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def error_frame(payload: bytes) -> ErrorFrame | None:
    """The HTTP error an ``error`` frame reports; None when it names no error status (Codex
    ignores those, and so the stream reads it as an ordinary ``error`` event)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    status = data.get("status", data.get("status_code"))
    if code == CONNECTION_LIMIT_CODE and not isinstance(status, int):
        status = 400
    if isinstance(status, bool) or not isinstance(status, int) or 200 <= status < 300:
        return None
    raw_headers = data.get("headers")
    headers: dict[str, str] = {}
    if isinstance(raw_headers, dict):
        for name, value in raw_headers.items():
            text = _header_value(value)
            if text is not None and isinstance(name, str):
                headers[name] = text
    body = {k: v for k, v in data.items() if k not in ("type", "status", "status_code", "headers")}
    return ErrorFrame(
        status=status,
        headers=headers,
        content=json.dumps(body).encode(),
        code=code if isinstance(code, str) else None,
    )


# -- codex.rate_limits --------------------------------------------------------------------------


def _window(raw: Any) -> RateLimitWindow | None:
    if not isinstance(raw, dict):
        return None
    used = raw.get("used_percent")
    if isinstance(used, bool) or not isinstance(used, (int, float)) or used != used:
        return None
    minutes = raw.get("window_minutes")
    minutes = minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else None
    reset_at = raw.get("reset_at", raw.get("resets_at"))
    resets_at: datetime | None = None
    if isinstance(reset_at, (int, float)) and not isinstance(reset_at, bool):
        resets_at = utc_from_timestamp(reset_at)
    if used == 0 and not minutes and resets_at is None:
        return None  # Codex's rule, as for the headers
    return RateLimitWindow(
        used_percent=float(used), window_minutes=minutes or None, resets_at=resets_at
    )


def rate_limits_from_frame(payload: bytes) -> RateLimits | None:
    """The usage windows of a ``codex.rate_limits`` frame (Codex's ``parse_rate_limit_event``);
    None for another limit family (``metered_limit_name``) or a frame without windows."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    family = data.get("metered_limit_name") or data.get("limit_name")
    if family not in (None, "codex"):
        return None
    limits = data.get("rate_limits")
    if not isinstance(limits, dict):
        return None
    primary, secondary = _window(limits.get("primary")), _window(limits.get("secondary"))
    if primary is None and secondary is None:
        return None
    plan = data.get("plan_type")
    return RateLimits(primary, secondary, plan if isinstance(plan, str) else None)


# -- incremental turns --------------------------------------------------------------------------


def _text_of(part: Any) -> Any:
    if isinstance(part, Mapping):
        for name in ("text", "refusal"):
            if name in part:
                return part[name]
        return json.dumps(part, sort_keys=True)
    return part


def _item_key(item: Any) -> Any:
    """What identifies an output item when a caller replays it: the parts a replay must keep
    (ids, statuses and None fields go; the default tool namespace may be named or not; a message
    may come back as the Chat bridge writes it)."""
    if not isinstance(item, Mapping):
        return item
    kind = item.get("type")
    if kind in ("function_call", "custom_tool_call"):
        return (
            kind,
            item.get("call_id"),
            item.get("name"),
            item.get("arguments") if kind == "function_call" else item.get("input"),
            item.get("namespace") or _DEFAULT_NAMESPACE,
        )
    if kind == "message" or (kind is None and "role" in item):
        content = item.get("content")
        parts = (content,) if isinstance(content, str) else tuple(map(_text_of, content or ()))
        return ("message", item.get("role"), parts)
    if kind == "reasoning" and item.get("encrypted_content"):
        return ("reasoning", item["encrypted_content"])
    return json.dumps(
        {k: v for k, v in item.items() if k not in ("id", "status") and v is not None},
        sort_keys=True,
        default=str,
    )


@dataclass(frozen=True)
class Chain:
    """What one connection's last response holds server-side: the request's fields, its full
    input and its output. Valid only on that connection, while it lives."""

    response_id: str
    params: dict[str, Any]  # the request without its input and the per-turn fields
    sent: list[Any]  # the full input, as sent
    output: tuple[Any, ...]  # the output items' keys

    @classmethod
    def of(cls, response_id: str, body: Mapping[str, Any], output: Sequence[Any]) -> Chain:
        return cls(
            response_id=response_id,
            params=_params(body),
            sent=list(body.get("input") or ()),
            output=tuple(_item_key(item) for item in output),
        )

    @property
    def length(self) -> int:
        return len(self.sent) + len(self.output)

    def held(self, body: Mapping[str, Any]) -> int | None:
        """How many leading items of ``body``'s input this chain holds (None: not a follow-up:
        another request, or an input that does not begin with this one's input and output)."""
        items = body.get("input")
        if not isinstance(items, list) or len(items) < self.length:
            return None
        sent = len(self.sent)
        if items[:sent] != self.sent:
            return None
        for offset, key in enumerate(self.output):
            if _item_key(items[sent + offset]) != key:
                return None
        if _params(body) != self.params:
            return None
        return self.length


def _params(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in _VOLATILE}


def incremental(chain: Chain | None, body: Mapping[str, Any]) -> tuple[str | None, int]:
    """(``previous_response_id``, items to leave out) for ``body`` on a connection with ``chain``."""
    if chain is None:
        return None, 0
    held = chain.held(body)
    if held is None:
        return None, 0
    return chain.response_id, held


def create_frame(
    body: Mapping[str, Any],
    *,
    previous_response_id: str | None = None,
    skip: int = 0,
    metadata: Mapping[str, str] | None = None,
) -> bytes:
    """The ``response.create`` frame for ``body``: chained when ``previous_response_id`` is given
    (and then without the first ``skip`` input items), in the captured field order."""
    frame: dict[str, Any] = {"type": "response.create"}
    for key, value in body.items():
        if key == "input":
            if previous_response_id is not None:
                frame["previous_response_id"] = previous_response_id
                value = value[skip:]
        elif key == "previous_response_id":
            continue
        frame[key] = value
    if metadata:
        given = body.get("client_metadata")
        frame["client_metadata"] = {**(given if isinstance(given, Mapping) else {}), **metadata}
    return to_json(frame)
