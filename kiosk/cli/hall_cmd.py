"""``kiosk hall``: the hall's queue service (docs/hall.md) and its operator commands, and ``kiosk hall enroll``,
which gives a terminal its credentials for the hall.

Every command but ``enroll`` works on one SQLite file (``--db``, default ``hall.db`` in the data directory) and
may run while the service serves the same file. Secrets are read from a file or standard input, never from the
command line (it would end up in the shell history and the process list).
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8710


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "hall",
        help="the hall's queue service (排队叫号): serve it, set up services, counters and staff, report",
        description="The hall's queue service (docs/hall.md): numbers, calls, counters, events, appointments and "
        "ratings for the kiosks, displays, counters and rating pads of one hall. Every command but enroll works "
        "on one SQLite file (--db).",
    )
    commands = parser.add_subparsers(dest="hall_command", metavar="ACTION", required=True)

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", type=Path, help="the hall's database (default: <data dir>/hall.db)")

    def json_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print as JSON")

    p = commands.add_parser(
        "serve",
        help="serve the queue service until Ctrl+C",
        description="Serve the hall's API, its event stream and the tickets' phone pages over HTTP. It listens "
        "on 127.0.0.1 unless --host names another address (the hall's LAN address, for its terminals).",
    )
    db_option(p)
    p.add_argument("--host", help=f"address to listen on (default {DEFAULT_HOST})")
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)"
    )
    p.add_argument("--demo", action="store_true", help="set up the demo hall first (6 services, 8 counters)")
    p.add_argument("--log-file", type=Path, help="log file (default: hall.log beside the database)")
    p.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    p.add_argument(
        "--link-interval",
        type=float,
        default=30.0,
        help="seconds between exchanges with the center (default 30)",
    )
    p.set_defaults(handler=_guarded(_serve))

    terminal = commands.add_parser("terminal", help="add, list, enable and disable the hall's terminals")
    terminal_commands = terminal.add_subparsers(dest="terminal_command", metavar="ACTION", required=True)
    p = terminal_commands.add_parser(
        "add",
        help="register a terminal and print its id and secret (shown this once only)",
        description="Register a kiosk, display, counter or rating pad of this hall. Its secret is printed once; "
        "enter it on the terminal with kiosk hall enroll.",
    )
    db_option(p)
    p.add_argument("name")
    p.add_argument("--sm3", action="store_true", help="sign with HMAC-SM3 (国密) instead of HMAC-SHA256")
    json_option(p)
    p.set_defaults(handler=_guarded(_terminal_add))
    p = terminal_commands.add_parser("list", help="the hall's terminals")
    db_option(p)
    json_option(p)
    p.set_defaults(handler=_guarded(_terminal_list))
    for action in ("enable", "disable"):
        p = terminal_commands.add_parser(action, help=f"{action} a terminal (a disabled one gets 401)")
        db_option(p)
        p.add_argument("terminal_id")
        p.set_defaults(handler=_guarded(_terminal_enable), enabled=action == "enable")

    p = commands.add_parser(
        "enroll",
        help="on a terminal: store the terminal id and secret the hall issued",
        description="Enroll this terminal with the hall's queue service: the secret (64 hexadecimal characters) "
        "is read from FILE or standard input ('-') and kept in the terminal's secrets folder; the hall URL "
        "(setting hall_url) and terminal id go to the settings file. Checked with a signed request unless "
        "--no-check is given.",
    )
    p.add_argument(
        "--hall", required=True, metavar="URL", help="the hall service's base URL (http://host:8710)"
    )
    p.add_argument("--terminal-id", required=True, metavar="ID", help="the terminal id the hall issued")
    p.add_argument("--secret-file", required=True, metavar="FILE", help="file holding the secret, or '-'")
    p.add_argument("--sm3", action="store_true", help="国密: sign with HMAC-SM3")
    p.add_argument("--no-check", action="store_true", help="do not contact the hall now")
    p.set_defaults(handler=_enroll)

    service = commands.add_parser("service", help="add and list services (业务类型)")
    service_commands = service.add_subparsers(dest="service_command", metavar="ACTION", required=True)
    p = service_commands.add_parser(
        "add",
        help="add a service, or change the one with this code",
        description="A service: its code (e.g. ZH), the letter its numbers start with (A → A001), its name, "
        "the daily number range and cap, opening hours for taking numbers, and whether a card is required "
        "(实名取号).",
    )
    db_option(p)
    p.add_argument("code")
    p.add_argument("--prefix", required=True, help="one capital letter (A-Z), not another service's")
    p.add_argument("--name", required=True)
    p.add_argument("--numbers", default="1-999", help="the day's number range FIRST-LAST (default 1-999)")
    p.add_argument("--cap", type=int, help="numbers given a day at most (default: the whole range)")
    p.add_argument("--hours", default="", help="HH:MM-HH:MM when numbers are given (default: all day)")
    p.add_argument("--real-name", action="store_true", help="实名取号: a card or identity code is required")
    json_option(p)
    p.set_defaults(handler=_guarded(_service_add))
    p = service_commands.add_parser("list", help="the services, with their codes")
    db_option(p)
    json_option(p)
    p.set_defaults(handler=_guarded(_service_list))

    counter = commands.add_parser("counter", help="add and list counters (窗口)")
    counter_commands = counter.add_subparsers(dest="counter_command", metavar="ACTION", required=True)
    p = counter_commands.add_parser(
        "add",
        help="add a counter, or change its name and services",
        description="A counter: its number (called out: 请 A012 号到 3 号窗口), its name, and the services it "
        "serves with their weights (CODE:WEIGHT, 1-10; docs/hall.md, 'Order of calling').",
    )
    db_option(p)
    p.add_argument("number", type=int)
    p.add_argument("--name", required=True)
    p.add_argument("--services", required=True, help="e.g. ZH:3,SB:1 (a bare code has weight 1)")
    json_option(p)
    p.set_defaults(handler=_guarded(_counter_add))
    p = counter_commands.add_parser("list", help="the counters, their services and who is signed in")
    db_option(p)
    json_option(p)
    p.set_defaults(handler=_guarded(_counter_list))

    staff = commands.add_parser("staff", help="add and list staff (工号, name, PIN)")
    staff_commands = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    p = staff_commands.add_parser("add", help="add a staff member, or change their name and PIN")
    db_option(p)
    p.add_argument("staff_no")
    p.add_argument("--name", required=True)
    p.add_argument(
        "--pin-file", required=True, metavar="FILE", help="file holding the PIN (4-12 digits), or '-'"
    )
    p.add_argument("--photo", metavar="FILE", help=PHOTO_HELP)
    p.set_defaults(handler=_guarded(_staff_add))
    p = staff_commands.add_parser(
        "photo", help="set or remove a staff member's photo (the rating pad at their counter shows it)"
    )
    db_option(p)
    p.add_argument("staff_no")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("file", nargs="?", metavar="FILE", help=PHOTO_HELP)
    which.add_argument("--remove", action="store_true", help="remove the photo (the pad shows a placeholder)")
    p.set_defaults(handler=_guarded(_staff_photo))
    p = staff_commands.add_parser("list", help="staff and the counter each is signed in at")
    db_option(p)
    json_option(p)
    p.set_defaults(handler=_guarded(_staff_list))

    config = commands.add_parser("config", help="the hall's own settings (name, reset hour, 绿色通道 age …)")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    p = config_commands.add_parser("show", help="every setting with its value")
    db_option(p)
    json_option(p)
    p.set_defaults(handler=_guarded(_config_show))
    p = config_commands.add_parser("set", help="set one setting")
    db_option(p)
    p.add_argument("name")
    p.add_argument("value")
    p.set_defaults(handler=_guarded(_config_set))

    p = commands.add_parser(
        "center-link",
        help="enroll the hall with the center (appointments in, tickets and ratings out)",
        description="Store the credentials the center issued to this hall (kiosk center terminal add): the "
        "service then pulls the center's appointments and delivers its outbox while it serves.",
    )
    db_option(p)
    p.add_argument("--center", required=True, metavar="URL")
    p.add_argument("--terminal-id", required=True, metavar="ID")
    p.add_argument("--secret-file", required=True, metavar="FILE", help="file holding the secret, or '-'")
    p.add_argument("--sm3", action="store_true", help="国密: sign with HMAC-SM3")
    p.add_argument("--no-check", action="store_true", help="do not contact the center now")
    p.set_defaults(handler=_guarded(_center_link))

    p = commands.add_parser("sync", help="exchange with the center once: appointments in, the outbox out")
    db_option(p)
    json_option(p)
    p.set_defaults(handler=_guarded(_sync))

    p = commands.add_parser("appointments", help="the appointments the hall has from the center")
    db_option(p)
    p.add_argument("--day", help="only this day (YYYY-MM-DD)")
    json_option(p)
    p.set_defaults(handler=_guarded(_appointments))

    p = commands.add_parser(
        "report",
        help="per service and counter: tickets, served, no-shows, transfers, waits, service times, ratings",
        description="The hall manager's report for a day or a month (docs/hall.md, 'The report').",
    )
    db_option(p)
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--day", metavar="YYYY-MM-DD")
    when.add_argument("--month", metavar="YYYY-MM")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print as JSON")
    form.add_argument("--csv", action="store_true", help="print as CSV")
    p.set_defaults(handler=_guarded(_report))


# -- plumbing ---------------------------------------------------------------------------------------------------


class _Unusable(Exception):
    pass


def _db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.db) if args.db else settings.data_dir / "hall.db"


@contextmanager
def _opened(args: argparse.Namespace, settings: Settings) -> Iterator[Any]:
    """The hall over its database for the ``with`` block, closed after it (:class:`_Unusable` when the file
    cannot be used)."""
    from kiosk.hall.db import HallDb, HallDbError
    from kiosk.hall.hall import Hall

    try:
        hall = Hall(HallDb(_db_path(args, settings)))
    except HallDbError as exc:
        raise _Unusable(str(exc)) from None
    try:
        yield hall
    finally:
        hall.db.close()


def _guarded(
    handler: Callable[[argparse.Namespace, Settings], int],
) -> Callable[[argparse.Namespace, Settings], int]:
    """``handler``, with a database that cannot be opened or a setup refused said in one line."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace, settings: Settings) -> int:
        from kiosk.hall.errors import SetupError

        try:
            return handler(args, settings)
        except _Unusable as exc:
            return fail(str(exc), 1)
        except SetupError as exc:
            return fail(str(exc), 2)

    return run


