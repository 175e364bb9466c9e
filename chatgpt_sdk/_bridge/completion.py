"""A finished Response → a Chat completion."""

from __future__ import annotations

from typing import Any

from chatgpt_sdk._bridge._build import _new
from chatgpt_sdk.models import chat as c
from chatgpt_sdk.models import responses as r

_CHAT_SERVICE_TIERS = frozenset({"auto", "default", "flex", "scale", "priority", "fast"})


def _finish_reason(has_tool_calls: bool, status: str | None, incomplete: Any) -> str:
    """``tool_calls`` if any call, ``content_filter``/``length`` when incomplete, else ``stop``."""
    if has_tool_calls:
        return "tool_calls"
    if status == "incomplete":
        reason = incomplete.reason if incomplete is not None else None
        return "content_filter" if reason == "content_filter" else "length"
    return "stop"


def _chat_usage(usage: r.ResponseUsage | None) -> c.CompletionUsage | None:
    if usage is None:
        return None
    cached = usage.input_tokens_details.cached_tokens if usage.input_tokens_details else 0
    reasoning = usage.output_tokens_details.reasoning_tokens if usage.output_tokens_details else 0
    return _new(
        c.CompletionUsage,
        {
            "prompt_tokens": usage.input_tokens,
            "completion_tokens": usage.output_tokens,
            "total_tokens": usage.total_tokens,
            "prompt_tokens_details": _new(c.PromptTokensDetails, {"cached_tokens": cached}),
            "completion_tokens_details": _new(
                c.CompletionTokensDetails, {"reasoning_tokens": reasoning}
            ),
        },
    )


def _replay_item(item: r.ReasoningItem) -> dict[str, Any]:
    """A reasoning output item as it must be sent back: without its server ``id`` and status."""
    return item.model_dump(exclude={"id", "status"}, exclude_none=True)


def _summary_text(item: Any) -> list[str]:
    return [s.text for s in item.summary if s.text]


def _chat_id(response_id: str) -> str:
    return "chatcmpl-" + response_id


def response_to_chat_completion(
    response: r.Response, *, model: str | None = None
) -> c.ChatCompletion:
    """Convert a final Responses result into a one-choice Chat completion.

    ``content`` is the joined message text (``None`` when there is none and the model called tools
    or refused); function calls become ``tool_calls`` with ``id`` = ``call_id``; reasoning becomes
    the ``reasoning_content`` and ``reasoning_items`` extension fields.
    """
    texts: list[str] = []
    refusals: list[str] = []
    annotations: list[Any] = []
    tool_calls: list[Any] = []
    reasoning_texts: list[str] = []
    reasoning_items: list[dict[str, Any]] = []
    offset = 0
    for item in response.output or ():
        if isinstance(item, r.OutputMessage):
            for part in item.content:
                if isinstance(part, r.OutputTextContent):
                    texts.append(part.text)
                    for note in part.annotations or ():
                        if isinstance(note, r.UrlCitationBody):
                            annotations.append(_chat_annotation(note, offset))
                    offset += len(part.text)
                elif isinstance(part, r.RefusalContent):
                    refusals.append(part.refusal)
        elif isinstance(item, r.FunctionToolCall):
            tool_calls.append(_chat_tool_call(item))
        elif isinstance(item, r.ReasoningItem):
            reasoning_texts.extend(_summary_text(item))
            if item.encrypted_content:
                reasoning_items.append(_replay_item(item))
    text = "".join(texts)
    refusal = "".join(refusals) or None
    extra: dict[str, Any] = {}
    if reasoning_texts:
        extra["reasoning_content"] = "\n\n".join(reasoning_texts)
    if reasoning_items:
        extra["reasoning_items"] = reasoning_items
    fields: dict[str, Any] = {
        "role": "assistant",
        "content": text or (None if tool_calls or refusal else ""),
        "refusal": refusal,
    }
    if tool_calls:
        fields["tool_calls"] = tool_calls
    if annotations:
        fields["annotations"] = annotations
    message = _new(c.ChatCompletionResponseMessage, fields, extra)
    choice = _new(
        c.Choice,
        {
            "index": 0,
            "message": message,
            "finish_reason": _finish_reason(
                bool(tool_calls), response.status, response.incomplete_details
            ),
            "logprobs": None,
        },
    )
    completion: dict[str, Any] = {
        "id": _chat_id(response.id),
        "object": "chat.completion",
        "created": response.created_at or 0,
        "model": model or response.model or "",
        "choices": [choice],
        "usage": _chat_usage(response.usage),
    }
    if response.service_tier in _CHAT_SERVICE_TIERS:
        completion["service_tier"] = response.service_tier
    return _new(c.ChatCompletion, completion)


def _chat_tool_call(item: Any) -> c.ChatCompletionMessageToolCall:
    return _new(
        c.ChatCompletionMessageToolCall,
        {
            "id": item.call_id,
            "type": "function",
            "function": _new(c.Function, {"name": item.name, "arguments": item.arguments}),
        },
    )


def _chat_annotation(note: Any, offset: int) -> c.Annotation:
    """A Responses ``url_citation`` → Chat, its indices shifted into the joined message text."""
    citation = _new(
        c.UrlCitation,
        {
            "url": note.url,
            "title": note.title,
            "start_index": note.start_index + offset,
            "end_index": note.end_index + offset,
        },
    )
    return _new(c.Annotation, {"type": "url_citation", "url_citation": citation})
