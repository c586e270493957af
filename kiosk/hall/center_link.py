"""The hall and the center: the hall is enrolled with the center like a terminal (``kiosk hall center-link``) and,
while it serves, a thread of its own pulls the ``appointments`` feed and delivers the hall's outbox (tickets,
calls, service times, ratings) through the center client, the terminal's own (signed requests, deadlines, size
limits, strict JSON).

A record leaves the outbox only when the center answered 201 for it; the center answers a record it has seen
with its first answer, so a record sent again after a cut (or after the hall was killed between the center's
answer and the hall's note of it) is stored once. A record the center refuses (409, 422) is kept aside with the
center's message and not sent again. The center away costs nothing but delay: the hall serves from what it has,
and the thread tries again with growing pauses (5 s doubling, up to the interval).
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.center_client import CenterClient, CenterError, RequestRefused
from kiosk.hall.appointments import CURSOR, apply_page
from kiosk.hall.clock import iso
from kiosk.hall.db import HallDb
from kiosk.hall.settings import load
from kiosk.protocol import OutboxRecord, secret_from_hex, secret_to_hex
from kiosk.protocol.hall import APPOINTMENTS_FEED

log = logging.getLogger(__name__)

BATCH = 200
PAGE = 500
MAX_PAGES = 100
INTERVAL_S = 30.0
_CREDENTIALS = ("center_url", "center_terminal_id", "center_secret", "center_algorithm")


@dataclass
class LinkReport:
    pulled: int = 0
    applied: int = 0
    pushed: int = 0
    acknowledged: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def save_credentials(db: HallDb, url: str, terminal_id: str, secret: bytes, algorithm: str) -> None:
    with db.write() as conn:
        for name, value in zip(
            _CREDENTIALS, (url.rstrip("/"), terminal_id, secret_to_hex(secret), algorithm), strict=True
        ):
            conn.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))


def linked(db: HallDb) -> bool:
    return all(db.meta(name) for name in _CREDENTIALS)


def client_for(db: HallDb, *, timeout: tuple[float, float] = (5.0, 30.0)) -> CenterClient:
    url, terminal_id, secret, algorithm = (db.meta(name) or "" for name in _CREDENTIALS)
    return CenterClient(
        url, terminal_id, secret_from_hex(secret), algorithm, timeout=timeout, user_agent="kiosk-hall"
    )


def pending_count(db: HallDb) -> int:
    return int(db.rows("SELECT COUNT(*) FROM outbox WHERE status IS NULL")[0][0])


def outbox_stats(db: HallDb) -> dict[str, int]:
    rows = db.rows("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    counts = {"pending": 0, "delivered": 0, "refused": 0}
    for status, count in rows:
        key = "pending" if status is None else "delivered" if status == 201 else "refused"
        counts[key] += count
    return counts


def run_once(db: HallDb, client_factory: Callable[[], CenterClient] | None = None) -> LinkReport:
    """Pull the appointments, deliver the outbox. Never raises: problems are in the report."""
    report = LinkReport()
    if not linked(db):
        report.errors.append("the hall is not enrolled with a center (kiosk hall center-link)")
        return report
    try:
        with (client_factory or (lambda: client_for(db)))() as client:
            _pull(db, client, report)
            _push(db, client, report)
    except CenterError as exc:
        report.errors.append(f"{exc.plain} ({exc.detail})")
        log.warning("center link: %s", exc.detail)
    except Exception as exc:  # a bug must not end the thread
        log.exception("center link cycle failed")
        report.errors.append(f"{type(exc).__name__}: {exc}")
    return report


def _pull(db: HallDb, client: CenterClient, report: LinkReport) -> None:
    hall_code = load(db).hall_code
    for _ in range(MAX_PAGES):
        cursor = db.meta(CURSOR, "") or ""
        page = client.pull(APPOINTMENTS_FEED, cursor, PAGE)
        report.pulled += len(page.entries)
        report.applied += apply_page(db, page.entries, page.next_cursor, hall_code)
        if not page.has_more:
            return


def _push(db: HallDb, client: CenterClient, report: LinkReport) -> None:
    while True:
        rows = db.rows(
            "SELECT id, idempotency_key, kind, created_at, body FROM outbox WHERE status IS NULL ORDER BY id LIMIT ?",
            (BATCH,),
        )
        if not rows:
            return
        records = [
            OutboxRecord(
                idempotency_key=row["idempotency_key"],
                kind=row["kind"],
                created_at=row["created_at"],
                body=json.loads(row["body"]),
            )
            for row in rows
        ]
        try:
            result = client.push(records)
            answers = [(r.status, r.error or "") for r in result.results]
        except RequestRefused as exc:
            if len(records) == 1:
                answers = [(422, f"{exc.status} {exc.error}")]
            else:  # one record spoils the batch: send them one by one, so the others go through
                answers = []
                for record in records:
                    try:
                        single = client.push([record]).results[0]
                        answers.append((single.status, single.error or ""))
                    except RequestRefused as one:
                        answers.append((422, f"{one.status} {one.error}"))
        report.pushed += len(records)
        with db.write() as conn:
            for row, (status, error) in zip(rows, answers, strict=True):
                conn.execute(
                    "UPDATE outbox SET status = ?, error = ?, delivered_at = ? WHERE id = ?",
                    (status, error or None, iso(db.now()) if status == 201 else None, row["id"]),
                )
                if status == 201:
                    report.acknowledged += 1
                else:
                    report.refused += 1
                    log.warning("the center refused record %s: %s %s", row["idempotency_key"], status, error)


class CenterLink:
    """The thread that keeps the hall and the center in step while the service runs."""

    def __init__(self, db: HallDb, interval_s: float = INTERVAL_S) -> None:
        self.db = db
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="center-link", daemon=True)
        self._thread.start()

    def trigger(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            if linked(self.db):
                report = run_once(self.db)
                failures = 0 if report.ok else failures + 1
            if failures:
                window = min(self.interval_s, 5.0 * 2 ** min(failures - 1, 8))
                pause = window / 2 + random.uniform(0, window / 2)
            else:
                pause = self.interval_s
            self._wake.wait(pause)
            self._wake.clear()
