"""The thermal ticket printer (80 or 58 mm, ESC/POS): queue tickets, appointment check-ins, receipts.

A ticket is composed in full before anything is sent (python-escpos builds the commands into a buffer), the
printer's status is asked where the link can answer, and only then are the bytes written in one go: a printer
out of paper gets nothing, never half a ticket.

Chinese text has two ways onto paper:

* ``gb18030``: the printer's own Chinese font. Each line with Chinese is sent as ``FS &`` (enter Chinese mode),
  the GB18030 bytes, ``FS .`` (leave it). python-escpos 3.1 does not send ``FS &`` and encodes a line with no
  ideograph (``：``, ``（）``) through a Western code page as ``?``, so the text is encoded here. A character
  outside the two-byte range (rare name characters) is not in a printer's font: the ticket then goes out as a
  picture when a font file is at hand.
* ``image``: the whole ticket drawn with Pillow (drivers.printer.ticket_image) and sent as a raster image
  (``GS v 0``); slower, but any printer prints it the same.

The QR code goes out as the printer's own (``GS ( k``) unless ``qr_mode`` is ``image`` or the payload is too
long for printers' QR stores; then as a picture.
"""

from __future__ import annotations

import copy
import logging
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from drivers.base import DeviceError, DeviceEvent, DeviceKind, DeviceStatus, EventListener, Health
from drivers.printer import escpos_status
from drivers.printer.jobs import JobState, PrintJob, message_for, new_job_id, printer_error
from drivers.printer.links import Link, make_link
from drivers.worker import DeviceWorker
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

NO_FONT_FOR_CHARACTER = define(
    "printer.no_font_for_character",
    "凭条中有打印机字库没有的字，且终端缺少中文字体，无法打印，请联系工作人员",
)()

T = TypeVar("T")
LinkKind = Literal["file", "usb", "serial", "network"]
TextMode = Literal["gb18030", "image"]
QrMode = Literal["native", "image"]

ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
ALIGN_LEFT, ALIGN_CENTER = ESC + b"a\x00", ESC + b"a\x01"
FONT_A_DOTS = 12  # the width of a half-width character of font A (a Chinese one is 24)
NATIVE_QR_MAX_BYTES = 600  # beyond this, many printers' QR stores overflow: print it as a picture
DEFAULT_STATUS_TIMEOUT = 1.0
DEFAULT_WRITE_TIMEOUT = 10.0
# Punctuation that must not begin a line: the character before it moves down with it.
NO_LINE_START = frozenset("，。、：；！？）》」』】〕…—·,.:;!?)]}%")


def size(width: int, height: int) -> bytes:
    """``GS ! n``: character size, each 1-8 times (applies to Chinese characters as well)."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character size must be 1-8 times")
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def _clean(text: str) -> str:
    """Control and format characters removed: text from data must never become a printer command."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))


@dataclass(frozen=True, slots=True)
class Ticket:
    """What a ticket says. ``number`` is printed very large (a queue number such as A012, or a short headline);
    ``lines`` are the details, one per entry (long ones wrap); ``qr`` is an optional payload; no logo."""

    title: str
    number: str = ""
    lines: tuple[str, ...] = ()
    qr: str = ""
    footer: str = ""

    def __post_init__(self) -> None:
        given = (self.lines,) if isinstance(self.lines, str) else self.lines
        lines = [part for line in given for part in str(line).splitlines()]
        object.__setattr__(self, "title", _clean(self.title))
        object.__setattr__(self, "number", _clean(self.number))
        object.__setattr__(self, "lines", tuple(_clean(line) for line in lines))
        object.__setattr__(self, "footer", _clean(self.footer))


# -- composing the bytes --------------------------------------------------------------------------------------


class _NeedsImage(Exception):
    """A character the printer's font cannot hold."""


def _printer_buffer(width_dots: int) -> Any:
    """A python-escpos printer that only collects bytes, told the paper's width (its shared default profile
    says "Unknown", which makes python-escpos print a warning on stdout for every image)."""
    from escpos.capabilities import get_profile
    from escpos.printer import Dummy

    profile = copy.copy(get_profile("default"))
    data = copy.deepcopy(profile.profile_data)
    data["media"]["width"]["pixels"] = width_dots
    profile.profile_data = data
    printer = Dummy()
    printer.profile = profile
    return printer


