"""``kiosk run`` starts the front end of the role its settings name (kiosk, display, counter, rating); a role not
built yet says so on a plain screen instead of pretending to work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.roles import ROLES, RoleStartError, entry

ROOT = Path(__file__).resolve().parents[1]


def test_every_role_of_the_settings_has_an_entry() -> None:
    assert set(ROLES) == {"kiosk", "display", "counter", "rating"}
    for role in ROLES:
        assert callable(entry(role))
    with pytest.raises(RoleStartError):
        entry("cashier")


@pytest.mark.parametrize("role", ["rating"])
def test_a_role_not_built_yet_shows_that_it_is_not_configured(role: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    screens = tmp_path / "screens"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--data-dir",
            str(tmp_path / "data"),
            "--role",
            role,
            "run",
            "--screens-dir",
            str(screens),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(screens / f"{role}.png"))
    assert not image.isNull() and image.width() == 1080
    # Nothing of the citizen's terminal was opened for it: no database, no catalog.
    assert not (tmp_path / "data" / "kiosk.db").exists()
    log = (tmp_path / "data" / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert f"role is {role}, which is not configured yet" in log


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
