"""The proxy's configuration: LiteLLM's ``model_list`` shape plus a few keys of our own.

People arrive with a LiteLLM proxy config whose models are ``chatgpt/<slug>``; reading that file
as is saves them a rewrite. Everything else is rejected by name rather than silently ignored, so a
setting that looks active never is not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveFloat,
    PositiveInt,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from chatgpt_sdk.errors import ChatGPTError

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "ApiKey",
    "ModelEntry",
    "ModelParams",
    "ProxyConfig",
    "ProxyConfigError",
    "ReasoningEffort",
    "Route",
    "load_config",
    "parse_size",
    "with_overrides",
]

ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh"]
PROVIDER_PREFIX = "chatgpt/"
DEFAULT_MAX_BODY_SIZE = 32 * 1024 * 1024

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2}
_UNITS |= {"mib": 1024**2, "g": 1024**3, "gb": 1024**3, "gib": 1024**3}


def parse_size(value: Any) -> Any:
    """``33554432``, ``"32MB"``, ``"512 KiB"`` -> bytes (K, M, G are powers of 1024)."""
    if isinstance(value, bool):
        raise ValueError("a size is a number of bytes (1048576) or a string such as 32MB")
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
        unit = match.group(2).lower() if match else None
        if match is None or unit not in _UNITS:
            raise ValueError(f"{value!r} is not a size: write bytes (1048576) or 32MB, 512KB")
        return int(float(match.group(1)) * _UNITS[unit])
    return value


ByteSize = Annotated[PositiveInt, BeforeValidator(parse_size)]

# LiteLLM sections that mean nothing here; named in the error so the fix is obvious.
_LITELLM_SECTIONS = {
    "general_settings": "for the proxy's API key use --api-key or CHATGPT_SDK_API_KEY",
    "litellm_settings": "chatgpt-sdk has no LiteLLM settings",
    "router_settings": "chatgpt-sdk serves one subscription; there is nothing to route",
    "environment_variables": "set them in the environment of `chatgpt-sdk serve` instead",
}


class ProxyConfigError(ChatGPTError, ValueError):
    """The proxy cannot start as configured (bad config file, unsafe bind address)."""


def backend_slug(model: str) -> str:
    """``chatgpt/gpt-5.2`` -> ``gpt-5.2``: LiteLLM's provider prefix means this backend."""
    return model[len(PROVIDER_PREFIX) :] if model.startswith(PROVIDER_PREFIX) else model


class ModelParams(BaseModel):
    """``litellm_params``: which backend model serves the public name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(min_length=1)
    """``chatgpt/<slug>`` (LiteLLM style) or a bare slug."""
    reasoning_effort: ReasoningEffort | None = None
    """Used when a request sets no effort of its own."""

    @field_validator("model")
    @classmethod
    def _only_chatgpt(cls, value: str) -> str:
        provider, slash, _ = value.partition("/")
        if slash and provider != PROVIDER_PREFIX.rstrip("/"):
            raise ValueError(
                f"{value!r} belongs to LiteLLM provider {provider!r}; this proxy serves only "
                "the ChatGPT subscription: use 'chatgpt/<model>' or a bare model slug"
            )
        if not backend_slug(value):
            raise ValueError("the model slug after 'chatgpt/' is empty")
        return value


def _check_profile(value: str | None) -> str | None:
    """A login's name (``chatgpt-sdk login --profile NAME``); ``default`` is the default login."""
    if value is None:
        return None
    from chatgpt_sdk.auth._config import resolve_profile

    return resolve_profile(value) or "default"


def _check_token_store(value: str | None) -> str | None:
    if value is None:
        return None
    from chatgpt_sdk.auth._config import resolve_token_store

    return resolve_token_store(value)


