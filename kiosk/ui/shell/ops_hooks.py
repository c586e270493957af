"""What a running role lends the center's commands (``kiosk.services.ops.role_hooks``): leaving with an exit code
for its supervisor, and its window as a PNG. Both are asked for on the sync thread and done on the UI thread
(queued signals); the grab waits there at most a few seconds.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickWindow

from kiosk.services.ops import role_hooks

log = logging.getLogger(__name__)

GRAB_TIMEOUT_S = 10.0


class _OnUiThread(QObject):
    """Made on the UI thread; its signals, emitted from any thread, run their slots there."""

    exitAsked = Signal(int)
    grabAsked = Signal(object)

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__()
        self._app = app
        self.exitAsked.connect(self._exit, Qt.ConnectionType.QueuedConnection)
        self.grabAsked.connect(self._grab, Qt.ConnectionType.QueuedConnection)

    def _exit(self, code: int) -> None:
        log.warning("leaving with exit code %d as the center asked", code)
        self._app.exit(code)

    def _grab(self, future: Future[bytes]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(window_png())
        except Exception as exc:
            future.set_exception(exc)


_bridge: _OnUiThread | None = None


def install(app: QGuiApplication) -> None:
    """Lend this process's window and exit to the center's commands (call on the UI thread, once shown)."""
    global _bridge
    _bridge = _OnUiThread(app)
    bridge = _bridge

    def grab() -> bytes:
        future: Future[bytes] = Future()
        bridge.grabAsked.emit(future)
        try:
            return future.result(GRAB_TIMEOUT_S)
        except FutureTimeout:
            future.cancel()
            raise RuntimeError(
                f"the UI thread did not grab the window within {GRAB_TIMEOUT_S:.0f} s"
            ) from None

    role_hooks.register(request_exit=bridge.exitAsked.emit, screenshot=grab)


def uninstall() -> None:
    global _bridge
    role_hooks.clear()
    _bridge = None


def window_png() -> bytes:
    """The first visible Qt Quick window of the process as PNG bytes (on the UI thread)."""
    for window in QGuiApplication.topLevelWindows():
        if isinstance(window, QQuickWindow) and window.isVisible():
            image = window.grabWindow()
            if image.isNull():
                raise RuntimeError("the window grab returned no image")
            data = QByteArray()
            buffer = QBuffer(data)
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            if not image.save(buffer, "PNG"):
                raise RuntimeError("the window image could not be written as PNG")
            buffer.close()
            return bytes(data.data())
    raise RuntimeError("no window is shown")
