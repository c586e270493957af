"""``kiosk bench``: benchmarks that print figures (medians and ratios against a baseline run alongside)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "bench",
        help="benchmarks (startup, search, idcard, sync, sessions, queue, update, center)",
        description="Benchmarks. Each prints its figures against a baseline measured in the "
        "same run; the machine may be noisy, so read medians and ratios.",
    )
    commands = parser.add_subparsers(dest="bench_command", metavar="BENCHMARK", required=True)

    p = commands.add_parser(
        "search",
        help="search latency over a large generated catalog vs raw SQLite FTS5, index ready at start, UI stalls",
    )
    p.add_argument("--items", type=int, default=100_000, help="catalog size (default 100000)")
    p.add_argument("--repeat", type=int, default=20, help="runs of the query set (default 20)")
    p.add_argument("--seed", type=int, default=7, help="catalog generator seed")
    p.add_argument("--starts", type=int, default=5, help="starts timed for 'index ready' (default 5)")
    p.add_argument(
        "--worst-case",
        action="store_true",
        help="every item filled to the catalog format's limits (longest name, most and longest keywords)",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=_search)

    p = commands.add_parser(
        "update",
        help="signed updates: bytes of a patch release vs the whole archive; publish to staged and to committed; crash to first frame",
        description="A patch release published to a reference center on 127.0.0.1 and staged by a terminal: "
        "the bytes it downloaded against the whole archive (goal <= 10 %), and the time from publish to "
        "staged. The bundle: --bundle, else build/dist/kiosk when built, else a stand-in. Then the "
        "supervisor's part: a crash (SIGKILL) to the first frame again against a cold start (goal <= 2x).",
    )
    p.add_argument("--bundle", type=Path, metavar="DIR", help="a built bundle folder")
    p.add_argument(
        "--poll-s",
        type=int,
        default=60,
        metavar="S",
        help="also measure publish to committed with the terminal's own check every S seconds (60; 0: skip)",
    )
    p.add_argument(
        "--stand-in", action="store_true", help="use the stand-in bundle (35 MB) even when one is built"
    )
    p.add_argument(
        "--supervisor-runs",
        type=int,
        default=3,
        help="crashes timed for the supervisor's part, crash to first frame (default 3; 0: skip)",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=_update)

    p = commands.add_parser(
        "startup", help="process start to the home screen's first frame vs a bare Qt Quick window"
    )
    p.add_argument("--runs", type=int, default=7, help="runs of each (default 7)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=_startup)

    p = commands.add_parser(
        "idcard", help="ID card reads through the SAM serial driver vs the wire time of their bytes"
    )
    p.add_argument("--reads", type=int, default=50, help="reads to time (default 50)")
    p.add_argument("--baud", type=int, default=115200, help="baud rate (default 115200)")
    p.add_argument(
        "--placements",
        type=int,
        default=20,
        help="cards placed on a watching reader, to time noticing (default 20)",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=_idcard)

    p = commands.add_parser(
        "sync", help="outbox drain vs raw POSTs, and catalog pulls, against a reference center on 127.0.0.1"
    )
    p.add_argument("--records", type=int, default=10_000, help="outbox records to drain (default 10000)")
    p.add_argument("--items", type=int, default=100_000, help="catalog items to pull (default 100000)")
    p.add_argument("--repeat", type=int, default=3, help="runs of the drain and its baseline (default 3)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=_sync)

    p = commands.add_parser(
        "sessions",
        help="resident memory over N citizen sessions in one running terminal (after 1, 100 and N)",
        description="Plays the same citizen N times in the real touch UI (offscreen, demo catalog, PDF printer): "
        "search, guide and printout, card, form, rating, progress, 结束办理. Prints resident memory after 1, "
        "100 and N sessions and the ratio N/100 (goal at N = 1000: <= 1.05).",
    )
    p.add_argument("--sessions", type=int, default=1000, help="sessions to play (default 1000)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=_sessions)

    p = commands.add_parser(
        "queue",
        help="take a number with concurrent takers at the hall's queue service vs raw SQLite inserts",
        description="Starts the hall's queue service (kiosk hall serve) on 127.0.0.1 and has --takers terminals "
        "take --tickets numbers each at once: tickets/s and p50/p95 latency, against raw inserts of the same rows "
        "into SQLite in the same run (goal: p95 < 50 ms); then --calls calls at a counter, each timed from 叫号 to "
        "the display's model showing it, against a raw loopback HTTP round trip in the same run (goal: at most "
        "1.5x the round trip plus one frame, under 100 ms).",
    )
    p.add_argument("--takers", type=int, default=16, help="concurrent takers (default 16)")
    p.add_argument("--tickets", type=int, default=100, help="tickets each taker takes a run (default 100)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each, taking turns (default 3)")
    p.add_argument(
        "--calls", type=int, default=200, help="calls timed from 叫号 to the display (default 200; 0: none)"
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=_queue)

    p = commands.add_parser(
        "center",
        help="the center at a province's scale: 10,000 terminals' heartbeats and pushes; the console's fleet page",
        description="Simulated terminals (--terminals, default 10000) heartbeat every 60 s and push a small batch "
        "every 10 minutes, open loop (latency from each request's scheduled time), against kiosk center serve on "
        "127.0.0.1: on PostgreSQL (a throwaway cluster) with 2 workers, then on SQLite with 1 worker. Prints "
        "requests/s answered, p50/p95/p99 and errors (goal: p95 < 100 ms at 170 requests/s), then the console's "
        "fleet page and filtered lists, time to first byte (goal < 300 ms).",
    )
    p.add_argument("--terminals", type=int, default=10_000, help="simulated terminals (default 10000)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds measured (default 60)")
    p.add_argument("--warmup", type=float, default=10.0, help="seconds of load before measuring (default 10)")
    p.add_argument(
        "--rate-scale", type=float, default=1.0, help="multiply every terminal's request rate (default 1)"
    )
    p.add_argument(
        "--backend",
        choices=("both", "postgresql", "sqlite"),
        default="both",
        help="which database (default both: PostgreSQL with 2 workers, then SQLite with 1)",
    )
    p.add_argument("--rollout", action="store_true", help="with a rollout running during the load")
    p.add_argument("--no-console", action="store_true", help="skip the console's fleet page")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=_center)


def _center(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.bench import center_bench

    if args.terminals < 1 or args.duration <= 0 or args.warmup < 0 or args.rate_scale <= 0:
        return fail("--terminals, --duration and --rate-scale must be positive, --warmup 0 or more", 2)
    backends = center_bench.BACKENDS if args.backend == "both" else (args.backend,)
    try:
        result = center_bench.run(
            terminals=args.terminals,
            duration_s=args.duration,
            warmup_s=args.warmup,
            rate_scale=args.rate_scale,
            backends=backends,
            rollout=args.rollout,
            console=not args.no_console,
            progress=(lambda line: None) if args.json else (lambda line: print(line, flush=True)),
        )
    except center_bench.BenchError as exc:
        return fail(str(exc))
    print_json(result) if args.json else center_bench.print_report(result)
    return 0


def _update(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.bench import update_bench

    if args.bundle is not None and not args.bundle.is_dir():
        return fail(f"{args.bundle} is not a bundle folder", 2)
    if args.poll_s < 0:
        return fail("--poll-s is 0 (skip) or a number of seconds", 2)
    try:
        result = update_bench.run(args.bundle, stand_in=args.stand_in, poll_s=args.poll_s)
    except update_bench.BenchError as exc:
        return fail(str(exc))
    if not args.json:
        update_bench.print_report(result)
    supervisor: dict[str, Any] | None = None
    if args.supervisor_runs > 0:
        from kiosk.bench import supervisor_bench

        try:
            supervisor = supervisor_bench.run(settings, args.supervisor_runs)
        except supervisor_bench.BenchError as exc:
            return fail(str(exc))
        if not args.json:
            supervisor_bench.print_report(supervisor)
    if args.json:
        print_json({"update": result, "supervisor": supervisor})
    return 0


def _search(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.bench import search_bench

    if args.items < 1 or args.repeat < 1 or args.starts < 1:
        return fail("--items, --repeat and --starts must be positive", 2)
    result = search_bench.run(
        settings, args.items, args.repeat, args.seed, worst_case=args.worst_case, starts=args.starts
    )
    print_json(result) if args.json else search_bench.print_report(result)
    return 0


def _startup(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.bench import startup_bench

    result = startup_bench.run(settings, args.runs)
    print_json(result) if args.json else startup_bench.print_report(result)
    return 0


def _idcard(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.bench import idcard_bench

    if args.reads < 1 or args.baud < 1 or args.placements < 1:
        return fail("--reads, --baud and --placements must be positive", 2)
    result = idcard_bench.run(args.reads, args.baud, args.placements)
    print_json(result) if args.json else idcard_bench.print_report(result)
    return 0


def _sync(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.bench import sync_bench

    if args.records < 1 or args.items < sync_bench.DELTA_ITEMS or args.repeat < 1:
        return fail(f"--records and --repeat must be positive, --items at least {sync_bench.DELTA_ITEMS}", 2)
    try:
        result = sync_bench.run(settings, args.records, args.items, args.repeat)
    except sync_bench.BenchError as exc:
        return fail(str(exc))
    print_json(result) if args.json else sync_bench.print_report(result)
    return 0


def _sessions(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.bench import sessions_bench

    if args.sessions < 1:
        return fail("--sessions must be positive", 2)
    progress = (lambda line: None) if args.json else print
    try:
        result = sessions_bench.run(settings, args.sessions, progress)
    except sessions_bench.BenchError as exc:
        return fail(f"the session benchmark stopped: {exc}")
    print_json(result) if args.json else sessions_bench.print_report(result)
    return 0


def _queue(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.bench import queue_bench

    if (
        not (1 <= args.takers <= 64 and args.tickets >= 1 and args.repeat >= 1)
        or args.takers * args.tickets > 9999
    ):
        return fail("--takers 1-64, --tickets and --repeat positive, at most 9999 tickets a run", 2)
    if not 0 <= args.calls <= 5000:
        return fail("--calls 0-5000", 2)
    try:
        result = queue_bench.run(args.takers, args.tickets, args.repeat, args.calls)
    except queue_bench.BenchError as exc:
        return fail(str(exc))
    print_json(result) if args.json else queue_bench.print_report(result)
    return 0
