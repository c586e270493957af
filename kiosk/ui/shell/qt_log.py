"""Qt's and QML's own messages (a binding that failed, a missing image, a plugin that did not load) go to the
terminal's log instead of a console nobody reads: logger ``qt``, or ``qt.<category>`` for categorised ones."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _to_log(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "default"
    logger = logging.getLogger("qt" if category == "default" else f"qt.{category}")
    level = _LEVELS.get(mode, logging.WARNING)
    if logger.isEnabledFor(level):
        where = f" ({context.file}:{context.line})" if context.file else ""
        logger.log(level, "%s%s", message, where)


def forward_qt_messages() -> Any:
    """Send Qt's messages to the log from now on (any thread may emit them); returns the handler it replaced."""
    return qInstallMessageHandler(_to_log)
