"""The proxy keeps what the backend does not: a response store behind ``previous_response_id``,
``item_reference`` and ``/v1/responses/{id}`` (issue 12).

The backend stores nothing (``store`` is forced to false), so the proxy does, per owner: a keyed
digest of the API key a request came with (never the key itself), or None without keys. A
Responses request is resolved here before the shared client sees it (the stored chain's items
prepended, each ``item_reference`` replaced by the item it names) and sent with ``store: false``
and neither field; its reply is kept when it completes, before the client is told it did, so the
next turn always finds it. The pure pieces are ``chatgpt_sdk._stateful``'s, shared with the SDK.

Nothing here imports Starlette at module level: ``chatgpt-sdk responses purge`` uses the store
setting without the proxy extra.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chatgpt_sdk import errors
from chatgpt_sdk._stateful import (
    previous_not_found,
    record,
    reference_ids,
    replay,
    resolve_references,
    unknown_references,
)
from chatgpt_sdk.normalize import normalize_item
from chatgpt_sdk.server._errors import ProxyError
from chatgpt_sdk.stores import ResponseChainTooLong, ResponseNotFound, ResponseStore, open_store

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response as HTTPResponse

    from chatgpt_sdk.models.responses import Response

__all__ = [
    "OWNER",
    "STORE_ENV",
    "ApiKeys",
    "ResponseState",
    "Turn",
    "describe_store",
    "open_response_store",
    "owner_of",
    "response_store_setting",
]

logger = logging.getLogger("chatgpt_sdk.server")

OWNER = "chatgpt_sdk.owner"
"""The ASGI scope key holding the owner of a request (set once its API key is checked)."""
STORE_ENV = "CHATGPT_RESPONSE_STORE"
DEFAULT_STORE = "sqlite://"

# The owner of a key's responses: PBKDF2 of the key. Deterministic (every replica computes the
# same owner, across restarts), not reversible, and slow to guess from a copy of the store; it is
# computed once per configured key, never per request.
_OWNER_SALT = b"chatgpt-sdk/response-owner/v1"
_OWNER_ROUNDS = 100_000

DEFAULT_LIST_LIMIT = 20
MAX_LIST_LIMIT = 100


def owner_of(api_key: str) -> str:
    """The owner a stored response of ``api_key`` carries: ``key_`` and a digest of the key."""
    digest = hashlib.pbkdf2_hmac("sha256", api_key.encode(), _OWNER_SALT, _OWNER_ROUNDS, 16)
    return f"key_{digest.hex()}"


class ApiKeys:
    """The accepted API keys, each with its owner of stored responses."""

    def __init__(self, keys: Sequence[str]) -> None:
        unique = list(dict.fromkeys(key for key in keys if key))
        self._entries = [(key.encode(), owner_of(key)) for key in unique]

    def __bool__(self) -> bool:
        return bool(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def owner(self, given: bytes) -> str | None:
        """The owner of ``given`` (None when no key matches). Every key is compared, in constant
        time, whichever matches: the time taken says nothing about which key is near."""
        found = None
        for key, owner in self._entries:
            if hmac.compare_digest(given, key):
                found = owner
        return found


def response_store_setting(configured: str | None = None) -> str:
    """The proxy's ``response_store``: the config's, else ``CHATGPT_RESPONSE_STORE``, else the
    default SQLite file (``sqlite://``). ``none`` turns the store off."""
    return configured or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_response_store(configured: str | None = None) -> ResponseStore | None:
    """The store ``response_store_setting(configured)`` names, opened (None for ``none``);
    ``ProxyConfigError`` naming the setting when it cannot be."""
    from chatgpt_sdk.server.config import ProxyConfigError

    try:
        return open_store(response_store_setting(configured))
    except (TypeError, ValueError, OSError) as exc:
        raise ProxyConfigError(f"response_store: {exc}") from None


def describe_store(store: ResponseStore | None) -> str:
    """Where a store keeps its data, for people (never a password)."""
    if store is None:
        return "none (responses are not kept)"
    path = getattr(store, "path", None)
    if path is not None:
        return f"SQLite {path}"
    url = getattr(store, "url", None)
    if isinstance(url, str):
        from chatgpt_sdk.auth._config import masked_url

        return f"Redis {masked_url(url)} (prefix {getattr(store, 'prefix', '')!r})"
    return type(store).__name__


def _relayed(exc: errors.APIStatusError) -> ProxyError:
    """One of ``_stateful``'s OpenAI-shaped errors, as the proxy answers it (param and code
    kept)."""
    body = exc.body.get("error") if isinstance(exc.body, dict) else None
    detail = body if isinstance(body, dict) else {}
    return ProxyError(
        exc.status_code, exc.message, param=detail.get("param"), code=detail.get("code")
    )


def _unavailable(exc: Exception) -> ProxyError:
    logger.warning("the response store failed: %s: %s", type(exc).__name__, exc)
    return ProxyError(
        503,
        f"The response store is unavailable ({type(exc).__name__}); retry shortly.",
        code="response_store_unavailable",
        headers={"Retry-After": "1"},
    )


def _is_reference(item: Any) -> bool:
    """An ``item_reference`` (its ``type`` may be left out), as ``reference_ids`` sees one."""
    return (
        isinstance(item, Mapping)
        and item.get("type", "item_reference") == "item_reference"
        and "id" in item
        and "role" not in item
    )


def _user_message(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def _item_id(response_id: str, index: int, item: Mapping[str, Any]) -> str:
    """A stable id for an input item that came without one (``input_items`` lists items by id)."""
    digest = hashlib.blake2b(f"{response_id}/{index}".encode(), digest_size=16).hexdigest()
    return f"{'msg' if item.get('type') == 'message' else 'item'}_{digest}"


@dataclass
class Turn:
    """One Responses request's dealings with the store: what to keep once it completes."""

    store: ResponseStore | None
    owner: str | None
    keep: bool
    previous_response_id: str | None = None
    items: list[Any] | None = None  # this turn's input as the client sent it (references kept)
    referenced: Mapping[str, Any] = field(default_factory=dict)
    instructions: str | None = None

    @property
    def reports(self) -> bool:
        """Whether the response objects sent back must say what was asked (store, previous)."""
        return self.keep or self.previous_response_id is not None

    def patch(self, response: Response) -> Response:
        """``response`` as the OpenAI API reports it: ``store`` and ``previous_response_id`` as
        requested (the backend says false and null)."""
        if not self.reports:
            return response
        update: dict[str, Any] = {"store": self.keep}
        if self.previous_response_id is not None:
            update["previous_response_id"] = self.previous_response_id
        return response.model_copy(update=update)

    def stored_input(self, response_id: str) -> list[dict[str, Any]]:
        """This turn's input items as kept: normalised as sent, references as the items they
        named, each with an id (its own, or a stable one made from the response id)."""
        kept: list[dict[str, Any]] = []
        for index, item in enumerate(self.items or ()):
            if not isinstance(item, Mapping):
                continue
            if _is_reference(item) and str(item["id"]) in self.referenced:
                kept.append(dict(self.referenced[str(item["id"])]))
                continue
            normalized = dict(normalize_item(item))
            if "type" not in normalized and "role" in normalized:
                normalized = {"type": "message", **normalized}
            content = normalized.get("content")
            if normalized.get("type") == "message" and isinstance(content, str):
                # As the OpenAI API lists them: a message's text is a content part.
                part = "output_text" if normalized.get("role") == "assistant" else "input_text"
                normalized["content"] = [{"type": part, "text": content}]
            own = item.get("id")
            item_id = (
                own if isinstance(own, str) and own else _item_id(response_id, index, normalized)
            )
            kept.append({"id": item_id, **normalized})
        return kept

    async def finish(self, response: Response) -> Response:
        """Keep a completed response (when asked); returns it patched. A store that fails is
        logged, not raised: the answer stands, only its keeping failed."""
        response = self.patch(response)
        if not self.keep or self.store is None or response.status != "completed":
            return response
        try:
            stored = record(
                response,
                self.stored_input(response.id),
                previous_response_id=self.previous_response_id,
                owner=self.owner,
                instructions=self.instructions,
            )
            await self.store.aput(stored)
        except Exception as exc:
            logger.warning(
                "response %s was not kept in the response store (%s: %s); a later "
                "previous_response_id naming it will not be found",
                response.id,
                type(exc).__name__,
                exc,
            )
        return response


class ResponseState:
    """The app's response store and what the proxy does with it."""

    def __init__(self, store: ResponseStore | str | None, configured: str | None) -> None:
        self._spec: str | None = None
        self._store: ResponseStore | None = None
        self.owns_store = not (store is not None and not isinstance(store, str))
        if isinstance(store, str) or store is None:
            self._spec = response_store_setting(store or configured)
        else:
            self._store = store

    def store(self) -> ResponseStore | None:
        """The store (opened on first use when the app opens it); None with ``none``."""
        if self._spec is not None:
            spec, self._spec = self._spec, None
            try:
                self._store = open_store(spec)
            except (TypeError, ValueError) as exc:
                self._spec = spec
                raise ProxyError(
                    500,
                    f"The proxy's response store cannot be opened: {exc}",
                    code="response_store_unavailable",
                ) from None
        return self._store

    async def close(self) -> None:
        if self.owns_store and self._store is not None:
            store, self._store = self._store, None
            await store.aclose()

    # -- a Responses request -----------------------------------------------------------------

    async def begin(self, params: dict[str, Any], owner: str | None) -> Turn:
        """Take ``store`` and ``previous_response_id`` out of ``params`` and resolve the stored
        chain and references into its input; ``params`` is then what the backend can take."""
        keep_asked = params.pop("store", None)
        if keep_asked is not None and not isinstance(keep_asked, bool):
            raise ProxyError(400, "store must be true, false or null", param="store")
        previous = params.pop("previous_response_id", None)
        if previous is not None and (not isinstance(previous, str) or not previous):
            raise ProxyError(
                400,
                "previous_response_id must be a response id (a non-empty string)",
                param="previous_response_id",
            )
        raw = params.get("input")
        items: list[Any] | None = [_user_message(raw)] if isinstance(raw, str) else None
        if isinstance(raw, list):
            items = raw
        references = reference_ids(items) if items else []
        store = self.store() if keep_asked is not False or previous or references else None
        if store is None and (previous is not None or references):
            what = (
                f"previous_response_id {previous!r}"
                if previous is not None
                else " and ".join(f"item_reference {ref!r}" for ref in references)
            )
            raise ProxyError(
                400,
                f"{what} needs the proxy's response store, and this proxy keeps none "
                "(response_store: none). Send the earlier items themselves in input, or start "
                "the proxy with a response store.",
                param="previous_response_id" if previous is not None else "input",
                code="previous_response_not_found" if previous is not None else "item_not_found",
            )
        instructions = params.get("instructions")
        turn = Turn(
            store=store,
            owner=owner,
            keep=keep_asked is not False and store is not None,
            previous_response_id=previous,
            items=items,
            instructions=instructions if isinstance(instructions, str) else None,
        )
        params["store"] = False
        if store is None or (previous is None and not references):
            return turn
        chain = []
        try:
            if previous is not None:
                chain = await store.achain(previous, owner=owner)
            if references:
                turn.referenced = await store.afind_items(references, owner=owner)
        except ResponseNotFound as exc:
            raise _relayed(previous_not_found(str(previous), exc.id)) from None
        except ResponseChainTooLong as exc:
            raise ProxyError(
                400,
                f"{exc.message} It is not cut short: start a new conversation, or send the "
                "items to keep in input.",
                param="previous_response_id",
                code="previous_response_chain_too_long",
            ) from None
        except Exception as exc:
            raise _unavailable(exc) from None
        if len(turn.referenced) < len(set(references)):
            raise _relayed(unknown_references(references, turn.referenced))
        current = resolve_references(items, turn.referenced) if references and items else items
        if chain:
            params["input"] = [*replay(chain), *(current or ())]
        elif current is not None:
            params["input"] = current
        return turn

    # -- /v1/responses/{id} ------------------------------------------------------------------

    def _not_found(self, response_id: str) -> ProxyError:
        return ProxyError(
            404,
            f"Response with id '{response_id}' not found: it is unknown, expired, deleted or "
            "not yours.",
            param="response_id",
            type="invalid_request_error",  # as the OpenAI API types its 404s
        )

    async def _get(self, request: Request) -> tuple[str, Any]:
        response_id = request.path_params["response_id"]
        store = self.store()
        if store is None:
            raise self._not_found(response_id)
        try:
            stored = await store.aget(response_id, owner=request.scope.get(OWNER))
        except Exception as exc:
            raise _unavailable(exc) from None
        if stored is None:
            raise self._not_found(response_id)
        return response_id, stored

    async def retrieve(self, request: Request) -> HTTPResponse:
        """``GET /v1/responses/{id}``: the stored Response object."""
        from starlette.responses import JSONResponse

        if request.query_params.get("stream", "false").lower() not in ("false", "0", ""):
            raise ProxyError(
                400,
                "stream=true replays background responses, which this proxy does not run; "
                "leave stream out to get the stored response.",
                param="stream",
            )
        _, stored = await self._get(request)
        body = stored.response
        if not isinstance(body, dict):  # stored without its Response object (by other code)
            body = {
                "id": stored.id,
                "object": "response",
                "created_at": int(stored.created_at),
                "status": "completed",
                "model": stored.model,
                "instructions": stored.instructions,
                "output": stored.output_items,
                "previous_response_id": stored.previous_response_id,
                "store": True,
            }
        return JSONResponse(body)

    async def input_items(self, request: Request) -> HTTPResponse:
        """``GET /v1/responses/{id}/input_items``: this turn's input, as OpenAI lists it
        (``limit`` 1-100, default 20; ``order`` ``desc`` (default) or ``asc``; ``after`` an item
        id)."""
        from starlette.responses import JSONResponse

        query = request.query_params
        limit_text = query.get("limit", str(DEFAULT_LIST_LIMIT))
        try:
            limit = int(limit_text)
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIST_LIMIT:
            raise ProxyError(
                400, f"limit must be an integer from 1 to {MAX_LIST_LIMIT}", param="limit"
            )
        order = query.get("order", "desc")
        if order not in ("asc", "desc"):
            raise ProxyError(400, "order must be 'asc' or 'desc'", param="order")
        _, stored = await self._get(request)
        items = list(stored.input_items)
        if order == "desc":
            items.reverse()
        after = query.get("after")
        if after is not None:
            position = next((i for i, item in enumerate(items) if item.get("id") == after), None)
            if position is None:
                raise ProxyError(
                    400, f"after: no input item with id '{after}' in this response", param="after"
                )
            items = items[position + 1 :]
        page = items[:limit]
        return JSONResponse(
            {
                "object": "list",
                "data": page,
                "first_id": page[0].get("id") if page else None,
                "last_id": page[-1].get("id") if page else None,
                "has_more": len(items) > limit,
            }
        )

    async def delete(self, request: Request) -> HTTPResponse:
        """``DELETE /v1/responses/{id}``."""
        from starlette.responses import JSONResponse

        response_id = request.path_params["response_id"]
        store = self.store()
        if store is None:
            raise self._not_found(response_id)
        try:
            deleted = await store.adelete(response_id, owner=request.scope.get(OWNER))
        except Exception as exc:
            raise _unavailable(exc) from None
        if not deleted:
            raise self._not_found(response_id)
        return JSONResponse({"id": response_id, "object": "response.deleted", "deleted": True})
