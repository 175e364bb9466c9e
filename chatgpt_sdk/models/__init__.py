# GENERATED FILE: DO NOT EDIT. Regenerate with `python -m codegen`.
"""Pydantic models generated from schema/: responses, chat, catalog, catalog_snapshot.

Import the module you need (``from chatgpt_sdk.models.responses import Response``); nothing is
imported here, so ``import chatgpt_sdk`` stays cheap.
"""
