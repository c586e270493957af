"""``kiosk center alerts``: what needs an operator's attention now, as a table for people or JSON for a monitoring
system, and the thresholds (docs/center.md, "Fleet state, history and alerts"). Registered under ``kiosk center``.

Listing always exits 0 (alerts are data, not a failure of the command); a monitoring system reads ``--json`` and
decides by ``counts``. Setting a threshold exits 2 with a clear message when the value is not allowed."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings


def register_alerts(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    db_option: Callable[[argparse.ArgumentParser], None],
    guarded: Callable[[Any], Any],
) -> None:
    from kiosk.center.alerts import KINDS, LIMITS

    p = commands.add_parser(
        "alerts",
        help="what needs attention now: offline terminals, paper, readers, backlogs, crash loops; thresholds",
        description="The current alerts, critical first, then the longest-standing, and the thresholds they are "
        "judged by. Listing always exits 0; a monitoring system should run it with --json and act on "
        '"counts" (e.g. page someone while counts.critical > 0). --set changes a threshold (whoever may write '
        "the center's database may set them): "
        + "; ".join(f"{name}: {what}" for name, (_, _, what) in LIMITS.items()),
    )
    db_option(p)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument(
        "--region", default="", help="only this region, or every region under it with a trailing /"
    )
    p.add_argument(
        "--kind", default="", choices=("", *KINDS), metavar="KIND", help=f"only one kind: {', '.join(KINDS)}"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a threshold, e.g. offline_after_s=3600 (repeatable; VALUE 'default' restores the default)",
    )
    p.set_defaults(handler=guarded(_alerts))


def _alerts(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.alerts import (
        ThresholdError,
        alert_summary,
        number_text,
        parse_setting,
        set_thresholds,
        thresholds,
    )
    from kiosk.cli.center_cmd import _open

    store = _open(args, settings)
    try:
        if args.set:
            try:
                wanted = dict(parse_setting(text) for text in args.set)
                changed = set_thresholds(store, wanted, f"cli:{_user()}")
            except ThresholdError as exc:
                return fail(str(exc), 2)
            if args.json:
                print_json({"thresholds": [_threshold(t) for t in changed]})
            else:
                for t in changed:
                    print(
                        f"{t.name} = {number_text(t.value)}" + (" (the default)" if t.set_at is None else "")
                    )
            return 0
        summary = alert_summary(store, region=args.region, kind=args.kind)
        shown = thresholds(store)
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "counts": {
                    "alerts": len(summary.alerts),
                    "critical": sum(1 for a in summary.alerts if a.severity == "critical"),
                    "warning": sum(1 for a in summary.alerts if a.severity == "warning"),
                    "never_seen": summary.never_seen,
                },
                "alerts": [{**_plain(alert), "since": _iso(alert.since_unix)} for alert in summary.alerts],
                "thresholds": [_threshold(t) for t in shown],
            }
        )
        return 0
    critical = sum(1 for a in summary.alerts if a.severity == "critical")
    print(
        f"{len(summary.alerts)} alerts ({critical} critical, {len(summary.alerts) - critical} warning); "
        f"{summary.never_seen} enabled terminal{'' if summary.never_seen == 1 else 's'} never seen (not alerts)"
    )
    if summary.alerts:
        header = ("SEVERITY", "KIND", "TERMINAL", "NAME", "REGION", "SINCE", "DETAIL")
        rows = [
            (a.severity, a.kind, a.terminal_id, a.name, a.region, _clock(a.since_unix), a.detail)
            for a in summary.alerts
        ]
        widths = [max(_width(str(row[i])) for row in (header, *rows)) for i in range(len(header) - 1)]
        for row in (header, *rows):
            cells = [str(cell) + " " * (widths[i] - _width(str(cell))) for i, cell in enumerate(row[:-1])]
            print("  ".join([*cells, str(row[-1])]))
    print("thresholds: " + ", ".join(f"{t.name}={number_text(t.value)}" for t in shown))
    return 0


def _plain(alert: Any) -> dict[str, Any]:
    return {
        "kind": alert.kind,
        "severity": alert.severity,
        "terminal_id": alert.terminal_id,
        "name": alert.name,
        "region": alert.region,
        "unit": alert.unit,
        "since_unix": alert.since_unix,
        "detail": alert.detail,
    }


def _threshold(t: Any) -> dict[str, Any]:
    return {
        "name": t.name,
        "value": t.value,
        "default": t.default,
        "meaning": t.meaning,
        "set_at": t.set_at,
        "set_by": t.set_by,
    }


def _iso(unix: float | None) -> str | None:
    return None if unix is None else datetime.fromtimestamp(unix).astimezone().isoformat(timespec="seconds")


def _clock(unix: float | None) -> str:
    """A time for people: the center's local date and minute."""
    return "-" if unix is None else datetime.fromtimestamp(unix).astimezone().strftime("%Y-%m-%d %H:%M")


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if ord(ch) >= 0x1100 else 1 for ch in text)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
