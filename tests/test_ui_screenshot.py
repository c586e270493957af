"""``kiosk screenshot`` renders the real screens offscreen."""

from __future__ import annotations

from PySide6.QtGui import QImage

from kiosk.cli.main import main
from kiosk.roles.kiosk.screenshots import SCREENS, render_screens

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
    "maintenance-replaced",
    "maintenance-damaged",
    "identify",
    "form-forms",
    "form-step",
    "form-review",
    "form-done",
    "form-print-failed",
    "rating-entry",
    "rating-levels",
    "rating-bad",
    "rating-done",
    "rating-refused",
    "progress-ready",
    "progress-offline",
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


def test_every_role_lists_its_screens_under_names_unique_across_roles(capsys):
    import json

    from kiosk.roles import screenshots

    assert main(["screenshot", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    names = [entry["name"] for entry in listed]
    assert len(names) == len(set(names))
    by_role = screenshots()
    assert {entry["role"] for entry in listed} == set(by_role)
    assert sum(len(module.SCREENS) for module in by_role.values()) == len(names)
    assert {entry["name"] for entry in listed if entry["role"] == "kiosk"} == set(SCREENS)


def test_the_citizen_screens_render_with_a_demo_identity(qapp, catalog_terminal, tmp_path):
    from kiosk.services.forms.demo import seed_demo_forms

    seed_demo_forms(catalog_terminal.database)
    names = ("identify", "form-review", "rating-levels", "progress-ready")
    written = render_screens(catalog_terminal, {name: tmp_path / f"{name}.png" for name in names})
    assert [p.name for p in written] == [f"{name}.png" for name in names]
    assert all(QImage(str(p)).width() == 1080 for p in written)
