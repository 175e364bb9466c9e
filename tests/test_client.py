"""ChatGPT and AsyncChatGPT against respx: the wire request, streaming, errors, retries."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from client_support import (
    BASE,
    SECRET,
    Api,
    Body,
    RecordingProvider,
    catalog_response,
    recorded,
    recorded_events,
    sse,
    stream_response,
)
from pydantic import ValidationError

from chatgpt_sdk import AsyncChatGPT, ChatGPT, errors
from chatgpt_sdk import _core as core_module
from chatgpt_sdk.config import CODEX_VERSION
from chatgpt_sdk.models import responses as r

EVENT_STREAM = {"content-type": "text/event-stream"}
LIMIT_HEADERS = {
    "x-codex-primary-used-percent": "100.0",
    "x-codex-primary-window-minutes": "300",
    "x-codex-primary-reset-at": "1767243600",
    "x-codex-secondary-used-percent": "41.5",
    "x-codex-secondary-window-minutes": "10080",
    "x-codex-secondary-reset-after-seconds": "432000",
    "x-codex-plan-type": "plus",
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/models", name="catalog").mock(return_value=catalog_response())
        yield router


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff delays the client asked for, without waiting them out."""
    seen: list[float] = []

    async def asleep(seconds: float) -> None:
        seen.append(seconds)

    monkeypatch.setattr(core_module, "sleep", seen.append)
    monkeypatch.setattr(core_module, "asleep", asleep)
    return seen


def body_of(call: Any) -> dict[str, Any]:
    return json.loads(call.request.content)


# ---------------------------------------------------------------------------- wire request


def test_typical_request_on_the_wire(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    api = Api(mode, session_id="sess-42")
    result = api.create(model="gpt-5.5", input="Say hi", instructions="Be brief")
    assert result.output_text == "Hello! How can I help?"

    request = route.calls.last.request
    assert request.url == f"{BASE}/responses"
    headers = request.headers
    assert headers["authorization"] == f"Bearer {SECRET}"
    assert headers["chatgpt-account-id"] == "acc-1"
    assert headers["originator"] == "codex_cli_rs"
    assert headers["user-agent"].startswith(f"codex_cli_rs/{CODEX_VERSION} (")
    assert headers["version"] == CODEX_VERSION
    assert headers["session-id"] == "sess-42"
    assert "session_id" not in headers  # Codex 0.171 no longer sends the underscore form
    assert headers["x-client-request-id"] == headers["thread-id"] == "sess-42"
    assert headers["accept"] == "text/event-stream"
    assert headers["content-type"] == "application/json"
    assert body_of(route.calls.last) == {
        "model": "gpt-5.5",
        "input": [
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "Say hi"}],
            }
        ],
        "instructions": "Be brief",
        "store": False,
        "stream": True,
        "prompt_cache_key": "sess-42",
    }


def test_edge_inputs_are_normalised(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    api = Api(mode)
    prior = r.OutputMessage(
        id="msg_old",
        type="message",
        role="assistant",
        status="completed",
        content=[r.OutputTextContent(type="output_text", text="Rome: 24 °C.", annotations=[])],
    )
    api.create(
        model="gpt-5.5",
        input=[
            {"role": "system", "content": "Use metric units."},
            {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"},
            prior,
            {
                "type": "function_call",
                "id": "fc_1",
                "status": "completed",
                "call_id": "call_1",
                "name": "get_weather",
                "arguments": "{}",
            },
            {"type": "function_call_output", "call_id": "call_1", "output": "sunny"},
        ],
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "parameters": {"type": "object"},
                    "strict": True,
                },
            }
        ],
        reasoning={"effort": "high", "summary": "auto"},
        include=["web_search_call.action.sources"],
        prompt_cache_key="conv-7",
        extra_headers={"x-codex-turn-state": "abc"},
        extra_body={"client_metadata": {"x-codex-installation-id": "inst"}},
    )
    sent = body_of(route.calls.last)
    assert "instructions" not in sent  # Codex 0.171 sends none; a default is opt-in
    assert sent["input"] == [
        {"role": "developer", "content": "Use metric units."},
        {"type": "reasoning", "summary": [], "encrypted_content": "gAAA"},
        {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Rome: 24 °C.", "annotations": []}],
        },
        {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "call_1", "output": "sunny"},
    ]
    assert sent["tools"] == [
        {
            "type": "function",
            "name": "get_weather",
            "parameters": {"type": "object"},
            "strict": True,
        }
    ]
    assert sent["include"] == ["web_search_call.action.sources", "reasoning.encrypted_content"]
    assert sent["prompt_cache_key"] == "conv-7"
    sent_headers = route.calls.last.request.headers
    # One conversation id everywhere, as Codex does: the cache key steers the session headers too.
    assert sent_headers["session-id"] == "conv-7"
    assert sent_headers["x-client-request-id"] == "conv-7"
    assert sent["client_metadata"] == {"x-codex-installation-id": "inst"}
    assert route.calls.last.request.headers["x-codex-turn-state"] == "abc"


def test_account_header_is_omitted_when_unknown(mode: str, mock: respx.MockRouter) -> None:
    from chatgpt_sdk.auth import StaticTokenProvider

    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    Api(mode, token_provider=StaticTokenProvider("opaque")).create(model="m", input="x")
    assert "chatgpt-account-id" not in route.calls.last.request.headers