def read_secret_text(source: str, what: str = "secret") -> str:
    if source == "-":
        return sys.stdin.read(4096)
    path = Path(source)
    try:
        if path.stat().st_size > 4096:
            raise ValueError("too large")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ValueError(f"the {what} file {path} cannot be read ({reason})") from None


def _secret(source: str) -> bytes | str:
    """The secret's bytes, or the message saying what is wrong."""
    from kiosk.protocol.signing import SigningError, secret_from_hex

    try:
        return secret_from_hex(read_secret_text(source))
    except ValueError as exc:
        if isinstance(exc, SigningError):
            return "the secret file must hold exactly the 64 hexadecimal characters the hall issued"
        return str(exc)


# -- serve ------------------------------------------------------------------------------------------------------


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall.server import serve
    from kiosk.serving import bind, is_loopback

    host = args.host or DEFAULT_HOST
    db_path = _db_path(args, settings)
    _setup_logging(args.log_file or db_path.parent / "hall.log", args.log_level)
    with _opened(args, settings) as hall:
        if args.demo:
            from kiosk.hall.demo import set_up_demo

            set_up_demo(hall.db)
            print("demo hall: 6 services, 8 counters, staff 1001-1008 (PIN 1234)", flush=True)
    try:
        sock = bind(host, args.port)
    except OSError as exc:
        return fail(f"cannot listen on {host}:{args.port}: {exc.strerror or exc}")
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    if not is_loopback(host):
        print(
            "note: listening beyond this machine (the hall's terminals reach it on the LAN)", file=sys.stderr
        )
    print(f"kiosk hall: serving http://{shown}:{port} (database {db_path})", flush=True)
    serve(db_path, sock, log_level=args.log_level, link_interval_s=args.link_interval)
    return 0


