"""``ChatGPT`` and ``AsyncChatGPT``: one request core, two small I/O loops.

``_Core`` turns keyword arguments into a normalised, validated ``Prepared`` request and holds
everything the two clients share (settings, credentials, the last rate limits). The clients
differ only in how they send, sleep and iterate.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx
from pydantic_core import to_jsonable_python
from typing_extensions import Self, Unpack

from chatgpt_sdk import errors
from chatgpt_sdk._transport import (
    Prepared,
    RetryState,
    build_headers,
    error_from_response,
    failure_delay,
    retry_after_seconds,
)
from chatgpt_sdk._validate import validate_responses_request
from chatgpt_sdk.auth import Credentials, TokenProvider, default_token_provider
from chatgpt_sdk.config import CODEX_VERSION, Settings, resolve
from chatgpt_sdk.normalize import FIELDS, Normalized, normalize_request
from chatgpt_sdk.rate_limits import RateLimits, parse_rate_limits
from chatgpt_sdk.streaming import (
    AsyncResponseStream,
    AsyncResponseStreamManager,
    AsyncStream,
    Event,
    ResponseStream,
    Stream,
    StreamState,
)

if TYPE_CHECKING:
    from types import TracebackType

    from chatgpt_sdk.models.catalog import Model
    from chatgpt_sdk.models.chat import ChatCompletion, ChatCompletionChunk
    from chatgpt_sdk.models.responses import Response
    from chatgpt_sdk.types import ChatCompletionCreateParams, ResponseCreateParams

__all__ = ["AsyncChatGPT", "ChatGPT"]

TimeoutArg = float | httpx.Timeout | None
# _AFTER_TERMINAL: once response.completed (or .incomplete) has arrived the reply is whole. The
# rest of the body is still read, and ignored, so the HTTP/1.1 connection goes back to the pool
# (closing it early would cost a new TLS handshake per request); a failure while reading that
# tail is not the reply's failure and is neither raised nor retried.
# Indirection so tests can observe backoff delays without waiting them out.
_sleep = time.sleep
_asleep = asyncio.sleep
# Enough idle connections for real concurrency (httpx keeps only 20 by default).
_POOL_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=100)


class _AuthAttempt:
    """One call's use of credentials: a 401 earns exactly one forced refresh, whatever follows."""

    __slots__ = ("_force_next", "_refreshed", "last_token")

    def __init__(self) -> None:
        self._force_next = False
        self._refreshed = False
        self.last_token = ""

    def refresh_once(self) -> bool:
        """After a 401: True (and the next credentials are forced fresh) the first time only."""
        if self._refreshed:
            return False
        self._refreshed = self._force_next = True
        return True

    def take_refresh(self) -> bool:
        force, self._force_next = self._force_next, False
        return force


