"""Every subcommand, in the order ``kiosk --help`` lists them, by the module that registers it.

A command line that names its command imports only that command's module, so ``kiosk run`` (whose first frame
is measured) and the tools start without loading the others; ``kiosk --help`` and unknown commands load them all.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

COMMANDS: dict[str, str] = {
    "run": "run_cmd",
    "catalog": "catalog_cmd",
    "screenshot": "screenshot_cmd",
    "device": "device_cmd",
    "idcard": "idcard_cmd",
    "sscard": "sscard_cmd",
    "print": "print_cmd",
    "maintenance": "maintenance_cmd",
    "settings": "settings_cmd",
    "service": "service_cmd",
    "enroll": "sync_cmd",
    "sync": "sync_cmd",
    "outbox": "outbox_cmd",
    "database": "database_cmd",
    "dev": "dev_cmd",
    "bench": "bench_cmd",
    "center": "center_cmd",
    "hall": "hall_cmd",
    "queue": "queue_cmd",
    "release": "release_cmd",
    "update": "update_cmd",
    "supervise": "supervise_cmd",
}

# Global options that are flags on their own; every other global option takes a value.
_FLAGS = {"-h", "--help", "--version"}


def named_command(argv: Sequence[str]) -> str | None:
    """The subcommand a command line names, skipping the values of the global options before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg.startswith("-"):
            if arg in _FLAGS:
                return None
            skip = "=" not in arg
        else:
            return arg if arg in COMMANDS else None
    return None


def register(sub: argparse._SubParsersAction, argv: Sequence[str] | None = None) -> None:  # type: ignore[type-arg]
    """Register the command ``argv`` names, or every command when it names none (help, mistakes)."""
    named = named_command(argv) if argv is not None else None
    done: set[str] = set()  # a module may register several commands (sync_cmd: sync and enroll)
    for name, module in COMMANDS.items():
        if (named is None or name == named) and module not in done:
            done.add(module)
            importlib.import_module(f"kiosk.cli.{module}").register(sub)
