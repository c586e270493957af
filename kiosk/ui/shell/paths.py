"""Where the UI's resources live (QML, icons, fonts, translations), in a checkout and in the packaged build."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    from kiosk.resources_path import resources_dir as packaged

    return packaged()


def qml_dir() -> Path:
    return resources_dir() / "qml"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def ui_source_dirs() -> list[Path]:
    """The folders of the view-model sources, searched with their sub-folders (lupdate reads their self.tr()
    strings): the UI's shell and features, and the roles."""
    kiosk = Path(__file__).resolve().parents[2]
    return [kiosk / "ui", kiosk / "roles"]
