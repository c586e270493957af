"""Request signing (docs/protocol.md, "Terminal credentials and request signing").

Both ends build the same canonical request from what travels on the wire, so this module takes the method, path,
query, timestamp, nonce and exact body bytes and nothing else. It is pure: no clock, no I/O, except ``new_secret``
and ``new_nonce`` which draw random bytes. Secrets are plain ``bytes`` and never appear in a message of this module.
"""

from __future__ import annotations

import hmac as std_hmac
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Final
from urllib.parse import parse_qsl, quote

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac

HMAC_SHA256: Final = "HMAC-SHA256"
HMAC_SM3: Final = "HMAC-SM3"
ALGORITHMS: Final = (HMAC_SHA256, HMAC_SM3)
DEFAULT_ALGORITHM: Final = HMAC_SHA256

HEADER_TERMINAL: Final = "X-Kiosk-Terminal"
HEADER_TIMESTAMP: Final = "X-Kiosk-Timestamp"
HEADER_NONCE: Final = "X-Kiosk-Nonce"
HEADER_SIGNATURE: Final = "X-Kiosk-Signature"
HEADER_SERVER_TIME: Final = "X-Kiosk-Server-Time"
AUTH_HEADERS: Final = (HEADER_TERMINAL, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE)

SKEW_WINDOW_S: Final = 300
NONCE_TTL_S: Final = 600
SECRET_BYTES: Final = 32
NONCE_BYTES: Final = 16

_NONCE_RE = re.compile(r"[0-9a-f]{32}")
_TIMESTAMP_RE = re.compile(r"-?[0-9]{1,15}")
_SIGNATURE_RE = re.compile(r"(HMAC-SHA256|HMAC-SM3) ([0-9a-f]{64})")
_SECRET_RE = re.compile(r"[0-9a-fA-F]{64}")
_UNRESERVED = "-._~"  # RFC 3986: letters, digits and these stay as they are

Query = str | Mapping[str, str | int | Sequence[str | int]] | Iterable[tuple[str, str | int]]


class SigningError(ValueError):
    """A credential or header that cannot be used (wrong length, unknown algorithm). Never carries a secret."""


def _hash_algorithm(algorithm: str) -> hashes.HashAlgorithm:
    if algorithm == HMAC_SHA256:
        return hashes.SHA256()
    if algorithm == HMAC_SM3:
        return hashes.SM3()
    raise SigningError(f"unknown signing algorithm {algorithm!r}")


def body_hash(body: bytes, algorithm: str) -> str:
    """Hex digest of the exact body bytes with the algorithm's hash (SHA-256 or SM3); empty body: hash of b""."""
    digest = hashes.Hash(_hash_algorithm(algorithm))
    digest.update(body)
    return digest.finalize().hex()


def _pairs(query: Query | None) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, str):
        # A raw query string as sent: form decoding ('+' is a space), blanks kept ("a=" and "a" are both a="").
        return parse_qsl(query.lstrip("?"), keep_blank_values=True)
    if isinstance(query, Mapping):
        pairs: list[tuple[str, str]] = []
        for name, value in query.items():
            if isinstance(value, str | int):
                pairs.append((name, str(value)))
            else:
                pairs.extend((name, str(item)) for item in value)
        return pairs
    return [(name, str(value)) for name, value in query]


def canonical_query(query: Query | None) -> str:
    """Parameters percent-encoded (RFC 3986, UTF-8, space as %20), sorted by encoded name then value, joined by &.

    ``query`` is the raw query string as sent (without or with the leading ``?``), a mapping (a value may be a
    list for a repeated parameter) or a sequence of (name, value) pairs.
    """
    encoded = sorted(
        (quote(name, safe=_UNRESERVED), quote(value, safe=_UNRESERVED)) for name, value in _pairs(query)
    )
    return "&".join(f"{name}={value}" for name, value in encoded)


def canonical_request(
    method: str,
    path: str,
    query: Query | None,
    timestamp: int,
    nonce: str,
    body: bytes,
    algorithm: str,
) -> bytes:
    """``METHOD \\n PATH \\n CANONICAL_QUERY \\n TIMESTAMP \\n NONCE \\n hex(HASH(body))`` as UTF-8 bytes."""
    lines = (
        method.upper(),
        path,
        canonical_query(query),
        str(int(timestamp)),
        nonce,
        body_hash(body, algorithm),
    )
    return "\n".join(lines).encode("utf-8")


