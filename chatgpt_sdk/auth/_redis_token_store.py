"""``RedisTokenStore``: the login in Redis, shared by every process and host that uses it.

Writes are fenced by a lock token, so a holder whose lock expired can no longer overwrite the
record another holder saved; a live holder renews its lock.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from chatgpt_sdk.auth._config import DEFAULT_PROFILE, masked_url
from chatgpt_sdk.auth._store import MAX_AUTH_FILE_BYTES, describe
from chatgpt_sdk.auth._token_store import TokenStoreError
from chatgpt_sdk.errors import ChatGPTError, LoginRequiredError

if TYPE_CHECKING:
    import redis

__all__ = ["RedisTokenStore"]

log = logging.getLogger("chatgpt_sdk.auth")

DEFAULT_PREFIX = "chatgpt-sdk:"
# A crashed holder's lock is gone after this long; a live holder renews it every third of it.
DEFAULT_LOCK_TIMEOUT_SECONDS = 15.0
# How long a waiter waits for the lock before giving up (the file lock waits as long).
DEFAULT_LOCK_WAIT_SECONDS = 120.0
DEFAULT_SOCKET_TIMEOUT = 5.0
DEFAULT_CONNECT_TIMEOUT = 2.0
_POLL_SECONDS = 0.02  # a waiter tries the lock this often (one waiter per process and profile)


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