class _Core:
    """Request building and bookkeeping shared by both clients; no I/O."""

    def __init__(self, settings: Settings, token_provider: TokenProvider | None) -> None:
        self.settings = settings
        self._token_provider = token_provider
        self.rate_limits: RateLimits | None = None

    @property
    def token_provider(self) -> TokenProvider:
        if self._token_provider is None:
            self._token_provider = default_token_provider()
        return self._token_provider

    def timeout(self, timeout: TimeoutArg) -> httpx.Timeout:
        if isinstance(timeout, httpx.Timeout):
            return timeout
        total = self.settings.timeout if timeout is None else timeout
        # Reading is bounded by the gap allowed between two stream events (WIRE 4.9: 300 s), not
        # by ``timeout``: a reasoning model may think for minutes between its first and last event.
        return httpx.Timeout(total, read=self.settings.stream_idle_timeout)

    def url(self, path: str) -> str:
        return self.settings.base_url + path

    def responses_request(
        self,
        params: Mapping[str, Any],
        extra_headers: Mapping[str, str] | None,
        extra_body: Mapping[str, Any] | None,
        timeout: TimeoutArg,
        *,
        stacklevel: int,
    ) -> Prepared:
        """Normalise and validate a Responses request; nothing is sent when this raises."""
        data = to_jsonable_python(dict(params), by_alias=True, exclude_none=True)
        normalized = normalize_request(
            data,
            default_instructions=self.settings.default_instructions,
            prompt_cache_key=self.settings.session_id,
        )
        if normalized.removed or normalized.overridden:
            self._unsupported(normalized, stacklevel=stacklevel + 1)
        validate_responses_request(normalized.body)
        body = normalized.body
        if extra_body:
            body = {**body, **to_jsonable_python(dict(extra_body), by_alias=True)}
        cache_key = body.get("prompt_cache_key")
        return Prepared(
            "POST",
            "/responses",
            json_body=body,
            extra_headers=dict(extra_headers or {}),
            timeout=self.timeout(timeout),
            conversation_id=cache_key if isinstance(cache_key, str) else None,
        )

    def chat_request(
        self,
        params: Mapping[str, Any],
        extra_headers: Mapping[str, str] | None,
        extra_body: Mapping[str, Any] | None,
        timeout: TimeoutArg,
        *,
        stacklevel: int,
    ) -> Prepared:
        """A Chat request, validated, bridged to Responses, then prepared like any other.

        The Chat request is validated first, so a malformed message is a ``ValidationError``
        naming it, not a ``KeyError`` from inside the bridge.
        """
        from chatgpt_sdk import bridge
        from chatgpt_sdk.models.chat import CreateChatCompletionRequest

        CreateChatCompletionRequest.model_validate(params)
        request = bridge.chat_request_to_responses(params)
        data = request.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)
        return self.responses_request(
            data, extra_headers, extra_body, timeout, stacklevel=stacklevel + 1
        )

    def _unsupported(self, normalized: Normalized, *, stacklevel: int) -> None:
        parts = [f"{name} ({FIELDS[name].evidence})" for name in normalized.removed]
        parts += [
            f"{name}={FIELDS[name].value!r} is forced ({FIELDS[name].evidence})"
            for name in normalized.overridden
        ]
        details = "; ".join(parts)
        if self.settings.strict:
            raise errors.UnsupportedParameterError(
                f"The ChatGPT backend does not accept: {details}. Remove these parameters, or "
                "create the client with strict=False to have them dropped with a warning.",
                parameters=normalized.removed + normalized.overridden,
            )
        warnings.warn(
            errors.UnsupportedParameterWarning(
                f"Parameters the ChatGPT backend does not accept were dropped: {details}"
            ),
            stacklevel=stacklevel + 1,
        )

    def models_request(self, timeout: TimeoutArg) -> Prepared:
        return Prepared(
            "GET",
            "/models",
            params={"client_version": CODEX_VERSION},
            timeout=self.timeout(timeout),
            streaming=False,
        )

    def build(
        self, client: httpx.Client | httpx.AsyncClient, prepared: Prepared, creds: Credentials
    ) -> httpx.Request:
        return client.build_request(
            prepared.method,
            self.url(prepared.path),
            params=prepared.params or None,
            headers=build_headers(self.settings, creds, prepared),
            content=prepared.content(),
            timeout=prepared.timeout,
        )

    def accept(self, response: httpx.Response) -> bool:
        """Record the usage windows of any answer; True when it is a 2xx to read."""
        limits = parse_rate_limits(response.headers)
        if limits is not None:
            self.rate_limits = limits
        return response.is_success

    def after_error(
        self, response: httpx.Response, content: bytes, retry: RetryState, auth: _AuthAttempt
    ) -> float:
        """Seconds to wait before sending again after a non-2xx; raises when it is final.

        A 401 asks the provider for fresh credentials once per call (no wait); anything else goes
        through the retry budget.
        """
        if response.status_code == 401 and auth.refresh_once():
            return 0.0
        error = error_from_response(
            response.status_code,
            response.headers,
            content,
            response,
            self.rate_limits,
            secrets=(auth.last_token,),
        )
        return retry.next_delay(error, self.retry_hint(error))

    def after_stream_failure(
        self, error: errors.StreamError | errors.ResponseFailedError, retry: RetryState
    ) -> float:
        return retry.next_delay(error, self.retry_hint(error))

    def new_retry(self) -> RetryState:
        return RetryState(self.settings.max_retries)

    @staticmethod
    def transport_error(exc: httpx.TransportError) -> errors.APIConnectionError:
        if isinstance(exc, httpx.TimeoutException):
            return errors.APITimeoutError(f"request timed out: {type(exc).__name__}")
        return errors.APIConnectionError(f"could not reach the backend: {exc!r}")

    @staticmethod
    def expect_event_stream(response: httpx.Response, read: Callable[[], bytes]) -> None:
        """A 2xx that is not an event stream (a proxy's page, say) is a clear StreamError."""
        if _is_event_stream(response):
            return
        kind = response.headers.get("content-type", "no content type")
        snippet = read()[:200].decode("utf-8", "replace")
        raise errors.StreamError(
            f"expected an event stream from the backend, got {kind}: {snippet!r}"
        )

    @staticmethod
    def stream_read_error(state: StreamState, exc: httpx.TransportError) -> errors.StreamError:
        if isinstance(exc, httpx.ReadTimeout):
            return state.stream_error("no stream event within the idle timeout; stream dropped")
        return state.stream_error(f"stream dropped: {type(exc).__name__}: {exc}")

    @staticmethod
    def retry_hint(error: Exception) -> float | None:
        if isinstance(error, errors.ResponseFailedError):
            return failure_delay(error.message)
        if isinstance(error, errors.APIStatusError) and error.response is not None:
            return retry_after_seconds(error.response.headers)
        return None

    @staticmethod
    def models(content: bytes) -> list[Model]:
        from chatgpt_sdk.models.catalog import ModelCatalog

        return ModelCatalog.model_validate_json(content).models


