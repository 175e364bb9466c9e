"""Where a login's record lives, and the lock that serialises its refresh: the ``TokenStore`` seam.

The refresh engine (``_providers``) is written once against this protocol. Two stores:

* ``FileTokenStore``: the auth file, its ``filelock`` lock file beside it, atomic writes (the
  ``AuthFile`` of ``_store``, unchanged), and ``rate_limits.json`` beside it. The default.
* ``RedisTokenStore``: the record as one JSON string under ``{prefix}auth:{profile}``, the
  refresh serialised by a Redis lock (``{prefix}auth:{profile}:lock``: ``SET NX PX`` with a random
  token; released by a compare-and-delete script, so no replica can release another's lock; it
  expires ``lock_timeout`` seconds after its holder last renewed it, so a crashed holder's lock
  goes away by itself). While a refresh is in progress the holder renews the lock from a watchdog
  thread, and every write of the record is fenced: a script writes it only if the lock still holds
  this holder's token. The last usage windows seen are kept under ``{prefix}rate_limits:{profile}``.

A store that cannot be reached, locked or written raises ``TokenStoreError`` naming the store; the
engine never refreshes without holding the lock.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from chatgpt_sdk.auth._config import (
    DEFAULT_PROFILE,
    FILE_STORE,
    masked_url,
)
from chatgpt_sdk.auth._store import MAX_AUTH_FILE_BYTES, AuthFile, describe
from chatgpt_sdk.errors import AuthFileError, ChatGPTError, LoginRequiredError

if TYPE_CHECKING:
    import redis

    from chatgpt_sdk.rate_limits import RateLimits

__all__ = [
    "FileTokenStore",
    "RedisTokenStore",
    "TokenStore",
    "TokenStoreError",
    "open_token_store",
    "rate_limits_from_record",
    "rate_limits_record",
]

log = logging.getLogger("chatgpt_sdk.auth")

DEFAULT_PREFIX = "chatgpt-sdk:"
# A crashed holder's lock is gone after this long; a live holder renews it every third of it.
DEFAULT_LOCK_TIMEOUT_SECONDS = 15.0
# How long a waiter waits for the lock before giving up (the file lock waits as long).
DEFAULT_LOCK_WAIT_SECONDS = 120.0
DEFAULT_SOCKET_TIMEOUT = 5.0
DEFAULT_CONNECT_TIMEOUT = 2.0
_POLL_SECONDS = 0.02  # a waiter tries the lock this often (one waiter per process and profile)


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


# --- Redis --------------------------------------------------------------------------------------

# Fenced writes: the record changes only while the lock holds this holder's token.
_FENCED_SET = """
if redis.call('get', KEYS[2]) == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2])
  return 1
end
return 0
"""
_FENCED_DEL = """
if redis.call('get', KEYS[2]) == ARGV[1] then
  return redis.call('del', KEYS[1]) + 1
end
return 0
"""
# Renew: reset the expiry only while the lock is ours.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
# Release: delete only our own lock (compare-and-delete).
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


def _import_redis() -> Any:
    try:
        import redis
    except ImportError:
        raise ImportError(
            "A Redis token store needs the redis package: pip install 'chatgpt-sdk[redis]'"
        ) from None
    return redis


class _Held:
    """One hold of the Redis lock: its token, and the watchdog thread that renews it."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.stop = threading.Event()
        self.lost = False
        self.thread: threading.Thread | None = None


