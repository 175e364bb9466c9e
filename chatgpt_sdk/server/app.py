"""The OpenAI-compatible proxy: a Starlette app in front of one shared ``AsyncChatGPT``.

Requests are translated with the same public pieces an SDK user has (``bridge`` for Chat, the
normaliser's table for unsupported fields), then sent with ``client.responses.create``. Doing the
dropping here, per request and before the client sees the request, is what lets the proxy name
the dropped fields in a response header without process-global warning filters, which are not
safe across concurrent requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import ipaddress
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from chatgpt_sdk import __version__, bridge
from chatgpt_sdk._async_resources import AsyncResponses
from chatgpt_sdk.normalize import unsupported_fields
from chatgpt_sdk.server._body import BodyLimits, read_json_object
from chatgpt_sdk.server._endpoint import endpoint
from chatgpt_sdk.server._errors import ProxyError, error_body
from chatgpt_sdk.server._guard import Guard
from chatgpt_sdk.server._state import OWNER, ApiKeys, ResponseState, owner_of
from chatgpt_sdk.server._streams import (
    EventStream,
    chat_sse,
    responses_sse,
    until_disconnect,
)
from chatgpt_sdk.server.config import ProxyConfig, ProxyConfigError, Route, backend_slug

if TYPE_CHECKING:
    from chatgpt_sdk.auth import FileTokenProvider
    from chatgpt_sdk.client import AsyncChatGPT
    from chatgpt_sdk.models.chat import CreateChatCompletionRequest
    from chatgpt_sdk.stores import ResponseStore

__all__ = ["DROPPED_PARAMS_HEADER", "create_app"]

DROPPED_PARAMS_HEADER = "x-chatgpt-sdk-dropped-params"

_MODEL_NAME = re.compile(r"[\x21-\x7e]{1,256}")

# Keywords of the SDK call that are not fields of the API (extra_headers, extra_body, timeout,
# responses_lite, and ``self``, which would clash with the method's own): a request body never
# sets them. ``stream`` is read explicitly.
SDK_ONLY_KEYWORDS = frozenset(
    name
    for name, parameter in inspect.signature(AsyncResponses.create).parameters.items()
    if parameter.kind is not inspect.Parameter.VAR_KEYWORD and name != "stream"
)


def _is_loopback_ip(host: str) -> bool | None:
    """True / False for an IP address; None for a name (test clients, unix sockets)."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return None


