"""What the hall tells a counter's staff about their counter and its queue: today's mean service time, the
latest no-shows to put back when the citizen turns up, and which waiting tickets were transferred to one
counter only. Played on the hall's real database with its clock set by the test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.hall import layout
from kiosk.hall.db import HallDb
from kiosk.hall.hall import Hall
from kiosk.hall.views import COUNTER_NO_SHOWS, hall_state
from kiosk.protocol.hall import HallState
from tests.test_hall_ordering import Clock, Desk


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[tuple[Hall, Clock, Desk]]:
    clock = Clock(datetime(2026, 11, 23, 9, 0))
    hall = Hall(HallDb(tmp_path / "hall.db", clock=clock))
    layout.add_service(hall.db, "ZH", "A", "综合受理")
    layout.add_service(hall.db, "SB", "B", "社保医保")
    layout.add_counter(hall.db, 1, "1号窗口", {"ZH": 1})
    layout.add_counter(hall.db, 2, "2号窗口", {"ZH": 1, "SB": 1})
    yield hall, clock, Desk(hall)
    hall.db.close()


def state_of(hall: Hall) -> HallState:
    with hall.db.read() as conn:
        return HallState.model_validate(hall_state(hall.tx(conn), 0))


def test_a_counter_knows_its_mean_service_time_today(hall: tuple[Hall, Clock, Desk]) -> None:
    the_hall, clock, desk = hall
    for _ in range(3):
        desk.take("ZH")
    assert state_of(the_hall).counters[0].service_mean_s_today is None  # nothing finished yet
    desk.call(1)
    clock.advance(4)
    desk.counter(1, "finish")
    desk.call(1)
    clock.advance(8)
    answer = desk.counter(1, "finish")
    assert answer["counter"]["service_mean_s_today"] == 6 * 60.0
    desk.call(2)
    clock.advance(1)
    desk.counter(2, "finish")
    one, two = state_of(the_hall).counters
    assert (one.service_mean_s_today, one.served_today) == (360.0, 2)
    assert (two.service_mean_s_today, two.served_today) == (60.0, 1)


def test_a_counter_lists_its_latest_no_shows_until_they_are_put_back(hall: tuple[Hall, Clock, Desk]) -> None:
    the_hall, clock, desk = hall
    numbers = [desk.take("ZH") for _ in range(COUNTER_NO_SHOWS + 2)]
    for _ in numbers:
        desk.call(1)
        clock.advance(1)
        desk.counter(1, "no-show")
    counter = state_of(the_hall).counters[0]
    assert counter.no_shows_today == len(numbers)
    # Newest first, as many as the counter lists; older ones are put back by their number.
    assert [t.number for t in counter.no_shows] == numbers[::-1][:COUNTER_NO_SHOWS]
    assert all(t.state == "no_show" for t in counter.no_shows)
    answer = desk.counter(1, "return", number=numbers[-1])
    assert [t["number"] for t in answer["counter"]["no_shows"]] == numbers[::-1][1 : COUNTER_NO_SHOWS + 1]
    assert not state_of(the_hall).counters[1].no_shows  # the other counter missed nobody


def test_a_ticket_transferred_to_a_counter_says_which_while_it_waits(hall: tuple[Hall, Clock, Desk]) -> None:
    the_hall, _, desk = hall
    first, second = desk.take("ZH"), desk.take("ZH")
    desk.call(1)
    desk.counter(1, "transfer", counter=2)
    waiting = {t.number: t for t in state_of(the_hall).waiting}
    assert waiting[first].to_counter == 2 and waiting[second].to_counter is None
    desk.call(2)
    called = state_of(the_hall).counters[1].current
    assert called is not None and called.number == first and called.to_counter is None
