"""`chatgpt-sdk ask | models | demo | status` against a FakeChatGPTBackend served on loopback."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from chatgpt_sdk import cli
from chatgpt_sdk.auth import FileTokenProvider
from chatgpt_sdk.testing import FakeChatGPTBackend


@pytest.fixture
def backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeChatGPTBackend]:
    """A served fake backend, and an auth file holding a token it accepts."""
    fake = FakeChatGPTBackend()
    token_dir = tmp_path / "tokens"
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(token_dir))
    monkeypatch.delenv("CHATGPT_AUTH_FILE", raising=False)
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "no-codex"))
    FileTokenProvider().save_tokens(
        access_token=fake.access_token, refresh_token="rt-unused", id_token=fake.access_token
    )
    with fake.serve() as server:
        monkeypatch.setenv("CHATGPT_API_BASE", server.url + "/backend-api/codex")
        yield fake


def test_ask_streams_the_answer(
    backend: FakeChatGPTBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.reply(text="Forty-two.", deltas=["Forty", "-two."])
    assert cli.main(["ask", "What is the answer?", "-m", "gpt-5.4", "-e", "low"]) == 0
    assert capsys.readouterr().out == "Forty-two.\n"
    sent = backend.last_request.json
    assert sent is not None
    assert sent["model"] == "gpt-5.4"
    assert sent["reasoning"] == {"effort": "low"}
    assert sent["input"][0]["content"][0]["text"] == "What is the answer?"


def test_ask_reads_stdin_and_prints_json(
    backend: FakeChatGPTBackend, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("from stdin\n"))
    backend.reply(text="ok")
    assert cli.main(["ask", "-", "--json"]) == 0
    final = json.loads(capsys.readouterr().out)
    assert final["output"][0]["content"][0]["text"] == "ok"
    assert backend.last_request.json["input"][0]["content"][0]["text"] == "from stdin\n"  # type: ignore[index]


def test_ask_reports_errors_without_a_traceback(
    backend: FakeChatGPTBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.usage_limit(plan_type="plus", resets_in_seconds=60)
    assert cli.main(["ask", "hi"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chatgpt-sdk: error: ")
    assert "usage limit" in err.lower()
    assert backend.access_token not in err


def test_empty_prompt_is_rejected(
    backend: FakeChatGPTBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["ask", "   "]) == 2
    assert "empty" in capsys.readouterr().err
    assert backend.requests == []


def test_models_lists_the_catalog(
    backend: FakeChatGPTBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["models"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("gpt-5.5 ") for line in lines)
    assert cli.main(["models", "--json"]) == 0
    slugs = [m["slug"] for m in json.loads(capsys.readouterr().out)]
    assert "gpt-5.5" in slugs


def test_status_shows_the_rate_limits_last_seen(
    backend: FakeChatGPTBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.reply(text="hi")
    assert cli.main(["ask", "hi"]) == 0
    capsys.readouterr()
    assert cli.main(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    limits = report["rate_limits"]
    assert limits["primary"]["window_minutes"] == 300
    assert limits["plan_type"] == "plus"
    assert backend.access_token not in json.dumps(report)


def test_demo_runs_without_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "empty"))
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Hello from the fake backend!" in out
    assert 'get_weather({"city":"Paris"})' in out
    assert "Paris: 21 °C and sunny." in out
    assert "finish: stop" in out
    assert "UsageLimitError: plan plus" in out
