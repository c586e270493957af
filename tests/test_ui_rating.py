"""好差评 on the touch UI: the real scene offscreen over a real terminal (SQLite in tmp_path), touched the way a
citizen touches it. Each accepted rating is one sealed ``rating`` record in the outbox; a refused one writes
nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from ui_support import build_ui, close_ui, item, settle, shows_text, tap, wait_for

from drivers.idcard.cards import SAMPLES
from kiosk.domain.rating import ALREADY_RATED, Rating, RatingSubject
from kiosk.domain.receipt import group_receipt, make_receipt
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.services.rating.service import THANKS, THANKS_BAD
from kiosk.store import outbox as outbox_store
from kiosk.ui.shell.navigator import HOME

ELDER = SAMPLES["elder"]
RECEIPT = make_receipt("QY-QC-0001", date(2026, 11, 22), 42)
OTHER_RECEIPT = make_receipt("QY-QC-0001", date(2026, 11, 22), 43)
LEVEL_WORDS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


@pytest.fixture
def ui(qapp, qtbot, ui_settings):
    """The UI over a terminal whose data opens on first use, as ``kiosk run`` builds it."""
    terminal = LazyTerminal(ui_settings)
    kiosk = build_ui(terminal, ui_settings)
    try:
        wait_for(qtbot, lambda: hasattr(kiosk, "rating"))
        settle(kiosk, qtbot)
        yield kiosk
    finally:
        close_ui(kiosk, qtbot)
        terminal.close()


def rows(ui) -> list[outbox_store.OutboxRow]:
    """The pending outbox rows, read on a worker as the terminal reads them."""
    database = ui.terminal.open().database
    return ui.terminal.background.run(lambda: outbox_store.pending(database.connection())).result(10)


def opened(ui, row) -> dict:
    return ui.citizen_services().outbox.open(row).body


def database_bytes(ui) -> bytes:
    path = ui.settings.database_path
    files = [path, path.with_name(path.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def in_view(ui, qtbot, name: str, flickable: str = "ratingFlickable") -> None:
    """Scroll ``flickable`` until ``name`` lies wholly in its view (a citizen flicks; a test sets the offset)."""
    flick, target = item(ui, flickable), item(ui, name)
    top = target.mapToItem(flick.property("contentItem"), 0, 0).y()
    fits = (
        flick.property("contentY") <= top
        and top + target.height() <= flick.property("contentY") + flick.height()
    )
    if not fits:
        limit = max(0.0, flick.property("contentHeight") - flick.height())
        flick.setProperty("contentY", float(max(0.0, min(top - 10, limit))))
    settle(ui, qtbot)


ENTRY = "ratingEntryFlickable"


def key_in(ui, qtbot, keys) -> None:
    """Taps on the entry screen's digit pad: digits, ``clear``, ``delete``."""
    for key in keys:
        in_view(ui, qtbot, f"ratingReceiptKey_{key}", ENTRY)
        tap(ui, f"ratingReceiptKey_{key}")
    settle(ui, qtbot)


def problem(ui) -> str:
    return str(item(ui, "ratingReceiptProblem").property("text"))


def open_case(ui, qtbot, receipt: str = RECEIPT) -> None:
    ui.rating.start_for_case(receipt)
    wait_for(qtbot, lambda: ui.navigator.current == "rating" and ui.rating.state == "rating")
    settle(ui, qtbot)


def choose(ui, qtbot, level: int) -> None:
    in_view(ui, qtbot, f"ratingLevel_{level}")
    tap(ui, f"ratingLevel_{level}", qtbot)
    assert ui.rating.level == level
    qtbot.wait(150)  # a bad level brings its reasons into view
    settle(ui, qtbot)


def submit(ui, qtbot) -> None:
    tap(ui, "ratingSubmitButton", qtbot)
    wait_for(qtbot, lambda: ui.rating.state not in ("rating", "submitting") or bool(ui.rating.problems))
    settle(ui, qtbot)


