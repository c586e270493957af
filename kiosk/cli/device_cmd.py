"""``kiosk device``: the configured devices and their health."""

from __future__ import annotations

import argparse

from kiosk.cli.output import print_json
from kiosk.config import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "device",
        help="configured devices and their health",
        description="The devices this terminal's settings configure (idcard_*, sdtapi_*, sscard_*, a4_*, "
        "ticket_*, scanner_*) and what each reports when asked.",
    )
    commands = parser.add_subparsers(dest="device_command", metavar="COMMAND", required=True)
    p = commands.add_parser(
        "list",
        help="every configured device and its health",
        description="Ask every configured device for its health (all at once) and list them. "
        "Exit status 0 when every device can serve, 1 otherwise.",
    )
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.add_argument("--timeout", type=float, default=8.0, metavar="S", help="seconds to wait for each device")
    p.set_defaults(handler=_list)


def _a4_system_factory(settings: Settings):  # type: ignore[no-untyped-def]
    """The Qt system printer, with the Qt application it needs (offscreen when there is no display)."""
    if settings.a4_printer != "system":
        return None
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["kiosk"])
    from kiosk.render.a4_system_printer import QtSystemPrinter

    def make(name: str, retained):  # type: ignore[no-untyped-def]
        make.app = app  # type: ignore[attr-defined]  # keep the application alive as long as the printer
        return QtSystemPrinter(name, retained_dir=retained)

    return make


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.logs import setup_logging
    from kiosk.services.devices import Devices

    setup_logging(settings.log_dir, settings.log_level)
    devices = Devices(settings, a4_system=_a4_system_factory(settings))
    try:
        reports = devices.check(timeout=args.timeout)
    finally:
        devices.close()
    if args.json:
        print_json([report.to_dict() for report in reports])
    elif not reports:
        print("no devices are configured")
    else:
        width = max(len(r.entry.label) for r in reports)
        for report in reports:
            status = report.status
            mark = "OK " if status.health.usable else "!! "
            line = (
                f"{mark}{report.entry.label:<{width}}  {report.entry.backend:<10} {status.health.value:<10}"
            )
            line += f" {report.entry.target}"
            print(line)
            if status.message and not (status.health.value == "ok" and not status.code):
                print(f"      {status.message}" + (f" ({status.code})" if status.code else ""))
    return 0 if all(r.status.health.usable for r in reports) else 1


def _display_width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
