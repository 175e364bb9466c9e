"""Replicas sharing one login in Redis: separate processes, a real ``redis-server``, the FakeIssuer
served on 127.0.0.1.

* three processes, 150 concurrent requests (threads and asyncio tasks in each), an expired token:
  exactly one refresh, 150 answers, all with the new token;
* the lock holder killed (``SIGKILL``) in the middle of its refresh: its lock expires by itself and
  the next request refreshes once;
* Redis stopped mid-run: the clear error naming the store, in every process, and no refresh.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from process_support import release, results_of, start_children
from redis_support import redis_or_skip

from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk._fake.server import serve
from chatgpt_sdk.auth import FileTokenProvider

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork-free subprocesses")

# One replica: waits for "go", then asks for credentials N times at once (half from threads, half
# from asyncio tasks), and prints what it got.
REPLICA = """
import asyncio, json, sys, threading, time
from pathlib import Path
from chatgpt_sdk.auth import FileTokenProvider

url, issuer, folder, name, count = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4], int(sys.argv[5])
force = len(sys.argv) > 6 and sys.argv[6] == "force"
provider = FileTokenProvider(token_store=url, issuer=issuer)
provider.retry_delays = (0.0, 0.0, 0.0)
if force:
    provider.credentials()  # loaded while Redis still runs
