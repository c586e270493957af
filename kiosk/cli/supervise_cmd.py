"""``kiosk supervise``: the supervisor the installer starts at logon (kiosk.supervisor). It loads no Qt."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import signal
import sys
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings

SUPERVISOR_LOG = "supervisor.log"
EXIT_ALREADY_RUNNING = 3


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "supervise",
        help="run the terminal's role and keep it running (what the installer starts at logon)",
        description="Start the terminal's role (kiosk run) and restart it when it crashes or stops answering its "
        "local heartbeat (supervisor_hang_s), with backoff; after a crash loop go back to the previous version "
        "(after an update) or take the terminal out of service; run the daily maintenance window "
        "(maintenance_window); switch to a staged update and keep it only if it passes its health check "
        "(update_health_s). Logs to logs/supervisor.log in the data directory.",
    )
    parser.add_argument(
        "--maintenance-now",
        action="store_true",
        help="run the daily maintenance now (the running supervisor does it once no session is open; without "
        "one, it is done here: the program must not be running)",
    )
    parser.add_argument("--status", action="store_true", help="print what the supervisor is doing, and exit")
    parser.add_argument("--json", action="store_true", help="with --status: print it as JSON")
    parser.set_defaults(handler=_supervise)


def _flags(args: argparse.Namespace) -> list[str]:
    """The settings flags given before the command, to hand on to the role."""
    flags: list[str] = []
    for key, value in sorted(vars(args).items()):
        if key.startswith("setting_") and value is not None:
            flags += [f"--{key.removeprefix('setting_').replace('_', '-')}", str(value)]
    return flags


def _setup_log(settings: Settings) -> None:
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    file_handler = logging.handlers.RotatingFileHandler(
        settings.log_dir / SUPERVISOR_LOG, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(file_handler)
    if sys.stderr is not None and sys.stderr.isatty():
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
        root.addHandler(stream)
    root.setLevel(settings.log_level.upper())


def _supervise(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.ops.supervision import read_status, supervisor_running

    if args.status:
        status = read_status(settings.data_dir)
        running = supervisor_running(settings.data_dir)
        if args.json:
            print_json({"running": running, "status": status})
        elif not running:
            print("没有监护程序在运行 (no supervisor is running for this data directory)")
        else:
            _print_status(status or {})
        return 0
    _setup_log(settings)
    if args.maintenance_now:
        return _maintenance_now(settings)
    return _run(settings, _flags(args))


def _print_status(status: dict[str, Any]) -> None:
    child = status.get("child") or {}
    print(f"supervisor pid {status.get('pid')}, since {status.get('started_at')}, mode {status.get('mode')}")
    if child:
        print(f"  {child.get('what')}: pid {child.get('pid')}, version {child.get('version')}")
    if status.get("trial"):
        print(f"  on trial: version {status['trial']}")
    print(f"  starts {status.get('starts')}, crashes in the last 10 minutes {status.get('crashes_recent')}")


def _maintenance_now(settings: Settings) -> int:
    from datetime import UTC, datetime

    from kiosk.ops.files import write_json
    from kiosk.ops.supervision import supervisor_running, switch_request_path
    from kiosk.supervisor.loop import MAINTENANCE_REQUEST_FILE
    from kiosk.supervisor.maintenance import run_maintenance
    from kiosk.supervisor.window import MaintenanceWindow

    if supervisor_running(settings.data_dir):
        request = switch_request_path(settings.data_dir).with_name(MAINTENANCE_REQUEST_FILE)
        write_json(request, {"at": datetime.now(UTC).isoformat(timespec="seconds")})
        print("已请求监护程序运行维护（无人办事时进行）(the supervisor runs it once no session is open)")
        return 0
    window = MaintenanceWindow.parse(settings.maintenance_window)
    done = run_maintenance(settings, window.day_of(datetime.now()))
    print(f"维护完成 (maintenance done): {done.line()}")
    return 0


def _run(settings: Settings, flags: list[str]) -> int:
    from filelock import FileLock, Timeout

    from kiosk.ops.supervision import lock_path
    from kiosk.supervisor.loop import Supervisor

    try:
        supervisor = Supervisor(settings, flags)
    except ValueError as exc:  # the maintenance window (checked when the settings were read, too)
        return fail(f"setting 'maintenance_window': {exc}", 2)
    path = lock_path(settings.data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return fail(
            f"已有监护程序在运行 (a supervisor already runs for {settings.data_dir}): see kiosk supervise --status",
            EXIT_ALREADY_RUNNING,
        )
    stop_signals = [signal.SIGTERM, signal.SIGINT]
    if sys.platform == "win32":
        stop_signals.append(signal.SIGBREAK)  # type: ignore[attr-defined,unused-ignore]
    for number in stop_signals:
        signal.signal(number, lambda *_: supervisor.request_stop())
    try:
        return supervisor.run()
    finally:
        lock.release()
