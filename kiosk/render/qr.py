"""QR codes drawn with Qt, from the one encoder (``kiosk.domain.qr``): as an image with whole pixels per module
(the screens, the printed guide and form) or as filled squares on a painter (vector: sharp at any printer
resolution). Only QImage, never QPixmap: this may run on a worker thread once a QGuiApplication exists."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from kiosk.domain.qr import qr_matrix


def qr_image(payload: str, *, module_px: int = 0, min_width_px: int = 0) -> QImage:
    """The QR code of ``payload`` with its quiet zone, black on white: ``module_px`` pixels a module, or as few
    whole pixels a module as make it at least ``min_width_px`` wide.

    The pixels are built as bytes and handed to Qt in one call (one call per module would be thousands)."""
    matrix = qr_matrix(payload)
    modules = len(matrix)
    scale = module_px if module_px > 0 else max(1, -(-min_width_px // modules))
    dark, light = b"\x00" * scale, b"\xff" * scale
    pixels = b"".join(b"".join(dark if module else light for module in row) * scale for row in matrix)
    size = modules * scale
    return QImage(pixels, size, size, size, QImage.Format.Format_Grayscale8).copy()  # copy: own the pixels


def paint_qr(painter: QPainter, payload: str, area: QRectF) -> None:
    """The QR code filling the square ``area`` as filled squares, quiet zone included."""
    matrix = qr_matrix(payload)
    module = area.width() / len(matrix)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillRect(area, QColor("white"))
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):  # one rectangle per run of dark modules
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            painter.fillRect(
                QRectF(area.left() + start * module, area.top() + y * module, (x - start) * module, module),
                QColor("black"),
            )
    painter.restore()
