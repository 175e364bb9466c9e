# GENERATED FILE: DO NOT EDIT.
# Regenerate with `python -m codegen` from schema/catalog.schema.json (datamodel-code-generator 0.89.0).
# Hand edits are lost and fail `python -m codegen --check`; change schema/overrides/ instead.

from __future__ import annotations
from pydantic import Discriminator, Tag
from chatgpt_sdk._base import UnknownModel, type_discriminator
from typing import Annotated, Any
from pydantic import Field
from chatgpt_sdk._base import SDKModel
from typing_extensions import TypeAliasType


ChatgptSdkModelsCatalog = TypeAliasType(
    "ChatgptSdkModelsCatalog", Annotated[Any, Field(title="chatgpt_sdk.models.catalog")]
)


class ReasoningLevel(SDKModel):
    """
    One reasoning effort a model accepts.
    """

    effort: str
    description: str | None = None


class ModelUpgrade(SDKModel):
    """
    The model the catalog suggests instead.
    """

    model: str | None = None
    migration_markdown: str | None = None


class TruncationPolicy(SDKModel):
    mode: str | None = None
    limit: int | None = None


class Model(SDKModel):
    """
    One entry of the account's live model catalog.
    """

    slug: str
    """
    The value to send as `model`.
    """
    display_name: str | None = None
    description: str | None = None
    visibility: str | None = None
    """
    `list` (show it), `hide` or `none`.
    """
    default_reasoning_level: str | None = None
    supported_reasoning_levels: list[ReasoningLevel] | None = None
    supports_reasoning_summaries: bool | None = None
    default_reasoning_summary: str | None = None
    support_verbosity: bool | None = None
    default_verbosity: str | None = None
    supports_parallel_tool_calls: bool | None = None
    base_instructions: str | None = None
    """
    The model's default `instructions`.
    """
    context_window: int | None = None
    input_modalities: list[str] | None = None
    supported_in_api: bool | None = None
    priority: int | None = None
    upgrade: ModelUpgrade | None = None
    truncation_policy: TruncationPolicy | None = None
    minimal_client_version: list[int] | None = None
    additional_speed_tiers: list[str] | None = None
    use_responses_lite: bool | None = None
    """
    Whether the model needs the Responses Lite request shape.
    """
    supports_search_tool: bool | None = None
    """
    Whether the model takes the web search tool.
    """
    web_search_tool_type: str | None = None
    """
    The web search flavour it takes: `text` or `text_and_image`.
    """
    default_service_tier: str | None = None
    shell_type: str | None = None
    apply_patch_tool_type: str | None = None
    max_context_window: int | None = None
    experimental_supported_tools: list[str] | None = None
    tool_mode: str | None = None


class ModelCatalog(SDKModel):
    """
    The body of GET {base}/models: an object with a `models` array.
    """

    models: list[Model]


__all__ = [
    "ChatgptSdkModelsCatalog",
    "Model",
    "ModelCatalog",
    "ModelUpgrade",
    "ReasoningLevel",
    "TruncationPolicy",
]
