"""Response stores (issue 12): the same tests against memory, SQLite and a real Redis.

The Redis tests run against the system's ``redis-server``, started on a free loopback port for
this session (``tests/redis_support.py``); each test uses keys under a prefix of its own. Without
``redis-server`` they are skipped locally and fail in CI (``.ci/run`` installs it).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import pickle
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from redis_support import redis_or_skip

from chatgpt_sdk.errors import ChatGPTError
from chatgpt_sdk.stores import (
    MemoryResponseStore,
    RedisResponseStore,
    ResponseChainTooLong,
    ResponseNotFound,
    ResponseStore,
    SQLiteResponseStore,
    StoredResponse,
    default_store_path,
    open_store,
)

REPO = Path(__file__).resolve().parent.parent
KINDS = ["memory", "sqlite", "redis"]

MakeStore = Callable[..., ResponseStore]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_or_skip("the Redis store") as url:
        yield url


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[MakeStore]:
    """Stores of this test's kind; every call opens one on the same data (file, Redis prefix)."""
    opened: list[ResponseStore] = []
    path = tmp_path / "store" / "responses.sqlite3"
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    url = request.getfixturevalue("redis_url") if kind == "redis" else ""

    def make(**options: Any) -> ResponseStore:
        store: ResponseStore
        if kind == "memory":
            store = MemoryResponseStore(**options)
        elif kind == "sqlite":
            options.setdefault("cleanup_interval", None)  # counts in purge() tests stay exact
            store = SQLiteResponseStore(path, **options)
        else:
            store = RedisResponseStore(url, prefix=prefix, **options)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: MakeStore) -> ResponseStore:
    return make_store()


def response(
    id: str,
    previous: str | None = None,
    *,
    owner: str | None = None,
    created_at: float | None = None,
    text: str = "hello",
    model: str = "gpt-5.2",
) -> StoredResponse:
    return StoredResponse(
        id=id,
        model=model,
        created_at=time.time() if created_at is None else created_at,
        input_items=[
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
        ],
        output_items=[
            {
                "type": "reasoning",
                "id": f"rs_{id}",
                "encrypted_content": "gAAAA" + "x" * 1000,
                "summary": [],
            },
            {
                "type": "message",
                "id": f"msg_{id}",
                "role": "assistant",
                "content": [{"type": "output_text", "text": f"re: {text}"}],
            },
        ],
        previous_response_id=previous,
        owner=owner,
        response={"id": id, "object": "response", "status": "completed"},
        instructions="Be brief.",
    )


def put_chain(
    store: ResponseStore, n: int, *, tag: str = "c", owner: str | None = None
) -> list[str]:
    ids = [f"resp_{tag}{i}" for i in range(n)]
    previous = None
    for id in ids:
        store.put(response(id, previous, owner=owner))
        previous = id
    return ids


# --- the same behaviour from every store ----------------------------------------------------


def test_put_get_delete(store: ResponseStore) -> None:
    stored = response("resp_1")
    assert store.get("resp_1") is None
    store.put(stored)
    assert store.get("resp_1") == stored
    assert store.delete("resp_1") is True
    assert store.get("resp_1") is None
    assert store.delete("resp_1") is False
    assert store.delete("resp_never") is False


def test_put_replaces(store: ResponseStore) -> None:
    store.put(response("resp_1", text="first"))
    store.put(response("resp_1", text="second"))
    got = store.get("resp_1")
    assert got is not None
    assert got.input_items[0]["content"][0]["text"] == "second"


def test_every_field_round_trips(store: ResponseStore) -> None:
    stored = StoredResponse(
        id="resp_fields",
        model="gpt-5.5",
        created_at=1_700_000_000.25 + time.time() - 1_700_000_000,
        input_items=[{"type": "function_call_output", "call_id": "call_1", "output": "{}"}],
        output_items=[],
        previous_response_id="resp_before",
        owner="owner-digest",
        response={"id": "resp_fields", "usage": {"input_tokens": 3}},
        instructions=None,
    )
    store.put(stored)
    assert store.get("resp_fields", owner="owner-digest") == stored
    minimal = StoredResponse(
        id="resp_min", model="m", created_at=int(time.time()), input_items=[], output_items=[]
    )
    store.put(minimal)
    assert store.get("resp_min") == minimal


def test_json_round_trip_unicode_and_nesting(store: ResponseStore) -> None:
    deep: Any = {"leaf": "ok"}
    for level in range(40):
        deep = (
            {"level": level, "child": deep, "list": [deep, [level, None]]}
            if level < 3
            else {"n": level, "child": deep}
        )
    items = [
        {
            "type": "message",
            "role": "user",
            "content": [
                {
                    "type": "input_text",
                    "text": 'héllo wörld 你好 مرحبا 🙂👩‍👩‍👧 \u0000 \t\n"quotes" \\ </script>',
                },
            ],
            "ключ": {"ünïcödé": ["∑", "𝔘", "\u2028\u2029"]},
            "numbers": [0, -1, 2**53, 10**30, 1.5, -0.0, 1e-300, 1e300],
            "flags": [True, False, None],
            "empty": {"list": [], "dict": {}, "str": ""},
            "deep": deep,
        },
        {
            "type": "reasoning",
            "encrypted_content": "gAAAAB" + "Zm9v" * 300,
            "summary": [{"type": "summary_text", "text": "…"}],
        },
    ]
    stored = StoredResponse(
        id="resp_ü",
        model="gpt-5.2",
        created_at=time.time(),
        input_items=items,
        output_items=items[::-1],
        response={"output": items, "metadata": {"k": "v ✓"}},
        instructions="Réponds en français ✓",
    )
    store.put(stored)
    got = store.get("resp_ü")
    assert got == stored
    assert got is not None
    assert got.input_items[0]["numbers"][3] == 10**30


