"""The allocator's settings for a long-running process (kiosk/allocator.py), read back from glibc itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")

# Eight threads allocating at once, then glibc's own account of its arenas (malloc_stats writes to stderr).
SCRIPT = """
import ctypes, sys, threading
from kiosk.allocator import limit_malloc_arenas
print(limit_malloc_arenas() if sys.argv[1] == "limit" else None)
start = threading.Barrier(8)
def churn():
    start.wait()
    for _ in range(2000):
        blocks = [bytearray(300) for _ in range(50)]
        del blocks
threads = [threading.Thread(target=churn) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
ctypes.CDLL("libc.so.6").malloc_stats()
"""


def arenas(mode: str, **env: str) -> tuple[str, int]:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | env,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip(), sum(line.startswith("Arena ") for line in run.stderr.splitlines())


def test_a_long_running_process_keeps_to_two_malloc_arenas() -> None:
    done, count = arenas("limit")
    assert done == "True" and 1 <= count <= 2
    _, unlimited = arenas("none")
    assert unlimited > 2  # what the limit prevents: an arena for each thread that met a locked one


def test_an_operators_malloc_arena_max_is_left_alone() -> None:
    done, count = arenas("limit", MALLOC_ARENA_MAX="4")
    assert done == "False" and count <= 4
