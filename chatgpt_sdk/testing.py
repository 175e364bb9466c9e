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
both from one handler. ``FakeSIWC`` emulates the official "Sign in with ChatGPT" path (its
issuer, with real RS256 keys, and ``api.openai.com/v1`` with the plan-usage rules); its
``sign_in(provider)`` runs a whole browser sign-in. Importing this module stays cheap: httpx, but
no pydantic models (the fake's RSA keys load ``cryptography`` when one is built).
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
from chatgpt_sdk._fake.siwc import SIWC_DEFAULT_MODELS, SIWC_ORIGIN, FakeSIWC

__all__ = [
    "BASE_PATH",
    "DEFAULT_MODELS",
    "SIWC_DEFAULT_MODELS",
    "SIWC_ORIGIN",
    "UNSUPPORTED_PARAMETERS",
    "DropConnection",
    "FakeChatGPTBackend",
    "FakeIssuer",
    "FakeSIWC",
    "IssuerLike",
    "LoopbackServer",
    "RecordedRequest",
    "make_access_token",
    "sse",
]
