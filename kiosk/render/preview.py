"""The pages of a PDF as images, for the on-screen print preview (QtPdf). Only QImage: the preview's image provider
calls this on Qt Quick's threads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

PREVIEW_DEFAULT_WIDTH = 1000


class PdfReadError(RuntimeError):
    """A file that cannot be read as a PDF."""


def open_pdf(pdf_path: Path) -> QPdfDocument:
    document = QPdfDocument()
    error = document.load(str(pdf_path))
    if error != QPdfDocument.Error.None_:
        raise PdfReadError(f"cannot read {pdf_path}: {error.name}")
    return document


def page_count(pdf_path: Path) -> int:
    """How many pages the PDF has."""
    document = open_pdf(pdf_path)
    try:
        return document.pageCount()
    finally:
        document.close()


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
    document = open_pdf(pdf_path)
    try:
        return [render_page(document, page, width_px) for page in range(document.pageCount())]
    finally:
        document.close()
