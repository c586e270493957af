"""办件进度 on the touch UI against a real reference center on 127.0.0.1 (the demo cases of the sample cards), and
without it: the forms this terminal still holds, marked 待上传, under the offline message."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from ui_support import build_ui, close_ui, item, settle, shows_text, tap, wait_for

from drivers.idcard.cards import SAMPLES
from kiosk.center.demo import demo_forms_dir, load_demo_forms, publish_demo
from kiosk.domain.forms import FilledForm, parse_template
from kiosk.domain.receipt import group_receipt
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.services.progress.service import OFFLINE_MESSAGE
from kiosk.services.sync.engine import SyncEngine, client_factory_for
from kiosk.ui.shell.navigator import HOME
from tests.center_support import center_server  # noqa: F401  (fixture)

ELDER, YOUNG = SAMPLES["elder"], SAMPLES["young"]
ELDER_CASES = {"T-demo0001-261103-000007-4": "已办结", "T-demo0001-261118-000003-X": "审核中"}


@pytest.fixture
def ui(qapp, qtbot, center_server, tmp_path):  # noqa: F811
    """An enrolled terminal, synced once (it has the form templates), under the real scene; the center serves
    the demo cases."""
    store = center_server.db.store()
    try:
        publish_demo(store, None, load_demo_forms())
    finally:
        store.close()
    settings = center_server.enrolled_settings(tmp_path / "data")
    terminal = LazyTerminal(settings)
    engine = SyncEngine.for_terminal(
        terminal.open(), client_factory=client_factory_for(settings, timeout=(1, 3))
    )
    assert engine.run_once().ok
    kiosk = build_ui(terminal, settings)
    try:
        wait_for(qtbot, lambda: hasattr(kiosk, "progress"))
        settle(kiosk, qtbot)
        yield kiosk
    finally:
        close_ui(kiosk, qtbot)
        engine.close()
        terminal.close()


def shown(ui) -> dict[str, str]:
    return {row.receipt: row.state for row in ui.progress.items.rows()}


def test_the_centers_cases_with_their_states_and_the_masked_person(ui, qtbot):
    ui.session.begin(ELDER)
    ui.progress.show()
    assert ui.navigator.current == "progress"
    wait_for(qtbot, lambda: ui.progress.state == "ready")
    settle(ui, qtbot)

    assert shown(ui) == ELDER_CASES
    assert item(ui, "progressName").property("text") == ELDER.masked_name == "陈*英"
    assert ELDER.masked_id_number in item(ui, "progressIdNumber").property("text")
    assert not shows_text(ui, ELDER.name) and not shows_text(ui, ELDER.id_number)
    titles = {row.title for row in ui.progress.items.rows()}
    assert titles == {"社会保障卡补换卡申请表", "城乡居民基本医疗保险参保登记表"}
    for words in (*titles, "已办结", "审核中", *ELDER_CASES):
        assert shows_text(ui, words), words
    done = next(r for r in ui.progress.items.rows() if r.state == "已办结")
    assert [s["state"] for s in done.steps] == ["已受理", "审核中", "已办结"]
    assert item(ui, "progressCase_0").isVisible()

    # Another card on the reader: that person's cases at once, never the previous one's.
    ui.session.begin(YOUNG)
    wait_for(qtbot, lambda: ui.progress.state == "ready" and ui.progress.maskedName == YOUNG.masked_name)
    settle(ui, qtbot)
    assert not set(shown(ui)) & set(ELDER_CASES)
    correction = next(r for r in ui.progress.items.rows() if r.state == "需补正")
    assert "居住证明" in correction.note and correction.stateKind == "correction"
    assert shows_text(ui, "需补正") and shows_text(ui, correction.note)

    # 刷新 asks again.
    tap(ui, "progressRefreshButton")
    assert ui.progress.state == "loading"
    wait_for(qtbot, lambda: ui.progress.state == "ready")


def test_offline_the_message_and_this_terminals_forms_marked_pending(ui, qtbot, center_server):  # noqa: F811
    center_server.stop()
    template = parse_template(json.loads((demo_forms_dir() / "sbk-bhk.json").read_text(encoding="utf-8")))
    form = FilledForm.start(template, datetime.now().astimezone().replace(microsecond=0), ELDER)
    for key, value in {
        "phone": "13812345678",
        "apply_type": "reissue",
        "reissue_reason": "lost",
        "bank": "gdrcu",
        "collect": "counter",
    }.items():
        form = form.with_value(key, value)
    submitted = ui.citizen_services().submissions.submit(form.with_signature([[(0, 0), (4, 8)]])).result(10)

    ui.session.begin(ELDER)
    ui.progress.show()
    wait_for(qtbot, lambda: ui.progress.state == "offline", 20_000)
    settle(ui, qtbot)
    assert ui.progress.message == OFFLINE_MESSAGE
    assert item(ui, "progressOfflineMessage").isVisible() and shows_text(ui, OFFLINE_MESSAGE)
    assert shown(ui) == {submitted.receipt: "待上传"}
    assert ui.progress.pendingCount == 1
    assert shows_text(ui, "待上传") and shows_text(ui, group_receipt(submitted.receipt))
    assert shows_text(ui, "社会保障卡补换卡申请表")


def test_without_a_card_the_prompt_comes_first_and_the_session_end_empties_the_list(ui, qtbot):
    ui.progress.show()
    settle(ui, qtbot)
    assert ui.navigator.current == "identify"
    assert ui.progress.state == "idle" and ui.progress.items.count == 0

    ui.session.begin(ELDER)  # the card is read
    wait_for(qtbot, lambda: ui.progress.state == "ready")
    settle(ui, qtbot)
    assert ui.navigator.stack() == (HOME, "progress")  # 返回 skips the prompt
    assert shown(ui) == ELDER_CASES

    ui.reset_session()
    settle(ui, qtbot)
    assert ui.navigator.current == HOME
    assert ui.progress.items.count == 0 and ui.progress.state == "idle"
    assert (
        ui.progress.maskedName == "" and ui.progress.maskedIdNumber == "" and ui.progress._queried_for is None
    )


def test_an_error_offers_retry_which_asks_again(ui, qtbot):
    ui.progress.demo_state("error")  # a query that failed (the state is what the screen shows)
    settle(ui, qtbot)
    assert shows_text(ui, "暂时查不到办件进度") and shows_text(ui, "E-PROGRESS")
    ui.progress.retry()
    wait_for(qtbot, lambda: ui.progress.state == "ready")
    assert shown(ui) == ELDER_CASES
