"""Filling in a form on the touch UI (自助填表), in the real scene offscreen: the card asked for and the answers it
gives, the domain's messages at the fields, follow-up questions, the signature pad, the review, taking it in (one
sealed record, a valid receipt number), printing with a failure and a retry, and nothing of the citizen left in the
view-model once the session ends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtTest import QTest

from drivers.idcard.cards import SAMPLES
from kiosk.config import Settings
from kiosk.domain.identity import mask_id_number, mask_name, mask_text
from kiosk.domain.receipt import check_receipt, group_receipt
from kiosk.protocol.receipts import terminal_receipt_code
from kiosk.roles.kiosk.app import KioskUi
from kiosk.roles.kiosk.screenshots import find_item, visual_items
from kiosk.services.forms.demo import seed_demo_forms
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.store import outbox as outbox_store
from tests.pdftext import compact, normalize, pdf_text
from tests.ui_support import (
    LANDSCAPE,
    build_ui,
    close_ui,
    item,
    scene_rect,
    settle,
    shows_text,
    tap,
    tap_at,
    type_text,
    wait_for,
)

CARD = SAMPLES["elder"]
FORM = "QY-RS-SBKBHK"  # 社会保障卡补换卡申请表: 3 steps, name and ID number locked, a signature at the end
PHONE = "13800138000"


@pytest.fixture
def forms_ui(qapp, qtbot, ui_settings: Settings) -> Iterator[KioskUi]:
    """The UI over a terminal whose cache holds the demo templates, opened the way ``kiosk run`` opens it."""
    terminal = LazyTerminal(ui_settings)
    seed_demo_forms(terminal.open().database)
    ui = build_ui(terminal, ui_settings)  # type: ignore[arg-type]
    settle(ui, qtbot)
    yield ui
    close_ui(ui, qtbot)
    terminal.close()


def rows(ui: KioskUi) -> dict[str, dict]:
    return {row["key"]: row for row in ui.forms.fields.rows()}


def tap_form_row(ui: KioskUi, qtbot: Any, code: str) -> None:
    """Scroll the list of forms to the row of ``code`` and tap it."""
    codes = [row.code for row in ui.forms.templates.rows()]
    row = item(ui, f"formRow_{codes.index(code)}")
    view = find_item(ui.window.contentItem(), "pagedListView") or item(ui, "pagedGridView")
    top = row.mapToItem(view.property("contentItem"), QPointF(0, 0)).y()
    view.setProperty("contentY", min(top, view.property("contentHeight") - view.height()))
    settle(ui, qtbot)
    tap(ui, row, qtbot)


def open_form(ui: KioskUi, qtbot: Any, code: str = FORM) -> None:
    ui.forms.showForms()
    wait_for(qtbot, lambda: ui.forms.templatesState == "ready")
    settle(ui, qtbot)
    assert shows_text(ui, "社会保障卡补换卡申请表") and shows_text(ui, "清远市人力资源和社会保障局")
    tap_form_row(ui, qtbot, code)


def start_with_card(ui: KioskUi, qtbot: Any, code: str = FORM) -> None:
    open_form(ui, qtbot, code)
    ui.session.begin(CARD)
    settle(ui, qtbot)
    assert ui.navigator.current == "formStep"


def fill_to_review(ui: KioskUi, qtbot: Any) -> None:
    """Every step answered through the view-model's slots, as the screen calls them."""
    start_with_card(ui, qtbot)
    flow = ui.forms
    flow.setValue("phone", PHONE)
    flow.next()
    for key, value in (("apply_type", "reissue"), ("reissue_reason", "lost"), ("bank", "gdrcu")):
        flow.toggle(key, value)
    flow.next()
    flow.toggle("collect", "counter")
    flow.setSignature([[[10, 10], [40, 30], [80, 12]], [{"x": 20, "y": 50}, {"x": 60, "y": 55}]])
    flow.next()
    settle(ui, qtbot)
    assert ui.navigator.current == "formReview"


def pending_submissions(ui: KioskUi) -> list:
    database = ui.terminal.open().database  # type: ignore[attr-defined]
    return [r for r in outbox_store.pending(database.connection()) if r.kind == "submission"]


