"""The A4 printer behind a system print queue (CUPS on Linux, the spooler on Windows), through Qt.

Each page of the PDF is rendered by QtPdf at the printer's resolution (at most MAX_DPI, which is sharp on paper
and keeps a page's bitmap near 35 MB) and painted full page onto a QPrinter set to A4, on the printer's own
worker thread: painting on a QPrinter is allowed off the GUI thread. The Qt modules are imported here, at module
level, so they are loaded on the thread that imports this module (the GUI thread): loading a Qt module for the
first time on a worker while an event loop runs can deadlock.

``output_dir`` prints into PDF files instead of a queue (QPrinter's PdfFormat), for tests and for terminals
without a printer. Those files get an invisible text layer over each page image, so the text can still be
found and copied in the printed copy.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSize
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from drivers.base import DeviceError, Health
from drivers.printer.a4 import A4Printer
from drivers.printer.jobs import message_for, printer_error
from kiosk import __version__
from kiosk.domain.messages import define
from kiosk.render.fonts import CJK_FONT_FAMILIES, ensure_fonts
from kiosk.render.preview import PdfReadError, opened_pdf

log = logging.getLogger(__name__)

# What the citizen and the staff are told (kiosk.domain.messages: the screens translate them by code).
_NOT_INSTALLED = define(
    "printer.system_not_installed", "找不到打印机“{name}”，请联系工作人员检查打印机电源、连线和设置"
)
_NO_DEFAULT = define(
    "printer.system_no_default", "没有找到默认打印机，请联系工作人员检查打印机电源、连线和设置"
)()
_PASSWORD = define("printer.document_password", "要打印的文件有密码保护，无法打印")()

MAX_DPI = 300


class QtSystemPrinter(A4Printer):
    """A named system printer (empty: the default one). A name that does not exist reads as offline."""

    backend = "system"

    def __init__(
        self,
        name: str = "",
        *,
        retained_dir: Path | None = None,
        output_dir: Path | None = None,
        max_dpi: int = MAX_DPI,
    ) -> None:
        if not isinstance(QCoreApplication.instance(), QGuiApplication):
            raise RuntimeError("QtSystemPrinter needs a QGuiApplication")
        self.name = name
        self.output_dir = Path(output_dir) if output_dir is not None else None
        self.max_dpi = max_dpi
        if retained_dir is None:  # callers should pass a folder that outlives the process
            retained_dir = Path(tempfile.gettempdir()) / "kiosk-print-retained"
        super().__init__(retained_dir)

    # -- worker side ----------------------------------------------------------------------------------------

    def _printer_info(self) -> QPrinterInfo:
        info = QPrinterInfo.printerInfo(self.name) if self.name else QPrinterInfo.defaultPrinter()
        if info.isNull():
            if self.name:
                log.warning("system printer %r is not installed on this terminal", self.name)
                message = _NOT_INSTALLED(name=self.name)
            else:
                log.warning("this terminal has no default printer")
                message = _NO_DEFAULT
            raise DeviceError(message, code="offline", health=Health.OFFLINE)
        return info

    def _probe(self) -> None:
        if self.output_dir is not None:
            try:
                self.output_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.error("system printer: cannot create %s: %s", self.output_dir, exc)
                raise printer_error("write_failed") from None
            if not os.access(self.output_dir, os.W_OK):
                raise printer_error("write_failed")
            return
        info = self._printer_info()
        if info.state().name == "Error":
            log.warning("system printer %r reports an error", info.printerName())
            raise printer_error("printer_error")

    def _print(
        self, document: Path, *, title: str, copies: int, job_id: str
    ) -> tuple[int | None, Path | None]:
        try:
            with opened_pdf(document) as pdf:
                if pdf.pageCount() < 1:
                    raise PdfReadError(f"{document} has no pages")
                return self._paint(pdf, title=title, copies=copies, job_id=job_id)
        except PdfReadError as exc:
            log.warning("system printer: QtPdf cannot read job %s: %s", job_id, exc)
            message = (
                _PASSWORD
                if exc.error == QPdfDocument.Error.IncorrectPassword
                else message_for("bad_document")
            )
            raise DeviceError(message, code="bad_document", health=Health.OK) from None

    def _paint(self, pdf: QPdfDocument, *, title: str, copies: int, job_id: str) -> tuple[int, Path | None]:
        if self.output_dir is not None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            output: Path | None = self.output_dir / f"{datetime.now():%Y%m%d-%H%M%S}-{job_id[-6:]}.pdf"
            part = self.output_dir / f".{job_id}.pdf.part"
            printer.setOutputFileName(str(part))
            printer.setResolution(min(printer.resolution(), self.max_dpi))
            ensure_fonts()  # for the text layer
        else:
            printer = QPrinter(self._printer_info(), QPrinter.PrinterMode.HighResolution)
            output = part = None
        printer.setDocName(title)
        printer.setCreator(f"kiosk {__version__}")
        printer.setPageLayout(
            QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF())
        )
        printer.setFullPage(True)  # the document brings its own margins
        repeats = copies
        if copies > 1 and printer.supportsMultipleCopies():
            printer.setCopyCount(copies)
            repeats = 1
        dpi = min(printer.resolution(), self.max_dpi)
        pages = pdf.pageCount()

        painter = QPainter()
        if not painter.begin(printer):
            log.error(
                "system printer: cannot start job %s (printer state %s)", job_id, printer.printerState().name
            )
            raise printer_error("write_failed" if part is not None else "offline")
        try:
            first = True
            for _ in range(repeats):
                for page in range(pages):
                    if not first and not printer.newPage():
                        raise printer_error("printer_error")
                    first = False
                    self._paint_page(painter, printer, pdf, page, dpi, text_layer=part is not None)
        except BaseException:
            painter.end()
            if part is not None:
                with contextlib.suppress(OSError):
                    part.unlink(missing_ok=True)
            raise
        if not painter.end() or printer.printerState() == QPrinter.PrinterState.Error:
            log.error("system printer: job %s ended in error", job_id)
            raise printer_error("write_failed" if part is not None else "printer_error")
        if part is not None and output is not None:
            try:
                os.replace(part, output)
            except OSError as exc:
                log.error("system printer: cannot write %s: %s", output, exc)
                raise printer_error("write_failed") from None
        return pages, output

    @staticmethod
    def _paint_page(
        painter: QPainter, printer: QPrinter, pdf: QPdfDocument, page: int, dpi: int, *, text_layer: bool
    ) -> None:
        """The page rendered at ``dpi``, scaled to fit the sheet (aspect kept, centered), on white."""
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        points = pdf.pagePointSize(page)
        if points.width() <= 0 or points.height() <= 0:
            raise DeviceError(message_for("bad_document"), code="bad_document", health=Health.OK)
        scale = min(paper.width() / points.width(), paper.height() / points.height())  # device px per point
        target = QRectF(0, 0, points.width() * scale, points.height() * scale)
        target.moveCenter(paper.center())
        pixels = QSize(max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72)))
        rendered = pdf.render(page, pixels)
        if rendered.isNull():
            log.error("system printer: QtPdf could not render page %d", page + 1)
            raise printer_error("render_failed")
        sheet = QImage(rendered.size(), QImage.Format.Format_RGB32)
        sheet.fill(QColor("white"))
        sheet_painter = QPainter(sheet)
        sheet_painter.drawImage(0, 0, rendered)
        sheet_painter.end()
        painter.drawImage(target, sheet)
        if text_layer:
            _draw_text_layer(painter, pdf, page, target, scale)


def _draw_text_layer(painter: QPainter, pdf: QPdfDocument, page: int, target: QRectF, scale: float) -> None:
    """The page's text drawn invisibly over the page image, line by line, each line stretched over the place
    QtPdf reports for it, so the copy stays searchable. QtPdf gives one box per visible character; when the
    boxes and characters do not pair up, the text goes into the top corner (still searchable)."""
    selection = pdf.getAllText(page)
    text = selection.text()
    if not text.strip():
        return
    boxes = [polygon.boundingRect() for polygon in selection.bounds()]
    visible = [index for index, char in enumerate(text) if not char.isspace()]
    painter.save()
    painter.setPen(QColor(0, 0, 0, 0))
    font = QFont()
    font.setFamilies(CJK_FONT_FAMILIES)
    for feature in ("locl", "liga"):  # glyphs these swap in cannot be mapped back to text (see guide_print)
        font.setFeature(QFont.Tag(feature), 0)
    if len(visible) != len(boxes):
        font.setPixelSize(max(1, round(8 * scale)))
        painter.setFont(font)
        for n, line in enumerate(text.splitlines()):
            painter.drawText(QPointF(target.left(), target.top() + (n + 1) * 10 * scale), line)
        painter.restore()
        return
    for first, last, rect in _text_lines(visible, boxes):
        run = text[first : last + 1]
        font.setPixelSize(max(1, round(rect.height() * scale)))
        painter.setFont(font)
        natural = QFontMetricsF(font, painter.device()).horizontalAdvance(run)
        if natural <= 0:
            continue
        painter.save()
        painter.translate(
            target.left() + rect.left() * scale, target.top() + (rect.bottom() - 0.12 * rect.height()) * scale
        )
        painter.scale(rect.width() * scale / natural, 1.0)
        painter.drawText(QPointF(0, 0), run)
        painter.restore()
    painter.restore()


def _text_lines(visible: list[int], boxes: list[QRectF]) -> list[tuple[int, int, QRectF]]:
    """Runs of characters on one line: (index of the first, index of the last, the box around them). A line
    ends where the next box starts left of the last one or does not overlap it vertically."""
    lines: list[tuple[int, int, QRectF]] = []
    first = last = visible[0]
    rect = QRectF(boxes[0])
    previous = boxes[0]
    for index, box in zip(visible[1:], boxes[1:], strict=True):
        middle = box.center().y()
        if box.left() >= previous.left() and rect.top() <= middle <= rect.bottom():
            last = index
            rect = rect.united(box)
        else:
            lines.append((first, last, rect))
            first = last = index
            rect = QRectF(box)
        previous = box
    lines.append((first, last, rect))
    return lines
