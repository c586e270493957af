"""``kiosk center operator ...``: the console's operator accounts (docs/console.md) and its settings. Every change
is written to the console's audit log as done by ``cli:<user>``. Registered under ``kiosk center``."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings

ROLES = ("viewer", "operator", "admin")


def register_console(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    db_option: Callable[[argparse.ArgumentParser], None],
    guarded: Callable[[Any], Any],
) -> None:
    operator = commands.add_parser(
        "operator",
        help="the web console's operator accounts (viewer, operator, admin) and its settings",
        description="Accounts of the console at /console (docs/console.md): a viewer sees, an operator also sends "
        "commands and pauses rollouts, an admin also manages accounts. Passwords are asked twice without echo, "
        "or read from standard input with --password-stdin.",
    )
    actions = operator.add_subparsers(dest="operator_command", metavar="ACTION", required=True)
    p = actions.add_parser("add", help="add an operator")
    db_option(p)
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(handler=guarded(_add))
    p = actions.add_parser("list", help="the operators, their roles and last sign-in")
    db_option(p)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_list))
    for action, helptext in (
        ("disable", "disable an operator (their sessions end at once)"),
        ("enable", "enable an operator again"),
    ):
        p = actions.add_parser(action, help=helptext)
        db_option(p)
        p.add_argument("name")
        p.set_defaults(handler=guarded(_enabled), enabled=action == "enable")
    p = actions.add_parser("passwd", help="give an operator a new password (their sessions end)")
    db_option(p)
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(handler=guarded(_passwd))
    p = actions.add_parser("role", help="change an operator's role")
    db_option(p)
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    p.set_defaults(handler=guarded(_role))
    p = actions.add_parser(
        "settings",
        help="the console's settings: session lifetimes, Argon2 parameters, the center's name",
        description="Without --set, print them. Names: session_idle_minutes (30), session_absolute_hours (12), "
        "argon2_time_cost (3), argon2_memory_kib (65536), argon2_parallelism (4): passwords are hashed again with "
        "new parameters at their next sign-in; secure_cookie (0; 1: cookies Secure even over plain HTTP, behind an "
        "HTTPS proxy); center_name (the console's header).",
    )
    db_option(p)
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="change one (repeatable)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_settings))


def _store(args: argparse.Namespace, settings: Settings) -> Any:
    from kiosk.cli.center_cmd import _open

    return _open(args, settings)


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _password(args: argparse.Namespace) -> str | None:
    """The new password from standard input (one line) or typed twice; None after saying why not."""
    from kiosk.center.console.accounts import PASSWORD_MIN, AccountError, check_password

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = getpass.getpass(f"password for {args.name} (at least {PASSWORD_MIN} characters): ")
            again = getpass.getpass("the same again: ")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            fail("no password given")
            return None
        if password != again:
            fail("the two passwords differ; nothing changed")
            return None
    try:
        return check_password(password)
    except AccountError as exc:
        fail(f"{exc}; nothing changed")
        return None


def _add(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.console import accounts
    from kiosk.center.console.audit import audit

    try:
        accounts.check_name(args.name)
    except accounts.AccountError as exc:
        return fail(str(exc), 2)
    password = _password(args)
    if password is None:
        return 2
    store = _store(args, settings)
    try:
        account = accounts.add(store, args.name, args.role, password)
        audit(store, _who(), "operator_added", account.name, f"role={account.role}")
    except accounts.AccountError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    print(f"operator {account.name} added as {account.role}")
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.console import accounts

    store = _store(args, settings)
    try:
        found = accounts.accounts(store)
    finally:
        store.close()
    if args.json:
        print_json([account.summary() for account in found])
        return 0
    if not found:
        print("no operators (add one with: kiosk center operator add NAME --role admin)")
    for account in found:
        state = "" if account.enabled else "  [disabled]"
        print(f"{account.name}  {account.role}  last sign-in {account.last_sign_in_at or '-'}{state}")
    return 0


def _enabled(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.console import accounts
    from kiosk.center.console.audit import audit

    store = _store(args, settings)
    try:
        accounts.set_enabled(store, args.name, args.enabled)
        audit(store, _who(), "operator_enabled" if args.enabled else "operator_disabled", args.name)
    except accounts.AccountError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    print(f"operator {args.name} {'enabled' if args.enabled else 'disabled'}")
    return 0


def _passwd(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.console import accounts
    from kiosk.center.console.audit import audit

    store = _store(args, settings)
    try:
        if accounts.account(store, args.name) is None:
            return fail(f"no operator {args.name} (see: kiosk center operator list)", 2)
        password = _password(args)
        if password is None:
            return 2
        accounts.set_password(store, args.name, password)
        audit(store, _who(), "operator_password", args.name)
    except accounts.AccountError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    print(f"operator {args.name} has a new password; their sessions ended")
    return 0


def _role(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.console import accounts
    from kiosk.center.console.audit import audit

    store = _store(args, settings)
    try:
        accounts.set_role(store, args.name, args.role)
        audit(store, _who(), "operator_role", args.name, f"role={args.role}")
    except accounts.AccountError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    print(f"operator {args.name} is now {args.role}")
    return 0


def _settings(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from kiosk.center.console import settings as console_settings
    from kiosk.center.console.audit import audit

    store = _store(args, settings)
    try:
        for item in args.set:
            name, sep, value = item.partition("=")
            if not sep:
                return fail(f"--set is NAME=VALUE, not {item!r}", 2)
            console_settings.write(store, name.strip(), value)
            audit(store, _who(), "settings_changed", name.strip(), value)
        current = asdict(console_settings.read(store))
    except console_settings.SettingError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if args.json:
        print_json(current)
        return 0
    for name, value in current.items():
        print(f"{name} = {value}")
    return 0
