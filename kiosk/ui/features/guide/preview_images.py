"""The pages of the print preview's PDF for QML (``image://preview/<page>?v=<n>``). Made after the first frame
with the print preview: it loads QtPdf."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

from kiosk.render.preview import PdfReadError, opened_pdf, render_page

log = logging.getLogger(__name__)


class PreviewImageProvider(QQuickImageProvider):
    """Serves the pages of the current preview PDF to QML as ``image://preview/<page>?v=<n>``.

    ``<page>`` counts from 0. Change ``v`` with every new document so QML never shows a page it cached from an
    older one. The Image's ``sourceSize`` picks the size (its width, else its height, else PREVIEW_DEFAULT_WIDTH
    pixels wide). Requests arrive on Qt Quick's threads: the document is opened per request (QtPdf serialises
    its own work) and only the current path and the small page cache sit behind the lock.
    """

    PROVIDER_ID = "preview"
    CACHE_PAGES = 8

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._cache: OrderedDict[tuple[Path, int, int, int], QImage] = OrderedDict()

    def set_document(self, pdf_path: Path | None) -> None:
        """Serve the pages of ``pdf_path`` from now on (None: serve nothing)."""
        with self._lock:
            self._path = Path(pdf_path) if pdf_path is not None else None
            self._cache.clear()

    def document(self) -> Path | None:
        with self._lock:
            return self._path

    def requestImage(self, id: str, size: QSize, requestedSize: QSize) -> QImage:  # Qt's names
        page = id.split("?", 1)[0].strip("/")
        image = self._page_image(int(page), requestedSize) if page.isdigit() else None
        if image is None:
            image = QImage(1, 1, QImage.Format.Format_ARGB32)  # nothing to show: a transparent pixel
            image.fill(Qt.GlobalColor.transparent)
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image

    def _page_image(self, page: int, requested: QSize) -> QImage | None:
        with self._lock:
            path = self._path
            if path is None:
                return None
            key = (path, page, requested.width(), requested.height())
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        try:
            with opened_pdf(path) as document:
                if page >= document.pageCount():
                    return None
                image = render_page(document, page, requested.width(), requested.height())
        except PdfReadError as exc:
            log.warning("preview: %s", exc)
            return None
        with self._lock:
            if self._path == path:  # not replaced while rendering
                self._cache[key] = image
                while len(self._cache) > self.CACHE_PAGES:
                    self._cache.popitem(last=False)
        return image
