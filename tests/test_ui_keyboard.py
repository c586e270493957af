"""The on-screen keyboard in the terminal's own style: keys and pinyin candidates large enough for elderly users
(targets of 60 px and more, candidates in 30 px type and more in elder mode), every label at 4.5:1 or more."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor
from PySide6.QtQuick import QQuickItem
from ui_support import item, settle, type_text, wait_for

from kiosk.roles.kiosk.screenshots import visual_items


def _luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def keys(panel: QQuickItem) -> list[QQuickItem]:
    """The keys on the keyboard now (letters, digits and function keys; not the blank fillers between them)."""
    return [
        i
        for i in visual_items(panel)
        if i.isVisible()
        and "Key_QMLTYPE" in (name := i.metaObject().className())
        and not name.startswith("FillerKey")
        and i.width() > 0
    ]


def open_keyboard_with_candidates(ui: Any, qtbot: Any) -> QQuickItem:
    ui.search.show()
    settle(ui, qtbot)
    wait_for(qtbot, lambda: bool(ui.root_property("keyboardVisible")))
    type_text(ui, "shebao")
    candidates = item(ui, "wordCandidateView")
    wait_for(qtbot, lambda: candidates.property("count") > 0)
    settle(ui, qtbot)
    return item(ui, "inputPanel")


def candidate_type(ui: Any) -> list[int]:
    view = item(ui, "wordCandidateView")
    return [
        t.property("font").pixelSize()
        for t in visual_items(view)
        if t.isVisible() and t.inherits("QQuickText") and t.property("text")
    ]


def test_elder_mode_grows_the_keys_and_the_candidates(kiosk, qtbot):
    panel = open_keyboard_with_candidates(kiosk, qtbot)
    normal_heights = sorted(k.height() for k in keys(panel))
    normal_type = candidate_type(kiosk)
    assert normal_heights and normal_heights[0] >= 60
    assert normal_type and min(normal_type) >= 30

    kiosk.app_state.toggleElderMode()
    settle(kiosk, qtbot)
    qtbot.wait(100)
    elder_keys = keys(panel)
    assert min(k.height() for k in elder_keys) >= 90 and min(k.width() for k in elder_keys) >= 60
    assert min(k.height() for k in elder_keys) > normal_heights[0]
    assert item(kiosk, "wordCandidateView").height() >= 96
    assert min(candidate_type(kiosk)) >= 40 > max(normal_type)


def test_every_key_label_has_at_least_4_5_to_1(kiosk, qtbot):
    panel = open_keyboard_with_candidates(kiosk, qtbot)
    style = panel.findChild(QObject, "kioskKeyboardStyle")
    assert style is not None  # the terminal's style, not Qt's default
    pairs = {
        "letters": ("inkColor", "keyColor"),
        "letters pressed": ("inkColor", "keyPressedColor"),
        "function keys": ("functionInkColor", "functionKeyColor"),
        "function keys pressed": ("functionInkColor", "functionKeyPressedColor"),
    }
    for what, (ink, ground) in pairs.items():
        assert contrast(QColor(style.property(ink)), QColor(style.property(ground))) >= 4.5, what
    assert contrast(QColor("#FFFFFF"), QColor("#0B4EA2")) >= 4.5  # the enter key: white on Theme.primary
    # Nothing fades: no text on the keyboard is drawn translucent.
    texts = [
        t for t in visual_items(panel) if t.isVisible() and t.inherits("QQuickText") and t.property("text")
    ]
    assert texts and all(t.opacity() == 1.0 for t in texts)
