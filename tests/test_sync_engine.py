"""The sync engine against the real reference center on 127.0.0.1 (and a scripted server for bad pages):
pages applied whole with their cursor, records delivered exactly once, outages survived."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime

import pytest

from drivers.base import DeviceKind, DeviceStatus, Health
from kiosk.center_client import CenterClient
from kiosk.config import Settings, load_settings
from kiosk.protocol import HMAC_SHA256, secret_from_hex
from kiosk.protocol.models import DeviceHealth, OutboxRecord
from kiosk.services.devices import DeviceEntry, DeviceReport
from kiosk.services.sync import engine as sync
from kiosk.services.sync.engine import SyncEngine, SyncStatus, client_factory_for
from kiosk.services.terminal import Terminal
from kiosk.store import outbox as outbox_store
from kiosk.store import sync_state
from kiosk.store.keystore import Keystore
from tests import center_support, test_center_client
from tests.conftest import catalog_document, make_item
from tests.test_center_client import FakeCenter, json_answer

center_server = center_support.center_server
fake_center = test_center_client.fake_center

NOTICE = {
    "title": "系统维护通知",
    "body": "本周六 22:00-24:00 暂停服务",
    "level": "warning",
    "starts_at": "2026-11-22T08:00:00+08:00",
    "ends_at": "2026-11-30T08:00:00+08:00",
}
FORM = {
    "format": "kiosk-form/1",
    "code": "SB-001",
    "version": 1,
    "title": "社会保障卡申领登记表",
    "department": "清远市人力资源和社会保障局",
    "steps": [{"title": "联系方式", "fields": [{"key": "phone", "type": "phone", "label": "联系电话"}]}],
}


class Rig:
    """Enrolled terminals with their engines, all closed at the end of the test."""

    def __init__(self, center, tmp_path) -> None:
        self.center = center
        self.tmp_path = tmp_path
        self.opened: list[tuple[Terminal, SyncEngine]] = []

    def terminal(self, *, sm3: bool = False, clock=time.time, engine_clock=time.time, **overrides):
        terminal_id, secret_hex = self.center.add_terminal(f"t{len(self.opened)}", sm3=sm3)
        settings = load_settings(
            data_dir=self.tmp_path / f"data-{terminal_id}",
            environ={},
            overrides={
                "terminal_id": terminal_id,
                "center_url": self.center.url,
                "crypto_suite": "guomi" if sm3 else "standard",
                **overrides,
            },
        )
        Keystore.for_data_dir(settings.data_dir).store_secret(secret_from_hex(secret_hex))
        terminal = Terminal.open(settings)
        engine = self.engine(terminal, settings, clock=clock, engine_clock=engine_clock)
        return terminal, engine

    def engine(
        self, terminal: Terminal, settings: Settings, *, clock=time.time, engine_clock=time.time, **kw
    ):
        factory = client_factory_for(settings, clock=clock, timeout=(1, 5))
        engine = SyncEngine.for_terminal(terminal, client_factory=factory, clock=engine_clock, **kw)
        self.opened.append((terminal, engine))
        return engine

    def close(self) -> None:
        for _, engine in reversed(self.opened):
            engine.stop()
        for terminal in dict.fromkeys(t for t, _ in self.opened):
            terminal.close()


@pytest.fixture
def rig(center_server, tmp_path):
    rig = Rig(center_server, tmp_path)
    yield rig
    rig.close()


def add(terminal: Terminal, engine: SyncEngine, kind: str, body: dict, *, personal: bool = False) -> str:
    def job() -> str:
        with terminal.database.transaction() as conn:
            return engine.outbox.add(conn, kind, body, personal=personal)

    return terminal.background.write(job).result()


def wait_for(condition, timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# -- pull ------------------------------------------------------------------------------------------------------


def test_catalog_pages_are_applied_searchable_and_remembered(rig, center_server, monkeypatch):
    monkeypatch.setattr(sync, "PULL_LIMIT", 5)  # 12 items: three pages
    center_server.publish_catalog(catalog_document())
    terminal, engine = rig.terminal()
    heard: list[tuple[str, int]] = []
    terminal.changes.subscribe(lambda change: heard.append((change.topic, change.count)))
    report = engine.run_once()
    assert report.ok, report.reason
    assert report.pulled["catalog"] == 12 and report.applied["catalog"] == 12
    assert heard == [("catalog", 12)]  # once for the cycle, not once a page
    assert terminal.catalog.search("sbk").hits[0].code == "RS-003"
    cursor = sync_state.cursor(terminal.database.connection(), "catalog")
    assert cursor

    renamed = make_item("RS-001", "社保卡补领换领", version=2)
    center_server.publish_catalog(
        {"format": "kiosk-catalog/1", "items": [renamed, {"code": "RS-003", "version": 2, "deleted": True}]}
    )
    again = rig.engine(terminal, terminal.settings)  # a restarted terminal goes on from its stored cursor
    report = again.run_once()
    assert report.ok and report.pulled["catalog"] == 2 and report.applied["catalog"] == 2
    assert terminal.catalog.item("RS-003") is None
    assert terminal.catalog.item("RS-001").name == "社保卡补领换领"
    assert all(h.code != "RS-003" for h in terminal.catalog.search("社保卡").hits)
    assert again.run_once().pulled["catalog"] == 0


def test_form_templates_notices_and_settings_are_stored(rig, center_server):
    center_server.publish("form_templates", [{"key": "SB-001", "version": 1, "deleted": False, "data": FORM}])
    center_server.publish("notices", [{"key": "n1", "version": 1, "deleted": False, "data": NOTICE}])
    center_server.publish(
        "settings",
        [
            {"key": "idle_timeout_s", "version": 1, "deleted": False, "data": {"value": 120}},
            {"key": "stale_catalog_days", "version": 1, "deleted": False, "data": {"value": 7}},
        ],
    )
    terminal, engine = rig.terminal()
    heard: list[str] = []
    terminal.changes.subscribe(lambda change: heard.append(change.topic))
    report = engine.run_once()
    assert report.ok, report.reason
    assert heard == ["form_templates", "notices", "settings"]  # what the cycle changed, announced once each
    conn = terminal.database.connection()
    assert sync_state.form_templates(conn) == {"SB-001": FORM}
    (notice,) = sync_state.notices(conn)
    assert (notice.title, notice.level) == ("系统维护通知", "warning")
    assert sync_state.notices(conn, at="2026-11-25T00:00:00+00:00") == [notice]
    assert sync_state.notices(conn, at="2026-12-25T00:00:00+00:00") == []
    assert sync_state.center_settings(conn) == {"idle_timeout_s": 120, "stale_catalog_days": 7}

    center_server.publish("notices", [{"key": "n1", "version": 2, "deleted": True, "data": None}])
    center_server.publish(
        "settings", [{"key": "idle_timeout_s", "version": 2, "deleted": False, "data": {"value": 60}}]
    )
    report = engine.run_once()
    assert report.applied["notices"] == 1 and report.applied["settings"] == 1
    assert sync_state.notices(conn) == []
    assert sync_state.center_settings(conn)["idle_timeout_s"] == 60
    assert set(sync_state.cursors(conn)) == {"catalog", "form_templates", "notices", "settings"}


def test_a_page_that_does_not_validate_is_not_applied_and_other_feeds_go_on(
    fake_center: FakeCenter, settings, tmp_path
):
    fake_center.serve_empty_feeds()
    bad_item = make_item("RS-002", "社保卡挂失")
    bad_item["handling"]["type"] = "随便办"
    fake_center.routes["/api/v1/feeds/catalog"] = json_answer(
        {
            "kind": "catalog",
            "entries": [
                {
                    "key": "RS-001",
                    "version": 1,
                    "deleted": False,
                    "data": make_item("RS-001", "社保卡补换卡"),
                },
                {"key": "RS-002", "version": 1, "deleted": False, "data": bad_item},
            ],
            "next_cursor": "after-2",
            "has_more": False,
        }
    )
    fake_center.routes["/api/v1/feeds/settings"] = json_answer(
        {
            "kind": "settings",
            "entries": [{"key": "x", "version": 1, "deleted": False, "data": {"v": 1}}],
            "next_cursor": "s",
            "has_more": False,
        }
    )
    fake_center.routes["/api/v1/feeds/notices"] = json_answer(
        {
            "kind": "notices",
            "entries": [{"key": "n1", "version": 1, "deleted": False, "data": NOTICE}],
            "next_cursor": "n",
            "has_more": False,
        }
    )

    def factory() -> CenterClient:
        return CenterClient(fake_center.url, "T-fake0001", bytes(32), HMAC_SHA256, timeout=(1, 5))

    with Terminal.open(settings) as terminal:
        engine = SyncEngine.for_terminal(terminal, client_factory=factory)
        try:
            report = engine.run_once()
        finally:
            engine.stop()
        conn = terminal.database.connection()
        assert not report.ok
        problems = {p.where: p for p in report.errors}
        assert set(problems) == {"pull:catalog", "pull:settings"}
        assert "handling.type" in problems["pull:catalog"].detail
        # The bad catalog item is left out alone: RS-001 and the cursor are applied (tests/test_sync_catalog_items.py).
        assert terminal.catalog.item("RS-001") is not None and terminal.catalog.item("RS-002") is None
        assert sync_state.cursor(conn, "catalog") == "after-2"
        assert (
            sync_state.cursor(conn, "settings") == ""
        )  # a settings page that does not validate is not applied
        assert [n.key for n in sync_state.notices(conn)] == ["n1"]  # the other feeds went on
        assert sync_state.cursor(conn, "notices") == "n"
        assert report.heartbeat
        assert engine.status.last_error and "pull:catalog" in engine.status.last_error_detail


def test_an_unknown_cursor_starts_the_feed_over(rig, center_server):
    center_server.publish_catalog(catalog_document())
    terminal, engine = rig.terminal()
    assert engine.run_once().ok

    def forget(conn):
        sync_state.save_cursor(conn, "catalog", "a-cursor-from-another-center", "2026-01-01T00:00:00+00:00")

    with terminal.database.transaction() as conn:
        forget(conn)
    report = engine.run_once()
    assert report.ok, report.reason
    assert report.pulled["catalog"] == 12 and report.applied["catalog"] == 0  # applied by version: no change
    assert sync_state.cursor(terminal.database.connection(), "catalog") != "a-cursor-from-another-center"


# -- push ------------------------------------------------------------------------------------------------------


def test_records_reach_the_center_exactly_once(rig, center_server):
    terminal, engine = rig.terminal(sync_batch_size=2)
    keys = [add(terminal, engine, "rating", {"score": n}) for n in range(1, 5)]
    keys.append(add(terminal, engine, "submission", {"name": "张三", "phone": "13800000000"}, personal=True))
    report = engine.run_once()
    assert report.ok, report.reason
    assert (report.pushed, report.acknowledged) == (5, 5)
    delivered = {r["idempotency_key"]: r for r in center_server.records()}
    assert set(delivered) == set(keys)
    assert delivered[keys[-1]]["body"] == {"name": "张三", "phone": "13800000000"}
    assert engine.outbox.stats().backlog == 0
    assert terminal.database.connection().execute("SELECT count(*) FROM outbox").fetchone()[0] == 0

    # The center stored a record but its answer was lost: the next cycle sends it again and gets 201 again.
    key = add(terminal, engine, "event", {"step": "printed"})
    (row,) = outbox_store.pending(terminal.database.connection())
    with engine.client_factory() as client:
        first = client.push([engine.outbox.open(row)]).results[0]
    report = engine.run_once()
    assert report.acknowledged == 1 and engine.outbox.stats().backlog == 0
    assert [r["record_id"] for r in center_server.records() if r["idempotency_key"] == key] == [
        first.record_id
    ]
    assert len(center_server.records()) == 6
    assert engine.run_once().pushed == 0


def test_conflicts_and_invalid_records_are_kept_aside_and_never_resent(rig, center_server):
    terminal, engine = rig.terminal()
    invalid = add(terminal, engine, "rating", {"score": 9})
    clashing = add(terminal, engine, "event", {"mine": True})
    with engine.client_factory() as client:  # the same key already used with another body
        other = OutboxRecord(
            idempotency_key=clashing, kind="event", created_at=datetime.now(UTC), body={"mine": False}
        )
        assert client.push([other]).results[0].status == 201
    fine = add(terminal, engine, "rating", {"score": 3})
    report = engine.run_once()
    assert report.ok, report.reason
    assert (report.pushed, report.acknowledged, report.conflicts, report.rejected) == (3, 1, 1, 1)
    rejected = {r.idempotency_key: r.last_error for r in engine.outbox.rejected()}
    assert rejected[invalid] == "422 body.score: must be 1-5"
    assert rejected[clashing].startswith("409")
    assert engine.outbox.stats().backlog == 0 and engine.outbox.stats().rejected == 2
    assert engine.run_once().pushed == 0
    assert [r["idempotency_key"] for r in center_server.records()] == [clashing, fine]


def test_acknowledged_rows_are_kept_for_the_retention_then_purged(rig):
    now = [time.time()]
    terminal, engine = rig.terminal(outbox_retention_days=2, engine_clock=lambda: now[0])
    add(terminal, engine, "submission", {"name": "李四"}, personal=True)
    assert engine.run_once().acknowledged == 1
    stats = engine.outbox.stats()
    assert (stats.backlog, stats.kept) == (0, 1)
    now[0] += 3 * 86400
    assert engine.run_once().ok
    assert engine.outbox.stats().kept == 0


def test_a_tampered_row_is_quarantined_and_the_others_delivered(rig, center_server, caplog):
    terminal, engine = rig.terminal()
    broken = add(terminal, engine, "submission", {"name": "王五"}, personal=True)
    add(terminal, engine, "submission", {"name": "赵六"}, personal=True)
    with terminal.database.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET body = substr(body, 1, 30) || x'00' WHERE idempotency_key = ?", [broken]
        )
    report = engine.run_once()
    assert report.ok and (report.quarantined, report.acknowledged) == (1, 1)
    assert engine.outbox.rejected()[0].last_error.startswith("quarantined")
    assert "quarantined" in caplog.text and "王五" not in caplog.text
    assert [r["body"] for r in center_server.records()] == [{"name": "赵六"}]


def test_a_damaged_plain_row_is_quarantined_instead_of_spoiling_its_batch(rig, center_server):
    terminal, engine = rig.terminal()
    keys = [add(terminal, engine, "event", {"n": n}) for n in range(3)]
    with terminal.database.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET body = CAST('{\"n\": NaN}' AS BLOB) WHERE idempotency_key = ?", [keys[1]]
        )
    report = engine.run_once()
    assert report.ok, report.reason
    assert (report.quarantined, report.acknowledged) == (1, 2)
    assert engine.outbox.rejected()[0].last_error.startswith("quarantined: outbox row")
    assert [r["idempotency_key"] for r in center_server.records()] == [keys[0], keys[2]]


# -- the center's side of things ------------------------------------------------------------------------------


def test_heartbeat_carries_backlog_and_devices(rig, center_server):
    report = DeviceReport(
        DeviceEntry("ticket", "票据打印机", DeviceKind.TICKET_PRINTER, "file", "/tmp/t"),
        DeviceStatus(DeviceKind.TICKET_PRINTER, "file", Health.PAPER_LOW, "paper_low", "纸将用完"),
    )
    devices = [report, DeviceHealth(role="id_card", backend="sam-serial", health="ok")]
    terminal, engine = rig.terminal()
    engine.devices = lambda: devices
    center_server.set_enabled(terminal.settings.terminal_id, False)
    add(terminal, engine, "event", {"n": 1})
    refused = engine.run_once()
    assert not refused.ok and refused.online is True
    assert "kiosk enroll" in refused.errors[0].plain
    center_server.set_enabled(terminal.settings.terminal_id, True)
    assert engine.run_once().ok
    beat = center_server.terminals()[0]["last_heartbeat"]
    assert beat["outbox_backlog"] == 0 and beat["role"] == "kiosk" and beat["free_disk_bytes"] > 0
    assert [(d["role"], d["health"], d["code"]) for d in beat["devices"]] == [
        ("ticket", "paper_low", "paper_low"),
        ("id_card", "ok", ""),
    ]
    assert beat["last_sync_at"]


def test_a_terminal_clock_hours_off_still_syncs(rig, center_server):
    terminal, engine = rig.terminal(clock=lambda: time.time() + 5 * 3600)
    add(terminal, engine, "event", {"clock": "ahead"})
    report = engine.run_once()
    assert report.ok, report.reason
    assert len(center_server.records()) == 1


def test_a_guomi_terminal_syncs_end_to_end(rig, center_server):
    center_server.publish_catalog(catalog_document())
    terminal, engine = rig.terminal(sm3=True)
    add(terminal, engine, "submission", {"name": "钱七"}, personal=True)
    (row,) = outbox_store.pending(terminal.database.connection())
    assert row.sealed and row.body[1] == 2  # SM4-GCM envelope
    report = engine.run_once()
    assert report.ok, report.reason
    assert report.applied["catalog"] == 12 and report.acknowledged == 1
    assert center_server.records()[0]["body"] == {"name": "钱七"}
    assert center_server.terminals()[0]["algorithm"] == "HMAC-SM3"


def test_not_enrolled_is_reported_plainly(settings):
    with Terminal.open(settings) as terminal:
        engine = SyncEngine.for_terminal(terminal)
        report = engine.run_once()
        engine.stop()
    assert not report.ok and report.online is None
    assert "kiosk enroll" in report.errors[0].plain and not engine.status.enrolled


# -- outages and the background loop ---------------------------------------------------------------------------


def test_an_outage_keeps_the_records_and_the_next_cycle_delivers_them(rig, center_server):
    terminal, engine = rig.terminal()
    add(terminal, engine, "event", {"n": 1})
    center_server.stop()
    report = engine.run_once()
    assert not report.ok and report.online is False
    assert report.errors[0].plain.startswith("暂时连不上中心")
    status = engine.status
    assert (status.online, status.backlog, status.last_success_at) == (False, 1, None)
    assert terminal.database.connection().execute("SELECT attempts FROM outbox").fetchone()[0] == 0
    center_server.start()
    report = engine.run_once()
    assert report.ok and report.acknowledged == 1
    assert engine.status.online and engine.status.last_error is None and engine.status.last_success_at


def test_the_loop_goes_offline_and_converges_when_the_center_returns(rig, center_server):
    center_server.publish_catalog(catalog_document())
    terminal, engine = rig.terminal(sync_interval_s=1)
    engine._backoff_base = 0.05
    seen: list[SyncStatus] = []
    changed = threading.Event()

    def listener(status: SyncStatus) -> None:
        seen.append(status)
        changed.set()

    engine.add_listener(listener)
    engine.start()
    wait_for(lambda: engine.status.last_success_at is not None, what="the first sync")
    assert terminal.catalog.stats().items == 12

    center_server.stop()
    add(terminal, engine, "rating", {"score": 5})  # triggers a cycle, which fails
    wait_for(lambda: engine.status.online is False, what="offline")
    assert engine.status.backlog == 1 and engine.status.last_error

    center_server.start()
    add(terminal, engine, "rating", {"score": 4})
    wait_for(lambda: engine.status.online and engine.status.backlog == 0, what="the center's return")
    engine.stop()
    assert sorted(r["body"]["score"] for r in center_server.records()) == [4, 5]
    assert any(s.syncing for s in seen) and seen[-1].syncing is False
    assert not [t for t in threading.enumerate() if t.name == "sync"]


def test_backoff_is_full_jitter_within_a_capped_window(rig):
    _, engine = rig.terminal(sync_interval_s=60)
    draws = [engine.backoff(n) for n in range(1, 12) for _ in range(20)]
    assert all(0 <= d <= 60 for d in draws)
    assert max(engine.backoff(1) for _ in range(50)) <= 2.0
    assert max(engine.backoff(10) for _ in range(200)) > 30  # the window grew to the cap
    assert json.dumps(engine.status.backlog) == "0"
