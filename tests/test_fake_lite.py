"""FakeChatGPTBackend as Codex 0.171.0 meets today's backend: Responses Lite, namespaced tool calls,
compressed request bodies, the 0.171.0 catalog, ids on input items, a stall before the headers.

Plain httpx against the fake (``backend.transport()`` or ``serve()``), never the SDK client. The Lite
request shape follows ``../shared/reference/captures/http-lite-gpt-6.2-sol.json``.
"""

from __future__ import annotations

import copy
import gzip
import json
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zstandard
from pydantic import TypeAdapter

from chatgpt_sdk.models import catalog_snapshot
from chatgpt_sdk.models.catalog import ModelCatalog
from chatgpt_sdk.models.responses import ResponseStreamEvent, UnknownResponseStreamEvent
from chatgpt_sdk.testing import (
    BASE_PATH,
    DEFAULT_MODELS,
    FakeChatGPTBackend,
    RecordedRequest,
    sse,
)

EVENTS: TypeAdapter[Any] = TypeAdapter(ResponseStreamEvent)
LITE = {"x-openai-internal-codex-responses-lite": "true"}
CAPTURES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "captures"

WAIT_TOOL = {
    "type": "function",
    "name": "wait",
    "description": "Waits on a yielded `exec` cell.",
    "strict": False,
    "parameters": {
        "type": "object",
        "properties": {"cell_id": {"type": "string"}},
        "required": ["cell_id"],
        "additionalProperties": False,
    },
}
EXEC_TOOL = {
    "type": "custom",
    "name": "exec",
    "description": "Run JavaScript code to orchestrate tool calls.",
    "format": {"type": "grammar", "syntax": "lark", "definition": "start: /.+/"},
}
SLEEP_TOOL = {
    "type": "function",
    "name": "sleep",
    "description": "Sleeps.",
    "strict": False,
    "parameters": {"type": "object", "properties": {"ms": {"type": "number"}}},
}


def additional_tools(*tools: Any) -> dict[str, Any]:
    return {
        "type": "additional_tools",
        "id": "at_01a22d36-ab21-7f41-83ed-f89a56695988",
        "role": "developer",
        "tools": list(tools)
        or [
            {
                "type": "namespace",
                "name": "functions",
                "description": "",
                "tools": [EXEC_TOOL, WAIT_TOOL],
            },
            {
                "type": "namespace",
                "name": "clock",
                "description": "Tools for reading and waiting on time.",
                "tools": [SLEEP_TOOL],
            },
        ],
    }


def message(role: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "role": role,
        "content": [{"type": "input_text", "text": text}],
        **extra,
    }


def lite_body(**changes: Any) -> dict[str, Any]:
    """A Lite request as Codex 0.171.0 sends it (cut down from the capture)."""
    body: dict[str, Any] = {
        "model": "gpt-6.2-sol",
        "stream": True,
        "input": [
            additional_tools(),
            message(
                "developer",
                "You are Codex, an agent based on GPT-6.",
                id="msg_01a22d36-ab21-7f41-83ed-f8ac5cc61e25",
                internal_chat_message_metadata_passthrough={"turn_id": "01a22d36"},
            ),
            message("user", "Say hi in three words.", id="msg_01a22d36-ab2c-7362"),
        ],
        "tool_choice": "auto",
        "parallel_tool_calls": False,
        "reasoning": {"effort": "low", "context": "all_turns"},
        "store": False,
        "include": ["reasoning.encrypted_content"],
        "prompt_cache_key": "01a22d36-a9f5-7163-accb-9bb7913ff224",
        "text": {"verbosity": "low"},
        "client_metadata": {"session_id": "01a22d36-a9f5-7163-accb-9bb7913ff224"},
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def classic_body(**changes: Any) -> dict[str, Any]:
    """A classic request as Codex 0.171.0 sends it: no instructions, ids on items."""
    body: dict[str, Any] = {
        "model": "gpt-5.5",
        "stream": True,
        "input": [
            message("developer", "You are Codex.", id="msg_cedc701b"),
            message("user", "Say hi in three words.", id="msg_01a22d36-be82"),
        ],
        "tools": [WAIT_TOOL],
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        "reasoning": {"effort": "medium"},
        "store": False,
        "include": ["reasoning.encrypted_content"],
        "prompt_cache_key": "01a22d36-bd68-7da0-a254-6a2ec66ae346",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def parse_sse(raw: bytes) -> list[dict[str, Any]]:
    events = []
    for frame in raw.decode().split("\n\n"):
        if frame:
            lines = dict(line.split(": ", 1) for line in frame.split("\n"))
            event = json.loads(lines["data"])
            assert lines["event"] == event["type"]
            events.append(event)
    return events


def validated(events: list[dict[str, Any]]) -> None:
    models = [EVENTS.validate_python(event) for event in events]
    assert not [m.type for m in models if isinstance(m, UnknownResponseStreamEvent)]


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


def lite(http: httpx.Client, body: dict[str, Any] | None = None, **changes: Any) -> httpx.Response:
    return http.post("/responses", json=body or lite_body(**changes), headers=LITE)


def unsupported_value(message: str, param: str | None) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": "invalid_request_error",
            "param": param,
            "code": "unsupported_value",
        }
    }


