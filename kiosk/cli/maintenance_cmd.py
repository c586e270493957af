"""``kiosk maintenance``: on-site settings for operations staff (the maintenance PIN)."""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.cli.output import fail
from kiosk.config import Settings, SettingsError, hash_pin, save_setting


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "maintenance", help="maintenance settings (PIN)", description="Settings for operations staff on site."
    )
    commands = parser.add_subparsers(dest="maintenance_command", metavar="ACTION", required=True)
    p = commands.add_parser(
        "set-pin",
        help="set the PIN of the hidden maintenance screen",
        description="Set the maintenance PIN (4–12 digits). It is stored salted and hashed in "
        "the settings file. Asked for twice on a terminal, or read from standard "
        "input with --stdin.",
    )
    p.add_argument("--stdin", action="store_true", help="read the PIN from the first line of standard input")
    p.set_defaults(handler=_set_pin)


def _set_pin(args: argparse.Namespace, settings: Settings) -> int:
    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New maintenance PIN: ")
        if getpass.getpass("Repeat the PIN: ") != pin:
            return fail("the two PINs differ; nothing was changed")
    try:
        save_setting(settings, "maintenance_pin_hash", hash_pin(pin))
    except SettingsError as exc:
        return fail(f"{exc}; nothing was changed")
    print(f"maintenance PIN set in {settings.config_file}")
    return 0
