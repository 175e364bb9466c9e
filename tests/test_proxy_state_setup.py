"""Setting the proxy's state up (issue 12, items 2 and 4): which store, which keys, what a failing
store does, and ``chatgpt-sdk responses purge``. In process (``httpx.ASGITransport``) and through
``cli.main``; tests/test_proxy_state.py runs the conversations over real sockets.
"""

from __future__ import annotations

import logging
import stat
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from chatgpt_sdk import cli
from chatgpt_sdk.server import ProxyConfig, ProxyConfigError, create_app
from chatgpt_sdk.server._run import run
from chatgpt_sdk.server._state import ApiKeys, owner_of
from chatgpt_sdk.server.config import parse_config, with_overrides
from chatgpt_sdk.stores import (
    MemoryResponseStore,
    ResponseStore,
    SQLiteResponseStore,
    StoredResponse,
    default_store_path,
)
from chatgpt_sdk.testing import FakeChatGPTBackend

MODEL = "gpt-5.5"
KEY = "sk-setup-test-key-1234"

Post = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture(autouse=True)
def _own_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default store in this test's directory, and no store from the environment."""
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("CHATGPT_RESPONSE_STORE", raising=False)
    if not str(default_store_path()).startswith(str(home)):
        pytest.skip("the user data directory does not follow XDG_DATA_HOME on this system")
    return home


@pytest.fixture
def backend() -> FakeChatGPTBackend:
    return FakeChatGPTBackend()


@pytest.fixture
async def app_client(
    backend: FakeChatGPTBackend,
) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    """``app_client(**create_app_kwargs)``: an httpx client of a new in-process app."""
    opened: list[Any] = []

    def make(**kwargs: Any) -> httpx.AsyncClient:
        client = backend.async_client(max_retries=0)
        app = create_app(client, **kwargs)
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
            base_url="http://127.0.0.1",
        )
        opened.extend([http, client, app.state.proxy.state])
        return http

    yield make
    for thing in reversed(opened):
        if isinstance(thing, httpx.AsyncClient):
            await thing.aclose()
        else:
            await thing.close()


# --- which store ----------------------------------------------------------------------------


async def test_the_default_store_is_the_private_sqlite_file(
    app_client: Callable[..., httpx.AsyncClient], backend: FakeChatGPTBackend
) -> None:
    http = app_client()
    backend.reply("Kept by default.")
    reply = await http.post("/v1/responses", json={"model": MODEL, "input": "hi"})
    assert reply.status_code == 200, reply.text
    path = default_store_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store = SQLiteResponseStore(path)
    try:
        kept = store.get(reply.json()["id"])
        assert kept is not None
        assert kept.output_items[0]["content"][0]["text"] == "Kept by default."
        assert kept.owner is None  # loopback without keys
    finally:
        store.close()


