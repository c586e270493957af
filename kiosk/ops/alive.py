"""The local heartbeat from a role's process to its supervisor: ``ops/alive.json``.

The role writes it every few seconds from a timer on its UI thread (``kiosk.ui.shell.alive_writer``), so a UI
thread that hangs stops writing it and the supervisor (``kiosk supervise``) restarts the process. What it holds
is also what the supervisor's health check of a new version reads: the first frame, the database migrations,
the devices' health and the last successful sync. Nothing personal: ids, times, versions and health words.

Written without ``fsync``: it says only that the process was alive a moment ago, a power cut loses nothing that
matters, and the UI thread must not wait for the disk.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.ops.files import read_object
from kiosk.ops.paths import OpsPaths

log = logging.getLogger(__name__)

INTERVAL_S = 5.0  # how often the role writes it
MIGRATIONS_OK = "ok"
MIGRATIONS_UNKNOWN = "unknown"  # not checked yet (the data opens just after the first frame)


@dataclass(frozen=True, slots=True)
class AliveHealth:
    """What a new version must show to be kept (``kiosk.supervisor.health``)."""

    migrations: str = MIGRATIONS_UNKNOWN  # "ok", "unknown", or what went wrong (plain text)
    devices: Mapping[str, str] = field(default_factory=dict)  # device role -> health ("ok", "offline", ...)
    last_sync_ok_at: str | None = None  # ISO 8601: the last sync cycle that succeeded


@dataclass(frozen=True, slots=True)
class Alive:
    pid: int
    at: str  # ISO 8601, UTC: when it was written
    seq: int  # rises at every write: the supervisor sees a new beat even when the clock jumps
    version: str
    role: str
    first_frame_at: float | None  # Unix time of the first frame; None before it
    session_open: bool  # a citizen is using the terminal (the kiosk role); False for the other roles
    health: AliveHealth = field(default_factory=AliveHealth)

    def to_json(self) -> dict[str, Any]:
        return {
            "pid": self.pid,
            "at": self.at,
            "seq": self.seq,
            "version": self.version,
            "role": self.role,
            "first_frame_at": self.first_frame_at,
            "session_open": self.session_open,
            "health": {
                "migrations": self.health.migrations,
                "devices": dict(self.health.devices),
                "last_sync_ok_at": self.health.last_sync_ok_at,
            },
        }


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def write_alive(data_dir: Path | str, alive: Alive) -> bool:
    """Write the heartbeat (a temporary file, then a rename); False when the disk refused (logged, not raised:
    the next beat tries again, and a supervisor that sees none restarts the process)."""
    path = OpsPaths.of(data_dir).alive
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(alive.to_json(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:  # a full disk; on Windows a reader holding the file open a moment
        log.warning("the local heartbeat %s could not be written: %s", path, exc)
        tmp.unlink(missing_ok=True)
        return False
    return True


def read_alive(data_dir: Path | str) -> Alive | None:
    """The last heartbeat, or None when there is none or it cannot be used."""
    raw = read_object(OpsPaths.of(data_dir).alive)
    return None if raw is None else parse_alive(raw)


def parse_alive(raw: Mapping[str, Any]) -> Alive | None:
    pid, at, seq, version, role = (raw.get(k) for k in ("pid", "at", "seq", "version", "role"))
    first, session, health = raw.get("first_frame_at"), raw.get("session_open"), raw.get("health")
    if not (isinstance(pid, int) and isinstance(at, str) and isinstance(seq, int)):
        return None
    if not (isinstance(version, str) and isinstance(role, str) and isinstance(session, bool)):
        return None
    if first is not None and not isinstance(first, (int, float)):
        return None
    health = health if isinstance(health, dict) else {}
    migrations = health.get("migrations")
    devices = health.get("devices")
    last_sync = health.get("last_sync_ok_at")
    return Alive(
        pid=pid,
        at=at,
        seq=seq,
        version=version,
        role=role,
        first_frame_at=float(first) if first is not None else None,
        session_open=session,
        health=AliveHealth(
            migrations=migrations if isinstance(migrations, str) else MIGRATIONS_UNKNOWN,
            devices={str(k): str(v) for k, v in devices.items()} if isinstance(devices, dict) else {},
            last_sync_ok_at=last_sync if isinstance(last_sync, str) else None,
        ),
    )


def clear_alive(data_dir: Path | str) -> None:
    """Forget the last heartbeat (before starting a process, so an old one is never taken for its)."""
    OpsPaths.of(data_dir).alive.unlink(missing_ok=True)


def timestamp(text: str | None) -> float | None:
    """Unix time of an ISO 8601 time (one without a zone is taken as local time), or None."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None
