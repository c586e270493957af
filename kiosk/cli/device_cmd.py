"""``kiosk device``: the configured devices and their health."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("device", help="configured devices and their health")
    parser.add_subparsers(dest="device_command", metavar="COMMAND", required=True)
