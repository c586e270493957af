"""The hall manager's report (``kiosk hall report``): per service and counter, tickets, served, no-shows,
transfers, mean and 90th-percentile wait, mean service time, ratings by level, bad ratings; for a day or a month,
as text, JSON or CSV. One morning played on the hall's real database with its clock set by the test."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk.hall import layout, ratings, report
from kiosk.hall.db import HallDb
from kiosk.hall.errors import SetupError
from kiosk.hall.hall import Hall
from tests.test_hall_ordering import Clock, Desk

DAY = date(2026, 11, 23)


@pytest.fixture
def morning(tmp_path: Path) -> Hall:
    clock = Clock(datetime(2026, 11, 23, 10, 0))
    hall = Hall(HallDb(tmp_path / "hall.db", clock=clock))
    layout.add_service(hall.db, "ZH", "A", "综合受理")
    layout.add_service(hall.db, "SB", "B", "社保医保")
    layout.add_counter(hall.db, 1, "1号窗口", {"ZH": 1, "SB": 1})
    layout.add_counter(hall.db, 2, "2号窗口", {"SB": 1})
    desk = Desk(hall)

    def at(minute: int) -> None:
        clock.t = datetime(2026, 11, 23, 10, minute).timestamp()

    at(0), desk.take("ZH")  # A001
    at(1), desk.take("ZH")  # A002
    at(2), desk.take("SB")  # B001
    at(3), desk.take("ZH")  # A003: still waiting at the end
    at(5), desk.call(1)  # A001 waited 5 min
    at(6), desk.call(2)  # B001 waited 4 min
    at(8), desk.counter(2, "no-show")
    at(15), desk.counter(1, "finish")  # A001 served 10 min
    a001 = hall.db.rows("SELECT id FROM tickets WHERE label = 'A001'")[0][0]
    hall.change(lambda tx: ratings.rate(tx, a001, 5, [], "", source="pad"))
    at(16), desk.call(1)  # A002 waited 15 min
    at(18), desk.counter(1, "transfer", service="SB")
    at(20), desk.call(2)  # A002 again, now for 社保医保
    at(26), desk.counter(2, "finish")  # served 6 min
    a002 = hall.db.rows("SELECT id FROM tickets WHERE label = 'A002'")[0][0]
    hall.change(lambda tx: ratings.rate(tx, a002, 1, ["等待时间长"], "", source="phone"))
    yield hall
    hall.db.close()


def _by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_the_figures_of_a_day_per_service_and_counter(morning: Hall) -> None:
    figures = report.build(morning.db, *report.period("2026-11-23", None)[1:], "2026-11-23")
    services, counters, total = (
        _by(figures["services"], "service"),
        _by(figures["counters"], "counter"),
        figures["total"],
    )
    zh, sb = services["ZH"], services["SB"]
    assert (zh["tickets"], zh["served"], zh["no_shows"], zh["transfers"]) == (3, 1, 0, 1)
    assert (zh["wait_mean_min"], zh["wait_p90_min"], zh["service_mean_min"]) == (10.0, 15.0, 10.0)
    assert zh["ratings"] == {"5": 1, "4": 0, "3": 0, "2": 0, "1": 0} and zh["bad_ratings"] == 0
    assert (sb["tickets"], sb["served"], sb["no_shows"], sb["transfers"]) == (1, 1, 1, 0)
    assert (sb["wait_mean_min"], sb["wait_p90_min"], sb["service_mean_min"]) == (4.0, 4.0, 6.0)
    assert sb["ratings"]["1"] == 1 and sb["bad_ratings"] == 1
    one, two = counters[1], counters[2]
    assert (one["tickets"], one["served"], one["no_shows"], one["transfers"]) == (2, 1, 0, 1)
    assert (one["wait_mean_min"], one["wait_p90_min"], one["service_mean_min"]) == (10.0, 15.0, 10.0)
    assert (two["tickets"], two["served"], two["no_shows"], two["transfers"]) == (2, 1, 1, 0)
    assert (two["wait_mean_min"], two["service_mean_min"], two["bad_ratings"]) == (4.0, 6.0, 1)
    assert (total["tickets"], total["served"], total["no_shows"], total["transfers"]) == (4, 2, 1, 1)
    assert (total["wait_mean_min"], total["wait_p90_min"], total["service_mean_min"]) == (8.0, 15.0, 8.0)
    assert total["ratings"]["5"] == 1 and total["bad_ratings"] == 1


def test_a_month_holds_its_days_and_another_month_nothing(morning: Hall) -> None:
    label, first, last = report.period(None, "2026-11")
    assert (first, last) == ("2026-11-01", "2026-11-30")
    assert report.build(morning.db, first, last, label)["total"]["tickets"] == 4
    assert report.build(morning.db, *report.period(None, "2026-12")[1:], "2026-12")["total"]["tickets"] == 0
    assert report.period(None, "2024-02")[2] == "2024-02-29"
    for wrong in (("2026-13-01", None), (None, "2026-13"), (None, None), ("23.11.2026", None)):
        with pytest.raises(SetupError):
            report.period(*wrong)


def test_the_command_prints_json_csv_and_text(morning: Hall, tmp_path: Path) -> None:
    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "hall", "report", "--db", str(tmp_path / "hall.db"), *args],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    figures = json.loads(run("--day", "2026-11-23", "--json"))
    assert figures["total"]["served"] == 2
    rows = list(csv.DictReader(io.StringIO(run("--month", "2026-11", "--csv"))))
    assert [(r["scope"], r["key"]) for r in rows] == [
        ("service", "ZH"), ("service", "SB"), ("counter", "1"), ("counter", "2"), ("total", ""),
    ]  # fmt: skip
    assert rows[1]["no_shows"] == "1" and rows[1]["rated_1"] == "1" and rows[-1]["wait_p90_min"] == "15.0"
    text = run("--day", "2026-11-23")
    assert "ZH 综合受理" in text and "total" in text
    wrong = subprocess.run(
        [sys.executable, "-m", "kiosk", "hall", "report", "--db", str(tmp_path / "hall.db"), "--month", "2026-13"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert wrong.returncode == 2 and "not a month" in wrong.stderr and "Traceback" not in wrong.stderr
