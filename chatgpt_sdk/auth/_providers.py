"""Token providers backed by an auth file (or a Redis token store), with a refresh that never races.

The single-flight engine (threads, asyncio tasks, ``force_refresh`` after a 401, tokens kept in
memory when a save fails) is ``_single_flight.SingleFlight``; this module supplies the store side.

**Processes** share the store's lock: a ``filelock`` lock file beside the auth file, or a Redis
lock shared by every replica (``_token_store``); under it the record is re-read, and tokens
another process already rotated are used instead of refreshing again. Without the lock there is
no refresh: a store that cannot be locked raises (a token that is still valid is served
meanwhile).

A refresh never loses the only valid refresh token: before the issuer is asked (which spends the
old one) the store is proven writable (``probe``: a trial write beside the file, or the Redis lock
renewed and still ours); if saving still fails afterwards, the new tokens stay in memory
(``Unsaved``), are used by this process, and each later call retries the save, with a
``CredentialsNotSavedWarning``. The spent token is never used again.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from chatgpt_sdk.auth import _oauth
from chatgpt_sdk.auth._config import (
    REFRESH_MARGIN_SECONDS,
    resolve_client_id,
    resolve_issuer,
)
from chatgpt_sdk.auth._credentials import Credentials, check_access_token
from chatgpt_sdk.auth._rate_limits_writer import RateLimitsWriter
from chatgpt_sdk.auth._single_flight import SingleFlight, Unsaved
from chatgpt_sdk.auth._token_store import (
    FileTokenStore,
    TokenStore,
    TokenStoreError,
    rate_limits_from_record,
    rate_limits_record,
)
from chatgpt_sdk.auth._tokens import (
    CODEX,
    TokenSet,
    decode,
    detect_format,
    encode,
    fingerprint,
)
from chatgpt_sdk.errors import (
    APIStatusError,
    AuthFileError,
    ChatGPTError,
    LoginRequiredError,
    ReauthenticationRequired,
)

if TYPE_CHECKING:
    from chatgpt_sdk.rate_limits import RateLimits

__all__ = ["AuthFileProvider"]

# What the store raises when it cannot be written (or locked): the refresh is not attempted.
_STORE_ERRORS = (AuthFileError, TokenStoreError)

log = logging.getLogger("chatgpt_sdk.auth")


@dataclass(frozen=True)
class _Loaded:
    """What was read from (or written to) the file: its layout, tokens and full JSON content."""

    kind: str
    tokens: TokenSet
    raw: dict[str, Any] = field(repr=False)  # the whole file, tokens included


class AuthFileProvider(SingleFlight[_Loaded, TokenStore]):
    """The store side of the file-backed providers (see the module docstring)."""

    _store_errors = _STORE_ERRORS

    def __init__(
        self,
        store: TokenStore,
        *,
        issuer: str | None,
        client_id: str | None,
        http_client: httpx.Client | None,
        read_only: bool,
        login_hint: str,
        new_file_kind: str,
    ) -> None:
        super().__init__(http_client, threading.Lock())
        self._store = store
        self._file = store  # the name older code used
        self._issuer = resolve_issuer(issuer)
        self._client_id = resolve_client_id(client_id)
        self._read_only = read_only
        self._login_hint = login_hint
        self._new_file_kind = new_file_kind
        self._dead: tuple[str, ReauthenticationRequired] | None = None
        self._rate_limits = RateLimitsWriter(store)

    @property
    def path(self) -> Path:
        """The auth file this provider reads (and, unless read-only, writes).

        A provider on another token store (Redis) has no file: see ``location``.
        """
        if not isinstance(self._store, FileTokenStore):
            raise AttributeError(f"{self!r} keeps its login in Redis, not a file; see .location")
        return self._store.path

    @property
    def location(self) -> str:
        """Where the login is kept: the auth file's path, or a Redis URL (no password) and key."""
        return self._store.location

    @property
    def store(self) -> TokenStore:
        """The token store holding the login (``FileTokenStore`` or ``RedisTokenStore``)."""
        return self._store

    @property
    def profile(self) -> str | None:
        """The login's name; None for the default login."""
        return self._store.profile

    def _where(self) -> Path | str:
        return self._store.path if isinstance(self._store, FileTokenStore) else self.location

    @property
    def issuer(self) -> str:
        return self._issuer

    @property
    def read_only(self) -> bool:
        return self._read_only

    # --- login / logout / inspection --------------------------------------------------------

    def save_tokens(self, *, access_token: str, refresh_token: str, id_token: str) -> Credentials:
        """Store the tokens of a new login (replacing whatever login the file held)."""
        if self._read_only:
            raise ChatGPTError(f"{self!r} is read-only; it cannot store a new login.")
        check_access_token(access_token)
        for name, value in (("refresh_token", refresh_token), ("id_token", id_token)):
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a str, not {type(value).__name__}")
        tokens = TokenSet(
            access_token=access_token,
            refresh_token=refresh_token,
            id_token=id_token,
            last_refresh=datetime.now(timezone.utc),
        )
        with self._mutex, self._file.locked():
            previous = self._previous_content()
            kind = detect_format(previous) if previous else self._new_file_kind
            raw = encode(kind, tokens, previous if kind == CODEX else None)
            self._file.write(raw)
            self._state = _Loaded(kind, tokens, raw)
            self._dead = None
            self._unsaved = None  # a new login replaces tokens we could not save
        log.info("Saved a new ChatGPT login to %s", self.location)
        return tokens.credentials

    def check_writable(self) -> None:
        """Raise ``AuthFileError`` (``TokenStoreError`` for Redis) unless the login's record (and
        its lock) can be written right now.

        ``chatgpt-sdk login`` calls it first, so a login is not approved only to be lost.
        """
        if self._read_only:
            raise ChatGPTError(f"{self!r} is read-only; it cannot store a new login.")
        with self._mutex, self._file.locked():
            self._file.probe(_PROBE_BYTES)

    def peek(self) -> TokenSet | None:
        """The stored login as it is in the store, without refreshing; None when there is none."""
        data = self._file.read()
        return None if data is None else decode(data, self._where())[1]

    def check_store(self) -> None:
        """Raise ``TokenStoreError`` (``AuthFileError`` for a file) unless the store answers now."""
        self._store.ping()

    # --- usage windows, shared through the store --------------------------------------------

    def record_rate_limits(self, limits: RateLimits | None) -> None:
        """Remember the usage windows a response reported; never blocks, never raises.

        A background thread saves the latest ones to the store (at most once a second), so
        ``chatgpt-sdk status`` and every replica sharing the store see them.
        """
        if limits is not None:
            self._rate_limits.offer(limits, self.profile)

    def save_rate_limits(self, limits: RateLimits) -> None:
        """Save the usage windows to the store now (blocking; raises the store's errors)."""
        self._rate_limits.save_now(rate_limits_record(limits, profile=self.profile))

    def flush_rate_limits(self) -> None:
        """Save now any windows ``record_rate_limits`` still holds (blocking; never raises)."""
        self._rate_limits.flush()

    def read_rate_limits(self) -> dict[str, Any] | None:
        """The last usage windows saved for this login, as JSON (no secrets); None if none or
        the store cannot be read."""
        try:
            return self._store.read_rate_limits()
        except ChatGPTError as exc:
            log.debug("Cannot read the usage windows from %s: %s", self.location, exc)
            return None

    def last_rate_limits(self) -> RateLimits | None:
        """``read_rate_limits()`` as ``RateLimits``."""
        return rate_limits_from_record(self.read_rate_limits())

    def logout(self, *, revoke: bool = True) -> bool:
        """Forget the login: revoke its refresh token (best effort), then delete the file.

        Returns True when a file was deleted.
        """
        if self._read_only:
            raise ChatGPTError(f"{self!r} is read-only; it cannot remove the login.")
        with self._mutex, self._file.locked():
            try:
                stored = self.peek()
            except LoginRequiredError:
                stored = None
            tokens = [stored.refresh_token] if stored is not None else []
            if self._unsaved is not None:  # the live token may exist only in this process
                tokens.insert(0, self._unsaved.state.tokens.refresh_token)
            live = list(dict.fromkeys(t for t in tokens if t))
            if revoke and live:
                with self._client() as client:
                    for token in live:
                        accepted = _oauth.revoke(client, self._issuer, self._client_id, token)
                        log.info(
                            "Revoking the refresh token at %s: %s",
                            self._issuer,
                            "ok" if accepted else "failed",
                        )
            self._state = None
            self._unsaved = None
            return self._file.remove()

    # --- the engine's hooks (see _single_flight) --------------------------------------------

    def _fingerprint(self, state: _Loaded) -> str:
        return state.tokens.access_fingerprint

    def _credentials_of(self, state: _Loaded) -> Credentials:
        return state.tokens.credentials

    def _refresh_margin(self) -> float:
        # Read-only providers cannot refresh early, so they serve a token until it really expires.
        return 0.0 if self._read_only else REFRESH_MARGIN_SECONDS

    def _place(self, state: _Loaded) -> TokenStore:
        return self._store

    def _refresh_locked(self, force: bool, seen: str | None) -> _Loaded:
        """Refresh under the store's lock; read-only, re-read instead; a store that cannot be
        locked raises, unless an early refresh can wait (the current token still works)."""
        if self._read_only:
            return self._reload_read_only(force, seen)
        try:
            return super()._refresh_locked(force, seen)
        except TokenStoreError as exc:
            state = self._state
            if (
                state is None
                or (force and seen in (None, state.tokens.access_fingerprint))
                or state.tokens.credentials.expires_within(0)
            ):
                raise
            # An early refresh the store cannot serialise: the current token still works.
            log.warning(
                "Not refreshing the ChatGPT token yet: %s The current token is still valid.",
                exc.message,
            )
            return state

    def _reload_read_only(self, force: bool, seen: str | None) -> _Loaded:
        self._state = state = self._load()
        reason = self._refresh_reason(state, force, seen)
        if reason is None:
            return state
        what = "was rejected" if reason == _oauth.UNAUTHORIZED_RECOVERY else "has expired"
        raise LoginRequiredError(
            f"The access token in {self.location} {what}, and this provider is read-only so it "
            f"will not refresh it. {self._login_hint}, or allow refreshing (read_only=False)."
        )

    def _refresh(
        self,
        current: _Loaded,
        client: httpx.Client,
        reason: _oauth.RefreshReason,
        store: TokenStore,
    ) -> _Loaded:
        """Rotate the tokens: prove the file writable, refresh, save (or keep them unsaved)."""
        refresh_token = current.tokens.refresh_token
        if refresh_token is None:
            raise LoginRequiredError(
                f"The login in {self.location} has no refresh token, so its access token cannot "
                f"be renewed. {self._login_hint}."
            )
        marker = fingerprint(refresh_token)
        if self._dead is not None and self._dead[0] == marker:
            # Known dead: do not hammer the issuer with a token it already refused.
            raise ReauthenticationRequired(self._dead[1].message, code=self._dead[1].code)
        # The refresh spends the refresh token: first prove its successor can be saved.
        try:
            store.probe(_probe_size(current))
        except _STORE_ERRORS as exc:
            if reason == _oauth.PROACTIVE_EXPIRY and not current.tokens.credentials.expires_within(
                0
            ):
                # Still valid (an early refresh): serve it, and try again on the next call.
                log.warning(
                    "Not refreshing the ChatGPT token yet: %s The current token is still valid.",
                    exc.message,
                )
                return current
            message = (
                f"Cannot refresh the ChatGPT token: {exc.message} The refresh was not attempted, "
                "so the saved login is still valid."
            )
            if isinstance(exc, TokenStoreError):
                raise TokenStoreError(message, store=exc.store, cause=exc.cause) from None
            raise AuthFileError(message, path=exc.path, cause=exc.cause, errno=exc.errno) from None
        log.info(
            "Refreshing the ChatGPT access token (account %s, %s)",
            current.tokens.account_id,
            reason,
        )
        try:
            payload = _oauth.refresh(
                client,
                self._issuer,
                self._client_id,
                refresh_token,
                reason=reason,
                login_hint=self._login_hint,
                delays=self.retry_delays,
            )
        except ReauthenticationRequired as exc:
            self._dead = (marker, exc)
            raise
        try:
            tokens = TokenSet.from_oauth(payload, current.tokens)
        except (TypeError, ValueError) as exc:
            raise APIStatusError(
                f"The auth server's refresh answer held an unusable token ({exc}).",
                status_code=200,
            ) from None
        raw = encode(current.kind, tokens, current.raw)
        fresh = _Loaded(current.kind, tokens, raw)
        # From here on the old refresh token is spent: the new one must never be dropped.
        try:
            store.write(raw)
        except _STORE_ERRORS as exc:
            base = self._unsaved.on_disk if self._unsaved is not None else marker
            message = self._unsaved_message(exc)
            self._keep_unsaved(fresh, exc.cause, message, on_disk=base, stacklevel=1)
        else:
            self._unsaved = None
        return fresh

    # --- refreshed tokens the file could not take -------------------------------------------

    def _unsaved_message(self, exc: AuthFileError | TokenStoreError) -> str:
        return (
            f"The refreshed ChatGPT tokens could not be saved to {self.location} ({exc.cause}). "
            "This process keeps using them and retries the save on each call, but if it exits "
            "before a save succeeds the login is lost and you must log in again. Fix the cause now."
        )

    def _save_unsaved(self) -> None:
        """Under the lock: save the unsaved tokens, unless the file now holds another login."""
        unsaved = self._unsaved
        assert unsaved is not None
        try:
            data = self._file.read()
        except LoginRequiredError as exc:
            self._still_unsaved(exc)
            return
        if data is None:
            log.warning(
                "%s was removed (logout?) while refreshed tokens waited to be saved; not "
                "recreating it",
                self.location,
            )
            self._unsaved = self._state = None
            return
        try:
            on_disk = decode(data, self._where())[1].refresh_token
        except LoginRequiredError as exc:
            self._still_unsaved(exc)  # never written over: only a new login replaces it
            return
        if (fingerprint(on_disk) if on_disk else None) != unsaved.on_disk:
            log.warning(
                "%s now holds another login; using it instead of the tokens that were not saved",
                self.location,
            )
            self._unsaved = self._state = None
            return
        previous = data if isinstance(data, dict) else None
        raw = encode(unsaved.state.kind, unsaved.state.tokens, previous)
        try:
            self._file.write(raw)
        except _STORE_ERRORS as exc:
            self._still_unsaved(exc)
            return
        self._unsaved = None
        log.warning("Saved the refreshed ChatGPT tokens to %s after all", self.location)

    def _still_unsaved(self, exc: ChatGPTError) -> None:
        unsaved = self._unsaved
        if unsaved is None:
            return
        cause = exc.cause if isinstance(exc, _STORE_ERRORS) else exc.message
        if cause != unsaved.cause:
            self._unsaved = Unsaved(unsaved.state, unsaved.on_disk, cause)
            log.warning(
                "Still cannot save the refreshed ChatGPT tokens to %s: %s", self.location, cause
            )
        else:
            log.debug(
                "Still cannot save the refreshed ChatGPT tokens to %s: %s", self.location, cause
            )

    def _load(self) -> _Loaded:
        data = self._file.read()
        if data is None:
            raise LoginRequiredError(self._missing_message())
        kind, tokens = decode(data, self._where())
        return _Loaded(kind, tokens, data)

    def _previous_content(self) -> dict[str, Any] | None:
        try:
            data = self._file.read()
        except LoginRequiredError:
            return None  # a corrupted file is replaced by an explicit new login
        return data if isinstance(data, dict) else None

    def _missing_message(self) -> str:
        where = "at" if isinstance(self._store, FileTokenStore) else "in the Redis token store"
        named = f" for profile {self.profile!r}" if self.profile is not None else ""
        return f"No ChatGPT login{named} found {where} {self.location}. {self._login_hint}."

    def close(self) -> None:
        """Save pending usage windows and close the store's connections (Redis); idempotent."""
        self._rate_limits.flush()
        self._store.close()

    def __repr__(self) -> str:
        if isinstance(self._store, FileTokenStore):
            return f"{type(self).__name__}(path={str(self.path)!r}, read_only={self._read_only})"
        return f"{type(self).__name__}(store={self._store!r}, read_only={self._read_only})"


# What a probe writes before a refresh: the record's size, with room for longer tokens.
_PROBE_BYTES = 4096


def _probe_size(current: _Loaded) -> int:
    size = len(json.dumps(encode(current.kind, current.tokens, current.raw), indent=2))
    return max(size + 1024, 4096)