@pytest.mark.parametrize("level", [5, 4, 3, 2, 1])
def test_each_level_becomes_one_sealed_rating_record(ui, qtbot, level):
    ui.session.begin(ELDER)
    open_case(ui, qtbot)
    assert ui.navigator.stack() == (HOME, "rating")
    assert shows_text(ui, f"回执编号 {group_receipt(RECEIPT)}") and shows_text(ui, ELDER.masked_name)
    assert not shows_text(ui, ELDER.name)
    for words in LEVEL_WORDS.values():
        assert shows_text(ui, words)

    choose(ui, qtbot, level)
    # The indicators start at the chosen level: a citizen who is done just presses 提交.
    assert ui.rating.indicatorScores == dict.fromkeys(
        ("overall", "efficiency", "service_level", "attitude"), level
    )
    assert item(ui, "ratingReasons").isVisible() == (level <= 2)
    if level <= 2:
        in_view(ui, qtbot, "ratingReason_1")
        tap(ui, "ratingReason_1", qtbot)  # 等待时间长
    submit(ui, qtbot)

    assert ui.rating.state == "done"
    assert shows_text(ui, THANKS_BAD if level <= 2 else THANKS)
    [row] = rows(ui)
    assert row.kind == "rating" and row.sealed
    body = opened(ui, row)
    assert body["subject"] == {"kind": "case", "id": RECEIPT}
    assert body["level"] == level and body["indicators"]["attitude"] == level
    assert body["reasons"] == (["等待时间长"] if level <= 2 else [])
    assert body["rater"]["name"] == ELDER.name  # real-name, inside the sealed body only
    raw = database_bytes(ui)
    assert ELDER.name.encode() not in raw and ELDER.id_number.encode() not in raw

    tap(ui, "ratingHomeButton", qtbot)
    assert ui.navigator.current == HOME and ui.rating.state == "idle"


def test_a_bad_level_without_a_reason_is_refused_at_the_list_and_nothing_is_written(ui, qtbot):
    open_case(ui, qtbot)
    choose(ui, qtbot, 2)
    submit(ui, qtbot)

    assert ui.rating.state == "rating"
    assert ui.rating.problems == {"reasons": "请至少选择一项不满意的原因"}
    problem = item(ui, "ratingReasonsProblem")
    assert problem.isVisible() and problem.property("text") == "请至少选择一项不满意的原因"
    assert rows(ui) == []

    # 其他 needs the citizen's own words; with them (and an indicator changed) it is taken.
    in_view(ui, qtbot, "ratingReason_6")
    tap(ui, "ratingReason_6", qtbot)  # 其他
    assert ui.rating.problems == {}
    submit(ui, qtbot)
    assert ui.rating.problems == {"comment": "选择了“其他”，请写下具体原因"}
    assert item(ui, "ratingCommentProblem").isVisible()
    assert rows(ui) == []

    in_view(ui, qtbot, "ratingCommentField")
    item(ui, "ratingCommentField").setProperty("text", "叫号屏不显示号码")
    in_view(ui, qtbot, "ratingScore_attitude_4")
    tap(ui, "ratingScore_attitude_4", qtbot)
    submit(ui, qtbot)
    assert ui.rating.state == "done" and shows_text(ui, THANKS_BAD)
    [row] = rows(ui)
    body = opened(ui, row)
    assert body["reasons"] == ["其他"] and body["comment"] == "叫号屏不显示号码"
    assert body["indicators"] == {"overall": 2, "efficiency": 2, "service_level": 2, "attitude": 4}
    assert body["rater"] is None  # no card was read: an anonymous rating
    assert "叫号屏".encode() not in database_bytes(ui)


def test_a_case_rated_before_is_refused_with_the_explanation(ui, qtbot):
    open_case(ui, qtbot)
    choose(ui, qtbot, 5)
    submit(ui, qtbot)
    assert ui.rating.state == "done"
    tap(ui, "ratingHomeButton", qtbot)

    ui._on_scan(f"KIOSK-RATE {RECEIPT}")  # the code on the printed form, scanned again
    wait_for(qtbot, lambda: ui.rating.state == "refused")
    settle(ui, qtbot)
    assert ui.navigator.current == "rating"
    assert shows_text(ui, ALREADY_RATED)
    assert len(rows(ui)) == 1

    # Rated elsewhere on this terminal while the screen was open: the save itself refuses it.
    open_case(ui, qtbot, OTHER_RECEIPT)
    choose(ui, qtbot, 4)
    ratings = ui.citizen_services().ratings
    first = Rating(RatingSubject.case(OTHER_RECEIPT), 3, rated_at=datetime.now().astimezone())
    assert ratings.submit(first, None).result(10).accepted
    submit(ui, qtbot)
    assert ui.rating.state == "refused" and shows_text(ui, ALREADY_RATED)
    assert len(rows(ui)) == 2


