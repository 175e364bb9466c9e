"""Codegen is deterministic, detects hand edits, and extraction reproduces schema/ exactly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from codegen import extract, generate
from codegen.__main__ import check
from codegen.overrides import apply_overrides, load_overrides
from codegen.paths import MODELS_DIR, OVERRIDES_DIR, SCHEMA_DIR

SPEC = Path(__file__).resolve().parents[2] / "shared" / "reference" / "openai-openapi.yaml"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return generate.render_all()


def test_generation_is_deterministic_and_checked_in(rendered: dict[str, str]) -> None:
    again = generate.render_all()
    assert again == rendered  # byte for byte
    for name, text in rendered.items():
        assert (MODELS_DIR / name).read_text(encoding="utf-8") == text, name


def test_generated_files_say_they_are_generated(rendered: dict[str, str]) -> None:
    for name, text in rendered.items():
        assert text.startswith("# GENERATED FILE: DO NOT EDIT."), name
        assert "python -m codegen" in text.splitlines()[0] + text.splitlines()[1], name


def test_check_passes_on_a_fresh_copy_and_fails_after_a_hand_edit(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    rendered: dict[str, str],
) -> None:
    # Determinism is proven above, so reuse that rendering instead of paying for two more.
    monkeypatch.setattr(generate, "render_all", lambda schema_dir=SCHEMA_DIR: rendered)
    copy = tmp_path / "models"
    shutil.copytree(MODELS_DIR, copy)
    assert check(models_dir=copy) == 0

    target = copy / "responses.py"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("class Response(", "class Response(  # tweaked\n", 1))
    capsys.readouterr()
    assert check(models_dir=copy) == 1
    out = capsys.readouterr().out
    assert "chatgpt_sdk/models/responses.py is stale" in out
    assert "# tweaked" in out
    assert "python -m codegen" in out


def _spec(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "components": {"schemas": schemas}}


def test_closure_rewrites_refs_converts_nullable_and_drops_vendor_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = _spec(
        {
            "Response": {
                "type": "object",
                "x-oaiMeta": {"big": "example"},
                "properties": {
                    "item": {"$ref": "#/components/schemas/Item"},
                    "reason": {"type": "string", "enum": ["a"], "nullable": True},
                },
            },
            "Item": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/N"}}},
            "N": {"type": "integer"},
            "Unrelated": {"type": "string"},
        }
    )
    assert extract.ref_closure(spec["components"]["schemas"], ["Response"]) == [
        "Item",
        "N",
        "Response",
    ]
    monkeypatch.setattr(extract, "ROOTS", {"responses": ["Response"]})
    doc = extract.build_document(spec, "responses", "test")
    defs = doc["$defs"]
    assert set(defs) == {"Response", "Item", "N"}
    assert defs["Response"]["properties"]["item"] == {"$ref": "#/$defs/Item"}
    assert defs["Response"]["properties"]["reason"] == {
        "type": ["string", "null"],
        "enum": ["a", None],
    }
    assert "x-oaiMeta" not in defs["Response"]
    assert doc["$schema"].endswith("2020-12/schema")


def test_missing_component_is_a_clear_error() -> None:
    with pytest.raises(SystemExit, match="no component named 'Nope'"):
        extract.ref_closure({}, ["Nope"])


def test_overrides_need_a_reason_and_name_themselves_when_they_fail(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    path.write_text(json.dumps([{"op": "remove", "path": "/$defs/A"}]))
    with pytest.raises(SystemExit, match="has no 'reason'"):
        load_overrides(path)
    doc: dict[str, Any] = {"$defs": {}}
    with pytest.raises(SystemExit, match="because"):
        apply_overrides(doc, [{"op": "remove", "path": "/$defs/A", "reason": "because"}])


def test_every_checked_in_override_has_a_reason() -> None:
    for path in sorted(OVERRIDES_DIR.glob("*.json")):
        for op in load_overrides(path):
            assert len(op["reason"]) > 20, (path.name, op)


@pytest.mark.skipif(not SPEC.exists(), reason="the reference spec lives in ../shared/reference")
def test_extract_from_the_reference_spec_reproduces_schema_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract, "SCHEMA_DIR", tmp_path)
    source = json.loads((SCHEMA_DIR / "responses.schema.json").read_text())["$comment"]
    label = source.removeprefix("Extracted from ").split(" by `python -m codegen extract`")[0]
    written = extract.extract(SPEC, label)
    for path in written:
        assert path.read_bytes() == (SCHEMA_DIR / path.name).read_bytes(), path.name
