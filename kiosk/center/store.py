"""The reference center's state in one database, a SQLite file or PostgreSQL (``kiosk.center.db``): terminals,
nonces, feed changes, delivered records, the rated subjects and the cases.

Every write runs in the database's one serialised write transaction, so two pushes of the same idempotency key
(threads of this process, or another process on the same database such as the CLI or another worker) can never
both insert, and two terminals can never both rate the same subject. Secrets are stored (this is a
reference server) but never logged or shown in a repr.

Personal data is sealed at rest under the center's key file, kept outside the database
(``kiosk.center.keyfile``): every record body (names, ID numbers, phone numbers, addresses, signatures: whatever
a form or a rating carries) is sealed with AES-256-GCM (SM4-GCM for 国密) and bound to its row, and its
fingerprint is keyed. Cases (办件) find their applicant by a person key, a keyed hash (HMAC) of the ID number: the
cases table holds no ID number, and a copy of the database alone does not tell whose cases they are. People the
center can vouch for (those an identity code may be issued to) are filed under the same person key, their
identity sealed. Identity codes are kept as the SHA-256 of the code, never the code itself: a copy of the table
cannot be replayed at the API, and a code resolves once only. An older database is sealed when first opened
(``kiosk.center.at_rest``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk.center.at_rest import open_keys, person_binding, record_binding
from kiosk.center.db import (
    DEFAULT_POOL_SIZE,
    Connection,
    Database,
    DatabaseUnavailable,
    Row,
    is_url,
    masked,
    open_database,
)
from kiosk.center.keyfile import CenterKeys, KeyFileError, key_path_for
from kiosk.center.records import rating_subject
from kiosk.center.schema import apply_migrations
from kiosk.center.usage import record_usage
from kiosk.protocol import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    NONCE_TTL_S,
    FeedEntry,
    OutboxRecord,
    canonical_json,
    new_secret,
)
from kiosk.protocol.models import ALL_FEED_KINDS, CASE_STATES, IDENTITY_CODE_PREFIX, IDENTITY_CODE_TYPE
from kiosk.protocol.receipts import receipt_key, terminal_receipt_code
from kiosk.protocol.submissions import applicant_field

log = logging.getLogger(__name__)


SUBMISSION_FORMAT = "kiosk-submission/1"
ACCEPTED = CASE_STATES[0]  # 已受理: where every case starts

IDENTITY_CODE_TTL_S = 300  # a code shown on a phone is refreshed every few minutes
IDENTITY_CODE_TTL_MAX_S = 86_400
_IDENTITY_CODE_KEEP_S = (
    86_400  # codes expired longer ago than this are purged (a replay of one is still refused)
)
_CODE_RANDOM_BYTES = 24  # 32 url-safe characters
NONCE_PURGE_EVERY_S = 10.0
PERSON_FIELDS = ("name", "id_number", "sex", "nation", "birth_date", "address")


def now_iso() -> str:
    """The center's local time with its offset, to the millisecond (the protocol's time format)."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Terminal:
    """A terminal's credentials and state; the secret is left out of the repr."""

    terminal_id: str
    name: str
    algorithm: str
    enabled: bool
    created_at: str
    secret: bytes = field(repr=False)
    last_heartbeat: dict[str, Any] | None = None
    last_heartbeat_at: str | None = None
    last_seen_at: str | None = None
    region: str = ""
    unit: str = ""

    def summary(self) -> dict[str, Any]:
        """Everything an operator may see (no secret), for ``kiosk center terminal list``."""
        return {
            "terminal_id": self.terminal_id,
            "name": self.name,
            "algorithm": self.algorithm,
            "enabled": self.enabled,
            "created_at": self.created_at,
            "last_seen_at": self.last_seen_at,
            "last_heartbeat_at": self.last_heartbeat_at,
            "region": self.region,
            "unit": self.unit,
            "last_heartbeat": self.last_heartbeat,
        }


@dataclass(frozen=True)
class PublishReport:
    """What a publish changed: keys with a new version, keys already at that version, keys given a lower one."""

    changed: int
    unchanged: int
    stale: tuple[str, ...]


class StoreError(ValueError):
    """A request the store refuses (unknown feed kind, unknown algorithm, duplicate keys in one publish)."""


