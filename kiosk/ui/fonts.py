"""The fonts shipped in resources/fonts, registered with Qt once per process (screens and printed guides)."""

from __future__ import annotations

import logging
import threading

from PySide6.QtGui import QFontDatabase

from kiosk.ui.paths import fonts_dir

log = logging.getLogger(__name__)

_fonts_lock = threading.Lock()
_fonts_loaded = False


def ensure_fonts() -> None:
    """Register the fonts shipped in resources/fonts with Qt, once per process (system fonts serve otherwise)."""
    global _fonts_loaded
    with _fonts_lock:
        if _fonts_loaded:
            return
        folder = fonts_dir()
        paths = (
            sorted(p for p in folder.glob("*") if p.suffix.lower() in {".otf", ".ttf"})
            if folder.is_dir()
            else []
        )
        for path in paths:
            if QFontDatabase.addApplicationFont(str(path)) < 0:
                log.warning("font %s could not be loaded", path)
        _fonts_loaded = True
