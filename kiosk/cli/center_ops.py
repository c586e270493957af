"""``kiosk center command|settings|rollout|command-key`` and ``kiosk center terminal group|show``: operating the
fleet from the center (docs/center.md, "Operations"). Registered under ``kiosk center``."""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings
from kiosk.protocol.ops import COMMAND_KINDS


def register_ops(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    terminal_commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    db_option: Callable[[argparse.ArgumentParser], None],
    guarded: Callable[[Any], Any],
) -> None:
    def choose(p: argparse.ArgumentParser, what: str) -> None:
        who = p.add_mutually_exclusive_group(required=True)
        who.add_argument(
            "--terminal", action="append", metavar="ID", help=f"{what} this terminal (repeatable)"
        )
        who.add_argument("--group", metavar="NAME", help=f"{what} every enabled terminal of a group")
        who.add_argument("--all", action="store_true", help=f"{what} every enabled terminal")

    # -- terminal group / show ---------------------------------------------------------------------------------
    p = terminal_commands.add_parser(
        "group",
        help="put a terminal in a group (for commands, settings), or out of any with --none",
        description="A terminal is in one group at most; commands and settings can name a group.",
    )
    db_option(p)
    p.add_argument("terminal_id")
    p.add_argument("name", nargs="?", help="the group, e.g. 从化区 or pilot")
    p.add_argument("--none", action="store_true", help="take the terminal out of its group")
    p.set_defaults(handler=guarded(_terminal_group))
    p = terminal_commands.add_parser(
        "show",
        help="one terminal: state, versions, recent crashes, updates, commands and its uploads",
        description="Everything the center knows of one terminal from its heartbeats, and the files it uploaded "
        "(the latest screenshot and log of each kind); --save-uploads copies them to a folder.",
    )
    db_option(p)
    p.add_argument("terminal_id")
    p.add_argument("--save-uploads", type=Path, metavar="DIR", help="copy the terminal's uploads into DIR")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_terminal_show))

    # -- command key -------------------------------------------------------------------------------------------
    p = commands.add_parser(
        "command-key",
        help="the key commands and settings are signed with: its id, and the public key terminals pin",
        description="The center signs commands and settings with an Ed25519 key kept beside the database "
        "(center.db → center.command-key, owner-only), made on first start or by this command. Terminals pin "
        "its public key when they enrol; --out writes it as the file 'kiosk enroll --center-key' takes.",
    )
    db_option(p)
    p.add_argument("--out", type=Path, metavar="FILE", help="write the public key (JSON) to FILE")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_command_key))

    # -- commands ----------------------------------------------------------------------------------------------
    command = commands.add_parser("command", help="send commands to terminals and follow their results")
    actions = command.add_subparsers(dest="command_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "send",
        help="queue a command for terminals; it goes out with their next heartbeat answers",
        description="Queue one command for each chosen terminal. It is signed with the command key, goes out "
        "in each heartbeat answer until the terminal reports its result or it expires, and runs once. Kinds and "
        "their --arg: upload_logs hours=1..72; notice title=.. body=.. level=info|warning hours=1..720; "
        "out_of_service message=..; the others take none.",
    )
    db_option(p)
    p.add_argument("kind", choices=COMMAND_KINDS)
    choose(p, "send to")
    p.add_argument(
        "--arg", action="append", default=[], metavar="NAME=VALUE", help="an argument (repeatable)"
    )
    p.add_argument(
        "--expires", default="24h", metavar="SPAN", help="expire after this (30m, 2h, 3d; default 24h)"
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_command_send))
    p = actions.add_parser("list", help="commands, newest first, with their state and result")
    db_option(p)
    p.add_argument("--terminal", metavar="ID", help="only this terminal's")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_command_list))

    # -- settings ----------------------------------------------------------------------------------------------
    settings = commands.add_parser(
        "settings", help="settings the center pushes to terminals (a layer of their settings)"
    )
    actions = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "set",
        help="set a value for every terminal, a group or one terminal",
        description="A terminal's layer is everyone's values, its group's over them, its own over both; it gets "
        "the layer, signed, with its next heartbeat answer. VALUE is true, false, a number or text.",
    )
    db_option(p)
    p.add_argument("name")
    p.add_argument("value")
    choose(p, "for")
    p.set_defaults(handler=guarded(_settings_set))
    p = actions.add_parser("unset", help="remove a value the center set (the terminal's own applies again)")
    db_option(p)
    p.add_argument("name")
    choose(p, "for")
    p.set_defaults(handler=guarded(_settings_unset))
    p = actions.add_parser("show", help="the values set, by scope; with --terminal, that terminal's layer")
    db_option(p)
    p.add_argument("--terminal", metavar="ID", help="the layer this terminal gets, and its version")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=guarded(_settings_show))

    # -- rollouts ----------------------------------------------------------------------------------------------
    rollout = commands.add_parser("rollout", help="roll a version out to the fleet, ring by ring")
    actions = rollout.add_subparsers(dest="rollout_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "start",
        help="start rolling VERSION out (one rollout at a time)",
        description="Terminals learn the version from their heartbeat answers once their ring is open. A ring "
        "opens when --success-threshold of the one before have committed the version (a terminal that stays "
        "offline does not hold it up); when failures in an open ring exceed --failure-threshold, the rollout "
        "halts by itself.",
    )
    db_option(p)
    p.add_argument("version")
    p.add_argument("--rings", default="pilot,5%,25%,100%", help="default pilot,5%%,25%%,100%%")
    p.add_argument("--pilot", default="", metavar="ID,ID", help="the pilot ring's terminals")
    p.add_argument("--failure-threshold", type=float, default=0.2, help="share of a ring that may fail (0.2)")
    p.add_argument(
        "--success-threshold",
        type=float,
        default=0.9,
        help="share of a ring that must have committed before the next opens (0.9; 1: every terminal)",
    )
    p.add_argument("--min-per-ring", type=int, default=1, metavar="N", help="a share ring holds at least N")
    p.add_argument("--json", action="store_true", help="print the status as JSON")
    p.set_defaults(handler=guarded(_rollout_start))
    for action, helptext in (
        ("status", "the rollout's rings: terminals, committed, failed, waiting, and why it halted"),
        ("pause", "stop opening rings and giving the version to more terminals"),
        ("resume", "go on after a pause or a halt (failures are counted afresh after a halt)"),
        ("abort", "end the rollout: no terminal is told to move (those that moved stay)"),
    ):
        p = actions.add_parser(action, help=helptext)
        db_option(p)
        p.add_argument("--json", action="store_true", help="print the status as JSON")
        p.set_defaults(handler=guarded(_rollout_action), action=action)


