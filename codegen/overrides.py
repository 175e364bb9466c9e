"""The overrides layer: JSON Patch operations, each with a one-line reason.

An override file is a JSON list of RFC 6902 operations with one extra key, ``reason``, saying why
the ChatGPT backend (or reality) differs from the OpenAPI spec. ``reason`` is required, so every
deviation from the spec is explained where it is made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonpatch


def load_overrides(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    operations = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(operations, list):
        raise SystemExit(f"overrides: {path} must hold a JSON list of patch operations")
    for index, op in enumerate(operations):
        if not isinstance(op, dict) or not str(op.get("reason", "")).strip():
            raise SystemExit(f"overrides: {path} operation #{index} has no 'reason'")
    return operations


def apply_overrides(document: dict[str, Any], operations: list[dict[str, Any]]) -> None:
    """Apply ``operations`` in place; a failing operation names itself and its reason."""
    for op in operations:
        patch = {k: v for k, v in op.items() if k != "reason"}
        try:
            jsonpatch.apply_patch(document, [patch], in_place=True)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
            raise SystemExit(
                f"overrides: cannot apply {patch['op']} {patch['path']} ({op['reason']}): {exc}"
            ) from exc
