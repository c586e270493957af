"""``kiosk sscard``: the social security card: read one, or run the card emulator behind pcscd."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("sscard", help="read a social security card, or emulate one")
    parser.add_subparsers(dest="sscard_command", metavar="COMMAND", required=True)
