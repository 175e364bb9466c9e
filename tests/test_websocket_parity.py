"""Our WebSocket frames and upgrade headers against what Codex 0.171.0 sent
(``shared/reference/captures/websocket-*.json``), as ``test_wire_parity`` does for HTTP.

Codex opens the connection, sends a ``generate: false`` prewarm, then the turn chained with
``previous_response_id`` and only the items that are new. Given the same conversation, tools and
options, our frames must equal Codex's but for the differences listed here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chatgpt_sdk import ChatGPT
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.config import os_identity
from chatgpt_sdk.testing import BASE_PATH, FakeChatGPTBackend

CAPTURES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "captures"
pytestmark = pytest.mark.skipif(
    not CAPTURES.is_dir(), reason="needs ../shared/reference/captures (CI has it)"
)

# Codex sends these; we do not, and why (as over HTTP, tests/test_wire_parity.py):
CODEX_ONLY_HEADERS = {
    "x-codex-beta-features": "Codex's own feature flags (remote_compaction_v2)",
    "x-codex-window-id": "Codex's context-window bookkeeping",
    "x-codex-turn-metadata": "Codex's workspace, sandbox and git metadata for its analytics",
}
# Set by each side's WebSocket client for the handshake itself.
WEBSOCKET_LAYER = {"host", "connection", "upgrade", "sec-websocket-version", "sec-websocket-key"}
# client_metadata: Codex's installation, turn and window ids are not sent; the per-request
# headers of a shared connection are (the Lite header, as ws_request_header_*).
OUR_METADATA_KEYS = {"ws_request_header_x_openai_internal_codex_responses_lite"}


def capture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CAPTURES / name).read_text(encoding="utf-8"))
    return data


def without_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k != "id"} for item in items]


@pytest.fixture
def served() -> Iterator[tuple[FakeChatGPTBackend, str]]:
    captured = capture("websocket-gpt-5.5.json")
    account = dict(captured["headers"])["chatgpt-account-id"]
    backend = FakeChatGPTBackend(account_id=account)
    with backend.serve() as server:
        yield backend, server.url + BASE_PATH


def client_for(backend: FakeChatGPTBackend, base: str, frame: dict[str, Any]) -> ChatGPT:
    return ChatGPT(
        token_provider=StaticTokenProvider(backend.access_token, account_id=backend.account_id),
        base_url=base,
        session_id=frame["prompt_cache_key"],
        model_catalog=backend.model_catalog,
        transport="websocket",
    )


def options(frame: dict[str, Any]) -> dict[str, Any]:
    return {
        k: frame[k]
        for k in ("model", "tool_choice", "parallel_tool_calls", "reasoning", "include", "text")
    }


def ours(backend: FakeChatGPTBackend) -> list[dict[str, Any]]:
    return [q.json for q in backend.requests if q.transport == "websocket"]


def expected(frame: dict[str, Any], input_items: list[dict[str, Any]]) -> dict[str, Any]:
    out = {k: v for k, v in frame.items() if k not in ("client_metadata", "previous_response_id")}
    out["input"] = without_ids(input_items)
    return out


def assert_metadata(our_frame: dict[str, Any], codex_frame: dict[str, Any]) -> None:
    metadata = our_frame.pop("client_metadata", {})
    assert set(metadata) <= OUR_METADATA_KEYS
    for key, value in metadata.items():
        assert codex_frame["client_metadata"][key] == value


def assert_handshake_matches(backend: FakeChatGPTBackend, captured: dict[str, Any]) -> None:
    (handshake,) = backend.handshakes
    theirs = {name.lower(): value for name, value in captured["headers"]}
    mine = {name.lower(): value for name, value in handshake.headers.items()}
    assert set(mine) - WEBSOCKET_LAYER == set(theirs) - WEBSOCKET_LAYER - set(CODEX_ONLY_HEADERS)
    for name in (
        "version",
        "x-client-request-id",
        "session-id",
        "thread-id",
        "chatgpt-account-id",
        "openai-beta",
        "x-codex-routing-hint",
        "sec-websocket-extensions",  # permessage-deflate offered as Codex offers it
    ):
        assert mine.get(name) == theirs.get(name), name
    assert mine["authorization"].startswith("Bearer ")
    assert theirs["originator"] == "codex_exec"
    assert mine["originator"] == "codex_cli_rs"
    shape = r"^{}/0\.171\.0 \((\S[^;]* \d+\.\d+\.\d+); \S+\) \S+"
    our_system = re.match(shape.format("codex_cli_rs") + "$", mine["user-agent"])
    assert our_system is not None
    assert our_system[1] == os_identity()


def test_classic_prewarm_and_turn_equal_codex_but_for_the_listed_differences(
    served: tuple[FakeChatGPTBackend, str],
) -> None:
    backend, base = served
    captured = capture("websocket-gpt-5.5.json")
    warm, turn = (frame["json"] for frame in captured["websocket"]["frames"])
    with client_for(backend, base, warm) as client:
        assert client.responses.prewarm(**options(warm), input=warm["input"], tools=warm["tools"])
        client.responses.create(
            **options(turn), input=[*warm["input"], *turn["input"]], tools=turn["tools"]
        )
    assert_handshake_matches(backend, captured)
    our_warm, our_turn = ours(backend)
    assert_metadata(our_warm, warm)
    assert_metadata(our_turn, turn)
    assert our_warm == expected(warm, warm["input"])
    assert our_warm["generate"] is False
    # The turn: chained to the prewarm, only the three new items.
    assert our_turn.pop("previous_response_id").startswith("resp_")
    assert our_turn == expected(turn, turn["input"])
    assert len(our_turn["input"]) == 3


def test_lite_prewarm_and_turn_equal_codex_but_for_the_listed_differences(
    served: tuple[FakeChatGPTBackend, str],
) -> None:
    backend, base = served
    captured = capture("websocket-lite-gpt-6.2-sol.json")
    warm, turn = (frame["json"] for frame in captured["websocket"]["frames"])
    additional, instructions, *conversation = turn["input"]
    functions = additional["tools"][0]
    assert functions["name"] == "functions"
    tools = [*functions["tools"], *additional["tools"][1:]]
    with client_for(backend, base, warm) as client:
        assert client.responses.prewarm(**options(warm), input=[])
        client.responses.create(
            **options(turn),
            input=conversation,
            tools=tools,
            instructions=instructions["content"][0]["text"],
        )
    assert_handshake_matches(backend, captured)
    our_warm, our_turn = ours(backend)
    assert_metadata(our_warm, warm)
    assert_metadata(our_turn, turn)
    assert our_warm == expected(warm, [])
    # The prewarm held no items, so the turn is chained and carries its whole input (as Codex's).
    assert our_turn.pop("previous_response_id").startswith("resp_")
    want = expected(turn, turn["input"])
    # Codex's own instructions message also carries Codex's turn metadata (its analytics).
    del want["input"][1]["internal_chat_message_metadata_passthrough"]
    assert our_turn == want
