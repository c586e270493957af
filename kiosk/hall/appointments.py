"""Appointments (网上预约) the center publishes on its ``appointments`` feed, as the hall keeps them.

A page of the feed is applied with its cursor in one transaction, by version (an older version never overwrites
a newer one), so a page fetched twice after a cut changes nothing the second time. The hall keeps the
appointments meant for it (``hall`` empty or its own code); a tombstone, or an appointment moved to another hall,
cancels it here. What it has keeps working while the center is away.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.hall.db import HallDb
from kiosk.protocol.hall import AppointmentData
from kiosk.protocol.models import FeedEntry

CURSOR = "appointments_cursor"


def apply_page(db: HallDb, entries: Sequence[FeedEntry], next_cursor: str, hall_code: str) -> int:
    """Apply a page and store its cursor; how many appointments changed."""
    changed = 0
    with db.write() as conn:
        for entry in entries:
            row = conn.execute("SELECT version FROM appointments WHERE code = ?", (entry.key,)).fetchone()
            if row is not None and row["version"] >= entry.version:
                continue
            data = None if entry.data is None else AppointmentData.model_validate(entry.data)
            if data is None or data.hall not in ("", hall_code):
                if row is not None:
                    conn.execute(
                        "UPDATE appointments SET cancelled = 1, version = ? WHERE code = ?",
                        (entry.version, entry.key),
                    )
                    changed += 1
                continue
            conn.execute(
                "INSERT INTO appointments (code, version, service, day, starts, ends, person_hash, person_salt, "
                "masked_name, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (code) DO UPDATE SET "
                "version = excluded.version, service = excluded.service, day = excluded.day, "
                "starts = excluded.starts, ends = excluded.ends, person_hash = excluded.person_hash, "
                "person_salt = excluded.person_salt, masked_name = excluded.masked_name, cancelled = 0",
                (
                    data.code,
                    entry.version,
                    data.service,
                    data.day.isoformat(),
                    data.starts,
                    data.ends,
                    data.person.hash,
                    data.person.salt,
                    data.person.masked_name,
                ),
            )
            changed += 1
        conn.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (CURSOR, next_cursor))
    return changed


def listed(db: HallDb, day: str | None = None) -> list[dict[str, object]]:
    sql = (
        "SELECT a.code, a.service, a.day, a.starts, a.ends, a.masked_name, a.cancelled, t.label "
        "FROM appointments a LEFT JOIN tickets t ON t.seq = a.ticket"
    )
    params: tuple[str, ...] = ()
    if day is not None:
        sql += " WHERE a.day = ?"
        params = (day,)
    return [
        {
            "code": row["code"],
            "service": row["service"],
            "day": row["day"],
            "window": f"{row['starts']}-{row['ends']}",
            "masked_name": row["masked_name"],
            "cancelled": bool(row["cancelled"]),
            "ticket": row["label"],
        }
        for row in db.rows(sql + " ORDER BY a.day, a.starts, a.code", params)
    ]
