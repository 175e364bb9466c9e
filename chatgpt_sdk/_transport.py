"""What the sync and async clients share: request building, status -> error, retry policy.

Nothing here does I/O, so the two clients differ only in their small send/sleep loops.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from pydantic_core import to_json

from chatgpt_sdk import errors
from chatgpt_sdk._args import header_safe
from chatgpt_sdk.config import Settings
from chatgpt_sdk.rate_limits import RateLimits, utc_from_timestamp

if TYPE_CHECKING:
    import httpx

    from chatgpt_sdk.auth import Credentials

__all__ = ["Prepared", "RetryState", "build_headers", "error_from_response"]

BASE_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
MAX_ERROR_BODY = 1024 * 1024  # bytes of an error body kept; the rest is not read
RETRYABLE_STATUS = frozenset({408, 409})
# response.failed codes that retrying cannot fix (WIRE 4.8); anything else is transient.
FATAL_FAILURE_CODES = frozenset(
    {
        "context_length_exceeded",
        "insufficient_quota",
        "usage_not_included",
        "usage_limit_reached",
        "cyber_policy",
        "invalid_prompt",
        "server_is_overloaded",
        "slow_down",
    }
)
_TRY_AGAIN = re.compile(r"try again in\s*([0-9.]+)\s*(ms|s|seconds?)\b", re.IGNORECASE)
_UNSUPPORTED = re.compile(r"Unsupported parameter:\s*'?([A-Za-z0-9_.\[\]]+)'?")
_REQUEST_ID_HEADERS = ("x-request-id", "x-oai-request-id", "cf-ray")
# As Codex asks ([cap]); httpx decodes both (zstd through the zstandard dependency).
ACCEPT_ENCODING = "zstd,gzip"


@dataclass
class Prepared:
    """One logical request, before credentials; re-sent unchanged on retries."""

    method: str
    path: str
    json_body: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)
    extra_headers: dict[str, str] = field(default_factory=dict)
    timeout: httpx.Timeout | None = None
    streaming: bool = True
    conversation_id: str | None = None  # the body's prompt_cache_key; else the client's session
    model: str | None = None
    extra_body: dict[str, Any] | None = None  # merged after the model's shape is applied
    shape_headers: dict[str, str] = field(default_factory=dict)  # e.g. the Lite header
    error_hint: str | None = None  # appended to a 404, e.g. why this shape was chosen
    # Emulated state (a response store): the chain to replay, the references to resolve, whether
    # to keep the result, and this turn's own input items (what is stored).
    previous_response_id: str | None = None
    references: tuple[str, ...] = ()
    keep: bool = False
    new_input: list[Any] | None = None
    _encoded: tuple[bytes, str | None] | None = field(default=None, repr=False)

    def encoded(self, compression_threshold: int | None) -> tuple[bytes, str | None] | None:
        """The body as sent and its content encoding; encoded once, reused by retries.

        Bodies of at least ``compression_threshold`` bytes are zstd-compressed (level 3, as
        Codex sends them); None turns compression off.
        """
        if self.json_body is None:
            return None
        if self._encoded is None:
            # pydantic-core's serializer: the same compact UTF-8 JSON as json.dumps with
            # ensure_ascii=False, 10x faster on a 30-turn history (bench_wire.py).
            raw = to_json(self.json_body)
            if compression_threshold is not None and len(raw) >= compression_threshold:
                self._encoded = (_zstd(raw), "zstd")
            else:
                self._encoded = (raw, None)
        return self._encoded


_compressors = threading.local()  # a ZstdCompressor is not safe to share between threads


def _zstd(data: bytes) -> bytes:
    compressor = getattr(_compressors, "zstd", None)
    if compressor is None:  # imported on first use: small bodies never need it
        import zstandard

        compressor = _compressors.zstd = zstandard.ZstdCompressor(level=3)
    return bytes(compressor.compress(data))


def build_headers(
    settings: Settings, credentials: Credentials, prepared: Prepared
) -> dict[str, str]:
    """The headers Codex sends (WIRE 3.1).

    Codex uses one conversation id for the session headers, ``thread-id``, the request id and the
    body's ``prompt_cache_key``; keeping them equal is what gives prompt caching its hits.
    """
    conversation = prepared.conversation_id or settings.session_id
    headers = {
        "Authorization": f"Bearer {credentials.access_token}",
        "originator": settings.originator,
        "User-Agent": settings.user_agent,
        "version": settings.codex_version,
        "session-id": conversation,
        "thread-id": conversation,
        "x-client-request-id": conversation,
        "Accept": "text/event-stream" if prepared.streaming else "application/json",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if prepared.model and header_safe(prepared.model):  # else the backend says what is wrong
        headers["x-codex-routing-hint"] = f"model={prepared.model}"  # [cap] routes by model
    if credentials.account_id:
        headers["ChatGPT-Account-Id"] = credentials.account_id
    if prepared.json_body is not None:
        headers["Content-Type"] = "application/json"
    headers.update(prepared.shape_headers)
    headers.update(prepared.extra_headers)
    return headers


def request_id(headers: httpx.Headers) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None


def _parse_body(content: bytes) -> Any:
    try:
        return json.loads(content) if content else None
    except (ValueError, RecursionError):
        return content.decode("utf-8", "replace")


def _message_of(body: Any, status: int) -> str:
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return str(body.get("error_description") or error)
        if detail is not None:
            return json.dumps(detail)[:500]
    if isinstance(body, str) and body.strip():
        text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
        return text[:300] or f"HTTP {status}"
    return f"HTTP {status}"


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return utc_from_timestamp(value)
    return None


def _usage_limit(
    error: dict[str, Any], message: str, now: datetime, **kw: Any
) -> errors.UsageLimitError:
    resets_at = _timestamp(error.get("resets_at"))
    seconds = error.get("resets_in_seconds")
    if resets_at is None and isinstance(seconds, (int, float)) and 0 <= seconds < 10**9:
        resets_at = now + timedelta(seconds=seconds)
    plan = error.get("plan_type")
    when = f"; resets at {resets_at.isoformat()}" if resets_at else ""
    return errors.UsageLimitError(
        f"{message}{when}",
        resets_at=resets_at,
        plan_type=plan if isinstance(plan, str) else None,
        **kw,
    )


MASK_MIN_PREFIX = 12  # an echoed run this long of a secret's start is masked, to its end


def mask(text: str, secret: str) -> str:
    """``text`` with every echo of ``secret`` masked: whole, or any prefix of 12+ characters."""
    if not secret:
        return text
    if len(secret) <= MASK_MIN_PREFIX:
        return text.replace(secret, "***")
    head = secret[:MASK_MIN_PREFIX]
    start = text.find(head)
    if start < 0:
        return text
    parts: list[str] = []
    done = 0
    while start >= 0:
        end, matched = start + len(head), len(head)
        while matched < len(secret) and end < len(text) and text[end] == secret[matched]:
            end += 1
            matched += 1
        parts += (text[done:start], "***")
        done = end
        start = text.find(head, done)
    parts.append(text[done:])
    return "".join(parts)


def _redact(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = mask(value, secret)
        return value
    if isinstance(value, dict):
        return {k: _redact(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, secrets) for v in value]
    return value


def _without_credentials(response: httpx.Response | None) -> None:
    """An error keeps its response; the request behind it must not keep the live token."""
    if response is None:
        return
    try:
        request = response.request
    except RuntimeError:  # a response built without a request
        return
    request.headers.pop("authorization", None)


def error_from_response(
    status: int,
    headers: httpx.Headers,
    content: bytes,
    response: httpx.Response | None = None,
    rate_limits: RateLimits | None = None,
    now: datetime | None = None,
    secrets: tuple[str, ...] = (),
    hint: str | None = None,
) -> errors.APIStatusError:
    """The typed error for a non-2xx answer (DESIGN.md section 7).

    ``hint`` is added to the message of a 404 (a Lite model asked the classic way answers "Model
    not found"): what the client chose that may explain it.

    ``secrets`` (the access token sent) are masked in the message and body, in case a proxy or a
    misbehaving server echoes the request's headers back.
    """
    _without_credentials(response)
    body = _parse_body(content)
    secrets = tuple(s for s in secrets if s)
    if secrets:
        body = _redact(body, secrets)
    message = _message_of(body, status)
    if hint and status == 404:
        message = f"{message} ({hint})"
    kw: dict[str, Any] = {
        "status_code": status,
        "body": body,
        "request_id": request_id(headers),
        "response": response,
        "rate_limits": rate_limits,
    }
    if status == 400:
        match = _UNSUPPORTED.search(message)
        if match:
            return errors.UnsupportedParameterError(message, parameters=[match[1]], **kw)
        return errors.BadRequestError(message, **kw)
    if status == 401:
        return errors.AuthenticationError(
            f"{message} (the credentials were refreshed once and still rejected; "
            "run `chatgpt-sdk login` if this persists)",
            **kw,
        )
    if status == 403:
        return errors.PermissionDeniedError(message, **kw)
    if status == 404:
        return errors.NotFoundError(message, **kw)
    if status == 429:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and error.get("type") in (
            "usage_limit_reached",
            "usage_not_included",
        ):
            return _usage_limit(error, message, now or datetime.now(timezone.utc), **kw)
        return errors.RateLimitError(message, **kw)
    if status >= 500:
        return errors.InternalServerError(message, **kw)
    return errors.APIStatusError(message, **kw)


def retry_after_seconds(headers: httpx.Headers, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (delta or HTTP date), never negative; None when absent or invalid.

    Not capped here: a wait longer than the client will sleep ends the retries (``RetryState``).
    """
    raw = headers.get("retry-after-ms")
    if raw:
        try:
            return _seconds(float(raw) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return _seconds(float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return _seconds((when - (now or datetime.now(timezone.utc))).total_seconds())


def _seconds(value: float) -> float | None:
    return None if value != value else max(value, 0.0)  # NaN is no hint


def failure_delay(message: str) -> float | None:
    """The server's own 'try again in 1.5s' hint on a ``response.failed``."""
    match = _TRY_AGAIN.search(message)
    if not match:
        return None
    value = float(match[1])
    return _seconds(value / 1000 if match[2].lower() == "ms" else value)


def _error_code(body: Any) -> Any:
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def is_retryable(error: Exception) -> bool:
    if isinstance(error, errors.APIStatusError):
        if _error_code(error.body) in FATAL_FAILURE_CODES:
            return False  # e.g. 503 server_is_overloaded: Codex gives up at once (WIRE 5.1)
        return error.status_code in RETRYABLE_STATUS or error.status_code >= 500
    if isinstance(error, errors.ResponseFailedError):
        return error.code not in FATAL_FAILURE_CODES
    if isinstance(error, errors.StreamError):
        return error.retryable
    return isinstance(error, errors.APIConnectionError)


@dataclass
class RetryState:
    """One call's retry budget, shared by status, connection and stream failures."""

    max_retries: int
    base_delay: float = BASE_DELAY
    attempts: int = 0
    retryable: Callable[[Exception], bool] = is_retryable  # the backend's rule

    def next_delay(self, error: Exception, hint: float | None = None) -> float:
        """Seconds to wait before the next attempt; re-raises ``error`` when it is final.

        A server that asks for a longer wait than ``MAX_RETRY_AFTER`` ends the retries at once:
        the error says how long it asked for (``retry_after``) instead of the client sleeping.
        """
        if not self.retryable(error) or self.attempts >= self.max_retries:
            raise error
        if hint is not None and hint > MAX_RETRY_AFTER:
            if isinstance(error, errors.ChatGPTError):
                error.retry_after = hint
                error.message = (
                    f"{error.message} (the server asks to wait {hint:.0f} s before trying "
                    f"again, longer than the client waits between retries: {MAX_RETRY_AFTER:.0f} s)"
                )
                error.args = (error.message,)
            raise error
        self.attempts += 1
        backoff = min(self.base_delay * 2.0 ** (self.attempts - 1), MAX_DELAY)
        jittered = backoff * random.uniform(0.8, 1.2)
        return max(jittered, hint) if hint is not None else jittered
