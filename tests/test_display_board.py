"""The display's board, Qt-free, fed with the hall's own values as the follower hands them on: the current call,
the calls before it (each ticket once), the waiting counts; what is announced and what only shown; a new day
clears the calls; the center's notices showing now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.protocol.hall import HallEvent, HallState
from kiosk.roles.display.demo import DEMO_NOW, demo_call, demo_state
from kiosk.services.display.board import ANNOUNCE_WITHIN_S, Announcement, HallBoard, spoken_number
from kiosk.services.notices import current_notices
from kiosk.store import sync_state


def event(state: HallState, kind: str, at: datetime = DEMO_NOW, **data: Any) -> HallEvent:
    return HallEvent(seq=state.seq + 1, type=kind, at=at, data=data)


def recalled(state: HallState, call: HallEvent, at: datetime) -> HallEvent:
    ticket = {**call.data["ticket"], "call_count": 2}
    return HallEvent(seq=state.seq + 1, type="ticket.recalled", at=at, data={"ticket": ticket})


def test_the_board_shows_the_last_call_large_and_each_earlier_ticket_once():
    board = HallBoard(hall_now=lambda: DEMO_NOW)
    first = board.on_state(demo_state())
    assert first.current is not None and first.current.number == "A011" and first.current.counter == 2
    assert [c.number for c in first.recent][:3] == ["B006", "C004", "A010"]
    assert first.current.service_name == "综合受理"

    call = demo_call(board.state)  # A012 to counter 3
    shown, announced = board.on_event(call)
    assert shown is not None and shown.current is not None
    assert (shown.current.number, shown.current.counter) == ("A012", 3)
    assert shown.recent[0].number == "A011"
    assert {w.code: w.waiting for w in shown.waiting}["ZH"] == 11  # one fewer waits
    assert announced == [Announcement("A012", 3, "3号窗口·社保医保", recall=False, seq=call.seq)]

    # 重呼 of A011 (called before A012): it is the current call again, and not listed twice.
    again, announced = board.on_event(recalled(board.state, demo_call(board.state, "A011", 2), DEMO_NOW))
    assert again is not None and again.current is not None and again.current.number == "A011"
    assert again.current.recall
    assert [c.number for c in again.recent].count("A011") == 0
    assert again.recent[0].number == "A012"
    assert announced and announced[0].recall


def test_a_call_older_than_the_catch_up_limit_is_shown_not_announced():
    board = HallBoard(hall_now=lambda: DEMO_NOW + timedelta(seconds=ANNOUNCE_WITHIN_S + 5))
    board.on_state(demo_state())
    shown, announced = board.on_event(demo_call(board.state))
    assert shown is not None and shown.current is not None and shown.current.number == "A012"
    assert announced == []


def test_events_already_in_the_state_are_dropped_and_a_gap_asks_for_the_state():
    board = HallBoard(hall_now=lambda: DEMO_NOW)
    state = demo_state()
    board.on_state(state)
    old = HallEvent(seq=state.seq, type="ticket.taken", at=DEMO_NOW, data={})
    assert board.on_event(old) == (None, []) and not board.needs_state
    far = HallEvent(seq=state.seq + 5, type="ticket.taken", at=DEMO_NOW, data={})
    assert board.on_event(far) == (None, []) and board.needs_state


def test_a_new_day_clears_the_calls_at_once():
    board = HallBoard(hall_now=lambda: DEMO_NOW)
    state = demo_state()
    board.on_state(state)
    waiting = {s.code: 0 for s in state.services}
    shown, announced = board.on_event(event(state, "day.started", day="2026-11-24", waiting=waiting))
    assert shown is not None and announced == []
    assert shown.current is None and shown.recent == () and shown.waiting_total == 0
    assert shown.day == "2026-11-24" and shown.hall_name == "清城区政务服务中心"
    assert board.needs_state  # the new day's state follows
    fresh = board.on_state(demo_state(busy=False, seq=state.seq + 1))
    assert fresh.current is None and fresh.known


def test_numbers_are_read_out_digit_by_digit():
    assert spoken_number("A012", "zh_CN") == "A零一二"
    assert spoken_number("B1000", "zh_CN") == "B一零零零"
    assert spoken_number("A012", "en") == "A 0 1 2"


def test_the_notices_showing_now_warnings_first(terminal):
    conn = terminal.database.connection()
    stamp = "2026-11-23T08:00:00+00:00"

    def notice(key: str, level: str, starts: datetime, ends: datetime | None) -> None:
        values = {
            "title": f"通知{key}",
            "body": "正文",
            "level": level,
            "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat() if ends else None,
        }
        sync_state.apply_entry(conn, "notices", key, 1, values, stamp)

    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    with conn:
        notice("old", "info", now - timedelta(days=3), now - timedelta(days=1))
        notice("later", "info", now + timedelta(days=1), None)
        notice("info", "info", now - timedelta(hours=5), None)
        notice("warn", "warning", now - timedelta(days=2), now + timedelta(hours=1))
    shown = current_notices(terminal.database, now)
    assert [n.key for n in shown] == ["warn", "info"]
    assert shown[0].title == "通知warn" and shown[0].level == "warning"
