"""FakeChatGPTBackend against plain httpx: every WIRE.md rule it enforces, every stream it sends.

The emitted events are validated with the generated ``ResponseStreamEvent`` union, so the fake and
the models cannot drift apart silently.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter

from chatgpt_sdk.models.catalog import ModelCatalog
from chatgpt_sdk.models.responses import ResponseStreamEvent, UnknownResponseStreamEvent
from chatgpt_sdk.testing import (
    BASE_PATH,
    UNSUPPORTED_PARAMETERS,
    FakeChatGPTBackend,
    FakeIssuer,
    make_access_token,
    sse,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sse"
EVENTS: TypeAdapter[Any] = TypeAdapter(ResponseStreamEvent)

TEXT_SEQUENCE = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]
CALL_SEQUENCE = [
    "response.output_item.added",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.done",
    "response.output_item.done",
]


def request_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "gpt-5.5",
        "instructions": "You are a helpful assistant.",
        "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hi"}]}
        ],
        "tools": [],
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        "store": False,
        "stream": True,
        "include": [],
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def parse_sse(raw: bytes) -> list[dict[str, Any]]:
    """Events of an SSE body; also checks each ``event:`` line names its data's ``type``."""
    events = []
    for frame in raw.decode().split("\n\n"):
        if not frame:
            continue
        lines = dict(line.split(": ", 1) for line in frame.split("\n"))
        event = json.loads(lines["data"])
        assert lines["event"] == event["type"]
        events.append(event)
    return events


def validated(events: list[dict[str, Any]]) -> list[Any]:
    """Each event validated into its own generated class, never the Unknown fallback."""
    models = [EVENTS.validate_python(event) for event in events]
    unknown = [m.type for m in models if isinstance(m, UnknownResponseStreamEvent)]
    assert not unknown
    return models


@pytest.fixture
def backend() -> FakeChatGPTBackend:
    return FakeChatGPTBackend()


@pytest.fixture
def http(backend: FakeChatGPTBackend) -> Iterator[httpx.Client]:
    headers = {
        "Authorization": f"Bearer {backend.access_token}",
        "ChatGPT-Account-Id": backend.account_id,
    }
    with httpx.Client(
        transport=backend.transport(), base_url=backend.base_url, headers=headers
    ) as client:
        yield client


def post(http: httpx.Client, **changes: Any) -> httpx.Response:
    return http.post("/responses", json=request_body(**changes))


# -- event sequences --------------------------------------------------------------------------


