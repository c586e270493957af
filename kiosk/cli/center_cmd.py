"""``kiosk center``: the reference center terminals sync with (docs/center.md), and its operator commands."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8700
_FEEDS = ("catalog", "form_templates", "notices", "settings")
# The protocol's case states, and English names for typing them where no Chinese input is at hand. The store keeps
# the Chinese ones only.
_CASE_STATES = ("已受理", "审核中", "已办结", "需补正")
CASE_STATE_KEYS = {
    "accepted": "已受理",
    "under_review": "审核中",
    "done": "已办结",
    "needs_correction": "需补正",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "center",
        help="the reference center: serve the sync API, manage terminals, publish feeds",
        description="The reference center (docs/center.md): the server terminals sync with in development "
        "and acceptance. Every command works on one database (--db): a SQLite file, or PostgreSQL by its URL "
        "with the center's key file (--key-file) shared by every worker and machine (docs/center.md, "
        "'Database').",
    )
    commands = parser.add_subparsers(dest="center_command", metavar="ACTION", required=True)

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db",
            metavar="PATH|URL",
            help="the center's database: a SQLite file, or postgresql://USER@HOST:PORT/DB (the password from "
            "~/.pgpass or PGPASSWORD rather than the URL) (default: the center_db setting, else "
            "<data dir>/center.db)",
        )
        p.add_argument(
            "--key-file",
            type=Path,
            help="the center's key file (default: the center_key_file setting, else beside a SQLite database; "
            "required with PostgreSQL, the same file for every worker and machine)",
        )

    p = commands.add_parser(
        "serve",
        help="serve the sync API (kiosk-sync/1) until Ctrl+C",
        description="Serve the API over HTTP. Put it behind an HTTPS proxy for anything but a local test; "
        "it listens on 127.0.0.1 unless --host names another address.",
    )
    db_option(p)
    p.add_argument("--host", help=f"address to listen on (default {DEFAULT_HOST})")
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)"
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="publish the demo catalog, form templates, notices and settings first",
    )
    p.add_argument(
        "--updates",
        type=Path,
        metavar="REPO",
        help="also serve an update repository's metadata/ and targets/ under /updates/ (kiosk release)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes answering on the one address (default 1); a worker that dies is replaced",
    )
    p.add_argument("--log-file", type=Path, help="log file (default: center.log beside the database)")
    p.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    p.set_defaults(handler=_guarded(_serve))

    terminal = commands.add_parser("terminal", help="add, list, enable and disable terminals")
    terminal_commands = terminal.add_subparsers(dest="terminal_command", metavar="ACTION", required=True)
    p = terminal_commands.add_parser(
        "add",
        help="register a terminal and print its id and secret (shown this once only)",
        description="Register a terminal. Its secret is printed once; copy it to the terminal (kiosk enroll).",
    )
    db_option(p)
    p.add_argument("name")
    p.add_argument("--sm3", action="store_true", help="sign with HMAC-SM3 (国密) instead of HMAC-SHA256")
    p.add_argument("--region", help="where it stands, e.g. 广州市/天河区 (the console filters by it)")
    p.add_argument("--unit", help="the unit (单位) answerable for it (the monthly report groups by it)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_guarded(_terminal_add))
    p = terminal_commands.add_parser(
        "place",
        help="set a terminal's region (地区) and unit (单位)",
        description="Set where a terminal stands.",
    )
    db_option(p)
    p.add_argument("terminal_id")
    p.add_argument("--region", help="e.g. 广州市/天河区; '' clears it")
    p.add_argument("--unit", help="e.g. 石牌街道党群服务中心; '' clears it")
    p.set_defaults(handler=_guarded(_terminal_place))
    p = terminal_commands.add_parser("list", help="terminals with their last heartbeat")
    db_option(p)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_guarded(_terminal_list))
    for action in ("enable", "disable"):
        p = terminal_commands.add_parser(action, help=f"{action} a terminal (a disabled one gets 401)")
        db_option(p)
        p.add_argument("terminal_id")
        p.set_defaults(handler=_guarded(_terminal_enable), enabled=action == "enable")

    p = commands.add_parser(
        "publish",
        help="publish a feed from a file",
        description="Publish a file to a feed: catalog takes a kiosk-catalog/1 document; form_templates, "
        'notices and settings take {"entries": [{"key", "version", "deleted", "data"}, ...]}. A larger '
        "version replaces the published one; the whole file is checked before anything is published.",
    )
    p.add_argument("kind", choices=_FEEDS)
    p.add_argument("file", type=Path)
    db_option(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=_guarded(_publish))

    p = commands.add_parser(
        "records",
        help="records terminals delivered (ratings, submissions, ...), personal fields masked",
        description="The records terminals delivered, oldest first. Their bodies are sealed in the database; "
        "here they are opened and shown with names, ID numbers, phone numbers and addresses masked and "
        "signatures left out.",
    )
    db_option(p)
    p.add_argument("--kind", help="only this kind")
    p.add_argument("--json", action="store_true", help="print as JSON (with the masked bodies)")
    p.set_defaults(handler=_guarded(_records))

    key = commands.add_parser(
        "key",
        help="the center's key file: show it, check a backup, create it for 国密",
        description="Personal data at the center is sealed under a key file kept beside the database "
        "(center.db → center.key), created on first start, readable by its owner only. Back it up apart "
        "from the database backups (docs/center.md); without it the sealed data cannot be read.",
    )
    key_commands = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    p = key_commands.add_parser(
        "show",
        help="the key file's suite and id, and what it seals; with --key-file, check that a backup opens this "
        "database",
    )
    db_option(p)  # --key-file: a backup to check instead of the one beside the database
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_guarded(_key_show))
    p = key_commands.add_parser(
        "init",
        help="create the key file (and the database) before anything else, e.g. with --guomi",
        description="Create the center's database and its key file. Without this the first command creates "
        "them with the standard suite (AES-256-GCM, HMAC-SHA256); --guomi makes the center seal with SM4-GCM "
        "and hash with HMAC-SM3 (国密). The suite cannot be changed afterwards.",
    )
    db_option(p)
    p.add_argument("--guomi", action="store_true", help="国密: SM4-GCM and HMAC-SM3")
    p.set_defaults(handler=_guarded(_key_init))

    case = commands.add_parser("case", help="list cases (办件) and move them on (审核中, 已办结, 需补正 …)")
    case_commands = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    p = case_commands.add_parser("list", help="cases, the most recently updated first")
    db_option(p)
    p.add_argument("--id-number", help="only this person's cases (the number is looked up by its keyed hash)")
    p.add_argument("--json", action="store_true", help="print as JSON (with the histories)")
    p.set_defaults(handler=_guarded(_case_list))
    p = case_commands.add_parser(
        "set",
        help="set a case's state; the step is added to its history (terminals show it in 办件进度)",
        description="Set the state of the case with this receipt number. STATE is one of "
        + ", ".join(_CASE_STATES)
        + " (or "
        + ", ".join(CASE_STATE_KEYS)
        + "). --note says what the citizen should know (for 需补正: what is missing).",
    )
    db_option(p)
    p.add_argument("receipt")
    p.add_argument("state", metavar="STATE", choices=(*_CASE_STATES, *CASE_STATE_KEYS))
    p.add_argument("--note", default="", help="shown to the citizen with the step")
    p.add_argument("--json", action="store_true", help="print the case as JSON")
    p.set_defaults(handler=_guarded(_case_set))

    code = commands.add_parser("identity-code", help="identity codes (身份码) terminals resolve by scanning")
    code_commands = code.add_subparsers(dest="identity_code_command", metavar="ACTION", required=True)
    p = code_commands.add_parser(
        "issue",
        help="issue a one-time identity code for a person and print it",
        description="Issue an identity code (GDID:...) for the person with this ID number. A person the "
        "center does not know yet is taken from the demo sample cards when the number is one of theirs, else "
        "from --name and the other options (which also correct a known person). The code resolves once, "
        "within --ttl seconds.",
    )
    db_option(p)
    p.add_argument("id_number")
    p.add_argument("--ttl", type=int, default=300, help="seconds the code stays valid (default 300)")
    p.add_argument("--name")
    p.add_argument("--sex", help="男 or 女 (default: from an 18-digit ID number)")
    p.add_argument("--nation", help="e.g. 汉")
    p.add_argument("--birth-date", help="YYYY-MM-DD (default: from an 18-digit ID number)")
    p.add_argument("--address")
    p.add_argument("--qr", action="store_true", help="also print the code as a QR code, to show to a scanner")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_guarded(_identity_code_issue))

    from kiosk.cli.center_appointments import register_appointments

    register_appointments(commands, db_option, _guarded)

    from kiosk.cli.center_ops import register_ops

    register_ops(commands, terminal_commands, db_option, _guarded)

    from kiosk.cli.center_console_cmd import register_console

    register_console(commands, db_option, _guarded)

    from kiosk.cli.center_report_cmd import register_report

    register_report(commands, db_option, _guarded)

    from kiosk.cli.center_alerts_cmd import register_alerts

    register_alerts(commands, db_option, _guarded)

    from kiosk.cli.center_rate_limit_cmd import register_rate_limit

    register_rate_limit(commands, db_option, _guarded)


def _db_path(args: argparse.Namespace, settings: Settings) -> Path | str:
    """The database ``--db`` (or the center_db setting) names: a ``postgresql://`` URL as it is, else a path."""
    from kiosk.center.db import is_url

    target = args.db or settings.center_db
    if not target:
        return settings.data_dir / "center.db"
    return target if is_url(target) else Path(target).expanduser()


