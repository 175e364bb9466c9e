"""Client settings: an explicit argument beats the environment, which beats the default."""

from __future__ import annotations

import os
import platform
import re
import uuid
from dataclasses import dataclass

from chatgpt_sdk._args import (
    check_bool,
    check_header_value,
    check_optional_bool,
    check_optional_str,
    check_seconds,
)

__all__ = [
    "CODEX_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_ORIGINATOR",
    "TRANSPORTS",
    "Settings",
    "codex_version",
    "default_user_agent",
    "resolve",
]

DEFAULT_BASE_URL = "https://chatgpt.com/backend-api/codex"
DEFAULT_ORIGINATOR = "codex_cli_rs"
# The Codex release whose wire format we follow (captures/ of 0.171.0); sent as `version`, in the
# User-Agent and as `client_version` on /models (the catalog hides models newer than the client).
# The one place to bump it; CHATGPT_CODEX_VERSION overrides it without a release.
CODEX_VERSION = "0.171.0"
# Request bodies at least this large are sent zstd-compressed, as Codex does (76 KB of JSON
# becomes 26 KB); smaller ones gain too little to pay for the compressor.
DEFAULT_COMPRESSION_THRESHOLD = 1024
DEFAULT_TIMEOUT = 60.0
DEFAULT_STREAM_IDLE_TIMEOUT = 300.0
DEFAULT_MAX_RETRIES = 2
# How responses travel: "websocket" (Codex's default), "sse" (HTTP), or "auto": the WebSocket where
# the backend takes it (the Codex backend, through the client's own connections), else SSE.
TRANSPORTS = ("auto", "sse", "websocket")

_UNSAFE_UA = re.compile(r"[^A-Za-z0-9._/\-]")


@dataclass(frozen=True)
class Settings:
    base_url: str | None  # None: the backend's own
    originator: str
    user_agent: str
    default_instructions: str | None
    session_id: str
    timeout: float
    stream_idle_timeout: float
    max_retries: int
    strict: bool
    codex_version: str = CODEX_VERSION
    backend: str | None = None  # "codex" | "official"; None: chosen from the login found
    compression_threshold: int | None = DEFAULT_COMPRESSION_THRESHOLD  # None: never compress
    transport: str = "auto"  # one of TRANSPORTS


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


_FALSE = ("0", "false", "no", "off")
_TRUE = ("1", "true", "yes", "on")


