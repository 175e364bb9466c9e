"""Every ``enum``/``const`` value of the declared schemas validates in the generated model.

A value the schema documents but the model refuses is a generation bug (``WebSearchTool.type``
once was ``Literal["WebSearchTool"]``, the class name, so ``{"type": "web_search"}`` failed). This
walks ``schema/*.schema.json``, finds every ``enum`` and ``const``, locates the generated class and
field (or type alias) that declares it, and validates each value there.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from codegen.generate import MODULES, explicit_discriminator_mappings, member_tags
from codegen.paths import SCHEMA_DIR


@dataclass(frozen=True)
class Declared:
    """One place a schema lists allowed values."""

    module: str
    pointer: str  # JSON pointer of the enum/const node, for the failure message
    owner: str | None  # the $defs name whose class holds the property; None for inline objects
    properties: frozenset[str]  # the property names of the object that holds it ("" for aliases)
    prop: str | None  # the property; None when the enum is a whole $defs entry (a type alias)
    in_array: bool  # the enum constrains the items of an array
    values: tuple[Any, ...]


def _values(node: dict[str, Any]) -> list[Any]:
    found = list(node.get("enum", []))
    if "const" in node:
        found.append(node["const"])
    return found


def _alternatives(node: Any, pointer: str) -> Iterator[tuple[dict[str, Any], str, bool]]:
    """The schema nodes a value of ``node`` may match: itself, its anyOf/oneOf members, items."""
    if not isinstance(node, dict):
        return
    yield node, pointer, False
    for key in ("anyOf", "oneOf"):
        for i, alt in enumerate(node.get(key, [])):
            yield from _alternatives(alt, f"{pointer}/{key}/{i}")
    items = node.get("items")
    if isinstance(items, dict):
        for alt, at, _ in _alternatives(items, f"{pointer}/items"):
            yield alt, at, True


def _objects(
    node: Any, pointer: str, owner: str | None
) -> Iterator[tuple[dict[str, Any], str, str | None]]:
    """Every object schema with ``properties`` under ``node``; ``owner`` names the class of a
    ``$defs`` entry and of its ``allOf`` parts (merged into that class), else None."""
    if isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{pointer}/{i}", None)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("properties"), dict):
        yield node, pointer, owner
    for key, value in node.items():
        if key == "allOf" and owner is not None:
            for i, part in enumerate(value):
                yield from _objects(part, f"{pointer}/allOf/{i}", owner)
        elif key != "enum" and key != "const":
            yield from _objects(value, f"{pointer}/{key}", None)


def declared(module: str, schema: dict[str, Any]) -> list[Declared]:
    out: list[Declared] = []
    for name, definition in schema.get("$defs", {}).items():
        base = f"/$defs/{name}"
        for alt, at, in_array in _alternatives(definition, base):
            if _values(alt):
                out.append(
                    Declared(module, at, name, frozenset(), None, in_array, tuple(_values(alt)))
                )
        for obj, at, owner in _objects(definition, base, name):
            props = frozenset(obj["properties"])
            for prop, spec in obj["properties"].items():
                for alt, where, in_array in _alternatives(spec, f"{at}/properties/{prop}"):
                    if _values(alt):
                        out.append(
                            Declared(
                                module, where, owner, props, prop, in_array, tuple(_values(alt))
                            )
                        )
    return out


def _all_declared() -> list[Declared]:
    found: list[Declared] = []
    for module in MODULES:
        path = SCHEMA_DIR / module.schema
        found.extend(declared(module.name, json.loads(path.read_text(encoding="utf-8"))))
    return found


DECLARED = _all_declared()


@cache
def _module(name: str) -> ModuleType:
    return importlib.import_module(f"chatgpt_sdk.models.{name}")


def _aliases(cls: type[BaseModel]) -> dict[str, str]:
    """Wire name -> field name."""
    return {(f.alias or n): n for n, f in cls.model_fields.items()}


@cache
def _classes(name: str) -> tuple[type[BaseModel], ...]:
    module = _module(name)
    return tuple(
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == module.__name__
    )


def _candidates(d: Declared) -> list[type[BaseModel]]:
    """The generated classes that may hold ``d``: its $defs class, or (for an inline object) every
    class whose wire fields are exactly the object's properties."""
    if d.owner is not None:
        cls = getattr(_module(d.module), d.owner, None)
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            pytest.fail(f"{d.module}{d.pointer}: no generated class {d.owner}")
        return [cls]
    found = [c for c in _classes(d.module) if frozenset(_aliases(c)) == d.properties]
    assert found, f"{d.module}{d.pointer}: no generated class has fields {sorted(d.properties)}"
    return found


