"""Which subjects this terminal has rated: the local half of "one rating per case / per visit" (一事一评).

The table holds the subject's kind and id and the time, nothing about the rater: it answers "was this rated here?"
and nothing else, so it can stay unsealed. A row is written in the same transaction as the rating's outbox record,
so a rating is either remembered and queued for the center, or neither. The center enforces the same rule across
terminals (409 ``already_rated``).
"""

from __future__ import annotations

import sqlite3


def _key(kind: str, subject_id: str) -> str:
    """Receipt numbers are read without regard to case (so is their check character): a case typed as
    ``t-demo0001-…`` is the case printed as ``T-demo0001-…``. The center keys its subjects the same way."""
    return subject_id.upper() if kind == "case" else subject_id


def mark_rated(conn: sqlite3.Connection, kind: str, subject_id: str, rated_at: str) -> bool:
    """Remember a rated subject inside the caller's transaction; False when it was rated before (nothing
    written)."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO rated_subjects(kind, subject_id, rated_at) VALUES (?, ?, ?)",
        [kind, _key(kind, subject_id), rated_at],
    )
    return cursor.rowcount == 1


def is_rated(conn: sqlite3.Connection, kind: str, subject_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM rated_subjects WHERE kind = ? AND subject_id = ?", [kind, _key(kind, subject_id)]
    ).fetchone()
    return row is not None
