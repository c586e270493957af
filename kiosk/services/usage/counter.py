"""Anonymous usage counted on the terminal (docs/usage.md): events and time, per period, kept in the terminal's
database through its one serialised writer, each closed period sent as one outbox record.

Nothing here knows a citizen: an event is a metric and a key (a code, a level, a scrubbed search text), and a count
per period is all that is kept. The UI calls :mod:`kiosk.services.usage.events` where things happen; every call
returns at once (the write is queued on the writer). A clock (every role's window starts one: a minute's tick)
credits the time between two ticks to the period it fell in, as running, online, in service, within opening hours
and available; a gap longer than a few ticks is time the program was not running and is credited to nothing.

A period is closed at the first tick after it ended (and at start-up, for what the last run left): its counts
become one record of kind ``usage`` whose idempotency key is the terminal's id and the period, written in the same
transaction that deletes them, so a crash leaves either the counts or the record and a resend is the same record.
An event whose period was already closed (a slow write at the turn of the hour) is counted in the open period.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.protocol.usage import (
    AVAILABLE_S,
    IN_SERVICE_S,
    METRICS,
    ONLINE_S,
    OPEN_RUNNING_S,
    RUNNING_S,
    SEARCH_EMPTY,
    SESSION,
    USAGE_FORMAT,
    OpeningHours,
    OpeningHoursError,
    scrub_search_text,
)
from kiosk.store import usage as store

if TYPE_CHECKING:
    from kiosk.services.background import Background
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)

PERIOD_S = 3600  # one hour: a closed period is one record
TICK_S = 60  # how often the clock ticks
GAP_S = 3 * TICK_S  # more than this between ticks: the program was stopped (or hung), not running


@dataclass(frozen=True)
class Tick:
    """What was true when the clock ticked."""

    online: bool  # the center was reachable at the last try (the sync engine's status)
    in_service: bool  # not 暂停服务 (kiosk.ops.service_state)


class UsageCounter:
    """Counts events and time for one terminal; every method but the ``*_now`` ones returns at once."""

    def __init__(
        self,
        terminal: Callable[[], Terminal],
        background: Background,
        *,
        role: str,
        opening_hours: str,
        clock: Callable[[], float] = time.time,
        period_s: int = PERIOD_S,
    ) -> None:
        """``terminal`` gives the opened terminal (a LazyTerminal's ``open``), called on the writer only."""
        if 86400 % period_s:
            raise ValueError("a period must divide a day")
        self._terminal = terminal
        self._background = background
        self.role = role
        try:
            self.hours = OpeningHours.parse(opening_hours)
        except OpeningHoursError as exc:
            log.error("opening_hours %r cannot be read (%s): counting 00:00-24:00", opening_hours, exc)
            self.hours = OpeningHours.parse("00:00-24:00")
        self._clock = clock
        self.period_s = period_s
        self._searched: set[str] = set()  # texts counted in this session (a session's typing counts once)
        self._lock = threading.Lock()

    # --- events (any thread) ---------------------------------------------------------------------------------

    def record(self, metric: str, key: str = "") -> Future[None] | None:
        if metric not in METRICS:
            raise ValueError(f"unknown usage metric {metric!r}")
        return self._background.write(self._add_now, metric, key, 1, self._clock())

    def session_started(self) -> Future[None] | None:
        with self._lock:
            self._searched.clear()
        return self.record(SESSION)

    def search_found_nothing(self, text: str) -> Future[None] | None:
        """A search the citizen left with no result: its scrubbed text, once per session."""
        scrubbed = scrub_search_text(text)
        with self._lock:
            if not scrubbed or scrubbed in self._searched:
                return None
            self._searched.add(scrubbed)
        return self.record(SEARCH_EMPTY, scrubbed)

    def tick(self, online: bool) -> Future[int]:
        """Credit the time since the last tick and close the periods that ended; the number closed. Whether
        the terminal is in service is read on the writer (a small file), never on the caller's thread."""
        return self._background.write(self._tick_here, online, self._clock())

    def _tick_here(self, online: bool, now: float) -> int:
        from kiosk.ops.service_state import out_of_service

        terminal = self._terminal()
        in_service = out_of_service(terminal.settings.data_dir) is None
        return self.tick_now(Tick(online=online, in_service=in_service), now)

    # --- on the writer ---------------------------------------------------------------------------------------

    def period_of(self, at: float) -> int:
        """The start (Unix seconds) of the period ``at`` falls in, periods counted from local midnight."""
        local = datetime.fromtimestamp(at).astimezone()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        into = (local - midnight).total_seconds()
        return int((midnight + timedelta(seconds=into - into % self.period_s)).timestamp())

    def _add_now(self, metric: str, key: str, value: float, at: float) -> None:
        terminal = self._terminal()
        with terminal.database.transaction() as conn:
            closed = store.state(conn, store.CLOSED_UNTIL) or 0.0
            store.add(conn, self.period_of(max(at, closed)), [(metric, key, value)])

    def tick_now(self, state: Tick, now: float) -> int:
        terminal = self._terminal()
        with terminal.database.transaction() as conn:
            last = store.state(conn, store.LAST_TICK)
            if last is not None and 0 < now - last <= GAP_S:
                self._credit(conn, last, now, state)
            store.set_state(conn, store.LAST_TICK, now)
        return self.close_now(now)

    def close_now(self, now: float) -> int:
        """Close every period that ended by ``now``: one outbox record each, its counts deleted."""
        terminal = self._terminal()
        current = self.period_of(now)
        closed = 0
        with terminal.database.transaction() as conn:
            for period in store.periods_before(conn, current):
                body = self.body(period, store.counts(conn, period))
                terminal.outbox.add(conn, "usage", body, personal=False, key_suffix=f"usage:{period}")
                store.drop(conn, period)
                closed += 1
            if closed or (store.state(conn, store.CLOSED_UNTIL) or 0) < current:
                store.set_state(conn, store.CLOSED_UNTIL, float(current))
        if closed:
            log.info("usage: %d period(s) closed into the outbox", closed)
        return closed

    def body(self, period: int, counts: list[tuple[str, str, float]]) -> dict[str, Any]:
        start = datetime.fromtimestamp(period).astimezone()
        return {
            "format": USAGE_FORMAT,
            "role": self.role,
            "period_start": start.isoformat(timespec="seconds"),
            "period_s": self.period_s,
            "opening_hours": self.hours.text,
            "counts": [
                {"metric": m, "key": k, "value": round(v, 3) if m.endswith("_s") else int(v)}
                for m, k, v in counts
            ],
        }

    def _credit(self, conn: Any, start: float, end: float, state: Tick) -> None:
        """Credit ``[start, end)`` to the periods it spans, split by what was true."""
        at = start
        while at < end:
            period = self.period_of(at)
            upto = min(end, period + self.period_s)
            seconds = upto - at
            local = datetime.fromtimestamp(at).astimezone()
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            into = (local - midnight).total_seconds()
            open_s = self.hours.open_within(local.date(), into, into + seconds)
            counts = [(RUNNING_S, "", seconds), (OPEN_RUNNING_S, "", open_s)]
            if state.online:
                counts.append((ONLINE_S, "", seconds))
            if state.in_service:
                counts.append((IN_SERVICE_S, "", seconds))
            if state.online and state.in_service:
                counts.append((AVAILABLE_S, "", open_s))
            store.add(conn, period, [c for c in counts if c[2] > 0])
            at = upto
