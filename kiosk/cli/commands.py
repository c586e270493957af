"""Every subcommand, in the order ``kiosk --help`` lists them. Each module imports what it needs lazily, so
``kiosk --version`` and the tools start quickly and only ``run`` and ``screenshot`` load Qt."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from kiosk.cli import (
    bench_cmd,
    catalog_cmd,
    device_cmd,
    idcard_cmd,
    maintenance_cmd,
    print_cmd,
    run_cmd,
    screenshot_cmd,
    sscard_cmd,
)

Register = Callable[[argparse._SubParsersAction], None]  # type: ignore[type-arg]

REGISTRY: list[Register] = [
    run_cmd.register,
    catalog_cmd.register,
    screenshot_cmd.register,
    device_cmd.register,
    idcard_cmd.register,
    sscard_cmd.register,
    print_cmd.register,
    maintenance_cmd.register,
    bench_cmd.register,
]
