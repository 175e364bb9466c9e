"""``serve``: the OpenAI-compatible proxy (docs/proxy.md)."""

from __future__ import annotations

import argparse
import sys

from chatgpt_sdk.cli._commands import command


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--api-key",
        default=None,
        help="require 'Authorization: Bearer KEY' (default: $CHATGPT_SDK_API_KEY; "
        "without a key only loopback addresses may be used)",
    )
    parser.add_argument(
        "--config", default=None, help="YAML config: LiteLLM-style model_list, strict, ..."
    )
    parser.add_argument(
        "--response-store",
        metavar="URL",
        default=None,
        help="where responses are kept: sqlite:///PATH, redis://HOST:PORT/DB, memory or none "
        "(default: config response_store, else $CHATGPT_RESPONSE_STORE, else the SQLite file "
        "in your user data directory)",
    )
    parser.add_argument(
        "--serves-only-me",
        action="store_true",
        help="with a Sign in with ChatGPT login off loopback: state that every request comes "
        "from you (its terms forbid serving other people)",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn log level (default: info)",
    )
    limits = parser.add_argument_group(
        "limits", "each beats the config file key of the same name (docs/proxy.md)"
    )
    limits.add_argument(
        "--max-body-size", metavar="SIZE", help="largest request body, decoded (default: 32MB)"
    )
    limits.add_argument(
        "--max-concurrent-requests",
        type=int,
        metavar="N",
        help="requests in flight at once; 503 beyond (default: 128)",
    )
    limits.add_argument(
        "--max-connections",
        type=int,
        metavar="N",
        help="open client connections; 503 and close beyond (default: 512)",
    )
    limits.add_argument(
        "--header-timeout",
        type=float,
        metavar="SECONDS",
        help="time to send a request's headers (default: 10)",
    )
    limits.add_argument(
        "--body-timeout", type=float, metavar="SECONDS", help="time to send a body (default: 60)"
    )
    limits.add_argument(
        "--allowed-host",
        action="append",
        dest="allowed_hosts",
        metavar="NAME",
        help="also serve this Host name (repeatable; added to allowed_hosts)",
    )
    limits.add_argument(
        "--allowed-origin",
        action="append",
        dest="allowed_origins",
        metavar="ORIGIN",
        help="serve browser requests from this origin, with CORS (repeatable)",
    )


@command("serve", "Run the OpenAI-compatible proxy (docs/proxy.md).", _serve_arguments)
def _cmd_serve(args: argparse.Namespace) -> int:
    from chatgpt_sdk import server

    missing = server.missing_dependencies()
    if missing:
        print(
            f"error: chatgpt-sdk serve needs the proxy extra (missing: {', '.join(missing)}): "
            "pip install 'chatgpt-sdk[proxy]'",
            file=sys.stderr,
        )
        return 2
    from chatgpt_sdk.server._run import check_official_exposure, resolve_api_key
    from chatgpt_sdk.server.config import with_overrides

    api_key = resolve_api_key(args.api_key)
    config = server.load_config(args.config) if args.config else None
    keys = [api_key] if api_key else []
    keys += [key.get_secret_value() for key in config.api_keys] if config else []
    server.check_bind(args.host, keys[0] if keys else None)
    check_official_exposure(args.host, serves_only_me=args.serves_only_me)
    config = with_overrides(
        config,
        response_store=args.response_store,
        max_body_size=args.max_body_size,
        max_concurrent_requests=args.max_concurrent_requests,
        max_connections=args.max_connections,
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
        allowed_hosts=[*(config.allowed_hosts if config else []), *args.allowed_hosts]
        if args.allowed_hosts
        else None,
        allowed_origins=[*(config.allowed_origins if config else []), *args.allowed_origins]
        if args.allowed_origins
        else None,
    )
    count = len(set(keys))
    auth = (
        f"{count} API keys accepted"
        if count > 1
        else "API key required"
        if count
        else "no API key, loopback only"
    )
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"chatgpt-sdk proxy on http://{host}:{args.port}/v1 ({auth})", file=sys.stderr)
    server.run(
        host=args.host,
        port=args.port,
        api_key=api_key,
        config=config,
        log_level=args.log_level,
        serves_only_me=args.serves_only_me,
    )
    return 0
