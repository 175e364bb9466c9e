"""The request rules ``FakeChatGPTBackend`` enforces on ``POST /responses`` (WIRE.md 3.5 and 3.6).

Pure functions over the decoded body: each violation raises ``Rejected`` carrying the answer the
backend gives (recorded status and text where known). Classic models follow WIRE.md 3.5; models
whose catalog entry has ``use_responses_lite: true`` follow WIRE.md 3.6 and what Codex 0.171.0 sends
(``../shared/reference/captures/``). Where the real behaviour is unrecorded, the choice made here is
marked "emulation choice".
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import zstandard

__all__ = [
    "LITE_HEADER",
    "UNSUPPORTED_PARAMETERS",
    "Rejected",
    "RequestShape",
    "decode_body",
    "input_error",
    "json_response",
    "validate_responses",
]

LITE_HEADER = "x-openai-internal-codex-responses-lite"

# Parameters the backend refuses with 400 "Unsupported parameter: <name>", checked in this order.
# Only the first three are confirmed (WIRE.md 3.5: max_output_tokens with this exact text,
# temperature and metadata reported rejected). max_tokens / max_completion_tokens are Chat-style
# names; the rest are untested on this backend, and previous_response_id can refer to nothing when
# nothing is stored. Emulation choice: reject them all, so clients learn to leave them out.
UNSUPPORTED_PARAMETERS: tuple[str, ...] = (
    "max_output_tokens",
    "temperature",
    "metadata",
    "max_tokens",
    "max_completion_tokens",
    "top_p",
    "user",
    "truncation",
    "background",
    "max_tool_calls",
    "stream_options",
    "context_management",
    "previous_response_id",
)

# Responses Lite: the top-level fields Codex never sends (they travel in `input` instead).
# Emulation choice: refused like the other unsupported parameters.
_LITE_UNSUPPORTED = ("instructions", "tools")
_NAMESPACED_TOOL_TYPES = ("function", "custom")


class Rejected(Exception):
    """A request the backend refuses; ``response`` is its answer."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass(frozen=True)
class RequestShape:
    """What validation learnt about an accepted request."""

    lite: bool = False
    namespaces: Mapping[str, str] = field(default_factory=dict)
    """Tool name -> the namespace it was declared in (Lite ``additional_tools`` only)."""


def json_response(
    status: int, body: Any, *, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        status,
        headers={"content-type": "application/json", **(headers or {})},
        content=json.dumps(body).encode(),
    )


def input_error(status: int, message: str) -> httpx.Response:
    # Emulation choice: the public API's error object for problems found in `input`.
    return json_response(
        status,
        {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": "input",
                "code": None,
            }
        },
    )


def _detail(message: str) -> Rejected:
    return Rejected(json_response(400, {"detail": message}))


def _unsupported_value(message: str, param: str | None) -> Rejected:
    return Rejected(
        json_response(
            400,
            {
                "error": {
                    "message": message,
                    "type": "invalid_request_error",
                    "param": param,
                    "code": "unsupported_value",
                }
            },
        )
    )


# -- request bodies -------------------------------------------------------------------------------


def decode_body(content: bytes, encoding: str | None) -> bytes:
    """The body without its ``content-encoding`` (zstd as Codex sends it, gzip, deflate).

    Raises ``Rejected`` (400) for a body that does not decode or an unknown coding (emulation
    choice: the real text is unrecorded).
    """
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    if not content:
        return content
    try:
        for coding in reversed(codings):  # the last coding applied is undone first
            if coding == "zstd":
                content = _unzstd(content)
            elif coding in ("gzip", "x-gzip"):
                content = gzip.decompress(content)
            elif coding == "deflate":
                # RFC 9110's deflate is zlib-wrapped; some clients send raw deflate.
                try:
                    content = zlib.decompress(content)
                except zlib.error:
                    content = zlib.decompress(content, -zlib.MAX_WBITS)
            elif coding != "identity":
                raise ValueError(coding)
    except Exception as error:
        raise _detail(
            f"Could not decode the request body (content-encoding: {encoding})"
        ) from error
    return content


