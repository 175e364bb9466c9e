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


@dataclass(frozen=True)
class Credentials:
    """One usable access token and what the backend needs beside it. Its repr hides the token."""

    access_token: str = field(repr=False)
    account_id: str | None = None
    expires_at: datetime | None = None
    plan_type: str | None = None

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


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified (as every client of this backend does); {} if not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def credentials_from_tokens(
    access_token: str, id_token: str | None = None, account_id: str | None = None
) -> Credentials:
    """Build ``Credentials`` from tokens, taking account, plan and expiry from their claims."""
    access = jwt_claims(access_token)
    auth_id = _auth_claim(jwt_claims(id_token) if id_token else {})
    auth_access = _auth_claim(access)
    exp = access.get("exp")
    return Credentials(
        access_token=access_token,
        account_id=account_id
        or auth_id.get("chatgpt_account_id")
        or auth_access.get("chatgpt_account_id"),
        expires_at=datetime.fromtimestamp(exp, timezone.utc)
        if isinstance(exp, (int, float))
        else None,
        plan_type=auth_id.get("chatgpt_plan_type") or auth_access.get("chatgpt_plan_type"),
    )


def _auth_claim(claims: dict[str, Any]) -> dict[str, Any]:
    value = claims.get(AUTH_CLAIM)
    return value if isinstance(value, dict) else {}


class StaticTokenProvider:
    """A fixed access token: for tests, CI secrets, or tokens managed elsewhere. Never refreshes."""

    def __init__(
        self,
        access_token: str,
        *,
        account_id: str | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        if not access_token or not isinstance(access_token, str):
            raise ValueError("StaticTokenProvider needs a non-empty access token string")
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
