"""Building the generated models fast, and small helpers every direction of the bridge uses."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

_M = TypeVar("_M", bound=BaseModel)
_object_new = object.__new__
# BaseModel's own slots, set through their descriptors: a third faster than object.__setattr__.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """The defaults of ``cls``'s optional fields, shared by every instance :func:`_new` builds,
    so they must be immutable."""
    defaults = {
        name: field.get_default(call_default_factory=True)
        for name, field in cls.model_fields.items()
        if not field.is_required()
    }
    if any(isinstance(v, (list, dict, set)) for v in defaults.values()):
        raise TypeError(f"{cls.__name__} has mutable defaults; build it with model_validate")
    _DEFAULTS[cls] = defaults
    return defaults


def _new(cls: type[_M], fields: dict[str, Any], extra: dict[str, Any] | None = None) -> _M:
    """Build a model from values this module assembled and knows valid, without re-validating.

    ``model_validate`` on the open unions costs ~0.5 ms per conversation and ``model_construct``
    2-10 µs per model (it resolves aliases and defaults field by field); a conversion builds dozens
    of models, so this merges cached defaults instead and sets the same four slots
    ``model_construct`` sets. ``fields`` use field names, never aliases. The tests re-validate
    every output to prove it is schema-valid.
    """
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _defaults(cls)
    obj = _object_new(cls)
    # ``fields`` is always a fresh dict from the caller, so it can become the instance's dict.
    _set_dict(obj, {**defaults, **fields} if defaults else fields)
    _set_fields_set(obj, set(fields) if extra is None else {*fields, *extra})
    _set_extra(obj, {} if extra is None else extra)
    _set_private(obj, None)
    return obj


def _plain(value: Any) -> Any:
    """A mapping view of a request or message given either as a dict or as a model."""
    if isinstance(value, BaseModel):
        return value.model_dump(exclude_unset=True)
    return value


def _texts(content: Any) -> str:
    """The text of Chat content: a string, or the joined ``text`` parts of a part list."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(p.get("text") or "" for p in content)
