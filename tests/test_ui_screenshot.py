"""``kiosk screenshot`` renders the real screens offscreen."""

from __future__ import annotations

from PySide6.QtGui import QImage

from kiosk.cli.main import main
from kiosk.ui.screenshot import SCREENS, render_screens

REQUIRED = {
    "home",
    "departments",
    "department-items",
    "categories",
    "category-items",
    "themes",
    "theme-items",
    "search",
    "search-empty",
    "guide",
    "print-preview",
    "idle-warning",
    "maintenance-pin",
    "maintenance",
}


def test_every_required_screen_has_a_name():
    assert set(SCREENS) >= REQUIRED


def test_screens_render_to_png_at_the_asked_size(qapp, catalog_terminal, tmp_path):
    targets = {
        name: tmp_path / f"{name}.png" for name in ("home", "search", "print-preview", "maintenance-pin")
    }
    written = render_screens(catalog_terminal, targets)
    assert written == list(targets.values())
    for path in written:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1080, 1920)
    landscape = render_screens(
        catalog_terminal,
        {"guide": tmp_path / "guide-landscape.png"},
        size=(1920, 1080),
        elder=True,
        language="en",
    )
    assert QImage(str(landscape[0])).width() == 1920


def test_the_command_lists_the_screens(capsys):
    assert main(["screenshot", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in REQUIRED)
