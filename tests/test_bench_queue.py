"""``kiosk bench queue`` runs end to end (a small run: the figures themselves are printed, not asserted): takes
against raw inserts, and calls timed from 叫号 to the display's model against raw loopback HTTP round trips."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_the_queue_benchmark_prints_takes_against_raw_inserts() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "bench", "queue", "--takers", "3", "--tickets", "5", "--repeat", "1", "--calls", "6",
         "--json"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["tickets"] == 15 and result["takers"] == 3
    for side in ("take", "raw_sqlite"):
        assert result[side]["n"] == 15 and result[side]["tickets_per_s"] > 0 and result[side]["p95_ms"] > 0
    assert result["goal_p95_ms"] == 50.0
    shown = result["call_to_display"]
    assert shown["calls"] == 6 and shown["display"]["n"] == 6 and shown["raw_http"]["n"] == 6
    assert shown["display"]["p95_ms"] > 0 and shown["raw_http"]["p50_ms"] > 0 and "goal_met" in shown
