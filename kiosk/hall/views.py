"""The hall's state as terminals see it (``kiosk.protocol.hall`` answers), built from the rows of one
transaction: tickets, counters, services, recent calls, and the whole hall at one event sequence number."""

from __future__ import annotations

import math
import sqlite3
from typing import Any

from kiosk.hall import layout
from kiosk.hall.clock import clock_time, iso
from kiosk.hall.ordering import APPOINTMENT, GREEN, Waiting, lane, queue_order
from kiosk.hall.tx import Tx

RECENT_CALLS = 10
COUNTER_NO_SHOWS = 10  # a counter's latest no-shows it lists to put back (an older one: by its number)


def waiting_of(row: sqlite3.Row) -> Waiting:
    return Waiting(
        seq=row["seq"],
        service=row["queue_service"],
        priority=row["priority"],
        queue_at=row["queue_at"],
        window_starts=row["window_starts"],
        target_counter=row["target_counter"],
    )


def ahead_of(tx: Tx, row: sqlite3.Row) -> int:
    """How many of the same queue will be called before this waiting ticket (weights left aside): the order of
    ``kiosk.hall.ordering.queue_order``, counted in SQL (a queue may hold thousands)."""
    lane_0 = "(priority = 'appointment' AND window_starts IS NOT NULL AND window_starts <= :now)"
    lane_1 = "(priority = 'green')"
    which = lane(waiting_of(row), tx.now)
    if which == APPOINTMENT:
        before = f"{lane_0} AND (window_starts, queue_at, seq) < (:window, :queue_at, :seq)"
    elif which == GREEN:
        before = f"({lane_0} OR ({lane_1} AND (queue_at, seq) < (:queue_at, :seq)))"
    else:
        before = f"({lane_0} OR {lane_1} OR (queue_at, seq) < (:queue_at, :seq))"
    return int(
        tx.conn.execute(
            "SELECT COUNT(*) FROM tickets WHERE day = :day AND state = 'waiting' AND queue_service = :service "
            f"AND seq != :seq AND {before}",
            {
                "now": tx.now,
                "day": row["day"],
                "service": row["queue_service"],
                "seq": row["seq"],
                "queue_at": row["queue_at"],
                "window": row["window_starts"],
            },
        ).fetchone()[0]
    )


def ticket_view(tx: Tx, row: sqlite3.Row, *, ahead: int | None = None) -> dict[str, Any]:
    services = tx.services()
    service = services.get(row["queue_service"])
    counter_name = ""
    if row["counter"] is not None:
        found = tx.conn.execute("SELECT name FROM counters WHERE number = ?", (row["counter"],)).fetchone()
        counter_name = found["name"] if found else f"{row['counter']}号窗口"
    rated = (
        row["state"] == "finished"
        and tx.conn.execute("SELECT 1 FROM ratings WHERE ticket = ?", (row["seq"],)).fetchone() is not None
    )
    base = tx.public_base()
    return {
        "id": row["id"],
        "number": row["label"],
        "service": row["queue_service"],
        "service_name": service.name if service else row["queue_service"],
        "day": row["day"],
        "state": row["state"],
        "priority": row["priority"],
        "priority_reason": row["priority_reason"],
        "taken_at": iso(row["taken_at"]),
        "called_at": iso(row["called_at"]) if row["called_at"] is not None else None,
        "counter": row["counter"],
        "counter_name": counter_name,
        "call_count": row["call_count"],
        "waiting_ahead": ahead if row["state"] == "waiting" else None,
        "to_counter": row["target_counter"] if row["state"] == "waiting" else None,
        "masked_name": row["masked_name"],
        "follow_url": f"{base}/t/{row['token']}" if base else f"/t/{row['token']}",
        "rated": rated,
    }


def ticket_row(tx: Tx, seq: int) -> sqlite3.Row:
    row = tx.conn.execute("SELECT * FROM tickets WHERE seq = ?", (seq,)).fetchone()
    assert row is not None
    return row


def mean_service_s(tx: Tx, service: str) -> float:
    row = tx.conn.execute(
        "SELECT AVG(finished_at - called_at) FROM tickets WHERE day = ? AND queue_service = ? AND state = 'finished'",
        (tx.day_text, service),
    ).fetchone()
    measured = row[0] if row and row[0] is not None else None
    return float(measured) if measured is not None else tx.settings.default_service_min * 60.0


def serving_counters(tx: Tx, service: str) -> list[int]:
    return [
        row[0]
        for row in tx.conn.execute(
            "SELECT counter FROM counter_services WHERE service = ? ORDER BY counter", (service,)
        )
    ]


def estimated_wait_min(tx: Tx, service: str, ahead: int) -> int:
    """People ahead × today's mean service time ÷ the open counters serving the service, in whole minutes."""
    counters = tx.conn.execute(
        "SELECT COUNT(*) FROM counters c JOIN counter_services s ON s.counter = c.number "
        "WHERE s.service = ? AND c.state = 'open'",
        (service,),
    ).fetchone()[0]
    return math.ceil(ahead * mean_service_s(tx, service) / max(1, counters) / 60)


def is_open(service: layout.Service, now: float) -> bool:
    if not service.opens:
        return True
    return service.opens <= clock_time(now) < service.closes


