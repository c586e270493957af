"""What a command prints when it fails in a way it did not handle itself: one plain line in Chinese on standard
error (``kiosk: ...``), the technical detail and the traceback in the log, and a non-zero exit status. Never a
traceback on the console: an operator reads the line, support reads the log."""

from __future__ import annotations

import logging
import sqlite3
import sys

from kiosk.config import Settings

log = logging.getLogger("kiosk.cli")

EXIT_FAILED = 1


def plain_failure(exc: BaseException, settings: Settings) -> str:
    """The one line an operator reads for ``exc``; the detail is logged here."""
    from kiosk.domain.catalog import CatalogFormatError
    from kiosk.store.integrity import DatabaseDamaged, DatabaseError, is_damage, parts_of

    if isinstance(exc, DatabaseError):
        log.error("%s (%s)", exc.plain, exc.detail, exc_info=exc)
        return exc.plain
    if isinstance(exc, sqlite3.DatabaseError) and is_damage(exc):
        from kiosk.store.database import check_quietly

        problems = check_quietly(settings.database_path)
        damaged = DatabaseDamaged(parts_of(problems), str(exc), settings.database_path)
        log.error("%s (%s; %s)", damaged.plain, exc, problems, exc_info=exc)
        return damaged.plain
    if isinstance(exc, sqlite3.Error):
        log.error("database error: %s", exc, exc_info=exc)
        return f"本机数据库出错（{exc}）：请稍后重试；仍不行请联系运维支持，详见日志"
    if isinstance(exc, CatalogFormatError):
        log.error("%s", exc, exc_info=exc)
        return exc.plain
    if isinstance(exc, RecursionError):  # input nested deeper than the interpreter's stack (JSON, say)
        log.error("nested too deep", exc_info=exc)
        return "输入的数据嵌套层数过多，不是有效的内容，操作未完成：请检查所给的文件"
    if isinstance(exc, MemoryError):
        log.error("out of memory", exc_info=exc)
        return "内存不足，操作未完成：请关闭其他程序后重试"
    if isinstance(exc, OSError):
        log.error("%s", exc, exc_info=exc)
        where = f"：{exc.filename}" if exc.filename else ""
        return f"文件或设备操作失败（{exc.strerror or exc}）{where}"
    log.error("unexpected failure", exc_info=exc)
    return f"程序内部出错（{type(exc).__name__}），操作未完成：详见日志 {settings.log_dir}，并联系运维支持"


def report_failure(exc: BaseException, settings: Settings) -> int:
    """Log ``exc`` with its traceback and print its one plain line; returns the exit status."""
    _ensure_log_file(settings)
    print(f"kiosk: {plain_failure(exc, settings)}", file=sys.stderr)
    return EXIT_FAILED


def _ensure_log_file(settings: Settings) -> None:
    """The log file, if the command had not set it up yet (without one, Python would print to the console)."""
    root = logging.getLogger()
    if any(getattr(h, "_kiosk", False) for h in root.handlers):
        return
    try:
        from kiosk.logs import setup_logging

        setup_logging(settings.log_dir, settings.log_level)
    except OSError:
        root.addHandler(logging.NullHandler())  # the line on the console is all there is
