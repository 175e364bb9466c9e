"""The normaliser table and the rate-limit parser: pure functions, tested directly."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chatgpt_sdk.normalize import FIELDS, Action, normalize_request
from chatgpt_sdk.rate_limits import parse_rate_limits

DEFAULTS = {"default_instructions": "Default.", "prompt_cache_key": "sess"}


def test_every_unsupported_row_cites_evidence() -> None:
    unsupported = [k for k, rule in FIELDS.items() if rule.action is Action.UNSUPPORTED]
    assert {
        "max_output_tokens",
        "max_tokens",
        "max_completion_tokens",
        "metadata",
        "temperature",
    } <= set(unsupported)
    for rule in FIELDS.values():
        assert rule.evidence.startswith(("[cap]", "[source]", "[3rd]", "[?]"))


@pytest.mark.parametrize(
    ("given_params", "expected"),
    [
        (
            {"model": "m", "input": "hi"},
            {
                "model": "m",
                "input": [
                    {
                        "type": "message",
                        "role": "user",
                        "content": [{"type": "input_text", "text": "hi"}],
                    }
                ],
                "instructions": "Default.",
                "store": False,
                "stream": True,
                "prompt_cache_key": "sess",
            },
        ),
        (
            {
                "model": "m",
                "input": [],
                "instructions": "",
                "store": True,
                "stream": False,
                "prompt_cache_key": "mine",
            },
            {
                "model": "m",
                "input": [],
                "instructions": "Default.",
                "store": False,
                "stream": True,
                "prompt_cache_key": "mine",
            },
        ),
        (
            {
                "model": "m",
                "reasoning": {"effort": "low"},
                "include": ["reasoning.encrypted_content"],
            },
            {
                "model": "m",
                "reasoning": {"effort": "low"},
                "include": ["reasoning.encrypted_content"],
                "input": [],
                "instructions": "Default.",
                "store": False,
                "stream": True,
                "prompt_cache_key": "sess",
            },
        ),
        (
            {
                "model": "m",
                "input": [{"type": "message", "role": "system", "content": "x", "id": "msg_1"}],
                "new_field": 1,
            },
            {
                "model": "m",
                "input": [{"type": "message", "role": "developer", "content": "x"}],
                "new_field": 1,
                "instructions": "Default.",
                "store": False,
                "stream": True,
                "prompt_cache_key": "sess",
            },
        ),
        (
            {"model": "m", "input": [{"type": "item_reference", "id": "x"}, 5]},
            {
                "model": "m",
                "input": [{"type": "item_reference", "id": "x"}, 5],  # the id is the item
                "instructions": "Default.",
                "store": False,
                "stream": True,
                "prompt_cache_key": "sess",
            },
        ),
    ],
    ids=[
        "string-input",
        "forced-and-empty",
        "include-not-duplicated",
        "system-and-ids",
        "odd-items-left-for-validation",
    ],
)
def test_rows(given_params: dict[str, Any], expected: dict[str, Any]) -> None:
    result = normalize_request(given_params, **DEFAULTS)
    assert result.body == expected
    assert result.removed == ()


def test_unsupported_fields_are_reported_in_request_order() -> None:
    result = normalize_request({"model": "m", "user": "u", "max_tokens": 5, "top_p": 1}, **DEFAULTS)
    assert result.removed == ("user", "max_tokens", "top_p")
    assert not {"user", "max_tokens", "top_p"} & set(result.body)


def test_chat_style_tools_are_flattened_and_flat_ones_kept() -> None:
    nested = {"type": "function", "function": {"name": "f", "parameters": {}, "strict": True}}
    flat = {"type": "function", "name": "g"}
    other = {"type": "web_search"}
    result = normalize_request({"model": "m", "tools": [nested, flat, other]}, **DEFAULTS)
    assert result.body["tools"] == [
        {"type": "function", "name": "f", "parameters": {}, "strict": True},
        flat,
        other,
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@example(
    {"reasoning": True, "include": 0}
)  # once raised TypeError instead of leaving it to validation
@given(st.dictionaries(st.sampled_from([*FIELDS, "x", "y"]), json_values, max_size=8))
def test_never_mutates_and_is_idempotent(params: dict[str, Any]) -> None:
    snapshot = copy.deepcopy(params)
    once = normalize_request(params, **DEFAULTS)
    assert params == snapshot
    twice = normalize_request(once.body, **DEFAULTS)
    assert twice.body == once.body
    assert twice.removed == ()
    assert once.body["store"] is False
    assert once.body["stream"] is True


NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_rate_limits_prefer_reset_at_and_fall_back_to_reset_after() -> None:
    limits = parse_rate_limits(
        httpx.Headers(
            {
                "x-codex-primary-used-percent": "55.5",
                "x-codex-primary-window-minutes": "300",
                "x-codex-primary-reset-at": "1767243600",
                "x-codex-primary-reset-after-seconds": "1",
                "x-codex-secondary-used-percent": "2",
                "x-codex-secondary-reset-after-seconds": "60",
            }
        ),
        now=NOW,
    )
    assert limits is not None
    assert limits.primary is not None
    assert limits.secondary is not None
    assert limits.primary.resets_at == datetime.fromtimestamp(1767243600, timezone.utc)
    assert limits.secondary.resets_at == NOW + timedelta(seconds=60)
    assert limits.secondary.window_minutes is None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-codex-primary-used-percent": "nan"},
        {"x-codex-primary-used-percent": "abc"},
        {"x-codex-primary-used-percent": "0", "x-codex-primary-window-minutes": "0"},
    ],
    ids=["absent", "nan", "garbage", "all-zero"],
)
def test_no_window_is_none(headers: dict[str, str]) -> None:
    assert parse_rate_limits(httpx.Headers(headers), now=NOW) is None
