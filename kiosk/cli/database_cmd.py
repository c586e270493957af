"""``kiosk database``: check the terminal's database, repair a damaged one, acknowledge a replaced one.

See docs/operations.md, "When the database is damaged or replaced".
"""

from __future__ import annotations

import argparse
import sys

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings
from kiosk.logs import setup_logging


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "database",
        help="check, repair or acknowledge the terminal's local database",
        description="The terminal's SQLite database (kiosk.db in the data directory): the catalog cache, the "
        "outbox of records waiting for the center, the sync state. Stop the terminal before 'repair'.",
    )
    commands = parser.add_subparsers(dest="database_command", metavar="ACTION", required=True)
    p = commands.add_parser(
        "check",
        help="SQLite's full check of every table; says what is damaged and whether the database was replaced",
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_check)
    p = commands.add_parser(
        "repair",
        help="keep a damaged database aside and build a new one with what can be read",
        description="Rename the damaged kiosk.db to kiosk.db.damaged-<time> (kept for support, never "
        "deleted), create a new database, and carry over what can be read: intact parts whole, every readable "
        "row of a damaged outbox. A damaged catalog comes again from the center (kiosk sync once) or its file. "
        "Stop the terminal first.",
    )
    p.add_argument("--force", action="store_true", help="rebuild even if the check finds nothing damaged")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=_repair)
    p = commands.add_parser(
        "acknowledge",
        help="clear the notice that the database the terminal used was replaced",
        description="After the terminal noticed that its database was replaced (missing, emptied or another "
        "file), it says so at every start and in 'kiosk sync status' until this is run.",
    )
    p.set_defaults(handler=_acknowledge)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.store.database import check_quietly
    from kiosk.store.database_marker import current_replacement
    from kiosk.store.integrity import damage_message, describe, parts_of

    setup_logging(settings.log_dir, settings.log_level)
    path = settings.database_path
    if not path.exists():
        return fail(f"本机数据库 {path} 不存在（终端尚未使用过，或数据库已被移走）")
    problems = check_quietly(path)
    replaced = current_replacement(path)
    if args.json:
        print_json(
            {
                "database": str(path),
                "damaged": sorted(parts_of(problems)),
                "problems": problems,
                "replaced": replaced.plain if replaced else None,
            }
        )
    else:
        print(f"database: {path}")
        print("check: ok" if not problems else f"check: {describe(problems)}")
    if replaced is not None:
        print(f"kiosk: {replaced.plain}", file=sys.stderr)
    if problems:
        return fail(damage_message(parts_of(problems), path))
    return 1 if replaced is not None else 0


def _repair(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.store.integrity import OUTBOX, RECORDS, part_of
    from kiosk.store.migrations import MIGRATIONS
    from kiosk.store.repair import repair

    setup_logging(settings.log_dir, settings.log_level)
    report = repair(settings.database_path, MIGRATIONS, force=args.force)
    if args.json:
        print_json(
            {
                "repaired": report.repaired,
                "problems": report.problems,
                "kept_at": str(report.kept_at) if report.kept_at else None,
                "tables": report.tables,
                "catalog_kept": report.catalog_kept,
                "cursors_kept": report.cursors_kept,
            }
        )
    if not report.repaired:
        if not args.json:
            print("本机数据库完好，无需修复")
        return 0
    if not args.json:
        print(f"损坏的数据库已另存为 {report.kept_at}（请保留，勿删除），已新建数据库")
        for table in report.tables:
            state = "（已损坏，部分记录未能读出）" if table.damaged and not table.complete else ""
            print(f"  {table.table}: 带过 {table.copied} 行{state}")
        if not report.catalog_kept:
            print("事项目录需要重新获取：已登记中心的终端运行 kiosk sync once，否则重新导入目录文件")
    lost = [
        t.table
        for t in report.tables
        if part_of(t.table) in (OUTBOX, RECORDS) and t.damaged and not t.complete
    ]
    if report.notes or lost:
        return fail(
            "部分待上传记录或回执编号记录未能读出：请把另存的文件交给运维支持恢复（例如用 sqlite3 的 .recover），"
            "在此之前本终端给出的回执编号可能与之前重复"
        )
    return 0


def _acknowledge(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.store.database_marker import acknowledge

    setup_logging(settings.log_dir, settings.log_level)
    replaced = acknowledge(settings.database_path)
    if replaced is None:
        print("没有需要确认的数据库替换提示")
    else:
        print(f"已确认并消除提示：{replaced.plain}")
    return 0
