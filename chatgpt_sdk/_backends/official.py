"""The official "Sign in with ChatGPT" API (``api.openai.com/v1``), as SIWC.md section 3 documents.

Its own normaliser table (``FIELDS``) says what this route does with each field; its shape
wraps function and custom tools into an ``additional_tools`` item; its headers are only what the
route documents (no Codex identity, ever); its errors follow the plan-usage codes of section 3.6.
Evidence markers: [doc] OpenAI's SIWC pages, [DK] OpenAI's sample devkit (read, never copied),
[TP] third parties, [?] uncertain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from chatgpt_sdk import _transport, errors
from chatgpt_sdk._backends._base import BackendName
from chatgpt_sdk.normalize import (
    FIELDS as CODEX_FIELDS,
)
from chatgpt_sdk.normalize import (
    Action,
    Normalized,
    Rule,
    Shaped,
    lite_tools,
    namespaced_item,
    normalize_request,
    shape_for_model,
)

if TYPE_CHECKING:
    import httpx

    from chatgpt_sdk._transport import Prepared
    from chatgpt_sdk.auth import Credentials
    from chatgpt_sdk.catalog import ModelProfile
    from chatgpt_sdk.config import Settings
    from chatgpt_sdk.rate_limits import RateLimits

__all__ = ["DEFAULT_BASE_URL", "FIELDS", "OFFICIAL", "USAGE_SETTINGS_URL", "OfficialBackend"]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
USAGE_SETTINGS_URL = "https://chatgpt.com/settings/usage"

_OMIT = "[doc] SIWC 3.3: omitted on this route"
FIELDS: Mapping[str, Rule] = MappingProxyType(
    {
        **CODEX_FIELDS,
        "instructions": Rule(Action.REWRITE, "[doc] SIWC 3.3: system text goes in instructions"),
        "tools": Rule(
            Action.REWRITE,
            "[doc] SIWC 3.4: function and custom tools only in a namespace or an additional_tools "
            "item; Chat-style nesting flattened",
        ),
        "service_tier": Rule(
            Action.UNSUPPORTED,
            "[doc] SIWC 3.3: a service_tier override causes unsupported_capability",
        ),
        "client_metadata": Rule(Action.UNSUPPORTED, "[?] a Codex field; undocumented here"),
        "moderation": Rule(Action.UNSUPPORTED, _OMIT),
        "multi_agent": Rule(Action.UNSUPPORTED, _OMIT),
        "prompt": Rule(Action.UNSUPPORTED, _OMIT),
        **{
            name: Rule(Action.UNSUPPORTED, _OMIT)
            for name in (
                "background",
                "conversation",
                "max_output_tokens",
                "max_tool_calls",
                "metadata",
                "prompt_cache_retention",
                "safety_identifier",
                "temperature",
                "top_logprobs",
                "top_p",
                "truncation",
                "user",
            )
        },
        "previous_response_id": Rule(
            Action.UNSUPPORTED, "[doc] SIWC 3.3: nothing is stored over HTTP; send the history"
        ),
        "store": Rule(Action.FORCE, "[doc] SIWC 3.3: store must be false", False),
        "stream": Rule(Action.FORCE, "[doc] SIWC 3.3: stream must be true", True),
    }
)
# Tools the route refuses (SIWC 3.4); web search depends on the model and account policy.
_UNSUPPORTED_TOOLS = frozenset(
    {
        "file_search",
        "code_interpreter",
        "image_generation",
        "computer_use_preview",
        "computer",
        "mcp",
        "local_shell",
        "tool_search",
        "programmatic_tool_calling",
    }
)
_WRAPPED = frozenset({"function", "custom", "namespace"})

# SIWC 3.6: the plan-usage codes (legacy `_v2_` spellings map to their successors).
USAGE_LIMIT = "subscription_sharing_usage_limit_exceeded"
_RETRYABLE_CODES = frozenset(
    {"subscription_sharing_usage_unavailable", "subscription_sharing_user_unavailable"}
)
_FINAL_CODES = frozenset(
    {
        USAGE_LIMIT,
        "subscription_sharing_user_not_eligible",
        "subscription_sharing_unsupported_capability",
        "subscription_sharing_route_not_supported",
        "subscription_sharing_invalid_user",
        "subscription_sharing_client_not_enabled",
        "chatpass_v2_scope_not_authorized",
        "chatpass_v2_invalid_authorization_context",
        "model_not_found",
        "invalid_token",
        "invalid_api_key",
    }
)
_EXPLAINED = {
    "subscription_sharing_user_not_eligible": "ChatGPT plan usage is not available for this "
    "user, workspace or policy",
    "subscription_sharing_route_not_supported": "only POST /v1/responses is served with a "
    "ChatGPT plan",
    "subscription_sharing_client_not_enabled": "this app is not enabled for ChatGPT plan use",
    "subscription_sharing_invalid_user": "the subscriber context is not valid; sign in again "
    "only if your login was revoked",
}


def _code(value: Any) -> str | None:
    """The plan-usage code, with a legacy ``_v2_`` spelling mapped to its successor."""
    if not isinstance(value, str):
        return None
    return value.replace("subscription_sharing_v2_", "subscription_sharing_")


def _body_code(body: Any) -> tuple[str | None, str | None]:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        param = error.get("param")
        return _code(error.get("code")), param if isinstance(param, str) else None
    return None, None


@dataclass(frozen=True)
class OfficialBackend:
    name: BackendName = "official"
    default_base_url: str = DEFAULT_BASE_URL
    accepts_untyped_streams: bool = True  # [DK] "valid SSE without Content-Type"
    compresses_requests: bool = False  # [?] undocumented here; Codex compresses only its own

    def normalize(
        self,
        params: Mapping[str, Any],
        *,
        default_instructions: str | None,
        prompt_cache_key: str | None,
    ) -> Normalized:
        return normalize_request(
            params,
            default_instructions=default_instructions,
            prompt_cache_key=prompt_cache_key,
            fields=FIELDS,
        )

    def shape(self, body: Mapping[str, Any], profile: ModelProfile) -> Shaped:
        """The catalog's checks, then tools wrapped as SIWC 3.4 asks; never the Lite header."""
        checked = shape_for_model(body, profile.with_lite(False))
        out = checked.body
        dropped = list(checked.dropped)
        tools = out.pop("tools", None) or []
        wrapped, kept = [], []
        for index, tool in enumerate(tools):
            kind = tool.get("type") if isinstance(tool, Mapping) else None
            if kind in _WRAPPED:
                wrapped.append(tool)
            elif kind in _UNSUPPORTED_TOOLS:
                dropped.append((f"tools[{index}] ({kind})", "[doc] SIWC 3.4: not supported"))
            else:
                kept.append(tool)  # web search: the model and account decide
        if kept:
            out["tools"] = kept
        items = [namespaced_item(item) for item in out.get("input") or ()]
        if wrapped:
            head = {"type": "additional_tools", "role": "developer", "tools": lite_tools(wrapped)}
            items.insert(0, head)
        out["input"] = items
        return Shaped(out, {}, tuple(dropped))

    def headers(
        self, settings: Settings, credentials: Credentials, prepared: Prepared
    ) -> dict[str, str]:
        """Only what the route documents: no account header, no Codex identity (SIWC 3.1)."""
        headers = {
            "Authorization": f"Bearer {credentials.access_token}",
            "Accept": "text/event-stream" if prepared.streaming else "application/json",
        }
        if prepared.json_body is not None:
            headers["Content-Type"] = "application/json"
        headers.update(prepared.extra_headers)
        return headers

    def models_params(self, settings: Settings) -> dict[str, str]:
        return {}  # [doc] SIWC 3.2: no client_version here

    def error(
        self,
        status: int,
        headers: httpx.Headers,
        content: bytes,
        *,
        response: httpx.Response | None,
        rate_limits: RateLimits | None,
        secrets: tuple[str, ...],
        hint: str | None,
        now: datetime | None = None,
    ) -> errors.APIStatusError:
        generic = _transport.error_from_response(
            status, headers, content, response, rate_limits, now=now, secrets=secrets, hint=hint
        )
        code, param = _body_code(generic.body)
        kw: dict[str, Any] = {
            "status_code": status,
            "body": generic.body,
            "request_id": generic.request_id,
            "response": response,
            "rate_limits": rate_limits,
        }
        if code == USAGE_LIMIT:
            return _usage_limit(generic.message, **kw)
        if code == "subscription_sharing_unsupported_capability":
            return errors.UnsupportedParameterError(
                f"{generic.message} (this route does not support "
                f"{param or 'part of the request'}; remove it rather than resending)",
                parameters=[param] if param else [],
                **kw,
            )
        if code in _EXPLAINED:
            generic.message = f"{generic.message} ({_EXPLAINED[code]})"
            generic.args = (generic.message,)
        return generic

    def stream_failure(self, error: errors.ResponseFailedError) -> errors.ChatGPTError:
        """A usage limit reached mid-stream is a ``UsageLimitError`` like the 429 (SIWC 3.5)."""
        if _code(error.code) == USAGE_LIMIT:
            return _usage_limit(
                error.message, status_code=429, body={"error": {"code": USAGE_LIMIT}}
            )
        return error

    def retryable(self, error: Exception) -> bool:
        """SIWC 3.6: the unavailable codes, unknown 429s and 5xx, dropped streams; nothing else."""
        if isinstance(error, errors.APIStatusError):
            code, _ = _body_code(error.body)
            if code in _RETRYABLE_CODES:
                return True
            if code in _FINAL_CODES:
                return False
            return error.status_code in (408, 409, 429) or error.status_code >= 500
        if isinstance(error, errors.ResponseFailedError):
            return _code(error.code) in _RETRYABLE_CODES
        if isinstance(error, errors.StreamError):
            return error.retryable
        return isinstance(error, errors.APIConnectionError)


def _usage_limit(message: str, **kw: Any) -> errors.UsageLimitError:
    """No reset time is invented: the limit may be this app's own (SIWC 3.6)."""
    return errors.UsageLimitError(
        f"{message} (your ChatGPT plan's usage limit for this app is reached; see "
        f"{USAGE_SETTINGS_URL})",
        resets_at=None,
        plan_type=None,
        **kw,
    )


OFFICIAL = OfficialBackend()
