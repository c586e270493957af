"""What a counter shows of the hall, worked out without Qt: its queue in the order the hall will call it (the
rules of docs/hall.md), the tickets transferred to it and not those transferred elsewhere, and ticket numbers as
staff type them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from kiosk.hall.ordering import Waiting, next_for
from kiosk.protocol.hall import CounterAnswer, HallState
from kiosk.roles.counter.desk import desk_of, normalized_number, window_start, with_answer

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)


def ticket(number: str, service: str, minutes_ago: float, **more: Any) -> dict[str, Any]:
    return {
        "id": f"H-20261123-{service}-{number}",
        "number": number,
        "service": service,
        "service_name": service,
        "day": "2026-11-23",
        "state": "waiting",
        "priority": "normal",
        "taken_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
        **more,
    }


def hall(waiting: list[dict[str, Any]], weights: dict[str, int]) -> HallState:
    counter = {
        "number": 1,
        "name": "1号窗口",
        "state": "open",
        "staff_no": "1001",
        "services": [{"service": s, "weight": w} for s, w in weights.items()],
    }
    other = {"number": 2, "name": "2号窗口", "state": "open", "services": []}
    return HallState.model_validate(
        {
            "seq": 1,
            "day": "2026-11-23",
            "hall_name": "大厅",
            "services": [
                {"code": c, "prefix": p, "name": c, "waiting": 0, "estimated_wait_min": 0, "open_now": True}
                for c, p in (("ZH", "A"), ("SB", "B"), ("GA", "D"))
            ],
            "counters": [counter, other],
            "waiting": waiting,
            "recent_calls": [],
        }
    )


def queue(state: HallState) -> list[str]:
    desk = desk_of(state, 1, NOW)
    assert desk is not None
    return [row.number for row in desk.queue]


def test_the_queue_is_shown_in_the_order_the_hall_calls() -> None:
    state = hall(
        [
            ticket("A001", "ZH", 30),
            ticket("A002", "ZH", 20, priority="green", priority_reason="孕妇"),
            ticket("A003", "ZH", 5, priority="appointment", priority_reason="预约 09:50-10:20"),
            ticket("A004", "ZH", 40, priority="appointment", priority_reason="预约 10:30-11:00"),  # not begun
            ticket("B001", "SB", 14),
            ticket("A005", "ZH", 5),
        ],
        {"ZH": 3, "SB": 1},
    )
    # Appointments whose window began, then 绿色通道, then waits weighted 3 (综合受理) and 1 (社保医保):
    # A004 40×3, A001 30×3, A005 5×3 = 15 > B001 14×1.
    assert queue(state) == ["A003", "A002", "A004", "A001", "A005", "B001"]
    assert queue(state) == hall_calls(state, {"ZH": 3, "SB": 1})


def hall_calls(state: HallState, weights: dict[str, int]) -> list[str]:
    """The order the hall's own rules (kiosk.hall.ordering) call the same tickets in at counter 1."""
    left = [
        Waiting(
            seq=i,
            service=t.service,
            priority=t.priority,
            queue_at=t.taken_at.timestamp(),
            window_starts=(w.timestamp() if (w := window_start(t)) else None),
            target_counter=t.to_counter,
        )
        for i, t in enumerate(state.waiting)
    ]
    order = []
    while (chosen := next_for(left, 1, weights, NOW.timestamp())) is not None:
        order.append(state.waiting[chosen.seq].number)
        left.remove(chosen)
    return order


def test_a_counter_lists_what_it_may_call() -> None:
    state = hall(
        [
            ticket("A001", "ZH", 9),
            ticket("A002", "ZH", 8, to_counter=2),  # transferred to 2号窗口: its only
            ticket(
                "D001", "GA", 7, to_counter=1
            ),  # transferred here, though this counter does not serve 公安户政
            ticket("D002", "GA", 6),
        ],
        {"ZH": 1},
    )
    desk = desk_of(state, 1, NOW)
    assert desk is not None
    assert [(r.number, r.to_me) for r in desk.queue] == [("A001", False), ("D001", True)]
    assert [p.key for p in desk.counters] == ["2"]  # transfer to: the other counters
    assert desk_of(state, 9, NOW) is None


def test_an_answer_shows_at_once_what_the_operation_did() -> None:
    state = hall([ticket("A001", "ZH", 9), ticket("A002", "ZH", 8)], {"ZH": 1})
    called = {**ticket("A001", "ZH", 9), "state": "called", "called_at": NOW.isoformat(), "counter": 1}
    answer = CounterAnswer.model_validate(
        {
            "counter": {
                "number": 1,
                "name": "1号窗口",
                "state": "open",
                "staff_no": "1001",
                "current": called,
            },
            "ticket": called,
        }
    )
    after = with_answer(state, answer)
    desk = desk_of(after, 1, NOW)
    assert desk is not None and desk.serving is not None
    assert desk.serving.ticket.number == "A001" and desk.serving.ticket.waited_min == 9
    assert [t.number for t in after.waiting] == ["A002"]


def test_ticket_numbers_as_staff_type_them() -> None:
    prefixes = {"A", "B"}
    assert normalized_number("a12", prefixes) == "A012"
    assert normalized_number(" A 012 ", prefixes) == "A012"
    assert normalized_number("B1000", prefixes) == "B1000"
    assert normalized_number("12", {"A"}) == "A012"  # one prefix in the hall: digits are enough
    for wrong in ("12", "", "A", "A0", "AB12", "A12345", "一二"):
        assert normalized_number(wrong, prefixes) is None, wrong