def _store(args: argparse.Namespace, settings: Settings) -> Any:
    from kiosk.cli.center_cmd import _open

    return _open(args, settings)


# --- terminals ------------------------------------------------------------------------------------------------


def _terminal_group(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.fleet import FleetError, set_group

    if bool(args.none) == bool(args.name):
        return fail("give a group NAME, or --none to take the terminal out of its group", 2)
    store = _store(args, settings)
    try:
        set_group(store, args.terminal_id, None if args.none else args.name)
    except FleetError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    print(f"{args.terminal_id}: {'no group' if args.none else f'group {args.name}'}")
    return 0


def _terminal_show(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center import commands, fleet, pushed_settings, rollout, uploads

    store = _store(args, settings)
    try:
        terminal = store.terminal(args.terminal_id)
        if terminal is None:
            return fail(f"no terminal {args.terminal_id} (see: kiosk center terminal list)", 2)
        beat = terminal.last_heartbeat or {}
        version, layer = pushed_settings.layer(store, args.terminal_id)
        shown = {
            "terminal_id": terminal.terminal_id,
            "name": terminal.name,
            "enabled": terminal.enabled,
            "group": fleet.group_of(store, terminal.terminal_id),
            "last_heartbeat_at": terminal.last_heartbeat_at,
            "version": beat.get("version"),
            "role": beat.get("role"),
            "install": beat.get("install"),
            "out_of_service": beat.get("out_of_service", False),
            "session_open": beat.get("session_open", False),
            "command_key_id": beat.get("command_key_id", ""),
            "settings": {
                "center_version": version,
                "applied_version": beat.get("settings_version", 0),
                **layer,
            },
            "target_version": rollout.target_for(store, terminal.terminal_id),
            "crashes": fleet.reports(store, "crash_reports", terminal.terminal_id, 10),
            "updates": fleet.reports(store, "update_reports", terminal.terminal_id, 10),
            "commands": commands.listed(store, terminal.terminal_id, 10),
            "uploads": uploads.latest(store, terminal.terminal_id),
        }
    finally:
        store.close()
    if args.save_uploads is not None:
        args.save_uploads.mkdir(parents=True, exist_ok=True)
        for upload in shown["uploads"]:
            source = Path(upload["file"])
            target = args.save_uploads / f"{terminal.terminal_id}-{source.name}"
            try:
                shutil.copyfile(source, target)
            except OSError as exc:
                return fail(f"cannot copy {source} to {target}: {exc.strerror or exc}")
            upload["saved_to"] = str(target)
    if args.json:
        print_json(shown)
        return 0
    _print_terminal(shown)
    return 0


def _print_terminal(shown: dict[str, Any]) -> None:
    state = "" if shown["enabled"] else " [disabled]"
    print(f"{shown['terminal_id']}  {shown['name']}{state}  group: {shown['group'] or '-'}")
    if shown["last_heartbeat_at"] is None:
        print("  no heartbeat yet")
    else:
        install = shown["install"] or {}
        print(
            f"  heartbeat {shown['last_heartbeat_at']}  version {shown['version']}  role {shown['role']}"
            f"  previous {install.get('previous') or '-'}  staged {install.get('staged') or '-'}"
        )
        flags = [name for name in ("out_of_service", "session_open") if shown[name]]
        print(
            f"  {', '.join(flags) or 'in service, no session'}  command key {shown['command_key_id'] or '-'}"
        )
    settings = shown["settings"]
    print(f"  settings: center version {settings['center_version']}, applied {settings['applied_version']}")
    print(f"  target version: {shown['target_version'] or '-'}")
    for crash in shown["crashes"]:
        print(f"  crash {crash['at']}  {crash['version']}  {crash['what']}  exit {crash['exit_code']}")
    for update in shown["updates"]:
        print(f"  update {update['at']}  {update['from_version']} → {update['version']}  {update['outcome']}")
    for command in shown["commands"]:
        print(
            f"  command {command['issued_at']}  {command['kind']}  {command['state']}  {command['result_detail']}"
        )
    for upload in shown["uploads"]:
        where = upload.get("saved_to") or upload["file"]
        print(f"  upload {upload['received_at']}  {upload['kind']}  {upload['size']} bytes  {where}")


# --- command key ----------------------------------------------------------------------------------------------


def _command_key(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.command_key import (
        CommandKeyError,
        command_key_path_for,
        load_or_create,
        public_command_key,
    )

    store = _store(args, settings)
    try:
        path = command_key_path_for(store.path)
    finally:
        store.close()
    try:
        public = public_command_key(load_or_create(path))
    except CommandKeyError as exc:
        return fail(str(exc))
    document = public.model_dump(mode="json")
    if args.out is not None:
        args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print_json({**document, "file": str(path)})
    else:
        print(f"command key {public.key_id} ({path}); public key {public.public_key}")
        if args.out is not None:
            print(f"public key written to {args.out} (for: kiosk enroll --center-key {args.out})")
    return 0


# --- commands -------------------------------------------------------------------------------------------------


def _command_send(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center import commands
    from kiosk.center.fleet import FleetError, chosen_terminals

    values: dict[str, Any] = {}
    for item in args.arg:
        name, sep, text = item.partition("=")
        if not sep or not name:
            return fail(f"--arg is NAME=VALUE, not {item!r}", 2)
        values[name] = _arg_value(text)
    store = _store(args, settings)
    try:
        expires = commands.parse_duration(args.expires)
        terminals = chosen_terminals(
            store, terminals=args.terminal or (), group=args.group, everyone=args.all
        )
        if not terminals:
            return fail("no enabled terminal to send to", 2)
        queued = commands.queue(store, terminals, args.kind, values, expires)
    except (FleetError, commands.CommandError) as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if args.json:
        print_json(queued)
        return 0
    for row in queued:
        print(f"{row['id']}  {row['terminal_id']}  {row['kind']}  expires {row['expires_at']}")
    return 0


def _arg_value(text: str) -> Any:
    """A command's argument as typed: true/false or a number when it reads as one, else the text (the kind's
    bounds are checked when the command is queued)."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, bool | int | float | str) else text


def _command_list(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center import commands

    store = _store(args, settings)
    try:
        rows = commands.listed(store, args.terminal)
    finally:
        store.close()
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no commands (send one with: kiosk center command send KIND --terminal ID)")
    for row in rows:
        arguments = json.dumps(row["args"], ensure_ascii=False) if row["args"] else ""
        detail = f"  {row['result_detail']}" if row["result_detail"] else ""
        print(
            f"{row['id']}  {row['terminal_id']}  {row['kind']} {arguments}  {row['state']}{detail}"
            f"  (issued {row['issued_at']}, expires {row['expires_at']})"
        )
    return 0


# --- settings -------------------------------------------------------------------------------------------------


def _scope(args: argparse.Namespace) -> str:
    from kiosk.center.pushed_settings import scope_of

    terminals = args.terminal or []
    if len(terminals) > 1:
        raise ValueError("settings take one --terminal (or --group, or --all)")
    return scope_of(terminal=terminals[0] if terminals else None, group=args.group, everyone=args.all)


def _settings_set(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.pushed_settings import SettingsError, parse_value, set_value

    store = _store(args, settings)
    try:
        scope = _scope(args)
        if scope.startswith("terminal:") and store.terminal(scope.partition(":")[2]) is None:
            return fail(f"no terminal {scope.partition(':')[2]}", 2)
        set_value(store, scope, args.name, parse_value(args.value))
    except (SettingsError, ValueError) as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    print(f"{args.name} set for {scope}; terminals take it with their next heartbeat")
    return 0


def _settings_unset(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.pushed_settings import unset_value

    store = _store(args, settings)
    try:
        scope = _scope(args)
        removed = unset_value(store, scope, args.name)
    except ValueError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if not removed:
        return fail(f"{args.name} is not set for {scope}", 2)
    print(f"{args.name} unset for {scope}")
    return 0


def _settings_show(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center import pushed_settings

    store = _store(args, settings)
    try:
        if args.terminal:
            if store.terminal(args.terminal) is None:
                return fail(f"no terminal {args.terminal}", 2)
            version, values = pushed_settings.layer(store, args.terminal)
            shown: dict[str, Any] = {"terminal_id": args.terminal, "version": version, "values": values}
        else:
            shown = pushed_settings.scopes(store)
    finally:
        store.close()
    if args.json:
        print_json(shown)
        return 0
    if args.terminal:
        print(f"{args.terminal}: layer version {shown['version']}")
        for name, value in shown["values"].items():
            print(f"  {name} = {json.dumps(value, ensure_ascii=False)}")
        return 0
    if not shown:
        print("no settings pushed (set one with: kiosk center settings set NAME VALUE --all)")
    for scope, values in shown.items():
        print(scope)
        for name, value in values.items():
            print(f"  {name} = {json.dumps(value, ensure_ascii=False)}")
    return 0


# --- rollouts -------------------------------------------------------------------------------------------------


def _rollout_start(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center import rollout

    pilot = [t.strip() for t in args.pilot.split(",") if t.strip()]
    store = _store(args, settings)
    try:
        rollout.start(
            store,
            args.version,
            rings=[r.strip() for r in args.rings.split(",") if r.strip()],
            pilot=pilot,
            failure_threshold=args.failure_threshold,
            success_threshold=args.success_threshold,
            min_per_ring=args.min_per_ring,
        )
        status = rollout.evaluate(store)
    except rollout.RolloutError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    _print_status(status, args.json)
    return 0


def _rollout_action(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center import rollout

    store = _store(args, settings)
    try:
        if args.action != "status":
            getattr(rollout, args.action)(store)
        status = rollout.evaluate(store)
    except rollout.RolloutError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if status is None:
        if args.json:
            print_json(None)
        else:
            print("no rollout yet (start one with: kiosk center rollout start VERSION --pilot ID)")
        return 0
    _print_status(status, args.json)
    return 0


def _print_status(status: dict[str, Any] | None, as_json: bool) -> None:
    if as_json or status is None:
        print_json(status)
        return
    print(
        f"rollout {status['id']} of {status['version']}: {status['state']} (started {status['started_at']}; "
        f"next ring at {status['success_threshold']:.0%} committed, halt above {status['failure_threshold']:.0%} "
        "failed)"
    )
    if status["halted_reason"]:
        print(f"  halted: {status['halted_reason']}")
    for ring in status["rings"]:
        print(
            f"  {ring['ring']:>6}  {'open  ' if ring['open'] else 'closed'}  {ring['terminals']:>5} terminals"
            f"  {ring['committed']:>5} committed  {ring['failed']:>4} failed  {ring['waiting']:>5} waiting"
        )
        for terminal, why in list(ring["failures"].items())[:5]:
            print(f"          {terminal}: {why}")
    if status["not_in_a_ring"]:
        print(f"  {status['not_in_a_ring']} terminals are in no ring (the last ring is below 100%)")
