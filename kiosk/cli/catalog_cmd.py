"""``kiosk catalog``: import the center's catalog file, search and inspect the local cache."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.output import fail, print_json, to_jsonable
from kiosk.config import Settings
from kiosk.logs import setup_logging

if TYPE_CHECKING:
    from kiosk.services.terminal import Terminal

# The catalog's modules load only when a catalog command runs; `kiosk run` starts without them. A database that
# cannot be used is reported by the command line's one plain line (kiosk.cli.failure).


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "catalog",
        help="import, search and inspect the cached service catalog",
        description="The terminal's cached service catalog (事项目录).",
    )
    commands = parser.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    p = commands.add_parser(
        "import",
        help="import a catalog file (kiosk-catalog/1 JSON)",
        description="Import a catalog file. Newer versions replace older ones, tombstones "
        "delete; a malformed file is rejected whole and the cache stays as it was.",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=_import)

    p = commands.add_parser(
        "search",
        help="search the cached catalog as the touch UI does",
        description="Ranked search: Chinese, full pinyin (shebaoka), initials (sbk), mixed "
        "(社保k). Ranks: exact name, name prefix, name, keyword, guide text.",
    )
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20, help="most results to print (default 20)")
    p.add_argument("--json", action="store_true", help="print results as JSON")
    p.set_defaults(handler=_search)

    p = commands.add_parser("stats", help="what the cache holds")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_stats)

    p = commands.add_parser(
        "demo",
        help="write the generated demo catalog to a file",
        description="Write the reproducible demo catalog (kiosk-catalog/1) to FILE.",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--count", type=int, default=5200, help="number of items (default 5200)")
    p.add_argument("--seed", type=int, default=20261122, help="random seed (default 20261122)")
    p.set_defaults(handler=_demo)


def _open(settings: Settings) -> Terminal:
    from kiosk.services.terminal import Terminal  # the cache's modules load only for commands that use them

    setup_logging(settings.log_dir, settings.log_level)
    return Terminal.open(settings)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.domain.catalog import CatalogFormatError

    with _open(settings) as terminal:
        try:
            report = terminal.catalog.import_file(args.file)
        except CatalogFormatError as exc:
            return fail(f"{exc.plain}；本机目录保持不变")
    if args.json:
        print_json({**to_jsonable(report), "changed": report.changed})
    else:
        print(
            f"imported {args.file}: {report.added} added, {report.replaced} replaced, {report.deleted} deleted, "
            f"{report.unchanged} unchanged; {report.items} items in the cache"
        )
    if not report.refused:
        return 0
    for refusal in report.refused[:_REFUSALS_SHOWN]:
        print(f"kiosk: {refusal.plain}", file=sys.stderr)
    more = len(report.refused) - _REFUSALS_SHOWN
    if more > 0:
        print(f"kiosk: 另有 {more} 项未导入，详见日志", file=sys.stderr)
    return fail(f"{len(report.refused)} 项未导入（见上），其余已导入；请让中心修正后重新发布")


_REFUSALS_SHOWN = 20


def _search(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.store.integrity import CATALOG

    with _open(settings) as terminal:
        terminal.database.require(CATALOG)
        result = terminal.catalog.search(args.query, limit=args.limit)
    if args.json:
        print_json(
            [
                {"code": h.code, "name": h.name, "department": h.department, "match": h.match}
                for h in result.hits
            ]
        )
        return 0
    more = "+" if result.truncated else ""
    print(f"{result.total}{more} items match {args.query!r}")
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank:3d}. {hit.name}  [{hit.department}]  {hit.code}  ({hit.match})")
    return 0


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    with _open(settings) as terminal:
        stats = terminal.catalog.stats()
    if args.json:
        print_json(stats)
    else:
        for name in stats.__slots__:
            print(f"{name}: {getattr(stats, name)}")
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.services.catalog.demo import write_catalog

    count = write_catalog(args.file, count=args.count, seed=args.seed)
    print(f"wrote {count} demo items to {args.file}")
    return 0
