"""Starting the proxy under uvicorn, after the checks that must happen before binding."""

from __future__ import annotations

import gc
import ipaddress
import logging
import os
import socket
from pathlib import Path
from typing import Any

from chatgpt_sdk.server.config import ProxyConfig, ProxyConfigError, load_config, with_overrides

__all__ = [
    "API_KEY_ENV",
    "check_bind",
    "check_official_exposure",
    "is_loopback_host",
    "resolve_api_key",
    "run",
    "server_options",
    "settle_process",
    "warm_up",
]

API_KEY_ENV = "CHATGPT_SDK_API_KEY"


def resolve_api_key(api_key: str | None) -> str | None:
    """The argument, else ``CHATGPT_SDK_API_KEY``, else None (loopback only)."""
    return api_key or os.environ.get(API_KEY_ENV) or None


def is_loopback_host(host: str) -> bool:
    """True when every address ``host`` names is a loopback address (0.0.0.0 is not)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(
        ipaddress.ip_address(str(a).split("%", 1)[0]).is_loopback for a in addresses
    )


def check_bind(host: str, api_key: str | None) -> None:
    """Without an API key the proxy may listen on loopback only: anyone who can reach it could
    spend the subscription."""
    if api_key is None and not is_loopback_host(host):
        raise ProxyConfigError(
            f"refusing to listen on {host!r} without an API key: anyone who can reach it could "
            f"use your ChatGPT subscription. Pass --api-key (or set {API_KEY_ENV}), or listen "
            "on 127.0.0.1."
        )


def uses_official_login() -> bool:
    """True when the proxy's default client would use a Sign in with ChatGPT login."""
    if os.environ.get("CHATGPT_BACKEND") == "official":
        return True
    from chatgpt_sdk.auth import default_token_provider
    from chatgpt_sdk.errors import ChatGPTError

    try:
        provider = default_token_provider()
    except ChatGPTError:
        return False
    return getattr(provider, "backend", None) == "official"


def check_official_exposure(
    host: str, *, serves_only_me: bool, official: bool | None = None
) -> None:
    """Sign in with ChatGPT's terms: a plan serves its own user only, from a runtime they control.

    An official login is served off loopback only when the operator states (``serves_only_me``)
    that every request comes from them. ``official`` defaults to what the default login is.
    """
    if serves_only_me or is_loopback_host(host):
        return
    if official is None:
        official = uses_official_login()
    if official:
        raise ProxyConfigError(
            f"refusing to serve a Sign in with ChatGPT login on {host!r}: its terms allow "
            "requests only from your own local runtime, or from a remote runtime only you "
            "control, serving your own activity; another user's activity must not trigger "
            "requests, and one user's subscription must not serve another user's requests. If "
            "this proxy serves only you, pass --serves-only-me (serves_only_me=True)."
        )


def run(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    api_key: str | None = None,
    config: ProxyConfig | str | Path | None = None,
    log_level: str = "info",
    serves_only_me: bool = False,
) -> None:
    """Serve the proxy until interrupted (``chatgpt-sdk serve`` calls this).

    uvloop and httptools are used when installed (``pip install 'chatgpt-sdk[speed]'``). A Sign
    in with ChatGPT login is served off loopback only with ``serves_only_me=True``. While it
    serves, the warm heap is frozen (``settle_process``); it is unfrozen when serving ends.
    """
    import uvicorn

    from chatgpt_sdk.server._state import describe_store, open_response_store
    from chatgpt_sdk.server.app import create_app

    key = resolve_api_key(api_key)
    if config is not None and not isinstance(config, ProxyConfig):
        config = load_config(config)
    config = config or ProxyConfig()
    any_key = key or next((k.get_secret_value() for k in config.api_keys), None)
    keyed = any_key is not None
    check_bind(host, any_key)
    check_official_exposure(host, serves_only_me=serves_only_me)
    name = host.strip("[]").lower()
    if not keyed and not _is_address(name) and name not in config.allowed_hosts:
        # ``--host myname`` (a name that resolves to loopback): requests will say Host: myname.
        config = with_overrides(config, allowed_hosts=[*config.allowed_hosts, name])
    store = open_response_store(config.response_store)  # a bad setting stops us here
    try:
        app = create_app(api_key=key, config=config, response_store=store or "none")
        _log_like_uvicorn(log_level)
        logging.getLogger("chatgpt_sdk.server").info(
            "Responses are kept in: %s", describe_store(store)
        )
        settle_process()
        uvicorn.run(app, host=host, port=port, log_level=log_level, **server_options(config))
    finally:
        gc.unfreeze()
        if store is not None:
            store.close()


def server_options(config: ProxyConfig, *, http: str = "auto") -> dict[str, Any]:
    """uvicorn's settings for ``config`` (``uvicorn.run(app, **server_options(config))``).

    ``loop="auto"`` is uvloop when installed; ``http`` picks uvicorn's protocol: httptools when
    installed, else h11, with the header deadline and connection cap of ``config``.
    """
    from chatgpt_sdk.server._uvicorn import protocol_class

    return {
        "lifespan": "on",
        "loop": "auto",
        "http": protocol_class(
            header_timeout=config.header_timeout,
            max_connections=config.max_connections,
            implementation=http,
        ),
        "timeout_keep_alive": config.keep_alive_timeout,
    }


def warm_up() -> None:
    """Build now what the first request would: the generated models and the stream validators.

    ``import chatgpt_sdk`` stays cheap by building them lazily, which costs a server's first
    request about a quarter of a second; the proxy pays it at startup instead.
    """
    from chatgpt_sdk import _validate, streaming
    from chatgpt_sdk.models import chat  # noqa: F401  (the Chat request and chunk models)

    streaming._event_adapters()
    _validate._item_classes()


def settle_process() -> None:
    """``warm_up()``, then freeze what exists (``gc.freeze``): for a process that only serves.

    The models and validators are ~90,000 objects that live as long as the process. Left to the
    garbage collector, each of its full passes walks them all: a 20-30 ms stall of every request
    in flight, one or two a second under load, which was the proxy's p99. Frozen, they are never
    walked again (``benchmarks/bench_proxy.py``, 50 clients: p99/p50 1.66 -> 1.19). Not done by
    ``create_app``: freezing is the whole process's business. ``run()`` (``chatgpt-sdk serve``)
    does it for as long as it serves; ``gc.unfreeze()`` undoes it.
    """
    warm_up()
    gc.collect()
    gc.freeze()


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _log_like_uvicorn(level: str) -> None:
    """The proxy's own warnings (errors it answered), formatted like uvicorn's lines."""
    logger = logging.getLogger("chatgpt_sdk.server")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level.upper())
