"""A code scanner on a serial port (USB-CDC, "virtual COM"): the mode to choose for Chinese QR payloads.

In serial mode the scanner sends the code's own bytes, so GB18030 and UTF-8 payloads arrive intact, which keyboard
mode cannot promise. The reader loop runs on the device's own worker thread and is the only code that touches the
port: it blocks on ``read`` with a short timeout (so ``close()`` takes at most that long), reassembles scans with
:class:`~drivers.scanner.framing.FrameSplitter` and emits one ``scan`` event per decoded payload. A missing or vanished port makes the scanner OFFLINE; it keeps
trying to open it again, backing off up to ``retry_max`` seconds, and is OK again as soon as the port is back.
"""

from __future__ import annotations

import logging
import threading

import serial

from drivers.base import DeviceEvent, DeviceKind, DeviceStatus, EventListener, Health
from drivers.scanner.framing import FrameSplitter, Terminator
from drivers.scanner.payload import PayloadError, decode_scan
from drivers.worker import DeviceWorker
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

# kiosk.domain.messages: the screens translate them by code.
PORT_MISSING = define("scanner.port_missing", "扫码器未连接，请联系工作人员")()
BAD_SETTINGS = define("scanner.bad_settings", "扫码器设置有误，请联系工作人员")()
FAULT = define("scanner.fault", "扫码器故障，请联系工作人员")()
NOT_CONNECTED_YET = define("scanner.not_connected_yet", "扫码器尚未连接")()


class SerialScanner:
    kind = DeviceKind.CODE_SCANNER
    backend = "serial"

    def __init__(
        self,
        port: str,
        baudrate: int = 9600,
        *,
        terminator: Terminator = "auto",
        strip_aim: bool = False,
        max_frame: int = 4096,
        read_timeout: float = 0.1,
        retry_initial: float = 0.2,
        retry_max: float = 5.0,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.strip_aim = strip_aim
        self._splitter = FrameSplitter(terminator, max_frame=max_frame)
        self._read_timeout = read_timeout
        self._retry = (retry_initial, max(retry_initial, retry_max))
        self._worker = DeviceWorker(f"scanner-{port.rsplit('/', 1)[-1] or 'serial'}")
        self._state: tuple[Health, str, str] = (Health.OFFLINE, "", NOT_CONNECTED_YET)
        self._stop = threading.Event()
        self._started = False
        self._serial: serial.Serial | None = None
        self._failures = 0

    # -- the public face, safe from any thread -----------------------------------------------------------

    def start(self) -> None:
        """Open the port and start reading (on the worker thread); subscribe first to miss nothing."""
        if self._started or self._worker.closed:
            return
        self._started = True
        self._worker.submit(self._run)

    def status(self) -> DeviceStatus:
        health, code, message = self._state
        return DeviceStatus(self.kind, self.backend, health, code, message)

    def subscribe(self, listener: EventListener) -> None:
        self._worker.subscribe(listener)

    def unsubscribe(self, listener: EventListener) -> None:
        self._worker.unsubscribe(listener)

    def close(self) -> None:
        """Stop reading and close the port; returns once the reader loop has ended."""
        self._stop.set()  # the loop notices within one read timeout; the port is only ever touched by the loop
        self._worker.close(wait=True)

    def __enter__(self) -> SerialScanner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the reader loop (worker thread) -------------------------------------------------------------------

    def _run(self) -> None:
        delay = self._retry[0]
        try:
            while not self._stop.is_set():
                try:
                    if self._serial is None:
                        if self._open():
                            delay = self._retry[0]
                        else:
                            self._stop.wait(delay)
                            delay = min(delay * 2, self._retry[1])
                        continue
                    self._read_once()
                except Exception:  # a fault nobody foresaw must not end the reader: start over, later
                    log.exception("scanner %s: unexpected fault; reopening the port", self.port)
                    self._close_port()
                    self._set_health(Health.ERROR, "fault", FAULT)
                    self._stop.wait(delay)
                    delay = min(delay * 2, self._retry[1])
        finally:
            self._close_port()

    def _open(self) -> bool:
        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=self._read_timeout, exclusive=True)
        except (serial.SerialException, OSError) as exc:
            # Said once per outage; the retries that follow go to the debug log.
            level = logging.WARNING if self._failures == 0 else logging.DEBUG
            log.log(level, "scanner %s: cannot open the port (%s); retrying", self.port, exc)
            self._failures += 1
            self._set_health(Health.OFFLINE, "port", PORT_MISSING)
            return False
        except ValueError as exc:  # a baud rate or setting pyserial refuses
            level = logging.ERROR if self._failures == 0 else logging.DEBUG
            log.log(level, "scanner %s: unusable settings (%s)", self.port, exc)
            self._failures += 1
            self._set_health(Health.ERROR, "config", BAD_SETTINGS)
            return False
        self._failures = 0
        self._splitter.reset()
        log.info("scanner %s: open at %d baud", self.port, self.baudrate)
        self._set_health(Health.OK)
        return True

    def _read_once(self) -> None:
        port = self._serial
        assert port is not None
        try:
            data = port.read(1)
            if data and port.in_waiting:
                data += port.read(port.in_waiting)
        except (serial.SerialException, OSError) as exc:
            log.warning("scanner %s: the port went away (%s)", self.port, exc)
            self._close_port()
            self._set_health(Health.OFFLINE, "port", PORT_MISSING)
            return
        if data:
            for frame in self._splitter.feed(data):
                self._deliver(frame)

    def _deliver(self, frame: bytes) -> None:
        try:
            payload = decode_scan(frame, strip_aim=self.strip_aim)
        except PayloadError as exc:
            if exc.code == "empty":
                return  # a lone terminator (the LF of CR LF in "cr" mode): nothing was scanned
            log.warning(
                "scanner %s: dropped a %d-byte scan that is not text (%s)", self.port, len(frame), exc.code
            )
            log.debug("scanner %s: dropped bytes begin %s", self.port, frame[:32].hex(" "))
            return
        log.info("scanner %s: scan of %d chars (%s)", self.port, len(payload.text), payload.encoding)
        self._worker.emit(DeviceEvent(self.kind, "scan", payload.text))

    def _close_port(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                log.debug("scanner %s: closing failed", self.port, exc_info=True)

    def _set_health(self, health: Health, code: str = "", message: str = "") -> None:
        changed = health != self._state[0]
        self._state = (health, code, message)
        if changed:
            self._worker.emit(DeviceEvent(self.kind, "health_changed", health.value))


__all__ = ["PORT_MISSING", "SerialScanner"]
