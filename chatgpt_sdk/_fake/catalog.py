"""The fake backend's model catalog: ``DEFAULT_MODELS`` and ``GET /models``."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from chatgpt_sdk._fake.recording import RecordedRequest
from chatgpt_sdk._fake.rules import json_response as _json
from chatgpt_sdk.models import catalog_snapshot


def _model_entry(slug: str, display: str, priority: int, minimal: list[int]) -> dict[str, Any]:
    efforts = ("low", "medium", "high", "xhigh")
    return {
        "slug": slug,
        "display_name": display,
        "description": f"{display}: a fake catalog entry.",
        "default_reasoning_level": "medium",
        "supported_reasoning_levels": [
            {"effort": effort, "description": f"{effort.capitalize()} reasoning effort"}
            for effort in efforts
        ],
        "shell_type": "shell_command",
        "visibility": "list",
        "supported_in_api": True,
        "priority": priority,
        "upgrade": None,
        "base_instructions": "You are a helpful assistant.",
        "supports_reasoning_summaries": True,
        "default_reasoning_summary": "none",
        "support_verbosity": True,
        "default_verbosity": "low",
        "apply_patch_tool_type": None,
        "truncation_policy": {"mode": "tokens", "limit": 10000},
        "supports_parallel_tool_calls": True,
        "context_window": 272000,
        "experimental_supported_tools": [],
        "input_modalities": ["text", "image"],
        "minimal_client_version": minimal,
        "additional_speed_tiers": ["fast"],
        "use_responses_lite": False,
    }


def _from_snapshot(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A built-in catalog entry, completed with the fuller fields of ``_model_entry``.

    Emulation choices for what the snapshot leaves out: a Lite model needs the client version of
    the catalog that ships it, the classic gpt-5.5 the 0.125 it was the default of; Lite models do
    not support parallel tool calls (Codex sends ``parallel_tool_calls: false`` for them).
    """
    lite = snapshot.get("use_responses_lite") is True
    minimal = _version_list(catalog_snapshot.CLIENT_VERSION) if lite else [0, 125, 0]
    entry = _model_entry(
        str(snapshot["slug"]),
        str(snapshot.get("display_name") or snapshot["slug"]),
        int(snapshot.get("priority") or 0),
        minimal,
    )
    if lite:
        entry["supports_parallel_tool_calls"] = False
    entry.update(copy.deepcopy(dict(snapshot)))
    # The snapshot keeps only each level's effort; the real catalog describes each one.
    entry["supported_reasoning_levels"] = [
        {"description": f"{str(level.get('effort')).capitalize()} reasoning effort"} | level
        for level in entry["supported_reasoning_levels"]
    ]
    return entry


def _version_list(text: str) -> list[int]:
    return [int(piece) for piece in text.split(".")]


DEFAULT_MODELS: tuple[dict[str, Any], ...] = (
    *(_from_snapshot(model) for model in catalog_snapshot.MODELS),
    _model_entry("gpt-5.4", "GPT-5.4", 14, [0, 99, 0]),
    _model_entry("gpt-5.2", "GPT-5.2", 15, [0, 60, 0]),
)
"""The default ``GET /models`` catalog (WIRE.md 6 shape): Codex 0.171.0's 14 models (13 Responses
Lite, ``gpt-5.5`` classic) from ``chatgpt_sdk.models.catalog_snapshot``, plus the older classic
``gpt-5.4`` and ``gpt-5.2``. Copy and edit to configure."""


def models_response(
    models: Sequence[Mapping[str, Any]], recorded: RecordedRequest, request_id: Callable[[], str]
) -> httpx.Response:
    """The answer to ``GET /models``: ``models`` as far as the ``client_version`` sees them."""
    client_version = recorded.query.get("client_version")
    if not client_version:
        # Emulation choice: Codex always sends it, so a client that does not is refused.
        return _json(400, {"detail": "client_version is required"})
    version = _parse_version(client_version)
    if version is not None:
        models = [m for m in models if tuple(m.get("minimal_client_version") or ()) <= version]
    content = json.dumps({"models": models}).encode()
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    headers = {"etag": etag, "x-request-id": request_id()}
    if _etag_matches(recorded.headers.get("if-none-match"), etag):
        return httpx.Response(304, headers=headers)
    return httpx.Response(
        200, headers={"content-type": "application/json", **headers}, content=content
    )


def _etag_matches(header: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as for GET)."""
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def _parse_version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(piece) for piece in text.split(".")) if text else None
    except ValueError:
        return None
