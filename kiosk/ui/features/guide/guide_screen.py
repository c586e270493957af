"""The guide (办事指南) of one service item, as the guide screen shows it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.services.background import Background
from kiosk.services.usage import events as usage
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background
from kiosk.ui.translations import on_language_switched

if TYPE_CHECKING:  # types only: the cache's modules load after the first frame
    from kiosk.domain.catalog import ServiceItem
    from kiosk.services.catalog.service import CatalogService

log = logging.getLogger(__name__)

FREE = "不收费"  # the fee of most items, as catalogs write it

# idle: no guide open; loading; ready; missing: the item left the catalog since the list was shown; error.
IDLE, LOADING, READY, MISSING, ERROR = "idle", "loading", "ready", "missing", "error"


class GuideScreen(QObject):
    stateChanged = Signal()
    guideChanged = Signal()

    def __init__(
        self,
        catalog: CatalogService,
        background: Background,
        navigator: Navigator,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._background = background
        self._navigator = navigator
        self._state = IDLE
        self._code = ""
        on_language_switched(self.guideChanged)  # the fee may be said in words of the language shown
        self._item: ServiceItem | None = None
        self._call: BackgroundCall | None = None
        navigator.left.connect(self._on_screen_left)

    @Slot(str)
    def show(self, code: str) -> None:
        """Open the guide of the item ``code``."""
        self._code = code
        self._set_item(None)
        self._load()
        self._navigator.push("guide")

    @Slot()
    def retry(self) -> None:
        if self._code:
            self._load()

    def item(self) -> ServiceItem | None:
        return self._item

    def clear(self) -> None:
        if self._call is not None:
            self._call.cancel()
            self._call = None
        self._code = ""
        self._set_item(None)
        self._set_state(IDLE)

    def _load(self) -> None:
        if self._call is not None:
            self._call.cancel()
        self._set_state(LOADING)
        self._call = run_in_background(
            self._background.run(self._catalog.item, self._code), self._on_item, self._on_failed, parent=self
        )

    def _on_item(self, item: ServiceItem | None) -> None:
        self._call = None
        if item is None:
            log.warning("guide %s: the item is no longer in the catalog", self._code)
            self._set_state(MISSING)
            return
        self._set_item(item)
        self._set_state(READY)
        usage.guide_viewed(item.code)

    def _on_failed(self, exc: BaseException) -> None:
        self._call = None
        log.error("cannot read the guide of %s (E-GUIDE): %s", self._code, exc)
        usage.error_shown("E-GUIDE")
        self._set_state(ERROR)

    def _set_item(self, item: ServiceItem | None) -> None:
        self._item = item
        self.guideChanged.emit()

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit()

    def _on_screen_left(self, screen: str) -> None:
        if screen == "guide":
            self.clear()

    # --- what QML reads ----------------------------------------------------------------------------------

    @Property(str, notify=stateChanged)
    def state(self) -> str:
        return self._state

    @Property(str, notify=guideChanged)
    def code(self) -> str:
        return self._item.code if self._item else ""

    @Property(str, notify=guideChanged)
    def name(self) -> str:
        return self._item.name if self._item else ""

    @Property(str, notify=guideChanged)
    def department(self) -> str:
        return self._item.department.name if self._item else ""

    @Property(bool, notify=guideChanged)
    def onTheSpot(self) -> bool:
        """即办件 (handled on the spot) rather than 承诺件 (within a promised number of working days)."""
        return bool(self._item) and self._item.handling.type.value == "即办件"

    @Property(int, notify=guideChanged)
    def timeLimitDays(self) -> int:
        return self._item.handling.time_limit_days if self._item else 0

    @Property(str, notify=guideChanged)
    def fee(self) -> str:
        """The fee as the center wrote it; the most common one, 不收费, in the language shown."""
        fee = self._item.handling.fee if self._item else ""
        return self.tr("不收费") if fee == FREE else fee

    @Property("QVariantList", notify=guideChanged)
    def conditions(self) -> list[str]:
        return list(self._item.conditions) if self._item else []

    @Property("QVariantList", notify=guideChanged)
    def materials(self) -> list[dict]:
        if not self._item:
            return []
        return [
            {"name": m.name, "required": m.required, "copies": m.copies, "note": m.note}
            for m in self._item.materials
        ]

    @Property("QVariantList", notify=guideChanged)
    def locations(self) -> list[dict]:
        if not self._item:
            return []
        return [
            {"name": x.name, "address": x.address, "hours": x.hours, "phone": x.phone}
            for x in self._item.handling.locations
        ]

    @Property("QVariantList", notify=guideChanged)
    def legalBasis(self) -> list[str]:
        return list(self._item.legal_basis) if self._item else []

    @Property(str, notify=guideChanged)
    def onlineUrl(self) -> str:
        return (self._item.handling.online_url or "") if self._item else ""

    @Property(str, notify=guideChanged)
    def qrSource(self) -> str:
        """An ``image://qr/…`` URL for the online-handling link, or empty when it cannot be handled online."""
        url = self._item.handling.online_url if self._item else None
        return f"image://qr/{quote(url, safe='')}" if url else ""
