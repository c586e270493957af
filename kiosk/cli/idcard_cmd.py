"""``kiosk idcard``: read a resident ID card once, or run the simulated SAM reader."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("idcard", help="read an ID card, or simulate a reader")
    parser.add_subparsers(dest="idcard_command", metavar="COMMAND", required=True)