def test_stored_data_is_a_copy(store: ResponseStore) -> None:
    stored = response("resp_copy")
    store.put(stored)
    stored.input_items[0]["content"] = "changed after put"
    got = store.get("resp_copy")
    assert got is not None
    assert got.input_items[0]["content"] != "changed after put"
    got.output_items.clear()
    again = store.get("resp_copy")
    assert again is not None
    assert len(again.output_items) == 2


def test_owner_isolation(store: ResponseStore) -> None:
    store.put(response("resp_a", owner="alice"))
    store.put(response("resp_n"))  # the SDK's: owner None
    assert store.get("resp_a", owner="alice") is not None
    assert store.get("resp_a", owner="bob") is None
    assert store.get("resp_a") is None
    assert store.get("resp_n", owner="alice") is None
    assert store.get("resp_n") is not None
    assert store.delete("resp_a", owner="bob") is False
    assert store.delete("resp_a") is False
    assert store.get("resp_a", owner="alice") is not None  # still there
    with pytest.raises(ResponseNotFound) as caught:
        store.chain("resp_a", owner="bob")
    assert caught.value.id == "resp_a"
    assert store.delete("resp_a", owner="alice") is True


def test_foreign_link_in_a_chain_looks_unknown(store: ResponseStore) -> None:
    store.put(response("resp_1", owner="alice"))
    store.put(response("resp_2", "resp_1", owner="mallory"))  # claims alice's response
    store.put(response("resp_3", "resp_2", owner="alice"))
    with pytest.raises(ResponseNotFound) as caught:
        store.chain("resp_2", owner="mallory")
    assert caught.value.id == "resp_1"
    with pytest.raises(ResponseNotFound) as caught:
        store.chain("resp_3", owner="alice")
    assert caught.value.id == "resp_2"


def test_chain_order(store: ResponseStore) -> None:
    ids = put_chain(store, 6)
    assert [r.id for r in store.chain(ids[-1])] == ids
    assert [r.id for r in store.chain(ids[2])] == ids[:3]
    assert [r.id for r in store.chain(ids[0])] == ids[:1]
    whole = store.chain(ids[-1])
    assert whole[3] == store.get(ids[3])
    assert whole[0].previous_response_id is None
    assert all(b.previous_response_id == a.id for a, b in itertools.pairwise(whole))


def test_chain_branches(store: ResponseStore) -> None:
    """Two answers to the same response: each chain has its own branch."""
    put_chain(store, 3)
    store.put(response("resp_left", "resp_c2"))
    store.put(response("resp_right", "resp_c1"))
    assert [r.id for r in store.chain("resp_left")] == [
        "resp_c0",
        "resp_c1",
        "resp_c2",
        "resp_left",
    ]
    assert [r.id for r in store.chain("resp_right")] == ["resp_c0", "resp_c1", "resp_right"]


def test_chain_names_the_missing_link(store: ResponseStore) -> None:
    ids = put_chain(store, 5)
    with pytest.raises(ResponseNotFound) as caught:
        store.chain("resp_unknown")
    assert caught.value.id == "resp_unknown"
    assert "resp_unknown" in str(caught.value)
    store.delete(ids[1])
    with pytest.raises(ResponseNotFound) as caught:
        store.chain(ids[4])
    assert caught.value.id == ids[1]
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, ChatGPTError)
    assert [r.id for r in store.chain(ids[0])] == ids[:1]
    store.put(response("resp_orphan", "resp_gone"))
    with pytest.raises(ResponseNotFound, match="resp_gone"):
        store.chain("resp_orphan")


def test_chain_limit_and_cycles(store: ResponseStore) -> None:
    ids = put_chain(store, 5)
    assert len(store.chain(ids[-1], limit=5)) == 5
    with pytest.raises(ResponseChainTooLong) as caught:
        store.chain(ids[-1], limit=4)
    assert caught.value.limit == 4
    assert caught.value.id == ids[-1]
    assert isinstance(caught.value, ValueError)
    store.put(response("resp_x", "resp_y"))
    store.put(response("resp_y", "resp_x"))
    with pytest.raises(ResponseChainTooLong, match="cycle"):
        store.chain("resp_x")
    with pytest.raises(ValueError, match="limit"):
        store.chain(ids[0], limit=0)


def test_long_chain(store: ResponseStore) -> None:
    """Past the ancestors Redis keeps in one list (256): the walk goes on, in order."""
    ids = put_chain(store, 300)
    assert [r.id for r in store.chain(ids[-1])] == ids
    store.delete(ids[10])
    with pytest.raises(ResponseNotFound) as caught:
        store.chain(ids[-1])
    assert caught.value.id == ids[10]
    with pytest.raises(ResponseChainTooLong):
        store.chain(ids[-1], limit=100)


def test_expiry(make_store: MakeStore) -> None:
    store = make_store(ttl_seconds=0.6)
    ids = put_chain(store, 3)
    assert store.get(ids[2]) is not None
    # Created earlier: expires earlier (the lifetime counts from created_at).
    store.put(response("resp_old", created_at=time.time() - 0.45))
    store.put(response("resp_child", "resp_old"))
    time.sleep(0.25)
    assert store.get("resp_old") is None
    with pytest.raises(ResponseNotFound) as caught:
        store.chain("resp_child")
    assert caught.value.id == "resp_old"
    assert [r.id for r in store.chain(ids[2])] == ids
    time.sleep(0.5)
    assert store.get(ids[0]) is None
    with pytest.raises(ResponseNotFound):
        store.chain(ids[2])
    assert store.delete(ids[1]) is False


