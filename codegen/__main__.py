"""``python -m codegen``: regenerate, check or extract. See schema/README.md."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from codegen import generate
from codegen.paths import MODELS_DIR, SCHEMA_DIR


def check(models_dir: Path = MODELS_DIR, schema_dir: Path = SCHEMA_DIR) -> int:
    """0 when the checked-in models equal a fresh generation, else 1 with a diff summary."""
    stale = []
    rendered = generate.render_all(schema_dir)
    for name, fresh in rendered.items():
        path = models_dir / name
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != fresh:
            stale.append((name, current, fresh))
    if not stale:
        print(f"codegen: {len(rendered)} generated files are up to date")
        return 0
    for name, current, fresh in stale:
        diff = list(
            difflib.unified_diff(
                current.splitlines(),
                fresh.splitlines(),
                f"checked-in/{name}",
                f"generated/{name}",
                lineterm="",
                n=1,
            )
        )
        changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
        print(f"codegen: chatgpt_sdk/models/{name} is stale ({changed} lines differ)")
        for line in diff[:40]:
            print("    " + line)
        if len(diff) > 40:
            print(f"    ... {len(diff) - 40} more diff lines")
    print(
        "codegen: run `uv run python -m codegen` and commit the result (never edit models by hand)"
    )
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if chatgpt_sdk/models is stale")
    sub = parser.add_subparsers(dest="command")
    ext = sub.add_parser("extract", help="refresh schema/ from an OpenAPI spec, keeping overrides")
    ext.add_argument("--spec", required=True, type=Path, help="path to openapi.yaml")
    ext.add_argument("--source", help="provenance text recorded in the schema ($comment)")
    args = parser.parse_args(argv)

    generate.check_version()
    if args.command == "extract":
        from codegen.extract import extract

        for path in extract(args.spec, args.source):
            print(f"codegen: wrote {path.relative_to(SCHEMA_DIR.parent)}")
        print("codegen: now run `python -m codegen` to regenerate the models")
        return 0
    if args.check:
        return check()
    for path in generate.write():
        print(f"codegen: wrote {path.relative_to(MODELS_DIR.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