def encode_text(text: str) -> bytes:
    """One piece of text for a printer's Chinese mode: ASCII as is, anything else as two-byte GB18030 inside
    ``FS &`` … ``FS .``. Raises _NeedsImage for a character outside the two-byte range."""
    if text.isascii():
        return text.encode("ascii")
    out = bytearray(CHINESE_ON)
    for char in text:
        encoded = char.encode("gb18030")
        if len(encoded) > 2:
            raise _NeedsImage(char)
        out += encoded
    out += CHINESE_OFF
    return bytes(out)


def _cells(text: str) -> int:
    return sum(1 if c.isascii() else 2 for c in text)


def _is_letter(char: str) -> bool:
    return char.isascii() and not char.isspace()


def wrap_cells(text: str, cells: int) -> list[str]:
    """Break ``text`` into lines of at most ``cells`` half-width cells (a Chinese character takes two): anywhere
    between Chinese characters, between words for Latin text (a word longer than a line is broken too)."""
    lines, current, used = [], "", 0
    for char in text:
        width = 1 if char.isascii() else 2
        if used + width > cells and current:
            if char in NO_LINE_START and len(current) > 1:  # the character before it moves down with it
                lines.append(current[:-1].rstrip())
                current = current[-1] + char
                used = _cells(current)
                continue
            if _is_letter(char) and _is_letter(current[-1]):
                # Inside a word: the word moves down whole, when a space before it leaves a line to break at.
                start = len(current)
                while start > 0 and _is_letter(current[start - 1]):
                    start -= 1
                if start > 0 and current[:start].strip():
                    lines.append(current[:start].rstrip())
                    current = current[start:] + char
                    used = _cells(current)
                    continue
            lines.append(current.rstrip())
            current, used = ("", 0) if char == " " else (char, width)
            continue
        current += char
        used += width
    if current or not lines:
        lines.append(current.rstrip())
    return lines


def _qr(printer: Any, payload: str, *, qr_mode: QrMode, module: int) -> None:
    from escpos.constants import QR_ECLEVEL_M

    if qr_mode == "native" and len(payload.encode("utf-8")) <= NATIVE_QR_MAX_BYTES:
        printer._raw(ALIGN_CENTER)
        printer.qr(payload, ec=QR_ECLEVEL_M, size=module, native=True)
        printer._raw(b"\n")
    else:
        printer.qr(payload, ec=QR_ECLEVEL_M, size=module, native=False, center=True)


