"""``kiosk center case list`` / ``case set``: staff move cases (办件) on, each step lands in the case's history,
and a terminal asking for the citizen's progress sees it."""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path

import pytest

from drivers.idcard.cards import SAMPLES
from kiosk.center.demo import DEMO_CASES, publish_demo
from kiosk.center.store import Store
from kiosk.center_client import CenterClient
from kiosk.cli.main import main
from kiosk.domain.receipt import group_receipt, make_receipt
from kiosk.protocol import HMAC_SHA256, secret_from_hex
from kiosk.protocol.receipts import terminal_receipt_code
from tests import center_support

center_server = center_support.center_server

ELDER, YOUNG = SAMPLES["elder"], SAMPLES["young"]
UNDER_REVIEW = "T-demo0001-261118-000003-X"  # 陈秀英's 城乡居民基本医疗保险参保登记表, 审核中


def center(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["center", *args, "--db", str(db)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "center.db"
    store = Store(db)
    try:
        publish_demo(store, None, None)
    finally:
        store.close()
    return db


def test_case_list_all_or_one_persons_newest_first(demo_db: Path, capsys) -> None:
    code, out, _ = center(capsys, demo_db, "case", "list", "--json")
    cases = json.loads(out)
    assert code == 0 and {c["receipt"] for c in cases} == {c["receipt"] for c in DEMO_CASES}
    times = [c["updated_at"] for c in cases]
    assert times == sorted(times, reverse=True)
    assert all("id_number" not in c and "name" not in c for c in cases)

    code, out, _ = center(capsys, demo_db, "case", "list", "--id-number", ELDER.id_number.lower(), "--json")
    assert [c["state"] for c in json.loads(out)] == ["审核中", "已办结"]

    code, out, _ = center(capsys, demo_db, "case", "list", "--id-number", YOUNG.id_number)
    assert code == 0 and "T-demo0002-261112-000015-L  需补正" in out and "居住证明" in out
    assert (
        center(capsys, demo_db, "case", "list", "--id-number", "110101199003074514")[1].strip() == "no cases"
    )


def test_case_set_appends_a_step_in_chinese_or_by_its_english_key(demo_db: Path, capsys) -> None:
    code, out, _ = center(
        capsys, demo_db, "case", "set", UNDER_REVIEW, "需补正", "--note", "请补充户口簿首页复印件"
    )
    assert code == 0 and out.strip() == f"{UNDER_REVIEW}: 审核中 → 需补正 (3 steps)"
    code, out, _ = center(
        capsys, demo_db, "case", "set", UNDER_REVIEW, "done", "--note", "已办结，请到窗口领取", "--json"
    )
    case = json.loads(out)
    assert code == 0 and case["state"] == "已办结"
    assert [(s["state"], s["note"]) for s in case["history"]] == [
        ("已受理", ""),
        ("审核中", ""),
        ("需补正", "请补充户口簿首页复印件"),
        ("已办结", "已办结，请到窗口领取"),
    ]
    assert case["updated_at"] == case["history"][-1]["at"]
    for key, state in (("accepted", "已受理"), ("under_review", "审核中"), ("needs_correction", "需补正")):
        code, out, _ = center(capsys, demo_db, "case", "set", UNDER_REVIEW, key, "--json")
        assert code == 0 and json.loads(out)["state"] == state


def test_an_unknown_receipt_or_state_is_refused(demo_db: Path, capsys) -> None:
    code, out, err = center(capsys, demo_db, "case", "set", "T-demo0009-261118-000001-Q", "已办结")
    assert (code, out) == (1, "") and "no case has the receipt number T-demo0009-261118-000001-Q" in err
    with pytest.raises(SystemExit) as exited:
        center(capsys, demo_db, "case", "set", UNDER_REVIEW, "finished")
    assert exited.value.code == 2 and "invalid choice" in capsys.readouterr().err
    cases = json.loads(center(capsys, demo_db, "case", "list", "--id-number", ELDER.id_number, "--json")[1])
    assert [c["state"] for c in cases] == ["审核中", "已办结"]  # nothing changed


def test_the_terminal_sees_the_new_step(center_server, capsys) -> None:
    store = Store(center_server.db_path)
    try:
        publish_demo(store, None, None)
    finally:
        store.close()
    terminal_id, secret_hex = center_server.add_terminal("t")
    note = "请补充居住证明（房屋租赁合同）"
    assert (
        center(capsys, center_server.db_path, "case", "set", UNDER_REVIEW, "需补正", "--note", note)[0] == 0
    )
    with CenterClient(center_server.url, terminal_id, secret_from_hex(secret_hex), HMAC_SHA256) as client:
        cases = client.cases(ELDER.id_number)
    assert cases[0].receipt == UNDER_REVIEW and cases[0].state == "需补正"
    assert [(s.state, s.note) for s in cases[0].history][-1] == ("需补正", note)


def test_a_case_is_found_however_its_receipt_number_is_typed(demo_db: Path, capsys) -> None:
    receipt = make_receipt("T-7f3a9c21", date(2026, 12, 6), 1)  # 17 digits
    store = Store(demo_db)
    try:
        store.add_case(
            ELDER.id_number,
            receipt,
            "居住证申领登记表",
            "清远市公安局",
            [("已受理", "2026-12-06T09:00:00+08:00", "")],
        )
    finally:
        store.close()
    for typed in (group_receipt(receipt), f"{receipt[:6]}-{receipt[6:12]}-{receipt[12:]}"):
        code, out, _ = center(capsys, demo_db, "case", "set", typed, "审核中", "--json")
        assert code == 0 and json.loads(out)["receipt"] == receipt
    code, out, _ = center(capsys, demo_db, "case", "set", UNDER_REVIEW.lower(), "已办结", "--json")
    assert code == 0 and json.loads(out)["receipt"] == UNDER_REVIEW


def test_no_two_terminals_get_the_same_receipt_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two ids whose receipt codes collide: the center issues the first and passes over the second.
    seen: dict[str, str] = {}
    for n in range(1 << 20):
        hex_id = f"{n:08x}"
        code = terminal_receipt_code(f"T-{hex_id}")
        if code in seen:
            first, second = seen[code], hex_id
            break
        seen[code] = hex_id
    offered = iter([first, second, "abcdef12"])
    monkeypatch.setattr(secrets, "token_hex", lambda _n: next(offered))
    store = Store(tmp_path / "center.db")
    try:
        a, b = store.add_terminal("一号机"), store.add_terminal("二号机")
    finally:
        store.close()
    assert a.terminal_id == f"T-{first}" and b.terminal_id == "T-abcdef12"
    assert terminal_receipt_code(a.terminal_id) != terminal_receipt_code(b.terminal_id)
