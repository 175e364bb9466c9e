"""What every response store shares: the record, the protocol, the errors, the JSON encoding.

A stored response is the user's data: its input items as sent (after normalisation) and its output
items as returned, encrypted reasoning included. Every store keeps the same semantics:

- ``get``/``delete``/``chain`` see a response only when its ``owner`` equals the caller's (``None``
  is an owner like any other: the SDK's), and only until it expires. Anything else looks unknown.
- A response expires ``ttl_seconds`` after it was created (``created_at``, or the time of the
  ``put`` when ``created_at`` lies in the future).
- ``purge(older_than=None)`` removes what has expired; ``purge(older_than=S)`` also removes what
  was created more than ``S`` seconds ago, whoever owns it.
- ``find_items(ids)`` resolves ``item_reference`` inputs: every item with an ``id`` (output items
  as returned, input items that carry one) is indexed on ``put``. An item id found in several
  responses resolves to the one stored last that the caller may see; within one response the
  output items win over its input items (the last occurrence wins).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import pydantic_core

from chatgpt_sdk.errors import ChatGPTError

log = logging.getLogger("chatgpt_sdk.stores")

DEFAULT_TTL_SECONDS = 30 * 86400
"""As long as the OpenAI API keeps a response: 30 days."""
DEFAULT_CHAIN_LIMIT = 1000
MAX_ID_LENGTH = 512


class ResponseNotFound(ChatGPTError, LookupError):
    """No stored response with this id that the caller may see: unknown, expired or another owner's.

    ``id`` names the missing response; in a ``chain()`` it is the missing link, which need not be
    the id that was asked for.
    """

    id: str

    def __init__(self, id: str, message: str | None = None) -> None:
        super().__init__(
            message
            or f"No stored response with id {id!r} (unknown, expired, deleted or not yours)."
        )
        self.id = id

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.id, self.message))


class ResponseChainTooLong(ChatGPTError, ValueError):
    """A ``chain()`` longer than its ``limit`` (or a chain whose links form a cycle).

    Raised rather than cutting the chain: a conversation never loses its beginning silently.
    """

    id: str
    limit: int

    def __init__(self, id: str, limit: int, message: str | None = None) -> None:
        super().__init__(
            message
            or f"The conversation ending with response {id!r} is longer than {limit} responses."
        )
        self.id = id
        self.limit = limit

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.id, self.limit, self.message))


def _check_str(name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        kind = "a string or None" if optional else "a string"
        raise TypeError(f"StoredResponse.{name} must be {kind}, not {type(value).__name__}")


def _check_items(name: str, value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise TypeError(f"StoredResponse.{name} must be a list of dicts (JSON objects)")


@dataclass(frozen=True)
class StoredResponse:
    """One response as a store keeps it. Items and ``response`` are JSON data (dicts, lists, str...)."""

    id: str
    model: str
    created_at: float
    input_items: list[dict[str, Any]]
    output_items: list[dict[str, Any]]
    previous_response_id: str | None = None
    owner: str | None = None
    response: dict[str, Any] | None = field(default=None, repr=False)
    instructions: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        _check_str("id", self.id)
        if not self.id or len(self.id) > MAX_ID_LENGTH:
            raise ValueError(f"StoredResponse.id must be 1 to {MAX_ID_LENGTH} characters")
        _check_str("model", self.model)
        if isinstance(self.created_at, bool) or not isinstance(self.created_at, (int, float)):
            raise TypeError("StoredResponse.created_at must be a number (unix seconds)")
        if not math.isfinite(self.created_at):
            raise ValueError("StoredResponse.created_at must be finite")
        _check_items("input_items", self.input_items)
        _check_items("output_items", self.output_items)
        _check_str("previous_response_id", self.previous_response_id, optional=True)
        if self.previous_response_id == self.id:
            raise ValueError("StoredResponse.previous_response_id cannot be its own id")
        if self.previous_response_id is not None and not self.previous_response_id:
            raise ValueError("StoredResponse.previous_response_id must be None or non-empty")
        _check_str("owner", self.owner, optional=True)
        if self.response is not None and not isinstance(self.response, dict):
            raise TypeError("StoredResponse.response must be a dict or None")
        _check_str("instructions", self.instructions, optional=True)


@runtime_checkable
class ResponseStore(Protocol):
    """Where stored responses live. Every method has an async twin (``a`` + its name)."""

    def get(self, id: str, *, owner: str | None = None) -> StoredResponse | None:
        """The response, or None when it is unknown, expired or another owner's."""
        ...

    def put(self, stored: StoredResponse) -> None:
        """Store (or replace) a response; it expires ``ttl_seconds`` after ``created_at``."""
        ...

    def delete(self, id: str, *, owner: str | None = None) -> bool:
        """Remove the response; False when there was none the owner could see."""
        ...

    def chain(
        self, id: str, *, owner: str | None = None, limit: int = DEFAULT_CHAIN_LIMIT
    ) -> list[StoredResponse]:
        """The conversation ending with ``id``, oldest first (follows ``previous_response_id``).

        Raises ``ResponseNotFound`` naming the first missing link (unknown, expired or foreign),
        ``ResponseChainTooLong`` past ``limit`` responses.
        """
        ...

    def find_items(
        self, ids: Sequence[str], *, owner: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """The stored items with these ids (``item_reference``), as ``{id: item}``.

        An id is found when an item with that ``id`` is in a stored response the owner may see
        (not expired): the newest such response (stored last) wins. Ids not found (unknown,
        expired, deleted or another owner's) are absent from the result.
        """
        ...

    def purge(self, *, older_than: float | None = None) -> int:
        """Remove expired responses, and with ``older_than`` (seconds) those created before then.

        Returns how many were removed.
        """
        ...

    def close(self) -> None: ...

    async def aget(self, id: str, *, owner: str | None = None) -> StoredResponse | None: ...

    async def aput(self, stored: StoredResponse) -> None: ...

    async def adelete(self, id: str, *, owner: str | None = None) -> bool: ...

    async def achain(
        self, id: str, *, owner: str | None = None, limit: int = DEFAULT_CHAIN_LIMIT
    ) -> list[StoredResponse]: ...

    async def afind_items(
        self, ids: Sequence[str], *, owner: str | None = None
    ) -> dict[str, dict[str, Any]]: ...

    async def apurge(self, *, older_than: float | None = None) -> int: ...

    async def aclose(self) -> None: ...


# --- argument checks shared by the stores ---------------------------------------------------


def check_id(id: object) -> str:
    if not isinstance(id, str):
        raise TypeError(f"id must be a string, not {type(id).__name__}")
    return id


def check_owner(owner: object) -> str | None:
    if owner is not None and not isinstance(owner, str):
        raise TypeError(f"owner must be a string or None, not {type(owner).__name__}")
    return owner


def check_item_ids(ids: object) -> list[str]:
    """The ids of a ``find_items`` call, each once, in order; those that no item can have (empty
    or longer than ``MAX_ID_LENGTH``) are left out."""
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise TypeError(
            f"ids must be a sequence of strings (a list, a tuple), not {type(ids).__name__}"
        )
    unique: dict[str, None] = {}
    for item_id in ids:
        if not isinstance(item_id, str):
            raise TypeError(f"every id must be a string, not {type(item_id).__name__}")
        if 0 < len(item_id) <= MAX_ID_LENGTH:
            unique[item_id] = None
    return list(unique)


def check_stored(stored: object) -> StoredResponse:
    if not isinstance(stored, StoredResponse):
        raise TypeError(f"put() takes a StoredResponse, not {type(stored).__name__}")
    return stored


def check_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise TypeError(f"limit must be an int, not {type(limit).__name__}")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    return limit


def check_older_than(older_than: object) -> float | None:
    if older_than is None:
        return None
    if isinstance(older_than, bool) or not isinstance(older_than, (int, float)):
        raise TypeError(f"older_than must be a number of seconds, not {type(older_than).__name__}")
    if not older_than >= 0:  # also rejects NaN
        raise ValueError(f"older_than must be >= 0 seconds, got {older_than}")
    return float(older_than)


def check_ttl(ttl_seconds: object) -> float:
    if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, (int, float)):
        raise TypeError(f"ttl_seconds must be a number, not {type(ttl_seconds).__name__}")
    if not (ttl_seconds > 0 and math.isfinite(ttl_seconds)):
        raise ValueError(f"ttl_seconds must be a positive number of seconds, got {ttl_seconds}")
    return float(ttl_seconds)


