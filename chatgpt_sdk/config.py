"""Client settings: an explicit argument beats the environment, which beats the default."""

from __future__ import annotations

import os
import platform
import re
import uuid
from dataclasses import dataclass

__all__ = ["CODEX_VERSION", "DEFAULT_BASE_URL", "DEFAULT_INSTRUCTIONS", "Settings", "resolve"]

DEFAULT_BASE_URL = "https://chatgpt.com/backend-api/codex"
DEFAULT_ORIGINATOR = "codex_cli_rs"
DEFAULT_INSTRUCTIONS = "You are a helpful assistant."
# The Codex release whose wire format we follow; sent as `version`, in the User-Agent and as
# `client_version` on /models (the catalog hides models newer than the client).
CODEX_VERSION = "0.125.0"
DEFAULT_TIMEOUT = 60.0
DEFAULT_STREAM_IDLE_TIMEOUT = 300.0
DEFAULT_MAX_RETRIES = 2

_UNSAFE_UA = re.compile(r"[^A-Za-z0-9._/\-]")


@dataclass(frozen=True)
class Settings:
    base_url: str
    originator: str
    user_agent: str
    default_instructions: str
    session_id: str
    timeout: float
    stream_idle_timeout: float
    max_retries: int
    strict: bool


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def _terminal() -> str:
    program = os.environ.get("TERM_PROGRAM")
    if program:
        version = os.environ.get("TERM_PROGRAM_VERSION")
        token = f"{program}/{version}" if version else program
    else:
        token = os.environ.get("TERM") or "unknown"
    return _UNSAFE_UA.sub("_", token)


def default_user_agent(originator: str, suffix: str | None = None) -> str:
    """``<originator>/<version> (<os> <release>; <arch>) <terminal>[ (<suffix>)]``, like Codex."""
    system = platform.system() or "unknown"
    if system == "Darwin":
        system = "Mac OS"
    release = platform.release() or "unknown"
    agent = f"{originator}/{CODEX_VERSION} ({system} {release}; {platform.machine() or 'unknown'}) {_terminal()}"
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
) -> Settings:
    """Settings for one client; validates what a user could get wrong."""
    resolved_base = (
        base_url or _env("CHATGPT_API_BASE", "OPENAI_CHATGPT_API_BASE") or DEFAULT_BASE_URL
    ).rstrip("/")
    if not resolved_base.startswith(("http://", "https://")):
        raise ValueError(f"base_url must start with http:// or https://, got {resolved_base!r}")
    resolved_originator = originator or _env("CHATGPT_ORIGINATOR") or DEFAULT_ORIGINATOR
    agent = (
        user_agent
        or _env("CHATGPT_USER_AGENT")
        or default_user_agent(resolved_originator, _env("CHATGPT_USER_AGENT_SUFFIX"))
    )
    retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
    if retries < 0:
        raise ValueError(f"max_retries must be >= 0, got {retries}")
    total = DEFAULT_TIMEOUT if timeout is None else timeout
    idle = DEFAULT_STREAM_IDLE_TIMEOUT if stream_idle_timeout is None else stream_idle_timeout
    if total <= 0 or idle <= 0:
        raise ValueError("timeout and stream_idle_timeout must be positive numbers of seconds")
    return Settings(
        base_url=resolved_base,
        originator=resolved_originator,
        user_agent=agent,
        default_instructions=default_instructions
        or _env("CHATGPT_DEFAULT_INSTRUCTIONS")
        or DEFAULT_INSTRUCTIONS,
        session_id=session_id or str(uuid.uuid4()),
        timeout=total,
        stream_idle_timeout=idle,
        max_retries=retries,
        strict=strict,
    )