@cache
def _field_adapter(cls: type[BaseModel], field: str) -> TypeAdapter[Any]:
    cls.model_rebuild()  # models defer their build; resolve forward references first
    info = cls.model_fields[field]
    return TypeAdapter(info.annotation, config=None)


def _refusals(d: Declared) -> list[str]:
    """The declared values the generated model refuses, each with the model's message."""
    wrap = (lambda v: [v]) if d.in_array else (lambda v: v)
    if d.prop is None:
        alias = getattr(_module(d.module), d.owner or "", None)
        assert alias is not None, f"{d.module}{d.pointer}: no generated type {d.owner}"
        adapters = [TypeAdapter(alias)]
    else:
        adapters = []
        for cls in _candidates(d):
            wire = _aliases(cls)
            assert d.prop in wire, f"{d.module}{d.pointer}: {cls.__name__} has no field {d.prop}"
            adapters.append(_field_adapter(cls, wire[d.prop]))
    refused = []
    for value in d.values:
        errors = []
        for adapter in adapters:
            try:
                adapter.validate_python(wrap(value))
                break
            except ValidationError as exc:
                errors.append(exc.errors()[0]["msg"])
        else:
            refused.append(f"{value!r} ({errors[0]})")
    return refused


def test_the_walk_finds_the_literals_that_once_broke() -> None:
    pointers = {d.pointer for d in DECLARED}
    for name in ("WebSearchTool", "WebSearchPreviewTool", "ComparisonFilter", "CompoundFilter"):
        assert f"/$defs/{name}/properties/type" in pointers, name
    assert "/$defs/ReasoningEffort/anyOf/0" in pointers  # a whole-type enum (alias)
    assert len(DECLARED) > 300


@pytest.mark.parametrize("module", [m.name for m in MODULES])
def test_every_declared_enum_and_const_value_validates(module: str) -> None:
    failures = [
        f"{d.module}{d.pointer}: {', '.join(refused)}"
        for d in DECLARED
        if d.module == module and (refused := _refusals(d))
    ]
    assert not failures, "generated models refuse documented values:\n" + "\n".join(failures)


def test_discriminators_get_explicit_mappings_from_member_tags() -> None:
    schema = {
        "$defs": {
            "A": {"properties": {"type": {"enum": ["a1", "a2"]}}},
            "B": {
                "allOf": [{"properties": {"type": {"anyOf": [{"const": "b"}, {"type": "null"}]}}}]
            },
            "U": {
                "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
                "discriminator": {"propertyName": "type"},
            },
            "R": {
                "properties": {
                    "type": {"enum": ["r"]},
                    "kids": {
                        "items": {
                            "oneOf": [{"$ref": "#/$defs/A"}, {"$recursiveRef": "#"}],
                            "discriminator": {"propertyName": "type"},
                        }
                    },
                }
            },
            "Nested": {  # a member without tags of its own: left as the schema says
                "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/U"}],
                "discriminator": {"propertyName": "type"},
            },
        }
    }
    out = explicit_discriminator_mappings(schema)
    assert out["$defs"]["U"]["discriminator"]["mapping"] == {
        "a1": "#/$defs/A",
        "a2": "#/$defs/A",
        "b": "#/$defs/B",
    }
    kids = out["$defs"]["R"]["properties"]["kids"]["items"]["discriminator"]
    assert kids["mapping"] == {"a1": "#/$defs/A", "a2": "#/$defs/A", "r": "#/$defs/R"}
    assert "mapping" not in out["$defs"]["Nested"]["discriminator"]
    assert "mapping" not in schema["$defs"]["U"]["discriminator"]  # the input is not touched
    assert member_tags(schema, {"$ref": "#/$defs/B"}, "type") == ["b"]