ENV_CASES = [
    (
        {},
        {},
        {"url": "https://chatgpt.com/backend-api/codex/responses", "originator": "codex_cli_rs"},
    ),
    ({"CHATGPT_API_BASE": "https://a.test/x/"}, {}, {"url": "https://a.test/x/responses"}),
    (
        {"OPENAI_CHATGPT_API_BASE": "https://alias.test/y"},
        {},
        {"url": "https://alias.test/y/responses"},
    ),
    (
        {"CHATGPT_API_BASE": "https://env.test"},
        {"base_url": "https://arg.test"},
        {"url": "https://arg.test/responses"},
    ),
    (
        {"CHATGPT_ORIGINATOR": "codex_exec"},
        {},
        {"originator": "codex_exec", "ua_prefix": "codex_exec/"},
    ),
    ({"CHATGPT_ORIGINATOR": "codex_exec"}, {"originator": "mine"}, {"originator": "mine"}),
    ({"CHATGPT_USER_AGENT": "custom-agent/1"}, {}, {"ua": "custom-agent/1"}),
    ({"CHATGPT_USER_AGENT_SUFFIX": "myapp"}, {}, {"ua_suffix": " (myapp)"}),
    ({"CHATGPT_USER_AGENT": "env/1"}, {"user_agent": "arg/2"}, {"ua": "arg/2"}),
    ({"CHATGPT_DEFAULT_INSTRUCTIONS": "Env prompt."}, {}, {"instructions": "Env prompt."}),
    (
        {"CHATGPT_DEFAULT_INSTRUCTIONS": "Env prompt."},
        {"default_instructions": "Arg prompt."},
        {"instructions": "Arg prompt."},
    ),
]


@pytest.mark.parametrize(("env", "kwargs", "expect"), ENV_CASES)
def test_environment_matrix(
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    kwargs: dict[str, str],
    expect: dict[str, str],
) -> None:
    for name in (
        "CHATGPT_API_BASE",
        "OPENAI_CHATGPT_API_BASE",
        "CHATGPT_ORIGINATOR",
        "CHATGPT_USER_AGENT",
        "CHATGPT_USER_AGENT_SUFFIX",
        "CHATGPT_DEFAULT_INSTRUCTIONS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    kwargs = {"base_url": None, **kwargs}
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=r".*/models(\?.*)?$").mock(return_value=catalog_response())
        route = router.post(url__regex=r".*/responses$").mock(
            return_value=stream_response(recorded("text"))
        )
        Api(mode, **kwargs).create(model="gpt-5.5", input="x")
    request = route.calls.last.request
    if "url" in expect:
        assert str(request.url) == expect["url"]
    if "originator" in expect:
        assert request.headers["originator"] == expect["originator"]
    if "ua_prefix" in expect:
        assert request.headers["user-agent"].startswith(expect["ua_prefix"])
    if "ua" in expect:
        assert request.headers["user-agent"] == expect["ua"]
    if "ua_suffix" in expect:
        assert request.headers["user-agent"].endswith(expect["ua_suffix"])
    if "instructions" in expect:
        assert json.loads(request.content)["instructions"] == expect["instructions"]


def test_session_id_is_stable_per_client_and_distinct_across_clients(
    mock: respx.MockRouter,
) -> None:
    route = mock.post("/responses").mock(side_effect=lambda req: stream_response(recorded("text")))
    first = Api("sync")
    first.create(model="m", input="a")
    first.create(model="m", input="b")
    Api("sync").create(model="m", input="c")
    ids = [c.request.headers["session-id"] for c in route.calls]
    keys = [body_of(c)["prompt_cache_key"] for c in route.calls]
    assert ids[0] == ids[1] != ids[2]
    assert keys == ids


# ----------------------------------------------------------------- normaliser and validation


def test_unsupported_parameters_are_removed_with_a_warning(
    mode: str, mock: respx.MockRouter
) -> None:
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    with pytest.warns(errors.UnsupportedParameterWarning) as caught:
        Api(mode).create(
            model="m", input="x", max_output_tokens=50, temperature=0.1, metadata={"a": "b"}
        )
    message = str(caught[0].message)
    for name in ("max_output_tokens", "temperature", "metadata"):
        assert name in message
    sent = body_of(route.calls.last)
    assert not {"max_output_tokens", "temperature", "metadata"} & set(sent)


def test_strict_mode_raises_before_sending(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses")
    with pytest.raises(errors.UnsupportedParameterError) as info:
        Api(mode, strict=True).create(model="m", input="x", top_p=0.5, user="u")
    assert info.value.parameters == ("top_p", "user")
    assert "strict=False" in str(info.value)
    assert not route.called


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input": 42},
        {"input": [{"type": "function_call", "call_id": "c"}]},
        {"tools": [{"type": "function"}]},
        {"reasoning": {"effort": "enormous"}},
    ],
    ids=["input-not-list", "call-missing-name", "tool-missing-name", "bad-effort"],
)
def test_bad_arguments_raise_before_any_request(
    mode: str, mock: respx.MockRouter, kwargs: dict[str, Any]
) -> None:
    route = mock.post("/responses")
    with pytest.raises(ValidationError):
        Api(mode).create(model="m", **{"input": "x", **kwargs})
    assert not route.called


