"""Generate ``chatgpt_sdk/models/`` from ``schema/`` with datamodel-code-generator.

datamodel-code-generator writes the classes; small post-processing passes, each driven by the
generated code itself, do what its flags cannot:

* before generation, every ``discriminator`` without a ``mapping`` gets an explicit one built from
  its members' own ``enum``/``const`` tags (``explicit_discriminator_mappings``): OpenAPI reads a
  missing mapping as "the tag is the schema's name", so datamodel-codegen writes
  ``type: Literal["WebSearchTool"]`` for a member whose tag property has several values, where the
  spec means its enum (``web_search`` / ``web_search_2025_08_26``);
* every union discriminated on ``type`` becomes an *open* union: a callable discriminator sends a
  ``type`` the schema does not know to a generic ``Unknown*`` model that keeps every field, so a
  new backend event or item never breaks a stream;
* the eager ``model_rebuild()`` calls are dropped: validators build on first use (``defer_build``);
* the module ends with friendly aliases (``ChatCompletion`` for ``CreateChatCompletionResponse``)
  and an ``__all__``.

Output is deterministic: fixed flags, no timestamp, sorted post-processing, one formatter.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.paths import MODELS_DIR, SCHEMA_DIR

DATAMODEL_CODEGEN_VERSION = "0.89.0"

HEADER = """\
# GENERATED FILE: DO NOT EDIT.
# Regenerate with `python -m codegen` from schema/{schema} (datamodel-code-generator {version}).
# Hand edits are lost and fail `python -m codegen --check`; change schema/overrides/ instead.
"""

# The flags are part of the output's contract: change them only together with a regeneration.
FLAGS = [
    "--input-file-type=jsonschema",
    "--output-model-type=pydantic_v2.BaseModel",
    "--target-python-version=3.10",
    "--enum-field-as-literal=all",
    "--use-annotated",
    "--use-union-operator",
    "--use-standard-collections",
    "--use-type-alias",
    "--use-schema-description",
    "--use-field-description",
    "--disable-timestamp",
    "--use-double-quotes",
    "--strict-nullable",
    "--no-formatters",
    "--base-class=chatgpt_sdk._base.SDKModel",
]


@dataclass(frozen=True)
class Module:
    name: str
    schema: str
    aliases: dict[str, str] = field(default_factory=dict)
    base_classes: dict[str, str] = field(default_factory=dict)


MODULES = [
    Module(
        "responses",
        "responses.schema.json",
        aliases={"ResponsesRequest": "CreateResponse", "ResponseUsage": "ResponseUsage"},
        base_classes={"Response": "chatgpt_sdk._base.ResponseMixin"},
    ),
    Module(
        "chat",
        "chat.schema.json",
        aliases={
            "ChatCompletionRequest": "CreateChatCompletionRequest",
            "ChatCompletion": "CreateChatCompletionResponse",
            "ChatCompletionChunk": "CreateChatCompletionStreamResponse",
        },
    ),
    Module("catalog", "catalog.schema.json"),
]

_ALIAS_RE = re.compile(
    r'^(?P<name>\w+) = TypeAliasType\("(?P=name)", Annotated\[(?P<members>.+), '
    r"Field\(discriminator=['\"]type['\"](?P<rest>[^)]*)\)\]\)$",
    re.MULTILINE,
)


def _literal_tags(annotation: ast.expr) -> list[str]:
    """The string values of ``Literal[...]`` in an annotation (``| None`` allowed)."""
    tags: list[str] = []
    for node in ast.walk(annotation):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Literal"
        ):
            elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            tags.extend(e.value for e in elts if isinstance(e, ast.Constant))
    return tags


def class_tags(tree: ast.Module) -> dict[str, list[str]]:
    """Class name -> the ``type`` literals it accepts, following bases declared in the module."""
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    cache: dict[str, list[str]] = {}

    def tags_of(name: str) -> list[str]:
        if name in cache:
            return cache[name]
        cache[name] = []
        node = classes.get(name)
        if node is None:
            return []
        for stmt in node.body:
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == "type"
            ):
                cache[name] = _literal_tags(stmt.annotation)
                return cache[name]
        for base in node.bases:
            if isinstance(base, ast.Name) and tags_of(base.id):
                cache[name] = tags_of(base.id)
                break
        return cache[name]

    return {name: tags_of(name) for name in classes}


def _union_members(text: str) -> list[str]:
    """``A | B`` or ``Union[A, "B"]`` -> ``["A", '"B"']`` (forward references stay quoted)."""
    if text.startswith("Union[") and text.endswith("]"):
        parts = text[len("Union[") : -1].split(", ")
    else:
        parts = text.split(" | ")
    return [p.strip() for p in parts]


def open_unions(source: str) -> str:
    """Rewrite each ``type``-discriminated alias into an open, tagged union with a fallback."""
    tags = class_tags(ast.parse(source))

    def rewrite(match: re.Match[str]) -> str:
        name = match["name"]
        members = _union_members(match["members"])
        names = [m.strip('"') for m in members]
        if any(not tags.get(n) for n in names):
            return match.group(0)
        unknown = f"Unknown{name}"
        fallback = (
            f"class {unknown}(UnknownModel):\n"
            f'    """A `{name}` whose `type` this SDK version does not know; keeps every field."""\n'
        )
        parts = [f'Annotated[{m}, Tag("{n}")]' for m, n in zip(members, names, strict=True)]
        parts.append(f'Annotated[{unknown}, Tag("{unknown}")]')
        mapping = {t: n for n in names for t in tags[n]}
        table = ", ".join(f'"{t}": "{m}"' for t, m in sorted(mapping.items()))
        return (
            fallback
            + "\n\n"
            + f'{name} = TypeAliasType("{name}", Annotated[\n    '
            + " |\n    ".join(parts)
            + f',\n    Discriminator(type_discriminator({{{table}}}, "{unknown}"))]'
            + ")"
        )

    return _ALIAS_RE.sub(rewrite, source)


def _fix_imports(source: str, module: Module) -> str:
    lines = source.splitlines()
    extra = ["from pydantic import Discriminator, Tag"]
    extra.append("from chatgpt_sdk._base import UnknownModel, type_discriminator")
    for base in sorted(set(module.base_classes.values())):
        mod, _, cls = base.rpartition(".")
        extra.append(f"from {mod} import {cls}")
    # datamodel-codegen's own header comment is replaced by ours.
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    first_import = next(i for i, line in enumerate(lines) if line.startswith("from "))
    lines[first_import + 1 : first_import + 1] = extra
    return "\n".join(lines) + "\n"


def _apply_base_classes(source: str, module: Module) -> str:
    for cls, base in sorted(module.base_classes.items()):
        mixin = base.rpartition(".")[2]
        pattern = re.compile(rf"^class {cls}\((?P<bases>[^)]*)\):", re.MULTILINE)
        source, count = pattern.subn(rf"class {cls}({mixin}, \g<bases>):", source)
        if count != 1:
            raise SystemExit(f"codegen: no class {cls} in {module.name} for base {base}")
    return source


_REBUILD = re.compile(r"^\w+\.model_rebuild\(\)\n", re.MULTILINE)


def _drop_eager_rebuilds(source: str) -> str:
    """datamodel-codegen ends with ``X.model_rebuild()`` for forward references, which builds
    those validators at import (most of the import time). With ``defer_build`` every model
    resolves its references on first use instead."""
    return _REBUILD.sub("", source)


def _epilogue(source: str, module: Module) -> str:
    tree = ast.parse(source)
    names = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    lines = [""]
    for alias, target in sorted(module.aliases.items()):
        if target not in names:
            raise SystemExit(f"codegen: alias {alias} -> {target}: no such model in {module.name}")
        if alias != target:
            lines.append(f"{alias} = {target}")
            names.add(alias)
    public = sorted(n for n in names if not n.startswith("_"))
    lines.append("")
    lines.append("__all__ = [")
    lines.extend(f'    "{n}",' for n in public)
    lines.append("]")
    return source.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"


_DEFS = "#/$defs/"


def member_tags(schema: dict[str, Any], member: Any, prop: str) -> list[Any]:
    """The values ``member`` (a ``$ref`` to a ``$defs`` entry) declares for ``prop``.

    Follows ``$ref`` and ``allOf``; a property may be an ``enum``, a ``const``, or an ``anyOf`` /
    ``oneOf`` of those (``null`` is not a tag). An empty list means the member declares none.
    """
    defs = schema.get("$defs", {})
    tags: list[Any] = []
    seen: set[str] = set()

    def visit(node: Any) -> None:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS) and ref not in seen:
            seen.add(ref)
            visit(defs.get(ref[len(_DEFS) :]))
        for part in node.get("allOf", []):
            visit(part)
        spec = node.get("properties", {}).get(prop)
        if isinstance(spec, dict):
            for alt in [spec, *spec.get("anyOf", []), *spec.get("oneOf", [])]:
                values = [*alt.get("enum", []), *([alt["const"]] if "const" in alt else [])]
                tags.extend(v for v in values if v is not None and v not in tags)

    visit(member)
    return tags


def explicit_discriminator_mappings(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` where every ``discriminator`` without a ``mapping`` has one.

    Each member's tags are its own ``enum``/``const`` values for the discriminator property;
    a ``$recursiveRef: "#"`` member is the ``$defs`` entry it sits in. A discriminator is left
    alone when a member declares no tags (a nested union such as ``InputItem``'s ``Item``) or two
    members claim one tag, since no mapping can say what the schema does not.
    """
    out = copy.deepcopy(schema)

    def visit(node: Any, owner: str | None) -> None:
        if isinstance(node, list):
            for value in node:
                visit(value, owner)
            return
        if not isinstance(node, dict):
            return
        disc = node.get("discriminator")
        members = node.get("oneOf") or node.get("anyOf")
        if isinstance(disc, dict) and "mapping" not in disc and isinstance(members, list):
            mapping: dict[str, str] = {}
            for member in members:
                ref = member.get("$ref") if isinstance(member, dict) else None
                if ref is None and isinstance(member, dict) and member.get("$recursiveRef") == "#":
                    ref = f"{_DEFS}{owner}" if owner else None
                tags = member_tags(out, {"$ref": ref}, disc["propertyName"]) if ref else []
                if not tags or any(not isinstance(t, str) or t in mapping for t in tags):
                    mapping = {}
                    break
                mapping.update(dict.fromkeys(tags, ref))
            if mapping:
                disc["mapping"] = mapping
        for value in node.values():
            visit(value, owner)

    for name, definition in out.get("$defs", {}).items():
        visit(definition, name)
    return out


