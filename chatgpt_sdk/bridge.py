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

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from chatgpt_sdk.errors import BridgeError
from chatgpt_sdk.models import chat as c
from chatgpt_sdk.models import responses as r

__all__ = [
    "ChatChunkFold",
    "achat_chunks",
    "chat_chunks",
    "chat_completion_to_response",
    "chat_request_to_responses",
    "response_to_chat_completion",
    "responses_request_to_chat",
]

_M = TypeVar("_M", bound=BaseModel)
_object_new = object.__new__
# BaseModel's own slots, set through their descriptors: a third faster than object.__setattr__.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """The defaults of ``cls``'s optional fields, shared by every instance :func:`_new` builds,
    so they must be immutable."""
    defaults = {
        name: field.get_default(call_default_factory=True)
        for name, field in cls.model_fields.items()
        if not field.is_required()
    }
    if any(isinstance(v, (list, dict, set)) for v in defaults.values()):
        raise TypeError(f"{cls.__name__} has mutable defaults; build it with model_validate")
    _DEFAULTS[cls] = defaults
    return defaults


def _new(cls: type[_M], fields: dict[str, Any], extra: dict[str, Any] | None = None) -> _M:
    """Build a model from values this module assembled and knows valid, without re-validating.

    ``model_validate`` on the open unions costs ~0.5 ms per conversation and ``model_construct``
    2-10 µs per model (it resolves aliases and defaults field by field); a conversion builds dozens
    of models, so this merges cached defaults instead and sets the same four slots
    ``model_construct`` sets. ``fields`` use field names, never aliases. The tests re-validate
    every output to prove it is schema-valid.
    """
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _defaults(cls)
    obj = _object_new(cls)
    # ``fields`` is always a fresh dict from the caller, so it can become the instance's dict.
    _set_dict(obj, {**defaults, **fields} if defaults else fields)
    _set_fields_set(obj, set(fields) if extra is None else {*fields, *extra})
    _set_extra(obj, {} if extra is None else extra)
    _set_private(obj, None)
    return obj


def _plain(value: Any) -> Any:
    """A mapping view of a request or message given either as a dict or as a model."""
    if isinstance(value, BaseModel):
        return value.model_dump(exclude_unset=True)
    return value


def _texts(content: Any) -> str:
    """The text of Chat content: a string, or the joined ``text`` parts of a part list."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(p.get("text") or "" for p in content)


# --- Chat request → Responses request -------------------------------------------------------

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


# --- Response → Chat completion -------------------------------------------------------------

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


# --- Responses stream → Chat chunks ---------------------------------------------------------


class _ToolCall:
    """Stream state of one function call: its Chat index and whether arguments were sent."""

    __slots__ = ("args_sent", "index")

    def __init__(self, index: int) -> None:
        self.index = index
        self.args_sent = False


