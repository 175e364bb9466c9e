"""Chat Completions ⇄ Responses: pure functions, no I/O (DESIGN.md section 5, docs/chat.md).

The ChatGPT backend speaks only the Responses API. These functions let Chat Completions callers
use it without losing anything: requests go Chat → Responses, results and stream events come back
Responses → Chat, and the reverse directions exist where the mapping is meaningful.

Extension fields (pydantic extras, so ``model_dump()`` shows them):

- ``reasoning_content`` (str) on a Chat assistant message, and on stream deltas: the reasoning
  summary text.
- ``reasoning_items`` (list of dicts) on a Chat assistant message, and on the delta of the chunk
  that carries ``finish_reason``: the response's reasoning items without their server ``id``
  (``type``, ``summary``, ``encrypted_content``). Send the assistant message back with it and
  :func:`chat_request_to_responses` replays them as ``reasoning`` input items, so the model keeps
  its earlier reasoning across turns even though nothing is stored (``store: false``).
- ``reasoning`` (dict) on a Chat request: a Responses ``reasoning`` object (e.g. ``{"summary":
  "auto"}``); ``reasoning_effort`` overrides its ``effort``.

The only failure is :class:`~chatgpt_sdk.errors.BridgeError`, for what Responses cannot express
(``n > 1``, audio, custom tools, legacy ``function`` messages). ``store``, ``stream`` and
``include`` are never set: the client's normaliser forces them, and it also removes (with a
warning) parameters the backend rejects, such as ``max_tokens`` or ``temperature``, which this
module passes through unchanged.
"""

from __future__ import annotations

from chatgpt_sdk._bridge.chunks import ChatChunkFold, achat_chunks, chat_chunks
from chatgpt_sdk._bridge.completion import response_to_chat_completion
from chatgpt_sdk._bridge.request import chat_request_to_responses
from chatgpt_sdk._bridge.reverse import chat_completion_to_response, responses_request_to_chat

__all__ = [
    "ChatChunkFold",
    "achat_chunks",
    "chat_chunks",
    "chat_completion_to_response",
    "chat_request_to_responses",
    "response_to_chat_completion",
    "responses_request_to_chat",
]
