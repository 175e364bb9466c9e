"""What a type checker infers for users' code: overloads, stream types, typed kwargs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SNIPPET = """
from chatgpt_sdk import AsyncChatGPT, ChatGPT

def sync_use(client: ChatGPT, flag: bool) -> None:
    reveal_type(client.responses.create(model="m", input="x"))
    reveal_type(client.responses.create(model="m", input="x", stream=True))
    reveal_type(client.responses.create(model="m", input="x", stream=flag))
    reveal_type(client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}]))
    reveal_type(client.chat.completions.create(model="m", messages=[], stream=True))
    reveal_type(client.models.list())
    reveal_type(client.rate_limits)

async def async_use(client: AsyncChatGPT) -> None:
    reveal_type(await client.responses.create(model="m", input="x", stream=True))
    async with client.responses.stream(model="m", input="x") as stream:
        reveal_type(await stream.get_final_response())

def wrong(client: ChatGPT) -> None:
    client.responses.create(model="m", input="x", temprature=0.1)
    client.responses.create(input="x")
"""

EXPECTED = [
    "chatgpt_sdk.models.responses.Response",
    "chatgpt_sdk.streaming.ResponseStream",
    "chatgpt_sdk.models.responses.Response | chatgpt_sdk.streaming.ResponseStream",
    "chatgpt_sdk.models.chat.CreateChatCompletionResponse",
    "chatgpt_sdk.streaming.Stream[chatgpt_sdk.models.chat.CreateChatCompletionStreamResponse]",
    "list[chatgpt_sdk.models.catalog.Model]",
    "chatgpt_sdk.rate_limits.RateLimits | None",
    "chatgpt_sdk.streaming.AsyncResponseStream",
    "chatgpt_sdk.models.responses.Response",
]


def test_public_api_types_as_documented(tmp_path: Path) -> None:
    snippet = tmp_path / "user_code.py"
    snippet.write_text(SNIPPET)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--config-file=",
            str(snippet),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    revealed = [
        ln.split('Revealed type is "', 1)[1].rstrip('"') for ln in lines if "Revealed type" in ln
    ]
    assert revealed == EXPECTED, result.stdout
    error_lines = {int(ln.split(":")[1]) for ln in lines if ": error:" in ln}
    source = SNIPPET.splitlines()
    typo = next(i for i, ln in enumerate(source, 1) if "temprature" in ln)
    no_model = next(i for i, ln in enumerate(source, 1) if "create(input=" in ln)
    # A typo'd keyword and a missing required model are both caught before running anything.
    assert error_lines == {typo, no_model}, result.stdout
