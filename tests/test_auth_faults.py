"""Faults around the auth file: no write failure loses the login, and every failure is typed.

Where the tests run as root on Linux (CI does), the disk faults are real: a 64 KiB tmpfs filled
with ballast, remounted read-only, or with its folder made immutable (``chattr +i``, which stops
root too), and ``RLIMIT_FSIZE`` in a child process. Elsewhere the same faults are injected by
patching the write path to raise the same ``OSError`` at the same moment.
"""

from __future__ import annotations

import asyncio
import base64
import errno
import itertools
import json
import logging
import os
import re
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk.auth import (
    BrowserLogin,
    CodexCLITokenProvider,
    Credentials,
    DeviceCodeLogin,
    FileTokenProvider,
    StaticTokenProvider,
)
from chatgpt_sdk.auth._credentials import jwt_claims
from chatgpt_sdk.auth._store import AuthFile
from chatgpt_sdk.errors import (
    APIStatusError,
    AuthFileError,
    ChatGPTError,
    CredentialsNotSavedWarning,
    LoginRequiredError,
    ReauthenticationRequired,
)

ISSUER = "https://auth.fake.test"
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
LINUX = sys.platform.startswith("linux")


@pytest.fixture
def issuer() -> FakeIssuer:
    return FakeIssuer()


@pytest.fixture
def http(issuer: FakeIssuer) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(issuer.handle))


def seed(issuer: FakeIssuer, path: Path, *, ttl: float = -60) -> dict[str, str]:
    """A flat auth file holding a fresh login whose access token has ``ttl`` seconds left."""
    tokens = issuer.issue_tokens(access_token_ttl=ttl)
    exp = jwt_claims(tokens["access_token"])["exp"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**tokens, "expires_at": exp, "account_id": issuer.account_id}))
    return tokens


def provider_for(directory: Path, http: httpx.Client) -> FileTokenProvider:
    provider = FileTokenProvider(directory, issuer=ISSUER, http_client=http)
    provider.retry_delays = (0.0, 0.0, 0.0)
    return provider


def leftovers(*folders: Path) -> list[str]:
    """Temporary or probe files left behind."""
    return [p.name for f in folders for p in f.iterdir() if p.name.endswith((".tmp", ".probe"))]


