"""Alerts: what needs attention now, critical first, filtered by kind and region, each linked to its terminal, with
the thresholds they are judged by; an admin changes the thresholds here (every change audited). Everything comes
from ``kiosk.center.alerts`` (docs/center.md, "Fleet state, history and alerts"), said in the operator's language
from the facts each alert carries."""

from __future__ import annotations

import time
from typing import Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kiosk.center import alerts
from kiosk.center.console.formats import span
from kiosk.center.console.web import Managing, PlainError, audit, console_of, language_of, redirect, render, t
from kiosk.center.fleet_view import region_choices

router = APIRouter()

KIND_NAMES: Final = {
    "offline": "离线",
    "paper_out": "缺纸",
    "paper_low": "纸将用完",
    "reader_fault": "读卡器故障",
    "device_fault": "设备故障",
    "backlog": "数据积压",
    "crash_loop": "反复崩溃",
}
SEVERITY_NAMES: Final = {"critical": "严重", "warning": "警告"}
# The terminal's device roles (kiosk.services.devices) and health values (kiosk.protocol's DeviceHealth).
DEVICE_NAMES: Final = {
    "id_card": "身份证读卡器",
    "ss_card": "社保卡读卡器",
    "a4": "A4 打印机",
    "ticket": "凭条打印机",
    "scanner": "扫码器",
}
HEALTH_NAMES: Final = {
    "offline": "未连接",
    "paper_low": "纸将用完",
    "paper_out": "缺纸",
    "cover_open": "盖子打开",
    "error": "故障",
}
THRESHOLD_NAMES: Final = {
    "offline_after_s": "多久没有心跳算离线（秒）",
    "backlog_records": "待上传多少条算积压",
    "backlog_age_s": "最早一条等多久算积压（秒）",
    "crash_loop_count": "崩溃几次算反复崩溃",
    "crash_loop_window_s": "在多长时间内（秒）",
}


def detail(request: Request, alert: alerts.Alert) -> str:
    """The alert's detail in the operator's language, from its facts."""
    language = language_of(request)
    if alert.kind == "offline":
        return t(request, "已 {span} 没有心跳", span=span(alert.age_s, language))
    if alert.kind == "backlog":
        if alert.age_s is None:
            return t(request, "{n} 条待上传", n=alert.count)
        return t(
            request, "{n} 条待上传，最早一条已等 {span}", n=alert.count, span=span(alert.age_s, language)
        )
    if alert.kind == "crash_loop":
        parts = [t(request, "{span} 内崩溃 {n} 次", n=alert.count, span=span(alert.age_s, language))]
        if alert.reported_loop:
            parts = [*parts[: 1 if alert.count else 0], t(request, "终端报告反复崩溃")]
        return t(request, "；").join(parts)
    device = t(request, DEVICE_NAMES[alert.device]) if alert.device in DEVICE_NAMES else alert.device
    health = t(request, HEALTH_NAMES[alert.health]) if alert.health in HEALTH_NAMES else alert.health
    shown = t(request, "{device}：{health}", device=device, health=health)
    return f"{shown} ({alert.code})" if alert.code else shown


@router.get("/alerts")
def alerts_page(request: Request, kind: str = "", region: str = "") -> Response:
    chosen = {"kind": kind if kind in alerts.KINDS else "", "region": region.strip()[:200]}
    store = console_of(request).store
    now = time.time()
    summary = alerts.alert_summary(store, now, region=chosen["region"])
    counts = {name: 0 for name in alerts.KINDS}
    for alert in summary.alerts:
        counts[alert.kind] += 1
    shown = [a for a in summary.alerts if not chosen["kind"] or a.kind == chosen["kind"]]

    def link(**changes: str) -> str:
        values = {**chosen, **changes}
        query = urlencode({k: v for k, v in values.items() if v})
        return "?" + query if query else ""

    return render(
        request,
        "alerts.html",
        title="告警",
        rows=[(alert, detail(request, alert)) for alert in shown],
        summary=summary,
        counts=counts,
        critical=sum(1 for a in summary.alerts if a.severity == "critical"),
        chosen=chosen,
        link=link,
        regions=region_choices(store),
        kind_names=KIND_NAMES,
        severity_names=SEVERITY_NAMES,
        thresholds=alerts.thresholds(store),
        threshold_names=THRESHOLD_NAMES,
        number_text=alerts.number_text,
        now=now,
    )


@router.post("/alerts/thresholds")
async def set_thresholds(request: Request, operator: Managing) -> Response:
    form = await request.form()
    store = console_of(request).store
    current = {t.name: t.value for t in await run_in_threadpool(alerts.thresholds, store)}
    wanted: dict[str, str] = {}
    for name in alerts.LIMITS:
        value = form.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            number = alerts.check_threshold(name, value.strip())
        except alerts.ThresholdError:
            low, high, _ = alerts.LIMITS[name]
            raise PlainError(
                "「{what}」应为 {low} 到 {high} 之间的整数。"
                if name in alerts.WHOLE_NUMBERS
                else "「{what}」应为 {low} 到 {high} 之间的数。",
                400,
                what=t(request, THRESHOLD_NAMES[name]),
                low=alerts.number_text(low),
                high=alerts.number_text(high),
            ) from None
        if number is not None and number != current.get(name):
            wanted[name] = value.strip()
    if wanted:
        await run_in_threadpool(alerts.set_thresholds, store, wanted, f"console:{operator.operator}")
        changes = ", ".join(f"{name}={value}" for name, value in wanted.items())
        audit(request, "alert_thresholds_set", "alerts", changes)
    return redirect(request, "/alerts")
