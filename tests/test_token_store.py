"""The ``TokenStore`` seam: the Redis store against a real ``redis-server``, and the file store.

The Redis tests run against the system's ``redis-server`` started on a free loopback port
(``tests/redis_support.py``); each test keeps its keys under a prefix of its own. Tests that stop
Redis start a server of their own. Without ``redis-server`` they are skipped locally and fail in
CI (``.ci/run`` installs it). The processes tests are in ``test_token_store_processes.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis_support import redis_or_skip

from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk.auth import (
    FileTokenProvider,
    FileTokenStore,
    RedisTokenStore,
    TokenStore,
    TokenStoreError,
    default_token_provider,
)
from chatgpt_sdk.auth._credentials import jwt_claims
from chatgpt_sdk.auth._token_store import open_token_store, rate_limits_from_record
from chatgpt_sdk.errors import CredentialsNotSavedWarning, LoginRequiredError
from chatgpt_sdk.rate_limits import RateLimits, RateLimitWindow

ISSUER = "https://auth.fake.test"


# --- fixtures -----------------------------------------------------------------------------------


def own_redis() -> contextlib.AbstractContextManager[str]:
    """A ``redis-server`` of this test's own (to stop it mid-test), or skip without one."""
    return redis_or_skip("the Redis token store")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_or_skip("the Redis token store") as url:
        yield url


@pytest.fixture
def store_url(redis_url: str) -> str:
    """The session's Redis with a prefix of this test's own."""
    return f"{redis_url}?prefix=t-{uuid.uuid4().hex[:10]}:"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CHATGPT_TOKEN_STORE", "CHATGPT_PROFILE", "CHATGPT_AUTH_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "tokens"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))


@pytest.fixture
def issuer() -> FakeIssuer:
    return FakeIssuer()


@pytest.fixture
def http(issuer: FakeIssuer) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(issuer.handle))


def redis_provider(
    url: str, http: httpx.Client, *, profile: str | None = None
) -> FileTokenProvider:
    provider = FileTokenProvider(profile=profile, token_store=url, issuer=ISSUER, http_client=http)
    provider.retry_delays = (0.0, 0.0, 0.0)
    return provider


def seed(provider: FileTokenProvider, issuer: FakeIssuer, *, ttl: float = -60) -> dict[str, str]:
    """Store a fresh login whose access token has ``ttl`` seconds left (expired by default)."""
    tokens = issuer.issue_tokens(access_token_ttl=ttl)
    provider.save_tokens(**tokens)
    return tokens


def raw_record(url: str, key: str) -> dict[str, Any] | None:
    import redis

    client = redis.Redis.from_url(url.split("?", 1)[0])
    try:
        raw = client.get(key)
    finally:
        client.close()
    return None if raw is None else json.loads(raw)


# --- the Redis store ----------------------------------------------------------------------------


def test_a_login_lives_under_its_key_and_an_expired_token_is_refreshed_there(
    store_url: str, issuer: FakeIssuer, http: httpx.Client, tmp_path: Path
) -> None:
    provider = redis_provider(store_url, http)
    tokens = seed(provider, issuer)
    store = provider.store
    assert isinstance(store, RedisTokenStore)
    assert store.key.endswith(":auth:default")
    record = raw_record(store_url, store.key)
    assert record is not None
    assert record["refresh_token"] == tokens["refresh_token"]

    fresh = redis_provider(store_url, http).credentials()  # another replica, cold
    assert issuer.refresh_calls == 1
    assert fresh.access_token != tokens["access_token"]
    assert issuer.is_valid_access_token(fresh.access_token)
    record = raw_record(store_url, store.key)
    assert record is not None
    assert record["access_token"] == fresh.access_token
    assert issuer.refresh_token_state(record["refresh_token"]) == "live"
    assert record["account_id"] == issuer.account_id
    assert record["plan_type"] == "plus"
    assert record["expires_at"] == jwt_claims(fresh.access_token)["exp"]
    assert record["last_refresh"].endswith("Z")
    assert raw_record(store_url, store.lock_key) is None  # released
    assert not (tmp_path / "tokens").exists()  # nothing on disk