def type_into(ui: KioskUi, qtbot: Any, text: str) -> None:
    """Keys into the focused field; the on-screen keyboard holds them until it commits (as 下一步 makes it)."""
    type_text(ui, text)
    settle(ui, qtbot)
    QGuiApplication.inputMethod().commit()
    settle(ui, qtbot)


def pdf_has(path, *expected: str) -> bool:
    flat = compact(pdf_text(path))
    return all(compact(normalize(text)) in flat for text in expected)


# --- choosing a form, the card, the first step -------------------------------------------------------------


def test_a_form_asks_for_the_card_then_opens_prefilled_with_the_card_values_locked(forms_ui, qtbot):
    ui = forms_ui
    open_form(ui, qtbot)
    assert ui.navigator.current == "identify"  # no card read yet: the prompt asks for one
    assert ui.forms.form() is None

    ui.session.begin(CARD)
    settle(ui, qtbot)
    assert ui.navigator.current == "formStep"
    assert ui.navigator.stack()[-2] == "forms"  # the prompt gave way: 返回 goes to the list
    fields = rows(ui)
    assert fields["name"]["value"] == CARD.name and fields["name"]["locked"]
    assert fields["id_number"]["value"] == CARD.id_number and fields["id_number"]["locked"]
    assert fields["sex"]["chosen"] == ["female"] and not fields["sex"]["locked"]
    assert fields["nation"]["value"] == "汉族" and fields["nation"]["fromCard"]
    assert shows_text(ui, "第 1 步，共 3 步") and shows_text(ui, "来自身份证")
    assert item(ui, "formLocked_name").isVisible() and item(ui, "formLocked_id_number").isVisible()
    assert shows_text(ui, "社会保障卡遗失")  # the template's intro on the first step


def test_a_missing_or_wrong_phone_keeps_the_step_and_says_why_at_the_field(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot)
    assert rows(ui)["phone"]["message"] == ""  # nothing said before the citizen has been there

    tap(ui, "formNextButton", qtbot)
    assert ui.forms.stepIndex == 0
    assert rows(ui)["phone"]["message"] == "请填写手机号码（11位数字）"
    message = item(ui, "formMessage_phone")
    wait_for(qtbot, lambda: message.isVisible())
    flick = item(ui, "formStepFlickable")
    _, top, _, height = scene_rect(flick)
    wait_for(qtbot, lambda: scene_rect(message)[1] + message.height() <= top + height + 1)  # scrolled to it

    field = item(ui, "formInput_phone")
    field.forceActiveFocus()
    wait_for(qtbot, lambda: field.hasActiveFocus())
    type_into(ui, qtbot, "12345")
    assert rows(ui)["phone"]["value"] == "12345"
    wait_for(qtbot, lambda: bool(ui.root_property("keyboardVisible")))  # the dial pad, under the screen
    keyboard = item(ui, "inputPanel")
    wait_for(qtbot, lambda: scene_rect(field)[1] + field.height() <= scene_rect(keyboard)[1])
    # ... and the page scrolled so that the field shows above the buttons
    wait_for(qtbot, lambda: scene_rect(field)[1] + field.height() <= top + flick.height())
    tap(ui, "formNextButton", qtbot)
    assert ui.forms.stepIndex == 0
    assert rows(ui)["phone"]["message"] == "请填写手机号码（11位数字）"
    assert shows_text(ui, "请填写手机号码（11位数字）")

    field.setProperty("text", "")
    field.forceActiveFocus()
    type_into(ui, qtbot, PHONE)
    assert rows(ui)["phone"]["message"] == ""  # fixed: the message goes as soon as the answer passes
    tap(ui, "formNextButton", qtbot)
    assert ui.forms.stepIndex == 1
    assert shows_text(ui, "第 2 步，共 3 步") and shows_text(ui, "申请事项")


def test_follow_up_questions_show_only_for_their_choice(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot)
    ui.forms.setValue("phone", PHONE)
    ui.forms.next()
    settle(ui, qtbot)
    assert "reissue_reason" not in rows(ui) and "replace_reason" not in rows(ui)

    tap(ui, "formOption_apply_type_replace", qtbot)
    assert "replace_reason" in rows(ui) and "reissue_reason" not in rows(ui)
    assert item(ui, "formField_replace_reason").isVisible()

    tap(ui, "formOption_apply_type_reissue", qtbot)
    assert {"reissue_reason", "lost_date"} <= set(rows(ui)) and "replace_reason" not in rows(ui)
    assert rows(ui)["apply_type"]["chosen"] == ["reissue"]
    assert list(rows(ui)) == ["apply_type", "reissue_reason", "lost_date", "bank"]  # in the template's order


