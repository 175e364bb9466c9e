"""The tokens of ``FakeSIWC``'s issuer (SIWC.md 2.6-2.9): its RSA keys, the RS256 JWTs it signs
(access tokens with SIWC 2.6's claims, ID tokens, forged ones on request) and the record of the
access and refresh tokens it issued.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

__all__ = ["AUTH_CLAIM", "RESOURCE", "SIWCTokens"]

RESOURCE = "https://api.openai.com/v1"
AUTH_CLAIM = "https://api.openai.com/auth"
FORGERIES = ("signature", "expired", "nonce", "audience", "issuer", "azp", "alg")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class AccessToken:
    client_id: str
    subject: str
    scopes: tuple[str, ...]
    exp: float


@dataclass
class RefreshToken:
    client_id: str
    subject: str
    scopes: tuple[str, ...]
    state: str = "live"  # live | used | revoked | expired


class SIWCTokens:
    """Signing and the issued tokens. A base of ``FakeSIWC``, whose constructor sets the
    attributes declared here."""

    email: str
    subject: str
    access_token_ttl: float
    clock: Callable[[], float]
    kid: str
    _key: RSAPrivateKey
    _forger: RSAPrivateKey
    _lock: threading.Lock
    _access: dict[str, AccessToken]
    _refresh: dict[str, RefreshToken]
    _forge_next: str | None

    # -- scripting ---------------------------------------------------------------------------

    def forge_next_id_token(self, kind: str) -> None:
        """The next ID token is bad: ``signature`` (another key), ``expired``, ``nonce``,
        ``audience``, ``issuer``, ``azp`` or ``alg`` (HS256)."""
        if kind not in FORGERIES:
            raise ValueError(f"unknown forgery {kind!r}")
        self._forge_next = kind

    def expire_refresh_token(self, token: str) -> None:
        with self._lock:
            if token in self._refresh:
                self._refresh[token].state = "expired"

    def refresh_token_state(self, token: str) -> str | None:
        """``live``, ``used``, ``revoked``, ``expired``, or None for a token never issued."""
        with self._lock:
            found = self._refresh.get(token)
            return found.state if found else None

    def is_valid_access_token(self, token: str) -> bool:
        with self._lock:
            found = self._access.get(token)
        return found is not None and found.exp > self.clock()

    # -- keys and JWTs -----------------------------------------------------------------------

    def _jwk(self) -> dict[str, Any]:
        from jwt.algorithms import RSAAlgorithm

        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def _sign(self, claims: Mapping[str, Any], *, forged: bool = False) -> str:
        import jwt

        key = self._forger if forged else self._key
        return jwt.encode(dict(claims), key, algorithm="RS256", headers={"kid": self.kid})

    def _mint_access(
        self, origin: str, client_id: str, subject: str, scopes: tuple[str, ...], ttl: float
    ) -> str:
        """Under the lock: an RS256 access token with SIWC 2.6's claims, remembered as valid."""
        now = self.clock()
        token = self._sign(
            {
                "sub": subject,
                "aud": RESOURCE,
                "client_id": client_id,
                "scope": " ".join(scopes),
                AUTH_CLAIM: {
                    "per_user_salt": b64(hashlib.sha256(subject.encode()).digest()[:12]),
                    "encrypted_auth_metadata": b64(secrets.token_bytes(24)),
                },
                "iss": origin,
                "iat": int(now),
                "nbf": int(now),
                "exp": int(now + ttl),
                "jti": secrets.token_hex(12),
            }
        )
        self._access[token] = AccessToken(client_id, subject, scopes, now + ttl)
        return token

    def _id_token(self, origin: str, client_id: str, subject: str, nonce: str | None) -> str:
        now = int(self.clock())
        claims: dict[str, Any] = {
            "iss": origin,
            "aud": client_id,
            "azp": client_id,
            "sub": subject,
            "email": self.email if subject == self.subject else f"{subject}@example.com",
            "iat": now,
            "exp": now + 3600,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        forgery, self._forge_next = self._forge_next, None
        if forgery == "signature":
            return self._sign(claims, forged=True)
        if forgery == "expired":
            claims.update(iat=now - 7200, exp=now - 3600)
        elif forgery == "nonce":
            claims["nonce"] = b64(secrets.token_bytes(32))
        elif forgery == "audience":
            claims["aud"] = claims["azp"] = "oaiapp_someone_else"
        elif forgery == "issuer":
            claims["iss"] = "https://evil.example"
        elif forgery == "azp":
            claims["aud"], claims["azp"] = [client_id, "oaiapp_other"], "oaiapp_other"
        elif forgery == "alg":
            import jwt

            return jwt.encode(claims, "not-a-key-but-a-secret-of-32-bytes", algorithm="HS256")
        return self._sign(claims)

    def _hint_ok(self, hint: str, client_id: str) -> bool:
        """Whether ``hint`` is an ID token this issuer signed for ``client_id`` (expired or not)."""
        import jwt

        try:
            jwt.decode(
                hint,
                self._key.public_key(),
                algorithms=["RS256"],
                audience=client_id,
                options={"verify_exp": False, "verify_iss": False},
            )
        except jwt.PyJWTError:
            return False
        return True

    def _tokens(
        self,
        origin: str,
        client_id: str,
        subject: str,
        scopes: tuple[str, ...],
        nonce: str | None,
        *,
        with_id_token: bool = True,
        with_scope: bool = True,
    ) -> dict[str, Any]:
        """Under the lock: a token response body with a fresh access and refresh token."""
        access = self._mint_access(origin, client_id, subject, scopes, self.access_token_ttl)
        refresh = "rt_" + secrets.token_urlsafe(32)
        self._refresh[refresh] = RefreshToken(client_id, subject, scopes)
        body: dict[str, Any] = {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "expires_in": int(self.access_token_ttl),
        }
        if with_scope:
            body["scope"] = " ".join(scopes)
        if with_id_token:
            body["id_token"] = self._id_token(origin, client_id, subject, nonce)
        return body
