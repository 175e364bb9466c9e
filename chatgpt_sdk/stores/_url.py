"""``open_store``: the ``response_store`` setting (an argument, a config key or
``CHATGPT_RESPONSE_STORE``) turned into a store.

Accepted: a ``ResponseStore`` object (returned as is); ``"memory"``; ``"sqlite://"`` (the default
file, ``default_store_path()``); ``"sqlite:///ABSOLUTE/PATH"`` (``sqlite:///~/x.sqlite3`` for the
home directory, ``sqlite:RELATIVE/PATH`` for the current one); ``"redis://HOST:PORT/DB"``
(``rediss://`` with TLS, ``unix:///path.sock?db=N``); ``"none"`` or ``""``: no store (None).

Query parameters set the store's options: ``ttl_seconds`` for all, ``max_bytes`` for SQLite,
``prefix`` for Redis (other Redis parameters go to redis-py, e.g. ``socket_timeout``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from chatgpt_sdk.auth._config import masked_url
from chatgpt_sdk.stores._base import ResponseStore
from chatgpt_sdk.stores._memory import MemoryResponseStore
from chatgpt_sdk.stores._redis import RedisResponseStore
from chatgpt_sdk.stores._sqlite import SQLiteResponseStore

SETTING = "response_store"
ENV = "CHATGPT_RESPONSE_STORE"
_EXPECTED = (
    "'memory', 'sqlite://' (the default file), 'sqlite:///ABSOLUTE/PATH', "
    "'redis://HOST:PORT/DB', 'none', or a ResponseStore object"
)


def _bad(spec: str, why: str) -> ValueError:
    return ValueError(f"{SETTING} (or {ENV}) {masked_url(spec)!r}: {why}. Expected {_EXPECTED}.")


def _options(
    spec: str, query: str, allowed: dict[str, type]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Our options from the query string (converted), and the pairs that are not ours."""
    ours: dict[str, Any] = {}
    rest: list[tuple[str, str]] = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in allowed:
            rest.append((name, value))
            continue
        try:
            ours[name] = allowed[name](value)
        except ValueError:
            raise _bad(spec, f"{name}={value!r} is not a valid {allowed[name].__name__}") from None
    return ours, rest


def _build(
    spec: str, factory: Callable[..., ResponseStore], *args: Any, **options: Any
) -> ResponseStore:
    try:
        return factory(*args, **options)
    except ValueError as exc:  # an option out of range: name the setting
        raise _bad(spec, str(exc)) from None


def open_store(spec: ResponseStore | str | None) -> ResponseStore | None:
    """The store the ``response_store`` setting names (see the module docstring); None for none.

    Raises ``ValueError`` naming the setting for a string it does not understand, ``TypeError``
    for anything that is neither a string nor a store.
    """
    if spec is None:
        return None
    if not isinstance(spec, str):
        if isinstance(spec, ResponseStore):
            return spec
        raise TypeError(
            f"{SETTING} must be a ResponseStore or a URL string, not {type(spec).__name__}"
        )
    text = spec.strip()
    if text.lower() in ("", "none"):
        return None
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise _bad(text, f"not a URL ({exc})") from None
    scheme = parts.scheme.lower()

    if scheme in ("memory", "") and parts.path.lower().strip("/") in ("memory", ""):
        if scheme == "" and parts.path.lower() != "memory":
            raise _bad(text, "unknown store")
        if parts.netloc:
            raise _bad(text, "a memory store has no host")
        options, rest = _options(text, parts.query, {"ttl_seconds": float})
        if rest:
            raise _bad(text, f"unknown option {rest[0][0]!r} (memory takes ttl_seconds)")
        return _build(text, MemoryResponseStore, **options)

    if scheme == "sqlite":
        if parts.netloc and parts.netloc.lower() != "localhost":
            raise _bad(text, "a SQLite URL has no host; write sqlite:///ABSOLUTE/PATH")
        options, rest = _options(text, parts.query, {"ttl_seconds": float, "max_bytes": int})
        if rest:
            raise _bad(
                text, f"unknown option {rest[0][0]!r} (sqlite takes ttl_seconds and max_bytes)"
            )
        raw_path = unquote(parts.path)
        if raw_path in ("", "/"):
            return _build(text, SQLiteResponseStore, None, **options)
        if raw_path.startswith("/"):
            raw_path = "/" + raw_path.lstrip("/")  # sqlite:////x and sqlite:///x are both /x
            if raw_path.startswith("/~"):
                raw_path = raw_path[1:]  # sqlite:///~/x.sqlite3: in the home directory
        path = Path(os.path.expanduser(raw_path))
        if raw_path.endswith("/") or path.is_dir():
            raise _bad(text, f"{path} is a directory; name the database file")
        return _build(text, SQLiteResponseStore, path, **options)

    if scheme in ("redis", "rediss", "unix"):
        options, rest = _options(text, parts.query, {"ttl_seconds": float, "prefix": str})
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), parts.fragment))
        return _build(text, RedisResponseStore, url, **options)

    raise _bad(text, f"unknown store {scheme!r}" if scheme else "unknown store")
