"""Sign in with ChatGPT (SIWC.md section 2): constants, the credential record and where it lives.

Layout, in the token directory (``CHATGPT_TOKEN_DIR``, default ``~/.config/chatgpt-sdk``)::

    official/host.json                      this machine's ext_agent_host_id (never exported)
    official/profile-<name>.json            a login's name -> its registration
                                            {"issuer", "client_id", "subject"}
    official/<client_id>.<digest>.json      the record of one (issued client id, subject)

The registration (issued client id) is saved before the code exchange, so a failed exchange never
forces a second registration; the record is written once the ID token is verified. Every file is
0600 in a 0700 folder, written atomically (``AuthFile``); a record is replaced as a whole and
serialised across processes by its own lock file.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from chatgpt_sdk.auth._config import check_optional_str, check_path, resolve_auth_path
from chatgpt_sdk.auth._credentials import Credentials, check_access_token
from chatgpt_sdk.auth._store import AuthFile
from chatgpt_sdk.auth._tokens import format_rfc3339, parse_rfc3339
from chatgpt_sdk.errors import LoginRequiredError

__all__ = [
    "BOOTSTRAP_CLIENT_ID",
    "LOGIN_COMMAND",
    "PLAN_SCOPE",
    "RESOURCE",
    "SCOPES",
    "USAGE_URL",
    "OfficialRecord",
    "OfficialStore",
    "Registration",
]

RESOURCE = "https://api.openai.com/v1"
BOOTSTRAP_CLIENT_ID = "dynamic_agent_client"  # an entrypoint only: never saved, never exchanged
PLAN_SCOPE = "chatgpt.tokens.use.direct"
SCOPES = ("openid", "profile", "email", "offline_access", "resource.invoke", PLAN_SCOPE)
CALLBACK_PATH = "/auth/callback"
USAGE_URL = "https://chatgpt.com/settings/usage"
LOGIN_COMMAND = "chatgpt-sdk login --official"
RECORD_KIND = "chatgpt-sdk/siwc"
CLIENT_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,200}")
HOST_ID_PATTERN = re.compile(
    r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
)
_PROFILE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
DEFAULT_PROFILE = "default"


def valid_client_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and value != BOOTSTRAP_CLIENT_ID
        and CLIENT_ID_PATTERN.fullmatch(value) is not None
    )


def plan_enabled(scopes: tuple[str, ...] | list[str]) -> bool:
    """Plan usage is granted only by this scope in the token response (SIWC 2.7)."""
    return PLAN_SCOPE in scopes


def resolve_profile(profile: object) -> str:
    """The login's name: ``profile=``, else ``CHATGPT_PROFILE``, else ``"default"``."""
    name = check_optional_str("profile", profile)
    source = "profile"
    if name is None:
        name = os.environ.get("CHATGPT_PROFILE") or None
        source = "CHATGPT_PROFILE"
    if name is None:
        return DEFAULT_PROFILE
    if _PROFILE_PATTERN.fullmatch(name) is None:
        raise ValueError(
            f"{source} must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or "
            f"digit), got {name!r}"
        )
    return name


def official_directory(directory: object) -> Path:
    """``<token directory>/official``: ``directory=``, else ``CHATGPT_TOKEN_DIR``, else config dir."""
    given = check_path("directory", directory)
    return resolve_auth_path(given, None).parent / "official"


