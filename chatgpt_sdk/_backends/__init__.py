"""Where a subscription is served: the seam between the client and one backend's wire rules.

The client core asks its ``Backend`` everything that differs between the Codex backend
(``chatgpt.com/backend-api/codex``) and the official "Sign in with ChatGPT" API
(``api.openai.com/v1``): the normaliser table, the model's shape, the headers, the model catalog's
query, the error mapping and what may be retried. Nothing else in the client branches on it.
"""

from __future__ import annotations

from chatgpt_sdk._backends._base import BACKEND_NAMES, Backend, BackendName, backend_named

__all__ = ["BACKEND_NAMES", "Backend", "BackendName", "backend_named"]
