"""Opening a center database with its key file, and sealing what an older database kept in clear.

A database from before the key file kept its keys in its own ``meta`` table (``person_key``, ``identity_key``)
and the record bodies (names, ID numbers, phone numbers, addresses, signatures) in clear. Opened the first time
with this version, it is migrated in one transaction: the key file is written first (the person key carried over,
so the cases stay filed where they are), then every record body is sealed and its fingerprint keyed, every
person's identity is sealed again under the file's key, and the keys leave the database. Then the file is
rebuilt (``VACUUM``) and the write-ahead log emptied, so the clear text does not linger in free pages. Databases
from before the key file are SQLite files only: a PostgreSQL database is sealed from its first start.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.center.db import Connection, Database
from kiosk.center.keyfile import CenterKeys, KeyFileError, create_key_file, load_keys, new_keys
from kiosk.protocol.canonical import canonical_json

log = logging.getLogger(__name__)

_LEGACY_NONCE_BYTES = 12
_BATCH = 500


def record_binding(terminal_id: str, idempotency_key: str) -> str:
    """What a record's sealed body is bound to: it opens in its own row only."""
    return f"record:{terminal_id}:{idempotency_key}"


def person_binding(person_key: str) -> str:
    return f"person:{person_key}"


def open_keys(database: Database, key_path: Path | None, suite: str) -> CenterKeys:
    """The keys of this database: read from ``key_path``, or created there on first start (``suite``), and the
    database migrated if it is older than the key file. ``key_path`` None: keys in memory only (a ``:memory:``
    database). :class:`KeyFileError` when the file is missing or another center's."""
    meta = {row["name"]: row["value"] for row in database.query("SELECT name, value FROM meta")}
    known = _text(meta.get("key_id"))
    legacy_lookup = meta.get("person_key")
    if key_path is None:
        keys = new_keys(suite, lookup_key=legacy_lookup)
    elif key_path.exists() or key_path.is_symlink():
        keys = load_keys(key_path)
    elif known:
        raise KeyFileError(
            f"the center's key file {key_path} is missing: this database's personal data is sealed with it "
            f"(key id {known}). Restore the file from its backup next to the database (docs/center.md, "
            "'The center's key'); without it the sealed data cannot be read"
        )
    else:
        keys = create_key_file(key_path, new_keys(suite, lookup_key=legacy_lookup))
        log.info("created the center's key file %s (%s, key id %s)", key_path, keys.suite, keys.key_id)
    if known and known != keys.key_id:
        raise KeyFileError(
            f"the key file {key_path} (key id {keys.key_id}) is not this database's (sealed with key id "
            f"{known}): put the right key file next to the database"
        )
    if not known and legacy_lookup is not None and bytes(legacy_lookup) != keys.lookup_key:
        raise KeyFileError(
            f"the key file {key_path} belongs to another center: this database's cases are filed under "
            "another key. Move that file away and start again (a key file is then made from this database)"
        )
    if not known and _seal_existing(database, keys, meta.get("identity_key")):
        database.compact()  # the clear text must not linger in free pages
    return keys


def _text(value: object) -> str | None:
    if value is None:
        return None
    return bytes(value).decode("ascii") if isinstance(value, bytes | memoryview) else str(value)


def _seal_existing(database: Database, keys: CenterKeys, legacy_identity: bytes | None) -> int:
    """Seal what the database kept in clear and take its keys out of it; the number of values sealed."""
    sealed = 0
    with database.transaction() as db:
        if db.execute("SELECT 1 FROM meta WHERE name = 'key_id'").fetchone() is not None:
            return 0  # another process did it meanwhile
        if database.backend != "sqlite":  # nothing was ever kept in clear there: only the key id to record
            db.execute("INSERT INTO meta (name, value) VALUES ('key_id', ?)", (keys.key_id.encode("ascii"),))
            return 0
        clear = db.execute(
            "SELECT record_id, terminal_id, idempotency_key, kind, body FROM records WHERE typeof(body) = 'text'"
        ).fetchall()
        updates = []
        for record_id, terminal_id, key, kind, body in clear:
            canonical = canonical_json({"kind": kind, "body": json.loads(body)})
            updates.append(
                (
                    keys.seal(body.encode("utf-8"), bound_to=record_binding(terminal_id, key)),
                    keys.fingerprint(canonical),
                    record_id,
                )
            )
            if len(updates) >= _BATCH:
                sealed += _update_records(db, updates)
        sealed += _update_records(db, updates)
        people = db.execute("SELECT person_key, identity FROM people").fetchall()
        for person_key, identity in people:
            plain = _open_legacy_identity(bytes(identity), person_key, legacy_identity)
            db.execute(
                "UPDATE people SET identity = ? WHERE person_key = ?",
                (keys.seal(plain, bound_to=person_binding(person_key)), person_key),
            )
            sealed += 1
        db.execute("DELETE FROM meta WHERE name IN ('person_key', 'identity_key')")
        db.execute("INSERT INTO meta (name, value) VALUES ('key_id', ?)", (keys.key_id,))
    if sealed:
        log.warning("sealed %d records and identities kept in clear by an earlier version", sealed)
    return sealed


def _update_records(db: Connection, updates: list[tuple[bytes, str, int]]) -> int:
    db.executemany("UPDATE records SET body = ?, fingerprint = ? WHERE record_id = ?", updates)
    done = len(updates)
    updates.clear()
    return done


def _open_legacy_identity(sealed: bytes, person_key: str, legacy_key: bytes | None) -> bytes:
    if legacy_key is None:
        raise KeyFileError("the database holds identities but not the key they were sealed with")
    try:
        return AESGCM(bytes(legacy_key)).decrypt(
            sealed[:_LEGACY_NONCE_BYTES], sealed[_LEGACY_NONCE_BYTES:], person_key.encode("ascii")
        )
    except InvalidTag:
        raise KeyFileError("an identity sealed by an earlier version does not open (tampered with)") from None
