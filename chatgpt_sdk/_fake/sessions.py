"""The WebSocket transport of ``FakeChatGPTBackend`` (served): connections and their frames."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from chatgpt_sdk._fake import sse
from chatgpt_sdk._fake.bodies import Drop, Part, Pause, SSEBody
from chatgpt_sdk._fake.outcomes import ScriptedOutcomes, echoed_fields
from chatgpt_sdk._fake.recording import BASE_PATH, RecordedRequest
from chatgpt_sdk._fake.rules import Rejected as _Rejected
from chatgpt_sdk._fake.rules import json_response as _json
from chatgpt_sdk._fake.rules import validate_responses
from chatgpt_sdk._fake.server import HEADERS_DELAY, DropConnection
from chatgpt_sdk._fake.websocket import Peer, SSEPayloads, UpgradeChannel

WEBSOCKET_MAX_AGE = 3600.0  # [source] a Responses WebSocket connection lasts at most 60 minutes
CONNECTION_LIMIT_MESSAGE = (
    "Responses websocket connection limit reached (60 minutes). Create a new websocket "
    "connection to continue."
)  # [source]


class WebSocketSessions(ScriptedOutcomes):
    """The WebSocket transport: upgrades, ``response.create`` frames, connection-scoped chains.

    A base of ``FakeChatGPTBackend``, which sets the attributes and defines the methods declared
    here.
    """

    models: list[dict[str, Any]]
    websocket: bool
    websocket_max_age: float
    strict_chaining: bool
    _connections: itertools.count[int]
    _handshakes: list[RecordedRequest]
    _requests: deque[RecordedRequest]
    _prompts: dict[str, str]

    if TYPE_CHECKING:

        def _authenticate(self, request: httpx.Request) -> None: ...

        def _responses(
            self, recorded: RecordedRequest, served: bool, body: Any = None
        ) -> httpx.Response: ...

        def _delayed(self, response: httpx.Response, served: bool) -> httpx.Response: ...

    def _websocket(self, request: httpx.Request, channel: UpgradeChannel) -> None:
        """One upgrade request and, once accepted, the connection's frames until it closes."""
        path = request.url.path
        with self._lock:
            self._handshakes.append(
                RecordedRequest(
                    method=request.method,
                    path=path,
                    headers=request.headers,
                    json=None,
                    query=dict(request.url.params),
                    transport="websocket",
                )
            )
        if path != BASE_PATH + "/responses":
            channel.refuse(_json(404, {"detail": "Not Found"}))
            return
        if not self.websocket:
            # A backend (or a proxy in front of it) without the WebSocket transport; Codex falls
            # back to HTTP on this status. Emulation choice: the body.
            channel.refuse(_json(426, {"detail": "Upgrade Required"}))
            return
        try:
            self._authenticate(request)  # emulation choice: the upgrade answers 401/403 as HTTP
        except _Rejected as rejected:
            channel.refuse(rejected.response)
            return
        peer = channel.accept()
        session = _Connection(
            number=next(self._connections),
            opened=time.monotonic(),
            headers=request.headers,
            stopping=channel.stopping,
        )
        while not peer.closed:
            message = peer.recv()
            if message is None or not self._ws_message(peer, session, message):
                return

    def _ws_message(self, peer: Peer, session: _Connection, message: bytes) -> bool:
        """Answer one client message; False once the connection is over."""
        try:
            frame = json.loads(message)
        except ValueError:
            frame = None
        if not isinstance(frame, dict) or frame.get("type") != "response.create":
            # Emulation choice: the text; the status is the one for malformed requests.
            kind = frame.get("type") if isinstance(frame, dict) else None
            return _ws_error(
                peer,
                400,
                {
                    "type": "invalid_request_error",
                    "message": f"Unsupported message type: {kind!r}; expected 'response.create'.",
                },
            )
        body = {k: v for k, v in frame.items() if k not in _WS_ONLY_FIELDS}
        previous = frame.get("previous_response_id")
        items = body.get("input")
        chain = session.chains.get(previous) if isinstance(previous, str) else None
        if isinstance(items, list):
            body["input"] = [*(chain or ()), *items]
        headers = httpx.Headers(session.headers)
        metadata = frame.get("client_metadata")
        if isinstance(metadata, dict):
            for name, value in metadata.items():
                if name.startswith(_WS_HEADER_PREFIX) and isinstance(value, str):
                    headers[name[len(_WS_HEADER_PREFIX) :].replace("_", "-")] = value
        recorded = RecordedRequest(
            method="WEBSOCKET",
            path=BASE_PATH + "/responses",
            headers=headers,
            json=frame,
            query={},
            wire_size=len(message),
            transport="websocket",
            connection=session.number,
            input=body.get("input"),
        )
        with self._lock:
            self._requests.append(recorded)
        if time.monotonic() - session.opened >= self.websocket_max_age:
            _ws_error(
                peer,
                400,
                {
                    "type": "invalid_request_error",
                    "code": "websocket_connection_limit_reached",
                    "message": CONNECTION_LIMIT_MESSAGE,
                },
            )
            peer.close()  # emulation choice: the backend ends the connection after saying so
            return False
        if previous is not None and chain is None:
            # The public API's code and text; a chain lives only on its own connection.
            return _ws_error(
                peer,
                400,
                {
                    "type": "invalid_request_error",
                    "code": "previous_response_not_found",
                    "message": f"Previous response with id '{previous}' not found.",
                    "param": "previous_response_id",
                },
            )
        if self.strict_chaining and previous is None and isinstance(items, list):
            last = session.chains.get(session.last or "")
            if (
                last
                and len(items) >= len(last)
                and all(_loose(a) == _loose(b) for a, b in zip(items, last, strict=False))
            ):
                return _ws_error(
                    peer,
                    400,
                    {
                        "type": "invalid_request_error",
                        "message": f"strict_chaining: the input repeats the {len(last)} items "
                        f"this connection holds as {session.last}; send previous_response_id "
                        "and only the new items.",
                    },
                )
        try:
            if frame.get("generate") is False:
                response = self._prewarm(recorded, body)
            else:
                response = self._responses(recorded, True, body)
        except _Rejected as rejected:
            response = rejected.response
        return self._ws_reply(peer, session, body, self._delayed(response, True))

    def _prewarm(self, recorded: RecordedRequest, body: dict[str, Any]) -> httpx.Response:
        """``generate: false``: the request is checked and its prompt cached; nothing is
        generated (emulation choice: ``response.created`` then an empty ``response.completed``)."""
        validate_responses(body, recorded.headers, self.models)
        prompt = json.dumps(
            [body.get("instructions"), body.get("tools") or [], body["input"]], ensure_ascii=False
        )
        cache_key = body.get("prompt_cache_key")
        if isinstance(cache_key, str):
            with self._lock:
                self._prompts[cache_key] = prompt
        response_id, created_at = self._next_id("resp"), int(time.time())
        fields = echoed_fields(body)
        events = [
            {
                "type": "response.created",
                "response": sse.response_object(
                    response_id, model=str(body["model"]), created_at=created_at, fields=fields
                ),
            },
            {
                "type": "response.completed",
                "response": sse.response_object(
                    response_id,
                    model=str(body["model"]),
                    created_at=created_at,
                    status="completed",
                    usage=sse.usage_object(0, 0),
                    fields=fields,
                ),
            },
        ]
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream", **self.rate_limits},
            stream=SSEBody(
                [sse.encode_event(e) for e in sse.numbered(events)], None, DropConnection
            ),
        )

    def _ws_reply(
        self, peer: Peer, session: _Connection, body: dict[str, Any], response: httpx.Response
    ) -> bool:
        """Send an answer built for HTTP as frames: an ``error`` frame for a status, else a
        ``codex.rate_limits`` frame and the events; pauses and cuts as scripted."""
        delay = response.extensions.get(HEADERS_DELAY)
        if delay and session.stopping.wait(float(delay)):
            return False
        if response.status_code != 200:
            content = response.read()
            return _ws_error(
                peer,
                response.status_code,
                _error_object(content),
                {
                    k: v
                    for k, v in response.headers.items()
                    if k.startswith("x-") or k.startswith("retry-after")
                },
            )
        limits = _rate_limits_frame(response.headers)
        if limits is not None and not peer.send(limits):
            return False
        stream = response.stream
        parts: Iterator[Part] = (
            stream._chunks() if isinstance(stream, SSEBody) else iter([response.read()])
        )
        payloads = SSEPayloads()
        done: dict[int, Any] = {}
        for part in parts:
            if isinstance(part, Pause):
                if session.stopping.wait(part.seconds):
                    return False
                continue
            if isinstance(part, Drop):
                peer.abort()
                return False
            for data in payloads.feed(part):
                if not peer.send(data):
                    return False
                session.follow(data, body, done)
        return True


