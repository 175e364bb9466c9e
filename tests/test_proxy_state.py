"""The proxy keeps state (issue 12, item 2): ``previous_response_id``, ``item_reference`` and
``/v1/responses/{id}`` through a running proxy, as the real ``openai`` package meets them.

A real uvicorn on a free loopback port serves the proxy, whose ``AsyncChatGPT`` talks HTTP to a
``FakeChatGPTBackend`` served on another loopback port; every store test runs against SQLite (a
file in the test's directory) and a real ``redis-server`` (started here on a free port, as
tests/test_stores.py does; skipped locally when it is not installed, a failure in CI). Each test
checks both sides: what the client got, and what reached the backend. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from proxy_support import uvicorn_proxy
from redis_support import redis_or_skip

from chatgpt_sdk import AsyncChatGPT
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.server import ProxyConfig
from chatgpt_sdk.server._state import owner_of
from chatgpt_sdk.stores import ResponseStore, open_store
from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend, RecordedRequest

MODEL = "gpt-5.5"
TIMEOUT = 10.0
KEY_A = "sk-proxy-state-key-a-7f3e1c"
KEY_B = "sk-proxy-state-key-b-91d0aa"
KEY_C = "sk-proxy-state-key-c-from-the-flag"
CITY = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
TOOLS: list[Any] = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "Weather in a city.",
        "parameters": CITY,
        "strict": False,
    }
]
REASONING: Any = {"effort": "low", "summary": "auto"}
KINDS = ["sqlite", "redis"]


# --- servers --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_or_skip("the proxy on Redis") as url:
        yield url


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeChatGPTBackend, str]]:
    """One fake backend over HTTP for the module: (backend, its API base URL)."""
    backend = FakeChatGPTBackend()
    with backend.serve() as fake:
        yield backend, fake.url + BASE_PATH


@pytest.fixture
def backend(served: tuple[FakeChatGPTBackend, str]) -> FakeChatGPTBackend:
    served[0].reset()
    return served[0]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_url(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh store of this test's kind, as a ``response_store`` URL."""
    if kind == "redis":
        base = request.getfixturevalue("redis_url")
        return f"{base}?prefix=test-{uuid.uuid4().hex[:12]}:"
    return f"sqlite:///{tmp_path / 'data' / 'responses.sqlite3'}"


def with_option(url: str, option: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{option}"


@contextmanager
def proxy(
    served: tuple[FakeChatGPTBackend, str],
    store: ResponseStore | str | None,
    *,
    api_key: str | None = None,
    config: ProxyConfig | None = None,
) -> Iterator[str]:
    """The proxy under uvicorn (``chatgpt-sdk serve``'s options); yields its ``/v1`` URL."""
    backend, base_url = served

    def make_client() -> AsyncChatGPT:
        return AsyncChatGPT(
            token_provider=StaticTokenProvider(backend.access_token, account_id=backend.account_id),
            base_url=base_url,
            http_client=httpx.AsyncClient(timeout=TIMEOUT),
            max_retries=0,
            model_catalog=backend.model_catalog,
        )

    with uvicorn_proxy(make_client, config, api_key=api_key, response_store=store) as port:
        yield f"http://127.0.0.1:{port}/v1"


def client_of(url: str, key: str = "unused-on-loopback") -> openai.OpenAI:
    # max_retries=0: one call is one request, so the backend's log is exactly what was sent.
    return openai.OpenAI(base_url=url, api_key=key, max_retries=0, timeout=TIMEOUT)


# --- what reached the backend ---------------------------------------------------------------


def posts(backend: FakeChatGPTBackend) -> list[RecordedRequest]:
    return [q for q in backend.requests if q.path == BASE_PATH + "/responses"]


def last_input(backend: FakeChatGPTBackend) -> list[dict[str, Any]]:
    body = posts(backend)[-1].json
    assert body["store"] is False
    assert "previous_response_id" not in body
    return list(body["input"])


def text_of(item: dict[str, Any]) -> str:
    content = item.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content)
    if item.get("type") == "function_call":
        return f"{item['name']}({item['arguments']})"
    if item.get("type") == "function_call_output":
        return str(item["output"])
    if item.get("type") == "reasoning":
        return "".join(str(part.get("text", "")) for part in item.get("summary") or ())
    return ""


