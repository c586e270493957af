"""Console sessions in the database: a random token in the operator's cookie, only its SHA-256 stored. A session
ends after ``session_idle_minutes`` without a request, ``session_absolute_hours`` after sign-in whatever happens,
at sign-out (its row deleted), and when its operator is disabled or given a new password. The role is read from
the account at every request, so a changed role applies at once.

The CSRF token of a session is an HMAC of its token: the same for the session's life, different for every session,
nothing more to store.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Final

from kiosk.center.console import settings
from kiosk.center.store import Store

log = logging.getLogger(__name__)

COOKIE: Final = "kiosk_console"
LANGUAGES: Final = ("zh", "en")
_TOUCH_EVERY_S: Final = 30.0  # last_seen is written at most this often (a write for each request is wasted)


@dataclass(frozen=True)
class Session:
    token_hash: str
    operator: str
    role: str
    language: str
    csrf: str
    created_unix: float
    last_seen_unix: float


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def csrf_of(token: str) -> str:
    return hmac.new(token.encode("utf-8", "replace"), b"kiosk-console-csrf", hashlib.sha256).hexdigest()


def open_session(store: Store, operator: str, language: str, address: str, now: float) -> str:
    """A new session for ``operator``; its token (for the cookie only)."""
    current = settings.read(store)
    token = secrets.token_urlsafe(32)
    with store.transaction() as db:
        # Expired sessions of anyone are swept here, at sign-in, rather than by a timer.
        db.execute(
            "DELETE FROM console_sessions WHERE last_seen_unix <= ? OR created_unix <= ?",
            (now - current.session_idle_minutes * 60, now - current.session_absolute_hours * 3600),
        )
        db.execute(
            "INSERT INTO console_sessions (token_hash, operator, language, address, created_unix, last_seen_unix) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash(token), operator, language if language in LANGUAGES else "zh", address, now, now),
        )
    return token


def session_for(store: Store, token: str, now: float, *, touch: bool = True) -> Session | None:
    """The live session of ``token`` (its last request now, unless ``touch`` is False: a page refreshing itself is
    not the operator at work), or None: unknown, expired (then deleted), or its operator disabled."""
    if not token or len(token) > 128:
        return None
    hashed = token_hash(token)
    rows = store.query(
        "SELECT s.*, o.role, o.enabled FROM console_sessions s JOIN operators o ON o.name = s.operator "
        "WHERE s.token_hash = ?",
        (hashed,),
    )
    if not rows:
        return None
    row = rows[0]
    current = settings.read(store)
    idle = now - float(row["last_seen_unix"]) > current.session_idle_minutes * 60
    old = now - float(row["created_unix"]) > current.session_absolute_hours * 3600
    if idle or old or not row["enabled"]:
        with store.transaction() as db:
            db.execute("DELETE FROM console_sessions WHERE token_hash = ?", (hashed,))
        log.info(
            "session of %s ended (%s)", row["operator"], "idle" if idle else "too old" if old else "disabled"
        )
        return None
    last_seen = float(row["last_seen_unix"])
    if touch and now - last_seen >= _TOUCH_EVERY_S:
        with store.transaction() as db:
            db.execute("UPDATE console_sessions SET last_seen_unix = ? WHERE token_hash = ?", (now, hashed))
        last_seen = now
    return Session(
        token_hash=hashed,
        operator=row["operator"],
        role=row["role"],
        language=row["language"],
        csrf=csrf_of(token),
        created_unix=float(row["created_unix"]),
        last_seen_unix=last_seen,
    )


def set_language(store: Store, hashed: str, language: str) -> None:
    if language in LANGUAGES:
        with store.transaction() as db:
            db.execute("UPDATE console_sessions SET language = ? WHERE token_hash = ?", (language, hashed))


def close_session(store: Store, token: str) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM console_sessions WHERE token_hash = ?", (token_hash(token),))
