"""The proxy under a real uvicorn on a free loopback port, for the tests that need a live server."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from chatgpt_sdk.server import ProxyConfig, create_app
from chatgpt_sdk.server._run import server_options

if TYPE_CHECKING:
    from chatgpt_sdk.client import AsyncChatGPT
    from chatgpt_sdk.stores import ResponseStore


@contextmanager
def uvicorn_proxy(
    make_client: Callable[[], AsyncChatGPT],
    config: ProxyConfig | None = None,
    *,
    http: str = "auto",
    api_key: str | None = None,
    response_store: ResponseStore | str | None = None,
    startup_timeout: float = 10.0,
) -> Iterator[int]:
    """``create_app(make_client(), ...)`` served with ``chatgpt-sdk serve``'s uvicorn options
    (``http`` picks the protocol), in a thread with an event loop of its own; yields the port.

    The client is made and closed in the server's loop, as its connections belong to it. Leaving
    the block stops the server and checks that its thread ended.
    """
    import uvicorn

    config = config or ProxyConfig()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    holder: dict[str, Any] = {}
    ready = threading.Event()

    async def main() -> None:
        client = None
        try:
            client = make_client()
            app = create_app(client, api_key=api_key, config=config, response_store=response_store)
            options = {**server_options(config, http=http), "loop": "asyncio"}
            holder["server"] = uvicorn.Server(uvicorn.Config(app, log_level="warning", **options))
        except Exception as exc:  # raised in the test's thread instead
            holder["error"] = exc
            if client is not None:
                await client.close()
            return
        finally:
            ready.set()
        try:
            await holder["server"].serve(sockets=[sock])
        finally:
            await client.close()

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(startup_timeout), "the proxy was not built in time"
    if "error" in holder:
        sock.close()
        raise holder["error"]
    server = holder["server"]
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.started, "uvicorn did not start in time"
        yield int(sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
    assert not thread.is_alive()