@dataclass(frozen=True)
class Registration:
    """A login's name bound to an issued client (and, once known, the verified subject)."""

    issuer: str
    client_id: str
    subject: str | None = None


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class OfficialRecord:
    """One (issued client id, subject) login, as SIWC 2.8 describes it. Its repr hides tokens.

    ``access_token``/``refresh_token`` are None after a sign-out or a dead refresh token (the
    registration and the host id stay, so the next login reuses them).
    """

    issuer: str
    client_id: str
    subject: str
    ext_agent_host_id: str
    email: str | None = None
    id_token: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    token_type: str = "Bearer"
    expires_in: int | None = None
    expires_at: datetime | None = None
    scopes: tuple[str, ...] = ()
    saved_at: datetime | None = None
    earliest_refresh_at: Any = None  # as received ([UNCERTAIN] units); see refresh_not_before

    @property
    def plan_enabled(self) -> bool:
        return plan_enabled(self.scopes)

    @property
    def signed_in(self) -> bool:
        return self.access_token is not None

    @property
    def credentials(self) -> Credentials:
        if self.access_token is None:
            raise LoginRequiredError(f"Not signed in. Run `{LOGIN_COMMAND}`.")
        return Credentials(access_token=self.access_token, expires_at=self.expires_at)

    def refresh_not_before(self) -> datetime | None:
        """``earliest_refresh_at`` as a time, whether epoch seconds or an RFC 3339 string."""
        value = self.earliest_refresh_at
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, timezone.utc)
            except (OverflowError, OSError, ValueError):
                return None
        return parse_rfc3339(value)

    def signed_out(self, *, keep_id_token: bool) -> OfficialRecord:
        """The record without its tokens (the registration, subject and host id stay)."""
        return replace(
            self,
            access_token=None,
            refresh_token=None,
            id_token=self.id_token if keep_id_token else None,
            expires_at=None,
            expires_in=None,
            earliest_refresh_at=None,
        )

    def to_json(self, *, host_id: bool = True) -> dict[str, Any]:
        data = asdict(self)
        data["scopes"] = list(self.scopes)
        data["expires_at"] = int(self.expires_at.timestamp()) if self.expires_at else None
        data["saved_at"] = format_rfc3339(self.saved_at) if self.saved_at else None
        if not host_id:
            del data["ext_agent_host_id"]
        return {"kind": RECORD_KIND, "version": 1, **data}

    @classmethod
    def from_json(cls, data: object, where: str, *, host_id: str | None = None) -> OfficialRecord:
        """Parse a record; ``host_id`` replaces (or supplies) the stored host id (import)."""
        if not isinstance(data, Mapping) or data.get("kind") != RECORD_KIND:
            raise LoginRequiredError(
                f"{where} is not a chatgpt-sdk Sign in with ChatGPT record. Run `{LOGIN_COMMAND}`."
            )
        issuer, client_id, subject = (_opt_str(data, k) for k in ("issuer", "client_id", "subject"))
        host = host_id or _opt_str(data, "ext_agent_host_id")
        if issuer is None or subject is None or not valid_client_id(client_id) or host is None:
            raise LoginRequiredError(
                f"{where} lacks its issuer, client id, subject or host id. Run `{LOGIN_COMMAND}`."
            )
        access = _opt_str(data, "access_token")
        if access is not None:
            try:
                check_access_token(access)
            except ValueError:
                raise LoginRequiredError(
                    f"{where} holds an unusable access token. Run `{LOGIN_COMMAND}`."
                ) from None
        scopes = data.get("scopes")
        expires_at = data.get("expires_at")
        expires_in = data.get("expires_in")
        when = None
        if isinstance(expires_at, (int, float)) and not isinstance(expires_at, bool):
            try:
                when = datetime.fromtimestamp(expires_at, timezone.utc)
            except (OverflowError, OSError, ValueError):
                when = None
        return cls(
            issuer=issuer,
            client_id=str(client_id),
            subject=subject,
            ext_agent_host_id=host,
            email=_opt_str(data, "email"),
            id_token=_opt_str(data, "id_token"),
            access_token=access,
            refresh_token=_opt_str(data, "refresh_token"),
            token_type=_opt_str(data, "token_type") or "Bearer",
            expires_in=expires_in
            if isinstance(expires_in, int) and not isinstance(expires_in, bool)
            else None,
            # An access token without a known expiry is treated as expiring now (refreshed).
            expires_at=when if when is not None or access is None else _EPOCH,
            scopes=tuple(s for s in scopes if isinstance(s, str))
            if isinstance(scopes, list)
            else (),
            saved_at=parse_rfc3339(data.get("saved_at")),
            earliest_refresh_at=data.get("earliest_refresh_at"),
        )


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class OfficialStore:
    """The files of the official logins in one token directory (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.host_file = AuthFile(folder / "host.json")

    def profile_file(self, profile: str) -> AuthFile:
        return AuthFile(self.folder / f"profile-{profile}.json")

    def record_file(self, issuer: str, client_id: str, subject: str) -> AuthFile:
        digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:20]
        return AuthFile(self.folder / f"{client_id}.{digest}.json")

    def profiles(self) -> list[str]:
        try:
            names = sorted(p.name for p in self.folder.glob("profile-*.json"))
        except OSError:
            return []
        return [n[len("profile-") : -len(".json")] for n in names]

    # --- the host id ------------------------------------------------------------------------

    def host_id(self, *, create: bool) -> str | None:
        """This machine's ``ext_agent_host_id`` (``urn:uuid:<v4>``); made once, under a lock."""
        found = self._read_host_id()
        if found is not None or not create:
            return found
        with self.host_file.locked():
            found = self._read_host_id()
            if found is None:
                found = f"urn:uuid:{uuid.uuid4()}"
                self.host_file.write(
                    {
                        "ext_agent_host_id": found,
                        "created_at": format_rfc3339(datetime.now(timezone.utc)),
                        "note": "This machine's own id for Sign in with ChatGPT. Never copy it "
                        "to another machine.",
                    }
                )
        return found

    def _read_host_id(self) -> str | None:
        data = self.host_file.read()
        value = data.get("ext_agent_host_id") if isinstance(data, dict) else None
        if isinstance(value, str) and HOST_ID_PATTERN.fullmatch(value):
            return value
        if data is not None:
            raise LoginRequiredError(
                f"{self.host_file.path} holds no valid host id. Remove it (a new one is made at "
                f"the next `{LOGIN_COMMAND}`)."
            )
        return None

    # --- registrations ----------------------------------------------------------------------

    def registration(self, profile: str) -> Registration | None:
        data = self.profile_file(profile).read()
        if data is None:
            return None
        issuer = _opt_str(data, "issuer") if isinstance(data, dict) else None
        client_id = data.get("client_id") if isinstance(data, dict) else None
        if issuer is None or not valid_client_id(client_id):
            raise LoginRequiredError(
                f"{self.profile_file(profile).path} is not a valid registration. Remove it and "
                f"run `{LOGIN_COMMAND}`."
            )
        return Registration(issuer, str(client_id), _opt_str(data, "subject"))

    def save_registration(self, profile: str, registration: Registration) -> None:
        file = self.profile_file(profile)
        with file.locked():
            file.write(
                {
                    "issuer": registration.issuer,
                    "client_id": registration.client_id,
                    "subject": registration.subject,
                }
            )

    # --- records ----------------------------------------------------------------------------

    def file_for(self, registration: Registration) -> AuthFile | None:
        if registration.subject is None:
            return None
        return self.record_file(registration.issuer, registration.client_id, registration.subject)

    def read_record(self, file: AuthFile) -> OfficialRecord | None:
        data = file.read()
        return None if data is None else OfficialRecord.from_json(data, str(file.path))
