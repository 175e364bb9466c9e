"""What the two login flows share: where tokens go, the code exchange, cancellation, HTTP clients."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Protocol, runtime_checkable

import httpx

from chatgpt_sdk.auth import _oauth
from chatgpt_sdk.auth._credentials import Credentials
from chatgpt_sdk.errors import APIConnectionError, LoginFailedError

HTTP_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@runtime_checkable
class LoginTarget(Protocol):
    """Where a login stores its tokens (``FileTokenProvider``, writable ``CodexCLITokenProvider``)."""

    def save_tokens(
        self, *, access_token: str, refresh_token: str, id_token: str
    ) -> Credentials: ...


def check_login_arguments(
    provider: object, callback: object, callback_name: str, http_client: object, timeout: object
) -> None:
    """The arguments both login flows share, checked when the flow is built."""
    if provider is not None and not callable(getattr(provider, "save_tokens", None)):
        raise TypeError(
            "provider must have a save_tokens() method (e.g. a FileTokenProvider), not "
            f"{type(provider).__name__}"
        )
    if callback is not None and not callable(callback):
        raise TypeError(f"{callback_name} must be callable, not {type(callback).__name__}")
    if http_client is not None and not isinstance(http_client, (httpx.Client, httpx.AsyncClient)):
        raise TypeError(
            f"http_client must be an httpx.Client or httpx.AsyncClient, not {type(http_client).__name__}"
        )
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds, not {type(timeout).__name__}")
    if not timeout > 0 or timeout == float("inf"):
        raise ValueError("timeout must be a positive, finite number of seconds")


def default_target(issuer: str) -> LoginTarget:
    from chatgpt_sdk.auth._file_providers import FileTokenProvider

    return FileTokenProvider(issuer=issuer)


def login_tokens(response: httpx.Response) -> dict[str, str]:
    """The three tokens of a successful code exchange (all are required, WIRE 2.2)."""
    if not response.is_success:
        raise _oauth.exchange_failed(response)
    body = _oauth.token_payload(response, "login")
    if not all(isinstance(body.get(k), str) for k in ("id_token", "refresh_token")):
        raise LoginFailedError("The auth server's login answer lacked an id or refresh token.")
    return {k: body[k] for k in ("access_token", "refresh_token", "id_token")}


class Cancellation:
    """A cancel flag that wakes both blocking waits (threads) and awaiting waits (tasks) at once."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._mutex = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    @property
    def is_set(self) -> bool:
        return self._event.is_set()

    def set(self) -> None:
        self._event.set()
        with self._mutex:
            waiters = list(self._waiters)
        for loop, event in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if cancelled meanwhile."""
        return self._event.wait(max(seconds, 0.0))

    async def await_(self, seconds: float) -> bool:
        """The async twin of ``wait``: never blocks the loop."""
        if self._event.is_set():
            return True
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._mutex:
            self._waiters.append(entry)
        try:
            if self._event.is_set():  # set between the first check and registration
                return True
            await asyncio.wait_for(entry[1].wait(), timeout=max(seconds, 0.0))
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            with self._mutex:
                self._waiters.remove(entry)


@contextmanager
def sync_client(given: httpx.Client | httpx.AsyncClient | None) -> Iterator[httpx.Client]:
    """The caller's sync client, or a temporary one. Sync methods cannot drive an AsyncClient."""
    if isinstance(given, httpx.AsyncClient):
        raise TypeError("this is a sync method: pass an httpx.Client, or use the async methods")
    if given is not None:
        yield given
        return
    with httpx.Client(timeout=HTTP_TIMEOUT) as client:
        yield client


class AsyncPoster:
    """POST from async code with whatever client was given (a sync one runs in a worker thread)."""

    def __init__(self, client: httpx.Client | httpx.AsyncClient) -> None:
        self._client = client

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        if isinstance(self._client, httpx.AsyncClient):
            return await self._client.post(url, **kwargs)
        return await asyncio.to_thread(self._client.post, url, **kwargs)


@asynccontextmanager
async def async_poster(
    given: httpx.Client | httpx.AsyncClient | None,
) -> AsyncIterator[AsyncPoster]:
    if given is not None:
        yield AsyncPoster(given)
        return
    async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
        yield AsyncPoster(client)


def unreachable(issuer: str, exc: Exception) -> APIConnectionError:
    return APIConnectionError(f"Could not reach the auth server {issuer} ({type(exc).__name__}).")
