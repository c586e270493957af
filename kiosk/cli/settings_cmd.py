"""``kiosk settings show``: every setting the terminal runs with, and where its value came from."""

from __future__ import annotations

import argparse

from kiosk.cli.output import print_json
from kiosk.config import Settings, setting_sources


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "settings",
        help="the settings in use and where each came from",
        description="Settings come from, in rising precedence: their defaults, the settings file, the settings "
        "the center pushed (signed, kept in ops/center-settings.json), KIOSK_<NAME> in the environment and "
        "--<name> flags. 'show' lists each value with its origin.",
    )
    commands = parser.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    p = commands.add_parser("show", help="each setting, its value and its origin")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_show)


def _show(args: argparse.Namespace, settings: Settings) -> int:
    sources = setting_sources(settings)
    if args.json:
        print_json(
            {
                "data_dir": str(settings.data_dir),
                "settings": [
                    {
                        "name": s.name,
                        "value": s.shown if s.name == "maintenance_pin_hash" else s.value,
                        "origin": s.origin,
                        "where": s.where,
                    }
                    for s in sources
                ],
            }
        )
        return 0
    width = max(len(s.name) for s in sources)
    shown_width = min(40, max(len(s.shown) for s in sources))
    print(f"settings of the terminal in {settings.data_dir}")
    for s in sources:
        value = s.shown if s.shown else '""'
        where = f"  ({s.where})" if s.where else ""
        print(f"  {s.name:<{width}}  {value:<{shown_width}}  {s.origin}{where}")
    return 0
