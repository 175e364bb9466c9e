"""Stateful Responses on a stateless backend: ``previous_response_id`` and ``item_reference``
emulated from a response store (``chatgpt_sdk.stores``).

Pure functions; the clients and the proxy do the store's I/O around them. A stored response keeps
the new input items of its turn and its output items; a chain is replayed as those items, oldest
turn first, ahead of the new request's input, which is what the backend expects of a replay.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic_core import to_jsonable_python

from chatgpt_sdk import errors
from chatgpt_sdk.normalize import normalize_item

if TYPE_CHECKING:
    from chatgpt_sdk.models.responses import Response
    from chatgpt_sdk.stores import StoredResponse

__all__ = [
    "missing_store_error",
    "previous_not_found",
    "record",
    "reference_ids",
    "replay",
    "resolve_references",
    "unknown_references",
]

ENABLE = (
    "create the client with response_store='sqlite://' (a private file in your user data "
    "directory), 'memory' or a 'redis://HOST:PORT/DB' URL, or set CHATGPT_RESPONSE_STORE"
)


def missing_store_error(what: str) -> errors.BadRequestError:
    """``previous_response_id`` or an ``item_reference`` without a store to resolve it."""
    return errors.BadRequestError(
        f"{what} needs a response store: the ChatGPT backend stores nothing (store=false). "
        f"To keep conversations, {ENABLE}; or send the earlier items themselves in input.",
        status_code=400,
    )


def previous_not_found(response_id: str, missing: str | None = None) -> errors.BadRequestError:
    """The OpenAI API's 400 for a ``previous_response_id`` it cannot find."""
    link = f" (the chain breaks at {missing!r})" if missing and missing != response_id else ""
    message = (
        f"Previous response with id '{response_id}' not found{link}: it is unknown, expired, "
        "deleted or not yours."
    )
    return errors.BadRequestError(
        message,
        status_code=400,
        body={
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": "previous_response_id",
                "code": "previous_response_not_found",
            }
        },
    )


def reference_ids(items: Sequence[Any]) -> list[str]:
    """The ids the ``item_reference`` items of ``items`` name, in order."""
    return [
        str(item["id"])
        for item in items
        if isinstance(item, Mapping)
        and item.get("type", "item_reference") == "item_reference"
        and "id" in item
        and "role" not in item
    ]


def unknown_references(ids: Sequence[str], found: Mapping[str, Any]) -> errors.BadRequestError:
    missing = [i for i in ids if i not in found]
    named = ", ".join(repr(i) for i in missing)
    message = (
        f"Item(s) with id {named} not found in the response store: unknown, expired, deleted "
        "or not yours."
    )
    return errors.BadRequestError(
        message,
        status_code=400,
        body={
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": "input",
                "code": "item_not_found",
            }
        },
    )


def replay(chain: Sequence[StoredResponse]) -> list[Any]:
    """A stored chain as input items, oldest turn first, normalised as replayed items are."""
    return [
        normalize_item(item)
        for stored in chain
        for item in (*stored.input_items, *stored.output_items)
    ]


def resolve_references(items: Sequence[Any], referenced: Mapping[str, Any]) -> list[Any]:
    """``items`` with each ``item_reference`` replaced by the stored item it names."""
    return [
        normalize_item(referenced[item["id"]])
        if isinstance(item, Mapping)
        and "role" not in item
        and item.get("type", "item_reference") == "item_reference"
        and str(item.get("id")) in referenced
        else item
        for item in items
    ]


def record(
    response: Response,
    new_input: Sequence[Any],
    *,
    previous_response_id: str | None,
    owner: str | None = None,
    instructions: str | None = None,
) -> StoredResponse:
    """What to keep of a completed response: this turn's new input and the output as returned."""
    from chatgpt_sdk.stores import StoredResponse

    full = to_jsonable_python(response, by_alias=True, exclude_none=True)
    created = response.created_at if isinstance(response.created_at, (int, float)) else None
    return StoredResponse(
        id=response.id,
        model=str(response.model),
        created_at=float(created) if created else time.time(),
        input_items=list(new_input),
        output_items=list(full.get("output") or ()),
        previous_response_id=previous_response_id,
        owner=owner,
        response=full,
        instructions=instructions,
    )
