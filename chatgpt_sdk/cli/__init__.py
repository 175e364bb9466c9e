"""The ``chatgpt-sdk`` command.

Each subcommand is one ``_cmd_<name>(args) -> int`` function registered with ``@command``
(``_commands``), plus an optional function adding its arguments, in a module per group: ``_login``
(login, export, import, logout), ``_status``, ``_ask`` (models, ask, demo), ``_serve`` and
``_responses``. ``build_parser()`` assembles them. Heavy modules (httpx, the client) are imported
inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys

from chatgpt_sdk import __version__
from chatgpt_sdk.cli._commands import COMMANDS, Command
from chatgpt_sdk.errors import ChatGPTError

# The command modules register their commands on import, in this order: the order of --help.
from chatgpt_sdk.cli import _login, _status, _ask, _serve, _responses  # noqa: F401  # isort: skip

__all__ = ["build_parser", "main"]

EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chatgpt-sdk",
        description="Use a ChatGPT Plus/Pro subscription from Python and the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"chatgpt-sdk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        child = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        if cmd.arguments is not None:
            cmd.arguments(child)
        child.set_defaults(command_spec=cmd)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    spec: Command | None = getattr(args, "command_spec", None)
    if spec is None:
        parser.print_help(sys.stderr)
        return 2
    if extra and not spec.accepts_extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        return spec.run(args)
    except KeyboardInterrupt:
        print("\nCancelled.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ChatGPTError, OSError) as exc:  # documented errors, and file or terminal failures
        _print_error(exc)
        return 1


def _print_error(exc: BaseException) -> None:
    """One line on stderr, never a traceback (the messages never hold a token)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    print(f"chatgpt-sdk: error: {text}", file=sys.stderr)


def _confirm(question: str) -> bool:  # looked up here by ``logout``, so tests can replace it
    """Ask yes/no on the terminal; without one, the answer is no."""
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