def _key_path(args: argparse.Namespace, settings: Settings) -> Path | None:
    """The key file ``--key-file`` (or the center_key_file setting) names; None: beside a SQLite database."""
    chosen = getattr(args, "key_file", None) or settings.center_key_file
    return Path(chosen).expanduser() if chosen else None


def _files_anchor(args: argparse.Namespace, settings: Settings) -> Path:
    """What the center's own files (command key, log, uploads) are named after and kept beside: the SQLite file,
    or with PostgreSQL the key file."""
    target = _db_path(args, settings)
    return target if isinstance(target, Path) else (_key_path(args, settings) or Path("center.key"))


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.server import serve
    from kiosk.serving import bind, is_loopback

    host = args.host or DEFAULT_HOST
    if not 1 <= args.workers <= 64:
        return fail("--workers is 1 to 64", 2)
    db_path, key_path = _db_path(args, settings), _key_path(args, settings)
    if key_path is None and not isinstance(db_path, Path):
        _open(args, settings)  # refused plainly (PostgreSQL needs the key file) before a log is made
    log_file = args.log_file or _files_anchor(args, settings).parent / "center.log"
    _setup_logging(log_file, args.log_level)
    opened = _open(args, settings)  # the key file is there and fits (or made): said before serving, not after
    location = opened.location
    opened.close()
    command_key = _command_key(_files_anchor(args, settings))
    if isinstance(command_key, int):
        return command_key
    if args.demo:
        from kiosk.center.demo import publish_demo
        from kiosk.center.store import Store
        from kiosk.services.catalog.demo import generate_catalog

        try:
            forms = demo_form_templates()
        except ValueError as exc:
            return fail(f"demo form templates: {exc}", 2)
        store = Store(db_path, key_path=key_path)
        try:
            reports = publish_demo(store, generate_catalog(), forms, demo_people())
        finally:
            store.close()
        for kind, report in reports.items():
            print(f"demo {kind}: {report.changed} published, {report.unchanged} unchanged", flush=True)
    try:
        sock = bind(host, args.port)
    except OSError as exc:
        return fail(f"cannot listen on {host}:{args.port}: {exc.strerror or exc}")
    port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    if not is_loopback(host):
        print(
            "warning: listening beyond this machine; terminals must reach it through HTTPS", file=sys.stderr
        )
    print(
        f"kiosk center: serving http://{shown_host}:{port} (database {location}, log {log_file}, "
        f"command key {command_key})",
        flush=True,
    )
    if args.updates is not None and not (args.updates / "metadata" / "root.json").exists():
        return fail(f"{args.updates} is not an update repository (make one with: kiosk release init REPO)")
    serve(
        db_path,
        sock,
        log_level=args.log_level,
        updates=args.updates,
        workers=args.workers,
        log_file=log_file,
        key_path=key_path,
    )
    return 0