def test_replicas_share_one_refresh_and_losers_read_the_winners_tokens(
    store_url: str, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(redis_provider(store_url, http), issuer)
    issuer.refresh_delay = 0.3
    replicas = [redis_provider(store_url, http) for _ in range(4)]
    results: list[str] = []
    errors: list[BaseException] = []

    def ask(provider: FileTokenProvider) -> None:
        try:
            results.append(provider.credentials().access_token)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(p,)) for p in replicas for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert issuer.refresh_calls == 1
    assert len(results) == 20
    assert len(set(results)) == 1


async def test_async_tasks_on_redis_refresh_once(
    store_url: str, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(redis_provider(store_url, http), issuer)
    replicas = [redis_provider(store_url, http) for _ in range(3)]
    got = await asyncio.gather(*(p.acredentials() for p in replicas for _ in range(30)))
    assert issuer.refresh_calls == 1
    assert len({c.access_token for c in got}) == 1


def test_a_401_after_another_replica_refreshed_uses_its_tokens(
    store_url: str, issuer: FakeIssuer, http: httpx.Client
) -> None:
    seed(redis_provider(store_url, http), issuer, ttl=3600)
    a, b = redis_provider(store_url, http), redis_provider(store_url, http)
    old = a.credentials()
    assert b.credentials().access_token == old.access_token
    new = a.credentials(force_refresh=True)
    assert issuer.refresh_calls == 1
    # b holds the old token; its 401 finds a's rotation in Redis instead of refreshing again
    assert b.credentials(force_refresh=True).access_token == new.access_token
    assert issuer.refresh_calls == 1


def test_the_lock_is_released_only_by_its_holder(store_url: str) -> None:
    import redis

    store = open_token_store(store_url, path=Path("unused"), profile="lock")
    assert isinstance(store, RedisTokenStore)
    store.lock_timeout = 0.3
    client = redis.Redis.from_url(store_url.split("?", 1)[0])
    try:
        with store.locked():
            assert client.get(store.lock_key) is not None
            ttl = client.pttl(store.lock_key)
            assert 0 < ttl <= 300
            # Our hold "expires" and another replica takes the lock.
            client.set(store.lock_key, "someone-else", px=60_000)
            with pytest.raises(TokenStoreError, match="lock was lost"):
                store.write({"access_token": "x"})
            with pytest.raises(TokenStoreError, match="lock was lost"):
                store.probe(10)
        # Leaving did not delete the other replica's lock (compare-and-delete).
        assert client.get(store.lock_key) == b"someone-else"
        assert client.get(store.key) is None  # the fenced write changed nothing
    finally:
        client.delete(store.lock_key)
        client.close()


def test_the_holder_renews_its_lock_while_refreshing(
    store_url: str, issuer: FakeIssuer, http: httpx.Client
) -> None:
    """A refresh slower than the lock's expiry still holds the lock (the watchdog renews it)."""
    provider = redis_provider(store_url + "&lock_timeout=0.6", http)
    seed(provider, issuer)
    store = provider.store
    assert isinstance(store, RedisTokenStore)
    assert store.lock_timeout == 0.6
    issuer.refresh_delay = 1.5  # 2.5 times the lock's expiry
    rival = redis_provider(store_url + "&lock_timeout=0.6", http)
    got: list[str] = []

    def rival_asks() -> None:
        time.sleep(0.3)  # while the first refresh is in flight
        got.append(rival.credentials().access_token)

    thread = threading.Thread(target=rival_asks)
    thread.start()
    first = provider.credentials()
    thread.join()
    assert issuer.refresh_calls == 1
    assert got == [first.access_token]


def test_a_login_that_could_not_be_saved_is_kept_and_saved_later(
    store_url: str, issuer: FakeIssuer, http: httpx.Client
) -> None:
    """The lock lost between the refresh and the write: the fenced write refuses, the new
    tokens stay in memory (never the spent one), and the next call saves them."""
    import redis

    provider = redis_provider(store_url, http)
    seed(provider, issuer)
    store = provider.store
    assert isinstance(store, RedisTokenStore)
    client = redis.Redis.from_url(store_url.split("?", 1)[0])

    def steal_the_lock() -> None:
        client.set(store.lock_key, "another-replica", px=60_000)

    issuer.after_refresh = steal_the_lock
    with pytest.warns(CredentialsNotSavedWarning, match="lock"):
        fresh = provider.credentials()
    issuer.after_refresh = None
    assert issuer.is_valid_access_token(fresh.access_token)
    record = raw_record(store_url, store.key)
    assert record is not None
    assert record["access_token"] != fresh.access_token
    client.delete(store.lock_key)
    client.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert provider.credentials().access_token == fresh.access_token
    record = raw_record(store_url, store.key)
    assert record is not None
    assert record["access_token"] == fresh.access_token
    assert issuer.refresh_token_state(record["refresh_token"]) == "live"
    assert issuer.refresh_calls == 1


# --- outages ------------------------------------------------------------------------------------


def test_an_unreachable_store_is_a_clear_error_and_nothing_is_refreshed(
    issuer: FakeIssuer, http: httpx.Client
) -> None:
    from redis_support import free_port

    url = f"redis://user:s3cret@127.0.0.1:{free_port()}/0"
    provider = redis_provider(url, http)
    with pytest.raises(TokenStoreError) as info:
        provider.credentials()
    message = str(info.value)
    assert f"127.0.0.1:{url.rsplit(':', 1)[1]}" in message
    assert "Redis token store" in message
    assert "s3cret" not in message
    assert info.value.store == provider.location
    assert issuer.refresh_calls == 0


def test_redis_stopped_mid_run_gives_the_error_and_no_refresh(
    issuer: FakeIssuer, http: httpx.Client
) -> None:
    with own_redis() as url:
        provider = redis_provider(url, http)
        seed(provider, issuer, ttl=3600)
        seed(redis_provider(url, http, profile="old"), issuer, ttl=-60)
        expired = redis_provider(url, http, profile="old")
        held = provider.credentials()  # loaded while Redis runs
    # Redis is gone now.
    assert provider.credentials().access_token == held.access_token  # still valid: served
    with pytest.raises(TokenStoreError, match="unavailable"):
        provider.credentials(force_refresh=True)  # a 401: needs the lock, which is out of reach
    with pytest.raises(TokenStoreError, match="unavailable"):
        expired.credentials()
    assert issuer.refresh_calls == 0


def test_an_early_refresh_during_an_outage_serves_the_still_valid_token(
    issuer: FakeIssuer, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with own_redis() as url:
        provider = redis_provider(url, http)
        seed(provider, issuer, ttl=3600)
        held = provider.credentials()
    # Pretend the token is now inside the refresh margin (5 min) but not expired.
    state = provider._state
    assert state is not None
    soon = datetime.now(timezone.utc) + timedelta(seconds=60)
    object.__setattr__(state.tokens.credentials, "expires_at", soon)
    assert provider.credentials().access_token == held.access_token
    assert issuer.refresh_calls == 0
    assert "still valid" in caplog.text


# --- usage windows ------------------------------------------------------------------------------

LIMITS = RateLimits(
    primary=RateLimitWindow(
        used_percent=42.0,
        window_minutes=300,
        resets_at=datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc),
    ),
    secondary=RateLimitWindow(used_percent=7.5, window_minutes=10080, resets_at=None),
    plan_type="plus",
)


def test_usage_windows_are_shared_through_redis(store_url: str, http: httpx.Client) -> None:
    one = redis_provider(store_url, http, profile="work")
    two = redis_provider(store_url, http, profile="work")
    other = redis_provider(store_url, http, profile="home")
    assert two.last_rate_limits() is None
    one.record_rate_limits(LIMITS)
    one.flush_rate_limits()
    assert two.last_rate_limits() == LIMITS
    record = two.read_rate_limits()
    assert record is not None
    assert record["profile"] == "work"
    assert other.last_rate_limits() is None  # per profile


def test_recorded_usage_windows_reach_the_store_in_the_background(
    store_url: str, http: httpx.Client
) -> None:
    one = redis_provider(store_url, http)
    started = time.perf_counter()
    for percent in range(100):
        one.record_rate_limits(RateLimits(RateLimitWindow(float(percent), 300, None), None))
    assert time.perf_counter() - started < 0.5  # never blocks on the store
    deadline = time.monotonic() + 5
    seen = None
    while time.monotonic() < deadline:
        seen = redis_provider(store_url, http).last_rate_limits()
        if seen is not None and seen.primary is not None and seen.primary.used_percent == 99:
            break
        time.sleep(0.05)
    assert seen is not None
    assert seen.primary is not None
    assert seen.primary.used_percent == 99.0


def test_flush_waits_for_a_save_the_background_thread_has_begun(tmp_path: Path) -> None:
    """``chatgpt-sdk ask`` flushes at close and ``status`` reads next: a save already under way
    in the background must have finished when the flush returns."""
    provider = FileTokenProvider(tmp_path)
    store = provider._store
    writing, release = threading.Event(), threading.Event()
    write = store.write_rate_limits

    def slow_write(record: dict[str, Any]) -> None:
        writing.set()
        assert release.wait(5)
        write(record)

    store.write_rate_limits = slow_write  # type: ignore[method-assign]
    provider.record_rate_limits(LIMITS)
    assert writing.wait(5)  # the background thread has taken the windows and is saving them
    flushed = threading.Event()
    flusher = threading.Thread(target=lambda: (provider.flush_rate_limits(), flushed.set()))
    flusher.start()
    assert not flushed.wait(0.3)  # still saving: the flush waits for it
    release.set()
    flusher.join(5)
    assert flushed.is_set()
    assert FileTokenProvider(tmp_path).last_rate_limits() == LIMITS


def test_an_explicit_save_is_never_overwritten_by_an_older_background_save(
    tmp_path: Path,
) -> None:
    provider = FileTokenProvider(tmp_path)
    store = provider._store
    writing, release = threading.Event(), threading.Event()
    write = store.write_rate_limits

    def slow_first_write(record: dict[str, Any]) -> None:
        if not writing.is_set():
            writing.set()
            assert release.wait(5)
        write(record)

    store.write_rate_limits = slow_first_write  # type: ignore[method-assign]
    older = RateLimits(RateLimitWindow(10.0, 300, None), None)
    provider.record_rate_limits(older)
    assert writing.wait(5)  # the background thread is writing the older windows
    saver = threading.Thread(target=provider.save_rate_limits, args=(LIMITS,))
    saver.start()
    time.sleep(0.2)
    release.set()
    saver.join(5)
    provider.flush_rate_limits()  # returns once the background write has landed
    assert FileTokenProvider(tmp_path).last_rate_limits() == LIMITS  # the newer ones stay


def test_file_store_usage_windows_are_rate_limits_json(tmp_path: Path) -> None:
    provider = FileTokenProvider(tmp_path)
    provider.save_rate_limits(LIMITS)
    data = json.loads((tmp_path / "rate_limits.json").read_text())
    assert data["primary"]["used_percent"] == 42.0
    assert rate_limits_from_record(data) == LIMITS
    named = FileTokenProvider(tmp_path, profile="work")
    named.save_rate_limits(LIMITS)
    assert (tmp_path / "profiles" / "work.rate_limits.json").exists()


# --- choosing a store ---------------------------------------------------------------------------


def test_the_setting_picks_the_store(
    store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert isinstance(FileTokenProvider().store, FileTokenStore)
    monkeypatch.setenv("CHATGPT_TOKEN_STORE", store_url)
    from_env = FileTokenProvider()
    assert isinstance(from_env.store, RedisTokenStore)
    assert isinstance(from_env.store, TokenStore)
    # An explicit auth file beats the environment; an explicit store beats both.
    assert isinstance(FileTokenProvider(tmp_path).store, FileTokenStore)
    assert isinstance(FileTokenProvider(token_store="file").store, FileTokenStore)
    with pytest.raises(ValueError, match="do not apply"):
        FileTokenProvider(tmp_path, token_store=store_url)
    # default_token_provider follows the setting, without the file fallbacks
    chosen = default_token_provider()
    assert isinstance(chosen, FileTokenProvider)
    assert isinstance(chosen.store, RedisTokenStore)
    with pytest.raises(LoginRequiredError, match="--token-store"):
        chosen.credentials()


def test_store_urls_and_their_options() -> None:
    store = open_token_store(
        "redis://u:pw@127.0.0.1:6390/2?prefix=x:&lock_timeout=3&lock_wait=9&socket_timeout=1",
        path=Path("unused"),
        profile="work",
    )
    assert isinstance(store, RedisTokenStore)
    assert (store.key, store.lock_key) == ("x:auth:work", "x:auth:work:lock")
    assert store.rate_limits_key == "x:rate_limits:work"
    assert (store.lock_timeout, store.lock_wait) == (3.0, 9.0)
    assert "socket_timeout=1" in store.url
    assert "prefix" not in store.url
    assert "pw" not in repr(store)
    assert "pw" not in store.location
    with pytest.raises(ValueError, match="lock_timeout"):
        open_token_store("redis://h/0?lock_timeout=soon", path=Path("x"), profile=None)
    with pytest.raises(ValueError, match="positive"):
        open_token_store("redis://h/0?lock_timeout=0", path=Path("x"), profile=None)
    with pytest.raises(ValueError, match="token_store must be 'file' or a Redis URL"):
        FileTokenProvider(token_store="mysql://h/0")
    with pytest.raises(TypeError, match="token_store"):
        FileTokenProvider(token_store=42)  # type: ignore[arg-type]


def test_a_custom_store_object_is_used_as_is(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "elsewhere.json")
    provider = FileTokenProvider(token_store=store)
    assert provider.store is store
    assert provider.path == tmp_path / "elsewhere.json"


def test_a_corrupt_redis_record_is_named_and_left_alone(store_url: str, http: httpx.Client) -> None:
    import redis

    provider = redis_provider(store_url, http)
    store = provider.store
    assert isinstance(store, RedisTokenStore)
    client = redis.Redis.from_url(store_url.split("?", 1)[0])
    try:
        client.set(store.key, b"{not json")
        with pytest.raises(LoginRequiredError, match=r"login record in .* is not valid JSON"):
            provider.credentials()
        client.set(store.key, json.dumps({"no": "tokens"}))
        with pytest.raises(LoginRequiredError, match="has no access_token"):
            provider.credentials()
        assert client.get(store.key) == json.dumps({"no": "tokens"}).encode()
    finally:
        client.close()


def test_redis_logout_removes_the_record_and_revokes(
    store_url: str, issuer: FakeIssuer, http: httpx.Client
) -> None:
    provider = redis_provider(store_url, http)
    tokens = seed(provider, issuer, ttl=3600)
    assert provider.store.exists()
    assert provider.logout() is True
    assert not provider.store.exists()
    assert issuer.refresh_token_state(tokens["refresh_token"]) == "revoked"
    assert provider.logout() is False


def test_a_provider_on_redis_has_a_location_but_no_path(store_url: str) -> None:
    provider = FileTokenProvider(token_store=store_url)
    assert "(key " in provider.location
    assert not hasattr(provider, "path")
    assert "RedisTokenStore" in repr(provider)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://user:s3cret-pw@127.0.0.1:6379/0", "redis://user:***@127.0.0.1:6379/0"),
        ("redis://127.0.0.1/0?password=s3cret-pw&db=1", "redis://127.0.0.1/0?password=***&db=1"),
        ("rediss://u:s3cret-pw@h/0?Password=s3cret-pw", "rediss://u:***@h/0?Password=***"),
        ("redis://[unclosed", "<a redis URL>"),
    ],
)
def test_store_urls_are_shown_without_their_password(url: str, shown: str) -> None:
    from chatgpt_sdk.auth._config import masked_url

    assert masked_url(url) == shown
    assert "s3cret-pw" not in masked_url(url)
