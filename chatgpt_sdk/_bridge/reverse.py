"""The reverse directions: a Responses request → Chat, a Chat completion → a Response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chatgpt_sdk._bridge._build import _plain, _texts
from chatgpt_sdk._bridge.request import _LOCATION_FIELDS, _SAME_FIELDS
from chatgpt_sdk.errors import BridgeError
from chatgpt_sdk.models import chat as c
from chatgpt_sdk.models import responses as r

_REQUEST_SAME = _SAME_FIELDS | {"prompt_cache_options", "moderation"}
_REQUEST_DROPPED = frozenset({"input", "instructions", "tools", "tool_choice", "text", "reasoning"})
_TRANSPORT = frozenset({"store", "stream", "stream_options", "include"})


def responses_request_to_chat(
    request: r.CreateResponse | Mapping[str, Any],
) -> c.CreateChatCompletionRequest:
    """Map a Responses request back to Chat Completions parameters (the inverse of
    :func:`chat_request_to_responses` for everything Chat can express).

    Assistant-side items (reasoning, assistant message, function calls) that follow each other
    become one assistant message, reasoning items going to its ``reasoning_items``.
    ``max_output_tokens`` becomes ``max_completion_tokens``. Items and tools with no Chat
    equivalent raise :class:`BridgeError`.
    """
    p: Mapping[str, Any] = _plain(request)
    messages: list[dict[str, Any]] = []
    if p.get("instructions") is not None:
        messages.append({"role": "system", "content": p["instructions"]})
    items = p.get("input")
    if isinstance(items, str):
        messages.append({"role": "user", "content": items})
    else:
        _items_to_messages([_plain(i) for i in items or ()], messages)
    out: dict[str, Any] = {"messages": messages}
    for key, value in p.items():
        if value is None or key in _TRANSPORT or key in _REQUEST_DROPPED:
            continue
        if key == "max_output_tokens":
            out["max_completion_tokens"] = value
        else:
            out[key] = value
    if p.get("tools") is not None:
        tools = [_plain(t) for t in p["tools"]]
        searches = [t for t in tools if t.get("type") in _WEB_SEARCH_TYPES]
        if len(searches) > 1:
            raise BridgeError("Chat Completions holds one web search (web_search_options), not two")
        if searches:
            out["web_search_options"] = _web_search_options(searches[0])
        if len(searches) < len(tools) or not searches:
            out["tools"] = [_chat_tool(t) for t in tools if t.get("type") not in _WEB_SEARCH_TYPES]
    if p.get("tool_choice") is not None:
        out["tool_choice"] = _chat_tool_choice(_plain(p["tool_choice"]))
    text = p.get("text")
    if text is not None:
        text = _plain(text)
        if text.get("verbosity") is not None:
            out["verbosity"] = text["verbosity"]
        fmt = text.get("format")
        if fmt is not None:
            out["response_format"] = _chat_response_format(_plain(fmt))
    reasoning = p.get("reasoning")
    if reasoning is not None:
        reasoning = {k: v for k, v in _plain(reasoning).items() if v is not None}
        if "effort" in reasoning:
            out["reasoning_effort"] = reasoning.pop("effort")
        if reasoning:
            out["reasoning"] = reasoning
    return c.CreateChatCompletionRequest.model_validate(out)


def _items_to_messages(items: list[Mapping[str, Any]], messages: list[dict[str, Any]]) -> None:
    """Responses input items → Chat messages. An assistant turn is reasoning → text → calls."""
    turn: dict[str, Any] | None = None
    stage = 0  # 0: reasoning so far, 1: text, 2: tool calls

    def assistant(at: int) -> dict[str, Any]:
        nonlocal turn, stage
        if turn is None or at < stage or (at == stage == 1):
            turn = {"role": "assistant", "content": None}
            messages.append(turn)
        stage = at
        return turn

    for item in items:
        role = item.get("role")
        kind = item.get("type") or (
            "item_reference" if role is None and "id" in item else "message"
        )
        if kind == "message" and role == "assistant":
            message = assistant(1)
            content = item["content"]
            if isinstance(content, str):
                message["content"] = content
                continue
            message["content"] = "".join(
                p["text"] for p in content if p["type"] in ("output_text", "input_text")
            )
            refusal = "".join(p["refusal"] for p in content if p["type"] == "refusal")
            if refusal:
                message["refusal"] = refusal
        elif kind == "reasoning":
            replay = {k: v for k, v in item.items() if k not in ("id", "status") and v is not None}
            assistant(0).setdefault("reasoning_items", []).append(replay)
        elif kind == "function_call":
            call = {
                "id": item["call_id"],
                "type": "function",
                "function": {"name": item["name"], "arguments": item["arguments"]},
            }
            assistant(2).setdefault("tool_calls", []).append(call)
        elif kind == "function_call_output":
            turn = None
            output = item["output"]
            text = output if isinstance(output, str) else _texts(output)
            messages.append({"role": "tool", "tool_call_id": item["call_id"], "content": text})
        elif kind == "message":
            turn = None
            messages.append({"role": role, "content": _chat_content(item["content"])})
        else:
            raise BridgeError(f"input items of type {kind!r} have no Chat Completions equivalent")


def _chat_content(content: Any) -> Any:
    """Responses message content → Chat content: one text part collapses to a string."""
    if isinstance(content, str):
        return content
    parts: list[dict[str, Any]] = []
    for part in content:
        kind = part["type"]
        if kind == "input_text":
            parts.append({"type": "text", "text": part["text"]})
        elif kind == "input_image" and part.get("image_url") is not None:
            parts.append(
                {
                    "type": "image_url",
                    "image_url": {
                        "url": str(part["image_url"]),
                        "detail": part.get("detail") or "auto",
                    },
                }
            )
        elif kind == "input_file":
            file = {
                k: part[k] for k in ("file_id", "filename", "file_data") if part.get(k) is not None
            }
            parts.append({"type": "file", "file": file})
        else:
            raise BridgeError(f"content parts of type {kind!r} have no Chat Completions equivalent")
    if len(parts) == 1 and parts[0]["type"] == "text":
        return parts[0]["text"]
    return parts


_WEB_SEARCH_TYPES = frozenset(
    {"web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11"}
)
# A web search tool's fields Chat's web_search_options cannot hold, unless they have this value.
_WEB_SEARCH_DEFAULTS: dict[str, Any] = {"external_web_access": True}


def _web_search_options(tool: Mapping[str, Any]) -> dict[str, Any]:
    """A Responses web search tool → Chat ``web_search_options`` (the inverse of
    :func:`_web_search_tool`); fields Chat cannot express raise :class:`BridgeError`."""
    options: dict[str, Any] = {}
    for key, value in tool.items():
        if key == "type" or value is None or _WEB_SEARCH_DEFAULTS.get(key, ...) == value:
            continue
        if key == "search_context_size":
            options[key] = value
        elif key == "user_location":
            location = _plain(value)
            options[key] = {
                "type": location.get("type") or "approximate",
                "approximate": {
                    k: location[k] for k in _LOCATION_FIELDS if location.get(k) is not None
                },
            }
        else:
            raise BridgeError(
                f"the {tool['type']} tool's {key!r} has no Chat Completions equivalent "
                "(web_search_options holds user_location and search_context_size)"
            )
    return options


def _chat_tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    if tool.get("type") != "function":
        raise BridgeError(f"tools of type {tool.get('type')!r} have no Chat Completions equivalent")
    function = {
        k: tool[k]
        for k in ("name", "description", "parameters", "strict")
        if tool.get(k) is not None
    }
    return {"type": "function", "function": function}


def _chat_tool_choice(choice: Any) -> Any:
    if isinstance(choice, str):
        return choice
    kind = choice.get("type")
    if kind == "function":
        return {"type": "function", "function": {"name": choice["name"]}}
    if kind == "allowed_tools":
        tools = [
            {"type": "function", "function": {"name": t["name"]}}
            if t.get("type") == "function"
            else t
            for t in choice["tools"]
        ]
        return {"type": "allowed_tools", "allowed_tools": {"mode": choice["mode"], "tools": tools}}
    raise BridgeError(f"tool_choice of type {kind!r} has no Chat Completions equivalent")


def _chat_response_format(fmt: Mapping[str, Any]) -> dict[str, Any]:
    if fmt["type"] != "json_schema":
        return {"type": fmt["type"]}
    schema = {k: v for k, v in fmt.items() if k != "type" and v is not None}
    return {"type": "json_schema", "json_schema": schema}


_INCOMPLETE_REASONS = {"length": "max_output_tokens", "content_filter": "content_filter"}


def chat_completion_to_response(completion: c.ChatCompletion | Mapping[str, Any]) -> r.Response:
    """Map a Chat completion back to a Responses result (the inverse of
    :func:`response_to_chat_completion`): ``reasoning_items`` (else one reasoning item holding
    ``reasoning_content``), the message, then the function calls; ``length`` /
    ``content_filter`` become status ``incomplete``. More than one choice
    raises :class:`BridgeError`.
    """
    data: Mapping[str, Any] = _plain(completion)
    choices = data["choices"]
    if len(choices) != 1:
        raise BridgeError(
            f"a Responses result holds one choice, this completion has {len(choices)}"
        )
    choice = _plain(choices[0])
    message = _plain(choice["message"])
    output: list[dict[str, Any]] = [
        {k: v for k, v in _plain(item).items() if k not in ("id", "status")} | {"type": "reasoning"}
        for item in message.get("reasoning_items") or ()
    ]
    if not output and message.get("reasoning_content"):
        summary = [{"type": "summary_text", "text": message["reasoning_content"]}]
        output.append({"type": "reasoning", "summary": summary})
    parts: list[dict[str, Any]] = []
    if message.get("content"):
        annotations = [
            {"type": "url_citation", **_plain(a)["url_citation"]}
            for a in message.get("annotations") or ()
            if _plain(a).get("type") == "url_citation"
        ]
        parts.append(
            {"type": "output_text", "text": message["content"], "annotations": annotations}
        )
    if message.get("refusal"):
        parts.append({"type": "refusal", "refusal": message["refusal"]})
    if parts:
        output.append(
            {"type": "message", "role": "assistant", "status": "completed", "content": parts}
        )
    for raw in message.get("tool_calls") or ():
        call = _plain(raw)
        if call["type"] != "function":
            raise BridgeError(f"tool calls of type {call['type']!r} are not supported")
        function = _plain(call["function"])
        output.append(
            {
                "type": "function_call",
                "call_id": call["id"],
                "name": function["name"],
                "arguments": function["arguments"],
                "status": "completed",
            }
        )
    completion_id: str = data["id"]
    response: dict[str, Any] = {
        "id": completion_id.removeprefix("chatcmpl-"),
        "object": "response",
        "created_at": data.get("created"),
        "model": data.get("model"),
        "status": "completed",
        "output": output,
    }
    reason = _INCOMPLETE_REASONS.get(choice.get("finish_reason") or "")
    if reason is not None:
        response["status"] = "incomplete"
        response["incomplete_details"] = {"reason": reason}
    if data.get("service_tier") is not None:
        response["service_tier"] = data["service_tier"]
    usage = data.get("usage")
    if usage is not None:
        usage = _plain(usage)
        prompt = _plain(usage.get("prompt_tokens_details")) or {}
        done = _plain(usage.get("completion_tokens_details")) or {}
        response["usage"] = {
            "input_tokens": usage["prompt_tokens"],
            "input_tokens_details": {"cached_tokens": prompt.get("cached_tokens") or 0},
            "output_tokens": usage["completion_tokens"],
            "output_tokens_details": {"reasoning_tokens": done.get("reasoning_tokens") or 0},
            "total_tokens": usage["total_tokens"],
        }
    return r.Response.model_validate(response)
