"""The wires to a ticket printer, on python-escpos's printer classes: a file or device node, USB, a serial port or
a TCP socket (port 9100). python-escpos opens the link and writes; this module adds what a kiosk needs on top:
reading a status answer with a short timeout (python-escpos blocks for as long as the link's timeout), clearing
stale answers before a query, and turning every failure into a DeviceError with a message for the staff.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from drivers.base import DeviceError
from drivers.printer.jobs import printer_error
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

DEFAULT_NETWORK_PORT = 9100
DEFAULT_SERIAL_BAUD = 9600
LINK_KINDS = ("file", "usb", "serial", "network")


class Link(ABC):
    """One printer connection. Used from the printer's worker thread only."""

    kind = "abstract"
    readable = False  # whether the printer can answer DLE EOT on this link

    def __init__(self, target: str, *, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        self._printer: Any = None  # the python-escpos printer, once open

    @property
    def is_open(self) -> bool:
        return self._printer is not None

    @abstractmethod
    def _make(self) -> Any:
        """A python-escpos printer for this target (not yet open)."""

    def open(self) -> None:
        if self._printer is not None:
            return
        try:
            printer = self._make()
            printer.open()
        except DeviceError:
            raise
        except (
            Exception
        ) as exc:  # python-escpos raises its own errors, OSError, RuntimeError (missing library)
            log.warning("%s printer %s: cannot open: %s", self.kind, self.target, exc)
            raise self._open_error(exc) from None
        self._printer = printer

    def _open_error(self, exc: Exception) -> DeviceError:
        return printer_error("offline")

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is None:
            return
        try:
            printer.close()
        except Exception as exc:  # a link that is already gone (unplugged, reset by the peer)
            log.debug("%s printer %s: closing: %s", self.kind, self.target, exc)
            with contextlib.suppress(Exception):
                printer._device.close()
        finally:
            printer._device = False  # so python-escpos's __del__ does not try again

    def write(self, data: bytes) -> None:
        """Send ``data`` in one go; on failure the link is closed (the next call reconnects)."""
        self.open()
        try:
            self._write(data)
        except Exception as exc:
            log.warning("%s printer %s: write failed: %s", self.kind, self.target, exc)
            self.close()
            raise printer_error("offline") from None

    def _write(self, data: bytes) -> None:
        self._printer._raw(data)

    def ask(self, command: bytes, timeout: float) -> bytes:
        """Send a real-time query and return the answer (b"" when none came within ``timeout``)."""
        self.open()
        try:
            self._drain()
            self._write(command)
            return self._read(timeout)
        except DeviceError:
            self.close()
            raise
        except Exception as exc:
            log.warning("%s printer %s: status query failed: %s", self.kind, self.target, exc)
            self.close()
            raise printer_error("offline") from None

    def _drain(self) -> None:
        """Drop answers that arrived late for an earlier query."""
        return None

    def _read(self, timeout: float) -> bytes:
        return b""

    def probe(self) -> None:
        """For links that cannot answer: raise DeviceError when the target cannot be written."""
        self.open()

    @property
    def output_path(self) -> Path | None:
        """The file the printout went to, for a file link."""
        return None


class FileLink(Link):
    """A file or device node (``/dev/usb/lp0``, ``LPT1``): write only, so health is OK unless it cannot be written.
    python-escpos opens it for writing from the start: tickets printed while the link stays open follow one
    another in the file."""

    kind = "file"

    def _make(self) -> Any:
        from escpos.printer import File

        return File(self.target, auto_flush=True)

    def _open_error(self, exc: Exception) -> DeviceError:
        if self._is_device():
            return printer_error("offline")
        return printer_error("write_failed")

    def _is_device(self) -> bool:
        return self.target.startswith("/dev/") or bool(re.fullmatch(r"(?i)(lpt|com)\d+:?", self.target))

    def probe(self) -> None:
        """Writable or not, without opening (opening would empty the file)."""
        if self.is_open:
            return
        path = Path(self.target)
        writable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK | os.X_OK)
        if not writable or path.is_dir():
            raise self._open_error(PermissionError(self.target))

    @property
    def output_path(self) -> Path | None:
        return Path(self.target)


class NetworkLink(Link):
    """A printer on the LAN (raw TCP, port 9100 unless the target says otherwise)."""

    kind = "network"
    readable = True

    def __init__(self, target: str, *, timeout: float) -> None:
        super().__init__(target, timeout=timeout)
        self.host, self.port = parse_network_target(target)

    def _make(self) -> Any:
        from escpos.printer import Network

        return Network(self.host, self.port, timeout=self.timeout)

    def open(self) -> None:
        super().open()
        # A status query is 3 bytes sent right after a ticket: without this, Nagle's algorithm holds it back
        # until the printer's delayed acknowledgement of the ticket (about 40 ms).
        with contextlib.suppress(OSError):
            self._socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _socket(self) -> socket.socket:
        sock = self._printer.device
        if not isinstance(sock, socket.socket):
            raise printer_error("offline")
        return sock

    def _write(self, data: bytes) -> None:
        sock = self._socket()
        sock.settimeout(self.timeout)
        sock.sendall(data)

    def _drain(self) -> None:
        sock = self._socket()
        sock.setblocking(False)
        try:
            while True:
                try:
                    chunk = sock.recv(256)
                except (BlockingIOError, InterruptedError):
                    return
                if not chunk:
                    raise printer_error("offline")  # the printer closed the connection
                log.debug("network printer %s: dropped a late answer %s", self.target, chunk.hex(" "))
        finally:
            sock.settimeout(self.timeout)

    def _read(self, timeout: float) -> bytes:
        sock = self._socket()
        sock.settimeout(timeout)
        try:
            data = sock.recv(16)
        except TimeoutError:
            return b""
        finally:
            sock.settimeout(self.timeout)
        if not data:
            raise printer_error("offline")
        return data


