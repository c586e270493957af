"""The center's command queue (docs/center.md, "Commands"): one row per command and terminal, from ``kiosk center
command send`` to the terminal's result.

A pending, unexpired command rides in each of its terminal's heartbeat answers (at most 16, oldest first), signed
at that moment, until the terminal's result closes it (``kiosk.center.fleet``) or it expires; expiry is marked when
it is noticed (on the next heartbeat, or when the queue is listed); a result the terminal sends afterwards still
replaces that mark once (the command was delivered before it expired, and ran). The terminal runs a command once
(it remembers the ids it ran), so a command sent again in several answers is still run once.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.center.store import Store, now_iso
from kiosk.protocol.ops import MAX_COMMANDS, SignedCommand, command_args

log = logging.getLogger(__name__)

DEFAULT_EXPIRY: Final = timedelta(hours=24)
MAX_EXPIRY: Final = timedelta(days=30)
KEEP_CLOSED: Final = 200  # closed commands kept per terminal
STATES: Final = ("pending", "done", "refused", "failed", "expired")
_DURATION = re.compile(r"(\d{1,6})([smhd])")
_UNITS: Final = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class CommandError(ValueError):
    """A command the center will not queue (unknown kind, arguments out of bounds, bad expiry)."""


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``2h``, ``3d`` as a time span (at most 30 days)."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise CommandError(f"a duration is a number and s, m, h or d (e.g. 2h), not {text!r}")
    span = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if not timedelta(0) < span <= MAX_EXPIRY:
        raise CommandError("a command expires after 1 s to 30 days")
    return span


def queue(
    store: Store,
    terminal_ids: Sequence[str],
    kind: str,
    args: dict[str, Any],
    expires_in: timedelta = DEFAULT_EXPIRY,
) -> list[dict[str, Any]]:
    """One command of ``kind`` for each terminal, checked as terminals check it; the queued rows."""
    try:
        checked = command_args(kind, args).model_dump(mode="json")
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    issued = datetime.now(UTC).replace(microsecond=0)
    expires = issued + expires_in
    rows = []
    with store.transaction() as db:
        for terminal_id in terminal_ids:
            command_id = uuid.uuid4().hex
            db.execute(
                "INSERT INTO commands (id, terminal_id, kind, args, issued_at, expires_at, expires_unix) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    command_id,
                    terminal_id,
                    kind,
                    json.dumps(checked, ensure_ascii=False, sort_keys=True),
                    issued.isoformat(),
                    expires.isoformat(),
                    expires.timestamp(),
                ),
            )
            # The queue keeps every pending command and the latest closed ones of each terminal.
            db.execute(
                "DELETE FROM commands WHERE terminal_id = ? AND state != 'pending' AND seq NOT IN "
                "(SELECT seq FROM commands WHERE terminal_id = ? AND state != 'pending' ORDER BY seq DESC LIMIT ?)",
                (terminal_id, terminal_id, KEEP_CLOSED),
            )
            rows.append(
                {
                    "id": command_id,
                    "terminal_id": terminal_id,
                    "kind": kind,
                    "args": checked,
                    "issued_at": issued.isoformat(),
                    "expires_at": expires.isoformat(),
                    "state": "pending",
                }
            )
    log.info("command %s queued for %d terminals", kind, len(rows))
    return rows


def expire(store: Store, now: float | None = None) -> int:
    """Mark pending commands past their expiry ``expired``; how many."""
    moment = time.time() if now is None else now
    with store.transaction() as db:
        return db.execute(
            "UPDATE commands SET state = 'expired', result_at = ?, closed_by = 'center' "
            "WHERE state = 'pending' AND expires_unix <= ?",
            (now_iso(), moment),
        ).rowcount


def pending_signed(store: Store, key: Ed25519PrivateKey, terminal_id: str) -> list[SignedCommand]:
    """The terminal's pending, unexpired commands, oldest first (at most 16), each signed now."""
    now = time.time()
    pending = "SELECT * FROM commands WHERE terminal_id = ? AND state = 'pending' ORDER BY seq LIMIT ?"
    # Read first: at every heartbeat of every terminal, and there is mostly nothing pending, nothing to expire
    # (the write transaction, one at a time for the whole center, only when there is).
    rows = store.query(pending, (terminal_id, MAX_COMMANDS))
    if any(float(row["expires_unix"]) <= now for row in rows):
        with store.transaction() as db:
            db.execute(
                "UPDATE commands SET state = 'expired', result_at = ?, closed_by = 'center' "
                "WHERE terminal_id = ? AND state = 'pending' AND expires_unix <= ?",
                (now_iso(), terminal_id, now),
            )
            rows = db.execute(pending, (terminal_id, MAX_COMMANDS)).fetchall()
    signed = []
    for row in rows:
        try:
            signed.append(
                SignedCommand.sign(
                    key,
                    id=row["id"],
                    terminal_id=row["terminal_id"],
                    kind=row["kind"],
                    args=json.loads(row["args"]),
                    issued_at=row["issued_at"],
                    expires_at=row["expires_at"],
                )
            )
        except ValueError as exc:  # queued by an older center with other rules: left out, said in the log
            log.error("command %s for %s cannot be signed: %s", row["id"], terminal_id, exc)
    return signed


def listed(store: Store, terminal_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Commands, newest first, with their state and result (expiry marked first)."""
    expire(store)
    where, params = ("WHERE terminal_id = ?", [terminal_id]) if terminal_id else ("", [])
    rows = store.query(
        f"SELECT * FROM commands {where} ORDER BY seq DESC LIMIT ?",  # where: one of the two above
        (*params, limit),
    )
    return [
        {
            "id": row["id"],
            "terminal_id": row["terminal_id"],
            "kind": row["kind"],
            "args": json.loads(row["args"]),
            "issued_at": row["issued_at"],
            "expires_at": row["expires_at"],
            "state": row["state"],
            "result_detail": row["result_detail"],
            "result_at": row["result_at"],
        }
        for row in rows
    ]


def command(store: Store, command_id: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM commands WHERE id = ?", (command_id,))
    if not rows:
        return None
    row = rows[0]
    return {"id": row["id"], "terminal_id": row["terminal_id"], "kind": row["kind"], "state": row["state"]}
