"""What a client needs from auth: ``Credentials`` and the ``TokenProvider`` protocol."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol, runtime_checkable

__all__ = ["Credentials", "StaticTokenProvider", "TokenProvider", "jwt_claims"]

AUTH_CLAIM = "https://api.openai.com/auth"


def _header_safe(text: str, *, allow_space: bool) -> bool:
    """True if ``text`` can go into an HTTP header as is: printable ASCII, no control characters."""
    low = " " if allow_space else "!"
    return all(low <= char <= "~" for char in text)


def check_access_token(value: object, name: str = "access_token") -> str:
    """``value`` if it can be sent as ``Authorization: Bearer <value>``, else TypeError/ValueError.

    Checked up front: a token that is not printable ASCII would only fail later, as a
    ``UnicodeEncodeError`` while the request headers are built. The message never shows the token.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    if not _header_safe(value, allow_space=False):
        raise ValueError(
            f"{name} must be printable ASCII without spaces or line breaks (it is sent in an "
            "HTTP header)"
        )
    return value


def check_header_value(value: object, name: str) -> str | None:
    """``value`` if it is None or a str that fits in an HTTP header, else TypeError/ValueError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, not {type(value).__name__}")
    if not _header_safe(value, allow_space=True):
        raise ValueError(f"{name} must be printable ASCII without line breaks")
    return value


@dataclass(frozen=True)
class Credentials:
    """One usable access token and what the backend needs beside it. Its repr hides the token.

    The fields are checked when it is built (``TypeError``/``ValueError`` naming the field): the
    token and the account id go into HTTP headers, so they must be printable ASCII, and
    ``expires_at`` must be a timezone-aware datetime.
    """

    access_token: str = field(repr=False)
    account_id: str | None = None
    expires_at: datetime | None = None
    plan_type: str | None = None

    def __post_init__(self) -> None:
        check_access_token(self.access_token)
        check_header_value(self.account_id, "account_id")
        if self.plan_type is not None and not isinstance(self.plan_type, str):
            raise TypeError(f"plan_type must be a str or None, not {type(self.plan_type).__name__}")
        check_expires_at(self.expires_at)

    def expires_within(self, seconds: float, *, now: datetime | None = None) -> bool:
        """True when the token expires in less than ``seconds`` (unknown expiry: never)."""
        if self.expires_at is None:
            return False
        current = now or datetime.now(timezone.utc)
        return (self.expires_at - current).total_seconds() < seconds

    def __repr__(self) -> str:
        return (
            f"Credentials(access_token='***', account_id={self.account_id!r}, "
            f"expires_at={self.expires_at!r}, plan_type={self.plan_type!r})"
        )


@runtime_checkable
class TokenProvider(Protocol):
    """Where a client gets credentials. ``force_refresh=True`` follows a 401."""

    def credentials(self, force_refresh: bool = False) -> Credentials: ...

    async def acredentials(self, force_refresh: bool = False) -> Credentials: ...


def check_expires_at(value: object, name: str = "expires_at") -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime or None, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (e.g. datetime.now(timezone.utc))")
    return value


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified (as every client of this backend does); {} if not a JWT."""
    if not isinstance(token, str):
        return {}
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError, RecursionError):
        return {}
    return claims if isinstance(claims, dict) else {}


def token_expiry(token: str, *, strict: bool = False) -> datetime | None:
    """The JWT ``exp`` of ``token`` as an aware datetime; None if absent or not a number.

    A number that is no usable time (NaN, infinite, beyond the year 9999) is None too, or with
    ``strict=True`` a ``ValueError`` saying so.
    """
    exp = jwt_claims(token).get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(exp, timezone.utc)
    except (OverflowError, OSError, ValueError):
        if strict:
            raise ValueError(
                "its `exp` claim is not a usable time (NaN, infinite or out of range)"
            ) from None
        return None


def credentials_from_tokens(
    access_token: str, id_token: str | None = None, account_id: str | None = None
) -> Credentials:
    """Build ``Credentials`` from tokens, taking account, plan and expiry from their claims.

    Claims of the wrong type are ignored; an unusable ``exp`` means an unknown expiry. An access
    token that cannot be sent in a header raises ``ValueError`` (see ``Credentials``).
    """
    access = jwt_claims(access_token)
    auth_id = _auth_claim(jwt_claims(id_token) if id_token else {})
    auth_access = _auth_claim(access)
    return Credentials(
        access_token=access_token,
        account_id=account_id
        or _claim(auth_id, "chatgpt_account_id")
        or _claim(auth_access, "chatgpt_account_id"),
        expires_at=token_expiry(access_token),
        plan_type=_claim(auth_id, "chatgpt_plan_type") or _claim(auth_access, "chatgpt_plan_type"),
    )


def _auth_claim(claims: dict[str, Any]) -> dict[str, Any]:
    value = claims.get(AUTH_CLAIM)
    return value if isinstance(value, dict) else {}


def _claim(claims: dict[str, Any], key: str) -> str | None:
    """A string claim that fits in a header, else None (claims are not ours to trust)."""
    value = claims.get(key)
    if isinstance(value, str) and value and _header_safe(value, allow_space=True):
        return value
    return None


class StaticTokenProvider:
    """A fixed access token: for tests, CI secrets, or tokens managed elsewhere. Never refreshes."""

    def __init__(
        self,
        access_token: str,
        *,
        account_id: str | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        check_access_token(access_token)
        check_header_value(account_id, "account_id")
        check_expires_at(expires_at)
        derived = credentials_from_tokens(access_token, account_id=account_id)
        self._credentials = Credentials(
            access_token=access_token,
            account_id=derived.account_id,
            expires_at=expires_at or derived.expires_at,
            plan_type=derived.plan_type,
        )

    def credentials(self, force_refresh: bool = False) -> Credentials:
        return self._credentials

    async def acredentials(self, force_refresh: bool = False) -> Credentials:
        return self._credentials

    def __repr__(self) -> str:
        return f"StaticTokenProvider(account_id={self._credentials.account_id!r})"
