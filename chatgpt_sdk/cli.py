"""The ``chatgpt-sdk`` command.

Each subcommand is one ``_cmd_<name>(args) -> int`` function registered with ``@command``, plus an
optional function adding its arguments; ``build_parser()`` assembles them. Heavy modules (httpx, the
client) are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chatgpt_sdk import __version__
from chatgpt_sdk.errors import ChatGPTError, LoginRequiredError

if TYPE_CHECKING:
    from chatgpt_sdk.auth import Credentials, DeviceCode, FileTokenProvider, OfficialTokenProvider
    from chatgpt_sdk.rate_limits import RateLimits, RateLimitWindow

__all__ = ["build_parser", "main"]

EXIT_INTERRUPTED = 130
DEFAULT_MODEL = "gpt-6.2-sol"  # Codex 0.171's default (a Responses Lite model)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] | None
    accepts_extra: bool  # unknown arguments are passed through instead of rejected


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    help: str,
    arguments: Callable[[argparse.ArgumentParser], None] | None = None,
    *,
    accepts_extra: bool = False,
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Register ``_cmd_<name>`` as subcommand ``name``."""

    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = Command(name, help, run, arguments, accepts_extra)
        return run

    return register


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


# --- helpers ----------------------------------------------------------------------------------


@contextmanager
def _spinner(text: str) -> Iterator[None]:
    """A spinner on stdout while waiting; only on a terminal, so logs and pipes stay clean."""
    if not sys.stdout.isatty():
        yield
        return
    stop = threading.Event()

    def spin() -> None:
        for frame in itertools.cycle("|/-\\"):
            sys.stdout.write(f"\r{frame} {text}")
            sys.stdout.flush()
            if stop.wait(0.1):
                break
        sys.stdout.write("\r" + " " * (len(text) + 2) + "\r")
        sys.stdout.flush()

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _confirm(question: str) -> bool:
    """Ask yes/no on the terminal; without one, the answer is no."""
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _describe_expiry(expires_at: datetime | None) -> str:
    if expires_at is None:
        return "unknown"
    seconds = (expires_at - datetime.now(timezone.utc)).total_seconds()
    minutes = abs(int(seconds // 60))
    when = expires_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{when} (in {minutes} min)" if seconds >= 0 else f"{when} (expired {minutes} min ago)"


# --- login ------------------------------------------------------------------------------------


def _login_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--browser", action="store_true", help="log in through the browser instead of a device code"
    )
    parser.add_argument(
        "--no-open",
        action="store_true",
        help="with --browser or --official: print the URL, do not open it",
    )
    official = parser.add_argument_group(
        "Sign in with ChatGPT", "OpenAI's documented path for local apps (api.openai.com/v1)"
    )
    official.add_argument(
        "--official",
        action="store_true",
        help="sign in with ChatGPT (the sanctioned path; browser on this machine)",
    )
    official.add_argument(
        "--reconsent",
        action="store_true",
        help="with --official: ask again for ChatGPT plan use (after declining it)",
    )
    official.add_argument(
        "--new-registration",
        action="store_true",
        help="with --official: register this app anew instead of reusing the saved client",
    )
    _store_arguments(parser)


def _store_arguments(parser: argparse.ArgumentParser) -> None:
    """``--profile`` and ``--token-store``: which login (docs/auth.md, "Profiles")."""
    parser.add_argument(
        "--profile",
        metavar="NAME",
        type=_checked(_profile_name),
        default=None,
        help="a login's name, to keep several side by side (default: $CHATGPT_PROFILE, else "
        "the default login)",
    )
    parser.add_argument(
        "--token-store",
        metavar="URL",
        type=_checked(_token_store_url),
        default=None,
        help="where logins are kept: 'file' or redis://HOST:PORT/DB, shared by proxy replicas "
        "(default: $CHATGPT_TOKEN_STORE, else file)",
    )


def _checked(check: Callable[[str], object]) -> Callable[[str], str]:
    """An argparse ``type`` that refuses what ``check`` refuses, with its message."""

    def convert(value: str) -> str:
        try:
            check(value)
        except (TypeError, ValueError) as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    return convert


def _profile_name(value: str) -> object:
    from chatgpt_sdk.auth._config import resolve_profile

    return resolve_profile(value)


def _token_store_url(value: str) -> object:
    from chatgpt_sdk.auth._config import resolve_token_store

    return resolve_token_store(value)


def _chosen_provider(args: argparse.Namespace) -> FileTokenProvider:
    """The login ``--profile`` / ``--token-store`` (or their variables) name."""
    from chatgpt_sdk.auth import FileTokenProvider

    return FileTokenProvider(profile=args.profile, token_store=args.token_store)


def _show_device_code(code: DeviceCode) -> None:
    print(f"To log in, open {code.verification_url} in a browser and enter this code:\n")
    print(f"    {code.user_code}\n")
    print("The code expires in 15 minutes. Never share it: whoever enters it signs in as you.")
    sys.stdout.flush()


def _device_login(provider: FileTokenProvider) -> Credentials:
    from chatgpt_sdk.auth import DeviceCodeLogin

    login = DeviceCodeLogin(provider, issuer=provider.issuer, on_code=_show_device_code)
    code = login.start()
    try:
        with _spinner("Waiting for you to approve the login (Ctrl-C cancels)..."):
            return login.complete(code)
    except KeyboardInterrupt:
        login.cancel()
        raise


def _browser_login(provider: FileTokenProvider, open_browser: bool) -> Credentials:
    from chatgpt_sdk.auth import BrowserLogin

    login = BrowserLogin(provider, issuer=provider.issuer, open_browser=open_browser)
    url = login.start()
    print(f"Open this URL in a browser to log in:\n\n    {url}\n")
    print(
        "Browser on another machine? After signing in, paste here the address it was sent to "
        "(http://localhost:...) and press Enter."
    )
    sys.stdout.flush()
    if sys.stdin.isatty():

        def read_pasted() -> None:
            for line in sys.stdin:
                if line.strip():
                    login.submit_redirect_url(line)
                    return

        threading.Thread(target=read_pasted, daemon=True).start()
    try:
        return login.complete()
    except KeyboardInterrupt:
        login.cancel()
        raise


@command(
    "login",
    "Log in with your ChatGPT account (device code; --browser for the browser flow).",
    _login_arguments,
)
def _cmd_login(args: argparse.Namespace) -> int:
    if args.official:
        return _official_login(args)
    if args.reconsent or args.new_registration:
        print("error: --reconsent and --new-registration go with --official", file=sys.stderr)
        return 2

    provider = _chosen_provider(args)
    provider.check_writable()  # before the user approves a login that could not be saved
    creds = _browser_login(provider, not args.no_open) if args.browser else _device_login(provider)
    named = f" (profile {provider.profile})" if provider.profile else ""
    print(
        f"Logged in{named}: account {creds.account_id or 'unknown'}, plan "
        f"{creds.plan_type or 'unknown'}. Saved to {provider.location}."
    )
    return 0


def _official_provider(args: argparse.Namespace) -> OfficialTokenProvider:
    from chatgpt_sdk.auth import OfficialTokenProvider

    return OfficialTokenProvider(profile=getattr(args, "profile", None))


def _official_login(args: argparse.Namespace) -> int:
    """``login --official``: Sign in with ChatGPT in the browser (SIWC.md section 2)."""
    from chatgpt_sdk.auth import OfficialLogin

    provider = _official_provider(args)
    provider.check_writable()  # before the user signs in to a login that could not be saved
    login = OfficialLogin(
        provider,
        open_browser=not args.no_open,
        reconsent=args.reconsent,
        new_registration=args.new_registration,
    )
    login.start()
    print(
        f"Sign in with ChatGPT: open this URL in a browser on this machine:\n\n    {login.display_url}\n"
    )
    print(
        "The browser returns to http://127.0.0.1:... on this machine. For a server without a "
        "browser, sign in on your computer and move the login with `chatgpt-sdk export` / "
        "`chatgpt-sdk import`."
    )
    sys.stdout.flush()
    try:
        with _spinner("Waiting for the sign-in (Ctrl-C cancels)..."):
            login.complete()
    except KeyboardInterrupt:
        login.cancel()
        raise
    registration = provider.registration()
    print(
        f"Signed in with ChatGPT: client {registration.client_id if registration else '?'}, "
        f"host {provider.host_id()}. Saved to {provider.path}."
    )
    return 0


# --- export / import (headless machines, SIWC 2.12) ------------------------------------------


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", default="-", help="file to write (0600), or - for stdout (default)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep using the login here too (refresh tokens rotate: two machines refreshing one "
        "login end it for both)",
    )


@command(
    "export",
    "Write the Sign in with ChatGPT login for another machine (moves it; see `import`).",
    _export_arguments,
)
def _cmd_export(args: argparse.Namespace) -> int:
    import os

    provider = _official_provider(args)
    data = json.dumps(provider.export_record(), indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(data)
        sys.stdout.flush()
    else:
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(data)
    if not args.keep:
        provider.logout(revoke=False)
    where = "" if args.output == "-" else f" to {args.output}"
    print(
        f"Exported the login{where}. It holds live tokens: copy it over SSH, run "
        "`chatgpt-sdk import FILE` there (that machine keeps its own host id), then delete it."
        + ("" if args.keep else " This machine no longer uses it; sign in again to use it here."),
        file=sys.stderr,
    )
    return 0


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help='the exported login; "-" reads standard input')


@command(
    "import",
    "Use a Sign in with ChatGPT login exported on another machine (with this machine's host id).",
    _import_arguments,
)
def _cmd_import(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text()
    try:
        data = json.loads(text)
    except ValueError:
        print("chatgpt-sdk: error: the file is not an exported login (not JSON)", file=sys.stderr)
        return 1
    provider = _official_provider(args)
    record = provider.import_record(data)
    print(
        f"Imported the login of client {record.client_id} with this machine's host id "
        f"{record.ext_agent_host_id}. Saved to {provider.path}."
    )
    return 0


# --- logout -----------------------------------------------------------------------------------


def _logout_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument(
        "--official",
        action="store_true",
        help="sign out of Sign in with ChatGPT (the default when that login is in use)",
    )
    _store_arguments(parser)


@command("logout", "Remove the saved login (and revoke its refresh token).", _logout_arguments)
def _cmd_logout(args: argparse.Namespace) -> int:
    from chatgpt_sdk.auth import CodexCLITokenProvider
    from chatgpt_sdk.auth._store import AuthFile

    official = _official_provider(args)
    if args.official or _official_in_use(official):
        return _official_logout(official, args.yes)
    provider = _chosen_provider(args)
    named = f" (profile {provider.profile})" if provider.profile else ""
    if not provider.store.exists():
        what = "an auth file at" if provider.store.kind == "file" else "a login in"
        print(f"Not logged in{named}: there is no {what} {provider.location}.")
        return 0
    if not args.yes and not _confirm(
        f"Remove the ChatGPT login{named} saved in {provider.location}?"
    ):
        print("Nothing removed (pass --yes to skip the question).", file=sys.stderr)
        return 1
    provider.logout(revoke=True)
    print(f"Logged out{named}: removed {provider.location}.")
    codex = CodexCLITokenProvider(read_only=True)
    if AuthFile(codex.path).exists():
        print(f"The Codex CLI login at {codex.path} is untouched; `codex logout` removes it.")
    return 0


def _official_in_use(provider: OfficialTokenProvider) -> bool:
    """True when ``provider`` holds a signed-in record (what ``ChatGPT()`` would use first)."""
    try:
        record = provider.peek()
    except ChatGPTError:
        return False
    return record is not None and record.signed_in


def _official_logout(provider: OfficialTokenProvider, yes: bool) -> int:
    """Revoke at the discovered endpoint, clear the tokens, keep registration and host id."""
    if not provider.exists():
        print("Not signed in with ChatGPT: there is no Sign in with ChatGPT login here.")
        return 0
    if not yes and not _confirm("Sign out of Sign in with ChatGPT (and revoke its token)?"):
        print("Nothing changed (pass --yes to skip the question).", file=sys.stderr)
        return 1
    result = provider.logout(revoke=True)
    kept = "The app registration and this machine's host id are kept for the next sign-in."
    if result.revoked is False:
        print(
            "Signed out here, but the revocation could not be confirmed: disconnect the app in "
            f"ChatGPT settings to be sure. {kept}"
        )
    elif result.revoked:
        print(f"Signed out: the refresh token was revoked and the tokens removed. {kept}")
    else:
        print(f"Signed out (there was no token to revoke). {kept}")
    return 0


# --- status -----------------------------------------------------------------------------------


def last_seen_rate_limits() -> dict[str, Any] | None:
    """The usage windows the last ``ask`` or ``models`` saw, or None."""
    from chatgpt_sdk.auth._store import AuthFile

    try:
        data = AuthFile(_rate_limits_path()).read()
    except ChatGPTError:
        return None
    return data if isinstance(data, dict) else None


def _status_report(profile: str | None = None, token_store: str | None = None) -> dict[str, Any]:
    """What ``status`` shows; found the same way ``ChatGPT()`` finds credentials. No tokens."""
    from chatgpt_sdk.auth import (
        CodexCLITokenProvider,
        FileTokenProvider,
        OfficialTokenProvider,
        default_token_provider,
    )
    from chatgpt_sdk.auth._config import CLIENT_ID
    from chatgpt_sdk.config import DEFAULT_BASE_URL

    try:
        provider = default_token_provider(profile=profile, token_store=token_store)
    except LoginRequiredError as exc:
        return {"logged_in": False, "error": str(exc)}
    if isinstance(provider, OfficialTokenProvider):
        return _official_status(provider)
    assert isinstance(provider, (FileTokenProvider, CodexCLITokenProvider))
    kind = provider.store.kind
    source = "codex" if isinstance(provider, CodexCLITokenProvider) else kind
    report: dict[str, Any] = {
        "logged_in": False,
        "backend": "codex",
        "client_id": CLIENT_ID,  # Codex CLI's own OAuth client
        "api_base": DEFAULT_BASE_URL,
        "source": source,
        "profile": getattr(provider, "profile", None) or "default",
        "path": str(provider.path) if kind == "file" else None,
        "location": provider.location,
        "read_only": provider.read_only,
    }
    try:
        stored = provider.peek()
    except LoginRequiredError as exc:
        return {**report, "error": str(exc)}
    if stored is None:
        return {**report, "error": provider._missing_message()}
    creds = stored.credentials
    return {
        **report,
        "logged_in": True,
        "account_id": creds.account_id,
        "plan_type": creds.plan_type,
        "expires_at": creds.expires_at.isoformat() if creds.expires_at else None,
        "expired": creds.expires_within(0),
        "can_refresh": stored.refresh_token is not None and not provider.read_only,
        "last_refresh": stored.last_refresh.isoformat() if stored.last_refresh else None,
        "rate_limits": provider.read_rate_limits(),
    }


def _official_status(provider: OfficialTokenProvider) -> dict[str, Any]:
    """The status of a Sign in with ChatGPT login: backend, client, host. No tokens."""
    from chatgpt_sdk._backends.official import DEFAULT_BASE_URL

    report: dict[str, Any] = {
        "logged_in": False,
        "backend": "official",
        "source": "official",
        "profile": provider.profile,
        "api_base": DEFAULT_BASE_URL,
        "issuer": provider.issuer,
    }
    try:
        registration = provider.registration()
        record = provider.peek()
        report["host_id"] = provider.host_id()
    except LoginRequiredError as exc:
        return {**report, "error": str(exc)}
    if registration is not None:
        report["client_id"] = registration.client_id
    if record is None:
        return {
            **report,
            "error": "No Sign in with ChatGPT login. Run `chatgpt-sdk login --official`.",
        }
    report["path"] = str(provider.path)
    if not record.signed_in:
        return {**report, "error": "Signed out. Run `chatgpt-sdk login --official`."}
    creds = record.credentials
    return {
        **report,
        "logged_in": True,
        "email": record.email,
        "plan_enabled": record.plan_enabled,
        "scopes": list(record.scopes),
        "expires_at": creds.expires_at.isoformat() if creds.expires_at else None,
        "expired": creds.expires_within(0),
        "can_refresh": record.refresh_token is not None,
        "last_refresh": record.saved_at.isoformat() if record.saved_at else None,
    }


def _print_official_status(report: dict[str, Any]) -> int:
    expires = _describe_expiry(
        datetime.fromisoformat(report["expires_at"]) if report["expires_at"] else None
    )
    if report["expired"]:
        expires += "; refreshed on next use" if report["can_refresh"] else "; sign in again"
    print(f"Signed in with ChatGPT (official backend: {report['path']})")
    print(f"  backend:       official, {report['api_base']}")
    print(f"  client:        {report.get('client_id')} (registered for this app)")
    print(f"  host:          {report.get('host_id')} (this machine)")
    print(f"  account:       {report['email'] or 'unknown'}")
    plan = (
        "enabled"
        if report["plan_enabled"]
        else "NOT enabled: run `chatgpt-sdk login --official --reconsent`"
    )
    print(f"  plan use:      {plan}")
    print(f"  token expires: {expires}")
    print(f"  last refresh:  {report['last_refresh'] or 'unknown'}")
    return 0


def _status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    _store_arguments(parser)


@command(
    "status",
    "Show who is logged in, the plan, token expiry and where credentials come from.",
    _status_arguments,
)
def _cmd_status(args: argparse.Namespace) -> int:
    report = _status_report(args.profile, args.token_store)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0 if report["logged_in"] else 1
    if not report["logged_in"]:
        print(f"Not logged in. {report['error']}")
        return 1
    if report["backend"] == "official":
        return _print_official_status(report)
    source = {
        "file": "chatgpt-sdk auth file",
        "redis": "Redis token store",
        "codex": "Codex CLI login" + (" (read-only)" if report["read_only"] else ""),
    }[report["source"]]
    if report["profile"] != "default":
        source = f"profile {report['profile']}, {source}"
    expires = _describe_expiry(
        datetime.fromisoformat(report["expires_at"]) if report["expires_at"] else None
    )
    if report["expired"]:
        expires += "; refreshed on next use" if report["can_refresh"] else "; log in again"
    print(f"Logged in ({source}: {report['location']})")
    print(
        f"  backend:       codex, {report['api_base']} (Codex CLI's client {report['client_id']})"
    )
    print(f"  account:       {report['account_id'] or 'unknown'}")
    print(f"  plan:          {report['plan_type'] or 'unknown'}")
    print(f"  token expires: {expires}")
    print(f"  last refresh:  {report['last_refresh'] or 'unknown'}")
    if report["rate_limits"] is not None:
        print(f"  rate limits:   {json.dumps(report['rate_limits'])}")
    return 0


# --- models, ask -----------------------------------------------------------------------------


def _rate_limits_path() -> Path:
    """Where the CLI keeps the last usage windows it saw, beside the auth file (no secrets)."""
    from chatgpt_sdk.auth._config import resolve_auth_path

    return resolve_auth_path(None, None).with_name("rate_limits.json")


def _remember_rate_limits(limits: RateLimits | None) -> None:
    if limits is None:
        return
    from chatgpt_sdk.auth._store import AuthFile

    data = {"seen_at": datetime.now(timezone.utc).isoformat(), **_limits_dict(limits)}
    with contextlib.suppress(OSError):
        AuthFile(_rate_limits_path()).write(data)


def _limits_dict(limits: RateLimits) -> dict[str, Any]:
    def window(w: RateLimitWindow | None) -> dict[str, Any] | None:
        if w is None:
            return None
        return {
            "used_percent": w.used_percent,
            "window_minutes": w.window_minutes,
            "resets_at": w.resets_at.isoformat() if w.resets_at else None,
        }

    return {
        "plan_type": limits.plan_type,
        "primary": window(limits.primary),
        "secondary": window(limits.secondary),
    }


def _models_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the catalog as JSON")
    parser.add_argument("--all", action="store_true", help="include hidden models")


@command("models", "List the models your plan can use (the live catalog).", _models_arguments)
def _cmd_models(args: argparse.Namespace) -> int:
    from chatgpt_sdk.client import ChatGPT

    with ChatGPT() as client:
        models = client.models.list()
        _remember_rate_limits(client.rate_limits)
    shown = [m for m in models if args.all or m.visibility in (None, "list")]
    if args.json:
        print(json.dumps([m.model_dump(mode="json", exclude_none=True) for m in shown], indent=2))
        return 0
    for model in shown:
        efforts = ",".join(level.effort for level in model.supported_reasoning_levels or [])
        window = f"{model.context_window:,} tokens" if model.context_window else ""
        print(f"{model.slug:<22} {model.display_name or '':<18} {window:<16} {efforts}")
    return 0


def _ask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", help='the question; "-" reads it from standard input')
    parser.add_argument(
        "-m",
        "--model",
        default=None,
        help=f"model slug (default: $CHATGPT_MODEL or {DEFAULT_MODEL})",
    )
    parser.add_argument("-i", "--instructions", default=None, help="system instructions")
    parser.add_argument(
        "-e", "--effort", default=None, help="reasoning effort: minimal, low, medium, high, xhigh"
    )
    parser.add_argument("--json", action="store_true", help="print the final response as JSON")


@command("ask", "Ask one question and stream the answer.", _ask_arguments)
def _cmd_ask(args: argparse.Namespace) -> int:
    import os

    from chatgpt_sdk.client import ChatGPT

    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not prompt.strip():
        print("error: the prompt is empty", file=sys.stderr)
        return 2
    params: dict[str, Any] = {
        "model": args.model or os.environ.get("CHATGPT_MODEL") or DEFAULT_MODEL,
        "input": prompt,
    }
    if args.instructions:
        params["instructions"] = args.instructions
    if args.effort:
        params["reasoning"] = {"effort": args.effort}
    with ChatGPT() as client:
        try:
            with client.responses.stream(**params) as stream:
                if args.json:
                    final = stream.get_final_response()
                    print(final.model_dump_json(indent=2, exclude_none=True))
                else:
                    for text in stream.text_deltas():
                        sys.stdout.write(text)
                        sys.stdout.flush()
                    sys.stdout.write("\n")
        finally:
            _remember_rate_limits(client.rate_limits)
    return 0


# --- demo -------------------------------------------------------------------------------------


@command("demo", "A short tour of the SDK against the built-in fake backend (no login needed).")
def _cmd_demo(args: argparse.Namespace) -> int:
    from chatgpt_sdk import errors
    from chatgpt_sdk.testing import FakeChatGPTBackend

    backend = FakeChatGPTBackend()
    out = sys.stdout
    with backend.client() as client:
        out.write("1. Streaming a reply (client.responses.stream):\n   ")
        backend.reply(
            text="Hello from the fake backend! Every event is typed.",
            deltas=["Hello ", "from the ", "fake backend! ", "Every event ", "is typed."],
        )
        with client.responses.stream(model=DEFAULT_MODEL, input="Say hello") as stream:
            for text in stream.text_deltas():
                out.write(text)
                out.flush()
            final = stream.get_final_response()
        usage = final.usage
        out.write(f"\n   usage: {usage.input_tokens if usage else '?'} in, ")
        out.write(f"{usage.output_tokens if usage else '?'} out\n\n")

        out.write("2. A tool call, then the second turn (output items replayed, ids stripped):\n")
        backend.reply(text="Let me check.", tool_calls=[("get_weather", '{"city":"Paris"}')])
        tools = [
            {
                "type": "function",
                "name": "get_weather",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            }
        ]
        first = client.responses.create(model=DEFAULT_MODEL, input="Weather in Paris?", tools=tools)
        call = first.output[-1]
        out.write(
            f"   model called {getattr(call, 'name', '?')}({getattr(call, 'arguments', '')})\n"
        )
        backend.reply(text="Paris: 21 °C and sunny.")
        second = client.responses.create(
            model=DEFAULT_MODEL,
            tools=tools,
            input=[
                {"role": "user", "content": "Weather in Paris?"},
                *first.output,
                {
                    "type": "function_call_output",
                    "call_id": getattr(call, "call_id", ""),
                    "output": '{"temp_c": 21}',
                },
            ],
        )
        out.write(f"   answer: {second.output_text}\n\n")

        out.write("3. Chat Completions, bridged (client.chat.completions.create):\n")
        backend.reply(text="Bridged through the Responses API.")
        chat = client.chat.completions.create(
            model=DEFAULT_MODEL,
            messages=[
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "hi"},
            ],
        )
        out.write(
            f"   {chat.choices[0].message.content} (finish: {chat.choices[0].finish_reason})\n\n"
        )

        out.write("4. Usage windows from the x-codex-* headers (client.rate_limits):\n")
        limits = client.rate_limits
        if limits is not None and limits.primary is not None:
            out.write(f"   primary window: {limits.primary.used_percent:.0f}% used\n\n")

        out.write("5. A spent usage limit is a typed error, never retried:\n")
        backend.usage_limit(plan_type="plus", resets_in_seconds=3600)
        try:
            client.responses.create(model=DEFAULT_MODEL, input="one more?")
        except errors.UsageLimitError as exc:
            when = exc.resets_at.strftime("%H:%M UTC") if exc.resets_at else "later"
            out.write(f"   UsageLimitError: plan {exc.plan_type}, resets at {when}\n")
    out.write('\nNext: `chatgpt-sdk login`, then `chatgpt-sdk ask "..."`.\n')
    return 0


# --- serve ------------------------------------------------------------------------------------


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


# --- responses --------------------------------------------------------------------------------


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
