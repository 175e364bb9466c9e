"""Where auth talks to and where it keeps files: arguments beat the environment, which beats defaults."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_ISSUER = "https://auth.openai.com"
CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann"
LOGIN_COMMAND = "chatgpt-sdk login"
# A token this close to its JWT ``exp`` is refreshed before use, so requests never race the expiry.
REFRESH_MARGIN_SECONDS = 300.0


def resolve_issuer(issuer: str | None) -> str:
    """The OAuth issuer: ``issuer=``, else ``CHATGPT_AUTH_ISSUER``, else auth.openai.com."""
    return (issuer or os.environ.get("CHATGPT_AUTH_ISSUER") or DEFAULT_ISSUER).rstrip("/")


def resolve_auth_path(directory: str | os.PathLike[str] | None, filename: str | None) -> Path:
    """The auth file: ``CHATGPT_TOKEN_DIR``/``CHATGPT_AUTH_FILE`` unless given, else the config dir."""
    folder = directory or os.environ.get("CHATGPT_TOKEN_DIR")
    if folder:
        base = Path(folder).expanduser()
    else:
        import platformdirs  # only when the default location is actually needed

        base = Path(platformdirs.user_config_dir("chatgpt-sdk", appauthor=False))
    return base / (filename or os.environ.get("CHATGPT_AUTH_FILE") or "auth.json")


def resolve_codex_home(codex_home: str | os.PathLike[str] | None) -> Path:
    """Codex CLI's home: ``codex_home=``, else ``CODEX_HOME``, else ``~/.codex``."""
    home = codex_home or os.environ.get("CODEX_HOME") or "~/.codex"
    return Path(home).expanduser()
