"""The usage windows the CLI saw last, kept beside the auth file (no secrets)."""

from __future__ import annotations

import contextlib
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chatgpt_sdk.errors import ChatGPTError

if TYPE_CHECKING:
    from chatgpt_sdk.rate_limits import RateLimits, RateLimitWindow


def last_seen_rate_limits() -> dict[str, Any] | None:
    """The usage windows the last ``ask`` or ``models`` saw, or None."""
    from chatgpt_sdk.auth._store import AuthFile

    try:
        data = AuthFile(_rate_limits_path()).read()
    except ChatGPTError:
        return None
    return data if isinstance(data, dict) else None


def _rate_limits_path() -> Path:
    """Where the CLI keeps the last usage windows it saw, beside the auth file (no secrets)."""
    from chatgpt_sdk.auth._config import resolve_auth_path

    return resolve_auth_path(None, None).with_name("rate_limits.json")


def remember_rate_limits(limits: RateLimits | None) -> None:
    if limits is None:
        return
    from chatgpt_sdk.auth._store import AuthFile

    data = {"seen_at": datetime.now(timezone.utc).isoformat(), **_limits_dict(limits)}
    with contextlib.suppress(OSError):
        AuthFile(_rate_limits_path()).write(data)


def _limits_dict(limits: RateLimits) -> dict[str, Any]:
    def window(w: RateLimitWindow | None) -> dict[str, Any] | None:
        if w is None:
            return None
        return {
            "used_percent": w.used_percent,
            "window_minutes": w.window_minutes,
            "resets_at": w.resets_at.isoformat() if w.resets_at else None,
        }

    return {
        "plan_type": limits.plan_type,
        "primary": window(limits.primary),
        "secondary": window(limits.secondary),
    }
