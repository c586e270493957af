"""What a citizen and staff see of sync, against the real reference center: the online mark in the header, the
离线服务中 banner while the center is unreachable, and the sync section of the maintenance screen."""

from __future__ import annotations

from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.sync.engine import SyncEngine, client_factory_for
from kiosk.services.terminal import Terminal
from kiosk.ui.shell.app import WindowOptions, create_application
from tests.center_support import center_server  # noqa: F401  (fixture)
from tests.ui_support import PORTRAIT, close_ui, item, shows_text


def test_online_mark_offline_banner_and_recovery(qapp, qtbot, center_server, tmp_path):  # noqa: F811
    settings = center_server.enrolled_settings(tmp_path / "data")
    terminal = Terminal.open(settings)
    engine = SyncEngine.for_terminal(terminal, client_factory=client_factory_for(settings, timeout=(1, 3)))
    ui = KioskUi(terminal, create_application(), WindowOptions(size=PORTRAIT), settings=settings)
    try:
        ui.sync_indicator.attach(engine)
        assert ui.sync_indicator.enrolled and not ui.sync_indicator.offline

        assert engine.run_once().ok
        qtbot.waitUntil(lambda: ui.sync_indicator.online, timeout=5_000)
        assert item(ui, "onlineIndicator").isVisible()
        assert shows_text(ui, "在线")
        assert not item(ui, "offlineBanner").isVisible()
        assert ui.sync_indicator.lastSuccessAt != ""

        center_server.stop()
        assert not engine.run_once().ok
        qtbot.waitUntil(lambda: ui.sync_indicator.offline, timeout=5_000)
        qtbot.waitUntil(lambda: item(ui, "offlineBanner").isVisible(), timeout=5_000)
        assert shows_text(ui, "离线服务中")
        assert ui.sync_indicator.lastError != ""

        center_server.start()
        assert engine.run_once().ok
        qtbot.waitUntil(lambda: not item(ui, "offlineBanner").isVisible(), timeout=5_000)
    finally:
        close_ui(ui, qtbot)
        engine.close()
        terminal.close()


def test_a_terminal_not_enrolled_shows_no_sync_state(qapp, qtbot, catalog_terminal, settings):
    engine = SyncEngine.for_terminal(catalog_terminal)
    ui = KioskUi(catalog_terminal, create_application(), WindowOptions(size=PORTRAIT), settings=settings)
    try:
        ui.sync_indicator.attach(engine)
        assert not ui.sync_indicator.enrolled
        assert not item(ui, "onlineIndicator").isVisible()
        assert not item(ui, "offlineBanner").isVisible()
    finally:
        close_ui(ui, qtbot)
        engine.close()
