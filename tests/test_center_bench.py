"""``kiosk bench center`` with tiny numbers: the terminals enrolled in bulk are served by real center processes
(SQLite with 1 worker, PostgreSQL with 2), every request answered, the figures printed."""

from __future__ import annotations

import pytest

from kiosk.bench import center_bench
from tests.conftest import postgres_missing


def _check(result: dict[str, object], backend: str, workers: int, *, console: bool = True) -> None:
    assert result["backend"] == backend and result["workers"] == workers
    load = result["load"]
    assert isinstance(load, dict)
    assert load["sent"] > 0 and load["errors"] == 0, load
    assert load["heartbeat"]["n"] > 0 and load["heartbeat"]["p95_ms"] > 0
    assert load["generator_lag_ms"]["p50"] is not None
    if console and center_bench.console_available():
        pages = result["console"]
        assert isinstance(pages, dict)
        assert {"fleet", "state_offline", "region", "search"} <= set(pages)


def test_sqlite_one_worker(capsys: pytest.CaptureFixture[str]) -> None:
    result = center_bench.run(
        terminals=30, duration_s=3, warmup_s=1, rate_scale=20, backends=("sqlite",), rollout=True
    )
    _check(result["runs"][0], "sqlite", 1)
    center_bench.print_report(result)
    printed = capsys.readouterr().out
    assert "sqlite, 1 worker(s), 30 terminals during a rollout" in printed
    assert "goal p95 < 100 ms at 170 requests/s" in printed


def test_postgresql_two_workers() -> None:
    from kiosk.center.pgcluster import PostgresUnavailable, postgres_bin

    try:
        postgres_bin()
    except PostgresUnavailable as exc:
        postgres_missing(str(exc))
    result = center_bench.run(
        terminals=30, duration_s=3, warmup_s=1, rate_scale=20, backends=("postgresql",), console=False
    )
    _check(result["runs"][0], "postgresql", 2, console=False)
