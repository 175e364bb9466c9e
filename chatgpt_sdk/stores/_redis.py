"""``RedisResponseStore``: stored responses in Redis, shared by several proxy replicas.

Keys (all under ``prefix``):

- ``{prefix}r:{id}``: the response, one compact JSON object; expires with the response (``PX``).
- ``{prefix}a:{id}``: the ids of its ancestors, oldest first (at most ``MAX_ANCESTORS``), written
  at ``put`` from the previous response's own list. ``chain()`` reads a response and this list in
  one ``MGET``, then every ancestor in a second one: two round trips for a 50-turn conversation.
  The list is only a hint: every link is checked against ``previous_response_id``, and a link it
  does not cover (an older part, or one that changed) is fetched the same way.
- ``{prefix}i:{item_id}``: for every item with an id, a sorted set of the ids of the responses
  holding it, scored by the time of their ``put``. It expires ``ttl_seconds`` after the last
  ``put`` of such a response (so it outlives every one of them), and members older than that are
  trimmed on ``put``. ``find_items()`` reads the newest members of every set in one round trip,
  then the records they name with one ``MGET``, and keeps for each id the newest response the
  caller may see that holds it. ``delete()`` removes the response from its items' sets; a member
  whose response is gone otherwise (purged, expired) is skipped until it is trimmed.
- ``{prefix}idx:exp`` and ``{prefix}idx:born``: sorted sets of ids by expiry and by creation time,
  for ``purge()`` (Redis expires the records by itself; the sets are trimmed by ``purge()`` and by
  a sweep at most once a minute on ``put``).

The logic is written once, as generators that yield batches of Redis commands; the sync methods
run them with ``redis.Redis`` and the async ones with ``redis.asyncio.Redis`` (one client per
event loop). ``redis`` is imported on first use: ``pip install 'chatgpt-sdk[redis]'``.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
import weakref
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from chatgpt_sdk.auth._config import masked_url
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
    decode_record,
    dumps,
    items_by_id,
    loads,
    log,
    now,
    order_chain,
    record_of,
)

if TYPE_CHECKING:
    import redis
    import redis.asyncio

MAX_ANCESTORS = 256
ITEM_CANDIDATES = 8  # responses read per item id and round trip (the newest first)
BATCH = 500
SWEEP_INTERVAL_SECONDS = 60.0
DEFAULT_SOCKET_TIMEOUT = 10.0
DEFAULT_CONNECT_TIMEOUT = 5.0

T = TypeVar("T")


@dataclass
class _Batch:
    """Commands sent together: one round trip (a MULTI/EXEC transaction when ``atomic``)."""

    commands: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)
    atomic: bool = False

    def add(self, name: str, *args: Any, **kwargs: Any) -> _Batch:
        self.commands.append((name, args, kwargs))
        return self


_Steps = Generator[_Batch, list[Any], T]


def _import_redis() -> Any:
    try:
        import redis
        import redis.asyncio
    except ImportError:
        raise ImportError(
            "RedisResponseStore needs the redis package: pip install 'chatgpt-sdk[redis]'"
        ) from None
    return redis


class RedisResponseStore:
    """Stored responses in Redis at ``url`` (``redis://HOST:PORT/DB``, ``rediss://`` for TLS,
    ``unix:///path.sock``), keys under ``prefix``, each expiring ``ttl_seconds`` after its
    response was created.

    ``client_options`` go to ``Redis.from_url`` (e.g. ``{"socket_timeout": 2}``); options in the
    URL's query string win. Connection errors are redis-py's (``redis.exceptions.RedisError``).
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "chatgpt-sdk:",
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        client_options: dict[str, Any] | None = None,
    ) -> None:
        if not isinstance(url, str) or not url:
            raise TypeError("url must be a redis:// URL string")
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a string, not {type(prefix).__name__}")
        _import_redis()  # fail here, not on the first request, when redis is missing
        self.url = url
        self.prefix = prefix
        self.ttl_seconds = check_ttl(ttl_seconds)
        self._options: dict[str, Any] = {
            "socket_timeout": DEFAULT_SOCKET_TIMEOUT,
            "socket_connect_timeout": DEFAULT_CONNECT_TIMEOUT,
            **(client_options or {}),
        }
        self._lock = threading.Lock()
        self._client: redis.Redis | None = None
        self._async_clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, redis.asyncio.Redis
        ] = weakref.WeakKeyDictionary()
        self._closed = False
        self._next_sweep = time.monotonic()
        self._exp_key = f"{prefix}idx:exp"
        self._born_key = f"{prefix}idx:born"

    def __repr__(self) -> str:
        return f"RedisResponseStore({masked_url(self.url)!r}, prefix={self.prefix!r})"

    def __enter__(self) -> RedisResponseStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- keys -----------------------------------------------------------------------------

    def _record_key(self, id: str) -> str:
        return f"{self.prefix}r:{id}"

    def _ancestors_key(self, id: str) -> str:
        return f"{self.prefix}a:{id}"

    def _item_key(self, item_id: str) -> str:
        return f"{self.prefix}i:{item_id}"

    # --- clients and the two drivers ------------------------------------------------------

    def _sync_client(self) -> redis.Redis:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._client = _import_redis().Redis.from_url(self.url, **self._options)
                client = self._client
        assert client is not None
        return client

    def _async_client(self) -> redis.asyncio.Redis:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")
        loop = asyncio.get_running_loop()
        client = self._async_clients.get(loop)
        if client is None:
            client = _import_redis().asyncio.Redis.from_url(self.url, **self._options)
            self._async_clients[loop] = client
        return client

    def _run(self, steps: _Steps[T]) -> T:
        client = self._sync_client()
        try:
            batch = next(steps)
            while True:
                pipe = client.pipeline(transaction=batch.atomic)
                for name, args, kwargs in batch.commands:
                    getattr(pipe, name)(*args, **kwargs)
                batch = steps.send(pipe.execute())
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    async def _arun(self, steps: _Steps[T]) -> T:
        client = self._async_client()
        try:
            batch = next(steps)
            while True:
                pipe = client.pipeline(transaction=batch.atomic)
                for name, args, kwargs in batch.commands:
                    getattr(pipe, name)(*args, **kwargs)
                batch = steps.send(await pipe.execute())
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    # --- the logic, once ------------------------------------------------------------------

    def _decode(
        self, id: str, raw: bytes | None, owner: str | None, at: float
    ) -> StoredResponse | None:
        decoded = decode_record(id, raw)
        if decoded is None:
            return None
        record, stored = decoded
        if stored.owner != owner:
            return None
        expires_at = record.get("expires_at")
        if isinstance(expires_at, (int, float)) and expires_at <= at:
            return None  # Redis expires by the millisecond, and lazily: be exact
        return stored

    def _get_steps(self, id: str, owner: str | None) -> _Steps[StoredResponse | None]:
        check_id(id)
        check_owner(owner)
        (raw,) = yield _Batch().add("get", self._record_key(id))
        return self._decode(id, raw, owner, now())

    def _put_steps(self, stored: StoredResponse) -> _Steps[None]:
        check_stored(stored)
        at = now()
        born = born_at(stored, at)
        expires_at = born + self.ttl_seconds
        record_key, ancestors_key = self._record_key(stored.id), self._ancestors_key(stored.id)
        item_ids = list(items_by_id(stored))
        if expires_at <= at:  # already past its lifetime: keep nothing, not even an older copy
            batch = (
                _Batch(atomic=True)
                .add("delete", record_key, ancestors_key)
                .add("zrem", self._exp_key, stored.id)
                .add("zrem", self._born_key, stored.id)
            )
            for item_id in item_ids:
                batch.add("zrem", self._item_key(item_id), stored.id)
            yield batch
            return None
        record = record_of(stored)
        record["expires_at"] = expires_at
        raw = dumps(record)
        ancestors: list[str] = []
        previous = stored.previous_response_id
        if previous is not None:
            (previous_ancestors,) = yield _Batch().add("get", self._ancestors_key(previous))
            ancestors = [*_id_list(previous_ancestors), previous][-MAX_ANCESTORS:]
        ttl_ms = max(1, math.ceil((expires_at - at) * 1000))
        batch = (
            _Batch(atomic=True)
            .add("set", record_key, raw, px=ttl_ms)
            .add("set", ancestors_key, dumps(ancestors), px=ttl_ms)
            .add("zadd", self._exp_key, {stored.id: expires_at})
            .add("zadd", self._born_key, {stored.id: born})
        )
        # A response expires at most ttl_seconds after its put: the set outlives its members.
        full_ttl_ms = max(1, math.ceil(self.ttl_seconds * 1000))
        for item_id in item_ids:
            item_key = self._item_key(item_id)
            batch.add("zadd", item_key, {stored.id: at})
            batch.add("zremrangebyscore", item_key, "-inf", f"({at - self.ttl_seconds!r}")
            batch.add("pexpire", item_key, full_ttl_ms)
        yield batch
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + SWEEP_INTERVAL_SECONDS
            yield from self._remove_by_score(self._exp_key, at, inclusive=True, batches=1)
        return None

    def _delete_steps(self, id: str, owner: str | None) -> _Steps[bool]:
        check_id(id)
        check_owner(owner)
        (raw,) = yield _Batch().add("get", self._record_key(id))
        stored = self._decode(id, raw, owner, now())
        if stored is None:
            return False
        batch = (
            _Batch(atomic=True)
            .add("delete", self._record_key(id), self._ancestors_key(id))
            .add("zrem", self._exp_key, id)
            .add("zrem", self._born_key, id)
        )
        for item_id in items_by_id(stored):
            batch.add("zrem", self._item_key(item_id), id)
        results = yield batch
        return bool(results[0])

    def _chain_steps(self, id: str, owner: str | None, limit: int) -> _Steps[list[StoredResponse]]:
        check_id(id)
        check_owner(owner)
        check_limit(limit)
        lookup: dict[str, StoredResponse | None] = {}
        pending = id
        while True:
            (pair,) = yield _Batch().add(
                "mget", [self._record_key(pending), self._ancestors_key(pending)]
            )
            raw, ancestors_raw = pair
            at = now()
            lookup[pending] = self._decode(pending, raw, owner, at)
            wanted = [a for a in reversed(_id_list(ancestors_raw)) if a not in lookup]
            wanted = wanted[: max(0, limit + 1 - len(lookup))]  # newest first, as many as needed
            if lookup[pending] is not None and wanted:
                (raws,) = yield _Batch().add("mget", [self._record_key(a) for a in wanted])
                for ancestor, ancestor_raw in zip(wanted, raws, strict=True):
                    lookup[ancestor] = self._decode(ancestor, ancestor_raw, owner, at)
            result = order_chain(id, owner, limit, lookup)
            if not isinstance(result, str):
                return result
            pending = result

    def _find_items_steps(
        self, ids: Sequence[str], owner: str | None
    ) -> _Steps[dict[str, dict[str, Any]]]:
        wanted = check_item_ids(ids)
        check_owner(owner)
        found: dict[str, dict[str, Any]] = {}
        held: dict[str, dict[str, dict[str, Any]]] = {}  # response id -> its items ({} if unseen)
        pending = wanted
        start = 0
        while pending:
            # The next ITEM_CANDIDATES responses holding each id still pending, newest first ...
            batch = _Batch()
            for item_id in pending:
                batch.add("zrevrange", self._item_key(item_id), start, start + ITEM_CANDIDATES - 1)
            pages = yield batch
            candidates = {
                item_id: [_text(member) for member in page]
                for item_id, page in zip(pending, pages, strict=True)
            }
            # ... then every record not read yet, in one MGET.
            unread = list(
                dict.fromkeys(r for page in candidates.values() for r in page if r not in held)
            )
            if unread:
                (raws,) = yield _Batch().add("mget", [self._record_key(r) for r in unread])
                at = now()
                for response_id, raw in zip(unread, raws, strict=True):
                    stored = self._decode(response_id, raw, owner, at)
                    held[response_id] = {} if stored is None else items_by_id(stored)
            next_pending = []
            for item_id, page in candidates.items():
                for response_id in page:
                    item = held[response_id].get(item_id)
                    if item is not None:
                        found[item_id] = item
                        break
                else:
                    if len(page) == ITEM_CANDIDATES:  # older responses may hold it: read on
                        next_pending.append(item_id)
            pending = next_pending
            start += ITEM_CANDIDATES
        return {item_id: found[item_id] for item_id in wanted if item_id in found}

    def _purge_steps(self, older_than: float | None) -> _Steps[int]:
        cutoff = check_older_than(older_than)
        at = now()
        self._next_sweep = time.monotonic() + SWEEP_INTERVAL_SECONDS
        removed = yield from self._remove_by_score(self._exp_key, at, inclusive=True)
        if cutoff is not None:
            removed += yield from self._remove_by_score(
                self._born_key, at - cutoff, inclusive=False
            )
        return removed

    def _remove_by_score(
        self, index: str, bound: float, *, inclusive: bool, batches: int | None = None
    ) -> _Steps[int]:
        """Remove the responses whose score in ``index`` is below ``bound``: their keys (if Redis
        has not expired them already) and their entries in both sets."""
        maximum = bound if inclusive else f"({bound!r}"
        removed = 0
        done = 0
        while batches is None or done < batches:
            done += 1
            (raw_ids,) = yield _Batch().add(
                "zrangebyscore", index, "-inf", maximum, start=0, num=BATCH
            )
            ids = [_text(raw) for raw in raw_ids]
            if not ids:
                break
            keys = [key for i in ids for key in (self._record_key(i), self._ancestors_key(i))]
            yield (
                _Batch(atomic=True)
                .add("delete", *keys)
                .add("zrem", self._exp_key, *ids)
                .add("zrem", self._born_key, *ids)
            )
            removed += len(ids)
            if len(ids) < BATCH:
                break
        return removed

    # --- sync API -------------------------------------------------------------------------

    def get(self, id: str, *, owner: str | None = None) -> StoredResponse | None:
        return self._run(self._get_steps(id, owner))

    def put(self, stored: StoredResponse) -> None:
        self._run(self._put_steps(stored))

    def delete(self, id: str, *, owner: str | None = None) -> bool:
        return self._run(self._delete_steps(id, owner))

    def chain(
        self, id: str, *, owner: str | None = None, limit: int = DEFAULT_CHAIN_LIMIT
    ) -> list[StoredResponse]:
        return self._run(self._chain_steps(id, owner, limit))

    def find_items(
        self, ids: Sequence[str], *, owner: str | None = None
    ) -> dict[str, dict[str, Any]]:
        return self._run(self._find_items_steps(ids, owner))

    def purge(self, *, older_than: float | None = None) -> int:
        return self._run(self._purge_steps(older_than))

    def close(self) -> None:
        """Close the sync client and forget the async ones (``aclose()`` closes this loop's)."""
        with self._lock:
            self._closed = True
            client, self._client = self._client, None
            self._async_clients = weakref.WeakKeyDictionary()
        if client is not None:
            client.close()

    # --- async API ------------------------------------------------------------------------

    async def aget(self, id: str, *, owner: str | None = None) -> StoredResponse | None:
        return await self._arun(self._get_steps(id, owner))

    async def aput(self, stored: StoredResponse) -> None:
        await self._arun(self._put_steps(stored))

    async def adelete(self, id: str, *, owner: str | None = None) -> bool:
        return await self._arun(self._delete_steps(id, owner))

    async def achain(
        self, id: str, *, owner: str | None = None, limit: int = DEFAULT_CHAIN_LIMIT
    ) -> list[StoredResponse]:
        return await self._arun(self._chain_steps(id, owner, limit))

    async def afind_items(
        self, ids: Sequence[str], *, owner: str | None = None
    ) -> dict[str, dict[str, Any]]:
        return await self._arun(self._find_items_steps(ids, owner))

    async def apurge(self, *, older_than: float | None = None) -> int:
        return await self._arun(self._purge_steps(older_than))

    async def aclose(self) -> None:
        """Close this event loop's client, then everything ``close()`` closes."""
        client = self._async_clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()
        self.close()


def _text(raw: bytes | str) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw


def _id_list(raw: bytes | None) -> list[str]:
    if raw is None:
        return []
    try:
        value = loads(raw)
    except ValueError:
        log.warning("an ancestor list in Redis is damaged and was ignored")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return []
    return value