def shape(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What a replay must keep of each item: its kind, role, call id and text, in order."""
    return [
        (item.get("type", "message"), item.get("role"), item.get("call_id"), text_of(item))
        for item in items
    ]


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def assert_replayable(items: list[dict[str, Any]]) -> None:
    """No server ids (nothing is stored upstream), reasoning with its encrypted content."""
    for item in items:
        assert "id" not in item, item
        assert item.get("type") != "item_reference"
        if item.get("type") == "reasoning":
            assert item.get("encrypted_content", "").startswith("gAAAA")


def output_dicts(response: Any) -> list[dict[str, Any]]:
    return [item.model_dump(exclude_none=True) for item in response.output]


def create(client: openai.OpenAI, *, stream: bool, **params: Any) -> Any:
    """``responses.create``, streamed or not; the final Response either way."""
    if not stream:
        return client.responses.create(model=MODEL, **params)
    events = list(client.responses.create(model=MODEL, stream=True, **params))
    completed = [e for e in events if e.type == "response.completed"]
    assert len(completed) == 1, [e.type for e in events]
    created = [e for e in events if e.type == "response.created"]
    assert created
    assert created[0].response.previous_response_id == params.get("previous_response_id")
    return completed[0].response


def call_of(response: Any) -> Any:
    (call,) = [item for item in response.output if item.type == "function_call"]
    return call


# --- previous_response_id -------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_a_five_turn_chain_with_tool_calls_and_reasoning(
    served: tuple[FakeChatGPTBackend, str],
    backend: FakeChatGPTBackend,
    store_url: str,
    stream: bool,
) -> None:
    """Agents-SDK shaped: each turn sends only what is new and names the previous response; the
    backend gets the whole conversation, in order, every time."""
    turns: list[tuple[list[Any], dict[str, Any]]] = [
        (
            [user("What's the weather in Paris?")],
            {"tool_calls": [("get_weather", '{"city":"Paris"}')]},
        ),
        ([None], {"text": "Sunny, 21 C in Paris."}),  # None: the output of the previous call
        ([user("And in Rome?")], {"tool_calls": [("get_weather", '{"city":"Rome"}')]}),
        ([None], {"text": "Rome: 25 C."}),
        ([user("Thanks! Which is warmer?")], {"text": "Rome is warmer."}),
    ]
    with proxy(served, store_url) as url, client_of(url) as client:
        history: list[dict[str, Any]] = []
        previous: Any = None
        for number, (new, reply) in enumerate(turns, 1):
            backend.reply(
                reply.get("text"),
                reasoning_summary=f"Turn {number}.",
                tool_calls=reply.get("tool_calls", ()),
            )
            items = [
                {
                    "type": "function_call_output",
                    "call_id": call_of(previous).call_id,
                    "output": json.dumps({"temperature": 20 + number}),
                }
                if item is None
                else item
                for item in new
            ]
            params: dict[str, Any] = {"input": items, "tools": TOOLS, "reasoning": REASONING}
            if previous is not None:
                params["previous_response_id"] = previous.id
            response = create(client, stream=stream, **params)
            assert response.status == "completed"
            assert response.previous_response_id == (previous.id if previous else None)
            assert response.store is True
            sent = last_input(backend)
            assert_replayable(sent)
            assert shape(sent) == shape([*history, *items])
            history += [*items, *output_dicts(response)]
            kinds = [item.type for item in response.output]
            assert kinds[0] == "reasoning"
            previous = response
        assert len(posts(backend)) == len(turns)
        # The last request held every turn: four of (input, reasoning, call or message), one new.
        assert len(last_input(backend)) == 4 * 3 + 1

        # The chain's responses are all readable, each naming its predecessor.
        again = client.responses.retrieve(previous.id)
        assert again.id == previous.id
        assert again.previous_response_id is not None
        assert again.output_text == previous.output_text


# --- item_reference -------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_item_references_as_the_vercel_ai_sdk_sends_them(
    served: tuple[FakeChatGPTBackend, str],
    backend: FakeChatGPTBackend,
    store_url: str,
    stream: bool,
) -> None:
    """The AI SDK's Responses provider (store on, its default) sends every later turn as the whole
    conversation with the assistant's items as ``item_reference``s: reasoning, calls, text."""
    system = {"role": "system", "content": "You are a weather bot."}
    user = {"role": "user", "content": [{"type": "input_text", "text": "Weather in Paris?"}]}
    with proxy(served, store_url) as url, client_of(url) as client:
        backend.reply(
            reasoning_summary="Look it up.", tool_calls=[("get_weather", '{"city":"Paris"}')]
        )
        first = create(
            client, stream=stream, input=[system, user], tools=TOOLS, reasoning=REASONING
        )
        reasoning, call = first.output
        assert reasoning.type == "reasoning"
        assert call.type == "function_call"
        output = {"type": "function_call_output", "call_id": call.call_id, "output": "21 C"}

        backend.reply("Sunny and 21 C.", reasoning_summary="Answer.")
        second = create(
            client,
            stream=stream,
            input=[
                system,
                user,
                {"type": "item_reference", "id": reasoning.id},
                {"type": "item_reference", "id": call.id},
                output,
            ],
            tools=TOOLS,
            reasoning=REASONING,
        )
        assert second.output_text == "Sunny and 21 C."
        sent = last_input(backend)
        assert_replayable(sent)
        assert shape(sent) == shape(
            [
                {**system, "role": "developer"},
                user,
                *output_dicts(first),
                output,
            ]
        )
        (sent_reasoning,) = [item for item in sent if item.get("type") == "reasoning"]
        assert sent_reasoning["encrypted_content"] == reasoning.encrypted_content

        # Third turn: the earlier references again, plus the second reply's items.
        backend.reply("You're welcome.")
        message = second.output[-1]
        third = create(
            client,
            stream=stream,
            input=[
                system,
                user,
                {"type": "item_reference", "id": reasoning.id},
                {"type": "item_reference", "id": call.id},
                output,
                {"type": "item_reference", "id": second.output[0].id},
                {"type": "item_reference", "id": message.id},
                {"role": "user", "content": [{"type": "input_text", "text": "Thanks"}]},
            ],
            tools=TOOLS,
        )
        assert third.output_text == "You're welcome."
        sent = last_input(backend)
        assert_replayable(sent)
        assert [text_of(item) for item in sent if item.get("role") == "assistant"] == [
            "Sunny and 21 C."
        ]

        # The references were kept resolved: the stored input lists the items they named.
        listed = client.responses.input_items.list(second.id, order="asc")
        ids = [item.id for item in listed]
        assert ids[2:4] == [reasoning.id, call.id]


# --- GET, DELETE, input_items ---------------------------------------------------------------


def test_get_input_items_and_delete(
    served: tuple[FakeChatGPTBackend, str], backend: FakeChatGPTBackend, store_url: str
) -> None:
    with proxy(served, store_url) as url, client_of(url) as client:
        backend.reply("First.")
        first = client.responses.create(model=MODEL, input="one", instructions="Be brief.")
        backend.reply("Second.")
        second = client.responses.create(
            model=MODEL,
            previous_response_id=first.id,
            input=[
                {"role": "user", "content": "two"},
                {"role": "user", "content": [{"type": "input_text", "text": "three"}]},
                {"type": "message", "role": "developer", "content": "four"},
            ],
        )
        got = client.responses.retrieve(second.id)
        assert got.model_dump(exclude_none=True) == second.model_dump(exclude_none=True)
        assert got.previous_response_id == first.id
        assert client.responses.retrieve(first.id).instructions == "Be brief."

        # input_items: this turn's input, newest first by default; every item has a stable id.
        page = client.responses.input_items.list(second.id)
        assert [text_of(item.model_dump()) for item in page.data] == ["four", "three", "two"]
        assert all(item.type == "message" for item in page.data)
        assert page.has_more is False
        ids = [item.id for item in page.data]
        assert len(set(ids)) == 3
        assert all(i.startswith("msg_") for i in ids)
        assert [i.id for i in client.responses.input_items.list(second.id)] == ids  # stable
        # Pages of one, oldest first, followed by the openai client through `after`.
        one = client.responses.input_items.list(second.id, limit=1, order="asc")
        assert one.has_more is True
        assert [item.id for item in one] == ids[::-1]  # auto-pagination walks every page
        raw = client.get(
            f"/responses/{second.id}/input_items",
            options={"params": {"limit": 2, "after": ids[0]}},
            cast_to=httpx.Response,
        ).json()
        assert raw["object"] == "list"
        assert [item["id"] for item in raw["data"]] == ids[1:]
        assert (raw["first_id"], raw["last_id"], raw["has_more"]) == (ids[1], ids[2], False)
        for bad in ({"limit": 0}, {"limit": 101}, {"order": "up"}, {"after": "msg_nope"}):
            with pytest.raises(openai.BadRequestError):
                client.get(
                    f"/responses/{second.id}/input_items",
                    options={"params": bad},
                    cast_to=httpx.Response,
                )

        # DELETE: OpenAI's shape, then the response is gone for every use.
        deleted = client.delete(f"/responses/{first.id}", cast_to=httpx.Response).json()
        assert deleted == {"id": first.id, "object": "response.deleted", "deleted": True}
        with pytest.raises(openai.NotFoundError):
            client.responses.retrieve(first.id)
        with pytest.raises(openai.NotFoundError):
            client.responses.delete(first.id)
        with pytest.raises(openai.NotFoundError):
            client.responses.input_items.list(first.id)
        # The chain through it is broken, and the error names the missing link.
        with pytest.raises(openai.BadRequestError) as broken:
            client.responses.create(model=MODEL, previous_response_id=second.id, input="five")
        assert broken.value.code == "previous_response_not_found"
        assert first.id in broken.value.message
        client.responses.delete(second.id)  # the openai client's own call (it returns None)
        with pytest.raises(openai.NotFoundError):
            client.responses.retrieve(second.id)


def test_store_false_and_chat_completions_are_not_kept(
    served: tuple[FakeChatGPTBackend, str], backend: FakeChatGPTBackend, store_url: str
) -> None:
    with proxy(served, store_url) as url, client_of(url) as client:
        backend.reply("Kept.")
        kept = client.responses.create(model=MODEL, input="one")
        backend.reply("Not kept.")
        unkept = client.responses.create(model=MODEL, input="two", store=False)
        assert unkept.store is False
        with pytest.raises(openai.NotFoundError):
            client.responses.retrieve(unkept.id)
        # store=false may still continue a stored conversation; it is just not kept itself.
        backend.reply("Continued.")
        continued = client.responses.create(
            model=MODEL, input="three", previous_response_id=kept.id, store=False
        )
        assert continued.previous_response_id == kept.id
        assert shape(last_input(backend))[:2] == [
            ("message", "user", None, "one"),
            ("message", "assistant", None, "Kept."),
        ]
        with pytest.raises(openai.NotFoundError):
            client.responses.retrieve(continued.id)
        backend.reply("Chat.")
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])
        backend.reply("Streamed chat.")
        list(
            client.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True
            )
        )
    store = open_store(store_url)
    assert store is not None
    try:
        assert store.purge(older_than=0) == 1  # the one kept response, nothing else
    finally:
        store.close()


