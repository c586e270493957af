"""Images QML asks for by URL: QR codes of online-handling links, and icons in any colour.

``image://qr/<percent-encoded text>`` draws the QR code of the text (``kiosk.render.qr``: whole pixels a module, shown
unsmoothed). ``image://icon/<name>/<RRGGBB>`` renders ``resources/icons/<name>.svg`` with
its ``#000000`` strokes and fills recoloured, so one icon file serves dark text, white-on-blue buttons and so on.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from urllib.parse import unquote

from PySide6.QtCore import QByteArray, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQuick import QQuickImageProvider
from PySide6.QtSvg import QSvgRenderer

from kiosk.ui.shell.paths import icons_dir

log = logging.getLogger(__name__)


class QrImageProvider(QQuickImageProvider):
    PROVIDER_ID = "qr"

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, id: str, size: QSize, requestedSize: QSize) -> QImage:
        wanted = max(requestedSize.width(), requestedSize.height(), 240)
        from kiosk.render.qr import qr_image  # (loaded with the first code shown, not before the first frame)

        image = qr_image(unquote(id), min_width_px=wanted)  # whole pixels per module: QML shows it unsmoothed
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image


_svg_lock = threading.Lock()


@lru_cache(maxsize=64)
def _svg_source(name: str) -> bytes | None:
    path = icons_dir() / f"{name}.svg"
    try:
        return path.read_bytes()
    except OSError:
        log.error("icon %s is missing (%s)", name, path)
        return None


class IconImageProvider(QQuickImageProvider):
    PROVIDER_ID = "icon"

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, id: str, size: QSize, requestedSize: QSize) -> QImage:
        name, _, colour = id.partition("/")
        side_w = requestedSize.width() if requestedSize.width() > 0 else 64
        side_h = requestedSize.height() if requestedSize.height() > 0 else side_w
        # A transparent image made from zeroed bytes: QImage.fill's overloads take Qt enums, and resolving them
        # creates Python's whole ``Qt`` namespace (tens of milliseconds) while the home screen's icons load.
        image = QImage(
            bytes(side_w * side_h * 4), side_w, side_h, QImage.Format.Format_ARGB32_Premultiplied
        ).copy()
        source = _svg_source(name)
        if source is not None:
            rgb = colour.strip("#")[:6] if QColor("#" + colour.strip("#")[:6]).isValid() else "1a1a1a"
            data = source.replace(b"#000000", b"#" + rgb.encode())
            with _svg_lock:  # QSvgRenderer is not documented thread-safe; icons are tiny
                renderer = QSvgRenderer(QByteArray(data))
                painter = QPainter(image)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                renderer.render(painter, QRectF(0, 0, side_w, side_h))
                painter.end()
        size.setWidth(side_w)
        size.setHeight(side_h)
        return image
