"""Feed cursors: opaque to the terminal, tamper-evident to the center.

A cursor is ``base64url("v1:<kind>:<seq>") "." base64url(HMAC-SHA256(center key, payload)[:12])``. The key is
local to the center's database, so a forged cursor, a cursor of another feed or one from another center is
refused as ``bad_cursor`` instead of silently skipping or repeating changes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

_VERSION = "v1"
_MAC_BYTES = 12
_MAX_LENGTH = 200


class BadCursor(ValueError):
    """The cursor was not issued by this center for this feed."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()[:_MAC_BYTES]


def encode_cursor(key: bytes, kind: str, seq: int) -> str:
    payload = f"{_VERSION}:{kind}:{seq}".encode("ascii")
    return f"{_b64(payload)}.{_b64(_mac(key, payload))}"


def decode_cursor(key: bytes, kind: str, cursor: str | None) -> int:
    """The change sequence a cursor stands for; 0 for an absent or empty cursor (the beginning)."""
    if not cursor:
        return 0
    if len(cursor) > _MAX_LENGTH or cursor.count(".") != 1:
        raise BadCursor("malformed")
    payload_text, mac_text = cursor.split(".")
    try:
        payload, mac = _unb64(payload_text), _unb64(mac_text)
    except (binascii.Error, ValueError):
        raise BadCursor("malformed") from None
    if not hmac.compare_digest(mac, _mac(key, payload)):
        raise BadCursor("not issued here")
    version, _, rest = payload.decode("ascii", errors="replace").partition(":")
    cursor_kind, _, seq_text = rest.rpartition(":")
    if version != _VERSION or cursor_kind != kind or not seq_text.isdigit():
        raise BadCursor("another feed's cursor")
    return int(seq_text)