def test_the_signature_drawn_on_the_pad_reaches_the_review(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot)
    ui.forms.setValue("phone", PHONE)
    ui.forms.next()
    for key, value in (("apply_type", "replace"), ("replace_reason", "chip"), ("bank", "boc")):
        ui.forms.toggle(key, value)
    ui.forms.next()
    settle(ui, qtbot)
    ui.forms.toggle("collect", "counter")
    settle(ui, qtbot)

    area = item(ui, "signatureArea")
    flick = item(ui, "formStepFlickable")
    flick.setProperty("contentY", max(0.0, flick.property("contentHeight") - flick.height()))
    settle(ui, qtbot)
    x, y, w, h = scene_rect(area)
    points = [
        QPoint(int(x + w * f), int(y + h * (0.3 + 0.3 * (i % 2)))) for i, f in enumerate((0.2, 0.3, 0.4))
    ]
    QTest.mousePress(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(ui.window, point)
    QTest.mouseRelease(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])
    settle(ui, qtbot)
    signature = ui.forms.form().signature
    assert isinstance(signature, tuple) and len(signature) == 1 and len(signature[0]) >= 3
    assert all(0 <= px <= w and 0 <= py <= h for px, py in signature[0])  # the pad's own coordinates
    assert rows(ui)["signature"]["signed"]

    tap(ui, "formNextButton", qtbot)
    assert ui.navigator.current == "formReview"
    assert item(ui, "formReviewSignature").isVisible()
    assert ui.forms.signatureStrokes == [[list(p) for p in signature[0]]]
    assert shows_text(ui, "芯片故障无法读取") and shows_text(ui, mask_name(CARD.name))

    tap(ui, "formReviewEdit_2", qtbot)  # 修改 the last step: back to it, and 回到核对页 returns directly
    assert ui.navigator.current == "formStep" and ui.forms.stepIndex == 2
    tap(ui, "signatureClearButton", qtbot)
    assert ui.forms.form().signature is None
    tap(ui, "formBackToReviewButton", qtbot)
    assert ui.navigator.current == "formStep"  # the signature is missing now
    assert rows(ui)["signature"]["message"] == "请在签名框内签名"


# --- what a public screen shows of the card ---------------------------------------------------------------


def shows_anywhere(ui: KioskUi, secret: str) -> bool:
    """Whether ``secret`` is readable on screen: in a visible text, or in a visible field whose text is not
    drawn transparent (a masked field keeps the card's value for editing, unseen)."""
    for found in visual_items(ui.window.contentItem()):
        if not found.isVisible() or secret not in str(found.property("text") or ""):
            continue
        if found.inherits("QQuickText") or QColor(found.property("color")).alpha() > 0:
            return True
    return False


def test_card_values_are_masked_on_the_steps_and_the_review_and_whole_in_the_printout(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot)
    assert item(ui, "formLockedText_name").property("text") == mask_name(CARD.name)
    assert item(ui, "formLockedText_id_number").property("text") == mask_id_number(CARD.id_number)
    assert not shows_anywhere(ui, CARD.name) and not shows_anywhere(ui, CARD.id_number)

    ui.forms.setValue("phone", PHONE)  # typed: shown in full, to be checked
    ui.forms.next()
    for key, value in (("apply_type", "reissue"), ("reissue_reason", "lost"), ("bank", "gdrcu")):
        ui.forms.toggle(key, value)
    ui.forms.next()
    ui.forms.toggle("collect", "counter")
    ui.forms.setSignature([[[10, 10], [40, 30], [80, 12]]])
    ui.forms.next()
    settle(ui, qtbot)
    assert ui.navigator.current == "formReview"
    review = {
        key: str(item(ui, f"formReviewValue_{key}").property("text"))
        for key in ("name", "id_number", "phone")
    }
    assert review == {
        "name": f"{mask_name(CARD.name)}（来自证件）",
        "id_number": f"{mask_id_number(CARD.id_number)}（来自证件）",
        "phone": PHONE,
    }
    assert not shows_anywhere(ui, CARD.name) and not shows_anywhere(ui, CARD.id_number)
    form = ui.forms.form()
    assert form is not None and form.values["name"] == CARD.name  # what is submitted and printed is whole


