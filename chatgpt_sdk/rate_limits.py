"""Usage windows from the ``x-codex-*`` response headers (WIRE 5.3)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

__all__ = ["RateLimitWindow", "RateLimits", "parse_rate_limits", "utc_from_timestamp"]


@dataclass(frozen=True)
class RateLimitWindow:
    """One usage window: how much of it is used and when it resets."""

    used_percent: float
    window_minutes: int | None
    resets_at: datetime | None


@dataclass(frozen=True)
class RateLimits:
    """The plan's usage windows as last reported (primary: ~5 h, secondary: weekly)."""

    primary: RateLimitWindow | None
    secondary: RateLimitWindow | None
    plan_type: str | None = None


def utc_from_timestamp(seconds: float) -> datetime | None:
    """An aware UTC datetime, or None for a value no datetime can hold (e.g. milliseconds)."""
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def _number(headers: Mapping[str, str], name: str) -> float | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _window(headers: Mapping[str, str], which: str, now: datetime) -> RateLimitWindow | None:
    prefix = f"x-codex-{which}-"
    used = _number(headers, prefix + "used-percent")
    if used is None:
        return None
    minutes = _number(headers, prefix + "window-minutes")
    reset_at = _number(headers, prefix + "reset-at")
    resets_at: datetime | None = None
    if reset_at is not None:
        resets_at = utc_from_timestamp(reset_at)
    else:
        after = _number(headers, prefix + "reset-after-seconds")
        if after is not None:
            try:
                resets_at = now + timedelta(seconds=after)
            except OverflowError:
                resets_at = None
    # Codex's rule: an all-zero window with no reset time is "no window", not "0% used".
    if used == 0 and not minutes and resets_at is None:
        return None
    return RateLimitWindow(
        used_percent=used,
        window_minutes=int(minutes) if minutes else None,
        resets_at=resets_at,
    )


def parse_rate_limits(headers: Mapping[str, str], now: datetime | None = None) -> RateLimits | None:
    """The windows in ``headers`` (case-insensitive mapping, e.g. ``httpx.Headers``), or None.

    Never raises: these headers are advisory, and a malformed one must not fail a reply.
    """
    if "x-codex-primary-used-percent" not in headers and (
        "x-codex-secondary-used-percent" not in headers
    ):
        return None
    current = now or datetime.now(timezone.utc)
    primary = _window(headers, "primary", current)
    secondary = _window(headers, "secondary", current)
    if primary is None and secondary is None:
        return None
    return RateLimits(
        primary=primary, secondary=secondary, plan_type=headers.get("x-codex-plan-type")
    )
