"""The short code every error answer of the servers carries for an HTTP status (docs/protocol.md, docs/hall.md)."""

from __future__ import annotations

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "invalid",
    500: "internal",
}
