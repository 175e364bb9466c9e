"""One auth file on disk: crash-safe writes, a cross-process lock beside it, clear errors.

Every file-system failure leaves here as a documented error naming the file, the cause and what to
do: ``LoginRequiredError`` when the file cannot be read or parsed, ``AuthFileError`` when it (or its
folder, or its lock) cannot be written. Modes do not depend on the umask: the file and the lock are
0600, a folder we create is 0700, and a looser token folder is tightened whenever we write.

A symlinked auth file is written through its target (the link stays a link); the lock stays beside
the link, where every process looks for it.
"""

from __future__ import annotations

import contextlib
import errno as errno_codes
import json
import logging
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chatgpt_sdk.errors import AuthFileError, LoginRequiredError

log = logging.getLogger("chatgpt_sdk.auth")

# Longer than the worst refresh (three attempts with timeouts and backoff), so a waiter only gives
# up when the holder is truly stuck. The OS drops the lock when its holder dies.
LOCK_TIMEOUT_SECONDS = 120.0
# An auth file is a few kilobytes; anything this big is not one (and is not read whole).
MAX_AUTH_FILE_BYTES = 1 << 20
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700

_HINTS = {
    getattr(errno_codes, name): hint
    for name, hint in (
        ("ENOSPC", "free some disk space"),
        ("EDQUOT", "free some space (the disk quota is spent)"),
        ("EFBIG", "raise the file-size limit (ulimit -f)"),
        ("EROFS", "make the file system writable"),
        ("EACCES", "fix the permissions"),
        ("EPERM", "fix the permissions"),
        ("ELOOP", "remove the symlink"),
    )
    if hasattr(errno_codes, name)
}


def describe(exc: BaseException) -> str:
    """A short cause for an error message: ``No space left on device (ENOSPC)``."""
    if isinstance(exc, OSError):
        text = exc.strerror or str(exc) or type(exc).__name__
        name = errno_codes.errorcode.get(exc.errno or 0)
        return f"{text} ({name})" if name else text
    return str(exc) or type(exc).__name__


def _hint(exc: OSError) -> str:
    return _HINTS.get(exc.errno or 0, "fix the cause")


