"""What staff on site are told about the terminal's database: whether it was found damaged, and whether it was
replaced (:mod:`kiosk.store.integrity`, :mod:`kiosk.store.database_marker`).

Asked for by the maintenance screen each time it is shown, on a worker: the damage found when the database opened
together with SQLite's quick check of the tables now (the catalog's only while the file is small, as at open), so
damage met since is shown too; and the replacement notice as the marker holds it now, so that ``kiosk database
acknowledge`` run beside the terminal clears it without a restart. A database that could not be opened at all is
said to be damaged as a whole. Citizens are never shown any of it: their screens keep serving from what works.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.database import Database
from kiosk.store.database_marker import Replacement, current_replacement
from kiosk.store.integrity import FILE, REBUILDABLE, check, is_damage, ordered, parts_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    damaged: tuple[str, ...]  # the damaged parts (kiosk.store.integrity.PARTS), in their order; () when none
    replacement: Replacement | None  # the database the terminal had used was replaced, not yet acknowledged

    @property
    def ok(self) -> bool:
        return not self.damaged and self.replacement is None

    @property
    def rebuildable(self) -> bool:
        """Only parts the center can send again are damaged: nothing lasting is lost."""
        return set(self.damaged) <= REBUILDABLE

    @property
    def whole_file(self) -> bool:
        return FILE in self.damaged


def database_health(database: Database) -> DatabaseHealth:
    """The database's health now (a read-only check; call it on a worker)."""
    parts = set(database.damage)
    try:
        size = database.path.stat().st_size if database.path.exists() else 0
        parts |= parts_of(check(database.connection(), size=size))
    except sqlite3.Error as exc:  # busy or locked: what was found at open still stands
        if is_damage(exc):
            parts.add(FILE)
        else:
            log.warning("the database could not be checked now: %s", exc)
    damaged = tuple(ordered(parts))
    if damaged and not set(damaged) <= set(database.damage):
        log.error("the database check finds damage met since it opened: %s", ", ".join(damaged))
    return DatabaseHealth(damaged, current_replacement(database.path))


def unopened_health(database_path: Path, parts: frozenset[str]) -> DatabaseHealth:
    """The health of a database that could not be opened because ``parts`` are damaged."""
    return DatabaseHealth(tuple(ordered(parts)) or (FILE,), current_replacement(database_path))
