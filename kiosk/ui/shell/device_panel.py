"""The devices as the maintenance screen shows them: each one's health, the last card read (masked), and in the
demo, sample cards to place on the simulated reader and take off again.

A running terminal also watches its card readers here: the resident ID card reader and, when a PC/SC reader is
named for it (``sscard_reader``), the social security card reader. A card placed on either is read and its
identity handed on (``identityRead``) to begin the citizen's session.

A card that lay on a reader when a session ended (结束办理, the idle reset), or that was already there when the
terminal started, is *left behind*: it may be someone else's, so it is not read by itself, ever. It is read when
the citizen asks for it on the identity screen (``readLeftCard``), or once it is lifted and placed again. A card
that is not left behind but was not read (its read failed) is read again when the identity screen opens
(``on_identity_wanted``). docs/transactions.md states the rule.

Device I/O never runs here: checks and reads are futures from the devices' own workers, delivered back through
``run_in_background``; device events arrive on a device thread and are re-emitted as a queued Qt signal.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from drivers.idcard.reader import FOUND
from kiosk.config import Settings
from kiosk.domain.messages import define
from kiosk.services.background import Background
from kiosk.ui.messages import on_language_switched, translate
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:
    from drivers.base import DeviceEvent
    from drivers.idcard.reader import CardRead, IdCardReader
    from kiosk.services.devices import DeviceReport, Devices

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 5.0
CARD_ROLES = ("id_card", "ss_card")
# Entering the card's PIN on screen is not offered: a card that asks for one cannot open a session here.
SSCARD_PIN_MESSAGE = define(
    "devices.sscard_pin", "这张社保卡设置了密码，本机暂不能输入社保卡密码，请改用身份证或扫码核验身份"
)()
# The last card read, as the maintenance screen says it (masked name and number; the number's problem, if any).
_READING = define("devices.reading", "正在读卡…")()
_CARD_READ = define("devices.card_read", "{name}　{number}")
_CARD_READ_PROBLEM = define("devices.card_read_problem", "{name}　{number}（{problem}）")


def _what(role: str) -> str:
    return "social security card reader" if role == "ss_card" else "ID card reader"


def qt_system_printer_factory(settings: Settings) -> Any:
    """For ``a4_printer = system``: the Qt printer's factory, its Qt modules imported here and now. Call this on the
    UI thread: the printer itself is built later on a worker, and a worker must never be first to import Qt."""
    if settings.a4_printer != "system":
        return None
    from kiosk.render.a4_system_printer import QtSystemPrinter

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
        self._on_reader: set[str] = set()  # the roles whose reader holds a card now
        self._left: set[str] = set()  # ... of which the card was left behind: read only when the citizen asks
        self._reads: dict[str, BackgroundCall] = {}  # reads in flight, by role
        self._scans = 0
        self._last_scan_length = 0
        self._deviceEvent.connect(self._on_device_event)
        on_language_switched(self.changed)

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
        """Watch the ID card reader (and the social security card reader when ``sscard_reader`` names one) for
        cards being placed and removed, and listen to a serial code scanner (each on its own worker)."""
        if self._watching:
            return
        self._watching = True
        if self._settings.idcard_driver != "none":
            self._watch("id_card", "ID card reader")
        # Only a reader named in the settings: the first PC/SC reader of the machine may be another device's.
        if self._settings.sscard_driver != "none" and self._settings.sscard_reader:
            self._watch("ss_card", f"social security card reader {self._settings.sscard_reader!r}")
        if self._settings.scanner == "serial":
            try:
                scanner = self._get_devices().scanner()
            except Exception as exc:
                log.error("the code scanner cannot be set up: %s", exc)
            else:
                scanner.subscribe(lambda event: self._forward("scanner", event))
                scanner.start()
                log.info("listening to the serial code scanner on %s", self._settings.scanner_port)

    def _watch(self, role: str, what: str) -> None:
        try:
            reader = self._reader(role)
        except Exception as exc:  # a misconfigured reader must not stop the terminal
            log.error("the %s cannot be set up: %s", what, exc)
            return
        reader.subscribe(lambda event: self._forward(role, event))
        reader.start_watching()
        log.info("watching the %s (%s)", what, reader.backend)

    def _reader(self, role: str) -> IdCardReader:
        devices = self._get_devices()
        return devices.ss_card() if role == "ss_card" else devices.id_card()

    def _forward(self, role: str, event: DeviceEvent) -> None:
        self._deviceEvent.emit(
            role, event.name, event.payload if event.name in ("scan", "card_placed") else ""
        )

    @Slot(str, str, str)
    def _on_device_event(self, role: str, name: str, payload: str) -> None:
        if role == "scanner":
            if name == "scan":
                self.on_scan(payload)
            return
        if role not in CARD_ROLES:
            return
        if name == "card_placed":
            self._on_reader.add(role)
            self.cardPlaced.emit()
            if payload == FOUND:
                # Already there when the reader was first asked (start-up, a reader back from a fault): nobody was
                # seen placing it, so it waits for the citizen like a card left behind.
                log.info("a card lies on the %s already: it is read when the citizen asks", _what(role))
                self._left.add(role)
                self.changed.emit()
            else:
                self._left.discard(role)
                self._read_card(role)
        elif name == "card_removed":
            self._on_reader.discard(role)
            self._left.discard(role)
            self._last_read, self._read_problem = "", ""
            self.changed.emit()
            self.cardRemoved.emit()
        elif name == "health_changed":
            self.refresh()

    # --- reading -------------------------------------------------------------------------------------------

    @Slot()
    def on_identity_wanted(self) -> None:
        """The identity screen opened: a card on a reader that is not left behind and was not read (its read
        failed) is read now; a card left behind waits for ``readLeftCard``."""
        for role in sorted(self._on_reader - self._left - set(self._reads)):
            log.info("the identity screen asks: reading the card on the %s again", _what(role))
            self._read_card(role)

    @Slot()
    def readLeftCard(self) -> None:
        """The citizen, on the identity screen, asks for the card left on a reader: read it."""
        for role in sorted(self._left & self._on_reader):
            self._left.discard(role)
            log.info("the citizen asks for the card left on the %s", _what(role))
            self._read_card(role)
        self.changed.emit()

    def _read_card(self, role: str = "id_card") -> None:
        if role in self._reads:
            return  # one read a reader at a time; the one in flight reports for both
        reader = self._reader(role)
        self._read_problem = ""
        self._last_read = _READING
        self._reads[role] = run_in_background(
            reader.read_card(timeout=READ_TIMEOUT_S),
            lambda result: self._on_read(result, role),
            lambda exc: self._on_read_failed(exc, role),
            parent=self,
        )
        self.changed.emit()

    def _on_read(self, result: CardRead, role: str = "id_card") -> None:
        self._reads.pop(role, None)
        identity = result.identity
        # Masked only: the maintenance screen is seen by staff and passers-by.
        name, number = identity.masked_name, identity.masked_id_number
        if identity.valid:
            summary = _CARD_READ(name=name, number=number)
        else:
            summary = _CARD_READ_PROBLEM(name=name, number=number, problem=identity.problem)
        self._last_read, self._read_problem = summary, ""
        self.changed.emit()
        self.identityRead.emit(identity)

    def _on_read_failed(self, exc: BaseException, role: str = "id_card") -> None:
        self._reads.pop(role, None)
        code = getattr(exc, "code", type(exc).__name__)
        log.warning("%s read failed: %s (%s)", _what(role), exc, code)
        problem = (
            SSCARD_PIN_MESSAGE
            if role == "ss_card" and code == "pin_required"
            else getattr(exc, "message", str(exc))
        )
        self._last_read, self._read_problem = "", problem
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
            simulator.place_by_hand(SAMPLES[key])  # a card already there is lifted first, as a hand would
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
        """Each device with its health; its message in the language shown."""
        return [{**row, "message": translate(row["message"])} for row in self._rows]

    @Property(bool, notify=changed)
    def checking(self) -> bool:
        return self._checking

    @Property(str, notify=changed)
    def cardOnReader(self) -> str:
        return self._card_on_reader

    @Property(str, notify=changed)
    def lastRead(self) -> str:
        return translate(self._last_read)

    @Property(int, notify=changed)
    def scanCount(self) -> int:
        return self._scans

    @Property(int, notify=changed)
    def lastScanLength(self) -> int:
        return self._last_scan_length

    @Property(str, notify=changed)
    def readProblem(self) -> str:
        return translate(self._read_problem)

    @Property(bool, notify=changed)
    def reading(self) -> bool:
        """A card is being read."""
        return bool(self._reads)

    @Property(bool, notify=changed)
    def cardLeft(self) -> bool:
        """A card left behind lies on a reader: the identity screen offers to read it."""
        return bool(self._left & self._on_reader)

    def clear(self) -> None:
        """A session ends: forget the last card read, drop reads in flight (their card must not open the next
        session), and count every card still on a reader as left behind."""
        for call in self._reads.values():
            call.cancel()
        self._reads.clear()
        if self._on_reader:
            log.info("the session ended with a card on the reader: it is not read again until asked for")
        self._left |= self._on_reader
        self._last_read, self._read_problem = "", ""
        self._last_scan_length = 0
        self.changed.emit()

    def demo_card_left(self, role: str = "id_card") -> None:
        """For screenshots: the identity screen as it is with a card left on the reader (nothing is read)."""
        self._on_reader.add(role)
        self._left.add(role)
        self.changed.emit()

    def close(self) -> None:
        if self._devices is not None and self._owns_devices:
            self._devices.close()
        self._devices = None
