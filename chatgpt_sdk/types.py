"""Typed keyword arguments of the request methods (dicts and generated models both accepted)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, Union

from typing_extensions import Required, TypedDict

if TYPE_CHECKING:
    from pydantic import BaseModel

    from chatgpt_sdk.models import chat, responses

__all__ = ["ChatCompletionCreateParams", "JSONObject", "ResponseCreateParams"]

JSONObject: TypeAlias = Mapping[str, Any]
_Obj: TypeAlias = Union[JSONObject, "BaseModel"]


class ResponseCreateParams(TypedDict, total=False):
    """The Responses fields; see ``chatgpt_sdk.normalize.FIELDS`` for what the backend accepts."""

    model: Required[str]
    input: str | Sequence[_Obj | responses.InputItem]
    instructions: str | None
    tools: Sequence[_Obj | responses.Tool]
    tool_choice: str | _Obj
    parallel_tool_calls: bool
    reasoning: _Obj | responses.Reasoning | None
    text: _Obj | responses.ResponseTextParam
    include: Sequence[str]
    prompt_cache_key: str
    service_tier: Literal["auto", "default", "flex", "priority"] | str
    client_metadata: Mapping[str, str]
    # Forced by the backend (store=False, stream is the method's own argument); another value
    # is reported with a warning, or an error if strict.
    store: bool
    # Accepted so existing code keeps working; removed with a warning (or an error if strict).
    max_output_tokens: int
    metadata: Mapping[str, str]
    temperature: float
    top_p: float
    top_logprobs: int
    user: str
    safety_identifier: str
    truncation: Literal["auto", "disabled"]
    max_tool_calls: int
    background: bool
    previous_response_id: str
    prompt_cache_retention: str


class ChatCompletionCreateParams(TypedDict, total=False):
    """The Chat Completions fields the bridge maps (``chatgpt_sdk.bridge``)."""

    model: Required[str]
    messages: Required[Sequence[_Obj | chat.ChatCompletionRequestMessage]]
    tools: Sequence[_Obj]
    tool_choice: str | _Obj
    parallel_tool_calls: bool
    response_format: _Obj
    reasoning_effort: str
    verbosity: Literal["low", "medium", "high"]
    stream_options: _Obj
    n: int
    prompt_cache_key: str
    service_tier: str
    web_search_options: _Obj
    # Extension: a Responses ``reasoning`` object, e.g. ``{"summary": "auto"}`` (docs/chat.md).
    reasoning: _Obj
    # Legacy function calling; refused by the bridge with a clear BridgeError.
    functions: Sequence[_Obj]
    function_call: str | _Obj
    store: bool
    # Removed with a warning (or an error if strict): the backend has no equivalent.
    max_tokens: int
    max_completion_tokens: int
    metadata: Mapping[str, str]
    temperature: float
    top_p: float
    user: str
    safety_identifier: str
    prompt_cache_retention: str
    frequency_penalty: float
    presence_penalty: float
    seed: int
    stop: str | Sequence[str]
    logprobs: bool
    top_logprobs: int
    logit_bias: Mapping[str, int]
    prediction: _Obj