def test_an_address_from_the_card_is_masked_until_the_citizen_taps_in_to_change_it(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot, "QY-GA-JZZ")
    ui.forms.next()  # 户籍与个人情况
    settle(ui, qtbot)
    assert "hukou_address" in rows(ui)
    masked = item(ui, "formMasked_hukou_address")
    assert masked.isVisible() and masked.property("text") == mask_text(CARD.address)
    assert not shows_anywhere(ui, CARD.address)
    editor = item(ui, "formInput_hukou_address")
    to_top(ui, qtbot, editor)
    x, y, w, h = scene_rect(editor)
    tap_at(ui, int(x + w / 2), int(y + h - 12))  # low in the box, below the text
    settle(ui, qtbot)
    assert editor.property("activeFocus") and not masked.isVisible()
    assert shows_anywhere(ui, CARD.address)  # the citizen changes it: now they see it


def test_a_tap_anywhere_in_the_address_box_focuses_it_and_puts_the_cursor_there(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot)
    ui.forms.setValue("phone", PHONE)
    ui.forms.next()
    for key, value in (("apply_type", "reissue"), ("reissue_reason", "lost"), ("bank", "gdrcu")):
        ui.forms.toggle(key, value)
    ui.forms.next()
    ui.forms.toggle("collect", "mail")
    settle(ui, qtbot)
    editor = item(ui, "formInput_mail_address")
    address = "广东省清远市清新区太平镇禾丰村委会下围村十二号" * 2  # long enough to wrap
    editor.setProperty("text", address)
    to_top(ui, qtbot, editor)
    x, y, _, h = scene_rect(editor)
    frame_bottom = y + h
    tap_at(ui, int(x + 40), int(frame_bottom - 10))  # the lowest strip of the box
    settle(ui, qtbot)
    assert editor.property("activeFocus")
    assert editor.property("cursorPosition") > len(address) // 2  # on the last line, not the first
    editor.setProperty("focus", False)
    settle(ui, qtbot)
    tap_at(ui, int(x + 40), int(y + 20))  # the first line
    settle(ui, qtbot)
    assert editor.property("activeFocus") and editor.property("cursorPosition") < len(address) // 2


def to_top(ui: KioskUi, qtbot: Any, target: Any) -> None:
    """Scroll the step so ``target`` is near its top (clear of the keyboard)."""
    flick = item(ui, "formStepFlickable")
    top = target.mapToItem(flick.property("contentItem"), QPointF(0, 0)).y()
    limit = max(0.0, flick.property("contentHeight") - flick.height())
    flick.setProperty("contentY", float(max(0.0, min(top - 20, limit))))
    settle(ui, qtbot)


def test_the_words_year_month_day_are_targets_for_their_boxes(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot, "QY-GA-JZZ")
    unit = item(ui, "formUnit_birth_date_month")
    assert unit.width() >= 60 and unit.height() >= 60
    assert (
        item(ui, "formInput_birth_date_day").property("color").alpha() == 0
    )  # masked: the card's birth date
    to_top(ui, qtbot, unit)
    tap(ui, unit, qtbot)
    assert item(ui, "formInput_birth_date_month").property("activeFocus")
    assert item(ui, "formInput_birth_date_day").property("color").alpha() > 0


# --- taking it in and printing -----------------------------------------------------------------------------


