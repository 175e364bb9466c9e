"""Credentials for the ChatGPT backend: providers, login flows, refresh.

``TokenProvider`` is the seam: a client asks it for ``Credentials`` before each request and with
``force_refresh=True`` after a 401. Swap in ``StaticTokenProvider`` (or your own) in tests.

The file providers and login flows load lazily (they pull in httpx and filelock), so importing this
package stays cheap.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from chatgpt_sdk.auth._credentials import (
    Credentials,
    StaticTokenProvider,
    TokenProvider,
    jwt_claims,
)
from chatgpt_sdk.errors import LoginRequiredError

if TYPE_CHECKING:
    from chatgpt_sdk.auth._browser import BrowserLogin
    from chatgpt_sdk.auth._device import DeviceCode, DeviceCodeLogin
    from chatgpt_sdk.auth._providers import CodexCLITokenProvider, FileTokenProvider

__all__ = [
    "BrowserLogin",
    "CodexCLITokenProvider",
    "Credentials",
    "DeviceCode",
    "DeviceCodeLogin",
    "FileTokenProvider",
    "StaticTokenProvider",
    "TokenProvider",
    "default_token_provider",
    "jwt_claims",
]

_LAZY = {
    "BrowserLogin": "chatgpt_sdk.auth._browser",
    "CodexCLITokenProvider": "chatgpt_sdk.auth._providers",
    "DeviceCode": "chatgpt_sdk.auth._device",
    "DeviceCodeLogin": "chatgpt_sdk.auth._device",
    "FileTokenProvider": "chatgpt_sdk.auth._providers",
}

# Set to 1/true to let the SDK refresh a Codex CLI login it found (and write Codex's auth.json).
CODEX_REFRESH_ENV = "CHATGPT_CODEX_REFRESH"


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'chatgpt_sdk.auth' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def default_token_provider(*, codex_refresh: bool | None = None) -> TokenProvider:
    """The provider ``ChatGPT()`` uses when given none.

    The SDK's auth file if it exists; else an existing Codex CLI login, read-only unless
    ``codex_refresh=True`` (or ``CHATGPT_CODEX_REFRESH=1``) lets the SDK refresh it and write it
    back; else ``LoginRequiredError`` naming ``chatgpt-sdk login``.
    """
    from chatgpt_sdk.auth._providers import CodexCLITokenProvider, FileTokenProvider

    if codex_refresh is not None and not isinstance(codex_refresh, bool):
        raise TypeError(f"codex_refresh must be a bool or None, not {type(codex_refresh).__name__}")
    own = FileTokenProvider()
    if own._file.exists():
        return own
    if codex_refresh is None:
        codex_refresh = os.environ.get(CODEX_REFRESH_ENV, "").lower() in ("1", "true", "yes")
    codex = CodexCLITokenProvider(read_only=not codex_refresh)
    if codex._file.exists():
        return codex
    raise LoginRequiredError(
        f"No ChatGPT credentials found (looked at {own.path} and {codex.path}). "
        "Run `chatgpt-sdk login` (or pass token_provider=...)."
    )
