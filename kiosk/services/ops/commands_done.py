"""The ids of the center's commands this terminal has run (``ops/commands-done.json``), so each runs once.

An id is written here *before* its command runs (a restart leaves the process right after): a crash in between
leaves the command counted as run and not run again, which for these commands is the safer side (a second
restart of the machine, a second screenshot). An id is kept until its command has expired and a day more (the
clocks of terminal and center may differ); an expired command is refused anyway.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.ops.files import read_object, write_json
from kiosk.ops.paths import OpsPaths

log = logging.getLogger(__name__)

KEEP_AFTER_EXPIRY = timedelta(days=1)
MAX_KEPT = 5000  # far above what a center sends (16 a heartbeat), far below what would slow the file down


class CommandsDone:
    """The ids run, read from and written to the file at once; claimed under a lock file, so that of the
    processes of one terminal (and their threads) exactly one runs a command."""

    def __init__(self, data_dir: Path | str) -> None:
        self._path = OpsPaths.of(data_dir).commands_done
        self._lock = threading.Lock()

    def __contains__(self, command_id: object) -> bool:
        with self._lock:
            return command_id in self._read()

    def claim(self, command_id: str, expires_at: datetime, now: datetime) -> bool:
        """Remember ``command_id`` (until ``expires_at`` and a day more), dropping ids whose time is over; False
        when it was remembered already. One process at a time (a lock file beside it): the running program and a
        ``kiosk sync once`` may be handed the same command."""
        from filelock import FileLock

        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, FileLock(str(self._path) + ".lock", timeout=30):
            remembered = self._read()
            if command_id in remembered:
                return False
            kept = {
                cid: until
                for cid, until in remembered.items()
                if (_time(until) or now) + KEEP_AFTER_EXPIRY > now
            }
            kept[command_id] = expires_at.isoformat()
            if len(kept) > MAX_KEPT:
                log.warning("more than %d commands remembered: the soonest to expire are forgotten", MAX_KEPT)
                kept = dict(sorted(kept.items(), key=lambda item: item[1])[-MAX_KEPT:])
            write_json(self._path, {"commands": kept})
            return True

    def _read(self) -> dict[str, str]:
        raw = read_object(self._path)
        found = raw.get("commands") if raw is not None else None
        if not isinstance(found, dict):
            return {}
        return {str(k): str(v) for k, v in found.items()}


def _time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
