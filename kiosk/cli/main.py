"""The ``kiosk`` command: one entry point for the terminal, its tools and its benchmarks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from kiosk.allocator import limit_malloc_arenas
from kiosk.config import Settings, SettingsError, load_settings, setting_help, setting_names
from kiosk.ops.layout import running_version

Handler = Callable[[argparse.Namespace, Settings], int]


def _named_settings(argv: Sequence[str]) -> set[str] | None:
    """The settings whose ``--<name>`` flags ``argv`` may use (a flag may be abbreviated, so every setting whose
    flag starts with what was typed), or None when all are wanted (help). Each flag costs argparse a little, and
    ``kiosk run`` names one or two of the forty."""
    # Settings flags stand before the command; what follows it is the command's own (``kiosk hall enroll --hall``
    # must not be read as an abbreviation of ``--hall-url``).
    before = _before_command(argv)
    typed = [arg.split("=", 1)[0] for arg in before if arg.startswith("--")]
    if "--help" in typed or any(arg == "-h" for arg in before):
        return None
    return {
        name
        for name in setting_names()
        if any(f"--{name.replace('_', '-')}".startswith(flag) for flag in typed if len(flag) > 2)
    }


def _before_command(argv: Sequence[str]) -> Sequence[str]:
    """The global options before the command (skipping the value each takes)."""
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = "=" not in arg and arg not in ("-h", "--help", "--version")
        else:
            return argv[:index]
    return argv


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: with only the command it names and the settings flags it uses (fast start), or
    with every command and flag."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="政务自助终端 — the self-service terminal client: the touch UI, its local cache and its tools.",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {running_version()}")
    parser.add_argument("--data-dir", metavar="DIR", help="terminal data directory (env KIOSK_DATA_DIR)")
    parser.add_argument("--config", metavar="FILE", help="settings file, TOML (env KIOSK_CONFIG)")
    group = parser.add_argument_group("settings (each also KIOSK_<NAME> in the environment)")
    wanted = _named_settings(argv) if argv is not None else None
    for name in setting_names():
        if name == "maintenance_pin_hash":
            continue  # set with `kiosk maintenance set-pin`, never on a command line
        if wanted is not None and name not in wanted:
            continue
        group.add_argument(
            f"--{name.replace('_', '-')}", dest=f"setting_{name}", metavar="VALUE", help=setting_help(name)
        )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from kiosk.cli import commands

    commands.register(sub, argv)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    limit_malloc_arenas()  # before any thread: the program runs for weeks (kiosk/allocator.py)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    overrides = {k.removeprefix("setting_"): v for k, v in vars(args).items() if k.startswith("setting_")}
    try:
        settings = load_settings(data_dir=args.data_dir, config_path=args.config, overrides=overrides)
    except SettingsError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    handler: Handler = args.handler
    if args.command != "run":  # (run keeps its own early log until the first frame)
        _quiet_until_logged()
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one plain line, the detail in the log: never a traceback on the console
        from kiosk.cli.failure import report_failure

        return report_failure(exc, settings)


def _quiet_until_logged() -> None:
    """Until a command sets up its log file, what is logged goes nowhere rather than to the console (Python
    prints warnings there when no handler is set up): a command's output is its own lines."""
    import logging

    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


if __name__ == "__main__":
    sys.exit(main())
