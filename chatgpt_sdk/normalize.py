"""The backend-quirk normaliser: one table saying what the ChatGPT backend does with each field.

Pure functions, no I/O. When the backend changes, the fix is a row in ``FIELDS`` (and maybe an
override in ``schema/``), nothing else. Evidence markers follow WIRE.md: [cap] captured from Codex
0.171 on the wire, [source] read from the Codex CLI, [3rd] reported by third parties, [?]
untested but unsafe to send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chatgpt_sdk.catalog import ModelProfile

__all__ = [
    "FIELDS",
    "LITE_HEADER",
    "LITE_RULES",
    "Action",
    "Normalized",
    "Rule",
    "ShapeError",
    "Shaped",
    "lite_tools",
    "namespaced_item",
    "normalize_item",
    "normalize_request",
    "shape_for_model",
    "unsupported_fields",
]

ENCRYPTED_REASONING = "reasoning.encrypted_content"


class Action(str, Enum):
    SEND = "send"  # passed through as given
    FORCE = "force"  # always sent with a fixed value
    REWRITE = "rewrite"  # reshaped into what the backend accepts
    UNSUPPORTED = "unsupported"  # removed with a warning (or an error in strict mode)
    EMULATE = "emulate"  # not sent: the client does it (from a response store)


@dataclass(frozen=True)
class Rule:
    action: Action
    evidence: str
    value: Any = None  # the forced value, for FORCE


FIELDS: Mapping[str, Rule] = MappingProxyType(
    {
        "model": Rule(Action.SEND, "[source] the model slug"),
        "instructions": Rule(
            Action.REWRITE,
            "[cap] optional: Codex 0.171 sends none; a configured default only when the caller "
            "gave none (the 2025 'Instructions are required' [3rd] no longer holds)",
        ),
        "input": Rule(
            Action.REWRITE,
            "[3rd] a string gives 400 'Input must be a list'; 'System messages are not allowed'; "
            "an id without its content gives 404 'Item with id ... not found' (store=false), so ids "
            "are removed ([cap] Codex 0.171 sends them on full items: harmless) except on an "
            "item_reference, which is nothing but its id; Codex sends no status",
        ),
        "tools": Rule(
            Action.REWRITE, "[source] function tools are flat; Chat-style nesting flattened"
        ),
        "tool_choice": Rule(Action.SEND, "[source] Codex sends 'auto'"),
        "parallel_tool_calls": Rule(Action.SEND, "[source]"),
        "reasoning": Rule(Action.SEND, "[source] effort and summary"),
        "text": Rule(Action.SEND, "[source] verbosity and format"),
        "include": Rule(
            Action.REWRITE, "[source] reasoning.encrypted_content added when reasoning is requested"
        ),
        "store": Rule(Action.FORCE, "[3rd] 400 'Store must be set to false'", False),
        "stream": Rule(Action.FORCE, "[3rd] the backend only streams", True),
        "prompt_cache_key": Rule(
            Action.REWRITE, "[source] defaults to the session id, which makes caching hit"
        ),
        "service_tier": Rule(Action.SEND, "[source] 'priority' (fast) or 'flex'"),
        "client_metadata": Rule(Action.SEND, "[source] Codex sends an installation id"),
        "max_output_tokens": Rule(
            Action.UNSUPPORTED, "[3rd] 400 'Unsupported parameter: max_output_tokens'"
        ),
        "max_tokens": Rule(
            Action.UNSUPPORTED, "[3rd] token limits are rejected (LiteLLM strips it)"
        ),
        "max_completion_tokens": Rule(
            Action.UNSUPPORTED, "[3rd] token limits are rejected (LiteLLM strips it)"
        ),
        "metadata": Rule(Action.UNSUPPORTED, "[3rd] reported rejected"),
        "temperature": Rule(Action.UNSUPPORTED, "[3rd] reported rejected"),
        "top_p": Rule(Action.UNSUPPORTED, "[?] untested; rejected like temperature"),
        "top_logprobs": Rule(Action.UNSUPPORTED, "[?] untested; Codex never sends it"),
        "user": Rule(Action.UNSUPPORTED, "[?] untested; Codex never sends it"),
        "safety_identifier": Rule(Action.UNSUPPORTED, "[?] untested; Codex never sends it"),
        "truncation": Rule(Action.UNSUPPORTED, "[?] untested; Codex never sends it"),
        "max_tool_calls": Rule(Action.UNSUPPORTED, "[?] untested; Codex never sends it"),
        "background": Rule(
            Action.UNSUPPORTED, "[?] untested; nothing is stored, so nothing to poll"
        ),
        "stream_options": Rule(Action.UNSUPPORTED, "[?] untested on classic models"),
        "context_management": Rule(Action.UNSUPPORTED, "[?] untested; Codex never sends it"),
        "previous_response_id": Rule(
            Action.EMULATE,
            "[source] nothing is stored over HTTP: the stored chain is replayed from the "
            "client's response store (response_store=...)",
        ),
        "conversation": Rule(Action.UNSUPPORTED, "[?] nothing is stored with store=false"),
        "prompt_cache_retention": Rule(Action.UNSUPPORTED, "[?] untested; Codex never sends it"),
        # Chat Completions parameters with no Responses equivalent, arriving through the bridge.
        "frequency_penalty": Rule(Action.UNSUPPORTED, "[?] Chat-only; the Responses API has none"),
        "presence_penalty": Rule(Action.UNSUPPORTED, "[?] Chat-only; the Responses API has none"),
        "seed": Rule(Action.UNSUPPORTED, "[?] Chat-only; the Responses API has none"),
        "stop": Rule(Action.UNSUPPORTED, "[?] Chat-only; the Responses API has none"),
        "logprobs": Rule(Action.UNSUPPORTED, "[?] Chat-only here; Codex never asks for logprobs"),
        "logit_bias": Rule(Action.UNSUPPORTED, "[?] Chat-only; the Responses API has none"),
        "prediction": Rule(Action.UNSUPPORTED, "[?] Chat-only; the Responses API has none"),
    }
)


_FORCED: dict[int, dict[str, Any]] = {}  # id(table) -> its forced fields (tables are constants)


def _forced(fields: Mapping[str, Rule]) -> dict[str, Any]:
    forced = _FORCED.get(id(fields))
    if forced is None:
        forced = _FORCED[id(fields)] = {
            key: rule.value for key, rule in fields.items() if rule.action is Action.FORCE
        }
    return forced


@dataclass(frozen=True)
class Normalized:
    body: dict[str, Any]
    removed: tuple[str, ...]  # the unsupported fields taken out, in request order
    overridden: tuple[str, ...] = ()  # forced fields the caller had set otherwise
    emulated: Mapping[str, Any] = field(default_factory=dict)  # EMULATE fields, for the client
    # the table that decided (for the evidence)
    fields: Mapping[str, Rule] = field(default_factory=lambda: FIELDS)

    def notes(self) -> list[tuple[str, str]]:
        """(what, why) for each field removed or overridden, as warnings and errors say it."""
        notes = [(name, self.fields[name].evidence) for name in self.removed]
        notes += [
            (f"{name}={self.fields[name].value!r} is forced", self.fields[name].evidence)
            for name in self.overridden
        ]
        return notes


def unsupported_fields(params: Mapping[str, Any], fields: Mapping[str, Rule] = FIELDS) -> list[str]:
    """The fields of ``params`` the backend rejects, in the caller's order (the table's rows)."""
    return [
        key
        for key in params
        if (rule := fields.get(key)) is not None and rule.action is Action.UNSUPPORTED
    ]


def _message(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def normalize_item(item: Any) -> Any:
    """One input item as it is sent: ids and status removed (but an item_reference's)."""
    if not isinstance(item, Mapping):
        return item  # left for validation to report
    kind = item.get("type")
    if kind == "item_reference" or (kind is None and "id" in item and "role" not in item):
        return dict(item)  # a reference (its type may be left out): its id is the whole item
    out = {k: v for k, v in item.items() if k not in ("id", "status")}
    if out.get("role") == "system" and out.get("type", "message") == "message":
        out["role"] = "developer"
    return out


def _normalize_input(value: Any) -> Any:
    if isinstance(value, str):
        return [_message(value)]
    if isinstance(value, list):
        return [normalize_item(item) for item in value]
    return value


def _flatten_tool(tool: Any) -> Any:
    if (
        isinstance(tool, Mapping)
        and tool.get("type") == "function"
        and isinstance(tool.get("function"), Mapping)
        and "name" not in tool
    ):
        flat = {"type": "function", **tool["function"]}
        flat.update({k: v for k, v in tool.items() if k not in ("type", "function")})
        return flat
    return tool


def normalize_request(
    params: Mapping[str, Any],
    *,
    default_instructions: str | None = None,
    prompt_cache_key: str | None = None,
    fields: Mapping[str, Rule] = FIELDS,
) -> Normalized:
    """What to send for ``params`` (a Responses request as plain JSON data); never mutates it.

    Fields absent from the table are sent untouched: the backend may accept fields this SDK does
    not know yet, and the generated models already validated their shape.
    """
    body: dict[str, Any] = {}
    removed: list[str] = []
    overridden: list[str] = []
    emulated: dict[str, Any] = {}
    for key, value in params.items():
        rule = fields.get(key)
        if rule is None or rule.action is Action.SEND:
            body[key] = value
        elif rule.action is Action.UNSUPPORTED:
            removed.append(key)
        elif rule.action is Action.FORCE:
            if value != rule.value:
                overridden.append(key)
        elif rule.action is Action.EMULATE:
            emulated[key] = value
        elif key == "input":
            body[key] = _normalize_input(value)
        elif key == "tools" and isinstance(value, list):
            body[key] = [_flatten_tool(t) for t in value]
        elif key in ("instructions", "include", "prompt_cache_key", "tools"):
            body[key] = value  # completed below
    body.update(_forced(fields))
    if not body.get("instructions"):
        body.pop("instructions", None)  # an empty string is no instructions
        if default_instructions:
            body["instructions"] = default_instructions
    body.setdefault("input", [])
    if body.get("prompt_cache_key") is None and prompt_cache_key:
        body["prompt_cache_key"] = prompt_cache_key
    include = body.get("include") or []
    if body.get("reasoning") and isinstance(include, list) and ENCRYPTED_REASONING not in include:
        body["include"] = [*include, ENCRYPTED_REASONING]  # anything but a list: validation says
    return Normalized(
        body=body,
        removed=tuple(removed),
        overridden=tuple(overridden),
        fields=fields,
        emulated=emulated,
    )


# --- the model's shape ---------------------------------------------------------------------
# What the catalog entry of the requested model changes (chatgpt_sdk.catalog.ModelProfile).
# Responses Lite models (`use_responses_lite`) take the shape Codex 0.171 sends them
# (captures/http-lite-gpt-6.2-sol.json); each rule says what it rests on.

LITE_HEADER = "x-openai-internal-codex-responses-lite"
DEFAULT_NAMESPACE = "functions"
LITE_RULES: Mapping[str, str] = {
    "header": f"[cap] {LITE_HEADER}: true; without it a Lite model answers 404 'Model not found'"
    " [3rd], and on a classic model it is refused 400 unsupported_value [3rd]",
    "tools": "[cap] no top-level tools: an additional_tools item (role developer) heads the "
    "input; function and custom tools go in the 'functions' namespace, other namespaces as "
    "given ([source] tool_spec.rs create_tools_json_for_responses_lite)",
    "hosted_tools": "[source] spec_plan.rs: Responses Lite takes schemas of client-executed "
    "tools only (function, custom, namespace, tool_search); hosted tools such as web_search are "
    "not sent",
    "instructions": "[cap] no top-level instructions: they travel as a developer message after "
    "the additional_tools item",
    "parallel_tool_calls": "[cap] [3rd] false for Lite models (tool_choice 'auto' unless given)",
    "reasoning": "[cap] [3rd] always an object with context 'all_turns' (else 400 "
    "unsupported_value); effort defaults to the model's default_reasoning_level",
    "include": "[cap] always has reasoning.encrypted_content",
    "image_detail": "[3rd] image detail is stripped for Lite models",
    "namespace": "[source] a function_call carries its tool's namespace; Codex reads a missing "
    "one as 'functions' (tool_name.rs), so replays to a Lite model name it and replays to a "
    "classic model drop it",
}
_LITE_NAMESPACED = frozenset({"function", "custom"})
_LITE_CLIENT_TOOLS = frozenset({"function", "custom", "namespace", "tool_search"})
_WEB_SEARCH_TOOLS = frozenset({"web_search", "web_search_preview", "web_search_2025_08_26"})
_CALLS = frozenset({"function_call", "custom_tool_call"})


class ShapeError(ValueError):
    """The request cannot be sent to this model as it is (the client raises BadRequestError)."""


@dataclass(frozen=True)
class Shaped:
    body: dict[str, Any]
    headers: dict[str, str]
    dropped: tuple[tuple[str, str], ...]  # (what, why) for each part left out or replaced


def shape_for_model(body: Mapping[str, Any], profile: ModelProfile) -> Shaped:
    """``body`` (a normalised Responses request) as ``profile``'s model takes it; pure.

    ``profile`` is a ``chatgpt_sdk.catalog.ModelProfile``: the shape (Lite or classic), the
    reasoning efforts, verbosity, web search and input modalities the model offers.
    """
    dropped: list[tuple[str, str]] = []
    out = dict(body)
    _check_modalities(out, profile)
    reasoning = out.get("reasoning")
    if isinstance(reasoning, Mapping):
        effort = reasoning.get("effort")
        if (
            profile.reasoning_efforts
            and effort is not None
            and effort not in profile.reasoning_efforts
        ):
            reasoning = {k: v for k, v in reasoning.items() if k != "effort"}
            dropped.append(
                (
                    f"reasoning.effort={effort!r}",
                    f"[catalog] {profile.slug} offers {', '.join(profile.reasoning_efforts)}; "
                    "its default is used",
                )
            )
            out["reasoning"] = reasoning
    text = out.get("text")
    if profile.supports_verbosity is False and isinstance(text, Mapping) and "verbosity" in text:
        out["text"] = {k: v for k, v in text.items() if k != "verbosity"}
        dropped.append(("text.verbosity", f"[catalog] {profile.slug} has no verbosity setting"))
    tools = out.get("tools")
    if isinstance(tools, list) and tools:
        out["tools"] = _supported_tools(tools, profile, dropped)
        if not out["tools"]:
            del out["tools"]
    if not profile.responses_lite:
        if isinstance(out.get("input"), list):
            out["input"] = [_classic_item(item) for item in out["input"]]
        return Shaped(out, {}, tuple(dropped))
    if out.get("parallel_tool_calls") is True:
        dropped.append(("parallel_tool_calls=True", LITE_RULES["parallel_tool_calls"]))
    return Shaped(_to_lite(out, profile), {LITE_HEADER: "true"}, tuple(dropped))


def _check_modalities(body: Mapping[str, Any], profile: ModelProfile) -> None:
    if not profile.input_modalities or "image" in profile.input_modalities:
        return
    for index, item in enumerate(body.get("input") or ()):
        content = item.get("content") if isinstance(item, Mapping) else None
        if isinstance(content, list) and any(
            isinstance(part, Mapping) and part.get("type") == "input_image" for part in content
        ):
            raise ShapeError(
                f"input.{index} holds an image, but {profile.slug} takes "
                f"{', '.join(profile.input_modalities)} only (its catalog entry's "
                "input_modalities); remove the image or pick a model that takes images."
            )


def _supported_tools(
    tools: list[Any], profile: ModelProfile, dropped: list[tuple[str, str]]
) -> list[Any]:
    kept = []
    for index, tool in enumerate(tools):
        kind = tool.get("type") if isinstance(tool, Mapping) else None
        if profile.responses_lite and kind not in _LITE_CLIENT_TOOLS:
            dropped.append((f"tools[{index}] ({kind})", LITE_RULES["hosted_tools"]))
        elif kind in _WEB_SEARCH_TOOLS and profile.listed and profile.web_search_tool_type is None:
            dropped.append(
                (f"tools[{index}] ({kind})", f"[catalog] {profile.slug} has no web search tool")
            )
        elif kind == "tool_search" and profile.supports_search_tool is False:
            dropped.append(
                (f"tools[{index}] ({kind})", f"[catalog] {profile.slug} has no tool search")
            )
        else:
            kept.append(tool)
    return kept


def _classic_item(item: Any) -> Any:
    if (
        isinstance(item, Mapping)
        and item.get("type") in _CALLS
        and item.get("namespace") == DEFAULT_NAMESPACE
    ):
        return {k: v for k, v in item.items() if k != "namespace"}
    return item


def namespaced_item(item: Any) -> Any:
    """A replayed call as a backend with namespaced tools takes it: naming its namespace."""
    if isinstance(item, Mapping) and item.get("type") in _CALLS and not item.get("namespace"):
        return {**item, "namespace": DEFAULT_NAMESPACE}
    return item


def _lite_item(item: Any) -> Any:
    item = namespaced_item(item)
    content = item.get("content") if isinstance(item, Mapping) else None
    if (
        item.get("type") in ("message", None)
        and isinstance(content, list)
        and any(isinstance(p, Mapping) and "detail" in p for p in content)
    ):
        parts = [
            {k: v for k, v in p.items() if k != "detail"}
            if isinstance(p, Mapping) and p.get("type") == "input_image"
            else p
            for p in content
        ]
        return {**item, "content": parts}
    return item


def lite_tools(tools: list[Any]) -> list[Any]:
    """Tools as an ``additional_tools`` item holds them: function and custom tools (and a
    caller's own ``functions`` namespace) merged into one ``functions`` namespace, placed where
    the first of them was; other tools as given."""
    members: list[Any] = []
    out: list[Any] = []
    namespace: dict[str, Any] | None = None
    for tool in tools:
        kind = tool.get("type") if isinstance(tool, Mapping) else None
        if kind in _LITE_NAMESPACED:
            members.append(tool)
        elif kind == "namespace" and tool.get("name") == DEFAULT_NAMESPACE:
            members.extend(tool.get("tools") or ())
        else:
            out.append(tool)
            continue
        if namespace is None:
            namespace = {"type": "namespace", "name": DEFAULT_NAMESPACE, "description": ""}
            out.append(namespace)
    if namespace is not None:
        namespace["tools"] = members
    return out


def _to_lite(body: dict[str, Any], profile: ModelProfile) -> dict[str, Any]:
    head: list[dict[str, Any]] = []
    tools = body.pop("tools", None)
    if tools:
        head.append({"type": "additional_tools", "role": "developer", "tools": lite_tools(tools)})
    instructions = body.pop("instructions", None)
    if instructions:
        head.append(
            {
                "type": "message",
                "role": "developer",
                "content": [{"type": "input_text", "text": instructions}],
            }
        )
    items = body.get("input")
    if isinstance(items, list):
        body["input"] = head + [_lite_item(item) for item in items]
    body.setdefault("tool_choice", "auto")
    body["parallel_tool_calls"] = False
    reasoning = dict(body.get("reasoning") or {})
    if reasoning.get("effort") is None and profile.default_reasoning_effort:
        reasoning["effort"] = profile.default_reasoning_effort
    reasoning["context"] = "all_turns"
    body["reasoning"] = reasoning
    include = body.get("include") or []
    if isinstance(include, list) and ENCRYPTED_REASONING not in include:
        body["include"] = [*include, ENCRYPTED_REASONING]
    return body
