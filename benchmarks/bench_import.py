"""Import cost and first-use cost of chatgpt_sdk (issue 3, "Speed").

    uv run --group bench python benchmarks/bench_import.py [--runs 15]

1. Wall time of a fresh ``python -c "import X"`` for chatgpt_sdk, openai and ``httpx, pydantic``
   (the floor: our two runtime dependencies), interleaved so that machine noise hits all alike;
   min and median, and the ratios. A bare ``python -c pass`` is shown for scale, and
   ``from chatgpt_sdk import ChatGPT`` because ``import chatgpt_sdk`` alone loads nothing yet.
2. First use, in a fresh interpreter: importing ``chatgpt_sdk.models.responses``, building
   ``TypeAdapter(ResponseStreamEvent)`` and validating the first event.
3. Steady state: validating one typical ``response.output_text.delta`` JSON.

Bytecode caches are written by a warm-up run of every command first (this machine may set
PYTHONDONTWRITEBYTECODE; users have .pyc files, so compiling must not be what is measured).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "bare python": "pass",
    "httpx, pydantic (floor)": "import httpx, pydantic",
    "chatgpt_sdk": "import chatgpt_sdk",
    "from chatgpt_sdk import ChatGPT": "from chatgpt_sdk import ChatGPT",
    "openai": "import openai",
}
DELTA = (
    '{"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_abc",'
    '"output_index":0,"content_index":0,"delta":"Hel","logprobs":[]}'
)
FIRST_USE = f"""
import json, time
t0 = time.perf_counter()
from chatgpt_sdk.models.responses import ResponseStreamEvent
t1 = time.perf_counter()
from pydantic import TypeAdapter
adapter = TypeAdapter(ResponseStreamEvent)
t2 = time.perf_counter()
adapter.validate_json({DELTA!r})
t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "adapter": t2 - t1, "first": t3 - t2}}))
"""
STEADY = f"""
import json, timeit
from pydantic import TypeAdapter
from chatgpt_sdk.models.responses import ResponseStreamEvent
adapter = TypeAdapter(ResponseStreamEvent)
data = {DELTA!r}
event = adapter.validate_json(data)
assert type(event).__name__ == "ResponseTextDeltaEvent", type(event)
number = 20000
best = min(timeit.repeat(lambda: adapter.validate_json(data), number=number, repeat=7)) / number
from chatgpt_sdk.streaming import validate_event
assert type(validate_event(data)) is type(event)
fast = min(timeit.repeat(lambda: validate_event(data), number=number, repeat=7)) / number
print(json.dumps({{"per_event": best, "stream_path": fast}}))
"""


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall(code: str) -> float:
    begin = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=child_env())
    return time.perf_counter() - begin


def run_json(code: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=child_env()
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def import_times(runs: int) -> None:
    commands = dict(COMMANDS)
    if importlib.util.find_spec("openai") is None:
        print("openai is not installed (uv run --group bench ...): its row is skipped\n")
        del commands["openai"]
    for code in commands.values():
        wall(code)  # writes the bytecode caches
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, code in commands.items():
            times[name].append(wall(code))
    floor = min(times["httpx, pydantic (floor)"])
    print(f"import wall time, {runs} fresh interpreters each (ms)")
    print(f"{'':32} {'min':>8} {'median':>8} {'min / floor':>12}")
    for name, samples in times.items():
        print(
            f"{name:32} {min(samples) * 1e3:8.1f} {statistics.median(samples) * 1e3:8.1f}"
            f" {min(samples) / floor:11.2f}x"
        )
    if "openai" in times:
        ours, theirs = min(times["chatgpt_sdk"]), min(times["openai"])
        print(f"chatgpt_sdk / openai: {ours / theirs:.2f}x (min)")
    print("goals (issue 3): chatgpt_sdk <= 1.25x the floor and <= 0.2x openai\n")


def first_use(runs: int) -> None:
    run_json(FIRST_USE)  # writes the bytecode caches
    samples = [run_json(FIRST_USE) for _ in range(max(3, runs // 3))]
    print("first use, fresh interpreter (ms, median)")
    for key, label in (
        ("import", "import chatgpt_sdk.models.responses"),
        ("adapter", "TypeAdapter(ResponseStreamEvent)"),
        ("first", "validate the first event"),
    ):
        print(f"  {label:40} {statistics.median(s[key] for s in samples) * 1e3:8.1f}")
    steady = run_json(STEADY)
    print(
        f"\nvalidate_json of one response.output_text.delta: {steady['per_event'] * 1e6:.2f} us"
        " (goal: under 3 us)"
    )
    print(
        f"the client's stream path (streaming.validate_event): {steady['stream_path'] * 1e6:.2f} us"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    import_times(args.runs)
    first_use(args.runs)


if __name__ == "__main__":
    main()