def test_bad_client_settings_are_clear() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        ChatGPT(token_provider=RecordingProvider(), max_retries=-1)
    with pytest.raises(ValueError, match="base_url"):
        ChatGPT(token_provider=RecordingProvider(), base_url="chatgpt.com")


def test_no_credentials_names_the_login_command(
    mode: str, mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "no-codex"))
    route = mock.post("/responses")
    api = Api(mode, token_provider=None)
    with pytest.raises(errors.LoginRequiredError, match="chatgpt-sdk login"):
        api.create(model="m", input="x")
    assert not route.called


# ------------------------------------------------------------------------------- streaming


def test_final_response_is_rebuilt_from_items_when_completed_output_is_empty(
    mode: str, mock: respx.MockRouter
) -> None:
    assert recorded_events("parallel_function_calls")[-1]["response"]["output"] == []
    mock.post("/responses").mock(return_value=stream_response(recorded("parallel_function_calls")))
    result = Api(mode).create(model="gpt-5.5", input="weather?")
    assert isinstance(result, r.Response)
    assert [(i.call_id, i.arguments) for i in result.output] == [
        ("call_R1", '{"city":"Paris"}'),
        ("call_R2", '{"city":"Berlin"}'),
    ]
    assert result.usage is not None
    assert result.usage.input_tokens_details.cached_tokens == 2176
    assert result.status == "completed"


def test_reasoning_item_keeps_encrypted_content_and_usage(
    mode: str, mock: respx.MockRouter
) -> None:
    mock.post("/responses").mock(return_value=stream_response(recorded("reasoning_then_text")))
    result = Api(mode).create(
        model="gpt-5.5", input="x", reasoning={"effort": "medium", "summary": "auto"}
    )
    reasoning, _message = result.output
    assert isinstance(reasoning, r.ReasoningItem)
    assert reasoning.encrypted_content == "gAAAAABpXk2…"
    assert result.output_text == "Use option B."
    assert result.usage.output_tokens_details.reasoning_tokens == 64


def test_non_empty_completed_output_is_authoritative(mode: str, mock: respx.MockRouter) -> None:
    events = recorded_events("text")
    final = {
        "id": "msg_z",
        "type": "message",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": "Authoritative."}],
    }
    events[-1]["response"]["output"] = [final]
    mock.post("/responses").mock(return_value=stream_response(sse(events)))
    assert Api(mode).create(model="m", input="x").output_text == "Authoritative."


def test_items_without_done_events_are_rebuilt_from_deltas(
    mode: str, mock: respx.MockRouter
) -> None:
    events = [
        e
        for e in recorded_events("reasoning_then_text") + recorded_events("function_call")[2:6]
        if e["type"] not in ("response.output_item.done", "response.output_text.done")
    ]
    for e in events:
        if e["type"].startswith("response.function_call") or (
            e["type"] == "response.output_item.added" and e["item"]["type"] == "function_call"
        ):
            e["output_index"] = 2
    events = [e for e in events if e["type"] != "response.completed"] + [
        recorded_events("reasoning_then_text")[-1]
    ]
    mock.post("/responses").mock(return_value=stream_response(sse(events)))
    result = Api(mode).create(model="m", input="x")
    reasoning, message, call = result.output
    assert (
        reasoning.summary[0].text
        == "**Comparing the options**\n\nThe user wants a one-line answer."
    )
    assert message.content[0].text == "Use option B."
    assert message.status == "incomplete"
    assert call.arguments == '{"city":"Paris"}'


def test_stream_yields_typed_events_and_passes_unknown_ones_through(
    mode: str, mock: respx.MockRouter
) -> None:
    events = recorded_events("text")
    events.insert(2, {"type": "response.metadata", "sequence_number": 99, "metadata": {"k": "v"}})
    mock.post("/responses").mock(return_value=stream_response(sse(events)))
    received = Api(mode).stream_events(model="m", input="x")
    assert [e.type for e in received] == [e["type"] for e in events]
    unknown = received[2]
    assert isinstance(unknown, r.UnknownResponseStreamEvent)
    assert unknown.model_extra == {"sequence_number": 99, "metadata": {"k": "v"}}
    assert isinstance(received[-1], r.ResponseCompletedEvent)


def test_stream_helper_gives_text_deltas_and_final_response(
    mode: str, mock: respx.MockRouter
) -> None:
    mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    texts, final = Api(mode).stream_text_and_final(model="m", input="x")
    assert texts == ["Hello", "! How can I help?"]
    assert final.output_text == "Hello! How can I help?"


def test_sse_comments_and_event_lines_are_ignored(mode: str, mock: respx.MockRouter) -> None:
    content = b": keep-alive\n\n" + recorded("text").replace(b"event: ", b"event:  ")
    mock.post("/responses").mock(return_value=stream_response(content))
    assert Api(mode).create(model="m", input="x").output_text == "Hello! How can I help?"


