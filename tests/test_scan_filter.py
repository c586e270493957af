"""The application-wide scan filter on a real QML TextField: scans never reach the field and become a signal;
typing reaches it unchanged, in order; the virtual keyboard and shortcuts are left alone.

Keys are real window-system key events (QTest); the filter's clock is driven by the test, so the outcome never
depends on how fast the machine is, except in the one test that exercises the real clock on purpose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QEvent, QMetaObject, QObject, Qt, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication, QKeyEvent, QWindow
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtTest import QTest

from drivers.scanner.wedge import WedgeConfig
from kiosk.ui.shell.scan_filter import ScanFilter, install_scan_filter

# A text field under the on-screen keyboard, as in the kiosk. (Without an InputPanel in the scene the virtual
# keyboard opens a top-level panel window of its own, which takes the focus from the test window.)
SCENE = b"""
import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
Window {
    id: root
    width: 600; height: 800; visible: true
    property int acceptCount: 0
    property int shortcutCount: 0
    TextField { objectName: "field"; focus: true; width: 400; onAccepted: root.acceptCount += 1 }
    Shortcut { sequence: "Ctrl+P"; onActivated: root.shortcutCount += 1 }
    InputPanel { id: panel; y: 400; width: parent.width }
    function useLocale(name) { VirtualKeyboardSettings.locale = name }
    function keyboardReady(locale) {
        return panel.active && InputContext.locale === locale && InputContext.inputEngine.inputMethod !== null
    }
    function tap(key, text) { InputContext.inputEngine.virtualKeyClick(key, text, 0) }
}
"""


class Clock:
    """Milliseconds that only move when the test says so."""

    def __init__(self) -> None:
        self.ms = 10_000.0

    def __call__(self) -> float:
        return self.ms


class Scene:
    def __init__(self, qml: bytes, qtbot: Any) -> None:
        self.engine = QQmlApplicationEngine()
        # Qt loads the keyboard's plugins on its QML thread, which may log while this thread waits for it holding
        # the GIL; a Python message handler (pytest-qt's) would then deadlock. Qt's own handler takes over meanwhile.
        previous = qInstallMessageHandler(None)
        try:
            self.engine.loadData(qml)
        finally:
            qInstallMessageHandler(previous)
        roots = self.engine.rootObjects()
        assert roots, "the test scene failed to load"
        window = roots[0]
        assert isinstance(window, QWindow)
        self.window = window
        self.field = window.findChild(QObject, "field")
        window.requestActivate()
        qtbot.waitUntil(lambda: QGuiApplication.focusWindow() == window)
        QMetaObject.invokeMethod(self.field, "forceActiveFocus")
        qtbot.waitUntil(lambda: bool(self.field.property("activeFocus")))

    def call(self, function: str, *args: object) -> None:
        """Call a function of the scene's root (QML functions are not Python attributes)."""
        QMetaObject.invokeMethod(self.window, function, *(Q_ARG("QVariant", a) for a in args))

    def ask(self, function: str, *args: object) -> object:
        return QMetaObject.invokeMethod(
            self.window, function, Q_RETURN_ARG("QVariant"), *(Q_ARG("QVariant", a) for a in args)
        )

    def tap(self, key: Qt.Key, text: str) -> None:
        """A touch on the virtual keyboard's key, as the keyboard's own engine handles it."""
        self.call("tap", int(key), text)

    @property
    def text(self) -> str:
        return str(self.field.property("text"))

    def close(self) -> None:
        self.window.close()
        self.engine.deleteLater()