class _Proxy:
    """Per-app state and the request translation shared by the endpoints."""

    def __init__(
        self,
        client: AsyncChatGPT | None,
        api_keys: Sequence[str],
        config: ProxyConfig,
        response_store: ResponseStore | str | None = None,
        key_profiles: Mapping[str, str] | None = None,
    ) -> None:
        self._client = client
        self.owns_client = client is None
        # Logins (profiles) other than the default one: a client each, made on first use.
        from chatgpt_sdk.auth._config import resolve_token_store

        self.token_store = resolve_token_store(config.token_store)
        self._profile_clients: dict[str, tuple[AsyncChatGPT, FileTokenProvider]] = {}
        self._store_probe: Any = None
        self.keys = ApiKeys(api_keys)
        # The login named by an API key, by the key's owner (its digest: the key is not kept).
        self.owner_profiles = {owner_of(key): name for key, name in (key_profiles or {}).items()}
        self.state = ResponseState(response_store, config.response_store)
        self.config = config
        self.routes = config.routes()
        self.limits = BodyLimits(
            max_size=config.max_body_size,
            timeout=config.body_timeout,
            require_json_type=not self.keys,
        )

    # -- the shared client -----------------------------------------------------------------

    def client(self, route: Route | None = None, request: Request | None = None) -> AsyncChatGPT:
        """The client serving ``route``'s login (profile): the shared default client (made on
        first use when the app was given none), or one client per named profile.

        The login is the model entry's profile, else the one the request's API key names, else
        the proxy's ``profile``: the model entry is the more specific, so it wins."""
        from chatgpt_sdk.auth._config import FILE_STORE, resolve_profile

        owner = request.scope.get(OWNER) if request is not None else None
        named = (route.profile if route else None) or self.owner_profiles.get(owner or "")
        profile = resolve_profile(named or self.config.profile)
        if profile is None and (self.token_store == FILE_STORE or not self.owns_client):
            if self._client is None:
                from chatgpt_sdk.client import AsyncChatGPT

                self._client = AsyncChatGPT()
            return self._client
        key = profile or "default"
        made = self._profile_clients.get(key)
        if made is None:
            from chatgpt_sdk.auth import FileTokenProvider
            from chatgpt_sdk.client import AsyncChatGPT

            provider = FileTokenProvider(profile=key, token_store=self.token_store)
            made = self._profile_clients[key] = (AsyncChatGPT(token_provider=provider), provider)
        return made[0]

    async def store_health(self) -> dict[str, Any]:
        """The token store's reachability, for ``/health`` (never raises, never blocks the loop)."""
        from chatgpt_sdk.auth._config import masked_url
        from chatgpt_sdk.auth._token_store import FileTokenStore, open_token_store

        if self._store_probe is None:
            from chatgpt_sdk.auth._config import resolve_auth_path

            self._store_probe = open_token_store(
                self.token_store, path=resolve_auth_path(None, None), profile=None
            )
        store = self._store_probe
        where = (
            str(store.path.parent)
            if isinstance(store, FileTokenStore)
            else masked_url(self.token_store)
        )
        report: dict[str, Any] = {"kind": store.kind, "location": where, "reachable": True}
        try:
            await asyncio.to_thread(store.ping)
        except Exception as exc:
            report.update(reachable=False, error=str(exc))
        return report

    async def close(self) -> None:
        made, self._profile_clients = list(self._profile_clients.values()), {}
        for client, provider in made:
            await client.close()
            await asyncio.to_thread(provider.close)
        if self._store_probe is not None:
            self._store_probe.close()
        if self.owns_client and self._client is not None:
            client, self._client = self._client, None
            await client.close()

    # -- auth ------------------------------------------------------------------------------

    def check_access(self, request: Request) -> None:
        """Refuse a request without a valid key; note its owner of stored responses (the key's
        digest, None without keys) in the scope."""
        if not self.keys:
            # No key means loopback only; this guards apps served by hand (uvicorn --factory).
            host = request.client.host if request.client else None
            if host is not None and _is_loopback_ip(host) is False:
                raise ProxyError(
                    403,
                    "This proxy has no API key, so it answers loopback clients only. Start it "
                    "with --api-key (or CHATGPT_SDK_API_KEY) to serve other hosts.",
                    code="loopback_only",
                )
            return
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        given = token.strip().encode() if scheme.lower() == "bearer" else b""
        owner = self.keys.owner(given) if given else None
        if owner is None:
            raise ProxyError(
                401,
                "Missing API key: send 'Authorization: Bearer <key>'."
                if not given
                else "Incorrect API key provided.",
                code="invalid_api_key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.scope[OWNER] = owner

    # -- request translation ---------------------------------------------------------------

    def route(self, model: Any) -> Route:
        if not isinstance(model, str) or not model:
            raise ProxyError(400, "model is required (a model name string)", param="model")
        found = self.routes.get(model)
        if found is not None:
            return found
        if not _MODEL_NAME.fullmatch(model):
            # The slug travels in a header too (x-codex-routing-hint), where only ASCII fits.
            raise ProxyError(
                400,
                "model must be a model name: printable ASCII without spaces",
                param="model",
                code="model_not_found",
            )
        if self.config.only_listed:
            raise ProxyError(
                404,
                f"The model '{model}' does not exist on this proxy (only the configured "
                f"models are served: {', '.join(sorted(self.routes)) or 'none'}).",
                param="model",
                code="model_not_found",
            )
        return Route(backend_slug(model))

    def prepare(
        self, params: dict[str, Any], route: Route, order: list[str] | None = None
    ) -> dict[str, str]:
        """Map the model, drop (or refuse) what the backend rejects, fill configured defaults.

        Returns the response headers that report what was dropped, named in ``order`` (the
        caller's key order, when the params were translated from another shape).
        """
        params["model"] = route.slug
        dropped = unsupported_fields(params)
        not_api = [key for key in params if key in SDK_ONLY_KEYWORDS]
        dropped += not_api
        if order is not None:
            position = {key: index for index, key in enumerate(order)}
            dropped.sort(key=lambda key: position.get(key, len(position)))
        if dropped and self.config.strict:
            backend = [key for key in dropped if key not in not_api]
            reasons = []
            if backend:
                reasons.append(f"The ChatGPT backend does not accept: {', '.join(backend)}.")
            if not_api:
                reasons.append(
                    f"Not fields of the OpenAI API (options of the SDK call, never taken from "
                    f"a request): {', '.join(not_api)}."
                )
            raise ProxyError(
                400,
                f"{' '.join(reasons)} This proxy runs in strict mode; remove them from the "
                "request.",
                param=dropped[0],
                code="unsupported_parameter",
            )
        for key in dropped:
            del params[key]
        if not params.get("instructions") and self.config.default_instructions:
            params["instructions"] = self.config.default_instructions
        effort = route.reasoning_effort or self.config.reasoning_effort
        reasoning = params.get("reasoning")
        if (
            effort
            and (reasoning is None or isinstance(reasoning, Mapping))
            and not (reasoning or {}).get("effort")
        ):
            params["reasoning"] = {**(reasoning or {}), "effort": effort}
        return {DROPPED_PARAMS_HEADER: ",".join(dropped)} if dropped else {}

    # -- endpoints -------------------------------------------------------------------------

    async def chat_completions(self, request: Request) -> Response:
        body, large = await read_json_object(request, self.limits)
        if large:
            checked, translated = await asyncio.to_thread(_translate_chat, body)
        else:
            checked, translated = _translate_chat(body)
        stream = bool(checked.stream)
        options = checked.stream_options
        include_usage = bool(options is not None and options.include_usage)
        public_model = checked.model
        route = self.route(public_model)
        headers = self.prepare(translated, route, order=list(body))
        translated["store"] = False  # Chat Completions are not stored (nor by the OpenAI API)
        client = self.client(route, request)
        if stream:
            events = await until_disconnect(
                request.receive, client.responses.create(stream=True, **translated)
            )
            chunks = chat_sse(events, model=public_model, include_usage=include_usage)
            return EventStream(chunks, headers, events.close)
        response = await until_disconnect(request.receive, client.responses.create(**translated))
        completion = bridge.response_to_chat_completion(response, model=public_model)
        return _json_model(completion, headers)

    async def responses(self, request: Request) -> Response:
        params, _ = await read_json_object(request, self.limits)
        stream = params.pop("stream", None)
        if stream is not None and not isinstance(stream, bool):
            raise ProxyError(400, "stream must be true or false", param="stream")
        route = self.route(params.get("model"))
        headers = self.prepare(params, route)
        # previous_response_id and item_reference resolved from the store; kept when complete.
        turn = await self.state.begin(params, request.scope.get(OWNER))
        client = self.client(route, request)
        if stream:
            events = await until_disconnect(
                request.receive, client.responses.create(stream=True, **params)
            )
            return EventStream(responses_sse(events, turn), headers, events.close)
        response = await until_disconnect(request.receive, client.responses.create(**params))
        return _json_model(await turn.finish(response), headers)

    async def list_models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": await self._model_entries()})

    async def retrieve_model(self, request: Request) -> Response:
        name = request.path_params["model"]
        for entry in await self._model_entries():
            if entry["id"] == name:
                return JSONResponse(entry)
        raise ProxyError(
            404, f"The model '{name}' does not exist", param="model", code="model_not_found"
        )

    async def _model_entries(self) -> list[dict[str, Any]]:
        names: list[str] = []
        if not self.config.only_listed:
            catalog = await self.client().models.list()
            names = [m.slug for m in catalog if m.visibility in (None, "list")]
        names += [name for name in self.routes if name not in names]
        return [{"id": n, "object": "model", "created": 0, "owned_by": "openai"} for n in names]


def _translate_chat(body: dict[str, Any]) -> tuple[CreateChatCompletionRequest, dict[str, Any]]:
    """The Chat request validated, and its Responses params; pure (a thread may run it)."""
    from chatgpt_sdk.models.chat import CreateChatCompletionRequest

    checked = CreateChatCompletionRequest.model_validate(body)
    params = bridge.chat_request_to_responses(body).model_dump(
        by_alias=True, exclude_unset=True, exclude_none=True
    )
    return checked, params


def _json_model(model: Any, headers: Mapping[str, str]) -> Response:
    content = model.model_dump_json(by_alias=True, exclude_unset=True)
    return Response(content, media_type="application/json", headers=dict(headers))


def create_app(
    client: AsyncChatGPT | None = None,
    *,
    api_key: str | None = None,
    config: ProxyConfig | None = None,
    response_store: ResponseStore | str | None = None,
) -> Starlette:
    """The proxy as an ASGI app.

    ``client`` is shared by every request; without one, an ``AsyncChatGPT()`` (credentials from
    ``chatgpt-sdk login``) is made on first use and closed at shutdown. A given client stays the
    caller's to close. ``api_key`` (and the config's ``api_keys``) set: requests need
    ``Authorization: Bearer <key>``, and each key sees only the responses it stored; none: only
    loopback clients are answered, with a loopback ``Host`` and no browser ``Origin`` (see
    docs/proxy.md). ``config`` maps model names, sets defaults and limits. ``response_store``
    (a store, which stays the caller's to close, or a URL) beats the config's
    ``response_store``; unset, that, else ``CHATGPT_RESPONSE_STORE``, else the default SQLite
    file (``"none"``: nothing is kept).
    """
    config = config or ProxyConfig()
    keys = [key.get_secret_value() for key in config.api_keys]
    key_profiles = {
        key.get_secret_value(): key.profile for key in config.api_keys if key.profile is not None
    }
    if api_key:
        keys.append(api_key)
    if not keys and "*" in config.allowed_origins:
        raise ProxyConfigError(
            "allowed_origins: ['*'] lets every web page use the proxy; it needs an API key "
            "(--api-key or CHATGPT_SDK_API_KEY), or list the origins to serve"
        )
    proxy = _Proxy(client, keys, config, response_store, key_profiles)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from chatgpt_sdk.server._run import warm_up

        warm_up()
        proxy.client()
        proxy.state.store()  # a store that cannot be opened fails the startup, not a request
        try:
            yield
        finally:
            await proxy.close()
            await proxy.state.close()

    async def health(request: Request) -> Response:
        store = await proxy.store_health()
        status = "ok" if store["reachable"] else "degraded"
        return JSONResponse({"status": status, "version": __version__, "token_store": store})

    routes = [StarletteRoute("/health", endpoint(health), methods=["GET"])]
    # Also without /v1, for clients configured with the bare host as their base URL.
    for prefix in ("/v1", ""):
        routes += [
            StarletteRoute(
                f"{prefix}/chat/completions",
                endpoint(proxy.chat_completions, proxy.check_access),
                methods=["POST"],
            ),
            StarletteRoute(
                f"{prefix}/responses",
                endpoint(proxy.responses, proxy.check_access),
                methods=["POST"],
            ),
            StarletteRoute(
                f"{prefix}/responses/{{response_id}}",
                endpoint(proxy.state.retrieve, proxy.check_access),
                methods=["GET"],
            ),
            StarletteRoute(
                f"{prefix}/responses/{{response_id}}",
                endpoint(proxy.state.delete, proxy.check_access),
                methods=["DELETE"],
            ),
            StarletteRoute(
                f"{prefix}/responses/{{response_id}}/input_items",
                endpoint(proxy.state.input_items, proxy.check_access),
                methods=["GET"],
            ),
            StarletteRoute(
                f"{prefix}/models", endpoint(proxy.list_models, proxy.check_access), methods=["GET"]
            ),
            StarletteRoute(
                f"{prefix}/models/{{model:path}}",
                endpoint(proxy.retrieve_model, proxy.check_access),
                methods=["GET"],
            ),
        ]

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "internal proxy error"
        message = f"{request.method} {request.url.path}: {detail}"
        return JSONResponse(error_body(message, "invalid_request_error"), status)

    middleware = []
    if config.allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=config.allowed_origins,
                allow_methods=["GET", "POST", "DELETE"],
                allow_headers=["*"],
                expose_headers=[DROPPED_PARAMS_HEADER, "retry-after", "x-request-id"],
                max_age=600,
            )
        )
    middleware.append(
        Middleware(
            Guard,
            # With a key the key is the gate (a page cannot send it); allowed_hosts still binds.
            check_host=not keys or bool(config.allowed_hosts),
            allowed_hosts=config.allowed_hosts,
            allowed_origins=config.allowed_origins,
            max_concurrent_requests=config.max_concurrent_requests,
        )
    )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: not_found},
    )
    app.state.proxy = proxy
    return app