class ModelEntry(BaseModel):
    """One ``model_list`` entry: a public model name and what it maps to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model_name: str = Field(min_length=1)
    litellm_params: ModelParams
    model_info: dict[str, Any] = Field(default_factory=dict)
    """Free-form, as in LiteLLM (``mode: responses`` and the like); not used."""
    profile: str | None = None
    """The login this model is served with (``chatgpt-sdk login --profile NAME``); unset: the
    proxy's ``profile``. No automatic switching: a spent usage limit is that login's 429."""

    @field_validator("profile")
    @classmethod
    def _a_profile(cls, value: str | None) -> str | None:
        return _check_profile(value)


def _an_api_key(value: Any) -> Any:
    """``api_keys`` entries: a plain key (``sk-...``) or ``{key: sk-..., profile: work}``."""
    if isinstance(value, (str, SecretStr)):
        return {"key": value}
    if isinstance(value, (Mapping, ApiKey)):
        return value
    raise ValueError(
        "an API key is a string, or a mapping {key: ..., profile: ...} "
        f"(got {type(value).__name__})"
    )


class ApiKey(BaseModel):
    """One ``api_keys`` entry: the key and, optionally, the login (profile) its requests use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: SecretStr
    profile: str | None = None
    """The login of this key's requests to models whose ``model_list`` entry names none (the
    entry's ``profile`` is the more specific, so it wins); unset: the proxy's ``profile``."""

    @field_validator("profile")
    @classmethod
    def _a_profile(cls, value: str | None) -> str | None:
        return _check_profile(value)

    def get_secret_value(self) -> str:
        """The key itself (as ``SecretStr.get_secret_value``, which plain entries once were)."""
        return self.key.get_secret_value()


