"""The center's key file: the keys that seal personal data at rest, kept outside the database (docs/center.md).

``center.key`` sits next to ``center.db`` (the database's name with ``.key``), readable by its owner only. It holds
two keys and the suite they belong to:

- the *seal* key: AES-256-GCM (``standard``) or SM4-GCM with a 128-bit key (``guomi``, 国密) over the personal
  fields at rest (record bodies, the identities of people);
- the *lookup* key: HMAC-SHA256 (``standard``) or HMAC-SM3 (``guomi``) over ID numbers, the column cases are
  found by, and over record bodies, the fingerprint that tells a resent record from a changed one.

A copy of the database alone therefore shows no name, ID number, phone number, address or signature, and does not
let anyone test a guessed ID number against it. The database remembers the key's id (``meta.key_id``), so a key
file of another center, or a database opened without its key, is refused with a message instead of being used.

Sealed values are ``version (1) | suite (1) | key id (4) | nonce (12) | ciphertext + GCM tag (16)``; the header and
what the value is bound to (``record:<terminal>:<idempotency key>``, ``person:<person key>``) are its associated
data, so a sealed value copied to another row does not open.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.center.private_file import private_problem, write_once

KEY_FORMAT: Final = "kiosk-center-key/1"
SUITES: Final = ("standard", "guomi")
_SUITE_IDS: Final = {"standard": 1, "guomi": 2}
_SEAL_BYTES: Final = {"standard": 32, "guomi": 16}
LOOKUP_BYTES: Final = 32
ENVELOPE_VERSION: Final = 1
_KEY_ID_BYTES: Final = 4
_NONCE_BYTES: Final = 12
_TAG_BYTES: Final = 16
_HEADER_BYTES: Final = 2 + _KEY_ID_BYTES + _NONCE_BYTES
_FINGERPRINT_LABEL: Final = b"kiosk-record-fingerprint\x00"


class KeyFileError(ValueError):
    """A key file that cannot be used (missing, unreadable, readable by others, malformed, another center's), or
    a sealed value that does not open. The message says what to do; it never holds a key."""


def key_path_for(db_path: Path) -> Path:
    """Where the key of ``db_path`` lives: beside it, the database's name with ``.key`` (center.db → center.key)."""
    return db_path.with_name(db_path.stem + ".key")


@dataclass(frozen=True, slots=True)
class CenterKeys:
    """The center's keys (left out of the repr). Made by :func:`new_keys` or read by :func:`load_keys`."""

    suite: str
    created_at: str
    seal_key: bytes = field(repr=False)
    lookup_key: bytes = field(repr=False)

    @property
    def key_id(self) -> str:
        """8 hex digits naming this pair of keys (stored in the database; reveals nothing of the keys)."""
        digest = hashlib.sha256(b"kiosk-center-key-id\x00" + self.seal_key + self.lookup_key).digest()
        return digest[:_KEY_ID_BYTES].hex()

    # -- lookups ---------------------------------------------------------------------------------------------

    def lookup(self, text: str) -> str:
        """Keyed hash (hex) of ``text``: HMAC-SHA256, or HMAC-SM3 for guomi. ``ValueError`` for text that is not
        valid Unicode."""
        return self._mac(text.encode("utf-8"))

    def fingerprint(self, canonical: bytes) -> str:
        """What "the same record" compares, keyed: a copy of the table cannot be used to confirm a guessed body."""
        return self._mac(_FINGERPRINT_LABEL + canonical)

    def _mac(self, message: bytes) -> str:
        if self.suite == "standard":
            return hmac.new(self.lookup_key, message, hashlib.sha256).hexdigest()
        mac = crypto_hmac.HMAC(self.lookup_key, hashes.SM3())
        mac.update(message)
        return mac.finalize().hex()

    # -- sealing ---------------------------------------------------------------------------------------------

    def seal(self, plain: bytes, *, bound_to: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        header = bytes((ENVELOPE_VERSION, _SUITE_IDS[self.suite])) + bytes.fromhex(self.key_id) + nonce
        aad = header + b"\x00" + bound_to.encode("utf-8")
        try:
            if self.suite == "standard":
                return header + AESGCM(self.seal_key).encrypt(nonce, plain, aad)
            encryptor = Cipher(algorithms.SM4(self.seal_key), modes.GCM(nonce)).encryptor()
            encryptor.authenticate_additional_data(aad)
            body = encryptor.update(plain) + encryptor.finalize()
            return header + body + encryptor.tag
        except UnsupportedAlgorithm:
            raise KeyFileError(f"this system's OpenSSL cannot seal with the {self.suite} suite") from None

    def open(self, sealed: bytes, *, bound_to: str) -> bytes:
        sealed = bytes(sealed)
        if len(sealed) < _HEADER_BYTES + _TAG_BYTES or sealed[0] != ENVELOPE_VERSION:
            raise KeyFileError("a sealed value is damaged (too short, or an unknown envelope)")
        if sealed[1] != _SUITE_IDS[self.suite] or sealed[2 : 2 + _KEY_ID_BYTES].hex() != self.key_id:
            raise KeyFileError("a sealed value was sealed with another key (another center's key file?)")
        header, nonce, body = (
            sealed[:_HEADER_BYTES],
            sealed[2 + _KEY_ID_BYTES : _HEADER_BYTES],
            sealed[_HEADER_BYTES:],
        )
        aad = header + b"\x00" + bound_to.encode("utf-8")
        try:
            if self.suite == "standard":
                return AESGCM(self.seal_key).decrypt(nonce, body, aad)
            decryptor = Cipher(
                algorithms.SM4(self.seal_key), modes.GCM(nonce, body[-_TAG_BYTES:])
            ).decryptor()
            decryptor.authenticate_additional_data(aad)
            return decryptor.update(body[:-_TAG_BYTES]) + decryptor.finalize()
        except InvalidTag:
            raise KeyFileError(
                "a sealed value does not open (tampered with, or moved to another row)"
            ) from None
        except UnsupportedAlgorithm:
            raise KeyFileError(f"this system's OpenSSL cannot open the {self.suite} suite") from None


def new_keys(suite: str = "standard", *, lookup_key: bytes | None = None) -> CenterKeys:
    """Fresh keys; ``lookup_key`` keeps an existing one (a database from before the key file, whose cases are
    filed under HMAC-SHA256 with it)."""
    if suite not in SUITES:
        raise KeyFileError(f"unknown crypto suite {suite!r}; one of {', '.join(SUITES)}")
    return CenterKeys(
        suite=suite,
        created_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        seal_key=secrets.token_bytes(_SEAL_BYTES[suite]),
        lookup_key=lookup_key if lookup_key is not None else secrets.token_bytes(LOOKUP_BYTES),
    )


def load_keys(path: Path) -> CenterKeys:
    """The keys in ``path``; :class:`KeyFileError` saying what to do when the file cannot be used."""
    _check_private(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"the center's key file {path} is missing") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise KeyFileError(f"the center's key file {path} cannot be read ({reason})") from None
    try:
        if not isinstance(document, dict) or document.get("format") != KEY_FORMAT:
            raise ValueError("not a kiosk-center-key/1 file")
        suite = document["suite"]
        if suite not in SUITES:
            raise ValueError(f"unknown suite {suite!r}")
        seal_key = bytes.fromhex(document["seal_key"])
        lookup_key = bytes.fromhex(document["lookup_key"])
        if len(seal_key) != _SEAL_BYTES[suite] or len(lookup_key) != LOOKUP_BYTES:
            raise ValueError("a key has the wrong length")
        keys = CenterKeys(suite, str(document.get("created_at", "")), seal_key, lookup_key)
        if document.get("key_id") not in (None, keys.key_id):
            raise ValueError("the key id does not match the keys")
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(
            f"the center's key file {path} is damaged ({exc}); restore it from its backup"
        ) from None
    return keys


def create_key_file(path: Path, keys: CenterKeys) -> CenterKeys:
    """Write ``keys`` to ``path``, owner-only, unless a key file is there already; the keys the file then holds
    (another process may have created it first: everyone ends up with the same keys)."""
    document = {
        "format": KEY_FORMAT,
        "suite": keys.suite,
        "key_id": keys.key_id,
        "created_at": keys.created_at,
        "seal_key": keys.seal_key.hex(),
        "lookup_key": keys.lookup_key.hex(),
        "note": "The key of this center's sealed personal data. Keep it with (not in) the database backups, "
        "owner-only; without it the sealed data cannot be read. docs/center.md",
    }
    data = (json.dumps(document, indent=2) + "\n").encode("utf-8")
    return keys if write_once(path, data) else load_keys(path)


def _check_private(path: Path) -> None:
    """On POSIX a key file must be a regular file of this user that nobody else may read."""
    problem = private_problem(path, f"the center's key file {path}")
    if problem is not None:
        raise KeyFileError(problem)


def describe(keys: CenterKeys) -> dict[str, Any]:
    """What an operator may see of the keys: suite, id, created (never a key)."""
    return {"suite": keys.suite, "key_id": keys.key_id, "created_at": keys.created_at}