def test_born_expired_and_future_created_at(make_store: MakeStore) -> None:
    store = make_store(ttl_seconds=60)
    store.put(response("resp_ancient", created_at=time.time() - 3600))
    assert store.get("resp_ancient") is None
    store.put(response("resp_then_old"))
    store.put(response("resp_then_old", created_at=time.time() - 3600))  # replaced by nothing
    assert store.get("resp_then_old") is None
    future = response("resp_future", created_at=time.time() + 10**6)
    store.put(future)
    assert store.get("resp_future") == future  # kept, created_at as given
    assert store.purge(older_than=3600) == 0  # its lifetime counts from the put


def test_purge_expired_only(make_store: MakeStore) -> None:
    store = make_store(ttl_seconds=30)
    for i in range(3):
        store.put(response(f"resp_soon{i}", created_at=time.time() - 29.7))
    put_chain(store, 2)
    time.sleep(0.5)
    assert store.purge() == 3
    assert store.purge() == 0
    assert store.get("resp_c1") is not None
    assert [r.id for r in store.chain("resp_c1")] == ["resp_c0", "resp_c1"]


def test_purge_older_than(store: ResponseStore) -> None:
    for i in range(3):
        store.put(response(f"resp_old{i}", owner=f"o{i}", created_at=time.time() - 100))
    store.put(response("resp_new"))
    store.put(response("resp_new2", owner="o1"))
    assert store.purge(older_than=50) == 3
    assert store.get("resp_old1", owner="o1") is None
    assert store.get("resp_new") is not None
    assert store.purge(older_than=3600) == 0
    time.sleep(0.01)
    assert store.purge(older_than=0) == 2
    assert store.get("resp_new2", owner="o1") is None
    with pytest.raises(ValueError, match="older_than"):
        store.purge(older_than=-1)
    with pytest.raises(TypeError, match="older_than"):
        store.purge(older_than="7")  # type: ignore[arg-type]


def test_arguments_are_checked(store: ResponseStore) -> None:
    with pytest.raises(TypeError, match="StoredResponse"):
        store.put({"id": "resp_1"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="id"):
        store.get(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="owner"):
        store.get("resp_1", owner=b"x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="id"):
        StoredResponse(id="", model="m", created_at=0, input_items=[], output_items=[])
    with pytest.raises(TypeError, match="input_items"):
        StoredResponse(id="r", model="m", created_at=0, input_items=["x"], output_items=[])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="own id"):
        StoredResponse(
            id="r",
            model="m",
            created_at=0,
            input_items=[],
            output_items=[],
            previous_response_id="r",
        )
    with pytest.raises(ValueError, match="finite"):
        StoredResponse(id="r", model="m", created_at=float("nan"), input_items=[], output_items=[])


def test_concurrent_threads(make_store: MakeStore) -> None:
    store = make_store()
    other = make_store()  # a second store on the same data (the same file, the same Redis)
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        try:
            target = store if n % 2 else other
            barrier.wait()
            previous = None
            for i in range(25):
                id = f"resp_t{n}_{i}"
                target.put(response(id, previous, owner=f"owner{n % 3}"))
                got = target.get(id, owner=f"owner{n % 3}")
                assert got is not None
                assert got.id == id
                assert target.get(f"resp_t{(n + 1) % 8}_0", owner="nobody") is None
                previous = id
            chain = target.chain(previous or "", owner=f"owner{n % 3}")
            assert [r.id for r in chain] == [f"resp_t{n}_{i}" for i in range(25)]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    if isinstance(store, MemoryResponseStore):
        return  # two memory stores share nothing
    for n in range(8):
        assert len(store.chain(f"resp_t{n}_24", owner=f"owner{n % 3}")) == 25


async def test_async_twins(store: ResponseStore) -> None:
    ids = [f"resp_a{i}" for i in range(4)]
    previous = None
    for id in ids:
        await store.aput(response(id, previous, owner="k"))
        previous = id
    assert await store.aget(ids[0], owner="k") == store.get(ids[0], owner="k")
    assert await store.aget(ids[0]) is None
    assert [r.id for r in await store.achain(ids[-1], owner="k")] == ids
    with pytest.raises(ResponseChainTooLong):
        await store.achain(ids[-1], owner="k", limit=2)
    assert await store.adelete(ids[1], owner="k") is True
    with pytest.raises(ResponseNotFound) as caught:
        await store.achain(ids[-1], owner="k")
    assert caught.value.id == ids[1]
    results = await asyncio.gather(*(store.aget(id, owner="k") for id in ids))
    assert [r is not None for r in results] == [True, False, True, True]
    await asyncio.gather(*(store.aput(response(f"resp_g{i}")) for i in range(20)))
    assert await store.apurge(older_than=0) >= 20
    await store.aclose()


# --- items by id (item_reference) -----------------------------------------------------------


def items_response(
    id: str,
    *,
    input_items: list[dict[str, Any]] | None = None,
    output_items: list[dict[str, Any]] | None = None,
    owner: str | None = None,
    created_at: float | None = None,
) -> StoredResponse:
    return StoredResponse(
        id=id,
        model="gpt-5.2",
        created_at=time.time() if created_at is None else created_at,
        input_items=input_items or [],
        output_items=output_items or [],
        owner=owner,
    )


def message(id: str, text: str, role: str = "assistant") -> dict[str, Any]:
    return {"type": "message", "id": id, "role": role, "content": [{"type": "text", "text": text}]}


def text_of(item: dict[str, Any] | None) -> str:
    assert item is not None
    return str(item["content"][0]["text"])


def test_find_items_found(store: ResponseStore) -> None:
    stored = response("resp_1")
    store.put(stored)
    found = store.find_items(["msg_resp_1", "rs_resp_1"])
    assert found == {"msg_resp_1": stored.output_items[1], "rs_resp_1": stored.output_items[0]}
    assert list(found) == ["msg_resp_1", "rs_resp_1"]  # in the order asked
    assert found["rs_resp_1"]["encrypted_content"].startswith("gAAAA")
    found["msg_resp_1"]["content"] = "changed"  # a copy: the store is unchanged
    assert store.find_items(["msg_resp_1"]) == {"msg_resp_1": stored.output_items[1]}
    # Input items that carry an id are found too; within one response the output wins.
    call = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": "f",
        "arguments": "{}",
    }
    store.put(
        items_response(
            "resp_2",
            input_items=[message("msg_in", "question", "user"), message("dup", "as sent", "user")],
            output_items=[call, message("dup", "as returned")],
        )
    )
    found = store.find_items(["msg_in", "fc_1", "dup"])
    assert list(found) == ["msg_in", "fc_1", "dup"]
    assert text_of(found["msg_in"]) == "question"
    assert found["fc_1"] == call
    assert text_of(found["dup"]) == "as returned"