class _ClientBase:
    """What both clients expose beyond their I/O: settings, session and the last usage windows."""

    _core: _Core

    @property
    def session_id(self) -> str:
        """The conversation id sent as ``session_id`` and used as the default prompt cache key."""
        return self._core.settings.session_id

    @property
    def rate_limits(self) -> RateLimits | None:
        """The usage windows from the last response seen (None before the first)."""
        return self._core.rate_limits

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._core.settings.base_url!r})"


# --------------------------------------------------------------------------------- sync


class ChatGPT(_ClientBase):
    """The synchronous client. Credentials come from ``token_provider`` (default: the auth file)."""

    def __init__(
        self,
        *,
        token_provider: TokenProvider | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        session_id: str | None = None,
        strict: bool = False,
        originator: str | None = None,
        user_agent: str | None = None,
        default_instructions: str | None = None,
        stream_idle_timeout: float | None = None,
    ) -> None:
        settings = resolve(
            base_url=base_url,
            originator=originator,
            user_agent=user_agent,
            default_instructions=default_instructions,
            session_id=session_id,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            max_retries=max_retries,
            strict=strict,
        )
        self._core = _Core(settings, token_provider)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(limits=_POOL_LIMITS, follow_redirects=False)
        self.responses = Responses(self)
        self.chat = Chat(self)
        self.models = Models(self)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- I/O loop ------------------------------------------------------------------------

    def _send(self, prepared: Prepared, retry: RetryState) -> httpx.Response:
        """A 2xx response with its body unread; 401 refreshes once, failures retry."""
        core, auth = self._core, _AuthAttempt()
        while True:
            creds = core.token_provider.credentials(force_refresh=auth.take_refresh())
            auth.last_token = creds.access_token
            request = core.build(self._http, prepared, creds)
            try:
                response = self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                _sleep(retry.next_delay(core.transport_error(exc)))
                continue
            if core.accept(response):
                return response
            content = _read_error_body(response)
            _sleep(core.after_error(response, content, retry, auth))

    def _events(
        self,
        prepared: Prepared,
        state: StreamState,
        retry: RetryState,
        response: httpx.Response,
        *,
        restartable: bool,
    ) -> Iterator[Event]:
        """Events of one response; reconnects on a retryable failure until one reached the caller."""
        delivered = False
        while True:
            try:
                try:
                    self._core.expect_event_stream(response, response.read)
                    for chunk in response.iter_bytes():
                        if state.terminal is not None:
                            continue  # see _AFTER_TERMINAL
                        for event in state.feed_bytes(chunk):
                            delivered = not restartable
                            yield event
                    state.finish()
                    return
                except httpx.TransportError as exc:
                    if state.terminal is not None:
                        return  # the reply was complete before the connection failed
                    raise self._core.stream_read_error(state, exc) from None
                finally:
                    response.close()
            except (errors.StreamError, errors.ResponseFailedError) as error:
                if delivered:
                    raise
                delay = self._core.after_stream_failure(error, retry)
            _sleep(delay)
            state.reset()
            response = self._send(prepared, retry)

    def _stream(self, prepared: Prepared) -> ResponseStream:
        """Sends now, so status errors raise here; the events are read as they are iterated."""
        state, retry = StreamState(), self._core.new_retry()
        response = self._send(prepared, retry)
        events = self._events(prepared, state, retry, response, restartable=False)
        return ResponseStream(events, state, close=response.close)

    def _complete(self, prepared: Prepared) -> Response:
        state, retry = StreamState(), self._core.new_retry()
        response = self._send(prepared, retry)
        for _ in self._events(prepared, state, retry, response, restartable=True):
            pass
        return state.final_response()


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
        **params: Unpack[ResponseCreateParams],
    ) -> Response | ResponseStream: ...

    def create(
        self,
        *,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response | ResponseStream:
        """Create a response; ``stream=True`` returns the typed events as they arrive."""
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        if stream:
            response_stream = self._client._stream(prepared)
            return response_stream
        return self._client._complete(prepared)

    def stream(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        **params: Unpack[ResponseCreateParams],
    ) -> ResponseStream:
        """A context manager over a streamed response: ``text_deltas()``, ``get_final_response()``."""
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        return self._client._stream(prepared)


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
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion | Stream[ChatCompletionChunk]: ...

    def create(
        self,
        *,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion | Stream[ChatCompletionChunk]:
        from chatgpt_sdk import bridge

        prepared = self._client._core.chat_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        model = params["model"]
        if stream:
            events = self._client._stream(prepared)
            chunks = bridge.chat_chunks(events, model=model, include_usage=_include_usage(params))
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
        except httpx.TransportError as exc:
            raise client._core.transport_error(exc) from None
        finally:
            response.close()
        return client._core.models(content)


# -------------------------------------------------------------------------------- async


class AsyncChatGPT(_ClientBase):
    """The asynchronous client: the same surface as ``ChatGPT``, awaited and async-iterated."""

    def __init__(
        self,
        *,
        token_provider: TokenProvider | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
        session_id: str | None = None,
        strict: bool = False,
        originator: str | None = None,
        user_agent: str | None = None,
        default_instructions: str | None = None,
        stream_idle_timeout: float | None = None,
    ) -> None:
        settings = resolve(
            base_url=base_url,
            originator=originator,
            user_agent=user_agent,
            default_instructions=default_instructions,
            session_id=session_id,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            max_retries=max_retries,
            strict=strict,
        )
        self._core = _Core(settings, token_provider)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(limits=_POOL_LIMITS, follow_redirects=False)
        self.responses = AsyncResponses(self)
        self.chat = AsyncChat(self)
        self.models = AsyncModels(self)

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _send(self, prepared: Prepared, retry: RetryState) -> httpx.Response:
        core, auth = self._core, _AuthAttempt()
        while True:
            creds = await core.token_provider.acredentials(force_refresh=auth.take_refresh())
            auth.last_token = creds.access_token
            request = core.build(self._http, prepared, creds)
            try:
                response = await self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                await _asleep(retry.next_delay(core.transport_error(exc)))
                continue
            if core.accept(response):
                return response
            content = await _aread_error_body(response)
            await _asleep(core.after_error(response, content, retry, auth))

    async def _events(
        self,
        prepared: Prepared,
        state: StreamState,
        retry: RetryState,
        response: httpx.Response,
        *,
        restartable: bool,
    ) -> AsyncIterator[Event]:
        delivered = False
        while True:
            try:
                try:
                    if not _is_event_stream(response):
                        await response.aread()
                    self._core.expect_event_stream(response, response.read)
                    async for chunk in response.aiter_bytes():
                        if state.terminal is not None:
                            continue  # see _AFTER_TERMINAL
                        for event in state.feed_bytes(chunk):
                            delivered = not restartable
                            yield event
                    state.finish()
                    return
                except httpx.TransportError as exc:
                    if state.terminal is not None:
                        return  # the reply was complete before the connection failed
                    raise self._core.stream_read_error(state, exc) from None
                finally:
                    await response.aclose()
            except (errors.StreamError, errors.ResponseFailedError) as error:
                if delivered:
                    raise
                delay = self._core.after_stream_failure(error, retry)
            await _asleep(delay)
            state.reset()
            response = await self._send(prepared, retry)

    async def _stream(self, prepared: Prepared) -> AsyncResponseStream:
        """Sends now, so status errors raise from the ``await``; events are read as iterated."""
        state, retry = StreamState(), self._core.new_retry()
        response = await self._send(prepared, retry)
        events = self._events(prepared, state, retry, response, restartable=False)
        return AsyncResponseStream(events, state, close=response.aclose)

    async def _complete(self, prepared: Prepared) -> Response:
        state, retry = StreamState(), self._core.new_retry()
        response = await self._send(prepared, retry)
        async for _ in self._events(prepared, state, retry, response, restartable=True):
            pass
        return state.final_response()


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
        **params: Unpack[ResponseCreateParams],
    ) -> Response | AsyncResponseStream: ...

    async def create(
        self,
        *,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response | AsyncResponseStream:
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        if stream:
            return await self._client._stream(prepared)
        return await self._client._complete(prepared)

    def stream(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        **params: Unpack[ResponseCreateParams],
    ) -> AsyncResponseStreamManager:
        """``async with aclient.responses.stream(...) as s``: sends on entry, closes on exit."""
        prepared = self._client._core.responses_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        return AsyncResponseStreamManager(lambda: self._client._stream(prepared))


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
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]: ...

    async def create(
        self,
        *,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        **params: Unpack[ChatCompletionCreateParams],
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]:
        from chatgpt_sdk import bridge

        prepared = self._client._core.chat_request(
            params, extra_headers, extra_body, timeout, stacklevel=2
        )
        model = params["model"]
        if stream:
            events = await self._client._stream(prepared)
            return AsyncStream(
                bridge.achat_chunks(events, model=model, include_usage=_include_usage(params)),
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
        except httpx.TransportError as exc:
            raise client._core.transport_error(exc) from None
        finally:
            await response.aclose()
        return client._core.models(content)


# ------------------------------------------------------------------------------- helpers


def _read_error_body(response: httpx.Response) -> bytes:
    """The body of a non-2xx answer; a failure while reading it must not hide the status."""
    try:
        return response.read()
    except httpx.TransportError:
        return b""
    finally:
        response.close()


async def _aread_error_body(response: httpx.Response) -> bytes:
    try:
        return await response.aread()
    except httpx.TransportError:
        return b""
    finally:
        await response.aclose()


def _is_event_stream(response: httpx.Response) -> bool:
    return "text/event-stream" in response.headers.get("content-type", "")


def _include_usage(params: Mapping[str, Any]) -> bool:
    options = params.get("stream_options")
    if options is None:
        return False
    if isinstance(options, Mapping):
        return bool(options.get("include_usage"))
    return bool(getattr(options, "include_usage", False))