# -- the Lite shape ----------------------------------------------------------------------------


def test_a_lite_request_like_the_capture_gets_a_streamed_reply(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    response = lite(http)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    events = parse_sse(response.content)
    validated(events)
    assert events[-1]["type"] == "response.completed"
    assert events[-2]["item"]["content"][0]["text"] == "You said: Say hi in three words."
    assert events[0]["response"]["model"] == "gpt-6.2-sol"
    assert events[0]["response"]["parallel_tool_calls"] is False
    assert backend.last_request.headers["x-openai-internal-codex-responses-lite"] == "true"


def test_a_lite_model_without_the_header_is_not_found(http: httpx.Client) -> None:
    response = http.post("/responses", json=lite_body())
    assert response.status_code == 404
    assert response.json() == {"detail": "Model not found"}
    off = http.post(
        "/responses",
        json=lite_body(),
        headers={"x-openai-internal-codex-responses-lite": "false"},
    )
    assert off.status_code == 404


def test_the_lite_header_on_a_classic_model_is_refused(http: httpx.Client) -> None:
    response = http.post("/responses", json=classic_body(), headers=LITE)
    assert response.status_code == 400
    assert response.json() == unsupported_value(
        "This model is not supported when using X-OpenAI-Internal-Codex-Responses-Lite", None
    )
    assert http.post("/responses", json=classic_body()).status_code == 200


def _image(**detail: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "role": "user",
        "content": [
            {"type": "input_text", "text": "What is this?"},
            {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo=", **detail},
        ],
    }


REASONING_CONTEXT = unsupported_value(
    "Responses Lite requires reasoning.context to be 'all_turns'.", "reasoning.context"
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"instructions": "Be brief."}, {"detail": "Unsupported parameter: instructions"}),
        ({"tools": [WAIT_TOOL]}, {"detail": "Unsupported parameter: tools"}),
        ({"tools": []}, {"detail": "Unsupported parameter: tools"}),
        ({"reasoning": ...}, REASONING_CONTEXT),
        ({"reasoning": None}, REASONING_CONTEXT),
        ({"reasoning": {"effort": "low"}}, REASONING_CONTEXT),
        ({"reasoning": {"effort": "low", "context": "last_turn"}}, REASONING_CONTEXT),
        (
            {"parallel_tool_calls": True},
            unsupported_value(
                "Responses Lite does not support parallel_tool_calls.", "parallel_tool_calls"
            ),
        ),
        *(
            (
                {"include": include},
                unsupported_value(
                    "Responses Lite requires include to contain 'reasoning.encrypted_content'.",
                    "include",
                ),
            )
            for include in ([], ..., None)
        ),
        (
            {"input": [message("user", "hi"), _image(detail="auto")]},
            unsupported_value(
                "Responses Lite does not support image detail.", "input.1.content.1.detail"
            ),
        ),
    ],
)
def test_lite_body_rules(http: httpx.Client, changes: dict[str, Any], expected: Any) -> None:
    response = lite(http, **changes)
    assert response.status_code == 400
    assert response.json() == expected


def test_lite_accepts_an_image_without_detail(http: httpx.Client) -> None:
    assert lite(http, input=[_image()]).status_code == 200


def test_a_classic_model_keeps_image_detail_and_parallel_calls(http: httpx.Client) -> None:
    response = http.post("/responses", json=classic_body(input=[_image(detail="high")]))
    assert response.status_code == 200


# -- additional_tools --------------------------------------------------------------------------


