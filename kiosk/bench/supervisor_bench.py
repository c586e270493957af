"""The supervisor's benchmark (part of ``kiosk bench update``; alone: ``python -m kiosk.bench.supervisor_bench``):
the time from a crash of the role (SIGKILL) to its first frame again under ``kiosk supervise``, against a cold
start of the same role (process start to first frame, as ``kiosk bench startup`` times it). Goal: at most twice
a cold start. The recovery includes the supervisor noticing the exit and its first backoff (none: a first crash
is started again at once; the next in a row waits 1 s, doubling).

Both run as the program that runs the benchmark (``kiosk.program``), offscreen when there is no display, over one
data directory; the supervisor is started afresh for each crash, so every crash is a first one (a second crash in
a row waits 2 s, a third is a crash loop).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.config import Settings
from kiosk.ops.alive import Alive, read_alive
from kiosk.program import program_command
from kiosk.resources_path import is_frozen
from kiosk.supervisor.policy import Backoff

GOAL_RATIO = 2.0
_ROLE_FLAGS = ("--fullscreen", "false", "--idcard-driver", "simulator", "--sscard-driver", "none")


class BenchError(RuntimeError):
    pass


def _env(tmp: str) -> dict[str, str]:
    env = dict(os.environ)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and "QT_QPA_PLATFORM" not in env:
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
    env.pop("KIOSK_BUNDLE_DIR", None)
    return env


def _cold_start_s(data: Path, env: dict[str, str]) -> float:
    command = program_command("--data-dir", str(data), *_ROLE_FLAGS, "run", "--exit-on-first-frame")
    start = time.time()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    for line in proc.stdout.splitlines():
        if line.startswith("FIRST_FRAME "):
            return float(line.split()[1]) - start
    raise BenchError(f"kiosk run printed no first frame (exit {proc.returncode}): {proc.stderr[-2000:]}")


def _wait_frame(
    data: Path, other_than: int | None, timeout: float, supervisor: subprocess.Popen[bytes]
) -> Alive:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = read_alive(data)
        if alive is not None and alive.pid != other_than and alive.first_frame_at is not None:
            return alive
        if supervisor.poll() is not None:
            raise BenchError(
                f"the supervisor ended ({supervisor.returncode}); see {data}/logs/supervisor.log"
            )
        time.sleep(0.02)
    raise BenchError(f"no first frame within {timeout:.0f} s; see {data}/logs/supervisor.log")


def _crash_to_frame_s(data: Path, env: dict[str, str]) -> float:
    (data / "ops" / "alive.json").unlink(missing_ok=True)
    supervisor = subprocess.Popen(
        program_command("--data-dir", str(data), *_ROLE_FLAGS, "supervise"),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first = _wait_frame(data, None, 180, supervisor)
        time.sleep(1.0)  # the role settled (its workers started after the first frame)
        crashed_at = time.time()
        os.kill(first.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        again = _wait_frame(data, first.pid, 180, supervisor)
        assert again.first_frame_at is not None
        return again.first_frame_at - crashed_at
    finally:
        supervisor.terminate()
        try:
            supervisor.wait(30)
        except subprocess.TimeoutExpired:
            supervisor.kill()
            supervisor.wait()


def run(settings: Settings | None = None, runs: int = 3) -> dict[str, Any]:
    """Medians of ``runs`` cold starts and ``runs`` crashes, taking turns; the ratio and the goal."""
    # A process of the role still ending may write its bytecode while the folder goes: not worth failing for.
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-supervisor-", ignore_cleanup_errors=True) as tmp:
        env = _env(tmp)
        data = Path(tmp) / "data"
        _cold_start_s(data, env)  # warm the file cache and the bytecode; the data directory made
        cold, recovery = [], []
        for _ in range(runs):
            cold.append(_cold_start_s(data, env))
            recovery.append(_crash_to_frame_s(data, env))
    ratio = statistics.median(recovery) / statistics.median(cold)
    return {
        "runs": runs,
        "platform": env.get("QT_QPA_PLATFORM", "native"),
        "program": "bundle" if is_frozen() else "source",
        "cold_start_ms": {
            "median": round(statistics.median(cold) * 1000),
            "all": [round(s * 1000) for s in cold],
        },
        "crash_to_first_frame_ms": {
            "median": round(statistics.median(recovery) * 1000),
            "all": [round(s * 1000) for s in recovery],
        },
        "first_backoff_ms": round(Backoff().after_crash(0.0) * 1000),
        "ratio": round(ratio, 2),
        "goal": {"ratio_max": GOAL_RATIO, "met": ratio <= GOAL_RATIO},
    }


def print_report(result: dict[str, Any]) -> None:
    print(
        f"supervisor: crash (SIGKILL) to the first frame again vs a cold start, median of {result['runs']} runs "
        f"({result['program']}, {result['platform']} platform)"
    )
    print(
        f"  cold start to first frame   {result['cold_start_ms']['median']:>6} ms  {result['cold_start_ms']['all']}"
    )
    print(
        f"  crash to first frame again  {result['crash_to_first_frame_ms']['median']:>6} ms  "
        f"{result['crash_to_first_frame_ms']['all']} (with the first backoff of {result['first_backoff_ms']} ms)"
    )
    met = "met" if result["goal"]["met"] else "NOT met"
    print(f"  ratio {result['ratio']} (goal <= {result['goal']['ratio_max']}: {met})")


def main() -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m kiosk.bench.supervisor_bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(runs=max(1, args.runs))
    print(json.dumps(result, indent=2)) if args.json else print_report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
