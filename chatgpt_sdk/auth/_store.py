"""One auth file on disk: crash-safe writes, a cross-process lock beside it, clear read errors."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chatgpt_sdk.errors import ChatGPTError, LoginRequiredError

# Longer than the worst refresh (three attempts with timeouts and backoff), so a waiter only gives
# up when the holder is truly stuck. The OS drops the lock when its holder dies.
LOCK_TIMEOUT_SECONDS = 120.0


class AuthFile:
    """The auth file at ``path``; ``path + ".lock"`` serialises writers across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    def read(self) -> Any | None:
        """The parsed JSON, or None when there is no file. Unreadable content raises, naming the path."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LoginRequiredError(
                f"Cannot read the auth file {self.path}: {exc.strerror}."
            ) from None
        try:
            return json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            raise LoginRequiredError(
                f"The auth file {self.path} is not valid JSON (truncated or corrupted?). It was "
                "left untouched: repair it, or run `chatgpt-sdk login` to replace it."
            ) from None

    def write(self, data: dict[str, Any]) -> None:
        """Replace the file atomically: temp file in the same directory, fsync, ``os.replace``.

        A crash at any point leaves either the old file or the new one, never a mix. The file is
        created 0600; a directory we create is 0700.
        """
        self.ensure_directory()
        payload = (json.dumps(data, indent=2) + "\n").encode()
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                if hasattr(os, "fchmod"):
                    os.fchmod(handle.fileno(), 0o600)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise ChatGPTError(
                    f"Could not save the auth file {self.path}: {exc.strerror or exc}."
                ) from None
            raise
        self._sync_directory()

    def remove(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True

    def ensure_directory(self) -> None:
        if not self.path.parent.exists():
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock (a ``filelock`` lock file next to the auth file)."""
        import filelock

        self.ensure_directory()
        lock = filelock.FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_SECONDS, mode=0o600)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise ChatGPTError(
                f"Timed out after {LOCK_TIMEOUT_SECONDS:.0f}s waiting for the lock {self.lock_path} "
                "(another process is refreshing the token and seems stuck)."
            ) from None
        try:
            yield
        finally:
            lock.release()

    def _sync_directory(self) -> None:
        """Make the rename itself durable (POSIX); best effort elsewhere."""
        if os.name != "posix":
            return
        try:
            fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
