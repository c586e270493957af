"""The terminal's devices, as its settings configure them: built on first use, checked together, closed together.

Each device does its own I/O on its own worker thread (drivers.worker); this module only decides which backend
serves each role and with what port, library or target. The A4 system printer needs Qt, which this layer may not
import, so the caller that has Qt (the UI, the CLI) hands in a factory for it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drivers.base import DeviceError, DeviceKind, DeviceStatus, Health
from kiosk.config import Settings
from kiosk.domain.messages import define

if TYPE_CHECKING:
    from drivers.idcard.reader import IdCardReader
    from drivers.printer.a4 import A4Printer
    from drivers.printer.ticket import TicketPrinter
    from drivers.scanner.serial_scanner import SerialScanner

log = logging.getLogger(__name__)

TICKET_FONT = "NotoSansCJKsc-Regular.otf"

# What an operator reads on the maintenance screen (kiosk.domain.messages: the screens translate them by code).
SYSTEM_PRINTER_NEEDS_UI = define(
    "devices.system_printer_needs_ui", "系统打印机需要图形界面支持，请在终端程序中使用"
)()
NO_A4_PRINTER = define("devices.no_a4_printer", "本终端未配置 A4 打印机")()
NO_TICKET_TARGET = define(
    "devices.no_ticket_target", "凭条打印机地址未设置（ticket_target），请联系工作人员配置 {printer} 打印机"
)
NO_TICKET_PRINTER = define("devices.no_ticket_printer", "本终端未配置凭条打印机")()
NO_ANSWER = define("devices.no_answer", "设备没有应答，请检查电源和连线")()
WEDGE_UNCHECKED = define("devices.wedge_unchecked", "键盘模式扫码器无法自检；扫一次码即可确认")()

A4SystemFactory = Callable[[str, Path], "A4Printer"]  # (printer name, retained-jobs folder) -> printer


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    """One configured device: its role on this terminal, the backend and where it is attached."""

    role: str  # id_card | ss_card | a4 | ticket | scanner
    label: str  # what an operator calls it
    kind: DeviceKind
    backend: str
    target: str


@dataclass(frozen=True, slots=True)
class DeviceReport:
    entry: DeviceEntry
    status: DeviceStatus

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.entry.role,
            "label": self.entry.label,
            "kind": self.entry.kind.value,
            "backend": self.entry.backend,
            "target": self.entry.target,
            "health": self.status.health.value,
            "usable": self.status.health.usable,
            "code": self.status.code,
            "message": self.status.message,
            "checked_at": self.status.checked_at.isoformat(timespec="seconds"),
        }


def _idcard_target(settings: Settings) -> str:
    if settings.idcard_driver == "sdtapi":
        return f"{settings.sdtapi_library or '(default library)'} port {settings.sdtapi_port}"
    if settings.idcard_driver == "sam-serial":
        from drivers.idcard.sam_serial import default_port

        return f"{settings.idcard_port or default_port()} @ {settings.idcard_baud}"
    if settings.idcard_driver == "simulator":
        return "simulated SAM module on a pseudo-terminal"
    return ""


def configured(settings: Settings) -> list[DeviceEntry]:
    """Every device the settings ask for (roles set to ``none`` are left out)."""
    entries: list[DeviceEntry] = []
    if settings.idcard_driver != "none":
        entries.append(
            DeviceEntry(
                "id_card",
                "身份证读卡器",
                DeviceKind.ID_CARD_READER,
                settings.idcard_driver,
                _idcard_target(settings),
            )
        )
    if settings.sscard_driver != "none":
        entries.append(
            DeviceEntry(
                "ss_card",
                "社保卡读卡器",
                DeviceKind.ID_CARD_READER,
                settings.sscard_driver,
                settings.sscard_reader or "(first PC/SC reader)",
            )
        )
    if settings.a4_printer != "none":
        target = (
            str(settings.data_dir / "printed")
            if settings.a4_printer == "pdf"
            else settings.a4_printer_name or "(system default printer)"
        )
        entries.append(DeviceEntry("a4", "A4 打印机", DeviceKind.A4_PRINTER, settings.a4_printer, target))
    if settings.ticket_printer != "none":
        target = settings.ticket_target or (
            str(settings.data_dir / "tickets") if settings.ticket_printer == "file" else "(not set)"
        )
        entries.append(
            DeviceEntry("ticket", "凭条打印机", DeviceKind.TICKET_PRINTER, settings.ticket_printer, target)
        )
    if settings.scanner != "none":
        target = (
            f"{settings.scanner_port or '(not set)'} @ {settings.scanner_baud}"
            if settings.scanner == "serial"
            else "keyboard (HID)"
        )
        entries.append(DeviceEntry("scanner", "扫码器", DeviceKind.CODE_SCANNER, settings.scanner, target))
    return entries


def ticket_font(resources: Path | None = None) -> Path | None:
    """The CJK font tickets are drawn with when a printer has no Chinese font of its own."""
    if resources is None:
        from kiosk.resources_path import resources_dir

        resources = resources_dir()
    path = resources / "fonts" / TICKET_FONT
    return path if path.is_file() else None


def build_id_card(settings: Settings) -> IdCardReader:
    from drivers.idcard import create_reader

    if settings.idcard_driver == "sdtapi":
        from drivers.idcard.sdtapi import SdtapiReader

        return SdtapiReader(settings.sdtapi_library, port=settings.sdtapi_port)
    # The simulator starts with no card on it: the demo's maintenance screen places and removes cards.
    return create_reader(settings.idcard_driver, port=settings.idcard_port, baud=settings.idcard_baud)


def build_ss_card(settings: Settings) -> IdCardReader:
    from drivers.sscard.pcsc import SocialSecurityCardReader

    return SocialSecurityCardReader(reader=settings.sscard_reader)


def build_a4(settings: Settings, system_factory: A4SystemFactory | None = None) -> A4Printer:
    retained = settings.data_dir / "print-retained"
    if settings.a4_printer == "pdf":
        from drivers.printer.a4 import PdfFilePrinter

        return PdfFilePrinter(settings.data_dir / "printed", retained)
    if settings.a4_printer == "system":
        if system_factory is None:
            raise DeviceError(SYSTEM_PRINTER_NEEDS_UI, code="unsupported")
        return system_factory(settings.a4_printer_name, retained)
    raise DeviceError(NO_A4_PRINTER, code="not_configured", health=Health.OFFLINE)


def ticket_target(settings: Settings, now: datetime | None = None) -> str:
    """Where tickets go: the configured target, or for a file link a new file under ``<data>/tickets``."""
    target = settings.ticket_target.strip()
    if target:
        return target
    if settings.ticket_printer != "file":
        raise DeviceError(
            NO_TICKET_TARGET(printer=settings.ticket_printer), code="not_configured", health=Health.OFFLINE
        )
    folder = settings.data_dir / "tickets"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"ticket-{(now or datetime.now()):%Y%m%d-%H%M%S-%f}.bin")


def build_ticket(settings: Settings, now: datetime | None = None) -> TicketPrinter:
    from drivers.printer.ticket import TicketPrinter

    if settings.ticket_printer == "none":
        raise DeviceError(NO_TICKET_PRINTER, code="not_configured", health=Health.OFFLINE)
    return TicketPrinter.open(
        settings.ticket_printer,
        ticket_target(settings, now),
        text_mode=settings.ticket_text_mode,
        width_dots=settings.ticket_width_dots,
        font_path=ticket_font(),
    )


def build_scanner(settings: Settings) -> SerialScanner:
    from drivers.scanner.serial_scanner import SerialScanner

    return SerialScanner(settings.scanner_port, settings.scanner_baud)


class Devices:
    """The devices of one terminal. Each is built on first use; ``close`` stops every worker it started."""

    def __init__(self, settings: Settings, *, a4_system: A4SystemFactory | None = None) -> None:
        self.settings = settings
        self._a4_system = a4_system
        self._built: dict[str, Any] = {}
        self._lock = threading.Lock()

    def entries(self) -> list[DeviceEntry]:
        return configured(self.settings)

    def _get(self, role: str, build: Callable[[], Any]) -> Any:
        with self._lock:
            if role not in self._built:
                self._built[role] = build()
            return self._built[role]

    def id_card(self) -> IdCardReader:
        return self._get("id_card", lambda: build_id_card(self.settings))

    def ss_card(self) -> IdCardReader:
        return self._get("ss_card", lambda: build_ss_card(self.settings))

    def a4(self) -> A4Printer:
        return self._get("a4", lambda: build_a4(self.settings, self._a4_system))

    def ticket(self) -> TicketPrinter:
        return self._get("ticket", lambda: build_ticket(self.settings))

    def scanner(self) -> SerialScanner:
        return self._get("scanner", lambda: build_scanner(self.settings))

    def check(self, timeout: float = 8.0) -> list[DeviceReport]:
        """Every configured device's health, asked of all of them at once (each on its own worker)."""
        pending: list[tuple[DeviceEntry, Future[DeviceStatus] | DeviceStatus]] = []
        for entry in self.entries():
            pending.append((entry, self._start_check(entry)))
        reports = []
        for entry, started in pending:
            if isinstance(started, DeviceStatus):
                reports.append(DeviceReport(entry, started))
                continue
            try:
                status = started.result(timeout=timeout)
            except FutureTimeout:
                status = DeviceStatus(entry.kind, entry.backend, Health.OFFLINE, "timeout", NO_ANSWER)
            except DeviceError as exc:
                status = DeviceStatus(entry.kind, entry.backend, exc.health, exc.code, exc.message)
            except Exception as exc:  # a driver bug must not hide the other devices
                log.exception("checking %s failed", entry.role)
                status = DeviceStatus(entry.kind, entry.backend, Health.ERROR, "internal", str(exc))
            reports.append(DeviceReport(entry, status))
        return reports

    def _start_check(self, entry: DeviceEntry) -> Future[DeviceStatus] | DeviceStatus:
        if entry.role == "scanner" and entry.backend == "wedge":
            return DeviceStatus(entry.kind, entry.backend, Health.OK, "", WEDGE_UNCHECKED)
        try:
            device = {
                "id_card": self.id_card,
                "ss_card": self.ss_card,
                "a4": self.a4,
                "ticket": self.ticket,
                "scanner": self.scanner,
            }[entry.role]()
        except DeviceError as exc:
            return DeviceStatus(entry.kind, entry.backend, exc.health, exc.code, str(exc))
        except (ValueError, OSError) as exc:
            log.warning("device %s (%s) cannot be set up: %s", entry.role, entry.backend, exc)
            return DeviceStatus(entry.kind, entry.backend, Health.OFFLINE, "config", str(exc))
        check = getattr(device, "check", None)
        if check is not None:
            return check()
        return _settled_status(device)

    def close(self) -> None:
        with self._lock:
            built, self._built = self._built, {}
        for role, device in built.items():
            try:
                device.close()
            except Exception:
                log.exception("closing %s failed", role)


def _settled_status(device: Any, wait_s: float = 1.5) -> Future[DeviceStatus]:
    """A reading device (the serial scanner) started, and its health once its first attempt to open is over."""
    future: Future[DeviceStatus] = Future()

    def watch() -> None:
        device.start()
        deadline = time.monotonic() + wait_s
        status = device.status()
        while status.health != Health.OK and not status.code and time.monotonic() < deadline:
            time.sleep(0.05)
            status = device.status()
        future.set_result(status)

    threading.Thread(target=watch, name="device-check", daemon=True).start()
    return future
