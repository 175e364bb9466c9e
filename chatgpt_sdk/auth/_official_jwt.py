"""Sign in with ChatGPT: the issuer's discovery document and ID-token verification (SIWC.md 2.1, 2.7).

Discovery is read at run time and checked: its ``issuer`` must be the configured one, and every
endpoint (``revocation_endpoint`` too, when present) must have the issuer's origin, so a tampered
document cannot send codes or tokens elsewhere. ID tokens are verified with PyJWT: RS256 only,
against the discovered JWKS, with ``iss``, ``aud`` (the issued client id), ``exp``, ``iat``, ``sub``
required, a 5 s clock tolerance, the ``azp`` rules and, on a login, the nonce.

A JWKS or discovery outage is not an invalid identity: it raises ``APIConnectionError`` (retryable)
and never leads to erased credentials; only a token that really fails verification raises
``LoginFailedError``.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from chatgpt_sdk.errors import APIConnectionError, LoginFailedError

__all__ = ["CLOCK_SKEW_SECONDS", "Discovery", "IdentityVerifier"]

CLOCK_SKEW_SECONDS = 5
HTTP_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
# The JWKS is fetched again after this long, or at once for a key id it does not hold (rotation).
JWKS_TTL_SECONDS = 3600.0
_REQUIRED = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default


@dataclass(frozen=True)
class Discovery:
    """The checked endpoints of ``{issuer}/.well-known/openid-configuration``."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    revocation_endpoint: str | None = None

    @classmethod
    def from_document(cls, issuer: str, document: object) -> Discovery:
        """Check ``document`` against ``issuer`` (SIWC 2.1); ``LoginFailedError`` when it fails."""
        if not isinstance(document, Mapping):
            raise _bad_discovery(issuer, "it is not a JSON object")
        if document.get("issuer") != issuer:
            raise _bad_discovery(issuer, f"it names another issuer ({document.get('issuer')!r})")
        found: dict[str, str | None] = {}
        for name in (*_REQUIRED, "revocation_endpoint"):
            value = document.get(name)
            if value is None and name == "revocation_endpoint":
                found[name] = None
                continue
            if not isinstance(value, str) or not value:
                raise _bad_discovery(issuer, f"it has no {name}")
            if _origin(value) != _origin(issuer):
                raise _bad_discovery(issuer, f"its {name} is on another origin ({value!r})")
            found[name] = value
        methods = document.get("code_challenge_methods_supported")
        if isinstance(methods, list) and "S256" not in methods:
            raise _bad_discovery(issuer, "it does not support PKCE with S256")
        return cls(
            issuer=issuer,
            authorization_endpoint=str(found["authorization_endpoint"]),
            token_endpoint=str(found["token_endpoint"]),
            jwks_uri=str(found["jwks_uri"]),
            revocation_endpoint=found["revocation_endpoint"],
        )


def _bad_discovery(issuer: str, why: str) -> LoginFailedError:
    return LoginFailedError(
        f"The discovery document of {issuer} was refused: {why}. Check the issuer "
        "(issuer= or CHATGPT_AUTH_ISSUER).",
        reason="discovery",
    )


def _unavailable(issuer: str, what: str, cause: str) -> APIConnectionError:
    return APIConnectionError(
        f"Could not fetch the {what} of {issuer} ({cause}): identity verification is "
        "unavailable for now. Nothing was changed; try again later."
    )