class AuthFile:
    """The auth file at ``path``; ``path + ".lock"`` serialises writers across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    # --- reading ----------------------------------------------------------------------------

    def exists(self) -> bool:
        """True if there is something at ``path`` (a dangling symlink counts); never raises."""
        try:
            os.lstat(self.path)
        except (OSError, ValueError):
            return False
        return True

    def read(self) -> Any | None:
        """The parsed JSON, or None when there is no file. Unreadable content raises, naming the path."""
        try:
            # Non-blocking, so a FIFO planted at the path cannot hang us; then regular files only.
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise self._corrupt("is not a regular file")
                raw = handle.read(MAX_AUTH_FILE_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LoginRequiredError(
                f"Cannot read the auth file {self.path}: {describe(exc)}. Fix the file or its "
                "permissions, or run `chatgpt-sdk login` to replace it."
            ) from None
        if len(raw) > MAX_AUTH_FILE_BYTES:
            raise self._corrupt(f"is larger than {MAX_AUTH_FILE_BYTES} bytes (not an auth file?)")
        try:
            return json.loads(raw)
        except RecursionError:
            raise self._corrupt("is nested too deeply to be an auth file") from None
        except (UnicodeDecodeError, ValueError):
            raise self._corrupt("is not valid JSON (truncated or corrupted?)") from None

    def _corrupt(self, why: str) -> LoginRequiredError:
        return LoginRequiredError(
            f"The auth file {self.path} {why}. It was left untouched: repair it, or run "
            "`chatgpt-sdk login` to replace it."
        )

    # --- writing ----------------------------------------------------------------------------

    def target(self) -> Path:
        """Where the content really lives: ``path``, or the file a symlink at ``path`` points to."""
        try:
            if not os.path.islink(self.path):
                return self.path
            return Path(os.path.realpath(self.path))
        except (OSError, ValueError):
            return self.path

    def write(self, data: dict[str, Any]) -> None:
        """Replace the file atomically: temp file in the same directory, fsync, ``os.replace``.

        A crash at any point leaves either the old file or the new one, never a mix. The file is
        0600; a directory we create is 0700. A symlink is written through (its target is replaced).
        Any failure raises ``AuthFileError`` and leaves the old file as it was.
        """
        payload = (json.dumps(data, indent=2) + "\n").encode()
        self.ensure_directory()
        target = self.target()
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                if hasattr(os, "fchmod"):
                    os.fchmod(handle.fileno(), FILE_MODE)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
            tmp = None
        except OSError as exc:
            raise self._write_error(exc, target) from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        self._sync_directory(target.parent)

    def probe(self, size: int) -> None:
        """Prove that ``write`` of ``size`` bytes can succeed now, before anything irreversible.

        Creates a temporary file beside the (target) file, writes ``size`` bytes, fsyncs and removes
        it: an unwritable folder, a read-only or full file system and a file-size limit all show
        up here, as ``AuthFileError``.
        """
        self.ensure_directory()
        target = self.target()
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".probe", dir=target.parent
            )
            with os.fdopen(fd, "wb") as handle:
                block = b"\0" * min(size, 65536)
                left = size
                while left > 0:
                    left -= handle.write(block[:left])
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise self._write_error(exc, target) from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _write_error(self, exc: OSError, target: Path) -> AuthFileError:
        where = str(self.path) if target == self.path else f"{self.path} (-> {target})"
        return AuthFileError(
            f"Could not save the auth file {where}: {describe(exc)}. The file was left as it "
            f"was; {_hint(exc)} and try again.",
            path=str(self.path),
            cause=describe(exc),
            errno=exc.errno,
        )

    def remove(self) -> bool:
        """Delete the file (a symlink itself, not its target); False when there was none."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise AuthFileError(
                f"Could not remove the auth file {self.path}: {describe(exc)}; {_hint(exc)} and "
                "try again.",
                path=str(self.path),
                cause=describe(exc),
                errno=exc.errno,
            ) from None
        return True

    def ensure_directory(self) -> None:
        """Create the token folder (and missing parents) 0700, or tighten an existing looser one."""
        folder = self.path.parent
        try:
            missing: list[Path] = []
            current = folder
            while not os.path.lexists(current):
                missing.append(current)
                if current.parent == current:
                    break
                current = current.parent
            for created in reversed(missing):
                try:
                    os.mkdir(created, DIRECTORY_MODE)
                except FileExistsError:
                    continue  # another process made it meanwhile
                os.chmod(created, DIRECTORY_MODE)  # the umask may have taken bits away
            self._tighten(folder)
        except OSError as exc:
            raise AuthFileError(
                f"Could not create the folder {folder} for the auth file {self.path}: "
                f"{describe(exc)}; {_hint(exc)} and try again.",
                path=str(self.path),
                cause=describe(exc),
                errno=exc.errno,
            ) from None

    def _tighten(self, folder: Path) -> None:
        """Make the token folder 0700 if it is looser (and ours; someone else's is left alone)."""
        info = os.stat(folder)
        if not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(errno_codes.ENOTDIR, os.strerror(errno_codes.ENOTDIR))
        if stat.S_IMODE(info.st_mode) & 0o077 == 0:
            return
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            log.warning("The token folder %s is readable by others and not ours to fix", folder)
            return
        try:
            os.chmod(folder, stat.S_IMODE(info.st_mode) & ~0o077 | DIRECTORY_MODE)
        except OSError as exc:
            log.warning("Could not make the token folder %s private: %s", folder, describe(exc))

    # --- the lock ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock (a ``filelock`` lock file next to the auth file)."""
        import filelock

        self.ensure_directory()
        self._check_lock_path()
        lock = filelock.FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_SECONDS, mode=FILE_MODE)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise AuthFileError(
                f"Timed out after {LOCK_TIMEOUT_SECONDS:.0f}s waiting for the lock {self.lock_path} "
                "(another process is refreshing the token and seems stuck).",
                path=str(self.lock_path),
                cause="lock timeout",
            ) from None
        except OSError as exc:
            raise AuthFileError(
                f"Could not take the lock {self.lock_path} for the auth file {self.path}: "
                f"{describe(exc)}; {_hint(exc)} and try again.",
                path=str(self.lock_path),
                cause=describe(exc),
                errno=exc.errno,
            ) from None
        try:
            self._tighten_lock()
            yield
        finally:
            with contextlib.suppress(OSError):
                lock.release()

    def _check_lock_path(self) -> None:
        """Refuse a lock path that is a symlink or not a regular file (it could point anywhere)."""
        try:
            info = os.lstat(self.lock_path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise AuthFileError(
                f"Could not inspect the lock {self.lock_path}: {describe(exc)}.",
                path=str(self.lock_path),
                cause=describe(exc),
                errno=exc.errno,
            ) from None
        if stat.S_ISREG(info.st_mode):
            return
        what = "a symlink" if stat.S_ISLNK(info.st_mode) else "not a regular file"
        raise AuthFileError(
            f"The lock {self.lock_path} is {what}, so it was not used. Remove it (nothing else "
            "should be there) and try again.",
            path=str(self.lock_path),
            cause=what,
            errno=errno_codes.ELOOP if stat.S_ISLNK(info.st_mode) else errno_codes.EEXIST,
        )

    def _tighten_lock(self) -> None:
        """The lock file is 0600 whatever the umask or an older filelock did."""
        with contextlib.suppress(OSError):
            info = os.lstat(self.lock_path)
            if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) != FILE_MODE:
                os.chmod(self.lock_path, FILE_MODE)

    @staticmethod
    def _sync_directory(folder: Path) -> None:
        """Make the rename itself durable (POSIX); best effort elsewhere."""
        if os.name != "posix":
            return
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
