"""The OpenAI-compatible proxy (``pip install 'chatgpt-sdk[proxy]'``; see docs/proxy.md).

```python
from chatgpt_sdk.server import create_app, load_config
app = create_app(api_key="sk-local", config=load_config("config.yaml"))  # any ASGI server
```

Names are loaded on first use, so the config classes work without Starlette installed and
``import chatgpt_sdk.server`` costs nothing until something is used.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chatgpt_sdk.server._run import (
        API_KEY_ENV,
        check_bind,
        run,
        server_options,
        settle_process,
    )
    from chatgpt_sdk.server.app import DROPPED_PARAMS_HEADER, create_app
    from chatgpt_sdk.server.config import (
        ModelEntry,
        ModelParams,
        ProxyConfig,
        ProxyConfigError,
        load_config,
        parse_config,
    )

__all__ = [
    "API_KEY_ENV",
    "DROPPED_PARAMS_HEADER",
    "ModelEntry",
    "ModelParams",
    "ProxyConfig",
    "ProxyConfigError",
    "check_bind",
    "create_app",
    "load_config",
    "missing_dependencies",
    "parse_config",
    "run",
    "server_options",
    "settle_process",
]

_WHERE = {
    "DROPPED_PARAMS_HEADER": "app",
    "create_app": "app",
    "API_KEY_ENV": "_run",
    "check_bind": "_run",
    "run": "_run",
    "server_options": "_run",
    "settle_process": "_run",
    "ModelEntry": "config",
    "ModelParams": "config",
    "ProxyConfig": "config",
    "ProxyConfigError": "config",
    "load_config": "config",
    "parse_config": "config",
}
_EXTRA = {"starlette": "starlette", "uvicorn": "uvicorn", "yaml": "pyyaml"}


def missing_dependencies() -> list[str]:
    """The ``proxy`` extra's packages that are not installed (empty when all are)."""
    return [
        package for module, package in _EXTRA.items() if importlib.util.find_spec(module) is None
    ]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'chatgpt_sdk.server' has no attribute {name!r}")
    return getattr(importlib.import_module(f"chatgpt_sdk.server.{module}"), name)
