"""The fleet as the console shows it: one filtered page of terminals with their state, the counts at the top and
the filter's choices (docs/center.md, "Fleet state, history and alerts").

Everything is read from the indexed ``fleet_state`` row each heartbeat leaves (``kiosk.center.fleet_state``)
joined to the terminals: the filter, the counts and the page are a few SQL statements whatever the fleet's size,
and a terminal's ring in the active rollout is worked out once per page, not per row. Online means a heartbeat
received within ``ONLINE_WITHIN_S`` by the center's clock.

The counts cover the terminals the filter's text, region, unit, role and version choose, whatever its state; the
state then narrows the rows (``matched``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from kiosk.center import rollout, rollout_progress
from kiosk.center.alerts import load_thresholds
from kiosk.center.fleet_state import faults_from_json, region_clause
from kiosk.center.store import Store

ONLINE_WITHIN_S = (
    600  # a terminal is online when its last heartbeat is newer than this (center setting later)
)
MAX_PER_PAGE: Final = 200
STATES: Final = ("", "online", "offline", "fault", "out_of_service", "backlog", "never")


@dataclass(frozen=True)
class FleetFilter:
    text: str = ""  # matches id, name, region, unit (case-insensitive substring)
    region: str = ""  # exact, or a prefix ending in "/" (广州市/ matches 广州市/天河区)
    unit: str = ""
    role: str = ""  # kiosk | display | counter | rating
    version: str = ""
    state: str = ""  # "" | online | offline | fault | out_of_service | backlog | never
    page: int = 1
    per_page: int = 50  # at most 200


@dataclass(frozen=True)
class DeviceState:
    role: str
    health: str
    detail: str


@dataclass(frozen=True)
class FleetRow:
    terminal_id: str
    name: str
    region: str
    unit: str
    role: str | None
    version: str | None
    ring: str | None  # the terminal's ring in the active rollout, if any
    online: bool
    enabled: bool
    out_of_service: bool
    last_heartbeat_at: str | None
    last_heartbeat_unix: float | None
    devices: tuple[DeviceState, ...]
    faults: tuple[str, ...]  # plain words: "ticket printer: paper low"
    outbox_backlog: int | None
    outbox_oldest_age_s: float | None


@dataclass(frozen=True)
class FleetCounts:
    total: int
    online: int
    offline: int
    faults: int
    out_of_service: int
    never: int


@dataclass(frozen=True)
class FleetPage:
    rows: tuple[FleetRow, ...]
    counts: FleetCounts
    matched: int
    page: int
    per_page: int
    regions: tuple[str, ...]
    units: tuple[str, ...]
    versions: tuple[str, ...]
    roles: tuple[str, ...]


_FROM: Final = "FROM terminals t LEFT JOIN fleet_state s ON s.terminal_id = t.id"
_COLUMNS: Final = (
    "t.id, t.name, t.region, t.unit, t.enabled, s.role, s.version, s.out_of_service, s.faults, s.devices, "
    "s.outbox_backlog, s.outbox_oldest_age_s, s.heartbeat_at, s.heartbeat_unix"
)


def like_pattern(text: str) -> str:
    """A case-insensitive substring pattern for ``lower(col) LIKE ? ESCAPE '\\'``."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _scope(query: FleetFilter) -> tuple[list[str], list[Any]]:
    """The WHERE parts of everything but the state."""
    where: list[str] = []
    params: list[Any] = []
    text = query.text.strip()
    if text:
        where.append(
            "(lower(t.id) LIKE ? ESCAPE '\\' OR lower(t.name) LIKE ? ESCAPE '\\' "
            "OR lower(t.region) LIKE ? ESCAPE '\\' OR lower(t.unit) LIKE ? ESCAPE '\\')"
        )
        params += [like_pattern(text)] * 4
    if query.region.strip():
        clause, values = region_clause(query.region)
        where.append(clause)
        params += values
    for column, value in (("t.unit", query.unit), ("s.role", query.role), ("s.version", query.version)):
        if value.strip():
            where.append(f"{column} = ?")  # the columns are this function's own
            params.append(value.strip())
    return where, params


def _state(state: str, cutoff: float, store: Store) -> tuple[str, list[Any]]:
    if state == "online":
        return "s.heartbeat_unix > ?", [cutoff]
    if state == "offline":
        return "s.heartbeat_unix <= ?", [cutoff]
    if state == "fault":
        return "s.fault_count > 0", []
    if state == "out_of_service":
        return "s.out_of_service = 1", []
    if state == "backlog":
        limits = load_thresholds(store)
        return "(s.outbox_backlog >= ? OR s.outbox_oldest_age_s >= ?)", [
            int(limits.backlog_records),
            float(limits.backlog_age_s),
        ]
    if state == "never":
        return "s.terminal_id IS NULL", []
    raise ValueError(f"no fleet state {state!r} (one of {', '.join(s for s in STATES if s)})")


def _where(parts: Sequence[str]) -> str:
    return f"WHERE {' AND '.join(parts)}" if parts else ""


