"""What both clients share: request building and bookkeeping, with no I/O.

``Core`` turns keyword arguments into a normalised, validated ``Prepared`` request and holds
everything the two clients share (settings, credentials, the last rate limits). The clients
(``_sync_client``, ``_async_client``) differ only in how they send, sleep and iterate.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx
from pydantic_core import to_jsonable_python

from chatgpt_sdk import errors
from chatgpt_sdk._args import (
    check_headers,
    check_instance,
    check_optional_bool,
    check_optional_str,
    check_seconds,
)
from chatgpt_sdk._backends import Backend, backend_named
from chatgpt_sdk._replies import retry_hint
from chatgpt_sdk._stateful import (
    missing_store_error,
    record,
    replay,
    resolve_references,
    unknown_references,
)
from chatgpt_sdk._transport import (
    Prepared,
    RetryState,
)
from chatgpt_sdk._validate import validate_responses_request
from chatgpt_sdk.auth import Credentials, TokenProvider, default_token_provider
from chatgpt_sdk.catalog import (
    CatalogEntry,
    CatalogKey,
    ModelCatalog,
    ModelProfile,
    default_catalog,
)
from chatgpt_sdk.config import Settings
from chatgpt_sdk.normalize import ShapeError
from chatgpt_sdk.rate_limits import RateLimits, parse_rate_limits
from chatgpt_sdk.streaming import StreamState

if TYPE_CHECKING:
    from chatgpt_sdk.auth import TokenStore
    from chatgpt_sdk.models.responses import Response
    from chatgpt_sdk.stores import ResponseStore, StoredResponse

log = logging.getLogger("chatgpt_sdk")

__all__ = [
    "POOL_LIMITS",
    "READ_ERRORS",
    "AuthAttempt",
    "ClientBase",
    "Core",
    "TimeoutArg",
    "asleep",
    "include_usage",
    "is_event_stream",
    "sleep",
]

TimeoutArg = float | httpx.Timeout | None
# _AFTER_TERMINAL: once response.completed (or .incomplete) has arrived the reply is whole. The
# rest of the body is still read, and ignored, so the HTTP/1.1 connection goes back to the pool
# (closing it early would cost a new TLS handshake per request); a failure while reading that
# tail is not the reply's failure and is neither raised nor retried.
# Indirection so tests can observe backoff delays without waiting them out.
sleep = time.sleep
asleep = asyncio.sleep
# What reading a body can raise: the connection failing, or its content-encoding being corrupt.
READ_ERRORS = (httpx.TransportError, httpx.DecodingError)
# Enough idle connections for real concurrency (httpx keeps only 20 by default).
POOL_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=100)


class AuthAttempt:
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


class Core:
    """Request building and bookkeeping shared by both clients; no I/O."""

    def __init__(
        self,
        settings: Settings,
        token_provider: TokenProvider | None,
        catalog: ModelCatalog | None = None,
        responses_lite: bool | None = None,
        response_store: ResponseStore | str | None = None,
        *,
        token_store: str | TokenStore | None = None,
        profile: str | None = None,
    ) -> None:
        if token_provider is not None and not (
            callable(getattr(token_provider, "credentials", None))
            and callable(getattr(token_provider, "acredentials", None))
        ):
            raise TypeError(
                "token_provider must be a TokenProvider (with credentials() and acredentials()), "
                f"got {type(token_provider).__name__}"
            )
        check_instance("model_catalog", catalog, ModelCatalog, "a chatgpt_sdk.catalog.ModelCatalog")
        if token_provider is not None and (token_store is not None or profile is not None):
            raise ValueError(
                "token_store and profile choose the login the client reads; with your own "
                "token_provider, give them to it instead"
            )
        check_optional_str("profile", profile)
        self.settings = settings
        self._token_provider = token_provider
        self._token_store = token_store
        self._profile = profile
        self.rate_limits: RateLimits | None = None
        self.catalog = catalog if catalog is not None else default_catalog()
        self.responses_lite = check_optional_bool("responses_lite", responses_lite)
        self.known_catalog_key: CatalogKey | None = None
        self._backend: Backend | None = None
        if response_store is None:
            response_store = os.environ.get("CHATGPT_RESPONSE_STORE") or None
        if isinstance(response_store, str):
            from chatgpt_sdk.stores import open_store

            response_store = open_store(response_store)
        elif response_store is not None and not callable(getattr(response_store, "chain", None)):
            raise TypeError(
                "response_store must be a ResponseStore or a URL string ('memory', "
                f"'sqlite:///PATH', 'redis://HOST:PORT/DB'), got {type(response_store).__name__}"
            )
        self.response_store: ResponseStore | None = response_store

    @property
    def backend(self) -> Backend:
        """The backend's wire rules: as configured, else the kind of login found."""
        if self._backend is None:
            name = self.settings.backend or getattr(self.token_provider, "backend", None)
            self._backend = backend_named(name if isinstance(name, str) else "codex")
        return self._backend

    @property
    def base_url(self) -> str:
        return self.settings.base_url or self.backend.default_base_url

    @property
    def token_provider(self) -> TokenProvider:
        if self._token_provider is None:
            self._token_provider = default_token_provider(
                backend=self.settings.backend, profile=self._profile, token_store=self._token_store
            )
        return self._token_provider

    def timeout(self, timeout: TimeoutArg) -> httpx.Timeout:
        if isinstance(timeout, httpx.Timeout):
            return timeout
        timeout = check_seconds("timeout", timeout)
        # ``timeout`` bounds connecting, sending and the wait for the reply to start; once it
        # has started, ``streaming_started`` lets the gap between events grow to the idle timeout.
        return httpx.Timeout(self.settings.timeout if timeout is None else timeout)

    def streaming_started(self, response: httpx.Response) -> None:
        """From now on reads wait up to the idle timeout (WIRE 4.9: 300 s), not ``timeout``.

        A reasoning model may think for minutes between two events. httpx hands the request's
        timeout mapping to httpcore as is, and httpcore reads it when the body is first read, so
        changing it here (headers in, body unread) bounds every later read.
        """
        timeouts = response.request.extensions.get("timeout")
        if isinstance(timeouts, dict):
            timeouts["read"] = self.settings.stream_idle_timeout

    def url(self, path: str) -> str:
        return self.base_url + path

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
        headers = check_headers("extra_headers", extra_headers)
        check_instance("extra_body", extra_body, Mapping, "a mapping of extra body fields")
        data = to_jsonable_python(dict(params), by_alias=True, exclude_none=True)
        normalized = self.backend.normalize(
            data,
            default_instructions=self.settings.default_instructions,
            prompt_cache_key=self.settings.session_id,
        )
        store = self.response_store
        keep = store is not None and params.get("store") is not False
        if store is not None and "store" in normalized.overridden:
            # store=True is what a response store emulates: not an override to warn about.
            normalized = replace(
                normalized, overridden=tuple(f for f in normalized.overridden if f != "store")
            )
        if normalized.removed or normalized.overridden:
            self._unsupported(normalized.notes(), stacklevel=stacklevel + 1)
        # With a store the references are resolved later; without one validation refuses them.
        references: list[str] | None = [] if store is not None else None
        validate_responses_request(normalized.body, references=references)
        previous = normalized.emulated.get("previous_response_id")
        if store is None and previous is not None:
            raise missing_store_error("previous_response_id")
        if previous is not None and not isinstance(previous, str):
            raise TypeError(f"previous_response_id must be a string, got {type(previous).__name__}")
        body = normalized.body
        cache_key = body.get("prompt_cache_key")
        return Prepared(
            "POST",
            "/responses",
            json_body=body,
            extra_headers=headers,
            timeout=self.timeout(timeout),
            conversation_id=cache_key if isinstance(cache_key, str) else None,
            model=str(body["model"]),
            extra_body=to_jsonable_python(dict(extra_body), by_alias=True) if extra_body else None,
            previous_response_id=previous,
            references=tuple(references or ()),
            keep=keep,
            new_input=body["input"] if keep else None,
        )

    def resolved(
        self, prepared: Prepared, chain: list[StoredResponse], referenced: dict[str, Any]
    ) -> Prepared:
        """``prepared`` with its stored chain replayed and its references resolved."""
        assert prepared.json_body is not None
        missing = [ref for ref in prepared.references if ref not in referenced]
        if missing:
            raise unknown_references(prepared.references, referenced)
        current = resolve_references(prepared.json_body["input"], referenced)
        body = {**prepared.json_body, "input": replay(chain) + current}
        return replace(
            prepared,
            json_body=body,
            new_input=current if prepared.keep else None,
            _encoded=None,
        )

    def store_failed(self, response_id: str, error: Exception) -> None:
        warnings.warn(
            f"response {response_id} was not kept in the response store "
            f"({type(error).__name__}: {error}); a later previous_response_id naming it will "
            "not be found",
            RuntimeWarning,
            stacklevel=4,
        )

    def stored(self, prepared: Prepared, response: Response) -> StoredResponse | None:
        """What to keep of a completed response, if anything."""
        if not prepared.keep or response.status != "completed":
            return None
        assert prepared.json_body is not None
        instructions = prepared.json_body.get("instructions")
        return record(
            response,
            prepared.new_input or [],
            previous_response_id=prepared.previous_response_id,
            instructions=instructions if isinstance(instructions, str) else None,
        )

    def shaped(self, prepared: Prepared, profile: ModelProfile, *, stacklevel: int) -> Prepared:
        """``prepared`` in the shape its model takes (Lite or classic), then ``extra_body``."""
        assert prepared.json_body is not None
        try:
            shaped = self.backend.shape(prepared.json_body, profile)
        except ShapeError as exc:
            raise errors.BadRequestError(str(exc), status_code=400) from None
        if shaped.dropped:
            self._unsupported(shaped.dropped, stacklevel=stacklevel + 1)
        body = shaped.body
        if prepared.extra_body:
            body = {**body, **prepared.extra_body}
        hint = None
        if not profile.listed:
            hint = (
                f"'{profile.slug}' is not in the model catalog, so it was sent in the "
                f"{'Responses Lite' if profile.responses_lite else 'classic Responses'} shape; "
                "pass responses_lite=True (or False) to choose the other one."
            )
        return replace(
            prepared, json_body=body, shape_headers=shaped.headers, error_hint=hint, _encoded=None
        )

    def profile(
        self, entry: CatalogEntry, prepared: Prepared, responses_lite: bool | None
    ) -> ModelProfile:
        """The request's model's profile, with the call's or else the client's choice of shape."""
        choice = check_optional_bool("responses_lite", responses_lite)
        if choice is None:
            choice = self.responses_lite
        return entry.profile(prepared.model or "").with_lite(choice)

    def catalog_key(self, credentials: Credentials) -> CatalogKey:
        """Which account's catalog this client reads (``known_catalog_key`` once seen)."""
        if self.known_catalog_key is None:
            self.known_catalog_key = (
                self.base_url,
                self.settings.codex_version,
                credentials.account_id or "",
            )
        return self.known_catalog_key

    def catalog_loaded(
        self, key: CatalogKey, status: int, headers: httpx.Headers, content: bytes
    ) -> CatalogEntry:
        """Keep what ``GET /models`` answered: a catalog, a 304, or something unusable."""
        if status == 304:
            return self.catalog.revalidated(key) or self.catalog.fallback(key)
        try:
            models = json.loads(content)["models"]
        except (ValueError, KeyError, TypeError):
            models = None
        if not isinstance(models, list):
            log.warning("the model catalog was not readable; using the built-in table")
            return self.catalog.fallback(key)
        return self.catalog.store(key, models, headers.get("etag"))

    def catalog_failed(self, key: CatalogKey, error: Exception) -> CatalogEntry:
        log.warning("could not read the model catalog (%s); using the built-in table", error)
        return self.catalog.fallback(key)

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

    def _unsupported(self, dropped: Sequence[tuple[str, str]], *, stacklevel: int) -> None:
        details = "; ".join(f"{what} ({why})" for what, why in dropped)
        if self.settings.strict:
            raise errors.UnsupportedParameterError(
                f"The ChatGPT backend does not accept: {details}. Remove these parameters, or "
                "create the client with strict=False to have them dropped with a warning.",
                parameters=[what for what, _ in dropped],
            )
        warnings.warn(
            errors.UnsupportedParameterWarning(
                f"Parameters the ChatGPT backend does not accept were dropped: {details}"
            ),
            stacklevel=stacklevel + 1,
        )

    def models_request(self, timeout: TimeoutArg, etag: str | None = None) -> Prepared:
        return Prepared(
            "GET",
            "/models",
            params=self.backend.models_params(self.settings),
            extra_headers={"If-None-Match": etag} if etag else {},
            timeout=self.timeout(timeout),
            streaming=False,
        )

    def build(
        self, client: httpx.Client | httpx.AsyncClient, prepared: Prepared, creds: Credentials
    ) -> httpx.Request:
        headers = self.backend.headers(self.settings, creds, prepared)
        encoded = prepared.encoded(
            self.settings.compression_threshold if self.backend.compresses_requests else None
        )
        content = None
        if encoded is not None:
            content, encoding = encoded
            if encoding:
                headers["Content-Encoding"] = encoding
        return client.build_request(
            prepared.method,
            self.url(prepared.path),
            params=prepared.params or None,
            headers=headers,
            content=content,
            timeout=prepared.timeout,
        )

    def accept(self, response: httpx.Response) -> bool:
        """Record the usage windows of any answer; True when it is a 2xx (or 304) to read."""
        limits = parse_rate_limits(response.headers)
        if limits is not None:
            self.remember_rate_limits(limits)
        return response.is_success or response.status_code == 304

    def save_rate_limits(self) -> None:
        """At close: usage windows the login's store has not saved yet are saved now (a short
        script such as ``chatgpt-sdk ask`` ends before the background save; never raises)."""
        flush = getattr(self._token_provider, "flush_rate_limits", None)
        if callable(flush):
            flush()

    def remember_rate_limits(self, limits: RateLimits) -> None:
        """The last usage windows, here and in the login's store (shared by every replica)."""
        self.rate_limits = limits
        record = getattr(self._token_provider, "record_rate_limits", None)
        if callable(record):
            record(limits)

    def after_error(
        self,
        response: httpx.Response,
        content: bytes,
        retry: RetryState,
        auth: AuthAttempt,
        prepared: Prepared,
    ) -> float:
        """Seconds to wait before sending again after a non-2xx; raises when it is final.

        A 401 asks the provider for fresh credentials once per call (no wait); anything else goes
        through the retry budget.
        """
        if response.status_code == 401 and auth.refresh_once():
            return 0.0
        error = self.backend.error(
            response.status_code,
            response.headers,
            content,
            response=response,
            rate_limits=self.rate_limits,
            secrets=(auth.last_token,),
            hint=prepared.error_hint,
        )
        profile = getattr(self._token_provider, "profile", None)
        if isinstance(error, errors.UsageLimitError) and isinstance(profile, str) and profile:
            # No automatic switching between logins: say whose limit this is.
            error.message = f"Profile {profile!r}: {error.message}"
            error.args = (error.message,)
        return retry.next_delay(error, retry_hint(error))

    def after_stream_failure(
        self, error: errors.StreamError | errors.ResponseFailedError, retry: RetryState
    ) -> float:
        return retry.next_delay(error, retry_hint(error))

    def new_stream_state(self) -> StreamState:
        return StreamState(
            idle_timeout=self.settings.stream_idle_timeout, on_failure=self.backend.stream_failure
        )

    def new_retry(self) -> RetryState:
        return RetryState(self.settings.max_retries, retryable=self.backend.retryable)

    def is_stream(self, response: httpx.Response) -> bool:
        """Whether a 2xx is the event stream asked for (some backends send it untyped)."""
        if is_event_stream(response):
            return True
        return self.backend.accepts_untyped_streams and "content-type" not in response.headers


class ClientBase:
    """What both clients expose beyond their I/O: settings, session and the last usage windows."""

    _core: Core

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

    @property
    def backend(self) -> str:
        """Which backend this client speaks to: ``"codex"`` or ``"official"``."""
        return self._core.backend.name


def is_event_stream(response: httpx.Response) -> bool:
    return "text/event-stream" in response.headers.get("content-type", "")


def include_usage(params: Mapping[str, Any]) -> bool:
    options = params.get("stream_options")
    if options is None:
        return False
    if isinstance(options, Mapping):
        return bool(options.get("include_usage"))
    return bool(getattr(options, "include_usage", False))