_WS_ONLY_FIELDS = ("type", "previous_response_id", "generate")
_WS_HEADER_PREFIX = "ws_request_header_"
_MAX_CHAINS = 64  # responses a connection keeps (emulation choice; Codex chains to the last)


@dataclass
class _Connection:
    """One accepted WebSocket: its number, age, upgrade headers and the responses it holds."""

    number: int
    opened: float
    headers: httpx.Headers
    stopping: threading.Event
    last: str | None = None
    chains: dict[str, list[Any]] = field(default_factory=dict)

    def follow(self, data: bytes, body: Mapping[str, Any], done: dict[int, Any]) -> None:
        """Keep what the server holds after a completed response: its input and output."""
        if b"response.output_item.done" not in data[:64] and b"response.completed" not in data[:64]:
            return
        try:
            event = json.loads(data)
        except ValueError:
            return
        if event.get("type") == "response.output_item.done":
            done[int(event.get("output_index", len(done)))] = event.get("item")
        elif event.get("type") == "response.completed":
            response = event.get("response") or {}
            output = response.get("output") or [done[i] for i in sorted(done)]
            if isinstance(body.get("input"), list) and isinstance(response.get("id"), str):
                self.chains[response["id"]] = [*body["input"], *output]
                self.last = response["id"]
                while len(self.chains) > _MAX_CHAINS:
                    del self.chains[next(iter(self.chains))]