def compose_text_ticket(ticket: Ticket, *, width_dots: int, qr_mode: QrMode = "native") -> bytes:
    """The ESC/POS bytes of a ticket in the printer's Chinese font. Raises _NeedsImage (see encode_text)."""
    printer = _printer_buffer(width_dots)
    raw: Callable[[bytes], None] = printer._raw
    cells = max(16, width_dots // FONT_A_DOTS)

    def lines(text: str, times: int) -> None:
        for line in wrap_cells(text, cells // times):
            raw(encode_text(line) + b"\n")

    raw(INIT)
    raw(ALIGN_CENTER + size(2, 2))
    lines(ticket.title, 2)
    raw(size(1, 1) + b"-" * (cells // 2) + b"\n")
    if ticket.number:
        times = max(2, min(6, cells // max(1, _cells(ticket.number))))
        raw(b"\n" + size(times, times))
        lines(ticket.number, times)
        raw(size(1, 1) + b"\n")
    raw(ALIGN_LEFT + size(1, 2))  # double height: large enough to read, 24 Chinese characters a line on 80 mm
    for line in ticket.lines:
        lines(line, 1)
    raw(size(1, 1))
    if ticket.qr:
        raw(b"\n")
        _qr(printer, ticket.qr, qr_mode=qr_mode, module=max(3, min(8, width_dots // 72)))
    if ticket.footer:
        raw(b"\n" + ALIGN_CENTER + size(2, 2))
        lines(ticket.footer, 2)
        raw(size(1, 1))
    raw(ALIGN_LEFT)
    printer.cut()
    return bytes(printer.output)


def compose_image_ticket(ticket: Ticket, *, width_dots: int, font_path: Path | None) -> bytes:
    """The ESC/POS bytes of a ticket drawn as one picture (``GS v 0`` raster, in bands), then the cut."""
    from drivers.printer.ticket_image import render_ticket_image

    image = render_ticket_image(ticket, width_dots, font_path)
    printer = _printer_buffer(width_dots)
    printer._raw(INIT)
    printer.image(image, impl="bitImageRaster", fragment_height=256)
    printer.cut()
    return bytes(printer.output)


def compose_ticket(
    ticket: Ticket,
    *,
    text_mode: TextMode = "gb18030",
    width_dots: int = 576,
    font_path: Path | None = None,
    qr_mode: QrMode = "native",
) -> bytes:
    """The exact bytes a printer receives for ``ticket``. Raises DeviceError (``no_font``, ``render_failed``)."""
    try:
        if text_mode == "gb18030":
            try:
                return compose_text_ticket(ticket, width_dots=width_dots, qr_mode=qr_mode)
            except _NeedsImage:
                # (the character itself is not logged: it may belong to a person's name)
                if font_path is None:
                    log.warning("ticket: a character is not in printer fonts and no font file is set")
                    raise DeviceError(NO_FONT_FOR_CHARACTER, code="no_font", health=Health.OK) from None
                log.info("ticket: a character is not in printer fonts; printing the ticket as a picture")
        return compose_image_ticket(ticket, width_dots=width_dots, font_path=font_path)
    except DeviceError:
        raise
    except Exception:
        log.exception("ticket: composing failed")
        raise DeviceError(message_for("render_failed"), code="render_failed", health=Health.OK) from None


# -- the printer ------------------------------------------------------------------------------------------------


class TicketPrinter:
    """One ESC/POS ticket printer on one link; every conversation with it runs on its own worker thread."""

    kind = DeviceKind.TICKET_PRINTER

    def __init__(
        self,
        link: Link,
        *,
        text_mode: TextMode = "gb18030",
        width_dots: int = 576,
        font_path: Path | None = None,
        qr_mode: QrMode = "native",
        status_timeout: float = DEFAULT_STATUS_TIMEOUT,
    ) -> None:
        if text_mode not in ("gb18030", "image"):
            raise ValueError(f"text_mode must be gb18030 or image, not {text_mode!r}")
        if qr_mode not in ("native", "image"):
            raise ValueError(f"qr_mode must be native or image, not {qr_mode!r}")
        if not 128 <= width_dots <= 2048:
            raise ValueError(f"width_dots must be 128-2048, not {width_dots}")
        self.backend = link.kind
        self.link = link
        self.text_mode: TextMode = text_mode
        self.width_dots = width_dots
        self.font_path = Path(font_path) if font_path else None
        self.qr_mode: QrMode = qr_mode
        self.status_timeout = status_timeout
        self._worker = DeviceWorker(f"ticket-{link.kind}")
        self._lock = threading.Lock()
        self._health = Health.OK
        self._code = ""
        self._message = ""

    @classmethod
    def open(
        cls,
        link: LinkKind,
        target: str,
        *,
        text_mode: TextMode = "gb18030",
        width_dots: int = 576,
        font_path: Path | None = None,
        qr_mode: QrMode = "native",
        status_timeout: float = DEFAULT_STATUS_TIMEOUT,
        write_timeout: float = DEFAULT_WRITE_TIMEOUT,
    ) -> TicketPrinter:
        """A printer on ``link``: ``file`` (a path), ``usb`` (``vid:pid`` in hex), ``serial`` (``port[:baud]``)
        or ``network`` (``host[:port]``, 9100 by default). Nothing is opened until the first check or print;
        raises DeviceError ``bad_target`` for a target that cannot be meant."""
        return cls(
            make_link(link, target, timeout=write_timeout),
            text_mode=text_mode,
            width_dots=width_dots,
            font_path=font_path,
            qr_mode=qr_mode,
            status_timeout=status_timeout,
        )

    # -- the public face, safe from any thread --------------------------------------------------------------

    def status(self) -> DeviceStatus:
        with self._lock:
            return DeviceStatus(self.kind, self.backend, self._health, self._code, self._message)

    def check(self) -> Future[DeviceStatus]:
        """Ask the printer (DLE EOT where the link can read back) and report its health."""
        return self._submit(self._check)

    def print_ticket(self, ticket: Ticket) -> Future[PrintJob]:
        """Print ``ticket``; the future holds the job, done or failed (with a message for the citizen)."""
        return self._submit(self._print, ticket, new_job_id(), datetime.now(UTC))

    def subscribe(self, listener: EventListener) -> None:
        self._worker.subscribe(listener)

    def unsubscribe(self, listener: EventListener) -> None:
        self._worker.unsubscribe(listener)

    def close(self) -> None:
        """Cancel what is queued, let a running job finish, then close the link (no thread uses it any more)."""
        if not self._worker.closed:
            self._worker.close()
            self.link.close()

    # -- worker side ----------------------------------------------------------------------------------------

    def _submit(self, fn: Callable[..., T], *args: object) -> Future[T]:
        try:
            return self._worker.submit(fn, *args)
        except RuntimeError:  # shut down
            future: Future[T] = Future()
            future.set_exception(printer_error("closed"))
            return future

    def _set_health(self, health: Health, code: str = "", message: str = "") -> None:
        with self._lock:
            changed = health != self._health
            self._health, self._code, self._message = health, code, message
        if changed:
            self._worker.emit(DeviceEvent(self.kind, "health_changed", health.value))

    def _ask_status(self) -> escpos_status.PrinterStatus | None:
        """DLE EOT 1-4; None when the printer does not answer the first (offline). Raises DeviceError when the
        link fails, StatusError when an answer is not a status byte."""
        answers: dict[int, bytes] = {}
        for n in escpos_status.QUERIES:
            answer = self.link.ask(escpos_status.query(n), self.status_timeout)
            if not answer:
                if n == escpos_status.PRINTER:
                    return None
                log.info("ticket %s: no answer to DLE EOT %d; taken as nothing to report", self.backend, n)
                continue
            answers[n] = answer
        try:
            return escpos_status.parse_status(answers)
        except escpos_status.StatusError as exc:
            log.warning("ticket %s: %s", self.backend, exc.detail)
            raise

    def _probe(self) -> None:
        """Raise DeviceError when the printer cannot print now; leaves the health it found."""
        if not self.link.readable:
            self.link.probe()
            self._set_health(Health.OK)
            return
        try:
            status = self._ask_status()
        except escpos_status.StatusError:
            raise
        except DeviceError:
            self.link.close()  # once more on a fresh connection: printers on the LAN drop idle ones
            status = self._ask_status()
        if status is None:
            self.link.close()  # reconnect next time: the printer may have been switched off meanwhile
            raise printer_error("offline")
        self._set_health(status.health, status.code, status.message)
        if not status.health.usable:
            raise DeviceError(status.message, code=status.code, health=status.health)

    def _check(self) -> DeviceStatus:
        try:
            self._probe()
        except DeviceError as exc:
            self._set_health(exc.health if exc.health != Health.OK else Health.ERROR, exc.code, exc.message)
        return self.status()

    def _print(self, ticket: Ticket, job_id: str, submitted: datetime) -> PrintJob:
        title = " ".join(part for part in (ticket.title, ticket.number) if part)
        try:
            data = compose_ticket(
                ticket,
                text_mode=self.text_mode,
                width_dots=self.width_dots,
                font_path=self.font_path,
                qr_mode=self.qr_mode,
            )
            self._probe()
            self.link.write(data)
        except DeviceError as exc:
            if exc.health not in (Health.OK,):
                self._set_health(exc.health, exc.code, exc.message)
            log.warning("ticket %s: job %s failed: %s (%s)", self.backend, job_id, exc, exc.code)
            self._worker.emit(DeviceEvent(self.kind, "job_failed", job_id))
            return PrintJob(
                id=job_id,
                title=title,
                printer=self.backend,
                state=JobState.FAILED,
                code=exc.code,
                message=exc.message,
                submitted_at=submitted,
            )
        except Exception:
            log.exception("ticket %s: job %s failed unexpectedly", self.backend, job_id)
            self._set_health(Health.ERROR, "printer_error", message_for("printer_error"))
            return PrintJob(
                id=job_id,
                title=title,
                printer=self.backend,
                state=JobState.FAILED,
                code="printer_error",
                message=message_for("printer_error"),
                submitted_at=submitted,
            )
        if not self.link.readable:
            self._set_health(Health.OK)
        log.info("ticket %s: job %s printed (%d bytes)", self.backend, job_id, len(data))
        self._worker.emit(DeviceEvent(self.kind, "job_done", job_id))
        return PrintJob(
            id=job_id,
            title=title,
            printer=self.backend,
            state=JobState.DONE,
            pages=1,
            output=self.link.output_path,
            submitted_at=submitted,
        )
