"""``kiosk print``: test pages on the A4 and ticket printers, and the network ticket printer simulator."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings
from kiosk.logs import setup_logging

if TYPE_CHECKING:
    from drivers.printer.jobs import PrintJob
    from drivers.printer.ticket import Ticket

JOB_TIMEOUT_S = 180


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "print",
        help="print a test page, or run the ticket printer simulator",
        description="Printer tools: a test page on the configured A4 or ticket printer "
        "(settings a4_printer, a4_printer_name, ticket_printer, ticket_target, ticket_text_mode, "
        "ticket_width_dots).",
    )
    commands = parser.add_subparsers(dest="print_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "test",
        help="print a test page (A4) or a sample queue ticket",
        description="Print the A4 test page (打印测试页) or a sample queue ticket on the configured printer "
        "and report the job. Exit status 0 only when it printed.",
    )
    p.add_argument("--printer", choices=["a4", "ticket"], required=True, help="which printer")
    p.add_argument("--json", action="store_true", help="print the job as JSON")
    p.set_defaults(handler=_test)

    p = commands.add_parser(
        "simulator",
        help="run a network ESC/POS ticket printer simulator",
        description="A network ticket printer on 127.0.0.1 that records what it receives and answers "
        "status queries; point ticket_printer=network, ticket_target=127.0.0.1:PORT at it.",
    )
    p.add_argument("--port", type=int, default=9100, help="TCP port (default 9100; 0 picks a free one)")
    p.add_argument(
        "--state",
        choices=["ok", "paper_low", "paper_out", "cover_open", "silent"],
        default="ok",
        help="the status it reports (default ok)",
    )
    p.set_defaults(handler=_simulator)


def _test(args: argparse.Namespace, settings: Settings) -> int:
    setup_logging(settings.log_dir, settings.log_level)
    if args.printer == "a4":
        return _test_a4(settings, as_json=args.json)
    return _test_ticket(settings, as_json=args.json)


def _report(job: PrintJob, *, as_json: bool, extra: dict[str, Any] | None = None) -> int:
    if as_json:
        print_json({**job.to_dict(), **(extra or {})})
    elif job.ok:
        print(f"printed: {job.title} on {job.printer} (job {job.id})")
        if job.output:
            print(f"output: {job.output}")
        for key, value in (extra or {}).items():
            if value:
                print(f"{key}: {value}")
    else:
        print(f"failed: {job.message} ({job.code}), job {job.id}")
    return 0 if job.ok else 1


# -- A4 ---------------------------------------------------------------------------------------------------------


def _test_a4(settings: Settings, *, as_json: bool) -> int:
    if settings.a4_printer == "none":
        return fail("no A4 printer is configured (a4_printer = none); set a4_printer to pdf or system", 2)
    import os
    import tempfile

    # Printing needs no screen: without a display (a service, an SSH session) Qt draws offscreen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["kiosk"])
    # Loaded here, on the main thread, before the printer's worker thread uses Qt.
    from kiosk.render.a4_system_printer import QtSystemPrinter
    from kiosk.render.test_page import PageRenderError, render_test_page
    from kiosk.services.devices import build_a4

    printer = build_a4(settings, lambda name, retained: QtSystemPrinter(name, retained_dir=retained))
    if settings.a4_printer == "pdf":
        label = f"pdf（{settings.data_dir / 'printed'}）"
    else:
        label = settings.a4_printer_name or "系统默认打印机"
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-test-page-") as folder:
            page = Path(folder) / "test-page.pdf"
            try:
                render_test_page(
                    page, terminal_id=settings.terminal_id, printed_at=datetime.now(), printer_label=label
                )
            except (PageRenderError, OSError) as exc:
                return fail(f"the test page could not be rendered: {exc}")
            job = printer.print_pdf(page, title="打印测试页").result(timeout=JOB_TIMEOUT_S)
    finally:
        printer.close()
    del app
    return _report(job, as_json=as_json)


# -- tickets ----------------------------------------------------------------------------------------------------


def sample_ticket(terminal_id: str, now: datetime) -> Ticket:
    """A queue ticket as the queue screen prints it, marked as a test."""
    from drivers.printer.ticket import Ticket

    return Ticket(
        title="政务服务中心 取号凭条",
        number="A012",
        lines=(
            "业务类型：综合受理",
            "前面还有 5 人等候",
            f"取号时间：{now:%Y-%m-%d %H:%M}",
            f"终端编号：{terminal_id}",
            "（打印测试，非有效凭条）",
        ),
        qr=f"KIOSK-TICKET A012 {terminal_id} {now:%Y%m%d%H%M%S}",
        footer="请留意叫号",
    )


def _test_ticket(settings: Settings, *, as_json: bool) -> int:
    link = settings.ticket_printer
    if link == "none":
        return fail("no ticket printer is configured (ticket_printer = none)", 2)
    from drivers.base import DeviceError
    from drivers.printer.ticket import TicketPrinter
    from drivers.printer.ticket_image import render_ticket_image
    from kiosk.services.devices import ticket_font, ticket_target

    now = datetime.now()
    try:
        target = ticket_target(settings, now)
    except DeviceError:
        return fail(f"ticket_target is empty: set the {link} printer's address (see docs/printing.md)", 2)
    font = ticket_font()
    try:
        printer = TicketPrinter.open(
            link,
            target,
            text_mode=settings.ticket_text_mode,
            width_dots=settings.ticket_width_dots,
            font_path=font,
        )
    except (DeviceError, ValueError) as exc:
        return fail(str(exc), 2)
    ticket = sample_ticket(settings.terminal_id, now)
    try:
        job = printer.print_ticket(ticket).result(timeout=JOB_TIMEOUT_S)
    finally:
        printer.close()
    preview: Path | None = None
    if link == "file" and font is not None and not target.startswith("/dev/"):
        preview = Path(target).with_suffix(".png")
        try:
            render_ticket_image(ticket, settings.ticket_width_dots, font).save(preview)
        except (DeviceError, OSError, ValueError) as exc:
            print(f"kiosk: no preview: {exc}", file=sys.stderr)
            preview = None
    return _report(job, as_json=as_json, extra={"preview": str(preview) if preview else None})


# -- the simulator ----------------------------------------------------------------------------------------------


def _simulator(args: argparse.Namespace, settings: Settings) -> int:
    from drivers.printer.simulator import main as simulator_main

    return simulator_main(["--port", str(args.port), "--state", args.state])
