"""Where a login's record lives, and the lock that serialises its refresh: the ``TokenStore`` seam.

The refresh engine (``_single_flight``) is written once against this protocol. Two stores:

* ``FileTokenStore``: the auth file, its ``filelock`` lock file beside it, atomic writes (the
  ``AuthFile`` of ``_store``, unchanged), and ``rate_limits.json`` beside it. The default.
* ``RedisTokenStore`` (``_redis_token_store``): the record as one JSON string under
  ``{prefix}auth:{profile}``, the refresh serialised by a Redis lock (``{prefix}auth:{profile}:lock``: ``SET NX PX`` with a random
  token; released by a compare-and-delete script, so no replica can release another's lock; it
  expires ``lock_timeout`` seconds after its holder last renewed it, so a crashed holder's lock
  goes away by itself). While a refresh is in progress the holder renews the lock from a watchdog
  thread, and every write of the record is fenced: a script writes it only if the lock still holds
  this holder's token. The last usage windows seen are kept under ``{prefix}rate_limits:{profile}``.

A store that cannot be reached, locked or written raises ``TokenStoreError`` naming the store; the
engine never refreshes without holding the lock.
"""

from __future__ import annotations

import logging
import os
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from chatgpt_sdk.auth._config import (
    DEFAULT_PROFILE,
    FILE_STORE,
    masked_url,
)
from chatgpt_sdk.auth._store import AuthFile, describe
from chatgpt_sdk.errors import AuthFileError, ChatGPTError

if TYPE_CHECKING:
    from chatgpt_sdk.rate_limits import RateLimits

__all__ = [
    "FileTokenStore",
    "TokenStore",
    "TokenStoreError",
    "open_token_store",
    "rate_limits_from_record",
    "rate_limits_record",
]

log = logging.getLogger("chatgpt_sdk.auth")


class TokenStoreError(ChatGPTError):
    """The token store could not be reached, locked or written (a Redis outage, say).

    ``store`` names the store (a Redis URL without its password, and the key); ``cause`` says why.
    Nothing was refreshed: the engine never asks the issuer without holding the store's lock. The
    proxy answers it with 503.
    """

    store: str
    cause: str

    def __init__(self, message: str, *, store: str = "", cause: str = "") -> None:
        super().__init__(message)
        self.store = store
        self.cause = cause