class SerialLink(Link):
    """A printer on a serial port (``COM3``, ``/dev/ttyUSB0``), ``port[:baud]``, 8N1, no flow control."""

    kind = "serial"
    readable = True

    def __init__(self, target: str, *, timeout: float) -> None:
        super().__init__(target, timeout=timeout)
        self.port, self.baud = parse_serial_target(target)

    def _make(self) -> Any:
        from escpos.printer import Serial

        return Serial(self.port, baudrate=self.baud, timeout=self.timeout, dsrdtr=False)

    def _write(self, data: bytes) -> None:
        port = self._printer.device
        port.write_timeout = self.timeout  # no flush (tcdrain): it has no timeout
        port.write(data)

    def _drain(self) -> None:
        self._printer.device.reset_input_buffer()

    def _read(self, timeout: float) -> bytes:
        port = self._printer.device
        port.timeout = timeout
        try:
            first = port.read(1)
            if not first:
                return b""
            time.sleep(0.01)  # a longer answer arrives within a few character times
            return first + port.read(port.in_waiting)
        finally:
            port.timeout = self.timeout


class UsbLink(Link):
    """A printer on USB (``vid:pid`` in hex), through libusb (pyusb)."""

    kind = "usb"
    readable = True

    def __init__(self, target: str, *, timeout: float) -> None:
        super().__init__(target, timeout=timeout)
        self.vendor, self.product = parse_usb_target(target)

    def _make(self) -> Any:
        from escpos.printer import Usb

        if not Usb.is_usable():  # pyusb is not installed
            log.warning("usb printer %s: pyusb is not installed", self.target)
            raise printer_error(
                "unsupported", "本终端未安装 USB 打印支持（pyusb），请改用其他连接方式或联系工作人员"
            )
        backend = libusb_backend()
        usb_args = (
            {"backend": backend} if backend is not None else {}
        )  # None: pyusb's own search, then its error
        return Usb(self.vendor, self.product, usb_args=usb_args, timeout=int(self.timeout * 1000))

    def _read(self, timeout: float) -> bytes:
        printer = self._printer
        try:
            return bytes(printer.device.read(printer.in_ep, 16, int(timeout * 1000)))
        except Exception as exc:  # usb.core.USBTimeoutError, without importing pyusb here
            if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower():
                return b""
            raise


def libusb_backend() -> Any:
    """pyusb's libusb 1.0 back-end, or None. pyusb looks for the system's libusb (Linux has one; in the bundle, the
    copy the bundle carries, which PyInstaller's run-time hook for pyusb finds next to the program); where there is
    none, as on Windows run from source, the one libusb-package carries (libusb-1.0.dll)."""
    import usb.backend.libusb1

    backend = usb.backend.libusb1.get_backend()
    if backend is None:
        try:
            import libusb_package
        except ImportError:
            return None
        backend = libusb_package.get_libusb1_backend()
    return backend


# Set-up mistakes an operator reads on the maintenance screen (kiosk.domain.messages: translated by the screens).
BAD_NETWORK_TARGET = define("printer.bad_network_target", "网络打印机地址“{target}”不正确，应为 主机[:端口]")
NO_SERIAL_PORT = define("printer.no_serial_port", "没有设置串口打印机的端口，应为 端口[:波特率]")()
BAD_USB_TARGET = define(
    "printer.bad_usb_target", "USB 打印机“{target}”不正确，应为 厂商号:产品号（十六进制，如 0416:5011）"
)
UNKNOWN_LINK = define("printer.unknown_link", "不认识的打印机连接方式“{kind}”")
NO_TARGET = define("printer.no_target", "没有设置小票打印机的地址")()


def parse_network_target(target: str) -> tuple[str, int]:
    host, sep, port = target.strip().rpartition(":")
    if not sep:
        host, port = port, ""
    if not host or (port and not port.isdigit()) or (port and not 0 < int(port) < 65536):
        raise DeviceError(BAD_NETWORK_TARGET(target=target), code="bad_target")
    return host, int(port) if port else DEFAULT_NETWORK_PORT


def parse_serial_target(target: str) -> tuple[str, int]:
    port, sep, baud = target.strip().rpartition(":")
    if not sep or not baud.isdigit():
        port, baud = target.strip(), ""
    if not port:
        raise DeviceError(NO_SERIAL_PORT, code="bad_target")
    return port, int(baud) if baud else DEFAULT_SERIAL_BAUD


def parse_usb_target(target: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(?:0x)?([0-9a-fA-F]{1,4}):(?:0x)?([0-9a-fA-F]{1,4})\s*", target)
    if not match:
        raise DeviceError(BAD_USB_TARGET(target=target), code="bad_target")
    return int(match[1], 16), int(match[2], 16)


def make_link(kind: str, target: str, *, timeout: float) -> Link:
    """The link for a ``ticket_printer`` setting and its ``ticket_target``; raises DeviceError ``bad_target``."""
    classes: dict[str, type[Link]] = {
        "file": FileLink,
        "network": NetworkLink,
        "serial": SerialLink,
        "usb": UsbLink,
    }
    if kind not in classes:
        raise DeviceError(UNKNOWN_LINK(kind=kind), code="bad_target")
    if not target.strip():
        raise DeviceError(NO_TARGET, code="bad_target")
    return classes[kind](target.strip(), timeout=timeout)