def _command_key(db_path: Path) -> str | int:
    """The command key's id (the key made on first start), or the exit code after saying why it is unusable."""
    from kiosk.center.command_key import CommandKeyError, command_key_path_for, load_or_create
    from kiosk.protocol.ops import CommandKey

    try:
        return CommandKey.of(load_or_create(command_key_path_for(db_path))).key_id
    except CommandKeyError as exc:
        return fail(str(exc))


def demo_form_templates() -> list[dict[str, Any]]:
    """The demo form templates, each checked as a terminal checks it (a template terminals would refuse is not
    published); raises ValueError naming the template and the field."""
    from kiosk.center.demo import load_demo_forms
    from kiosk.domain.forms import parse_template

    templates = load_demo_forms()
    for template in templates:
        try:
            parse_template(template)
        except ValueError as exc:
            raise ValueError(f"{template.get('code', '?')}: {exc}") from None
    return templates


def demo_people() -> list[dict[str, Any]]:
    """The holders of the sample ID cards (drivers/idcard/cards.py), as people the demo center knows."""
    from drivers.idcard.cards import SAMPLES

    return [_person_of(identity) for identity in SAMPLES.values()]


def _person_of(identity: Any) -> dict[str, Any]:
    return {
        "name": identity.name,
        "id_number": identity.id_number,
        "sex": identity.sex,
        "nation": identity.nation,
        "birth_date": identity.birth_date.isoformat() if identity.birth_date else "",
        "address": identity.address,
    }


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