def test_text_reply_matches_the_recorded_sequence(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    backend.reply(deltas=["Hello", "! How can I help?"])
    response = post(http)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    events = parse_sse(response.content)
    assert [e["type"] for e in events] == TEXT_SEQUENCE
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    created, completed = events[0]["response"], events[-1]["response"]
    assert created["id"].startswith("resp_")
    assert created["status"] == "in_progress"
    assert created["output"] == []
    assert created["usage"] is None
    assert completed["id"] == created["id"]
    assert completed["status"] == "completed"
    assert completed["output"] == []  # the backend's quirk: items come only from output_item.done
    item = events[-2]["item"]
    assert item["id"].startswith("msg_")
    assert item["status"] == "completed"
    assert item["content"] == [
        {"type": "output_text", "annotations": [], "logprobs": [], "text": "Hello! How can I help?"}
    ]
    assert [e["delta"] for e in events[4:6]] == ["Hello", "! How can I help?"]
    assert events[6]["text"] == "Hello! How can I help?"
    usage = completed["usage"]
    assert set(usage) == {
        "input_tokens",
        "input_tokens_details",
        "output_tokens",
        "output_tokens_details",
        "total_tokens",
    }
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert usage["input_tokens"] > 0
    assert usage["output_tokens"] > 0
    models = validated(events)
    assert [type(m).__name__ for m in models][4] == "ResponseTextDeltaEvent"


def test_default_reply_echoes_the_last_user_text(http: httpx.Client) -> None:
    events = parse_sse(post(http).content)
    validated(events)
    assert events[-2]["item"]["content"][0]["text"] == "You said: Hi"


def test_one_function_call(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.reply(tool_calls=[("get_weather", '{"city":"Paris"}')])
    events = parse_sse(post(http).content)
    assert [e["type"] for e in events] == [
        "response.created",
        "response.in_progress",
        *CALL_SEQUENCE,
        "response.completed",
    ]
    added, done = events[2]["item"], events[6]["item"]
    assert added["id"].startswith("fc_")
    assert added["call_id"].startswith("call_")
    assert added["arguments"] == ""
    assert added["status"] == "in_progress"
    assert done == {**added, "status": "completed", "arguments": '{"city":"Paris"}'}
    assert "".join(e["delta"] for e in events[3:5]) == '{"city":"Paris"}'
    assert all(e["item_id"] == added["id"] for e in events[3:6])
    validated(events)


def test_parallel_function_calls_are_separate_items(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    backend.reply(
        tool_calls=[
            ("get_weather", '{"city":"Paris"}'),
            ("get_weather", '{"city":"Berlin"}', "call_mine"),
        ]
    )
    events = parse_sse(post(http).content)
    types = [e["type"] for e in events]
    assert types == [
        "response.created",
        "response.in_progress",
        *CALL_SEQUENCE,
        *CALL_SEQUENCE,
        "response.completed",
    ]
    first, second = (e["item"] for e in events if e["type"] == "response.output_item.done")
    assert (first["call_id"], second["call_id"]) == (first["call_id"], "call_mine")
    assert first["id"] != second["id"]
    assert first["call_id"] != second["call_id"]
    assert [e["output_index"] for e in events[2:7]] == [0] * 5
    assert [e["output_index"] for e in events[7:12]] == [1] * 5
    validated(events)


def test_reasoning_summary_then_text(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.reply(
        "Use option B.",
        reasoning_summary=["**Comparing the options**", "The user wants one line."],
    )
    events = parse_sse(post(http, reasoning={"effort": "medium", "summary": "auto"}).content)
    types = [e["type"] for e in events]
    assert types[:3] == ["response.created", "response.in_progress", "response.output_item.added"]
    assert types.count("response.reasoning_summary_part.added") == 2
    assert types.count("response.reasoning_summary_part.done") == 2
    reasoning = events[2]["item"]
    assert reasoning == {"id": reasoning["id"], "type": "reasoning", "summary": []}
    assert reasoning["id"].startswith("rs_")
    done = next(e for e in events if e["type"] == "response.output_item.done")
    assert done["output_index"] == 0
    assert [s["text"] for s in done["item"]["summary"]] == [
        "**Comparing the options**",
        "The user wants one line.",
    ]
    assert done["item"]["encrypted_content"].startswith("gAAAAAB")
    summary_events = [e for e in events if "summary_index" in e]
    assert {e["summary_index"] for e in summary_events} == {0, 1}
    message = [e for e in events if e["type"] == "response.output_item.added"][1]
    assert message["output_index"] == 1
    assert message["item"]["type"] == "message"
    usage = events[-1]["response"]["usage"]
    assert usage["output_tokens_details"]["reasoning_tokens"] > 0
    assert usage["output_tokens"] > usage["output_tokens_details"]["reasoning_tokens"]
    validated(events)


def test_empty_reasoning_summary_gives_an_item_without_summary_parts(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    backend.reply("Done.", reasoning_summary="")
    events = parse_sse(post(http).content)
    assert not any("summary_index" in e for e in events)
    assert events[3]["item"]["summary"] == []
    assert events[3]["item"]["encrypted_content"]
    validated(events)


def test_completed_output_can_carry_the_items(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    backend.reply("Hi", tool_calls=[("f", "{}")], completed_output_empty=False)
    events = parse_sse(post(http).content)
    assert events[-1]["response"]["output"] == sse.done_items(events)
    assert [i["type"] for i in events[-1]["response"]["output"]] == ["message", "function_call"]
    validated(events)


def test_usage_override_and_prompt_cache(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.reply("x", usage={"input_tokens": 2150, "cached_tokens": 2048, "output_tokens": 12})
    usage = parse_sse(post(http).content)[-1]["response"]["usage"]
    assert usage == {
        "input_tokens": 2150,
        "input_tokens_details": {"cached_tokens": 2048},
        "output_tokens": 12,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 2162,
    }

    def cached(key: str) -> int:
        events = parse_sse(post(http, prompt_cache_key=key).content)
        return int(events[-1]["response"]["usage"]["input_tokens_details"]["cached_tokens"])

    assert cached("conversation-1") == 0
    assert cached("conversation-1") > 0
    assert cached("conversation-2") == 0


def test_response_object_echoes_the_request(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    tool = {"type": "function", "name": "f", "parameters": {"type": "object"}, "strict": False}
    events = parse_sse(post(http, tools=[tool], prompt_cache_key="k").content)
    response = events[0]["response"]
    assert response["tools"] == [tool]
    assert response["instructions"] == "You are a helpful assistant."
    assert response["store"] is False
    assert response["prompt_cache_key"] == "k"
    assert response["model"] == "gpt-5.5"
    validated(events)


# -- request rules (WIRE.md 3.5) ----------------------------------------------------------------

SYSTEM = {"type": "message", "role": "system", "content": [{"type": "input_text", "text": "x"}]}


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"store": True}, "Store must be set to false"),
        ({"store": ...}, "Store must be set to false"),
        ({"stream": False}, "Stream must be set to true"),
        ({"instructions": 5}, "Instructions must be a string"),
        ({"instructions": None}, "Instructions must be a string"),
        ({"input": "Hi"}, "Input must be a list"),
        ({"input": [SYSTEM]}, "System messages are not allowed"),
        (
            {"model": "gpt-5.3-codex"},
            "The 'gpt-5.3-codex' model is not supported when using Codex with a ChatGPT account.",
        ),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]},
            "Missing required parameter: 'tools[0].name'.",
        ),
    ],
)
def test_rule_violations_get_the_recorded_400(
    http: httpx.Client, changes: dict[str, Any], detail: str
) -> None:
    response = post(http, **changes)
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize("name", UNSUPPORTED_PARAMETERS)
def test_unsupported_parameters(http: httpx.Client, name: str) -> None:
    response = post(http, **{name: 1})
    assert response.status_code == 400
    assert response.json() == {"detail": f"Unsupported parameter: {name}"}


def test_the_first_unsupported_parameter_is_named(http: httpx.Client) -> None:
    response = post(http, top_p=1, temperature=0.2, max_output_tokens=5)
    assert response.json() == {"detail": "Unsupported parameter: max_output_tokens"}


def test_instructions_are_optional(http: httpx.Client) -> None:
    assert post(http, instructions=...).status_code == 200


def test_full_items_with_ids_are_accepted(http: httpx.Client) -> None:
    """Codex 0.171 sends client-made ids on full items (captures/http-gpt-5.5-second-turn.json)."""
    replayed = [
        {"id": "rs_123", "type": "reasoning", "summary": [], "encrypted_content": "gAAAA"},
        {
            "id": "msg_01a22d36",
            "type": "message",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Hi", "annotations": [], "logprobs": []}],
        },
        {"id": "fc_1", "type": "function_call", "name": "f", "arguments": "{}", "call_id": "c1"},
        {"type": "function_call_output", "call_id": "c1", "output": "42"},
    ]
    assert post(http, input=replayed).status_code == 200


@pytest.mark.parametrize(
    "item",
    [
        {"type": "item_reference", "id": "rs_123"},
        {"type": "reasoning", "id": "rs_123", "summary": []},
    ],
)
def test_references_to_stored_items_are_not_found(http: httpx.Client, item: dict[str, Any]) -> None:
    response = post(http, input=[item])
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "message": "Item with id 'rs_123' not found. Items are not persisted when `store` is "
            "set to false. Try again with `store` set to true, or remove this item from your "
            "input.",
            "type": "invalid_request_error",
            "param": "input",
            "code": None,
        }
    }


