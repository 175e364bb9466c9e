"""Refresh ``schema/`` from an OpenAI OpenAPI document.

The spec is only a starting point: the transitive ``$ref`` closure of a few root components is
copied into one JSON Schema (draft 2020-12) document per generated module, then the overrides in
``schema/overrides/`` are applied on top. The result is what ``python -m codegen`` reads.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from codegen.overrides import apply_overrides, load_overrides
from codegen.paths import OVERRIDES_DIR, SCHEMA_DIR

# Module name -> the spec components that module is built around.
ROOTS: dict[str, list[str]] = {
    "responses": [
        "CreateResponse",
        "Response",
        "ResponseStreamEvent",
        "InputItem",
        "OutputItem",
        "Tool",
    ],
    "chat": [
        "CreateChatCompletionRequest",
        "CreateChatCompletionResponse",
        "CreateChatCompletionStreamResponse",
    ],
}

_SPEC_REF = "#/components/schemas/"
_DEFS_REF = "#/$defs/"
# Vendor extensions and examples carry documentation-site data, not shape.
_DROPPED_KEYS = ("example", "examples")


def _walk_refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SPEC_REF):
            found.add(ref[len(_SPEC_REF) :])
        for value in node.values():
            _walk_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk_refs(value, found)


def ref_closure(components: dict[str, Any], roots: list[str]) -> list[str]:
    """Every component reachable from ``roots``, sorted so the output is stable."""
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        if name not in components:
            raise SystemExit(f"extract: the spec has no component named {name!r}")
        seen.add(name)
        found: set[str] = set()
        _walk_refs(components[name], found)
        pending.extend(sorted(found - seen))
    return sorted(seen)


def _admit_null(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.0's ``nullable: true`` in JSON Schema 2020-12 terms."""
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def _to_json_schema(node: Any) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key.startswith("x-") or key in _DROPPED_KEYS or key == "nullable":
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith(_SPEC_REF):
                out[key] = _DEFS_REF + value[len(_SPEC_REF) :]
            else:
                out[key] = _to_json_schema(value)
        return _admit_null(out) if node.get("nullable") is True else out
    if isinstance(node, list):
        return [_to_json_schema(v) for v in node]
    return node


def build_document(spec: dict[str, Any], module: str, source: str) -> dict[str, Any]:
    components = spec["components"]["schemas"]
    names = ref_closure(components, ROOTS[module])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"chatgpt-sdk/{module}.schema.json",
        "title": f"chatgpt_sdk.models.{module}",
        "$comment": f"Extracted from {source} by `python -m codegen extract`; overrides applied.",
        "$defs": {name: _to_json_schema(copy.deepcopy(components[name])) for name in names},
    }


def load_spec(path: Path) -> dict[str, Any]:
    import yaml

    text = path.read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(text, Loader=loader)
    if not isinstance(spec, dict) or "components" not in spec:
        raise SystemExit(f"extract: {path} is not an OpenAPI document (no 'components')")
    return spec


def write_json(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def extract(spec_path: Path, source: str | None = None) -> list[Path]:
    spec = load_spec(spec_path)
    label = source or spec_path.name
    written = []
    for module in ROOTS:
        document = build_document(spec, module, label)
        apply_overrides(document, load_overrides(OVERRIDES_DIR / f"{module}.json"))
        target = SCHEMA_DIR / f"{module}.schema.json"
        write_json(target, document)
        written.append(target)
    return written
