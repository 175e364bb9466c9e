"""The model catalog on the request path: fetched once, revalidated by ETag, with a fallback."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from client_support import BASE, Api, catalog_response, recorded, stream_response

from chatgpt_sdk import AsyncChatGPT, ChatGPT, errors
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.catalog import ModelCatalog, default_catalog
from chatgpt_sdk.normalize import LITE_HEADER


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def lite_header_of(call: Any) -> str | None:
    value = call.request.headers.get(LITE_HEADER)
    return str(value) if value is not None else None


def test_one_catalog_fetch_serves_many_requests_of_sync_and_async_clients(
    mock: respx.MockRouter,
) -> None:
    catalog = mock.get("/models").mock(return_value=catalog_response())
    route = mock.post("/responses").mock(
        side_effect=lambda request: stream_response(recorded("text"))
    )
    Api("sync").create(model="gpt-6.2-sol", input="a")
    Api("sync").create(model="gpt-5.5", input="b")
    Api("async").create(model="gpt-6-luna", input="c")
    assert catalog.call_count == 1
    assert catalog.calls.last.request.url.params["client_version"] == "0.171.0"
    assert [lite_header_of(c) for c in route.calls] == ["true", None, "true"]


def test_another_account_reads_its_own_catalog(mock: respx.MockRouter) -> None:
    catalog = mock.get("/models").mock(return_value=catalog_response())
    mock.post("/responses").mock(side_effect=lambda request: stream_response(recorded("text")))
    Api("sync").create(model="gpt-5.5", input="a")
    other = StaticTokenProvider("tok-2", account_id="acc-2")
    Api("sync", token_provider=other).create(model="gpt-5.5", input="b")
    assert catalog.call_count == 2
    assert [c.request.headers["chatgpt-account-id"] for c in catalog.calls] == ["acc-1", "acc-2"]


def test_concurrent_first_requests_fetch_the_catalog_once(mock: respx.MockRouter) -> None:
    def slow_catalog(request: httpx.Request) -> httpx.Response:
        time.sleep(0.2)
        return catalog_response()

    catalog = mock.get("/models").mock(side_effect=slow_catalog)
    mock.post("/responses").mock(side_effect=lambda request: stream_response(recorded("text")))
    client = ChatGPT(token_provider=StaticTokenProvider("t", account_id="a"), base_url=BASE)
    threads = [
        threading.Thread(target=client.responses.create, kwargs={"model": "gpt-5.5", "input": "x"})
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    async def many() -> None:
        async with AsyncChatGPT(
            token_provider=StaticTokenProvider("t", account_id="b"), base_url=BASE
        ) as aclient:
            await asyncio.gather(
                *(aclient.responses.create(model="gpt-5.5", input="x") for _ in range(8))
            )

    asyncio.run(many())
    assert catalog.call_count == 2  # one per account, whatever the concurrency


def test_expired_catalog_is_revalidated_with_its_etag_and_a_304_keeps_it(
    mode: str, mock: respx.MockRouter
) -> None:
    catalog = mock.get("/models").mock(
        side_effect=[catalog_response(), httpx.Response(304, headers={"etag": '"catalog-1"'})]
    )
    route = mock.post("/responses").mock(
        side_effect=lambda request: stream_response(recorded("text"))
    )
    cache = ModelCatalog(ttl=0.0)  # every request revalidates
    api = Api(mode, model_catalog=cache)
    api.create(model="gpt-6.2-sol", input="a")
    api.create(model="gpt-6.2-sol", input="b")
    assert catalog.call_count == 2
    assert "if-none-match" not in catalog.calls[0].request.headers
    assert catalog.calls[1].request.headers["if-none-match"] == '"catalog-1"'
    assert [lite_header_of(c) for c in route.calls] == ["true", "true"]


def test_a_catalog_that_cannot_be_read_falls_back_to_the_builtin_table(
    mode: str, mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    catalog = mock.get("/models").mock(return_value=httpx.Response(503, json={"detail": "busy"}))
    route = mock.post("/responses").mock(
        side_effect=lambda request: stream_response(recorded("text"))
    )
    api = Api(mode)
    api.create(model="gpt-6.2-sol", input="a")
    api.create(model="gpt-5.5", input="b")
    assert catalog.call_count == 1  # the fallback stands for a while; no retry storm
    assert [lite_header_of(c) for c in route.calls] == ["true", None]
    assert "could not read the model catalog" in caplog.text


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json={"data": []}),
        httpx.ConnectError("refused"),
    ],
)
def test_unusable_catalog_answers_fall_back_too(mock: respx.MockRouter, answer: Any) -> None:
    mock.get("/models").mock(side_effect=[answer])
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    Api("sync").create(model="gpt-6.2-sol", input="a")
    assert lite_header_of(route.calls.last) == "true"


def test_an_authentication_failure_of_the_catalog_is_raised(mock: respx.MockRouter) -> None:
    mock.get("/models").mock(return_value=httpx.Response(401, json={"detail": "expired"}))
    route = mock.post("/responses")
    with pytest.raises(errors.AuthenticationError):
        Api("sync").create(model="gpt-6.2-sol", input="a")
    assert route.call_count == 0


def test_the_live_catalog_beats_the_builtin_table(mode: str, mock: respx.MockRouter) -> None:
    models = [
        {"slug": "gpt-6.2-sol", "use_responses_lite": False},
        {"slug": "new-lite", "use_responses_lite": True},
    ]
    mock.get("/models").mock(return_value=httpx.Response(200, json={"models": models}))
    route = mock.post("/responses").mock(
        side_effect=lambda request: stream_response(recorded("text"))
    )
    api = Api(mode)
    api.create(model="gpt-6.2-sol", input="a")
    api.create(model="new-lite", input="b")
    assert [lite_header_of(c) for c in route.calls] == [None, "true"]


def test_unknown_model_is_sent_classic_and_a_404_says_so(mode: str, mock: respx.MockRouter) -> None:
    mock.get("/models").mock(return_value=catalog_response())
    route = mock.post("/responses").mock(
        return_value=httpx.Response(404, json={"detail": "Model not found"})
    )
    with pytest.raises(errors.NotFoundError) as info:
        Api(mode).create(model="gpt-7-preview", input="a")
    assert lite_header_of(route.calls.last) is None
    message = str(info.value)
    assert "Model not found" in message
    assert "'gpt-7-preview' is not in the model catalog" in message
    assert "responses_lite=True" in message


def test_per_call_and_per_client_overrides_choose_the_shape(
    mode: str, mock: respx.MockRouter
) -> None:
    mock.get("/models").mock(return_value=catalog_response())
    route = mock.post("/responses").mock(
        side_effect=lambda request: stream_response(recorded("text"))
    )
    Api(mode).create(model="gpt-6.2-sol", input="a", responses_lite=False)
    Api(mode).create(model="gpt-5.5", input="b", responses_lite=True)
    Api(mode, responses_lite=True).create(model="gpt-7-preview", input="c")
    Api(mode, responses_lite=True).create(model="gpt-7-preview", input="d", responses_lite=False)
    assert [lite_header_of(c) for c in route.calls] == [None, "true", "true", None]
    lite_body = json.loads(route.calls[1].request.content)
    assert lite_body["reasoning"]["context"] == "all_turns"


def test_models_list_returns_the_typed_catalog_fields(mode: str, mock: respx.MockRouter) -> None:
    mock.get("/models").mock(return_value=catalog_response())
    models = Api(mode).models()
    sol = next(m for m in models if m.slug == "gpt-6.2-sol")
    assert sol.use_responses_lite is True
    assert sol.supports_search_tool is True
    assert sol.web_search_tool_type == "text_and_image"
    assert sol.input_modalities == ["text", "image"]
    assert sol.default_reasoning_level == "low"
    assert sol.default_verbosity == "low"
    assert sol.support_verbosity is True
    assert [level.effort for level in sol.supported_reasoning_levels or []][-1] == "ultra"


def test_the_default_catalog_is_process_wide() -> None:
    sync = ChatGPT(token_provider=StaticTokenProvider("t"), base_url=BASE)
    asynchronous = AsyncChatGPT(token_provider=StaticTokenProvider("t"), base_url=BASE)
    assert sync._core.catalog is asynchronous._core.catalog is default_catalog()