def _env_flag(name: str, *, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    if value.strip().lower() in _FALSE:
        return False
    if value.strip().lower() in _TRUE:
        return True
    raise ValueError(f"{name} must be one of {', '.join(_TRUE + _FALSE)}, got {value!r}")


def _terminal() -> str:
    program = os.environ.get("TERM_PROGRAM")
    if program:
        version = os.environ.get("TERM_PROGRAM_VERSION")
        token = f"{program}/{version}" if version else program
    else:
        token = os.environ.get("TERM") or "unknown"
    return _UNSAFE_UA.sub("_", token)


def codex_version() -> str:
    """The Codex version we present: ``CHATGPT_CODEX_VERSION``, else the one we follow."""
    return _env("CHATGPT_CODEX_VERSION") or CODEX_VERSION


# os_info's names for /etc/os-release IDs (the crate Codex uses for its User-Agent); others
# are reported by their os-release NAME.
_LINUX_NAMES = {
    "alpine": "Alpine Linux",
    "amzn": "Amazon Linux AMI",
    "arch": "Arch Linux",
    "centos": "CentOS",
    "debian": "Debian",
    "fedora": "Fedora",
    "linuxmint": "Linux Mint",
    "manjaro": "Manjaro",
    "nixos": "NixOS",
    "opensuse-leap": "openSUSE",
    "opensuse-tumbleweed": "openSUSE",
    "rhel": "Red Hat Enterprise Linux",
    "rocky": "Rocky Linux",
    "ubuntu": "Ubuntu",
}
_NUMERIC_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def _semantic(version: str) -> str:
    """``12`` -> ``12.0.0``, ``24.04`` -> ``24.4.0``: how os_info prints a numeric version."""
    match = _NUMERIC_VERSION.match(version.strip())
    if not match:
        return version.strip() or "Unknown"
    return ".".join(str(int(part or 0)) for part in match.groups())


def os_identity() -> str:
    """The ``<os> <version>`` of Codex's User-Agent (``Debian 12.0.0``, ``Mac OS 15.1.0``)."""
    system = platform.system()
    if system == "Darwin":
        return f"Mac OS {_semantic(platform.mac_ver()[0])}"
    if system == "Windows":
        return f"Windows {_semantic(platform.version())}"
    if system == "Linux":
        try:
            release = platform.freedesktop_os_release()
        except OSError:
            return f"Linux {_semantic(platform.release())}"
        name = _LINUX_NAMES.get(release.get("ID", "")) or release.get("NAME") or "Linux"
        return f"{name} {_semantic(release.get('VERSION_ID', ''))}"
    return f"{system or 'Unknown'} {_semantic(platform.release())}"


def default_user_agent(
    originator: str, suffix: str | None = None, *, version: str | None = None
) -> str:
    """``<originator>/<version> (<os> <os version>; <arch>) <terminal>[ (<suffix>)]``, like Codex."""
    agent = (
        f"{originator}/{version or codex_version()} ({os_identity()}; "
        f"{platform.machine() or 'unknown'}) {_terminal()}"
    )
    return f"{agent} ({suffix})" if suffix else agent


def resolve(
    *,
    base_url: str | None = None,
    originator: str | None = None,
    user_agent: str | None = None,
    default_instructions: str | None = None,
    session_id: str | None = None,
    timeout: float | None = None,
    stream_idle_timeout: float | None = None,
    max_retries: int | None = None,
    strict: bool = False,
    compression: bool | None = None,
    backend: str | None = None,
    transport: str | None = None,
) -> Settings:
    """Settings for one client; validates what a user could get wrong."""
    check_optional_str("base_url", base_url)
    for name, value in (
        ("originator", originator),
        ("user_agent", user_agent),
        ("session_id", session_id),
    ):
        check_header_value(name, value)
    check_optional_str("default_instructions", default_instructions)
    timeout = check_seconds("timeout", timeout)
    stream_idle_timeout = check_seconds("stream_idle_timeout", stream_idle_timeout)
    if max_retries is not None and (
        isinstance(max_retries, bool) or not isinstance(max_retries, int)
    ):
        raise TypeError(f"max_retries must be an integer, got {type(max_retries).__name__}")
    check_bool("strict", strict)
    check_optional_bool("compression", compression)
    check_optional_str("backend", backend)
    backend = backend or _env("CHATGPT_BACKEND")
    if backend is not None and backend not in ("codex", "official"):
        raise ValueError(
            f"backend must be 'codex' or 'official' (argument or CHATGPT_BACKEND), got {backend!r}"
        )
    check_optional_str("transport", transport)
    if transport is None or transport == "auto":
        # "auto" is the argument's default, so the environment may still choose.
        transport = _env("CHATGPT_TRANSPORT") or "auto"
    if transport not in TRANSPORTS:
        raise ValueError(
            f"transport must be one of {', '.join(map(repr, TRANSPORTS))} (argument or "
            f"CHATGPT_TRANSPORT), got {transport!r}"
        )
    resolved_base = base_url
    if resolved_base is None and backend != "official":
        # LiteLLM's variables name the Codex backend; the official API has its own default.
        resolved_base = _env("CHATGPT_API_BASE", "OPENAI_CHATGPT_API_BASE")
        if resolved_base is None and backend == "codex":
            resolved_base = DEFAULT_BASE_URL
    if resolved_base is not None:
        resolved_base = resolved_base.rstrip("/")
        if not resolved_base.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {resolved_base!r}")
    resolved_originator = (
        originator
        or check_header_value("CHATGPT_ORIGINATOR", _env("CHATGPT_ORIGINATOR"))
        or DEFAULT_ORIGINATOR
    )
    version = codex_version()
    agent = (
        user_agent
        or check_header_value("CHATGPT_USER_AGENT", _env("CHATGPT_USER_AGENT"))
        or default_user_agent(
            resolved_originator, _env("CHATGPT_USER_AGENT_SUFFIX"), version=version
        )
    )
    if compression is None:
        compression = _env_flag("CHATGPT_REQUEST_COMPRESSION", default=True)
    retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
    if retries < 0:
        raise ValueError(f"max_retries must be >= 0, got {retries}")
    total = DEFAULT_TIMEOUT if timeout is None else timeout
    idle = DEFAULT_STREAM_IDLE_TIMEOUT if stream_idle_timeout is None else stream_idle_timeout
    return Settings(
        base_url=resolved_base,
        originator=resolved_originator,
        user_agent=agent,
        # Codex 0.171 sends no instructions: a default is an explicit opt-in (argument or env).
        default_instructions=default_instructions or _env("CHATGPT_DEFAULT_INSTRUCTIONS"),
        session_id=session_id or str(uuid.uuid4()),
        timeout=total,
        stream_idle_timeout=idle,
        max_retries=retries,
        strict=strict,
        codex_version=version,
        backend=backend,
        compression_threshold=DEFAULT_COMPRESSION_THRESHOLD if compression else None,
        transport=transport,
    )
