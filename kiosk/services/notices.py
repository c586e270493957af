"""The center's notices (its ``notices`` feed, kept by the sync engine in the terminal's database): those showing
now, for the screens that show them (the hall's display shows them to everybody waiting).

A notice shows from its ``starts_at`` until its ``ends_at`` (open-ended without one); ``warning`` notices come
before ``info`` ones, then the newest first. Screens read them again when a sync cycle changed the feed (the
``notices`` topic of :mod:`kiosk.services.changes`) and now and then as time passes (a notice may start or end).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.store import sync_state
from kiosk.store.database import Database


@dataclass(frozen=True, slots=True)
class NoticeShown:
    key: str
    title: str
    body: str
    level: str  # "info" or "warning"


def current_notices(database: Database, at: datetime | None = None) -> tuple[NoticeShown, ...]:
    """The notices showing at ``at`` (default now); read on a worker."""
    moment = (at or datetime.now(UTC)).astimezone(UTC).isoformat()
    found = sync_state.notices(database.connection(), at=moment)
    ordered = sorted(found, key=lambda n: (n.level != "warning", _negated(n.starts_at), n.key))
    return tuple(NoticeShown(n.key, n.title, n.body, n.level) for n in ordered)


def _negated(starts_at: str) -> float:
    return -datetime.fromisoformat(starts_at).timestamp()