@runtime_checkable
class TokenStore(Protocol):
    """One login's record and the lock that serialises changes to it, across processes and hosts.

    ``read``/``write`` take and give the record as a JSON object (the auth file's layout).
    ``write`` and ``remove`` are called only inside ``locked()``; ``probe`` proves, inside
    ``locked()``, that a write of ``size`` bytes would succeed now (it is called before a refresh
    spends the refresh token). Errors: ``LoginRequiredError`` for a record that cannot be read or
    parsed, ``AuthFileError`` (file) or ``TokenStoreError`` (anything else) for the rest.
    """

    kind: str
    profile: str | None

    @property
    def location(self) -> str:
        """Where the record is, for messages: a path, or a Redis URL (no password) and key."""
        ...

    def exists(self) -> bool: ...

    def read(self) -> Any | None: ...

    def write(self, data: dict[str, Any]) -> None: ...

    def probe(self, size: int) -> None: ...

    def locked(self) -> AbstractContextManager[None]: ...

    def remove(self) -> bool: ...

    def ping(self) -> None:
        """Raise (``TokenStoreError``/``AuthFileError``) unless the store can be used right now."""
        ...

    def read_rate_limits(self) -> dict[str, Any] | None: ...

    def write_rate_limits(self, data: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


# --- the auth file ------------------------------------------------------------------------------


class FileTokenStore(AuthFile):
    """The auth file at ``path`` (see ``AuthFile``), plus the usage windows beside it.

    The default profile's windows are ``rate_limits.json`` beside ``auth.json`` (where
    ``chatgpt-sdk ask`` has always kept them); a named profile's are ``<name>.rate_limits.json``
    beside ``profiles/<name>.json``.
    """

    kind = FILE_STORE

    def __init__(self, path: Path, *, profile: str | None = None) -> None:
        super().__init__(path)
        self.profile = profile
        name = "rate_limits.json" if profile is None else f"{profile}.rate_limits.json"
        self.rate_limits_path = path.with_name(name)

    @property
    def location(self) -> str:
        return str(self.path)

    def ping(self) -> None:
        """The token folder can be reached (it need not exist yet: a login creates it)."""
        folder = self.path.parent
        try:
            while not os.path.lexists(folder) and folder.parent != folder:
                folder = folder.parent
            os.stat(folder)
        except OSError as exc:
            raise AuthFileError(
                f"Cannot reach the token folder {folder}: {describe(exc)}.",
                path=str(self.path),
                cause=describe(exc),
                errno=exc.errno,
            ) from None

    def read_rate_limits(self) -> dict[str, Any] | None:
        try:
            data = AuthFile(self.rate_limits_path).read()
        except ChatGPTError:
            return None
        return data if isinstance(data, dict) else None

    def write_rate_limits(self, data: dict[str, Any]) -> None:
        AuthFile(self.rate_limits_path).write(data)

    def close(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"


# --- choosing one -------------------------------------------------------------------------------

_REDIS_OPTIONS: dict[str, type] = {"prefix": str, "lock_timeout": float, "lock_wait": float}


def open_token_store(spec: str, *, path: Path, profile: str | None) -> TokenStore:
    """The store a resolved ``token_store`` setting names (``"file"`` or a Redis URL).

    ``path`` is the auth file of ``profile`` (used by the file store). Query parameters of a
    Redis URL: ``prefix``, ``lock_timeout``, ``lock_wait``; others go to redis-py.
    """
    if spec == FILE_STORE:
        return FileTokenStore(path, profile=profile)
    parts = urlsplit(spec)
    ours: dict[str, Any] = {}
    rest: list[tuple[str, str]] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        kind = _REDIS_OPTIONS.get(name)
        if kind is None:
            rest.append((name, value))
            continue
        try:
            ours[name] = kind(value)
        except ValueError:
            raise ValueError(
                f"token_store {masked_url(spec)!r}: {name}={value!r} is not a valid {kind.__name__}"
            ) from None
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), parts.fragment))
    from chatgpt_sdk.auth._redis_token_store import RedisTokenStore

    try:
        return RedisTokenStore(url, profile=profile, **ours)
    except ValueError as exc:
        raise ValueError(f"token_store {masked_url(spec)!r}: {exc}") from None


# --- usage windows as a record ------------------------------------------------------------------


def rate_limits_record(limits: RateLimits, *, profile: str | None = None) -> dict[str, Any]:
    """The JSON kept for the last usage windows seen (the layout of ``rate_limits.json``)."""
    from chatgpt_sdk.rate_limits import RateLimitWindow

    def window(w: RateLimitWindow | None) -> dict[str, Any] | None:
        if w is None:
            return None
        return {
            "used_percent": w.used_percent,
            "window_minutes": w.window_minutes,
            "resets_at": w.resets_at.isoformat() if w.resets_at else None,
        }

    return {
        "seen_at": datetime.now(timezone.utc).isoformat(),
        "profile": profile or DEFAULT_PROFILE,
        "plan_type": limits.plan_type,
        "primary": window(limits.primary),
        "secondary": window(limits.secondary),
    }


def rate_limits_from_record(data: Any) -> RateLimits | None:
    """``RateLimits`` back from ``rate_limits_record``'s JSON; None when it is not one."""
    from chatgpt_sdk.rate_limits import RateLimits, RateLimitWindow

    if not isinstance(data, dict):
        return None

    def window(raw: Any) -> RateLimitWindow | None:
        if not isinstance(raw, dict):
            return None
        used = raw.get("used_percent")
        if isinstance(used, bool) or not isinstance(used, (int, float)):
            return None
        minutes = raw.get("window_minutes")
        resets = raw.get("resets_at")
        try:
            resets_at = datetime.fromisoformat(resets) if isinstance(resets, str) else None
        except ValueError:
            resets_at = None
        return RateLimitWindow(
            used_percent=float(used),
            window_minutes=minutes
            if isinstance(minutes, int) and not isinstance(minutes, bool)
            else None,
            resets_at=resets_at,
        )

    plan = data.get("plan_type")
    return RateLimits(
        primary=window(data.get("primary")),
        secondary=window(data.get("secondary")),
        plan_type=plan if isinstance(plan, str) else None,
    )
