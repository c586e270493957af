"""A terminal's parts, opened once at start: settings, database, background executors, services."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from kiosk.config import Settings
from kiosk.services.background import Background
from kiosk.services.catalog.service import CatalogService
from kiosk.services.changes import Changes
from kiosk.store.catalog_store import CatalogStore
from kiosk.store.database import Database
from kiosk.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from kiosk.services.citizen import CitizenServices
    from kiosk.services.database_health import DatabaseHealth
    from kiosk.services.sync.outbox import OutboxService

log = logging.getLogger(__name__)


class Terminal:
    def __init__(
        self, settings: Settings, database: Database, background: Background, changes: Changes | None = None
    ) -> None:
        self.settings = settings
        self.database = database
        self.background = background
        # What changed (catalog, the center's feeds, the queue): announced here, heard by the screens.
        self.changes = changes or Changes()
        self.catalog = CatalogService(CatalogStore(database), background=background, changes=self.changes)
        self._outbox: OutboxService | None = None
        self._citizen: CitizenServices | None = None
        self._lock = threading.Lock()

    @property
    def outbox(self) -> OutboxService:
        """The terminal's one outbox (features add to it; the sync engine drains it and is woken by it)."""
        with self._lock:
            if self._outbox is None:
                from kiosk.services.sync.outbox import OutboxService

                self._outbox = OutboxService.for_settings(self.database, self.settings)
            return self._outbox

    @property
    def citizen(self) -> CitizenServices:
        """Forms, ratings and progress queries, sharing this terminal's database, writer and outbox."""
        outbox = self.outbox
        with self._lock:
            if self._citizen is None:
                from kiosk.services.citizen import CitizenServices

                self._citizen = CitizenServices(self.database, self.background, self.settings, outbox)
            return self._citizen

    def database_health(self) -> DatabaseHealth:
        """Whether the database was found damaged or replaced (a read-only check: call it on a worker)."""
        from kiosk.services.database_health import database_health

        return database_health(self.database)

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        demo: bool = False,
        background: Background | None = None,
        changes: Changes | None = None,
    ) -> Terminal:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        database = Database(settings.database_path, MIGRATIONS)
        terminal = cls(settings, database, background or Background(), changes)
        if demo and terminal.catalog.stats().items == 0:
            from kiosk.services.catalog.demo import generate_catalog

            log.info("empty cache: importing the demo catalog")
            terminal.catalog.import_document(generate_catalog())
        if demo:
            from kiosk.services.forms.demo import seed_demo_forms

            terminal.background.write(seed_demo_forms, terminal.database).result()
        return terminal

    def close(self) -> None:
        self.background.shutdown()
        self.database.close()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
