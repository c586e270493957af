"""Each terminal's state as its latest heartbeat left it, one indexed row per terminal (``fleet_state``), written
inside the heartbeat's transaction so the fleet page, its counts and the alerts filter in SQL instead of reading
every terminal's heartbeat document (docs/center.md, "Fleet state, history and alerts").

A device fault is put in plain words ("ticket printer: paper low") and remembers since when it is shown: the
first heartbeat that reported it, kept while later heartbeats report it again, forgotten once one does not.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Final

from kiosk.center import history
from kiosk.center.db import Connection
from kiosk.protocol import Heartbeat

# Migration 0005-fleet-state (registered in kiosk.center.schema): the fleet's state, the heartbeat history, the
# alert thresholds an operator set, and an index for counting recent crash reports.
FLEET_STATE_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS fleet_state (
    terminal_id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    version TEXT NOT NULL,
    out_of_service INTEGER NOT NULL DEFAULT 0,
    fault_count INTEGER NOT NULL DEFAULT 0,
    faults TEXT NOT NULL DEFAULT '[]',
    devices TEXT NOT NULL DEFAULT '[]',
    outbox_backlog INTEGER NOT NULL DEFAULT 0,
    outbox_oldest_age_s REAL,
    heartbeat_at TEXT NOT NULL,
    heartbeat_unix REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fleet_state_heartbeat ON fleet_state (heartbeat_unix);
CREATE INDEX IF NOT EXISTS fleet_state_version ON fleet_state (version);
CREATE INDEX IF NOT EXISTS fleet_state_role ON fleet_state (role);
CREATE INDEX IF NOT EXISTS fleet_state_faults ON fleet_state (fault_count);
CREATE INDEX IF NOT EXISTS fleet_state_backlog ON fleet_state (outbox_backlog);
CREATE TABLE IF NOT EXISTS terminal_history (
    terminal_id TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    heartbeat_unix REAL NOT NULL,
    outbox_backlog INTEGER NOT NULL,
    faults INTEGER NOT NULL,
    version TEXT NOT NULL,
    PRIMARY KEY (terminal_id, bucket)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alert_thresholds (
    name TEXT PRIMARY KEY,
    value REAL NOT NULL,
    set_at TEXT NOT NULL,
    set_by TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS crash_reports_received ON crash_reports (received_unix)
"""

# Device roles as the terminal names them (kiosk.services.devices), in operators' words.
DEVICE_NAMES: Final = {
    "id_card": "ID card reader",
    "ss_card": "social security card reader",
    "a4": "A4 printer",
    "ticket": "ticket printer",
    "scanner": "code scanner",
}
READERS: Final = frozenset({"id_card", "ss_card"})
HEALTH_WORDS: Final = {
    "offline": "not connected",
    "paper_low": "paper low",
    "paper_out": "out of paper",
    "cover_open": "cover open",
    "error": "fault",
}


@dataclass(frozen=True)
class Fault:
    """One device fault a heartbeat showed: its alert kind, the device, its words and since when."""

    kind: str  # paper_low | paper_out | reader_fault | device_fault
    device: str
    health: str
    words: str
    since_unix: float
    code: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.device, self.health)


def device_name(role: str) -> str:
    return DEVICE_NAMES.get(role, role.replace("_", " "))


def fault_of(role: str, health: str, code: str, since_unix: float) -> Fault | None:
    """The fault a device's health means (None for ok)."""
    if health == "ok":
        return None
    if health in ("paper_low", "paper_out"):
        kind = health
    elif role in READERS:
        kind = "reader_fault"
    else:
        kind = "device_fault"
    words = f"{device_name(role)}: {HEALTH_WORDS.get(health, health)}"
    if code and health in ("error", "offline"):
        words += f" ({code})"
    return Fault(kind, role, health, words, since_unix, code)


def faults_from_json(text: str | None) -> tuple[Fault, ...]:
    if not text:
        return ()
    return tuple(Fault(**item) for item in json.loads(text))


def faults_json(faults: Sequence[Fault]) -> str:
    return json.dumps([asdict(f) for f in faults], ensure_ascii=False)


def region_clause(region: str, column: str = "t.region") -> tuple[str, list[Any]]:
    """``region`` exactly, or with a trailing "/" every region under it (and the region itself)."""
    region = region.strip()
    if not region.endswith("/"):
        return f"{column} = ?", [region]
    return f"({column} = ? OR substr({column}, 1, CAST(? AS INTEGER)) = ?)", [
        region.rstrip("/"),
        len(region),
        region,
    ]


def record(db: Connection, terminal_id: str, beat: Heartbeat, received_at: str, received_unix: float) -> None:
    """Derive the terminal's state row from ``beat`` and add its history sample, in the heartbeat's transaction."""
    shown: dict[tuple[str, str], Fault] = {}
    for device in beat.devices:
        fault = fault_of(device.role, device.health, device.code, received_unix)
        if fault is not None:
            shown.setdefault(fault.key, fault)
    faults = list(shown.values())
    if faults:  # only then is the previous row worth reading: for since when each fault has been shown
        before = db.execute("SELECT faults FROM fleet_state WHERE terminal_id = ?", (terminal_id,)).fetchone()
        earlier = {f.key: f.since_unix for f in faults_from_json(before["faults"] if before else None)}
        faults = [replace(f, since_unix=earlier.get(f.key, f.since_unix)) for f in faults]
    devices = json.dumps(
        [{"role": d.role, "health": d.health, "detail": d.code} for d in beat.devices], ensure_ascii=False
    )
    oldest = beat.outbox_oldest_age_s
    if oldest is not None and not math.isfinite(oldest):
        oldest = None
    db.execute(
        "INSERT INTO fleet_state (terminal_id, role, version, out_of_service, fault_count, faults, devices, "
        "outbox_backlog, outbox_oldest_age_s, heartbeat_at, heartbeat_unix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (terminal_id) DO UPDATE SET role = excluded.role, version = excluded.version, "
        "out_of_service = excluded.out_of_service, fault_count = excluded.fault_count, faults = excluded.faults, "
        "devices = excluded.devices, outbox_backlog = excluded.outbox_backlog, "
        "outbox_oldest_age_s = excluded.outbox_oldest_age_s, heartbeat_at = excluded.heartbeat_at, "
        "heartbeat_unix = excluded.heartbeat_unix",
        (
            terminal_id,
            beat.role,
            beat.version,
            int(beat.out_of_service),
            len(faults),
            faults_json(faults),
            devices,
            beat.outbox_backlog,
            oldest,
            received_at,
            received_unix,
        ),
    )
    history.record(db, terminal_id, received_unix, beat.outbox_backlog, len(faults), beat.version)
