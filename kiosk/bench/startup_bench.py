"""``kiosk bench startup``: process start to the first rendered frame of the home screen with the demo catalog,
against a bare Qt Quick window started the same way in the same run.

Both are started as the program that runs the benchmark (``kiosk.program``): from source this interpreter
with ``-m kiosk``, in the bundle its own executable, so ``kiosk bench startup`` measures the bundle when run from
the bundle. From source both run with Python's compiled bytecode, kept in the run's temporary folder: a terminal
runs from compiled modules (the bundle holds them), so recompiling every source at each start (which
``PYTHONDONTWRITEBYTECODE``, often set on development machines, would cause) is not part of what is measured.
Like the file cache, the bytecode is warmed by one start of each before the measured ones.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from kiosk.config import Settings
from kiosk.program import BARE_WINDOW, program_command
from kiosk.resources_path import is_frozen
from kiosk.services.terminal import Terminal


def _first_frame_s(command: list[str], env: dict[str, str]) -> float:
    start = time.time()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    for line in proc.stdout.splitlines():
        if line.startswith("FIRST_FRAME "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{command} printed no first frame (exit {proc.returncode}): {proc.stderr[-2000:]}")


def run(settings: Settings, runs: int) -> dict:
    env = dict(os.environ)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and "QT_QPA_PLATFORM" not in env:
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
        bench_settings = replace(settings, data_dir=Path(tmp))
        with Terminal.open(bench_settings, demo=True) as terminal:  # the demo catalog, imported once
            items = terminal.catalog.stats().items
        bare = program_command(BARE_WINDOW)
        kiosk = program_command("--data-dir", tmp, "--fullscreen", "false", "run", "--exit-on-first-frame")
        _first_frame_s(bare, env)  # warm the file cache and the bytecode for both
        _first_frame_s(kiosk, env)
        bare_s, kiosk_s = [], []
        for _ in range(runs):
            bare_s.append(_first_frame_s(bare, env))
            kiosk_s.append(_first_frame_s(kiosk, env))
    result = {
        "runs": runs,
        "catalog_items": items,
        "platform": env.get("QT_QPA_PLATFORM", "native"),
        "program": "bundle" if is_frozen() else "source",
        "bytecode": "bundled" if is_frozen() else "compiled",
        "bare_qt_quick_ms": {
            "median": round(statistics.median(bare_s) * 1000),
            "all": [round(s * 1000) for s in bare_s],
        },
        "kiosk_home_ms": {
            "median": round(statistics.median(kiosk_s) * 1000),
            "all": [round(s * 1000) for s in kiosk_s],
        },
    }
    result["ratio"] = round(statistics.median(kiosk_s) / statistics.median(bare_s), 2)
    result["goal"] = {"ratio_max": 1.5, "met": result["ratio"] <= 1.5}
    return result


def print_report(result: dict) -> None:
    print(
        f"first frame after process start, median of {result['runs']} runs ({result['program']}, "
        f"{result['platform']} platform, {result['bytecode']} bytecode, demo catalog of {result['catalog_items']} items)"
    )
    print(
        f"  bare Qt Quick window: {result['bare_qt_quick_ms']['median']} ms  {result['bare_qt_quick_ms']['all']}"
    )
    print(f"  kiosk home screen:    {result['kiosk_home_ms']['median']} ms  {result['kiosk_home_ms']['all']}")
    verdict = "met" if result["goal"]["met"] else "NOT met"
    print(f"ratio kiosk/bare: {result['ratio']}  (goal <= 1.5: {verdict})")