(folder / f"ready-{name}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
answers, errors = [], []

def one():
    try:
        answers.append(provider.credentials(force_refresh=force).access_token)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")

async def many(n):
    async def one_task():
        try:
            creds = await provider.acredentials(force_refresh=force)
            answers.append(creds.access_token)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    await asyncio.gather(*(one_task() for _ in range(n)))

threads = [threading.Thread(target=one) for _ in range(count // 2)]
started = time.monotonic()
for t in threads:
    t.start()
asyncio.run(many(count - count // 2))
for t in threads:
    t.join()
print(json.dumps({"answers": answers, "errors": errors, "seconds": time.monotonic() - started}))
"""

# The lock holder to be killed: refreshes (the issuer holds its request), never returns.
HOLDER = """
import sys
from chatgpt_sdk.auth import FileTokenProvider

provider = FileTokenProvider(token_store=sys.argv[1], issuer=sys.argv[2])
provider.retry_delays = ()
provider.credentials()
print("unexpected: the refresh returned")
"""


def own_redis() -> contextlib.AbstractContextManager[str]:
    """A ``redis-server`` of this test's own (to stop it mid-test), or skip without one."""
    return redis_or_skip("the Redis token store")


@pytest.fixture
def child_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
        and not k.startswith(("CHATGPT_", "CODEX_"))
    }
    env.update(NO_PROXY="127.0.0.1,localhost", CHATGPT_TOKEN_DIR=str(tmp_path / "unused"))
    return env


def seed_expired(url: str, issuer: FakeIssuer, issuer_url: str) -> dict[str, str]:
    tokens = issuer.issue_tokens(access_token_ttl=-60)
    provider = FileTokenProvider(token_store=url, issuer=issuer_url)
    provider.save_tokens(**tokens)
    provider.close()
    return tokens


def start_replicas(
    folder: Path, env: dict[str, str], url: str, issuer_url: str, count: int, *extra: str
) -> list[subprocess.Popen[str]]:
    arguments = [[url, issuer_url, str(folder), str(n), str(count), *extra] for n in range(3)]
    return start_children(REPLICA, arguments, folder, env=env)


def test_three_replicas_150_requests_one_refresh(tmp_path: Path, child_env: dict[str, str]) -> None:
    issuer = FakeIssuer(refresh_delay=1.0)  # a wide window: every replica overlaps the refresh
    with own_redis() as redis_url, serve(issuer.handle) as server:
        url = f"{redis_url}?prefix=p-{uuid.uuid4().hex[:8]}:"
        old = seed_expired(url, issuer, server.url)
        children = start_replicas(tmp_path, child_env, url, server.url, 50)
        release(tmp_path)
        results = results_of(children)
        record = FileTokenProvider(token_store=url, issuer=server.url).peek()
    assert [r["errors"] for r in results] == [[], [], []]
    answers = [token for r in results for token in r["answers"]]
    assert len(answers) == 150
    assert issuer.refresh_calls == 1
    assert len(set(answers)) == 1
    assert answers[0] != old["access_token"]
    assert issuer.is_valid_access_token(answers[0])
    assert record is not None
    assert record.access_token == answers[0]
    assert issuer.refresh_token_state(record.refresh_token or "") == "live"
    # The two replicas that did not refresh waited for the one that did.
    assert sorted(r["seconds"] for r in results)[1] >= 0.5


def test_a_holder_killed_mid_refresh_leaves_a_lock_that_expires(
    tmp_path: Path, child_env: dict[str, str]
) -> None:
    """SIGKILL the replica holding the lock while its refresh request is in flight.

    The fake issuer holds that request until the holder is dead, then drops it unanswered by the
    real issuer (a refresh that never reached the token endpoint: had the issuer rotated the
    token for a process that died before saving it, that login would be lost for any client).
    """
    import redis

    issuer = FakeIssuer()
    entered, release = threading.Event(), threading.Event()
    held: list[bool] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token" and not held:
            held.append(True)
            entered.set()
            release.wait(30)
            return httpx.Response(503, json={"error": {"message": "the client is gone"}})
        return issuer.handle(request)

    with own_redis() as redis_url, serve(handler) as server:
        url = f"{redis_url}?prefix=k-{uuid.uuid4().hex[:8]}:&lock_timeout=1.5"
        old = seed_expired(url, issuer, server.url)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, url, server.url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env,
        )
        try:
            assert entered.wait(30), "the holder never started its refresh"
            lock_key = f"{url.split('prefix=')[1].split('&')[0]}auth:default:lock"
            plain = redis.Redis.from_url(redis_url)
            assert plain.get(lock_key) is not None  # the holder holds the lock
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait(10)
            killed_at = time.monotonic()
            assert plain.pttl(lock_key) > 0  # the dead holder's lock is still there...
        finally:
            release.set()
            if holder.poll() is None:  # pragma: no cover - only when an assertion failed early
                holder.kill()
                holder.wait()
        nxt = FileTokenProvider(token_store=url, issuer=server.url)
        fresh = nxt.credentials()  # ...until it expires: then this request refreshes, once
        waited = time.monotonic() - killed_at
        assert plain.get(lock_key) is None
        plain.close()
        nxt.close()
    assert holder.returncode == -signal.SIGKILL
    assert issuer.refresh_calls == 1  # the held request never reached the issuer
    assert fresh.access_token != old["access_token"]
    assert issuer.is_valid_access_token(fresh.access_token)
    assert 0.3 < waited < 10  # it waited for the expiry (at most lock_timeout), not for 120 s


def test_redis_stopped_mid_run_gives_the_clear_error_and_no_refresh(
    tmp_path: Path, child_env: dict[str, str]
) -> None:
    issuer = FakeIssuer()
    with serve(issuer.handle) as server:
        with own_redis() as url:
            tokens = issuer.issue_tokens(access_token_ttl=3600)
            provider = FileTokenProvider(token_store=url, issuer=server.url)
            provider.save_tokens(**tokens)
            provider.close()
            # Each replica loads the login while Redis runs...
            children = start_replicas(tmp_path, child_env, url, server.url, 4, "force")
        # ...then Redis stops, and every request is a 401 that needs a refresh.
        release(tmp_path)
        results = results_of(children)
    assert issuer.refresh_calls == 0
    for result in results:
        assert result["answers"] == []
        assert len(result["errors"]) == 4
        for error in result["errors"]:
            assert error.startswith("TokenStoreError: The Redis token store redis://127.0.0.1:")
            assert "is unavailable" in error
            assert "Nothing was refreshed" in error
