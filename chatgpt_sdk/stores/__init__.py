"""Response stores: what the ChatGPT backend does not keep (it stores nothing), kept here.

Behind ``previous_response_id``, ``item_reference`` and ``GET /v1/responses/{id}``: every response
that is stored keeps its input items (as sent, after normalisation) and its output items (as
returned, encrypted reasoning included). Three stores share one protocol and the same semantics:

- ``SQLiteResponseStore``: the default, one private file on this machine (``default_store_path()``);
- ``RedisResponseStore``: one Redis shared by several processes or machines (extra ``redis``);
- ``MemoryResponseStore``: a dict in this process.

``open_store(spec)`` turns the ``response_store`` setting (``"sqlite:///PATH"``,
``"redis://HOST:PORT/DB"``, ``"memory"``) into one. See docs/stores.md.
"""

from __future__ import annotations

from chatgpt_sdk.stores._base import (
    DEFAULT_TTL_SECONDS,
    ResponseChainTooLong,
    ResponseNotFound,
    ResponseStore,
    StoredResponse,
)
from chatgpt_sdk.stores._memory import MemoryResponseStore
from chatgpt_sdk.stores._redis import RedisResponseStore
from chatgpt_sdk.stores._sqlite import SQLiteResponseStore
from chatgpt_sdk.stores._sqlite_file import default_store_path
from chatgpt_sdk.stores._url import open_store

__all__ = [
    "DEFAULT_TTL_SECONDS",
    "MemoryResponseStore",
    "RedisResponseStore",
    "ResponseChainTooLong",
    "ResponseNotFound",
    "ResponseStore",
    "SQLiteResponseStore",
    "StoredResponse",
    "default_store_path",
    "open_store",
]
