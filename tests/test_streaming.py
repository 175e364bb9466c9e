"""The pure parts of streaming: the SSE decoder and the final-response fold."""

from __future__ import annotations

import json

import pytest
from client_support import recorded, recorded_events
from hypothesis import given
from hypothesis import strategies as st

from chatgpt_sdk.models import responses as r
from chatgpt_sdk.streaming import EventTooLarge, SSEDecoder, StreamState

payloads = st.lists(
    st.text(
        alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)),
        min_size=1,
    ),
    min_size=1,
    max_size=8,
)


def encode(datas: list[str], newline: str) -> bytes:
    return "".join(f"event: x{newline}data: {d}{newline}{newline}" for d in datas).encode()


def decode_all(body: bytes, cuts: list[int]) -> list[bytes]:
    decoder = SSEDecoder()
    out: list[bytes] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(body)]:
        out.extend(decoder.feed(body[start:cut]))
        start = cut
    return out


@given(
    payloads,
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.lists(st.integers(min_value=0, max_value=2000)),
)
def test_any_chunking_yields_the_same_events(
    datas: list[str], newline: str, cuts: list[int]
) -> None:
    body = encode(datas, newline)
    cuts = [c for c in cuts if c <= len(body)]
    assert decode_all(body, cuts) == [d.encode() for d in datas]


def test_multi_line_data_comments_and_other_fields() -> None:
    body = b": keep-alive\n\nid: 7\nretry: 10\ndata: line one\ndata:line two\n\ndata: tail-without-blank"
    decoder = SSEDecoder()
    assert decoder.feed(body) == [b"line one\nline two"]
    assert decoder.feed(b"") == []  # the unterminated last event is never dispatched


def test_a_split_utf8_character_survives() -> None:
    body = 'data: {"delta":"héllo ✓"}\n\n'.encode()
    middle = body.index("✓".encode()) + 1
    assert decode_all(body, [middle]) == ['{"delta":"héllo ✓"}'.encode()]


def test_state_folds_a_recorded_stream_into_the_final_response() -> None:
    state = StreamState()
    events = list(state.feed_bytes(recorded("function_call")))
    assert [e.type for e in events] == [e["type"] for e in recorded_events("function_call")]
    state.finish()
    final = state.final_response()
    assert final.id == "resp_def"
    assert isinstance(final.output[0], r.FunctionToolCall)
    assert final.output[0].arguments == '{"city":"Paris"}'
    assert state.partial_text == ""


def test_text_done_without_item_done_builds_a_message() -> None:
    events = [e for e in recorded_events("text") if e["type"] != "response.output_item.done"]
    events = [e for e in events if e["type"] != "response.output_text.delta"]
    state = StreamState()
    for event in events:
        state.parse(json.dumps(event))
    (message,) = state.final_response().output
    assert isinstance(message, r.OutputMessage)
    assert message.content[0].text == "Hello! How can I help?"


def test_reset_forgets_a_failed_attempt() -> None:
    state = StreamState()
    list(state.feed_bytes(recorded("text")[:300]))
    assert state.events
    state.reset()
    assert state.events == []
    assert state.partial_text == ""
    assert decode_all(b"data: a\n\n", []) == [b"a"]


def test_a_stream_reports_the_events_it_received() -> None:
    from chatgpt_sdk.testing import FakeChatGPTBackend

    backend = FakeChatGPTBackend()
    backend.reply(text="two words", deltas=["two ", "words"])
    with backend.client() as client, client.responses.stream(model="gpt-5.5", input="x") as stream:
        first = next(iter(stream))
        assert [e.type for e in stream.events_received] == [first.type]
        stream.get_final_response()
        received = stream.events_received
    assert received[0].type == "response.created"
    assert received[-1].type == "response.completed"
    assert sum(e.type == "response.output_text.delta" for e in received) == 2


@given(
    st.lists(st.tuples(payloads, st.sampled_from(["\n", "\r\n", "\r"])), min_size=1, max_size=4),
    st.lists(st.integers(min_value=0, max_value=2000)),
)
def test_mixed_line_endings_in_one_stream_decode_alike(
    parts: list[tuple[list[str], str]], cuts: list[int]
) -> None:
    body = b"".join(encode(datas, newline) for datas, newline in parts)
    cuts = [c for c in cuts if c <= len(body)]
    assert decode_all(body, cuts) == [d.encode() for datas, _ in parts for d in datas]


def test_a_cr_at_a_chunk_end_followed_by_lf_is_one_line_end() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\n\r") == [b"a"]
    assert decoder.feed(b"\ndata: b\r\r") == [b"b"]


def test_a_large_event_in_small_chunks_decodes_in_linear_work() -> None:
    # 8 MiB in 4 KiB chunks: a decoder that re-joins its buffer on every chunk copies ~8 GiB here
    # (minutes); this one joins the pieces once, when the line ends.
    payload = b"x" * (8 * 1024 * 1024)
    body = b"data: " + payload + b"\n\n"
    decoder = SSEDecoder()
    out: list[bytes] = []
    for start in range(0, len(body), 4096):
        out.extend(decoder.feed(body[start : start + 4096]))
    assert out == [payload]


def test_an_event_past_the_cap_raises_and_the_decoder_forgets_it() -> None:
    decoder = SSEDecoder(max_event_size=1000)
    for _ in range(9):
        assert decoder.feed(b"data: " + b"y" * 100) == []  # one unterminated line, growing
    with pytest.raises(EventTooLarge, match="1000 bytes"):
        decoder.feed(b"y" * 100)
    decoder = SSEDecoder(max_event_size=1000)
    with pytest.raises(EventTooLarge):
        decoder.feed(b"".join(b"data: " + b"z" * 300 + b"\n" for _ in range(4)))  # multi-line
    assert decoder.feed(b"data: ok\n\n") == [b"ok"]


def test_a_too_large_event_is_a_stream_error_that_is_not_retried() -> None:
    from chatgpt_sdk import errors
    from chatgpt_sdk.streaming import DEFAULT_MAX_EVENT_SIZE

    state = StreamState()
    list(state.feed_bytes(recorded("text")[:300]))
    with pytest.raises(errors.StreamError, match="max_event_size") as info:
        list(state.feed_bytes(b"data: " + b"q" * (DEFAULT_MAX_EVENT_SIZE + 1)))
    assert info.value.retryable is False
    assert info.value.events  # what arrived before is kept