def test_submit_gives_a_receipt_one_sealed_record_and_a_printout(forms_ui, qtbot):
    ui = forms_ui
    fill_to_review(ui, qtbot)
    assert shows_text(ui, PHONE) and shows_text(ui, mask_name(CARD.name)) and shows_text(ui, "广东农信")

    tap(ui, "formSubmitButton")
    wait_for(qtbot, lambda: ui.navigator.current == "formDone")
    assert ui.navigator.stack()[-2:] == ("forms", "formDone")  # 返回 cannot reach the review again
    receipt = ui.forms.receipt
    assert check_receipt(receipt) and receipt.startswith(terminal_receipt_code("QY-QC-0001"))
    wait_for(qtbot, lambda: ui.forms.printState == "printed", 30_000)
    settle(ui, qtbot)
    assert shows_text(ui, "表单已提交") and shows_text(ui, "已打印")
    assert " ".join(ui.forms.receiptParts) == group_receipt(receipt) and len(ui.forms.receiptParts) == 3

    records = pending_submissions(ui)
    assert len(records) == 1 and records[0].sealed
    settings = ui.settings
    for path in (settings.database_path, settings.database_path.with_name("kiosk.db-wal")):
        if path.exists():
            assert CARD.name.encode() not in path.read_bytes()
            assert CARD.id_number.encode() not in path.read_bytes()

    printed = sorted((settings.data_dir / "printed").glob("*.pdf"))
    assert len(printed) == 1
    assert pdf_has(printed[0], CARD.name, CARD.id_number, receipt)
    assert CARD.name not in printed[0].name
    tmp_pdfs = lambda: sorted((settings.data_dir / "tmp").glob("form-*.pdf"))  # noqa: E731
    assert len(tmp_pdfs()) == 1

    with qtbot.waitSignal(ui.forms.finished) as finished:
        tap(ui, "formDoneButton", qtbot)
    assert finished.args == [receipt]
    assert ui.forms.form() is None and ui.forms.receipt == ""
    wait_for(qtbot, lambda: not tmp_pdfs())  # the printout's file is gone with the screen


def test_a_failed_print_is_retried_without_filling_in_again_and_submitted_once(forms_ui, qtbot):
    ui = forms_ui
    printer = ui.device_panel.devices().a4()
    printer.set_fault("paper_out")
    fill_to_review(ui, qtbot)
    tap(ui, "formSubmitButton")
    wait_for(qtbot, lambda: ui.forms.printState == "failed", 30_000)
    settle(ui, qtbot)
    assert "缺纸" in ui.forms.printMessage and shows_text(ui, "打印机缺纸")
    assert item(ui, "formPrintAgainButton").isVisible() and item(ui, "formSkipPrintButton").isVisible()
    assert not list((ui.settings.data_dir / "printed").glob("*.pdf"))

    printer.set_fault(None)
    tap(ui, "formPrintAgainButton", qtbot)
    wait_for(qtbot, lambda: ui.forms.printState == "printed", 30_000)
    printed = sorted((ui.settings.data_dir / "printed").glob("*.pdf"))
    assert len(printed) == 1 and pdf_has(printed[0], ui.forms.receipt)
    assert not printer.failed_jobs()
    assert len(pending_submissions(ui)) == 1


def test_finishing_without_the_printout_leaves_no_copy_of_the_form_on_disk(forms_ui, qtbot):
    """The printer keeps a failed job for a retry; once the citizen gives up on it, the copy goes too."""
    ui = forms_ui
    printer = ui.device_panel.devices().a4()
    printer.set_fault("paper_out")
    fill_to_review(ui, qtbot)
    tap(ui, "formSubmitButton")
    wait_for(qtbot, lambda: ui.forms.printState == "failed", 30_000)
    settle(ui, qtbot)
    assert len(printer.failed_jobs()) == 1
    tap(ui, "formSkipPrintButton", qtbot)
    wait_for(qtbot, lambda: not printer.failed_jobs())
    settle(ui, qtbot)
    kept = [p for p in ui.settings.data_dir.rglob("*.pdf")]
    assert kept == []
    assert len(pending_submissions(ui)) == 1  # the form itself is taken in all the same


def test_a_form_with_a_bad_answer_is_not_taken_in(forms_ui, qtbot):
    ui = forms_ui
    fill_to_review(ui, qtbot)
    ui.forms.setValue("phone", "1234")  # changed behind the review's back
    ui.forms.submit()
    settle(ui, qtbot)
    assert pending_submissions(ui) == []
    # back at the problem's step, with its message
    assert ui.navigator.current == "formStep" and ui.forms.stepIndex == 0
    assert rows(ui)["phone"]["message"] == "请填写手机号码（11位数字）"
    assert ui.forms.state == "filling" and ui.forms.receipt == ""