def _run(*command: str) -> bool:
    try:
        done = subprocess.run(command, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


class Disk:
    """A folder for the auth file, and ways to break its file system and to repair it.

    ``real`` says whether the faults are real (a tmpfs as root) or injected (patched writes).
    """

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.path = path
        self.real = (
            ROOT and LINUX and _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(path))
        )
        self._monkeypatch = monkeypatch
        self._fault: int | None = None  # the errno injected writes fail with
        self._immutable = False
        self._read_only = False
        self._ballast = path / "ballast"
        self._patched = False

    # --- faults -----------------------------------------------------------------------------

    def fill(self) -> None:
        """No space left (ENOSPC)."""
        if self.real:
            full = False
            fd = os.open(self._ballast, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError as exc:
                full = exc.errno == errno.ENOSPC
            finally:
                os.close(fd)
            assert full
        else:
            self._inject(errno.ENOSPC)

    def freeze_folder(self) -> None:
        """The folder takes no new files (EPERM / EACCES); open files stay writable."""
        if self.real and _run("chattr", "+i", str(self.path)):
            self._immutable = True
        elif not ROOT:
            os.chmod(self.path, 0o500)
        else:
            self._inject(errno.EACCES)

    def read_only(self) -> None:
        """The whole file system is read-only (EROFS); nothing may be open for writing."""
        if self.real and _run("mount", "-o", "remount,ro", str(self.path)):
            self._read_only = True
        else:
            self._inject(errno.EROFS)

    def fix(self) -> None:
        if self._immutable:
            assert _run("chattr", "-i", str(self.path))
            self._immutable = False
        if self._read_only:
            assert _run("mount", "-o", "remount,rw", str(self.path))
            self._read_only = False
        if not ROOT and stat.S_IMODE(self.path.stat().st_mode) == 0o500:
            os.chmod(self.path, 0o700)
        self._ballast.unlink(missing_ok=True)
        self._fault = None

    def close(self) -> None:
        self.fix()
        if self.real:
            _run("umount", "-l", str(self.path))

    # --- injection (where the real faults are out of reach) ---------------------------------

    def _inject(self, code: int) -> None:
        self._fault = code
        if self._patched:
            return
        self._patched = True
        mkstemp, fsync = tempfile.mkstemp, os.fsync
        inside = str(self.path)

        def failing_mkstemp(*args: Any, **kwargs: Any) -> Any:
            folder = str(kwargs.get("dir", ""))
            if self._fault in (errno.EACCES, errno.EROFS) and folder.startswith(inside):
                raise OSError(self._fault, os.strerror(self._fault))
            return mkstemp(*args, **kwargs)

        def failing_fsync(fd: int) -> None:
            if self._fault == errno.ENOSPC:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            fsync(fd)

        self._monkeypatch.setattr(tempfile, "mkstemp", failing_mkstemp)
        self._monkeypatch.setattr(os, "fsync", failing_fsync)


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
    folder = tmp_path / "disk"
    folder.mkdir(mode=0o700)
    made = Disk(folder, monkeypatch)
    try:
        yield made
    finally:
        made.close()


# --- 1. a refresh never loses the only valid refresh token -------------------------------------


@pytest.mark.parametrize("fault", ["fill", "freeze_folder"])
def test_refreshed_tokens_that_cannot_be_saved_are_kept_and_saved_later(
    disk: Disk,
    issuer: FakeIssuer,
    http: httpx.Client,
    fault: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = disk.path / "auth.json"
    old = seed(issuer, path)
    provider = provider_for(disk.path, http)
    issuer.after_refresh = getattr(disk, fault)  # the old refresh token is spent by now
    with pytest.warns(CredentialsNotSavedWarning, match=re.escape(str(path))):
        first = provider.credentials()
    assert issuer.refresh_calls == 1
    assert issuer.is_valid_access_token(first.access_token)
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        str(path) in r.getMessage() and "could not be saved" in r.getMessage() for r in warned
    )
    assert json.loads(path.read_text())["refresh_token"] == old["refresh_token"]  # not saved yet
    for _ in range(3):  # the process keeps working with the new token, never the spent one
        assert provider.credentials().access_token == first.access_token
    assert issuer.refresh_calls == 1

    disk.fix()
    assert provider.credentials().access_token == first.access_token  # this call saves
    saved = json.loads(path.read_text())
    assert saved["access_token"] == first.access_token
    assert issuer.refresh_token_state(saved["refresh_token"]) == "live"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert provider_for(disk.path, http).credentials().access_token == first.access_token
    assert issuer.refresh_calls == 1
    assert leftovers(disk.path) == []


async def test_async_callers_keep_unsaved_tokens_and_save_them_later(
    disk: Disk, issuer: FakeIssuer, http: httpx.Client
) -> None:
    path = disk.path / "auth.json"
    seed(issuer, path)
    provider = provider_for(disk.path, http)
    issuer.after_refresh = disk.fill
    with pytest.warns(CredentialsNotSavedWarning):
        tokens = await asyncio.gather(*(provider.acredentials() for _ in range(20)))
    assert len({c.access_token for c in tokens}) == 1
    assert (await provider.acredentials()).access_token == tokens[0].access_token
    disk.fix()
    await provider.acredentials()
    assert json.loads(path.read_text())["access_token"] == tokens[0].access_token
    assert issuer.refresh_calls == 1


@pytest.mark.parametrize("fault", ["fill", "freeze_folder", "read_only"])
def test_an_unwritable_auth_file_stops_the_refresh_before_the_issuer_is_asked(
    disk: Disk, issuer: FakeIssuer, http: httpx.Client, fault: str
) -> None:
    path = disk.path / "auth.json"
    old = seed(issuer, path)
    before = path.read_bytes()
    provider = provider_for(disk.path, http)
    getattr(disk, fault)()
    with pytest.raises(AuthFileError) as info:
        provider.credentials()
    assert str(path) in str(info.value)
    assert isinstance(info.value, ChatGPTError)
    assert issuer.refresh_calls == 0  # the refresh token was not spent
    assert issuer.refresh_token_state(old["refresh_token"]) == "live"
    assert path.read_bytes() == before
    disk.fix()
    creds = provider.credentials()
    assert issuer.refresh_calls == 1
    assert json.loads(path.read_text())["access_token"] == creds.access_token
    assert leftovers(disk.path) == []


def test_an_early_refresh_that_cannot_be_saved_serves_the_still_valid_token(
    disk: Disk, issuer: FakeIssuer, http: httpx.Client
) -> None:
    tokens = seed(issuer, disk.path / "auth.json", ttl=120)  # inside the 5-minute margin
    provider = provider_for(disk.path, http)
    disk.fill()
    assert provider.credentials().access_token == tokens["access_token"]
    assert issuer.refresh_calls == 0
    disk.fix()
    assert provider.credentials().access_token != tokens["access_token"]
    assert issuer.refresh_calls == 1


def test_a_new_login_saved_meanwhile_wins_over_unsaved_tokens(
    disk: Disk, issuer: FakeIssuer, http: httpx.Client
) -> None:
    path = disk.path / "auth.json"
    seed(issuer, path)
    provider = provider_for(disk.path, http)
    issuer.after_refresh = disk.fill
    with pytest.warns(CredentialsNotSavedWarning):
        provider.credentials()
    disk.fix()
    newer = seed(issuer, path, ttl=3600)  # e.g. `chatgpt-sdk login` in another terminal
    assert provider.credentials().access_token == newer["access_token"]
    assert json.loads(path.read_text())["refresh_token"] == newer["refresh_token"]


def test_logout_revokes_the_unsaved_refresh_token_too(
    disk: Disk, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, disk.path / "auth.json")
    provider = provider_for(disk.path, http)
    issuer.after_refresh = disk.fill
    with pytest.warns(CredentialsNotSavedWarning):
        provider.credentials()
    live = [t for t, state in issuer._refresh_tokens.items() if state == "live"]
    assert len(live) == 1  # held by this process only
    assert provider.logout() is True
    assert issuer.refresh_token_state(live[0]) == "revoked"
    assert not (disk.path / "auth.json").exists()


CHILD_FSIZE = """
import json, resource, sys, warnings
from pathlib import Path
import httpx
from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk.auth import FileTokenProvider
from chatgpt_sdk.auth._credentials import jwt_claims
from chatgpt_sdk.errors import AuthFileError, CredentialsNotSavedWarning

directory, when = Path(sys.argv[1]), sys.argv[2]
issuer = FakeIssuer()
tokens = issuer.issue_tokens(access_token_ttl=-60)
path = directory / "auth.json"
path.write_text(json.dumps(tokens))
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)

def limit():
    resource.setrlimit(resource.RLIMIT_FSIZE, (256, hard))

http = httpx.Client(transport=httpx.MockTransport(issuer.handle))
provider = FileTokenProvider(directory, issuer="https://auth.fake.test", http_client=http)
provider.retry_delays = (0.0, 0.0, 0.0)
out = {}
if when == "before":
    limit()
    try:
        provider.credentials()
        out["error"] = None
    except AuthFileError as exc:
        out["error"] = str(exc)
    out["calls_while_limited"] = issuer.refresh_calls
else:
    issuer.after_refresh = limit
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = provider.credentials().access_token
    out["warned"] = [str(w.message) for w in caught if w.category is CredentialsNotSavedWarning]
    out["same_again"] = provider.credentials().access_token == first
    out["file_still_old"] = json.loads(path.read_text())["refresh_token"] == tokens["refresh_token"]
    out["valid"] = issuer.is_valid_access_token(first)
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
creds = provider.credentials()
saved = json.loads(path.read_text())
out["refresh_calls"] = issuer.refresh_calls
out["saved_is_current"] = saved["access_token"] == creds.access_token
out["saved_live"] = issuer.refresh_token_state(saved["refresh_token"]) == "live"
print(json.dumps(out))
"""


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_file_size_limit_never_costs_the_login(tmp_path: Path, when: str) -> None:
    pytest.importorskip("resource")
    child = subprocess.run(
        [sys.executable, "-c", CHILD_FSIZE, str(tmp_path), when],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    out = json.loads(child.stdout)
    if when == "before":
        assert "File too large" in out["error"]
        assert out["calls_while_limited"] == 0
    else:
        assert len(out["warned"]) == 1
        assert "File too large" in out["warned"][0]
        assert out["same_again"]
        assert out["file_still_old"]
        assert out["valid"]
    assert out["refresh_calls"] == 1
    assert out["saved_is_current"]
    assert out["saved_live"]


@pytest.mark.parametrize("relative", [True, False])
def test_a_symlinked_auth_file_is_written_through_its_target(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, relative: bool
) -> None:
    shared = tmp_path / "litellm"
    target = shared / "auth.json"
    old = seed(issuer, target)
    os.chmod(target, 0o644)
    folder = tmp_path / "sdk"
    folder.mkdir()
    link = folder / "auth.json"
    link.symlink_to(Path("..") / "litellm" / "auth.json" if relative else target)
    pointer = os.readlink(link)
    creds = provider_for(folder, http).credentials()
    assert issuer.refresh_calls == 1
    assert link.is_symlink()  # the link stays a link
    assert os.readlink(link) == pointer
    saved = json.loads(target.read_text())
    assert saved["access_token"] == creds.access_token
    assert saved["refresh_token"] != old["refresh_token"]
    assert issuer.refresh_token_state(saved["refresh_token"]) == "live"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(folder, shared) == []
    # whatever reads the target holds the live login, and so does a new process using the link
    assert provider_for(shared, http).credentials().access_token == creds.access_token
    assert provider_for(folder, http).credentials().access_token == creds.access_token
    assert issuer.refresh_calls == 1


# --- 2. dead refresh tokens, in every shape ---------------------------------------------------

DEAD_CODES = [
    "invalid_grant",
    "refresh_token_reused",
    "refresh_token_expired",
    "refresh_token_invalidated",
]
SHAPES: dict[str, Callable[[str], dict[str, Any]]] = {
    "oauth": lambda code: {"error": code, "error_description": "The token is no longer valid."},
    "nested": lambda code: {"error": {"code": code, "message": "The token is no longer valid."}},
}


@pytest.mark.parametrize("status", [400, 401, 403])
@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("code", DEAD_CODES)
def test_every_dead_refresh_token_answer_requires_a_new_login(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, status: int, shape: str, code: str
) -> None:
    seed(issuer, tmp_path / "auth.json")
    issuer.fail_next_refreshes(1, status=status, body=SHAPES[shape](code))
    provider = provider_for(tmp_path, http)
    with pytest.raises(ReauthenticationRequired) as info:
        provider.credentials()
    assert info.value.code == code
    assert "chatgpt-sdk login" in str(info.value)
    for force in (False, True):
        with pytest.raises(ReauthenticationRequired, match="chatgpt-sdk login"):
            provider.credentials(force_refresh=force)
    assert issuer.refresh_calls == 1  # the issuer was not asked again


async def test_a_dead_refresh_token_is_not_sent_again_by_async_callers(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json")
    issuer.fail_next_refreshes(1, status=400, body=SHAPES["oauth"]("invalid_grant"))
    provider = provider_for(tmp_path, http)
    for _ in range(3):
        with pytest.raises(ReauthenticationRequired):
            await provider.acredentials()
    assert issuer.refresh_calls == 1


def test_a_403_without_a_dead_token_code_is_not_a_dead_token(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json")
    issuer.fail_next_refreshes(1, status=403, body={"error": "forbidden"})
    with pytest.raises(APIStatusError) as info:
        provider_for(tmp_path, http).credentials()
    assert not isinstance(info.value, ReauthenticationRequired)
    assert info.value.status_code == 403


# --- 3. file-system errors are documented errors ----------------------------------------------


def test_a_planted_symlink_at_the_lock_is_refused(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(issuer, tmp_path / "auth.json")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "auth.json.lock").symlink_to(victim)
    with pytest.raises(AuthFileError, match="symlink") as info:
        provider_for(tmp_path, http).credentials()
    assert info.value.path == str(tmp_path / "auth.json.lock")
    assert victim.read_text() == "precious"
    assert issuer.refresh_calls == 0


def test_a_planted_symlink_at_the_temporary_path_is_refused(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "auth.json"
    seed(issuer, path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for suffix in (".tmp", ".probe"):
        (tmp_path / f".auth.json.planted{suffix}").symlink_to(victim)
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: itertools.repeat("planted"))
    with pytest.raises(AuthFileError) as info:
        provider_for(tmp_path, http).credentials()
    assert str(path) in str(info.value)
    assert issuer.refresh_calls == 0
    with pytest.raises(AuthFileError):
        AuthFile(path).write({"access_token": "x"})
    assert victim.read_text() == "precious"


def test_an_unwritable_folder_is_a_documented_error(
    tmp_path: Path, issuer: FakeIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    provider = FileTokenProvider(tmp_path, issuer=ISSUER)
    with pytest.raises(AuthFileError, match="Permission denied") as info:
        provider.save_tokens(**issuer.issue_tokens())
    assert info.value.errno == errno.EACCES
    assert isinstance(info.value, OSError)  # `except OSError` keeps working
    with pytest.raises(AuthFileError):
        AuthFile(tmp_path / "auth.json").write({})


@pytest.mark.parametrize("what", ["lock_is_a_folder", "folder_is_a_file"])
def test_odd_things_in_the_way_are_documented_errors(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, what: str
) -> None:
    if what == "lock_is_a_folder":
        folder = tmp_path
        seed(issuer, folder / "auth.json")
        (folder / "auth.json.lock").mkdir()
    else:
        (tmp_path / "file").write_text("not a folder")
        folder = tmp_path / "file" / "sdk"
    provider = provider_for(folder, http)
    with pytest.raises(ChatGPTError) as info:
        provider.credentials()
    assert str(folder) in str(info.value)
    with pytest.raises(AuthFileError):
        provider.save_tokens(**issuer.issue_tokens())


def test_removing_an_unremovable_file_is_a_documented_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "auth.json"
    path.write_text("{}")

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(AuthFileError, match="Permission denied"):
        AuthFile(path).remove()


# --- 3. malformed auth records ---------------------------------------------------------------


def jwt(claims: dict[str, Any] | str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    body = claims if isinstance(claims, str) else json.dumps(claims)
    return f"{b64(b'{}')}.{b64(body.encode())}.{b64(b'sig')}"


MALFORMED: dict[str, bytes] = {
    "deep_nesting": b"[" * 100_000 + b"]" * 100_000,
    "deep_nesting_in_object": b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    "nan_exp": json.dumps({"access_token": jwt({"exp": float("nan")})}).encode(),
    "infinite_exp": json.dumps({"access_token": jwt({"exp": float("inf")})}).encode(),
    "huge_exp": json.dumps({"access_token": jwt({"exp": 10**30})}).encode(),
    "year_10000_exp": json.dumps({"access_token": jwt({"exp": 1e18})}).encode(),
    "non_ascii_token": json.dumps({"access_token": "tök"}).encode(),
    "newline_in_token": json.dumps({"access_token": "abc\r\nX-Evil: 1"}).encode(),
    "token_is_a_list": json.dumps({"access_token": ["x"]}).encode(),
    "tokens_is_a_string": json.dumps({"auth_mode": "chatgpt", "tokens": "x"}).encode(),
    "too_big": b'{"access_token": "x", "pad": "' + b"a" * (2 << 20) + b'"}',
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_auth_records_are_login_required_errors(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client, name: str
) -> None:
    path = tmp_path / "auth.json"
    path.write_bytes(MALFORMED[name])
    provider = provider_for(tmp_path, http)
    for attempt in (
        provider.credentials,
        lambda: provider.credentials(force_refresh=True),
        provider.peek,
    ):
        with pytest.raises(LoginRequiredError) as info:
            attempt()
        message = str(info.value)
        assert str(path) in message
        assert "chatgpt-sdk login" in message
    assert path.read_bytes() == MALFORMED[name]
    assert issuer.refresh_calls == 0


def test_odd_claims_inside_a_token_are_ignored(tmp_path: Path, http: httpx.Client) -> None:
    deep = '{"a": ' * 50_000 + "1" + "}" * 50_000
    odd = jwt({"exp": "soon", "https://api.openai.com/auth": {"chatgpt_account_id": 5}})
    for token in (jwt(deep), odd):
        (tmp_path / "auth.json").write_text(json.dumps({"access_token": token}))
        creds = provider_for(tmp_path, http).credentials()
        assert creds.account_id is None
        assert creds.expires_at is None


def test_a_fifo_at_the_auth_path_does_not_hang(tmp_path: Path, http: httpx.Client) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "auth.json")
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            provider_for(tmp_path, http).credentials()
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(5)
    assert outcome, "reading a FIFO blocked"
    assert isinstance(outcome[0], LoginRequiredError)


# --- 3. arguments are checked when the auth classes are built ---------------------------------

BAD_ARGUMENTS: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("directory_int", lambda: FileTokenProvider(directory=123), TypeError, "directory"),  # type: ignore[arg-type]
    ("directory_nul", lambda: FileTokenProvider(directory="a\0b"), ValueError, "directory"),
    ("filename_int", lambda: FileTokenProvider("x", filename=5), TypeError, "filename"),  # type: ignore[arg-type]
    ("filename_path", lambda: FileTokenProvider("x", filename="a/b.json"), ValueError, "filename"),
    ("issuer_int", lambda: FileTokenProvider("x", issuer=5), TypeError, "issuer"),  # type: ignore[arg-type]
    ("issuer_scheme", lambda: FileTokenProvider("x", issuer="auth.test"), ValueError, "issuer"),
    ("client_id", lambda: FileTokenProvider("x", client_id=7), TypeError, "client_id"),  # type: ignore[arg-type]
    ("http_client", lambda: FileTokenProvider("x", http_client="c"), TypeError, "http_client"),  # type: ignore[arg-type]
    ("codex_home", lambda: CodexCLITokenProvider(codex_home=1.5), TypeError, "codex_home"),  # type: ignore[arg-type]
    ("read_only", lambda: CodexCLITokenProvider("x", read_only="no"), TypeError, "read_only"),  # type: ignore[arg-type]
    ("static_none", lambda: StaticTokenProvider(None), TypeError, "access_token"),  # type: ignore[arg-type]
    ("static_empty", lambda: StaticTokenProvider(""), ValueError, "access_token"),
    ("static_non_ascii", lambda: StaticTokenProvider("tök"), ValueError, "access_token"),
    ("static_newline", lambda: StaticTokenProvider("a\nb"), ValueError, "access_token"),
    ("static_account", lambda: StaticTokenProvider("t", account_id=5), TypeError, "account_id"),  # type: ignore[arg-type]
    (
        "static_account_newline",
        lambda: StaticTokenProvider("t", account_id="a\r\nb"),
        ValueError,
        "account_id",
    ),
    (
        "static_naive_expiry",
        lambda: StaticTokenProvider("t", expires_at=__import__("datetime").datetime(2030, 1, 1)),
        ValueError,
        "expires_at",
    ),
    ("credentials_token", lambda: Credentials(access_token=b"t"), TypeError, "access_token"),  # type: ignore[arg-type]
    ("device_timeout", lambda: DeviceCodeLogin(timeout="10"), TypeError, "timeout"),  # type: ignore[arg-type]
    ("device_timeout_negative", lambda: DeviceCodeLogin(timeout=-1), ValueError, "timeout"),
    ("device_on_code", lambda: DeviceCodeLogin(on_code="print"), TypeError, "on_code"),  # type: ignore[arg-type]
    ("device_provider", lambda: DeviceCodeLogin(provider=object()), TypeError, "provider"),  # type: ignore[arg-type]
    ("browser_ports", lambda: BrowserLogin(ports=[70000]), ValueError, "ports"),
    ("browser_on_url", lambda: BrowserLogin(on_url=3), TypeError, "on_url"),  # type: ignore[arg-type]
    (
        "browser_async_client",
        lambda: BrowserLogin(http_client=httpx.AsyncClient()),  # type: ignore[arg-type]
        TypeError,
        "http_client",
    ),
]


@pytest.mark.parametrize(
    ("build", "kind", "argument"),
    [case[1:] for case in BAD_ARGUMENTS],
    ids=[case[0] for case in BAD_ARGUMENTS],
)
def test_bad_arguments_fail_at_construction_naming_the_argument(
    build: Callable[[], object], kind: type[Exception], argument: str
) -> None:
    with pytest.raises(kind, match=argument) as info:
        build()
    assert "tök" not in str(info.value)


def test_save_tokens_checks_the_tokens_before_touching_the_file(tmp_path: Path) -> None:
    provider = FileTokenProvider(tmp_path, issuer=ISSUER)
    with pytest.raises(ValueError, match="access_token"):
        provider.save_tokens(access_token="a b", refresh_token="r", id_token="i")
    assert not (tmp_path / "auth.json").exists()


# --- 4. modes, whatever the umask ------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
def test_new_folders_files_and_the_lock_are_private_under_umask_0(
    tmp_path: Path, issuer: FakeIssuer
) -> None:
    folder = tmp_path / "a" / "b" / "chatgpt-sdk"
    FileTokenProvider(folder, issuer=ISSUER).save_tokens(**issuer.issue_tokens())
    for created in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert mode(created) == 0o700, created
    assert mode(folder / "auth.json") == 0o600
    assert mode(folder / "auth.json.lock") == 0o600


@pytest.mark.usefixtures("open_umask")
def test_looser_existing_modes_are_tightened_on_write(
    tmp_path: Path, issuer: FakeIssuer, http: httpx.Client
) -> None:
    folder = tmp_path / "chatgpt-sdk"
    folder.mkdir()
    os.chmod(folder, 0o755)
    seed(issuer, folder / "auth.json")
    os.chmod(folder / "auth.json", 0o644)
    (folder / "auth.json.lock").touch()
    os.chmod(folder / "auth.json.lock", 0o666)
    provider_for(folder, http).credentials()
    assert issuer.refresh_calls == 1
    assert mode(folder) == 0o700
    assert mode(folder / "auth.json") == 0o600
    assert mode(folder / "auth.json.lock") == 0o600
