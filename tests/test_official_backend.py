"""The official "Sign in with ChatGPT" backend on the wire (SIWC.md section 3), against respx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from client_support import Api, recorded, recorded_events, sse

from chatgpt_sdk import errors
from chatgpt_sdk._backends.official import USAGE_SETTINGS_URL
from chatgpt_sdk.auth import StaticTokenProvider

BASE = "https://api.openai.test/v1"
EVENT_STREAM = {"content-type": "text/event-stream"}
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        from chatgpt_sdk.models.catalog_snapshot import MODELS

        router.get("/models").mock(return_value=httpx.Response(200, json={"models": list(MODELS)}))
        yield router


def official(mode: str, **kwargs: Any) -> Api:
    kwargs.setdefault("token_provider", StaticTokenProvider("tok-official", account_id="acc-9"))
    return Api(mode, backend="official", base_url=BASE, **kwargs)


def body_of(call: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(call.request.content)
    return data


def test_the_minimal_request_is_what_the_route_documents(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(200, content=recorded("text"), headers=EVENT_STREAM)
    )
    api = official(mode)
    assert api.client.backend == "official"
    result = api.create(model="gpt-6.1-sol", input="hi", instructions="Be brief.")
    assert result.output_text == "Hello! How can I help?"
    request = route.calls.last.request
    assert body_of(route.calls.last) == {
        "model": "gpt-6.1-sol",
        "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}
        ],
        "instructions": "Be brief.",
        "store": False,
        "stream": True,
        "prompt_cache_key": api.client.session_id,
    }
    headers = {name.lower() for name in request.headers}
    assert request.headers["authorization"] == "Bearer tok-official"
    # No account header, no Codex identity, no compression (SIWC 3.1).
    for codex_only in (
        "chatgpt-account-id",
        "originator",
        "version",
        "session-id",
        "thread-id",
        "x-client-request-id",
        "x-codex-routing-hint",
        "x-openai-internal-codex-responses-lite",
        "content-encoding",
    ):
        assert codex_only not in headers
    assert "codex" not in request.headers["user-agent"]
    catalog = mock.routes[0].calls.last.request
    assert catalog.url.params == httpx.QueryParams()  # no client_version here


def test_tools_go_in_an_additional_tools_item_and_hosted_ones_are_refused(
    mode: str, mock: respx.MockRouter
) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(200, content=recorded("text"), headers=EVENT_STREAM)
    )
    with pytest.warns(errors.UnsupportedParameterWarning, match=r"tools\[2\] \(file_search\)"):
        official(mode).create(
            model="gpt-5.5",
            input="weather?",
            tools=[
                WEATHER,
                {"type": "web_search"},
                {"type": "file_search", "vector_store_ids": ["v"]},
            ],
        )
    sent = body_of(route.calls.last)
    assert sent["tools"] == [{"type": "web_search"}]
    assert sent["input"][0] == {
        "type": "additional_tools",
        "role": "developer",
        "tools": [
            {"type": "namespace", "name": "functions", "description": "", "tools": [WEATHER]}
        ],
    }


def test_unsupported_fields_and_service_tier_are_dropped(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(200, content=recorded("text"), headers=EVENT_STREAM)
    )
    with pytest.warns(errors.UnsupportedParameterWarning) as caught:
        official(mode).create(
            model="gpt-5.5",
            input="x",
            service_tier="priority",
            max_output_tokens=5,
            truncation="auto",
        )
    message = str(caught[0].message)
    for name in ("service_tier", "max_output_tokens", "truncation"):
        assert name in message
    assert not {"service_tier", "max_output_tokens", "truncation"} & set(body_of(route.calls.last))


def test_images_are_sent_inline(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(200, content=recorded("text"), headers=EVENT_STREAM)
    )
    image = {
        "type": "input_image",
        "image_url": "data:image/png;base64,iVBORw0KGgo=",
        "detail": "low",
    }
    official(mode).create(model="gpt-5.5", input=[{"role": "user", "content": [image]}])
    assert body_of(route.calls.last)["input"][0]["content"] == [image]


def test_replayed_calls_name_their_namespace(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(200, content=recorded("text"), headers=EVENT_STREAM)
    )
    call = {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{}"}
    output = {"type": "function_call_output", "call_id": "c1", "output": "sunny"}
    official(mode).create(model="gpt-5.5", input=[call, output], tools=[WEATHER])
    assert body_of(route.calls.last)["input"][1] == {**call, "namespace": "functions"}


def test_an_untyped_event_stream_is_accepted(mode: str, mock: respx.MockRouter) -> None:
    mock.post("/responses").mock(return_value=httpx.Response(200, content=recorded("text")))
    assert official(mode).create(model="gpt-5.5", input="x").output_text


def test_a_typed_non_stream_is_still_refused(mode: str, mock: respx.MockRouter) -> None:
    mock.post("/responses").mock(
        return_value=httpx.Response(200, text="<html>", headers={"content-type": "text/html"})
    )
    with pytest.raises(errors.StreamError, match="expected an event stream"):
        official(mode, max_retries=0).create(model="gpt-5.5", input="x")


@pytest.mark.parametrize(
    ("status", "code", "error", "calls"),
    [
        (429, "subscription_sharing_usage_limit_exceeded", errors.UsageLimitError, 1),
        (403, "subscription_sharing_user_not_eligible", errors.PermissionDeniedError, 1),
        (403, "subscription_sharing_v2_user_not_eligible", errors.PermissionDeniedError, 1),
        (400, "subscription_sharing_unsupported_capability", errors.UnsupportedParameterError, 1),
        (403, "subscription_sharing_route_not_supported", errors.PermissionDeniedError, 1),
        (403, "chatpass_v2_scope_not_authorized", errors.PermissionDeniedError, 1),
        (503, "subscription_sharing_usage_unavailable", errors.InternalServerError, 3),
        (503, "subscription_sharing_user_unavailable", errors.InternalServerError, 3),
        (429, "something_new", errors.RateLimitError, 3),  # an unknown 429 is retried
        (500, None, errors.InternalServerError, 3),
    ],
)
def test_each_error_code_is_typed_and_retried_as_documented(
    mode: str,
    mock: respx.MockRouter,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    code: str | None,
    error: type[Exception],
    calls: int,
) -> None:
    from chatgpt_sdk import _core

    async def asleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(_core, "sleep", lambda seconds: None)
    monkeypatch.setattr(_core, "asleep", asleep)
    body: dict[str, Any] = {"error": {"code": code, "message": "no", "param": "service_tier"}}
    route = mock.post("/responses").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(error) as info:
        official(mode, max_retries=2).create(model="gpt-5.5", input="x")
    assert route.call_count == calls
    if error is errors.UsageLimitError:
        assert info.value.resets_at is None  # never invented (SIWC 3.6)
        assert USAGE_SETTINGS_URL in str(info.value)
    if error is errors.UnsupportedParameterError:
        assert info.value.parameters == ("service_tier",)


def test_a_usage_limit_mid_stream_is_a_usage_limit_error(mode: str, mock: respx.MockRouter) -> None:
    events = recorded_events("text")[:3]
    events.append(
        {
            "type": "response.failed",
            "sequence_number": 3,
            "response": {
                **events[0]["response"],
                "status": "failed",
                "error": {"code": "subscription_sharing_usage_limit_exceeded", "message": "limit"},
            },
        }
    )
    mock.post("/responses").mock(
        return_value=httpx.Response(200, content=sse(events), headers=EVENT_STREAM)
    )
    _, error = official(mode).stream_until_error(model="gpt-5.5", input="x")
    assert isinstance(error, errors.UsageLimitError)
    assert error.resets_at is None


def test_the_codex_backend_is_the_default_and_can_be_named(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHATGPT_BACKEND", raising=False)
    assert Api(mode).client.backend == "codex"
    monkeypatch.setenv("CHATGPT_BACKEND", "official")
    assert Api(mode, base_url=BASE).client.backend == "official"
    assert Api(mode, backend="codex").client.backend == "codex"  # the argument wins
    monkeypatch.setenv("CHATGPT_BACKEND", "other")
    with pytest.raises(ValueError, match="CHATGPT_BACKEND"):
        Api(mode)


def test_a_provider_says_which_backend_it_serves(mode: str) -> None:
    class OfficialProvider(StaticTokenProvider):
        backend = "official"

    api = Api(mode, token_provider=OfficialProvider("t"), base_url=None)
    assert api.client.backend == "official"
    assert api.client._core.base_url == "https://api.openai.com/v1"
