"""Sealing records at rest: AES-256-GCM (standard) or SM4-GCM (国密 guomi) in a small versioned envelope.

Envelope, all big-endian bytes::

    version (1) | suite id (1) | key id (4) | nonce (12) | ciphertext + GCM tag (16)

The header and the row's binding (its idempotency key) are the associated data, so a ciphertext copied into
another row, or a header edited to point at another key or suite, fails to open instead of decrypting into the
wrong record. The suite and key id travel in the envelope, so rows sealed before a change of ``crypto_suite``
still open afterwards.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from kiosk.store.keystore import KEY_ID_BYTES, DataKey, KeystoreError

ENVELOPE_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
SUITE_IDS = {"standard": 1, "guomi": 2}
SUITE_NAMES = {v: k for k, v in SUITE_IDS.items()}
HEADER_BYTES = 2 + KEY_ID_BYTES + NONCE_BYTES


class SealError(ValueError):
    """A sealed value that cannot be opened: corrupt, tampered with, bound to another row, or its key is gone."""


class KeySource(Protocol):
    def data_key(self, suite: str, key_id: bytes | None = None) -> DataKey: ...


@dataclass(frozen=True, slots=True)
class EnvelopeHeader:
    version: int
    suite: str
    key_id: bytes
    nonce: bytes


def read_header(envelope: bytes) -> EnvelopeHeader:
    if len(envelope) < HEADER_BYTES + TAG_BYTES:
        raise SealError(f"sealed value too short ({len(envelope)} bytes)")
    if envelope[0] != ENVELOPE_VERSION:
        raise SealError(f"unknown envelope version {envelope[0]}")
    suite = SUITE_NAMES.get(envelope[1])
    if suite is None:
        raise SealError(f"unknown crypto suite id {envelope[1]}")
    return EnvelopeHeader(
        envelope[0], suite, envelope[2 : 2 + KEY_ID_BYTES], envelope[2 + KEY_ID_BYTES : HEADER_BYTES]
    )


def _associated(header: bytes, bound_to: str) -> bytes:
    return header + b"\x00" + bound_to.encode("utf-8")


def _encrypt(key: DataKey, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        return _encrypt_with(key, nonce, plaintext, aad)
    except UnsupportedAlgorithm:
        raise SealError(f"this system's OpenSSL cannot seal with the {key.suite} suite") from None


def _encrypt_with(key: DataKey, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    if key.suite == "standard":
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(key.key).encrypt(nonce, plaintext, aad)
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.SM4(key.key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return body + encryptor.tag


def _decrypt(key: DataKey, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm

    try:
        if key.suite == "standard":
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            return AESGCM(key.key).decrypt(nonce, sealed, aad)
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key.key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise SealError(
            "sealed value does not authenticate (tampered with, or bound to another row)"
        ) from None
    except UnsupportedAlgorithm:
        raise SealError(f"this system's OpenSSL cannot open the {key.suite} suite") from None


class Sealer:
    """Seals with the current key of ``suite``; opens anything sealed with a key the keystore still holds."""

    def __init__(self, keys: KeySource, suite: str) -> None:
        if suite not in SUITE_IDS:
            raise ValueError(f"unknown crypto suite {suite!r}")
        self._keys = keys
        self.suite = suite

    def __repr__(self) -> str:
        return f"Sealer(suite={self.suite!r})"

    def seal(self, plaintext: bytes, *, bound_to: str) -> bytes:
        key = self._keys.data_key(self.suite)
        nonce = secrets.token_bytes(NONCE_BYTES)
        header = bytes([ENVELOPE_VERSION, SUITE_IDS[key.suite]]) + key.key_id + nonce
        return header + _encrypt(key, nonce, plaintext, _associated(header, bound_to))

    def open(self, envelope: bytes, *, bound_to: str) -> bytes:
        header = read_header(envelope)
        try:
            key = self._keys.data_key(header.suite, header.key_id)
        except KeystoreError as exc:
            raise SealError(f"the key this value was sealed with is not available ({exc})") from None
        return _decrypt(
            key, header.nonce, envelope[HEADER_BYTES:], _associated(envelope[:HEADER_BYTES], bound_to)
        )