def born_at(stored: StoredResponse, now: float) -> float:
    """When a response's lifetime starts: its ``created_at``, never later than now."""
    return min(float(stored.created_at), now)


def now() -> float:
    return time.time()


# --- the JSON encoding ----------------------------------------------------------------------


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON (pydantic-core: fast, no spaces, non-ASCII kept as is)."""
    return pydantic_core.to_json(data)


def loads(raw: bytes | str) -> Any:
    return json.loads(raw)


def body_of(stored: StoredResponse) -> dict[str, Any]:
    """The fields that are not indexed (the rest lives in columns / keys of their own)."""
    return {
        "model": stored.model,
        "input_items": stored.input_items,
        "output_items": stored.output_items,
        "response": stored.response,
        "instructions": stored.instructions,
    }


def record_of(stored: StoredResponse) -> dict[str, Any]:
    """Everything, as one JSON object (Redis and memory keep it whole)."""
    return {
        "id": stored.id,
        "created_at": stored.created_at,
        "previous_response_id": stored.previous_response_id,
        "owner": stored.owner,
        **body_of(stored),
    }


def from_parts(
    *,
    id: str,
    created_at: float,
    previous_response_id: str | None,
    owner: str | None,
    body: Any,
) -> StoredResponse | None:
    """A ``StoredResponse`` from what a store read back; None (and a warning) if it is damaged."""
    try:
        if not isinstance(body, dict):
            raise TypeError("not a JSON object")
        return StoredResponse(
            id=id,
            model=body["model"],
            created_at=created_at,
            input_items=body["input_items"],
            output_items=body["output_items"],
            previous_response_id=previous_response_id,
            owner=owner,
            response=body.get("response"),
            instructions=body.get("instructions"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("stored response %r is damaged and was ignored: %s", id, exc)
        return None


def decode_record(id: str, raw: bytes | str | None) -> tuple[dict[str, Any], StoredResponse] | None:
    """Decode what ``dumps(record_of(...))`` wrote: the JSON object and the response; None if
    missing or damaged (a warning is logged)."""
    if raw is None:
        return None
    try:
        record = loads(raw)
    except (ValueError, RecursionError) as exc:
        log.warning("stored response %r is damaged and was ignored: %s", id, exc)
        return None
    if not isinstance(record, dict) or record.get("id") != id:
        log.warning("stored response %r is damaged and was ignored: wrong shape", id)
        return None
    stored = from_parts(
        id=id,
        created_at=record.get("created_at"),  # type: ignore[arg-type]  # checked by StoredResponse
        previous_response_id=record.get("previous_response_id"),
        owner=record.get("owner"),
        body=record,
    )
    return None if stored is None else (record, stored)


def from_record(id: str, raw: bytes | str | None) -> StoredResponse | None:
    decoded = decode_record(id, raw)
    return None if decoded is None else decoded[1]


# --- items by id ----------------------------------------------------------------------------


def _is_item_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH


def item_positions(
    input_items: Any, output_items: Any
) -> Iterator[tuple[str, bool, int, dict[str, Any]]]:
    """``(id, in_output, position, item)`` for every item that has an id, input items first: where
    an id occurs twice, the last occurrence is the one to keep."""
    for in_output, items in ((False, input_items), (True, output_items)):
        if not isinstance(items, list):
            continue
        for position, item in enumerate(items):
            if isinstance(item, dict) and _is_item_id(item.get("id")):
                yield item["id"], in_output, position, item


def items_by_id(stored: StoredResponse) -> dict[str, dict[str, Any]]:
    """The items of a response that have an id, by id (the last occurrence wins, so an output item
    beats an input item with the same id)."""
    return {
        item_id: item
        for item_id, _, _, item in item_positions(stored.input_items, stored.output_items)
    }


def order_chain(
    id: str,
    owner: str | None,
    limit: int,
    lookup: dict[str, StoredResponse | None],
) -> list[StoredResponse] | str:
    """Walk ``previous_response_id`` links from ``id`` through ``lookup`` (id -> response or None).

    Returns the chain oldest first when it is complete; else the first link that ``lookup`` does
    not hold (the caller fetches more and calls again); raises for a missing/foreign link, a cycle
    or a chain past ``limit``.
    """
    newest_first: list[StoredResponse] = []
    seen: set[str] = set()
    current: str | None = id
    while current is not None:
        if current in seen:
            raise ResponseChainTooLong(
                id, limit, f"The conversation ending with response {id!r} forms a cycle."
            )
        if len(newest_first) >= limit:
            raise ResponseChainTooLong(id, limit)
        if current not in lookup:
            return current
        stored = lookup[current]
        if stored is None or stored.owner != owner:
            raise ResponseNotFound(current)
        seen.add(current)
        newest_first.append(stored)
        current = stored.previous_response_id
    newest_first.reverse()
    return newest_first