class ChatChunkFold:
    """The Responses-events → Chat-chunks state machine behind :func:`chat_chunks`.

    ``feed(event)`` returns the chunks that event produces; ``finish()`` those still owed when the
    input ends. Laws (tested): one chunk id per stream; the first chunk carries the role; tool-call
    indices are 0, 1, 2 in order of first appearance; exactly one chunk carries ``finish_reason``;
    with ``include_usage`` a last chunk has ``choices: []`` and the usage. ``response.failed`` and
    ``error`` events are skipped: the client raises ``ResponseFailedError`` / ``StreamError``
    itself. If the input stops without ``response.completed`` / ``response.incomplete`` (a dropped
    stream, which the client reports as an error), ``finish()`` still closes the Chat stream.
    """

    def __init__(self, *, model: str | None = None, include_usage: bool = False) -> None:
        self._model_override = model
        self._include_usage = include_usage
        self._id: str | None = None
        self._created = 0
        self._model = model or ""
        self._started = False
        self._finished = False
        self._tools_by_item: dict[str, _ToolCall] = {}
        self._tools_by_index: dict[int, _ToolCall] = {}
        self._tool_count = 0
        self._text_sent: set[Any] = set()
        self._reasoning_sent: set[Any] = set()
        self._last_summary: tuple[int, int] | None = None
        self._said_anything = False
        self._reasoning_items: list[dict[str, Any]] = []

    def feed(self, event: Any) -> list[c.ChatCompletionChunk]:
        """The chunks one stream event produces (often none)."""
        if self._finished:
            return []
        handler = _HANDLERS.get(event.type)
        if handler is None:
            return []
        out: list[c.ChatCompletionChunk] = []
        handler(self, event, out)
        return out

    def finish(self) -> list[c.ChatCompletionChunk]:
        """The chunks owed at the end of the input: the finish chunk if no terminal event came."""
        if self._finished:
            return []
        out: list[c.ChatCompletionChunk] = []
        self._close(out, None, None, None)
        return out

    # -- chunk building ----------------------------------------------------------------------

    def _chunk(self, choices: list[Any], usage: Any = None) -> c.ChatCompletionChunk:
        return _new(
            c.ChatCompletionChunk,
            {
                "id": self._id or "chatcmpl-stream",
                "object": "chat.completion.chunk",
                "created": self._created,
                "model": self._model,
                "choices": choices,
                "usage": usage,
            },
        )

    def _emit(
        self,
        out: list[c.ChatCompletionChunk],
        delta: dict[str, Any],
        *,
        finish: str | None = None,
        extra: dict[str, Any] | None = None,
        item_id: str | None = None,
    ) -> None:
        if not self._started:
            self._start(out, item_id)
        choice = _new(
            c.Choice1,
            {
                "index": 0,
                "delta": _new(c.ChatCompletionStreamResponseDelta, delta, extra),
                "finish_reason": finish,
                "logprobs": None,
            },
        )
        out.append(self._chunk([choice]))

    def _start(self, out: list[c.ChatCompletionChunk], item_id: str | None) -> None:
        self._started = True
        if self._id is None:
            self._id = _chat_id(item_id) if item_id else "chatcmpl-stream"
        self._emit(out, {"role": "assistant"})

    def _adopt(self, response: r.Response) -> None:
        """Take id, timestamp and model from the response envelope, before the first chunk."""
        if self._started:
            return
        self._id = _chat_id(response.id)
        self._created = response.created_at or 0
        self._model = self._model_override or response.model or ""

    def _tool(self, item_id: str | None, output_index: int) -> _ToolCall | None:
        found = self._tools_by_item.get(item_id) if item_id else None
        return found if found is not None else self._tools_by_index.get(output_index)

    def _open_tool(
        self, out: list[c.ChatCompletionChunk], item: Any, output_index: int
    ) -> _ToolCall:
        tool = _ToolCall(self._tool_count)
        self._tool_count += 1
        if item.id:
            self._tools_by_item[item.id] = tool
        self._tools_by_index[output_index] = tool
        header = _new(
            c.ChatCompletionMessageToolCallChunk,
            {
                "index": tool.index,
                "id": item.call_id,
                "type": "function",
                "function": _new(c.Function1, {"name": item.name, "arguments": ""}),
            },
        )
        self._said_anything = True
        self._emit(out, {"tool_calls": [header]}, item_id=item.id)
        return tool

    def _arguments(self, out: list[c.ChatCompletionChunk], tool: _ToolCall, delta: str) -> None:
        tool.args_sent = True
        part = _new(
            c.ChatCompletionMessageToolCallChunk,
            {"index": tool.index, "function": _new(c.Function1, {"arguments": delta})},
        )
        self._emit(out, {"tool_calls": [part]})

    def _text(
        self, out: list[c.ChatCompletionChunk], key: tuple[str | None, int], text: str, field: str
    ) -> None:
        if key[0]:
            self._text_sent.add((key[0], field))
        self._text_sent.add((key[1], field))
        self._said_anything = True
        self._emit(out, {field: text}, item_id=key[0])

    def _summary(
        self, out: list[c.ChatCompletionChunk], key: tuple[int, int], item_id: str | None, text: str
    ) -> None:
        """A reasoning-summary delta; parts are separated by a blank line, as in completions."""
        if self._last_summary is not None and self._last_summary != key:
            text = "\n\n" + text
        self._last_summary = key
        if item_id:
            self._reasoning_sent.add(item_id)
        self._reasoning_sent.add(key[0])
        self._emit(out, {}, extra={"reasoning_content": text}, item_id=item_id)

    def _close(
        self, out: list[c.ChatCompletionChunk], status: str | None, incomplete: Any, usage: Any
    ) -> None:
        self._finished = True
        delta: dict[str, Any] = {} if self._said_anything else {"content": ""}
        extra = {"reasoning_items": self._reasoning_items} if self._reasoning_items else None
        finish = _finish_reason(self._tool_count > 0, status, incomplete)
        self._emit(out, delta, finish=finish, extra=extra)
        if self._include_usage and usage is not None:
            out.append(self._chunk([], _chat_usage(usage)))

    # -- event handlers ----------------------------------------------------------------------

    def _on_created(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        self._adopt(event.response)
        if not self._started:
            self._start(out, None)

    def _on_in_progress(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        self._adopt(event.response)

    def _on_item_added(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        item = event.item
        if item.type == "function_call" and self._tool(item.id, event.output_index) is None:
            self._open_tool(out, item, event.output_index)

    def _on_text_delta(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        if event.delta:
            self._text(out, (event.item_id, event.output_index), event.delta, "content")

    def _on_refusal_delta(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        if event.delta:
            self._text(out, (event.item_id, event.output_index), event.delta, "refusal")

    def _on_arguments_delta(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        tool = self._tool(event.item_id, event.output_index)
        if tool is not None and event.delta:
            self._arguments(out, tool, event.delta)

    def _on_summary_delta(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        if event.delta:
            self._summary(
                out, (event.output_index, event.summary_index), event.item_id, event.delta
            )

    def _on_item_done(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        """Send whatever the authoritative item holds that no delta carried."""
        item, index = event.item, event.output_index
        kind = item.type
        if kind == "function_call":
            tool = self._tool(item.id, index) or self._open_tool(out, item, index)
            if not tool.args_sent and item.arguments:
                self._arguments(out, tool, item.arguments)
        elif kind == "message":
            key = (item.id, index)
            for field, part_type, attr in (
                ("content", "output_text", "text"),
                ("refusal", "refusal", "refusal"),
            ):
                if (item.id, field) in self._text_sent or (index, field) in self._text_sent:
                    continue
                text = "".join(getattr(p, attr) for p in item.content if p.type == part_type)
                if text:
                    self._text(out, key, text, field)
        elif kind == "reasoning":
            if item.id not in self._reasoning_sent and index not in self._reasoning_sent:
                for number, text in enumerate(_summary_text(item)):
                    self._summary(out, (index, number), item.id, text)
            if item.encrypted_content:
                self._reasoning_items.append(_replay_item(item))

    def _on_terminal(self, event: Any, out: list[c.ChatCompletionChunk]) -> None:
        response = event.response
        self._adopt(response)
        self._close(out, response.status, response.incomplete_details, response.usage)


_HANDLERS: dict[str, Callable[[ChatChunkFold, Any, list[c.ChatCompletionChunk]], None]] = {
    "response.created": ChatChunkFold._on_created,
    "response.in_progress": ChatChunkFold._on_in_progress,
    "response.output_item.added": ChatChunkFold._on_item_added,
    "response.output_text.delta": ChatChunkFold._on_text_delta,
    "response.refusal.delta": ChatChunkFold._on_refusal_delta,
    "response.function_call_arguments.delta": ChatChunkFold._on_arguments_delta,
    "response.reasoning_summary_text.delta": ChatChunkFold._on_summary_delta,
    "response.output_item.done": ChatChunkFold._on_item_done,
    "response.completed": ChatChunkFold._on_terminal,
    "response.incomplete": ChatChunkFold._on_terminal,
}


def chat_chunks(
    events: Iterable[Any], *, model: str | None = None, include_usage: bool = False
) -> Iterator[c.ChatCompletionChunk]:
    """Fold Responses stream events into Chat completion chunks (see :class:`ChatChunkFold`).

    ``include_usage`` mirrors the Chat request's ``stream_options.include_usage``. ``model``
    overrides the model name the response reports.
    """
    fold = ChatChunkFold(model=model, include_usage=include_usage)
    for event in events:
        yield from fold.feed(event)
    yield from fold.finish()


async def achat_chunks(
    events: AsyncIterable[Any], *, model: str | None = None, include_usage: bool = False
) -> AsyncIterator[c.ChatCompletionChunk]:
    """The async twin of :func:`chat_chunks`; the same fold, fed from an async iterator."""
    fold = ChatChunkFold(model=model, include_usage=include_usage)
    async for event in events:
        for chunk in fold.feed(event):
            yield chunk
    for chunk in fold.finish():
        yield chunk


# --- Reverse directions ---------------------------------------------------------------------

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
