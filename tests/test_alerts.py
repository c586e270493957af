"""Alerts (kiosk.center.alerts) from heartbeats recorded by the real ``record_heartbeat``: each kind appearing and
clearing, since when, severity, never-seen terminals counted, disabled ones quiet, thresholds kept in the database
and changed by ``kiosk center alerts --set``; and one signed heartbeat to a real center, seen by the CLI."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from kiosk.center.alerts import AlertThresholds, alert_summary, current_alerts, load_thresholds
from kiosk.center.fleet import record_heartbeat
from kiosk.center.store import Store
from kiosk.cli.main import main
from kiosk.protocol import Heartbeat
from tests.center_support import CenterDb, CenterServer


@pytest.fixture
def store(center_db: CenterDb) -> Iterator[Store]:
    opened = center_db.store()
    yield opened
    opened.close()


def beat(**fields: Any) -> Heartbeat:
    return Heartbeat.model_validate({"version": "1.3.0", "role": "kiosk", **fields})


def device(role: str, health: str, code: str = "") -> dict[str, str]:
    return {"role": role, "backend": "test", "health": health, "code": code}


def crash(number: int, what: str = "crashed") -> dict[str, Any]:
    return {
        "id": f"c-{number}",
        "at": datetime.now(UTC).isoformat(),
        "version": "1.3.0",
        "role": "kiosk",
        "what": what,
        "exit_code": -11 if what == "crashed" else None,
    }


def kinds(store: Store, now: float | None = None, **scope: str) -> dict[str, tuple[str, str]]:
    """kind → (severity, detail) of the alerts now (one terminal per test, or a kind once)."""
    return {a.kind: (a.severity, a.detail) for a in current_alerts(store, now, **scope)}


def terminal(store: Store, name: str = "村", region: str = "") -> str:
    tid = store.add_terminal(name).terminal_id
    store.place_terminal(tid, region=region, unit="镇")
    return tid


def test_device_faults_appear_with_the_heartbeat_keep_their_since_and_clear(store: Store) -> None:
    tid = terminal(store)
    record_heartbeat(store, tid, beat(devices=[device("ticket", "ok"), device("a4", "ok")]))
    assert current_alerts(store) == ()
    faulty = [
        device("ticket", "paper_low"),
        device("a4", "paper_out"),
        device("id_card", "error", "sam_timeout"),
        device("scanner", "offline"),
    ]
    before = time.time()
    record_heartbeat(store, tid, beat(devices=faulty))
    first = {a.kind: a for a in current_alerts(store)}
    assert {k: (a.severity, a.detail) for k, a in first.items()} == {
        "paper_low": ("warning", "ticket printer: paper low"),
        "paper_out": ("critical", "A4 printer: out of paper"),
        "reader_fault": ("critical", "ID card reader: fault (sam_timeout)"),
        "device_fault": ("warning", "code scanner: not connected"),
    }
    assert all(a.terminal_id == tid and a.name == "村" and a.unit == "镇" for a in first.values())
    reader = first["reader_fault"]
    assert (reader.device, reader.health, reader.code) == ("id_card", "error", "sam_timeout")
    assert all(a.since_unix is not None and a.since_unix >= before for a in first.values())
    # Critical first.
    assert [a.severity for a in current_alerts(store)] == ["critical", "critical", "warning", "warning"]
    # The next heartbeat that shows the same faults keeps their since; one fixed, the others stay.
    record_heartbeat(store, tid, beat(devices=[*faulty[1:], device("ticket", "ok")]))
    again = {a.kind: a for a in current_alerts(store)}
    assert set(again) == {"paper_out", "reader_fault", "device_fault"}
    assert all(again[k].since_unix == first[k].since_unix for k in again)
    assert set(kinds(store, kind="paper_out")) == {"paper_out"}
    # Fixed: gone with the heartbeat that says so.
    record_heartbeat(store, tid, beat(devices=[device("a4", "ok"), device("id_card", "ok")]))
    assert current_alerts(store) == ()


def test_offline_by_the_centers_clock_never_seen_counted_disabled_quiet(store: Store) -> None:
    seen = terminal(store, "村")
    never = terminal(store, "未装")
    quiet = terminal(store, "停用")
    record_heartbeat(store, seen, beat())
    record_heartbeat(store, quiet, beat(devices=[device("ticket", "paper_out")]))
    store.set_enabled(quiet, False)
    now = time.time()
    summary = alert_summary(store, now)
    assert summary.alerts == () and summary.never_seen == 1
    assert never not in {a.terminal_id for a in summary.alerts}
    later = now + AlertThresholds().offline_after_s + 5
    offline = current_alerts(store, later)
    assert [(a.kind, a.severity, a.terminal_id) for a in offline] == [("offline", "critical", seen)]
    assert offline[0].since_unix is not None and offline[0].since_unix <= now
    assert offline[0].detail.startswith("no heartbeat for 30 min")
    # A heartbeat clears it.
    record_heartbeat(store, seen, beat())
    assert current_alerts(store) == ()


def test_backlog_by_records_or_by_age(store: Store) -> None:
    tid = terminal(store)
    record_heartbeat(store, tid, beat(outbox_backlog=199, outbox_oldest_age_s=3600))
    assert current_alerts(store) == ()
    record_heartbeat(store, tid, beat(outbox_backlog=200, outbox_oldest_age_s=3600))
    assert kinds(store) == {"backlog": ("warning", "200 records waiting, the oldest 1 h old")}
    record_heartbeat(store, tid, beat(outbox_backlog=3, outbox_oldest_age_s=2 * 86400 + 7200))
    (alert,) = current_alerts(store)
    assert alert.detail == "3 records waiting, the oldest 2 d 2 h old"
    assert (alert.count, alert.age_s) == (3, 2 * 86400 + 7200)
    assert alert.since_unix is not None and alert.since_unix < time.time() - 2 * 86400
    record_heartbeat(store, tid, beat(outbox_backlog=0))
    assert current_alerts(store) == ()


def test_crash_loop_from_recent_crash_reports(store: Store) -> None:
    tid = terminal(store)
    record_heartbeat(store, tid, beat(crashes=[crash(1), crash(2)]))
    assert current_alerts(store) == ()
    record_heartbeat(store, tid, beat(crashes=[crash(2), crash(3)]))  # c-2 again: kept once
    now = time.time()
    assert kinds(store, now) == {"crash_loop": ("critical", "3 crashes in 10 min")}
    assert current_alerts(store, now + AlertThresholds().crash_loop_window_s + 1) == ()
    # The terminal's own verdict is a crash loop whatever the count (its crashes may have been reported earlier).
    other = terminal(store, "镇")
    record_heartbeat(store, other, beat(crashes=[crash(1, "crash_loop")]))
    (alert,) = [a for a in current_alerts(store, kind="crash_loop") if a.terminal_id == other]
    assert alert.detail == "0 crashes in 10 min; the terminal reported a crash loop"


def test_region_filter(store: Store) -> None:
    north = terminal(store, "北", "广州市/从化区")
    south = terminal(store, "南", "清远市/清城区")
    for tid in (north, south):
        record_heartbeat(store, tid, beat(devices=[device("ticket", "paper_out")]))
    assert {a.terminal_id for a in current_alerts(store, region="广州市/")} == {north}
    assert {a.terminal_id for a in current_alerts(store, region="清远市/清城区")} == {south}
    assert current_alerts(store, region="广州市") == ()


def test_thresholds_set_by_the_cli(
    store: Store, center_db: CenterDb, capsys: pytest.CaptureFixture[str]
) -> None:
    def cli(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["center", "alerts", *args, *center_db.args])
        out, err = capsys.readouterr()
        return code, out, err

    tid = terminal(store, "村", "广州市/天河区")
    record_heartbeat(store, tid, beat(outbox_backlog=250))
    code, out, _ = cli()
    assert code == 0 and "1 alerts (0 critical, 1 warning)" in out and tid in out and "250 records" in out
    code, out, _ = cli("--set", "backlog_records=300", "--set", "offline_after_s=3600")
    assert code == 0 and "backlog_records = 300" in out
    assert load_thresholds(store) == AlertThresholds(offline_after_s=3600, backlog_records=300)
    code, out, _ = cli("--json")
    listed = json.loads(out)
    assert code == 0 and listed["alerts"] == [] and listed["counts"]["alerts"] == 0
    shown = {t["name"]: t for t in listed["thresholds"]}
    assert shown["backlog_records"]["value"] == 300 and shown["backlog_records"]["set_by"].startswith("cli:")
    # Offline by the new threshold: not at 40 minutes, at 61.
    assert current_alerts(store, time.time() + 2400) == ()
    assert [a.kind for a in current_alerts(store, time.time() + 3660)] == ["offline"]
    # Refused, all or nothing, with what is allowed.
    for bad, words in (
        ("offline_after_s=soon", "offline_after_s is a number"),
        ("offline_after_s=5", "from 60 to 2592000"),
        ("crash_loop_count=2.5", "a whole number"),
        ("loudness=3", "no threshold 'loudness'"),
        ("backlog_records", "NAME=VALUE"),
    ):
        code, out, err = cli("--set", "backlog_age_s=600", "--set", bad)
        assert code == 2 and words in err and "Traceback" not in err
    assert load_thresholds(store).backlog_age_s == AlertThresholds().backlog_age_s
    code, out, _ = cli("--set", "backlog_records=default")
    assert code == 0 and load_thresholds(store).backlog_records == 200
    code, out, _ = cli("--json", "--kind", "backlog", "--region", "广州市/")
    assert code == 0 and [a["terminal_id"] for a in json.loads(out)["alerts"]] == [tid]


def test_a_signed_heartbeat_to_a_real_center_shows_in_the_cli(
    center_db: CenterDb, capsys: pytest.CaptureFixture[str]
) -> None:
    center = CenterServer(center_db)
    try:
        center.start()
        tid, secret = center.add_terminal("村")
        body = beat(devices=[device("ticket", "paper_out")]).model_dump_json().encode("utf-8")
        response = requests.post(
            center.url + "/api/v1/heartbeat",
            data=body,
            headers={"Content-Type": "application/json"},
            auth=center.auth(tid, secret),
            timeout=30,
        )
        assert response.status_code == 200, response.text
        capsys.readouterr()
        assert main(["center", "alerts", "--json", *center_db.args]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert [(a["kind"], a["terminal_id"], a["detail"]) for a in listed["alerts"]] == [
            ("paper_out", tid, "ticket printer: out of paper")
        ]
        assert listed["counts"] == {"alerts": 1, "critical": 1, "warning": 0, "never_seen": 0}
    finally:
        center.close()
