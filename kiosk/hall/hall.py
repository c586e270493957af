"""The hall's queue service as one object over its database: what the HTTP API, the command line and the tests
call. Each request that changes something runs through :meth:`Hall.perform`, which makes it idempotent: the
answer is stored with the change, under the asker's ``request_id``, in the same transaction."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from kiosk.hall import settings as hall_settings
from kiosk.hall.clock import business_day, iso
from kiosk.hall.db import HallDb
from kiosk.hall.errors import Refused
from kiosk.hall.tx import Tx
from kiosk.hall.views import hall_state, ticket_view

log = logging.getLogger(__name__)

REQUESTS_KEEP_S = 2 * 86_400  # a retry comes within seconds; two days cover a client that was off overnight
PRUNE_EVERY_S = 600.0


def fingerprint(method: str, path: str, body: Any) -> str:
    """What "the same request" compares: the method, the path and the body (canonical JSON)."""
    text = json.dumps([method, path, body], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Hall:
    def __init__(self, db: HallDb) -> None:
        self.db = db
        self._pruned_at = 0.0
        self._settings: tuple[tuple[int, int], hall_settings.HallSettings] | None = None
        hall_settings.ensure_identity(db)

    def settings(self) -> hall_settings.HallSettings:
        """The hall's settings, read again when they may have changed: set through this database object, or
        anything written by another process (``kiosk hall config set`` beside the running service)."""
        key = (self.db.meta_changes, self.db.data_version())
        cached = self._settings
        if cached is None or cached[0] != key:
            cached = (key, hall_settings.load(self.db))
            self._settings = cached
        return cached[1]

    def tx(self, conn: Any, *, terminal_id: str = "", base_url: str = "") -> Tx:
        return Tx(self.db, conn, self.db.now(), self.settings(), terminal_id, base_url)

    def perform(
        self,
        terminal_id: str,
        request_id: str,
        print_: str,
        operation: Callable[[Tx], dict[str, Any]],
        *,
        base_url: str = "",
    ) -> tuple[int, dict[str, Any]]:
        """Run ``operation`` once per (terminal, request id): a repeat gets the stored answer, a different
        request under a used id gets 409 ``request_id_reused``. Refusals are answers too (stored, repeated)."""
        with self.db.write() as conn:
            seen = conn.execute(
                "SELECT fingerprint, status, answer FROM requests WHERE terminal_id = ? AND request_id = ?",
                (terminal_id, request_id),
            ).fetchone()
            if seen is not None:
                if seen["fingerprint"] != print_:
                    return 409, Refused(
                        409, "request_id_reused", "请求编号已用于另一个请求（请为每个新请求取新的编号）"
                    ).body()
                return int(seen["status"]), json.loads(seen["answer"])
            tx = self.tx(conn, terminal_id=terminal_id, base_url=base_url)
            conn.execute("SAVEPOINT operation")
            try:
                answer, status = operation(tx), 200
            except Refused as refused:
                if not refused.keep_changes:
                    conn.execute("ROLLBACK TO operation")
                answer, status = refused.body(), refused.status
            conn.execute("RELEASE operation")
            conn.execute(
                "INSERT INTO requests (terminal_id, request_id, fingerprint, status, answer, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (terminal_id, request_id, print_, status, json.dumps(answer, ensure_ascii=False), tx.now),
            )
        return status, answer

    def change(self, operation: Callable[[Tx], Any], *, base_url: str = "") -> Any:
        """Run ``operation`` in one write transaction without request idempotency (the hall's own changes, the
        phone page's rating, an operator's command); :class:`Refused` rolls it back and is raised."""
        with self.db.write() as conn:
            return operation(self.tx(conn, base_url=base_url))

    # -- reads ----------------------------------------------------------------------------------------------

    def state(self, *, base_url: str = "") -> dict[str, Any]:
        """The whole hall and the sequence number of the last event it reflects (one consistent read)."""
        with self.db.read() as conn:
            seq_row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
            return hall_state(self.tx(conn, base_url=base_url), int(seq_row[0]) if seq_row else 0)

    def tickets(self, day: str | None = None, *, base_url: str = "") -> dict[str, Any]:
        with self.db.read() as conn:
            tx = self.tx(conn, base_url=base_url)
            wanted = day or tx.day_text
            rows = conn.execute("SELECT * FROM tickets WHERE day = ? ORDER BY seq", (wanted,)).fetchall()
            return {"day": wanted, "tickets": [ticket_view(tx, row) for row in rows]}

    def ticket(self, ticket_id: str, *, base_url: str = "") -> dict[str, Any] | None:
        from kiosk.hall.views import ahead_of

        with self.db.read() as conn:
            tx = self.tx(conn, base_url=base_url)
            row = conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
            if row is None:
                return None
            return ticket_view(tx, row, ahead=ahead_of(tx, row) if row["state"] == "waiting" else None)

    def ticket_by_token(self, token: str, *, base_url: str = "") -> dict[str, Any] | None:
        rows = self.db.rows("SELECT id FROM tickets WHERE token = ?", (token,))
        return self.ticket(rows[0]["id"], base_url=base_url) if rows else None

    def events_after(self, seq: int, limit: int = 500) -> list[dict[str, Any]]:
        rows = self.db.rows(
            "SELECT seq, at, type, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        )
        return [
            {"seq": row["seq"], "type": row["type"], "at": iso(row["at"]), "data": json.loads(row["data"])}
            for row in rows
        ]

    def oldest_event(self) -> int:
        rows = self.db.rows("SELECT MIN(seq) FROM events")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    # -- housekeeping ---------------------------------------------------------------------------------------

    def tick(self) -> None:
        """Start a new business day when its reset hour has passed (``day.started``: counts back to zero, the
        counters' tickets of the day before let go) and forget what is kept no longer (old events, stored answers). Run every few seconds by the service, and by commands that open the hall."""
        now = self.db.now()
        current = self.settings()
        day = business_day(now, current.reset_hour).isoformat()
        if self.db.meta("current_day") != day:

            def start_day(tx: Tx) -> None:
                if tx.db.meta("current_day") == day:  # (read again under the lock: one start a day)
                    return
                tx.conn.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('current_day', ?)", (day,))
                tx.conn.execute("UPDATE counters SET current_ticket = NULL")
                tx.event("day.started", {"day": day, "waiting": tx.waiting_counts()})

            self.change(start_day)
            log.info("business day %s started", day)
        if now - self._pruned_at < PRUNE_EVERY_S:
            return
        self._pruned_at = now
        keep_events = now - current.events_keep_days * 86_400
        with self.db.write() as conn:
            conn.execute(
                "DELETE FROM events WHERE at < ? AND seq < (SELECT MAX(seq) FROM events)", (keep_events,)
            )
            conn.execute("DELETE FROM requests WHERE at < ?", (now - REQUESTS_KEEP_S,))
