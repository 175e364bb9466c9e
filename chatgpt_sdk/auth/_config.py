"""Where auth talks to and where it keeps files: arguments beat the environment, which beats defaults.

The ``resolve_*`` helpers also check the arguments they are given, so a wrong one fails when the auth
class is built (``TypeError``/``ValueError`` naming the argument), not at first use.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_ISSUER = "https://auth.openai.com"
CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann"
LOGIN_COMMAND = "chatgpt-sdk login"
# A token this close to its JWT ``exp`` is refreshed before use, so requests never race the expiry.
REFRESH_MARGIN_SECONDS = 300.0


def check_optional_str(name: str, value: object, *, allow_empty: bool = False) -> str | None:
    """``value`` if it is None or a string (non-empty unless ``allow_empty``), else raise."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, not {type(value).__name__}")
    if not value and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    if "\x00" in value:
        raise ValueError(f"{name} must not contain a NUL character")
    return value


def check_path(name: str, value: object) -> str | os.PathLike[str] | None:
    """``value`` if it is None, a string or an ``os.PathLike`` of str, else raise naming ``name``."""
    if value is None:
        return None
    if isinstance(value, bytes) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike, not {type(value).__name__}")
    text = os.fspath(value)
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str path, not {type(text).__name__}")
    if "\x00" in text:
        raise ValueError(f"{name} must not contain a NUL character")
    return value


def check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    return value


def resolve_issuer(issuer: str | None) -> str:
    """The OAuth issuer: ``issuer=``, else ``CHATGPT_AUTH_ISSUER``, else auth.openai.com."""
    given = check_optional_str("issuer", issuer)
    if given is not None and not given.lower().startswith(("http://", "https://")):
        raise ValueError(f"issuer must be an http(s) URL such as {DEFAULT_ISSUER!r}")
    return (given or os.environ.get("CHATGPT_AUTH_ISSUER") or DEFAULT_ISSUER).rstrip("/")


def resolve_client_id(client_id: str | None) -> str:
    return check_optional_str("client_id", client_id) or CLIENT_ID


def resolve_auth_path(directory: str | os.PathLike[str] | None, filename: str | None) -> Path:
    """The auth file: ``CHATGPT_TOKEN_DIR``/``CHATGPT_AUTH_FILE`` unless given, else the config dir."""
    folder = check_path("directory", directory) or os.environ.get("CHATGPT_TOKEN_DIR")
    name = check_optional_str("filename", filename)
    if name is not None and (name in (".", "..") or "/" in name or os.sep in name):
        raise ValueError(
            f"filename must be a file name, not a path ({name!r}); put the folder in directory="
        )
    if folder:
        base = Path(folder).expanduser()
    else:
        import platformdirs  # only when the default location is actually needed

        base = Path(platformdirs.user_config_dir("chatgpt-sdk", appauthor=False))
    return base / (name or os.environ.get("CHATGPT_AUTH_FILE") or "auth.json")


def resolve_codex_home(codex_home: str | os.PathLike[str] | None) -> Path:
    """Codex CLI's home: ``codex_home=``, else ``CODEX_HOME``, else ``~/.codex``."""
    home = check_path("codex_home", codex_home) or os.environ.get("CODEX_HOME") or "~/.codex"
    return Path(home).expanduser()
