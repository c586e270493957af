"""What a running role lends the center's commands: its window as a PNG and leaving with an exit code, asked for
from another thread (the sync thread) and done on the UI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtQuick import QQuickView

from kiosk.ops import exit_codes
from kiosk.services.ops import role_hooks
from kiosk.ui.shell import ops_hooks
from kiosk.ui.shell.app import create_application

QML = b"""
import QtQuick
Rectangle { width: 120; height: 80; color: "#c00000"
    Text { anchors.centerIn: parent; text: "OK"; color: "white" } }
"""


@pytest.fixture
def shown_window(tmp_path, qtbot):
    app = create_application()
    source = tmp_path / "Window.qml"
    source.write_bytes(QML)
    view = QQuickView()
    view.setSource(QUrl.fromLocalFile(str(source)))
    view.show()
    qtbot.waitExposed(view)
    ops_hooks.install(app)
    yield app, view
    ops_hooks.uninstall()
    view.close()


def test_the_window_is_grabbed_as_png_for_a_command_on_another_thread(shown_window, qtbot):
    grab = role_hooks.current().screenshot
    assert grab is not None
    got: list[bytes] = []
    worker = threading.Thread(target=lambda: got.append(grab()))
    worker.start()
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    worker.join(5)
    png = got[0]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from PySide6.QtGui import QImage

    image = QImage.fromData(png, "PNG")
    assert (image.width(), image.height()) == (120, 80)
    assert image.pixelColor(5, 5).red() > 180 and image.pixelColor(5, 5).green() < 40


def test_an_exit_asked_on_another_thread_ends_the_event_loop_with_its_code(shown_window, qtbot):
    app, _ = shown_window
    request_exit = role_hooks.current().request_exit
    assert request_exit is not None
    threading.Thread(target=request_exit, args=(exit_codes.RESTART,)).start()
    assert app.exec() == exit_codes.RESTART


def test_after_the_window_closed_nothing_is_lent():
    ops_hooks.uninstall()
    assert role_hooks.current() == role_hooks.RoleHooks()
