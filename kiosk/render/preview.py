"""The pages of a PDF as images, for the on-screen print preview (QtPdf). Only QImage: the preview's image provider
calls this on Qt Quick's threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

PREVIEW_DEFAULT_WIDTH = 1000


class PdfReadError(RuntimeError):
    """A file that cannot be read as a PDF; ``error`` says why in QtPdf's words."""

    def __init__(self, message: str, error: QPdfDocument.Error = QPdfDocument.Error.Unknown) -> None:
        super().__init__(message)
        self.error = error


_readers = threading.local()


@contextmanager
def opened_pdf(pdf_path: Path) -> Iterator[QPdfDocument]:
    """The PDF at ``pdf_path`` open in QtPdf for the ``with`` block (PdfReadError when it cannot be read).

    QtPdf keeps about 30 kB for every QPdfDocument object ever made, for the rest of the process (PDFium's own
    allocator), and a terminal shows and prints thousands of documents: so each thread loads every file into one
    document object of its own (a QObject belongs to its thread) and closes it after the block. A read inside
    another read on the same thread gets an object of its own."""
    nested = getattr(_readers, "busy", False)
    document: QPdfDocument | None = None if nested else getattr(_readers, "document", None)
    if document is None:
        document = QPdfDocument()
        if not nested:
            _readers.document = document
    _readers.busy = True
    try:
        error = document.load(str(pdf_path))
        if error != QPdfDocument.Error.None_:
            raise PdfReadError(f"cannot read {pdf_path}: {error.name}", error)
        yield document
    finally:
        document.close()
        _readers.busy = nested


def page_count(pdf_path: Path) -> int:
    """How many pages the PDF has."""
    with opened_pdf(pdf_path) as document:
        return document.pageCount()


def render_page(document: QPdfDocument, page: int, width_px: int = 0, height_px: int = 0) -> QImage:
    """Page ``page`` on white, ``width_px`` wide (or ``height_px`` high when no width is given)."""
    points = document.pagePointSize(page)
    if width_px <= 0 < height_px:
        width_px = round(height_px * points.width() / points.height())
    elif width_px <= 0:
        width_px = PREVIEW_DEFAULT_WIDTH
    height_px = max(1, round(width_px * points.height() / points.width()))
    rendered = document.render(page, QSize(width_px, height_px))
    # paper is white, whatever the renderer leaves transparent
    image = QImage(rendered.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def render_pdf_pages(pdf_path: Path, width_px: int) -> list[QImage]:
    """Render each page of a PDF to an image ``width_px`` wide (for the on-screen print preview)."""
    if width_px <= 0:
        raise ValueError("width_px must be positive")
    with opened_pdf(pdf_path) as document:
        return [render_page(document, page, width_px) for page in range(document.pageCount())]
