"""A citizen's whole transaction, end to end, as at a village terminal: the card placed on the (simulated, real
protocol over a pseudo-terminal) reader → the form prefilled → the A4 PDF printed with the name, ID number and
receipt number → submitted → the reference center on 127.0.0.1 has it exactly once → 办件进度 shows it. Then the
same with the center down: the outbox keeps it, progress shows 待上传, the center comes back and gets it once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ui_support import PORTRAIT, close_ui, settle, wait_for

from drivers.idcard.cards import SAMPLES
from kiosk.center.demo import load_demo_forms, publish_demo
from kiosk.domain.receipt import check_receipt
from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.devices import Devices
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.services.progress.service import PENDING_UPLOAD
from kiosk.services.sync.engine import SyncEngine, client_factory_for
from kiosk.store import outbox as outbox_store
from kiosk.ui.shell.app import WindowOptions, create_application
from tests.center_support import center_server  # noqa: F401  (fixture)
from tests.pdftext import compact, normalize, pdf_text

CARD = SAMPLES["elder"]
FORM = "QY-RS-SBKBHK"


class Terminal:
    """The running terminal: its UI (with the simulated card reader watched), its data and its sync engine."""

    def __init__(self, ui: KioskUi, data: LazyTerminal, engine: SyncEngine, devices: Devices) -> None:
        self.ui, self.data, self.engine, self.devices = ui, data, engine, devices

    def pending(self) -> list[Any]:
        return [
            r for r in outbox_store.pending(self.data.open().database.connection()) if r.kind == "submission"
        ]


@pytest.fixture
def village(qapp, qtbot, center_server, tmp_path) -> Iterator[Terminal]:  # noqa: F811
    store = center_server.db.store()
    try:
        publish_demo(store, None, load_demo_forms())
    finally:
        store.close()
    settings = center_server.enrolled_settings(
        tmp_path / "data", idcard_driver="simulator", sscard_driver="none"
    )
    data = LazyTerminal(settings)
    engine = SyncEngine.for_terminal(data.open(), client_factory=client_factory_for(settings, timeout=(1, 3)))
    assert engine.run_once().ok  # the form templates arrive with the first sync
    devices = Devices(settings)
    ui = KioskUi(data, create_application(), WindowOptions(size=PORTRAIT), settings=settings, devices=devices)  # type: ignore[arg-type]
    try:
        with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
            pass
        wait_for(qtbot, lambda: hasattr(ui, "forms"))
        settle(ui, qtbot)
        yield Terminal(ui, data, engine, devices)
    finally:
        close_ui(ui, qtbot)
        devices.close()
        engine.close()
        data.close()


def fill_and_submit(term: Terminal, qtbot) -> str:
    """Choose the form, place the card when asked, answer every step, submit; returns the receipt number."""
    ui = term.ui
    ui.forms.showForms()
    wait_for(qtbot, lambda: ui.forms.templatesState == "ready")
    ui.forms.choose(FORM)
    settle(ui, qtbot)
    assert ui.navigator.current == "identify"

    ui.device_panel.placeCard("elder")  # read over the SAM protocol on a pseudo-terminal
    wait_for(qtbot, lambda: ui.navigator.current == "formStep", 15_000)
    settle(ui, qtbot)
    values = {row["key"]: row["value"] for row in ui.forms.fields.rows()}
    assert values["name"] == CARD.name and values["id_number"] == CARD.id_number

    ui.forms.setValue("phone", "13800138000")
    ui.forms.next()
    for key, value in (("apply_type", "reissue"), ("reissue_reason", "lost"), ("bank", "gdrcu")):
        ui.forms.toggle(key, value)
    ui.forms.next()
    ui.forms.toggle("collect", "counter")
    ui.forms.setSignature([[[10, 10], [40, 30], [80, 12]]])
    ui.forms.next()
    settle(ui, qtbot)
    assert ui.navigator.current == "formReview"
    ui.forms.submit()
    wait_for(qtbot, lambda: ui.forms.printState == "printed", 30_000)
    receipt = ui.forms.receipt
    assert check_receipt(receipt)
    return receipt


def printed_form(term: Terminal, receipt: str) -> str:
    folder = term.ui.settings.data_dir / "printed"
    texts = [compact(pdf_text(path)) for path in sorted(folder.glob("*.pdf"))]
    found = [t for t in texts if compact(normalize(receipt)) in t]
    assert len(found) == 1, f"{len(texts)} printouts, {len(found)} with the receipt"
    return found[0]


def delivered(center, receipt: str) -> list[dict]:
    return [r for r in center.records("submission") if r["body"].get("receipt") == receipt]


def finish_and_skip_rating(term: Terminal, qtbot) -> None:
    ui = term.ui
    ui.forms.done()
    wait_for(qtbot, lambda: ui.navigator.current == "rating")
    settle(ui, qtbot)
    ui.rating.skip()
    settle(ui, qtbot)
    assert ui.navigator.atHome


def progress_of(term: Terminal, qtbot) -> dict[str, str]:
    ui = term.ui
    ui.navigator.home()
    ui.progress.show()
    wait_for(qtbot, lambda: ui.progress.state in ("ready", "offline", "empty", "error"), 15_000)
    return {row.receipt: row.state for row in ui.progress.items.rows()}


def test_card_form_printout_submission_center_progress(village, center_server, qtbot):  # noqa: F811
    receipt = fill_and_submit(village, qtbot)

    text = printed_form(village, receipt)
    for expected in (CARD.name, CARD.id_number):
        assert compact(normalize(expected)) in text

    assert len(village.pending()) == 1
    assert village.engine.run_once().ok
    assert village.engine.run_once().ok  # a second cycle sends nothing again
    assert len(delivered(center_server, receipt)) == 1
    assert village.pending() == []

    finish_and_skip_rating(village, qtbot)
    village.ui.session.begin(CARD)  # the citizen comes back later with the same card
    states = progress_of(village, qtbot)
    assert village.ui.progress.state == "ready"
    assert states[receipt] == "已受理"


def test_with_the_center_down_the_form_waits_and_is_delivered_once_when_it_returns(
    village,
    center_server,  # noqa: F811
    qtbot,
):
    center_server.stop()
    receipt = fill_and_submit(village, qtbot)
    assert not village.engine.run_once().ok
    assert len(village.pending()) == 1

    finish_and_skip_rating(village, qtbot)
    village.ui.session.begin(CARD)
    states = progress_of(village, qtbot)
    assert village.ui.progress.state == "offline"
    assert states[receipt] == PENDING_UPLOAD

    center_server.start()
    assert village.engine.run_once().ok
    assert village.engine.run_once().ok
    assert len(delivered(center_server, receipt)) == 1
    assert village.pending() == []
    village.ui.progress.refresh()
    wait_for(qtbot, lambda: village.ui.progress.state == "ready", 15_000)
    assert {row.receipt: row.state for row in village.ui.progress.items.rows()}[receipt] == "已受理"


# --- the session wipe ----------------------------------------------------------------------------------------


def everything_the_ui_holds(ui: KioskUi) -> str:
    """The values of every property of every view-model, every row of every list model, and every text in
    the scene (shown or not): what a next citizen, or a look at the Qt side's memory, could find."""
    from PySide6.QtCore import QAbstractItemModel, QObject

    from kiosk.ui.shell.screenshot import visual_items

    seen: list[str] = []
    for obj in [ui, *ui.findChildren(QObject)]:
        if isinstance(obj, QAbstractItemModel):
            roles = list(obj.roleNames())
            for row in range(obj.rowCount()):
                index = obj.index(row, 0)
                seen.extend(repr(obj.data(index, role)) for role in roles)
        if not type(obj).__module__.startswith("kiosk."):
            continue  # Qt's own objects: their properties are read through the scene below
        meta = obj.metaObject()
        for i in range(meta.propertyOffset(), meta.propertyCount()):
            name = meta.property(i).name()
            if name != "demoCards":  # the simulator's sample cards (demo fixtures, masked), not the session's
                seen.append(repr(obj.property(name)))
    for item in visual_items(ui.window.contentItem()):
        for name in ("text", "title", "message", "hint", "description"):
            value = item.property(name)
            if isinstance(value, str) and value:
                seen.append(value)
    return "\n".join(seen)


