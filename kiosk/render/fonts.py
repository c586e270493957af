"""The fonts shipped in resources/fonts, registered with Qt once per process (screens and printed documents), and
the one list of CJK font families every screen and printout asks for."""

from __future__ import annotations

import logging
import threading

from PySide6.QtGui import QFontDatabase

from kiosk.resources_path import resources_dir

log = logging.getLogger(__name__)

# The shipped font first (resources/fonts, a subset of Noto Sans CJK SC); the others serve only where it is
# missing (a development checkout without the fonts), in the order the systems the terminal runs on have them.
CJK_FONT_FAMILIES = [
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
]

_fonts_lock = threading.Lock()
_fonts_loaded = False


def ensure_fonts() -> None:
    """Register the fonts shipped in resources/fonts with Qt, once per process (system fonts serve otherwise)."""
    global _fonts_loaded
    with _fonts_lock:
        if _fonts_loaded:
            return
        folder = resources_dir() / "fonts"
        paths = (
            sorted(p for p in folder.glob("*") if p.suffix.lower() in {".otf", ".ttf"})
            if folder.is_dir()
            else []
        )
        for path in paths:
            if QFontDatabase.addApplicationFont(str(path)) < 0:
                log.warning("font %s could not be loaded", path)
        _fonts_loaded = True
