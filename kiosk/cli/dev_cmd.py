"""``kiosk dev``: developer tools that put a terminal in a known state (never needed in operation)."""

from __future__ import annotations

import argparse
import time

from kiosk.cli.output import fail
from kiosk.config import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("dev", help="developer tools (synthetic data)")
    commands = parser.add_subparsers(dest="dev_command", metavar="ACTION", required=True)
    p = commands.add_parser(
        "fill-outbox",
        help="write N synthetic outbox records",
        description="Write N synthetic records through the same path features use (OutboxService.add), "
        "in batched transactions on the database writer.",
    )
    p.add_argument("count", type=int, metavar="N")
    p.add_argument("--kind", default="event", help="record kind (default event)")
    p.add_argument("--personal", action="store_true", help="seal the records as personal data")
    p.set_defaults(handler=_fill_outbox)


def _fill_outbox(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.protocol.models import RECORD_KINDS
    from kiosk.services.sync.outbox import OutboxService
    from kiosk.services.terminal import Terminal
    from kiosk.store.database import DatabaseError
    from kiosk.store.keystore import KeystoreError

    if args.count < 0:
        return fail("N must not be negative", 2)
    if args.kind not in RECORD_KINDS:
        return fail(f"unknown record kind {args.kind!r}: one of {', '.join(RECORD_KINDS)}", 2)
    started = time.perf_counter()
    try:
        with Terminal.open(settings) as terminal:
            outbox = OutboxService.for_settings(terminal.database, settings)
            written = terminal.background.write(
                outbox.fill, args.count, kind=args.kind, personal=args.personal
            ).result()
            backlog = outbox.stats().backlog
    except (DatabaseError, KeystoreError) as exc:
        return fail(str(exc))
    elapsed = time.perf_counter() - started
    sealed = " sealed" if args.personal else ""
    print(f"wrote {written}{sealed} {args.kind} records in {elapsed:.2f} s; backlog {backlog}")
    return 0
