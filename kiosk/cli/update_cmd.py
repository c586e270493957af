"""``kiosk update check|apply``: the terminal's signed updates from the command line (docs/updates.md)."""

from __future__ import annotations

import argparse
import importlib.util
from typing import TYPE_CHECKING

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings

if TYPE_CHECKING:
    from kiosk.ops.layout import InstallLayout


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "update",
        help="check for, verify and apply a signed update (settings update_url, update_root)",
        description="Signed updates (TUF). The repository is the setting update_url; the root of trust the "
        "file named by update_root. Exits non-zero with a plain message when verification fails.",
    )
    commands = parser.add_subparsers(dest="update_command", metavar="ACTION", required=True)
    p = commands.add_parser(
        "check", help="verify the repository and say which release this terminal would take"
    )
    p.add_argument("--json", action="store_true", help="print current, available, verified as JSON")
    p.set_defaults(handler=_check)
    p = commands.add_parser(
        "status", help="on or off (and why), the installed versions, the last check (no network)"
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_status)
    p = commands.add_parser(
        "apply",
        help="download, verify and stage the release now, then switch to it (through the supervisor's switch)",
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_apply)


def _source(settings: Settings):
    from kiosk.logs import setup_logging
    from kiosk.updates.client import update_source

    setup_logging(settings.log_dir, settings.log_level)
    return update_source(settings)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.updates.client import UpdatesOff, check

    try:
        result = check(_source(settings))
    except UpdatesOff as exc:
        return fail(str(exc), 2)
    if args.json:
        print_json(
            {
                "current": result.current,
                "available": result.available,
                "verified": result.verified,
                "staged": result.staged,
                "problem": result.problem,
            }
        )
    else:
        print(f"current: {result.current}")
        print(f"available: {result.available or '-'}")
        print(f"verified: {'yes' if result.verified else 'no'}")
        if result.staged:
            print(f"staged: {result.staged}")
    if not result.verified:
        return fail(result.problem or "更新没有通过验证")
    return 0


def _apply(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.updates.client import UpdatesOff, stage

    try:
        source = _source(settings)
        result = stage(source)
    except UpdatesOff as exc:
        return fail(str(exc), 2)
    if not result.verified:
        return fail(result.problem or "更新没有通过验证")
    switched: str | None = None
    note = ""
    ok = True
    if result.staged:
        switched, note, ok = _switch(settings, source.layout)
    if args.json:
        print_json(
            {
                "current": result.current,
                "staged": result.staged,
                "patch": result.patch,
                "downloaded_bytes": result.downloaded_bytes,
                "switch": switched,
                "note": note,
            }
        )
    elif result.staged is None:
        print(f"no update: {result.current} is the release to run")
    else:
        print(
            f"staged {result.staged} beside {result.current} ({'patch' if result.patch else 'whole archive'})"
        )
        print(note)
    return 0 if ok else 1


def _switch(settings: Settings, layout: InstallLayout) -> tuple[str | None, str, bool]:
    """Hand the staged release to the supervisor's switch (kiosk.supervisor.switch), where there is one: the
    switch's result (committed, rolled back, pending until the supervisor starts), its words, and whether ok."""
    if importlib.util.find_spec("kiosk.supervisor.switch") is None:
        return None, "the supervisor starts it in the maintenance window or when the terminal is idle", True
    from kiosk.supervisor.switch import switch_to_staged

    outcome = switch_to_staged(settings, layout)
    return outcome.result, outcome.reason, outcome.ok


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.updates.status import update_status

    status = update_status(settings)
    if args.json:
        print_json(status)
        return 0
    if not status.enabled:
        print(status.off_reason)
    print(f"current: {status.current}")
    for name in ("previous", "staged", "trying"):
        value = getattr(status, name)
        if value:
            print(f"{name}: {value}")
    for version, reason in status.failed.items():
        print(f"failed: {version} ({reason})")
    last = status.last_check
    if last is not None:
        outcome = "verified" if last.verified else f"not verified: {last.problem}"
        print(f"last check: {last.at}, {outcome}, available {last.available or '-'}")
    return 0
