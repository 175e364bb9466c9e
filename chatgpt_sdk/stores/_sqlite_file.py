"""The SQLite store's file: where it lives and how it is made private, its schema, its
statements, and the rows that index a response's items."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from chatgpt_sdk.stores._base import item_positions

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700
SCHEMA_VERSION = 2  # 2: response_items

SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS responses (
        id TEXT PRIMARY KEY NOT NULL,
        owner TEXT,
        previous_response_id TEXT,
        created_at REAL NOT NULL,
        born REAL NOT NULL,
        expires_at REAL NOT NULL,
        body BLOB NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS responses_expires_at ON responses (expires_at)",
    "CREATE INDEX IF NOT EXISTS responses_born ON responses (born)",
    # Every item with an id: in which response, which list (input 0, output 1), which position;
    # stored_at (the time of the put) orders the responses holding the same item id.
    """
    CREATE TABLE IF NOT EXISTS response_items (
        item_id TEXT NOT NULL,
        response_id TEXT NOT NULL,
        in_output INTEGER NOT NULL,
        position INTEGER NOT NULL,
        stored_at REAL NOT NULL,
        PRIMARY KEY (item_id, response_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS response_items_response ON response_items (response_id)",
    # Whatever removes a response (delete, purge, expiry, the size cap) removes its items with it,
    # in the same statement. (INSERT OR REPLACE does not fire it: put() clears the rows itself.)
    """
    CREATE TRIGGER IF NOT EXISTS response_items_follow AFTER DELETE ON responses
    BEGIN
        DELETE FROM response_items WHERE response_id = old.id;
    END
    """,
)

GET = """
SELECT created_at, previous_response_id, body FROM responses
WHERE id = ?1 AND owner IS ?2 AND expires_at > ?3
"""

PUT = """
INSERT OR REPLACE INTO responses (id, owner, previous_response_id, created_at, born, expires_at, body)
VALUES (?, ?, ?, ?, ?, ?, ?)
"""

DELETE = "DELETE FROM responses WHERE id = ?1 AND owner IS ?2 AND expires_at > ?3"

PUT_ITEM = """
INSERT OR REPLACE INTO response_items (item_id, response_id, in_output, position, stored_at)
VALUES (?, ?, ?, ?, ?)
"""

# Every visible response holding one of the ids, the one stored last first: the caller keeps the
# first row per id (the next one if a body does not hold the item where the row says).
FIND_ITEMS = """
SELECT i.item_id, i.in_output, i.position, r.id, r.body
FROM response_items AS i JOIN responses AS r ON r.id = i.response_id
WHERE i.item_id IN ({marks}) AND r.owner IS ? AND r.expires_at > ?
ORDER BY i.stored_at DESC, r.id
"""

# The whole conversation in one round trip: follow previous_response_id while the link is visible
# (the caller's, not expired), at most ?4 links back; the LEFT JOIN also returns the first link
# that is not, so the caller can name it.
CHAIN = """
WITH RECURSIVE link (id, depth) AS (
    SELECT ?1, 0
    UNION ALL
    SELECT r.previous_response_id, link.depth + 1
    FROM link JOIN responses AS r ON r.id = link.id
    WHERE r.previous_response_id IS NOT NULL AND r.owner IS ?2 AND r.expires_at > ?3
        AND link.depth < ?4
)
SELECT link.id, r.owner, r.expires_at, r.created_at, r.previous_response_id, r.body
FROM link LEFT JOIN responses AS r ON r.id = link.id
ORDER BY link.depth
"""

PURGE_EXPIRED = """
DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses WHERE expires_at <= ? LIMIT ?)
"""
PURGE_BORN_BEFORE = """
DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses WHERE born < ? LIMIT ?)
"""
PURGE_OLDEST = """
DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses ORDER BY born LIMIT ?)
"""


def default_store_path() -> Path:
    """The default SQLite file: ``responses.sqlite3`` in the user data directory for chatgpt-sdk.

    On Linux ``~/.local/share/chatgpt-sdk/responses.sqlite3`` (``$XDG_DATA_HOME`` if set), on macOS
    ``~/Library/Application Support/chatgpt-sdk/``, on Windows ``%LOCALAPPDATA%\\chatgpt-sdk\\``:
    beside the token directory (the user config directory), as platformdirs places them.
    """
    import platformdirs  # only when the default location is actually needed

    return Path(platformdirs.user_data_dir("chatgpt-sdk", appauthor=False)) / "responses.sqlite3"


def make_private_directory(directory: Path, *, tighten: bool) -> None:
    """Create ``directory`` (and missing parents) 0700 whatever the umask; optionally tighten it."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process won the race
            os.mkdir(folder, DIRECTORY_MODE)
            os.chmod(folder, DIRECTORY_MODE)
    if tighten and not missing:
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(os.stat(directory).st_mode)
            if mode & 0o077:
                os.chmod(directory, mode & ~0o077)


def make_private_file(path: Path) -> None:
    """Create the database file 0600 (before SQLite does, with the umask's mode); tighten it and
    its companions if something made them readable by others."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        if hasattr(os, "fchmod") and stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            with contextlib.suppress(OSError):  # not ours to change: leave it
                os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            if stat.S_IMODE(os.stat(companion).st_mode) & 0o077:
                os.chmod(companion, FILE_MODE)


def item_rows(
    response_id: str, stored_at: float, input_items: Any, output_items: Any
) -> list[tuple[str, str, int, int, float]]:
    """The ``response_items`` rows of a response: one per item id, its last occurrence."""
    where = {
        item_id: (in_output, position)
        for item_id, in_output, position, _ in item_positions(input_items, output_items)
    }
    return [
        (item_id, response_id, int(in_output), position, stored_at)
        for item_id, (in_output, position) in where.items()
    ]


def item_at(body: Any, item_id: str, in_output: bool, position: int) -> dict[str, Any] | None:
    """The item ``item_id`` of a parsed body, where its row says it is (else its last occurrence
    anywhere in the body; None if the body does not hold it)."""
    if not isinstance(body, dict):
        return None
    items = body.get("output_items" if in_output else "input_items")
    if isinstance(items, list) and 0 <= position < len(items):
        item = items[position]
        if isinstance(item, dict) and item.get("id") == item_id:
            return item
    last = None
    for other_id, _, _, item in item_positions(body.get("input_items"), body.get("output_items")):
        if other_id == item_id:
            last = item
    return last