def files_containing(folder, secrets: list[str]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                if secret.encode("utf-8") in data or secret.encode("gb18030") in data:
                    found.append(f"{path.relative_to(folder)}: {secret}")
    return found


def test_after_the_session_nothing_of_the_citizen_is_left(village, qtbot, tmp_path, monkeypatch):
    import logging
    import tempfile

    from kiosk.logs import setup_logging

    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    ui = village.ui
    logs = ui.settings.data_dir / "logs"
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    setup_logging(logs, "DEBUG")  # everything the terminal logs, at its most talkative
    try:
        receipt = fill_and_submit(village, qtbot)  # a card, a form, a printout, an outbox record
        ui.forms.done()
        wait_for(qtbot, lambda: ui.navigator.current == "rating" and ui.rating.state == "rating")
        ui.rating.chooseLevel(2)
        ui.rating.toggleReason("等待时间长")
        ui.rating.submit()
        wait_for(qtbot, lambda: ui.rating.state == "done")
        progress_of(village, qtbot)  # the person's cases, from the center
        wait_for(qtbot, lambda: ui.progress.state == "ready")
        assert village.engine.run_once().ok
        # Logs name the citizen masked only (by design); after the session even that is gone from the screens.
        secrets = [CARD.name, CARD.id_number, "13800138000", CARD.address]
        on_screen = [*secrets, CARD.masked_name]
        assert CARD.masked_name in everything_the_ui_holds(ui)  # the check sees the session while it lasts

        settle(ui, qtbot)
        from ui_support import tap

        tap(ui, "sessionEndButton", qtbot)  # 结束办理
        settle(ui, qtbot)
        assert ui.navigator.atHome and not ui.session.active
        ui.device_panel.removeCard()
        settle(ui, qtbot)
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)

    held = everything_the_ui_holds(ui)
    assert [s for s in on_screen if s in held] == []
    assert receipt not in held
    assert list(logs.glob("*")) and files_containing(logs, secrets) == []
    village.data.open().database.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data_dir = ui.settings.data_dir
    outside_paper = [f for f in files_containing(data_dir, secrets) if not f.startswith("printed/")]
    assert outside_paper == []  # the printed folder stands for the paper the citizen took away
    assert list((data_dir / "tmp").glob("*.pdf")) == []
    assert files_containing(temp, secrets) == []
