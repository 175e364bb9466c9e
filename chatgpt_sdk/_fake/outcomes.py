"""The scripted outcomes of ``FakeChatGPTBackend``: what the next ``POST /responses`` gets."""

from __future__ import annotations

import functools
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from chatgpt_sdk._fake import sse
from chatgpt_sdk._fake.bodies import Drop, Part, Pause, SSEBody
from chatgpt_sdk._fake.recording import RecordedRequest
from chatgpt_sdk._fake.rules import json_response as _json
from chatgpt_sdk._fake.server import HEADERS_DELAY, DropConnection


@dataclass(frozen=True)
class Turn:
    """What an outcome needs to answer one valid ``POST /responses``."""

    request: RecordedRequest
    body: dict[str, Any]
    response_id: str
    created_at: int
    input_tokens: int
    cached_tokens: int
    served: bool
    namespaces: Mapping[str, str]

    @property
    def model(self) -> str:
        return str(self.body["model"])

    def usage(self, override: sse.UsageOverride) -> sse.UsageOverride:
        """The prompt-side counts of this request, then ``override``."""
        counts: sse.UsageOverride = {
            "input_tokens": self.input_tokens,
            "cached_tokens": self.cached_tokens,
        }
        counts.update(override)
        return counts


Outcome = Callable[[Turn], httpx.Response]
Responder = Callable[[RecordedRequest], Sequence[sse.Event] | bytes]


