"""The base classes the generated models stand on (hand-written; ``models/`` is generated)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["ResponseMixin", "SDKModel", "UnknownModel", "type_discriminator"]


class SDKModel(BaseModel):
    """Lenient by design: the backend adds fields without notice, and they must survive."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        # Hundreds of models: build each validator on first use, not at import.
        defer_build=True,
    )


class UnknownModel(SDKModel):
    """Base of the fallback models for a ``type`` the schema does not know (fields kept as extras)."""

    type: str


def type_discriminator(tags: Mapping[str, str], fallback: str) -> Callable[[Any], str]:
    """A pydantic discriminator choosing a union member by ``type``, or ``fallback`` if unknown."""

    def discriminate(value: Any) -> str:
        tag = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
        if isinstance(tag, str):
            return tags.get(tag, fallback)
        return fallback

    return discriminate


class ResponseMixin:
    """Conveniences on the generated ``Response``."""

    @property
    def output_text(self) -> str:
        """All ``output_text`` parts of all assistant messages, joined in output order."""
        parts: list[str] = []
        for item in getattr(self, "output", None) or ():
            if getattr(item, "type", None) != "message":
                continue
            for part in getattr(item, "content", None) or ():
                if getattr(part, "type", None) == "output_text":
                    parts.append(part.text)
        return "".join(parts)