def test_function_call_output_needs_its_call(http: httpx.Client) -> None:
    output = {"type": "function_call_output", "call_id": "call_1", "output": "42"}
    response = post(http, input=[output])
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "No tool call found for function call output with call_id call_1."
    )
    call = {"type": "function_call", "name": "f", "arguments": "{}", "call_id": "call_1"}
    assert post(http, input=[call, output]).status_code == 200


def test_a_flat_function_tool_is_accepted(http: httpx.Client) -> None:
    tool = {"type": "function", "name": "f", "parameters": {"type": "object", "properties": {}}}
    assert post(http, tools=[tool]).status_code == 200


def test_rejected_requests_keep_the_script(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.reply("scripted")
    assert post(http, store=True).status_code == 400
    assert backend.pending == 1
    assert parse_sse(post(http).content)[-3]["part"]["text"] == "scripted"
    assert backend.pending == 0


# -- auth -------------------------------------------------------------------------------------


def test_missing_and_invalid_tokens_get_401(backend: FakeChatGPTBackend) -> None:
    with httpx.Client(transport=backend.transport(), base_url=backend.base_url) as client:
        missing = client.post("/responses", json=request_body())
        other = make_access_token(backend.account_id, expires_at=1)
        invalid = client.post(
            "/responses", json=request_body(), headers={"Authorization": f"Bearer {other}"}
        )
    for response in (missing, invalid):
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["code"] == "token_expired"


def test_account_mismatch_is_403(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    response = http.post(
        "/responses", json=request_body(), headers={"ChatGPT-Account-Id": "someone-else"}
    )
    assert response.status_code == 403
    assert "ChatGPT-Account-Id" in response.json()["detail"]


def test_the_account_header_may_be_left_out(backend: FakeChatGPTBackend) -> None:
    with httpx.Client(transport=backend.transport(), base_url=backend.base_url) as client:
        response = client.post(
            "/responses",
            json=request_body(),
            headers={"Authorization": f"Bearer {backend.access_token}"},
        )
    assert response.status_code == 200


def test_an_issuer_decides_about_its_tokens_and_answers_auth_paths() -> None:
    issuer = FakeIssuer(account_id="acc-issuer")
    backend = FakeChatGPTBackend(issuer=issuer)
    assert backend.account_id == "acc-issuer"
    tokens = issuer.issue_tokens()
    expired = issuer.issue_tokens(access_token_ttl=-10)
    with httpx.Client(transport=backend.transport(), base_url=backend.base_url) as client:

        def status(token: str) -> int:
            headers = {"Authorization": f"Bearer {token}", "ChatGPT-Account-Id": "acc-issuer"}
            return client.post("/responses", json=request_body(), headers=headers).status_code

        assert status(tokens["access_token"]) == 200
        assert status(expired["access_token"]) == 401
        refresh = {"client_id": "x", "grant_type": "refresh_token", "refresh_token": "rt_nope"}
        routed = client.post("https://auth.fake/oauth/token", json=refresh)
    direct = issuer.handle(httpx.Request("POST", "https://auth.fake/oauth/token", json=refresh))
    assert routed.status_code == direct.status_code
    assert all(r.path.startswith(BASE_PATH) for r in backend.requests)


def test_auth_paths_without_an_issuer_are_404(http: httpx.Client) -> None:
    assert http.post("https://chatgpt.fake/oauth/token", json={}).status_code == 404


# -- errors, limits, headers --------------------------------------------------------------------


def test_every_reply_carries_rate_limit_headers(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    response = post(http)
    assert response.headers["x-codex-primary-used-percent"] == "12.0"
    assert response.headers["x-codex-primary-window-minutes"] == "300"
    assert int(response.headers["x-codex-secondary-reset-at"]) > time.time()
    assert response.headers["x-request-id"].startswith("req_")
    assert response.headers["openai-model"] == "gpt-5.5"
    backend.rate_limits = {"x-codex-primary-used-percent": "99.5"}
    response = post(http)
    assert response.headers["x-codex-primary-used-percent"] == "99.5"
    assert "x-codex-secondary-used-percent" not in response.headers


def test_usage_limit(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.usage_limit(plan_type="pro", resets_in_seconds=600)
    before = int(time.time())
    response = post(http)
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["type"] == "usage_limit_reached"
    assert error["plan_type"] == "pro"
    assert error["resets_in_seconds"] == 600
    assert before + 600 <= error["resets_at"] <= int(time.time()) + 600
    assert error["message"]
    assert "eligible_promo" in error
    assert response.headers["x-codex-primary-used-percent"] == "100.0"
    assert response.headers["x-codex-primary-reset-at"] == str(error["resets_at"])
    assert response.headers["x-codex-secondary-window-minutes"] == "10080"
    assert response.headers["x-codex-plan-type"] == "pro"


def test_usage_limit_at_a_given_time(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    at = int(time.time()) + 3600
    backend.usage_limit(resets_at=at)
    error = post(http).json()["error"]
    assert error["resets_at"] == at
    assert 3590 <= error["resets_in_seconds"] <= 3600


def test_scripted_errors(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.error(500)
    backend.error(503, {"error": {"code": "server_is_overloaded"}}, headers={"retry-after": "2"})
    backend.error(502, "<html>bad gateway</html>")
    first, second, third = post(http), post(http), post(http)
    assert (first.status_code, first.json()) == (500, {"detail": "Internal Server Error"})
    assert second.json() == {"error": {"code": "server_is_overloaded"}}
    assert second.headers["retry-after"] == "2"
    assert second.headers["x-request-id"]
    assert third.text == "<html>bad gateway</html>"
    assert post(http).status_code == 200


def test_chat_completions_is_a_cloudflare_403(http: httpx.Client) -> None:
    response = http.post("/chat/completions", json={"model": "gpt-5.5", "messages": []})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "Cloudflare" in response.text


def test_unknown_paths_and_methods(http: httpx.Client) -> None:
    assert http.get("/responses").status_code == 405
    assert http.post("/models").status_code == 405
    assert http.get("/nothing").status_code == 404


# -- broken streams -----------------------------------------------------------------------------


def test_failed_stream(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.failed(code="rate_limit_exceeded", message="Please try again in 1.5s.", text="Par")
    events = parse_sse(post(http).content)
    assert [e["type"] for e in events] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.failed",
    ]
    response = events[-1]["response"]
    assert response["status"] == "failed"
    assert response["error"] == {
        "code": "rate_limit_exceeded",
        "message": "Please try again in 1.5s.",
    }
    validated(events)


def test_failed_stream_with_a_backend_code_validates(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    """``server_is_overloaded`` and the other backend codes of WIRE.md 4.8 are not in the spec."""
    backend.failed()
    validated(parse_sse(post(http).content))


def test_incomplete_stream(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.incomplete(reason="content_filter", text="Stopped")
    events = parse_sse(post(http).content)
    assert events[-1]["type"] == "response.incomplete"
    response = events[-1]["response"]
    assert response["status"] == "incomplete"
    assert response["incomplete_details"] == {"reason": "content_filter"}
    assert response["output"] == []
    assert response["usage"]["output_tokens"] > 0
    assert events[-2]["item"]["status"] == "incomplete"
    validated(events)


def test_malformed_line(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.malformed_line("{not json", after_events=3)
    frames = post(http).text.split("\n\n")
    assert frames[3] == "event: response.output_text.delta\ndata: {not json"
    rest = parse_sse("\n\n".join(frames[:3] + frames[4:]).encode())
    assert rest[-1]["type"] == "response.completed"
    assert [e["sequence_number"] for e in rest] == list(range(len(rest)))


def test_dropped_stream_in_process(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.drop_after(3, text="one two three four")
    received = []
    with http.stream("POST", "/responses", json=request_body()) as response:
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            received.extend(line for line in response.iter_lines() if line.startswith("data:"))
    assert [json.loads(line[5:])["sequence_number"] for line in received] == [0, 1, 2]


def test_stall_pauses_between_events(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    backend.stall(0.2, after_events=2)
    arrivals = []
    start = time.monotonic()
    with http.stream("POST", "/responses", json=request_body()) as response:
        for line in response.iter_lines():
            if line.startswith("data:"):
                arrivals.append(time.monotonic() - start)
    assert arrivals[1] < 0.15 <= 0.2 <= arrivals[2]


# -- chunking, raw replies, responder ---------------------------------------------------------


def test_small_chunks_split_events_and_characters() -> None:
    backend = FakeChatGPTBackend(chunk_size=7)
    backend.reply("Grüße, 世界!")
    request = httpx.Request(
        "POST",
        backend.base_url + "/responses",
        json=request_body(),
        headers={"Authorization": f"Bearer {backend.access_token}"},
    )
    chunks = list(backend.handle(request).iter_raw())
    assert {len(c) for c in chunks[:-1]} == {7}
    events = parse_sse(b"".join(chunks))
    assert events[-2]["item"]["content"][0]["text"] == "Grüße, 世界!"
    assert any(not _is_utf8(chunk) for chunk in chunks)


def _is_utf8(chunk: bytes) -> bool:
    try:
        chunk.decode()
    except UnicodeDecodeError:
        return False
    return True


def test_reply_events_and_raw_are_sent_verbatim(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    recorded = (FIXTURES / "text.sse").read_bytes()
    backend.reply_raw(recorded)
    unknown = {"type": "response.metadata", "sequence_number": 0, "metadata": {}}
    backend.reply_events([unknown], headers={"x-codex-turn-state": "ts1"})
    assert post(http).content == recorded
    second = post(http)
    assert parse_sse(second.content) == [unknown]
    assert second.headers["x-codex-turn-state"] == "ts1"


def test_responder_answers_when_nothing_is_scripted() -> None:
    body = sse.encode_events(sse.reply_events("from the responder"))
    seen = []

    def responder(request: Any) -> bytes:
        seen.append(request.json["model"])
        return body

    backend = FakeChatGPTBackend(responder=responder)
    response = backend.handle(
        httpx.Request(
            "POST",
            backend.base_url + "/responses",
            json=request_body(),
            headers={"Authorization": f"Bearer {backend.access_token}"},
        )
    )
    assert response.read() == body
    assert seen == ["gpt-5.5"]


# -- recording, models ------------------------------------------------------------------------


def test_requests_are_recorded(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    post(http, prompt_cache_key="abc")
    http.get("/models", params={"client_version": "0.125.0"})
    first, second = backend.requests
    assert (first.method, first.path) == ("POST", BASE_PATH + "/responses")
    assert first.json["prompt_cache_key"] == "abc"
    assert first.headers["chatgpt-account-id"] == backend.account_id
    assert (second.method, second.json, second.query) == (
        "GET",
        None,
        {"client_version": "0.125.0"},
    )
    assert backend.last_request is second
    backend.reply("left over")
    backend.reset()
    assert backend.requests == []
    assert backend.pending == 0
    with pytest.raises(LookupError):
        _ = backend.last_request


def test_keep_requests_bounds_the_record_to_the_newest() -> None:
    backend = FakeChatGPTBackend(keep_requests=2)
    headers = {"Authorization": f"Bearer {backend.access_token}"}
    with httpx.Client(
        transport=backend.transport(), base_url=backend.base_url, headers=headers
    ) as http:
        for key in ("a", "b", "c"):
            assert post(http, prompt_cache_key=key).status_code == 200
    assert [r.json["prompt_cache_key"] for r in backend.requests] == ["b", "c"]
    assert backend.last_request.json["prompt_cache_key"] == "c"


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_keep_requests_must_be_a_positive_int(bad: Any) -> None:
    with pytest.raises(ValueError, match="keep_requests must be a positive int or None"):
        FakeChatGPTBackend(keep_requests=bad)


def test_models_catalog(backend: FakeChatGPTBackend, http: httpx.Client) -> None:
    response = http.get("/models", params={"client_version": "0.125.0"})
    assert response.status_code == 200
    assert response.headers["etag"]
    catalog = ModelCatalog.model_validate(response.json())
    assert [m.slug for m in catalog.models] == ["gpt-5.5", "gpt-5.4", "gpt-5.2"]
    assert catalog.models[0].supported_reasoning_levels
    old = http.get("/models", params={"client_version": "0.99.0"}).json()
    assert [m["slug"] for m in old["models"]] == ["gpt-5.4", "gpt-5.2"]
    current = http.get("/models", params={"client_version": "0.171.0"}).json()["models"]
    assert len(current) == 16
    backend.models = [{"slug": "gpt-5.6-sol", "use_responses_lite": True}]
    assert http.get("/models", params={"client_version": "1.0.0"}).json() == {
        "models": backend.models
    }
    assert post(http).status_code == 400  # gpt-5.5 left the catalog
    with httpx.Client(transport=backend.transport(), base_url=backend.base_url) as anonymous:
        assert anonymous.get("/models", params={"client_version": "1.0.0"}).status_code == 401


def test_concurrent_requests_get_distinct_responses(backend: FakeChatGPTBackend) -> None:
    headers = {"Authorization": f"Bearer {backend.access_token}"}
    ids: list[str] = []

    def worker() -> None:
        with httpx.Client(transport=backend.transport(), base_url=backend.base_url) as client:
            for _ in range(10):
                response = client.post("/responses", json=request_body(), headers=headers)
                ids.append(parse_sse(response.content)[0]["response"]["id"])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 80
    assert len(backend.requests) == 80


# -- async clients and real HTTP ----------------------------------------------------------------


async def test_async_client_over_the_mock_transport(backend: FakeChatGPTBackend) -> None:
    backend.reply("async hello", tool_calls=[("f", '{"a":1}')])
    backend.drop_after(2)
    backend.stall(0.05, after_events=1)
    headers = {"Authorization": f"Bearer {backend.access_token}"}
    async with httpx.AsyncClient(
        transport=backend.transport(), base_url=backend.base_url, headers=headers
    ) as client:
        response = await client.post("/responses", json=request_body())
        events = parse_sse(response.content)
        validated(events)
        assert events[-1]["type"] == "response.completed"
        async with client.stream("POST", "/responses", json=request_body()) as stream:
            with pytest.raises(httpx.RemoteProtocolError):
                async for _ in stream.aiter_bytes():
                    pass
        start = asyncio.get_running_loop().time()
        ticker = asyncio.create_task(asyncio.sleep(0.01))
        response = await client.post("/responses", json=request_body())
        assert ticker.done()  # the stall awaited instead of blocking the event loop
        assert asyncio.get_running_loop().time() - start >= 0.05
        assert parse_sse(response.content)[-1]["type"] == "response.completed"


def test_served_over_loopback(backend: FakeChatGPTBackend) -> None:
    backend.reply("over the wire", reasoning_summary="thinking")
    backend.drop_after(4)
    with backend.serve() as server:
        headers = {"Authorization": f"Bearer {backend.access_token}"}
        with httpx.Client(base_url=server.url + BASE_PATH, headers=headers) as client:
            events = parse_sse(client.post("/responses", json=request_body()).content)
            validated(events)
            assert events[-1]["type"] == "response.completed"
            received = []
            with (
                client.stream("POST", "/responses", json=request_body()) as response,
                pytest.raises(httpx.RemoteProtocolError),
            ):
                received.extend(response.iter_lines())
            assert sum(line.startswith("data:") for line in received) == 4
            assert client.post("/responses", json=request_body(store=True)).status_code == 400
            assert client.get("/models", params={"client_version": "0.171.0"}).json()["models"]


# -- the builders -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "Hello", "  two  words ", "a\nb\n\n", "Grüße 世界"])
def test_split_text_keeps_every_character(text: str) -> None:
    assert "".join(sse.split_text(text)) == text


def test_fast_delta_encoding_matches_the_generic_one() -> None:
    for delta in ["plain", 'quote " and \\ slash', "naïve 世界\n", "\u2028"]:
        event = {
            "type": "response.output_text.delta",
            "sequence_number": 7,
            "item_id": "msg_1",
            "output_index": 1,
            "content_index": 0,
            "delta": delta,
            "logprobs": [],
        }
        data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        assert sse.encode_event(event) == f"event: {event['type']}\ndata: {data}\n\n".encode()


def test_builders_standalone_validate() -> None:
    events = sse.reply_events("Hi there", reasoning_summary="why", tool_calls=[("f", "{}")])
    events += sse.failed_events("rate_limit_exceeded", "slow down")
    validated(events)
    assert sse.encode_events(events[:2]) == sse.encode_event(events[0]) + sse.encode_event(
        events[1]
    )


def test_backend_client_is_wired(backend: FakeChatGPTBackend) -> None:
    backend.reply("Wired.")
    with backend.client() as client:
        response = client.responses.create(model="gpt-5.5", input="hi", instructions="x")
    assert response.output_text == "Wired."
    assert backend.last_request.json["store"] is False


async def test_backend_async_client_is_wired(backend: FakeChatGPTBackend) -> None:
    async with backend.async_client() as client:
        response = await client.responses.create(model="gpt-5.5", input="ping", instructions="x")
    assert response.output_text == "You said: ping"