def _mac(secret: bytes, algorithm: str, message: bytes) -> str:
    if len(secret) != SECRET_BYTES:
        raise SigningError(f"a terminal secret is {SECRET_BYTES} bytes")
    mac = crypto_hmac.HMAC(secret, _hash_algorithm(algorithm))
    mac.update(message)
    return mac.finalize().hex()


def sign(
    secret: bytes,
    algorithm: str,
    method: str,
    path: str,
    query: Query | None,
    timestamp: int,
    nonce: str,
    body: bytes,
) -> str:
    """The ``X-Kiosk-Signature`` header value, e.g. ``HMAC-SHA256 <64 hex>``."""
    message = canonical_request(method, path, query, timestamp, nonce, body, algorithm)
    return f"{algorithm} {_mac(secret, algorithm, message)}"


def signed_headers(
    terminal_id: str,
    secret: bytes,
    algorithm: str,
    method: str,
    path: str,
    query: Query | None,
    body: bytes,
    *,
    now: float,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four authentication headers for one request; ``now`` is the (skew-corrected) Unix time to sign with."""
    timestamp = int(now)
    nonce = nonce if nonce is not None else new_nonce()
    return {
        HEADER_TERMINAL: terminal_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: sign(secret, algorithm, method, path, query, timestamp, nonce, body),
    }


def parse_signature(value: str) -> tuple[str, str]:
    """Split a signature header into (algorithm, hex); ``SigningError`` when it is malformed."""
    match = _SIGNATURE_RE.fullmatch(value.strip())
    if match is None:
        raise SigningError("malformed signature header")
    return match.group(1), match.group(2)


def parse_timestamp(value: str) -> int:
    """The timestamp header as an int; ``SigningError`` when it is not whole seconds."""
    if _TIMESTAMP_RE.fullmatch(value.strip()) is None:
        raise SigningError("malformed timestamp header")
    return int(value)


def is_valid_nonce(value: str) -> bool:
    """Whether a nonce has the protocol's shape: 32 lowercase hex characters."""
    return _NONCE_RE.fullmatch(value) is not None


def verify(
    secret: bytes,
    algorithm: str,
    signature: str,
    method: str,
    path: str,
    query: Query | None,
    timestamp: int,
    nonce: str,
    body: bytes,
) -> bool:
    """Whether ``signature`` (the header value) is this request's signature with ``algorithm``.

    False for a malformed header or one naming another algorithm; the hex is compared in constant time.
    """
    try:
        claimed_algorithm, claimed = parse_signature(signature)
    except SigningError:
        return False
    if claimed_algorithm != algorithm:
        return False
    message = canonical_request(method, path, query, timestamp, nonce, body, algorithm)
    return std_hmac.compare_digest(claimed, _mac(secret, algorithm, message))


def within_skew(timestamp: int, now: float) -> bool:
    """Whether a request timestamp is at most ``SKEW_WINDOW_S`` seconds from the center's clock."""
    return abs(timestamp - now) <= SKEW_WINDOW_S


def new_secret() -> bytes:
    """A fresh terminal secret: 32 random bytes."""
    return secrets.token_bytes(SECRET_BYTES)


def new_nonce() -> str:
    """A fresh nonce: 16 random bytes as 32 lowercase hex characters."""
    return secrets.token_hex(NONCE_BYTES)


def secret_to_hex(secret: bytes) -> str:
    """The secret as the 64 hex characters the center hands out once."""
    if len(secret) != SECRET_BYTES:
        raise SigningError(f"a terminal secret is {SECRET_BYTES} bytes")
    return secret.hex()


def secret_from_hex(text: str) -> bytes:
    """The secret's 32 bytes from its 64 hex characters; ``SigningError`` (without the text) when malformed."""
    text = text.strip()
    if _SECRET_RE.fullmatch(text) is None:
        raise SigningError(f"a terminal secret is {2 * SECRET_BYTES} hex characters")
    return bytes.fromhex(text)
