"""Saving the usage windows a login's replies report, off the request path."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from chatgpt_sdk.auth._token_store import rate_limits_record
from chatgpt_sdk.errors import ChatGPTError

if TYPE_CHECKING:
    from chatgpt_sdk.auth._token_store import TokenStore
    from chatgpt_sdk.rate_limits import RateLimits

__all__ = ["RateLimitsWriter"]

log = logging.getLogger("chatgpt_sdk.auth")


class RateLimitsWriter:
    """Saves the latest usage windows offered to it from a background thread, at most once per
    ``interval`` seconds (latest wins); the thread ends when idle and starts again on demand."""

    interval = 1.0
    idle_exit = 30.0

    def __init__(self, store: TokenStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        # Held from taking the pending record to having written it: ``flush()`` waits for a
        # write the thread has begun, so what it returns to finds the windows saved.
        self._writing = threading.Lock()
        self._wake = threading.Event()
        self._pending: dict[str, Any] | None = None
        self._last: RateLimits | None = None
        self._thread: threading.Thread | None = None
        self._next_write = 0.0

    def offer(self, limits: RateLimits, profile: str | None) -> None:
        with self._lock:
            if limits == self._last:
                return
            self._last = limits
            self._pending = rate_limits_record(limits, profile=profile)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="chatgpt-sdk-rate-limits", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def save_now(self, record: dict[str, Any]) -> None:
        """Write ``record`` at once (raising the store's errors), after a save in progress, so an
        older record the thread was writing never lands on top of it; what was pending is older
        and is dropped."""
        with self._writing:
            with self._lock:
                self._pending = None
            self._store.write_rate_limits(record)

    def flush(self) -> None:
        with self._writing:
            with self._lock:
                pending, self._pending = self._pending, None
            if pending is not None:
                self._write(pending)

    def _write(self, record: dict[str, Any]) -> None:
        try:
            self._store.write_rate_limits(record)
        except (ChatGPTError, OSError) as exc:
            log.debug("Could not save the usage windows to %s: %s", self._store.location, exc)

    def _run(self) -> None:
        while True:
            woke = self._wake.wait(self.idle_exit)
            self._wake.clear()
            with self._lock:
                if not woke and self._pending is None:
                    self._thread = None
                    return
            delay = self._next_write - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            with self._writing:
                with self._lock:
                    pending, self._pending = self._pending, None
                if pending is not None:
                    self._next_write = time.monotonic() + self.interval
                    self._write(pending)
