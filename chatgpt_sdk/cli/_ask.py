"""``models``, ``ask`` and ``demo``: talking to the models."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from chatgpt_sdk.cli._commands import command

DEFAULT_MODEL = "gpt-6.2-sol"  # Codex 0.171's default (a Responses Lite model)


def _models_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the catalog as JSON")
    parser.add_argument("--all", action="store_true", help="include hidden models")


@command("models", "List the models your plan can use (the live catalog).", _models_arguments)
def _cmd_models(args: argparse.Namespace) -> int:
    from chatgpt_sdk.client import ChatGPT

    with ChatGPT() as client:
        models = client.models.list()
    shown = [m for m in models if args.all or m.visibility in (None, "list")]
    if args.json:
        print(json.dumps([m.model_dump(mode="json", exclude_none=True) for m in shown], indent=2))
        return 0
    for model in shown:
        efforts = ",".join(level.effort for level in model.supported_reasoning_levels or [])
        window = f"{model.context_window:,} tokens" if model.context_window else ""
        print(f"{model.slug:<22} {model.display_name or '':<18} {window:<16} {efforts}")
    return 0


def _ask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", help='the question; "-" reads it from standard input')
    parser.add_argument(
        "-m",
        "--model",
        default=None,
        help=f"model slug (default: $CHATGPT_MODEL or {DEFAULT_MODEL})",
    )
    parser.add_argument("-i", "--instructions", default=None, help="system instructions")
    parser.add_argument(
        "-e", "--effort", default=None, help="reasoning effort: minimal, low, medium, high, xhigh"
    )
    parser.add_argument("--json", action="store_true", help="print the final response as JSON")


@command("ask", "Ask one question and stream the answer.", _ask_arguments)
def _cmd_ask(args: argparse.Namespace) -> int:
    import os

    from chatgpt_sdk.client import ChatGPT

    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not prompt.strip():
        print("error: the prompt is empty", file=sys.stderr)
        return 2
    params: dict[str, Any] = {
        "model": args.model or os.environ.get("CHATGPT_MODEL") or DEFAULT_MODEL,
        "input": prompt,
    }
    if args.instructions:
        params["instructions"] = args.instructions
    if args.effort:
        params["reasoning"] = {"effort": args.effort}
    # Closing the client saves the usage windows it saw with the login (`chatgpt-sdk status`).
    with ChatGPT() as client, client.responses.stream(**params) as stream:
        if args.json:
            final = stream.get_final_response()
            print(final.model_dump_json(indent=2, exclude_none=True))
        else:
            for text in stream.text_deltas():
                sys.stdout.write(text)
                sys.stdout.flush()
            sys.stdout.write("\n")
    return 0


# --- demo -------------------------------------------------------------------------------------


@command("demo", "A short tour of the SDK against the built-in fake backend (no login needed).")
def _cmd_demo(args: argparse.Namespace) -> int:
    from chatgpt_sdk import errors
    from chatgpt_sdk.testing import FakeChatGPTBackend

    backend = FakeChatGPTBackend()
    out = sys.stdout
    with backend.client() as client:
        out.write("1. Streaming a reply (client.responses.stream):\n   ")
        backend.reply(
            text="Hello from the fake backend! Every event is typed.",
            deltas=["Hello ", "from the ", "fake backend! ", "Every event ", "is typed."],
        )
        with client.responses.stream(model=DEFAULT_MODEL, input="Say hello") as stream:
            for text in stream.text_deltas():
                out.write(text)
                out.flush()
            final = stream.get_final_response()
        usage = final.usage
        out.write(f"\n   usage: {usage.input_tokens if usage else '?'} in, ")
        out.write(f"{usage.output_tokens if usage else '?'} out\n\n")

        out.write("2. A tool call, then the second turn (output items replayed, ids stripped):\n")
        backend.reply(text="Let me check.", tool_calls=[("get_weather", '{"city":"Paris"}')])
        tools = [
            {
                "type": "function",
                "name": "get_weather",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            }
        ]
        first = client.responses.create(model=DEFAULT_MODEL, input="Weather in Paris?", tools=tools)
        call = first.output[-1]
        out.write(
            f"   model called {getattr(call, 'name', '?')}({getattr(call, 'arguments', '')})\n"
        )
        backend.reply(text="Paris: 21 °C and sunny.")
        second = client.responses.create(
            model=DEFAULT_MODEL,
            tools=tools,
            input=[
                {"role": "user", "content": "Weather in Paris?"},
                *first.output,
                {
                    "type": "function_call_output",
                    "call_id": getattr(call, "call_id", ""),
                    "output": '{"temp_c": 21}',
                },
            ],
        )
        out.write(f"   answer: {second.output_text}\n\n")

        out.write("3. Chat Completions, bridged (client.chat.completions.create):\n")
        backend.reply(text="Bridged through the Responses API.")
        chat = client.chat.completions.create(
            model=DEFAULT_MODEL,
            messages=[
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "hi"},
            ],
        )
        out.write(
            f"   {chat.choices[0].message.content} (finish: {chat.choices[0].finish_reason})\n\n"
        )

        out.write("4. Usage windows from the x-codex-* headers (client.rate_limits):\n")
        limits = client.rate_limits
        if limits is not None and limits.primary is not None:
            out.write(f"   primary window: {limits.primary.used_percent:.0f}% used\n\n")

        out.write("5. A spent usage limit is a typed error, never retried:\n")
        backend.usage_limit(plan_type="plus", resets_in_seconds=3600)
        try:
            client.responses.create(model=DEFAULT_MODEL, input="one more?")
        except errors.UsageLimitError as exc:
            when = exc.resets_at.strftime("%H:%M UTC") if exc.resets_at else "later"
            out.write(f"   UsageLimitError: plan {exc.plan_type}, resets at {when}\n")
    out.write('\nNext: `chatgpt-sdk login`, then `chatgpt-sdk ask "..."`.\n')
    return 0
