"""Request validation that scales with the conversation.

``InputItem`` is a plain union in the spec (three message shapes share ``type: "message"``), so
pydantic's smart mode tries every member on every item: ~25 µs an item. Dispatching on ``type``
(and, for messages, on role and content) validates each item with its one class instead, ~2 µs.

Every shape the OpenAI Responses API accepts validates: a message may leave out ``type`` whatever
its role and parts (an assistant message with ``output_text`` or ``refusal`` parts is an
``OutputMessage`` with ``type`` filled in), and an ``item_reference`` may too (``{"id": ...}``).
An ``item_reference`` is well formed but cannot be resolved (the backend stores nothing with
``store=false``), so it is refused with a :class:`~chatgpt_sdk.errors.BadRequestError` naming it.

Errors keep their place and read like the request: ``input.3.content.0.text``. Pydantic's union
branch labels (``OutputTextContent``, ``str``, ``list[...]``) are left out of locations, and of
a union's failed branches only the ones that came closest are reported.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails

from chatgpt_sdk import errors as sdk_errors
from chatgpt_sdk.models import responses as r

__all__ = ["validate_responses_request"]

_OUTPUT_PARTS = frozenset({"output_text", "refusal"})
# Pydantic's labels for union branches that are not model names ("str", "list[...]", ...).
_PRIMITIVE_LABELS = frozenset({"str", "int", "float", "bool", "none", "bytes", "list", "dict"})


def _literal_strings(annotation: Any) -> set[str]:
    """The strings of every ``Literal`` inside ``annotation`` (``Literal["x"] | None`` -> {"x"})."""
    if typing.get_origin(annotation) is typing.Literal:
        return {a for a in typing.get_args(annotation) if isinstance(a, str)}
    return set().union(*(_literal_strings(a) for a in typing.get_args(annotation)))


@lru_cache(maxsize=1)
def _item_owners() -> dict[str, list[type[BaseModel]]]:
    """``type`` tag -> the input item classes that take it."""
    owners: dict[str, list[type[BaseModel]]] = {}
    for member in typing.get_args(r.InputItem.__value__):
        # A class declared later in the module is a forward reference ("ToolSearchOutputItemParam").
        cls = (
            getattr(r, member.__forward_arg__) if isinstance(member, typing.ForwardRef) else member
        )
        if isinstance(cls, type) and issubclass(cls, BaseModel) and "type" in cls.model_fields:
            for tag in _literal_strings(cls.model_fields["type"].annotation):
                owners.setdefault(tag, []).append(cls)
    return owners


@lru_cache(maxsize=1)
def _item_classes() -> dict[str, type[BaseModel]]:
    """``type`` tag -> class, for the input items whose tag names exactly one class."""
    return {tag: classes[0] for tag, classes in _item_owners().items() if len(classes) == 1}


@lru_cache(maxsize=1)
def _known_types() -> str:
    return ", ".join(repr(tag) for tag in sorted(_item_owners()))


def _not_an_item(item: Any) -> ValidationError:
    """One clear error for an item no class could take, instead of one per union member."""
    if isinstance(item, Mapping):
        detail = InitErrorDetails(
            type="literal_error",
            loc=("type",),
            input=item.get("type"),
            ctx={"expected": _known_types()},
        )
    else:
        detail = InitErrorDetails(type="dict_type", loc=(), input=item)
    return ValidationError.from_exception_data("InputItem", [detail])


@lru_cache(maxsize=1)
def _any_item() -> TypeAdapter[Any]:
    return TypeAdapter(r.InputItem)


def _item_class(item: Mapping[str, Any]) -> type[BaseModel] | None:
    """The one class that validates ``item``, or None when only the full union can tell."""
    kind = item.get("type")
    if kind is None:
        if "role" not in item and "content" not in item and "id" in item:
            return r.ItemReferenceParam  # the spec's type-less reference: {"id": ...}
        kind = "message"
    if kind == "message":
        content = item.get("content")
        replayed = (
            item.get("role") == "assistant"
            and isinstance(content, list)
            and any(isinstance(p, Mapping) and p.get("type") in _OUTPUT_PARTS for p in content)
        )
        return r.OutputMessage if replayed else r.EasyInputMessage
    return _item_classes().get(kind) if isinstance(kind, str) else None


def _validate_item(item: Any) -> type[BaseModel] | None:
    """Validate one input item; return the class that accepted it (None: the full union did)."""
    cls = _item_class(item) if isinstance(item, Mapping) else None
    if cls is None:
        kind = item.get("type") if isinstance(item, Mapping) else None
        if isinstance(item, BaseModel) or kind in _item_owners():
            _any_item().validate_python(item)  # unusual items: the full union decides
        else:
            raise _not_an_item(item)
    elif cls is r.OutputMessage and item.get("type") is None:
        # The API takes a replayed assistant message without its type; the model needs it.
        cls.model_validate({**item, "type": "message"})
    else:
        cls.model_validate(item)
    return cls


# --- error locations ------------------------------------------------------------------------


def _is_label(part: int | str) -> bool:
    """Whether a location part names a union branch rather than a field or an index."""
    if not isinstance(part, str) or not part:
        return False
    if "[" in part or "-" in part or part in _PRIMITIVE_LABELS:
        return True
    return part[0].isupper() and isinstance(getattr(r, part, None), type)


def _missed_tag(error: ErrorDetails, at: int) -> bool:
    """The branch failed because its ``type`` literal is not the input's: it was never meant."""
    loc = error["loc"]
    return error["type"] == "literal_error" and len(loc) == at + 2 and loc[at + 1] == "type"


