"""The async client's resources (``responses``, ``chat.completions``, ``models``): arguments in,
the client's I/O loop does the rest; the twin of ``_sync_resources``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from chatgpt_sdk._core import READ_ERRORS, TimeoutArg, include_usage
from chatgpt_sdk._replies import catalog_models, transport_error
from chatgpt_sdk.streaming import (
    AsyncResponseStream,
    AsyncResponseStreamManager,
    AsyncStream,
)

if TYPE_CHECKING:
    from chatgpt_sdk._async_client import AsyncChatGPT
    from chatgpt_sdk.models.catalog import Model
    from chatgpt_sdk.models.chat import ChatCompletion, ChatCompletionChunk
    from chatgpt_sdk.models.responses import Response
    from chatgpt_sdk.types import ChatCompletionCreateParams, ResponseCreateParams

__all__ = ["AsyncChat", "AsyncCompletions", "AsyncModels", "AsyncResponses"]


class AsyncResponses:
    def __init__(self, client: AsyncChatGPT) -> None:
        self._client = client

    @overload
    async def create(
        self,
        *,
        stream: Literal[False] = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response: ...

    @overload
    async def create(
        self,
        *,
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> AsyncResponseStream: ...

    @overload
    async def create(
        self,
        *,
        stream: bool,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response | AsyncResponseStream: ...

    async def create(
        self,
        *,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response | AsyncResponseStream:
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        prepared = await self._client._shaped(prepared, responses_lite, stacklevel=2)
        if stream:
            return await self._client._stream(prepared)
        return await self._client._complete(prepared)

    def stream(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> AsyncResponseStreamManager:
        """``async with aclient.responses.stream(...) as s``: sends on entry, closes on exit."""
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        client = self._client

        async def open_stream() -> AsyncResponseStream:
            return await client._stream(
                await client._shaped(prepared, responses_lite, stacklevel=3)
            )

        return AsyncResponseStreamManager(open_stream)

    async def prewarm(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> bool:
        """The async twin of ``ChatGPT.responses.prewarm``."""
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        prepared = await self._client._shaped(prepared, responses_lite, stacklevel=2)
        return await self._client._prewarm(prepared)


class AsyncCompletions:
    def __init__(self, client: AsyncChatGPT) -> None:
        self._client = client

    @overload
    async def create(
        self,
        *,
        stream: Literal[False] = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion: ...

    @overload
    async def create(
        self,
        *,
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> AsyncStream[ChatCompletionChunk]: ...

    @overload
    async def create(
        self,
        *,
        stream: bool,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]: ...

    async def create(
        self,
        *,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]:
        from chatgpt_sdk import bridge

        prepared = self._client._core.chat_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        prepared = await self._client._shaped(prepared, responses_lite, stacklevel=2)
        model = params["model"]
        if stream:
            events = await self._client._stream(prepared)
            return AsyncStream(
                bridge.achat_chunks(events, model=model, include_usage=include_usage(params)),
                events.close,
            )
        response = await self._client._complete(prepared)
        return bridge.response_to_chat_completion(response, model=model)


class AsyncChat:
    def __init__(self, client: AsyncChatGPT) -> None:
        self.completions = AsyncCompletions(client)


class AsyncModels:
    def __init__(self, client: AsyncChatGPT) -> None:
        self._client = client

    async def list(self, *, timeout: TimeoutArg = None) -> list[Model]:
        client = self._client
        prepared = client._core.models_request(timeout)
        response = await client._send(prepared, client._core.new_retry())
        try:
            content = await response.aread()
        except READ_ERRORS as exc:
            raise transport_error(exc) from None
        finally:
            await response.aclose()
        return catalog_models(response, content)