class RedisTokenStore:
    """A login's record in Redis at ``url`` (``redis://HOST:PORT/DB``, ``rediss://`` for TLS,
    ``unix:///path.sock``), under ``{prefix}auth:{profile}`` (``default`` for the default login).

    ``lock_timeout``: seconds after which a crashed holder's lock expires (a live holder renews it
    every third of that). ``lock_wait``: how long a waiter waits for the lock before giving up.
    ``client_options`` go to ``redis.Redis.from_url`` (URL query parameters other than
    ``prefix``, ``lock_timeout`` and ``lock_wait`` go there too).
    """

    kind = "redis"

    def __init__(
        self,
        url: str,
        *,
        profile: str | None = None,
        prefix: str = DEFAULT_PREFIX,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
        lock_wait: float = DEFAULT_LOCK_WAIT_SECONDS,
        client_options: dict[str, Any] | None = None,
    ) -> None:
        if not isinstance(url, str) or not url:
            raise TypeError("url must be a redis:// URL string")
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, not {type(prefix).__name__}")
        for name, value in (("lock_timeout", lock_timeout), ("lock_wait", lock_wait)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
        _import_redis()  # fail at construction, not on the first request, when redis is missing
        self.url = url
        self.profile = profile
        self.prefix = prefix
        self.lock_timeout = float(lock_timeout)
        self.lock_wait = float(lock_wait)
        name = profile or DEFAULT_PROFILE
        self.key = f"{prefix}auth:{name}"
        self.lock_key = f"{self.key}:lock"
        self.rate_limits_key = f"{prefix}rate_limits:{name}"
        self._options = {
            "socket_timeout": DEFAULT_SOCKET_TIMEOUT,
            "socket_connect_timeout": DEFAULT_CONNECT_TIMEOUT,
            **(client_options or {}),
        }
        self._client: redis.Redis | None = None
        self._client_lock = threading.Lock()
        self._held: _Held | None = None
        self._scripts: dict[str, Any] = {}

    # --- plumbing ---------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return f"{masked_url(self.url)} (key {self.key})"

    def _redis(self) -> redis.Redis:
        client = self._client
        if client is None:
            with self._client_lock:
                if self._client is None:
                    mod = _import_redis()
                    from redis.backoff import ExponentialBackoff
                    from redis.retry import Retry

                    options = {"retry": Retry(ExponentialBackoff(cap=0.25, base=0.05), 2)}
                    options.update(self._options)
                    self._client = mod.Redis.from_url(self.url, **options)
                client = self._client
        assert client is not None
        return client

    def _script(self, source: str) -> Any:
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self._redis().register_script(source)
        return script

    def _unavailable(self, exc: BaseException, doing: str) -> TokenStoreError:
        cause = describe(exc) if not isinstance(exc, ChatGPTError) else exc.message
        return TokenStoreError(
            f"The Redis token store {self.location} is unavailable ({doing}: {cause}). Nothing "
            "was refreshed; the saved login is unchanged. Check that Redis is running and "
            "reachable, then try again.",
            store=self.location,
            cause=cause,
        )

    @contextlib.contextmanager
    def _calls(self, doing: str) -> Iterator[None]:
        """Redis errors (connection, timeout, server) leave as ``TokenStoreError``."""
        mod = _import_redis()
        try:
            yield
        except mod.RedisError as exc:
            raise self._unavailable(exc, doing) from None
        except OSError as exc:
            raise self._unavailable(exc, doing) from None

    def close(self) -> None:
        client, self._client = self._client, None
        self._scripts.clear()
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    def __repr__(self) -> str:
        return f"RedisTokenStore({masked_url(self.url)!r}, key={self.key!r})"

    # --- the record -------------------------------------------------------------------------

    def exists(self) -> bool:
        with self._calls("looking for the login"):
            return bool(self._redis().exists(self.key))

    def read(self) -> Any | None:
        with self._calls("reading the login"):
            raw = cast("bytes | None", self._redis().get(self.key))
        if raw is None:
            return None
        if len(raw) > MAX_AUTH_FILE_BYTES:
            raise self._corrupt(f"is larger than {MAX_AUTH_FILE_BYTES} bytes")
        try:
            return json.loads(raw)
        except RecursionError:
            raise self._corrupt("is nested too deeply to be a login record") from None
        except (UnicodeDecodeError, ValueError):
            raise self._corrupt("is not valid JSON") from None

    def _corrupt(self, why: str) -> LoginRequiredError:
        return LoginRequiredError(
            f"The login record in {self.location} {why}. It was left untouched: log in again "
            "to replace it."
        )

    def write(self, data: dict[str, Any]) -> None:
        held = self._require_held("write")
        payload = json.dumps(data, separators=(",", ":"))
        with self._calls("saving the login"):
            done = self._script(_FENCED_SET)(
                keys=[self.key, self.lock_key], args=[held.token, payload]
            )
        if not done:
            raise self._lost("saving the login")

    def remove(self) -> bool:
        held = self._require_held("remove")
        with self._calls("removing the login"):
            done = int(self._script(_FENCED_DEL)(keys=[self.key, self.lock_key], args=[held.token]))
        if not done:
            raise self._lost("removing the login")
        return done == 2

    def probe(self, size: int) -> None:
        """Before a refresh: the lock is still ours (renewed to its full time), Redis answers."""
        held = self._require_held("probe")
        if held.lost or not self._renew(held):
            raise self._lost("checking the lock before a refresh")

    def ping(self) -> None:
        with self._calls("ping"):
            self._redis().ping()

    def _require_held(self, what: str) -> _Held:
        held = self._held
        if held is None:
            raise RuntimeError(f"RedisTokenStore.{what}() must be called inside locked()")
        return held

    def _lost(self, doing: str) -> TokenStoreError:
        cause = "the lock expired or was taken over"
        return TokenStoreError(
            f"The Redis token store {self.location} lock was lost ({doing}): {cause}; the change "
            "was not saved. Another holder may be refreshing; try again.",
            store=self.location,
            cause=cause,
        )

    # --- the lock ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the Redis lock; waits up to ``lock_wait`` seconds; renewed while held."""
        if self._held is not None:
            raise RuntimeError("the Redis token store lock is not reentrant")
        token = secrets.token_hex(16)
        ttl_ms = max(1, int(self.lock_timeout * 1000))
        deadline = time.monotonic() + self.lock_wait
        client = self._redis()
        with self._calls("taking the refresh lock"):
            while not client.set(self.lock_key, token, nx=True, px=ttl_ms):
                if time.monotonic() >= deadline:
                    raise TokenStoreError(
                        f"Timed out after {self.lock_wait:.0f}s waiting for the lock "
                        f"{self.lock_key} in {masked_url(self.url)} (another replica is "
                        "refreshing the token and seems stuck).",
                        store=self.location,
                        cause="lock timeout",
                    )
                time.sleep(_POLL_SECONDS)
        held = _Held(token)
        self._held = held
        held.thread = threading.Thread(
            target=self._watchdog, args=(held,), name="chatgpt-sdk-token-lock", daemon=True
        )
        held.thread.start()
        try:
            yield
        finally:
            held.stop.set()
            held.thread.join()
            self._held = None
            try:
                released = self._script(_RELEASE)(keys=[self.lock_key], args=[token])
            except Exception as exc:  # the lock expires by itself
                log.warning("Could not release the lock %s: %s", self.lock_key, describe(exc))
            else:
                if not released:
                    log.warning("The lock %s had expired before it was released", self.lock_key)

    def _renew(self, held: _Held) -> bool:
        ttl_ms = max(1, int(self.lock_timeout * 1000))
        try:
            renewed = bool(self._script(_RENEW)(keys=[self.lock_key], args=[held.token, ttl_ms]))
        except Exception as exc:
            log.warning("Could not renew the lock %s: %s", self.lock_key, describe(exc))
            return False
        if not renewed:
            held.lost = True
        return renewed

    def _watchdog(self, held: _Held) -> None:
        while not held.stop.wait(self.lock_timeout / 3):
            if not self._renew(held):
                return

    # --- usage windows ----------------------------------------------------------------------

    def read_rate_limits(self) -> dict[str, Any] | None:
        with self._calls("reading the usage windows"):
            raw = cast("bytes | None", self._redis().get(self.rate_limits_key))
        try:
            data = json.loads(raw) if raw is not None else None
        except (ValueError, RecursionError):
            return None
        return data if isinstance(data, dict) else None

    def write_rate_limits(self, data: dict[str, Any]) -> None:
        with self._calls("saving the usage windows"):
            self._redis().set(self.rate_limits_key, json.dumps(data, separators=(",", ":")))


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
