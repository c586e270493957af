"""The bare 暂停服务 window (``kiosk _out-of-service [--data-dir DIR] [--config FILE] [--windowed]``): what the
supervisor starts when the program itself keeps crashing (``kiosk.supervisor``). It loads as little as it can: no
role, no feature, no catalog, no devices, no speech; only the 暂停服务 page (the same page every role shows) in the
terminal's language, and the sync engine, so the crash reports still go out with the heartbeat and the center's
commands (back in service among them) still come in.

Back in service (the state file removed: by the center's command through this sync engine, by an operator or
by the supervisor), it says so and ends with ``RESTART``; the supervisor starts the role.
A settings file that cannot be read does not stop it: the page shows with the defaults (and the data directory
given), and the problem is logged.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

RESTART_AFTER_MS = (
    3000  # "正在恢复服务" stays this long before the window ends (the supervisor is usually sooner)
)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kiosk _out-of-service", add_help=True)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--windowed", action="store_true", help="a window instead of the full screen")
    args, _unknown = parser.parse_known_args(argv)  # (settings flags the supervisor passes on are not needed)
    return args


def _settings(args: argparse.Namespace) -> Any:
    from kiosk.config import Settings, SettingsError, default_data_dir, load_settings

    try:
        return load_settings(data_dir=args.data_dir, config_path=args.config)
    except (SettingsError, OSError) as exc:
        data_dir = args.data_dir or default_data_dir()
        logging.getLogger(__name__).error(
            "the settings cannot be read (%s): showing the page with the defaults", exc
        )
        return Settings(data_dir=Path(data_dir))


def main(argv: list[str]) -> int:
    from kiosk.logs import setup_logging
    from kiosk.ops.exit_codes import RESTART

    args = _parse(argv)
    settings = _settings(args)
    try:
        setup_logging(settings.log_dir, settings.log_level)
    except (OSError, ValueError) as exc:
        logging.basicConfig(level=logging.INFO)
        log.error("the log cannot be written in %s: %s", settings.log_dir, exc)
    log.warning("the bare out-of-service window starts (version %s)", _version())

    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtQml import QQmlApplicationEngine

    from kiosk.ui.shell.app import create_application
    from kiosk.ui.shell.paths import qml_dir
    from kiosk.ui.shell.qt_log import forward_qt_messages
    from kiosk.ui.shell.service_state_view import ServiceStateView
    from kiosk.ui.translations import Translations

    app = create_application()
    forward_qt_messages()
    translations = Translations(app)
    translations.switch(settings.language)
    state = ServiceStateView(settings.data_dir, settings.terminal_id, lambda: False)
    engine = QQmlApplicationEngine()
    translations.attach(engine)
    engine.addImportPath(str(qml_dir()))
    engine.rootContext().setContextProperty("serviceState", state)
    width, height = settings.window_size
    engine.setInitialProperties({"width": width, "height": height, "elder": settings.elder_mode})
    engine.load(QUrl.fromLocalFile(str(qml_dir() / "shell" / "OutOfServiceWindow.qml")))
    roots = engine.rootObjects()
    if not roots:
        log.error("the out-of-service window could not be loaded (see the QML messages above)")
        return 1
    window = roots[0]
    if settings.fullscreen and not args.windowed:
        window.showFullScreen()
    else:
        window.show()

    def back_in_service() -> None:
        log.warning("back in service: the out-of-service window ends, for the role to start again")
        QTimer.singleShot(RESTART_AFTER_MS, lambda: app.exit(RESTART))

    state.backInService.connect(back_in_service)
    if state.by == "":  # started when nothing holds the terminal out of service: the role, again
        back_in_service()

    # The sync engine as every role's window starts it (opening the data on a worker: a terminal whose data
    # cannot be opened still shows the page), so reports still go out and the center's commands come in.
    from kiosk.services.lazy_terminal import LazyTerminal
    from kiosk.ui.shell.sync_start import start_sync

    terminal = LazyTerminal(settings)
    engines: list[Any] = []
    start_sync(
        terminal,
        state,
        engines,
        attach=lambda engine: log.info(
            "out of service: syncing with the center meanwhile"
            if engine.status.enrolled
            else "out of service: not enrolled with a center, nothing to sync"
        ),
    )
    code = app.exec()
    state.stop()
    for part in [*reversed(engines), terminal]:
        try:
            part.close()
        except Exception:
            log.exception("closing %s failed", type(part).__name__)
    log.info("the out-of-service window ends (exit code %d)", code)
    return code


def _version() -> str:
    from kiosk.ops.layout import running_version

    return running_version()
