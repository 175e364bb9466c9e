"""The error taxonomy (DESIGN.md section 7). ``ChatGPTError`` is the root of everything raised.

No message, ``str()`` or ``repr()`` of these errors ever contains a token: bodies are kept as the
backend sent them (the backend never echoes credentials) and request headers are not stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from chatgpt_sdk.rate_limits import RateLimits

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthFileError",
    "AuthenticationError",
    "BadRequestError",
    "BridgeError",
    "ChatGPTError",
    "CredentialsNotSavedWarning",
    "IncompleteResponseError",
    "InternalServerError",
    "LoginFailedError",
    "LoginRequiredError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReauthenticationRequired",
    "ResponseFailedError",
    "StreamError",
    "UnsupportedParameterError",
    "UnsupportedParameterWarning",
    "UsageLimitError",
]


class ChatGPTError(Exception):
    """Root of every error this SDK raises."""

    message: str
    retry_after: float | None
    """Seconds the server asked to wait (``Retry-After``) when that ended the retries, else None."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class UnsupportedParameterWarning(UserWarning):
    """A request parameter the ChatGPT backend rejects was removed before sending."""


# --- HTTP status errors ---------------------------------------------------------------------


class APIStatusError(ChatGPTError):
    """The backend answered with a non-2xx status."""

    status_code: int
    body: Any
    request_id: str | None
    response: httpx.Response | None
    rate_limits: RateLimits | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any = None,
        request_id: str | None = None,
        response: httpx.Response | None = None,
        rate_limits: RateLimits | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.request_id = request_id
        self.response = response
        self.rate_limits = rate_limits

    def __str__(self) -> str:
        suffix = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.status_code}: {self.message}{suffix}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r}, "
            f"request_id={self.request_id!r})"
        )


class APIResponseValidationError(APIStatusError):
    """The backend answered with a success status, but its body is not what it should be."""


class BadRequestError(APIStatusError):
    """400: the backend rejected the request (often a ``{"detail": ...}`` body)."""


class UnsupportedParameterError(BadRequestError):
    """A parameter the backend does not accept; raised before sending when ``strict=True``."""

    parameters: tuple[str, ...]

    def __init__(
        self, message: str, *, parameters: Sequence[str] = (), status_code: int = 400, **kw: Any
    ) -> None:
        super().__init__(message, status_code=status_code, **kw)
        self.parameters = tuple(parameters)


class AuthenticationError(APIStatusError):
    """401 even after one credential refresh and retry."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404 (for example a replayed input item id, or a model the account cannot use)."""


class RateLimitError(APIStatusError):
    """429. Never retried: the backend's 429s are limits, not congestion."""


class UsageLimitError(RateLimitError):
    """429 ``usage_limit_reached`` / ``usage_not_included``: the plan's usage window is spent."""

    resets_at: datetime | None
    plan_type: str | None

    def __init__(
        self,
        message: str,
        *,
        resets_at: datetime | None = None,
        plan_type: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(message, **kw)
        self.resets_at = resets_at
        self.plan_type = plan_type


class InternalServerError(APIStatusError):
    """5xx after the retries were spent."""


# --- transport ------------------------------------------------------------------------------


class APIConnectionError(ChatGPTError):
    """The backend could not be reached (after retries)."""


class APITimeoutError(APIConnectionError):
    """The request, or the wait for the next stream event, timed out."""


# --- stream ---------------------------------------------------------------------------------


class StreamError(ChatGPTError):
    """The stream dropped or carried something unparseable; keeps what arrived before.

    ``retryable`` is False when sending again cannot help (an event that does not match the
    schema); a drop, an idle timeout or a malformed line may be transient.
    """

    partial_text: str
    events: list[Any]
    retryable: bool

    def __init__(
        self,
        message: str,
        *,
        partial_text: str = "",
        events: Sequence[Any] = (),
        retryable: bool = True,
    ) -> None:
        super().__init__(message)
        self.partial_text = partial_text
        self.events = list(events)
        self.retryable = retryable


class ResponseFailedError(ChatGPTError):
    """The stream ended with ``response.failed``."""

    code: str | None
    response: Any

    def __init__(self, message: str, *, code: str | None = None, response: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.response = response

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code else self.message


class IncompleteResponseError(ChatGPTError):
    """The response ended ``incomplete`` where a complete one was required."""

    reason: str | None
    response: Any

    def __init__(self, message: str, *, reason: str | None = None, response: Any = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.response = response


# --- auth -----------------------------------------------------------------------------------


class LoginRequiredError(ChatGPTError):
    """No usable credentials; the message names the command that logs in."""


class ReauthenticationRequired(ChatGPTError):
    """The refresh token was reused, expired or revoked: only a new login helps."""

    code: str | None

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class AuthFileError(ChatGPTError, OSError):
    """The auth file, its folder or its lock file could not be written, locked or removed.

    A full disk, a read-only file system, a file-size limit, missing permissions, a planted
    symlink, a lock held too long... The message names the file, the cause and what to do. It is
    also an ``OSError`` (``errno`` is the OS error number, None when there was none, e.g. a lock
    timeout); ``path`` is the file concerned, ``cause`` the reason in words.
    """

    path: str
    cause: str

    def __init__(
        self, message: str, *, path: str = "", cause: str = "", errno: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.cause = cause
        self.errno = errno
        self.filename = path or None

    def __str__(self) -> str:
        return self.message


class CredentialsNotSavedWarning(UserWarning):
    """Refreshed tokens could not be saved; this process keeps them in memory and retries the save.

    Until a save succeeds, the only valid refresh token lives in this process: if it exits first,
    the next run must log in again.
    """


class LoginFailedError(LoginRequiredError):
    """A login attempt ended without credentials; ``reason`` says why.

    ``reason`` is one of ``denied``, ``expired``, ``cancelled``, ``state_mismatch``,
    ``ports_busy``, ``unsupported`` or ``error``.
    """

    reason: str

    def __init__(self, message: str, *, reason: str = "error") -> None:
        super().__init__(message)
        self.reason = reason


# --- bridge ---------------------------------------------------------------------------------


class BridgeError(ChatGPTError, ValueError):
    """A Chat Completions request the Responses backend cannot express (for example ``n > 1``)."""
