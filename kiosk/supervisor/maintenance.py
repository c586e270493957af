"""The daily maintenance, run by the supervisor while the role is stopped (in the maintenance window, when no
citizen's session is open): the database's write-ahead log checkpointed and the file vacuumed, the logs rotated
and old ones deleted. Done once per window; ``ops/maintenance.json`` remembers the last day it ran."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from kiosk.config import Settings
from kiosk.logs import LOG_FILE_NAME
from kiosk.ops.files import read_object, write_json
from kiosk.ops.paths import OpsPaths
from kiosk.store.upkeep import checkpoint_and_vacuum
from kiosk.supervisor.child import OUTPUT_FILE

log = logging.getLogger(__name__)

LOG_KEEP_DAYS = 30  # rotated log files older than this are deleted
LOG_BACKUPS = 5  # kiosk.log.1 ... kiosk.log.5, as the program's own rotating handler keeps them
RECORD_FILE = "maintenance.json"


@dataclass(frozen=True, slots=True)
class MaintenanceDone:
    database: str  # what became of the database
    logs_rotated: int
    logs_deleted: int

    def line(self) -> str:
        return f"{self.database}; logs rotated {self.logs_rotated}, deleted {self.logs_deleted}"


def record_path(settings: Settings) -> Path:
    return OpsPaths.of(settings.data_dir).root / RECORD_FILE


def last_day(settings: Settings) -> date | None:
    raw = read_object(record_path(settings))
    try:
        return date.fromisoformat(str(raw["day"])) if raw else None
    except (KeyError, ValueError):
        return None


def run_maintenance(settings: Settings, day: date) -> MaintenanceDone:
    """Database upkeep and log rotation (nothing may have the database open); recorded as done for ``day``."""
    try:
        upkeep = checkpoint_and_vacuum(settings.database_path)
        database = (
            "no database"
            if upkeep is None
            else f"database checkpointed and vacuumed ({upkeep.size_before} -> {upkeep.size_after} bytes)"
        )
    except Exception as exc:  # a damaged or locked database must not stop the rest (the role reports damage)
        log.error("database upkeep failed: %s", exc)
        database = f"database upkeep failed: {exc}"
    rotated = sum(rotate(settings.log_dir / name) for name in (LOG_FILE_NAME, OUTPUT_FILE))
    deleted = delete_old_logs(settings.log_dir, LOG_KEEP_DAYS)
    done = MaintenanceDone(database, rotated, deleted)
    write_json(
        record_path(settings),
        {"day": day.isoformat(), "at": datetime.now(UTC).isoformat(timespec="seconds"), "done": done.line()},
    )
    log.info("maintenance done: %s", done.line())
    return done


def rotate(path: Path, backups: int = LOG_BACKUPS) -> int:
    """Start a new log file (the way the program's rotating handler does: name.1 ... name.N); 1 if rotated."""
    try:
        if path.stat().st_size == 0:
            return 0
    except FileNotFoundError:
        return 0
    for index in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{index}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{index + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))
    return 1


def delete_old_logs(log_dir: Path, keep_days: int) -> int:
    """Delete rotated log files (``*.log.N``) not written for ``keep_days`` days."""
    cutoff = time.time() - keep_days * 86400
    deleted = 0
    try:
        files = list(log_dir.iterdir())
    except FileNotFoundError:
        return 0
    for path in files:
        stem, _, number = path.name.rpartition(".")
        if not (stem.endswith(".log") and number.isdigit()):
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except OSError as exc:
            log.warning("old log %s could not be deleted: %s", path, exc)
    return deleted
