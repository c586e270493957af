"""The answers of an ESC/POS printer to ``DLE EOT n`` (10 04 n), read as a health. Pure: no I/O here.

Every answer is one byte whose bits 0 and 7 are 0 and bits 1 and 4 are 1 (``0xx1xx10``); anything else is not
a status byte (a stale answer, line noise, another protocol) and is reported as :class:`StatusError`.

=====  ========================  ================================================================
n      what it reports           bits used here
=====  ========================  ================================================================
1      printer status            3: offline
2      offline cause             2: cover open, 5: printing stopped by paper end, 6: error
3      error cause               3: auto-cutter error, 5: unrecoverable error, 6: auto-recoverable
4      roll paper sensor         2-3: paper near end, 5-6: paper end (no paper)
=====  ========================  ================================================================

Printers differ in which of the two bits of a pair they set, so either counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from drivers.base import DeviceError, Health
from drivers.printer.jobs import message_for
from kiosk.domain.messages import define

DLE_EOT = b"\x10\x04"
PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR = 1, 2, 3, 4
QUERIES = (PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR)

FIXED_MASK, FIXED_VALUE = 0x93, 0x12

# n=1
BIT_OFFLINE = 0x08
# n=2
BIT_COVER_OPEN = 0x04
BIT_STOPPED_PAPER_END = 0x20
BIT_ERROR = 0x40
# n=3
BIT_CUTTER_ERROR = 0x08
BIT_UNRECOVERABLE = 0x20
BIT_AUTO_RECOVERABLE = 0x40
# n=4
BITS_NEAR_END = 0x0C
BITS_PAPER_END = 0x60


CUTTER_ERROR = define("printer.cutter_error", "打印机切纸刀故障，请联系工作人员处理")()
PAUSED = define("printer.paused", "打印机暂停工作，请联系工作人员检查打印机")()


class StatusError(DeviceError):
    """An answer that is not an ESC/POS status byte."""

    def __init__(self, detail: str) -> None:
        super().__init__(message_for("bad_status"), code="bad_status", health=Health.ERROR)
        self.detail = detail  # for the log: what came back


def query(n: int) -> bytes:
    """The ``DLE EOT n`` command."""
    if n not in QUERIES:
        raise ValueError(f"DLE EOT n: n must be one of {QUERIES}, not {n}")
    return DLE_EOT + bytes([n])


def status_byte(answer: bytes) -> int:
    """The status byte of one answer. A longer answer (a late reply arriving with this one) counts by its last
    byte; an empty one is the caller's business (no answer: offline)."""
    if not answer:
        raise StatusError("empty answer")
    value = answer[-1]
    if value & FIXED_MASK != FIXED_VALUE:
        raise StatusError(f"not a status byte: {answer.hex(' ')}")
    return value


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What the printer said about itself."""

    offline: bool = False
    cover_open: bool = False
    paper_low: bool = False
    paper_out: bool = False
    cutter_error: bool = False
    error: bool = False

    @property
    def health(self) -> Health:
        """The one health that matters most to the person standing at the printer."""
        if self.cover_open:
            return Health.COVER_OPEN
        if self.paper_out:
            return Health.PAPER_OUT
        if self.error or self.cutter_error:
            return Health.ERROR
        if self.offline:
            return Health.OFFLINE
        if self.paper_low:
            return Health.PAPER_LOW
        return Health.OK

    @property
    def code(self) -> str:
        """The job/support code of :attr:`health` ("" when OK)."""
        if self.cutter_error:
            return "cutter_error"
        return {
            Health.OK: "",
            Health.COVER_OPEN: "cover_open",
            Health.PAPER_OUT: "paper_out",
            Health.ERROR: "printer_error",
            Health.OFFLINE: "offline",
            Health.PAPER_LOW: "paper_low",
        }[self.health]

    @property
    def message(self) -> str:
        if self.health is Health.OK:
            return ""
        if self.cutter_error:
            return CUTTER_ERROR
        if self.health is Health.OFFLINE:
            return PAUSED
        return message_for(self.code)


def parse_status(answers: Mapping[int, bytes]) -> PrinterStatus:
    """Read the answers to the queries that were made (``n`` → bytes received). Queries not made count as
    nothing to report. Raises StatusError when an answer is not a status byte."""
    values = {n: status_byte(answer) for n, answer in answers.items() if n in QUERIES}
    printer = values.get(PRINTER, FIXED_VALUE)
    cause = values.get(OFFLINE_CAUSE, FIXED_VALUE)
    errors = values.get(ERROR_CAUSE, FIXED_VALUE)
    paper = values.get(PAPER_SENSOR, FIXED_VALUE)
    return PrinterStatus(
        offline=bool(printer & BIT_OFFLINE),
        cover_open=bool(cause & BIT_COVER_OPEN),
        paper_out=bool(paper & BITS_PAPER_END) or bool(cause & BIT_STOPPED_PAPER_END),
        paper_low=bool(paper & BITS_NEAR_END),
        cutter_error=bool(errors & BIT_CUTTER_ERROR),
        error=bool(cause & BIT_ERROR) or bool(errors & (BIT_UNRECOVERABLE | BIT_AUTO_RECOVERABLE)),
    )


def status_answers(
    *, paper_low: bool = False, paper_out: bool = False, cover_open: bool = False
) -> dict[int, bytes]:
    """The answers a healthy printer in the given state sends (the simulator's side of :func:`parse_status`)."""
    offline = paper_out or cover_open
    return {
        PRINTER: bytes([FIXED_VALUE | (BIT_OFFLINE if offline else 0)]),
        OFFLINE_CAUSE: bytes(
            [
                FIXED_VALUE
                | (BIT_COVER_OPEN if cover_open else 0)
                | (BIT_STOPPED_PAPER_END if paper_out else 0)
            ]
        ),
        ERROR_CAUSE: bytes([FIXED_VALUE]),
        PAPER_SENSOR: bytes(
            [
                FIXED_VALUE
                | (BITS_NEAR_END if paper_low or paper_out else 0)
                | (BITS_PAPER_END if paper_out else 0)
            ]
        ),
    }
