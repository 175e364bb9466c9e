"""``OfficialTokenProvider``: credentials of a Sign in with ChatGPT login (SIWC.md 2.8-2.12).

The record of one (issued client id, subject) is read from the token directory and refreshed near
expiry with a form-encoded grant (no ``scope``, with ``resource``), under the record's cross-process
lock, re-read under it so that a refresh another process already did is used instead of repeated:

* threads, asyncio tasks and ``force_refresh=True`` (after a 401) go through the single-flight
  engine shared with the Codex login (``_single_flight.SingleFlight``); **processes** share the
  record's ``filelock`` lock file.
* The file is proven writable before the refresh token is spent; the rotated set is saved before
  it is used or its ID token verified. If saving still fails, the new tokens stay in memory, are
  used, and the save is retried on each call (``CredentialsNotSavedWarning``).
* The terminal refresh errors of SIWC 2.9 clear the unusable tokens (keeping the registration, the
  subject, the ID token for ``id_token_hint`` and the host id) and raise
  ``ReauthenticationRequired``; ``invalid_client`` erases nothing; network errors, 429 and 5xx
  are retried and then raised, never erasing anything.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx

from chatgpt_sdk.auth._config import REFRESH_MARGIN_SECONDS, resolve_issuer
from chatgpt_sdk.auth._credentials import Credentials
from chatgpt_sdk.auth._oauth import RefreshReason
from chatgpt_sdk.auth._official import (
    LOGIN_COMMAND,
    OfficialRecord,
    OfficialStore,
    Registration,
    official_directory,
    resolve_profile,
)
from chatgpt_sdk.auth._official_jwt import IdentityVerifier
from chatgpt_sdk.auth._official_tokens import (
    HTTP_TIMEOUT,
    record_from_tokens,
    refresh_grant,
)
from chatgpt_sdk.auth._single_flight import ClientScope, SingleFlight
from chatgpt_sdk.auth._store import AuthFile
from chatgpt_sdk.auth._tokens import fingerprint
from chatgpt_sdk.errors import (
    APIConnectionError,
    AuthFileError,
    ChatGPTError,
    LoginFailedError,
    LoginRequiredError,
    ReauthenticationRequired,
)

__all__ = ["LogoutResult", "OfficialTokenProvider"]

log = logging.getLogger("chatgpt_sdk.auth")

_PROBE_BYTES = 16384


@dataclass(frozen=True)
class LogoutResult:
    """What ``logout`` did: ``revoked`` is True (confirmed), False (unconfirmed) or None (no token)."""

    had_login: bool
    revoked: bool | None


class OfficialTokenProvider(SingleFlight[OfficialRecord, AuthFile]):
    """A ``TokenProvider`` for a Sign in with ChatGPT login (``chatgpt-sdk login --official``).

    ``backend = "official"`` makes a client built on it speak to ``api.openai.com/v1``. Records
    live in ``<token directory>/official`` (``directory=``, else ``CHATGPT_TOKEN_DIR``, else the
    user config dir); ``profile`` names the login (None: the default one).
    """

    backend: ClassVar[str] = "official"
    _store_errors = (AuthFileError,)
    _reread_before_locking = True
    revoke_delays: tuple[float, ...] = (0.3,)
    refresh_margin: float = REFRESH_MARGIN_SECONDS

    def __init__(
        self,
        directory: str | Path | None = None,
        *,
        profile: str | None = None,
        issuer: str | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(http_client, threading.RLock())
        self._store = OfficialStore(official_directory(directory))
        self._profile = resolve_profile(profile)
        self._issuer = resolve_issuer(issuer)
        self._verifier = IdentityVerifier(self._issuer)

    # --- where -------------------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return self._issuer

    @property
    def profile(self) -> str:
        return self._profile

    @property
    def directory(self) -> Path:
        """The folder of the official logins (``<token directory>/official``)."""
        return self._store.folder

    @property
    def path(self) -> Path | None:
        """The record file of this login, once its subject is known."""
        registration = self.registration()
        file = self._store.file_for(registration) if registration else None
        return file.path if file else None

    def host_id(self, *, create: bool = False) -> str | None:
        """This machine's ``ext_agent_host_id``; ``create=True`` makes (and saves) it if missing."""
        return self._store.host_id(create=create)

    def registration(self) -> Registration | None:
        """The issued client (and subject) this login uses, or None before the first sign-in."""
        return self._store.registration(self._profile)

    def exists(self) -> bool:
        """True when a registration is saved for this login (signed in or not); never raises."""
        try:
            return self.registration() is not None
        except ChatGPTError:
            return False

    def peek(self) -> OfficialRecord | None:
        """The stored record as it is on disk, without refreshing; None when there is none."""
        registration = self.registration()
        file = self._store.file_for(registration) if registration else None
        return self._store.read_record(file) if file else None

    def check_writable(self) -> None:
        """Raise ``AuthFileError`` unless the token folder can be written now (before a login)."""
        with self._store.host_file.locked():
            self._store.host_file.probe(_PROBE_BYTES)

    # --- the engine's hooks (see _single_flight) ----------------------------------------------

    def _fingerprint(self, state: OfficialRecord) -> str | None:
        return fingerprint(state.access_token) if state.access_token else None

    def _credentials_of(self, state: OfficialRecord) -> Credentials:
        return state.credentials

    def _refresh_margin(self) -> float:
        return self.refresh_margin

    def _not_before(self, state: OfficialRecord) -> datetime | None:
        return state.refresh_not_before()

    def _place(self, state: OfficialRecord) -> AuthFile:
        return self._file_of(state)

    def _usable(self, state: OfficialRecord, *, raising: bool) -> bool:
        problem: ChatGPTError | None = None
        if state.access_token is None:
            problem = LoginRequiredError(
                f"The Sign in with ChatGPT login {self._profile!r} is signed out. Run "
                f"`{self._login_command}` (the app registration is kept)."
            )
        elif not state.plan_enabled:
            problem = LoginFailedError(
                "ChatGPT plan use is not enabled for this app (the sign-in lacks the "
                "chatgpt.tokens.use.direct scope), so no request was sent. Enable it with "
                f"`{self._login_command} --reconsent`, or use another billing path.",
                reason="plan_not_enabled",
            )
        if problem is not None and raising:
            raise problem
        return problem is None

    @property
    def _login_command(self) -> str:
        return LOGIN_COMMAND + ("" if self._profile == "default" else f" --profile {self._profile}")

    def _load(self) -> OfficialRecord:
        registration = self.registration()
        if registration is None:
            raise LoginRequiredError(
                f"No Sign in with ChatGPT login {self._profile!r} in {self.directory}. Run "
                f"`{self._login_command}`."
            )
        if registration.issuer != self._issuer:
            raise LoginRequiredError(
                f"The login {self._profile!r} was made with the issuer {registration.issuer}, "
                f"not {self._issuer}. Pass issuer=, or run `{self._login_command}`."
            )
        file = self._store.file_for(registration)
        record = self._store.read_record(file) if file else None
        if record is None:
            raise LoginRequiredError(
                f"The sign-in of {self._profile!r} did not finish (the app is registered, but "
                f"no tokens were saved). Run `{self._login_command}`."
            )
        return record

    def _file_of(self, record: OfficialRecord) -> AuthFile:
        return self._store.record_file(record.issuer, record.client_id, record.subject)

    def _refresh(
        self, current: OfficialRecord, client: httpx.Client, reason: RefreshReason, file: AuthFile
    ) -> OfficialRecord:
        if current.refresh_token is None:
            raise LoginRequiredError(
                f"The Sign in with ChatGPT login {self._profile!r} has no refresh token, so its "
                f"access token cannot be renewed. Run `{self._login_command}`."
            )
        try:
            file.probe(max(len(str(current.to_json())) * 2, _PROBE_BYTES))
        except AuthFileError as exc:
            if not current.credentials.expires_within(0):
                log.warning("Not refreshing the ChatGPT token yet: %s", exc.message)
                return current
            raise
        endpoint = self._verifier.discovery(client).token_endpoint
        log.info("Refreshing the Sign in with ChatGPT access token (%s)", self._profile)
        try:
            payload = refresh_grant(
                client,
                endpoint,
                current.client_id,
                current.refresh_token,
                delays=self.retry_delays,
            )
        except ReauthenticationRequired:
            try:
                self._write(file, current.signed_out(keep_id_token=True))
            except AuthFileError as exc:
                log.warning("Could not clear the dead tokens: %s", exc.message)
            self._state = None
            raise
        fresh = record_from_tokens(payload, current, grant="refresh")
        self._write(file, fresh)  # first: the old refresh token is spent
        ident = payload.get("id_token")
        if isinstance(ident, str) and ident:
            fresh = self._adopt_id_token(fresh, ident, client, file)
        return fresh

    def _adopt_id_token(
        self, fresh: OfficialRecord, ident: str, client: httpx.Client, file: AuthFile
    ) -> OfficialRecord:
        """Verify a refreshed ID token; keep it only when valid and of the same subject."""
        try:
            claims = self._verifier.verify(client, ident, client_id=fresh.client_id, nonce=None)
        except APIConnectionError as exc:
            log.warning("Kept the previous ID token: %s", exc.message)
            return fresh
        except LoginFailedError as exc:
            log.warning("Ignored the refreshed ID token: %s", exc.message)
            return fresh
        if claims["sub"] != fresh.subject:
            self._write(file, fresh.signed_out(keep_id_token=False))
            self._state = None
            raise ReauthenticationRequired(
                "The refreshed sign-in belongs to another ChatGPT account; its tokens were "
                f"cleared. Run `{self._login_command}`.",
                code="account_mismatch",
            )
        updated = replace(fresh, id_token=ident, email=_email(claims) or fresh.email)
        self._write(file, updated)
        return updated

    def _write(self, file: AuthFile, record: OfficialRecord) -> None:
        try:
            file.write(record.to_json())
        except AuthFileError as exc:
            if record.access_token is None:
                raise
            message = (
                f"The refreshed ChatGPT tokens could not be saved to {file.path} ({exc.cause}). "
                "This process keeps using them and retries the save on each call; fix the cause."
            )
            self._keep_unsaved(record, exc.cause, message, on_disk=None, stacklevel=2)
        else:
            unsaved = self._unsaved
            if unsaved is not None and unsaved.state.access_token == record.access_token:
                self._unsaved = None

    def _save_unsaved(self) -> None:
        unsaved = self._unsaved
        assert unsaved is not None
        try:
            self._file_of(unsaved.state).write(unsaved.state.to_json())
        except AuthFileError as exc:
            self._still_unsaved(exc)
            return
        self._unsaved = None
        self._state = unsaved.state
        log.warning("Saved the refreshed ChatGPT tokens after all")

    def _still_unsaved(self, exc: ChatGPTError) -> None:
        cause = exc.cause if isinstance(exc, AuthFileError) else exc.message
        log.debug("Still cannot save the refreshed tokens: %s", cause)

    def _client(self) -> ClientScope:
        return ClientScope(self._http_client, timeout=HTTP_TIMEOUT)

    # --- used by OfficialLogin ----------------------------------------------------------------

    def _save_registration(self, client_id: str, subject: str | None) -> None:
        """Bind this login to an issued client, before the code exchange (SIWC 2.4)."""
        with self._mutex:
            self._store.save_registration(
                self._profile, Registration(self._issuer, client_id, subject)
            )

    def _save_login(self, record: OfficialRecord) -> None:
        """Store a verified sign-in: the record (whole), then the registration's subject."""
        with self._mutex:
            file = self._file_of(record)
            with file.locked():
                file.write(record.to_json())
            self._store.save_registration(
                self._profile, Registration(record.issuer, record.client_id, record.subject)
            )
            self._state = record
            self._unsaved = None

    # --- sign-out, export, import -------------------------------------------------------------

    def logout(self, *, revoke: bool = True) -> LogoutResult:
        """Revoke the refresh token at the discovered endpoint (SIWC 2.11), then clear the tokens.

        The registration, subject and host id stay, so the next sign-in reuses them. Revocation is
        retried once on a network error or 5xx; the tokens are cleared locally even when it cannot
        be confirmed (``revoked=False``: disconnect the app in ChatGPT settings).
        """
        with self._mutex:
            registration = self.registration()
            file = self._store.file_for(registration) if registration else None
            if file is None:
                return LogoutResult(had_login=registration is not None, revoked=None)
            with file.locked():
                record = self._store.read_record(file)
                if record is None:
                    return LogoutResult(had_login=True, revoked=None)
                unsaved = self._unsaved.state if self._unsaved is not None else None
                tokens = [t.refresh_token for t in (unsaved, record) if t and t.refresh_token]
                revoked: bool | None = None
                if revoke and tokens:
                    revoked = all(self._revoke(record.client_id, t) for t in dict.fromkeys(tokens))
                file.write(record.signed_out(keep_id_token=False).to_json())
                self._state = self._unsaved = None
            return LogoutResult(had_login=True, revoked=revoked)

    def _revoke(self, client_id: str, token: str) -> bool:
        with self._client() as client:
            try:
                endpoint = self._verifier.discovery(client).revocation_endpoint
            except ChatGPTError as exc:
                log.warning("Could not find the revocation endpoint: %s", exc.message)
                return False
            if endpoint is None:
                log.warning("The issuer names no revocation endpoint; revocation unconfirmed")
                return False
            form = {"token": token, "token_type_hint": "refresh_token", "client_id": client_id}
            for attempt in range(len(self.revoke_delays) + 1):
                try:
                    response = client.post(
                        endpoint,
                        data=form,
                        headers={"Accept": "application/json"},
                        timeout=HTTP_TIMEOUT,
                    )
                except httpx.HTTPError as exc:
                    log.warning("Revocation failed (%s)", type(exc).__name__)
                else:
                    if response.status_code == 200:
                        return True
                    if response.status_code < 500:
                        log.warning("Revocation refused: HTTP %s", response.status_code)
                        return False
                if attempt < len(self.revoke_delays):
                    time.sleep(self.revoke_delays[attempt])
            return False

    def export_record(self) -> dict[str, Any]:
        """The signed-in record for another machine (SIWC 2.12), without this host's id.

        Only one machine may use a session (refresh tokens rotate): after copying it, forget it
        here with ``logout(revoke=False)``.
        """
        with self._mutex:
            record = self._load()
            self._usable(record, raising=True)
            file = self._file_of(record)
            with file.locked():
                current = self._store.read_record(file) or record
            return current.to_json(host_id=False)

    def import_record(self, data: Mapping[str, Any]) -> OfficialRecord:
        """Adopt a record exported on another machine, with this machine's own host id."""
        if not isinstance(data, Mapping):
            raise TypeError(f"data must be a mapping (a parsed record), not {type(data).__name__}")
        with self._mutex:
            host = self._store.host_id(create=True)
            assert host is not None
            record = OfficialRecord.from_json(data, "The imported record", host_id=host)
            if record.access_token is None or record.refresh_token is None:
                raise LoginRequiredError(
                    "The imported record holds no tokens (it was signed out). Export it again "
                    "from a signed-in machine."
                )
            if record.issuer != self._issuer:
                raise LoginRequiredError(
                    f"The imported record belongs to the issuer {record.issuer}, not "
                    f"{self._issuer}. Pass the same issuer (CHATGPT_AUTH_ISSUER)."
                )
            existing = self.registration()
            if existing is not None and (existing.client_id, existing.subject) not in (
                (record.client_id, record.subject),
                (record.client_id, None),
            ):
                raise LoginRequiredError(
                    f"The login {self._profile!r} here belongs to another registration; import "
                    "into another profile instead of overwriting it."
                )
            self._save_login(record)
            return record

    def __repr__(self) -> str:
        return (
            f"OfficialTokenProvider(directory={str(self.directory)!r}, "
            f"profile={self._profile!r}, issuer={self._issuer!r})"
        )


def _email(claims: Mapping[str, Any]) -> str | None:
    value = claims.get("email")
    return value if isinstance(value, str) and value else None
