"""The startup benchmark's baseline: a bare Qt Quick window, started the same way as the kiosk (``kiosk
_bench-bare-window``, see kiosk/program.py).

Prints ``FIRST_FRAME <epoch seconds>`` after its first frame is on screen, then exits.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QByteArray, QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlComponent, QQmlEngine
from PySide6.QtQuick import QQuickWindow

QML = b"""
import QtQuick
Window {
    width: 1080; height: 1920; visible: true; color: "white"
    Text { anchors.centerIn: parent; text: "Hello"; font.pixelSize: 48 }
}
"""


def main(argv: list[str] | None = None) -> int:
    app = QGuiApplication(sys.argv)
    engine = QQmlEngine()
    component = QQmlComponent(engine)
    component.setData(QByteArray(QML), QUrl("bare.qml"))
    window = component.create()
    if not isinstance(window, QQuickWindow):
        print(component.errorString(), file=sys.stderr)
        return 1

    def first_frame() -> None:
        print(f"FIRST_FRAME {time.time():.6f}", flush=True)
        QTimer.singleShot(0, app.quit)

    window.frameSwapped.connect(first_frame)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
