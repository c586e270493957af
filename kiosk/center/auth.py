"""Who is asking: the protocol's request authentication, with the reason for a refusal logged here only.

The terminal learns nothing from a 401 beyond "unauthorized" (docs/protocol.md); an operator reads the reason in
the center's log. No log line carries a secret, a signature or a body.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from kiosk.center.store import Store
from kiosk.protocol.verification import RequestRefused, check_request

log = logging.getLogger(__name__)


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
        return check_request(
            method,
            path,
            query,
            headers,
            body,
            now,
            signer_of=store.terminal,
            first_use=store.remember_nonce,
            clock="center",
        )
    except RequestRefused as refused:
        log.warning("401 for terminal %r: %s", refused.terminal_id, refused.reason)
        return None
