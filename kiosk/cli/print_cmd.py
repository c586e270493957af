"""``kiosk print``: test pages on the A4 and ticket printers."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("print", help="print a test page")
    parser.add_subparsers(dest="print_command", metavar="COMMAND", required=True)
