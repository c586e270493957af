"""The supervisor's benchmark runs and prints its figures (one run: the figures themselves are for the docs)."""

from __future__ import annotations

import sys

import pytest

from kiosk.bench import supervisor_bench

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def test_the_supervisor_bench_times_a_crash_against_a_cold_start(capsys: pytest.CaptureFixture[str]) -> None:
    result = supervisor_bench.run(runs=1)
    assert result["cold_start_ms"]["median"] > 0
    assert result["crash_to_first_frame_ms"]["median"] > 0
    assert result["ratio"] > 0 and result["goal"]["ratio_max"] == 2.0
    supervisor_bench.print_report(result)
    assert "crash to first frame again" in capsys.readouterr().out
