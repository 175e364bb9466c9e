"""Test doubles for code that uses chatgpt_sdk: an emulator of the ChatGPT Codex backend.

```python
from chatgpt_sdk.testing import FakeChatGPTBackend

backend = FakeChatGPTBackend()
backend.reply("Hello!", tool_calls=[("get_weather", '{"city":"Paris"}')])
client = backend.client()                 # a ChatGPT wired to it in-process
...
assert backend.last_request.json["model"] == "gpt-5.5"
```

The emulator is as strict as the real backend (WIRE.md 3.5 rules, exact error texts) and streams
the real event sequences, so code that passes here does not trip over the backend's quirks.
``FakeIssuer`` emulates the OAuth server; pass it as ``FakeChatGPTBackend(issuer=...)`` to serve
both from one handler. Importing this module stays cheap: httpx, but no pydantic models.
"""

from __future__ import annotations

from chatgpt_sdk._fake import sse
from chatgpt_sdk._fake.backend import (
    BASE_PATH,
    DEFAULT_MODELS,
    UNSUPPORTED_PARAMETERS,
    FakeChatGPTBackend,
    IssuerLike,
    RecordedRequest,
    make_access_token,
)
from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk._fake.server import DropConnection, LoopbackServer

__all__ = [
    "BASE_PATH",
    "DEFAULT_MODELS",
    "UNSUPPORTED_PARAMETERS",
    "DropConnection",
    "FakeChatGPTBackend",
    "FakeIssuer",
    "IssuerLike",
    "LoopbackServer",
    "RecordedRequest",
    "make_access_token",
    "sse",
]
