"""chatgpt-sdk: use a ChatGPT Plus/Pro subscription from Python, typed end to end.

Everything here is imported lazily, so ``import chatgpt_sdk`` costs almost nothing; the client,
httpx and the generated models load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from chatgpt_sdk import bridge, errors
    from chatgpt_sdk.client import AsyncChatGPT, ChatGPT
    from chatgpt_sdk.errors import UnsupportedParameterWarning
    from chatgpt_sdk.rate_limits import RateLimits, RateLimitWindow

__all__ = [
    "AsyncChatGPT",
    "ChatGPT",
    "RateLimitWindow",
    "RateLimits",
    "UnsupportedParameterWarning",
    "__version__",
    "bridge",
    "errors",
]

_LAZY = {
    "ChatGPT": ("chatgpt_sdk.client", "ChatGPT"),
    "AsyncChatGPT": ("chatgpt_sdk.client", "AsyncChatGPT"),
    "RateLimits": ("chatgpt_sdk.rate_limits", "RateLimits"),
    "RateLimitWindow": ("chatgpt_sdk.rate_limits", "RateLimitWindow"),
    "UnsupportedParameterWarning": ("chatgpt_sdk.errors", "UnsupportedParameterWarning"),
    "bridge": ("chatgpt_sdk.bridge", None),
    "errors": ("chatgpt_sdk.errors", None),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'chatgpt_sdk' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
