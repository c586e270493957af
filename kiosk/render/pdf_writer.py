"""The A4 PDF writer every printout starts from (guides, forms, the printer test page), and the device text is
laid out for before it is painted on one."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QBuffer, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPaintDevice, QPdfWriter


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


_layout_devices = threading.local()


def layout_device(dpi: int) -> QPaintDevice:
    """A paint device with the metrics of a ``dpi`` PDF writer, to lay a QTextDocument out for printing.

    PySide keeps whatever device is given to ``QAbstractTextDocumentLayout.setPaintDevice`` alive for the rest of
    the process, even after the document is gone: handing it each printout's own writer kept every writer (and
    its engine) of a terminal that prints for weeks. So layouts use this one device per thread and resolution
    (never painted on; its output goes to a buffer that stays empty), and only the painting uses the writer."""
    devices: dict[int, tuple[QBuffer, QPdfWriter]] | None = getattr(_layout_devices, "by_dpi", None)
    if devices is None:
        devices = _layout_devices.by_dpi = {}
    if dpi not in devices:
        sink = QBuffer()
        writer = QPdfWriter(sink)
        writer.setResolution(dpi)
        devices[dpi] = (sink, writer)
    return devices[dpi][1]
