"""The request rules ``FakeSIWC`` enforces on ``POST /v1/responses`` (SIWC.md 3.3-3.4).

Pure functions over the parsed body: each violation raises ``Rejected`` carrying the answer the
route gives (SIWC.md's documented codes where it gives them; elsewhere "emulation choice").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from chatgpt_sdk._fake.rules import Rejected
from chatgpt_sdk._fake.rules import json_response as _json

__all__ = ["OMITTED_FIELDS", "api_error", "validate_siwc_request"]

# SIWC 3.3: omit these (and previous_response_id over HTTP, and service_tier). The fake's own
# list, like ``_BANNED_TOOLS`` below, not read from the SDK's ``FIELDS`` table.
OMITTED_FIELDS = (
    "background",
    "conversation",
    "max_output_tokens",
    "max_tool_calls",
    "metadata",
    "moderation",
    "multi_agent",
    "prompt",
    "prompt_cache_retention",
    "safety_identifier",
    "temperature",
    "top_logprobs",
    "top_p",
    "truncation",
    "user",
    "previous_response_id",
    "service_tier",
)
# SIWC 3.4's refused hosted tools. The same list as ``_backends/official.py``'s
# ``_UNSUPPORTED_TOOLS`` on purpose: the fake stands for the server, so it keeps its own copy
# rather than importing the SDK's (the SDK's check would then agree with it by construction).
_BANNED_TOOLS = frozenset(
    {
        "file_search",
        "code_interpreter",
        "image_generation",
        "computer_use_preview",
        "computer",
        "mcp",
        "local_shell",
        "tool_search",
        "programmatic_tool_calling",
    }
)
_FLAT_TOOLS = ("function", "custom")


def api_error(status: int, code: str, message: str, param: str | None = None) -> httpx.Response:
    """The API's error object (``invalid_request_error`` with ``code`` and ``param``)."""
    return _json(
        status,
        {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": param,
                "code": code,
            }
        },
    )


def _capability(param: str, message: str) -> Rejected:
    return Rejected(api_error(400, "subscription_sharing_unsupported_capability", message, param))


