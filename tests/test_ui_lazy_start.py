"""`kiosk run` shows the home screen before the cache is open, then fills in the catalog from a worker."""

from __future__ import annotations

from kiosk.services.lazy_terminal import LazyTerminal
from tests.ui_support import build_ui, close_ui


def test_home_shows_first_then_the_catalog_arrives(qapp, qtbot, catalog_terminal, ui_settings):
    catalog_terminal.close()  # the data is on disk; the UI opens it on its own
    lazy = LazyTerminal(ui_settings)
    try:
        ui = build_ui(lazy, ui_settings)  # type: ignore[arg-type]
        with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
            pass
        qtbot.waitUntil(lambda: ui.app_state.itemCount == 12, timeout=10_000)
        assert ui.app_state.catalogState == "ready"
        ui.search.setProperty("query", "sbk")
        qtbot.waitUntil(lambda: ui.search.property("total") >= 5, timeout=10_000)
        close_ui(ui, qtbot)
    finally:
        lazy.close()
