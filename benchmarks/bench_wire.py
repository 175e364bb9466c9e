"""Bytes on the wire and client CPU per request of a replayed 30-turn conversation (issue 9, "Speed").

    uv run --group bench python benchmarks/bench_wire.py

Codex over HTTP stores nothing, so turn k sends the whole conversation so far. A deterministic
(seeded) 30-turn coding conversation is replayed turn by turn: each turn adds a user message
(200-600 characters), an assistant reply (300-1500) and, every third turn, a function call with
its output; three function tools with JSON schemas and ~2 KB of instructions ride along. The text
is cut from the docstrings and sources of Python's standard library (real prose and code, so zstd
meets text that compresses like a real conversation; it depends only on the Python version).

Against one ``FakeChatGPTBackend`` process (``fake_server.py``), each client replays the
conversation in a fresh process of its own, several rounds, alternating clients:

- bytes on the wire: the request body as the server received it (``RecordedRequest.wire_size``,
  read from a backend served inside this process in a separate, untimed pass);
- client CPU per request: ``time.process_time`` around each call, in the client's process (the
  server's CPU is another process's); per turn the median over every replay, then the median of
  the 30 turns and their sum (the whole conversation).

Clients: the floor (httpx posting ``json.dumps(body)`` of the same body the SDK sends, built
before timing, and ``json.loads`` of every SSE ``data:`` line), and chatgpt_sdk with compression
on (zstd level 3 for bodies >= 1 KiB) and off, each for a classic model (gpt-5.5) and a Responses
Lite one (gpt-6.2-sol, whose shape moves tools and instructions into the input).

Then the model catalog's per-request work on a warm cache (``ModelCatalog.fresh`` +
``CatalogEntry.profile`` + ``ModelProfile.with_lite``) and ``shape_for_model`` of the turn-30
bodies, timed with ``timeit`` (best of several), next to the per-request CPU.
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any

import httpx
from fake_server import ACCOUNT_ID, access_token, make_backend, start_server

SEED = 9
TURNS = 30
CLASSIC, LITE = "gpt-5.5", "gpt-6.2-sol"
REPLAYS = 6  # timed replays of the whole conversation per worker (after one untimed warm-up)
ROUNDS = 3  # each client's worker runs this many times, clients interleaved
WORKER_TIMEOUT_S = 120
PROMPT_CACHE_KEY = "4f3c2b1a-0000-4000-8000-00000000be9e"  # the floor's; the SDK sends its own

# -- the conversation ---------------------------------------------------------------------------

INSTRUCTIONS = "\n".join(
    [
        "You are a coding agent running in a terminal on the user's machine. You and the user "
        "share one workspace: read files, run commands and edit code to finish the task, then "
        "report what you did in a few sentences.",
        "- Read before you write. Open the files a change touches and the tests that cover them; "
        "search with rg rather than grep, and read whole functions, not single lines.",
        "- Keep changes small and in the style of the surrounding code: same naming, same error "
        "handling, same level of comments. Do not reformat code you are not changing.",
        "- Use apply_patch for every edit. A patch names each file it touches and holds enough "
        "context lines to apply unambiguously; never write files with shell redirection.",
        "- Run the narrowest test that proves a change first, then the wider suite. When a test "
        "fails, read its output before changing anything; do not retry blindly.",
        "- Commands run with a timeout. Long builds may be cut short: prefer targeted commands "
        "(one package, one test file) and say when you could not run something.",
        "- Never run destructive commands (rm -rf, git reset --hard, force pushes) unless the user "
        "asked for exactly that. Do not commit unless asked.",
        "- When the request is ambiguous, make the most reasonable assumption, state it in one "
        "line, and go on; ask only when a wrong guess would waste a lot of work.",
        "- Final answers are short: what changed, where, how it was verified, and anything left "
        "undone. Use file paths with line numbers so the user can jump to them.",
        "- Plans: for work of several steps keep a plan with update_plan, one step in progress at "
        "a time, and mark steps done as you finish them.",
        "- Formatting: plain sentences and short bullet lists; code in fenced blocks with a "
        "language tag; no headings for answers of a few lines, and no tables unless asked.",
        "- Reviews: when asked to review, list findings first, most severe first, each with its "
        "file and line, then open questions; say so plainly when you found nothing.",
        "- Secrets: never print tokens, keys or passwords found in the workspace or environment, "
        "and never send them anywhere.",
    ]
)

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "name": "shell",
        "description": "Runs a shell command and returns its output, exit code and duration.",
        "strict": False,
        "parameters": {
            "type": "object",
            "properties": {
                "command": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "The command and its arguments, e.g. ['bash', '-lc', 'ls'].",
                },
                "workdir": {"type": "string", "description": "The working directory."},
                "timeout_ms": {"type": "number", "description": "Timeout in milliseconds."},
            },
            "required": ["command"],
            "additionalProperties": False,
        },
    },
    {
        "type": "function",
        "name": "apply_patch",
        "description": "Applies a patch (the *** Begin Patch format) to files of the workspace.",
        "strict": False,
        "parameters": {
            "type": "object",
            "properties": {
                "input": {"type": "string", "description": "The entire patch to apply."},
            },
            "required": ["input"],
            "additionalProperties": False,
        },
    },
    {
        "type": "function",
        "name": "update_plan",
        "description": "Records the task's plan: steps, each pending, in_progress or completed.",
        "strict": False,
        "parameters": {
            "type": "object",
            "properties": {
                "explanation": {"type": "string"},
                "plan": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "step": {"type": "string"},
                            "status": {
                                "type": "string",
                                "enum": ["pending", "in_progress", "completed"],
                            },
                        },
                        "required": ["step", "status"],
                        "additionalProperties": False,
                    },
                },
            },
            "required": ["plan"],
            "additionalProperties": False,
        },
    },
]

_CORPUS_MODULES = (
    "argparse",
    "json",
    "textwrap",
    "functools",
    "dataclasses",
    "pathlib",
    "subprocess",
    "logging",
    "shutil",
    "tempfile",
    "string",
    "difflib",
)


def _corpus() -> tuple[list[str], list[str]]:
    """(prose, code) from the standard library: docstrings, and sources of functions."""
    import importlib

    prose: list[str] = []
    code: list[str] = []
    for name in _CORPUS_MODULES:
        module = importlib.import_module(name)
        for _, obj in sorted(vars(module).items()):
            if getattr(obj, "__module__", None) != name:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            doc = inspect.getdoc(obj)
            if doc and len(doc) >= 120:
                prose.append(" ".join(doc.split()))
            try:
                source = inspect.getsource(obj)
            except (OSError, TypeError):
                continue
            if 200 <= len(source) <= 4000:
                code.append(source)
    # The benchmark server reads "<N> deltas" in a prompt as the reply length to send.
    return [p.replace("deltas", "changes") for p in prose], code


def _cut(rng: random.Random, texts: Sequence[str], low: int, high: int) -> str:
    """Text of ``low``-``high`` characters: pieces of ``texts``, ending at a word boundary."""
    target = rng.randint(low, high)
    out = ""
    while len(out) < target:
        piece = rng.choice(texts)
        start = rng.randrange(max(1, len(piece) - target // 2))
        start = piece.find(" ", start) + 1 if start else 0  # from the start of a word
        out += (" " if out else "") + piece[start : start + target - len(out)]
    cut = out.rfind(" ", low)
    return out[:cut] if cut > 0 else out


def _reply(rng: random.Random, prose: list[str], code: list[str]) -> str:
    """An assistant reply: prose, sometimes with a code block, 300-1500 characters."""
    length = rng.randint(300, 1500)
    if length < 600 or rng.random() < 0.4:
        return _cut(rng, prose, length - 40, length)
    words = _cut(rng, prose, 150, length // 3)
    snippet = rng.choice(code)
    snippet = snippet[: max(120, length - len(words) - 20)]
    return f"{words}\n\n```python\n{snippet}\n```"


Item = dict[str, Any]


def _call(rng: random.Random, turn: int, prose: list[str], code: list[str]) -> tuple[Item, Item]:
    call_id = "call_" + "".join(
        rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop0123456789", k=24)
    )
    kind = (turn // 3) % 3
    module = rng.choice(_CORPUS_MODULES)
    arguments: Item
    output: Item
    if kind == 0:
        name = "shell"
        arguments = {
            "command": [
                "bash",
                "-lc",
                f"rg -n 'def {rng.choice(code).split('(')[0].split()[-1]}' src/{module}",
            ],
            "workdir": "/home/dev/project",
            "timeout_ms": 10000,
        }
        output = {
            "output": _cut(rng, code, 200, 420),
            "metadata": {"exit_code": 0, "duration_seconds": round(rng.random(), 2)},
        }
    elif kind == 1:
        name = "apply_patch"
        body = "\n".join("+" + line for line in _cut(rng, code, 150, 320).splitlines())
        arguments = {
            "input": f"*** Begin Patch\n*** Update File: src/{module}/core.py\n@@\n{body}\n*** End Patch\n"
        }
        output = {
            "output": f"Success. Updated the following files:\nM src/{module}/core.py\n\n"
            + _cut(rng, prose, 120, 260),
            "metadata": {"exit_code": 0, "duration_seconds": round(rng.random(), 2)},
        }
    else:
        name = "update_plan"
        plan = [
            {"step": _cut(rng, prose, 30, 70), "status": status}
            for status in ("completed", "in_progress", "pending")
        ]
        arguments = {"explanation": _cut(rng, prose, 60, 140), "plan": plan}
        output = {"output": "Plan updated", "plan": plan}
    call = {
        "type": "function_call",
        "call_id": call_id,
        "name": name,
        "arguments": json.dumps(arguments),
    }
    result = {"type": "function_call_output", "call_id": call_id, "output": json.dumps(output)}
    return call, result


def conversation(seed: int = SEED, turns: int = TURNS) -> list[list[dict[str, Any]]]:
    """The ``input`` of each turn's request: everything so far, then the turn's user message."""
    rng = random.Random(seed)
    prose, code = _corpus()
    history: list[dict[str, Any]] = []
    inputs = []
    for turn in range(1, turns + 1):
        user = {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": _cut(rng, prose, 200, 600)}],
        }
        history.append(user)
        inputs.append(list(history))
        if turn % 3 == 0:
            history.extend(_call(rng, turn, prose, code))
        history.append(
            {
                "type": "message",
                "role": "assistant",
                "content": [
                    {"type": "output_text", "text": _reply(rng, prose, code), "annotations": []}
                ],
            }
        )
    return inputs


def params(model: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The Responses parameters of one turn, as Codex sends them."""
    return {
        "model": model,
        "instructions": INSTRUCTIONS,
        "input": items,
        "tools": TOOLS,
        "tool_choice": "auto",
        "parallel_tool_calls": False,
        "reasoning": {"effort": "medium"},
    }