def _unzstd(data: bytes) -> bytes:
    """Every zstd frame of ``data``; a truncated frame is an error (a plain read returns b"")."""
    out = bytearray()
    while True:
        frame = zstandard.ZstdDecompressor().decompressobj()
        out += frame.decompress(data)
        if not frame.eof:
            raise ValueError("truncated zstd frame")
        data = frame.unused_data
        if not data:
            return bytes(out)


# -- POST /responses ------------------------------------------------------------------------------


def validate_responses(
    body: dict[str, Any], headers: httpx.Headers, models: Iterable[Mapping[str, Any]]
) -> RequestShape:
    """WIRE.md 3.5 and 3.6, in this order (emulation choice: the real order is unrecorded)."""
    if body.get("store") is not False:
        raise _detail("Store must be set to false")
    if body.get("stream") is not True:
        # The real text is unrecorded; this one is the analogy WIRE.md 3.5 suggests.
        raise _detail("Stream must be set to true")
    if not isinstance(body.get("input"), list):
        raise _detail("Input must be a list")
    for name in UNSUPPORTED_PARAMETERS:
        if name in body:
            raise _detail(f"Unsupported parameter: {name}")
    model = body.get("model")
    if not isinstance(model, str):
        raise _detail("Missing required parameter: 'model'.")
    entry = next((m for m in models if m.get("slug") == model), None)
    if entry is None:
        raise _detail(
            f"The '{model}' model is not supported when using Codex with a ChatGPT account."
        )
    lite_model = entry.get("use_responses_lite") is True
    lite_header = headers.get(LITE_HEADER, "").strip().lower() == "true"
    if lite_model and not lite_header:
        # WIRE.md 3.6: a Lite model requested the classic way.
        raise Rejected(json_response(404, {"detail": "Model not found"}))
    if lite_header and not lite_model:
        raise _unsupported_value(
            "This model is not supported when using X-OpenAI-Internal-Codex-Responses-Lite", None
        )
    if lite_model:
        _validate_lite_fields(body)
    else:
        _validate_classic_fields(body)
    return RequestShape(lite=lite_model, namespaces=_validate_input(body["input"], lite_model))


def _validate_classic_fields(body: Mapping[str, Any]) -> None:
    # Codex 0.171 sends no `instructions` (the base instructions travel as a developer message);
    # the backend accepts that. Emulation choice: a present non-string (null too) is refused.
    if "instructions" in body and not isinstance(body["instructions"], str):
        raise _detail("Instructions must be a string")
    for index, tool in enumerate(body.get("tools") or []):
        if isinstance(tool, dict) and tool.get("type") == "function" and "name" not in tool:
            raise _detail(f"Missing required parameter: 'tools[{index}].name'.")


def _validate_lite_fields(body: Mapping[str, Any]) -> None:
    """WIRE.md 3.6: the Lite shape (as in ``captures/http-lite-gpt-6.2-sol.json``)."""
    for name in _LITE_UNSUPPORTED:
        if name in body:
            raise _detail(f"Unsupported parameter: {name}")
    reasoning = body.get("reasoning")
    if not isinstance(reasoning, dict) or reasoning.get("context") != "all_turns":
        # The recorded code (WIRE.md 3.6 [3rd]); the message and param are an emulation choice.
        raise _unsupported_value(
            "Responses Lite requires reasoning.context to be 'all_turns'.", "reasoning.context"
        )
    # Emulation choice (texts): Codex always sends parallel_tool_calls false and this include.
    if body.get("parallel_tool_calls") is True:
        raise _unsupported_value(
            "Responses Lite does not support parallel_tool_calls.", "parallel_tool_calls"
        )
    include = body.get("include")
    if not isinstance(include, list) or "reasoning.encrypted_content" not in include:
        raise _unsupported_value(
            "Responses Lite requires include to contain 'reasoning.encrypted_content'.", "include"
        )
    for index, item in enumerate(body["input"]):
        content = item.get("content") if isinstance(item, dict) else None
        for part_index, part in enumerate(content if isinstance(content, list) else ()):
            if isinstance(part, dict) and part.get("type") == "input_image" and "detail" in part:
                # Third parties report Lite strips image detail; emulation choice: refuse it.
                raise _unsupported_value(
                    "Responses Lite does not support image detail.",
                    f"input.{index}.content.{part_index}.detail",
                )