def validate_siwc_request(
    body: Mapping[str, Any], models: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """SIWC 3.3-3.4 in order; returns tool name -> namespace. Raises ``Rejected``."""
    if not isinstance(body.get("input"), list):
        # [DK test fixture] a string input is a validation error.
        raise Rejected(
            _json(
                422,
                {
                    "detail": [
                        {
                            "loc": ["body", "input"],
                            "type": "list_type",
                            "msg": "Input should be a valid list",
                        }
                    ]
                },
            )
        )
    if body.get("store") is not False:
        raise _capability("store", "Plan requests are not stored: send store=false.")
    if body.get("stream") is not True:
        raise _capability("stream", "Plan requests must stream: send stream=true.")
    for name in OMITTED_FIELDS:
        if name in body:
            raise _capability(name, f"{name} is not supported with a ChatGPT plan.")
    model = body.get("model")
    if not isinstance(model, str) or not any(m.get("slug") == model for m in models):
        raise Rejected(
            api_error(
                404,
                "model_not_found",
                f"The model {model!r} does not exist or is not listed.",
                "model",
            )
        )
    namespaces: dict[str, str] = {}
    for index, tool in enumerate(body.get("tools") or ()):
        _check_top_tool(tool, f"tools[{index}]", namespaces)
    calls: set[str] = set()
    for index, item in enumerate(body["input"]):
        if not isinstance(item, dict):
            continue
        where = f"input[{index}]"
        if item.get("role") == "system":
            # Emulation choice (text): SIWC 3.3 says explicit system items are rejected.
            raise Rejected(_json(400, {"detail": "System messages are not allowed"}))
        kind = item.get("type")
        if kind == "item_reference":
            raise Rejected(
                api_error(
                    404,
                    "not_found",
                    f"Item with id '{item.get('id')}' not found. Items are not persisted when "
                    "`store` is set to false.",
                    where,
                )
            )
        if kind == "additional_tools":
            if item.get("role") != "developer":
                raise _capability(f"{where}.role", "Only developer is supported for role.")
            tools = item.get("tools")
            if not isinstance(tools, list):
                raise Rejected(
                    _json(400, {"detail": f"Missing required parameter: '{where}.tools'."})
                )
            for tool_index, tool in enumerate(tools):
                _check_grouped_tool(tool, f"{where}.tools[{tool_index}]", namespaces)
        elif kind in ("function_call", "custom_tool_call"):
            calls.add(str(item.get("call_id")))
        elif kind in ("function_call_output", "custom_tool_call_output") and (
            str(item.get("call_id")) not in calls
        ):
            raise Rejected(
                api_error(
                    400,
                    "invalid_request_error",
                    f"No tool call found for output with call_id {item.get('call_id')}.",
                    where,
                )
            )
        content = item.get("content")
        for part_index, part in enumerate(content if isinstance(content, list) else ()):
            if not isinstance(part, dict):
                continue
            path = f"{where}.content[{part_index}]"
            if part.get("type") in ("input_audio", "input_video"):
                raise _capability(path, "Audio and video input are not supported.")
            if part.get("type") in ("input_image", "input_file") and part.get("file_id"):
                raise _capability(path, "Files must be sent inline (no Files API).")
    return namespaces


def _tool_kind(tool: Any, path: str) -> str:
    if not isinstance(tool, dict) or not isinstance(tool.get("type"), str):
        raise Rejected(_json(400, {"detail": f"Missing required parameter: '{path}.type'."}))
    return str(tool["type"])


def _check_top_tool(tool: Any, path: str, namespaces: dict[str, str]) -> None:
    kind = _tool_kind(tool, path)
    if kind in _FLAT_TOOLS:
        raise _capability(
            path,
            "Function and custom tools must be grouped in a namespace or supplied through "
            "additional_tools input items.",
        )
    if kind in _BANNED_TOOLS:
        raise _capability(path, f"The {kind} tool is not supported with a ChatGPT plan.")
    if kind == "namespace":
        _check_namespace(tool, path, namespaces)


def _check_grouped_tool(tool: Any, path: str, namespaces: dict[str, str]) -> None:
    kind = _tool_kind(tool, path)
    if kind == "namespace":
        _check_namespace(tool, path, namespaces)
    elif kind in _FLAT_TOOLS:
        _check_function(tool, path)  # a call to it carries no namespace
    elif kind in _BANNED_TOOLS:
        raise _capability(path, f"The {kind} tool is not supported with a ChatGPT plan.")


def _check_namespace(tool: Mapping[str, Any], path: str, namespaces: dict[str, str]) -> None:
    name = tool.get("name")
    if not isinstance(name, str) or not name:
        raise Rejected(_json(400, {"detail": f"Missing required parameter: '{path}.name'."}))
    members = tool.get("tools")
    if not isinstance(members, list) or not members:
        raise Rejected(_json(400, {"detail": f"Missing required parameter: '{path}.tools'."}))
    for index, member in enumerate(members):
        member_path = f"{path}.tools[{index}]"
        if _tool_kind(member, member_path) not in _FLAT_TOOLS:
            raise _capability(member_path, "A namespace holds only function and custom tools.")
        _check_function(member, member_path)
        namespaces.setdefault(str(member["name"]), name)


def _check_function(tool: Mapping[str, Any], path: str) -> None:
    if not isinstance(tool.get("name"), str) or not tool["name"]:
        # A Chat-style tool (nested under "function") ends here.
        raise Rejected(_json(400, {"detail": f"Missing required parameter: '{path}.name'."}))
    if tool.get("type") == "function" and not isinstance(tool.get("parameters", {}), dict):
        raise Rejected(
            _json(400, {"detail": f"Invalid type for '{path}.parameters': expected an object."})
        )
