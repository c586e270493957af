"""``kiosk center rate-limit [--per-minute N]``: how many signed requests a minute each terminal may make
(docs/center.md, "Rate limits"). Registered under ``kiosk center``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings


def register_rate_limit(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    db_option: Callable[[argparse.ArgumentParser], None],
    guarded: Callable[[Any], Any],
) -> None:
    p = commands.add_parser(
        "rate-limit",
        help="show or set the signed requests a minute each terminal may make (past it: 429 with Retry-After)",
        description="Each terminal may make at most this many signed requests a minute (default 120; a terminal "
        "makes a few every sync cycle). Past it the center answers 429 with Retry-After. Kept in the database: "
        "every worker of the center applies it from the next request.",
    )
    db_option(p)
    p.add_argument("--per-minute", type=int, metavar="N", help="set the limit (10 to 100000)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_rate_limit))


def _rate_limit(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center import rate_limits
    from kiosk.cli.center_cmd import _open

    store = _open(args, settings)
    try:
        if args.per_minute is None:
            limit = rate_limits.current(store)
        else:
            try:
                limit = rate_limits.set_limit(store, args.per_minute)
            except rate_limits.RateLimitError as exc:
                return fail(str(exc), 2)
    finally:
        store.close()
    if args.json:
        print_json({"per_minute": limit.per_minute, "updated_at": limit.updated_at})
    else:
        since = f"set {limit.updated_at}" if limit.updated_at else "the default"
        print(f"{limit.per_minute} signed requests a minute per terminal ({since})")
    return 0
