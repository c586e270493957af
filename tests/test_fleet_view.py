"""The fleet page's data (kiosk.center.fleet_view) from heartbeats recorded by the real ``record_heartbeat``: each
terminal's state row, online by the center's clock, faults in plain words, filters, counts, paging, choices and the
ring of the active rollout; and a fleet of 10,000 terminals built in one transaction."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.center import fleet_state, rollout, rollout_progress
from kiosk.center.fleet import record_heartbeat
from kiosk.center.fleet_view import ONLINE_WITHIN_S, FleetFilter, fleet_page, terminal_row
from kiosk.center.store import Store
from kiosk.protocol import Heartbeat
from tests.center_support import CenterDb


@pytest.fixture
def store(center_db: CenterDb) -> Iterator[Store]:
    opened = center_db.store()
    yield opened
    opened.close()


def beat(**fields: Any) -> Heartbeat:
    return Heartbeat.model_validate({"version": "1.3.0", "role": "kiosk", **fields})


def terminal(store: Store, name: str, region: str = "", unit: str = "") -> str:
    added = store.add_terminal(name)
    store.place_terminal(added.terminal_id, region=region, unit=unit)
    return added.terminal_id


def test_a_heartbeat_leaves_the_terminals_state_row(store: Store) -> None:
    tid = terminal(store, "石牌村", "广州市/天河区", "石牌街道")
    never = terminal(store, "未装", "广州市/天河区", "石牌街道")
    assert terminal_row(store, never) is not None
    assert terminal_row(store, never).online is False  # type: ignore[union-attr]
    record_heartbeat(
        store,
        tid,
        beat(
            version="1.4.0",
            devices=[
                {"role": "ticket", "backend": "escpos", "health": "paper_low"},
                {"role": "id_card", "backend": "serial", "health": "error", "code": "sam_timeout"},
                {"role": "a4", "backend": "cups", "health": "ok"},
            ],
            outbox_backlog=12,
            outbox_oldest_age_s=340.5,
            out_of_service=True,
        ),
    )
    row = terminal_row(store, tid)
    assert row is not None
    assert (row.name, row.region, row.unit, row.role, row.version) == (
        "石牌村",
        "广州市/天河区",
        "石牌街道",
        "kiosk",
        "1.4.0",
    )
    assert row.online and row.enabled and row.out_of_service
    assert row.faults == ("ticket printer: paper low", "ID card reader: fault (sam_timeout)")
    assert [(d.role, d.health, d.detail) for d in row.devices] == [
        ("ticket", "paper_low", ""),
        ("id_card", "error", "sam_timeout"),
        ("a4", "ok", ""),
    ]
    assert (row.outbox_backlog, row.outbox_oldest_age_s) == (12, 340.5)
    assert row.last_heartbeat_unix is not None and row.last_heartbeat_at is not None
    assert row.ring is None
    # Online by the center's clock: the same row is offline once ONLINE_WITHIN_S has passed.
    later = terminal_row(store, tid, now=row.last_heartbeat_unix + ONLINE_WITHIN_S + 1)
    assert later is not None and not later.online
    # The next heartbeat replaces the state: the faults it no longer shows are gone.
    record_heartbeat(store, tid, beat(devices=[{"role": "ticket", "backend": "escpos", "health": "ok"}]))
    row = terminal_row(store, tid)
    assert row is not None and row.faults == () and not row.out_of_service and row.version == "1.3.0"
    assert terminal_row(store, "T-nobody") is None


def test_filters_counts_paging_and_choices(store: Store) -> None:
    ids = {}
    for index, (region, unit, role) in enumerate(
        [
            ("广州市/天河区", "石牌街道", "kiosk"),
            ("广州市/天河区", "石牌街道", "display"),
            ("广州市/越秀区", "北京街道", "kiosk"),
            ("清远市/清城区", "东城街道", "counter"),
            ("清远市/清城区", "东城街道", "kiosk"),
        ]
    ):
        ids[index] = terminal(store, f"终端{index} Village_{index}", region, unit)
        record_heartbeat(
            store,
            ids[index],
            beat(
                role=role, version="1.4.0" if index % 2 else "1.3.0", outbox_backlog=500 if index == 4 else 0
            ),
        )
    never = terminal(store, "新装 new", "清远市/清城区", "东城街道")
    record_heartbeat(
        store, ids[2], beat(devices=[{"role": "ticket", "backend": "escpos", "health": "paper_out"}])
    )
    record_heartbeat(store, ids[3], beat(role="counter", out_of_service=True))
    now = time.time()

    page = fleet_page(store, FleetFilter(), now=now)
    assert page.counts.total == 6 and page.matched == 6
    assert (page.counts.online, page.counts.offline, page.counts.never) == (5, 0, 1)
    assert (page.counts.faults, page.counts.out_of_service) == (1, 1)
    assert page.regions == ("广州市/", "广州市/天河区", "广州市/越秀区", "清远市/", "清远市/清城区")
    assert page.units == ("东城街道", "北京街道", "石牌街道")
    assert page.versions == ("1.3.0", "1.4.0")
    assert page.roles == ("counter", "display", "kiosk")

    def chosen(**fields: Any) -> set[str]:
        return {row.terminal_id for row in fleet_page(store, FleetFilter(**fields), now=now).rows}

    assert chosen(region="广州市/") == {ids[0], ids[1], ids[2]}
    assert chosen(region="广州市/天河区") == {ids[0], ids[1]}
    assert chosen(region="广州市") == set()  # exact unless it ends in "/"
    assert chosen(unit="东城街道") == {ids[3], ids[4], never}
    assert chosen(role="kiosk") == {ids[0], ids[2], ids[4]}
    assert chosen(version="1.4.0") == {ids[1]}
    assert chosen(text="VILLAGE_1") == {ids[1]}  # case-insensitive, "_" is no wildcard
    assert chosen(text="越秀") == {ids[2]}
    assert chosen(text=ids[3].lower()) == {ids[3]}
    assert chosen(text="%") == set()
    assert chosen(state="fault") == {ids[2]}
    assert chosen(state="out_of_service") == {ids[3]}
    assert chosen(state="backlog") == {ids[4]}
    assert chosen(state="never") == {never}
    assert chosen(state="online") == set(ids.values())
    assert chosen(state="offline") == set()
    later = now + ONLINE_WITHIN_S + 1
    assert {r.terminal_id for r in fleet_page(store, FleetFilter(state="offline"), now=later).rows} == set(
        ids.values()
    )
    # Counts are of the filter's scope, whatever the state; matched is what the state leaves.
    scoped = fleet_page(store, FleetFilter(region="清远市/", state="out_of_service"), now=now)
    assert (scoped.counts.total, scoped.counts.never, scoped.counts.out_of_service, scoped.matched) == (
        3,
        1,
        1,
        1,
    )
    # Pages in a stable order, at most 200 a page.
    first = fleet_page(store, FleetFilter(per_page=4), now=now)
    second = fleet_page(store, FleetFilter(per_page=4, page=2), now=now)
    assert len(first.rows) == 4 and len(second.rows) == 2
    assert {r.terminal_id for r in first.rows + second.rows} == {*ids.values(), never}
    assert fleet_page(store, FleetFilter(per_page=10_000), now=now).per_page == 200
    assert fleet_page(store, FleetFilter(page=9), now=now).rows == ()
    with pytest.raises(ValueError, match="no fleet state"):
        fleet_page(store, FleetFilter(state="broken"))


def test_the_ring_in_the_active_rollout(store: Store) -> None:
    pilot = terminal(store, "pilot")
    others = [terminal(store, f"t{index}") for index in range(3)]
    assert fleet_page(store, FleetFilter()).rows[0].ring is None
    rollout.start(store, "1.5.0", rings=("pilot", "100%"), pilot=[pilot])
    rings = {row.terminal_id: row.ring for row in fleet_page(store, FleetFilter()).rows}
    assert rings == {pilot: "pilot", **dict.fromkeys(others, "100%")}
    row = terminal_row(store, others[0])
    assert row is not None and row.ring == "100%"
    # Once a heartbeat's answer has saved the rollout's evaluation, the page reads the rings from it.
    rollout.target_for(store, others[0], beat())
    assert rollout_progress.load(store, rollout.latest(store).id) is not None  # type: ignore[union-attr]
    assert {row.terminal_id: row.ring for row in fleet_page(store, FleetFilter()).rows} == rings
    store.set_enabled(others[1], False)
    assert terminal_row(store, others[1]).ring is None  # type: ignore[union-attr]
    rollout.abort(store)
    assert {row.ring for row in fleet_page(store, FleetFilter()).rows} == {None}


def test_ten_thousand_terminals(store: Store) -> None:
    """A province's fleet built in one transaction: the filters, counts and pages hold at that size."""
    now = time.time()

    @functools.cache
    def heartbeat(version: int, paper_low: bool, out_of_service: bool) -> Heartbeat:
        health = "paper_low" if paper_low else "ok"
        devices = [{"role": "ticket", "backend": "escpos", "health": health}]
        return beat(version=f"1.{version}.0", devices=devices, out_of_service=out_of_service)

    with store.transaction() as db:
        db.executemany(
            "INSERT INTO terminals (id, name, secret, algorithm, enabled, created_at, region, unit) "
            "VALUES (?, ?, ?, 'hmac-sha256', 1, '2026-12-01T00:00:00+08:00', ?, ?)",
            [
                (f"T-{i:05d}", f"村{i}", b"x" * 32, f"市{i % 10}/区{i % 100}", f"单位{i % 500}")
                for i in range(10_000)
            ],
        )
        for index in range(10_000):
            if index % 10 == 9:
                continue  # never seen
            fleet_state.record(
                db,
                f"T-{index:05d}",
                heartbeat(index % 3, index % 7 == 0, index % 50 == 0),
                "2026-12-06T12:00:00+08:00",
                now - (3600 if index % 4 == 0 else 30),
            )
    page = fleet_page(store, FleetFilter(), now=now)
    seen = 9000
    offline = sum(1 for i in range(10_000) if i % 10 != 9 and i % 4 == 0)
    faults = sum(1 for i in range(10_000) if i % 10 != 9 and i % 7 == 0)
    assert (page.counts.total, page.counts.never, page.counts.offline) == (10_000, 1000, offline)
    assert page.counts.online == seen - offline and page.counts.faults == faults
    assert len(page.rows) == 50 and len(page.regions) == 110 and len(page.units) == 500
    assert page.versions == ("1.0.0", "1.1.0", "1.2.0")
    filtered = fleet_page(store, FleetFilter(region="市3/", state="fault", per_page=200), now=now)
    expected = {f"T-{i:05d}" for i in range(10_000) if i % 10 == 3 and i % 7 == 0}
    assert filtered.matched == len(expected) and {r.terminal_id for r in filtered.rows} == expected
    assert all(r.faults == ("ticket printer: paper low",) for r in filtered.rows)
    last = fleet_page(store, FleetFilter(text="村99", per_page=200, page=1), now=now)
    assert last.matched == 111  # 村99, 村990-999, 村9900-9999
