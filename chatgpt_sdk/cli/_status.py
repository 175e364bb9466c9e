"""``status``: who is logged in, found the way ``ChatGPT()`` finds credentials."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from chatgpt_sdk.cli._commands import command
from chatgpt_sdk.cli._login import store_arguments
from chatgpt_sdk.errors import LoginRequiredError

if TYPE_CHECKING:
    from chatgpt_sdk.auth import OfficialTokenProvider


def _describe_expiry(expires_at: datetime | None) -> str:
    if expires_at is None:
        return "unknown"
    seconds = (expires_at - datetime.now(timezone.utc)).total_seconds()
    minutes = abs(int(seconds // 60))
    when = expires_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{when} (in {minutes} min)" if seconds >= 0 else f"{when} (expired {minutes} min ago)"


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
    store_arguments(parser)


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