def test_find_items_not_found(store: ResponseStore) -> None:
    store.put(response("resp_1"))
    assert store.find_items([]) == {}
    # A response id is not an item id; an item without an id cannot be referenced.
    assert store.find_items(["msg_unknown", "resp_1", "", "x" * 600]) == {}
    found = store.find_items(("msg_unknown", "msg_resp_1", "msg_resp_1"))
    assert list(found) == ["msg_resp_1"]
    with pytest.raises(TypeError, match="ids"):
        store.find_items("msg_resp_1")  # a string is not a list of ids
    with pytest.raises(TypeError, match="id"):
        store.find_items([1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="owner"):
        store.find_items(["msg_resp_1"], owner=b"k")  # type: ignore[arg-type]


def test_find_items_of_another_owner(store: ResponseStore) -> None:
    store.put(response("resp_a", owner="alice"))
    store.put(response("resp_n"))  # the SDK's: owner None
    assert list(store.find_items(["msg_resp_a", "msg_resp_n"], owner="alice")) == ["msg_resp_a"]
    assert list(store.find_items(["msg_resp_a", "msg_resp_n"])) == ["msg_resp_n"]
    assert store.find_items(["msg_resp_a", "msg_resp_n"], owner="bob") == {}
    # Responses of another owner stored later with the same item id hide nothing (more than one
    # Redis page of them), and are never shown to alice.
    for i in range(12):
        store.put(
            items_response(
                f"resp_m{i}", output_items=[message("msg_resp_a", "forged")], owner="mallory"
            )
        )
    assert text_of(store.find_items(["msg_resp_a"], owner="alice")["msg_resp_a"]) == "re: hello"
    assert text_of(store.find_items(["msg_resp_a"], owner="mallory")["msg_resp_a"]) == "forged"
    assert store.find_items(["msg_resp_a"]) == {}


def test_find_items_expired(make_store: MakeStore) -> None:
    store = make_store(ttl_seconds=0.6)
    store.put(response("resp_old", created_at=time.time() - 0.45))
    store.put(response("resp_new"))
    store.put(response("resp_dead", created_at=time.time() - 3600))  # expired when stored
    # The same id in a response that expires first but was stored last: it wins while it lives.
    store.put(items_response("resp_long", output_items=[message("shared", "long")]))
    store.put(
        items_response(
            "resp_short",
            output_items=[message("shared", "short")],
            created_at=time.time() - 0.45,
        )
    )
    ids = ["msg_resp_old", "msg_resp_new", "msg_resp_dead", "shared"]
    found = store.find_items(ids)
    assert list(found) == ["msg_resp_old", "msg_resp_new", "shared"]
    assert text_of(found["shared"]) == "short"
    time.sleep(0.25)
    found = store.find_items(ids)
    assert list(found) == ["msg_resp_new", "shared"]
    assert text_of(found["shared"]) == "long"
    time.sleep(0.5)
    assert store.find_items(ids) == {}


def test_find_items_deleted(store: ResponseStore) -> None:
    store.put(response("resp_1"))
    assert store.delete("resp_1") is True
    assert store.find_items(["msg_resp_1", "rs_resp_1"]) == {}
    # Deleting the newest response holding an id uncovers the one before it.
    store.put(items_response("resp_a", output_items=[message("shared", "a")]))
    store.put(items_response("resp_b", input_items=[message("shared", "b")]))
    assert text_of(store.find_items(["shared"])["shared"]) == "b"
    assert store.delete("resp_b") is True
    assert text_of(store.find_items(["shared"])["shared"]) == "a"
    assert store.delete("resp_a") is True
    assert store.find_items(["shared"]) == {}
    # Replacing a response replaces its items.
    store.put(items_response("resp_r", output_items=[message("msg_first", "1")]))
    store.put(items_response("resp_r", output_items=[message("msg_second", "2")]))
    assert list(store.find_items(["msg_first", "msg_second"])) == ["msg_second"]
    store.put(items_response("resp_r", output_items=[], created_at=time.time() - 10**8))
    assert store.find_items(["msg_first", "msg_second"]) == {}  # replaced by nothing
    # Purged responses take their items with them.
    put_chain(store, 3)
    assert len(store.find_items(["msg_resp_c0", "rs_resp_c1", "msg_resp_c2"])) == 3
    time.sleep(0.01)
    assert store.purge(older_than=0) == 3
    assert store.find_items(["msg_resp_c0", "rs_resp_c1", "msg_resp_c2"]) == {}


def test_find_items_newest_wins(store: ResponseStore) -> None:
    """As the proxy stores a conversation replayed with item_reference: the turn after the one
    that returned an item holds a copy of it among its inputs."""
    store.put(items_response("resp_1", output_items=[message("msg_1", "v1")]))
    store.put(
        items_response(
            "resp_2",
            input_items=[message("msg_1", "v2, as replayed")],
            output_items=[message("msg_2", "two")],
        )
    )
    found = store.find_items(["msg_1", "msg_2"])
    assert (text_of(found["msg_1"]), text_of(found["msg_2"])) == ("v2, as replayed", "two")
    store.put(items_response("resp_3", output_items=[message("msg_1", "v3")]))
    assert text_of(store.find_items(["msg_1"])["msg_1"]) == "v3"
    # "Newest" is the response stored last, whatever its created_at.
    store.put(
        items_response(
            "resp_4", output_items=[message("msg_1", "v4")], created_at=time.time() - 100
        )
    )
    assert text_of(store.find_items(["msg_1"])["msg_1"]) == "v4"
    # Storing resp_1 again makes it the newest.
    store.put(items_response("resp_1", output_items=[message("msg_1", "v1 again")]))
    assert text_of(store.find_items(["msg_1"])["msg_1"]) == "v1 again"


async def test_find_items_async(store: ResponseStore) -> None:
    await store.aput(response("resp_1", owner="k"))
    await store.aput(items_response("resp_2", output_items=[message("msg_resp_1", "newer")]))
    found = await store.afind_items(["msg_resp_1", "rs_resp_1", "msg_unknown"], owner="k")
    assert found == store.find_items(["msg_resp_1", "rs_resp_1", "msg_unknown"], owner="k")
    assert list(found) == ["msg_resp_1", "rs_resp_1"]
    assert text_of(found["msg_resp_1"]) == "re: hello"
    assert text_of((await store.afind_items(["msg_resp_1"]))["msg_resp_1"]) == "newer"
    results = await asyncio.gather(
        *(store.afind_items([f"{kind}_resp_1", "x"], owner="k") for kind in ("rs", "msg", "no"))
    )
    assert [list(r) for r in results] == [["rs_resp_1"], ["msg_resp_1"], []]
    assert await store.adelete("resp_1", owner="k") is True
    assert await store.afind_items(["msg_resp_1", "rs_resp_1"], owner="k") == {}
    with pytest.raises(TypeError, match="ids"):
        await store.afind_items("msg_resp_1")
    await store.aclose()


def put_fifty_items(store: ResponseStore) -> list[str]:
    """25 turns of a conversation, 2 output items with an id each: 50 ids, newest first."""
    ids = put_chain(store, 25)
    return [f"{kind}_{id}" for id in reversed(ids) for kind in ("msg", "rs")]


def test_find_items_fifty(store: ResponseStore) -> None:
    item_ids = put_fifty_items(store)
    misses = [f"msg_missing_{i}" for i in range(10)]
    asked = [x for pair in zip(item_ids, misses * 5, strict=True) for x in pair]
    found = store.find_items(asked)
    assert list(found) == item_ids
    for id in ("resp_c0", "resp_c13", "resp_c24"):
        stored = store.get(id)
        assert stored is not None
        assert found[f"rs_{id}"] == stored.output_items[0]
        assert found[f"msg_{id}"] == stored.output_items[1]
    assert store.find_items(item_ids, owner="other") == {}


def test_memory_item_index_is_bounded() -> None:
    store = MemoryResponseStore(max_entries=2)
    for id in ("resp_1", "resp_2", "resp_3"):
        store.put(response(id))
    assert list(store.find_items(["msg_resp_1", "msg_resp_2", "msg_resp_3"])) == [
        "msg_resp_2",
        "msg_resp_3",
    ]
    assert sorted(store._items) == ["msg_resp_2", "msg_resp_3", "rs_resp_2", "rs_resp_3"]
    store.delete("resp_2")
    store.purge(older_than=0)
    assert store._items == {}


def test_is_a_response_store(store: ResponseStore) -> None:
    assert isinstance(store, ResponseStore)
    assert open_store(store) is store


def test_closed_store_refuses(make_store: MakeStore, kind: str) -> None:
    if kind == "memory":
        pytest.skip("a memory store holds nothing to close")
    store = make_store()
    store.put(response("resp_1"))
    store.close()
    store.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        store.get("resp_1")
    reopened = make_store()
    assert reopened.get("resp_1") is not None  # the data outlives the store object


# --- errors ---------------------------------------------------------------------------------


def test_errors_pickle() -> None:
    error = pickle.loads(pickle.dumps(ResponseNotFound("resp_x")))
    assert error.id == "resp_x"
    assert "resp_x" in str(error)
    too_long = pickle.loads(pickle.dumps(ResponseChainTooLong("resp_y", 3)))
    assert (too_long.id, too_long.limit) == ("resp_y", 3)


# --- SQLite ---------------------------------------------------------------------------------


@pytest.fixture
def umask_zero() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.usefixtures("umask_zero")
def test_sqlite_file_and_directory_modes(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "responses.sqlite3"
    with SQLiteResponseStore(path) as store:
        store.put(response("resp_1"))
        assert store.get("resp_1") is not None
        assert _mode(tmp_path / "a") == 0o700
        assert _mode(tmp_path / "a" / "b") == 0o700
        assert _mode(path) == 0o600
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            assert companion.exists()
            assert _mode(companion) == 0o600, suffix
    # A file someone made readable by others is tightened when opened.
    os.chmod(path, 0o644)
    SQLiteResponseStore(path).close()
    assert _mode(path) == 0o600


@pytest.mark.usefixtures("umask_zero")
def test_sqlite_default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "chatgpt-sdk" / "responses.sqlite3"
    if sys.platform.startswith("linux"):
        assert default_store_path() == expected
    store = open_store("sqlite://")
    assert isinstance(store, SQLiteResponseStore)
    try:
        assert store.path == default_store_path()
        store.put(response("resp_1"))
        assert _mode(store.path) == 0o600
        assert _mode(store.path.parent) == 0o700
    finally:
        store.close()
    # Our own folder is tightened when found looser; a folder given by the user is left alone.
    os.chmod(default_store_path().parent, 0o755)
    SQLiteResponseStore().close()
    assert _mode(default_store_path().parent) == 0o700
    mine = tmp_path / "shared"
    mine.mkdir(mode=0o755)
    SQLiteResponseStore(mine / "x.sqlite3").close()
    assert _mode(mine) == 0o755


def test_sqlite_wal_and_one_query_per_chain(tmp_path: Path) -> None:
    with SQLiteResponseStore(tmp_path / "s.sqlite3") as store:
        conn = store._connection()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        ids = put_chain(store, 50)
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            assert [r.id for r in store.chain(ids[-1])] == ids
        finally:
            conn.set_trace_callback(None)
        assert len(statements) == 1, statements
        assert "WITH RECURSIVE" in statements[0]


def test_sqlite_find_items_is_one_query(tmp_path: Path) -> None:
    with SQLiteResponseStore(tmp_path / "s.sqlite3") as store:
        item_ids = put_fifty_items(store)
        conn = store._connection()
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            assert list(store.find_items(item_ids)) == item_ids
        finally:
            conn.set_trace_callback(None)
        assert len(statements) == 1, statements
        assert "response_items" in statements[0]


def _orphan_items(path: Path) -> tuple[int, int]:
    """(rows of response_items, of which naming no stored response)."""
    raw = sqlite3.connect(path)
    try:
        total = raw.execute("SELECT count(*) FROM response_items").fetchone()[0]
        orphans = raw.execute(
            "SELECT count(*) FROM response_items WHERE response_id NOT IN (SELECT id FROM responses)"
        ).fetchone()[0]
        return int(total), int(orphans)
    finally:
        raw.close()


def test_sqlite_item_index_follows_the_responses(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with SQLiteResponseStore(
        path, ttl_seconds=30, max_bytes=256 * 1024, cleanup_interval=None
    ) as store:
        put_chain(store, 3)
        assert _orphan_items(path) == (6, 0)
        store.put(items_response("resp_c1", output_items=[message("msg_other", "x")]))  # replace
        assert _orphan_items(path) == (5, 0)
        store.delete("resp_c0")
        assert _orphan_items(path) == (3, 0)
        store.put(response("resp_soon", created_at=time.time() - 29.8))
        assert _orphan_items(path) == (5, 0)
        time.sleep(0.3)
        assert store.find_items(["msg_resp_soon"]) == {}  # expired, not yet removed
        assert store.purge() == 1  # removed: its items too
        assert _orphan_items(path) == (3, 0)
        for i in range(150):  # past max_bytes: the oldest go, and their items
            store.put(response(f"resp_{i:03}", text="y" * 3000, created_at=time.time() - 150 + i))
        assert store.cleanup() > 0
        total, orphans = _orphan_items(path)
        assert orphans == 0
        assert total < 300
        assert "msg_resp_149" in store.find_items(["msg_resp_149", "msg_resp_000"])


def test_sqlite_schema_1_files_are_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with SQLiteResponseStore(path) as store:
        put_chain(store, 3)
    raw = sqlite3.connect(path)  # as chatgpt-sdk wrote it before the items were indexed
    raw.executescript(
        "DROP TRIGGER response_items_follow; DROP TABLE response_items; PRAGMA user_version = 1;"
    )
    raw.close()
    with SQLiteResponseStore(path) as store:
        found = store.find_items(["msg_resp_c0", "rs_resp_c2"])
        assert list(found) == ["msg_resp_c0", "rs_resp_c2"]
        stored = store.get("resp_c2")
        assert stored is not None
        assert found["rs_resp_c2"] == stored.output_items[0]
        assert store._connection().execute("PRAGMA user_version").fetchone()[0] == 2
        store.delete("resp_c0")
    assert _orphan_items(path) == (4, 0)


def test_sqlite_persists_and_is_shared_by_connections(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with SQLiteResponseStore(path) as first, SQLiteResponseStore(path) as second:
        put_chain(first, 3)
        assert [r.id for r in second.chain("resp_c2")] == ["resp_c0", "resp_c1", "resp_c2"]
    with SQLiteResponseStore(path) as again:
        assert again.get("resp_c1") is not None


def test_sqlite_rejects_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(sqlite3.DatabaseError, match=r"notes\.txt"):
        SQLiteResponseStore(path)
    assert path.read_bytes().startswith(b"these are my notes")


def test_sqlite_size_cap(tmp_path: Path) -> None:
    with SQLiteResponseStore(
        tmp_path / "s.sqlite3", max_bytes=256 * 1024, cleanup_interval=None
    ) as store:
        for i in range(150):  # ~4 KB each: ~600 KB
            store.put(response(f"resp_{i:03}", text="y" * 3000, created_at=time.time() - 150 + i))
        assert store.used_bytes() > 256 * 1024
        removed = store.cleanup()
        assert removed > 0
        assert store.used_bytes() <= 256 * 1024
        assert store.get("resp_000") is None  # the oldest went first
        assert store.get("resp_149") is not None
        kept = [i for i in range(150) if store.get(f"resp_{i:03}") is not None]
        assert kept == list(range(150 - len(kept), 150))
        assert store.cleanup() == 0


def test_sqlite_background_cleanup(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with SQLiteResponseStore(path, ttl_seconds=30, cleanup_interval=0) as store:
        for i in range(20):
            store.put(response(f"resp_{i}", created_at=time.time() - 29.8))
        time.sleep(0.4)
        store.put(response("resp_fresh"))  # starts a cleanup in a daemon thread
        deadline = time.monotonic() + 10
        raw = sqlite3.connect(path)
        try:
            while time.monotonic() < deadline:
                if raw.execute("SELECT count(*) FROM responses").fetchone()[0] == 1:
                    break
                time.sleep(0.02)
            assert raw.execute("SELECT id FROM responses").fetchall() == [("resp_fresh",)]
        finally:
            raw.close()


_WRITER = textwrap.dedent(
    """
    import os, random, sys, threading, time
    from chatgpt_sdk.stores import SQLiteResponseStore, StoredResponse

    path, tag, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    store = SQLiteResponseStore(path, cleanup_interval=0, max_bytes=8 * 1024 * 1024)
    if mode == "exit":  # die from another thread, at a random moment of the put loop
        delay = random.uniform(0.05, 0.4)
        threading.Timer(delay, lambda: os._exit(3)).start()
    previous = None
    i = 0
    while True:
        id = f"resp_{tag}_{i}"
        store.put(StoredResponse(
            id=id, model="m", created_at=time.time(), previous_response_id=previous,
            input_items=[{"type": "message", "content": "z" * 20000}],
            output_items=[{"type": "reasoning", "encrypted_content": os.urandom(8000).hex()}],
        ))
        previous = id
        i += 1
        if i == 20:
            print("writing", flush=True)
        if mode == "count" and i == int(sys.argv[4]):
            break
    """
)


def _writer(path: Path, tag: str, mode: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), tag, mode, *extra],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _check_readable(path: Path) -> int:
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in raw.execute("SELECT id FROM responses")]
    finally:
        raw.close()
    with SQLiteResponseStore(path, cleanup_interval=None) as store:
        for id in ids:
            stored = store.get(id)
            assert stored is not None, id
            assert len(stored.input_items[0]["content"]) == 20000
        store.put(response("resp_after"))
        assert store.get("resp_after") is not None
        assert store.delete("resp_after")
    return len(ids)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sqlite_killed_writer_leaves_the_store_readable(tmp_path: Path) -> None:
    path = tmp_path / "killed.sqlite3"
    for round in range(3):
        writer = _writer(path, f"k{round}", "forever")
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
        time.sleep(0.05 * round)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        assert _check_readable(path) >= 20
    for round in range(3):
        writer = _writer(path, f"x{round}", "exit")
        writer.communicate(timeout=60)
        assert writer.returncode == 3
        _check_readable(path)


def test_sqlite_several_processes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    writers = [_writer(path, f"p{n}", "count", "60") for n in range(3)]
    for writer in writers:
        writer.communicate(timeout=120)
        assert writer.returncode == 0
    with SQLiteResponseStore(path) as store:
        for n in range(3):
            assert [r.id for r in store.chain(f"resp_p{n}_59")] == [
                f"resp_p{n}_{i}" for i in range(60)
            ]


# --- Redis ----------------------------------------------------------------------------------


def test_redis_keys_prefix_and_expiry(redis_url: str) -> None:
    import redis

    prefix = f"pfx-{uuid.uuid4().hex[:8]}:"
    with RedisResponseStore(redis_url, prefix=prefix, ttl_seconds=120) as store:
        put_chain(store, 2)
        client = redis.Redis.from_url(redis_url)
        try:
            keys = sorted(k.decode() for k in client.keys(f"{prefix}*"))
            assert keys == sorted(
                [
                    f"{prefix}r:resp_c0",
                    f"{prefix}a:resp_c0",
                    f"{prefix}r:resp_c1",
                    f"{prefix}a:resp_c1",
                    f"{prefix}i:rs_resp_c0",
                    f"{prefix}i:msg_resp_c0",
                    f"{prefix}i:rs_resp_c1",
                    f"{prefix}i:msg_resp_c1",
                    f"{prefix}idx:exp",
                    f"{prefix}idx:born",
                ]
            )
            assert client.zrange(f"{prefix}i:msg_resp_c1", 0, -1) == [b"resp_c1"]
            for key in keys:
                if ":idx:" not in key:
                    assert 115_000 < client.pttl(key) <= 120_000, key
            other = RedisResponseStore(redis_url, prefix=f"other-{uuid.uuid4().hex[:8]}:")
            assert other.get("resp_c0") is None
            other.close()
        finally:
            client.close()


def test_redis_chain_round_trips(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with RedisResponseStore(redis_url, prefix=f"rt-{uuid.uuid4().hex[:8]}:") as store:
        ids = put_chain(store, 50)
        client = store._sync_client()
        executed: list[int] = []
        original = client.pipeline

        def counting_pipeline(*args: Any, **kwargs: Any) -> Any:
            pipe = original(*args, **kwargs)
            execute = pipe.execute

            def counted(*a: Any, **k: Any) -> Any:
                executed.append(1)
                return execute(*a, **k)

            pipe.execute = counted
            return pipe

        monkeypatch.setattr(client, "pipeline", counting_pipeline)
        assert [r.id for r in store.chain(ids[-1])] == ids
        assert len(executed) == 2
        executed.clear()
        assert store.get(ids[3]) is not None
        assert len(executed) == 1


def test_redis_find_items_round_trips(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with RedisResponseStore(redis_url, prefix=f"fi-{uuid.uuid4().hex[:8]}:") as store:
        item_ids = put_fifty_items(store)
        client = store._sync_client()
        executed: list[int] = []
        original = client.pipeline

        def counting_pipeline(*args: Any, **kwargs: Any) -> Any:
            pipe = original(*args, **kwargs)
            execute = pipe.execute

            def counted(*a: Any, **k: Any) -> Any:
                executed.append(len(pipe.command_stack))
                return execute(*a, **k)

            pipe.execute = counted
            return pipe

        monkeypatch.setattr(client, "pipeline", counting_pipeline)
        assert list(store.find_items([*item_ids, "msg_missing"])) == item_ids
        assert executed == [51, 1]  # one ZREVRANGE per id, then one MGET of the 25 responses
        executed.clear()
        assert store.find_items(["msg_missing"]) == {}
        assert executed == [1]


_REDIS_PEER = textwrap.dedent(
    """
    import json, sys, time
    from chatgpt_sdk.stores import RedisResponseStore, StoredResponse

    url, prefix = sys.argv[1], sys.argv[2]
    with RedisResponseStore(url, prefix=prefix) as store:
        chain = store.chain("resp_parent_1", owner="k")
        previous = chain[-1].id
        for i in range(2):
            id = f"resp_child_{i}"
            store.put(StoredResponse(
                id=id, model="m", created_at=time.time(), previous_response_id=previous, owner="k",
                input_items=[{"type": "message", "content": f"from the child {i} ✓"}], output_items=[],
            ))
            previous = id
        print(json.dumps([r.id for r in chain]))
    """
)


def test_redis_two_processes_resolve_each_others_ids(redis_url: str) -> None:
    prefix = f"peer-{uuid.uuid4().hex[:8]}:"
    with RedisResponseStore(redis_url, prefix=prefix) as store:
        store.put(response("resp_parent_0", owner="k"))
        store.put(response("resp_parent_1", "resp_parent_0", owner="k"))
        child = subprocess.run(
            [sys.executable, "-c", _REDIS_PEER, redis_url, prefix],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
            check=False,
        )
        assert child.returncode == 0, child.stderr
        assert child.stdout.strip() == '["resp_parent_0", "resp_parent_1"]'
        chain = store.chain("resp_child_1", owner="k")
        assert [r.id for r in chain] == [
            "resp_parent_0",
            "resp_parent_1",
            "resp_child_0",
            "resp_child_1",
        ]
        assert chain[-1].input_items[0]["content"] == "from the child 1 ✓"
        with pytest.raises(ResponseNotFound):
            store.chain("resp_child_1", owner="other")


def test_redis_repr_hides_the_password() -> None:
    store = RedisResponseStore("redis://user:s3cret@127.0.0.1:1/0")
    assert "s3cret" not in repr(store)
    assert "***" in repr(store)


async def test_redis_async_clients_per_event_loop(redis_url: str) -> None:
    store = RedisResponseStore(redis_url, prefix=f"loop-{uuid.uuid4().hex[:8]}:")
    await store.aput(response("resp_1"))

    def in_another_loop() -> StoredResponse | None:
        async def read() -> StoredResponse | None:
            try:
                return await store.aget("resp_1")
            finally:
                client = store._async_clients.pop(asyncio.get_running_loop())
                await client.aclose()

        return asyncio.run(read())

    got = await asyncio.to_thread(in_another_loop)
    assert got is not None
    assert got.id == "resp_1"
    assert (await store.aget("resp_1")) == got
    await store.aclose()


# --- open_store -----------------------------------------------------------------------------


def test_open_store_urls(tmp_path: Path, redis_url: str) -> None:
    assert open_store(None) is None
    assert open_store("") is None
    assert open_store("none") is None
    memory = open_store("memory")
    assert isinstance(memory, MemoryResponseStore)
    short = open_store("memory?ttl_seconds=5")
    assert isinstance(short, MemoryResponseStore)
    assert short.ttl_seconds == 5
    assert isinstance(open_store(" MEMORY "), MemoryResponseStore)

    for url in (f"sqlite://{tmp_path}/a.sqlite3", f"sqlite:///{tmp_path}/a.sqlite3"):
        store = open_store(url)
        assert isinstance(store, SQLiteResponseStore)
        assert store.path == tmp_path / "a.sqlite3"
        store.close()
    store = open_store(f"sqlite://{tmp_path}/b%20c.sqlite3?ttl_seconds=60&max_bytes=1000000")
    assert isinstance(store, SQLiteResponseStore)
    assert (store.path, store.ttl_seconds, store.max_bytes) == (
        tmp_path / "b c.sqlite3",
        60,
        1_000_000,
    )
    store.close()

    redis_store = open_store(f"{redis_url}?prefix=mine:&ttl_seconds=90")
    assert isinstance(redis_store, RedisResponseStore)
    assert (redis_store.prefix, redis_store.ttl_seconds, redis_store.url) == (
        "mine:",
        90,
        redis_url,
    )
    redis_store.put(response("resp_url"))
    assert redis_store.get("resp_url") is not None
    redis_store.close()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("postgres://user:hunter2@db/x", "unknown store 'postgres'"),
        ("sqlite://somehost/x.sqlite3", "no host"),
        ("sqlite:///tmp/x.sqlite3?bogus=1", "unknown option 'bogus'"),
        ("memory?ttl_seconds=soon", "ttl_seconds='soon'"),
        ("memory?ttl_seconds=-1", "ttl_seconds"),
        ("memory://host", "no host"),
        ("mem", "unknown store"),
        ("sqlite:///tmp/", "directory"),
    ],
)
def test_open_store_rejects(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match="response_store") as caught:
        open_store(spec)
    assert message in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_open_store_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="response_store"):
        open_store(42)  # type: ignore[arg-type]


def test_import_is_cheap() -> None:
    code = "import sys, chatgpt_sdk, chatgpt_sdk.stores; assert 'redis' not in sys.modules, 'redis'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60)
    code = "import sys, chatgpt_sdk; assert 'chatgpt_sdk.stores' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60)