def fleet_page(store: Store, query: FleetFilter, now: float | None = None) -> FleetPage:
    """One page of the fleet by ``query``, with its counts and choices (``ValueError`` for an unknown state)."""
    now = time.time() if now is None else now
    cutoff = now - ONLINE_WITHIN_S
    per_page = max(1, min(int(query.per_page), MAX_PER_PAGE))
    page = max(1, int(query.page))
    where, params = _scope(query)
    counted = store.query(
        "SELECT count(*) AS total, "
        "sum(CASE WHEN s.heartbeat_unix > ? THEN 1 ELSE 0 END) AS online, "
        "sum(CASE WHEN s.heartbeat_unix <= ? THEN 1 ELSE 0 END) AS offline, "
        "sum(CASE WHEN s.fault_count > 0 THEN 1 ELSE 0 END) AS faults, "
        "sum(CASE WHEN s.out_of_service = 1 THEN 1 ELSE 0 END) AS out_of_service, "
        f"sum(CASE WHEN s.terminal_id IS NULL THEN 1 ELSE 0 END) AS never {_FROM} {_where(where)}",
        (cutoff, cutoff, *params),
    )[0]
    counts = FleetCounts(**{name: int(counted[name] or 0) for name in FleetCounts.__dataclass_fields__})
    if query.state:
        clause, values = _state(query.state, cutoff, store)
        where, params = [*where, clause], [*params, *values]
        matched = int(store.query(f"SELECT count(*) AS n {_FROM} {_where(where)}", params)[0]["n"] or 0)
    else:
        matched = counts.total
    rows = store.query(
        f"SELECT {_COLUMNS} {_FROM} {_where(where)} ORDER BY t.region, t.unit, t.name, t.id LIMIT ? OFFSET ?",
        (*params, per_page, (page - 1) * per_page),
    )
    rings = _rings(store, rows)
    return FleetPage(
        rows=tuple(_row(row, rings.get(row["id"]), cutoff) for row in rows),
        counts=counts,
        matched=matched,
        page=page,
        per_page=per_page,
        regions=region_choices(store),
        units=_distinct(store, "SELECT DISTINCT unit AS v FROM terminals WHERE unit <> ''"),
        versions=_distinct(store, "SELECT DISTINCT version AS v FROM fleet_state"),
        roles=_distinct(store, "SELECT DISTINCT role AS v FROM fleet_state"),
    )


def terminal_row(store: Store, terminal_id: str, now: float | None = None) -> FleetRow | None:
    """One terminal as the fleet page shows it (None: no such terminal)."""
    now = time.time() if now is None else now
    rows = store.query(f"SELECT {_COLUMNS} {_FROM} WHERE t.id = ?", (terminal_id,))
    if not rows:
        return None
    return _row(rows[0], _rings(store, rows).get(terminal_id), now - ONLINE_WITHIN_S)


def _row(row: Any, ring: str | None, cutoff: float) -> FleetRow:
    seen = row["heartbeat_unix"] is not None
    devices = json.loads(row["devices"]) if seen else []
    return FleetRow(
        terminal_id=row["id"],
        name=row["name"],
        region=row["region"],
        unit=row["unit"],
        role=row["role"],
        version=row["version"],
        ring=ring,
        online=seen and float(row["heartbeat_unix"]) > cutoff,
        enabled=bool(row["enabled"]),
        out_of_service=bool(row["out_of_service"]) if seen else False,
        last_heartbeat_at=row["heartbeat_at"],
        last_heartbeat_unix=float(row["heartbeat_unix"]) if seen else None,
        devices=tuple(DeviceState(d["role"], d["health"], d["detail"]) for d in devices),
        faults=tuple(f.words for f in faults_from_json(row["faults"])) if seen else (),
        outbox_backlog=int(row["outbox_backlog"]) if seen else None,
        outbox_oldest_age_s=(
            float(row["outbox_oldest_age_s"]) if row["outbox_oldest_age_s"] is not None else None
        ),
    )


def _rings(store: Store, rows: Sequence[Any]) -> dict[str, str]:
    """The ring of each enabled terminal of ``rows`` in the active rollout (running, paused or halted).

    From the rollout's saved evaluation (kiosk.center.rollout_progress: each ring's cut in the order of the
    terminals' hashes), as the heartbeat's answer does, so a page costs no pass over the fleet; before the first
    heartbeat has saved one, from one assignment of the whole fleet for the page."""
    enabled = [row["id"] for row in rows if row["enabled"]]
    if not enabled:
        return {}
    active = rollout.latest(store)
    if active is None or active.state not in rollout.ACTIVE:
        return {}
    saved = rollout_progress.load(store, active.id)
    if saved is not None:
        found = {t: saved.ring_of(t, rollout.ring_hash(t), active.rings, active.pilot) for t in enabled}
        return {t: active.rings[index] for t, index in found.items() if index is not None}
    fleet = [row["id"] for row in store.query("SELECT id FROM terminals WHERE enabled = 1")]
    members = rollout.assign_rings(active.rings, active.pilot, active.min_per_ring, fleet)
    wanted = set(enabled)
    return {t: name for name, ring in zip(active.rings, members, strict=True) for t in ring if t in wanted}


def _distinct(store: Store, sql: str) -> tuple[str, ...]:
    """One column's distinct values, sorted here (the same order on both backends, whatever their collation)."""
    return tuple(sorted(str(row["v"]) for row in store.query(sql)))


def region_choices(store: Store) -> tuple[str, ...]:
    """Every region, and each region's parents as prefixes ending in "/" (广州市/ for 广州市/天河区)."""
    regions = set(_distinct(store, "SELECT DISTINCT region AS v FROM terminals WHERE region <> ''"))
    for region in list(regions):
        parts = region.split("/")
        regions.update("/".join(parts[:depth]) + "/" for depth in range(1, len(parts)))
    return tuple(sorted(regions))
