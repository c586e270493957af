"""The terminal's side of the wire: signed requests to the center, with clock-skew correction."""

from kiosk.center_client.client import CenterClient, is_loopback
from kiosk.center_client.errors import (
    BadAnswer,
    BadCursor,
    CenterConfigError,
    CenterError,
    CenterUnavailable,
    DeadlineExceeded,
    IdentityCodeInvalid,
    RateLimited,
    RequestRefused,
    Unauthorized,
)

__all__ = [
    "BadAnswer",
    "BadCursor",
    "CenterClient",
    "CenterConfigError",
    "CenterError",
    "CenterUnavailable",
    "DeadlineExceeded",
    "IdentityCodeInvalid",
    "RateLimited",
    "RequestRefused",
    "Unauthorized",
    "is_loopback",
]