class ScriptedOutcomes:
    """The script of outcomes (first in, first out) and the answers they build.

    A base of ``FakeChatGPTBackend``, whose constructor sets the attributes declared here.
    """

    rate_limits: dict[str, str]
    chunk_size: int | None
    responder: Responder | None
    _lock: threading.Lock
    _script: deque[Outcome]
    _ids: itertools.count[int]
    _id_base: str

    # -- scripting ---------------------------------------------------------------------------

    def reply(
        self,
        text: str | None = None,
        *,
        reasoning_summary: str | Sequence[str] | None = None,
        tool_calls: Sequence[sse.ToolCallSpec] = (),
        usage: sse.UsageOverride | None = None,
        deltas: Sequence[str] | None = None,
        completed_output_empty: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer with a streamed reply: optional reasoning, a message, tool calls.

        ``tool_calls`` holds ``(name, arguments_json)`` pairs (or triples with a call id) for
        function calls and ``sse.CustomToolCall(name, input, call_id=None)`` for custom tool
        calls, in output order. Replying to a Responses Lite request, a call whose tool the
        request's ``additional_tools`` declare in a namespace carries ``"namespace": <its name>``
        (``"functions"`` for Codex's default one). ``deltas`` splits the text explicitly;
        ``reasoning_summary`` may hold several parts.
        """
        self._push(
            functools.partial(
                self._stream_reply,
                spec=_ReplySpec(
                    text, reasoning_summary, tool_calls, deltas, completed_output_empty
                ),
                usage=usage or {},
                headers=headers or {},
            )
        )

    def reply_events(
        self, events: Sequence[sse.Event], *, headers: Mapping[str, str] | None = None
    ) -> None:
        """Answer with exactly these events (no envelope or numbering is added)."""
        body = [sse.encode_event(event) for event in events]
        self._push(lambda turn: self._stream(turn, body, headers or {}))

    def reply_raw(self, body: bytes, *, headers: Mapping[str, str] | None = None) -> None:
        """Answer with these SSE bytes verbatim, e.g. a recorded stream."""
        self._push(lambda turn: self._stream(turn, [body], headers or {}))

    def error(
        self,
        status: int,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer with an HTTP error: a dict is sent as JSON, text or bytes as they are."""
        self._push(lambda turn: self._error(status, body, headers or {}, turn))

    def usage_limit(
        self,
        plan_type: str = "plus",
        resets_in_seconds: int = 18000,
        resets_at: int | None = None,
    ) -> None:
        """Answer 429 ``usage_limit_reached`` (WIRE.md 5.2), with exhausted rate-limit headers."""

        def outcome(turn: Turn) -> httpx.Response:
            now = int(time.time())
            reset_at = resets_at if resets_at is not None else now + resets_in_seconds
            reset_in = max(reset_at - now, 0)
            headers = {
                **self.rate_limits,
                "x-codex-plan-type": plan_type,
                "x-codex-primary-used-percent": "100.0",
                "x-codex-primary-reset-at": str(reset_at),
                "x-codex-primary-reset-after-seconds": str(reset_in),
            }
            body = {
                "error": {
                    "type": "usage_limit_reached",
                    "message": "The usage limit has been reached",
                    "plan_type": plan_type,
                    "resets_at": reset_at,
                    "resets_in_seconds": reset_in,
                    "eligible_promo": None,
                }
            }
            return self._error(429, body, headers, turn)

        self._push(outcome)

    def drop_after(
        self, n_events: int, text: str = "This reply is cut short by a dropped connection."
    ) -> None:
        """Send the first ``n_events`` of a text reply, then cut the connection."""
        self._push(functools.partial(self._cut_reply, text=text, after=n_events, cut=Drop()))

    def stall(
        self, seconds: float, *, after_events: int = 2, text: str = "A reply after a long pause."
    ) -> None:
        """Send ``after_events`` events of a text reply, go silent for ``seconds``, then finish."""
        self._push(
            functools.partial(self._cut_reply, text=text, after=after_events, cut=Pause(seconds))
        )

    def stall_headers(self, seconds: float, *, text: str = "A reply after a silent start.") -> None:
        """Accept the request, send nothing for ``seconds``, then reply ``text`` normally.

        Served (``serve()``), the status line and headers wait, which is what a client's connect
        or read timeout meets; the wait ends early when the server shuts down. In-process the
        handler just sleeps before returning.
        """

        def outcome(turn: Turn) -> httpx.Response:
            response = self._stream_reply(turn, spec=_ReplySpec(text), usage={}, headers={})
            if turn.served:
                response.extensions[HEADERS_DELAY] = seconds
            else:
                time.sleep(seconds)
            return response

        self._push(outcome)

    def malformed_line(
        self,
        data: str = '{"type":"response.output_text.delta","delta":"unterminated',
        *,
        after_events: int = 4,
        text: str = "A reply with a broken line in it.",
    ) -> None:
        """Insert a ``data:`` line that is not JSON after ``after_events`` events of a text reply."""
        frame = sse.encode_data(data, "response.output_text.delta")
        self._push(functools.partial(self._cut_reply, text=text, after=after_events, cut=frame))

    def failed(
        self,
        code: str = "server_is_overloaded",
        message: str = "Our servers are currently overloaded. Please try again later.",
        *,
        text: str | None = None,
    ) -> None:
        """Answer 200 with a stream ending in ``response.failed`` (after ``text``'s deltas, if any)."""

        def outcome(turn: Turn) -> httpx.Response:
            events = sse.failed_events(
                code,
                message,
                response_id=turn.response_id,
                model=turn.model,
                created_at=turn.created_at,
                text=text,
                response_fields=echoed_fields(turn.body),
            )
            return self._stream(turn, [sse.encode_event(e) for e in events], {})

        self._push(outcome)

    def incomplete(
        self, reason: str = "max_output_tokens", text: str = "This answer stops in the mid"
    ) -> None:
        """Answer with a reply that ends in ``response.incomplete`` with ``reason``."""
        self._push(
            functools.partial(
                self._stream_reply,
                spec=_ReplySpec(text, None, (), None, True, incomplete_reason=reason),
                usage={},
                headers={},
            )
        )

    # -- outcomes ----------------------------------------------------------------------------

    def _default_outcome(self, turn: Turn) -> httpx.Response:
        if self.responder is not None:
            answer = self.responder(turn.request)
            if isinstance(answer, bytes):
                return self._stream(turn, [answer], {})
            return self._stream(turn, [sse.encode_event(e) for e in answer], {})
        text = last_user_text(turn.body["input"])
        return self._stream_reply(
            turn,
            spec=_ReplySpec(f"You said: {text}" if text else "You said nothing."),
            usage={},
            headers={},
        )

    def _reply_events(
        self, turn: Turn, spec: _ReplySpec, usage: sse.UsageOverride
    ) -> list[sse.Event]:
        return sse.reply_events(
            spec.text,
            response_id=turn.response_id,
            model=turn.model,
            created_at=turn.created_at,
            deltas=spec.deltas,
            reasoning_summary=spec.reasoning_summary,
            tool_calls=spec.tool_calls,
            usage=turn.usage(usage),
            completed_output_empty=spec.completed_output_empty,
            incomplete_reason=spec.incomplete_reason,
            response_fields=echoed_fields(turn.body),
            namespaces=turn.namespaces,
        )

    def _stream_reply(
        self, turn: Turn, *, spec: _ReplySpec, usage: sse.UsageOverride, headers: Mapping[str, str]
    ) -> httpx.Response:
        events = self._reply_events(turn, spec, usage)
        return self._stream(turn, [sse.encode_event(e) for e in events], headers)

    def _cut_reply(self, turn: Turn, *, text: str, after: int, cut: Part) -> httpx.Response:
        events = [sse.encode_event(e) for e in self._reply_events(turn, _ReplySpec(text), {})]
        rest = [] if isinstance(cut, Drop) else events[after:]
        return self._stream(turn, [*events[:after], cut, *rest], {})

    def _stream(
        self, turn: Turn, parts: Sequence[Part], headers: Mapping[str, str]
    ) -> httpx.Response:
        return httpx.Response(
            200,
            headers={
                "content-type": "text/event-stream",
                "x-request-id": self._next_id("req"),
                "openai-model": turn.model,
                **self.rate_limits,
                **headers,
            },
            stream=SSEBody(
                parts,
                self.chunk_size,
                DropConnection if turn.served else httpx.RemoteProtocolError,
            ),
        )

    def _error(
        self, status: int, body: Any, headers: Mapping[str, str], turn: Turn
    ) -> httpx.Response:
        base = {"x-request-id": self._next_id("req")}
        if status == 429:
            base.update(self.rate_limits)
        if body is None:
            body = {"detail": httpx.codes.get_reason_phrase(status) or "Error"}
        if isinstance(body, (str, bytes)):
            content = body.encode() if isinstance(body, str) else body
            return httpx.Response(
                status, headers={"content-type": "text/plain", **base, **headers}, content=content
            )
        return _json(status, body, headers={**base, **headers})

    # -- helpers -----------------------------------------------------------------------------

    def _push(self, outcome: Outcome) -> None:
        with self._lock:
            self._script.append(outcome)

    def _next_id(self, prefix: str) -> str:
        # Unique across fake instances (as the backend's are): tests sharing one response store
        # must not find another fake's ``msg_...`` under the same id.
        return f"{prefix}_{self._id_base}{next(self._ids):08x}"


@dataclass(frozen=True)
class _ReplySpec:
    text: str | None = None
    reasoning_summary: str | Sequence[str] | None = None
    tool_calls: Sequence[sse.ToolCallSpec] = ()
    deltas: Sequence[str] | None = None
    completed_output_empty: bool = True
    incomplete_reason: str | None = None


def echoed_fields(body: Mapping[str, Any]) -> sse.Event:
    """The request fields a real ``response`` object repeats (WIRE.md 4.2: cut down there)."""
    reasoning = body.get("reasoning") or {}
    return {
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": None,
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": None,
        "prompt_cache_key": body.get("prompt_cache_key"),
        "reasoning": {"effort": reasoning.get("effort"), "summary": reasoning.get("summary")},
        "service_tier": body.get("service_tier") or "auto",
        "store": False,
        "temperature": 1.0,
        "text": body.get("text") or {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools") or [],
        "top_p": 1.0,
        "truncation": "disabled",
        "user": None,
        "metadata": {},
    }


def last_user_text(items: Sequence[Any]) -> str:
    """The text of the last user message in ``input`` (the default reply echoes it)."""
    for item in reversed(items):
        if not isinstance(item, dict) or item.get("role") != "user":
            continue
        content = item.get("content")
        if isinstance(content, str):
            return content
        return "".join(
            str(part.get("text", ""))
            for part in content or ()
            if isinstance(part, dict) and part.get("type") == "input_text"
        )
    return ""