def _validate_input(items: list[Any], lite: bool) -> dict[str, str]:
    """The per-item rules; returns the tool namespaces declared by ``additional_tools`` items."""
    namespaces: dict[str, str] = {}
    calls: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        if item.get("role") == "system":
            raise _detail("System messages are not allowed")
        kind = item.get("type")
        # Codex 0.171 sends client-made ids (msg_…, at_…) on full items, and they are accepted. An
        # item that is nothing but a reference to a stored item cannot resolve: with store=false
        # nothing was stored. (The status is the public API's; here it is unconfirmed.)
        if kind == "item_reference" or (
            kind == "reasoning" and item.get("id") is not None and not item.get("encrypted_content")
        ):
            raise Rejected(
                input_error(
                    404,
                    f"Item with id '{item.get('id')}' not found. Items are not persisted when "
                    "`store` is set to false. Try again with `store` set to true, or remove "
                    "this item from your input.",
                )
            )
        if kind == "additional_tools":
            if not lite:
                # Emulation choice: classic models know no such item.
                raise _detail("Invalid input item type: additional_tools")
            for name, namespace in _additional_tools(item, index).items():
                namespaces.setdefault(name, namespace)
        elif kind in ("function_call", "custom_tool_call"):
            # A replayed call is accepted with or without its `namespace`.
            calls.add(str(item.get("call_id")))
        elif kind in ("function_call_output", "custom_tool_call_output") and (
            str(item.get("call_id")) not in calls
        ):
            what = "function call" if kind == "function_call_output" else "custom tool call"
            raise Rejected(
                input_error(
                    400, f"No tool call found for {what} output with call_id {item.get('call_id')}."
                )
            )
    return namespaces


def _additional_tools(item: Mapping[str, Any], index: int) -> dict[str, str]:
    """Check one ``additional_tools`` item (WIRE.md 3.6); returns tool name -> namespace.

    The shape is Codex's (captures) and the public API's namespace tool; the texts are an emulation
    choice in the style of the backend's "Missing required parameter" errors.
    """
    where = f"input[{index}]"
    if item.get("role") != "developer":
        raise _detail(f"Invalid value for '{where}.role': expected 'developer'.")
    tools = item.get("tools")
    if not isinstance(tools, list):
        raise _detail(f"Missing required parameter: '{where}.tools'.")
    namespaces: dict[str, str] = {}
    for tool_index, tool in enumerate(tools):
        path = f"{where}.tools[{tool_index}]"
        kind = _tool_type(tool, path)
        if kind != "namespace":
            _check_tool(tool, path)
            continue
        name = tool.get("name")
        if not isinstance(name, str) or not name:
            raise _detail(f"Missing required parameter: '{path}.name'.")
        if not isinstance(tool.get("description"), str):
            raise _detail(f"Missing required parameter: '{path}.description'.")
        inner = tool.get("tools")
        if not isinstance(inner, list) or not inner:
            raise _detail(f"Missing required parameter: '{path}.tools'.")
        for inner_index, member in enumerate(inner):
            member_path = f"{path}.tools[{inner_index}]"
            if _tool_type(member, member_path) not in _NAMESPACED_TOOL_TYPES:
                raise _detail(
                    f"Invalid value for '{member_path}.type': a namespace holds only function "
                    "and custom tools."
                )
            _check_tool(member, member_path)
            namespaces.setdefault(member["name"], name)
    return namespaces


def _tool_type(tool: Any, path: str) -> str:
    if not isinstance(tool, dict):
        raise _detail(f"Invalid type for '{path}': expected an object.")
    kind = tool.get("type")
    if not isinstance(kind, str):
        raise _detail(f"Missing required parameter: '{path}.type'.")
    return kind


def _check_tool(tool: Mapping[str, Any], path: str) -> None:
    """Function and custom tools are flat: ``name`` (and ``parameters``) at the top."""
    if tool.get("type") not in _NAMESPACED_TOOL_TYPES:
        return
    if not isinstance(tool.get("name"), str) or not tool["name"]:
        # A Chat-style tool (nested under "function") ends here.
        raise _detail(f"Missing required parameter: '{path}.name'.")
    if tool.get("type") == "function" and not isinstance(tool.get("parameters", {}), dict):
        raise _detail(f"Invalid type for '{path}.parameters': expected an object.")
