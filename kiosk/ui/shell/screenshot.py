"""What every role's screenshots share (``kiosk screenshot``): waiting on the event loop, finding drawn items and
grabbing a window to a PNG file.

Each role lists its own screens in ``kiosk/roles/<role>/screenshots.py`` (``SCREENS``: name → what it shows, and
``render(settings, targets, size=, elder=, language=)``); ``kiosk screenshot`` asks every role
(``kiosk.roles.screenshots``). Names are unique across roles: the citizen's screens have plain names, the other
roles' start with their own (``display-``, ``counter-``, ``pad-``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtQuick import QQuickItem, QQuickWindow

TIMEOUT_S = 20.0


class ScreenshotError(RuntimeError):
    """A screen could not be reached or grabbed (the message says which and why)."""


def spin(ms: int = 30) -> None:
    """Let the event loop run for ``ms`` milliseconds (deliveries, bindings, a frame)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(predicate: Callable[[], bool], what: str, timeout_s: float = TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise ScreenshotError(f"timed out waiting for {what}")
        spin(20)


def visual_items(root: QQuickItem) -> Iterable[QQuickItem]:
    """Every item drawn under ``root`` (list delegates have no QObject parent, so findChildren misses them)."""
    stack = [root]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(item.childItems())


def find_item(root: QQuickItem, object_name: str) -> QQuickItem | None:
    return next((i for i in visual_items(root) if i.objectName() == object_name), None)


def grab_window(window: QWindow, path: Path) -> Path:
    """The window as drawn now, written to ``path`` (PNG)."""
    if not isinstance(window, QQuickWindow):
        raise ScreenshotError("only a Qt Quick window can be grabbed")
    image = window.grabWindow()
    if image.isNull():
        raise ScreenshotError("the window could not be grabbed")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise ScreenshotError(f"cannot write {path}")
    return path
