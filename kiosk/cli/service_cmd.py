"""``kiosk service``: whether the terminal is in service, and taking it out (暂停服务) or back, for operations staff
on site or a script (the center does the same with its out_of_service and back_in_service commands)."""

from __future__ import annotations

import argparse

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings
from kiosk.ops import service_state


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "service",
        help="in service or out of service (暂停服务)",
        description="Show whether the terminal is in service, take it out of service or put it back. Every "
        "role shows its 暂停服务 page within a few seconds (after the citizen's session, if one is open) and "
        "keeps syncing; back in service it returns to its home screen.",
    )
    commands = parser.add_subparsers(dest="service_command", metavar="ACTION", required=True)
    p = commands.add_parser("status", help="in service or not, since when, by whom and why")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_status)
    p = commands.add_parser("out", help="take the terminal out of service")
    p.add_argument(
        "--message",
        default="",
        help="where citizens can go instead (shown on the page; up to 200 characters), "
        "e.g. 请到镇便民服务中心办理",
    )
    p.add_argument(
        "--reason", default="maintenance", help="why, for operators and the log (default maintenance)"
    )
    p.set_defaults(handler=_out)
    p = commands.add_parser("back", help="put the terminal back in service")
    p.set_defaults(handler=_back)


def _status(args: argparse.Namespace, settings: Settings) -> int:
    state = service_state.out_of_service(settings.data_dir)
    if args.json:
        print_json(
            {"in_service": True}
            if state is None
            else {
                "in_service": False,
                "reason": state.reason,
                "by": state.by,
                "since": state.since,
                "message": state.message,
            }
        )
    elif state is None:
        print("in service")
    else:
        where = f"; citizens are told: {state.message}" if state.message else ""
        print(f"out of service since {state.since} (by {state.by}: {state.reason}){where}")
    return 0


def _out(args: argparse.Namespace, settings: Settings) -> int:
    message = args.message.strip()
    if len(message) > service_state.MESSAGE_MAX:
        return fail(
            f"the message is longer than {service_state.MESSAGE_MAX} characters; nothing was changed", 2
        )
    try:
        service_state.take_out_of_service(
            settings.data_dir, args.reason.strip() or "maintenance", "operator", message
        )
    except OSError as exc:
        return fail(f"the state could not be written in {settings.data_dir} ({exc.strerror or exc})")
    print(
        "out of service: every role shows 暂停服务 (after the session open now, if any); kiosk service back ends it"
    )
    return 0


def _back(args: argparse.Namespace, settings: Settings) -> int:
    try:
        was = service_state.back_in_service(settings.data_dir, "operator")
    except OSError as exc:
        return fail(f"the state could not be removed in {settings.data_dir} ({exc.strerror or exc})")
    print("back in service" if was else "it was in service already")
    return 0