def service_views(tx: Tx) -> list[dict[str, Any]]:
    waiting = tx.waiting_counts()
    issued = {
        row["service"]: row["issued"]
        for row in tx.conn.execute("SELECT service, issued FROM day_numbers WHERE day = ?", (tx.day_text,))
    }
    views = []
    for service in tx.services().values():
        taken = issued.get(service.code, 0)
        views.append(
            {
                "code": service.code,
                "prefix": service.prefix,
                "name": service.name,
                "waiting": waiting.get(service.code, 0),
                "estimated_wait_min": estimated_wait_min(tx, service.code, waiting.get(service.code, 0)),
                "open_now": is_open(service, tx.now),
                "hours": service.hours,
                "real_name": service.real_name,
                "counters": serving_counters(tx, service.code),
                "taken_today": taken,
                "left_today": max(0, service.daily_cap - taken),
            }
        )
    return views


def counter_view(tx: Tx, counter: layout.Counter) -> dict[str, Any]:
    staff_name = staff_photo = ""
    if counter.staff_no:
        row = tx.conn.execute(
            "SELECT s.name, p.digest FROM staff s LEFT JOIN staff_photos p ON p.staff_no = s.staff_no "
            "WHERE s.staff_no = ?",
            (counter.staff_no,),
        ).fetchone()
        staff_name = row["name"] if row else ""
        staff_photo = (row["digest"] or "") if row else ""
    current = None
    if counter.current_ticket is not None:
        current = ticket_view(tx, ticket_row(tx, counter.current_ticket))
    held = [
        ticket_view(tx, row)
        for row in tx.conn.execute(
            "SELECT * FROM tickets WHERE day = ? AND state = 'held' AND counter = ? ORDER BY seq",
            (tx.day_text, counter.number),
        )
    ]
    counts = dict(
        tx.conn.execute(
            "SELECT action, COUNT(*) FROM ticket_actions WHERE day = ? AND counter = ? "
            "AND action IN ('finished', 'no_show') GROUP BY action",
            (tx.day_text, counter.number),
        ).fetchall()
    )
    no_shows = [
        ticket_view(tx, row)
        for row in tx.conn.execute(
            "SELECT * FROM tickets WHERE day = ? AND state = 'no_show' AND counter = ? ORDER BY called_at DESC, "
            "seq DESC LIMIT ?",
            (tx.day_text, counter.number, COUNTER_NO_SHOWS),
        )
    ]
    mean = tx.conn.execute(
        "SELECT AVG(finished_at - called_at) FROM tickets WHERE day = ? AND state = 'finished' AND counter = ?",
        (tx.day_text, counter.number),
    ).fetchone()[0]
    return {
        "number": counter.number,
        "name": counter.name,
        "state": counter.state,
        "staff_no": counter.staff_no,
        "staff_name": staff_name,
        "staff_photo": staff_photo,
        "services": [{"service": code, "weight": weight} for code, weight in counter.services],
        "current": current,
        "held": held,
        "served_today": counts.get("finished", 0),
        "no_shows_today": counts.get("no_show", 0),
        "service_mean_s_today": round(float(mean), 1) if mean is not None else None,
        "no_shows": no_shows,
    }


def counter_view_of(tx: Tx, number: int) -> dict[str, Any]:
    counter = layout.counter(tx.conn, number)
    assert counter is not None
    return counter_view(tx, counter)


def recent_calls(tx: Tx, limit: int = RECENT_CALLS) -> list[dict[str, Any]]:
    rows = tx.conn.execute(
        "SELECT a.at, a.action, a.counter, t.label, t.queue_service, c.name AS counter_name "
        "FROM ticket_actions a JOIN tickets t ON t.seq = a.ticket LEFT JOIN counters c ON c.number = a.counter "
        "WHERE a.day = ? AND a.action IN ('called', 'recalled') ORDER BY a.id DESC LIMIT ?",
        (tx.day_text, limit),
    ).fetchall()
    return [
        {
            "number": row["label"],
            "service": row["queue_service"],
            "counter": row["counter"],
            "counter_name": row["counter_name"] or f"{row['counter']}号窗口",
            "at": iso(row["at"]),
            "recall": row["action"] == "recalled",
        }
        for row in rows
    ]


def waiting_views(tx: Tx) -> list[dict[str, Any]]:
    rows = tx.conn.execute(
        "SELECT * FROM tickets WHERE day = ? AND state = 'waiting' ORDER BY seq", (tx.day_text,)
    ).fetchall()
    by_service: dict[str, list[sqlite3.Row]] = {}
    for row in rows:
        by_service.setdefault(row["queue_service"], []).append(row)
    views: list[dict[str, Any]] = []
    for service_rows in by_service.values():
        order = queue_order([waiting_of(r) for r in service_rows], tx.now)
        ahead = {t.seq: index for index, t in enumerate(order)}
        views.extend(ticket_view(tx, row, ahead=ahead[row["seq"]]) for row in service_rows)
    views.sort(key=lambda v: (v["service"], v["waiting_ahead"]))
    return views


def hall_state(tx: Tx, seq: int) -> dict[str, Any]:
    return {
        "seq": seq,
        "day": tx.day_text,
        "hall_name": tx.settings.hall_name,
        "services": service_views(tx),
        "counters": [counter_view(tx, c) for c in layout.counters(tx.conn)],
        "waiting": waiting_views(tx),
        "recent_calls": recent_calls(tx),
    }