def test_only_completed_responses_are_kept(
    served: tuple[FakeChatGPTBackend, str], backend: FakeChatGPTBackend, store_url: str
) -> None:
    with proxy(served, store_url) as url, client_of(url) as client:
        backend.incomplete("max_output_tokens", text="cut")
        cut = client.responses.create(model=MODEL, input="one")
        assert cut.status == "incomplete"
        with pytest.raises(openai.NotFoundError):
            client.responses.retrieve(cut.id)
        backend.failed(code="server_is_overloaded")
        with pytest.raises(openai.APIError):
            list(client.responses.create(model=MODEL, input="two", stream=True))
    store = open_store(store_url)
    assert store is not None
    try:
        assert store.purge(older_than=0) == 0
    finally:
        store.close()


# --- errors ---------------------------------------------------------------------------------


def test_unknown_ids_are_named_errors_and_nothing_is_sent(
    served: tuple[FakeChatGPTBackend, str], backend: FakeChatGPTBackend, store_url: str
) -> None:
    with proxy(served, store_url) as url, client_of(url) as client:
        for stream in (False, True):
            with pytest.raises(openai.BadRequestError) as caught:
                create(client, stream=stream, input="hi", previous_response_id="resp_never")
            error = caught.value
            assert error.status_code == 400
            assert error.code == "previous_response_not_found"
            assert error.param == "previous_response_id"
            assert "resp_never" in error.message
        with pytest.raises(openai.BadRequestError) as caught:
            client.responses.create(
                model=MODEL,
                input=[
                    {"role": "user", "content": "hi"},
                    {"type": "item_reference", "id": "msg_never"},
                    {"type": "item_reference", "id": "rs_never_either"},
                ],
            )
        assert caught.value.code == "item_not_found"
        assert "msg_never" in caught.value.message
        assert "rs_never_either" in caught.value.message
        with pytest.raises(openai.NotFoundError) as missing:
            client.responses.retrieve("resp_never")
        body: Any = missing.value.body
        assert set(body) == {"message", "type", "param", "code"}
        assert "resp_never" in body["message"]
        assert body["type"] == "invalid_request_error"
        with pytest.raises(openai.NotFoundError):
            client.responses.delete("resp_never")
        for bad in (123, "", ["resp_1"]):
            with pytest.raises(openai.BadRequestError) as wrong:
                client.responses.create(model=MODEL, input="hi", previous_response_id=bad)  # type: ignore[arg-type]
            assert wrong.value.param == "previous_response_id"
        with pytest.raises(openai.BadRequestError) as not_bool:
            client.responses.create(model=MODEL, input="hi", store="yes")  # type: ignore[arg-type]
        assert not_bool.value.param == "store"
    assert posts(backend) == []