def _loose(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    return {k: v for k, v in item.items() if k not in ("id", "status", "namespace")}


def _ws_error(
    peer: Peer, status: int, error: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> bool:
    """An ``error`` frame (Codex's shape: status, error body, headers); False if the peer left."""
    frame: dict[str, Any] = {"type": "error", "status": status, "error": dict(error)}
    if headers:
        frame["headers"] = dict(headers)
    return peer.send(json.dumps(frame).encode())


def _error_object(content: bytes) -> dict[str, Any]:
    """The ``error`` of an error frame, from the body the HTTP answer would have had."""
    try:
        data = json.loads(content)
    except ValueError:
        data = None
    if isinstance(data, dict):
        if isinstance(data.get("error"), dict):
            return dict(data["error"])
        detail = data.get("detail")
        if detail is not None:
            message = detail if isinstance(detail, str) else json.dumps(detail)
            return {"type": "invalid_request_error", "message": message}
    return {"type": "error", "message": content.decode("utf-8", "replace")}


def _rate_limits_frame(headers: httpx.Headers) -> bytes | None:
    """The ``codex.rate_limits`` frame carrying what the rate-limit headers say (the shape of
    Codex's ``parse_rate_limit_event``)."""

    def window(which: str) -> dict[str, Any] | None:
        used = headers.get(f"x-codex-{which}-used-percent")
        if used is None:
            return None
        try:
            minutes = headers.get(f"x-codex-{which}-window-minutes")
            reset = headers.get(f"x-codex-{which}-reset-at")
            return {
                "used_percent": float(used),
                "window_minutes": int(minutes) if minutes else None,
                "reset_at": int(reset) if reset else None,
            }
        except ValueError:
            return None

    primary, secondary = window("primary"), window("secondary")
    if primary is None and secondary is None:
        return None
    frame = {
        "type": "codex.rate_limits",
        "plan_type": headers.get("x-codex-plan-type"),
        "rate_limits": {"primary": primary, "secondary": secondary},
    }
    return json.dumps(frame).encode()
