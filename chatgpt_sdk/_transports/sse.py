"""The HTTP SSE transport: ``POST {base}/responses``, the event stream read as it arrives."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

from chatgpt_sdk._core import READ_ERRORS
from chatgpt_sdk._replies import not_a_stream, stream_read_error, transport_error
from chatgpt_sdk._transport import MAX_ERROR_BODY
from chatgpt_sdk._transports import Rejected

if TYPE_CHECKING:
    from chatgpt_sdk._core import Core
    from chatgpt_sdk._transport import Prepared
    from chatgpt_sdk.auth import Credentials
    from chatgpt_sdk.streaming import Event, StreamState

__all__ = ["AsyncSSETransport", "SSETransport", "aread_error_body", "read_error_body"]


class SSETransport:
    name = "sse"

    def __init__(self, core: Core, http: httpx.Client) -> None:
        self._core = core
        self._http = http

    def send(self, prepared: Prepared, credentials: Credentials) -> SSEReply:
        core = self._core
        request = core.build(self._http, prepared, credentials)
        try:
            response = self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise transport_error(exc) from None
        if core.accept(response):
            core.streaming_started(response)
            return SSEReply(core, response)
        raise Rejected(response, read_error_body(response))

    def close(self) -> None:
        return None  # the HTTP client is the client's to close


class SSEReply:
    def __init__(self, core: Core, response: httpx.Response) -> None:
        self._core = core
        self.response = response

    def events(self, state: StreamState) -> Iterator[Event]:
        core, response = self._core, self.response
        try:
            if not core.is_stream(response):
                raise not_a_stream(response, response.read())
            for chunk in response.iter_bytes():
                if state.terminal is not None:
                    # The reply is whole; the rest of the body is read (and ignored) so the
                    # HTTP/1.1 connection goes back to the pool.
                    continue
                yield from state.feed_bytes(chunk)
            state.finish()
        except READ_ERRORS as exc:
            if state.terminal is not None:
                return  # the reply was complete before the connection failed
            raise stream_read_error(state, exc) from None
        finally:
            response.close()

    def close(self) -> None:
        self.response.close()

    @property
    def is_closed(self) -> bool:
        return self.response.is_closed


class AsyncSSETransport:
    name = "sse"

    def __init__(self, core: Core, http: httpx.AsyncClient) -> None:
        self._core = core
        self._http = http

    async def send(self, prepared: Prepared, credentials: Credentials) -> AsyncSSEReply:
        core = self._core
        request = core.build(self._http, prepared, credentials)
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise transport_error(exc) from None
        if core.accept(response):
            core.streaming_started(response)
            return AsyncSSEReply(core, response)
        raise Rejected(response, await aread_error_body(response))

    async def close(self) -> None:
        return None


class AsyncSSEReply:
    def __init__(self, core: Core, response: httpx.Response) -> None:
        self._core = core
        self.response = response

    async def events(self, state: StreamState) -> AsyncIterator[Event]:
        core, response = self._core, self.response
        try:
            if not core.is_stream(response):
                raise not_a_stream(response, await response.aread())
            async for chunk in response.aiter_bytes():
                if state.terminal is not None:
                    continue  # as in SSEReply.events
                for event in state.feed_bytes(chunk):
                    yield event
            state.finish()
        except READ_ERRORS as exc:
            if state.terminal is not None:
                return
            raise stream_read_error(state, exc) from None
        finally:
            await response.aclose()

    async def close(self) -> None:
        await self.response.aclose()

    @property
    def is_closed(self) -> bool:
        return self.response.is_closed


def read_error_body(response: httpx.Response) -> bytes:
    """The body of a non-2xx answer, up to ``MAX_ERROR_BODY`` bytes; a failure while reading it
    must not hide the status."""
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) >= MAX_ERROR_BODY:
                break
    except (httpx.TransportError, httpx.DecodingError):
        pass
    finally:
        response.close()
    return bytes(body[:MAX_ERROR_BODY])


async def aread_error_body(response: httpx.Response) -> bytes:
    body = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) >= MAX_ERROR_BODY:
                break
    except (httpx.TransportError, httpx.DecodingError):
        pass
    finally:
        await response.aclose()
    return bytes(body[:MAX_ERROR_BODY])