@dataclass(frozen=True)
class IssuedCode:
    """An identity code just issued: the code itself exists only here (the store keeps its hash)."""

    code: str = field(repr=False)
    expires_at: str


def code_hash(code: str) -> str:
    """What the store keeps of a code: hex SHA-256 of its UTF-8 bytes (``ValueError`` for a lone surrogate)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


class Store:
    """The center's database. Safe to share between threads; other processes may open the same database."""

    def __init__(
        self,
        target: Path | str,
        *,
        key_path: Path | None = None,
        suite: str = "standard",
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        """Open (or create) the database at ``target``, a SQLite file or a ``postgresql://`` URL, with its key file:
        ``key_path``, or for a SQLite file by default the database's name with ``.key`` beside it; created on first
        start with the crypto ``suite`` (``standard`` or ``guomi``). A PostgreSQL database needs ``key_path`` (every
        worker and machine of the center shares the one file). :class:`StoreError` when the key file is missing,
        unreadable, readable by others, or another center's, or the database cannot be reached."""
        in_memory = str(target) == ":memory:"
        self._nonces_purged = 0.0  # when this process last removed the nonces past NONCE_TTL_S
        if is_url(target):
            if key_path is None:
                raise StoreError(
                    f"a center on PostgreSQL ({masked(target)}) needs its key file: --key-file PATH (the same "
                    "file for every worker and machine of the center; made there on first start)"
                )
            # Files the center keeps beside its database (command key, uploads) go beside the key file instead.
            self.path = Path(key_path)
            self.key_path: Path | None = Path(key_path)
        else:
            self.path = Path(target)
            self.key_path = None if in_memory else (key_path or key_path_for(self.path))
        try:
            self.db: Database = open_database(target, pool_size=pool_size)
        except DatabaseUnavailable as exc:
            raise StoreError(str(exc)) from None
        self.location = self.db.location
        try:
            with self.db.transaction() as db:
                apply_migrations(db)
                db.execute(
                    "INSERT INTO meta (name, value) VALUES ('cursor_key', ?) ON CONFLICT (name) DO NOTHING",
                    (secrets.token_bytes(32),),
                )
            self.cursor_key: bytes = bytes(
                self.db.query("SELECT value FROM meta WHERE name = 'cursor_key'")[0]["value"]
            )
            self._keys: CenterKeys = open_keys(self.db, self.key_path, suite)
        except KeyFileError as exc:
            self.db.close()
            raise StoreError(str(exc)) from None
        except BaseException:
            self.db.close()
            raise

    @property
    def keys(self) -> CenterKeys:
        """The center's keys (for ``kiosk center key``; never logged)."""
        return self._keys

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.db.backend

    def close(self) -> None:
        self.db.close()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    def _write(self) -> AbstractContextManager[Connection]:
        """One serialised write transaction (kiosk.center.db: a lock within the process and across them)."""
        return self.db.transaction()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.db.query(sql, params)

    def transaction(self) -> AbstractContextManager[Connection]:
        """One serialised write transaction, for the center's operations modules (kiosk.center.fleet ...)."""
        return self.db.transaction()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Rows of one read, for the center's operations modules."""
        return self.db.query(sql, params)

    # --- terminals --------------------------------------------------------------------------------------------

    def add_terminal(self, name: str, algorithm: str = DEFAULT_ALGORITHM) -> Terminal:
        """Create a terminal with a fresh id and secret; the caller shows the secret once and forgets it."""
        if algorithm not in ALGORITHMS:
            raise StoreError(f"unknown signing algorithm {algorithm!r}")
        name = name.strip()
        if not name:
            raise StoreError("a terminal needs a name")
        secret = new_secret()
        created_at = now_iso()
        with self._write() as db:
            # Receipt numbers start with a code derived from the terminal id: no two terminals share one, so
            # their numbers never collide though each terminal numbers its forms offline.
            taken = {terminal_receipt_code(row[0]) for row in db.execute("SELECT id FROM terminals")}
            while True:
                terminal_id = f"T-{secrets.token_hex(4)}"
                if terminal_receipt_code(terminal_id) not in taken:
                    break
            db.execute(
                "INSERT INTO terminals (id, name, secret, algorithm, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)",
                (terminal_id, name, secret, algorithm, created_at),
            )
        log.info("terminal %s (%s, %s) added", terminal_id, name, algorithm)
        return Terminal(terminal_id, name, algorithm, True, created_at, secret)

    def terminal(self, terminal_id: str) -> Terminal | None:
        rows = self._read("SELECT * FROM terminals WHERE id = ?", (terminal_id,))
        return _terminal(rows[0]) if rows else None

    def terminals(self) -> list[Terminal]:
        return [_terminal(row) for row in self._read("SELECT * FROM terminals ORDER BY created_at, id")]

    def set_enabled(self, terminal_id: str, enabled: bool) -> bool:
        """Enable or disable a terminal; False when there is no such terminal."""
        with self._write() as db:
            changed = db.execute(
                "UPDATE terminals SET enabled = ? WHERE id = ?", (int(enabled), terminal_id)
            ).rowcount
        if changed:
            log.info("terminal %s %s", terminal_id, "enabled" if enabled else "disabled")
        return bool(changed)

    def place_terminal(self, terminal_id: str, *, region: str | None = None, unit: str | None = None) -> bool:
        """Set where a terminal stands (region 地区, unit 单位; None leaves one as it is); False when unknown."""
        changes = {
            name: value.strip() for name, value in (("region", region), ("unit", unit)) if value is not None
        }
        for name, value in changes.items():
            if len(value) > 120 or any(ord(ch) < 32 for ch in value):
                raise StoreError(f"a terminal's {name} is at most 120 characters, without control characters")
        if not changes:
            return self.terminal(terminal_id) is not None
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self._write() as db:
            changed = db.execute(
                f"UPDATE terminals SET {assignments} WHERE id = ?", (*changes.values(), terminal_id)
            ).rowcount
        if changed:
            log.info("terminal %s placed: %s", terminal_id, changes)
        return bool(changed)

    def remember_nonce(self, terminal_id: str, nonce: str, now: float) -> bool:
        """Record a signed request's nonce; False when this terminal used it within ``NONCE_TTL_S`` (a replay)."""
        if not now - NONCE_PURGE_EVERY_S < self._nonces_purged <= now:
            # Nonces past NONCE_TTL_S go every few seconds, not at every request (a timestamp that old is refused
            # anyway, so one kept a little longer refuses nothing more).
            self._nonces_purged = now
            with self._write() as db:
                db.execute("DELETE FROM nonces WHERE seen_at < ?", (now - NONCE_TTL_S,))
        # Every signed request comes here: it does not queue for the one writer (the key refuses a second insert
        # of the nonce by itself), nor wait for the disk (lost in a crash of the database, a nonce only reopens
        # the replay of a request of that moment).
        with self.db.unserialised_transaction() as db:
            self.db.commit_without_waiting(db)
            inserted = db.execute(
                "INSERT INTO nonces (terminal_id, nonce, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT (terminal_id, nonce) DO NOTHING",
                (terminal_id, nonce, now),
            ).rowcount
            if inserted:
                db.execute("UPDATE terminals SET last_seen_at = ? WHERE id = ?", (now_iso(), terminal_id))
        return bool(inserted)

    def save_heartbeat(self, terminal_id: str, heartbeat: dict[str, Any]) -> None:
        with self._write() as db:
            self.save_heartbeat_in(db, terminal_id, heartbeat, now_iso())

    @staticmethod
    def save_heartbeat_in(db: Connection, terminal_id: str, heartbeat: dict[str, Any], at: str) -> None:
        """Keep ``heartbeat`` as the terminal's latest, within the caller's transaction."""
        db.execute(
            "UPDATE terminals SET last_heartbeat = ?, last_heartbeat_at = ? WHERE id = ?",
            (canonical_json(heartbeat).decode("utf-8"), at, terminal_id),
        )

    # --- feeds ------------------------------------------------------------------------------------------------

    def publish(self, kind: str, entries: Sequence[FeedEntry]) -> PublishReport:
        """Publish new versions in one transaction; a key keeps one row, moved to the end of the feed on change.

        A version larger than the published one replaces it; the same version changes nothing; a smaller one is
        reported as stale and changes nothing (terminals would ignore it anyway).
        """
        if kind not in ALL_FEED_KINDS:
            raise StoreError(f"unknown feed kind {kind!r}")
        keys = [entry.key for entry in entries]
        if len(set(keys)) != len(keys):
            raise StoreError("a key appears twice in one publish")
        changed = unchanged = 0
        stale: list[str] = []
        changed_at = now_iso()
        with self._write() as db:
            for entry in entries:
                row = db.execute(
                    "SELECT version FROM feed_changes WHERE kind = ? AND key = ?", (kind, entry.key)
                ).fetchone()
                if row is not None and row["version"] > entry.version:
                    stale.append(entry.key)
                    continue
                if row is not None and row["version"] == entry.version:
                    unchanged += 1
                    continue
                db.execute("DELETE FROM feed_changes WHERE kind = ? AND key = ?", (kind, entry.key))
                data = None if entry.data is None else canonical_json(entry.data).decode("utf-8")
                db.execute(
                    "INSERT INTO feed_changes (kind, key, version, deleted, data, changed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (kind, entry.key, entry.version, int(entry.deleted), data, changed_at),
                )
                changed += 1
        log.info("published %s: %d changed, %d unchanged, %d stale", kind, changed, unchanged, len(stale))
        return PublishReport(changed, unchanged, tuple(stale))

    def changes(self, kind: str, after_seq: int, limit: int) -> tuple[list[FeedEntry], int, bool]:
        """Up to ``limit`` entries changed after ``after_seq``, the seq of the last one, and whether more follow."""
        rows = self._read(
            "SELECT seq, key, version, deleted, data FROM feed_changes WHERE kind = ? AND seq > ? "
            "ORDER BY seq LIMIT ?",
            (kind, after_seq, limit + 1),
        )
        has_more = len(rows) > limit
        rows = rows[:limit]
        entries = [
            FeedEntry(
                key=row["key"],
                version=row["version"],
                deleted=bool(row["deleted"]),
                data=None if row["data"] is None else json.loads(row["data"]),
            )
            for row in rows
        ]
        return entries, (rows[-1]["seq"] if rows else after_seq), has_more

    def feed_summary(self) -> dict[str, dict[str, int]]:
        """Per kind: entries (live keys), tombstones."""
        summary = {kind: {"entries": 0, "tombstones": 0} for kind in ALL_FEED_KINDS}
        for row in self._read("SELECT kind, deleted, COUNT(*) AS n FROM feed_changes GROUP BY kind, deleted"):
            summary.setdefault(row["kind"], {"entries": 0, "tombstones": 0})
            summary[row["kind"]]["tombstones" if row["deleted"] else "entries"] = row["n"]
        return summary

    # --- records ----------------------------------------------------------------------------------------------

    def deliver(self, terminal_id: str, records: Sequence[OutboxRecord]) -> list[dict[str, Any]]:
        """Store valid records idempotently in one transaction and return each one's answer, in order.

        The first delivery of a key stores the record and its 201 answer; the same key with the same fingerprint
        gets that stored answer again; with another fingerprint it gets 409 ``conflict`` and nothing is stored.
        A rating of a subject already rated (by any terminal, under another key) gets 409 ``already_rated`` and
        is not stored. A submission opens its case (已受理) in the same transaction.
        """
        answers: list[dict[str, Any]] = []
        received_at = now_iso()
        with self._write() as db:
            for record in records:
                fingerprint = self._keys.fingerprint(
                    canonical_json({"kind": record.kind, "body": record.body})
                )
                row = db.execute(
                    "SELECT fingerprint, answer FROM records WHERE terminal_id = ? AND idempotency_key = ?",
                    (terminal_id, record.idempotency_key),
                ).fetchone()
                if row is not None:
                    if row["fingerprint"] == fingerprint:
                        answers.append(json.loads(row["answer"]))
                    else:
                        answers.append(
                            {"idempotency_key": record.idempotency_key, "status": 409, "error": "conflict"}
                        )
                    continue
                subject = rating_subject(record.body) if record.kind == "rating" else None
                if (
                    subject is not None
                    and db.execute(
                        "SELECT 1 FROM rated_subjects WHERE kind = ? AND subject_id = ?", subject
                    ).fetchone()
                ):
                    log.info("rating from %s refused: its %s was rated before", terminal_id, subject[0])
                    answers.append(
                        {"idempotency_key": record.idempotency_key, "status": 409, "error": "already_rated"}
                    )
                    continue
                inserted = db.execute(
                    "INSERT INTO records (terminal_id, idempotency_key, kind, fingerprint, body, created_at, "
                    "received_at, answer) VALUES (?, ?, ?, ?, ?, ?, ?, '') RETURNING record_id",
                    (
                        terminal_id,
                        record.idempotency_key,
                        record.kind,
                        fingerprint,
                        self._keys.seal(
                            canonical_json(record.body),
                            bound_to=record_binding(terminal_id, record.idempotency_key),
                        ),
                        record.created_at.isoformat(),
                        received_at,
                    ),
                )
                record_id = int(inserted.fetchone()["record_id"])
                answer = {"idempotency_key": record.idempotency_key, "status": 201, "record_id": record_id}
                db.execute(
                    "UPDATE records SET answer = ? WHERE record_id = ?",
                    (canonical_json(answer).decode("utf-8"), record_id),
                )
                if subject is not None:
                    db.execute(
                        "INSERT INTO rated_subjects (kind, subject_id, record_id, terminal_id, rated_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (*subject, record_id, terminal_id, received_at),
                    )
                elif record.kind == "submission":
                    self._open_case(db, record.body, record_id, received_at)
                elif record.kind == "usage":  # daily totals for the monthly report (docs/usage.md)
                    record_usage(db, terminal_id, record.body)
                answers.append(answer)
        return answers

    def records(self, kind: str | None = None) -> list[dict[str, Any]]:
        """What terminals delivered, oldest first, the bodies opened (personal data: show them masked,
        ``kiosk.center.masking``). A body that does not open is None, with the reason in ``problem``."""
        sql = (
            "SELECT record_id, terminal_id, idempotency_key, kind, body, created_at, received_at FROM records"
            + (" WHERE kind = ?" if kind else "")
            + " ORDER BY record_id"
        )
        found = []
        for row in self._read(sql, (kind,) if kind else ()):
            body, problem = self._open_record(row)
            found.append(
                {
                    "record_id": row["record_id"],
                    "terminal_id": row["terminal_id"],
                    "idempotency_key": row["idempotency_key"],
                    "kind": row["kind"],
                    "body": body,
                    "created_at": row["created_at"],
                    "received_at": row["received_at"],
                    **({"problem": problem} if problem else {}),
                }
            )
        return found

    def form_template(self, code: str) -> dict[str, Any] | None:
        """The form template published under ``code`` (to mask a submission's answers by their field types)."""
        rows = self._read(
            "SELECT data FROM feed_changes WHERE kind = 'form_templates' AND key = ? AND deleted = 0", (code,)
        )
        document = json.loads(rows[0]["data"]) if rows else None
        return document if isinstance(document, dict) else None

    def feed_entry(self, kind: str, key: str) -> FeedEntry | None:
        """The latest published entry of ``key`` in a feed (a tombstone included), or None."""
        rows = self._read(
            "SELECT key, version, deleted, data FROM feed_changes WHERE kind = ? AND key = ?", (kind, key)
        )
        if not rows:
            return None
        row = rows[0]
        data = None if row["data"] is None else json.loads(row["data"])
        return FeedEntry(key=row["key"], version=row["version"], deleted=bool(row["deleted"]), data=data)

    def sealed_counts(self) -> dict[str, int]:
        """How many sealed values the key opens: record bodies, people's identities."""
        records = self._read("SELECT COUNT(*) FROM records")[0][0]
        people = self._read("SELECT COUNT(*) FROM people")[0][0]
        return {"records": int(records), "people": int(people)}

    def _open_record(self, row: Row) -> tuple[Any, str]:
        try:
            plain = self._keys.open(
                row["body"], bound_to=record_binding(row["terminal_id"], row["idempotency_key"])
            )
        except (KeyFileError, TypeError) as exc:
            log.error("record %s: the sealed body does not open: %s", row["record_id"], exc)
            return None, str(exc)
        return json.loads(plain), ""

    # --- cases ------------------------------------------------------------------------------------------------

    def person_key(self, id_number: str) -> str:
        """The key cases are filed under: the keyed hash (HMAC-SHA256, or HMAC-SM3 for guomi) of the ID number
        (spaces trimmed, ``x`` as ``X``) under the key file's lookup key. ``ValueError`` for text that is not
        valid Unicode (a lone surrogate)."""
        return self._keys.lookup(id_number.strip().upper())

    def cases_for(self, id_number: str) -> list[dict[str, Any]]:
        """The person's cases as the protocol's ``Case`` objects, the most recently updated first."""
        rows = self._read(
            "SELECT case_id, receipt, title, department, state, updated_at, history FROM cases "
            "WHERE person_key = ?",
            (self.person_key(id_number),),
        )
        cases = [_case(row) for row in rows]
        cases.sort(key=lambda c: (datetime.fromisoformat(c["updated_at"]), c["case_id"]), reverse=True)
        return cases

    def case_by_receipt(self, receipt: str) -> dict[str, Any] | None:
        """The case of ``receipt`` however it is typed: with or without spaces and hyphens, in either case."""
        rows = self._read(
            "SELECT case_id, receipt, title, department, state, updated_at, history FROM cases "
            "WHERE upper(receipt) = ?",
            (receipt_key(receipt),),
        )
        return _case(rows[0]) if rows else None

    def add_case(
        self,
        id_number: str,
        receipt: str,
        title: str,
        department: str,
        history: Sequence[tuple[str, str, str]],
    ) -> str | None:
        """Open a case with its history so far, ``(state, ISO time, note)`` oldest first (demo data, an operator's
        import); its id, or None when the receipt has a case already (nothing changes)."""
        if not history:
            raise StoreError("a case has at least its 已受理 step")
        steps = [_step(state, at, note) for state, at, note in history]
        with self._write() as db:
            return self._insert_case(db, self.person_key(id_number), receipt, title, department, steps, None)

    def set_case_state(self, case_id: str, state: str, note: str = "", at: str | None = None) -> bool:
        """Move a case on (审核中, 已办结, 需补正 …), appending the step to its history; False: no such case."""
        step = _step(state, at or now_iso(), note)
        with self._write() as db:
            row = db.execute("SELECT history FROM cases WHERE case_id = ?", (case_id,)).fetchone()
            if row is None:
                return False
            history = [*json.loads(row["history"]), step]
            db.execute(
                "UPDATE cases SET state = ?, updated_at = ?, history = ? WHERE case_id = ?",
                (step["state"], step["at"], _json(history), case_id),
            )
        log.info("case %s: %s", case_id, step["state"])
        return True

    def cases(self, id_number: str | None = None) -> list[dict[str, Any]]:
        """Every case (or one person's), the most recently updated first: for the operator's ``case list``."""
        if id_number is not None:
            return self.cases_for(id_number)
        rows = self._read("SELECT case_id, receipt, title, department, state, updated_at, history FROM cases")
        cases = [_case(row) for row in rows]
        cases.sort(key=lambda c: (datetime.fromisoformat(c["updated_at"]), c["case_id"]), reverse=True)
        return cases

    def set_case_state_by_receipt(
        self, receipt: str, state: str, note: str = "", at: str | None = None
    ) -> dict[str, Any] | None:
        """Move the case of ``receipt`` on (a step appended to its history); the case as it now is, or None when
        no case has that receipt."""
        case = self.case_by_receipt(receipt)
        if case is None or not self.set_case_state(case["case_id"], state, note, at):
            return None
        return self.case_by_receipt(receipt)

    # --- people and identity codes (身份码) ----------------------------------------------------------------------

    def save_person(self, person: dict[str, Any], *, replace: bool = True) -> bool:
        """Remember a person an identity code may be issued to (``PERSON_FIELDS``; name and ID number required),
        sealed under their person key. With ``replace`` false a person already known is kept as they are; True
        when something was written."""
        values = _person(person)
        key = self.person_key(values["id_number"])
        sealed = self._seal(key, _json(values).encode("utf-8"))
        with self._write() as db:
            on_conflict = (
                "DO UPDATE SET identity = excluded.identity, updated_at = excluded.updated_at"
                if replace
                else "DO NOTHING"
            )
            written = db.execute(
                "INSERT INTO people (person_key, identity, updated_at) VALUES (?, ?, ?) "
                f"ON CONFLICT (person_key) {on_conflict}",
                (key, sealed, now_iso()),
            ).rowcount
        return bool(written)

    def person(self, id_number: str) -> dict[str, str] | None:
        """The person with this ID number as the center knows them, or None."""
        key = self.person_key(id_number)
        rows = self._read("SELECT identity FROM people WHERE person_key = ?", (key,))
        return self._open_person(key, rows[0]["identity"]) if rows else None

    def issue_identity_code(
        self, id_number: str, ttl_s: float = IDENTITY_CODE_TTL_S, *, now: float | None = None
    ) -> IssuedCode:
        """A new code for a known person, valid ``ttl_s`` seconds from ``now``; ``StoreError`` for a person the
        center does not know or a TTL out of range. Only the code's hash is stored."""
        if not 0 < ttl_s <= IDENTITY_CODE_TTL_MAX_S:
            raise StoreError(f"a code's lifetime is 1-{IDENTITY_CODE_TTL_MAX_S} s")
        key = self.person_key(id_number)
        issued = time.time() if now is None else now
        expires = issued + ttl_s
        with self._write() as db:
            if db.execute("SELECT 1 FROM people WHERE person_key = ?", (key,)).fetchone() is None:
                raise StoreError("the center does not know this person: add them first (name, ID number …)")
            db.execute("DELETE FROM identity_codes WHERE expires_at < ?", (issued - _IDENTITY_CODE_KEEP_S,))
            while True:
                code = IDENTITY_CODE_PREFIX + secrets.token_urlsafe(_CODE_RANDOM_BYTES)
                inserted = db.execute(
                    "INSERT INTO identity_codes (code_hash, person_key, issued_at, expires_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (code_hash) DO NOTHING",
                    (code_hash(code), key, _iso_at(issued), expires),
                ).rowcount
                if inserted:
                    break
        log.info("identity code issued (valid until %s)", _iso_at(expires))
        return IssuedCode(code, _iso_at(expires))

    def resolve_identity_code(
        self, code: str, terminal_id: str, *, now: float | None = None
    ) -> dict[str, Any] | None:
        """The identity a code stands for (the protocol's ``IdentityInfo``), the code used up in the same
        transaction; None for a code that is unknown, expired or used before. ``ValueError`` for text that is
        not valid Unicode. Why a code was refused is logged here only, never the code or the person."""
        hashed = code_hash(code)
        at = time.time() if now is None else now
        with self._write() as db:
            row = db.execute(
                "SELECT person_key, expires_at, used_at FROM identity_codes WHERE code_hash = ?", (hashed,)
            ).fetchone()
            if row is None:
                reason = "unknown code"
            elif row["used_at"] is not None:
                reason = "code used before"
            elif row["expires_at"] <= at:
                reason = "code expired"
            else:
                reason = ""
            if reason:
                log.warning("identity code refused for terminal %s: %s", terminal_id, reason)
                return None
            person = db.execute(
                "SELECT identity FROM people WHERE person_key = ?", (row["person_key"],)
            ).fetchone()
            if person is None:
                log.warning(
                    "identity code refused for terminal %s: the person is no longer known", terminal_id
                )
                return None
            # Opened before the code is used up: an identity that does not open leaves the code as it was.
            identity: dict[str, Any] = dict(self._open_person(row["person_key"], person["identity"]))
            db.execute(
                "UPDATE identity_codes SET used_at = ?, used_by = ? WHERE code_hash = ?",
                (_iso_at(at), terminal_id, hashed),
            )
        identity["birth_date"] = identity["birth_date"] or None
        identity["card_type"] = IDENTITY_CODE_TYPE
        identity["expires_at"] = _iso_at(row["expires_at"])
        log.info("identity code resolved for terminal %s", terminal_id)
        return identity

    def _seal(self, bound_to: str, plain: bytes) -> bytes:
        return self._keys.seal(plain, bound_to=person_binding(bound_to))

    def _open_person(self, bound_to: str, sealed: bytes) -> dict[str, str]:
        try:
            plain = self._keys.open(sealed, bound_to=person_binding(bound_to))
        except KeyFileError as exc:
            raise StoreError(f"a sealed identity does not open: {exc}") from None
        person: dict[str, str] = json.loads(plain)
        return person

    def _open_case(self, db: Connection, body: dict[str, Any], record_id: int | None, at: str) -> None:
        """A submission's case, 已受理 now: its receipt and the form's title and department (from the template
        published on the form_templates feed). A body that names no receipt or no applicant opens none."""
        receipt = body.get("receipt")
        values = body.get("values")
        if body.get("format") != SUBMISSION_FORMAT or not isinstance(receipt, str) or not receipt:
            return
        template = body.get("template")
        code = template.get("code") if isinstance(template, dict) else None
        document: dict[str, Any] = {}
        if isinstance(code, str):
            row = db.execute(
                "SELECT data FROM feed_changes WHERE kind = 'form_templates' AND key = ? AND deleted = 0",
                (code,),
            ).fetchone()
            document = json.loads(row["data"]) if row is not None else {}
        id_number = values.get(applicant_field(document)) if isinstance(values, dict) else None
        if not isinstance(id_number, str) or not id_number.strip():
            log.info("submission record %s names no applicant ID number: no case opened", record_id)
            return
        title = document.get("title") if isinstance(document.get("title"), str) else None
        department = document.get("department") if isinstance(document.get("department"), str) else ""
        case_id = self._insert_case(
            db,
            self.person_key(id_number),
            receipt,
            title or (code if isinstance(code, str) else "自助申请"),
            department or "",
            [_step(ACCEPTED, at, "")],
            record_id,
        )
        if case_id is not None:
            log.info("case %s opened (submission record %s)", case_id, record_id)

    @staticmethod
    def _insert_case(
        db: Connection,
        person_key: str,
        receipt: str,
        title: str,
        department: str,
        history: list[dict[str, str]],
        record_id: int | None,
    ) -> str | None:
        inserted = db.execute(
            "INSERT INTO cases (receipt, person_key, title, department, state, updated_at, history, "
            "record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (receipt) DO NOTHING RETURNING seq",
            (
                receipt,
                person_key,
                title,
                department,
                history[-1]["state"],
                history[-1]["at"],
                _json(history),
                record_id,
            ),
        )
        row = inserted.fetchone()
        if row is None:
            return None
        case_id = f"C{int(row['seq']):08d}"
        db.execute("UPDATE cases SET case_id = ? WHERE seq = ?", (case_id, row["seq"]))
        return case_id


def _step(state: str, at: str, note: str) -> dict[str, str]:
    if state not in CASE_STATES:
        raise StoreError(f"a case state is one of {', '.join(CASE_STATES)}")
    try:
        if datetime.fromisoformat(at).utcoffset() is None:
            raise ValueError
    except ValueError:
        raise StoreError(f"{at!r} is not an ISO-8601 time with an offset") from None
    return {"state": state, "at": at, "note": note}


def _json(value: Any) -> str:
    return canonical_json(value).decode("utf-8")


def _iso_at(unix: float) -> str:
    return datetime.fromtimestamp(unix).astimezone().isoformat(timespec="seconds")


_PERSON_LIMITS = {"name": 128, "id_number": 64, "sex": 8, "nation": 32, "birth_date": 10, "address": 256}


def _person(person: dict[str, Any]) -> dict[str, str]:
    """A person's fields, checked: the protocol's ``IdentityInfo`` must take what a code resolves to."""
    values: dict[str, str] = {}
    for name in PERSON_FIELDS:
        value = person.get(name) or ""
        if isinstance(value, date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise StoreError(f"{name}: must be text")
        value = value.strip()
        if len(value) > _PERSON_LIMITS[name]:
            raise StoreError(f"{name}: at most {_PERSON_LIMITS[name]} characters")
        values[name] = value
    for required in ("name", "id_number"):
        if not values[required]:
            raise StoreError(f"{required}: required")
    values["id_number"] = values["id_number"].upper()
    if values["birth_date"]:
        try:
            if len(values["birth_date"]) != 10 or values["birth_date"][4] != "-":
                raise ValueError
            date.fromisoformat(values["birth_date"])
        except ValueError:
            raise StoreError("birth_date: a date as YYYY-MM-DD") from None
    return values


def _case(row: Row) -> dict[str, Any]:
    return {
        "case_id": row["case_id"],
        "receipt": row["receipt"],
        "title": row["title"],
        "department": row["department"],
        "state": row["state"],
        "updated_at": row["updated_at"],
        "history": json.loads(row["history"]),
    }


def _terminal(row: Row) -> Terminal:
    return Terminal(
        terminal_id=row["id"],
        name=row["name"],
        algorithm=row["algorithm"],
        enabled=bool(row["enabled"]),
        created_at=row["created_at"],
        secret=bytes(row["secret"]),
        last_heartbeat=None if row["last_heartbeat"] is None else json.loads(row["last_heartbeat"]),
        last_heartbeat_at=row["last_heartbeat_at"],
        last_seen_at=row["last_seen_at"],
        region=row["region"],
        unit=row["unit"],
    )
