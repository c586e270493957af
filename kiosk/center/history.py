"""Each terminal's heartbeats over time: one sample per terminal and 5-minute bucket, kept for 7 days
(docs/center.md, "Fleet state, history and alerts").

A heartbeat upserts its bucket's sample (the latest heartbeat in the bucket wins), so a terminal beating every
60 s costs one small row per 5 minutes: 2,016 rows a week at most. Old samples are deleted by the terminal's own
heartbeats, once an hour of its buckets (a range of its primary key, so cheap), which keeps every terminal that
still beats within the week; a terminal silent for longer keeps its last week of samples (bounded all the same)
until it returns or ``sweep`` runs. A bucket with no sample is a point where the terminal was offline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from kiosk.center.db import Connection
    from kiosk.center.store import Store

BUCKET_S: Final = 300
KEEP_S: Final = 7 * 86_400
PRUNE_EVERY: Final = 12  # buckets: the first heartbeats of each hour delete what is older than the week


@dataclass(frozen=True)
class HistoryPoint:
    """One 5-minute point of a terminal's history; ``online`` False where no heartbeat arrived in it."""

    at_unix: float
    online: bool
    outbox_backlog: int | None
    faults: int
    version: str | None


def record(
    db: Connection, terminal_id: str, received_unix: float, backlog: int, faults: int, version: str
) -> None:
    """Keep this heartbeat as its bucket's sample, inside the heartbeat's transaction."""
    bucket = int(received_unix // BUCKET_S)
    db.execute(
        "INSERT INTO terminal_history (terminal_id, bucket, heartbeat_unix, outbox_backlog, faults, version) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (terminal_id, bucket) DO UPDATE SET "
        "heartbeat_unix = excluded.heartbeat_unix, outbox_backlog = excluded.outbox_backlog, "
        "faults = excluded.faults, version = excluded.version",
        (terminal_id, bucket, received_unix, backlog, faults, version),
    )
    if bucket % PRUNE_EVERY == 0:
        db.execute(
            "DELETE FROM terminal_history WHERE terminal_id = ? AND bucket < ?",
            (terminal_id, bucket - KEEP_S // BUCKET_S),
        )


def sweep(store: Store, now: float | None = None) -> int:
    """Delete every sample older than the week (terminals silent for longer); the number deleted."""
    cutoff = int(((time.time() if now is None else now) - KEEP_S) // BUCKET_S)
    with store.transaction() as db:
        return int(db.execute("DELETE FROM terminal_history WHERE bucket < ?", (cutoff,)).rowcount or 0)


def terminal_history(
    store: Store, terminal_id: str, hours: float = 24, now: float | None = None
) -> tuple[HistoryPoint, ...]:
    """The terminal's last ``hours`` (at most the 7 days kept) as one point per 5-minute bucket, oldest first.

    Buckets before the terminal's first heartbeat are left out (it was not there yet); a bucket after it with no
    heartbeat is an offline point. The current bucket counts only once it has a sample."""
    now = time.time() if now is None else now
    hours = max(0.0, min(float(hours), KEEP_S / 3600))
    last = int(now // BUCKET_S)
    first = last - int(hours * 3600 // BUCKET_S) + 1
    rows = store.query(
        "SELECT bucket, outbox_backlog, faults, version FROM terminal_history "
        "WHERE terminal_id = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket",
        (terminal_id, first, last),
    )
    samples: dict[int, Any] = {int(row["bucket"]): row for row in rows}
    earliest = _first_bucket(store, terminal_id)
    if earliest is None:
        return ()  # never seen (or silent for longer than the week kept)
    start = max(first, earliest)
    points = []
    for bucket in range(start, last + 1):
        row = samples.get(bucket)
        if row is None:
            if bucket == last:
                continue  # the current bucket's heartbeat may still come
            points.append(HistoryPoint(bucket * BUCKET_S, False, None, 0, None))
        else:
            points.append(
                HistoryPoint(
                    bucket * BUCKET_S, True, int(row["outbox_backlog"]), int(row["faults"]), row["version"]
                )
            )
    return tuple(points)


def _first_bucket(store: Store, terminal_id: str) -> int | None:
    """The terminal's earliest kept bucket (None: it has none)."""
    rows = store.query(
        "SELECT bucket FROM terminal_history WHERE terminal_id = ? ORDER BY bucket LIMIT 1", (terminal_id,)
    )
    return int(rows[0]["bucket"]) if rows else None