def _closest_branches(found: list[ErrorDetails]) -> list[ErrorDetails]:
    """Of each union's failed branches, keep the errors of those the input came closest to."""
    sites: dict[tuple[Any, ...], dict[Any, list[ErrorDetails]]] = {}
    plain: list[ErrorDetails] = []
    for error in found:
        loc = error["loc"]
        at = next((i for i, part in enumerate(loc) if _is_label(part)), None)
        if at is None:
            plain.append(error)
        else:
            sites.setdefault(tuple(loc[:at]), {}).setdefault(loc[at], []).append(error)
    kept = plain
    for site, branches in sites.items():
        at = len(site)
        meant = {
            label: errs
            for label, errs in branches.items()
            if not any(_missed_tag(e, at) for e in errs)
        } or branches
        depth = max(len(e["loc"]) for errs in meant.values() for e in errs)
        kept.extend(
            e for errs in meant.values() if max(len(x["loc"]) for x in errs) == depth for e in errs
        )
    order = {id(e): i for i, e in enumerate(found)}
    return sorted(kept, key=lambda e: order[id(e)])


def _readable(found: list[ErrorDetails], prefix: tuple[int | str, ...]) -> list[InitErrorDetails]:
    out: list[InitErrorDetails] = []
    seen: set[tuple[Any, ...]] = set()
    for e in _closest_branches(found):
        loc = (*prefix, *(part for part in e["loc"] if not _is_label(part)))
        key = (loc, e["type"], e["msg"])
        if key in seen:
            continue
        seen.add(key)
        out.append(
            InitErrorDetails(type=e["type"], loc=loc, input=e["input"], ctx=e.get("ctx", {}))
        )
    return out


# --- the request ----------------------------------------------------------------------------


def _unresolvable(references: list[tuple[int, str]]) -> sdk_errors.BadRequestError:
    named = " and ".join(f"input.{index}: item_reference {ref!r}" for index, ref in references)
    if len(references) == 1:
        advice = "send the referenced item itself instead of a reference"
    else:
        advice = "send the referenced items themselves instead of references"
    return sdk_errors.BadRequestError(
        f"{named} cannot be resolved: the ChatGPT backend stores nothing (store=false), "
        f"so {advice}, or give the client a response store (response_store='sqlite://', "
        "'memory' or a 'redis://HOST:PORT/DB' URL, or CHATGPT_RESPONSE_STORE).",
        status_code=400,
    )


def validate_responses_request(
    body: Mapping[str, Any], *, references: list[str] | None = None
) -> None:
    """Check ``body`` is a Responses request this client can send; nothing is sent if it raises.

    Raises ``pydantic.ValidationError`` for a malformed request, and
    :class:`~chatgpt_sdk.errors.BadRequestError` (400) for a well-formed ``item_reference``,
    which nothing can resolve while the backend stores nothing. Given a ``references`` list (a
    response store will resolve them), the ids of the references are appended to it instead.
    """
    items = body.get("input")
    found: list[InitErrorDetails] = []
    try:
        if isinstance(items, list):
            r.CreateResponse.model_validate({k: v for k, v in body.items() if k != "input"})
        else:
            r.CreateResponse.model_validate(body)
    except ValidationError as exc:
        found.extend(_readable(exc.errors(), ()))
    refs: list[tuple[int, str]] = []
    for index, item in enumerate(items if isinstance(items, list) else ()):
        try:
            if _validate_item(item) is r.ItemReferenceParam:
                refs.append((index, item["id"]))
        except ValidationError as exc:
            found.extend(_readable(exc.errors(), ("input", index)))
    if refs and references is None:
        raise _unresolvable(refs)  # the deeper problem: say it even beside field errors
    if found:
        raise ValidationError.from_exception_data("CreateResponse", found)
    if references is not None:
        references.extend(ref for _, ref in refs)
