"""``login``, ``export``, ``import`` and ``logout``: where a login comes from and where it goes."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from chatgpt_sdk import cli
from chatgpt_sdk.cli._commands import command
from chatgpt_sdk.errors import ChatGPTError

if TYPE_CHECKING:
    from chatgpt_sdk.auth import Credentials, DeviceCode, FileTokenProvider, OfficialTokenProvider


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
    store_arguments(parser)


def store_arguments(parser: argparse.ArgumentParser) -> None:
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
    store_arguments(parser)


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
    if not args.yes and not cli._confirm(
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
    if not yes and not cli._confirm("Sign out of Sign in with ChatGPT (and revoke its token)?"):
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