def test_no_printer_says_to_note_the_receipt_and_crash_leftovers_are_deleted(
    qapp, qtbot, ui_settings: Settings
):
    settings = replace(ui_settings, a4_printer="none")
    tmp = settings.data_dir / "tmp"
    tmp.mkdir(parents=True)
    leftovers = [tmp / "form-0123abcd.pdf", tmp / "form-4567ef.pdf.part"]
    for path in leftovers:
        path.write_bytes(b"%PDF-1.4 a form left by a crash")
    terminal = LazyTerminal(settings)
    seed_demo_forms(terminal.open().database)
    ui = build_ui(terminal, settings)  # type: ignore[arg-type]
    try:
        settle(ui, qtbot)
        wait_for(qtbot, lambda: not any(path.exists() for path in leftovers))
        fill_to_review(ui, qtbot)
        assert shows_text(ui, "确认提交") and not ui.forms.canPrint
        tap(ui, "formSubmitButton")
        wait_for(qtbot, lambda: ui.navigator.current == "formDone")
        settle(ui, qtbot)
        assert ui.forms.printState == "noPrinter"
        assert shows_text(ui, "本机没有连接打印机，请记下回执编号")
        printed = settings.data_dir / "printed"
        assert not printed.exists() or not list(printed.iterdir())
    finally:
        close_ui(ui, qtbot)
        terminal.close()


# --- forgetting ----------------------------------------------------------------------------------------------


def test_back_from_the_first_step_keeps_the_form_until_the_list_is_left(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot)
    ui.forms.setValue("phone", PHONE)
    tap(ui, "formPrevButton", qtbot)  # 返回 on step 1
    assert ui.navigator.current == "forms" and ui.forms.draftCode == FORM
    assert shows_text(ui, "已填写一部分，点击继续填写")
    tap_form_row(ui, qtbot, FORM)
    assert ui.navigator.current == "formStep" and rows(ui)["phone"]["value"] == PHONE

    tap(ui, "formPrevButton", qtbot)
    tap(ui, "backButton", qtbot)  # leaving the list forgets the form
    assert ui.navigator.current == "home" and ui.forms.form() is None


def test_the_end_of_the_session_leaves_nothing_of_the_citizen_in_the_view_model(forms_ui, qtbot):
    ui = forms_ui
    fill_to_review(ui, qtbot)
    ui.reset_session()
    settle(ui, qtbot)
    flow = ui.forms
    assert ui.navigator.current == "home" and not ui.session.active
    assert flow.form() is None and flow.state == "idle"
    assert flow.fields.count == 0 and flow.templates.count == 0
    assert flow.reviewSteps == [] and flow.signatureStrokes == [] and flow.title == ""
    seen = repr([flow.fields.rows(), flow.templates.rows(), flow.reviewSteps, flow.receipt])
    assert CARD.name not in seen and CARD.id_number not in seen and PHONE not in seen
    QGuiApplication.processEvents()


def test_another_card_drops_the_form_of_the_previous_citizen(forms_ui, qtbot):
    ui = forms_ui
    start_with_card(ui, qtbot)
    ui.forms.setValue("phone", PHONE)
    ui.session.begin(CARD)  # the same card read again: nothing changes
    settle(ui, qtbot)
    assert rows(ui)["phone"]["value"] == PHONE

    ui.session.begin(SAMPLES["young"])
    settle(ui, qtbot)
    assert ui.forms.form() is None and ui.navigator.current == "forms"
    assert CARD.name not in repr(ui.forms.fields.rows())


def test_elder_mode_in_landscape_keeps_the_targets_and_the_type_large(qapp, qtbot, ui_settings: Settings):
    terminal = LazyTerminal(ui_settings)
    seed_demo_forms(terminal.open().database)
    ui = build_ui(terminal, ui_settings, LANDSCAPE)  # type: ignore[arg-type]
    try:
        ui.app_state.setProperty("elderMode", True)
        settle(ui, qtbot)
        start_with_card(ui, qtbot)
        ui.forms.setValue("phone", PHONE)
        ui.forms.next()
        settle(ui, qtbot)
        theme = ui.theme()
        option = item(ui, "formOption_apply_type_reissue")
        assert option.height() >= theme.property("buttonHeight")
        assert item(ui, "formNextButton").height() >= theme.property("buttonHeight")
        label = item(ui, "formLabel_apply_type")
        assert label.property("font").pixelSize() >= theme.property("fontBody")
        x, _, w, _ = scene_rect(option)
        assert x >= 0 and x + w <= LANDSCAPE[0]
    finally:
        close_ui(ui, qtbot)
        terminal.close()
