"""The sync client's resources (``responses``, ``chat.completions``, ``models``): arguments in,
the client's I/O loop does the rest; the twin of ``_async_resources``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from chatgpt_sdk._core import READ_ERRORS, TimeoutArg, include_usage
from chatgpt_sdk._replies import catalog_models, transport_error
from chatgpt_sdk.streaming import ResponseStream, Stream

if TYPE_CHECKING:
    from chatgpt_sdk._sync_client import ChatGPT
    from chatgpt_sdk.models.catalog import Model
    from chatgpt_sdk.models.chat import ChatCompletion, ChatCompletionChunk
    from chatgpt_sdk.models.responses import Response
    from chatgpt_sdk.types import ChatCompletionCreateParams, ResponseCreateParams

__all__ = ["Chat", "Completions", "Models", "Responses"]


class Responses:
    """``client.responses``: the backend's native API."""

    def __init__(self, client: ChatGPT) -> None:
        self._client = client

    @overload
    def create(
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
    def create(
        self,
        *,
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> ResponseStream: ...

    @overload
    def create(
        self,
        *,
        stream: bool,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response | ResponseStream: ...

    def create(
        self,
        *,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response | ResponseStream:
        """Create a response; ``stream=True`` returns the typed events as they arrive."""
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        prepared = self._client._shaped(prepared, responses_lite, stacklevel=2)
        if stream:
            return self._client._stream(prepared)
        return self._client._complete(prepared)

    def stream(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> ResponseStream:
        """A context manager over a streamed response: ``text_deltas()``, ``get_final_response()``."""
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        return self._client._stream(self._client._shaped(prepared, responses_lite, stacklevel=2))

    def prewarm(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> bool:
        """Start a conversation warm, as Codex does: over the WebSocket, send these parameters
        (model, instructions, tools, the first items) with ``generate: false``. Nothing is
        generated; the next ``create`` whose input begins with this input is sent chained, with
        only the new items. Returns False, having sent nothing, when the client uses HTTP SSE."""
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        return self._client._prewarm(self._client._shaped(prepared, responses_lite, stacklevel=2))


class Completions:
    """``client.chat.completions``: Chat Completions, bridged onto the Responses backend."""

    def __init__(self, client: ChatGPT) -> None:
        self._client = client

    @overload
    def create(
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
    def create(
        self,
        *,
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> Stream[ChatCompletionChunk]: ...

    @overload
    def create(
        self,
        *,
        stream: bool,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion | Stream[ChatCompletionChunk]: ...

    def create(
        self,
        *,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        responses_lite: bool | None = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion | Stream[ChatCompletionChunk]:
        from chatgpt_sdk import bridge

        prepared = self._client._core.chat_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        prepared = self._client._shaped(prepared, responses_lite, stacklevel=2)
        model = params["model"]
        if stream:
            events = self._client._stream(prepared)
            chunks = bridge.chat_chunks(events, model=model, include_usage=include_usage(params))
            return Stream(chunks, events.close)
        return bridge.response_to_chat_completion(self._client._complete(prepared), model=model)


class Chat:
    def __init__(self, client: ChatGPT) -> None:
        self.completions = Completions(client)


class Models:
    """``client.models``: the account's live model catalog."""

    def __init__(self, client: ChatGPT) -> None:
        self._client = client

    def list(self, *, timeout: TimeoutArg = None) -> list[Model]:
        client = self._client
        prepared = client._core.models_request(timeout)
        response = client._send(prepared, client._core.new_retry())
        try:
            content = response.read()
        except READ_ERRORS as exc:
            raise transport_error(exc) from None
        finally:
            response.close()
        return catalog_models(response, content)