def test_a_conversation_past_the_context_is_relayed_not_cut(
    served: tuple[FakeChatGPTBackend, str], backend: FakeChatGPTBackend, store_url: str
) -> None:
    with proxy(served, store_url) as url, client_of(url) as client:
        previous = None
        for number in range(3):
            backend.reply(f"Answer {number}.")
            previous = client.responses.create(
                model=MODEL,
                input=f"Question {number}",
                previous_response_id=previous.id if previous else None,
            )
        assert previous is not None
        message = "Your input exceeds the context window of this model."
        for stream in (False, True):
            backend.failed(code="context_length_exceeded", message=message)
            with pytest.raises(openai.APIError) as caught:
                create(client, stream=stream, input="One more", previous_response_id=previous.id)
            assert message in str(caught.value.message)
            if not stream:
                assert isinstance(caught.value, openai.BadRequestError)
                assert caught.value.code == "context_length_exceeded"
            # The whole conversation was sent: nothing was cut to make it fit.
            assert len(last_input(backend)) == 3 * 2 + 1
        # And the conversation is intact, ready to continue or to be cut by the caller.
        assert client.responses.retrieve(previous.id).output_text == "Answer 2."


# --- expiry ---------------------------------------------------------------------------------


def test_expired_responses_are_not_found(
    served: tuple[FakeChatGPTBackend, str], backend: FakeChatGPTBackend, store_url: str
) -> None:
    with proxy(served, with_option(store_url, "ttl_seconds=2")) as url, client_of(url) as client:
        backend.reply("Soon gone.")
        first = client.responses.create(model=MODEL, input="hi")
        assert client.responses.retrieve(first.id).id == first.id
        time.sleep(3.1)
        with pytest.raises(openai.NotFoundError):
            client.responses.retrieve(first.id)
        with pytest.raises(openai.BadRequestError) as caught:
            client.responses.create(model=MODEL, input="again", previous_response_id=first.id)
        assert caught.value.code == "previous_response_not_found"
        assert first.id in caught.value.message
        with pytest.raises(openai.BadRequestError) as referenced:
            client.responses.create(
                model=MODEL, input=[{"type": "item_reference", "id": first.output[0].id}]
            )
        assert first.output[0].id in referenced.value.message
    assert len(posts(backend)) == 1