class IdentityVerifier:
    """Discovery and JWKS of one issuer (cached), and the ID-token checks. Thread-safe."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self._lock = threading.Lock()
        self._discovery: Discovery | None = None
        self._jwks: Any = None  # jwt.PyJWKSet
        self._jwks_at = 0.0

    def discovery(self, client: httpx.Client) -> Discovery:
        with self._lock:
            if self._discovery is not None:
                return self._discovery
        url = f"{self.issuer}/.well-known/openid-configuration"
        document = self._get_json(client, url, "discovery document")
        found = Discovery.from_document(self.issuer, document)
        with self._lock:
            self._discovery = found
        return found

    def _get_json(self, client: httpx.Client, url: str, what: str) -> Any:
        try:
            response = client.get(url, headers={"Accept": "application/json"}, timeout=HTTP_TIMEOUT)
        except httpx.HTTPError as exc:
            raise _unavailable(self.issuer, what, type(exc).__name__) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise _unavailable(self.issuer, what, f"HTTP {response.status_code}")
        if not response.is_success:
            raise LoginFailedError(
                f"The {what} of {self.issuer} is missing (HTTP {response.status_code}). Check "
                "the issuer (issuer= or CHATGPT_AUTH_ISSUER).",
                reason="discovery",
            )
        try:
            return response.json()
        except (ValueError, RecursionError):
            raise LoginFailedError(
                f"The {what} of {self.issuer} is not JSON.", reason="discovery"
            ) from None

    def _keys(self, client: httpx.Client, *, refetch: bool) -> Any:
        import jwt

        with self._lock:
            fresh = self._jwks is not None and time.monotonic() - self._jwks_at < JWKS_TTL_SECONDS
            if fresh and not refetch:
                return self._jwks
        document = self._get_json(client, self.discovery(client).jwks_uri, "JWKS")
        try:
            keys = jwt.PyJWKSet.from_dict(document)
        except (jwt.PyJWKSetError, jwt.PyJWKError, TypeError, ValueError, KeyError):
            raise LoginFailedError(
                f"The JWKS of {self.issuer} holds no usable key.", reason="invalid_id_token"
            ) from None
        with self._lock:
            self._jwks, self._jwks_at = keys, time.monotonic()
        return keys

    def verify(
        self, client: httpx.Client, id_token: str, *, client_id: str, nonce: str | None
    ) -> dict[str, Any]:
        """The verified claims of ``id_token`` (SIWC 2.7), else ``LoginFailedError``."""
        import jwt

        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError:
            raise _invalid("it is not a JWT") from None
        if header.get("alg") != "RS256":
            raise _invalid(f"it is signed with {header.get('alg')!r}, not RS256")
        kid = header.get("kid")
        key = _find_key(self._keys(client, refetch=False), kid)
        if key is None:  # a key rotated in since the JWKS was read
            key = _find_key(self._keys(client, refetch=True), kid)
        if key is None:
            raise _invalid("no key of the issuer's JWKS signed it")
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key.key,
                algorithms=["RS256"],
                audience=client_id,
                issuer=self.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise _invalid("it has expired") from None
        except jwt.InvalidAudienceError:
            raise _invalid("it was issued to another client (aud)") from None
        except jwt.InvalidIssuerError:
            raise _invalid("another issuer made it (iss)") from None
        except jwt.InvalidSignatureError:
            raise _invalid("its signature does not match (forged?)") from None
        except jwt.PyJWTError as exc:
            raise _invalid(str(exc) or type(exc).__name__) from None
        audience = claims.get("aud")
        azp = claims.get("azp")
        if azp is not None and azp != client_id:
            raise _invalid("it was issued to another client (azp)")
        if isinstance(audience, list) and len(audience) > 1 and azp != client_id:
            raise _invalid("it has several audiences and no matching azp")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise _invalid("it has no subject")
        if nonce is not None:
            sent = claims.get("nonce")
            if not isinstance(sent, str) or not hmac.compare_digest(sent, nonce):
                raise _invalid("its nonce is not this login's (a replayed token?)")
        return claims


def _find_key(keys: Any, kid: object) -> Any:
    candidates = [k for k in keys.keys if getattr(k, "key_type", "RSA") == "RSA"]
    if kid is None:
        return candidates[0] if len(candidates) == 1 else None
    return next((k for k in candidates if k.key_id == kid), None)


def _invalid(why: str) -> LoginFailedError:
    return LoginFailedError(
        f"The ID token from the auth server was refused: {why}. Nothing was saved; run the "
        "login again.",
        reason="invalid_id_token",
    )
