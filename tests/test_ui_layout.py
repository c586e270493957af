"""What every screen owes the bars around it: scrolled content never shows over the header, the session bar or
the navigation bar, and never takes their taps; and the type's line height comes from the theme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QTextLayout, QTextOption
from PySide6.QtQuick import QQuickItem
from ui_support import LANDSCAPE, PORTRAIT, build_ui, close_ui, item, scene_rect, settle, tap_at, wait_for

from drivers.idcard.cards import SAMPLES
from kiosk.config import Settings
from kiosk.roles.kiosk.app import KioskUi
from kiosk.roles.kiosk.screenshots import visual_items
from kiosk.services.catalog.demo import generate_catalog
from kiosk.services.terminal import Terminal
from kiosk.ui.shell.paths import qml_dir


def _scroll_to_end(flickable: QQuickItem) -> None:
    end = max(0.0, flickable.property("contentHeight") - flickable.height())
    flickable.setProperty("contentY", flickable.property("originY") + end)


def _clipped_within(target: QQuickItem, top: float) -> bool:
    """Whether an ancestor of ``target`` (or itself) clips, with its top edge at or below ``top``."""
    node: QQuickItem | None = target
    while node is not None:
        if node.clip() and scene_rect(node)[1] >= top - 0.5:
            return True
        node = node.parentItem()
    return False


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_scrolled_home_content_stays_under_the_header_and_its_taps_reach_the_header(
    qapp, qtbot, catalog_terminal, ui_settings, size
):
    ui = build_ui(catalog_terminal, ui_settings, size)
    try:
        wait_for(qtbot, lambda: ui.app_state.catalogState == "ready")
        ui.app_state.toggleLanguage()  # English words are longer: the elder home screen scrolls in both
        ui.app_state.toggleElderMode()
        settle(ui, qtbot)
        page = item(ui, "homeFlickable")
        wait_for(qtbot, lambda: page.property("contentHeight") > page.height())
        toggle = item(ui, "elderToggle")
        x, y, w, h = scene_rect(toggle)
        header_bottom = y + h
        if size == PORTRAIT:
            # Scroll a transaction tile (they span the column under the toggle) up behind the toggle.
            tile = item(ui, "ratingTile")
            _, page_y, _, _ = scene_rect(page)
            tile_top = tile.mapToItem(page.property("contentItem"), QPointF(0, 0)).y()
            page.setProperty("contentY", tile_top + tile.height() / 2 - (y + h / 2 - page_y))
            settle(ui, qtbot)
            _, tile_y, _, tile_h = scene_rect(tile)
            assert tile_y < y + h / 2 < tile_y + tile_h  # the tile lies under the toggle
        else:
            _scroll_to_end(page)
            settle(ui, qtbot)
        # The scrolled page reaches up under the header, but is clipped at the screens' top edge: the header's
        # top strip shows nothing but the header's colour ...
        assert _clipped_within(page, header_bottom)
        shot = ui.window.grabWindow()
        header_blue = QColor("#0B4EA2")
        assert all(shot.pixelColor(px, 4) == header_blue for px in range(0, ui.window.width(), 7))
        # ... and a tap on the header's toggle reaches the toggle, not a tile scrolled under it.
        tap_at(ui, int(x + w / 2), int(y + h / 2))
        settle(ui, qtbot)
        assert ui.app_state.elderMode is False
        assert ui.navigator.current == "home"  # the tile under the toggle was not opened
    finally:
        close_ui(ui, qtbot)


def test_every_scrolling_area_is_clipped_below_the_bars(kiosk, qtbot):
    """Every list or page that scrolls, on each screen a citizen can reach with a session open, stays below the
    header, the session bar and the navigation bar."""
    kiosk.session.begin(SAMPLES["elder"])  # the greeting bar with 结束办理 is open
    kiosk.app_state.toggleElderMode()
    opened = {
        "facets": lambda: kiosk.browser.showFacets("department"),
        "items": lambda: kiosk.browser.showItems("RS", "市人力资源和社会保障局"),
        "guide": lambda: kiosk.guide.show("RS-001"),
        "search": lambda: kiosk.search.show(),
        "forms": lambda: kiosk.forms.showForms(),
        "progress": lambda: kiosk.progress.show(),
        "rating": lambda: kiosk.rating.show(),
    }
    for screen, open_it in opened.items():
        kiosk.navigator.home()
        settle(kiosk, qtbot)
        open_it()
        settle(kiosk, qtbot)
        assert kiosk.navigator.current == screen
        _, nav_y, _, nav_h = scene_rect(item(kiosk, "backButton").parentItem())
        bars_bottom = nav_y + nav_h
        flickables = [
            i
            for i in visual_items(kiosk.window.contentItem())
            if i.inherits("QQuickFlickable") and i.isVisible()
        ]
        assert flickables or screen in ("facets", "items"), screen
        for flickable in flickables:
            assert _clipped_within(flickable, bars_bottom), (screen, flickable.objectName())
        # A tap on 返回 reaches it, whatever scrolled under it.
        for flickable in flickables:
            _scroll_to_end(flickable)
        settle(kiosk, qtbot)
        x, y, w, h = scene_rect(item(kiosk, "backButton"))
        tap_at(kiosk, int(x + w / 2), int(y + h / 2))
        settle(kiosk, qtbot)
        assert kiosk.navigator.current != screen, screen


def test_line_height_comes_from_the_theme_only():
    """One line height for all type, set in Theme.qml (at least 1.3): no screen or component sets its own."""
    theme = (qml_dir() / "KioskUi" / "Theme.qml").read_text(encoding="utf-8")
    assert "readonly property real lineHeight: 1.35" in theme
    offenders = []
    for path in sorted(Path(qml_dir()).rglob("*.qml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if "lineHeight:" in stripped and "Theme.lineHeight" not in stripped and path.name != "Theme.qml":
                offenders.append(f"{path.name}:{number}: {stripped}")
    assert offenders == []


def _last_line(text: str, font: QFont, width: float) -> str:
    """The last line of ``text`` as Qt lays it out at ``width`` (QQuickText wraps with the same QTextLayout)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    last = None
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        last = line
    layout.endLayout()
    assert last is not None
    return text[last.textStart() : last.textStart() + last.textLength()]


