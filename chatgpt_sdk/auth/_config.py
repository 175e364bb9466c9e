"""Where auth talks to and where it keeps files: arguments beat the environment, which beats defaults.

The ``resolve_*`` helpers also check the arguments they are given, so a wrong one fails when the auth
class is built (``TypeError``/``ValueError`` naming the argument), not at first use.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

DEFAULT_ISSUER = "https://auth.openai.com"
CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann"
LOGIN_COMMAND = "chatgpt-sdk login"
# A token this close to its JWT ``exp`` is refreshed before use, so requests never race the expiry.
REFRESH_MARGIN_SECONDS = 300.0
# Profiles: several logins side by side. None (or "default") is today's auth file.
DEFAULT_PROFILE = "default"
PROFILE_ENV = "CHATGPT_PROFILE"
PROFILES_FOLDER = "profiles"
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
# Where logins are kept: "file" (the auth file, the default) or a Redis URL.
TOKEN_STORE_ENV = "CHATGPT_TOKEN_STORE"
FILE_STORE = "file"
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


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


def resolve_profile(profile: str | None) -> str | None:
    """The login's name: ``profile=``, else ``CHATGPT_PROFILE``; None for the default login.

    A name is 1-64 letters, digits, ``.``, ``_`` or ``-``, starting with a letter or digit;
    ``"default"`` is the default login (today's auth file).
    """
    given = check_optional_str("profile", profile)
    source = "profile"
    if given is None:
        given = os.environ.get(PROFILE_ENV) or None
        source = PROFILE_ENV
    if given is None or given == DEFAULT_PROFILE:
        return None
    if _PROFILE_NAME.fullmatch(given) is None:
        raise ValueError(
            f"{source} must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or "
            f"digit), got {given!r}"
        )
    return given


def profile_auth_path(default_path: Path, profile: str | None) -> Path:
    """The auth file of ``profile``: the default one, else ``profiles/<name>.json`` beside it."""
    if profile is None:
        return default_path
    return default_path.parent / PROFILES_FOLDER / f"{profile}.json"


def resolve_token_store(token_store: str | None) -> str:
    """``"file"`` or a Redis URL: ``token_store=``, else ``CHATGPT_TOKEN_STORE``, else file."""
    given = check_optional_str("token_store", token_store)
    source = "token_store"
    if given is None:
        given = os.environ.get(TOKEN_STORE_ENV, "").strip() or None
        source = TOKEN_STORE_ENV
    if given is None:
        return FILE_STORE
    text = given.strip()
    if text.lower() == FILE_STORE:
        return FILE_STORE
    if not text.lower().startswith(_REDIS_SCHEMES):
        raise ValueError(
            f"{source} must be 'file' or a Redis URL (redis://HOST:PORT/DB, rediss://..., "
            "unix:///path.sock)"
        )
    return text


def login_command(profile: str | None = None, token_store: str | None = None) -> str:
    """The command that logs this login in (a Redis URL shown without its password)."""
    parts = [LOGIN_COMMAND]
    if profile is not None:
        parts.append(f"--profile {profile}")
    if token_store is not None and token_store != FILE_STORE:
        parts.append(f"--token-store {masked_url(token_store)}")
    return " ".join(parts)


def masked_url(url: str) -> str:
    """``url`` without its password (in the user info or a ``password=`` query argument, which
    redis-py also reads), for messages, reprs and status output."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        netloc, query = parts.netloc, parts.query
        if parts.password is not None:
            user = parts.username or ""
            host = parts.hostname or ""
            port = f":{parts.port}" if parts.port else ""
            netloc = f"{user}:***@{host}{port}"
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(key.lower() == "password" for key, _ in pairs):
            query = urlencode(
                [(k, "***" if k.lower() == "password" else v) for k, v in pairs], safe="*"
            )
        if (netloc, query) == (parts.netloc, parts.query):
            return url
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return "<a redis URL>"
