"""One change of hall state in progress: the transaction, the moment and day it happens at, who asked, and the
three things every change writes with it (in the same transaction): the ticket's history (``ticket_actions``,
what the report counts), the event displays and counters receive, and the record the center receives."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from kiosk.hall import layout
from kiosk.hall.clock import business_day, iso
from kiosk.hall.db import HallDb
from kiosk.hall.settings import HallSettings
from kiosk.protocol.canonical import canonical_json


@dataclass
class Tx:
    db: HallDb
    conn: sqlite3.Connection
    now: float
    settings: HallSettings
    terminal_id: str = ""  # who asked ("" for the hall itself or an operator's command)
    base_url: str = ""  # how the asker reached the hall (phone pages' links when no public_url is set)
    _services: dict[str, layout.Service] | None = field(default=None, repr=False)

    @cached_property
    def day(self) -> date:
        return business_day(self.now, self.settings.reset_hour)

    @property
    def day_text(self) -> str:
        return self.day.isoformat()

    def services(self) -> dict[str, layout.Service]:
        if self._services is None:
            self._services = {s.code: s for s in layout.services(self.conn)}
        return self._services

    def public_base(self) -> str:
        return self.settings.public_url or self.base_url.rstrip("/")

    # -- what every change writes -------------------------------------------------------------------------

    def event(self, type_: str, data: dict[str, Any]) -> int:
        return self.db.append_event(self.conn, type_, data, self.now)

    def action(
        self,
        ticket: sqlite3.Row,
        action: str,
        *,
        counter: int | None = None,
        staff_no: str | None = None,
        detail: str = "",
        service: str | None = None,
    ) -> None:
        self.conn.execute(
            "INSERT INTO ticket_actions (ticket, day, at, action, service, counter, staff_no, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ticket["seq"],
                ticket["day"],
                self.now,
                action,
                service or ticket["queue_service"],
                counter,
                staff_no,
                detail,
            ),
        )

    def record(self, kind: str, body: dict[str, Any]) -> None:
        """A record for the center (``ticket``, ``event`` or ``rating``), delivered once by the outbox."""
        self.conn.execute(
            "INSERT INTO outbox (idempotency_key, kind, created_at, body) VALUES (?, ?, ?, ?)",
            (f"hall:{secrets.token_hex(16)}", kind, iso(self.now), canonical_json(body).decode("utf-8")),
        )

    def waiting_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.services(), 0)
        for row in self.conn.execute(
            "SELECT queue_service, COUNT(*) FROM tickets WHERE day = ? AND state = 'waiting' GROUP BY queue_service",
            (self.day_text,),
        ):
            counts[row[0]] = row[1]
        return counts