def _open(args: argparse.Namespace, settings: Settings, **kwargs: Any) -> Any:
    """The center's store (:class:`_Unusable` when its key file cannot be used)."""
    from kiosk.center.store import Store, StoreError

    try:
        return Store(_db_path(args, settings), **{"key_path": _key_path(args, settings), **kwargs})
    except StoreError as exc:
        raise _Unusable(str(exc)) from None


class _Unusable(Exception):
    """The database cannot be opened (its key file is missing, exposed or another center's)."""


def _guarded(
    handler: Callable[[argparse.Namespace, Settings], int],
) -> Callable[[argparse.Namespace, Settings], int]:
    """``handler``, with a database that cannot be opened said in one line (exit code 1)."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace, settings: Settings) -> int:
        try:
            return handler(args, settings)
        except _Unusable as exc:
            return fail(str(exc), 1)

    return run


def _terminal_add(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.store import StoreError
    from kiosk.protocol import HMAC_SHA256, HMAC_SM3, secret_to_hex

    store = _open(args, settings)
    try:
        terminal = store.add_terminal(args.name, HMAC_SM3 if args.sm3 else HMAC_SHA256)
        if args.region is not None or args.unit is not None:
            store.place_terminal(terminal.terminal_id, region=args.region, unit=args.unit)
    except StoreError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
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
        print("The secret is shown this once only: enter it on the terminal now.")
    return 0


def _terminal_list(args: argparse.Namespace, settings: Settings) -> int:
    store = _open(args, settings)
    try:
        rows = [_terminal_row(terminal.summary()) for terminal in store.terminals()]
    finally:
        store.close()
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no terminals (add one with: kiosk center terminal add NAME)")
        return 0
    for row in rows:
        state = ("" if row["enabled"] else " [disabled]") + (
            " [out of service]" if row["out_of_service"] else ""
        )
        print(f"{row['terminal_id']}  {row['name']}  {row['algorithm']}{state}")
        if row["last_heartbeat_at"] is None:
            print("    no heartbeat yet")
            continue
        age = row["outbox_oldest_age_s"]
        print(
            f"    heartbeat {row['last_heartbeat_at']}  version {row['version']}  backlog {row['outbox_backlog']}"
            f"  oldest {'-' if age is None else f'{age:.0f} s'}  devices: {row['devices']}"
        )
    return 0


def _terminal_row(summary: dict[str, Any]) -> dict[str, Any]:
    beat = summary.pop("last_heartbeat") or {}
    devices = beat.get("devices") or []
    troubled = [f"{d.get('role')}: {d.get('health')}" for d in devices if d.get("health") != "ok"]
    summary.update(
        {
            "version": beat.get("version"),
            "role": beat.get("role"),
            "outbox_backlog": beat.get("outbox_backlog"),
            "outbox_oldest_age_s": beat.get("outbox_oldest_age_s"),
            "last_sync_at": beat.get("last_sync_at"),
            "free_disk_bytes": beat.get("free_disk_bytes"),
            "devices": ", ".join(troubled) if troubled else (f"all {len(devices)} ok" if devices else "none"),
            "install": beat.get("install"),
            "out_of_service": beat.get("out_of_service", False),
            "session_open": beat.get("session_open", False),
            "last_heartbeat": beat or None,
        }
    )
    return summary


def _terminal_enable(args: argparse.Namespace, settings: Settings) -> int:
    store = _open(args, settings)
    try:
        found = store.set_enabled(args.terminal_id, args.enabled)
    finally:
        store.close()
    if not found:
        return fail(f"no terminal {args.terminal_id}", 2)
    print(f"{args.terminal_id} {'enabled' if args.enabled else 'disabled'}")
    return 0


def _terminal_place(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.store import StoreError

    store = _open(args, settings)
    try:
        found = store.place_terminal(args.terminal_id, region=args.region, unit=args.unit)
        terminal = store.terminal(args.terminal_id)
    except StoreError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if not found or terminal is None:
        return fail(f"no terminal {args.terminal_id}", 2)
    print(f"{terminal.terminal_id}  region: {terminal.region or '-'}  unit: {terminal.unit or '-'}")
    return 0


def _form_template_problem(document: Any) -> str:
    """Each live template checked as terminals check it (kiosk-form/1); the first problem, naming the entry."""
    from kiosk.domain.forms import FormFormatError, parse_template

    entries = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return 'a form_templates file is {"entries": [...]}'
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.get("deleted") or entry.get("data") is None:
            continue
        try:
            parse_template(entry["data"], key=entry.get("key"), version=entry.get("version"))
        except FormFormatError as exc:
            return f"entries[{index}] ({entry.get('key')}): {exc}"
    return ""


def _publish(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.publish import PublishError, publish_document

    try:
        document = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}")
    except ValueError as exc:
        return fail(f"{args.file} is not JSON: {exc}", 2)
    if args.kind == "catalog":
        from kiosk.domain.catalog import CatalogFormatError
        from kiosk.domain.catalog_format import parse_catalog

        try:
            parse_catalog(document)  # the terminal's own check: a file the terminals would refuse is not sent
        except CatalogFormatError as exc:
            return fail(str(exc), 2)
    elif args.kind == "form_templates":
        problem = _form_template_problem(document)
        if problem:
            return fail(problem, 2)
    store = _open(args, settings)
    try:
        report = publish_document(store, args.kind, document)
    except PublishError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    result = {
        "kind": args.kind,
        "changed": report.changed,
        "unchanged": report.unchanged,
        "stale": report.stale,
    }
    if args.json:
        print_json(result)
    else:
        print(
            f"{args.kind}: {report.changed} published, {report.unchanged} unchanged, {len(report.stale)} stale"
        )
        for key in report.stale[:20]:
            print(f"    stale (a larger version is already published): {key}")
    return 0


def _records(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.masking import masked_body, summary

    store = _open(args, settings)
    try:
        records = store.records(args.kind)
        templates: dict[str, Any] = {}
        for record in records:
            template = record["body"].get("template") if isinstance(record["body"], dict) else None
            code = template.get("code") if isinstance(template, dict) else None
            if record["kind"] == "submission" and isinstance(code, str) and code not in templates:
                templates[code] = store.form_template(code)
            record["body"] = masked_body(record["kind"], record["body"], templates.get(code or ""))
    finally:
        store.close()
    if args.json:
        print_json(records)
        return 0
    if not records:
        print("no records")
        return 0
    for record in records:
        about = record.get("problem") or summary(record["kind"], record["body"])
        print(
            f"{record['record_id']:>6}  {record['received_at']}  {record['terminal_id']}  "
            f"{record['kind']:<10}  {record['idempotency_key']}" + (f"  {about}" if about else "")
        )
    return 0


def _key_show(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.keyfile import describe

    if args.key_file is not None and not args.key_file.is_file():
        return fail(f"no key file at {args.key_file}", 2)
    store = _open(args, settings)
    try:
        shown = {
            "key_file": str(store.key_path),
            **describe(store.keys),
            "database": store.location,
            **store.sealed_counts(),
        }
    finally:
        store.close()
    if args.json:
        print_json(shown)
        return 0
    print(
        f"key file:  {shown['key_file']} ({shown['suite']}, key id {shown['key_id']}, made {shown['created_at']})"
    )
    print(
        f"database:  {shown['database']}: {shown['records']} sealed records, {shown['people']} sealed identities"
    )
    print("The key file opens this database. Keep a copy apart from the database backups (docs/center.md).")
    return 0


def _key_init(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.keyfile import key_path_for

    target, chosen = _db_path(args, settings), _key_path(args, settings)
    existed = (chosen or key_path_for(Path(target))).exists()
    store = _open(args, settings, suite="guomi" if args.guomi else "standard")
    try:
        suite, key_id, key_path = store.keys.suite, store.keys.key_id, store.key_path
    finally:
        store.close()
    if existed and suite != ("guomi" if args.guomi else "standard"):
        return fail(f"{key_path} exists already, with the {suite} suite (a suite cannot be changed)", 2)
    print(
        f"{'kept' if existed else 'created'} {key_path} ({suite}, key id {key_id}); back it up (docs/center.md)"
    )
    return 0


def _case_list(args: argparse.Namespace, settings: Settings) -> int:
    store = _open(args, settings)
    try:
        cases = store.cases(args.id_number)
    except ValueError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if args.json:
        print_json(cases)
        return 0
    if not cases:
        print("no cases")
        return 0
    for case in cases:
        print(
            f"{case['case_id']}  {case['receipt']}  {case['state']}  {case['updated_at']}  "
            f"{case['title']}（{case['department'] or '-'}）"
        )
        note = case["history"][-1]["note"] if case["history"] else ""
        if note:
            print(f"    {note}")
    return 0


def _case_set(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.store import StoreError

    state = CASE_STATE_KEYS.get(args.state, args.state)
    store = _open(args, settings)
    try:
        before = store.case_by_receipt(args.receipt)
        case = store.set_case_state_by_receipt(args.receipt, state, args.note) if before else None
    except StoreError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if case is None:
        return fail(f"no case has the receipt number {args.receipt} (see: kiosk center case list)")
    if args.json:
        print_json(case)
    else:
        print(f"{case['receipt']}: {before['state']} → {case['state']} ({len(case['history'])} steps)")
    return 0


def _identity_code_issue(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.store import StoreError
    from kiosk.domain.identity import mask_id_number, mask_name

    store = _open(args, settings)
    try:
        person, problem = _person_to_issue(args, store)
        if person is None:
            return fail(problem)
        try:
            store.save_person(person)
            issued = store.issue_identity_code(args.id_number, args.ttl)
        except StoreError as exc:
            return fail(str(exc), 2)
    except ValueError as exc:  # an ID number that is not text (a lone surrogate)
        return fail(str(exc), 2)
    finally:
        store.close()
    masked = {"name": mask_name(person["name"]), "id_number": mask_id_number(person["id_number"])}
    if args.json:
        print_json({"code": issued.code, "expires_at": issued.expires_at, **masked})
    else:
        print(issued.code)
        print(f"for {masked['name']} {masked['id_number']}, valid once until {issued.expires_at}")
    if args.qr:
        _print_qr(issued.code, sys.stderr if args.json else sys.stdout)
    return 0


def _print_qr(text: str, out: Any) -> None:
    """The code as a QR code in block characters (dark on light: most terminals show light text on dark)."""
    from kiosk.domain.qr import qr_text

    out.write(qr_text(text, border=2))


def _person_to_issue(args: argparse.Namespace, store: Any) -> tuple[dict[str, Any] | None, str]:
    """The person a code is issued to: as the center knows them, else a sample card's holder, with the options'
    values on top; (None, why) when neither knows them and no --name is given."""
    from kiosk.domain.identity import birth_date_from_id, id_number_problem, mask_id_number

    number = args.id_number.strip().upper()
    base = store.person(number) or _sample_person(number)
    given = {
        key: value
        for key, value in {
            "name": args.name,
            "sex": args.sex,
            "nation": args.nation,
            "birth_date": args.birth_date,
            "address": args.address,
        }.items()
        if value is not None
    }
    if base is None and not given.get("name"):
        return None, (
            f"the center does not know {mask_id_number(number)}: give --name (and --sex, --nation, "
            "--birth-date, --address)"
        )
    person: dict[str, Any] = {
        "name": "",
        "sex": "",
        "nation": "",
        "birth_date": "",
        "address": "",
        **(base or {}),
        **given,
        "id_number": number,
    }
    if len(number) == 18 and not id_number_problem(number):
        born = birth_date_from_id(number)
        person["birth_date"] = person["birth_date"] or (born.isoformat() if born else "")
        person["sex"] = person["sex"] or ("男" if int(number[16]) % 2 else "女")
    return person, ""


def _sample_person(id_number: str) -> dict[str, Any] | None:
    from drivers.idcard.cards import SAMPLES

    for identity in SAMPLES.values():
        if identity.id_number == id_number:
            return _person_of(identity)
    return None