async def test_argument_beats_config_beats_environment(
    app_client: Callable[..., httpx.AsyncClient],
    backend: FakeChatGPTBackend,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = {name: tmp_path / f"{name}.sqlite3" for name in ("env", "config", "argument")}
    monkeypatch.setenv("CHATGPT_RESPONSE_STORE", f"sqlite:///{paths['env']}")
    config = ProxyConfig(response_store=f"sqlite:///{paths['config']}")
    for http, where in (
        (app_client(), "env"),
        (app_client(config=config), "config"),
        (app_client(config=config, response_store=f"sqlite:///{paths['argument']}"), "argument"),
    ):
        backend.reply("here")
        response_id = (
            await http.post("/v1/responses", json={"model": MODEL, "input": "x"})
        ).json()["id"]
        for name, path in paths.items():
            store = SQLiteResponseStore(path)
            try:
                assert (store.get(response_id) is not None) == (name == where), (name, where)
            finally:
                store.close()
    assert not default_store_path().exists()


async def test_a_store_object_stays_the_callers(
    app_client: Callable[..., httpx.AsyncClient], backend: FakeChatGPTBackend
) -> None:
    store = MemoryResponseStore()
    http = app_client(response_store=store)
    backend.reply("In memory.")
    response_id = (await http.post("/v1/responses", json={"model": MODEL, "input": "x"})).json()[
        "id"
    ]
    assert store.get(response_id) is not None
    got = await http.get(f"/v1/responses/{response_id}")
    assert got.json()["id"] == response_id
    assert (await http.get(f"/responses/{response_id}")).status_code == 200  # without /v1 too


def test_an_unusable_store_setting_stops_the_proxy_before_it_listens(tmp_path: Path) -> None:
    with pytest.raises(ProxyConfigError, match="response_store"):
        run(port=1, config=ProxyConfig(response_store="bogus://nowhere"))
    directory = tmp_path / "a-directory"
    directory.mkdir()
    with pytest.raises(ProxyConfigError, match="directory"):
        run(port=1, config=ProxyConfig(response_store=f"sqlite:///{directory}"))


# --- a store that fails ---------------------------------------------------------------------


class BrokenStore(MemoryResponseStore):
    """Reads and writes fail, as a Redis that went away does."""

    async def achain(self, id: str, **kwargs: Any) -> list[StoredResponse]:
        raise ConnectionError("Connection refused (redis at 127.0.0.1:1)")

    async def afind_items(self, ids: Any, **kwargs: Any) -> dict[str, dict[str, Any]]:
        raise ConnectionError("Connection refused")

    async def aget(self, id: str, **kwargs: Any) -> StoredResponse | None:
        raise ConnectionError("Connection refused")

    async def aput(self, stored: StoredResponse) -> None:
        raise ConnectionError("Connection refused")


async def test_a_failing_store_is_a_503_and_never_costs_an_answer(
    app_client: Callable[..., httpx.AsyncClient],
    backend: FakeChatGPTBackend,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store: ResponseStore = BrokenStore()
    http = app_client(response_store=store)
    for body in (
        {"model": MODEL, "input": "x", "previous_response_id": "resp_1"},
        {"model": MODEL, "input": [{"type": "item_reference", "id": "msg_1"}]},
    ):
        refused = await http.post("/v1/responses", json=body)
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "response_store_unavailable"
        assert refused.headers["retry-after"] == "1"
    assert (await http.get("/v1/responses/resp_1")).status_code == 503
    assert backend.requests == []

    # The answer was produced: it is returned, and the failed keeping is logged.
    backend.reply("Answered anyway.")
    with caplog.at_level(logging.WARNING, logger="chatgpt_sdk.server"):
        answered = await http.post("/v1/responses", json={"model": MODEL, "input": "x"})
    assert answered.status_code == 200
    assert answered.json()["output"][0]["content"][0]["text"] == "Answered anyway."
    assert "was not kept in the response store" in caplog.text


# --- keys -----------------------------------------------------------------------------------


def test_owners_are_digests_of_the_keys() -> None:
    owner = owner_of(KEY)
    assert owner == owner_of(KEY)  # the same on every replica, across restarts
    assert owner != owner_of(KEY + "x")
    assert KEY not in owner
    assert owner.startswith("key_")
    keys = ApiKeys([KEY, "sk-other", KEY, ""])
    assert len(keys) == 2
    assert keys.owner(KEY.encode()) == owner
    assert keys.owner(b"sk-other") == owner_of("sk-other")
    assert keys.owner(b"sk-nope") is None
    assert not ApiKeys([])


async def test_config_keys_and_the_flag_key_are_all_accepted(
    app_client: Callable[..., httpx.AsyncClient], backend: FakeChatGPTBackend
) -> None:
    config = parse_config({"api_keys": ["sk-one-1234", "sk-two-5678"]})
    http = app_client(api_key="sk-flag-9012", config=config, response_store="memory")
    for key in ("sk-one-1234", "sk-two-5678", "sk-flag-9012"):
        backend.reply("ok")
        reply = await http.post(
            "/v1/responses",
            json={"model": MODEL, "input": "x"},
            headers={"authorization": f"Bearer {key}"},
        )
        assert reply.status_code == 200, reply.text
    for headers in ({}, {"authorization": "Bearer sk-one-123"}):
        refused = await http.post(
            "/v1/responses", json={"model": MODEL, "input": "x"}, headers=headers
        )
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "invalid_api_key"
    # Keys in the config are keys: '*' origins are allowed, and the Content-Type is not checked.
    create_app(config=parse_config({"api_keys": ["sk-one-1234"], "allowed_origins": ["*"]}))


def test_api_keys_are_checked_and_never_shown() -> None:
    secret = "sk-with a space"
    with pytest.raises(ProxyConfigError) as caught:
        parse_config({"api_keys": ["sk-fine-1234", secret]}, source="proxy.yaml")
    assert "proxy.yaml: api_keys" in str(caught.value)
    assert secret not in str(caught.value)
    config = parse_config({"api_keys": ["sk-fine-1234"]})
    assert "sk-fine-1234" not in repr(config)
    again = with_overrides(config, max_body_size="1MB")
    assert [k.get_secret_value() for k in again.api_keys] == ["sk-fine-1234"]
    with pytest.raises(ProxyConfigError, match="response_store"):
        parse_config({"response_store": ["not", "a", "string"]})


# --- the command line -----------------------------------------------------------------------


def stored(id: str, age_days: float) -> StoredResponse:
    return StoredResponse(
        id=id,
        model=MODEL,
        created_at=time.time() - age_days * 86400,
        input_items=[{"type": "message", "role": "user", "content": "hi"}],
        output_items=[],
    )


def fill(path: Path) -> None:
    store = SQLiteResponseStore(path)
    try:
        for id, age in (("resp_new", 0), ("resp_old", 10), ("resp_older", 20)):
            store.put(stored(id, age))
    finally:
        store.close()


def remaining(path: Path) -> set[str]:
    store = SQLiteResponseStore(path)
    try:
        return {i for i in ("resp_new", "resp_old", "resp_older") if store.get(i) is not None}
    finally:
        store.close()


def test_purge_older_than(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.sqlite3"
    fill(path)
    assert cli.main(["responses", "purge", "--store", f"sqlite:///{path}"]) == 0
    assert "Purged 0 expired responses" in capsys.readouterr().out
    assert (
        cli.main(["responses", "purge", "--store", f"sqlite:///{path}", "--older-than", "7"]) == 0
    )
    out = capsys.readouterr().out
    assert out == f"Purged 2 expired or older responses from SQLite {path}.\n"
    assert remaining(path) == {"resp_new"}
    assert (
        cli.main(["responses", "purge", "--store", f"sqlite:///{path}", "--older-than", "0"]) == 0
    )
    assert remaining(path) == set()


def test_purge_finds_the_configured_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing there yet: nothing is created just to be purged.
    assert cli.main(["responses", "purge"]) == 0
    assert "Nothing to purge" in capsys.readouterr().out
    assert not default_store_path().exists()
    # The default file.
    fill(default_store_path())
    assert cli.main(["responses", "purge", "--older-than", "15"]) == 0
    assert remaining(default_store_path()) == {"resp_new", "resp_old"}
    # CHATGPT_RESPONSE_STORE, then a config file's response_store, which beats it.
    by_env, by_config = tmp_path / "env.sqlite3", tmp_path / "config.sqlite3"
    fill(by_env)
    fill(by_config)
    monkeypatch.setenv("CHATGPT_RESPONSE_STORE", f"sqlite:///{by_env}")
    assert cli.main(["responses", "purge", "--older-than", "15"]) == 0
    assert remaining(by_env) == {"resp_new", "resp_old"}
    config = tmp_path / "proxy.yaml"
    config.write_text(f"response_store: sqlite:///{by_config}\n")
    assert cli.main(["responses", "purge", "--config", str(config), "--older-than", "5"]) == 0
    assert remaining(by_config) == {"resp_new"}
    assert remaining(by_env) == {"resp_new", "resp_old"}


def test_purge_refuses_what_it_cannot_do(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["responses", "purge", "--older-than", "-1"])
    assert "number of days" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["responses"])  # an action is required
    capsys.readouterr()
    assert cli.main(["responses", "purge", "--store", "none"]) == 1
    assert "no response store" in capsys.readouterr().err
    assert cli.main(["responses", "purge", "--store", "bogus://x"]) == 2
    assert "response_store" in capsys.readouterr().err


def test_serve_takes_the_store_and_the_config_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr("chatgpt_sdk.server._run.run", lambda **kwargs: seen.update(kwargs))
    monkeypatch.delenv("CHATGPT_SDK_API_KEY", raising=False)
    config = tmp_path / "proxy.yaml"
    config.write_text("api_keys: [sk-one-1234, sk-two-5678]\nresponse_store: memory\n")
    # Keys in the config file count: the proxy may listen beyond loopback.
    argv = ["serve", "--config", str(config), "--host", "0.0.0.0", "--serves-only-me"]
    assert cli.main(argv) == 0
    assert seen["config"].response_store == "memory"
    assert "2 API keys accepted" in capsys.readouterr().err
    assert cli.main([*argv, "--response-store", "sqlite:///x.sqlite3"]) == 0
    assert seen["config"].response_store == "sqlite:///x.sqlite3"
    config.write_text("response_store: memory\n")
    assert cli.main(argv) == 1  # no key: not off loopback
    assert "refusing to listen" in capsys.readouterr().err


async def test_the_clients_own_store_never_keeps_proxy_traffic(
    backend: FakeChatGPTBackend,
) -> None:
    """A proxy client made with a response store (``CHATGPT_RESPONSE_STORE`` in the proxy's
    environment does that) keeps nothing itself: the proxy keeps responses, per owner."""
    client_store, proxy_store = MemoryResponseStore(), MemoryResponseStore()
    client = backend.async_client(max_retries=0, response_store=client_store)
    app = create_app(client, response_store=proxy_store)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        backend.reply("Chat.")
        chat = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
        assert (await http.post("/v1/chat/completions", json=chat)).status_code == 200
        backend.reply("Responses.")
        kept = await http.post("/v1/responses", json={"model": MODEL, "input": "hi"})
        assert kept.status_code == 200
    await client.close()
    assert client_store.purge(older_than=0) == 0
    assert proxy_store.purge(older_than=0) == 1
