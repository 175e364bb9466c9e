"""``ChatGPT`` and ``AsyncChatGPT``: one request core (``_core``), two small I/O loops.

The clients live in ``_sync_client`` and ``_async_client``; this is their public import path.
"""

from chatgpt_sdk._async_client import AsyncChatGPT
from chatgpt_sdk._sync_client import ChatGPT

__all__ = ["AsyncChatGPT", "ChatGPT"]