def test_a_scanned_rating_code_opens_its_case_or_ticket_and_other_codes_do_not(ui, qtbot):
    assert ui.rating.on_scan("https://www.gdzwfw.gov.cn/portal/guide/X") is False
    ui._on_scan("not a rating code")
    settle(ui, qtbot)
    assert ui.navigator.current == HOME and ui.rating.state == "idle"

    ui._on_scan(f"KIOSK-RATE {group_receipt(RECEIPT)}")  # the rating code, even one with the groups' spaces
    wait_for(qtbot, lambda: ui.rating.state == "rating")
    settle(ui, qtbot)
    assert ui.navigator.current == "rating" and ui.rating.subjectText == group_receipt(RECEIPT)
    assert shows_text(ui, f"回执编号 {group_receipt(RECEIPT)}")
    assert not item(ui, "ratingSkipButton").isVisible()  # only the offer after a form can be skipped

    assert ui.rating.on_scan("KIOSK-TICKET A012 QY-QC-0002 20261122093000") is True
    wait_for(qtbot, lambda: ui.rating.state == "rating" and ui.rating.subjectKind == "ticket")
    settle(ui, qtbot)
    assert ui.navigator.stack() == (HOME, "rating")
    assert shows_text(ui, "取号 A012")
    assert rows(ui) == []


def test_start_for_case_then_skip_goes_home_and_writes_nothing(ui, qtbot):
    ui.session.begin(ELDER)
    ui.navigator.push("forms")  # where a finished form leaves the citizen
    ui.rating.start_for_case(RECEIPT)
    wait_for(qtbot, lambda: ui.rating.state == "rating")
    settle(ui, qtbot)
    assert ui.navigator.stack() == (HOME, "rating")  # 返回 cannot lead back into the closed form
    choose(ui, qtbot, 1)
    tap(ui, "ratingSkipButton", qtbot)
    assert ui.navigator.current == HOME
    assert ui.rating.state == "idle" and ui.rating.level == 0
    assert rows(ui) == []


