"""The API side of ``FakeSIWC`` (SIWC.md 3): ``GET /v1/models`` and ``POST /v1/responses``.

``GET /v1/models`` answers ``{"models": [...]}``; ``POST /v1/responses`` admits a plan token
(SIWC 3.6), applies the request rules of ``siwc_rules`` (SIWC 3.3-3.4) and streams the scripted
outcome (first in, first out) or, with nothing scripted, an echo of the last user text; usage-limit
errors come before or in the middle of the stream. Any other ``/v1`` route is
``subscription_sharing_route_not_supported``.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from chatgpt_sdk._fake import sse
from chatgpt_sdk._fake.bodies import Drop, Part, SSEBody
from chatgpt_sdk._fake.outcomes import last_user_text
from chatgpt_sdk._fake.recording import RecordedRequest, RequestLog, parse_json
from chatgpt_sdk._fake.rules import Rejected
from chatgpt_sdk._fake.rules import json_response as _json
from chatgpt_sdk._fake.server import DropConnection
from chatgpt_sdk._fake.siwc_issuer import PLAN_SCOPE
from chatgpt_sdk._fake.siwc_rules import api_error, validate_siwc_request
from chatgpt_sdk._fake.siwc_tokens import AccessToken

__all__ = ["USAGE_LIMIT", "USAGE_UNAVAILABLE", "SIWCResponsesAPI"]

USAGE_LIMIT = "subscription_sharing_usage_limit_exceeded"
USAGE_UNAVAILABLE = "subscription_sharing_usage_unavailable"

_Outcome = Callable[["_Turn"], httpx.Response]


@dataclass(frozen=True)
class _Turn:
    body: dict[str, Any]
    response_id: str
    served: bool
    namespaces: Mapping[str, str]

    @property
    def model(self) -> str:
        return str(self.body["model"])


class SIWCResponsesAPI(RequestLog):
    """The ``/v1`` routes and their scripting. A base of ``FakeSIWC``, whose constructor sets the
    attributes declared here."""

    models: list[dict[str, Any]]
    chunk_size: int | None
    untyped_streams: bool
    clock: Callable[[], float]
    _lock: threading.Lock
    _access: dict[str, AccessToken]
    _script: deque[_Outcome]
    _requests: list[RecordedRequest]
    _ids: itertools.count[int]
    _id_base: str
    _nothing_received = "the fake has received no API request yet"

    # -- scripting ---------------------------------------------------------------------------

    def reply(
        self,
        text: str | None = None,
        *,
        tool_calls: Sequence[sse.ToolCallSpec] = (),
        reasoning_summary: str | None = None,
    ) -> None:
        """Answer the next ``POST /v1/responses`` with a streamed reply."""
        self._push(
            lambda turn: self._stream(
                turn,
                [
                    sse.encode_event(e)
                    for e in self._events(turn, text, tool_calls, reasoning_summary)
                ],
            )
        )

    def error(self, status: int, body: Any) -> None:
        """Answer the next request with this HTTP error (a dict is sent as JSON)."""
        self._push(lambda turn: _json(status, body, headers={"x-request-id": self._next_id("req")}))

    def usage_limit(self) -> None:
        """429 ``subscription_sharing_usage_limit_exceeded`` before the stream (no reset time)."""
        self.error(
            429,
            {
                "error": {
                    "code": USAGE_LIMIT,
                    "message": "You have reached this app's usage limit for your ChatGPT plan.",
                    "type": "usage_limit",
                    "param": None,
                }
            },
        )

    def usage_unavailable(self) -> None:
        """503 ``subscription_sharing_usage_unavailable`` (retryable with backoff)."""
        self.error(
            503,
            {
                "error": {
                    "code": USAGE_UNAVAILABLE,
                    "message": "Plan usage is temporarily unavailable.",
                    "type": "server_error",
                    "param": None,
                }
            },
        )

    def usage_limit_mid_stream(
        self, text: str = "Partial answer before the limit", *, code: str = USAGE_LIMIT
    ) -> None:
        """A stream that starts the reply, then ends in ``response.failed`` with ``code``."""

        def outcome(turn: _Turn) -> httpx.Response:
            events = sse.failed_events(
                code,
                "The usage limit was reached during this response.",
                response_id=turn.response_id,
                model=turn.model,
                created_at=int(self.clock()),
                text=text,
            )
            return self._stream(turn, [sse.encode_event(e) for e in events])

        self._push(outcome)

    def drop_after(self, n_events: int, text: str = "A reply cut short.") -> None:
        def outcome(turn: _Turn) -> httpx.Response:
            events = [sse.encode_event(e) for e in self._events(turn, text, (), None)]
            return self._stream(turn, [*events[:n_events], Drop()])

        self._push(outcome)

    # -- the routes --------------------------------------------------------------------------

    def _api(self, request: httpx.Request, served: bool) -> httpx.Response:
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            headers=request.headers,
            json=parse_json(request.content),
            query=dict(request.url.params),
            content_encoding=request.headers.get("content-encoding"),
            wire_size=len(request.content),
        )
        with self._lock:
            self._requests.append(recorded)
        route = (request.method, request.url.path)
        if route not in (("GET", "/v1/models"), ("POST", "/v1/responses")):
            return api_error(
                403,
                "subscription_sharing_route_not_supported",
                "Only POST /v1/responses and GET /v1/models are served with a ChatGPT plan.",
            )
        self._authenticate(request)
        if route == ("GET", "/v1/models"):
            return _json(
                200, {"models": self.models}, headers={"x-request-id": self._next_id("req")}
            )
        body = recorded.json
        if not isinstance(body, dict):
            return _json(400, {"detail": "The body must be a JSON object."})
        namespaces = validate_siwc_request(body, self.models)
        with self._lock:
            outcome = self._script.popleft() if self._script else None
        turn = _Turn(body, self._next_id("resp"), served, namespaces)
        if outcome is None:
            text = last_user_text(body["input"])
            return self._stream(
                turn,
                [sse.encode_event(e) for e in self._events(turn, f"You said: {text}", (), None)],
            )
        return outcome(turn)

    def _authenticate(self, request: httpx.Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        with self._lock:
            found = self._access.get(token) if scheme.lower() == "bearer" else None
        if found is None or found.exp <= self.clock():
            # SIWC 3.6: admission errors may be {"detail": ...}.
            raise Rejected(
                _json(401, {"detail": "The access token is missing, invalid or expired."})
            )
        if PLAN_SCOPE not in found.scopes:
            raise Rejected(
                api_error(
                    403,
                    "chatpass_v2_scope_not_authorized",
                    "The signed permission context does not authorize plan use.",
                )
            )

    def _events(
        self,
        turn: _Turn,
        text: str | None,
        tool_calls: Sequence[sse.ToolCallSpec],
        reasoning_summary: str | None,
    ) -> list[sse.Event]:
        return sse.reply_events(
            text,
            response_id=turn.response_id,
            model=turn.model,
            created_at=int(self.clock()),
            tool_calls=tool_calls,
            reasoning_summary=reasoning_summary,
            namespaces=turn.namespaces,
        )

    def _stream(self, turn: _Turn, parts: Sequence[Part]) -> httpx.Response:
        headers = {"x-request-id": self._next_id("req")}
        if not self.untyped_streams:
            headers["content-type"] = "text/event-stream"
        return httpx.Response(
            200,
            headers=headers,
            stream=SSEBody(
                parts, self.chunk_size, DropConnection if turn.served else httpx.RemoteProtocolError
            ),
        )

    def _push(self, outcome: _Outcome) -> None:
        with self._lock:
            self._script.append(outcome)

    def _next_id(self, prefix: str) -> str:
        # Unique across fake instances (as the backend's are): tests sharing one response store
        # must not find another fake's ``msg_...`` under the same id.
        return f"{prefix}_{self._id_base}{next(self._ids):08x}"
