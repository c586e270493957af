"""What needs an operator's attention now, from the fleet's state rows and recent crash reports
(docs/center.md, "Fleet state, history and alerts"; docs/operations.md, "Alerts").

An alert is worked out when asked, never stored: it appears with the heartbeat (or crash report) that shows it
and clears with the one that no longer does, or when the center's clock passes a threshold. Kinds:

- ``offline``: no heartbeat for longer than ``offline_after_s`` (a terminal never seen is counted, not alerted:
  it may not be installed yet);
- ``paper_low``, ``paper_out``, ``reader_fault`` (ID or social security card reader), ``device_fault`` (any other
  device not ok), each since the first heartbeat that showed it;
- ``backlog``: the outbox holds ``backlog_records`` or more, or its oldest record is ``backlog_age_s`` old;
- ``crash_loop``: ``crash_loop_count`` crashes or more (crash reports ``crashed`` or ``hung``) received within
  ``crash_loop_window_s``, or the terminal's own ``crash_loop`` report within it.

Disabled terminals raise none. The thresholds are kept in the database (``alert_thresholds``), changed by an
admin (``kiosk center alerts --set NAME=VALUE``, or the console), defaults where none was set.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Final

from kiosk.center.fleet_state import faults_from_json, region_clause
from kiosk.center.store import Store, now_iso

log = logging.getLogger(__name__)

KINDS: Final = ("offline", "paper_low", "paper_out", "reader_fault", "device_fault", "backlog", "crash_loop")
SEVERITIES: Final = ("critical", "warning")
_SEVERITY: Final = {
    "offline": "critical",
    "paper_out": "critical",
    "reader_fault": "critical",
    "crash_loop": "critical",
    "paper_low": "warning",
    "device_fault": "warning",
    "backlog": "warning",
}


class ThresholdError(ValueError):
    """A threshold an operator may not set; the message says what is allowed."""


@dataclass(frozen=True)
class AlertThresholds:
    offline_after_s: float = 1800
    backlog_records: int = 200
    backlog_age_s: float = 86400
    crash_loop_count: int = 3
    crash_loop_window_s: float = 600


# name → (lowest, highest, what it is) for checking what an operator sets.
LIMITS: Final = {
    "offline_after_s": (60, 30 * 86400, "seconds without a heartbeat before a terminal is reported offline"),
    "backlog_records": (1, 10_000_000, "records waiting in a terminal's outbox"),
    "backlog_age_s": (60, 365 * 86400, "age in seconds of the oldest record waiting in the outbox"),
    "crash_loop_count": (2, 1000, "crash reports within the window that make a crash loop"),
    "crash_loop_window_s": (60, 86400, "seconds the crash reports are counted over"),
}
WHOLE_NUMBERS: Final = frozenset({"backlog_records", "crash_loop_count"})


@dataclass(frozen=True)
class Threshold:
    """One threshold for showing: its value, whether an operator set it, who and when."""

    name: str
    value: float
    default: float
    meaning: str
    set_at: str | None
    set_by: str | None


@dataclass(frozen=True)
class Alert:
    kind: str
    severity: str  # critical | warning
    terminal_id: str
    name: str
    region: str
    unit: str
    since_unix: float | None
    detail: str  # in English words: "ticket printer: paper low", "250 records waiting, the oldest 3 h old"
    # The facts behind the detail, for saying it in another language: the device, its health and code (device
    # kinds); how many (records waiting, crash reports); how long (offline for, the oldest record's age, the
    # crash loop's window).
    device: str = ""
    health: str = ""
    code: str = ""
    count: int | None = None
    age_s: float | None = None
    reported_loop: bool = False  # crash_loop: the terminal's supervisor reported one itself


@dataclass(frozen=True)
class AlertSummary:
    """The alerts, and the enabled terminals never seen (counted, not alerts)."""

    alerts: tuple[Alert, ...]
    never_seen: int
    thresholds: AlertThresholds


def load_thresholds(store: Store) -> AlertThresholds:
    """The thresholds in force: the database's, defaults for the rest."""
    found: dict[str, Any] = {}
    for row in store.query("SELECT name, value FROM alert_thresholds"):
        if row["name"] in LIMITS:
            value = float(row["value"])
            found[row["name"]] = int(value) if row["name"] in WHOLE_NUMBERS else value
    return replace(AlertThresholds(), **found)


