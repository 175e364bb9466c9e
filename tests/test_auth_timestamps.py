"""``last_refresh`` timestamps as Codex and others write them, parsed alike on every Python."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatgpt_sdk.auth._tokens import decode, format_rfc3339, parse_rfc3339

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Codex 0.171 (nanoseconds; the 7th to 9th digits are truncated, not rounded)
        ("2026-11-30T16:08:59.077708261Z", datetime(2026, 11, 30, 16, 8, 59, 77708, UTC)),
        ("2026-11-30T16:08:59.999999999Z", datetime(2026, 11, 30, 16, 8, 59, 999999, UTC)),
        ("2026-11-30T16:08:59+00:00", datetime(2026, 11, 30, 16, 8, 59, tzinfo=UTC)),
        ("2026-11-30T16:08:59Z", datetime(2026, 11, 30, 16, 8, 59, tzinfo=UTC)),
        ("2026-11-30t16:08:59z", datetime(2026, 11, 30, 16, 8, 59, tzinfo=UTC)),
        ("2026-11-30T16:08:59.5Z", datetime(2026, 11, 30, 16, 8, 59, 500000, UTC)),
        ("2026-11-30T16:08:59.123456Z", datetime(2026, 11, 30, 16, 8, 59, 123456, UTC)),
        (
            "2026-11-30T16:08:59.1-05:30",
            datetime(2026, 11, 30, 16, 8, 59, 100000, timezone(-timedelta(hours=5, minutes=30))),
        ),
        ("2026-11-30T23:59:59-00:00", datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC)),
        # a leap second is held as the last microsecond of its minute
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, 999999, UTC)),
        # kept from earlier versions: a space separator; no offset means UTC
        ("2026-11-30 16:08:59.077708Z", datetime(2026, 11, 30, 16, 8, 59, 77708, UTC)),
        ("2026-11-30T16:08:59.077708", datetime(2026, 11, 30, 16, 8, 59, 77708, UTC)),
    ],
)
def test_parses(text: str, expected: datetime) -> None:
    parsed = parse_rfc3339(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2026-11-30",  # a date is not a date-time
        "2026-11-30T16:08Z",  # seconds are required
        "2026-11-30T16:08:59.Z",  # a dot needs digits
        "2026-11-30T16:08:59Z ",
        " 2026-11-30T16:08:59Z",
        "2026-11-30T16:08:59+0000",
        "2026-11-30T16:08:59+24:00",
        "2026-11-30T16:08:59+05:60",
        "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z",  # not a leap year
        "2026-11-30T24:00:00Z",
        "2026-11-30T16:08:61Z",
        "0000-01-01T00:00:00Z",  # before datetime.min
        "２０２６-11-30T16:08:59Z",  # fullwidth digits
        "2026-11-30T16:08:59.١٢٣Z",  # Arabic-Indic digits in the fraction
        "2026-11-30X16:08:59Z",
    ],
)
def test_rejects(text: str) -> None:
    assert parse_rfc3339(text) is None


@pytest.mark.parametrize("value", [None, 1764518939, 1764518939.5, b"2026-11-30T16:08:59Z", {}])
def test_non_strings_are_none(value: object) -> None:
    assert parse_rfc3339(value) is None


def test_a_codex_file_with_nanoseconds_decodes(tmp_path: Path) -> None:
    data = {
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": None,
        "tokens": {"access_token": "at", "refresh_token": "rt", "id_token": None},
        "last_refresh": "2026-11-30T16:08:59.077708261Z",
    }
    _, tokens = decode(data, tmp_path / "auth.json")
    assert tokens.last_refresh == datetime(2026, 11, 30, 16, 8, 59, 77708, UTC)


offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=offsets
)


def offset_text(moment: datetime, zero_style: str) -> str:
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return zero_style
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@given(
    moment=moments,
    digits=st.integers(min_value=0, max_value=12),
    extra=st.text(alphabet="0123456789", min_size=6, max_size=6),
    separator=st.sampled_from("Tt"),
    zero_style=st.sampled_from(["Z", "z", "+00:00", "-00:00"]),
)
def test_any_rfc3339_rendering_parses_to_its_moment(
    moment: datetime, digits: int, extra: str, separator: str, zero_style: str
) -> None:
    fraction = (f"{moment.microsecond:06d}" + extra)[:digits]
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}{separator}"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
        f"{'.' + fraction if fraction else ''}{offset_text(moment, zero_style)}"
    )
    expected = moment.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    parsed = parse_rfc3339(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == moment.utcoffset()


@given(moment=moments)
def test_round_trips_what_we_write(moment: datetime) -> None:
    assert parse_rfc3339(format_rfc3339(moment)) == moment


@given(st.text())
def test_never_raises_and_is_aware_when_it_parses(text: str) -> None:
    parsed = parse_rfc3339(text)
    assert parsed is None or parsed.tzinfo is not None


@pytest.mark.skipif(sys.version_info < (3, 11), reason="fromisoformat takes RFC 3339 from 3.11")
@given(moment=moments)
def test_agrees_with_fromisoformat_where_it_can_parse(moment: datetime) -> None:
    text = moment.isoformat()
    assert parse_rfc3339(text) == datetime.fromisoformat(text)