def wire_bodies(
    model: str, inputs: list[list[dict[str, Any]]]
) -> tuple[list[Item], dict[str, str]]:
    """The bodies the SDK sends for ``model`` (normalised and in the model's shape) and the
    shape's headers: what the floor posts, built before anything is timed."""
    from chatgpt_sdk.catalog import builtin_profiles
    from chatgpt_sdk.normalize import normalize_request, shape_for_model

    profile = builtin_profiles()[model]
    bodies, headers = [], {}
    for items in inputs:
        normalized = normalize_request(params(model, items), prompt_cache_key=PROMPT_CACHE_KEY)
        shaped = shape_for_model(normalized.body, profile)
        bodies.append(shaped.body)
        headers = shaped.headers
    return bodies, headers


# -- the clients --------------------------------------------------------------------------------


class Floor:
    """httpx posting ``json.dumps(body)``; ``json.loads`` of every SSE data line, text joined."""

    def __init__(self, base: str, model: str, inputs: list[list[dict[str, Any]]]) -> None:
        self.bodies, shape_headers = wire_bodies(model, inputs)
        headers = {
            "Authorization": f"Bearer {access_token()}",
            "ChatGPT-Account-Id": ACCOUNT_ID,
            "Content-Type": "application/json",
            **shape_headers,
        }
        self.client = httpx.Client(base_url=base, headers=headers)

    def turn(self, index: int) -> None:
        content = json.dumps(self.bodies[index])
        with self.client.stream("POST", "/responses", content=content) as response:
            response.raise_for_status()
            deltas = []
            for line in response.iter_lines():
                if line.startswith("data: "):
                    event = json.loads(line[6:])
                    if event["type"] == "response.output_text.delta":
                        deltas.append(event["delta"])
            "".join(deltas)