def _namespace(*tools: Any, name: Any = "functions", description: Any = "") -> dict[str, Any]:
    return {"type": "namespace", "name": name, "description": description, "tools": list(tools)}


@pytest.mark.parametrize(
    ("item", "detail"),
    [
        (
            {**additional_tools(), "role": "user"},
            "Invalid value for 'input[0].role': expected 'developer'.",
        ),
        ({**additional_tools(), "tools": ...}, "Missing required parameter: 'input[0].tools'."),
        ({**additional_tools(), "tools": "x"}, "Missing required parameter: 'input[0].tools'."),
        (additional_tools("wait"), "Invalid type for 'input[0].tools[0]': expected an object."),
        (
            additional_tools(WAIT_TOOL, {"name": "typeless"}),
            "Missing required parameter: 'input[0].tools[1].type'.",
        ),
        (
            additional_tools(_namespace(WAIT_TOOL, name="")),
            "Missing required parameter: 'input[0].tools[0].name'.",
        ),
        (
            additional_tools(_namespace(WAIT_TOOL, description=None)),
            "Missing required parameter: 'input[0].tools[0].description'.",
        ),
        (
            additional_tools(_namespace()),
            "Missing required parameter: 'input[0].tools[0].tools'.",
        ),
        (
            additional_tools(_namespace(WAIT_TOOL, _namespace(SLEEP_TOOL))),
            "Invalid value for 'input[0].tools[0].tools[1].type': a namespace holds only "
            "function and custom tools.",
        ),
        (
            additional_tools(_namespace(WAIT_TOOL, {"type": "web_search"})),
            "Invalid value for 'input[0].tools[0].tools[1].type': a namespace holds only "
            "function and custom tools.",
        ),
        (
            # Chat-style, nested under "function": not flat.
            additional_tools(
                _namespace({"type": "function", "function": {"name": "f", "parameters": {}}})
            ),
            "Missing required parameter: 'input[0].tools[0].tools[0].name'.",
        ),
        (
            additional_tools(_namespace({**WAIT_TOOL, "parameters": "{}"})),
            "Invalid type for 'input[0].tools[0].tools[0].parameters': expected an object.",
        ),
        (
            additional_tools(_namespace({"type": "custom"})),
            "Missing required parameter: 'input[0].tools[0].tools[0].name'.",
        ),
        (
            additional_tools({"type": "function", "function": {"name": "f"}}),
            "Missing required parameter: 'input[0].tools[0].name'.",
        ),
    ],
)
def test_malformed_additional_tools_are_refused(
    http: httpx.Client, item: dict[str, Any], detail: str
) -> None:
    item = {key: value for key, value in item.items() if value is not ...}
    response = lite(http, input=[item, message("user", "hi")])
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


def test_other_tools_may_sit_beside_the_namespaces(http: httpx.Client) -> None:
    item = additional_tools(
        _namespace(WAIT_TOOL), {"type": "web_search"}, {**SLEEP_TOOL, "name": "nap"}
    )
    assert lite(http, input=[item, message("user", "hi")]).status_code == 200


