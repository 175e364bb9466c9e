"""``responses purge``: clearing the response store (docs/stores.md)."""

from __future__ import annotations

import argparse
import sys

from chatgpt_sdk.cli._commands import command


def _responses_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    purge = actions.add_parser(
        "purge",
        help="remove expired responses, or all older than --older-than DAYS",
        description="Remove the expired responses of the response store, and with --older-than "
        "every response created more than DAYS days ago, whoever owns it (docs/stores.md).",
    )
    purge.add_argument(
        "--older-than",
        type=_days,
        metavar="DAYS",
        default=None,
        help="also remove responses created more than DAYS days ago (0: all of them)",
    )
    purge.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help="the store: sqlite:///PATH, redis://HOST:PORT/DB (default: the --config file's "
        "response_store, else $CHATGPT_RESPONSE_STORE, else the default SQLite file)",
    )
    purge.add_argument(
        "--config", default=None, help="a proxy config file whose response_store to purge"
    )


def _days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not 0 <= days < float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of days (0 or more)")
    return days


@command(
    "responses",
    "Manage the stored responses of the proxy and the SDK (purge).",
    _responses_arguments,
)
def _cmd_responses(args: argparse.Namespace) -> int:
    from chatgpt_sdk.server._state import describe_store, response_store_setting
    from chatgpt_sdk.stores import default_store_path, open_store

    configured = args.store
    if configured is None and args.config:
        from chatgpt_sdk.server.config import load_config

        configured = load_config(args.config).response_store
    setting = response_store_setting(configured)
    if setting.strip().lower() in ("", "none"):
        print("error: no response store is configured (response_store: none)", file=sys.stderr)
        return 1
    if setting.strip() == "sqlite://" and not default_store_path().exists():
        print(f"Nothing to purge: there is no response store at {default_store_path()}.")
        return 0
    try:
        store = open_store(setting)
    except ValueError as exc:
        print(f"chatgpt-sdk: error: {exc}", file=sys.stderr)
        return 2
    assert store is not None
    try:
        older_than = None if args.older_than is None else args.older_than * 86400
        removed = store.purge(older_than=older_than)
    finally:
        store.close()
    what = "expired responses" if older_than is None else "expired or older responses"
    print(f"Purged {removed} {what} from {describe_store(store)}.")
    return 0
