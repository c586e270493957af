"""The outbox as features use it: ``add`` a record inside the transaction that writes the business row.

A feature never talks to the center. It writes its own row and, in the same transaction, an outbox record; the
sync engine delivers the record later, exactly once, whenever the network allows::

    with terminal.database.transaction() as conn:      # on the writer thread (Background.write)
        conn.execute("INSERT INTO ratings(...) VALUES (...)", [...])
        outbox.add(conn, "rating", {"counter": "3", "score": 5}, personal=False)

If the transaction rolls back, neither row exists. Records with personal data (``personal=True``) are sealed at
rest with the terminal's data key (AES-256-GCM, or SM4-GCM with the guomi suite), bound to their idempotency key.
"""

from __future__ import annotations

import json
import logging
import math
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from kiosk.config import Settings
from kiosk.protocol.canonical import canonical_json
from kiosk.protocol.models import IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_KEY_MIN, RECORD_KINDS, OutboxRecord
from kiosk.store import outbox as store
from kiosk.store.database import Database
from kiosk.store.keystore import Keystore
from kiosk.store.outbox import OutboxRow, OutboxStats, RejectedRow
from kiosk.store.sealing import Sealer, SealError

__all__ = ["OutboxService", "OutboxStats", "RejectedRow", "SealError"]

log = logging.getLogger(__name__)

# What the protocol takes for a time (kiosk.protocol.models.Timestamp): ISO-8601 with a date and an hour.
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


