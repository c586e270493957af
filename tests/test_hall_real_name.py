"""实名取号 (docs/hall.md): where a service requires a card, at most one open ticket per person and service and a
daily cap per person (号贩子 take many); the hall keeps a salted hash of the ID number and the masked name only."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.hall import layout
from kiosk.hall.db import HallDb
from kiosk.hall.hall import Hall
from kiosk.hall.settings import set_value
from tests.test_hall_ordering import Desk, Refusal

ZHANG = {"id_number": "44010219800101123x", "name": "张三丰"}
LI = {"id_number": "440102198202021234", "name": "李四"}


@pytest.fixture
def hall(tmp_path: Path) -> Hall:
    hall = Hall(HallDb(tmp_path / "hall.db"))
    layout.add_service(hall.db, "GA", "D", "公安户政", real_name=True)
    layout.add_service(hall.db, "BDC", "C", "不动产登记", real_name=True)
    layout.add_service(hall.db, "ZH", "A", "综合受理")
    layout.add_counter(hall.db, 6, "6号窗口", {"GA": 1, "BDC": 1})
    set_value(hall.db, "person_daily_cap", "2")
    yield hall
    hall.db.close()


def refused(call: object) -> Refusal:
    with pytest.raises(Refusal) as caught:
        call()  # type: ignore[operator]
    return caught.value


def test_a_card_is_required_where_the_service_says_so(hall: Hall) -> None:
    desk = Desk(hall)
    problem = refused(lambda: desk.take("GA"))
    assert (problem.status, problem.code) == (422, "card_required")
    assert "身份证" in problem.message and "身份码" in problem.message
    assert desk.take("ZH") == "A001", "a service without 实名 needs no card"


def test_one_open_ticket_per_person_and_service(hall: Hall) -> None:
    desk = Desk(hall)
    assert desk.take("GA", person=ZHANG) == "D001"
    problem = refused(lambda: desk.take("GA", person={**ZHANG, "id_number": ZHANG["id_number"].upper()}))
    assert problem.code == "person_has_open_ticket" and "D001" in problem.message
    assert desk.take("GA", person=LI) == "D002", "another person is not held up"
    assert desk.serve_next(6) == "D001"
    assert desk.take("GA", person=ZHANG) == "D003", "once the ticket is done, the person may take another"


def test_a_person_may_take_the_daily_cap_and_no_more(hall: Hall) -> None:
    desk = Desk(hall)
    assert desk.take("GA", person=ZHANG) == "D001"
    assert desk.take("BDC", person=ZHANG) == "C001"
    desk.serve_next(6)
    problem = refused(lambda: desk.take("GA", person=ZHANG))
    assert problem.code == "person_daily_cap" and "2" in problem.message
    assert problem.status == 409
    assert hall.db.rows("SELECT issued FROM day_numbers WHERE service = 'GA'")[0][0] == 1, "no number spent"


def test_the_hall_keeps_only_a_salted_hash_and_the_masked_name(hall: Hall, tmp_path: Path) -> None:
    desk = Desk(hall)
    desk.take("GA", person=ZHANG)
    row = hall.db.rows("SELECT person_hash, masked_name FROM tickets")[0]
    assert row["masked_name"] == "张*丰"
    assert len(row["person_hash"]) == 64
    hall.db.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("hall.db*"))
    for secret in (ZHANG["id_number"], ZHANG["id_number"].upper(), "张三丰"):
        assert secret.encode() not in stored
    other = Hall(HallDb(tmp_path / "other.db"))
    try:
        Desk(other)  # another hall salts differently: the same card gives another key
        layout.add_service(other.db, "GA", "D", "公安户政", real_name=True)
        Desk(other).take("GA", person=ZHANG)
        assert other.db.rows("SELECT person_hash FROM tickets")[0][0] != row["person_hash"]
    finally:
        other.db.close()
