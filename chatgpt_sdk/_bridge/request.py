"""Chat Completions request → Responses request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from chatgpt_sdk._bridge._build import _new, _plain, _texts
from chatgpt_sdk.errors import BridgeError
from chatgpt_sdk.models import chat as c
from chatgpt_sdk.models import responses as r

# Fields that mean the same on both sides and pass through unchanged (the normaliser removes what
# the backend rejects, with a warning).
_SAME_FIELDS = frozenset(
    {
        "model",
        "metadata",
        "temperature",
        "top_p",
        "user",
        "service_tier",
        "prompt_cache_key",
        "prompt_cache_retention",
        "parallel_tool_calls",
        "top_logprobs",
        "safety_identifier",
    }
)
# Same meaning, but a structured value: validated into the Responses model.
_SAME_MODEL_FIELDS: dict[str, type[BaseModel]] = {
    "prompt_cache_options": r.PromptCacheOptionsParam,
    "moderation": r.ModerationParam,
}
# Handled by dedicated code, or transport concerns the client owns (stream, stream_options, store).
_HANDLED = frozenset(
    {
        "messages",
        "n",
        "modalities",
        "audio",
        "tools",
        "functions",
        "tool_choice",
        "function_call",
        "response_format",
        "reasoning_effort",
        "reasoning",
        "verbosity",
        "web_search_options",
        "stream",
        "stream_options",
        "store",
    }
)


def chat_request_to_responses(
    params: Mapping[str, Any] | c.CreateChatCompletionRequest,
) -> r.CreateResponse:
    """Map Chat Completions request parameters to a Responses request (see docs/chat.md).

    Leading system messages become ``instructions`` (joined by blank lines), later ones developer
    messages. Parameters without a Responses equivalent (``max_tokens``, ``frequency_penalty``,
    ...) are carried as extra fields for the client's normaliser to warn about; nothing is dropped
    silently. ``stream_options.include_usage`` is a stream-time option: pass it to
    :func:`chat_chunks` as ``include_usage``. The input is never mutated; the output may share
    nested JSON values (tool schemas, metadata) with it.
    """
    p: Mapping[str, Any] = _plain(params)
    n = p.get("n")
    if n is not None and n > 1:
        raise BridgeError(
            f"n={n} is not supported: the ChatGPT backend returns one choice per request; "
            "send separate requests instead"
        )
    modalities = p.get("modalities")
    if p.get("audio") is not None or (modalities and "audio" in modalities):
        raise BridgeError("audio output is not supported by the ChatGPT backend")

    instructions, items = _messages_to_input(p["messages"])
    fields: dict[str, Any] = {"input": items}
    if instructions is not None:
        fields["instructions"] = instructions
    extra: dict[str, Any] = {}
    for key, value in p.items():
        if value is None or key in _HANDLED:
            continue
        if key in _SAME_FIELDS:
            fields[key] = value
        elif key in _SAME_MODEL_FIELDS:
            fields[key] = _SAME_MODEL_FIELDS[key].model_validate(value)
        else:
            extra[key] = value

    tools = _tools_to_responses(p)
    if tools is not None:
        fields["tools"] = tools
    tool_choice = p.get("tool_choice")
    if tool_choice is None:
        tool_choice = p.get("function_call")
    if tool_choice is not None:
        fields["tool_choice"] = _tool_choice_to_responses(tool_choice)
    text = _text_to_responses(p.get("response_format"), p.get("verbosity"))
    if text is not None:
        fields["text"] = text
    reasoning = _reasoning_to_responses(p.get("reasoning"), p.get("reasoning_effort"))
    if reasoning is not None:
        fields["reasoning"] = reasoning
    return _new(r.CreateResponse, fields, extra)


def _messages_to_input(messages: Iterable[Any]) -> tuple[str | None, list[Any]]:
    """Chat messages → (instructions, Responses input items). The hot loop of a conversion."""
    instructions: list[str] = []
    items: list[Any] = []
    leading = True
    for raw in messages:
        m = raw if raw.__class__ is dict else _plain(raw)
        role = m["role"]
        if leading:
            if role == "system":
                instructions.append(_texts(m["content"]))
                continue
            leading = False
        if role == "tool":
            output = m["content"]
            items.append(
                _new(
                    r.FunctionCallOutputItemParam,
                    {
                        "type": "function_call_output",
                        "call_id": m["tool_call_id"],
                        "output": output if output.__class__ is str else _texts(output),
                    },
                )
            )
        elif role == "assistant":
            _assistant_to_items(m, items)
        elif role == "user":
            items.append(_input_message("user", m["content"]))
        elif role in ("system", "developer"):
            items.append(_input_message("developer", m["content"]))
        else:
            raise BridgeError(
                f"messages with role {role!r} are not supported; use tool_calls and tool messages"
            )
    return ("\n\n".join(instructions) if instructions else None), items


def _input_message(role: str, content: Any) -> r.EasyInputMessage:
    if content.__class__ is str:
        parts: list[Any] = [_new(r.InputTextContent, {"type": "input_text", "text": content})]
    else:
        parts = [_input_part(part) for part in content]
    return _new(r.EasyInputMessage, {"type": "message", "role": role, "content": parts})


def _input_part(part: Mapping[str, Any]) -> Any:
    kind = part["type"]
    if kind == "text":
        return _new(r.InputTextContent, {"type": "input_text", "text": part["text"]})
    if kind == "image_url":
        image = part["image_url"]
        url = image["url"]
        return _new(
            r.InputImageContent,
            {
                "type": "input_image",
                "image_url": str(url),
                "detail": image.get("detail") or "auto",
            },
        )
    if kind == "file":
        file = part["file"]
        return _new(
            r.InputFileContent,
            {
                "type": "input_file",
                **{
                    k: file[k]
                    for k in ("file_id", "filename", "file_data")
                    if file.get(k) is not None
                },
            },
        )
    raise BridgeError(f"content parts of type {kind!r} are not supported by the ChatGPT backend")


def _assistant_to_items(m: Mapping[str, Any], items: list[Any]) -> None:
    """One assistant message → its replayed reasoning, its message, then its function calls."""
    get = m.get
    if get("function_call") is not None:
        raise BridgeError("legacy assistant function_call is not supported; use tool_calls")
    for reasoning in get("reasoning_items") or ():
        replay = {k: v for k, v in reasoning.items() if k not in ("id", "status")}
        replay["type"] = "reasoning"
        items.append(r.ReasoningItem.model_validate(replay))
    content = get("content")
    refusal = get("refusal")
    if content or refusal:
        parts: list[Any] = []
        if content.__class__ is str:
            parts.append(_new(r.OutputTextContent, {"type": "output_text", "text": content}))
        elif content:
            for part in content:
                if part["type"] == "refusal":
                    parts.append(
                        _new(r.RefusalContent, {"type": "refusal", "refusal": part["refusal"]})
                    )
                else:
                    parts.append(
                        _new(r.OutputTextContent, {"type": "output_text", "text": part["text"]})
                    )
        if refusal:
            parts.append(_new(r.RefusalContent, {"type": "refusal", "refusal": refusal}))
        items.append(
            _new(r.OutputMessage, {"type": "message", "role": "assistant", "content": parts})
        )
    for call in get("tool_calls") or ():
        if call["type"] != "function":
            raise BridgeError(f"tool calls of type {call['type']!r} are not supported")
        function = call["function"]
        items.append(
            _new(
                r.FunctionToolCall,
                {
                    "type": "function_call",
                    "call_id": call["id"],
                    "name": function["name"],
                    "arguments": function["arguments"],
                },
            )
        )


def _flat_function(function: Mapping[str, Any]) -> r.FunctionTool:
    fields = {"type": "function", "name": function["name"]}
    for key in ("description", "parameters", "strict"):
        if function.get(key) is not None:
            fields[key] = function[key]
    return _new(r.FunctionTool, fields)


def _tools_to_responses(p: Mapping[str, Any]) -> list[Any] | None:
    """Chat ``tools`` (nested under ``function``) or legacy ``functions`` → flat Responses tools."""
    tools: list[Any] | None = None
    chat_tools = p.get("tools")
    if chat_tools is not None:
        tools = []
        for tool in chat_tools:
            if tool["type"] != "function":
                raise BridgeError(
                    f"tools of type {tool['type']!r} are not supported by the Chat bridge; "
                    "use the Responses API"
                )
            tools.append(_flat_function(tool["function"]))
    elif p.get("functions") is not None:
        tools = [_flat_function(f) for f in p["functions"]]
    options = p.get("web_search_options")
    if options is not None:
        tools = [*(tools or ()), _web_search_tool(options)]
    return tools


_LOCATION_FIELDS = ("country", "region", "city", "timezone")


def _web_search_tool(options: Mapping[str, Any]) -> r.WebSearchTool:
    """Chat ``web_search_options`` → the Responses ``web_search`` tool.

    ``search_context_size`` carries over; ``user_location`` (``{"type": "approximate",
    "approximate": {country, region, city, timezone}}`` in Chat) is flat in Responses. Other keys
    pass through unchanged, for the tool's model to accept or refuse.
    """
    fields: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    fields["type"] = "web_search"
    location = fields.pop("user_location", None)
    if location is not None:
        approximate = location.get("approximate") or {}
        fields["user_location"] = {
            "type": location.get("type") or "approximate",
            **{k: approximate[k] for k in _LOCATION_FIELDS if approximate.get(k) is not None},
        }
    return r.WebSearchTool.model_validate(fields)


def _tool_choice_to_responses(choice: Any) -> Any:
    if isinstance(choice, str):
        return choice
    kind = choice.get("type")
    if kind == "function":
        return _new(r.ToolChoiceFunction, {"type": "function", "name": choice["function"]["name"]})
    if kind is None and "name" in choice:  # legacy function_call={"name": ...}
        return _new(r.ToolChoiceFunction, {"type": "function", "name": choice["name"]})
    if kind == "allowed_tools":
        allowed = choice["allowed_tools"]
        tools = [
            {"type": t["type"], "name": t["function"]["name"]} if t.get("function") else dict(t)
            for t in allowed["tools"]
        ]
        return _new(
            r.ToolChoiceAllowed, {"type": "allowed_tools", "mode": allowed["mode"], "tools": tools}
        )
    raise BridgeError(f"tool_choice of type {kind!r} is not supported by the Chat bridge")


def _text_to_responses(response_format: Any, verbosity: Any) -> r.ResponseTextParam | None:
    fields: dict[str, Any] = {}
    if response_format is not None:
        fmt = response_format
        if fmt["type"] == "json_schema":
            fields["format"] = r.TextResponseFormatJsonSchema.model_validate(
                {"type": "json_schema", "schema": {}, **fmt["json_schema"]}
            )
        elif fmt["type"] == "json_object":
            fields["format"] = _new(r.ResponseFormatJsonObject, {"type": "json_object"})
        else:
            fields["format"] = _new(r.ResponseFormatText, {"type": "text"})
    if verbosity is not None:
        fields["verbosity"] = verbosity
    return _new(r.ResponseTextParam, fields) if fields else None


def _reasoning_to_responses(reasoning: Any, effort: Any) -> r.Reasoning | None:
    if reasoning is None:
        return None if effort is None else _new(r.Reasoning, {"effort": effort})
    merged = dict(reasoning)
    if effort is not None:
        merged["effort"] = effort
    return r.Reasoning.model_validate(merged)
