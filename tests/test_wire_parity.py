"""Our requests against what the real Codex CLI 0.171.0 sent (``shared/reference/captures``).

Given the same conversation, tools and options, our body must equal Codex's but for the
differences listed (and justified) here; our headers must be Codex's but for the listed ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import respx
import zstandard
from client_support import BASE, catalog_response, recorded, stream_response

from chatgpt_sdk import ChatGPT
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.config import os_identity

CAPTURES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "captures"
pytestmark = pytest.mark.skipif(
    not CAPTURES.is_dir(), reason="needs ../shared/reference/captures (CI has it)"
)

# Codex sends these; we do not, and why:
CODEX_ONLY_HEADERS = {
    "x-codex-beta-features": "Codex's own feature flags (remote_compaction_v2)",
    "x-codex-window-id": "Codex's context-window bookkeeping",
    "x-codex-turn-metadata": "Codex's workspace, sandbox and git metadata for its analytics",
}
HTTP_LAYER = {"host", "content-length", "connection"}  # set by each side's HTTP client
# Body differences: `client_metadata` (Codex's installation and turn ids) is not sent, and item
# ids are removed (store=false: an id is only safe when the full item travels with it).
CODEX_ONLY_FIELDS = {"client_metadata"}


def capture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CAPTURES / name).read_text(encoding="utf-8"))
    data.setdefault("body", data.get("body_json"))  # the recorder's two layouts
    return data


def without_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k != "id"} for item in items]


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/models").mock(return_value=catalog_response())
        yield router


def send_like_codex(mock: respx.MockRouter, captured: dict[str, Any], **params: Any) -> Any:
    """Send through our client what Codex sent, from the captured request's own parts."""
    body = captured["body"]
    headers = dict(captured["headers"])
    route = mock.post("/responses").mock(return_value=stream_response(recorded("text")))
    client = ChatGPT(
        token_provider=StaticTokenProvider(
            # one capture cuts its long token ("…<766 chars>"): any token will do there
            headers["authorization"].removeprefix("Bearer ")
            if headers["authorization"].isascii()
            else "tok",
            account_id=headers["chatgpt-account-id"],
        ),
        base_url=BASE,
        session_id=body["prompt_cache_key"],
    )
    fields = {
        k: body[k]
        for k in ("model", "tool_choice", "parallel_tool_calls", "reasoning", "include", "text")
    }
    client.responses.create(**{**fields, **params})
    return route.calls.last.request


def sent_body(request: Any) -> dict[str, Any]:
    assert request.headers["content-encoding"] == "zstd"  # as Codex sends it
    data: dict[str, Any] = json.loads(zstandard.ZstdDecompressor().decompress(request.content))
    return data


def assert_headers_match(request: Any, captured: dict[str, Any]) -> None:
    theirs = {name.lower(): value for name, value in captured["headers"]}
    ours = {name.lower(): value for name, value in request.headers.items()}
    assert set(ours) - HTTP_LAYER == set(theirs) - HTTP_LAYER - set(CODEX_ONLY_HEADERS)
    same = (
        "version",
        "x-client-request-id",
        "session-id",
        "thread-id",
        "accept",
        "content-encoding",
        "content-type",
        "authorization",
        "chatgpt-account-id",
        "accept-encoding",
        "x-codex-routing-hint",
        "x-openai-internal-codex-responses-lite",
    )
    for name in same:
        assert ours.get(name) == theirs.get(name), name
    # originator: Codex's `codex exec` says codex_exec; the SDK is Codex's default, codex_cli_rs
    assert theirs["originator"] == "codex_exec"
    assert ours["originator"] == "codex_cli_rs"
    shape = r"^{}/0\.171\.0 \((\S[^;]* \d+\.\d+\.\d+); \S+\) \S+"
    codex_system = re.match(shape.format("codex_exec"), theirs["user-agent"])
    our_system = re.match(shape.format("codex_cli_rs") + "$", ours["user-agent"])
    assert codex_system is not None
    assert codex_system[1] == "Debian 12.0.0"
    assert our_system is not None
    assert our_system[1] == os_identity()


def test_lite_request_equals_codex_but_for_the_listed_differences(mock: respx.MockRouter) -> None:
    captured = capture("http-lite-gpt-6.2-sol.json")
    body = captured["body"]
    additional, instructions, *conversation = body["input"]
    # The caller's tools as a user declares them: flat function and custom tools, and the
    # other namespaces as namespace tools.
    functions = additional["tools"][0]
    assert functions["name"] == "functions"
    tools = [*functions["tools"], *additional["tools"][1:]]
    request = send_like_codex(
        mock,
        captured,
        input=conversation,
        tools=tools,
        instructions=instructions["content"][0]["text"],
    )
    assert_headers_match(request, captured)
    ours = sent_body(request)
    expected = {k: v for k, v in body.items() if k not in CODEX_ONLY_FIELDS}
    expected["input"] = without_ids(body["input"])
    # Codex's own instructions message also carries Codex's turn metadata (its analytics).
    del expected["input"][1]["internal_chat_message_metadata_passthrough"]
    assert ours == expected


def test_classic_request_equals_codex_but_for_the_listed_differences(
    mock: respx.MockRouter,
) -> None:
    captured = capture("http-gpt-5.5.json")
    body = captured["body"]
    request = send_like_codex(mock, captured, input=body["input"], tools=body["tools"])
    assert_headers_match(request, captured)
    ours = sent_body(request)
    expected = {k: v for k, v in body.items() if k not in CODEX_ONLY_FIELDS}
    expected["input"] = without_ids(body["input"])
    assert ours == expected


def test_second_turn_replay_equals_codex_without_ids_and_status(mock: respx.MockRouter) -> None:
    captured = capture("http-gpt-5.5-second-turn.json")
    body = captured["body"]
    request = send_like_codex(mock, captured, input=body["input"], tools=body["tools"])
    ours = sent_body(request)
    replayed = [
        {k: v for k, v in item.items() if k not in ("id", "status")} for item in body["input"]
    ]
    assert ours["input"] == replayed
    assistant = [item for item in body["input"] if item.get("role") == "assistant"]
    assert assistant
    assert all("status" in item and "id" in item for item in assistant)