@pytest.fixture
def demo_kiosk(qapp, qtbot, terminal: Terminal, ui_settings: Settings) -> Iterator[KioskUi]:
    """The UI over the first items of the demo catalog (their guides are long, as real ones are)."""
    terminal.catalog.import_document(generate_catalog(60))
    ui = build_ui(terminal, ui_settings)
    settle(ui, qtbot)
    yield ui
    close_ui(ui, qtbot)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_character_wraps_alone_in_the_elder_guide(demo_kiosk, qtbot, language):
    kiosk = demo_kiosk
    if language == "en":
        kiosk.app_state.toggleLanguage()
    kiosk.app_state.toggleElderMode()
    for code in [entry["code"] for entry in generate_catalog(60)["items"][::6]]:
        kiosk.guide.show(code)
        wait_for(qtbot, lambda: kiosk.guide.state == "ready")
        settle(kiosk, qtbot)
        page = item(kiosk, "guideFlickable")
        for text in visual_items(page):
            if not (text.inherits("QQuickText") and text.isVisible() and text.property("lineCount") > 1):
                continue
            content = str(text.property("text"))
            last = _last_line(content, text.property("font"), text.width()).replace("\u2060", "").strip()
            letters = [ch for ch in last if ch.isalnum()]
            assert len(letters) != 1 or not ("\u3400" <= letters[0] <= "\u9fff"), (code, content, last)
        kiosk.navigator.home()
        settle(kiosk, qtbot)
