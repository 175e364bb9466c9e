"""The providers over an auth file: ``FileTokenProvider`` (this SDK's login, which also reads
LiteLLM's and Codex's files) and ``CodexCLITokenProvider`` (the Codex CLI's own file), and which
one a setting selects."""

from __future__ import annotations

from pathlib import Path

import httpx

from chatgpt_sdk.auth._config import (
    FILE_STORE,
    LOGIN_COMMAND,
    check_bool,
    login_command,
    masked_url,
    profile_auth_path,
    resolve_auth_path,
    resolve_codex_home,
    resolve_profile,
    resolve_token_store,
)
from chatgpt_sdk.auth._providers import AuthFileProvider
from chatgpt_sdk.auth._token_store import FileTokenStore, TokenStore, open_token_store
from chatgpt_sdk.auth._tokens import CODEX, FLAT
from chatgpt_sdk.errors import LoginRequiredError

__all__ = ["CodexCLITokenProvider", "FileTokenProvider", "selected_token_provider"]


class FileTokenProvider(AuthFileProvider):
    """This SDK's login (``chatgpt-sdk login`` writes it); also reads LiteLLM and Codex files.

    Location: ``directory``/``filename``, else ``CHATGPT_TOKEN_DIR``/``CHATGPT_AUTH_FILE``, else
    ``auth.json`` in the user config dir (``~/.config/chatgpt-sdk`` on Linux).

    ``profile`` (else ``CHATGPT_PROFILE``) names one of several logins: None or ``"default"`` is
    the file above; a name ``NAME`` is ``profiles/NAME.json`` beside it. ``token_store`` (else
    ``CHATGPT_TOKEN_STORE``, unless ``directory`` or ``filename`` is given) is ``"file"`` (the
    default), a Redis URL (``redis://HOST:PORT/DB``: the login shared by every process and host
    using that Redis, refreshed once for all of them) or a ``TokenStore`` object.
    """

    def __init__(
        self,
        directory: str | Path | None = None,
        filename: str | None = None,
        *,
        issuer: str | None = None,
        http_client: httpx.Client | None = None,
        client_id: str | None = None,
        profile: str | None = None,
        token_store: str | TokenStore | None = None,
    ) -> None:
        name = resolve_profile(profile)
        if token_store is not None and not isinstance(token_store, str):
            if not isinstance(token_store, TokenStore):
                raise TypeError(
                    "token_store must be 'file', a Redis URL or a TokenStore, not "
                    f"{type(token_store).__name__}"
                )
            store: TokenStore = token_store
            spec = FILE_STORE if isinstance(store, FileTokenStore) else None
        else:
            explicit_file = directory is not None or filename is not None
            spec = (
                FILE_STORE
                if token_store is None and explicit_file
                else resolve_token_store(token_store)
            )
            if spec != FILE_STORE and explicit_file:
                raise ValueError(
                    "directory= and filename= name an auth file; they do not apply to the "
                    f"Redis token store {masked_url(spec)}"
                )
            path = profile_auth_path(resolve_auth_path(directory, filename), name)
            store = open_token_store(spec, path=path, profile=name)
        command = login_command(name, spec) if spec is not None else LOGIN_COMMAND
        super().__init__(
            store,
            issuer=issuer,
            client_id=client_id,
            http_client=http_client,
            read_only=False,
            login_hint=f"Run `{command}`",
            new_file_kind=FLAT,
        )


class CodexCLITokenProvider(AuthFileProvider):
    """An existing Codex CLI login (``$CODEX_HOME/auth.json``, default ``~/.codex/auth.json``).

    With ``read_only=True`` the file is never written (nor is a lock file created); otherwise
    refreshes follow the same lock discipline and are written back in Codex's layout, keeping every
    field this SDK does not own.
    """

    def __init__(
        self,
        codex_home: str | Path | None = None,
        *,
        read_only: bool = False,
        issuer: str | None = None,
        http_client: httpx.Client | None = None,
        client_id: str | None = None,
    ) -> None:
        super().__init__(
            FileTokenStore(resolve_codex_home(codex_home) / "auth.json"),
            issuer=issuer,
            client_id=client_id,
            http_client=http_client,
            read_only=check_bool("read_only", read_only),
            login_hint=f"Run `codex login` or `{LOGIN_COMMAND}`",
            new_file_kind=CODEX,
        )


def selected_token_provider(
    *, profile: str | None = None, token_store: str | TokenStore | None = None
) -> FileTokenProvider | None:
    """The provider a profile or a shared token store selects; None for the default search.

    ``profile`` (else ``CHATGPT_PROFILE``) and ``token_store`` (else ``CHATGPT_TOKEN_STORE``):
    the default login in the auth file gives None (``default_token_provider`` then looks as it
    always did). A named profile in the file store must exist (else ``LoginRequiredError`` naming
    ``chatgpt-sdk login --profile NAME``); a Redis store is only contacted on first use.
    """
    name = resolve_profile(profile)
    if token_store is None or isinstance(token_store, str):
        spec = resolve_token_store(token_store)
        if name is None and spec == FILE_STORE:
            return None
        provider = FileTokenProvider(profile=name, token_store=spec)
    else:
        provider = FileTokenProvider(profile=name, token_store=token_store)
    if isinstance(provider.store, FileTokenStore) and not provider.store.exists():
        raise LoginRequiredError(provider._missing_message())
    return provider
