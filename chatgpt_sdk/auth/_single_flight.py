"""The single-flight credentials engine shared by the token providers (Codex login and official).

How a refresh stays single (the invariant: one refresh per rotation, whoever needs it):

* **threads** share ``self._mutex``: the first one refreshes, the rest find fresh tokens after it;
* **asyncio tasks** of one event loop queue on an ``asyncio.Lock`` and only the head of the queue
  goes to a worker thread (so the loop never blocks on file locks, file I/O or HTTP);
* **processes** share the record's store lock; under it the record is re-read, and tokens another
  process already rotated are used instead of refreshing again.

``force_refresh=True`` (after a 401) refreshes only if the tokens are still the ones this caller was
given: each thread or task remembers (as a fingerprint, in a context variable) the access token it
last received, so a hundred simultaneous 401s cost one refresh, not a hundred.

Tokens a refresh could not save (the old refresh token is spent) stay in memory (``Unsaved``), are
used, and each later call retries the save.

A provider subclasses ``SingleFlight[Record, Place]`` and supplies what differs: how a record is
loaded (``_load``), where it is kept and locked (``_place``), how it is refreshed (``_refresh``) and
re-saved (``_save_unsaved``, ``_still_unsaved``), and what it says about itself (``_fingerprint``,
``_credentials_of``, ``_refresh_margin``, optionally ``_usable`` and ``_not_before``).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import warnings
import weakref
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import httpx

from chatgpt_sdk.auth import _oauth
from chatgpt_sdk.auth._credentials import Credentials
from chatgpt_sdk.errors import ChatGPTError, CredentialsNotSavedWarning

__all__ = ["ClientScope", "SingleFlight", "Unsaved"]

log = logging.getLogger("chatgpt_sdk.auth")

# provider key -> fingerprint of the access token this thread/task last received from it
_SEEN: ContextVar[dict[int, str]] = ContextVar("chatgpt_sdk_auth_seen")
_KEYS = itertools.count()


class _Lockable(Protocol):
    def locked(self) -> AbstractContextManager[None]: ...


R = TypeVar("R")  # the record: what is read, refreshed and saved
P = TypeVar("P", bound=_Lockable)  # where a record is kept: locked, probed and written


@dataclass(frozen=True)
class Unsaved(Generic[R]):
    """Refreshed tokens the store could not take yet; this process is their only keeper.

    ``on_disk`` is the fingerprint of the (spent) refresh token the store still holds, for
    providers that check it before a retried save; ``cause`` is the last reason the save failed.
    """

    state: R
    on_disk: str | None = None
    cause: str = ""


class SingleFlight(Generic[R, P]):
    """``credentials``/``acredentials`` over a record that one caller at a time refreshes."""

    # Pauses between refresh attempts on transient failures (network, 429, 5xx).
    retry_delays: tuple[float, ...] = (0.5, 1.5, 4.0)
    # What the store raises when it cannot be written (or locked).
    _store_errors: ClassVar[tuple[type[ChatGPTError], ...]] = ()
    # Re-read the record without the lock before taking it when no tokens wait to be saved (so a
    # refresh another process did is found without locking); else only when nothing is cached.
    _reread_before_locking: ClassVar[bool] = False

    def __init__(
        self, http_client: httpx.Client | None, mutex: AbstractContextManager[Any]
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                "http_client must be an httpx.Client (refreshes run in a worker thread)"
            )
        self._http_client = http_client
        self._key = next(_KEYS)
        self._mutex = mutex
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._gates_mutex = threading.Lock()
        self._state: R | None = None
        self._unsaved: Unsaved[R] | None = None

    # --- TokenProvider ----------------------------------------------------------------------

    def credentials(self, force_refresh: bool = False) -> Credentials:
        if self._unsaved is not None:
            self._retry_save()
        seen = self._seen()
        state = self._fresh(force_refresh, seen) or self._obtain(force_refresh, seen)
        self._remember(state)
        return self._credentials_of(state)

    async def acredentials(self, force_refresh: bool = False) -> Credentials:
        if self._unsaved is not None:
            await asyncio.to_thread(self._retry_save)
        seen = self._seen()
        state = self._fresh(force_refresh, seen)
        if state is None:
            async with self._gate():
                state = self._fresh(force_refresh, seen)
                if state is None:
                    state = await asyncio.to_thread(self._obtain, force_refresh, seen)
        self._remember(state)
        return self._credentials_of(state)

    # --- what each provider supplies --------------------------------------------------------

    def _load(self) -> R:
        """The record as stored (raises ``LoginRequiredError`` when there is none)."""
        raise NotImplementedError

    def _place(self, state: R) -> P:
        """Where ``state`` is kept: its lock serialises refreshes across processes."""
        raise NotImplementedError

    def _refresh(
        self, current: R, client: httpx.Client, reason: _oauth.RefreshReason, place: P
    ) -> R:
        """Under ``place``'s lock: rotate the tokens and save them (or keep them unsaved)."""
        raise NotImplementedError

    def _save_unsaved(self) -> None:
        """Under the lock: save ``self._unsaved`` (never raises the store's errors)."""
        raise NotImplementedError

    def _still_unsaved(self, exc: ChatGPTError) -> None:
        """A retried save failed again."""
        raise NotImplementedError

    def _fingerprint(self, state: R) -> str | None:
        """The fingerprint of ``state``'s access token (None when it holds none)."""
        raise NotImplementedError

    def _credentials_of(self, state: R) -> Credentials:
        raise NotImplementedError

    def _refresh_margin(self) -> float:
        """How many seconds before its expiry a token is refreshed."""
        raise NotImplementedError

    def _usable(self, state: R, *, raising: bool) -> bool:
        """Whether ``state`` can be served at all (else raise, when ``raising``)."""
        return True

    def _not_before(self, state: R) -> datetime | None:
        """When the issuer allows the next refresh (a valid token is served until then)."""
        return None

    # --- the engine -------------------------------------------------------------------------

    def _seen(self) -> str | None:
        """The access token (fingerprint) the caller holds: its own last one, else our current one."""
        recorded = _SEEN.get(None)
        if recorded is not None and self._key in recorded:
            return recorded[self._key]
        state = self._state
        return self._fingerprint(state) if state is not None else None

    def _remember(self, state: R) -> None:
        mark = self._fingerprint(state)
        assert mark is not None
        recorded = _SEEN.get(None) or {}
        if recorded.get(self._key) != mark:
            _SEEN.set({**recorded, self._key: mark})

    def _fresh(self, force: bool, seen: str | None) -> R | None:
        """The cached tokens if the caller may use them as they are, else None."""
        state = self._state
        if state is None or not self._usable(state, raising=False):
            return None
        return None if self._refresh_reason(state, force, seen) is not None else state

    def _refresh_reason(
        self, state: R, force: bool, seen: str | None
    ) -> _oauth.RefreshReason | None:
        """Why ``state`` must be refreshed before the caller may use it, or None if it may.

        The one place that decides ``refresh_reason``: a forced refresh (after a 401) of the token
        the caller holds is ``unauthorized_recovery``; a token at or near its expiry is
        ``proactive_expiry``.
        """
        if force and seen in (None, self._fingerprint(state)):
            return _oauth.UNAUTHORIZED_RECOVERY  # the caller's token was rejected, not yet replaced
        creds = self._credentials_of(state)
        if not creds.expires_within(self._refresh_margin()):
            return None
        not_before = self._not_before(state)
        if not_before is not None and datetime.now(timezone.utc) < not_before:
            # The issuer asked us to wait; a token that is still valid is served meanwhile.
            return _oauth.PROACTIVE_EXPIRY if creds.expires_within(0) else None
        return _oauth.PROACTIVE_EXPIRY

    def _obtain(self, force: bool, seen: str | None) -> R:
        """The slow path: load, or take the store's lock and refresh (blocking; async runs it in a
        thread)."""
        with self._mutex:
            state = self._fresh(force, seen)
            if state is not None:
                return state
            if self._state is None or (self._reread_before_locking and self._unsaved is None):
                # Writers replace the record atomically, so reading without the lock is safe.
                self._state = self._load()
            state = self._state
            self._usable(state, raising=True)
            if self._refresh_reason(state, force, seen) is None:
                return state
            return self._refresh_locked(force, seen)

    def _refresh_locked(self, force: bool, seen: str | None) -> R:
        """Under the store's lock: re-read, then refresh unless another process already did.

        The HTTP client is built before taking the lock: the lock is held only for the re-read,
        the refresh round trip and the write.
        """
        assert self._state is not None
        place = self._place(self._state)
        with self._client() as client, place.locked():
            if self._unsaved is not None:
                self._save_unsaved()
            if self._unsaved is None:
                self._state = self._load()
                self._usable(self._state, raising=True)
            # else: the store still holds the spent refresh token; ours (in memory) is the live one
            state = self._state
            assert state is not None
            reason = self._refresh_reason(state, force, seen)
            if reason is None:
                log.debug("Another process already refreshed the ChatGPT token; using it")
                return state
            self._state = self._refresh(state, client, reason, place)
            return self._state

    # --- refreshed tokens the store could not take ------------------------------------------

    def _keep_unsaved(
        self, fresh: R, cause: str, message: str, *, on_disk: str | None, stacklevel: int
    ) -> None:
        """Keep tokens the store refused (the old refresh token is spent) and warn loudly.

        ``stacklevel`` counts from the caller, as ``warnings.warn`` does.
        """
        self._unsaved = Unsaved(fresh, on_disk, cause)
        log.warning("%s", message)
        warnings.warn(message, CredentialsNotSavedWarning, stacklevel=stacklevel + 1)

    def _retry_save(self) -> None:
        """Try again to save tokens a refresh could not save (outside any lock; never raises)."""
        with self._mutex:
            unsaved = self._unsaved
            if unsaved is None:
                return
            try:
                with self._place(unsaved.state).locked():
                    self._save_unsaved()
            except self._store_errors as exc:
                self._still_unsaved(exc)

    # --- plumbing ---------------------------------------------------------------------------

    def _client(self) -> ClientScope:
        return ClientScope(self._http_client)

    def _gate(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._gates_mutex:
            gate = self._gates.get(loop)
            if gate is None:
                gate = self._gates[loop] = asyncio.Lock()
            return gate


class ClientScope:
    """The caller's httpx client as is, or a short-lived one (made with ``options``) closed after
    use."""

    def __init__(self, client: httpx.Client | None, **options: Any) -> None:
        self._given = client
        self._options = options
        self._own: httpx.Client | None = None

    def __enter__(self) -> httpx.Client:
        if self._given is not None:
            return self._given
        self._own = httpx.Client(**self._options)
        return self._own

    def __exit__(self, *exc: object) -> None:
        if self._own is not None:
            self._own.close()
