"""The A4 PDF writer every printout starts from (guides, forms, the printer test page)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter


def a4_writer(path: Path, dpi: int, margins_mm: QMarginsF) -> QPdfWriter:
    """A portrait A4 QPdfWriter at ``dpi`` with ``margins_mm`` (left, top, right, bottom) in millimetres."""
    writer = QPdfWriter(str(path))
    writer.setResolution(dpi)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            margins_mm,
            QPageLayout.Unit.Millimeter,
        )
    )
    return writer
