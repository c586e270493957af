"""``kiosk center report``: the month's anonymous usage per unit and terminal (每月通报, docs/usage.md)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings


def register_report(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    db_option: Callable[[argparse.ArgumentParser], None],
    guarded: Callable[[Any], Any],
) -> None:
    p = commands.add_parser(
        "report",
        help="the monthly usage report (每月通报): per unit and terminal, as a table, JSON or CSV",
        description="The month's anonymous usage of the terminals of a region (and the regions under it): "
        "sessions, guides viewed and printed, forms, tickets, ratings by level, availability (the share of "
        "opening hours a terminal was online and in service; one that sent nothing was not available), faults, "
        "the most used services and the searches that found nothing (a text only when several sessions "
        "searched it). CSV is UTF-8 with a byte order mark, so Excel opens the Chinese correctly.",
    )
    db_option(p)
    p.add_argument("--month", required=True, help="the month, YYYY-MM (e.g. 2026-11)")
    p.add_argument(
        "--region", default="", help="a region, e.g. 清远市 (takes 清远市/清新区 too); default: all"
    )
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print as JSON")
    shape.add_argument("--csv", action="store_true", help="print as CSV (UTF-8 with BOM, for Excel)")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(handler=guarded(_report))


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.center.usage import ReportError, monthly_report, report_csv, report_json
    from kiosk.cli.center_cmd import _open

    store = _open(args, settings)
    try:
        report = monthly_report(store, args.month, args.region)
    except ReportError as exc:
        return fail(str(exc), 2)
    finally:
        store.close()
    if args.json:
        if args.out:
            import json

            with open(args.out, "w", encoding="utf-8") as out:
                json.dump(report_json(report), out, ensure_ascii=False, indent=2)
        else:
            print_json(report_json(report))
        return 0
    if args.csv:
        data = report_csv(report)
        if args.out:
            with open(args.out, "wb") as out:
                out.write(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0
    lines = _table_lines(report)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    else:
        print("\n".join(lines))
    return 0


def _table_lines(report: Any) -> list[str]:
    from kiosk.center.usage import TABLE_COLUMNS, percent, table_cells

    where = report.region or "全部地区"
    lines = [f"{report.month} 自助终端使用情况（{where}）"]
    if report.empty:
        lines.append(
            f"本月没有终端上报使用数据（{report.total.terminals} 台终端）：终端联网同步后才会有数据。"
            if report.total.terminals
            else "这个地区没有终端。"
        )
        return lines
    total = report.total
    lines.append(
        f"{total.terminals} 台终端，{total.reporting} 台上报；会话 {total.sessions}，可用率 {percent(total.availability)}"
    )
    for title, rows in (("按单位", report.units), ("按终端", report.terminals)):
        lines += ["", title, *_table(TABLE_COLUMNS, [table_cells(r) for r in rows])]
    if total.services:
        lines += ["", "常用事项（前 20）"]
        lines += _table(
            ("事项", "名称", "浏览", "打印"),
            [[s.code, s.name, str(s.viewed), str(s.printed)] for s in total.services],
        )
    lines += ["", f"无结果的搜索（至少 {report.min_sessions} 次会话）"]
    lines += (
        _table(("搜索词", "会话"), [[t.text, str(t.sessions)] for t in report.searches])
        if report.searches
        else ["（没有）"]
    )
    return lines


def _table(header: Sequence[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in (list(header), *rows)) for i in range(len(header))]
    return [
        "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
        for row in (list(header), *rows)
    ]


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