class Keys:
    """Types into the focus window through the window system, advancing the filter's clock between keys."""

    def __init__(self, window: QWindow, clock: Clock) -> None:
        self.window, self.clock = window, clock

    def type(self, text: str, gap: float) -> None:
        for char in text:
            self.clock.ms += gap
            QTest.keyClick(self.window, char)

    def key(
        self, key: Qt.Key, gap: float, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.clock.ms += gap
        QTest.keyClick(self.window, key, modifier)

    def enter(self, gap: float) -> None:
        self.key(Qt.Key.Key_Return, gap)

    def stx(self, gap: float = 0) -> None:
        self.key(Qt.Key.Key_B, gap, Qt.KeyboardModifier.ControlModifier)

    def etx(self, gap: float) -> None:
        self.key(Qt.Key.Key_C, gap, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture
def scene(qapp: QGuiApplication, qtbot: Any) -> Iterator[Scene]:
    scene = Scene(SCENE, qtbot)
    yield scene
    scene.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def scan_filter(qapp: QGuiApplication, clock: Clock) -> Iterator[ScanFilter]:
    scan_filter = ScanFilter(WedgeConfig(max_gap_ms=40, min_length=4), clock=clock)
    qapp.installEventFilter(scan_filter)
    yield scan_filter
    scan_filter.flush()
    qapp.removeEventFilter(scan_filter)
    scan_filter.deleteLater()


@pytest.fixture
def keys(scene: Scene, clock: Clock) -> Keys:
    return Keys(scene.window, clock)


@pytest.fixture
def scans(scan_filter: ScanFilter) -> list[str]:
    seen: list[str] = []
    scan_filter.scanned.connect(seen.append)
    return seen


def let_the_gap_pass(scan_filter: ScanFilter, clock: Clock) -> None:
    clock.ms += 100
    scan_filter.release_due()


# --- scans and typing --------------------------------------------------------------------------------------------


def test_a_burst_with_enter_is_scanned_and_the_field_stays_empty(scene, scan_filter, keys, scans, clock):
    keys.type("https://example.invalid/rate?r=A012", 5)
    assert scan_filter.holding and scene.text == ""
    keys.enter(5)
    assert scans == ["https://example.invalid/rate?r=A012"]
    let_the_gap_pass(scan_filter, clock)
    assert scene.text == ""
    assert scene.window.property("acceptCount") == 0  # the scan's Enter never reached the field either


def test_slow_typing_reaches_the_field_exactly(scene, scan_filter, keys, scans, clock):
    keys.type("Hello, 123", 120)
    assert scene.text == "Hello, 12"  # the last key is held until its gap passes
    let_the_gap_pass(scan_filter, clock)
    assert scene.text == "Hello, 123"
    keys.enter(150)
    assert scene.window.property("acceptCount") == 1
    assert scans == []


def test_the_timer_releases_held_typing_by_itself(scene, scan_filter, keys, clock, qtbot):
    keys.type("a", 0)
    assert scene.text == ""
    clock.ms += 41  # the gap has passed; nobody calls the filter: its own timer must notice
    qtbot.waitUntil(lambda: scene.text == "a", timeout=2000)
    assert not scan_filter.holding


def test_typing_then_a_scan_then_typing(scene, scan_filter, keys, scans, clock):
    keys.type("ab", 150)
    keys.type("S", 200)
    keys.type("CAN-0001", 4)
    keys.enter(4)
    keys.type("cd", 300)
    let_the_gap_pass(scan_filter, clock)
    assert scans == ["SCAN-0001"]
    assert scene.text == "abcd"


def test_a_short_fast_burst_with_enter_is_typing(scene, scan_filter, keys, scans, clock):
    keys.type("ok", 5)
    keys.enter(5)
    assert scans == []
    assert scene.text == "ok" and scene.window.property("acceptCount") == 1


def test_stx_etx_framing_wins_over_length_and_pace(scene, scan_filter, keys, scans, clock):
    keys.stx()
    keys.type("A1", 120)  # short and slow, yet framed
    keys.etx(120)
    assert scans == ["A1"]
    let_the_gap_pass(scan_filter, clock)
    assert scene.text == ""


def test_backspace_keeps_its_place_after_held_keys(scene, scan_filter, keys, scans, clock):
    keys.type("abc", 10)
    keys.key(Qt.Key.Key_Backspace, 10)  # not text: releases the held keys first, then acts
    assert scene.text == "ab"
    assert not scan_filter.holding and scans == []


def test_shortcuts_fire_and_held_keys_still_arrive(scene, scan_filter, keys, clock):
    keys.type("x", 0)
    keys.key(Qt.Key.Key_P, 5, Qt.KeyboardModifier.ControlModifier)
    assert scene.window.property("shortcutCount") == 1
    let_the_gap_pass(scan_filter, clock)
    assert scene.text == "x"


class Recorder(QObject):
    """What the text field itself receives."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            self.events.append(("press" if event.type() == QEvent.Type.KeyPress else "release", event.text()))
        return False


def test_held_keys_arrive_as_press_release_pairs_and_scans_not_at_all(scene, scan_filter, keys, clock):
    recorder = Recorder()
    scene.field.installEventFilter(recorder)
    try:
        keys.type("SCAN", 3)
        keys.enter(3)
        let_the_gap_pass(scan_filter, clock)
        assert recorder.events == []
        keys.type("ab", 100)
        let_the_gap_pass(scan_filter, clock)
        assert recorder.events == [("press", "a"), ("release", "a"), ("press", "b"), ("release", "b")]
    finally:
        scene.field.removeEventFilter(recorder)


def test_shifted_capitals_from_a_scanner_are_one_scan(scene, scan_filter, keys, scans, clock):
    for char in "AbC9":
        clock.ms += 3
        QTest.keyPress(scene.window, Qt.Key.Key_Shift)
        QTest.keyClick(scene.window, char)
        QTest.keyRelease(scene.window, Qt.Key.Key_Shift)
    keys.enter(3)
    assert scans == ["AbC9"]
    let_the_gap_pass(scan_filter, clock)
    assert scene.text == ""


def test_switched_off_the_filter_passes_everything(scene, scan_filter, keys, scans, clock):
    keys.type("ab", 5)
    scan_filter.setEnabled(False)
    assert scene.text == "ab"
    keys.type("CODE", 2)
    keys.enter(2)
    assert scans == [] and scene.text == "abCODE"


# --- the virtual keyboard -------------------------------------------------------------------------------------


def test_the_virtual_keyboard_is_never_held(qapp, qtbot, scan_filter, scans):
    """Its Latin keys, Enter and Backspace arrive as key events Qt sends itself, and pinyin as input-method
    commits: none of it is held, even when it comes as fast as a scanner. (The filter's clock never moves in this
    test, so a key the filter held would never arrive at all.)"""
    scene = Scene(SCENE, qtbot)
    try:
        scene.call("useLocale", "en_US")
        qtbot.waitUntil(lambda: scene.ask("keyboardReady", "en_US") is True)
        scene.tap(Qt.Key.Key_A, "a")
        qtbot.waitUntil(lambda: scene.text == "a", timeout=2000)
        assert not scan_filter.holding
        for key, text in ((Qt.Key.Key_B, "b"), (Qt.Key.Key_C, "c"), (Qt.Key.Key_D, "d")):
            scene.tap(key, text)
        scene.tap(Qt.Key.Key_Backspace, "")
        assert scene.text == "abc" and not scan_filter.holding
        scene.call("useLocale", "zh_CN")
        qtbot.waitUntil(lambda: scene.ask("keyboardReady", "zh_CN") is True)
        for key, text in ((Qt.Key.Key_N, "n"), (Qt.Key.Key_I, "i"), (Qt.Key.Key_Space, " ")):
            scene.tap(key, text)
        qtbot.waitUntil(lambda: len(scene.text) == 4, timeout=3000)
        assert (
            scene.text.startswith("abc") and "\u4e00" <= scene.text[3] <= "\u9fff"
        )  # pinyin committed a 汉字
        scene.tap(Qt.Key.Key_Return, "\n")  # last: the kiosk's keyboard closes on Return
        assert scene.window.property("acceptCount") == 1
        assert scans == [] and not scan_filter.holding
    finally:
        scene.close()


# --- the real clock -----------------------------------------------------------------------------------------------


def test_with_the_real_clock_bursts_scan_and_slow_keys_type(qapp, qtbot, scene):
    """No injected clock: the key events' own timestamps. Margins are wide so a busy machine cannot blur them."""
    scan_filter = install_scan_filter(qapp, WedgeConfig(max_gap_ms=150, min_length=4))
    scans: list[str] = []
    scan_filter.scanned.connect(scans.append)
    try:
        for char in "QR-2024":
            QTest.keyClick(scene.window, char)
        QTest.keyClick(scene.window, Qt.Key.Key_Return)
        assert scans == ["QR-2024"] and scene.text == ""
        for char in "abc":
            QTest.keyClick(scene.window, char, Qt.KeyboardModifier.NoModifier, 400)
        qtbot.waitUntil(lambda: scene.text == "abc", timeout=3000)
        assert scans == ["QR-2024"]
    finally:
        qapp.removeEventFilter(scan_filter)
        scan_filter.deleteLater()