# --- API keys -------------------------------------------------------------------------------


def test_each_key_sees_only_its_own_responses(
    served: tuple[FakeChatGPTBackend, str], backend: FakeChatGPTBackend, store_url: str, kind: str
) -> None:
    config = ProxyConfig.model_validate({"api_keys": [KEY_A, KEY_B]})
    with (
        proxy(served, store_url, api_key=KEY_C, config=config) as url,
        client_of(url, KEY_A) as a,
        client_of(url, KEY_B) as b,
        client_of(url, KEY_C) as c,
        client_of(url, "sk-wrong") as wrong,
    ):
        backend.reply("For A only.", tool_calls=[("get_weather", '{"city":"Oslo"}')])
        mine = a.responses.create(model=MODEL, input="secret", tools=TOOLS)
        call = call_of(mine)
        before = len(posts(backend))
        for other in (b, c):  # the other config key, and the --api-key one
            with pytest.raises(openai.NotFoundError):
                other.responses.retrieve(mine.id)
            with pytest.raises(openai.NotFoundError):
                other.responses.input_items.list(mine.id)
            with pytest.raises(openai.NotFoundError):
                other.responses.delete(mine.id)
            with pytest.raises(openai.BadRequestError) as chained:
                other.responses.create(model=MODEL, input="hi", previous_response_id=mine.id)
            assert chained.value.code == "previous_response_not_found"
            with pytest.raises(openai.BadRequestError) as referenced:
                other.responses.create(
                    model=MODEL, input=[{"type": "item_reference", "id": call.id}]
                )
            assert referenced.value.code == "item_not_found"
        assert len(posts(backend)) == before  # none of it reached the backend
        with pytest.raises(openai.AuthenticationError):
            wrong.responses.retrieve(mine.id)
        # The owner still has it all, and the --api-key key keeps its own.
        assert a.responses.retrieve(mine.id).output_text == "For A only."
        backend.reply("For C.")
        theirs = c.responses.create(model=MODEL, input="mine")
        assert c.responses.retrieve(theirs.id).id == theirs.id
        with pytest.raises(openai.NotFoundError):
            a.responses.retrieve(theirs.id)

    # The store knows owners by a digest of the key, never the key.
    store = open_store(store_url)
    assert store is not None
    try:
        for owner in (None, KEY_A, owner_of(KEY_B)):
            assert store.get(mine.id, owner=owner) is None
        kept = store.get(mine.id, owner=owner_of(KEY_A))
        assert kept is not None
        assert kept.owner == owner_of(KEY_A) != owner_of(KEY_B)
        assert KEY_A not in (kept.owner or "")
    finally:
        store.close()
    for key in (KEY_A, KEY_B, KEY_C):
        assert key.encode() not in stored_bytes(store_url, kind)


