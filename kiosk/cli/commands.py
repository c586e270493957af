"""Every subcommand module registers itself here, in the order ``kiosk --help`` lists them."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Register = Callable[[argparse._SubParsersAction], None]  # type: ignore[type-arg]

REGISTRY: list[Register] = []


def _load() -> None:
    from kiosk.cli import catalog_cmd, maintenance_cmd

    REGISTRY.extend([catalog_cmd.register, maintenance_cmd.register])
    for optional in ("run_cmd", "screenshot_cmd", "bench_cmd", "demo_cmd"):
        try:
            module = __import__(f"kiosk.cli.{optional}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"kiosk.cli.{optional}":
                raise
            continue
        REGISTRY.append(module.register)


_load()
