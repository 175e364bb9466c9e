"""Exceptions -> OpenAI's error JSON ``{"error": {"message", "type", "param", "code"}}``.

One table for every endpoint and for errors inside a stream, so an OpenAI client raises the
same exception class whichever way the proxy failed. Messages come from our own errors, which
never carry a token; anything unexpected is reported by type only.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError

from chatgpt_sdk import errors
from chatgpt_sdk.auth._token_store import TokenStoreError

__all__ = ["ProxyError", "error_body", "to_error"]

logger = logging.getLogger("chatgpt_sdk.server")

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}
# response.failed codes that mean the request itself cannot succeed (WIRE.md 4.8).
_REQUEST_FAULTS = frozenset({"context_length_exceeded", "invalid_prompt"})
_LOGIN_HINT = "Run `chatgpt-sdk login` on the machine running the proxy, then retry."


class ProxyError(Exception):
    """An error the proxy itself answers with (bad body, unknown model, strict mode, auth)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.headers = headers or {}
        self.type = type  # None: the one the status implies


@dataclass
class ErrorReply:
    status: int
    message: str
    type: str
    param: str | None = None
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.type, self.param, self.code, **self.extra)


def error_body(
    message: str, type: str, param: str | None = None, code: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code, **extra}}


def _type_for(status: int) -> str:
    return _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")


def _validation(exc: ValidationError) -> ErrorReply:
    """Name the field: ``messages: Field required``; never echo the input values."""
    problems = exc.errors(include_url=False, include_input=False)
    parts = []
    for problem in problems[:3]:
        where = ".".join(str(p) for p in problem["loc"])
        parts.append(f"{where}: {problem['msg']}" if where else problem["msg"])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    param = ".".join(str(p) for p in problems[0]["loc"]) if problems else None
    return ErrorReply(
        400, f"Invalid request: {'; '.join(parts)}{more}", "invalid_request_error", param or None
    )


def _retry_after(resets_at: datetime | None, now: datetime) -> str | None:
    if resets_at is None:
        return None
    return str(max(0, math.ceil((resets_at - now).total_seconds())))


def _status_error(exc: errors.APIStatusError, now: datetime) -> ErrorReply:
    status = exc.status_code if 400 <= exc.status_code <= 599 else 502
    reply = ErrorReply(status, exc.message, _type_for(status))
    upstream = exc.response.headers.get("retry-after") if exc.response is not None else None
    if upstream:
        reply.headers["Retry-After"] = upstream
    if isinstance(exc, errors.UnsupportedParameterError):
        reply.param = exc.parameters[0] if exc.parameters else None
        reply.code = "unsupported_parameter"
    elif isinstance(exc, errors.UsageLimitError):
        reply.code = "usage_limit_reached"
        wait = _retry_after(exc.resets_at, now)
        if wait is not None:
            reply.headers["Retry-After"] = wait
        if exc.resets_at is not None:
            reply.extra["resets_at"] = int(exc.resets_at.timestamp())
        if exc.plan_type:
            reply.extra["plan_type"] = exc.plan_type
    elif isinstance(exc, errors.AuthenticationError):
        reply.message = f"The ChatGPT backend rejected the proxy's login: {exc.message}"
        reply.code = "upstream_authentication_failed"
    elif isinstance(exc, errors.NotFoundError):
        reply.type = "invalid_request_error"
    upstream_error = exc.body.get("error") if isinstance(exc.body, dict) else None
    if isinstance(upstream_error, dict) and reply.code is None:
        # The backend's own code and param (context_length_exceeded, ...), relayed as given.
        code, param = upstream_error.get("code"), upstream_error.get("param")
        reply.code = code if isinstance(code, str) else None
        reply.param = param if isinstance(param, str) and reply.param is None else reply.param
    return reply


def to_error(exc: BaseException, *, now: datetime | None = None) -> ErrorReply:
    """The status, body and headers to answer ``exc`` with."""
    now = now or datetime.now(timezone.utc)
    if isinstance(exc, ProxyError):
        return ErrorReply(
            exc.status,
            exc.message,
            exc.type or _type_for(exc.status),
            exc.param,
            exc.code,
            dict(exc.headers),
        )
    if isinstance(exc, ValidationError):
        return _validation(exc)
    if isinstance(exc, errors.APIStatusError):
        return _status_error(exc, now)
    if isinstance(exc, errors.BridgeError):
        return ErrorReply(400, exc.message, "invalid_request_error")
    if isinstance(exc, (errors.LoginRequiredError, errors.ReauthenticationRequired)):
        hint = "" if "chatgpt-sdk login" in exc.message else f" {_LOGIN_HINT}"
        return ErrorReply(
            401,
            f"The proxy has no usable ChatGPT login: {exc.message}{hint}",
            "authentication_error",
            code="login_required",
        )
    if isinstance(exc, errors.APITimeoutError):
        return ErrorReply(504, exc.message, "api_connection_error", code="upstream_timeout")
    if isinstance(exc, errors.APIConnectionError):
        return ErrorReply(502, exc.message, "api_connection_error", code="upstream_unreachable")
    if isinstance(exc, errors.ResponseFailedError):
        if exc.code in _REQUEST_FAULTS:
            # The request's fault, as the OpenAI API answers it (400): a conversation longer than
            # the model's context is relayed, never cut, and clients do not retry it.
            return ErrorReply(400, exc.message, "invalid_request_error", "input", exc.code)
        return ErrorReply(502, exc.message, "server_error", code=exc.code or "response_failed")
    if isinstance(exc, errors.StreamError):
        return ErrorReply(502, exc.message, "server_error", code="stream_error")
    if isinstance(exc, TokenStoreError):
        # The shared login store is down: nothing refreshes without its lock; try again soon.
        return ErrorReply(
            503,
            exc.message,
            "server_error",
            code="token_store_unavailable",
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, errors.ChatGPTError):
        return ErrorReply(502, exc.message, "server_error")
    logger.error("unexpected proxy error", exc_info=exc)
    return ErrorReply(500, f"internal proxy error ({type(exc).__name__})", "server_error")