def thresholds(store: Store) -> tuple[Threshold, ...]:
    """Every threshold with its value, default and who set it, for listing."""
    rows = {row["name"]: row for row in store.query("SELECT * FROM alert_thresholds")}
    defaults = AlertThresholds()
    shown = []
    for field in fields(AlertThresholds):
        row = rows.get(field.name)
        default = float(getattr(defaults, field.name))
        shown.append(
            Threshold(
                field.name,
                float(row["value"]) if row else default,
                default,
                LIMITS[field.name][2],
                row["set_at"] if row else None,
                row["set_by"] if row else None,
            )
        )
    return tuple(shown)


def parse_setting(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` → (name, value text)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise ThresholdError(f"write a threshold as NAME=VALUE, e.g. offline_after_s=3600 (not {text!r})")
    return name.strip(), value.strip()


def check_threshold(name: str, value: str) -> float | None:
    """The number ``value`` sets ``name`` to (None: ``default``); :class:`ThresholdError` when not allowed."""
    if name not in LIMITS:
        raise ThresholdError(f"no threshold {name!r}: one of {', '.join(LIMITS)}")
    if value == "default":
        return None
    low, high, meaning = LIMITS[name]
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or (name in WHOLE_NUMBERS and number != int(number)):
        kind = "a whole number" if name in WHOLE_NUMBERS else "a number"
        raise ThresholdError(f"{name} is {kind} ({meaning}), not {value!r}")
    if not low <= number <= high:
        raise ThresholdError(
            f"{name} is from {number_text(low)} to {number_text(high)} ({meaning}); {value} is outside"
        )
    return number


def set_thresholds(store: Store, values: Mapping[str, str], by: str) -> tuple[Threshold, ...]:
    """Set thresholds (``default`` puts one back to its default), all or none: each is checked first
    (:class:`ThresholdError`); the thresholds as they now stand."""
    numbers = {name: check_threshold(name, value) for name, value in values.items()}
    at = now_iso()
    with store.transaction() as db:
        for name, number in numbers.items():
            if number is None:
                db.execute("DELETE FROM alert_thresholds WHERE name = ?", (name,))
            else:
                db.execute(
                    "INSERT INTO alert_thresholds (name, value, set_at, set_by) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value, set_at = excluded.set_at, "
                    "set_by = excluded.set_by",
                    (name, number, at, by),
                )
    log.info("alert thresholds set by %s: %s", by, ", ".join(f"{n}={v}" for n, v in values.items()))
    return tuple(t for t in thresholds(store) if t.name in numbers)


def current_alerts(
    store: Store, now: float | None = None, *, region: str = "", kind: str = ""
) -> tuple[Alert, ...]:
    """Every alert now, critical first, then the longest-standing; ``region`` as the fleet filter's."""
    return alert_summary(store, now, region=region, kind=kind).alerts


def alert_summary(
    store: Store, now: float | None = None, *, region: str = "", kind: str = ""
) -> AlertSummary:
    """The alerts (optionally of one ``kind`` and ``region``) and how many enabled terminals were never seen."""
    if kind and kind not in KINDS:
        raise ValueError(f"no alert kind {kind!r}: one of {', '.join(KINDS)}")
    now = time.time() if now is None else now
    limits = load_thresholds(store)
    where, params = ["t.enabled = 1"], []
    if region.strip():
        clause, values = region_clause(region)
        where.append(clause)
        params += values
    scope = " AND ".join(where)
    alerts: list[Alert] = []

    def add(row: Any, kind_: str, since: float | None, detail: str, **facts: Any) -> None:
        if not kind or kind == kind_:
            alerts.append(
                Alert(
                    kind_,
                    _SEVERITY[kind_],
                    row["id"],
                    row["name"],
                    row["region"],
                    row["unit"],
                    since,
                    detail,
                    **facts,
                )
            )

    columns = (
        "t.id, t.name, t.region, t.unit, s.faults, s.outbox_backlog, s.outbox_oldest_age_s, s.heartbeat_unix"
    )
    # Offline, device faults and backlog, in one pass over the few rows that show any of them (indexed columns).
    for row in store.query(
        f"SELECT {columns} FROM fleet_state s JOIN terminals t ON t.id = s.terminal_id WHERE {scope} AND "
        "(s.heartbeat_unix < ? OR s.fault_count > 0 OR s.outbox_backlog >= ? OR s.outbox_oldest_age_s >= ?)",
        (*params, now - limits.offline_after_s, limits.backlog_records, limits.backlog_age_s),
    ):
        last = float(row["heartbeat_unix"])
        if last < now - limits.offline_after_s:
            add(row, "offline", last, f"no heartbeat for {duration(now - last)}", age_s=now - last)
        for fault in faults_from_json(row["faults"]):
            add(
                row,
                fault.kind,
                fault.since_unix,
                fault.words,
                device=fault.device,
                health=fault.health,
                code=fault.code,
            )
        backlog, oldest = int(row["outbox_backlog"]), row["outbox_oldest_age_s"]
        if backlog >= limits.backlog_records or (
            oldest is not None and float(oldest) >= limits.backlog_age_s
        ):
            detail = f"{backlog} records waiting"
            if oldest is not None:
                detail += f", the oldest {duration(float(oldest))} old"
            add(
                row,
                "backlog",
                last - float(oldest) if oldest is not None else None,
                detail,
                count=backlog,
                age_s=float(oldest) if oldest is not None else None,
            )
    # Crashes (crashed, hung) within the window, or the supervisor's own verdict (a crash_loop report: it saw three
    # crashes in ten minutes and took the terminal out of service or back to the previous version).
    crashes = "sum(CASE WHEN c.what = 'crash_loop' THEN 0 ELSE 1 END)"
    verdicts = "sum(CASE WHEN c.what = 'crash_loop' THEN 1 ELSE 0 END)"
    for row in store.query(
        f"SELECT t.id, t.name, t.region, t.unit, {crashes} AS n, {verdicts} AS loops, "
        "min(c.received_unix) AS since "
        f"FROM crash_reports c JOIN terminals t ON t.id = c.terminal_id WHERE c.received_unix >= ? AND {scope} "
        f"GROUP BY t.id, t.name, t.region, t.unit HAVING {crashes} >= ? OR {verdicts} > 0",
        (now - limits.crash_loop_window_s, *params, limits.crash_loop_count),
    ):
        count, reported = int(row["n"] or 0), bool(int(row["loops"] or 0))
        detail = f"{count} crashes in {duration(limits.crash_loop_window_s)}"
        if reported:
            detail += "; the terminal reported a crash loop"
        add(
            row,
            "crash_loop",
            float(row["since"]),
            detail,
            count=count,
            age_s=float(limits.crash_loop_window_s),
            reported_loop=reported,
        )
    never = store.query(
        f"SELECT count(*) AS n FROM terminals t LEFT JOIN fleet_state s ON s.terminal_id = t.id "
        f"WHERE {scope} AND s.terminal_id IS NULL",
        params,
    )[0]["n"]
    alerts.sort(
        key=lambda a: (
            SEVERITIES.index(a.severity),
            a.since_unix if a.since_unix is not None else now,
            a.terminal_id,
        )
    )
    return AlertSummary(tuple(alerts), int(never or 0), limits)


def number_text(value: float) -> str:
    """A threshold as people write it: 3600, not 3600.0 or 3.6e+03."""
    return str(int(value)) if float(value).is_integer() else str(value)


def duration(seconds: float) -> str:
    """A span in an operator's words: 45 s, 12 min, 3 h 5 min, 2 d 4 h."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"
