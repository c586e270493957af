"""`kiosk run` shows the home screen before the cache is open, then fills in the catalog from a worker; and the
first frame waits for nothing it does not show (the view-models of other screens, the screen stack and its
Qt Quick Controls, the devices, the log's rotating file handler, the cache's modules)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject
from ui_support import build_ui, close_ui

from kiosk.logs import LOG_FILE_NAME
from kiosk.roles.kiosk.screenshots import find_item
from kiosk.services.lazy_terminal import LazyTerminal

# Modules `kiosk run` must not load before the home screen's first frame (prefixes).
NOT_BEFORE_THE_FIRST_FRAME = (
    "kiosk.services.terminal",
    "kiosk.services.catalog.service",
    "kiosk.services.devices",
    "kiosk.store",
    "drivers",
    "kiosk.ui.features.catalog.catalog_browser",
    "kiosk.ui.features.search.search_screen",
    "kiosk.ui.features.guide.guide_screen",
    "kiosk.ui.features.maintenance.maintenance_screen",
    "kiosk.ui.shell.sync_indicator",
    "kiosk.ui.shell.device_panel",
    "kiosk.ui.features.guide.print_preview",
    "kiosk.ui.features.forms.form_flow",
    "kiosk.ui.shell.voice",
    "kiosk.ui.features.rating.rating_screen",
    "kiosk.ui.features.progress.progress_screen",
    "kiosk.ui.shell.identity_prompt",
    "kiosk.ui.shell.flow_adapter",
    "kiosk.ui.shell.changes_bridge",
    "kiosk.flows",
    "kiosk.render.guide_print",
    "kiosk.render.form_print",
    "kiosk.render.qr",
    "kiosk.domain",
    "kiosk.services.changes",
    "logging.handlers",
    "socket",
    "PySide6.QtTextToSpeech",
    "sqlite3",
)

# Runs `kiosk run` as it is started, noting the moment of every import (Python's audit hook); the imports
# are printed at exit, next to the FIRST_FRAME line.
PROBE = r"""
import atexit, json, sys, time
imports = []
sys.addaudithook(lambda event, args: imports.append((args[0], time.time())) if event == "import" else None)
atexit.register(lambda: print("IMPORTS " + json.dumps(imports), flush=True))
from kiosk.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_home_shows_first_then_the_catalog_arrives(qapp, qtbot, catalog_terminal, ui_settings):
    catalog_terminal.close()  # the data is on disk; the UI opens it on its own
    lazy = LazyTerminal(ui_settings)
    try:
        ui = build_ui(lazy, ui_settings)  # type: ignore[arg-type]
        with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
            pass
        qtbot.waitUntil(lambda: ui.app_state.itemCount == 12, timeout=10_000)
        assert ui.app_state.catalogState == "ready"
        ui.search.setProperty("query", "sbk")
        qtbot.waitUntil(lambda: ui.search.property("total") >= 5, timeout=10_000)
        close_ui(ui, qtbot)
    finally:
        lazy.close()


def test_the_first_frame_is_the_home_screen_alone(qapp, qtbot, catalog_terminal, ui_settings):
    ui = build_ui(catalog_terminal, ui_settings)
    at_first_frame: dict[str, object] = {}

    def first_frame() -> None:
        if not at_first_frame:
            root, context = ui.window.contentItem(), ui.engine.rootContext()
            at_first_frame["screen stack"] = find_item(root, "screenStack") is not None
            at_first_frame["navigation bar"] = find_item(root, "backButton") is not None
            at_first_frame["home screen"] = ui.root_property("currentScreen").objectName()
            for name in ("searchScreen", "catalogBrowser", "maintenance", "syncState"):
                at_first_frame[name] = context.contextProperty(name)

    ui.window.frameSwapped.connect(first_frame)
    try:
        with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
            pass
        assert at_first_frame == {
            "screen stack": False,
            "navigation bar": False,
            "home screen": "homeScreen",
            "searchScreen": None,
            "catalogBrowser": None,
            "maintenance": None,
            "syncState": None,
        }
        # Just after it: the view-models, and the StackView, which took over the home screen.
        context = ui.engine.rootContext()
        assert isinstance(context.contextProperty("searchScreen"), QObject)
        assert isinstance(context.contextProperty("maintenance"), QObject)
        qtbot.waitUntil(lambda: find_item(ui.window.contentItem(), "screenStack") is not None, timeout=5_000)
        assert ui.root_property("currentScreen").objectName() == "homeScreen"
    finally:
        close_ui(ui, qtbot)


def test_a_tap_before_the_first_frame_finds_its_view_models(qapp, qtbot, catalog_terminal, ui_settings):
    ui = build_ui(catalog_terminal, ui_settings)
    try:
        home = find_item(ui.window.contentItem(), "homeScreen")
        assert home is not None
        # What the search tile does when tapped, before the first frame has been drawn.
        QMetaObject.invokeMethod(home, "needViewModels")
        search = ui.engine.rootContext().contextProperty("searchScreen")
        assert isinstance(search, QObject)
        QMetaObject.invokeMethod(search, "show")
        qtbot.waitUntil(lambda: ui.root_property("currentScreen").objectName() != "homeScreen", timeout=5_000)
        assert ui.navigator.current == "search"
    finally:
        close_ui(ui, qtbot)


def test_kiosk_run_loads_nothing_the_first_frame_does_not_show(catalog_terminal, ui_settings, tmp_path):
    catalog_terminal.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-c", PROBE, "--data-dir", str(ui_settings.data_dir), "--fullscreen", "false"]
    command += ["--voice-prompts", "false", "run", "--exit-on-first-frame"]
    proc = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    assert proc.returncode == 0 and "FIRST_FRAME" in lines, proc.stderr[-2000:]
    first_frame = float(lines["FIRST_FRAME"])
    imports: list[tuple[str, float]] = json.loads(lines["IMPORTS"])

    before = {name for name, at in imports if at < first_frame}
    after = {name for name, at in imports if at >= first_frame}
    early = sorted(m for m in before if m.startswith(NOT_BEFORE_THE_FIRST_FRAME))
    assert early == []
    assert {
        "kiosk.ui.shell.app",
        "kiosk.ui.shell.app_state",
    } <= before  # the probe saw the start, and what came after
    assert {
        "kiosk.ui.features.search.search_screen",
        "kiosk.ui.features.maintenance.maintenance_screen",
        "logging.handlers",
    } <= after
    # What was logged before the log file was set up is in it.
    log = Path(ui_settings.data_dir, "logs", LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "UI ready" in log
