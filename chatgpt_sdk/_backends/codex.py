"""The Codex backend (``chatgpt.com/backend-api/codex``), as the Codex CLI speaks to it.

Its rules live where they always did: the normaliser table and the model's shape in
``chatgpt_sdk.normalize``, the headers, errors and retry policy in ``chatgpt_sdk._transport``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chatgpt_sdk import _transport, errors
from chatgpt_sdk._backends._base import BackendName
from chatgpt_sdk.config import DEFAULT_BASE_URL
from chatgpt_sdk.normalize import Normalized, Shaped, normalize_request, shape_for_model

if TYPE_CHECKING:
    import httpx

    from chatgpt_sdk._transport import Prepared
    from chatgpt_sdk.auth import Credentials
    from chatgpt_sdk.catalog import ModelProfile
    from chatgpt_sdk.config import Settings
    from chatgpt_sdk.rate_limits import RateLimits

__all__ = ["CODEX", "CodexBackend"]


@dataclass(frozen=True)
class CodexBackend:
    name: BackendName = "codex"
    default_base_url: str = DEFAULT_BASE_URL
    accepts_untyped_streams: bool = False
    compresses_requests: bool = True  # [cap] as Codex sends them

    def normalize(
        self,
        params: Mapping[str, Any],
        *,
        default_instructions: str | None,
        prompt_cache_key: str | None,
    ) -> Normalized:
        return normalize_request(
            params, default_instructions=default_instructions, prompt_cache_key=prompt_cache_key
        )

    def shape(self, body: Mapping[str, Any], profile: ModelProfile) -> Shaped:
        return shape_for_model(body, profile)

    def headers(
        self, settings: Settings, credentials: Credentials, prepared: Prepared
    ) -> dict[str, str]:
        return _transport.build_headers(settings, credentials, prepared)

    def models_params(self, settings: Settings) -> dict[str, str]:
        return {"client_version": settings.codex_version}

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
        return _transport.error_from_response(
            status,
            headers,
            content,
            response,
            rate_limits,
            now=now,
            secrets=secrets,
            hint=hint,
        )

    def stream_failure(self, error: errors.ResponseFailedError) -> errors.ChatGPTError:
        return error

    def retryable(self, error: Exception) -> bool:
        return _transport.is_retryable(error)


CODEX = CodexBackend()
