"""The ``Backend`` protocol and the registry of the backends by name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    import httpx

    from chatgpt_sdk import errors
    from chatgpt_sdk._transport import Prepared
    from chatgpt_sdk.auth import Credentials
    from chatgpt_sdk.catalog import ModelProfile
    from chatgpt_sdk.config import Settings
    from chatgpt_sdk.normalize import Normalized, Shaped
    from chatgpt_sdk.rate_limits import RateLimits

__all__ = ["BACKEND_NAMES", "Backend", "BackendName", "backend_named"]

BackendName = Literal["codex", "official"]
BACKEND_NAMES: tuple[BackendName, ...] = ("codex", "official")


class Backend(Protocol):
    """One backend's wire rules. Implementations are stateless and shared."""

    @property
    def name(self) -> BackendName: ...

    @property
    def default_base_url(self) -> str: ...

    @property
    def accepts_untyped_streams(self) -> bool:
        """Whether an event stream without a Content-Type is still one."""

    @property
    def compresses_requests(self) -> bool:
        """Whether large bodies go zstd-compressed (where the backend is known to take it)."""

    def normalize(
        self,
        params: Mapping[str, Any],
        *,
        default_instructions: str | None,
        prompt_cache_key: str | None,
    ) -> Normalized:
        """``params`` (plain JSON data) as this backend takes them, before the model's shape."""

    def shape(self, body: Mapping[str, Any], profile: ModelProfile) -> Shaped:
        """A normalised, validated body in the shape ``profile``'s model takes here."""

    def headers(
        self, settings: Settings, credentials: Credentials, prepared: Prepared
    ) -> dict[str, str]:
        """Every header of one request (the caller's extra headers last)."""

    def models_params(self, settings: Settings) -> dict[str, str]:
        """The query of ``GET {base}/models``."""

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
        """The typed error for a non-2xx answer."""

    def stream_failure(self, error: errors.ResponseFailedError) -> errors.ChatGPTError:
        """What a ``response.failed`` (or ``error`` event) means here; often ``error`` itself."""

    def retryable(self, error: Exception) -> bool:
        """Whether sending the same request again may succeed."""


def backend_named(name: str) -> Backend:
    """The backend called ``name`` ("codex" or "official")."""
    if name == "codex":
        from chatgpt_sdk._backends.codex import CODEX

        return CODEX
    if name == "official":
        from chatgpt_sdk._backends.official import OFFICIAL

        return OFFICIAL
    raise ValueError(f"backend must be one of {', '.join(BACKEND_NAMES)}, got {name!r}")