def _setup_logging(log_file: Path, level: str) -> None:
    import logging
    import logging.handlers

    log_file.parent.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"),
        logging.StreamHandler(sys.stderr),
    ]
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level.upper())


# -- terminals --------------------------------------------------------------------------------------------------


def _terminal_add(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall.terminals import add_terminal
    from kiosk.protocol import HMAC_SHA256, HMAC_SM3, secret_to_hex

    with _opened(args, settings) as hall:
        terminal = add_terminal(hall.db, args.name, HMAC_SM3 if args.sm3 else HMAC_SHA256)
    secret = secret_to_hex(terminal.secret)
    if args.json:
        print_json(
            {
                "terminal_id": terminal.terminal_id,
                "name": terminal.name,
                "algorithm": terminal.algorithm,
                "secret": secret,
            }
        )
    else:
        print(f"terminal_id: {terminal.terminal_id}")
        print(f"name:        {terminal.name}")
        print(f"algorithm:   {terminal.algorithm}")
        print(f"secret:      {secret}")
        print("The secret is shown this once only: enter it on the terminal now (kiosk hall enroll).")
    return 0


def _terminal_list(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall.terminals import terminals

    with _opened(args, settings) as hall:
        rows = [t.summary() for t in terminals(hall.db)]
    if args.json:
        print_json(rows)
    elif not rows:
        print("no terminals (add one with: kiosk hall terminal add NAME)")
    for row in [] if args.json else rows:
        state = "enabled" if row["enabled"] else "disabled"
        print(
            f"{row['terminal_id']}  {row['name']}  {row['algorithm']}  {state}  last seen {row['last_seen_at'] or '-'}"
        )
    return 0


def _terminal_enable(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall.terminals import set_enabled

    with _opened(args, settings) as hall:
        changed = set_enabled(hall.db, args.terminal_id, args.enabled)
    if not changed:
        return fail(f"no terminal {args.terminal_id} (see: kiosk hall terminal list)")
    print(f"{args.terminal_id} {'enabled' if args.enabled else 'disabled'}")
    return 0


def _enroll(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk import __version__
    from kiosk.hall_client import HallClient, HallConfigError, HallError, HallUnauthorized
    from kiosk.logs import setup_logging
    from kiosk.protocol import HMAC_SHA256, HMAC_SM3
    from kiosk.store.hall_credentials import store_hall_credentials
    from kiosk.store.keystore import KeystoreError

    secret = _secret(args.secret_file)
    if isinstance(secret, str):
        return fail(secret, 2)
    terminal_id = args.terminal_id.strip()
    if not terminal_id or len(terminal_id) > 64 or any(c.isspace() or c == ":" for c in terminal_id):
        return fail("the terminal id must be 1-64 characters without spaces or ':'", 2)
    algorithm = HMAC_SM3 if args.sm3 else HMAC_SHA256
    setup_logging(settings.log_dir, settings.log_level)
    try:
        client = HallClient(
            args.hall, terminal_id, secret, algorithm, retry_for=0, user_agent=f"kiosk/{__version__}"
        )
    except HallConfigError as exc:
        return fail(str(exc), 2)
    checked = ""
    if not args.no_check:
        with client:
            try:
                state = client.state()
            except HallUnauthorized:
                return fail(
                    "the hall refused these credentials (401): check the terminal id and the secret file against "
                    "what 'kiosk hall terminal add' printed (--sm3 for an HMAC-SM3 terminal) and the clocks of "
                    "both machines. Nothing was stored",
                    1,
                )
            except HallError as exc:
                return fail(
                    f"could not check the enrolment with the hall at {args.hall}: {exc.detail}. Check the URL and "
                    "that kiosk hall serve runs there, or enroll with --no-check. Nothing was stored",
                    1,
                )
        checked = f"; the hall answered ({state.hall_name}, {len(state.services)} services)"
    try:
        store_hall_credentials(settings, args.hall, terminal_id, algorithm, secret)
    except KeystoreError as exc:
        return fail(str(exc), 1)
    print(f"enrolled as {terminal_id} with the hall at {args.hall} ({algorithm}){checked}")
    return 0


# -- layout -----------------------------------------------------------------------------------------------------


def _service_add(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall import layout
    from kiosk.hall.errors import SetupError

    first, _, last = args.numbers.partition("-")
    if not (first.strip().isdigit() and last.strip().isdigit()):
        raise SetupError("--numbers is FIRST-LAST, e.g. 1-999")
    with _opened(args, settings) as hall:
        added = layout.add_service(
            hall.db,
            args.code,
            args.prefix,
            args.name,
            numbers=(int(first), int(last)),
            daily_cap=args.cap,
            hours=args.hours,
            real_name=args.real_name,
        )
    if args.json:
        print_json(added.summary())
    else:
        print(f"service {added.code} ({added.prefix}, {added.name}) saved")
    return 0


def _service_list(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall import layout

    with _opened(args, settings) as hall, hall.db.read() as conn:
        rows = [s.summary() for s in layout.services(conn)]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no services (add one with: kiosk hall service add CODE --prefix A --name NAME)")
    for row in rows:
        extra = "  实名" if row["real_name"] else ""
        hours = row["hours"] or "all day"
        print(
            f"{row['code']:<6} {row['prefix']}  {row['name']}  numbers {row['numbers']}, cap {row['daily_cap']}, {hours}{extra}"
        )
    return 0


def _counter_add(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall import layout

    weights = layout.parse_weights(args.services)
    with _opened(args, settings) as hall:
        added = layout.add_counter(hall.db, args.number, args.name, weights)
    if args.json:
        print_json(added.summary())
    else:
        print(f"counter {added.number} ({added.name}) saved")
    return 0


def _counter_list(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall import layout

    with _opened(args, settings) as hall, hall.db.read() as conn:
        rows = [c.summary() for c in layout.counters(conn)]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no counters (add one with: kiosk hall counter add N --name NAME --services CODE:WEIGHT,...)")
    for row in rows:
        services = ", ".join(f"{s['service']}:{s['weight']}" for s in row["services"])  # type: ignore[attr-defined]
        staff = f"  staff {row['staff_no']}" if row["staff_no"] else ""
        print(f"{row['number']:>3}  {row['name']}  {row['state']}  [{services}]{staff}")
    return 0


def _staff_add(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall import layout, staff_photos

    try:
        pin = read_secret_text(args.pin_file, "PIN").strip()
        photo = _photo_file(args.photo) if args.photo else None
    except ValueError as exc:
        return fail(str(exc), 2)
    if photo is not None:
        staff_photos.checked_photo(photo)  # a bad photo changes nothing
    with _opened(args, settings) as hall:
        layout.add_staff(hall.db, args.staff_no, args.name, pin)
        if photo is not None:
            staff_photos.set_photo(hall.db, args.staff_no.strip(), photo)
    print(f"staff {args.staff_no.strip()} saved" + (" with a photo" if photo is not None else ""))
    return 0


PHOTO_HELP = "a JPEG or PNG of at most 256 KiB, each side 48-2000 pixels (a head-and-shoulders portrait)"


def _photo_file(source: str) -> bytes:
    from kiosk.hall.staff_photos import MAX_PHOTO_BYTES

    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            raise ValueError(f"{size // 1024} KiB; at most {MAX_PHOTO_BYTES // 1024} KiB")
        with path.open("rb") as file:
            return file.read(MAX_PHOTO_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ValueError(f"the photo file {path} cannot be used ({reason})") from None


def _staff_photo(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall import staff_photos

    try:
        photo = None if args.remove else _photo_file(args.file)
    except ValueError as exc:
        return fail(str(exc), 2)
    with _opened(args, settings) as hall:
        staff_photos.set_photo(hall.db, args.staff_no.strip(), photo)
    print(f"staff {args.staff_no.strip()}: photo " + ("removed" if photo is None else "saved"))
    return 0


def _staff_list(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall import layout

    with _opened(args, settings) as hall:
        rows = layout.staff_list(hall.db)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        at = f"  at counter {row['counter']}" if row["counter"] is not None else ""
        photo = "  (photo)" if row["photo"] else ""
        print(f"{row['staff_no']}  {row['name']}{photo}{at}")
    return 0


def _config_show(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from kiosk.hall.settings import HELP

    with _opened(args, settings) as hall:
        values = asdict(hall.settings())
    if args.json:
        print_json(values)
        return 0
    for name, value in values.items():
        print(f"{name:<20} {value!s:<24} {HELP[name]}")
    return 0


def _config_set(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall.settings import set_value

    with _opened(args, settings) as hall:
        set_value(hall.db, args.name, args.value)
    print(f"{args.name} set")
    return 0


# -- the center -------------------------------------------------------------------------------------------------


def _center_link(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center_client import CenterClient, CenterConfigError, CenterError
    from kiosk.hall.center_link import save_credentials
    from kiosk.protocol import HMAC_SHA256, HMAC_SM3
    from kiosk.protocol.models import Heartbeat

    secret = _secret(args.secret_file)
    if isinstance(secret, str):
        return fail(secret.replace("the hall issued", "the center issued"), 2)
    algorithm = HMAC_SM3 if args.sm3 else HMAC_SHA256
    try:
        client = CenterClient(args.center, args.terminal_id.strip(), secret, algorithm, timeout=(5.0, 20.0))
    except CenterConfigError as exc:
        return fail(str(exc), 2)
    if not args.no_check:
        from kiosk import __version__

        with client:
            try:
                client.heartbeat(Heartbeat(version=__version__, role="hall"))
            except CenterError as exc:
                return fail(f"the center did not accept the check: {exc.detail}. Nothing was stored", 1)
    with _opened(args, settings) as hall:
        save_credentials(hall.db, args.center.strip(), args.terminal_id.strip(), secret, algorithm)
    print(f"the hall is linked with the center at {args.center} as {args.terminal_id.strip()}")
    return 0


def _sync(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from kiosk.hall.center_link import outbox_stats, run_once

    with _opened(args, settings) as hall:
        report = run_once(hall.db)
        stats = outbox_stats(hall.db)
    shown = {**asdict(report), "ok": report.ok, "outbox": stats}
    if args.json:
        print_json(shown)
    else:
        print(
            f"appointments: {report.pulled} pulled, {report.applied} applied; records: {report.pushed} sent, "
            f"{report.acknowledged} acknowledged, {report.refused} refused; outbox {stats}"
        )
        for error in report.errors:
            print(f"  error: {error}")
    return 0 if report.ok else 1


def _appointments(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall.appointments import listed

    with _opened(args, settings) as hall:
        rows = listed(hall.db, args.day)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no appointments")
    for row in rows:
        state = (
            "cancelled"
            if row["cancelled"]
            else (f"checked in as {row['ticket']}" if row["ticket"] else "booked")
        )
        print(f"{row['code']}  {row['day']} {row['window']}  {row['service']}  {row['masked_name']}  {state}")
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.hall import report

    label, first, last = report.period(args.day, args.month)
    with _opened(args, settings) as hall:
        figures = report.build(hall.db, first, last, label)
    if args.json:
        print(report.as_json(figures))
    elif args.csv:
        sys.stdout.write(report.as_csv(figures))
    else:
        _print_report(figures)
    return 0


def _print_report(figures: dict[str, Any]) -> None:
    def minutes(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    print(f"hall report {figures['period']} ({figures['from']} to {figures['to']})")
    header = (
        f"{'':<22}{'tickets':>8}{'served':>8}{'no-show':>8}{'transf':>8}{'wait':>7}{'p90':>7}{'serve':>7}"
        f"  ratings 5/4/3/2/1  bad"
    )
    print(header)
    rows = [(f"{s['service']} {s['name']}", s) for s in figures["services"]]
    rows += [(str(c["name"]), c) for c in figures["counters"]]
    rows.append(("total", figures["total"]))
    for name, row in rows:
        ratings = "/".join(str(row["ratings"][str(level)]) for level in (5, 4, 3, 2, 1))
        print(
            f"{name[:22]:<22}{row['tickets']:>8}{row['served']:>8}{row['no_shows']:>8}{row['transfers']:>8}"
            f"{minutes(row['wait_mean_min']):>7}{minutes(row['wait_p90_min']):>7}{minutes(row['service_mean_min']):>7}"
            f"  {ratings:<17}  {row['bad_ratings']}"
        )
    print("(times in minutes: mean wait, 90th percentile wait, mean service time)")