def stored_bytes(store_url: str, kind: str) -> bytes:
    """Every byte the store holds (files, or every key and value under the prefix)."""
    if kind == "sqlite":
        path = Path(store_url.removeprefix("sqlite://"))
        return b"".join(p.read_bytes() for p in path.parent.iterdir())
    import redis

    base, _, query = store_url.partition("?")
    prefix = query.removeprefix("prefix=")
    connection = redis.Redis.from_url(base)
    try:
        found = b""
        for key in connection.scan_iter(match=f"{prefix}*"):
            kind = connection.type(key)
            if kind == b"string":
                found += key + (connection.get(key) or b"")
            elif kind == b"zset":
                found += key + b"".join(connection.zrange(key, 0, -1))
            else:
                found += key + str(kind).encode()
        assert found
        return found
    finally:
        connection.close()


# --- several proxy processes on one Redis ---------------------------------------------------

_PROXY_PROCESS = """
import asyncio, json, os, socket, sys

import httpx, uvicorn

from chatgpt_sdk import AsyncChatGPT
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.server import ProxyConfig, create_app
from chatgpt_sdk.server._run import server_options

spec = json.loads(os.environ["PROXY_SPEC"])


async def main() -> None:
    client = AsyncChatGPT(
        token_provider=StaticTokenProvider(spec["token"], account_id=spec["account"]),
        base_url=spec["base_url"],
        http_client=httpx.AsyncClient(timeout=10),
        max_retries=0,
    )
    config = ProxyConfig.model_validate({"api_keys": spec["keys"]})
    app = create_app(client, config=config, response_store=spec["store"])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    options = {**server_options(config), "loop": "asyncio"}
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **options))
    try:
        await server.serve(sockets=[sock])
    finally:
        await client.close()


asyncio.run(main())
"""


