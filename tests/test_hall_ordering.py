"""Order of calling and counter operations (docs/hall.md, "Order of calling"): appointment check-ins within their
window first, then the 绿色通道 (age from the card, disability or pregnancy marked by staff), then arrival weighted
by the counter's services; transfers and no-shows put back keep their arrival; hold and resume; pause; staff
sign-in (one staff member at one counter).

The hall's real database in a temporary folder, with its clock set by the test (the rules depend on waits).
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.hall import counters, layout, tickets
from kiosk.hall.appointments import apply_page
from kiosk.hall.db import HallDb
from kiosk.hall.hall import Hall
from kiosk.hall.ordering import Waiting, next_for, queue_order
from kiosk.hall.settings import set_value
from kiosk.hall.views import ahead_of
from kiosk.protocol.hall import CheckinRequest, CounterRequest, TakeRequest, appointment_person_hash
from kiosk.protocol.models import FeedEntry

MINUTE = 60.0


class Clock:
    def __init__(self, start: datetime) -> None:
        self.t = start.timestamp()

    def __call__(self) -> float:
        return self.t

    def advance(self, minutes: float) -> None:
        self.t += minutes * MINUTE


class Desk:
    """The hall as its terminals use it: every operation through the idempotent request path."""

    def __init__(self, hall: Hall, terminal: str = "terminal-1") -> None:
        self.hall = hall
        self.terminal = terminal

    def _do(self, operation: Any, request_id: str) -> dict[str, Any]:
        status, answer = self.hall.perform(self.terminal, request_id, request_id, operation)
        if status != 200:
            raise Refusal(status, answer["error"], answer["message"])
        return answer

    def take(self, service: str, **fields: Any) -> str:
        request = TakeRequest.model_validate(
            {"request_id": secrets.token_hex(8), "service": service, **fields}
        )
        return self._do(lambda tx: tickets.take(tx, request), request.request_id)["ticket"]["number"]

    def check_in(self, **fields: Any) -> dict[str, Any]:
        request = CheckinRequest.model_validate({"request_id": secrets.token_hex(8), **fields})
        return self._do(lambda tx: tickets.check_in(tx, request), request.request_id)["ticket"]

    def counter(self, at: int, action: str, /, **fields: Any) -> dict[str, Any]:
        request = CounterRequest.model_validate({"request_id": secrets.token_hex(8), **fields})
        return self._do(lambda tx: counters.perform(tx, at, action, request), request.request_id)

    def call(self, number: int) -> str | None:
        ticket = self.counter(number, "call")["ticket"]
        return ticket["number"] if ticket else None

    def serve_next(self, number: int) -> str | None:
        called = self.call(number)
        if called is not None:
            self.counter(number, "finish")
        return called


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.combine(date.today(), datetime.min.time()).replace(hour=10))


@pytest.fixture
def hall(tmp_path: Path, clock: Clock) -> Hall:
    hall = Hall(HallDb(tmp_path / "hall.db", clock=clock))
    layout.add_service(hall.db, "ZH", "A", "综合受理")
    layout.add_service(hall.db, "SB", "B", "社保医保")
    layout.add_service(hall.db, "GA", "D", "公安户政", real_name=True)
    layout.add_counter(hall.db, 1, "1号窗口", {"ZH": 1, "SB": 1})
    layout.add_counter(hall.db, 2, "2号窗口", {"ZH": 3, "SB": 1})
    layout.add_counter(hall.db, 3, "3号窗口", {"SB": 1})
    layout.add_counter(hall.db, 4, "4号窗口", {"GA": 1})
    yield hall
    hall.db.close()


def test_with_equal_weights_the_earliest_arrival_is_called_first(hall: Hall, clock: Clock) -> None:
    desk = Desk(hall)
    for service in ("ZH", "SB", "ZH", "SB"):
        desk.take(service)
        clock.advance(1)
    assert [desk.serve_next(1) for _ in range(5)] == ["A001", "B001", "A002", "B002", None]


def test_weights_favour_a_counters_main_service_by_its_wait_times_the_weight(
    hall: Hall, clock: Clock
) -> None:
    desk = Desk(hall)
    assert desk.take("SB") == "B001"
    clock.advance(9)
    assert desk.take("ZH") == "A001"
    clock.advance(5)
    # B001 waited 14 minutes (weight 1), A001 5 minutes (weight 3 at counter 2: counts as 15): A001 first.
    assert desk.call(2) == "A001"
    desk.counter(2, "finish")
    # At counter 1 both weigh 1: the longer wait goes first.
    desk.take("ZH")
    assert desk.call(1) == "B001"


def test_green_lane_by_age_from_the_card_and_by_staffs_mark(hall: Hall, clock: Clock) -> None:
    desk = Desk(hall)
    assert desk.take("ZH") == "A001"
    clock.advance(1)
    today = date.fromtimestamp(clock.t)
    seventy = today.replace(year=today.year - 70)
    young = today.replace(year=today.year - 69)
    assert (
        desk.take("ZH", person={"id_number": "440102195001011238", "birth_date": young.isoformat()}) == "A002"
    )
    assert (
        desk.take("ZH", person={"id_number": "440102195001011238", "birth_date": seventy.isoformat()})
        == "A003"
    )
    assert desk.take("ZH") == "A004"
    desk.counter(1, "mark-green", number="A004", reason="pregnancy")
    clock.advance(1)
    called = [desk.serve_next(1) for _ in range(4)]
    assert called == ["A003", "A004", "A001", "A002"], (
        "绿色通道 (70 and over, marked by staff) by arrival, then the rest"
    )
    with sqlite_rows(
        hall, "SELECT priority_reason FROM tickets WHERE label IN ('A003', 'A004') ORDER BY label"
    ) as rows:
        assert rows == ["高龄", "孕妇"]
    with sqlite_rows(hall, "SELECT person_hash FROM tickets WHERE label = 'A003'") as rows:
        assert rows == [None], "nothing of a person is kept for a service that does not require a card"


class sqlite_rows:
    def __init__(self, hall: Hall, sql: str) -> None:
        self.values = [row[0] for row in hall.db.rows(sql)]

    def __enter__(self) -> list[Any]:
        return self.values

    def __exit__(self, *exc: object) -> None:
        pass


def _appointment(
    hall: Hall, code: str, service: str, starts: str, ends: str, id_number: str, version: int = 1
) -> None:
    salt = secrets.token_hex(16)
    data = {
        "code": code,
        "service": service,
        "day": date.fromtimestamp(hall.db.now()).isoformat(),
        "starts": starts,
        "ends": ends,
        "person": {"hash": appointment_person_hash(salt, id_number), "salt": salt, "masked_name": "陈*英"},
    }
    apply_page(hall.db, [FeedEntry(key=code, version=version, deleted=False, data=data)], "cursor", "")


def test_appointments_within_their_window_go_first_then_the_green_lane(hall: Hall, clock: Clock) -> None:
    desk = Desk(hall)
    _appointment(hall, "YAAAA001", "SB", "10:00", "10:30", "440102195001011238")
    _appointment(hall, "YAAAA002", "SB", "10:30", "11:00", "110101199001011234")
    assert desk.take("SB") == "B001"
    clock.advance(1)
    assert desk.take("SB", green="disability") == "B002"
    clock.advance(1)
    early = desk.check_in(code="YAAAA002")  # 10:02, its window opens at 10:30 (check-in opens 30 min before)
    in_window = desk.check_in(person={"id_number": "440102195001011238"})
    assert (early["number"], in_window["number"]) == ("B003", "B004")
    assert in_window["priority"] == "appointment" and in_window["waiting_ahead"] == 0
    assert desk.serve_next(3) == "B004", "the check-in within its window first"
    assert desk.serve_next(3) == "B002", "then the 绿色通道"
    assert desk.serve_next(3) == "B001", "the early check-in waits as an arrival until its window opens"
    assert desk.take("SB") == "B005"
    clock.advance(30)  # 10:32: the window of B003 has begun
    assert desk.serve_next(3) == "B003"
    assert desk.serve_next(3) == "B005"


def test_check_in_too_early_or_too_late_is_refused_with_the_window(hall: Hall, clock: Clock) -> None:
    desk = Desk(hall)
    _appointment(hall, "YAAAA003", "SB", "11:00", "11:30", "440102195001011238")
    _appointment(hall, "YAAAA004", "SB", "09:00", "09:30", "440102195001011238")
    with pytest.raises(Refusal) as early:
        desk.check_in(code="YAAAA003")
    assert (
        early.value.code == "too_early"
        and "11:00-11:30" in early.value.message
        and "10:30" in early.value.message
    )
    with pytest.raises(Refusal) as late:
        desk.check_in(code="YAAAA004")
    assert late.value.code == "too_late" and "09:00-09:30" in late.value.message
    with pytest.raises(Refusal) as unknown:
        desk.check_in(code="YZZZZ999")
    assert unknown.value.code == "appointment_not_found"


def test_transfer_keeps_the_arrival_and_a_transfer_to_a_counter_is_that_counters_only(
    hall: Hall, clock: Clock
) -> None:
    desk = Desk(hall)
    desk.take("ZH")  # A001
    clock.advance(1)
    desk.take("SB")  # B001
    clock.advance(1)
    assert desk.call(1) == "A001"
    answer = desk.counter(1, "transfer", service="SB")
    assert answer["ticket"]["state"] == "waiting" and answer["ticket"]["service"] == "SB"
    assert answer["counter"]["current"] is None
    assert desk.call(3) == "A001", "A001 arrived before B001: it keeps its place in 社保医保's queue"
    desk.counter(3, "transfer", counter=2)
    assert desk.call(3) == "B001", "a ticket sent to counter 2 is counter 2's only"
    assert desk.call(2) == "A001"
    with pytest.raises(Refusal) as same:
        desk.counter(2, "transfer", counter=2)
    assert same.value.code == "same_counter"


def test_a_no_show_put_back_comes_up_next_and_hold_resume(hall: Hall, clock: Clock) -> None:
    desk = Desk(hall)
    for _ in range(3):
        desk.take("ZH")
        clock.advance(1)
    assert desk.call(1) == "A001"
    assert desk.counter(1, "recall")["ticket"]["call_count"] == 2
    desk.counter(1, "no-show")
    assert desk.call(1) == "A002"
    desk.counter(1, "hold")  # A002 fetches a paper
    assert desk.counter(2, "return", number="A001")["ticket"]["state"] == "waiting"
    assert desk.call(1) == "A001", "put back: it had arrived first"
    with pytest.raises(Refusal) as busy:
        desk.counter(1, "resume")
    assert busy.value.code == "counter_busy"
    desk.counter(1, "finish")
    resumed = desk.counter(1, "resume")
    assert resumed["ticket"]["number"] == "A002" and resumed["ticket"]["state"] == "called"
    desk.counter(1, "finish")
    assert desk.counter(1, "call-number", number="A003")["ticket"]["number"] == "A003"
    with pytest.raises(Refusal) as twice:
        desk.counter(2, "call-number", number="A003")
    assert twice.value.code == "counter_busy" or twice.value.code == "ticket_not_waiting"


def test_a_paused_counter_calls_nobody_and_calling_while_serving_is_refused(hall: Hall) -> None:
    desk = Desk(hall)
    desk.take("ZH")
    desk.take("ZH")
    desk.counter(1, "pause")
    with pytest.raises(Refusal) as paused:
        desk.call(1)
    assert paused.value.code == "counter_paused" and "暂停" in paused.value.message
    desk.counter(1, "open")
    assert desk.call(1) == "A001"
    with pytest.raises(Refusal) as busy:
        desk.call(1)
    assert busy.value.code == "counter_busy"
    assert Desk(hall).counter(1, "finish")["ticket"]["state"] == "finished"
    assert desk.call(1) == "A002"


def test_one_staff_member_holds_one_counter_and_operates_it_from_their_terminal(hall: Hall) -> None:
    layout.add_staff(hall.db, "1001", "王丽", "246810")
    layout.add_staff(hall.db, "1002", "陈志强", "135790")
    window_1, window_2, stranger = Desk(hall, "counter-1"), Desk(hall, "counter-2"), Desk(hall, "script")
    signed = window_1.counter(1, "sign-in", staff_no="1001", pin="246810")
    assert signed["counter"]["staff_no"] == "1001" and signed["counter"]["staff_name"] == "王丽"
    with pytest.raises(Refusal) as twice:
        window_2.counter(2, "sign-in", staff_no="1001", pin="246810")
    assert twice.value.code == "staff_signed_in_elsewhere" and "1号窗口" in twice.value.message
    with pytest.raises(Refusal) as taken:
        window_2.counter(1, "sign-in", staff_no="1002", pin="135790")
    assert taken.value.code == "counter_taken"
    window_1.take("ZH")
    with pytest.raises(Refusal) as not_theirs:
        stranger.call(1)
    assert not_theirs.value.code == "counter_taken"
    assert window_1.call(1) == "A001"
    with sqlite_rows(hall, "SELECT staff_no FROM tickets WHERE label = 'A001'") as rows:
        assert rows == ["1001"]
    window_1.counter(1, "finish")
    window_1.counter(1, "sign-out")
    assert window_2.counter(2, "sign-in", staff_no="1001", pin="246810")["counter"]["number"] == 2


def test_wrong_pins_are_refused_and_lock_the_staff_number(hall: Hall) -> None:
    layout.add_staff(hall.db, "1001", "王丽", "246810")
    desk = Desk(hall)
    for _ in range(5):
        with pytest.raises(Refusal) as wrong:
            desk.counter(1, "sign-in", staff_no="1001", pin="000000")
        assert wrong.value.code == "bad_pin"
    with pytest.raises(Refusal) as locked:
        desk.counter(1, "sign-in", staff_no="1001", pin="246810")
    assert locked.value.code == "pin_locked"
    with pytest.raises(Refusal) as unknown:
        desk.counter(1, "sign-in", staff_no="9999", pin="246810")
    assert unknown.value.code == "bad_pin", "an unknown staff number is told apart from a wrong PIN by nobody"


def test_a_repeated_request_gets_the_same_answer_and_a_reused_id_is_refused(hall: Hall) -> None:
    request = TakeRequest(request_id="kiosk-req-0001", service="ZH")
    first = hall.perform("kiosk-1", request.request_id, "print-1", lambda tx: tickets.take(tx, request))
    again = hall.perform("kiosk-1", request.request_id, "print-1", lambda tx: tickets.take(tx, request))
    assert first == again and first[0] == 200
    other = hall.perform("kiosk-2", request.request_id, "print-1", lambda tx: tickets.take(tx, request))
    assert other[1]["ticket"]["number"] == "A002", "request ids are each terminal's own"
    reused = hall.perform("kiosk-1", request.request_id, "print-2", lambda tx: tickets.take(tx, request))
    assert reused[0] == 409 and reused[1]["error"] == "request_id_reused"


def test_people_ahead_counted_in_sql_match_the_calling_order(hall: Hall, clock: Clock) -> None:
    rng = random.Random(11)
    _appointment(hall, "YAAAA009", "SB", "10:00", "12:00", "440102195001011238")
    desk = Desk(hall)
    for n in range(60):
        kind = rng.random()
        if kind < 0.15:
            desk.take("SB", green="age")
        elif n == 30:
            desk.check_in(code="YAAAA009")
        else:
            desk.take("SB")
        clock.advance(rng.random() * 2)
        if rng.random() < 0.2:
            desk.serve_next(3)
    with hall.db.read() as conn:
        tx = hall.tx(conn)
        rows = conn.execute(
            "SELECT * FROM tickets WHERE state = 'waiting' AND queue_service = 'SB'"
        ).fetchall()
        waiting = [
            Waiting(
                r["seq"],
                r["queue_service"],
                r["priority"],
                r["queue_at"],
                r["window_starts"],
                r["target_counter"],
            )
            for r in rows
        ]
        order = [t.seq for t in queue_order(waiting, clock.t)]
        assert [ahead_of(tx, r) for r in sorted(rows, key=lambda r: order.index(r["seq"]))] == list(
            range(len(rows))
        )
        assert next_for(waiting, 3, {"SB": 1}, clock.t).seq == order[0]  # type: ignore[union-attr]


def test_numbers_start_again_at_the_reset_hour(hall: Hall, clock: Clock) -> None:
    set_value(hall.db, "reset_hour", "4")
    desk = Desk(hall)
    hall.tick()
    assert desk.take("ZH") == "A001" and desk.take("ZH") == "A002"
    assert desk.call(1) == "A001"
    clock.t = datetime.combine(
        date.fromtimestamp(clock.t) + timedelta(days=1), datetime.min.time()
    ).timestamp()
    clock.advance(3 * 60 + 59)  # 03:59 the next morning: still the same business day
    assert desk.take("ZH") == "A003"
    clock.advance(2)  # 04:01: a new day
    hall.tick()
    assert desk.take("ZH") == "A001", "numbers start again from the first"
    events = hall.events_after(0, 10_000)
    started = [e for e in events if e["type"] == "day.started"]
    assert started[-1]["data"]["waiting"]["ZH"] == 0, "yesterday's waiting tickets are not today's queue"
    assert Desk(hall).counter(1, "call")["counter"]["current"]["number"] == "A001"
    assert {row[0] for row in hall.db.rows("SELECT day FROM tickets")} == {
        date.fromtimestamp(clock.t - 86_400).isoformat(),
        date.fromtimestamp(clock.t).isoformat(),
    }
