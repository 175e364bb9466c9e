"""The model catalog decides each request's shape: Responses Lite or classic, efforts, tools.

``GET {base}/models?client_version=...`` is read once per account and kept in a process-wide
``ModelCatalog`` (a TTL, and the backend's ``ETag`` so a refresh is a cheap 304), shared by every
sync and async client of the process. When the catalog cannot be read, the built-in table
generated from ``schema/catalog.snapshot.json`` decides; a model in neither is sent classic.

The lookup on the request path is a dict read and a clock comparison; only a miss does I/O, and
that I/O lives in the clients.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["DEFAULT_TTL", "CatalogEntry", "ModelCatalog", "ModelProfile", "default_catalog"]

DEFAULT_TTL = 300.0  # seconds a fetched catalog is trusted before it is revalidated
FALLBACK_TTL = 60.0  # after a failed fetch, how long the fallback stands before trying again


@dataclass(frozen=True)
class ModelProfile:
    """What the catalog says about one model, reduced to what shapes a request.

    Empty tuples and ``None`` mean "not known": nothing is checked against them.
    """

    slug: str
    responses_lite: bool = False
    listed: bool = False  # whether the catalog (live or built-in) has this model
    default_reasoning_effort: str | None = None
    reasoning_efforts: tuple[str, ...] = ()
    supports_verbosity: bool | None = None
    default_verbosity: str | None = None
    web_search_tool_type: str | None = None
    supports_search_tool: bool | None = None
    input_modalities: tuple[str, ...] = ()

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> ModelProfile:
        """A profile from one catalog entry (plain JSON data, as served or as built in)."""
        levels = entry.get("supported_reasoning_levels") or ()
        return cls(
            slug=str(entry["slug"]),
            responses_lite=entry.get("use_responses_lite") is True,
            listed=True,
            default_reasoning_effort=_str(entry.get("default_reasoning_level")),
            reasoning_efforts=tuple(
                str(level["effort"])
                for level in levels
                if isinstance(level, Mapping) and isinstance(level.get("effort"), str)
            ),
            supports_verbosity=_bool(entry.get("support_verbosity")),
            default_verbosity=_str(entry.get("default_verbosity")),
            web_search_tool_type=_str(entry.get("web_search_tool_type")),
            supports_search_tool=_bool(entry.get("supports_search_tool")),
            input_modalities=tuple(
                str(m) for m in entry.get("input_modalities") or () if isinstance(m, str)
            ),
        )

    def with_lite(self, lite: bool | None) -> ModelProfile:
        """This profile with the caller's explicit choice of shape, if any."""
        if lite is None or lite == self.responses_lite:
            return self
        return replace(self, responses_lite=lite)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


@dataclass
class CatalogEntry:
    """One account's catalog as last read; ``source`` is ``"live"`` or ``"builtin"``."""

    profiles: dict[str, ModelProfile]
    source: str
    expires_at: float
    etag: str | None = None

    def profile(self, slug: str) -> ModelProfile:
        found = self.profiles.get(slug)
        return found if found is not None else ModelProfile(slug)


def profiles_of(entries: Iterable[Mapping[str, Any]]) -> dict[str, ModelProfile]:
    return {
        str(e["slug"]): ModelProfile.from_entry(e)
        for e in entries
        if isinstance(e, Mapping) and isinstance(e.get("slug"), str)
    }


_BUILTIN: dict[str, ModelProfile] | None = None


def builtin_profiles() -> dict[str, ModelProfile]:
    """The generated snapshot's profiles (``chatgpt_sdk.models.catalog_snapshot``)."""
    global _BUILTIN
    if _BUILTIN is None:
        from chatgpt_sdk.models.catalog_snapshot import MODELS

        _BUILTIN = profiles_of(MODELS)
    return _BUILTIN


CatalogKey = tuple[str, str, str]  # base URL, client version, account id


@dataclass
class ModelCatalog:
    """A cache of model catalogs, one per (base URL, client version, account).

    Thread-safe; a miss is fetched by one caller while the others of the same thread pool or
    event loop wait for it (``fetch_lock`` / ``afetch_lock``).
    """

    ttl: float = DEFAULT_TTL
    fallback_ttl: float = FALLBACK_TTL
    _entries: dict[CatalogKey, CatalogEntry] = field(default_factory=dict, repr=False)
    _mutex: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _locks: dict[CatalogKey, threading.Lock] = field(default_factory=dict, repr=False)
    _alocks: weakref.WeakKeyDictionary[
        asyncio.AbstractEventLoop, dict[CatalogKey, asyncio.Lock]
    ] = field(default_factory=weakref.WeakKeyDictionary, repr=False)

    def fresh(self, key: CatalogKey, now: float | None = None) -> CatalogEntry | None:
        """The entry for ``key`` if it has not expired (the request path's only work)."""
        entry = self._entries.get(key)
        if entry is not None and entry.expires_at > (time.monotonic() if now is None else now):
            return entry
        return None

    def etag(self, key: CatalogKey) -> str | None:
        """The ETag of the last live catalog for ``key``, for ``If-None-Match``."""
        entry = self._entries.get(key)
        return entry.etag if entry is not None and entry.source == "live" else None

    def store(
        self, key: CatalogKey, models: Iterable[Mapping[str, Any]], etag: str | None
    ) -> CatalogEntry:
        """Keep a catalog the backend just served."""
        entry = CatalogEntry(profiles_of(models), "live", time.monotonic() + self.ttl, etag)
        with self._mutex:
            self._entries[key] = entry
        return entry

    def revalidated(self, key: CatalogKey) -> CatalogEntry | None:
        """A 304: the kept catalog stands for another TTL (None if there is none to keep)."""
        with self._mutex:
            entry = self._entries.get(key)
            if entry is None or entry.source != "live":
                return None
            entry.expires_at = time.monotonic() + self.ttl
            return entry

    def fallback(self, key: CatalogKey) -> CatalogEntry:
        """The catalog could not be read: keep an older live one, else use the built-in table.

        Either way it is tried again after ``fallback_ttl``.
        """
        with self._mutex:
            entry = self._entries.get(key)
            if entry is None or entry.source != "live":
                entry = CatalogEntry(builtin_profiles(), "builtin", 0.0)
                self._entries[key] = entry
            entry.expires_at = time.monotonic() + self.fallback_ttl
            return entry

    def clear(self) -> None:
        """Forget every catalog (the next request of each account fetches again)."""
        with self._mutex:
            self._entries.clear()

    def fetch_lock(self, key: CatalogKey) -> threading.Lock:
        with self._mutex:
            return self._locks.setdefault(key, threading.Lock())

    def afetch_lock(self, key: CatalogKey) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._mutex:
            return self._alocks.setdefault(loop, {}).setdefault(key, asyncio.Lock())


_DEFAULT = ModelCatalog()


def default_catalog() -> ModelCatalog:
    """The process-wide catalog every client uses unless given its own."""
    return _DEFAULT