class SDK:
    """chatgpt_sdk's ``responses.create`` (the stream aggregated into a final response)."""

    def __init__(
        self, base: str, model: str, inputs: list[list[dict[str, Any]]], compression: bool
    ) -> None:
        from chatgpt_sdk import ChatGPT
        from chatgpt_sdk.auth import StaticTokenProvider

        self.model, self.inputs = model, inputs
        self.client = ChatGPT(
            token_provider=StaticTokenProvider(access_token(), account_id=ACCOUNT_ID),
            base_url=base,
            max_retries=0,
            compression=compression,
            transport="sse",  # this benchmark weighs HTTP bodies; bench_ws.py the WebSocket
        )

    def turn(self, index: int) -> None:
        self.client.responses.create(**params(self.model, self.inputs[index]))


CLIENTS: dict[str, tuple[str, str, Callable[..., Any]]] = {
    "floor-classic": ("floor: httpx + json", CLASSIC, Floor),
    "sdk-classic-zstd": ("chatgpt_sdk, zstd", CLASSIC, lambda b, m, i: SDK(b, m, i, True)),
    "sdk-classic-plain": (
        "chatgpt_sdk, no compression",
        CLASSIC,
        lambda b, m, i: SDK(b, m, i, False),
    ),
    "floor-lite": ("floor: httpx + json", LITE, Floor),
    "sdk-lite-zstd": ("chatgpt_sdk, zstd", LITE, lambda b, m, i: SDK(b, m, i, True)),
    "sdk-lite-plain": ("chatgpt_sdk, no compression", LITE, lambda b, m, i: SDK(b, m, i, False)),
}


