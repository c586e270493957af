"""Canonical JSON: one byte string per value, so "the same body" means the same thing at both ends.

The center answers a resent record with its first answer only when the record's fingerprint is unchanged; the
terminal and the center must therefore compute the fingerprint from identical bytes whatever order the keys were
built in or how the JSON was spaced on the wire.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """Keys sorted, no insignificant white space, UTF-8 without escaping.

    ``ValueError`` for what has no canonical form: NaN, infinities and lone surrogates (``"\\ud800"`` parses
    as JSON but is no UTF-8 text).
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def record_fingerprint(kind: str, body: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``{"kind": kind, "body": body}``: what "same record" compares."""
    return hashlib.sha256(canonical_json({"kind": kind, "body": body})).hexdigest()
