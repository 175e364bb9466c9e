"""Credentials for the ChatGPT backend: providers, login flows, refresh.

``TokenProvider`` is the seam: a client asks it for ``Credentials`` before each request and with
``force_refresh=True`` after a 401. Swap in ``StaticTokenProvider`` (or your own) in tests.
"""

from __future__ import annotations

from chatgpt_sdk.auth._credentials import (
    Credentials,
    StaticTokenProvider,
    TokenProvider,
    jwt_claims,
)
from chatgpt_sdk.errors import LoginRequiredError

__all__ = [
    "Credentials",
    "StaticTokenProvider",
    "TokenProvider",
    "default_token_provider",
    "jwt_claims",
]


def default_token_provider() -> TokenProvider:
    """The provider ``ChatGPT()`` uses when given none."""
    raise LoginRequiredError(
        "No ChatGPT credentials found. Run `chatgpt-sdk login` (or pass token_provider=...)."
    )