# ----------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "body", "error_type", "text"),
    [
        (
            400,
            {"detail": "Instructions are required"},
            errors.BadRequestError,
            "Instructions are required",
        ),
        (
            400,
            {"detail": "Unsupported parameter: max_output_tokens"},
            errors.UnsupportedParameterError,
            "max_output_tokens",
        ),
        (
            403,
            "<html><title>Attention Required! | Cloudflare</title></html>",
            errors.PermissionDeniedError,
            "Cloudflare",
        ),
        (
            404,
            {"error": {"message": "Item with id 'rs_1' not found."}},
            errors.NotFoundError,
            "rs_1",
        ),
        (
            429,
            {"error": {"type": "rate_limit_exceeded", "message": "Slow down"}},
            errors.RateLimitError,
            "Slow down",
        ),
        (418, {"detail": "teapot"}, errors.APIStatusError, "teapot"),
    ],
)
def test_status_errors(
    mode: str,
    mock: respx.MockRouter,
    delays: list[float],
    status: int,
    body: Any,
    error_type: type[errors.APIStatusError],
    text: str,
) -> None:
    content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    route = mock.post("/responses").mock(
        return_value=httpx.Response(status, content=content, headers={"x-request-id": "req_9"})
    )
    with pytest.raises(error_type) as info:
        Api(mode).create(model="m", input="x")
    error = info.value
    assert type(error) is error_type
    assert error.status_code == status
    assert error.request_id == "req_9"
    assert text in str(error)
    assert route.call_count == 1  # none of these is retried
    if isinstance(body, dict):
        assert error.body == body
    if isinstance(error, errors.UnsupportedParameterError):
        assert error.parameters == ("max_output_tokens",)


