"""``chatgpt-sdk login / logout / status`` against the FakeIssuer served on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from chatgpt_sdk import cli, errors
from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk._fake.server import serve
from chatgpt_sdk.auth import DeviceCodeLogin


@pytest.fixture
def issuer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIssuer]:
    fake = FakeIssuer(pending_polls=2, interval="0.01")
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "sdk"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    monkeypatch.delenv("CHATGPT_AUTH_FILE", raising=False)
    monkeypatch.delenv("CHATGPT_CODEX_REFRESH", raising=False)
    with serve(fake.handle) as server:
        monkeypatch.setenv("CHATGPT_AUTH_ISSUER", server.url)
        yield fake


def saved_tokens(tmp_path: Path) -> dict[str, str]:
    data = json.loads((tmp_path / "sdk" / "auth.json").read_text())
    return {k: data[k] for k in ("access_token", "refresh_token", "id_token")}


def test_login_with_a_device_code(
    issuer: FakeIssuer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["login"]) == 0
    out = capsys.readouterr().out
    assert "/codex/device" in out
    assert "enter this code" in out
    assert f"account {issuer.account_id}, plan plus" in out
    tokens = saved_tokens(tmp_path)
    assert issuer.is_valid_access_token(tokens["access_token"])
    for token in tokens.values():
        assert token not in out


def test_ctrl_c_cancels_the_login(
    issuer: FakeIssuer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cancelled: list[bool] = []

    def interrupted(self: DeviceCodeLogin, code: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(DeviceCodeLogin, "complete", interrupted)
    monkeypatch.setattr(DeviceCodeLogin, "cancel", lambda self: cancelled.append(True))
    assert cli.main(["login"]) == 130
    assert "Cancelled" in capsys.readouterr().err
    assert cancelled == [True]
    assert not (tmp_path / "sdk" / "auth.json").exists()


def test_denied_login_exits_with_an_error(
    issuer: FakeIssuer, capsys: pytest.CaptureFixture[str]
) -> None:
    issuer.deny_next_login()
    assert cli.main(["login"]) == 1
    assert "denied" in capsys.readouterr().err


def test_status_json_after_login(
    issuer: FakeIssuer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["login"])
    capsys.readouterr()
    assert cli.main(["status", "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["logged_in"] is True
    assert report["source"] == "file"
    assert report["path"] == str(tmp_path / "sdk" / "auth.json")
    assert report["account_id"] == issuer.account_id
    assert report["plan_type"] == "plus"
    assert report["expired"] is False
    assert report["can_refresh"] is True
    assert "expires_at" in report
    assert "last_refresh" in report
    for token in saved_tokens(tmp_path).values():
        assert token not in out


def test_status_text(issuer: FakeIssuer, capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["login"])
    capsys.readouterr()
    assert cli.main(["status"]) == 0
    out = capsys.readouterr().out
    assert "chatgpt-sdk auth file" in out
    assert issuer.account_id in out
    assert "in 59 min" in out or "in 60 min" in out


def test_status_when_logged_out(issuer: FakeIssuer, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["status", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["logged_in"] is False
    assert "chatgpt-sdk login" in report["error"]
    assert cli.main(["status"]) == 1
    assert "Not logged in" in capsys.readouterr().out


def test_status_reports_a_codex_login(
    issuer: FakeIssuer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "codex").mkdir()
    (tmp_path / "codex" / "auth.json").write_text(json.dumps({"tokens": issuer.issue_tokens()}))
    assert cli.main(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["source"] == "codex"
    assert report["read_only"] is True
    assert cli.main(["status"]) == 0
    assert "Codex CLI login (read-only)" in capsys.readouterr().out


def test_logout_revokes_and_removes(
    issuer: FakeIssuer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["login"])
    refresh = saved_tokens(tmp_path)["refresh_token"]
    assert cli.main(["logout", "--yes"]) == 0
    assert "Logged out" in capsys.readouterr().out
    assert not (tmp_path / "sdk" / "auth.json").exists()
    assert issuer.revoke_calls == 1
    assert issuer.refresh_token_state(refresh) == "revoked"
    assert cli.main(["logout", "--yes"]) == 0
    assert "Not logged in" in capsys.readouterr().out


def test_logout_asks_first(
    issuer: FakeIssuer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.main(["login"])
    monkeypatch.setattr(cli, "_confirm", lambda question: False)
    assert cli.main(["logout"]) == 1
    assert (tmp_path / "sdk" / "auth.json").exists()
    monkeypatch.setattr(cli, "_confirm", lambda question: True)
    assert cli.main(["logout"]) == 0
    assert not (tmp_path / "sdk" / "auth.json").exists()


def test_serve_refuses_a_public_host_without_an_api_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CHATGPT_SDK_API_KEY", raising=False)
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 1
    assert "without an API key" in capsys.readouterr().err


def test_unknown_arguments_are_rejected_for_built_commands() -> None:
    with pytest.raises(SystemExit):
        cli.main(["status", "--bogus"])


def test_cli_import_is_cheap() -> None:
    code = "import sys, chatgpt_sdk.cli; print(sorted(m for m in ('httpx', 'filelock', 'pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


DOCUMENTED_ERRORS = [
    errors.LoginRequiredError("No login.\nRun `chatgpt-sdk login`."),
    errors.ReauthenticationRequired("Dead refresh token.", code="refresh_token_reused"),
    errors.AuthFileError("Could not save the auth file /x/auth.json: disk full.", path="/x"),
    errors.LoginFailedError("The login was denied.", reason="denied"),
    errors.APIStatusError("Refreshing failed:\r\n  502.", status_code=502),
    errors.APIConnectionError("Could not reach the auth server."),
    errors.ChatGPTError(""),
]


@pytest.mark.parametrize("error", DOCUMENTED_ERRORS, ids=lambda e: type(e).__name__)
def test_every_documented_error_is_one_line_without_a_traceback(
    error: errors.ChatGPTError,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fail(args: object) -> int:
        raise error

    monkeypatch.setitem(
        cli.COMMANDS, "status", dataclasses.replace(cli.COMMANDS["status"], run=fail)
    )
    assert cli.main(["status"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("chatgpt-sdk: error: ")
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


def test_logout_with_a_planted_lock_symlink_prints_one_line(
    issuer: FakeIssuer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["login"]) == 0
    lock = tmp_path / "sdk" / "auth.json.lock"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    lock.unlink()
    lock.symlink_to(victim)
    capsys.readouterr()
    assert cli.main(["logout", "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chatgpt-sdk: error: ")
    assert err.count("\n") == 1
    assert str(lock) in err
    assert victim.read_text() == "precious"
    assert (tmp_path / "sdk" / "auth.json").exists()


def test_login_stops_before_the_flow_when_the_login_could_not_be_saved(
    issuer: FakeIssuer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("CHATGPT_TOKEN_DIR", str(tmp_path / "a-file" / "sdk"))
    assert cli.main(["login"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("chatgpt-sdk: error: ")
    assert captured.err.count("\n") == 1
    assert "/codex/device" not in captured.out
    assert issuer.usercode_calls == 0


def test_status_reports_a_malformed_auth_file_without_a_traceback(
    issuer: FakeIssuer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sdk").mkdir()
    (tmp_path / "sdk" / "auth.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert cli.main(["status", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["logged_in"] is False
    assert "chatgpt-sdk login" in report["error"]
