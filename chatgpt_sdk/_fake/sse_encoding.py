"""The fake's events as SSE bytes, as the backend frames them: ``event: <type>``, one line of
compact JSON, a blank line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

__all__ = ["Event", "encode_data", "encode_event", "encode_events"]

Event = dict[str, Any]
"""One event: the JSON object carried by an SSE ``data:`` line."""

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_TEXT_DELTA_KEYS = frozenset(
    ("type", "sequence_number", "item_id", "output_index", "content_index", "delta", "logprobs")
)
_TEXT_DELTA = (
    "event: response.output_text.delta\n"
    'data: {"type":"response.output_text.delta","sequence_number":%d,"item_id":%s,'
    '"output_index":%d,"content_index":%d,"delta":%s,"logprobs":[]}\n\n'
)


def encode_event(event: Event) -> bytes:
    """One event as SSE bytes: ``event: <type>``, ``data: <one-line JSON>``, a blank line."""
    if (
        event.keys() == _TEXT_DELTA_KEYS
        and event["type"] == "response.output_text.delta"
        and event["logprobs"] == []
        and type(event["sequence_number"]) is type(event["output_index"]) is int
        and type(event["content_index"]) is int
    ):
        # The hot path of long streams, ten times cheaper than the generic encoder; same bytes.
        return (
            _TEXT_DELTA
            % (
                event["sequence_number"],
                _dumps(event["item_id"]),
                event["output_index"],
                event["content_index"],
                _dumps(event["delta"]),
            )
        ).encode()
    return b"event: %s\ndata: %s\n\n" % (event["type"].encode(), _dumps(event).encode())


def encode_events(events: Iterable[Event]) -> bytes:
    """A whole stream as SSE bytes."""
    return b"".join(map(encode_event, events))


def encode_data(data: str, event_type: str | None = None) -> bytes:
    """A frame whose ``data`` is taken verbatim (e.g. a line that is not JSON)."""
    head = b"event: %s\n" % event_type.encode() if event_type else b""
    return head + b"data: %s\n\n" % data.encode()
