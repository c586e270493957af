"""The interfaces every device backend implements, and the immutable values they report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable


class DeviceKind(StrEnum):
    ID_CARD_READER = "id_card_reader"
    A4_PRINTER = "a4_printer"
    TICKET_PRINTER = "ticket_printer"
    CODE_SCANNER = "code_scanner"


class Health(StrEnum):
    OK = "ok"
    OFFLINE = "offline"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    ERROR = "error"

    @property
    def usable(self) -> bool:
        """Whether the device can still serve a citizen (paper low still prints)."""
        return self in (Health.OK, Health.PAPER_LOW)


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A device's health at one moment. ``code`` is for support; ``message`` is for an operator (a
    :class:`kiosk.domain.messages.Message` where a driver has words for it, which the screens translate)."""

    kind: DeviceKind
    backend: str
    health: Health
    code: str = ""
    message: str = ""
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True, slots=True)
class DeviceEvent:
    """Something a device reports on its own: a card placed or removed, a scan."""

    kind: DeviceKind
    name: str  # card_placed | card_removed | scan | health_changed
    payload: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


EventListener = Callable[[DeviceEvent], None]


@runtime_checkable
class Device(Protocol):
    """What every device offers: its status, its events, and a clean shutdown of its worker."""

    kind: DeviceKind
    backend: str

    def status(self) -> DeviceStatus: ...

    def subscribe(self, listener: EventListener) -> None: ...

    def close(self) -> None: ...


class DeviceError(RuntimeError):
    """A device operation that failed. ``code`` is for support; ``message`` is for a person: a
    :class:`kiosk.domain.messages.Message` the screens translate (``str(error)`` is its Chinese wording)."""

    def __init__(self, message: str, *, code: str, health: Health = Health.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.health = health
