"""好差评 of a served ticket (一次一评): from the counter's pad, or later from the phone page of the ticket's QR code.

One rating per ticket, whichever comes first; it reaches the center as a ``rating`` record (docs/rating.md) about
the visit (``subject.kind = visit``, the ticket's id), which the center also takes once only.
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.hall.clock import iso
from kiosk.hall.errors import Refused
from kiosk.hall.tx import Tx
from kiosk.protocol.hall import rating_problem
from kiosk.protocol.models import RATING_CHANNEL, RATING_FORMAT


def rate(
    tx: Tx, ticket_id: str, level: int, reasons: list[str], comment: str, *, source: str
) -> dict[str, Any]:
    row = tx.conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    if row is None:
        raise Refused(404, "unknown_ticket", "没有这个号")
    if row["state"] != "finished":
        raise Refused(409, "not_finished", "业务办结后才能评价")
    if tx.conn.execute("SELECT 1 FROM ratings WHERE ticket = ?", (row["seq"],)).fetchone() is not None:
        raise Refused(409, "already_rated", "这个号已经评价过了，谢谢您")
    problem = rating_problem(level, reasons, comment)
    if problem is not None:
        raise Refused(422, "invalid", problem)
    tx.conn.execute(
        "INSERT INTO ratings (ticket, day, service, counter, staff_no, level, reasons, comment, source, rated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row["seq"],
            row["day"],
            row["queue_service"],
            row["counter"],
            row["staff_no"],
            level,
            json.dumps(reasons, ensure_ascii=False),
            comment,
            source,
            tx.now,
        ),
    )
    tx.event(
        "rating.given",
        {
            "ticket_id": row["id"],
            "number": row["label"],
            "counter": row["counter"],
            "level": level,
            "source": source,
        },
    )
    tx.record(
        "rating",
        {
            "format": RATING_FORMAT,
            "subject": {"kind": "visit", "id": row["id"]},
            "level": level,
            "reasons": reasons,
            "comment": comment,
            "indicators": {"overall": level},
            "channel": RATING_CHANNEL,
            "rated_at": iso(tx.now),
        },
    )
    return {"ticket_id": row["id"], "level": level, "rated_at": iso(tx.now)}
