"""What every screen shares: the citizen's display choices (长辈模式, language) and the state of the catalog cache."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.config import Settings
from kiosk.ops.layout import running_version
from kiosk.services.background import Background
from kiosk.ui.shell.tasks import run_in_background

if TYPE_CHECKING:  # types only: the cache's modules load after the first frame; datetime (large) where used
    from datetime import datetime

    from kiosk.services.catalog.service import CatalogService, CatalogStats

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")


class AppState(QObject):
    elderModeChanged = Signal()
    languageChanged = Signal()
    catalogChanged = Signal()
    customisedChanged = Signal()
    sessionEnded = Signal()  # the idle reset ended the citizen's session: QML forgets what it kept itself

    def __init__(
        self,
        settings: Settings,
        background: Background,
        catalog: CatalogService,
        switch_language: Callable[[str], None],
        initial_stats: CatalogStats | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._background = background
        self._catalog = catalog
        self._switch_language = switch_language
        self._elder = settings.elder_mode
        self._language = settings.language
        self._stats: CatalogStats | None = initial_stats
        self._catalog_state = "loading" if initial_stats is None else self._state_of(initial_stats)

    # --- the citizen's choices ---------------------------------------------------------------------------

    def _get_elder(self) -> bool:
        return self._elder

    def _set_elder(self, on: bool) -> None:
        if on != self._elder:
            self._elder = on
            log.info("elder mode %s", "on" if on else "off")
            self.elderModeChanged.emit()
            self.customisedChanged.emit()

    elderMode = Property(bool, _get_elder, _set_elder, notify=elderModeChanged)

    def _get_language(self) -> str:
        return self._language

    def _set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            log.warning("ignoring unknown language %r", language)
            return
        if language != self._language:
            self._language = language
            self._switch_language(language)
            log.info("language %s", language)
            self.languageChanged.emit()
            self.customisedChanged.emit()

    language = Property(str, _get_language, _set_language, notify=languageChanged)

    @Slot()
    def toggleElderMode(self) -> None:
        self._set_elder(not self._elder)

    @Slot()
    def toggleLanguage(self) -> None:
        self._set_language("en" if self._language == "zh_CN" else "zh_CN")

    def _get_customised(self) -> bool:
        return self._elder != self._settings.elder_mode or self._language != self._settings.language

    # True while the citizen's choices differ from the terminal's defaults (the idle reset must undo them).
    customised = Property(bool, _get_customised, notify=customisedChanged)

    def end_session(self) -> None:
        """Back to the terminal's defaults for the next citizen."""
        self._set_elder(self._settings.elder_mode)
        self._set_language(self._settings.language)
        self.sessionEnded.emit()

    # --- about the terminal ------------------------------------------------------------------------------

    @Property(str, constant=True)
    def terminalId(self) -> str:
        return self._settings.terminal_id

    @Property(str, constant=True)
    def version(self) -> str:
        return running_version()

    # --- the catalog cache -------------------------------------------------------------------------------

    @staticmethod
    def _state_of(stats: CatalogStats) -> str:
        return "ready" if stats.items > 0 else "empty"

    @Slot()
    def refreshCatalog(self) -> None:
        run_in_background(
            self._background.run(self._catalog.stats), self._on_stats, self._on_stats_failed, parent=self
        )

    def _on_stats(self, stats: CatalogStats) -> None:
        self._stats = stats
        self._catalog_state = self._state_of(stats)
        self.catalogChanged.emit()

    def _on_stats_failed(self, exc: BaseException) -> None:
        log.error("cannot read the catalog statistics: %s", exc)
        if self._stats is None:
            self._catalog_state = "error"
            self.catalogChanged.emit()

    @Property(str, notify=catalogChanged)
    def catalogState(self) -> str:
        """loading | ready | empty | error"""
        return self._catalog_state

    @Property(int, notify=catalogChanged)
    def itemCount(self) -> int:
        return self._stats.items if self._stats else 0

    @Property(int, notify=catalogChanged)
    def departmentCount(self) -> int:
        return self._stats.departments if self._stats else 0

    @Property(int, notify=catalogChanged)
    def categoryCount(self) -> int:
        return self._stats.categories if self._stats else 0

    @Property(int, notify=catalogChanged)
    def themeCount(self) -> int:
        return self._stats.themes if self._stats else 0

    @Property(str, notify=catalogChanged)
    def catalogUpdatedOn(self) -> str:
        """The day the catalog was last imported (YYYY-MM-DD), or empty."""
        imported = self._imported_at()
        return imported.astimezone().date().isoformat() if imported else ""

    @Property(bool, notify=catalogChanged)
    def catalogStale(self) -> bool:
        imported = self._imported_at()
        if imported is None:
            return False
        from datetime import UTC, datetime, timedelta

        return datetime.now(UTC) - imported > timedelta(days=self._settings.stale_catalog_days)

    def _imported_at(self) -> datetime | None:
        raw = self._stats.last_import_at if self._stats else None
        if not raw:
            return None
        from datetime import UTC, datetime

        try:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)
