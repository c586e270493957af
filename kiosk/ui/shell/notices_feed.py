"""The center's notices on the screens (``noticesFeed`` in QML): those showing now
(:func:`kiosk.services.notices.current_notices`: the center's feed and the notices its ``notice`` command left,
warnings first), read on a worker when the ``notices`` topic fires and every minute as time passes (a notice may
start or end). The kiosk shows them as a banner on its home screen and a strip on the others, a tap opens the whole
text; the hall's display shows them in its notice bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.ui.shell.tasks import run_in_background

if TYPE_CHECKING:
    from kiosk.services.background import Background
    from kiosk.services.notices import NoticeShown
    from kiosk.store.database import Database

log = logging.getLogger(__name__)

READ_EVERY_MS = 60_000  # a notice that starts or ends shows or goes within this


def demo_notices() -> tuple[NoticeShown, ...]:
    """Two notices as a village terminal might show them (screenshots)."""
    from kiosk.services.notices import NoticeShown

    return (
        NoticeShown(
            "demo-warning",
            "12月8日晚间系统维护",
            "12月8日（周二）20:00 至 12月9日 06:00 省政务服务系统升级维护，期间本机只能查看办事指南，不能填表和"
            "查询办件进度。其他时间照常使用。如有急事，请拨打 12345 政务服务便民热线咨询。",
            "warning",
        ),
        NoticeShown(
            "demo-info",
            "城乡居民医保开始缴费",
            "2027年度城乡居民基本医疗保险个人缴费已开始，截止时间为12月31日。可在本机“按分类查找”→“社会保障”里查看"
            "缴费指南，也可用“粤省事”小程序缴费。",
            "info",
        ),
    )


class NoticesFeed(QObject):
    noticesChanged = Signal()
    openedChanged = Signal()

    def __init__(
        self,
        background: Background,
        database: Callable[[], Database],
        parent: QObject | None = None,
        *,
        every_ms: int | None = None,
    ) -> None:
        """``database``: the terminal's database (called on a worker: it may open it)."""
        super().__init__(parent)
        self._background = background
        self._database = database
        self._notices: tuple[NoticeShown, ...] = ()
        self._opened = ""
        self._demo = False
        self._closed = False
        self._timer = QTimer(self, interval=every_ms or READ_EVERY_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        """Read now and every minute from now on."""
        if not self._timer.isActive():
            self._timer.start()
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the notices showing now (on a worker) and show them."""
        if self._demo or self._closed:
            return
        run_in_background(
            self._background.run(self._read),
            self._show,
            lambda exc: log.warning("the notices could not be read: %s", exc),
            parent=self,
        )

    def _read(self) -> tuple[NoticeShown, ...]:
        from kiosk.services.notices import current_notices

        return current_notices(self._database())

    def _show(self, notices: tuple[NoticeShown, ...]) -> None:
        if self._closed or self._demo or notices == self._notices:
            return
        self._set(notices)

    def _set(self, notices: tuple[NoticeShown, ...]) -> None:
        self._notices = notices
        log.info("notices showing: %d", len(notices))
        self.noticesChanged.emit()
        if self._opened and all(n.key != self._opened for n in notices):
            self.closeNotice()  # the notice ended while it was open

    def show_demo(self, notices: tuple[NoticeShown, ...]) -> None:
        """Show ``notices`` instead of the terminal's (screenshots): nothing is read any more."""
        self._demo = True
        self._set(notices)

    def end_demo(self) -> None:
        """Back to the terminal's own notices after :meth:`show_demo`."""
        if self._demo:
            self._demo = False
            self.closeNotice()
            self._set(())
            self.refresh()

    @property
    def shown(self) -> tuple[NoticeShown, ...]:
        return self._notices

    @Property("QVariantList", notify=noticesChanged)
    def notices(self) -> list[dict[str, Any]]:
        """The notices showing, warnings first: ``key``, ``title``, ``body``, ``level`` (``info`` | ``warning``)."""
        return [{"key": n.key, "title": n.title, "body": n.body, "level": n.level} for n in self._notices]

    @Property(int, notify=noticesChanged)
    def count(self) -> int:
        return len(self._notices)

    @Slot(str)
    def open(self, key: str) -> None:
        """Show the whole text (from the notice ``key`` on)."""
        if any(n.key == key for n in self._notices) and key != self._opened:
            self._opened = key
            self.openedChanged.emit()

    @Slot()
    def closeNotice(self) -> None:
        if self._opened:
            self._opened = ""
            self.openedChanged.emit()

    @Property(str, notify=openedChanged)
    def opened(self) -> str:
        """The notice whose whole text shows (empty: none)."""
        return self._opened

    def clear(self) -> None:
        """The session ended: the whole text closes."""
        self.closeNotice()

    def close(self) -> None:
        self._closed = True
        self._timer.stop()
