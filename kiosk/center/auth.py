"""Who is asking: the protocol's request authentication, with the reason for a refusal logged here only.

The terminal learns nothing from a 401 beyond "unauthorized" (docs/protocol.md); an operator reads the reason in
the center's log. No log line carries a secret, a signature or a body.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from kiosk.center.store import Store
from kiosk.protocol import (
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    SigningError,
    verify,
)
from kiosk.protocol.signing import is_valid_nonce, parse_signature, parse_timestamp, within_skew

log = logging.getLogger(__name__)

_MAX_TERMINAL_ID = 64


class _Refused(Exception):
    def __init__(self, terminal_id: str | None, reason: str) -> None:
        super().__init__(reason)
        self.terminal_id = terminal_id
        self.reason = reason


def authenticate(
    store: Store,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    now: float,
) -> str | None:
    """The terminal id of a correctly signed, fresh, first-seen request from an enabled terminal, else None."""
    try:
        return _check(store, method, path, query, headers, body, now)
    except _Refused as refused:
        log.warning("401 for terminal %r: %s", refused.terminal_id, refused.reason)
        return None


def _check(
    store: Store, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes, now: float
) -> str:
    terminal_id = headers.get(HEADER_TERMINAL)
    timestamp_text = headers.get(HEADER_TIMESTAMP)
    nonce = headers.get(HEADER_NONCE)
    signature = headers.get(HEADER_SIGNATURE)
    if terminal_id is None or timestamp_text is None or nonce is None or signature is None:
        raise _Refused(terminal_id, "a signing header is missing")
    if not terminal_id or len(terminal_id) > _MAX_TERMINAL_ID or not terminal_id.isprintable():
        raise _Refused(None, "malformed terminal header")
    terminal = store.terminal(terminal_id)
    if terminal is None:
        raise _Refused(terminal_id, "unknown terminal")
    if not terminal.enabled:
        raise _Refused(terminal_id, "terminal disabled")
    try:
        timestamp = parse_timestamp(timestamp_text)
        algorithm, _ = parse_signature(signature)
    except SigningError as exc:
        raise _Refused(terminal_id, str(exc)) from None
    if not is_valid_nonce(nonce):
        raise _Refused(terminal_id, "malformed nonce header")
    if algorithm != terminal.algorithm:
        raise _Refused(terminal_id, f"signed with {algorithm}, the terminal uses {terminal.algorithm}")
    if not within_skew(timestamp, now):
        raise _Refused(
            terminal_id, f"timestamp {timestamp} is {timestamp - now:+.0f} s from the center's clock"
        )
    if not verify(terminal.secret, algorithm, signature, method, path, query, timestamp, nonce, body):
        raise _Refused(terminal_id, f"bad signature on {method} {path}")
    if not store.remember_nonce(terminal_id, nonce, now):
        raise _Refused(terminal_id, "nonce replayed")
    return terminal_id
