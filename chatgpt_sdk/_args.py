"""Checks of user-given arguments, so a wrong type or value fails at once, naming the argument,
instead of as an ``AttributeError`` or ``UnicodeEncodeError`` at first use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "check_bool",
    "check_header_value",
    "check_headers",
    "check_instance",
    "check_optional_bool",
    "check_optional_str",
    "check_seconds",
    "header_safe",
]

# What an HTTP header value may hold: printable ASCII and tabs (RFC 9110 field-vchar), no CR/LF.
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def _kind(value: object) -> str:
    return type(value).__name__


def check_optional_str(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None, got {_kind(value)}")
    return value


def check_header_value(name: str, value: object) -> str | None:
    """A string that will travel in an HTTP header (printable ASCII, no line breaks)."""
    text = check_optional_str(name, value)
    if text is not None and not _HEADER_VALUE.fullmatch(text):
        raise ValueError(
            f"{name} goes into an HTTP header, so it must be printable ASCII without line "
            f"breaks; got {text[:40]!r}"
        )
    return text


def header_safe(text: str) -> bool:
    """Whether ``text`` can travel in an HTTP header as it is."""
    return _HEADER_VALUE.fullmatch(text) is not None


def check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {_kind(value)}")
    return value


def check_optional_bool(name: str, value: object) -> bool | None:
    return None if value is None else check_bool(name, value)


def check_seconds(name: str, value: object) -> float | None:
    """A positive, finite number of seconds, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {_kind(value)}")
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return float(value)


def check_headers(name: str, value: object) -> dict[str, str]:
    """Extra headers: a mapping of header names to header-safe string values."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of header names to strings, got {_kind(value)}")
    headers: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not _HEADER_NAME.fullmatch(key):
            raise ValueError(f"{name} has an invalid header name: {key!r}")
        if not isinstance(item, str):
            raise TypeError(f"{name}[{key!r}] must be a string, got {_kind(item)}")
        check_header_value(f"{name}[{key!r}]", item)
        headers[key] = item
    return headers


def check_instance(name: str, value: Any, kind: type | tuple[type, ...], what: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise TypeError(f"{name} must be {what}, got {_kind(value)}")
