"""The backend-quirk normaliser: one table saying what the ChatGPT backend does with each field.

Pure functions, no I/O. When the backend changes, the fix is a row in ``FIELDS`` (and maybe an
override in ``schema/``), nothing else. Evidence markers follow WIRE.md: [cap] captured from Codex
0.171 on the wire, [source] read from the Codex CLI, [3rd] reported by third parties, [?]
untested but unsafe to send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = ["FIELDS", "Action", "Normalized", "Rule", "normalize_request", "unsupported_fields"]

ENCRYPTED_REASONING = "reasoning.encrypted_content"


class Action(str, Enum):
    SEND = "send"  # passed through as given
    FORCE = "force"  # always sent with a fixed value
    REWRITE = "rewrite"  # reshaped into what the backend accepts
    UNSUPPORTED = "unsupported"  # removed with a warning (or an error in strict mode)


@dataclass(frozen=True)
class Rule:
    action: Action
    evidence: str
    value: Any = None  # the forced value, for FORCE


FIELDS: Mapping[str, Rule] = {
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
    "tools": Rule(Action.REWRITE, "[source] function tools are flat; Chat-style nesting flattened"),
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
    "max_tokens": Rule(Action.UNSUPPORTED, "[3rd] token limits are rejected (LiteLLM strips it)"),
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
    "background": Rule(Action.UNSUPPORTED, "[?] untested; nothing is stored, so nothing to poll"),
    "stream_options": Rule(Action.UNSUPPORTED, "[?] untested on classic models"),
    "context_management": Rule(Action.UNSUPPORTED, "[?] untested; Codex never sends it"),
    "previous_response_id": Rule(
        Action.UNSUPPORTED, "[source] nothing is stored over HTTP; replay the items instead"
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


_FORCED = {key: rule.value for key, rule in FIELDS.items() if rule.action is Action.FORCE}


@dataclass(frozen=True)
class Normalized:
    body: dict[str, Any]
    removed: tuple[str, ...]  # the unsupported fields taken out, in request order
    overridden: tuple[str, ...] = ()  # forced fields the caller had set otherwise


def unsupported_fields(params: Mapping[str, Any]) -> list[str]:
    """The fields of ``params`` the backend rejects, in the caller's order (the table's rows)."""
    return [
        key
        for key in params
        if (rule := FIELDS.get(key)) is not None and rule.action is Action.UNSUPPORTED
    ]


def _message(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def _normalize_item(item: Any) -> Any:
    if not isinstance(item, Mapping):
        return item  # left for validation to report
    if item.get("type") == "item_reference":
        return dict(item)  # its id is the whole item
    out = {k: v for k, v in item.items() if k not in ("id", "status")}
    if out.get("role") == "system" and out.get("type", "message") == "message":
        out["role"] = "developer"
    return out


def _normalize_input(value: Any) -> Any:
    if isinstance(value, str):
        return [_message(value)]
    if isinstance(value, list):
        return [_normalize_item(item) for item in value]
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
) -> Normalized:
    """What to send for ``params`` (a Responses request as plain JSON data); never mutates it.

    Fields absent from the table are sent untouched: the backend may accept fields this SDK does
    not know yet, and the generated models already validated their shape.
    """
    body: dict[str, Any] = {}
    removed: list[str] = []
    overridden: list[str] = []
    for key, value in params.items():
        rule = FIELDS.get(key)
        if rule is None or rule.action is Action.SEND:
            body[key] = value
        elif rule.action is Action.UNSUPPORTED:
            removed.append(key)
        elif rule.action is Action.FORCE:
            if value != rule.value:
                overridden.append(key)
        elif key == "input":
            body[key] = _normalize_input(value)
        elif key == "tools" and isinstance(value, list):
            body[key] = [_flatten_tool(t) for t in value]
        elif key in ("instructions", "include", "prompt_cache_key", "tools"):
            body[key] = value  # completed below
    body.update(_FORCED)
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
    return Normalized(body=body, removed=tuple(removed), overridden=tuple(overridden))
