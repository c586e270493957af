"""Where the UI's resources live (QML, icons, fonts, translations), in a checkout and in the packaged build."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    try:
        from kiosk.resources_path import resources_dir as packaged
    except ImportError:
        return Path(__file__).resolve().parents[2] / "resources"
    return packaged()


def qml_dir() -> Path:
    return resources_dir() / "qml"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def ui_source_dir() -> Path:
    """The view-model sources (lupdate reads their self.tr() strings)."""
    return Path(__file__).resolve().parent
