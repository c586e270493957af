"""The fleet as the center sees it: what heartbeats report (crashes, updates, command results), terminal groups,
and choosing terminals for a command or a setting (docs/center.md, "Operations").

A report is stored once per terminal and report id, so a heartbeat sent again (its answer was lost) stores
nothing twice; a command is closed by the first result that arrives for it, later ones are kept in the results
table and change nothing. At most ``KEEP_PER_TERMINAL`` reports of each kind are kept per terminal.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from typing import Any, Final

from kiosk.center import fleet_state
from kiosk.center.db import Connection
from kiosk.center.store import Store, now_iso
from kiosk.protocol import Heartbeat

log = logging.getLogger(__name__)

KEEP_PER_TERMINAL: Final = 200
GROUP_PATTERN: Final = re.compile(r"[0-9A-Za-z_.\-\u4e00-\u9fff]{1,64}")
# What of a heartbeat stays on the terminal's row: everything but the reports, which go to their tables.
REPORT_FIELDS: Final = frozenset({"crashes", "updates", "command_results"})


class FleetError(ValueError):
    """An operator's request that names no terminal, an unknown one, or a malformed group."""


def record_heartbeat(store: Store, terminal_id: str, beat: Heartbeat) -> None:
    """Keep the heartbeat's state on the terminal's row and its reports in their tables, in one transaction."""
    state = beat.model_dump(mode="json", exclude=set(REPORT_FIELDS))
    received_at, received_unix = now_iso(), time.time()
    reports = bool(beat.crashes or beat.updates or beat.command_results)
    # Without reports (nearly every heartbeat) it writes only this terminal's own rows, each one upsert that
    # settles a race by itself: it need not queue for the center's one writer, nor wait for the disk (the state
    # comes again in a minute). Reports, sent once, go through the writer and wait for the disk.
    with store.transaction() if reports else store.db.unserialised_transaction() as db:
        if not reports:
            store.db.commit_without_waiting(db)
        store.save_heartbeat_in(db, terminal_id, state, received_at)
        fleet_state.record(db, terminal_id, beat, received_at, received_unix)
        for crash in beat.crashes:
            db.execute(
                "INSERT INTO crash_reports (terminal_id, report_id, at, version, role, what, exit_code, log_tail, "
                "received_at, received_unix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (terminal_id, report_id) DO NOTHING",
                (
                    terminal_id,
                    crash.id,
                    crash.at.isoformat(),
                    crash.version,
                    crash.role,
                    crash.what,
                    crash.exit_code,
                    crash.log_tail,
                    received_at,
                    received_unix,
                ),
            )
        for update in beat.updates:
            db.execute(
                "INSERT INTO update_reports (terminal_id, report_id, at, version, from_version, outcome, reason, "
                "received_at, received_unix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (terminal_id, report_id) DO NOTHING",
                (
                    terminal_id,
                    update.id,
                    update.at.isoformat(),
                    update.version,
                    update.from_version,
                    update.outcome,
                    update.reason,
                    received_at,
                    received_unix,
                ),
            )
        for result in beat.command_results:
            stored = db.execute(
                "INSERT INTO command_results (terminal_id, report_id, command_id, at, outcome, detail, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (terminal_id, report_id) DO NOTHING",
                (
                    terminal_id,
                    result.id,
                    result.command_id,
                    result.at.isoformat(),
                    result.outcome,
                    result.detail,
                    received_at,
                ),
            ).rowcount
            if stored:
                _close_command(db, terminal_id, result.command_id, result.outcome, result.detail, received_at)
        if reports:  # else nothing was added past what is kept
            for table in ("crash_reports", "update_reports", "command_results"):
                db.execute(
                    f"DELETE FROM {table} WHERE terminal_id = ? AND seq NOT IN "  # the names are the three above
                    f"(SELECT seq FROM {table} WHERE terminal_id = ? ORDER BY seq DESC LIMIT ?)",
                    (terminal_id, terminal_id, KEEP_PER_TERMINAL),
                )
    if reports:
        log.info(
            "terminal %s reported %d crashes, %d updates, %d command results",
            terminal_id,
            len(beat.crashes),
            len(beat.updates),
            len(beat.command_results),
        )


