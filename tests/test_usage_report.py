"""The monthly usage report (每月通报): real terminals count, close their hours and push them to a real center
process; ``kiosk center report`` shows the numbers as JSON and CSV, per region, with a search text only when
several sessions searched it; the center keeps daily totals that a record sent again never counts twice."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.center import usage
from kiosk.center.records import check_record
from kiosk.center.usage import ReportError, monthly_report
from kiosk.config import load_settings
from kiosk.protocol import OutboxRecord, secret_from_hex
from kiosk.services.sync.engine import SyncEngine
from kiosk.services.terminal import Terminal
from kiosk.services.usage.counter import UsageCounter
from kiosk.store.keystore import Keystore
from tests.center_support import CenterDb, CenterProcess

# Monday 2 November 2026, 09:00 local time.
NOV_2_9 = datetime(2026, 11, 2, 9, 0).astimezone().timestamp()
NOVEMBER_S = 30 * 86400


class Clock:
    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def kiosk(*args: str, db: CenterDb) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "center", *args, *db.args], capture_output=True, timeout=120
    )


def enrolled(tmp_path: Path, center: CenterProcess, name: str, region: str, unit: str) -> Terminal:
    terminal_id, secret = center.add_terminal(name)
    placed = kiosk("terminal", "place", terminal_id, "--region", region, "--unit", unit, db=center.db)
    assert placed.returncode == 0, placed.stderr
    settings = load_settings(
        data_dir=tmp_path / name,
        environ={},
        overrides={"terminal_id": terminal_id, "center_url": center.url, "opening_hours": "00:00-24:00"},
    )
    Keystore.for_data_dir(settings.data_dir).store_secret(secret_from_hex(secret))
    return Terminal.open(settings)


def an_hour_of_use(terminal: Terminal, searches: list[list[str]], *, tickets: int = 0) -> None:
    """One hour on 2 November: a session per list of searches that found nothing, a guide, time online."""
    clock = Clock(NOV_2_9)
    counter = UsageCounter(
        lambda: terminal, terminal.background, role="kiosk", opening_hours="00:00-24:00", clock=clock
    )
    counter.tick(True).result()
    for texts in searches:
        counter.session_started()
        counter.record("guide_viewed", "440100-SB-0001")
        for text in texts:
            counter.search_found_nothing(text)
    for _ in range(tickets):
        counter.record("ticket_taken", "ZH")
    counter.record("rating", "5")
    counter.record("rating", "1")
    counter.record("guide_printed", "440100-SB-0001")
    counter.record("error", "E-PRINT")
    while clock.at < NOV_2_9 + 3600:
        clock.at += 60
        counter.tick(True).result()  # the tick at 10:00 closes 09:00-10:00 into the outbox


@pytest.fixture
def center(center_db):
    process = CenterProcess(center_db)
    try:
        yield process
    finally:
        process.close()


def test_terminals_push_their_usage_and_the_report_shows_it_as_json_and_csv(tmp_path, center):
    village = enrolled(tmp_path, center, "禾丰村", "清远市/清新区", "太平镇便民服务中心")
    hall = enrolled(tmp_path, center, "天河大厅", "广州市/天河区", "天河区政务服务中心")
    with village, hall:
        # 低保 searched in three sessions, 医保 in two here and one at the hall; a name typed once.
        an_hour_of_use(village, [["低保", "医保"], ["低保", "医保"], ["低保", "陈秀英"]], tickets=2)
        an_hour_of_use(hall, [["医保 13812345678"]])
        for terminal in (village, hall):
            report = SyncEngine.for_terminal(terminal).run_once()
            assert report.ok and report.acknowledged == 1 and not report.rejected, report.reason
        village_id, hall_id = village.settings.terminal_id, hall.settings.terminal_id
    with (
        closing(center.db.store()) as store,
        store.transaction() as db,
    ):  # both registered before November
        db.execute("UPDATE terminals SET created_at = ?", ("2026-10-01T00:00:00+08:00",))

    made = kiosk("report", "--month", "2026-11", "--json", db=center.db)
    assert made.returncode == 0, made.stderr
    report = json.loads(made.stdout)
    assert report["month"] == "2026-11" and not report["empty"]
    total = report["total"]
    assert (total["terminals"], total["reporting"], total["sessions"]) == (2, 2, 4)
    assert (total["guides_viewed"], total["guides_printed"], total["tickets"]) == (4, 2, 2)
    assert total["ratings"] == {"5": 2, "4": 0, "3": 0, "2": 0, "1": 2}
    assert total["faults"] == 2
    assert total["services"][0] == {
        "code": "440100-SB-0001",
        "name": "440100-SB-0001",
        "viewed": 4,
        "printed": 2,
    }
    by_id = {row["terminal_id"]: row for row in report["terminals"]}
    assert by_id[village_id]["sessions"] == 3 and by_id[village_id]["tickets"] == 2
    assert by_id[hall_id]["sessions"] == 1
    assert by_id[village_id]["availability"] == pytest.approx(3600 / NOVEMBER_S, abs=1e-4)
    assert {u["name"] for u in report["units"]} == {"太平镇便民服务中心", "天河区政务服务中心"}
    # 低保 (3 sessions) and 医保 (2 + 1) are shown; the name typed in one session never is.
    assert report["searches_without_result"] == [
        {"text": "低保", "sessions": 3},
        {"text": "医保", "sessions": 3},
    ]
    assert "陈秀英" not in made.stdout.decode() and "13812345678" not in made.stdout.decode()

    # One region (and what is under it): the hall's 医保 no longer makes three.
    made = kiosk("report", "--month", "2026-11", "--region", "清远市", "--json", db=center.db)
    regional = json.loads(made.stdout)
    assert [row["terminal_id"] for row in regional["terminals"]] == [village_id]
    assert regional["searches_without_result"] == [{"text": "低保", "sessions": 3}]

    made = kiosk("report", "--month", "2026-11", "--csv", db=center.db)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("\ufeff".encode())  # Excel reads the Chinese as UTF-8
    rows = list(csv.reader(io.StringIO(made.stdout.decode("utf-8-sig"))))
    header = next(row for row in rows if row and row[0] == "层级")
    village_row = next(row for row in rows if row and row[1] == village_id)
    assert dict(zip(header, village_row, strict=True))["会话"] == "3"
    assert dict(zip(header, village_row, strict=True))["非常满意"] == "1"
    assert ["1", "低保", "3"] in rows

    table = kiosk("report", "--month", "2026-11", db=center.db)
    assert table.returncode == 0 and "禾丰村" in table.stdout.decode() and "低保" in table.stdout.decode()


def test_a_bad_month_is_refused_clearly_and_an_empty_one_says_so(center_db):
    db = center_db
    db.store().close()
    bad = kiosk("report", "--month", "2026-13", db=db)
    assert bad.returncode == 2 and b"YYYY-MM" in bad.stderr and b"Traceback" not in bad.stderr
    empty = kiosk("report", "--month", "2026-10", db=db)
    assert empty.returncode == 0 and "没有终端" in empty.stdout.decode()


def usage_record(key: str, day: str, counts: list[dict], hours: str = "1-5 08:30-17:30") -> OutboxRecord:
    return OutboxRecord.model_validate(
        {
            "idempotency_key": key,
            "kind": "usage",
            "created_at": f"{day}T10:00:01+08:00",
            "body": {
                "format": "kiosk-usage/1",
                "role": "kiosk",
                "period_start": f"{day}T09:00:00+08:00",
                "period_s": 3600,
                "opening_hours": hours,
                "counts": counts,
            },
        }
    )


def test_a_record_sent_again_counts_once_and_availability_is_measured_against_the_opening_hours(center_db):
    with closing(center_db.store()) as store:
        reporting = store.add_terminal("reporting")
        silent = store.add_terminal("silent")
        with store.transaction() as db:
            db.execute("UPDATE terminals SET created_at = ?", ("2026-10-01T00:00:00+08:00",))
        record = usage_record(
            f"{reporting.terminal_id}:usage:1",
            "2026-11-02",
            [
                {"metric": "session", "key": "", "value": 2},
                {"metric": "available_s", "key": "", "value": 3600.0},
            ],
        )
        assert store.deliver(reporting.terminal_id, [record])[0]["status"] == 201
        assert store.deliver(reporting.terminal_id, [record])[0]["status"] == 201  # a resend: the same answer
        report = monthly_report(store, "2026-11", now=datetime(2026, 12, 6).timestamp())
        rows = {row.terminal_id: row for row in report.terminals}
        assert rows[reporting.terminal_id].sessions == 2
        # 1-5 08:30-17:30: 21 weekdays in November 2026, 9 hours each.
        assert rows[reporting.terminal_id].open_s == 21 * 9 * 3600
        assert rows[reporting.terminal_id].availability == pytest.approx(1 / (21 * 9))
        # A terminal that sent nothing was not available (the default hours, 08:30-17:30 every day).
        assert rows[silent.terminal_id].availability == 0.0
        assert rows[silent.terminal_id].open_s == 30 * 9 * 3600
        assert report.total.reporting == 1


def test_old_usage_records_are_let_go_and_their_totals_stay(center_db, monkeypatch):
    monkeypatch.setattr(usage, "KEEP_USAGE_RECORDS", 3)
    with closing(center_db.store()) as store:
        terminal, other = store.add_terminal("t"), store.add_terminal("other")
        records = [
            usage_record(
                f"{terminal.terminal_id}:usage:{hour}",
                "2026-11-02",
                [{"metric": "session", "key": "", "value": 1}],
            )
            for hour in range(6)
        ]
        store.deliver(other.terminal_id, [usage_record(f"{other.terminal_id}:usage:0", "2026-11-02", [])])
        for record in records:
            assert store.deliver(terminal.terminal_id, [record])[0]["status"] == 201
        kept = store.query(
            "SELECT idempotency_key FROM records WHERE terminal_id = ? AND kind = 'usage' ORDER BY record_id",
            (terminal.terminal_id,),
        )
        assert [row["idempotency_key"] for row in kept] == [r.idempotency_key for r in records[-3:]]
        assert len(store.records("usage")) == 4  # the other terminal's record is its own
        report = monthly_report(store, "2026-11", now=datetime(2026, 12, 6).timestamp())
        assert {row.terminal_id: row for row in report.terminals}[terminal.terminal_id].sessions == 6


def test_the_center_refuses_a_usage_record_that_breaks_the_rules(center_db):
    with closing(center_db.store()) as store:
        terminal = store.add_terminal("t")
        bad = usage_record(
            f"{terminal.terminal_id}:usage:2",
            "2026-11-02",
            [{"metric": "search_empty", "key": "441803194803150621", "value": 1}],
        )
        record, problem = check_record(bad.model_dump(mode="json"))
        assert record is None and "scrubbed" in problem


def test_a_month_not_yet_begun_or_malformed_is_a_report_error(center_db):
    with closing(center_db.store()) as store:
        for month in ("2026-1", "11/2026", "2026-00", "2999-01"):
            with pytest.raises(ReportError):
                monthly_report(store, month)
