"""How the console words times, ages and states, in the operator's language (Jinja globals, see app.py)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Final

from kiosk.center.console.i18n import translate

HEALTH_NAMES: Final = {
    "ok": "正常",
    "offline": "未连接",
    "paper_low": "纸将用完",
    "paper_out": "缺纸",
    "cover_open": "盖子打开",
    "error": "故障",
}
DEVICE_NAMES: Final = {  # device roles as terminals report them (kiosk.services.devices)
    "id_card": "身份证阅读器",
    "ss_card": "社保卡读卡器",
    "a4": "A4 打印机",
    "ticket": "排队票打印机",
    "receipt": "凭条打印机",
    "scanner": "扫码器",
    "camera": "摄像头",
}
ROLE_NAMES: Final = {"kiosk": "自助终端", "display": "叫号屏", "counter": "窗口", "rating": "评价器"}
COMMAND_NAMES: Final = {
    "restart_program": "重启程序",
    "restart_machine": "重启机器",
    "sync_now": "立即同步",
    "reload_content": "重新载入内容",
    "upload_logs": "上传日志",
    "screenshot": "截屏",
    "notice": "发布通知",
    "out_of_service": "暂停服务",
    "back_in_service": "恢复服务",
}
COMMAND_STATES: Final = {
    "pending": "等待终端执行",
    "done": "已完成",
    "refused": "被终端拒绝",
    "failed": "失败",
    "expired": "已过期",
}
# What terminals report as the reason of a refusal or failure (kiosk.services.ops.commands), in plain words.
RESULT_DETAILS: Final = {
    "a citizen's session is open": "终端上有群众正在办事，未执行",
    "already run once (a replay)": "这条指令已执行过",
    "no center key is pinned": "终端没有登记中心的密钥",
}


def ago(seconds: float | None, language: str) -> str:
    """``3 分钟前`` / ``3 min ago``; ``-`` for never."""
    if seconds is None:
        return "-"
    seconds = max(0.0, seconds)
    if seconds < 90:
        return translate("{n} 秒前", language, n=int(seconds))
    if seconds < 90 * 60:
        return translate("{n} 分钟前", language, n=round(seconds / 60))
    if seconds < 36 * 3600:
        return translate("{n} 小时前", language, n=round(seconds / 3600))
    return translate("{n} 天前", language, n=round(seconds / 86400))


def since(unix: float | None, language: str, now: float | None = None) -> str:
    return ago(None if unix is None else (time.time() if now is None else now) - unix, language)


def span(seconds: float | None, language: str) -> str:
    """An age without "ago": ``2 小时`` / ``2 h``."""
    if seconds is None:
        return "-"
    if seconds < 90:
        return translate("{n} 秒", language, n=int(seconds))
    if seconds < 90 * 60:
        return translate("{n} 分钟", language, n=round(seconds / 60))
    if seconds < 36 * 3600:
        return translate("{n} 小时", language, n=round(seconds / 3600))
    return translate("{n} 天", language, n=round(seconds / 86400))


def clock(iso: str | None, short: bool = False) -> str:
    """An ISO time as ``2026-12-06 13:55`` in the center's time zone (``short``: ``12-06 13:55``; the text as
    given when unreadable)."""
    if not iso:
        return "-"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M")
    except ValueError:
        return iso[:16]
