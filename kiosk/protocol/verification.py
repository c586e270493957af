"""The server's side of request signing (docs/protocol.md, "Signing"), the same for the reference center and the
hall's queue service: who is asking, if the request is correctly signed, fresh, seen for the first time and comes
from an enabled terminal. The reason for a refusal is for the server's log only; the terminal hears just 401.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from kiosk.protocol.signing import (
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    SigningError,
    is_valid_nonce,
    parse_signature,
    parse_timestamp,
    verify,
    within_skew,
)

MAX_TERMINAL_ID = 64


class Signer(Protocol):
    """What a server knows of a terminal that signs its requests."""

    @property
    def secret(self) -> bytes: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def enabled(self) -> bool: ...


class RequestRefused(Exception):
    """A request that is not let in; ``reason`` says why, for the server's log (never for the caller)."""

    def __init__(self, terminal_id: str | None, reason: str) -> None:
        super().__init__(reason)
        self.terminal_id = terminal_id
        self.reason = reason


def check_request(
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    now: float,
    *,
    signer_of: Callable[[str], Signer | None],
    first_use: Callable[[str, str, float], bool],
    clock: str,
) -> str:
    """The terminal id of a correctly signed, fresh, first-seen request from an enabled terminal; otherwise
    RequestRefused. ``signer_of`` finds a terminal by its id; ``first_use(terminal_id, nonce, now)`` remembers a
    nonce and says whether it is new; ``clock`` names the server in the log ("center", "hall")."""
    terminal_id = headers.get(HEADER_TERMINAL)
    timestamp_text = headers.get(HEADER_TIMESTAMP)
    nonce = headers.get(HEADER_NONCE)
    signature = headers.get(HEADER_SIGNATURE)
    if terminal_id is None or timestamp_text is None or nonce is None or signature is None:
        raise RequestRefused(terminal_id, "a signing header is missing")
    if not terminal_id or len(terminal_id) > MAX_TERMINAL_ID or not terminal_id.isprintable():
        raise RequestRefused(None, "malformed terminal header")
    signer = signer_of(terminal_id)
    if signer is None:
        raise RequestRefused(terminal_id, "unknown terminal")
    if not signer.enabled:
        raise RequestRefused(terminal_id, "terminal disabled")
    try:
        timestamp = parse_timestamp(timestamp_text)
        algorithm, _ = parse_signature(signature)
    except SigningError as exc:
        raise RequestRefused(terminal_id, str(exc)) from None
    if not is_valid_nonce(nonce):
        raise RequestRefused(terminal_id, "malformed nonce header")
    if algorithm != signer.algorithm:
        raise RequestRefused(terminal_id, f"signed with {algorithm}, the terminal uses {signer.algorithm}")
    if not within_skew(timestamp, now):
        raise RequestRefused(
            terminal_id, f"timestamp {timestamp} is {timestamp - now:+.0f} s from the {clock}'s clock"
        )
    if not verify(signer.secret, algorithm, signature, method, path, query, timestamp, nonce, body):
        raise RequestRefused(terminal_id, f"bad signature on {method} {path}")
    if not first_use(terminal_id, nonce, now):
        raise RequestRefused(terminal_id, "nonce replayed")
    return terminal_id
