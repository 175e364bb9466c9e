"""The benchmarks' backend: ``FakeChatGPTBackend`` served on 127.0.0.1 in a process of its own.

The reply length is asked for in the prompt ("... 20000 deltas"), so every client under test can
request it without custom headers; replies are encoded once per length and cached, so the server
costs almost nothing per request and is never what a benchmark measures. Run it alone with
``python benchmarks/fake_server.py --port 8765``, or from a bench script with ``start_server()``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from processes import started

from chatgpt_sdk.testing import (
    BASE_PATH,
    FakeChatGPTBackend,
    RecordedRequest,
    make_access_token,
    sse,
)

ACCOUNT_ID = "0b6c3a1e-0000-4000-8000-00000000be4c"
PLAN_TYPE = "plus"
# Fixed, so that the bench process and the server process agree on the token without talking.
EXPIRES_AT = 4102444800  # 2100-01-01
DEFAULT_DELTAS = 60
_ASKED = re.compile(r"(\d+) deltas")


def prompt_for(deltas: int) -> str:
    """The user text that asks this server for a reply of ``deltas`` text deltas."""
    return f"Reply with {deltas} deltas."


@cache
def reply_body(deltas: int) -> bytes:
    """A complete text reply of ``deltas`` deltas as SSE bytes (built once per length)."""
    events = sse.reply_events(
        deltas=[f" tok{i % 1000}" for i in range(deltas)],
        response_id=f"resp_bench{deltas}",
        usage={"input_tokens": 1200, "cached_tokens": 1024},
    )
    return sse.encode_events(events)


def _last_user_text(request: RecordedRequest) -> str:
    body = request.json if isinstance(request.json, dict) else {}
    items = body.get("input")
    text = ""
    for item in items if isinstance(items, list) else ():
        content = item.get("content") if isinstance(item, dict) else None
        if isinstance(content, str):
            text = content
        elif isinstance(content, list):
            text = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return text


def respond(request: RecordedRequest) -> bytes:
    """The backend's responder: the length named in the prompt, else ``DEFAULT_DELTAS``."""
    asked = _ASKED.search(_last_user_text(request))
    return reply_body(int(asked.group(1)) if asked else DEFAULT_DELTAS)


def make_backend() -> FakeChatGPTBackend:
    backend = FakeChatGPTBackend(
        account_id=ACCOUNT_ID,
        plan_type=PLAN_TYPE,
        responder=respond,
        chunk_size=65536,
        keep_requests=100,
    )
    backend.access_token = access_token()
    return backend


def access_token() -> str:
    """The token the benchmark server accepts."""
    return make_access_token(ACCOUNT_ID, PLAN_TYPE, expires_at=EXPIRES_AT)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    backend = make_backend()
    with backend.serve("127.0.0.1", args.port) as server:
        print(server.url, flush=True)
        threading.Event().wait()


@contextmanager
def start_server() -> Iterator[tuple[str, subprocess.Popen[Any]]]:
    """Run the server in a child process; yields ``(api_base_url, process)``, stops it after."""
    command = [sys.executable, str(Path(__file__).resolve()), "--port", "0"]
    with started(command, "the fake server") as (url, process):
        yield url + BASE_PATH, process


if __name__ == "__main__":
    main()
