"""Shared test configuration."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from chatgpt_sdk.catalog import default_catalog

# CI explores the same examples every run (reproducible); locally each run explores new ones.
# No deadline: the machines are shared, and a slow example is not a wrong one.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing a test runs may touch the real user's config or data (logins, response stores):
    platformdirs reads these on Linux, so defaults land in a per-test temporary directory."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture(autouse=True)
def _fresh_model_catalog() -> Iterator[None]:
    """Each test starts with an empty process-wide model catalog (it caches across clients)."""
    default_catalog().clear()
    yield
    default_catalog().clear()


@pytest.fixture(autouse=True)
def heap_freezes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``chatgpt-sdk serve`` freezes its heap (``gc.freeze``); a test that runs it must not freeze
    the test process's. Each call is recorded here instead: the objects tracked at that moment
    for a freeze, -1 for an unfreeze."""
    calls: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(len(gc.get_objects())))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append(-1))
    return calls
