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
    from chatgpt_sdk.auth._file_providers import CodexCLITokenProvider, FileTokenProvider
    from chatgpt_sdk.auth._official_login import OfficialLogin
    from chatgpt_sdk.auth._official_provider import OfficialTokenProvider
    from chatgpt_sdk.auth._redis_token_store import RedisTokenStore
    from chatgpt_sdk.auth._token_store import FileTokenStore, TokenStore, TokenStoreError

__all__ = [
    "BrowserLogin",
    "CodexCLITokenProvider",
    "Credentials",
    "DeviceCode",
    "DeviceCodeLogin",
    "FileTokenProvider",
    "FileTokenStore",
    "OfficialLogin",
    "OfficialTokenProvider",
    "RedisTokenStore",
    "StaticTokenProvider",
    "TokenProvider",
    "TokenStore",
    "TokenStoreError",
    "default_token_provider",
    "jwt_claims",
]

_LAZY = {
    "BrowserLogin": "chatgpt_sdk.auth._browser",
    "CodexCLITokenProvider": "chatgpt_sdk.auth._file_providers",
    "DeviceCode": "chatgpt_sdk.auth._device",
    "DeviceCodeLogin": "chatgpt_sdk.auth._device",
    "FileTokenProvider": "chatgpt_sdk.auth._file_providers",
    "FileTokenStore": "chatgpt_sdk.auth._token_store",
    "RedisTokenStore": "chatgpt_sdk.auth._redis_token_store",
    "TokenStore": "chatgpt_sdk.auth._token_store",
    "TokenStoreError": "chatgpt_sdk.auth._token_store",
    "OfficialLogin": "chatgpt_sdk.auth._official_login",
    "OfficialTokenProvider": "chatgpt_sdk.auth._official_provider",
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


def default_token_provider(
    *,
    codex_refresh: bool | None = None,
    backend: str | None = None,
    profile: str | None = None,
    token_store: str | TokenStore | None = None,
) -> TokenProvider:
    """The provider ``ChatGPT()`` uses when given none.

    A Sign in with ChatGPT login (``chatgpt-sdk login --official``, the sanctioned path) when one
    is signed in; else the SDK's auth file if it exists; else an existing Codex CLI login,
    read-only unless ``codex_refresh=True`` (or ``CHATGPT_CODEX_REFRESH=1``) lets the SDK refresh
    it and write it back; else ``LoginRequiredError`` naming the login commands. ``backend``
    (else ``CHATGPT_BACKEND``) limits the search to that backend's logins.

    ``profile`` (else ``CHATGPT_PROFILE``) or ``token_store`` (else ``CHATGPT_TOKEN_STORE``)
    naming anything but the default login in the auth file selects that login directly
    (``FileTokenProvider(profile=..., token_store=...)``; docs/auth.md, "Profiles").
    """
    from chatgpt_sdk.auth._file_providers import selected_token_provider

    selected = selected_token_provider(profile=profile, token_store=token_store)
    if selected is not None:
        return selected
    from chatgpt_sdk.auth._file_providers import CodexCLITokenProvider, FileTokenProvider
    from chatgpt_sdk.auth._official_provider import OfficialTokenProvider

    if codex_refresh is not None and not isinstance(codex_refresh, bool):
        raise TypeError(f"codex_refresh must be a bool or None, not {type(codex_refresh).__name__}")
    if backend is not None and backend not in ("codex", "official"):
        raise ValueError(f"backend must be 'codex', 'official' or None, got {backend!r}")
    wanted = backend or os.environ.get("CHATGPT_BACKEND") or None
    official = OfficialTokenProvider()
    if wanted == "official" or (wanted is None and _signed_in(official)):
        return official
    own = FileTokenProvider(profile="default")  # resolved above: not the environment's again
    if own._file.exists():
        return own
    if codex_refresh is None:
        codex_refresh = os.environ.get(CODEX_REFRESH_ENV, "").lower() in ("1", "true", "yes")
    codex = CodexCLITokenProvider(read_only=not codex_refresh)
    if codex._file.exists():
        return codex
    raise LoginRequiredError(
        f"No ChatGPT credentials found (looked at {official.directory}, {own.path} and "
        f"{codex.path}). Run `chatgpt-sdk login --official` (Sign in with ChatGPT) or "
        "`chatgpt-sdk login` (or pass token_provider=...)."
    )


def _signed_in(provider: OfficialTokenProvider) -> bool:
    """True when ``provider`` holds tokens to use (never raises: a broken record is not a login)."""
    try:
        record = provider.peek()
    except Exception:
        return False
    return record is not None and record.signed_in and record.issuer == provider.issuer
