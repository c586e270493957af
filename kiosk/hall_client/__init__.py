"""A terminal's client of the hall's queue service (docs/hall.md): signed requests, events with catch-up."""

from kiosk.hall_client.client import HallClient, new_request_id
from kiosk.hall_client.errors import (
    HallBadAnswer,
    HallConfigError,
    HallError,
    HallRefused,
    HallUnauthorized,
    HallUnavailable,
)
from kiosk.hall_client.events import Alive, HallFollower, Reset

__all__ = [
    "Alive",
    "HallBadAnswer",
    "HallClient",
    "HallConfigError",
    "HallError",
    "HallFollower",
    "HallRefused",
    "HallUnauthorized",
    "HallUnavailable",
    "Reset",
    "new_request_id",
]
