"""Building the real touch UI in tests: a real terminal (SQLite in tmp_path, the small real catalog) under the
real QML scene, offscreen, and touching it the way a citizen does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.config import Settings, hash_pin
from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.terminal import Terminal
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import find_item, visual_items
from kiosk.ui.shell.tasks import pending_calls

PIN = "135790"
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


@pytest.fixture(scope="session")
def qapp_cls() -> type[QGuiApplication]:
    """The kiosk is a Qt Quick application: no widgets."""
    return QGuiApplication


@pytest.fixture(scope="session")
def pin_hash() -> str:
    return hash_pin(PIN)


@pytest.fixture
def ui_settings(settings: Settings, pin_hash: str) -> Settings:
    """No social security reader unless a test asks for one: asking the system's PC/SC daemon about it would
    tie this process's PC/SC library to that daemon's socket before a test starts its own private pcscd."""
    return replace(settings, maintenance_pin_hash=pin_hash, sscard_driver="none")


def build_ui(terminal: Terminal, settings: Settings, size: tuple[int, int] = PORTRAIT) -> KioskUi:
    app = create_application()
    ui = KioskUi(terminal, app, WindowOptions(size=size), settings=settings)
    ui.window.requestActivate()
    return ui


def close_ui(ui: KioskUi, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: pending_calls() == 0, timeout=10_000)
    ui.close()
    qtbot.wait(20)


@pytest.fixture
def kiosk(
    qapp: QGuiApplication, qtbot: Any, catalog_terminal: Terminal, ui_settings: Settings
) -> Iterator[KioskUi]:
    ui = build_ui(catalog_terminal, ui_settings)
    settle(ui, qtbot)
    yield ui
    close_ui(ui, qtbot)


# --- looking at the scene ----------------------------------------------------------------------------------


def item(ui: KioskUi, object_name: str) -> QQuickItem:
    found = find_item(ui.window.contentItem(), object_name)
    assert found is not None, f"no item named {object_name!r} on screen"
    return found


def texts(ui: KioskUi) -> list[str]:
    """Every visible text on screen, as it reads (without the word joiners that keep a last character company)."""
    return [
        str(i.property("text")).replace("\u2060", "")
        for i in visual_items(ui.window.contentItem())
        if i.isVisible() and i.inherits("QQuickText") and i.property("text")
    ]


def shows_text(ui: KioskUi, fragment: str) -> bool:
    return any(fragment in text for text in texts(ui))


def scene_rect(target: QQuickItem) -> tuple[float, float, float, float]:
    top_left = target.mapToScene(QPointF(0, 0))
    return top_left.x(), top_left.y(), target.width(), target.height()


def settle(ui: KioskUi, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: pending_calls() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: not ui.root_property("transitioning"), timeout=5_000)
    qtbot.wait(30)


# --- touching it ---------------------------------------------------------------------------------------------


def tap(ui: KioskUi, target: QQuickItem | str, qtbot: Any | None = None) -> None:
    """A press and release at the centre of ``target``, delivered to the window like a touch."""
    if isinstance(target, str):
        target = item(ui, target)
    assert target.isVisible(), f"{target.objectName()} is not visible"
    x, y, w, h = scene_rect(target)
    QTest.mouseClick(
        ui.window,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(int(x + w / 2), int(y + h / 2)),
    )
    if qtbot is not None:
        settle(ui, qtbot)


def tap_at(ui: KioskUi, x: int, y: int) -> None:
    QTest.mouseClick(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))


def type_text(ui: KioskUi, text: str) -> None:
    """Key presses into whatever has the focus (letters and digits)."""
    for char in text:
        QTest.keyClick(ui.window, Qt.Key(ord(char.upper())), Qt.KeyboardModifier.NoModifier)


def wait_for(qtbot: Any, condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    qtbot.waitUntil(condition, timeout=timeout_ms)
