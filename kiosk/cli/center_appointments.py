"""``kiosk center appointment``: book, cancel and list the appointments (网上预约) the center publishes to halls on
its ``appointments`` feed (docs/hall.md, "Appointments"). Registered under ``kiosk center``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings


def register_appointments(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    db_option: Callable[[argparse.ArgumentParser], None],
    guarded: Callable[[Any], Any],
) -> None:
    appointment = commands.add_parser(
        "appointment", help="book, cancel and list appointments (网上预约) for halls' queue services"
    )
    actions = appointment.add_subparsers(dest="appointment_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "add",
        help="book an appointment and print its code",
        description="Book an appointment for a person (the ID number is published only as a salted hash, the "
        "name masked) at a service of a hall on a day within a time window. The hall checks it in (预约签到) by "
        "its code or by the person's card.",
    )
    db_option(p)
    p.add_argument("--service", required=True, metavar="CODE", help="the hall's service code (e.g. SB)")
    p.add_argument("--day", default=None, metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--window", required=True, metavar="HH:MM-HH:MM", help="e.g. 09:00-09:30")
    p.add_argument("--id-number", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--hall", default="", help="the hall's code (kiosk hall config show); default: any hall")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_add))
    p = actions.add_parser("cancel", help="cancel an appointment")
    db_option(p)
    p.add_argument("code")
    p.set_defaults(handler=guarded(_cancel))
    p = actions.add_parser("list", help="the appointments published")
    db_option(p)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_list))
    p = actions.add_parser(
        "demo",
        help="book one appointment for each sample card holder, today, in a window open now",
    )
    db_option(p)
    p.add_argument("--hall", default="")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_demo))


def _store(args: argparse.Namespace, settings: Settings) -> Any:
    from kiosk.cli.center_cmd import _open

    return _open(args, settings)


def _add(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.appointments import book
    from kiosk.center.store import StoreError

    try:
        day = date.fromisoformat(args.day) if args.day else date.today()
    except ValueError:
        return fail(f"--day {args.day!r} is not a day (YYYY-MM-DD)", 2)
    starts, _, ends = args.window.partition("-")
    store = _store(args, settings)
    try:
        booked = book(
            store,
            service=args.service,
            day=day,
            starts=starts.strip(),
            ends=ends.strip(),
            id_number=args.id_number,
            name=args.name,
            hall=args.hall.strip(),
        )
    except StoreError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if args.json:
        print_json(booked)
    else:
        print(f"{booked.code}  {booked.day} {booked.window}  {booked.service}  {booked.masked_name}")
    return 0


def _cancel(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.appointments import cancel

    store = _store(args, settings)
    try:
        done = cancel(store, args.code.strip().upper())
    finally:
        store.close()
    if not done:
        return fail(f"no appointment {args.code} (see: kiosk center appointment list)")
    print(f"{args.code.strip().upper()} cancelled")
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.appointments import listed

    store = _store(args, settings)
    try:
        rows = listed(store)
    finally:
        store.close()
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no appointments")
    for row in rows:
        print(
            f"{row['code']}  {row['day']} {row['window']}  {row['service']}  {row['masked_name']}  {row['hall']}"
        )
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from drivers.idcard.cards import SAMPLES
    from kiosk.center.appointments import book

    now = datetime.now()
    starts = now.replace(minute=0, second=0, microsecond=0)
    ends = min(starts + timedelta(hours=2), now.replace(hour=23, minute=59, second=0, microsecond=0))
    services = ("SB", "BDC", "GA", "ZH")
    store = _store(args, settings)
    try:
        booked = [
            book(
                store,
                service=services[index % len(services)],
                day=now.date(),
                starts=starts.strftime("%H:%M"),
                ends=ends.strftime("%H:%M"),
                id_number=identity.id_number,
                name=identity.name,
                hall=args.hall.strip(),
            )
            for index, identity in enumerate(SAMPLES.values())
        ]
    finally:
        store.close()
    if args.json:
        print_json(booked)
    else:
        for item in booked:
            print(f"{item.code}  {item.day} {item.window}  {item.service}  {item.masked_name}")
    return 0
