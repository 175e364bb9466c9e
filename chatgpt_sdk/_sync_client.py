"""``ChatGPT``: the synchronous client (its resources are in ``_sync_resources``); only the I/O
loop is its own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import httpx
from typing_extensions import Self

from chatgpt_sdk import _core, errors
from chatgpt_sdk._args import check_instance
from chatgpt_sdk._core import (
    POOL_LIMITS,
    READ_ERRORS,
    AuthAttempt,
    ClientBase,
    Core,
)
from chatgpt_sdk._replies import transport_error
from chatgpt_sdk._stateful import previous_not_found
from chatgpt_sdk._sync_resources import Chat, Models, Responses
from chatgpt_sdk._transport import Prepared, RetryState
from chatgpt_sdk._transports import FallBack, Rejected, Reply, Transport, wants_websocket
from chatgpt_sdk._transports.sse import SSETransport
from chatgpt_sdk._transports.sse import read_error_body as _read_error_body
from chatgpt_sdk.auth import TokenProvider
from chatgpt_sdk.catalog import CatalogEntry, CatalogKey, ModelCatalog
from chatgpt_sdk.config import resolve
from chatgpt_sdk.stores._base import ResponseNotFound
from chatgpt_sdk.streaming import Event, ResponseStream, StreamState

if TYPE_CHECKING:
    from types import TracebackType

    from chatgpt_sdk._transports.websocket import WebSocketTransport
    from chatgpt_sdk.auth import TokenStore
    from chatgpt_sdk.models.responses import Response
    from chatgpt_sdk.stores import ResponseStore

__all__ = ["ChatGPT"]


class ChatGPT(ClientBase):
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
        responses_lite: bool | None = None,
        compression: bool | None = None,
        model_catalog: ModelCatalog | None = None,
        response_store: ResponseStore | str | None = None,
        token_store: str | TokenStore | None = None,
        profile: str | None = None,
        backend: Literal["codex", "official"] | None = None,
        transport: Literal["auto", "sse", "websocket"] = "auto",
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
            compression=compression,
            backend=backend,
            transport=transport,
        )
        self._core = Core(
            settings,
            token_provider,
            model_catalog,
            responses_lite,
            response_store,
            token_store=token_store,
            profile=profile,
        )
        check_instance("http_client", http_client, httpx.Client, "an httpx.Client")
        self._owns_http = http_client is None
        if http_client is None:
            from chatgpt_sdk._pool import fair_client

            http_client = fair_client(POOL_LIMITS, follow_redirects=False)
        self._http = http_client
        self._sse = SSETransport(self._core, http_client)
        self._ws: WebSocketTransport | None = None
        self._use_ws: bool | None = None  # decided on first use (the backend may need a login)
        self.responses = Responses(self)
        self.chat = Chat(self)
        self.models = Models(self)

    @property
    def transport(self) -> str:
        """How responses travel now: ``"websocket"`` or ``"sse"`` (after a fallback, too)."""
        return self._transport().name

    def close(self) -> None:
        self._core.save_rate_limits()
        if self._ws is not None:
            self._ws.close()
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
        core, auth = self._core, AuthAttempt()
        while True:
            creds = core.token_provider.credentials(force_refresh=auth.take_refresh())
            auth.last_token = creds.access_token
            request = core.build(self._http, prepared, creds)
            try:
                response = self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                _core.sleep(retry.next_delay(transport_error(exc)))
                continue
            if core.accept(response):
                core.streaming_started(response)
                return response
            content = _read_error_body(response)
            _core.sleep(core.after_error(response, content, retry, auth, prepared))

    def _transport(self) -> Transport:
        """The WebSocket where this client uses it (until it falls back), else HTTP SSE."""
        ws = self._ws
        if ws is None:
            if self._use_ws is None:
                self._use_ws = wants_websocket(self._core, self._owns_http)
            if not self._use_ws:
                return self._sse
            from chatgpt_sdk._transports.websocket import WebSocketTransport

            ws = self._ws = WebSocketTransport(
                self._core, fallback=self._core.settings.transport == "auto"
            )
        return self._sse if ws.fell_back else ws

    def _open(self, prepared: Prepared, retry: RetryState) -> Reply:
        """A started reply over this client's transport; 401 refreshes once, failures retry."""
        core, auth = self._core, AuthAttempt()
        creds = None
        while True:
            if creds is None:
                creds = core.token_provider.credentials(force_refresh=auth.take_refresh())
                auth.last_token = creds.access_token
            transport = self._transport()
            try:
                return transport.send(prepared, creds)
            except FallBack:
                transport.close()
                if (prepared.json_body or {}).get("generate") is False:
                    raise  # a prewarm means nothing over HTTP
                continue  # the same attempt, over HTTP SSE, at once
            except Rejected as rejected:
                delay = core.after_error(rejected.response, rejected.content, retry, auth, prepared)
            except errors.APIConnectionError as error:
                delay = retry.next_delay(error)
            creds = None
            _core.sleep(delay)

    def _shaped(
        self, prepared: Prepared, responses_lite: bool | None, *, stacklevel: int
    ) -> Prepared:
        """``prepared`` in its model's shape, the model catalog read first if need be."""
        core = self._core
        if prepared.previous_response_id is not None or prepared.references:
            prepared = self._resolved(prepared)
        key = core.known_catalog_key or core.catalog_key(core.token_provider.credentials())
        entry = core.catalog.fresh(key) or self._fetch_catalog(key)
        profile = core.profile(entry, prepared, responses_lite)
        return core.shaped(prepared, profile, stacklevel=stacklevel + 1)

    def _fetch_catalog(self, key: CatalogKey) -> CatalogEntry:
        core = self._core
        with core.catalog.fetch_lock(key):
            entry = core.catalog.fresh(key)
            if entry is not None:
                return entry  # another thread fetched it while this one waited
            prepared = core.models_request(None, core.catalog.etag(key))
            try:
                response = self._send(prepared, RetryState(0))
                try:
                    content = response.read()
                finally:
                    response.close()
            except READ_ERRORS as exc:
                return core.catalog_failed(key, exc)
            except (errors.APIConnectionError, errors.APIStatusError) as exc:
                if isinstance(exc, errors.AuthenticationError):
                    raise
                return core.catalog_failed(key, exc)
            return core.catalog_loaded(key, response.status_code, response.headers, content)

    def _events(
        self,
        prepared: Prepared,
        state: StreamState,
        retry: RetryState,
        current: list[Reply],
        *,
        restartable: bool,
    ) -> Iterator[Event]:
        """Events of one response; sends again on a retryable failure until one reached the caller."""
        delivered = False
        while True:
            reply = current[0]
            try:
                for event in reply.events(state):
                    delivered = not restartable
                    yield event
                return
            except (errors.StreamError, errors.ResponseFailedError) as error:
                if delivered:
                    raise
                delay = self._core.after_stream_failure(error, retry)
            finally:
                reply.close()
            _core.sleep(delay)
            state.reset()
            current[0] = self._open(prepared, retry)

    def _stream(self, prepared: Prepared) -> ResponseStream:
        """Sends now, so status errors raise here; the events are read as they are iterated."""
        state, retry = self._core.new_stream_state(), self._core.new_retry()
        current = [self._open(prepared, retry)]
        events = self._events(prepared, state, retry, current, restartable=False)
        if prepared.keep:
            events = self._remembering(prepared, state, events)
        return ResponseStream(
            events, state, close=lambda: current[0].close(), is_closed=lambda: current[0].is_closed
        )

    def _complete(self, prepared: Prepared) -> Response:
        state, retry = self._core.new_stream_state(), self._core.new_retry()
        current = [self._open(prepared, retry)]
        for _ in self._events(prepared, state, retry, current, restartable=True):
            pass
        return self._remember(prepared, state.final_response())

    def _remembering(
        self, prepared: Prepared, state: StreamState, events: Iterator[Event]
    ) -> Iterator[Event]:
        yield from events
        self._remember(prepared, state.final_response())

    def _resolved(self, prepared: Prepared) -> Prepared:
        """The stored chain and references of ``prepared``, read from the response store."""
        store = self._core.response_store
        assert store is not None
        chain = []
        if prepared.previous_response_id is not None:
            try:
                chain = store.chain(prepared.previous_response_id)
            except ResponseNotFound as exc:
                raise previous_not_found(prepared.previous_response_id, exc.id) from None
        referenced = store.find_items(prepared.references) if prepared.references else {}
        return self._core.resolved(prepared, chain, referenced)

    def _remember(self, prepared: Prepared, response: Response) -> Response:
        """Keep a completed response in the response store, when the call asked for it."""
        stored = self._core.stored(prepared, response)
        if stored is not None:
            store = self._core.response_store
            assert store is not None
            try:
                store.put(stored)
            except Exception as exc:  # the answer stands; only its keeping failed, loudly
                self._core.store_failed(stored.id, exc)
        return response

    def _prewarm(self, prepared: Prepared) -> bool:
        """Over the WebSocket: ``generate: false`` with this request, so that the next turn
        continues it warm; False (and nothing sent) over HTTP SSE."""
        if self._transport().name != "websocket":
            return False
        assert prepared.json_body is not None
        warm = replace(prepared, json_body={**prepared.json_body, "generate": False}, _encoded=None)
        try:
            self._complete(warm)
        except FallBack:
            return False
        return True