def make_client(name: str, base: str, inputs: list[list[dict[str, Any]]]) -> Any:
    _, model, factory = CLIENTS[name]
    return factory(base, model, inputs)


# -- measuring ----------------------------------------------------------------------------------


def measure_cpu(name: str, base: str, replays: int) -> list[list[float]]:
    """In a worker process: CPU seconds of each turn's request, ``replays`` times over."""
    inputs = conversation()
    client = make_client(name, base, inputs)
    for index in range(TURNS):  # warm-up: connections, the catalog, imports of first use
        client.turn(index)
    samples: list[list[float]] = [[] for _ in range(TURNS)]
    clock = time.process_time
    for _ in range(replays):
        for index in range(TURNS):
            start = clock()
            client.turn(index)
            samples[index].append(clock() - start)
    return samples


def profile(name: str, base: str, replays: int) -> None:
    """In a worker process: cProfile of the timed replays, top 15 functions by own time."""
    import cProfile
    import pstats

    inputs = conversation()
    client = make_client(name, base, inputs)
    for index in range(TURNS):
        client.turn(index)
    profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the server
    profiler.enable()
    for _ in range(replays):
        for index in range(TURNS):
            client.turn(index)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def run_worker(name: str, base: str, replays: int) -> list[list[float]] | str:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", name, "--base", base, "--replays", str(replays)],
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {WORKER_TIMEOUT_S} s"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return ((done.stderr.strip().splitlines() or ["no output"])[-1])[:160]
    samples: list[list[float]] = json.loads(lines[-1])
    return samples


