"""办件进度: cases at the reference center (opened by delivered submissions, seeded for the demo cards), queried
by ID number over the signed API, merged on the terminal with the forms still waiting in its outbox (待上传), and
the offline answer from the outbox alone."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from drivers.idcard.cards import SAMPLES
from kiosk.center import store as center_store
from kiosk.center.demo import DEMO_CASES, demo_forms_dir, load_demo_forms, publish_demo
from kiosk.center.keyfile import key_path_for, load_keys
from kiosk.center.store import Store
from kiosk.domain.forms import FilledForm, parse_template
from kiosk.domain.receipt import check_receipt, make_receipt
from kiosk.protocol import OutboxRecord
from kiosk.protocol.models import CASE_STATES
from kiosk.services.progress import service as progress_module
from kiosk.services.progress.service import OFFLINE_MESSAGE, PENDING_UPLOAD, ProgressService
from kiosk.services.sync.engine import client_factory_for
from tests import center_support
from tests.test_sync_engine import Rig

center_server = center_support.center_server

CST = timezone(timedelta(hours=8))
ELDER, YOUNG, FOREIGN = SAMPLES["elder"], SAMPLES["young"], SAMPLES["foreign"]
SBK = "社会保障卡补换卡申请表"
ELDER_DEMO = {"T-demo0001-261103-000007-4": "已办结", "T-demo0001-261118-000003-X": "审核中"}


@pytest.fixture
def demo_center(center_server):
    """The center as ``kiosk center serve --demo`` leaves it (without the large catalog)."""
    store = center_server.db.store()
    try:
        reports = publish_demo(store, None, load_demo_forms())
    finally:
        store.close()
    assert reports["cases"].changed == len(DEMO_CASES)
    return center_server


@pytest.fixture
def rig(demo_center, tmp_path):
    rig = Rig(demo_center, tmp_path)
    yield rig
    rig.close()


def open_terminal(rig: Rig):
    terminal, engine = rig.terminal()
    assert engine.run_once().ok  # the form templates arrive with the first sync
    factory = client_factory_for(terminal.settings, timeout=(1, 5))
    return terminal, engine, ProgressService(terminal.database, terminal.background, engine.outbox, factory)


def submit(terminal, engine, identity, sequence: int) -> str:
    """A filled 社会保障卡补换卡 form, written as a submission feature writes it (sealed, in one transaction)."""
    template = parse_template(json.loads((demo_forms_dir() / "sbk-bhk.json").read_text(encoding="utf-8")))
    now = datetime.now(CST).replace(microsecond=0)
    form = FilledForm.start(template, now, identity)
    for key, value in {
        "phone": "13812345678",
        "apply_type": "reissue",
        "reissue_reason": "lost",
        "bank": "gdrcu",
        "collect": "counter",
    }.items():
        form = form.with_value(key, value)
    receipt = make_receipt(terminal.settings.terminal_id, now.date(), sequence)
    body = form.with_signature([[(0, 0), (4, 8)]]).with_receipt(receipt).to_submission()

    def write() -> None:
        with terminal.database.transaction() as conn:
            engine.outbox.add(conn, "submission", body, personal=True)

    terminal.background.write(write).result(10)
    return receipt


def newest_first(result) -> bool:
    times = [item.updated_at for item in result.items]
    return times == sorted(times, reverse=True)


def test_online_the_centers_cases_plus_this_terminals_forms_not_uploaded_yet(rig) -> None:
    terminal, engine, progress = open_terminal(rig)
    mine = submit(terminal, engine, ELDER, 1)
    submit(terminal, engine, YOUNG, 2)  # someone else's form is never shown

    result = progress.query_async(ELDER).result(20)
    assert result.center_reached and result.message == ""
    assert {i.receipt: (i.state, i.source) for i in result.items} == {
        **{receipt: (state, "center") for receipt, state in ELDER_DEMO.items()},
        mine: (PENDING_UPLOAD, "terminal"),
    }
    assert newest_first(result) and result.pending_upload == 1
    waiting = next(i for i in result.items if i.receipt == mine)
    assert (waiting.title, waiting.department) == (SBK, "清远市人力资源和社会保障局")
    done = next(i for i in result.items if i.state == "已办结")
    assert [s.state for s in done.history] == ["已受理", "审核中", "已办结"] and "领取" in done.history[
        -1
    ].note
    # Masked identity only; nothing in the result's text names the citizen.
    assert (result.masked_name, result.masked_id_number) == ("陈*英", "441************621")
    assert ELDER.id_number not in repr(result) and ELDER.name not in repr(result)

    report = engine.run_once()
    assert report.acknowledged == 2, report.reason
    result = progress.query(ELDER)
    assert result.pending_upload == 0 and len(result.items) == 3
    new = next(i for i in result.items if i.receipt == mine)
    assert (new.receipt, new.state, new.source, new.title) == (mine, "已受理", "center", SBK)
    assert new.case_id.startswith("C") and [s.state for s in new.history] == ["已受理"]

    young = progress.query(YOUNG)
    assert sorted((i.state, i.source) for i in young.items) == [("已受理", "center"), ("需补正", "center")]
    assert newest_first(young)
    assert "居住证明" in next(i for i in young.items if i.state == "需补正").history[-1].note
    nobody = progress.query(FOREIGN)
    assert nobody.center_reached and nobody.items == ()


def test_offline_only_the_forms_still_in_this_terminals_outbox(rig, demo_center) -> None:
    terminal, engine, progress = open_terminal(rig)
    delivered = submit(terminal, engine, ELDER, 1)
    assert engine.run_once().acknowledged == 1
    demo_center.stop()
    waiting = submit(terminal, engine, ELDER, 2)
    submit(terminal, engine, YOUNG, 3)

    result = progress.query_async(ELDER).result(20)
    assert not result.center_reached and result.message == OFFLINE_MESSAGE
    assert [(i.receipt, i.state, i.source, i.title) for i in result.items] == [
        (waiting, PENDING_UPLOAD, "terminal", SBK)
    ]
    assert delivered not in {i.receipt for i in result.items}
    assert progress.query(FOREIGN).items == ()


def test_the_cases_table_holds_a_keyed_hash_never_the_id_number(demo_center) -> None:
    key = load_keys(key_path_for(demo_center.db_path)).lookup_key  # kept outside the database
    with sqlite3.connect(demo_center.db_path) as db:
        rows = db.execute("SELECT * FROM cases").fetchall()
    assert len(rows) == len(DEMO_CASES)
    text = repr(rows)
    for identity in SAMPLES.values():
        assert identity.id_number not in text
    expected = hmac.new(key, ELDER.id_number.encode(), hashlib.sha256).hexdigest()
    assert sum(expected in row for row in rows) == 2


def test_the_demo_cases_belong_to_the_sample_cards_and_seeding_twice_changes_nothing(tmp_path) -> None:
    numbers = {identity.id_number for identity in SAMPLES.values()}
    for case in DEMO_CASES:
        # copies of drivers/idcard/cards.py, which the center may not import
        assert case["id_number"] in numbers
        assert check_receipt(case["receipt"])
        assert all(state in CASE_STATES for state, _, _ in case["history"])
        assert case["history"][0][0] == "已受理"
    store = Store(tmp_path / "center.db")
    try:
        publish_demo(store, None, None)
        assert store.set_case_state(store.cases_for(ELDER.id_number)[0]["case_id"], "已办结", "已完成")
        again = publish_demo(store, None, None)["cases"]
        assert (again.changed, again.unchanged) == (0, len(DEMO_CASES))
        assert [c["state"] for c in store.cases_for(ELDER.id_number)] == ["已办结", "已办结"]
    finally:
        store.close()


def test_only_a_submission_naming_its_applicant_opens_a_case(tmp_path) -> None:
    store = Store(tmp_path / "center.db")
    receipt = make_receipt("T-aaaa0001", date(2026, 11, 22), 5)

    def record(key: str, body: dict) -> OutboxRecord:
        return OutboxRecord(idempotency_key=key, kind="submission", created_at=datetime.now(CST), body=body)

    try:
        body = {
            "format": "kiosk-submission/1",
            "template": {"code": "UNPUBLISHED", "version": 1},
            "receipt": receipt,
            "values": {"agent_id_number": YOUNG.id_number},
        }
        store.deliver("T-aaaa0001", [record("T-aaaa0001:01", body), record("T-aaaa0001:02", {"seq": 1})])
        assert store.cases_for(YOUNG.id_number) == []  # an agent is not the applicant
        body["values"] = {"id_number": YOUNG.id_number}
        store.deliver("T-aaaa0001", [record("T-aaaa0001:03", body)])
        (case,) = store.cases_for(YOUNG.id_number)
        assert (case["receipt"], case["state"], case["title"]) == (receipt, "已受理", "UNPUBLISHED")
        store.deliver("T-aaaa0001", [record("T-aaaa0001:04", body)])  # the same receipt again: one case
        assert len(store.cases_for(YOUNG.id_number)) == 1
    finally:
        store.close()
    # The terminal finds the applicant the way the center does.
    for template in load_demo_forms():
        assert (
            progress_module.applicant_field(template) == center_store.applicant_field(template) == "id_number"
        )


def test_the_client_asks_by_id_number_in_the_signed_body(rig) -> None:
    terminal, _ = rig.terminal()
    client = client_factory_for(terminal.settings, timeout=(1, 5))()
    try:
        cases = client.cases(ELDER.id_number)
        assert {c.receipt for c in cases} == set(ELDER_DEMO)
        assert cases[0].updated_at > cases[1].updated_at
        assert client.cases("X" * 18) == []
    finally:
        client.close()