def test_additional_tools_on_a_classic_model_are_refused(http: httpx.Client) -> None:
    body = classic_body(input=[additional_tools(), message("user", "hi")])
    response = http.post("/responses", json=body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid input item type: additional_tools"}


# -- namespaced tool calls ---------------------------------------------------------------------


def test_lite_tool_calls_come_back_namespaced(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    backend.reply(
        tool_calls=[
            ("wait", '{"cell_id":"1"}'),
            sse.CustomToolCall("exec", "console.log(1)", call_id="call_exec"),
            ("sleep", '{"ms":10}'),
            ("undeclared", "{}"),
        ],
        completed_output_empty=False,
    )
    events = parse_sse(lite(http).content)
    validated(events)
    added = [e["item"] for e in events if e["type"] == "response.output_item.added"]
    done = sse.done_items(events)
    assert [i["type"] for i in done] == [
        "function_call",
        "custom_tool_call",
        "function_call",
        "function_call",
    ]
    for items in (added, done, events[-1]["response"]["output"]):
        assert [i.get("namespace") for i in items] == ["functions", "functions", "clock", None]
    custom = done[1]
    assert custom == {
        "id": custom["id"],
        "type": "custom_tool_call",
        "call_id": "call_exec",
        "name": "exec",
        "input": "console.log(1)",
        "namespace": "functions",
    }
    assert custom["id"].startswith("ctc_")
    assert added[1]["input"] == ""
    deltas = [e for e in events if e["type"] == "response.custom_tool_call_input.delta"]
    assert "".join(e["delta"] for e in deltas) == "console.log(1)"
    assert all(e["item_id"] == custom["id"] for e in deltas)
    input_done = next(e for e in events if e["type"] == "response.custom_tool_call_input.done")
    assert input_done["input"] == "console.log(1)"


@pytest.mark.parametrize("keep_namespace", [True, False])
def test_namespaced_calls_replay(
    backend: FakeChatGPTBackend, http: httpx.Client, keep_namespace: bool
) -> None:
    backend.reply(tool_calls=[("wait", '{"cell_id":"1"}'), sse.CustomToolCall("exec", "1 + 1")])
    calls = sse.done_items(parse_sse(lite(http).content))
    if not keep_namespace:
        calls = [{k: v for k, v in call.items() if k != "namespace"} for call in calls]
    body = lite_body()
    body["input"] += [
        *calls,
        {"type": "function_call_output", "call_id": calls[0]["call_id"], "output": "done"},
        {"type": "custom_tool_call_output", "call_id": calls[1]["call_id"], "output": "2"},
    ]
    response = lite(http, body)
    assert response.status_code == 200
    assert parse_sse(response.content)[-1]["type"] == "response.completed"


def test_a_custom_tool_call_output_needs_its_call(http: httpx.Client) -> None:
    body = lite_body()
    body["input"].append({"type": "custom_tool_call_output", "call_id": "call_x", "output": "2"})
    response = lite(http, body)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "No tool call found for custom tool call output with call_id call_x."
    )


def test_classic_tool_calls_carry_no_namespace(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    backend.reply(tool_calls=[("wait", '{"cell_id":"1"}'), sse.CustomToolCall("exec", "1")])
    response = http.post("/responses", json=classic_body())
    events = parse_sse(response.content)
    validated(events)
    assert [i["type"] for i in sse.done_items(events)] == ["function_call", "custom_tool_call"]
    items = [e["item"] for e in events if "item" in e]
    assert items
    assert not any("namespace" in item for item in items)


def test_the_builders_take_a_namespace() -> None:
    events = sse.reply_events(
        tool_calls=[("f", "{}"), sse.CustomToolCall("g", "x", "call_g")],
        namespaces={"f": "crm", "g": "functions"},
    )
    validated(events)
    assert [i["namespace"] for i in sse.done_items(events)] == ["crm", "functions"]
    assert [i["call_id"] for i in sse.done_items(events)] == ["call_fake1", "call_g"]


# -- compressed request bodies -----------------------------------------------------------------


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "zstd":
        return zstandard.ZstdCompressor(level=3).compress(body)
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "raw-deflate":
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return packer.compress(body) + packer.flush()
    raise AssertionError(encoding)


@pytest.mark.parametrize("encoding", ["zstd", "gzip", "deflate", "raw-deflate"])
def test_compressed_bodies_decode_to_the_same_json(
    backend: FakeChatGPTBackend, http: httpx.Client, encoding: str
) -> None:
    body = lite_body()
    raw = json.dumps(body).encode()
    wire = _compress(raw, encoding)
    header = "deflate" if encoding == "raw-deflate" else encoding
    response = http.post(
        "/responses",
        content=wire,
        headers={**LITE, "content-encoding": header, "content-type": "application/json"},
    )
    assert response.status_code == 200
    recorded = backend.last_request
    assert recorded.json == body
    assert recorded.content_encoding == header
    assert recorded.wire_size == len(wire) < len(raw)


def test_streamed_zstd_frames_without_a_size_decode(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    """Codex compresses as a stream: the frame header may not carry the content size."""
    packer = zstandard.ZstdCompressor(level=3).compressobj()
    wire = packer.compress(json.dumps(classic_body()).encode()) + packer.flush()
    headers = {"content-encoding": "zstd", "content-type": "application/json"}
    assert http.post("/responses", content=wire, headers=headers).status_code == 200
    assert backend.last_request.json == classic_body()


def test_an_uncompressed_body_records_its_size(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    raw = json.dumps(classic_body()).encode()
    http.post("/responses", content=raw, headers={"content-type": "application/json"})
    assert backend.last_request.content_encoding is None
    assert backend.last_request.wire_size == len(raw)


@pytest.mark.parametrize(
    ("encoding", "wire"),
    [
        ("zstd", b"this is not zstd"),
        ("zstd", zstandard.ZstdCompressor().compress(b'{"model": "gpt-5.5"}' * 20)[:-6]),
        ("gzip", b"this is not gzip"),
        ("deflate", b"\xff\xfe not deflate"),
        ("br", b"brotli is not spoken here"),
    ],
)
def test_an_undecodable_body_is_refused(
    backend: FakeChatGPTBackend, http: httpx.Client, encoding: str, wire: bytes
) -> None:
    backend.reply("kept")
    headers = {"content-encoding": encoding, "content-type": "application/json"}
    response = http.post("/responses", content=wire, headers=headers)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Could not decode the request body (content-encoding: {encoding})"
    }
    assert backend.last_request.json is None
    assert backend.last_request.wire_size == len(wire)
    assert backend.pending == 1


def test_old_recorded_requests_still_construct() -> None:
    recorded = RecordedRequest("GET", BASE_PATH + "/models", httpx.Headers(), None, {})
    assert (recorded.content_encoding, recorded.wire_size) == (None, 0)


@pytest.mark.skipif(not CAPTURES.is_dir(), reason="the shared captures are not checked out here")
@pytest.mark.parametrize(
    ("capture", "headers"),
    [("http-lite-gpt-6.2-sol.json", LITE), ("http-gpt-5.5.json", {})],
)
def test_the_captured_codex_bodies_are_accepted(
    backend: FakeChatGPTBackend, http: httpx.Client, capture: str, headers: dict[str, str]
) -> None:
    body = json.loads((CAPTURES / capture).read_text())["body"]
    wire = zstandard.ZstdCompressor(level=3).compress(json.dumps(body).encode())
    response = http.post(
        "/responses",
        content=wire,
        headers={**headers, "content-encoding": "zstd", "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert backend.last_request.json == body


# -- the catalog -------------------------------------------------------------------------------


def test_the_default_catalog_is_codex_0_171_plus_two_classic_models() -> None:
    slugs = [m["slug"] for m in DEFAULT_MODELS]
    assert slugs == [*(m["slug"] for m in catalog_snapshot.MODELS), "gpt-5.4", "gpt-5.2"]
    classic = {m["slug"] for m in DEFAULT_MODELS if not m["use_responses_lite"]}
    assert classic == {"gpt-5.5", "gpt-5.4", "gpt-5.2"}
    assert len(DEFAULT_MODELS) - len(classic) == 13
    for entry, snapshot in zip(DEFAULT_MODELS, catalog_snapshot.MODELS, strict=False):
        levels = entry["supported_reasoning_levels"]
        assert [level["effort"] for level in levels] == [
            level["effort"] for level in snapshot["supported_reasoning_levels"]
        ]
        assert all(
            entry[key] == value
            for key, value in snapshot.items()
            if key != "supported_reasoning_levels"
        )
        assert entry["base_instructions"]
        assert entry["truncation_policy"] == {"mode": "tokens", "limit": 10000}
        assert all(level["description"] for level in entry["supported_reasoning_levels"])
    ModelCatalog.model_validate({"models": list(DEFAULT_MODELS)})


def test_models_needs_a_client_version_and_filters_by_it(http: httpx.Client) -> None:
    missing = http.get("/models")
    assert missing.status_code == 400
    assert missing.json() == {"detail": "client_version is required"}
    assert http.get("/models", params={"client_version": ""}).status_code == 400
    current = http.get("/models", params={"client_version": "0.171.0"}).json()["models"]
    assert [m["slug"] for m in current] == [m["slug"] for m in DEFAULT_MODELS]
    old = http.get("/models", params={"client_version": "0.125.0"}).json()["models"]
    assert [m["slug"] for m in old] == ["gpt-5.5", "gpt-5.4", "gpt-5.2"]


def test_models_etag_is_a_hash_of_the_body_and_answers_304(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    params = {"client_version": "0.171.0"}
    first = http.get("/models", params=params)
    etag = first.headers["etag"]
    assert http.get("/models", params=params).headers["etag"] == etag
    for match in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        cached = http.get("/models", params=params, headers={"If-None-Match": match})
        assert cached.status_code == 304
        assert cached.content == b""
        assert cached.headers["etag"] == etag
    assert http.get("/models", params=params, headers={"If-None-Match": '"x"'}).status_code == 200
    # Another body (same count of models) gets another tag, so a stale cache is refreshed.
    backend.models = copy.deepcopy(backend.models)
    backend.models[0]["description"] = "changed"
    changed = http.get("/models", params=params, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert changed.json()["models"][0]["description"] == "changed"
    # Hidden by the version filter: another body, another tag.
    old = http.get("/models", params={"client_version": "0.125.0"}, headers={"If-None-Match": etag})
    assert old.status_code == 200
    models_calls = [r for r in backend.requests if r.path == BASE_PATH + "/models"]
    assert len(models_calls) == 9


# -- ids on input items, optional instructions -------------------------------------------------


def test_lite_items_with_client_ids_are_accepted(http: httpx.Client) -> None:
    body = lite_body()
    body["input"] += [
        {"id": "rs_1", "type": "reasoning", "summary": [], "encrypted_content": "gAAAAB"},
        {
            "id": "fc_1",
            "type": "function_call",
            "namespace": "functions",
            "name": "wait",
            "arguments": "{}",
            "call_id": "call_1",
        },
        {"id": "fco_1", "type": "function_call_output", "call_id": "call_1", "output": "ok"},
    ]
    assert lite(http, body).status_code == 200


@pytest.mark.parametrize(
    "item",
    [
        {"type": "item_reference", "id": "msg_stored"},
        {
            "type": "reasoning",
            "id": "msg_stored",
            "summary": [{"type": "summary_text", "text": "x"}],
        },
    ],
)
def test_lite_references_to_stored_items_are_not_found(
    http: httpx.Client, item: dict[str, Any]
) -> None:
    body = lite_body()
    body["input"].append(item)
    response = lite(http, body)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["message"].startswith(
        "Item with id 'msg_stored' not found. Items are not persisted when `store` is set to false."
    )
    assert error["param"] == "input"


def test_instructions_are_optional_and_must_be_a_string(http: httpx.Client) -> None:
    assert http.post("/responses", json=classic_body()).status_code == 200
    with_text = http.post("/responses", json=classic_body(instructions="Be brief."))
    assert with_text.status_code == 200
    assert parse_sse(with_text.content)[0]["response"]["instructions"] == "Be brief."
    response = http.post("/responses", json=classic_body(instructions=["Be brief."]))
    assert response.status_code == 400
    assert response.json() == {"detail": "Instructions must be a string"}


def test_the_prompt_cache_works_without_instructions(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    def cached() -> int:
        events = parse_sse(lite(http).content)
        return int(events[-1]["response"]["usage"]["input_tokens_details"]["cached_tokens"])

    assert cached() == 0
    assert cached() > 0


# -- a stall before the headers ----------------------------------------------------------------


def test_stall_headers_in_process_sleeps_before_answering(
    backend: FakeChatGPTBackend, http: httpx.Client
) -> None:
    backend.stall_headers(0.2, text="late")
    start = time.monotonic()
    response = http.post("/responses", json=classic_body())
    assert time.monotonic() - start >= 0.2
    assert parse_sse(response.content)[-2]["item"]["content"][0]["text"] == "late"


def test_stall_headers_served_times_out_a_client_then_ends_with_the_server(
    backend: FakeChatGPTBackend,
) -> None:
    backend.stall_headers(0.3, text="after a pause")
    backend.stall_headers(60)
    before = set(threading.enumerate())
    headers = {"Authorization": f"Bearer {backend.access_token}"}
    with backend.serve() as server:
        with httpx.Client(base_url=server.url + BASE_PATH, headers=headers) as client:
            start = time.monotonic()
            response = client.post("/responses", json=classic_body(), timeout=5)
            assert time.monotonic() - start >= 0.3
            assert response.status_code == 200
            assert parse_sse(response.content)[-1]["type"] == "response.completed"
            with pytest.raises(httpx.ReadTimeout):
                client.post("/responses", json=classic_body(), timeout=0.3)
        closing = time.monotonic()
    # The 60-second stall was cut short by the shutdown, and its thread ended cleanly.
    deadline = time.monotonic() + 3
    while (set(threading.enumerate()) - before) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not (set(threading.enumerate()) - before)
    assert time.monotonic() - closing < 5
    assert backend.pending == 0