def run_datamodel_codegen(schema_path: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.py"
        prepared = Path(tmp) / schema_path.name
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        prepared.write_text(json.dumps(explicit_discriminator_mappings(schema)), encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            f"--input={prepared}",
            f"--output={out}",
            *FLAGS,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"codegen: datamodel-codegen failed for {schema_path}:\n{proc.stderr}")
        return out.read_text(encoding="utf-8")


def _format(source: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--line-length=100", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"codegen: ruff format failed:\n{proc.stderr}")
    return proc.stdout


def render_module(module: Module, schema_dir: Path = SCHEMA_DIR) -> str:
    raw = run_datamodel_codegen(schema_dir / module.schema)
    source = _apply_base_classes(raw, module)
    source = open_unions(source)
    source = _drop_eager_rebuilds(source)
    source = _fix_imports(source, module)
    source = _epilogue(source, module)
    header = HEADER.format(schema=module.schema, version=DATAMODEL_CODEGEN_VERSION)
    return _format(header + source)


PACKAGE_INIT = '''\
# GENERATED FILE: DO NOT EDIT. Regenerate with `python -m codegen`.
"""Pydantic models generated from schema/: {modules}.

Import the module you need (``from chatgpt_sdk.models.responses import Response``); nothing is
imported here, so ``import chatgpt_sdk`` stays cheap.
"""
'''


SNAPSHOT = "catalog.snapshot.json"
SNAPSHOT_MODULE = '''\
# GENERATED FILE: DO NOT EDIT.
# Regenerate with `python -m codegen` from schema/{schema}.
"""The built-in model catalog: what decides a request's shape when ``GET /models`` cannot be read.

{comment}
"""

from typing import Any

CLIENT_VERSION = {version!r}
"""The Codex version whose catalog this is."""

MODELS: tuple[dict[str, Any], ...] = {models!r}
'''


def render_snapshot(schema_dir: Path = SCHEMA_DIR) -> str:
    """The declared catalog snapshot as plain Python data (no import cost beyond a literal)."""
    data = json.loads((schema_dir / SNAPSHOT).read_text(encoding="utf-8"))
    models = tuple(data["models"])
    if not models or any(not isinstance(m.get("slug"), str) for m in models):
        raise SystemExit(f"codegen: schema/{SNAPSHOT} needs a non-empty models list with slugs")
    text = SNAPSHOT_MODULE.format(
        schema=SNAPSHOT,
        comment=data["$comment"],
        version=data["client_version"],
        models=models,
    )
    return _format(text)


def render_all(schema_dir: Path = SCHEMA_DIR) -> dict[str, str]:
    """File name -> contents for every generated file."""
    names = [m.name for m in MODULES] + ["catalog_snapshot"]
    files = {"__init__.py": PACKAGE_INIT.format(modules=", ".join(names))}
    files.update({f"{m.name}.py": render_module(m, schema_dir) for m in MODULES})
    files["catalog_snapshot.py"] = render_snapshot(schema_dir)
    return files


def check_version() -> None:
    from importlib.metadata import version

    found = version("datamodel-code-generator")
    if found != DATAMODEL_CODEGEN_VERSION:
        raise SystemExit(
            f"codegen: datamodel-code-generator {DATAMODEL_CODEGEN_VERSION} is pinned, "
            f"found {found}; run `uv sync` first"
        )


def write(models_dir: Path = MODELS_DIR, schema_dir: Path = SCHEMA_DIR) -> list[Path]:
    written = []
    for name, text in render_all(schema_dir).items():
        path = models_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
