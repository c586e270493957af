"""The hall's API meets bad input with a 4xx, a code and a plain message, never a 500: unsigned requests, bodies
that are not strict JSON or not the protocol's, bodies over the size limit, unknown services, counters, actions
and tickets. The phone page of a ticket's QR code, plain HTML without anything from outside the hall.

``kiosk hall serve`` as a process on 127.0.0.1; requests signed as an enrolled terminal signs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.hall_client import HallClient, HallRefused, HallUnavailable
from tests.center_support import HOSTILE_JSON, KioskAuth
from tests.hall_support import HallProcess, running_hall


@pytest.fixture
def hall_process(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


@pytest.fixture(scope="module")
def shared_hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallProcess]:
    """One demo hall for the tests that only send it bad requests (nothing they do changes what others see)."""
    hall = HallProcess(tmp_path_factory.mktemp("hall") / "hall.db")
    try:
        hall.demo()
        hall.start()
        yield hall
    finally:
        hall.close()


@pytest.fixture
def signed(shared_hall: HallProcess) -> tuple[str, KioskAuth]:
    terminal_id, secret_hex = shared_hall.add_terminal("kiosk")
    return shared_hall.url, KioskAuth(terminal_id, secret_hex)


def post(url: str, auth: KioskAuth, path: str, body: bytes) -> requests.Response:
    return requests.post(
        url + path, data=body, auth=auth, headers={"Content-Type": "application/json"}, timeout=10
    )


def test_unsigned_or_badly_signed_requests_are_refused(signed: tuple[str, KioskAuth]) -> None:
    url, auth = signed
    plain = requests.get(url + "/api/v1/state", timeout=10)
    assert plain.status_code == 401 and plain.json()["error"] == "unauthorized"
    assert "kiosk hall enroll" in plain.json()["message"]
    forged = KioskAuth(auth.terminal_id, "00" * 32)
    assert requests.get(url + "/api/v1/state", auth=forged, timeout=10).status_code == 401
    assert requests.get(url + "/api/v1/state", auth=auth, timeout=10).status_code == 200


@pytest.mark.parametrize("hostile", HOSTILE_JSON[:-1])
def test_a_body_strict_json_refuses_gets_422_naming_the_problem(
    signed: tuple[str, KioskAuth], hostile: bytes
) -> None:
    url, auth = signed
    body = b'{"request_id": "kiosk-0000001", "service": ' + hostile + b"}"
    answer = post(url, auth, "/api/v1/tickets", body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid" and answer.json()["message"].startswith("body")


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/api/v1/tickets", b"not json", 422, "invalid"),
        ("/api/v1/tickets", b'{"request_id": "kiosk-0000001"}', 422, "invalid"),
        ("/api/v1/tickets", b'{"request_id": "kiosk-0000001", "service": "ZH", "extra": 1}', 422, "invalid"),
        ("/api/v1/tickets", b'{"request_id": "short", "service": "ZH"}', 422, "invalid"),
        ("/api/v1/tickets", b'{"request_id": "kiosk-0000001", "service": "NOPE"}', 404, "unknown_service"),
        ("/api/v1/tickets", b'{"request_id": "kiosk-0000002", "service": "GA"}', 422, "card_required"),
        ("/api/v1/checkins", b'{"request_id": "kiosk-0000003"}', 422, "invalid"),
        (
            "/api/v1/checkins",
            b'{"request_id": "kiosk-0000004", "code": "YNOPE123"}',
            404,
            "appointment_not_found",
        ),
        ("/api/v1/counters/99/call", b'{"request_id": "kiosk-0000005"}', 404, "unknown_counter"),
        ("/api/v1/counters/1/dance", b'{"request_id": "kiosk-0000006"}', 404, "unknown_action"),
        ("/api/v1/counters/0/call", b'{"request_id": "kiosk-0000007"}', 422, "invalid"),
        ("/api/v1/counters/1/call", b'{"request_id": "kiosk-0000008", "pin": "1234"}', 422, "invalid"),
        ("/api/v1/counters/1/finish", b'{"request_id": "kiosk-0000009"}', 409, "no_current_ticket"),
        (
            "/api/v1/ratings",
            b'{"request_id": "kiosk-0000010", "ticket_id": "X-1", "level": 5}',
            404,
            "unknown_ticket",
        ),
        (
            "/api/v1/ratings",
            b'{"request_id": "kiosk-0000011", "ticket_id": "X-1", "level": 1}',
            422,
            "invalid",
        ),
    ],
)
def test_bad_requests_get_a_code_and_a_message(
    signed: tuple[str, KioskAuth], path: str, body: bytes, status: int, code: str
) -> None:
    url, auth = signed
    answer = post(url, auth, path, body)
    assert (answer.status_code, answer.json()["error"]) == (status, code), answer.text
    assert answer.json()["message"]


def test_limits_methods_and_unknown_things(signed: tuple[str, KioskAuth]) -> None:
    url, auth = signed
    big = b'{"request_id": "kiosk-0000001", "service": "' + b"Z" * 70_000 + b'"}'
    assert post(url, auth, "/api/v1/tickets", big).status_code == 413
    assert (
        requests.get(url + "/api/v1/tickets/NOPE-1", auth=auth, timeout=10).json()["error"]
        == "unknown_ticket"
    )
    assert requests.get(url + "/api/v1/tickets?day=yesterday", auth=auth, timeout=10).status_code == 422
    assert requests.delete(url + "/api/v1/tickets", auth=auth, timeout=10).status_code == 405
    assert requests.get(url + "/api/v1/nothing", auth=auth, timeout=10).status_code == 404
    assert requests.get(url + "/api/v1/events?after=-1", auth=auth, timeout=10).status_code == 422


def test_the_client_says_what_the_hall_refused_and_when_it_is_away(hall_process: HallProcess) -> None:
    with hall_process.client("kiosk", retry_for=0.5) as client:
        with pytest.raises(HallRefused) as refused:
            client.take("GA")
        assert refused.value.code == "card_required" and "身份证" in refused.value.plain
        person = {"id_number": "44010219500101123X", "name": "陈秀英"}
        first = client.take("GA", person=person).ticket.number
        with pytest.raises(HallRefused) as again:
            client.take("GA", person=person)
        # What the sentence names comes as a value too, for a terminal that says it in its own language.
        assert again.value.code == "person_has_open_ticket" and again.value.details == {"number": first}
        hall_process.stop()
        with pytest.raises(HallUnavailable) as away:
            client.take("ZH")
        assert "请咨询工作人员" in away.value.plain
    with pytest.raises(ValueError):
        HallClient(
            "http://hall.example.gov.cn:8710", "Q-1", b"\0" * 32, "HMAC-SHA256"
        )  # plain http, not the LAN
    HallClient("http://192.168.1.20:8710", "Q-1", b"\0" * 32, "HMAC-SHA256").close()  # the hall's LAN: fine


def test_the_phone_page_follows_the_ticket_and_takes_one_rating(hall_process: HallProcess) -> None:
    with hall_process.client("kiosk") as client:
        taken = client.take("ZH").ticket
        page = requests.get(taken.follow_url, timeout=10)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert taken.number in page.text and "前面还有 0 人" in page.text and "refresh" in page.text
        assert not re.search(r"(src|href)=['\"]?https?://", page.text), "nothing from outside the hall"
        client.call_next(1)
        assert "请到 1号窗口·综合受理 办理" in requests.get(taken.follow_url, timeout=10).text
        client.finish(1)
        form = requests.get(taken.follow_url, timeout=10).text
        assert "请您评价本次服务" in form and "非常满意" in form
        rating = taken.follow_url + "/rating"
        bad = requests.post(rating, data={"level": "1"}, timeout=10)
        assert bad.status_code == 422 and "至少一个原因" in bad.text
        good = requests.post(rating, data={"level": "2", "reason": "等待时间长"}, timeout=10)
        assert good.status_code == 200 and "感谢您的评价" in good.text
        again = requests.post(rating, data={"level": "5"}, timeout=10)
        assert again.status_code == 422 and "已经评价过" in again.text
        with pytest.raises(HallRefused) as twice:
            client.rate(taken.id, 5)
        assert twice.value.code == "already_rated"
    unknown = requests.get(hall_process.url + "/t/nothing-here", timeout=10)
    assert unknown.status_code == 404 and "没有找到这个号" in unknown.text
