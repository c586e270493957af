"""A database found damaged or replaced is shown where staff look on site: the maintenance screen opens with a section
saying what happened, what it means for the records not yet delivered and what to run, in the language shown;
the citizen screens keep serving and never show it (real terminal, real damaged or replaced SQLite file, the real
QML scene offscreen)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ui_support import PIN, build_ui, close_ui, item, settle, shows_text, tap, tap_at, texts, wait_for

from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.services.terminal import Terminal
from kiosk.store.database_marker import acknowledge
from kiosk.store.integrity import FILE, OUTBOX
from kiosk.ui.shell.screenshot import visual_items
from tests.conftest import catalog_document
from tests.test_database_damage import scribble, used_database

# What a citizen must never read, whatever the database's state.
TECHNICAL = ("数据库", "kiosk ", "待上传", "database")


def open_maintenance(ui, qtbot) -> None:
    """Five taps in the corner and the PIN, as staff do; returns once the database check has answered."""
    for _ in range(5):
        tap_at(ui, 30, 30)
    wait_for(qtbot, lambda: ui.maintenance.pinPadOpen)
    settle(ui, qtbot)
    for digit in PIN:
        tap(ui, f"pinKey_{digit}")
    tap(ui, "pinSubmit")
    wait_for(qtbot, lambda: ui.navigator.current == "maintenance")
    wait_for(qtbot, lambda: ui.maintenance.databaseState == "ready")
    settle(ui, qtbot)


def section_texts(ui) -> list[str]:
    return [
        str(i.property("text"))
        for i in visual_items(item(ui, "databaseSection"))
        if i.isVisible() and i.inherits("QQuickText") and i.property("text")
    ]


def citizen_sees_nothing_technical(ui, qtbot) -> None:
    ui.navigator.home()
    settle(ui, qtbot)
    shown = " ".join(texts(ui))
    assert not [word for word in TECHNICAL if word in shown], shown


@pytest.fixture
def replaced_terminal(settings, tmp_path):
    """A terminal whose database was emptied while two records waited for the center; the catalog imported
    again since, so the citizen screens have something to serve."""
    path = used_database(settings, tmp_path)
    path.write_bytes(b"")
    catalog = tmp_path / "again.json"
    catalog.write_text(json.dumps(catalog_document(), ensure_ascii=False), encoding="utf-8")
    with Terminal.open(settings) as terminal:
        assert terminal.database.replacement is not None
        terminal.catalog.import_file(catalog)
        yield terminal


@pytest.fixture
def damaged_terminal(settings, tmp_path):
    """A terminal whose outbox pages were found damaged when it opened."""
    scribble(used_database(settings, tmp_path), "outbox")
    with Terminal.open(settings) as terminal:
        assert terminal.database.damage == {OUTBOX}
        yield terminal


def test_a_replaced_database_is_explained_on_the_maintenance_screen_until_acknowledged(
    qapp, qtbot, replaced_terminal, ui_settings
):
    ui = build_ui(replaced_terminal, ui_settings)
    try:
        settle(ui, qtbot)
        citizen_sees_nothing_technical(ui, qtbot)
        open_maintenance(ui, qtbot)
        assert item(ui, "databaseSection").isVisible() and item(ui, "databaseReplaced").isVisible()
        assert not item(ui, "databaseDamaged").isVisible()
        said = "\n".join(section_texts(ui))
        assert "本机数据库需要处理" in said and "数据库已被替换" in said
        assert "原来的数据库文件被清空（0 字节）" in said
        assert "原库当时有 2 条待上传记录（表单、评价）可能尚未送达中心" in said
        assert "回执编号接着已发出的最大编号继续，不会重复" in said
        assert "kiosk database acknowledge" in said and str(ui_settings.data_dir) in said
        assert shows_text(ui, "需要处理，见上方")

        acknowledge(ui_settings.database_path)  # `kiosk database acknowledge`, run beside the terminal
        tap(ui, "refreshButton")
        wait_for(qtbot, lambda: ui.maintenance.databaseOk)
        settle(ui, qtbot)
        assert not item(ui, "databaseSection").isVisible()
        assert shows_text(ui, "正常")
        citizen_sees_nothing_technical(ui, qtbot)
    finally:
        close_ui(ui, qtbot)


def test_damaged_records_are_explained_with_what_to_run_and_the_catalog_keeps_serving(
    qapp, qtbot, damaged_terminal, ui_settings
):
    ui = build_ui(damaged_terminal, ui_settings)
    try:
        settle(ui, qtbot)
        wait_for(qtbot, lambda: ui.app_state.catalogState == "ready")
        assert ui.app_state.itemCount == 12  # the catalog is intact and serves
        citizen_sees_nothing_technical(ui, qtbot)
        open_maintenance(ui, qtbot)
        assert item(ui, "databaseDamaged").isVisible() and not item(ui, "databaseReplaced").isVisible()
        said = "\n".join(section_texts(ui))
        assert "数据库已损坏：待上传记录" in said
        assert "其中可能有尚未送达中心的记录" in said
        assert "请勿删除数据目录中的任何文件" in said
        assert "kiosk database repair" in said and "kiosk catalog import" in said
        assert "kiosk.db.damaged-" in said
        citizen_sees_nothing_technical(ui, qtbot)
    finally:
        close_ui(ui, qtbot)


def test_the_notice_follows_the_language_and_elder_mode(qapp, qtbot, replaced_terminal, ui_settings):
    ui = build_ui(replaced_terminal, ui_settings)
    try:
        settle(ui, qtbot)
        open_maintenance(ui, qtbot)
        ui.app_state.toggleElderMode()
        ui.app_state.toggleLanguage()
        settle(ui, qtbot)
        said = "\n".join(section_texts(ui)).replace(str(ui_settings.data_dir), "")
        assert "This terminal's database needs attention" in said
        assert "The previous database held 2 records waiting to be sent" in said
        assert "kiosk database acknowledge" in said
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in said), said
        assert shows_text(ui, "Needs attention, see above")
    finally:
        close_ui(ui, qtbot)


def test_the_health_of_a_database_that_cannot_be_opened_is_the_whole_file(settings):
    settings.data_dir.mkdir(parents=True)
    Path(settings.database_path).write_bytes(b"this is not a database" * 300)
    lazy = LazyTerminal(settings)
    try:
        health = lazy.database_health()
    finally:
        lazy.close()
    assert health.damaged == (FILE,) and health.whole_file and not health.rebuildable and not health.ok


def test_a_healthy_database_is_ok(terminal):
    health = terminal.database_health()
    assert health.ok and health.damaged == () and health.replacement is None
