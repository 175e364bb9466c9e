"""The tokens of one login, and the two on-disk layouts they are stored in.

Flat layout (ours, a superset of LiteLLM's ``chatgpt/auth.json`` so LiteLLM can read files we write)::

    {"access_token", "refresh_token", "id_token", "account_id", "expires_at": <epoch int>,
     "plan_type", "last_refresh": "<RFC 3339 UTC>", ...any other key is kept as found}

Codex layout (``$CODEX_HOME/auth.json``)::

    {"auth_mode", "OPENAI_API_KEY", "tokens": {"id_token", "access_token", "refresh_token",
     "account_id"}, "last_refresh", ...}

Decoding never guesses silently: a file that is not one of these raises ``LoginRequiredError``
naming the path, and nothing writes over it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from chatgpt_sdk.auth._credentials import (
    Credentials,
    check_access_token,
    check_header_value,
    credentials_from_tokens,
    token_expiry,
)
from chatgpt_sdk.errors import LoginRequiredError

FLAT = "flat"
CODEX = "codex"


def fingerprint(token: str) -> str:
    """A short one-way id for a token: lets code compare tokens without keeping or logging them."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def format_rfc3339(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (``%Y`` is not zero-padded everywhere, so no strftime)."""
    utc = moment.astimezone(timezone.utc)
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# RFC 3339 section 5.6 date-time. ASCII digits only (``\d`` would take any Unicode digit); ``T``
# and ``Z`` in either case, as the RFC allows. Extensions kept from earlier versions: a space may
# separate date and time, and a missing offset means UTC.
_RFC3339 = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"[Tt ]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]+))?"
    r"(?:[Zz]|(?P<sign>[+-])(?P<off_hour>[0-9]{2}):(?P<off_minute>[0-9]{2}))?"
)


def parse_rfc3339(value: object) -> datetime | None:
    """An aware datetime from an RFC 3339 timestamp, or None for anything else.

    Works alike on every supported Python (3.10's ``fromisoformat`` takes neither ``Z`` nor more
    than six fractional digits, and Codex writes nanoseconds: ``2026-11-30T16:08:59.077708261Z``).
    Fractional digits beyond microseconds are truncated; a leap second (``:60``) becomes the last
    microsecond of its minute, since ``datetime`` cannot hold it.
    """
    if not isinstance(value, str):
        return None
    match = _RFC3339.fullmatch(value)
    if match is None:
        return None
    part = match.group
    if part("sign"):
        hours, minutes = int(part("off_hour")), int(part("off_minute"))
        if hours > 23 or minutes > 59:
            return None
        sign = -1 if part("sign") == "-" else 1
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    else:
        zone = timezone.utc  # ``Z``, or (leniently) no offset at all
    second = int(part("second"))
    micro = int((part("fraction") or "0")[:6].ljust(6, "0"))
    if second == 60:
        second, micro = 59, 999_999
    try:
        return datetime(
            int(part("year")),
            int(part("month")),
            int(part("day")),
            int(part("hour")),
            int(part("minute")),
            second,
            micro,
            tzinfo=zone,
        )
    except ValueError:  # out-of-range fields, e.g. month 13 or February 30
        return None


