"""Child processes started together and released at once by a file barrier.

Each child script touches ``<folder>/ready-<name>`` when set up, waits for ``<folder>/go``, does its
work and prints one JSON object: so the work of every child overlaps, whatever each took to start.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

STARTUP_TIMEOUT_SECONDS = 30.0


def start_children(
    script: str,
    arguments: Sequence[Sequence[str]],
    folder: Path,
    *,
    env: dict[str, str] | None = None,
) -> list[subprocess.Popen[str]]:
    """``python -c script`` once per argument list; returns when every child is ready."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for args in arguments
    ]
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while len(list(folder.glob("ready-*"))) < len(children):
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the children to be ready")
        time.sleep(0.01)
    return children


def release(folder: Path) -> None:
    """Let every waiting child go."""
    (folder / "go").touch()


def results_of(
    children: Sequence[subprocess.Popen[str]], timeout: float = 60.0
) -> list[dict[str, Any]]:
    """Each child's printed JSON, once all have exited successfully."""
    outputs = [child.communicate(timeout=timeout) for child in children]
    for child, (_out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    return [json.loads(out) for out, _ in outputs]
