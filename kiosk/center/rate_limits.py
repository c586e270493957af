"""How many signed requests a terminal may make a minute (docs/center.md, "Rate limits"), kept in the database so
every worker and every machine of the center counts the same requests.

Nothing new is written per request: the nonce table already holds every signed request of the last
``NONCE_TTL_S`` seconds per terminal, the refused ones included, so the requests of the last minute are counted
there (an index on terminal and time makes that a short range). A terminal past the limit is answered 429 with
Retry-After: the seconds until enough of its requests have left the minute. A terminal that keeps sending while
refused stays refused, since those requests count too. The limit is generous (a terminal syncs every few minutes,
a few requests a cycle); it is there so that one broken or hostile terminal cannot take the center's capacity
from the thousands of others.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final

from starlette.responses import JSONResponse

if TYPE_CHECKING:  # the schema (imported by the store) takes this module's migration
    from kiosk.center.store import Store

log = logging.getLogger(__name__)

WINDOW_S: Final = 60.0
DEFAULT_PER_MINUTE: Final = 120
MIN_PER_MINUTE: Final = 10  # below this a terminal could not finish one sync cycle
MAX_PER_MINUTE: Final = 100_000
SETTING: Final = "signed_requests_per_minute"
ERROR: Final = "rate_limited"

RATE_LIMITS_SCHEMA: Final = """
CREATE INDEX IF NOT EXISTS nonces_terminal_seen ON nonces (terminal_id, seen_at);
CREATE TABLE IF NOT EXISTS rate_limits (
    name TEXT PRIMARY KEY,
    per_minute INTEGER NOT NULL,
    updated_at TEXT NOT NULL
)
"""


class RateLimitError(ValueError):
    """A limit the center refuses to set; the message says the range."""


@dataclass(frozen=True)
class RateLimit:
    per_minute: int
    updated_at: str | None  # None: the default, never set


def current(store: Store) -> RateLimit:
    """The limit in force."""
    rows = store.query("SELECT per_minute, updated_at FROM rate_limits WHERE name = ?", (SETTING,))
    if not rows:
        return RateLimit(DEFAULT_PER_MINUTE, None)
    return RateLimit(int(rows[0]["per_minute"]), rows[0]["updated_at"])


def set_limit(store: Store, per_minute: int) -> RateLimit:
    """Set the limit for every terminal; it applies to the next request, in every worker."""
    if not MIN_PER_MINUTE <= per_minute <= MAX_PER_MINUTE:
        raise RateLimitError(
            f"the limit is {MIN_PER_MINUTE} to {MAX_PER_MINUTE} signed requests a minute per terminal"
        )
    at = datetime.now().astimezone().isoformat(timespec="milliseconds")
    with store.transaction() as db:
        db.execute(
            "INSERT INTO rate_limits (name, per_minute, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET per_minute = excluded.per_minute, updated_at = excluded.updated_at",
            (SETTING, per_minute, at),
        )
    log.info("rate limit set to %d signed requests a minute per terminal", per_minute)
    return RateLimit(per_minute, at)


def retry_after(store: Store, terminal_id: str, now: float) -> int | None:
    """None when the terminal's request (its nonce already recorded at ``now``) is within the limit, else the
    whole seconds (at least 1) until a request would be."""
    # One read for both the count and the limit: this runs on every signed request.
    row = store.query(
        "SELECT (SELECT COUNT(*) FROM nonces WHERE terminal_id = ? AND seen_at > ?) AS recent, "
        "(SELECT per_minute FROM rate_limits WHERE name = ?) AS per_minute",
        (terminal_id, now - WINDOW_S, SETTING),
    )[0]
    recent = int(row["recent"] or 0)
    limit = DEFAULT_PER_MINUTE if row["per_minute"] is None else int(row["per_minute"])
    if recent <= limit:
        return None
    # The next request is within the limit once all but limit - 1 of the minute's requests have left it: the
    # (recent - limit)-th oldest (from 0) leaves the window WINDOW_S after it was seen.
    rows = store.query(
        "SELECT seen_at FROM nonces WHERE terminal_id = ? AND seen_at > ? ORDER BY seen_at LIMIT 1 OFFSET ?",
        (terminal_id, now - WINDOW_S, recent - limit),
    )
    leaves = float(rows[0]["seen_at"]) + WINDOW_S if rows else now + WINDOW_S
    wait = max(1, math.ceil(leaves - now))
    log.warning(
        "429 for terminal %s: %d signed requests in the last minute (limit %d)", terminal_id, recent, limit
    )
    return wait


def refusal(store: Store, terminal_id: str, now: float | None = None) -> JSONResponse | None:
    """The 429 answer for a terminal past its limit (the request is not served), else None."""
    wait = retry_after(store, terminal_id, time.time() if now is None else now)
    if wait is None:
        return None
    return JSONResponse({"error": ERROR}, status_code=429, headers={"Retry-After": str(wait)})