def measure_bytes(inputs: list[list[dict[str, Any]]]) -> dict[str, list[int]]:
    """Each client's request body sizes as a served backend receives them (untimed, in-process).

    Also checks that every client sent the same conversation (the decoded bodies' ``input``)."""
    backend = make_backend()
    sizes: dict[str, list[int]] = {}
    sent: dict[str, list[Any]] = {}
    with backend.serve("127.0.0.1", 0) as server:
        base = server.url + "/backend-api/codex"
        for name in CLIENTS:
            backend.reset()
            client = make_client(name, base, inputs)
            for index in range(TURNS):
                client.turn(index)
            posts = [r for r in backend.requests if r.path.endswith("/responses")]
            compressed = "zstd" in name
            for request in posts:
                encoded = request.content_encoding == "zstd"
                if encoded != compressed:  # every body here is over the 1 KiB threshold
                    raise RuntimeError(f"{name}: content-encoding {request.content_encoding!r}")
            sizes[name] = [r.wire_size for r in posts]
            sent[name] = [r.json["input"] for r in posts]
    for name, (_, model, _) in CLIENTS.items():
        floor = sent[f"floor-{'lite' if model == LITE else 'classic'}"]
        if sent[name] != floor:
            raise RuntimeError(f"{name} sent another conversation than the floor")
    return sizes


def best_ns(statement: Callable[[], Any], number: int, repeat: int = 7) -> float:
    return min(timeit.repeat(statement, number=number, repeat=repeat)) / number * 1e9


def micro(inputs: list[list[dict[str, Any]]]) -> dict[str, float]:
    """The catalog's per-request lookup on a warm cache, and shaping the turn-30 bodies."""
    from chatgpt_sdk._transport import _zstd
    from chatgpt_sdk.catalog import ModelCatalog
    from chatgpt_sdk.config import CODEX_VERSION
    from chatgpt_sdk.models.catalog_snapshot import MODELS
    from chatgpt_sdk.normalize import normalize_request, shape_for_model

    catalog = ModelCatalog()
    key = ("https://chatgpt.com/backend-api/codex", CODEX_VERSION, ACCOUNT_ID)
    catalog.store(key, MODELS, '"etag"')

    def lookup() -> Any:
        entry = catalog.fresh(key)
        assert entry is not None
        return entry.profile(LITE).with_lite(None)

    out = {"lookup_ns": best_ns(lookup, 200_000)}
    entry = catalog.fresh(key)
    assert entry is not None
    for model, label in ((CLASSIC, "classic"), (LITE, "lite")):
        body = normalize_request(params(model, inputs[-1])).body
        profile = entry.profile(model)
        out[f"shape_{label}_ns"] = best_ns(partial(shape_for_model, body, profile), 2_000)
        shaped = shape_for_model(body, profile).body
        raw = json.dumps(shaped, separators=(",", ":"), ensure_ascii=False).encode()
        out[f"zstd_{label}_ns"] = best_ns(partial(_zstd, raw), 300)
        out[f"raw_{label}_bytes"] = len(raw)
    return out


# -- reporting ----------------------------------------------------------------------------------


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}×" if floor else ""


