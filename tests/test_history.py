"""Heartbeat history (kiosk.center.history): one sample per terminal and 5-minute bucket from the heartbeat's own
transaction, buckets without a heartbeat shown as offline points, a week kept."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from kiosk.center import fleet_state, history
from kiosk.center.fleet import record_heartbeat
from kiosk.center.history import BUCKET_S, KEEP_S, terminal_history
from kiosk.center.store import Store
from kiosk.protocol import Heartbeat
from tests.center_support import CenterDb


@pytest.fixture
def store(center_db: CenterDb) -> Iterator[Store]:
    opened = center_db.store()
    yield opened
    opened.close()


def beat(backlog: int = 0, version: str = "1.3.0", health: str = "ok") -> Heartbeat:
    return Heartbeat.model_validate(
        {
            "version": version,
            "role": "kiosk",
            "outbox_backlog": backlog,
            "devices": [{"role": "ticket", "backend": "escpos", "health": health}],
        }
    )


def beat_at(store: Store, terminal_id: str, at: float, **fields: object) -> None:
    """A heartbeat's state and sample as the center keeps them, received at ``at`` by its clock."""
    with store.transaction() as db:
        fleet_state.record(db, terminal_id, beat(**fields), "2026-12-06T12:00:00+08:00", at)  # type: ignore[arg-type]


def samples(store: Store, terminal_id: str) -> int:
    return int(
        store.query("SELECT count(*) AS n FROM terminal_history WHERE terminal_id = ?", (terminal_id,))[0][
            "n"
        ]
    )


def test_heartbeats_in_one_bucket_keep_one_sample_the_latest(store: Store) -> None:
    tid = store.add_terminal("村").terminal_id
    record_heartbeat(store, tid, beat(backlog=3))
    record_heartbeat(store, tid, beat(backlog=5, version="1.4.0", health="paper_low"))
    points = terminal_history(store, tid, hours=1)
    assert samples(store, tid) in (1, 2)  # two only when a bucket boundary fell between the two heartbeats
    last = points[-1]
    assert (last.online, last.outbox_backlog, last.faults, last.version) == (True, 5, 1, "1.4.0")


def test_gaps_are_offline_points_and_the_window_is_bounded(store: Store) -> None:
    tid = store.add_terminal("村").terminal_id
    start = (int(time.time() // BUCKET_S) - 30) * BUCKET_S + 10
    for minutes in (0, 1, 5, 10, 40, 45):  # silent from minute 15 to minute 40
        beat_at(store, tid, start + minutes * 60, backlog=minutes)
    now = start + 50 * 60
    points = terminal_history(store, tid, hours=24, now=now)
    # From the first heartbeat's bucket on (not 24 hours of nothing before it), one point per bucket.
    assert points[0].at_unix == (start // BUCKET_S) * BUCKET_S
    assert [p.at_unix - points[0].at_unix for p in points] == [i * BUCKET_S for i in range(len(points))]
    assert [p.online for p in points] == [True, True, True, False, False, False, False, False, True, True]
    assert [p.outbox_backlog for p in points if p.online] == [1, 5, 10, 40, 45]
    assert [p.version for p in points] == ["1.3.0"] * 3 + [None] * 5 + ["1.3.0"] * 2
    # A shorter window; the current bucket appears once it has a sample; an unknown terminal has none.
    assert (
        len(terminal_history(store, tid, hours=0.5, now=now)) == 5
    )  # the bucket of minute 50 has no sample yet
    assert terminal_history(store, "T-nobody", now=now) == ()
    # A terminal silent for hours: every bucket since is an offline point.
    late = terminal_history(store, tid, hours=24, now=now + 3 * 3600)
    assert not any(p.online for p in late[-36:])
    # Silent for longer than the window: every point of it is offline.
    gone = terminal_history(store, tid, hours=1, now=now + 2 * 86400)
    assert len(gone) == 11 and not any(p.online for p in gone)


def test_a_week_is_kept(store: Store) -> None:
    tid = store.add_terminal("村").terminal_id
    other = store.add_terminal("镇").terminal_id
    now = time.time()
    old = now - KEEP_S - 3600
    beat_at(store, tid, old)
    beat_at(store, other, old)
    assert samples(store, tid) == 1
    # The terminal's own heartbeats delete its samples older than the week, once an hour of buckets.
    hourly = (int(now // BUCKET_S) // history.PRUNE_EVERY) * history.PRUNE_EVERY * BUCKET_S + 1
    beat_at(store, tid, hourly)
    assert samples(store, tid) == 1 and samples(store, other) == 1
    # The sweep takes those of terminals silent for longer.
    assert history.sweep(store, now=now) == 1
    assert samples(store, other) == 0
    assert len(terminal_history(store, tid, hours=10_000, now=hourly)) == 1  # at most the 7 days kept