def _close_command(
    db: Connection, terminal_id: str, command_id: str, outcome: str, detail: str, at: str
) -> None:
    # Only this terminal's own command, and only while no result of the terminal's closed it: the first one does.
    # An expiry the center marked by its clock gives way to the terminal's result (it ran before it expired).
    closed = db.execute(
        "UPDATE commands SET state = ?, result_detail = ?, result_at = ?, closed_by = 'terminal' "
        "WHERE id = ? AND terminal_id = ? AND (state = 'pending' OR closed_by = 'center')",
        (outcome, detail, at, command_id, terminal_id),
    ).rowcount
    if not closed:
        log.info("result %s for command %s of %s changes nothing", outcome, command_id, terminal_id)


def reports(
    store: Store, table: str, terminal_id: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The latest reports of one kind (``crash_reports``, ``update_reports``, ``command_results``), newest first."""
    if table not in ("crash_reports", "update_reports", "command_results"):
        raise ValueError(f"no reports {table!r}")
    where, params = ("WHERE terminal_id = ?", [terminal_id]) if terminal_id else ("", [])
    rows = store.query(
        f"SELECT * FROM {table} {where} ORDER BY seq DESC LIMIT ?",  # the name is checked above
        (*params, limit),
    )
    return [{k: v for k, v in dict(row).items() if k not in ("seq", "received_unix")} for row in rows]


# --- groups ---------------------------------------------------------------------------------------------------


def set_group(store: Store, terminal_id: str, name: str | None) -> None:
    """Put a terminal in a group (one group a terminal), or out of any with None."""
    if store.terminal(terminal_id) is None:
        raise FleetError(f"no terminal {terminal_id}")
    with store.transaction() as db:
        if name is None:
            db.execute("DELETE FROM terminal_groups WHERE terminal_id = ?", (terminal_id,))
            return
        if not GROUP_PATTERN.fullmatch(name):
            raise FleetError(f"a group name is 1-64 letters, digits, Chinese characters or . _ -: {name!r}")
        db.execute(
            "INSERT INTO terminal_groups (terminal_id, name) VALUES (?, ?) "
            "ON CONFLICT (terminal_id) DO UPDATE SET name = excluded.name",
            (terminal_id, name),
        )


def groups(store: Store) -> dict[str, str]:
    """Terminal id → its group."""
    return {row["terminal_id"]: row["name"] for row in store.query("SELECT * FROM terminal_groups")}


def group_of(store: Store, terminal_id: str) -> str | None:
    rows = store.query("SELECT name FROM terminal_groups WHERE terminal_id = ?", (terminal_id,))
    return rows[0]["name"] if rows else None


def chosen_terminals(
    store: Store, *, terminals: Sequence[str] = (), group: str | None = None, everyone: bool = False
) -> list[str]:
    """The ids an operator chose: named terminals (each must exist), a group's members, or every enabled one."""
    if sum((bool(terminals), group is not None, everyone)) != 1:
        raise FleetError("choose the terminals with one of --terminal ID, --group NAME or --all")
    if terminals:
        unknown = [t for t in terminals if store.terminal(t) is None]
        if unknown:
            raise FleetError(f"no terminal {', '.join(unknown)} (see: kiosk center terminal list)")
        return list(dict.fromkeys(terminals))
    if group is not None:
        members = [
            row["terminal_id"]
            for row in store.query(
                "SELECT g.terminal_id FROM terminal_groups g JOIN terminals t ON t.id = g.terminal_id "
                "WHERE g.name = ? AND t.enabled = 1 ORDER BY g.terminal_id",
                (group,),
            )
        ]
        if not members:
            raise FleetError(
                f"no enabled terminal is in group {group!r} (kiosk center terminal group ID {group})"
            )
        return members
    return [t.terminal_id for t in store.terminals() if t.enabled]