def report(
    cpu: dict[str, list[float] | str],
    sizes: dict[str, list[int]],
    micro_ns: dict[str, float],
    noise: dict[str, float],
    samples: int,
) -> None:
    print(
        f"{TURNS}-turn conversation replayed each turn (turn k sends the whole history); "
        f"bytes: request body on the wire; CPU: client process only, per turn the median of "
        f"{samples} replays. Medians over the {TURNS} requests, totals over the "
        "conversation; ratios against the floor for the same model.\n"
    )
    print(
        "| client | model | bytes/req (median) | bytes, 30 turns | turn 30 bytes "
        "| CPU ms/req (median) | CPU ms, 30 turns | turn 30 CPU ms |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, (label, model, _) in CLIENTS.items():
        floor_name = f"floor-{'lite' if model == LITE else 'classic'}"
        size, floor_size = sizes[name], sizes[floor_name]
        cells = [
            label,
            model,
            f"{statistics.median(size):,.0f} ({ratio(statistics.median(size), statistics.median(floor_size))})",
            f"{sum(size):,} ({ratio(sum(size), sum(floor_size))})",
            f"{size[-1]:,}",
        ]
        turns, floor_turns = cpu[name], cpu[floor_name]
        if isinstance(turns, str) or isinstance(floor_turns, str):
            cells += [f"not available: {turns if isinstance(turns, str) else floor_turns}", "", ""]
        else:
            median, total = statistics.median(turns), sum(turns)
            cells += [
                f"{median * 1e3:.3f} ({ratio(median, statistics.median(floor_turns))})",
                f"{total * 1e3:.1f} ({ratio(total, sum(floor_turns))})",
                f"{turns[-1] * 1e3:.3f}",
            ]
        print("| " + " | ".join(cells) + " |")
    lookup = micro_ns["lookup_ns"]
    print(
        f"\nCatalog lookup on a warm cache (fresh + profile + with_lite, best of 7): "
        f"{lookup:.0f} ns a request."
    )
    for label, model in (("classic", CLASSIC), ("lite", LITE)):
        sdk = cpu.get(f"sdk-{label}-zstd")
        if not isinstance(sdk, list):
            continue
        per_request_us = statistics.median(sdk) * 1e6
        shape_us = micro_ns[f"shape_{label}_ns"] / 1e3
        print(
            f"- {model}: chatgpt_sdk (zstd) {per_request_us:,.0f} µs CPU a request (median), "
            f"measured to ±{noise.get(f'sdk-{label}-zstd', float('nan')) * 1e6 / 2:,.0f} µs "
            f"(half the median IQR of one turn's samples); the lookup is "
            f"{lookup / 1e3 / per_request_us:.3%} of it. shape_for_model of the turn-30 body: "
            f"{shape_us:.1f} µs ({shape_us / per_request_us:.1%}); zstd level 3 of that body's "
            f"{micro_ns[f'raw_{label}_bytes']:,.0f} bytes: "
            f"{micro_ns[f'zstd_{label}_ns'] / 1e3:.0f} µs."
        )
    print(
        f"\n{date.today().isoformat()}, Python {sys.version.split()[0]}, "
        f"{__import__('os').cpu_count()} cores, seed {SEED}."
    )


def iqr(values: list[float]) -> float:
    quartiles = statistics.quantiles(values, n=4)
    return quartiles[2] - quartiles[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", choices=list(CLIENTS), help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--replays", type=int, default=REPLAYS, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="worker runs per client")
    parser.add_argument(
        "--profile", choices=list(CLIENTS), help="cProfile one client instead (top 15 by tottime)"
    )
    args = parser.parse_args()
    if args.profile:
        with start_server() as (base, _process):
            profile(args.profile, base, args.replays)
        return
    if args.worker:
        print(json.dumps(measure_cpu(args.worker, args.base, args.replays)))
        return
    inputs = conversation()
    print("... bytes", file=sys.stderr, flush=True)
    sizes = measure_bytes(inputs)
    collected: dict[str, list[list[float]] | str] = {
        name: [[] for _ in range(TURNS)] for name in CLIENTS
    }
    with start_server() as (base, _process):
        for round_ in range(args.rounds):
            for name in CLIENTS:
                print(f"... round {round_ + 1}: {name}", file=sys.stderr, flush=True)
                result = run_worker(name, base, args.replays)
                kept = collected[name]
                if isinstance(result, str):
                    collected[name] = result
                elif not isinstance(kept, str):
                    for turn, samples in zip(kept, result, strict=True):
                        turn.extend(samples)
    cpu: dict[str, list[float] | str] = {}
    noise: dict[str, float] = {}
    for name, value in collected.items():
        if isinstance(value, str):
            cpu[name] = value
        else:
            cpu[name] = [statistics.median(turn) for turn in value]
            noise[name] = statistics.median(iqr(turn) for turn in value)
    print("... micro-benchmarks", file=sys.stderr, flush=True)
    report(cpu, sizes, micro(inputs), noise, args.rounds * args.replays)


if __name__ == "__main__":
    main()