class OutboxService:
    """Adds records (inside callers' transactions), opens them for sending, and reports the backlog."""

    def __init__(
        self,
        database: Database,
        *,
        terminal_id: str,
        sealer: Sealer,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database = database
        self.terminal_id = terminal_id
        self.sealer = sealer
        self._clock = clock
        self._listeners: list[Callable[[], None]] = []

    @classmethod
    def for_settings(
        cls, database: Database, settings: Settings, keystore: Keystore | None = None
    ) -> OutboxService:
        keys = keystore or Keystore.for_data_dir(settings.data_dir)
        return cls(database, terminal_id=settings.terminal_id, sealer=Sealer(keys, settings.crypto_suite))

    def __repr__(self) -> str:
        return f"OutboxService({self.terminal_id!r}, {self.sealer!r})"

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Called after each ``add`` (e.g. the sync engine's ``trigger``); it must return at once."""
        self._listeners.append(callback)

    # -- writing ----------------------------------------------------------------------------------------------

    def add(
        self,
        conn: sqlite3.Connection,
        kind: str,
        body: Mapping[str, Any],
        *,
        personal: bool,
        key_suffix: str | None = None,
    ) -> str:
        """Write one record with ``conn`` inside the caller's transaction; returns its idempotency key.

        Never commits. ``body`` must be a JSON object; ``kind`` one the protocol knows. The key is the terminal's
        id and a new ULID, or the terminal's id and ``key_suffix`` for a record that stands for something only
        ever sent once (a period's usage counts): writing it twice fails on the outbox's unique key.
        """
        if kind not in RECORD_KINDS:
            raise ValueError(f"unknown record kind {kind!r}; the center accepts {', '.join(RECORD_KINDS)}")
        if not isinstance(body, Mapping):
            raise TypeError("an outbox record's body is a JSON object (a mapping)")
        try:
            plain = canonical_json(dict(body))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"an outbox record's body must be plain JSON: {exc}") from None
        now = self._clock()
        key = (
            store.new_idempotency_key(self.terminal_id, now)
            if key_suffix is None
            else f"{self.terminal_id}:{key_suffix}"
        )
        created_at = datetime.fromtimestamp(now, UTC).astimezone().isoformat(timespec="milliseconds")
        data = self.sealer.seal(plain, bound_to=key) if personal else plain
        store.insert(conn, idempotency_key=key, kind=kind, created_at=created_at, body=data, sealed=personal)
        for listener in self._listeners:
            try:
                listener()
            except Exception:
                log.exception("outbox listener failed")
        return key

    def fill(self, count: int, *, kind: str = "event", personal: bool = False, batch: int = 1000) -> int:
        """Synthetic records through ``add``, ``batch`` per transaction (developer tool and benchmark).

        Run it on the writer thread (``Background.write``), as every write.
        """
        written = 0
        for start in range(0, count, batch):
            with self.database.transaction() as conn:
                for n in range(start, min(count, start + batch)):
                    self.add(conn, kind, synthetic_body(kind, n), personal=personal)
                    written += 1
        return written

    # -- reading ----------------------------------------------------------------------------------------------

    def open(self, row: OutboxRow) -> OutboxRecord:
        """The record as it goes on the wire; ``SealError``/``ValueError`` when the row cannot be opened."""
        plain = self.sealer.open(row.body, bound_to=row.idempotency_key) if row.sealed else row.body
        try:
            body = _json_object(plain)
            return OutboxRecord(
                idempotency_key=row.idempotency_key,
                kind=row.kind,  # type: ignore[arg-type]  # validated by the model
                created_at=datetime.fromisoformat(row.created_at),
                body=body,
            )
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise SealError(f"outbox row {row.id} holds no valid record ({type(exc).__name__})") from None

    def encode(self, row: OutboxRow) -> bytes:
        """The record as it goes on the wire: the canonical JSON of ``{body, created_at, idempotency_key, kind}``.

        ``add`` stored the body as canonical JSON, so the record is built around those bytes (unsealed if need
        be) instead of decoding them into objects and encoding them again: a batch of records is then one
        ``join``. The body is still parsed once, to make sure it is the JSON object the center will read: a row
        that is not a valid record raises ``SealError`` (and is quarantined) instead of making the center
        refuse the whole batch it travels in.
        """
        plain = self.sealer.open(row.body, bound_to=row.idempotency_key) if row.sealed else row.body
        problem = _record_problem(row, plain)
        if problem:
            raise SealError(f"outbox row {row.id} holds no valid record ({problem})")
        return b"".join(
            (
                b'{"body":',
                plain,
                b',"created_at":',
                _json_text(row.created_at),
                b',"idempotency_key":',
                _json_text(row.idempotency_key),
                b',"kind":',
                _json_text(row.kind),
                b"}",
            )
        )

    def stats(self) -> OutboxStats:
        return store.stats(self.database.connection(), now=datetime.fromtimestamp(self._clock(), UTC))

    def rejected(self, limit: int = 100) -> list[RejectedRow]:
        return store.rejected(self.database.connection(), limit)


def _json_object(data: bytes) -> dict[str, Any]:
    value = json.loads(data.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Made once: json.loads and json.dumps with options build a new decoder or encoder on every call.
_DECODER = json.JSONDecoder(parse_constant=_no_constant)
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def _json_text(text: str) -> bytes:
    return _ENCODER.encode(text).encode("utf-8")


def _record_problem(row: OutboxRow, plain: bytes) -> str | None:
    """Which field of the row the center would refuse, checked as cheaply as it can be (no model)."""
    if row.kind not in RECORD_KINDS:
        return "kind"
    if not IDEMPOTENCY_KEY_MIN <= len(row.idempotency_key) <= IDEMPOTENCY_KEY_MAX:
        return "idempotency_key"
    try:
        if not _ISO_DATETIME.match(row.created_at) or datetime.fromisoformat(row.created_at).tzinfo is None:
            return "created_at"
    except (TypeError, ValueError):
        return "created_at"
    try:
        body = _DECODER.decode(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):  # JSONDecodeError is a ValueError
        return "body: not JSON"
    return None if isinstance(body, dict) else "body: not a JSON object"


def synthetic_body(kind: str, n: int) -> dict[str, Any]:
    if kind == "rating":
        return {"score": 1 + n % 5, "counter": f"{1 + n % 12}", "synthetic": True, "n": n}
    return {"event": "synthetic", "n": n, "note": "测试记录", "value": round(math.sin(n), 6)}
