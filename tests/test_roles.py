"""``kiosk run`` starts the front end of the role its settings name (kiosk, display, counter, rating)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.roles import ROLES, RoleStartError, entry

ROOT = Path(__file__).resolve().parents[1]


def test_every_role_of_the_settings_has_an_entry() -> None:
    assert set(ROLES) == {"kiosk", "display", "counter", "rating"}
    for role in ROLES:
        assert callable(entry(role))
    with pytest.raises(RoleStartError):
        entry("cashier")


def test_the_kiosk_role_registers_every_screen_of_its_features(
    qapp, qtbot, catalog_terminal, ui_settings
) -> None:
    from ui_support import build_ui, close_ui

    from kiosk.roles.kiosk.app import FEATURES
    from kiosk.ui.shell.paths import qml_dir

    ui = build_ui(catalog_terminal, ui_settings)
    context = ui.engine.rootContext()
    qtbot.waitUntil(lambda: context.contextProperty("progressScreen") is not None, timeout=10_000)
    files = context.contextProperty("screenFiles")
    for feature in FEATURES:
        for screen, qml in feature.screens.items():
            assert (qml_dir() / qml).is_file(), qml
            assert files[screen].endswith(qml)
            for name in feature.view_models:  # made after the first frame, and known to QML
                assert context.contextProperty(name) is not None, name
    assert files["identify"].endswith("shell/IdentifyScreen.qml")  # the shell's own
    close_ui(ui, qtbot)