@contextmanager
def proxy_process(
    served: tuple[FakeChatGPTBackend, str], store: str, keys: list[str], home: Path
) -> Iterator[str]:
    """The proxy in a process of its own; yields its ``/v1`` URL."""
    backend, base_url = served
    spec = {
        "token": backend.access_token,
        "account": backend.account_id,
        "base_url": base_url,
        "store": store,
        "keys": keys,
    }
    env = {**os.environ, "PROXY_SPEC": json.dumps(spec), "XDG_DATA_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-c", _PROXY_PROCESS],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip().isdigit(), process.stderr.read() if process.stderr else line
        url = f"http://127.0.0.1:{int(line)}"
        deadline = time.monotonic() + 15
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the proxy process did not start"
            time.sleep(0.05)
        yield url + "/v1"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_two_proxy_processes_share_one_redis(
    served: tuple[FakeChatGPTBackend, str],
    backend: FakeChatGPTBackend,
    redis_url: str,
    tmp_path: Path,
) -> None:
    """Replicas behind a load balancer: each turn may land on either, and finds the others'."""
    store = f"{redis_url}?prefix=test-{uuid.uuid4().hex[:12]}:"
    keys = [KEY_A, KEY_B]
    with (
        proxy_process(served, store, keys, tmp_path) as one,
        proxy_process(served, store, keys, tmp_path) as two,
        client_of(one, KEY_A) as a1,
        client_of(two, KEY_A) as a2,
        client_of(two, KEY_B) as b2,
    ):
        backend.reply(reasoning_summary="Check.", tool_calls=[("get_weather", '{"city":"Paris"}')])
        first = a1.responses.create(model=MODEL, input="Weather?", tools=TOOLS, reasoning=REASONING)
        call = call_of(first)
        backend.reply("21 C.")
        output = {"type": "function_call_output", "call_id": call.call_id, "output": "21"}
        second = create(a2, stream=True, input=[output], previous_response_id=first.id, tools=TOOLS)
        backend.reply("Again 21 C.")
        third = a1.responses.create(model=MODEL, input="Sure?", previous_response_id=second.id)
        assert shape(last_input(backend)) == shape(
            [
                user("Weather?"),
                *output_dicts(first),
                output,
                *output_dicts(second),
                user("Sure?"),
            ]
        )
        assert a2.responses.retrieve(third.id).previous_response_id == second.id
        backend.reply("Referenced.")
        a2.responses.create(
            model=MODEL,
            input=[
                {"role": "user", "content": "Weather?"},
                {"type": "item_reference", "id": first.output[0].id},
                {"type": "item_reference", "id": call.id},
                output,
            ],
            tools=TOOLS,
        )
        assert [item.get("type", "message") for item in last_input(backend)] == [
            "message",
            "reasoning",
            "function_call",
            "function_call_output",
        ]
        # The same key is the same owner on every replica; another key is not.
        with pytest.raises(openai.NotFoundError):
            b2.responses.retrieve(first.id)
        a2.responses.delete(first.id)
        with pytest.raises(openai.NotFoundError):
            a1.responses.retrieve(first.id)


# --- no store -------------------------------------------------------------------------------


def test_response_store_none_keeps_nothing_and_says_so(
    served: tuple[FakeChatGPTBackend, str], backend: FakeChatGPTBackend
) -> None:
    config = ProxyConfig.model_validate({"response_store": "none"})
    with proxy(served, None, config=config) as url, client_of(url) as client:
        backend.reply("Not kept.")
        response = client.responses.create(model=MODEL, input="hi")
        assert response.store is False
        with pytest.raises(openai.NotFoundError):
            client.responses.retrieve(response.id)
        with pytest.raises(openai.BadRequestError) as caught:
            client.responses.create(model=MODEL, input="hi", previous_response_id=response.id)
        assert "response_store: none" in caught.value.message
        assert caught.value.code == "previous_response_not_found"
        with pytest.raises(openai.BadRequestError) as referenced:
            client.responses.create(
                model=MODEL, input=[{"type": "item_reference", "id": response.output[0].id}]
            )
        assert "response_store: none" in referenced.value.message
    assert len(posts(backend)) == 1
