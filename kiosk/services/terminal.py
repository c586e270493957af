"""A terminal's parts, opened once at start: settings, database, background executors, services."""

from __future__ import annotations

import logging

from kiosk.config import Settings
from kiosk.services.background import Background
from kiosk.services.catalog import CatalogService
from kiosk.store.catalog_store import CatalogStore
from kiosk.store.database import Database
from kiosk.store.migrations import MIGRATIONS

log = logging.getLogger(__name__)


class Terminal:
    def __init__(self, settings: Settings, database: Database, background: Background) -> None:
        self.settings = settings
        self.database = database
        self.background = background
        self.catalog = CatalogService(CatalogStore(database))

    @classmethod
    def open(
        cls, settings: Settings, *, demo: bool = False, background: Background | None = None
    ) -> Terminal:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        terminal = cls(settings, Database(settings.database_path, MIGRATIONS), background or Background())
        if demo and terminal.catalog.stats().items == 0:
            from kiosk.services.demo_catalog import generate_catalog

            log.info("empty cache: importing the demo catalog")
            terminal.catalog.import_document(generate_catalog())
        return terminal

    def close(self) -> None:
        self.background.shutdown()
        self.database.close()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
