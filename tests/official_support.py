"""Helpers for the Sign in with ChatGPT tests: a fake, a provider on it, a browser that signs in."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx

from chatgpt_sdk.auth import OfficialLogin, OfficialTokenProvider
from chatgpt_sdk.testing import SIWC_ORIGIN, FakeSIWC

ISSUER = SIWC_ORIGIN


def provider_for(fake: FakeSIWC, directory: Path, **kwargs: Any) -> OfficialTokenProvider:
    kwargs.setdefault("issuer", ISSUER)
    provider = OfficialTokenProvider(directory, http_client=fake.http_client(), **kwargs)
    provider.retry_delays = (0.0, 0.0)
    provider.revoke_delays = (0.0,)
    return provider


def make_login(fake: FakeSIWC, provider: OfficialTokenProvider, **kwargs: Any) -> OfficialLogin:
    options: dict[str, Any] = {
        "open_browser": False,
        "http_client": fake.http_client(),
        "timeout": 20,
    }
    return OfficialLogin(provider, **{**options, **kwargs})


class Waiting:
    """``login.complete()`` in a thread, as a CLI waiting for the browser would."""

    def __init__(self, login: OfficialLogin) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(login,), daemon=True)
        self._thread.start()

    def _run(self, login: OfficialLogin) -> None:
        try:
            self.result = login.complete()
        except BaseException as exc:
            self.error = exc

    def join(self, timeout: float = 20) -> Any:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the login is still waiting"
        if self.error is not None:
            raise self.error
        return self.result

    @property
    def waiting(self) -> bool:
        return self._thread.is_alive()


def raw_get(url: str, **kwargs: Any) -> httpx.Response:
    """A request straight to the loopback listener (no proxies from the environment)."""
    with httpx.Client(trust_env=False, timeout=10) as http:
        return http.get(url, **kwargs)


def signed_in(fake: FakeSIWC, directory: Path, **kwargs: Any) -> OfficialTokenProvider:
    """A provider whose login went through the whole browser flow."""
    provider = provider_for(fake, directory, **kwargs)
    fake.sign_in(provider, http_client=fake.http_client())
    return provider