@dataclass(frozen=True)
class TokenSet:
    """Access, refresh and id token of one login plus what is derived from them. Repr hides tokens."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False, default=None)
    id_token: str | None = field(repr=False, default=None)
    account_id: str | None = None
    last_refresh: datetime | None = None
    credentials: Credentials = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        creds = credentials_from_tokens(self.access_token, self.id_token, self.account_id)
        object.__setattr__(self, "credentials", creds)
        if self.account_id is None and creds.account_id is not None:
            object.__setattr__(self, "account_id", creds.account_id)

    @property
    def access_fingerprint(self) -> str:
        return fingerprint(self.access_token)

    @classmethod
    def from_oauth(cls, payload: dict[str, Any], previous: TokenSet | None = None) -> TokenSet:
        """Tokens from an /oauth/token answer; absent fields keep their previous value (rotation)."""
        refresh = _str_or_none(payload.get("refresh_token"))
        ident = _str_or_none(payload.get("id_token"))
        fresh = credentials_from_tokens(payload["access_token"], ident)
        before = previous or _EMPTY
        return cls(
            access_token=payload["access_token"],
            refresh_token=refresh or before.refresh_token,
            id_token=ident or before.id_token,
            account_id=fresh.account_id or before.account_id,
            last_refresh=datetime.now(timezone.utc),
        )


_EMPTY = TokenSet(access_token="-")


def _corrupt(path: Path | str, why: str) -> LoginRequiredError:
    if isinstance(path, str):  # a record in another token store (Redis): named, not a file
        return LoginRequiredError(
            f"The login record in {path} {why}. It was left untouched: log in again to replace it."
        )
    return LoginRequiredError(
        f"The auth file {path} {why}. It was left untouched: repair it, or run "
        "`chatgpt-sdk login` to replace it."
    )


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def detect_format(data: dict[str, Any]) -> str:
    return CODEX if {"tokens", "auth_mode", "OPENAI_API_KEY"} & data.keys() else FLAT


def decode(data: object, path: Path | str) -> tuple[str, TokenSet]:
    """The layout and tokens of a parsed auth file, or a clear error naming the file.

    ``path`` is the file, or (a string) where another token store keeps the record.
    """
    if not isinstance(data, dict):
        raise _corrupt(path, "does not hold a JSON object")
    kind = detect_format(data)
    if kind == CODEX:
        tokens = data.get("tokens")
        if not isinstance(tokens, dict):
            mode = data.get("auth_mode")
            if mode in (None, "apikey") and data.get("OPENAI_API_KEY"):
                raise LoginRequiredError(
                    f"The Codex login at {path} uses an API key, not a ChatGPT sign-in. "
                    "Run `codex login` (ChatGPT) or `chatgpt-sdk login`."
                )
            raise _corrupt(path, "has no `tokens` object")
        source = tokens
    else:
        source = data
    access = _str_or_none(source.get("access_token"))
    if access is None:
        raise _corrupt(path, "has no access_token")
    refresh = _str_or_none(source.get("refresh_token"))
    try:
        check_access_token(access)
        token_expiry(access, strict=True)
        return kind, TokenSet(
            access_token=access,
            refresh_token=refresh,
            id_token=_str_or_none(source.get("id_token")),
            account_id=_header_safe_or_none(source.get("account_id")),
            last_refresh=parse_rfc3339(data.get("last_refresh")),
        )
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        # The message names the field and the problem, never the token itself.
        what = str(exc) if isinstance(exc, ValueError) else type(exc).__name__
        raise _corrupt(path, f"holds an unusable token ({_field_hint(what)})") from None


def _field_hint(text: str) -> str:
    return text.removeprefix("its ") if len(text) < 200 else "malformed"


def _header_safe_or_none(value: object) -> str | None:
    text = _str_or_none(value)
    if text is None:
        return None
    try:
        return check_header_value(text, "account_id")
    except ValueError:
        return None  # a foreign account id we cannot send; the JWT claims still provide it


def encode(kind: str, tokens: TokenSet, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The file content for ``tokens`` in layout ``kind``, keeping every key we do not own."""
    out: dict[str, Any] = dict(previous or {})
    stamp = format_rfc3339(tokens.last_refresh or datetime.now(timezone.utc))
    if kind == CODEX:
        inner = out.get("tokens")
        inner = dict(inner) if isinstance(inner, dict) else {}
        inner.update(
            id_token=tokens.id_token,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            account_id=tokens.account_id,
        )
        out.setdefault("auth_mode", "chatgpt")
        out.setdefault("OPENAI_API_KEY", None)
        out["tokens"] = inner
        out["last_refresh"] = stamp
        return out
    creds = tokens.credentials
    out.update(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        id_token=tokens.id_token,
        account_id=tokens.account_id,
        expires_at=int(creds.expires_at.timestamp()) if creds.expires_at else None,
        plan_type=creds.plan_type,
        last_refresh=stamp,
    )
    return out
