"""The hall and the center: the hall, enrolled with the center like a terminal, pulls the appointments feed through
the center client and keeps working on what it has while the center is away; 预约签到 by code or by card, in
the appointment's window only; tickets, calls, service times and ratings reach the center exactly once through
the hall's outbox.

A real reference center on 127.0.0.1 (``center_server``); the hall's database opened in the test as the
service opens it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.center.appointments import book, cancel
from kiosk.center.store import Store
from kiosk.hall import counters, ratings, tickets
from kiosk.hall.center_link import run_once, save_credentials
from kiosk.hall.db import HallDb
from kiosk.hall.demo import set_up_demo
from kiosk.hall.hall import Hall
from kiosk.protocol import secret_from_hex
from kiosk.protocol.hall import CheckinRequest, CounterRequest, TakeRequest
from tests.center_support import center_server  # noqa: F401 (fixture)

ELDER = "440102195001011238"
OTHER = "44010219900101002X"


@pytest.fixture
def hall(tmp_path: Path, center_server) -> Hall:  # type: ignore[no-untyped-def]  # noqa: F811
    hall = Hall(HallDb(tmp_path / "hall.db"))
    set_up_demo(hall.db)
    terminal_id, secret_hex = center_server.add_terminal("清城区政务服务中心 排队叫号")
    save_credentials(hall.db, center_server.url, terminal_id, secret_from_hex(secret_hex), "HMAC-SHA256")
    yield hall
    hall.db.close()


def _request(**fields: object) -> dict[str, object]:
    return {"request_id": secrets.token_hex(8), **fields}


def check_in(hall: Hall, **fields: object) -> tuple[int, dict]:
    request = CheckinRequest.model_validate(_request(**fields))
    return hall.perform(
        "kiosk-1", request.request_id, request.request_id, lambda tx: tickets.check_in(tx, request)
    )


def _window(start: timedelta, length: timedelta) -> tuple[str, str]:
    now = datetime.now()
    begin = max(now + start, now.replace(hour=0, minute=0))
    end = min(begin + length, now.replace(hour=23, minute=59))
    return begin.strftime("%H:%M"), end.strftime("%H:%M")


def _admin(server) -> Store:  # type: ignore[no-untyped-def]
    return server._admin  # the operator's handle on the center's database


def test_appointments_are_pulled_and_checked_in_within_their_window(hall: Hall, center_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    store = _admin(center_server)
    today = datetime.now().date()
    now_window = _window(-timedelta(minutes=10), timedelta(minutes=40))
    booked = book(
        store,
        service="SB",
        day=today,
        starts=now_window[0],
        ends=now_window[1],
        id_number=ELDER,
        name="陈秀英",
    )
    later = book(store, service="GA", day=today, starts="23:58", ends="23:59", id_number=OTHER, name="李四")
    tomorrow = book(
        store,
        service="SB",
        day=today + timedelta(days=1),
        starts="09:00",
        ends="09:30",
        id_number=OTHER,
        name="李四",
    )
    elsewhere = book(
        store,
        service="SB",
        day=today,
        starts=now_window[0],
        ends=now_window[1],
        id_number=OTHER,
        name="李四",
        hall="H-OTHER",
    )

    report = run_once(hall.db)
    assert report.ok, report.errors
    assert report.pulled == 4 and report.applied == 3  # the other hall's appointment is not kept here
    stored = hall.db.rows("SELECT * FROM appointments")
    assert ELDER not in str([dict(row) for row in stored]), "the hall keeps no ID number"

    status, answer = check_in(hall, code=booked.code)
    assert status == 200
    ticket = answer["ticket"]
    assert ticket["priority"] == "appointment" and ticket["service"] == "SB"
    assert (
        ticket["priority_reason"] == f"预约 {now_window[0]}-{now_window[1]}"
        and ticket["masked_name"] == "陈*英"
    )
    again = check_in(hall, person={"id_number": ELDER.lower(), "name": "陈秀英"})
    assert again == (200, answer), "checked in again (by card): the same ticket, to show or print once more"

    if later.window.split("-")[0] > (datetime.now() + timedelta(minutes=30)).strftime("%H:%M"):
        status, refused = check_in(hall, code=later.code)
        assert (status, refused["error"]) == (409, "too_early") and "23:58-23:59" in refused["message"]
        assert refused["details"]["window"] == "23:58-23:59" and refused["details"]["opens"] < "23:58"
    wrong_day = check_in(hall, code=tomorrow.code)[1]
    assert wrong_day["error"] == "wrong_day" and wrong_day["details"] == {"day": tomorrow.day}
    assert check_in(hall, code=elsewhere.code)[1]["error"] == "appointment_not_found"
    assert check_in(hall, person={"id_number": "110101199001011234"})[1]["error"] == "appointment_not_found"

    # The center away: the hall goes on with what it has; a cancellation arrives when the center is back.
    center_server.stop()
    assert not run_once(hall.db).ok
    assert check_in(hall, person={"id_number": OTHER}, service="SB")[1]["error"] == "wrong_day"
    center_server.start()
    assert cancel(store, tomorrow.code)
    assert run_once(hall.db).ok
    assert check_in(hall, code=tomorrow.code)[1]["error"] == "appointment_not_found"


def test_an_appointment_whose_window_has_passed_is_refused_plainly(hall: Hall, center_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    now = datetime.now()
    if now.hour == 0 and now.minute < 5:
        pytest.skip("no window has passed yet today")
    start = (now - timedelta(hours=2)).strftime("%H:%M") if now.hour >= 2 else "00:00"
    end = (now - timedelta(minutes=2)).strftime("%H:%M")
    passed = book(
        _admin(center_server),
        service="SB",
        day=now.date(),
        starts=start,
        ends=end,
        id_number=ELDER,
        name="陈秀英",
    )
    assert run_once(hall.db).ok
    status, refused = check_in(hall, code=passed.code)
    assert (status, refused["error"]) == (409, "too_late")
    assert refused["details"] == {"window": f"{start}-{end}"}  # the values the sentence names, for the kiosk
    assert "已过" in refused["message"] and "现场取号" in refused["message"]


def test_tickets_calls_service_times_and_ratings_reach_the_center_once(hall: Hall, center_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    def perform(operation, body):  # type: ignore[no-untyped-def]
        return hall.perform("kiosk-1", body.request_id, body.request_id, operation)

    for _ in range(2):
        take = TakeRequest.model_validate(_request(service="ZH"))
        assert perform(lambda tx, take=take: tickets.take(tx, take), take)[0] == 200
    call = CounterRequest.model_validate(_request())
    _, called = perform(lambda tx: counters.perform(tx, 1, "call", call), call)
    finish = CounterRequest.model_validate(_request())
    assert perform(lambda tx: counters.perform(tx, 1, "finish", finish), finish)[0] == 200
    ticket_id = called["ticket"]["id"]
    hall.change(lambda tx: ratings.rate(tx, ticket_id, 2, ["等待时间长"], "", source="pad"))
    pending = hall.db.rows("SELECT idempotency_key, kind FROM outbox")
    assert sorted(row["kind"] for row in pending) == ["event", "event", "rating", "ticket", "ticket"]

    center_server.stop()
    assert not run_once(hall.db).ok
    assert hall.db.rows("SELECT COUNT(*) FROM outbox WHERE status IS NULL")[0][0] == 5, "kept until delivered"
    center_server.start()
    assert run_once(hall.db).acknowledged == 5
    # The hall killed after the center stored the records but before it noted the answers: sent again.
    with hall.db.write() as conn:
        conn.execute("UPDATE outbox SET status = NULL, delivered_at = NULL")
    assert run_once(hall.db).acknowledged == 5

    records = center_server.records()
    assert len(records) == 5, "each record once"
    by_kind = {
        kind: [r["body"] for r in records if r["kind"] == kind] for kind in ("ticket", "event", "rating")
    }
    assert [b["number"] for b in by_kind["ticket"]] == ["A001", "A002"]
    assert [b["action"] for b in by_kind["event"]] == ["called", "finished"]
    finished = by_kind["event"][1]
    assert finished["ticket_id"] == ticket_id and finished["counter"] == 1 and finished["service_s"] >= 0
    assert finished["wait_s"] >= 0
    rating = by_kind["rating"][0]
    assert rating["subject"] == {"kind": "visit", "id": ticket_id} and rating["level"] == 2
    assert rating["reasons"] == ["等待时间长"]
