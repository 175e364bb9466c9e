"""``SQLiteResponseStore``: the default store, one SQLite file on this machine (stdlib ``sqlite3``).

- **Private**: the file (and its ``-wal``/``-shm`` companions, which SQLite creates with the file's
  mode) is 0600, a directory we create is 0700, whatever the umask.
- **Several threads and processes**: WAL mode (readers never wait for the writer), a connection
  per thread, a busy timeout for writers, every write a single statement (a transaction of its
  own), so a process killed mid-write leaves the file as it was before that write.
- **Bounded**: a row expires ``ttl_seconds`` after it was created; past ``max_bytes`` the oldest
  rows go. A daemon thread removes both, at most once per ``cleanup_interval`` (started by a
  ``put``), in small batches on a connection of its own, so requests never wait for it.
- **Fast chains**: ``chain()`` is one recursive query over ``previous_response_id``.
- **Items by id**: ``response_items`` maps every item id to the responses holding it (and where);
  ``put`` rewrites a response's rows in the same transaction, a trigger removes them with the
  response (delete, purge, expiry, size cap), and ``find_items()`` is one query for up to
  ``FIND_BATCH`` ids. Files of schema 1 are indexed when first opened by this version.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chatgpt_sdk.stores import _sqlite_file as sql
from chatgpt_sdk.stores._base import (
    DEFAULT_CHAIN_LIMIT,
    DEFAULT_TTL_SECONDS,
    StoredResponse,
    body_of,
    born_at,
    check_id,
    check_item_ids,
    check_limit,
    check_older_than,
    check_owner,
    check_stored,
    check_ttl,
    dumps,
    from_parts,
    loads,
    log,
    now,
    order_chain,
)

DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB
DEFAULT_CLEANUP_INTERVAL = 60.0
DEFAULT_BUSY_TIMEOUT = 10.0
FIND_BATCH = 500  # ids per find_items() query (SQLite allowed 999 parameters before 3.32)
BATCH = 500  # rows per cleanup statement: a short write lock, then others get their turn
SIZE_CAP_TARGET = 0.9  # past max_bytes, remove the oldest rows until 90% of it is used


class SQLiteResponseStore:
    """Stored responses in one SQLite file (default: ``default_store_path()``).

    ``ttl_seconds``: how long a response is kept after it was created (30 days).
    ``max_bytes``: past this many bytes of data the oldest responses are removed (1 GiB; None:
    no cap). ``cleanup_interval``: seconds between background cleanups (None: only ``purge()``
    and ``cleanup()`` remove anything). ``busy_timeout``: how long a writer waits for another.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_bytes: int | None = DEFAULT_MAX_BYTES,
        cleanup_interval: float | None = DEFAULT_CLEANUP_INTERVAL,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> None:
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str, a PathLike or None, not {type(path).__name__}")
        self.ttl_seconds = check_ttl(ttl_seconds)
        if max_bytes is not None and (
            isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1
        ):
            raise ValueError(f"max_bytes must be a positive int or None, got {max_bytes!r}")
        self.max_bytes = max_bytes
        if cleanup_interval is not None and not (
            isinstance(cleanup_interval, (int, float)) and cleanup_interval >= 0
        ):
            raise ValueError(f"cleanup_interval must be >= 0 or None, got {cleanup_interval!r}")
        self.cleanup_interval = None if cleanup_interval is None else float(cleanup_interval)
        if not (isinstance(busy_timeout, (int, float)) and busy_timeout >= 0):
            raise ValueError(f"busy_timeout must be >= 0 seconds, got {busy_timeout!r}")
        self.busy_timeout = float(busy_timeout)

        is_default = path is None or (isinstance(path, str) and not path)
        self.path = sql.default_store_path() if is_default else Path(os.fspath(path)).expanduser()  # type: ignore[arg-type]
        self._lock = threading.Lock()
        self._local = threading.local()
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._abandoned: list[sqlite3.Connection] = []  # inherited across fork(): never used
        self._pid = os.getpid()
        self._closed = False
        self._stop = threading.Event()
        self._cleanup_lock = threading.Lock()
        self._cleanup_thread: threading.Thread | None = None
        self._next_cleanup = time.monotonic()

        sql.make_private_directory(self.path.parent, tighten=is_default)
        sql.make_private_file(self.path)
        self._initialise(self._connection())

    def __repr__(self) -> str:
        return f"SQLiteResponseStore({str(self.path)!r}, ttl_seconds={self.ttl_seconds!r})"

    def __enter__(self) -> SQLiteResponseStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- connections ----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                os.fspath(self.path),
                timeout=self.busy_timeout,
                isolation_level=None,  # autocommit: every statement is its own transaction
                check_same_thread=False,  # close() closes every thread's connection
            )
        except sqlite3.Error as exc:
            raise sqlite3.OperationalError(
                f"Cannot open the response store {self.path}: {exc}"
            ) from exc
        try:
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL: safe against a killed process
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise sqlite3.DatabaseError(
                f"{self.path} is not a response store (SQLite says: {exc}); move it away or "
                "choose another path"
            ) from exc
        return conn

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection (made on first use)."""
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")
        if os.getpid() != self._pid:
            self._forget_after_fork()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        conn = self._connect()
        with self._lock:
            if self._closed:
                conn.close()
                raise RuntimeError(f"{self!r} is closed")
            for thread in [t for t in self._connections if not t.is_alive()]:
                with contextlib.suppress(sqlite3.Error):
                    self._connections.pop(thread).close()
            self._connections[threading.current_thread()] = conn
        self._local.conn = conn
        return conn

    def _forget_after_fork(self) -> None:
        with self._lock:
            self._abandoned.extend(self._connections.values())
            self._connections = {}
            self._local = threading.local()
            self._pid = os.getpid()
            self._cleanup_thread = None

    def _initialise(self, conn: sqlite3.Connection) -> None:
        try:
            # Before the first table exists only: lets cleanups give pages back to the disk.
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("response store %s: journal mode is %s, not WAL", self.path, mode)
            conn.execute("PRAGMA journal_size_limit = 67108864")  # 64 MiB of WAL kept at most
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > sql.SCHEMA_VERSION:
                    raise sqlite3.DatabaseError(
                        f"The response store {self.path} was written by a newer chatgpt-sdk "
                        f"(schema {version}); upgrade chatgpt-sdk or choose another path"
                    )
                for statement in sql.SCHEMA:
                    conn.execute(statement)
                if version < 2:
                    self._index_existing(conn)
                if version < sql.SCHEMA_VERSION:
                    conn.execute(f"PRAGMA user_version = {sql.SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            self.close()
            if str(self.path) in str(exc):
                raise
            raise sqlite3.DatabaseError(
                f"{self.path} is not a usable response store (SQLite says: {exc}); move it away "
                "or choose another path"
            ) from exc

    @staticmethod
    def _index_existing(conn: sqlite3.Connection) -> None:
        """Schema 1 to 2: index the items of the responses already stored (once)."""
        rows = conn.execute("SELECT id, born, body FROM responses")
        for response_id, born, body in rows:
            parsed = _json(body)
            if isinstance(parsed, dict):
                conn.executemany(
                    sql.PUT_ITEM,
                    sql.item_rows(
                        response_id, born, parsed.get("input_items"), parsed.get("output_items")
                    ),
                )

    # --- sync API -------------------------------------------------------------------------

    def get(self, id: str, *, owner: str | None = None) -> StoredResponse | None:
        check_id(id)
        check_owner(owner)
        row = self._connection().execute(sql.GET, (id, owner, now())).fetchone()
        if row is None:
            return None
        created_at, previous, body = row
        return from_parts(
            id=id,
            created_at=created_at,
            previous_response_id=previous,
            owner=owner,
            body=_json(body),
        )

    def put(self, stored: StoredResponse) -> None:
        check_stored(stored)
        body = dumps(body_of(stored))
        at = now()
        born = born_at(stored, at)
        expires_at = born + self.ttl_seconds
        items = sql.item_rows(stored.id, at, stored.input_items, stored.output_items)
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")  # the response and its items, or neither
        try:
            conn.execute("DELETE FROM response_items WHERE response_id = ?", (stored.id,))
            if expires_at <= at:  # already past its lifetime: keep nothing, not even an older copy
                conn.execute("DELETE FROM responses WHERE id = ?", (stored.id,))
            else:
                conn.execute(
                    sql.PUT,
                    (
                        stored.id,
                        stored.owner,
                        stored.previous_response_id,
                        float(stored.created_at),
                        born,
                        expires_at,
                        body,
                    ),
                )
                if items:
                    conn.executemany(sql.PUT_ITEM, items)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        self._maybe_cleanup()

    def delete(self, id: str, *, owner: str | None = None) -> bool:
        check_id(id)
        check_owner(owner)
        cursor = self._connection().execute(sql.DELETE, (id, owner, now()))
        return cursor.rowcount > 0

    def chain(
        self, id: str, *, owner: str | None = None, limit: int = DEFAULT_CHAIN_LIMIT
    ) -> list[StoredResponse]:
        check_id(id)
        check_owner(owner)
        check_limit(limit)
        at = now()
        rows = self._connection().execute(sql.CHAIN, (id, owner, at, limit)).fetchall()
        lookup: dict[str, StoredResponse | None] = {}
        for link_id, row_owner, expires_at, created_at, previous, body in rows:
            if link_id in lookup:
                continue  # a cycle: order_chain reports it
            if expires_at is None or row_owner != owner or expires_at <= at:
                lookup[link_id] = None
            else:
                lookup[link_id] = from_parts(
                    id=link_id,
                    created_at=created_at,
                    previous_response_id=previous,
                    owner=row_owner,
                    body=_json(body),
                )
        result = order_chain(id, owner, limit, lookup)
        assert not isinstance(result, str)  # the query returns every link up to limit + 1
        return result

    def find_items(
        self, ids: Sequence[str], *, owner: str | None = None
    ) -> dict[str, dict[str, Any]]:
        wanted = check_item_ids(ids)
        check_owner(owner)
        conn = self._connection()
        at = now()
        found: dict[str, dict[str, Any]] = {}
        bodies: dict[str, Any] = {}  # response id -> parsed body, each parsed at most once
        for start in range(0, len(wanted), FIND_BATCH):
            batch = wanted[start : start + FIND_BATCH]
            statement = sql.FIND_ITEMS.format(marks=", ".join("?" * len(batch)))
            for item_id, in_output, position, response_id, body in conn.execute(
                statement, (*batch, owner, at)
            ):
                if item_id in found:
                    continue  # a newer response holds it
                if response_id not in bodies:
                    bodies[response_id] = _json(body)
                item = sql.item_at(bodies[response_id], item_id, bool(in_output), position)
                if item is not None:
                    found[item_id] = item
        return {item_id: found[item_id] for item_id in wanted if item_id in found}

    def purge(self, *, older_than: float | None = None) -> int:
        cutoff = check_older_than(older_than)
        conn = self._connection()
        at = now()
        removed = self._delete_batches(conn, sql.PURGE_EXPIRED, at)
        if cutoff is not None:
            removed += self._delete_batches(conn, sql.PURGE_BORN_BEFORE, at - cutoff)
        if removed:
            self._give_back_space(conn)
        return removed

    def cleanup(self) -> int:
        """What the background cleanup does, now: remove expired rows, then the oldest rows past
        ``max_bytes``. Returns how many rows were removed."""
        return self._cleanup(self._connection())

    def used_bytes(self) -> int:
        """Bytes of the file that hold data (free pages not counted)."""
        return self._used_bytes(self._connection())

    def close(self) -> None:
        """Close every connection and stop the background cleanup. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._stop.set()
            connections = list(self._connections.values())
            self._connections.clear()
        thread = self._cleanup_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self.busy_timeout + 5)
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    # --- async twins: the same work in a worker thread (each has its own connection) --------

    async def aget(self, id: str, *, owner: str | None = None) -> StoredResponse | None:
        return await asyncio.to_thread(self.get, id, owner=owner)

    async def aput(self, stored: StoredResponse) -> None:
        await asyncio.to_thread(self.put, stored)

    async def adelete(self, id: str, *, owner: str | None = None) -> bool:
        return await asyncio.to_thread(self.delete, id, owner=owner)

    async def achain(
        self, id: str, *, owner: str | None = None, limit: int = DEFAULT_CHAIN_LIMIT
    ) -> list[StoredResponse]:
        return await asyncio.to_thread(self.chain, id, owner=owner, limit=limit)

    async def afind_items(
        self, ids: Sequence[str], *, owner: str | None = None
    ) -> dict[str, dict[str, Any]]:
        return await asyncio.to_thread(self.find_items, ids, owner=owner)

    async def apurge(self, *, older_than: float | None = None) -> int:
        return await asyncio.to_thread(self.purge, older_than=older_than)

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)

    # --- cleanup --------------------------------------------------------------------------

    def _maybe_cleanup(self) -> None:
        if self.cleanup_interval is None or time.monotonic() < self._next_cleanup:
            return
        with self._cleanup_lock:
            if time.monotonic() < self._next_cleanup or self._closed:
                return
            running = self._cleanup_thread
            if running is not None and running.is_alive():
                return
            self._next_cleanup = time.monotonic() + self.cleanup_interval
            thread = threading.Thread(
                target=self._cleanup_in_background, name="chatgpt-sdk-store-cleanup", daemon=True
            )
            self._cleanup_thread = thread
            thread.start()

    def _cleanup_in_background(self) -> None:
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            log.warning("response store cleanup could not open %s: %s", self.path, exc)
            return
        try:
            removed = self._cleanup(conn)
            if removed:
                log.debug("response store %s: %d responses removed", self.path, removed)
        except sqlite3.Error as exc:  # busy past the timeout, disk full...: try again next time
            log.warning("response store cleanup of %s failed: %s", self.path, exc)
        finally:
            conn.close()

    def _cleanup(self, conn: sqlite3.Connection) -> int:
        removed = self._delete_batches(conn, sql.PURGE_EXPIRED, now())
        if self.max_bytes is not None:
            removed += self._enforce_size_cap(conn, self.max_bytes)
        if removed:
            self._give_back_space(conn)
        return removed

    def _delete_batches(self, conn: sqlite3.Connection, statement: str, bound: float) -> int:
        removed = 0
        while not self._stop.is_set():
            count = conn.execute(statement, (bound, BATCH)).rowcount
            removed += count
            if count < BATCH:
                break
        return removed

    @staticmethod
    def _used_bytes(conn: sqlite3.Connection) -> int:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        return int((pages - free) * page_size)

    def _enforce_size_cap(self, conn: sqlite3.Connection, max_bytes: int) -> int:
        used = self._used_bytes(conn)
        if used <= max_bytes:
            return 0
        target = max_bytes * SIZE_CAP_TARGET
        removed = 0
        while used > target and not self._stop.is_set():
            rows = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
            if rows == 0:
                break
            per_row = used / rows
            batch = min(BATCH, max(1, math.ceil((used - target) / per_row)))
            count = conn.execute(sql.PURGE_OLDEST, (batch,)).rowcount
            if count == 0:
                break
            removed += count
            used = self._used_bytes(conn)
        if removed:
            log.info(
                "response store %s passed max_bytes=%d: the %d oldest responses were removed",
                self.path,
                max_bytes,
                removed,
            )
        return removed

    @staticmethod
    def _give_back_space(conn: sqlite3.Connection) -> None:
        with contextlib.suppress(sqlite3.Error):  # busy: the pages stay free for reuse
            conn.execute("PRAGMA incremental_vacuum").fetchall()


def _json(body: Any) -> Any:
    try:
        return loads(body)
    except (ValueError, TypeError, RecursionError):
        return None  # from_parts reports it as damaged
