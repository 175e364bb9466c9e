"""``MemoryResponseStore``: a dict in this process, with the same semantics as the others.

Records are kept as the same compact JSON the other stores write, so what ``get`` returns is a
fresh copy (changing it, or the items given to ``put``, never changes what is stored) and anything
that would not survive SQLite or Redis fails here too. Thread-safe; nothing survives the process.

Items with an ``id`` are indexed in a second dict (item id -> the ids of the responses holding it,
in the order they were stored), kept in step with every put, delete, purge and eviction.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from chatgpt_sdk.stores._base import (
    DEFAULT_CHAIN_LIMIT,
    DEFAULT_TTL_SECONDS,
    StoredResponse,
    born_at,
    check_id,
    check_item_ids,
    check_limit,
    check_older_than,
    check_owner,
    check_stored,
    check_ttl,
    dumps,
    from_record,
    item_positions,
    items_by_id,
    now,
    order_chain,
    record_of,
)

DEFAULT_MAX_ENTRIES = 100_000
SWEEP_INTERVAL_SECONDS = 60.0


class _Entry(NamedTuple):
    owner: str | None
    previous_response_id: str | None
    born: float
    expires_at: float
    raw: bytes
    item_ids: tuple[str, ...] = ()


class MemoryResponseStore:
    """Responses in a dict: for tests, scripts and a single process that need nothing on disk.

    ``max_entries`` bounds memory: past it the oldest stored responses go first.
    """

    def __init__(
        self,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int | None = DEFAULT_MAX_ENTRIES,
    ) -> None:
        self.ttl_seconds = check_ttl(ttl_seconds)
        if max_entries is not None and (
            isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1
        ):
            raise ValueError(f"max_entries must be a positive int or None, got {max_entries!r}")
        self.max_entries = max_entries
        self._entries: OrderedDict[str, _Entry] = OrderedDict()  # oldest put first
        self._items: dict[str, dict[str, None]] = {}  # item id -> response ids, oldest put first
        self._lock = threading.Lock()
        self._last_sweep = now()

    def __repr__(self) -> str:
        return f"MemoryResponseStore(ttl_seconds={self.ttl_seconds!r})"

    # --- sync -----------------------------------------------------------------------------

    def _visible(self, id: str, owner: str | None, at: float) -> _Entry | None:
        entry = self._entries.get(id)
        if entry is None or entry.owner != owner or entry.expires_at <= at:
            return None
        return entry

    def get(self, id: str, *, owner: str | None = None) -> StoredResponse | None:
        check_id(id)
        check_owner(owner)
        with self._lock:
            entry = self._visible(id, owner, now())
        return None if entry is None else from_record(id, entry.raw)

    def put(self, stored: StoredResponse) -> None:
        check_stored(stored)
        raw = dumps(record_of(stored))
        at = now()
        born = born_at(stored, at)
        item_ids = tuple(
            dict.fromkeys(p[0] for p in item_positions(stored.input_items, stored.output_items))
        )
        entry = _Entry(
            stored.owner, stored.previous_response_id, born, born + self.ttl_seconds, raw, item_ids
        )
        with self._lock:
            self._drop_locked(stored.id)
            if entry.expires_at > at:
                self._entries[stored.id] = entry
                for item_id in item_ids:
                    self._items.setdefault(item_id, {})[stored.id] = None
            if self.max_entries is not None:
                while len(self._entries) > self.max_entries:
                    self._drop_locked(next(iter(self._entries)))
            if at - self._last_sweep >= SWEEP_INTERVAL_SECONDS:
                self._last_sweep = at
                self._remove_locked(lambda e: e.expires_at <= at)

    def delete(self, id: str, *, owner: str | None = None) -> bool:
        check_id(id)
        check_owner(owner)
        with self._lock:
            if self._visible(id, owner, now()) is None:
                return False
            self._drop_locked(id)
            return True

    def chain(
        self, id: str, *, owner: str | None = None, limit: int = DEFAULT_CHAIN_LIMIT
    ) -> list[StoredResponse]:
        check_id(id)
        check_owner(owner)
        check_limit(limit)
        at = now()
        raws: dict[str, bytes | None] = {}
        with self._lock:  # one consistent snapshot of the links, decoded outside the lock
            current: str | None = id
            while current is not None and current not in raws and len(raws) <= limit:
                entry = self._visible(current, owner, at)
                raws[current] = None if entry is None else entry.raw
                current = None if entry is None else entry.previous_response_id
        lookup = {key: None if raw is None else from_record(key, raw) for key, raw in raws.items()}
        result = order_chain(id, owner, limit, lookup)
        assert not isinstance(result, str)  # every link was looked up, up to limit + 1 of them
        return result

    def find_items(
        self, ids: Sequence[str], *, owner: str | None = None
    ) -> dict[str, dict[str, Any]]:
        wanted = check_item_ids(ids)
        check_owner(owner)
        at = now()
        holders: dict[str, tuple[str, bytes]] = {}  # item id -> (response id, record)
        with self._lock:
            for item_id in wanted:
                for response_id in reversed(self._items.get(item_id, {})):  # newest first
                    entry = self._visible(response_id, owner, at)
                    if entry is not None:
                        holders[item_id] = (response_id, entry.raw)
                        break
        found: dict[str, dict[str, Any]] = {}
        decoded: dict[str, dict[str, dict[str, Any]]] = {}
        for item_id, (response_id, raw) in holders.items():  # decoded outside the lock
            if response_id not in decoded:
                stored = from_record(response_id, raw)
                decoded[response_id] = {} if stored is None else items_by_id(stored)
            item = decoded[response_id].get(item_id)
            if item is not None:
                found[item_id] = item
        return found

    def purge(self, *, older_than: float | None = None) -> int:
        cutoff = check_older_than(older_than)
        at = now()
        with self._lock:
            self._last_sweep = at
            if cutoff is None:
                return self._remove_locked(lambda e: e.expires_at <= at)
            born_before = at - cutoff
            return self._remove_locked(lambda e: e.expires_at <= at or e.born < born_before)

    def _remove_locked(self, doomed: Callable[[_Entry], bool]) -> int:
        ids = [key for key, entry in self._entries.items() if doomed(entry)]
        for key in ids:
            self._drop_locked(key)
        return len(ids)

    def _drop_locked(self, id: str) -> None:
        """Forget a response and its items (nothing if there is none)."""
        entry = self._entries.pop(id, None)
        if entry is None:
            return
        for item_id in entry.item_ids:
            holders = self._items.get(item_id)
            if holders is not None:
                holders.pop(id, None)
                if not holders:
                    del self._items[item_id]

    def close(self) -> None:
        """Nothing to release; the responses stay until the store is garbage-collected."""

    # --- async: nothing blocks, so the sync methods run as they are -------------------------

    async def aget(self, id: str, *, owner: str | None = None) -> StoredResponse | None:
        return self.get(id, owner=owner)

    async def aput(self, stored: StoredResponse) -> None:
        self.put(stored)

    async def adelete(self, id: str, *, owner: str | None = None) -> bool:
        return self.delete(id, owner=owner)

    async def achain(
        self, id: str, *, owner: str | None = None, limit: int = DEFAULT_CHAIN_LIMIT
    ) -> list[StoredResponse]:
        return self.chain(id, owner=owner, limit=limit)

    async def afind_items(
        self, ids: Sequence[str], *, owner: str | None = None
    ) -> dict[str, dict[str, Any]]:
        return self.find_items(ids, owner=owner)

    async def apurge(self, *, older_than: float | None = None) -> int:
        return self.purge(older_than=older_than)

    async def aclose(self) -> None:
        self.close()