def test_usage_limit_429_is_typed_and_never_retried(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    body = {
        "error": {
            "type": "usage_limit_reached",
            "message": "The usage limit has been reached",
            "plan_type": "plus",
            "resets_at": 1767243600,
            "resets_in_seconds": 18000,
        }
    }
    route = mock.post("/responses").mock(
        return_value=httpx.Response(429, json=body, headers=LIMIT_HEADERS)
    )
    api = Api(mode)
    with pytest.raises(errors.UsageLimitError) as info:
        api.create(model="m", input="x")
    error = info.value
    assert route.call_count == 1
    assert error.plan_type == "plus"
    assert error.resets_at is not None
    assert error.resets_at.tzinfo is not None
    assert int(error.resets_at.timestamp()) == 1767243600
    assert error.rate_limits is not None
    assert error.rate_limits.primary is not None
    assert error.rate_limits.primary.used_percent == 100.0
    assert api.client.rate_limits == error.rate_limits
    assert delays == []


def test_usage_limit_falls_back_to_resets_in_seconds(mode: str, mock: respx.MockRouter) -> None:
    body = {"error": {"type": "usage_limit_reached", "message": "limit", "resets_in_seconds": 60}}
    mock.post("/responses").mock(return_value=httpx.Response(429, json=body))
    with pytest.raises(errors.UsageLimitError) as info:
        Api(mode).create(model="m", input="x")
    assert info.value.resets_at is not None
    assert info.value.plan_type is None


def test_5xx_then_success_is_two_requests(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        side_effect=[httpx.Response(502, text="bad gateway"), stream_response(recorded("text"))]
    )
    assert Api(mode).create(model="m", input="x").output_text == "Hello! How can I help?"
    assert route.call_count == 2
    assert len(delays) == 1
    assert 0.3 <= delays[0] <= 0.7


def test_retries_are_bounded_and_honour_retry_after(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(503, json={"detail": "busy"}, headers={"retry-after": "7"})
    )
    with pytest.raises(errors.InternalServerError):
        Api(mode, max_retries=3).create(model="m", input="x")
    assert route.call_count == 4
    assert delays == [7.0, 7.0, 7.0]


def test_connection_errors_are_retried_then_raised(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(errors.APIConnectionError) as info:
        Api(mode, max_retries=1).create(model="m", input="x")
    assert not isinstance(info.value, errors.APITimeoutError)
    assert route.call_count == 2


def test_timeouts_raise_api_timeout_error(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    mock.post("/responses").mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(errors.APITimeoutError):
        Api(mode, max_retries=0).create(model="m", input="x")


def test_idle_stream_timeout_is_a_stream_error(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    chunks = [recorded("text").split(b"\n\n")[0] + b"\n\n"]
    route = mock.post("/responses").mock(
        return_value=httpx.Response(
            200, stream=Body(chunks, httpx.ReadTimeout("idle")), headers=EVENT_STREAM
        )
    )
    events, error = Api(mode, max_retries=0, stream_idle_timeout=5).stream_until_error(
        model="m", input="x"
    )
    assert isinstance(error, errors.StreamError)
    assert "idle timeout" in str(error)
    assert len(events) == 1
    assert route.call_count == 1


def test_per_request_timeout_reaches_httpx(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    Api(mode, stream_idle_timeout=120).create(model="m", input="x", timeout=5.0)
    timeouts = route.calls.last.request.extensions["timeout"]
    assert timeouts["connect"] == 5.0
    assert timeouts["read"] == 120.0


def _partial_stream() -> Body:
    text = recorded("text").split(b"\n\n")
    return Body([b"\n\n".join(text[:6]) + b"\n\n"], httpx.RemoteProtocolError("peer closed"))


def test_dropped_stream_keeps_partial_text_and_is_not_retried_after_events(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(200, stream=_partial_stream(), headers=EVENT_STREAM)
    )
    events, error = Api(mode).stream_until_error(model="m", input="x")
    assert isinstance(error, errors.StreamError)
    assert error.partial_text == "Hello! How can I help?"
    assert [e.type for e in error.events] == [e.type for e in events]
    assert len(events) == 6
    assert route.call_count == 1


def test_dropped_stream_is_retried_when_nothing_reached_the_caller(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        side_effect=[
            httpx.Response(200, stream=_partial_stream(), headers=EVENT_STREAM),
            stream_response(recorded("text")),
        ]
    )
    assert Api(mode).create(model="m", input="x").output_text == "Hello! How can I help?"
    assert route.call_count == 2


def test_stream_closed_before_completed_is_a_stream_error(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    events = recorded_events("text")[:-1]
    mock.post("/responses").mock(return_value=stream_response(sse(events)))
    with pytest.raises(errors.StreamError, match=r"closed before response\.completed") as info:
        Api(mode, max_retries=0).create(model="m", input="x")
    assert info.value.partial_text == "Hello! How can I help?"


def test_malformed_data_line_is_quoted(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    content = recorded("text").split(b"\n\n")[0] + b"\n\ndata: {not json at all\n\n"
    mock.post("/responses").mock(return_value=stream_response(content))
    events, error = Api(mode).stream_until_error(model="m", input="x")
    assert isinstance(error, errors.StreamError)
    assert "{not json at all" in str(error)
    assert not isinstance(error.__cause__, json.JSONDecodeError)
    assert len(events) == 1


def _failed(code: str, message: str) -> bytes:
    events = [
        *recorded_events("text")[:2],
        {
            "type": "response.failed",
            "sequence_number": 2,
            "response": {
                "id": "resp_f",
                "object": "response",
                "created_at": 1,
                "status": "failed",
                "error": {"code": code, "message": message},
            },
        },
    ]
    return sse(events)


def test_response_failed_raises_with_the_backend_code(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        return_value=stream_response(_failed("context_length_exceeded", "Too long"))
    )
    with pytest.raises(errors.ResponseFailedError) as info:
        Api(mode).create(model="m", input="x")
    assert info.value.code == "context_length_exceeded"
    assert info.value.message == "Too long"
    assert route.call_count == 1  # not a retryable code


def test_retryable_response_failed_is_retried_with_the_server_delay(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        side_effect=[
            stream_response(_failed("rate_limit_exceeded", "Please try again in 1.5s.")),
            stream_response(recorded("text")),
        ]
    )
    assert Api(mode).create(model="m", input="x").output_text == "Hello! How can I help?"
    assert route.call_count == 2
    assert delays[0] >= 1.5


def test_response_failed_in_a_stream_is_raised_after_delivered_events(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        return_value=stream_response(_failed("rate_limit_exceeded", "x"))
    )
    events, error = Api(mode).stream_until_error(model="m", input="x")
    assert isinstance(error, errors.ResponseFailedError)
    assert [e.type for e in events] == ["response.created", "response.in_progress"]
    assert route.call_count == 1


def _incomplete() -> bytes:
    events = [
        *recorded_events("text")[:-1],
        {
            "type": "response.incomplete",
            "sequence_number": 10,
            "response": {
                "id": "resp_abc",
                "object": "response",
                "created_at": 1,
                "status": "incomplete",
                "incomplete_details": {"reason": "max_output_tokens"},
                "output": [],
            },
        },
    ]
    return sse(events)


def test_incomplete_gives_a_response_or_an_event(mode: str, mock: respx.MockRouter) -> None:
    mock.post("/responses").mock(side_effect=lambda req: stream_response(_incomplete()))
    api = Api(mode)
    result = api.create(model="m", input="x")
    assert result.status == "incomplete"
    assert result.incomplete_details.reason == "max_output_tokens"
    assert result.output_text == "Hello! How can I help?"
    events = api.stream_events(model="m", input="x")
    assert isinstance(events[-1], r.ResponseIncompleteEvent)


# ------------------------------------------------------------------------------------ auth


def test_401_refreshes_once_then_succeeds(mode: str, mock: respx.MockRouter) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == f"Bearer {SECRET}":
            return httpx.Response(401, json={"error": {"message": "token expired"}})
        return stream_response(recorded("text"))

    route = mock.post("/responses").mock(side_effect=answer)
    provider = RecordingProvider()
    result = Api(mode, token_provider=provider).create(model="m", input="x")
    assert result.output_text == "Hello! How can I help?"
    assert provider.calls[-2:] == [False, True]  # before: the catalog's credentials
    assert provider.calls.count(True) == 1
    assert route.call_count == 2


def test_second_401_is_an_authentication_error(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(
        return_value=httpx.Response(401, json={"detail": "Unauthorized"})
    )
    provider = RecordingProvider()
    with pytest.raises(errors.AuthenticationError) as info:
        Api(mode, token_provider=provider).create(model="m", input="x")
    assert provider.calls[-2:] == [False, True]  # before: the catalog's credentials
    assert provider.calls.count(True) == 1
    assert route.call_count == 2
    assert "chatgpt-sdk login" in str(info.value)


def test_no_token_in_any_error_text(mode: str, mock: respx.MockRouter, delays: list[float]) -> None:
    failures = [
        httpx.Response(401, json={"detail": "nope"}),
        httpx.Response(429, json={"error": {"type": "usage_limit_reached", "plan_type": "pro"}}),
        httpx.Response(500, text="boom"),
        httpx.Response(200, stream=_partial_stream(), headers=EVENT_STREAM),
    ]
    for failure in failures:
        mock.post("/responses").mock(return_value=failure)
        with pytest.raises(errors.ChatGPTError) as info:
            Api(mode, max_retries=0).stream_events(model="m", input="x")
        for text in (str(info.value), repr(info.value)):
            assert SECRET not in text
    from chatgpt_sdk.auth import Credentials

    creds = Credentials(access_token=SECRET, account_id="a")
    assert SECRET not in repr(creds)
    assert SECRET not in str(creds)
    assert SECRET not in repr(Api(mode).client)


# ------------------------------------------------------------------- models and rate limits


def test_models_list_is_typed(mode: str, mock: respx.MockRouter) -> None:
    catalog = {
        "models": [
            {
                "slug": "gpt-5.5",
                "display_name": "GPT-5.5",
                "supported_reasoning_levels": [{"effort": "low", "description": "fast"}],
                "new_field": 1,
            },
            {"slug": "gpt-5.4"},
        ]
    }
    route = mock.get("/models").mock(
        return_value=httpx.Response(200, json=catalog, headers=LIMIT_HEADERS)
    )
    api = Api(mode)
    models = api.models()
    assert [m.slug for m in models] == ["gpt-5.5", "gpt-5.4"]
    assert models[0].supported_reasoning_levels[0].effort == "low"
    assert models[0].model_extra == {"new_field": 1}
    assert route.calls.last.request.url.params["client_version"] == CODEX_VERSION
    assert route.calls.last.request.headers["accept"] == "application/json"
    assert api.client.rate_limits is not None


def test_rate_limits_are_kept_from_every_response(mode: str, mock: respx.MockRouter) -> None:
    mock.post("/responses").mock(return_value=stream_response(recorded("text"), **LIMIT_HEADERS))
    api = Api(mode)
    assert api.client.rate_limits is None
    api.create(model="m", input="x")
    limits = api.client.rate_limits
    assert limits is not None
    assert limits.primary is not None
    assert limits.secondary is not None
    assert limits.primary.window_minutes == 300
    assert int(limits.primary.resets_at.timestamp()) == 1767243600
    assert limits.secondary.used_percent == 41.5
    assert limits.secondary.resets_at is not None  # from reset-after-seconds
    assert limits.plan_type == "plus"


def test_client_context_managers_close_their_own_http_client() -> None:
    with ChatGPT(token_provider=RecordingProvider()) as client:
        http = client._http
    assert http.is_closed

    async def go() -> httpx.AsyncClient:
        async with AsyncChatGPT(token_provider=RecordingProvider()) as aclient:
            return aclient._http

    import asyncio

    assert asyncio.run(go()).is_closed
    shared = httpx.Client()
    ChatGPT(token_provider=RecordingProvider(), http_client=shared).close()
    assert not shared.is_closed
    shared.close()


def test_warning_points_at_the_callers_line(mock: respx.MockRouter) -> None:
    mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    client = ChatGPT(token_provider=RecordingProvider(), base_url=BASE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.responses.create(model="m", input="x", user="u")
    assert caught[0].filename == __file__


def test_a_200_that_is_not_an_event_stream_is_a_clear_stream_error(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    mock.post("/responses").mock(return_value=httpx.Response(200, json={"ok": True}))
    with pytest.raises(errors.StreamError, match="application/json"):
        Api(mode, max_retries=0).create(model="m", input="x")


def test_stream_status_errors_raise_at_create_not_at_iteration(
    mode: str, mock: respx.MockRouter
) -> None:
    mock.post("/responses").mock(
        return_value=httpx.Response(400, json={"detail": "Store must be set to false"})
    )
    api = Api(mode)
    if api.sync:
        with pytest.raises(errors.BadRequestError):
            api.sync.responses.create(model="m", input="x", stream=True)
        return
    client = api.aclient
    assert client is not None

    async def go() -> None:
        with pytest.raises(errors.BadRequestError):
            await client.responses.create(model="m", input="x", stream=True)

    api.run(go())


def test_closing_an_unread_stream_releases_the_response(mode: str, mock: respx.MockRouter) -> None:
    closed: list[bool] = []

    class Tracked(Body):
        def close(self) -> None:
            closed.append(True)

        async def aclose(self) -> None:
            closed.append(True)

    mock.post("/responses").mock(
        return_value=httpx.Response(200, stream=Tracked([recorded("text")]), headers=EVENT_STREAM)
    )
    api = Api(mode)
    if api.sync:
        api.sync.responses.create(model="m", input="x", stream=True).close()
    else:
        client = api.aclient
        assert client is not None

        async def go() -> None:
            stream = await client.responses.create(model="m", input="x", stream=True)
            await stream.close()

        api.run(go())
    assert closed


# ------------------------------------------------------------------------- chat completions


def _text_and_parallel_calls() -> bytes:
    """A recorded two-call stream with a short message item in front of the calls."""
    events = recorded_events("parallel_function_calls")
    message = [e for e in recorded_events("text") if "output_index" in e]
    for e in events:
        if "output_index" in e:
            e["output_index"] += 1
    return sse(events[:2] + message + events[2:])


def test_chat_completion_with_text_and_parallel_calls_over_respx(
    mode: str, mock: respx.MockRouter
) -> None:
    route = mock.post("/responses").mock(return_value=stream_response(_text_and_parallel_calls()))
    completion = Api(mode).chat(
        model="gpt-5.5",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Paris and Berlin?"},
        ],
        tools=[
            {
                "type": "function",
                "function": {"name": "get_weather", "parameters": {"type": "object"}},
            }
        ],
        reasoning_effort="low",
    )
    (choice,) = completion.choices
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "Hello! How can I help?"
    assert [(t.id, t.function.arguments) for t in choice.message.tool_calls] == [
        ("call_R1", '{"city":"Paris"}'),
        ("call_R2", '{"city":"Berlin"}'),
    ]
    assert completion.usage.prompt_tokens_details.cached_tokens == 2176
    sent = body_of(route.calls.last)
    assert sent["instructions"] == "Be brief."
    assert sent["tools"] == [
        {"type": "function", "name": "get_weather", "parameters": {"type": "object"}}
    ]
    assert sent["reasoning"] == {"effort": "low"}
    assert sent["include"] == ["reasoning.encrypted_content"]


def test_streamed_chat_over_respx_numbers_calls_0_and_1(mode: str, mock: respx.MockRouter) -> None:
    mock.post("/responses").mock(return_value=stream_response(_text_and_parallel_calls()))
    chunks = Api(mode).chat_chunks(model="gpt-5.5", messages=[{"role": "user", "content": "hi"}])
    assert len({c.id for c in chunks}) == 1
    assert all(len(c.choices) == 1 for c in chunks)  # no usage chunk unless asked
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices[0].finish_reason]
    assert finishes == ["tool_calls"]
    headers = [tc for c in chunks for tc in c.choices[0].delta.tool_calls or [] if tc.id]
    assert [(tc.index, tc.id, tc.function.name) for tc in headers] == [
        (0, "call_R1", "get_weather"),
        (1, "call_R2", "get_weather"),
    ]
    arguments = {0: "", 1: ""}
    for c in chunks:
        for tc in c.choices[0].delta.tool_calls or []:
            arguments[tc.index] += tc.function.arguments or ""
    assert arguments == {0: '{"city":"Paris"}', 1: '{"city":"Berlin"}'}


def test_chat_n_greater_than_one_is_refused_before_sending(
    mode: str, mock: respx.MockRouter
) -> None:
    route = mock.post("/responses")
    with pytest.raises(errors.BridgeError, match="n"):
        Api(mode).chat(model="gpt-5.5", messages=[{"role": "user", "content": "hi"}], n=2)
    assert not route.called


# ------------------------------------------------------------------ review fixes, each pinned


def test_a_drop_after_the_terminal_event_keeps_the_reply(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    """Once response.completed arrived, what the connection does next is not the reply's business."""
    body = Body([recorded("text")], httpx.RemoteProtocolError("peer closed connection"))
    route = mock.post("/responses").mock(
        return_value=httpx.Response(200, stream=body, headers=EVENT_STREAM)
    )
    api = Api(mode)
    assert api.create(model="m", input="x").output_text == "Hello! How can I help?"
    assert route.call_count == 1
    events = api.stream_events(model="m", input="x")
    assert events[-1].type == "response.completed"
    assert route.call_count == 2


def test_401_then_5xx_refreshes_exactly_once(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        side_effect=[
            httpx.Response(401, json={"detail": "expired"}),
            httpx.Response(503, json={"detail": "busy"}),
            httpx.Response(502, text="bad gateway"),
            stream_response(recorded("text")),
        ]
    )
    provider = RecordingProvider()
    assert (
        Api(mode, token_provider=provider, max_retries=2).create(model="m", input="x").output_text
    )
    # The first two calls are the catalog's (its account, then GET /models).
    assert provider.calls == [False, False, False, True, False, False]
    assert route.call_count == 4


def test_stream_idle_timeout_is_the_read_timeout(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    Api(mode, stream_idle_timeout=5).create(model="m", input="x")
    timeouts = route.calls.last.request.extensions["timeout"]
    assert timeouts["read"] == 5.0
    assert timeouts["connect"] == 60.0


@pytest.mark.parametrize(
    "headers",
    [
        {"x-codex-primary-used-percent": "5", "x-codex-primary-reset-at": "1767243600000"},
        {"x-codex-primary-used-percent": "5", "x-codex-primary-reset-after-seconds": "1e300"},
        {"x-codex-primary-used-percent": "five"},
    ],
    ids=["reset-in-ms", "huge-reset-after", "not-a-number"],
)
def test_malformed_rate_limit_headers_never_fail_a_reply(
    mode: str, mock: respx.MockRouter, headers: dict[str, str]
) -> None:
    mock.post("/responses").mock(return_value=stream_response(recorded("text"), **headers))
    assert Api(mode).create(model="m", input="x").output_text == "Hello! How can I help?"


def test_usage_limit_with_a_millisecond_reset_is_still_typed(
    mode: str, mock: respx.MockRouter
) -> None:
    body = {
        "error": {"type": "usage_limit_reached", "message": "limit", "resets_at": 1767243600000}
    }
    mock.post("/responses").mock(return_value=httpx.Response(429, json=body))
    with pytest.raises(errors.UsageLimitError) as info:
        Api(mode).create(model="m", input="x")
    assert info.value.resets_at is None


def test_an_error_body_that_fails_to_read_keeps_its_status_and_is_retried(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    route = mock.post("/responses").mock(
        side_effect=[
            httpx.Response(500, stream=Body([b'{"det'], httpx.ReadError("reset"))),
            stream_response(recorded("text")),
        ]
    )
    assert Api(mode).create(model="m", input="x").output_text == "Hello! How can I help?"
    assert route.call_count == 2


def test_an_event_that_breaks_the_schema_is_not_retried(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    events = recorded_events("text")
    events[4]["delta"] = 123  # a known event whose field changed type
    route = mock.post("/responses").mock(return_value=stream_response(sse(events)))
    with pytest.raises(errors.StreamError, match="does not match its schema") as info:
        Api(mode).create(model="m", input="x")
    assert info.value.retryable is False
    assert route.call_count == 1


def test_overloaded_503_is_not_retried(
    mode: str, mock: respx.MockRouter, delays: list[float]
) -> None:
    body = {"error": {"code": "server_is_overloaded", "message": "Overloaded"}}
    route = mock.post("/responses").mock(return_value=httpx.Response(503, json=body))
    with pytest.raises(errors.InternalServerError, match="Overloaded"):
        Api(mode).create(model="m", input="x")
    assert route.call_count == 1


def test_an_echoed_token_is_masked(mode: str, mock: respx.MockRouter) -> None:
    """A proxy that echoes the request headers must not put the token into our errors."""
    mock.post("/responses").mock(
        side_effect=lambda request: httpx.Response(
            400, json={"detail": f"bad header: {request.headers['authorization']}"}
        )
    )
    with pytest.raises(errors.BadRequestError) as info:
        Api(mode).create(model="m", input="x")
    for text in (str(info.value), repr(info.value), json.dumps(info.value.body)):
        assert SECRET not in text
    assert "Bearer ***" in str(info.value)


def test_a_missing_model_raises_before_sending(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses")
    with pytest.raises(ValidationError, match="model"):
        Api(mode).create(input="x")
    assert not route.called


def test_forced_fields_set_otherwise_are_reported(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    with pytest.warns(errors.UnsupportedParameterWarning, match="store=False is forced"):
        Api(mode).create(model="m", input="x", store=True)
    assert body_of(route.calls.last)["store"] is False
    with pytest.raises(errors.UnsupportedParameterError):
        Api(mode, strict=True).create(model="m", input="x", store=True)


def test_stream_helper_sends_before_the_first_event_in_both_clients(
    mode: str, mock: respx.MockRouter
) -> None:
    route = mock.post("/responses").mock(return_value=httpx.Response(400, json={"detail": "nope"}))
    api = Api(mode)
    if api.sync:
        with pytest.raises(errors.BadRequestError):
            api.sync.responses.stream(model="m", input="x")
        assert route.call_count == 1
        return
    client = api.aclient
    assert client is not None

    async def go() -> None:
        manager = client.responses.stream(model="m", input="x")
        assert route.call_count == 0  # nothing before entering
        with pytest.raises(errors.BadRequestError):
            async with manager:
                pass
        assert route.call_count == 1

    api.run(go())


def test_chat_only_parameters_are_dropped_with_a_warning(mode: str, mock: respx.MockRouter) -> None:
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    with pytest.warns(errors.UnsupportedParameterWarning) as caught:
        Api(mode).chat(
            model="m",
            messages=[{"role": "user", "content": "hi"}],
            frequency_penalty=0.5,
            seed=7,
            stop=["\n"],
            logit_bias={"1": 2},
        )
    message = str(caught[0].message)
    for name in ("frequency_penalty", "seed", "stop", "logit_bias"):
        assert name in message
    assert not {"frequency_penalty", "seed", "stop", "logit_bias"} & set(body_of(route.calls.last))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"messages": [{"role": "user"}]},
        {"messages": None},
        {"messages": [{"role": "user", "content": 123}]},
        {"messages": [{"role": "tool", "content": "x"}]},
        {"messages": [{"role": "wizard", "content": "x"}]},
    ],
    ids=["no-content", "messages-none", "content-int", "tool-without-id", "unknown-role"],
)
def test_bad_chat_requests_raise_validation_errors_before_sending(
    mode: str, mock: respx.MockRouter, kwargs: dict[str, Any]
) -> None:
    route = mock.post("/responses")
    with pytest.raises(ValidationError):
        Api(mode).chat(model="m", **kwargs)
    assert not route.called


def test_chat_warning_points_at_the_callers_line(mock: respx.MockRouter) -> None:
    mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    client = ChatGPT(token_provider=RecordingProvider(), base_url=BASE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "x"}], seed=1
        )
    assert caught[0].filename == __file__
