"""Where the terminal's read-only resources (QML, fonts, translations, icons, demo data) live.

From a source checkout they are the repository's ``resources/`` folder next to the ``kiosk`` package;
in a PyInstaller bundle they are the ``resources/`` folder that ``build/kiosk.spec`` puts under
``sys._MEIPASS`` (the bundle's ``_internal/`` folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES_DIR_NAME = "resources"


def is_frozen() -> bool:
    """True when running from a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def resources_dir() -> Path:
    """The folder holding ``qml/``, ``fonts/``, ``translations/``, ``icons/`` and ``demo/``."""
    if is_frozen():
        return Path(sys._MEIPASS) / RESOURCES_DIR_NAME  # type: ignore[attr-defined]
    return Path(__file__).resolve().parent.parent / RESOURCES_DIR_NAME