def test_the_entry_screen_takes_a_typed_receipt_a_scan_or_this_visit(ui, qtbot):
    ui.rating.show()
    settle(ui, qtbot)
    assert ui.navigator.current == "rating" and ui.rating.state == "entry"
    for words in ("扫描二维码评价", "输入回执编号评价", "评价本次自助服务"):
        assert shows_text(ui, words)

    # A wrong code scanned here is answered here.
    assert ui.rating.on_scan("hello") is True
    settle(ui, qtbot)
    assert (
        item(ui, "ratingScanProblem").property("text") == "这不是评价二维码，请扫描回执或取号凭条上的二维码"
    )

    # The receipt number on the digit pad: 17 taps and 确定, told what is wrong until it is right.
    in_view(ui, qtbot, "ratingReceiptOk", ENTRY)
    tap(ui, "ratingReceiptOk", qtbot)
    assert problem(ui) == "请用下面的数字键输入回执上的回执编号"
    key_in(ui, qtbot, RECEIPT[:16])
    assert problem(ui) == ""  # typing again takes the old message away
    assert item(ui, "ratingReceiptTyped").property("text") == group_receipt(RECEIPT[:16])
    assert item(ui, "ratingReceiptCount").property("text") == "16/17位"
    in_view(ui, qtbot, "ratingReceiptOk", ENTRY)
    tap(ui, "ratingReceiptOk", qtbot)
    assert problem(ui) == "回执编号共17位数字，现在是16位，请对照回执核对"
    swap = next(
        i for i in range(12, 16) if RECEIPT[i] != RECEIPT[i + 1]
    )  # in the number: the day stays valid
    swapped = RECEIPT[:swap] + RECEIPT[swap + 1] + RECEIPT[swap] + RECEIPT[swap + 2 :]
    key_in(ui, qtbot, ["clear", *swapped])
    in_view(ui, qtbot, "ratingReceiptOk", ENTRY)
    tap(ui, "ratingReceiptOk", qtbot)
    assert ui.rating.state == "entry"
    assert problem(ui) == "回执编号中有一位输错了，或有两位前后颠倒了，请对照回执逐位核对"
    key_in(ui, qtbot, ["clear", *(RECEIPT[:6] + "261322" + RECEIPT[12:])])  # month 13
    in_view(ui, qtbot, "ratingReceiptOk", ENTRY)
    tap(ui, "ratingReceiptOk", qtbot)
    assert problem(ui) == "回执编号中间6位是办理日期（年年月月日日），这几位不对，请核对"
    key_in(ui, qtbot, ["clear", *RECEIPT, "9"])  # an 18th digit is not taken
    assert ui.rating.receiptTypedCount == 17
    in_view(ui, qtbot, "ratingReceiptOk", ENTRY)
    tap(ui, "ratingReceiptOk", qtbot)
    wait_for(qtbot, lambda: ui.rating.state == "rating")
    assert ui.rating.subjectText == group_receipt(RECEIPT)

    # A number from before the digits-only format (letters in it) is typed on the keyboard, in either case.
    ui.rating.show()
    settle(ui, qtbot)
    in_view(ui, qtbot, "ratingReceiptLettersButton", ENTRY)
    tap(ui, "ratingReceiptLettersButton", qtbot)
    field = item(ui, "ratingReceiptField")
    assert field.property("activeFocus")
    field.setProperty("text", " t-demo0001-261103-000007-4 ")
    tap(ui, "ratingReceiptButton", qtbot)
    wait_for(qtbot, lambda: ui.rating.state == "rating")
    assert ui.rating.subjectText == "T-DEMO0001-261103-000007-4"

    # This visit: one rating per session; a new session is a new visit.
    ui.rating.show()
    settle(ui, qtbot)
    in_view(ui, qtbot, "rateVisitButton", ENTRY)
    tap(ui, "rateVisitButton", qtbot)
    wait_for(qtbot, lambda: ui.rating.state == "rating")
    settle(ui, qtbot)
    assert ui.rating.subjectKind == "session" and shows_text(ui, "请评价本次自助服务")
    choose(ui, qtbot, 4)
    submit(ui, qtbot)
    assert ui.rating.state == "done"
    [row] = rows(ui)
    visit = opened(ui, row)["subject"]
    assert visit["kind"] == "visit" and visit["id"].startswith("QY-QC-0001:S:")

    ui.rating.show()
    settle(ui, qtbot)
    tap(ui, "rateVisitButton", qtbot)
    wait_for(qtbot, lambda: ui.rating.state == "refused")

    ui.reset_session()
    settle(ui, qtbot)
    ui.rating.show()
    settle(ui, qtbot)
    tap(ui, "rateVisitButton", qtbot)
    wait_for(qtbot, lambda: ui.rating.state == "rating")


def test_the_session_end_forgets_the_rating_and_the_visit(ui, qtbot):
    ui.session.begin(ELDER)
    open_case(ui, qtbot)
    choose(ui, qtbot, 1)
    in_view(ui, qtbot, "ratingReason_2")
    tap(ui, "ratingReason_2", qtbot)
    ui.rating.setProperty("comment", "窗口人员不在")
    assert ui.rating.raterName == ELDER.masked_name

    ui.reset_session()
    settle(ui, qtbot)
    assert ui.navigator.current == HOME
    assert ui.rating.state == "idle" and ui.rating.level == 0 and ui.rating.comment == ""
    assert ui.rating.selectedReasons == [] and ui.rating.subjectText == "" and ui.rating.raterName == ""
    assert ui.rating.flow._visit_id is None  # the visit is forgotten too
    assert rows(ui) == []
