"""``kiosk outbox``: what waits to be delivered to the center, and what the center refused."""

from __future__ import annotations

import argparse

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings


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


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.services.outbox import OutboxService
    from kiosk.services.terminal import Terminal
    from kiosk.store.database import DatabaseError

    try:
        with Terminal.open(settings) as terminal:
            stats = OutboxService.for_settings(terminal.database, settings).stats()
    except DatabaseError as exc:
        return fail(str(exc))
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
    from kiosk.services.outbox import OutboxService
    from kiosk.services.terminal import Terminal
    from kiosk.store.database import DatabaseError

    try:
        with Terminal.open(settings) as terminal:
            rows = OutboxService.for_settings(terminal.database, settings).rejected(args.limit)
    except DatabaseError as exc:
        return fail(str(exc))
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row.id}  {row.idempotency_key}  {row.kind}  {row.created_at}  {row.last_error}")
    print(f"{len(rows)} rejected records")
    return 0
