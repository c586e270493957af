"""Taking in a filled form: the receipt number (valid offline, never given out twice, kept across restarts), the
sealed submission record in the outbox, and nothing written for a form that still has problems."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from drivers.idcard.cards import SAMPLES
from kiosk.config import Settings
from kiosk.domain.forms import FilledForm, FormIncompleteError, FormTemplate
from kiosk.domain.receipt import MAX_SEQUENCE, parse_receipt
from kiosk.protocol.receipts import terminal_receipt_code
from kiosk.services.forms.demo import seed_demo_forms
from kiosk.services.forms.submission import SubmissionError
from kiosk.services.terminal import Terminal
from kiosk.store import outbox as outbox_store
from kiosk.store import receipts

STROKES = (((10.0, 10.0), (40.0, 30.0), (80.0, 12.0)),)
NOON = datetime(2026, 11, 22, 4, 0, tzinfo=UTC).timestamp()  # 12:00 in China


def fill_card_form(template: FormTemplate) -> FilledForm:
    """The 社保卡补换卡 form as an elderly citizen fills it after placing their card."""
    form = FilledForm.start(template, datetime.now(UTC), SAMPLES["elder"])
    for key, value in {
        "phone": "13800138000",
        "apply_type": "reissue",
        "reissue_reason": "lost",
        "bank": "gdrcu",
        "collect": "counter",
    }.items():
        form = form.with_value(key, value)
    return form.with_signature(STROKES)


@pytest.fixture
def forms_terminal(terminal: Terminal) -> Terminal:
    seed_demo_forms(terminal.database)
    return terminal


def card_template(terminal: Terminal) -> FormTemplate:
    template = terminal.citizen.submissions.template("QY-RS-SBKBHK")
    assert template is not None
    return template


def test_the_demo_templates_are_offered(forms_terminal: Terminal):
    titles = [t.title for t in forms_terminal.citizen.submissions.templates()]
    assert "社会保障卡补换卡申请表" in titles
    assert len(titles) == 5


def test_a_taken_in_form_gets_a_valid_receipt_and_one_sealed_record(
    forms_terminal: Terminal, settings: Settings
):
    service = forms_terminal.citizen.submissions
    done = service.submit(fill_card_form(card_template(forms_terminal))).result(10)

    receipt = parse_receipt(done.receipt)
    assert receipt.terminal == terminal_receipt_code(settings.terminal_id)
    assert receipt.sequence == 1
    assert done.form.receipt == done.receipt
    assert done.receipt in repr(done) and SAMPLES["elder"].name not in repr(done)

    rows = outbox_store.pending(forms_terminal.database.connection())
    assert [(r.kind, r.idempotency_key, r.sealed) for r in rows] == [
        ("submission", done.idempotency_key, True)
    ]
    body = forms_terminal.citizen.outbox.open(rows[0]).body
    assert body["receipt"] == done.receipt
    assert body["values"]["id_number"] == SAMPLES["elder"].id_number
    assert body["signature"]["format"] == "strokes"

    forms_terminal.database.close()
    raw = Path(settings.database_path).read_bytes()
    for secret in (SAMPLES["elder"].name, SAMPLES["elder"].id_number, "13800138000"):
        assert secret.encode() not in raw


def test_receipt_numbers_count_up_and_survive_a_restart(settings: Settings):
    with Terminal.open(settings) as first:
        seed_demo_forms(first.database)
        form = fill_card_form(card_template(first))
        numbers = [first.citizen.submissions.submit(form).result(10).receipt for _ in range(3)]
    with Terminal.open(settings) as again:
        numbers.append(again.citizen.submissions.submit(form).result(10).receipt)
    assert [parse_receipt(n).sequence for n in numbers] == [1, 2, 3, 4]
    assert len(set(numbers)) == 4


def test_concurrent_submissions_never_share_a_number(forms_terminal: Terminal):
    service = forms_terminal.citizen.submissions
    form = fill_card_form(card_template(forms_terminal))
    futures = []
    lock = threading.Lock()

    def submit() -> None:
        for _ in range(10):
            with lock:
                futures.append(service.submit(form))

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = [f.result(10).receipt for f in futures]
    assert len(set(numbers)) == 30
    assert sorted(parse_receipt(n).sequence for n in numbers) == list(range(1, 31))


def test_two_terminals_never_give_the_same_number(tmp_path: Path, settings: Settings):
    from dataclasses import replace

    numbers = set()
    for terminal_id in ("QY-QC-0001", "QY-QC-0002"):
        with Terminal.open(
            replace(settings, terminal_id=terminal_id, data_dir=tmp_path / terminal_id)
        ) as term:
            seed_demo_forms(term.database)
            numbers.add(
                term.citizen.submissions.submit(fill_card_form(card_template(term))).result(10).receipt
            )
    assert len(numbers) == 2


def test_a_form_with_problems_is_refused_and_nothing_is_written(forms_terminal: Terminal):
    service = forms_terminal.citizen.submissions
    bad = fill_card_form(card_template(forms_terminal)).with_value("phone", "1234")
    with pytest.raises(FormIncompleteError) as raised:
        service.submit(bad)
    assert raised.value.problems[0].key == "phone"
    unsigned = fill_card_form(card_template(forms_terminal)).with_signature(None)
    with pytest.raises(FormIncompleteError):
        service.submit(unsigned)
    conn = forms_terminal.database.connection()
    assert outbox_store.pending(conn) == []
    assert conn.execute("SELECT COUNT(*) FROM receipt_counters").fetchone()[0] == 0


def test_the_days_last_number_is_refused_plainly(forms_terminal: Terminal):
    day = datetime.now().astimezone().strftime("%y%m%d")
    with forms_terminal.database.transaction() as conn:
        conn.execute("INSERT INTO receipt_counters(day, last) VALUES (?, ?)", [day, MAX_SEQUENCE])
    future = forms_terminal.citizen.submissions.submit(fill_card_form(card_template(forms_terminal)))
    with pytest.raises(SubmissionError) as raised:
        future.result(10)
    assert "服务窗口" in raised.value.message
    conn = forms_terminal.database.connection()
    assert outbox_store.pending(conn) == []
    assert receipts.issued(conn, day) == MAX_SEQUENCE  # the failed attempt used up nothing


def test_a_damaged_cached_template_is_left_out_and_the_others_stay(forms_terminal: Terminal):
    with forms_terminal.database.transaction() as conn:
        conn.execute(
            "UPDATE form_templates SET document = ? WHERE key = 'QY-RS-SBKBHK'",
            [json.dumps({"format": "kiosk-form/1", "code": "QY-RS-SBKBHK", "steps": []})],
        )
    titles = [t.title for t in forms_terminal.citizen.submissions.templates()]
    assert len(titles) == 4 and "社会保障卡补换卡申请表" not in titles
