"""Qt's and QML's warnings reach the terminal's log, where operations staff look, not a console nobody reads."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl, qInstallMessageHandler
from PySide6.QtQml import QQmlComponent, QQmlEngine

from kiosk.ui.shell.qt_log import forward_qt_messages


def test_a_failing_qml_binding_is_logged(qapp, caplog):
    previous = forward_qt_messages()
    try:
        engine = QQmlEngine()
        component = QQmlComponent(engine)
        component.setData(
            b"import QtQuick\nItem { property int n: missing.count }", QUrl("file:///probe/Broken.qml")
        )
        with caplog.at_level(logging.WARNING, logger="qt"):
            made = component.create()
            assert isinstance(made, QObject)
        warnings = [r for r in caplog.records if r.name.startswith("qt")]
        assert any("missing" in r.getMessage() and "Broken.qml" in r.getMessage() for r in warnings), [
            r.getMessage() for r in warnings
        ]
        assert all(r.levelno == logging.WARNING for r in warnings)
    finally:
        qInstallMessageHandler(previous)