class ProxyConfig(BaseModel):
    """Everything ``chatgpt-sdk serve --config`` reads. All keys are optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model_list: list[ModelEntry] = Field(default_factory=list)
    strict: bool = False
    """Reject parameters the backend does not accept (400) instead of dropping them."""
    only_listed: bool = False
    """Serve only the ``model_name``s of ``model_list``; other names get 404."""
    default_instructions: str | None = None
    """Instructions for requests that bring none (no leading system message)."""
    reasoning_effort: ReasoningEffort | None = None
    """The effort for requests (and models) that set none."""

    # -- whose login -----------------------------------------------------------------------------
    token_store: str | None = None
    """Where logins are kept: ``file`` or ``redis://HOST:PORT/DB`` (shared by replicas); unset:
    ``CHATGPT_TOKEN_STORE``, else ``file``."""
    profile: str | None = None
    """The login for models that name none; unset: ``CHATGPT_PROFILE``, else the default login."""

    @field_validator("token_store")
    @classmethod
    def _a_token_store(cls, value: str | None) -> str | None:
        return _check_token_store(value)

    @field_validator("profile")
    @classmethod
    def _a_profile(cls, value: str | None) -> str | None:
        return _check_profile(value)

    # -- what a request may be, and who may send it --------------------------------------------
    max_body_size: ByteSize = DEFAULT_MAX_BODY_SIZE
    """Bytes a request body may have, on the wire and after decoding (413 beyond)."""
    allowed_hosts: list[str] = Field(default_factory=list)
    """Host names served besides loopback ones (``example.com``, ``*.example.com``, ``*``)."""
    allowed_origins: list[str] = Field(default_factory=list)
    """Browser origins served (``http://localhost:3000``); CORS is answered for these only."""
    api_keys: list[Annotated[ApiKey, BeforeValidator(_an_api_key)]] = Field(default_factory=list)
    """Accepted API keys (``Authorization: Bearer KEY``), each the owner of the responses it
    creates; ``--api-key`` / ``CHATGPT_SDK_API_KEY`` add one. None: loopback clients only. An
    entry is a plain key or ``{key: KEY, profile: NAME}``: the login of that key's requests."""

    # -- what is kept ----------------------------------------------------------------------------
    response_store: str | None = None
    """Where responses are kept for ``previous_response_id``, ``item_reference`` and
    ``/v1/responses/{id}``: ``sqlite:///PATH``, ``redis://HOST:PORT/DB``, ``memory`` or ``none``;
    unset: ``CHATGPT_RESPONSE_STORE``, else the default SQLite file (docs/stores.md)."""

    # -- connections ---------------------------------------------------------------------------
    max_concurrent_requests: PositiveInt | None = 128
    """Requests in flight at once (``/health`` aside); 503 with ``Retry-After`` beyond."""
    max_connections: PositiveInt | None = 512
    """Open client connections; the ones past it are answered 503 and closed."""
    header_timeout: PositiveFloat | None = 10.0
    """Seconds a connection gets to send a request's headers, from when it opens or its last
    response ended; then it is closed."""
    body_timeout: PositiveFloat | None = 60.0
    """Seconds a request gets to send its whole body once its headers are in (408 beyond)."""
    keep_alive_timeout: PositiveInt = 5
    """Seconds an idle keep-alive connection is kept open (uvicorn's ``timeout_keep_alive``)."""

    @field_validator("allowed_hosts", "allowed_origins")
    @classmethod
    def _no_blank_entries(cls, value: list[str]) -> list[str]:
        if any(not entry.strip() for entry in value):
            raise ValueError("entries must not be empty")
        return [entry.strip() for entry in value]

    @field_validator("api_keys")
    @classmethod
    def _header_safe_keys(cls, value: list[ApiKey]) -> list[ApiKey]:
        profiles: dict[str, str | None] = {}
        for index, entry in enumerate(value):
            key = entry.get_secret_value()
            if not re.fullmatch(r"[\x21-\x7e]{1,1024}", key):
                raise ValueError(
                    f"entry {index} is not a usable key: 1 to 1024 printable ASCII characters "
                    "without spaces (the key is not shown)"
                )
            if key in profiles and profiles[key] != entry.profile:
                raise ValueError(
                    f"entry {index} repeats an earlier key with another profile; a key uses one "
                    "login (the key is not shown)"
                )
            profiles[key] = entry.profile
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s]+/?", origin):
                raise ValueError(
                    f"{origin!r} is not an origin: write scheme://host[:port] "
                    "(http://localhost:3000), or '*'"
                )
        return value

    @model_validator(mode="before")
    @classmethod
    def _explain_litellm_sections(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for key, why in _LITELLM_SECTIONS.items():
                if key in data:
                    raise ValueError(
                        f"'{key}' is a LiteLLM section chatgpt-sdk does not read ({why})"
                    )
        return data

    @model_validator(mode="after")
    def _unique_names(self) -> ProxyConfig:
        seen: set[str] = set()
        for index, entry in enumerate(self.model_list):
            if entry.model_name in seen:
                raise ValueError(
                    f"model_list[{index}].model_name {entry.model_name!r} is listed twice; "
                    "one subscription needs no load balancing, keep one entry"
                )
            seen.add(entry.model_name)
        return self

    def routes(self) -> dict[str, Route]:
        """Public name -> backend route, for every ``model_list`` entry (the route's profile is
        the entry's own; the key's, then the top-level ``profile``, apply when it names none)."""
        return {
            entry.model_name: Route(
                backend_slug(entry.litellm_params.model),
                entry.litellm_params.reasoning_effort,
                entry.profile,
            )
            for entry in self.model_list
        }


@dataclass(frozen=True)
class Route:
    """Where a public model name goes: the backend slug, its default reasoning effort, and the
    login (profile) its entry names (None: the API key's profile, else the proxy's default)."""

    slug: str
    reasoning_effort: str | None = None
    profile: str | None = None


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors(include_url=False, include_input=False):
        where = _location(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(lines)


def parse_config(data: Any, *, source: str = "<config>") -> ProxyConfig:
    """Validate already-loaded data; errors name ``source`` and the bad key."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ProxyConfigError(
            f"{source}: the top level must be a mapping (model_list: ..., strict: ...), "
            f"got {type(data).__name__}"
        )
    try:
        return ProxyConfig.model_validate(data)
    except ValidationError as exc:
        raise ProxyConfigError(f"{source}: {_describe(exc)}") from None


def load_config(path: str | Path) -> ProxyConfig:
    """Read a YAML (or JSON) config file; every error names the file."""
    import yaml

    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ProxyConfigError(f"{source}: cannot read the config file: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProxyConfigError(f"{source}: invalid YAML{where}: {problem}") from None
    return parse_config(data, source=source)


def with_overrides(config: ProxyConfig | None, **overrides: Any) -> ProxyConfig:
    """``config`` with the given keys replaced (None values are skipped), validated again.

    For command-line options that beat the config file; errors name the key.
    """
    base = config or ProxyConfig()
    given = {key: value for key, value in overrides.items() if value is not None}
    if not given:
        return base
    data = base.model_dump(exclude_unset=True)
    data.update(given)
    return parse_config(data, source="command line")
