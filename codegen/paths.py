"""Where codegen reads and writes; one place so tests can point it at a temporary copy."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"
OVERRIDES_DIR = SCHEMA_DIR / "overrides"
MODELS_DIR = ROOT / "chatgpt_sdk" / "models"
