"""The monthly usage report (每月通报, docs/usage.md): a month and a region chosen, the tables per unit and terminal,
the most used services and the searches that found nothing, and the same report as a CSV file for Excel. Everything
comes from ``kiosk.center.usage.monthly_report``, as ``kiosk center report`` prints it."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kiosk.center.console.web import PlainError, audit, console_of, render
from kiosk.center.usage import (
    LEVEL_NAMES,
    ReportError,
    UsageReport,
    monthly_report,
    percent,
    report_csv,
)

router = APIRouter()


def _last_month() -> str:
    return f"{date.today().replace(day=1) - timedelta(days=1):%Y-%m}"


def _report(request: Request, month: str, region: str) -> UsageReport:
    try:
        return monthly_report(console_of(request).store, month[:7], region[:200])
    except ReportError:
        raise PlainError("月份不对：请选择已经开始的月份（例如 2026-11）。") from None


def _regions(request: Request) -> list[str]:
    """Every region a terminal stands in, with the regions above it (清远市 for 清远市/清新区)."""
    found: set[str] = set()
    for row in console_of(request).store.query("SELECT DISTINCT region FROM terminals WHERE region <> ''"):
        parts = str(row["region"]).split("/")
        found.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    return sorted(found)


@router.get("/report")
def report_page(request: Request, month: str = "", region: str = "") -> Response:
    month = month or _last_month()
    report = _report(request, month, region)
    query = urlencode({"month": report.month, "region": report.region})
    return render(
        request,
        "usage_report.html",
        title="使用情况通报",
        report=report,
        regions=_regions(request),
        levels=list(LEVEL_NAMES.values()),
        percent=percent,
        csv_link=f"report.csv?{query}",
    )


@router.get("/report.csv")
def report_csv_download(request: Request, month: str = "", region: str = "") -> Response:
    report = _report(request, month or _last_month(), region)
    audit(request, "report_downloaded", report.month, report.region or "全部地区")
    name = f"usage-{report.month}{'-' + report.region.replace('/', '-') if report.region else ''}.csv"
    return Response(
        report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f"attachment; filename=\"usage-{report.month}.csv\"; filename*=UTF-8''{quote(name)}"
        },
    )
