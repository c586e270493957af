"""The staff member's photo on the pad: fetched from the hall when the counter's view names a new version, decoded
on a worker (``photo_image``), and shown by QML as ``image://staffphoto/<version>``."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

log = logging.getLogger(__name__)

MAX_HEIGHT_PX = 800  # more than the pad ever shows; a larger photo is scaled down once, on the worker


def photo_image(data: bytes) -> QImage:
    """The photo's bytes as an image (on a worker: QImage may be made on any thread); ValueError when they are
    not a picture Qt can read."""
    image = QImage.fromData(data)
    if image.isNull():
        raise ValueError("the staff photo is not a picture Qt can read")
    if image.height() > MAX_HEIGHT_PX:
        from PySide6.QtCore import Qt

        image = image.scaledToHeight(MAX_HEIGHT_PX, Qt.TransformationMode.SmoothTransformation)
    return image


class StaffPhotoProvider(QQuickImageProvider):
    """``image://staffphoto/<version>``: the photos fetched, by version (a pad sees a handful a day)."""

    PROVIDER_ID = "staffphoto"
    KEEP = 8

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._images: dict[str, QImage] = {}
        self._lock = threading.Lock()  # QML may ask on its image loader thread

    def put(self, version: str, image: QImage) -> None:
        with self._lock:
            self._images.pop(version, None)
            self._images[version] = image
            while len(self._images) > self.KEEP:
                del self._images[next(iter(self._images))]

    def has(self, version: str) -> bool:
        with self._lock:
            return version in self._images

    def requestImage(self, id: str, size: QSize, requestedSize: QSize) -> QImage:
        with self._lock:
            image = self._images.get(id)
        if image is None:
            image = QImage(1, 1, QImage.Format.Format_ARGB32)
            image.fill(0)
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image
