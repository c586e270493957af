"""The devices as the maintenance screen shows them: each one's health, the last card read (masked), and in the
demo, sample cards to place on the simulated reader and take off again.

Device I/O never runs here: checks and reads are futures from the devices' own workers, delivered back through
``run_in_background``; device events arrive on a device thread and are re-emitted as a queued Qt signal.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.config import Settings
from kiosk.services.background import Background
from kiosk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from drivers.base import DeviceEvent
    from drivers.idcard.reader import CardRead
    from kiosk.services.devices import DeviceReport, Devices

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 5.0


def qt_system_printer_factory(settings: Settings) -> Any:
    """For ``a4_printer = system``: the Qt printer's factory, its Qt modules imported here and now. Call this on the
    UI thread: the printer itself is built later on a worker, and a worker must never be first to import Qt."""
    if settings.a4_printer != "system":
        return None
    from kiosk.ui.a4_system_printer import QtSystemPrinter

    return lambda name, retained: QtSystemPrinter(name, retained_dir=retained)


class DevicePanel(QObject):
    changed = Signal()
    _deviceEvent = Signal(str, str, str)  # (role, event, payload): emitted on a device thread, delivered here
    scanned = Signal(str)  # a code scanned by either kind of scanner, on the UI thread
    identityRead = Signal(object)  # the Identity of a card just read (for the session; never logged unmasked)
    cardPlaced = Signal()
    cardRemoved = Signal()

    def __init__(
        self,
        settings: Settings,
        background: Background,
        devices: Devices | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._background = background
        self._devices = devices
        self._owns_devices = devices is None
        self._rows: list[dict[str, Any]] = []
        self._checking = False
        self._card_on_reader = ""
        self._last_read = ""
        self._read_problem = ""
        self._watching = False
        self._scans = 0
        self._last_scan_length = 0
        self._deviceEvent.connect(self._on_device_event)

    def _get_devices(self) -> Devices:
        if self._devices is None:
            from kiosk.services.devices import Devices

            self._devices = Devices(self._settings, a4_system=qt_system_printer_factory(self._settings))
        return self._devices

    def devices(self) -> Devices:
        """The terminal's devices (made on first use; safe from a worker once made)."""
        return self._get_devices()

    # --- watching the card reader (a running terminal only) ------------------------------------------------

    def start(self) -> None:
        """Watch the ID card reader for cards being placed and removed, and listen to a serial code scanner
        (each on its own worker)."""
        if self._watching:
            return
        self._watching = True
        if self._settings.idcard_driver != "none":
            try:
                reader = self._get_devices().id_card()
            except Exception as exc:  # a misconfigured reader must not stop the terminal
                log.error("the ID card reader cannot be set up: %s", exc)
            else:
                reader.subscribe(lambda event: self._forward("id_card", event))
                reader.start_watching()
                log.info("watching the ID card reader (%s)", reader.backend)
        if self._settings.scanner == "serial":
            try:
                scanner = self._get_devices().scanner()
            except Exception as exc:
                log.error("the code scanner cannot be set up: %s", exc)
            else:
                scanner.subscribe(lambda event: self._forward("scanner", event))
                scanner.start()
                log.info("listening to the serial code scanner on %s", self._settings.scanner_port)

    def _forward(self, role: str, event: DeviceEvent) -> None:
        self._deviceEvent.emit(role, event.name, event.payload if event.name == "scan" else "")

    @Slot(str, str, str)
    def _on_device_event(self, role: str, name: str, payload: str) -> None:
        if role == "scanner":
            if name == "scan":
                self.on_scan(payload)
            return
        if role != "id_card":
            return
        if name == "card_placed":
            self.cardPlaced.emit()
            self._read_card()
        elif name == "card_removed":
            self._last_read, self._read_problem = "", ""
            self.changed.emit()
            self.cardRemoved.emit()
        elif name == "health_changed":
            self.refresh()

    def _read_card(self) -> None:
        reader = self._get_devices().id_card()
        self._read_problem = ""
        self._last_read = "正在读卡…"
        self.changed.emit()
        run_in_background(
            reader.read_card(timeout=READ_TIMEOUT_S), self._on_read, self._on_read_failed, parent=self
        )

    def _on_read(self, result: CardRead) -> None:
        identity = result.identity
        # Masked only: the maintenance screen is seen by staff and passers-by.
        summary = f"{identity.masked_name}　{identity.masked_id_number}"
        if not identity.valid:
            summary += f"（{identity.problem}）"
        self._last_read, self._read_problem = summary, ""
        self.changed.emit()
        self.identityRead.emit(identity)

    def _on_read_failed(self, exc: BaseException) -> None:
        log.warning("ID card read failed: %s (%s)", exc, getattr(exc, "code", type(exc).__name__))
        self._last_read, self._read_problem = "", str(exc)
        self.changed.emit()

    @Slot(str)
    def on_scan(self, text: str) -> None:
        """A code from the keyboard-mode filter or the serial scanner. Only its length is kept for the screen:
        a scanned code may carry a person's identity."""
        self._scans += 1
        self._last_scan_length = len(text)
        log.info("code scanned (%d characters)", len(text))
        self.changed.emit()
        self.scanned.emit(text)

    # --- health ------------------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        if self._checking:
            return
        self._checking = True
        self.changed.emit()
        run_in_background(
            self._background.run(self._get_devices().check),
            self._on_checked,
            self._on_check_failed,
            parent=self,
        )

    def _on_checked(self, reports: list[DeviceReport]) -> None:
        self._checking = False
        self._rows = [
            {
                "role": r.entry.role,
                "backend": r.entry.backend,
                "target": r.entry.target,
                "health": r.status.health.value,
                "usable": r.status.health.usable,
                "message": r.status.message,
                "code": r.status.code,
            }
            for r in reports
        ]
        self.changed.emit()

    def _on_check_failed(self, exc: BaseException) -> None:
        log.error("checking the devices failed: %s", exc)
        self._checking = False
        self._rows = []
        self.changed.emit()

    # --- demo cards on the simulated reader ----------------------------------------------------------------

    @Property("QVariantList", notify=changed)
    def demoCards(self) -> list[dict[str, str]]:
        if self._settings.idcard_driver != "simulator":
            return []
        from drivers.idcard.cards import SAMPLES

        return [
            {"key": key, "name": identity.masked_name, "cardType": identity.card_type.value}
            for key, identity in SAMPLES.items()
        ]

    @Slot(str)
    def placeCard(self, key: str) -> None:
        simulator = self._simulator()
        if simulator is None:
            return
        from drivers.idcard.cards import SAMPLES

        if key in SAMPLES:
            simulator.place(SAMPLES[key])
            self._card_on_reader = key
            log.info("demo: sample card %s placed on the simulated reader", key)
            self.changed.emit()

    @Slot()
    def removeCard(self) -> None:
        simulator = self._simulator()
        if simulator is not None:
            simulator.remove()
            self._card_on_reader = ""
            log.info("demo: card taken off the simulated reader")
            self.changed.emit()

    def _simulator(self) -> Any:
        if self._settings.idcard_driver != "simulator":
            return None
        return getattr(self._get_devices().id_card(), "simulator", None)

    # --- what QML reads ------------------------------------------------------------------------------------

    @Property("QVariantList", notify=changed)
    def rows(self) -> list[dict[str, Any]]:
        return self._rows

    @Property(bool, notify=changed)
    def checking(self) -> bool:
        return self._checking

    @Property(str, notify=changed)
    def cardOnReader(self) -> str:
        return self._card_on_reader

    @Property(str, notify=changed)
    def lastRead(self) -> str:
        return self._last_read

    @Property(int, notify=changed)
    def scanCount(self) -> int:
        return self._scans

    @Property(int, notify=changed)
    def lastScanLength(self) -> int:
        return self._last_scan_length

    @Property(str, notify=changed)
    def readProblem(self) -> str:
        return self._read_problem

    def clear(self) -> None:
        """Forget the last card read (a session ends)."""
        self._last_read, self._read_problem = "", ""
        self._last_scan_length = 0
        self.changed.emit()

    def close(self) -> None:
        if self._devices is not None and self._owns_devices:
            self._devices.close()
        self._devices = None
