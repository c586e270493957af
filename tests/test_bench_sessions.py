"""A terminal runs for weeks: citizen after citizen in one process must not make it grow. ``kiosk bench
sessions`` plays the same citizen many times in the real touch UI of a terminal enrolled with a reference center;
here a few sessions, to check that the run works end to end and that nothing a session made stays alive after
结束办理."""

from __future__ import annotations

import json
import subprocess
import sys

from kiosk.bench import sessions_bench


def test_sessions_leave_no_python_objects_behind(qapp, settings):
    result = sessions_bench.run(settings, sessions=9, progress=lambda line: None, warm=4)
    objects = result["python_objects"]
    # Before the fix every session kept its forms, answers and results (~300 objects a session).
    assert objects["9"] - objects["4"] < 250, objects
    assert result["ratio"] is not None and result["after_n_mb"] > 0
    assert result["outbox_backlog_at_end"] == 0  # the sessions' forms and ratings reached the center


def test_the_command_prints_its_figures(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--data-dir",
            str(tmp_path),
            "bench",
            "sessions",
            "--sessions",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert figures["sessions"] == 2
    assert set(figures["resident_mb"]) == {"1", "2"}
    assert figures["ratio"] is None  # a ratio needs more sessions than the first hundred
