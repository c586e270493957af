"""``kiosk outbox``: what waits to be delivered to the center, and what the center refused."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kiosk.cli.output import print_json
from kiosk.config import Settings

if TYPE_CHECKING:
    from kiosk.services.sync.outbox import OutboxService
    from kiosk.services.terminal import Terminal


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "outbox",
        help="records waiting for the center",
        description="The outbox: records (ratings, submissions, tickets, events) written on this terminal and "
        "waiting to be delivered to the center, and those it refused.",
    )
    commands = parser.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    p = commands.add_parser("stats", help="backlog, by kind, oldest age, rejected")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_stats)
    p = commands.add_parser(
        "rejected", help="records the center refused (kept for an operator, never resent)"
    )
    p.add_argument("--limit", type=int, default=100, help="most rows to list (default 100)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_rejected)


def _open_outbox(settings: Settings) -> tuple[Terminal, OutboxService]:
    from kiosk.logs import setup_logging
    from kiosk.services.sync.outbox import OutboxService
    from kiosk.services.terminal import Terminal
    from kiosk.store.integrity import OUTBOX

    setup_logging(settings.log_dir, settings.log_level)
    terminal = Terminal.open(settings)
    try:
        terminal.database.require(OUTBOX)
    except BaseException:
        terminal.close()
        raise
    return terminal, OutboxService.for_settings(terminal.database, settings)


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    terminal, outbox = _open_outbox(settings)
    with terminal:
        stats = outbox.stats()
    if args.json:
        print_json(
            {
                "backlog": stats.backlog,
                "by_kind": dict(stats.by_kind),
                "oldest_age_s": stats.oldest_age_s,
                "rejected": stats.rejected,
                "kept": stats.kept,
                "last_error": stats.last_error,
            }
        )
        return 0
    print(f"backlog: {stats.backlog}")
    for kind, count in stats.by_kind:
        print(f"  {kind}: {count}")
    print(f"oldest: {'-' if stats.oldest_age_s is None else f'{stats.oldest_age_s:.0f} s'}")
    print(f"rejected: {stats.rejected}")
    print(f"kept after acknowledgement: {stats.kept}")
    if stats.last_error:
        print(f"last error: {stats.last_error}")
    return 0


def _rejected(args: argparse.Namespace, settings: Settings) -> int:
    terminal, outbox = _open_outbox(settings)
    with terminal:
        rows = outbox.rejected(args.limit)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row.id}  {row.idempotency_key}  {row.kind}  {row.created_at}  {row.last_error}")
    print(f"{len(rows)} rejected records")
    return 0
