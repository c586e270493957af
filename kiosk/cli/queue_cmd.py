"""``kiosk queue``: drive the hall's queue as this terminal (enrolled with ``kiosk hall enroll``), without staff
sign-in, so scripts and tests can take numbers, call and finish them (docs/hall.md, "Commands scripts read").

What scripts read stays as it is: ``take`` prints ``number``, ``service``, ``id`` and ``waiting_ahead`` and exits 0
only when the hall stored the ticket; ``call`` prints the ticket called, or ``null`` (exit 0) when nobody waits;
``tickets`` lists the day's tickets with ``number``, ``service`` and ``state``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings

NOT_ENROLLED = "this terminal is not enrolled with a hall: run kiosk hall enroll first"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "queue",
        help="take, call and finish numbers at the hall this terminal is enrolled with",
        description="Act on the hall's queue as this terminal (kiosk hall enroll). No staff sign-in: a counter "
        "that has staff signed in elsewhere refuses.",
    )
    commands = parser.add_subparsers(dest="queue_command", metavar="ACTION", required=True)

    def json_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print as JSON")

    def change_options(p: argparse.ArgumentParser) -> None:
        json_option(p)
        p.add_argument(
            "--retry-for",
            type=float,
            default=15.0,
            metavar="SECONDS",
            help="while the hall cannot be reached, ask again (the same request) for this long (default 15)",
        )

    p = commands.add_parser("take", help="take a number (取号)")
    p.add_argument(
        "--service", required=True, metavar="CODE", help="the service's code (kiosk hall service list)"
    )
    p.add_argument(
        "--request-id",
        metavar="ID",
        help="8-64 letters/digits: run again with the same id to get the same ticket",
    )
    p.add_argument("--green", choices=("age", "disability", "pregnancy"), help="绿色通道")
    change_options(p)
    p.set_defaults(handler=_take)

    p = commands.add_parser("checkin", help="预约签到 with an appointment code")
    p.add_argument("--code", required=True)
    change_options(p)
    p.set_defaults(handler=_checkin)

    p = commands.add_parser("call", help="call the next ticket at a counter (叫号)")
    p.add_argument("--counter", type=int, required=True, metavar="N")
    change_options(p)
    p.set_defaults(handler=_counter_action, action="call")

    p = commands.add_parser("finish", help="办结 of the counter's current ticket")
    p.add_argument("--counter", type=int, required=True, metavar="N")
    change_options(p)
    p.set_defaults(handler=_counter_action, action="finish")

    p = commands.add_parser(
        "counter",
        help="any other counter operation (recall, no-show, return, transfer, hold, resume, call-number, pause, open)",
    )
    p.add_argument("counter", type=int, metavar="N")
    p.add_argument(
        "action",
        choices=(
            "recall",
            "no-show",
            "return",
            "transfer",
            "hold",
            "resume",
            "call-number",
            "mark-green",
            "pause",
            "open",
            "sign-out",
        ),
    )
    p.add_argument("--number", help="the ticket meant (return, resume, call-number, mark-green)")
    p.add_argument("--service", help="transfer to this service")
    p.add_argument("--to-counter", type=int, help="transfer to this counter")
    p.add_argument("--reason", choices=("age", "disability", "pregnancy"), help="mark-green: why")
    change_options(p)
    p.set_defaults(handler=_counter_action)

    p = commands.add_parser("tickets", help="today's tickets (number, service, state)")
    p.add_argument("--day", help="another day (YYYY-MM-DD)")
    json_option(p)
    p.set_defaults(handler=_tickets)

    p = commands.add_parser("events", help="print the hall's events as they come (Ctrl+C to stop)")
    p.add_argument(
        "--after", type=int, default=None, help="from the event after this sequence number (default: now)"
    )
    p.add_argument("--count", type=int, default=0, help="stop after this many events (default: never)")
    p.set_defaults(handler=_events)


def _client(settings: Settings, retry_for: float) -> Any:
    from kiosk import __version__
    from kiosk.hall_client import HallClient
    from kiosk.store.hall_credentials import hall_credentials

    credentials = hall_credentials(settings)
    return HallClient(
        credentials.url,
        credentials.terminal_id,
        credentials.secret,
        credentials.algorithm,
        retry_for=max(0.0, min(retry_for, 600.0)),
        user_agent=f"kiosk/{__version__}",
    )


def _run(settings: Settings, work: Any, retry_for: float = 15.0) -> int:
    """Run ``work(client)`` with the errors a script and an operator can act on said in one line (the detail
    in the log)."""
    import logging

    from kiosk.hall_client import HallConfigError, HallError, HallRefused
    from kiosk.logs import setup_logging
    from kiosk.store.keystore import KeystoreError, NotEnrolled

    setup_logging(settings.log_dir, settings.log_level)
    try:
        with _client(settings, retry_for) as client:
            return int(work(client))
    except NotEnrolled:
        return fail(NOT_ENROLLED, 2)
    except (KeystoreError, HallConfigError) as exc:
        return fail(str(exc), 2)
    except HallRefused as exc:
        return fail(f"{exc.plain} ({exc.code})", 1)
    except HallError as exc:
        logging.getLogger("kiosk.cli.queue").warning("%s", exc.detail)
        return fail(f"{exc.plain}（{settings.hall_url}）", 1)


def _take(args: argparse.Namespace, settings: Settings) -> int:
    def work(client: Any) -> int:
        answer = client.take(args.service.strip().upper(), green=args.green, request_id=args.request_id)
        _print_taken(answer, args.json)
        return 0

    return _run(settings, work, getattr(args, "retry_for", 15.0))


def _checkin(args: argparse.Namespace, settings: Settings) -> int:
    def work(client: Any) -> int:
        _print_taken(client.check_in(code=args.code.strip().upper()), args.json)
        return 0

    return _run(settings, work, getattr(args, "retry_for", 15.0))


def _print_taken(answer: Any, as_json: bool) -> None:
    ticket = answer.ticket
    shown = {
        "number": ticket.number,
        "service": ticket.service,
        "service_name": ticket.service_name,
        "id": ticket.id,
        "waiting_ahead": ticket.waiting_ahead,
        "priority": ticket.priority,
        "estimated_wait_min": answer.estimated_wait_min,
        "counters": answer.counters,
        "follow_url": ticket.follow_url,
    }
    if as_json:
        print_json(shown)
    else:
        print(f"{ticket.number}  {ticket.service_name}  前面还有 {ticket.waiting_ahead} 人  (id {ticket.id})")


def _counter_action(args: argparse.Namespace, settings: Settings) -> int:
    fields: dict[str, Any] = {}
    for name, key in (
        ("number", "number"),
        ("service", "service"),
        ("to_counter", "counter"),
        ("reason", "reason"),
    ):
        value = getattr(args, name, None)
        if value is not None:
            fields[key] = value.strip().upper() if isinstance(value, str) and name != "reason" else value

    def work(client: Any) -> int:
        answer = client.counter(args.counter, args.action, **fields)
        ticket = answer.ticket.model_dump(mode="json") if answer.ticket is not None else None
        if args.json:
            print_json(ticket)
        elif ticket is None:
            print(
                "nobody is waiting"
                if args.action == "call"
                else f"counter {args.counter}: {answer.counter.state}"
            )
        else:
            print(
                f"{ticket['number']}  {ticket['service_name']}  {ticket['state']}  at {answer.counter.name}"
            )
        return 0

    return _run(settings, work, getattr(args, "retry_for", 15.0))


def _tickets(args: argparse.Namespace, settings: Settings) -> int:
    def work(client: Any) -> int:
        answer = client.tickets(args.day)
        rows = [t.model_dump(mode="json") for t in answer.tickets]
        if args.json:
            print_json(rows)
            return 0
        for row in rows:
            where = f"  {row['counter_name']}" if row["counter"] is not None else ""
            print(f"{row['number']}  {row['service']}  {row['state']}{where}")
        print(f"{len(rows)} tickets on {answer.day}")
        return 0

    return _run(settings, work, getattr(args, "retry_for", 15.0))


def _events(args: argparse.Namespace, settings: Settings) -> int:
    def work(client: Any) -> int:
        from kiosk.hall_client import Reset

        after = args.after if args.after is not None else client.state().seq
        seen = 0
        for item in client.events(after, idle_timeout=30.0):
            if isinstance(item, Reset):
                print(json.dumps({"reset": item.seq}), flush=True)
                continue
            sys.stdout.write(json.dumps(item.model_dump(mode="json"), ensure_ascii=False) + "\n")
            sys.stdout.flush()
            seen += 1
            if args.count and seen >= args.count:
                return 0
        return 0

    return _run(settings, work, getattr(args, "retry_for", 15.0))
