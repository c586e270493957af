"""The audit log: who did what to what, when and from where. Every action of the console (sign-in, sign-out and
failures, commands sent, rollouts paused, resumed or aborted, accounts changed, uploads viewed) and of
``kiosk center operator`` goes through :func:`audit`; admins read it on the console's audit page."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Final

from kiosk.center.store import Store, now_iso

log = logging.getLogger(__name__)

DETAIL_MAX: Final = 1000
# What the audit page calls each action (Chinese; the catalog has the English).
ACTION_NAMES: Final = {
    "sign_in": "登录",
    "sign_in_failed": "登录失败",
    "sign_in_throttled": "登录被暂时阻止",
    "sign_out": "退出",
    "command_sent": "发送指令",
    "command_refused": "指令被拒绝",
    "rollout_paused": "暂停发布",
    "rollout_resumed": "继续发布",
    "rollout_aborted": "中止发布",
    "operator_added": "添加操作员",
    "operator_enabled": "启用操作员",
    "operator_disabled": "停用操作员",
    "operator_role": "更改角色",
    "operator_password": "更改密码",
    "upload_viewed": "查看上传文件",
    "settings_changed": "更改设置",
}


@dataclass(frozen=True)
class AuditEntry:
    at: str
    operator: str
    action: str
    target: str
    detail: str
    address: str


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    matched: int
    page: int
    per_page: int
    actions: tuple[str, ...]


def audit(
    store: Store, operator: str, action: str, target: str = "", detail: str = "", address: str = ""
) -> None:
    """Record one action (``operator`` is the account's name; ``-`` where nobody is signed in)."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO audit_log (at, at_unix, operator, action, target, detail, address) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                now_iso(),
                time.time(),
                operator[:64],
                action[:64],
                target[:200],
                detail[:DETAIL_MAX],
                address[:64],
            ),
        )
    log.info("audit: %s %s %s %s", operator, action, target, detail[:200])


def entries(
    store: Store,
    *,
    operator: str = "",
    action: str = "",
    target: str = "",
    page: int = 1,
    per_page: int = 50,
) -> AuditPage:
    """The newest entries first, filtered by exact operator and action and by a target's beginning."""
    where, params = [], []
    if operator:
        where.append("operator = ?")
        params.append(operator)
    if action:
        where.append("action = ?")
        params.append(action)
    if target:
        where.append("target LIKE ? ESCAPE '\\'")
        params.append(target.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    clause = (
        f"WHERE {' AND '.join(where)}" if where else ""
    )  # clause: fixed texts above, values as parameters
    page = max(1, page)
    per_page = min(max(1, per_page), 200)
    matched = int(store.query(f"SELECT count(*) AS n FROM audit_log {clause}", params)[0]["n"] or 0)
    rows = store.query(
        f"SELECT * FROM audit_log {clause} ORDER BY seq DESC LIMIT ? OFFSET ?",
        (*params, per_page, (page - 1) * per_page),
    )
    actions = tuple(
        row["action"] for row in store.query("SELECT DISTINCT action FROM audit_log ORDER BY action")
    )
    return AuditPage(
        entries=tuple(
            AuditEntry(
                row["at"], row["operator"], row["action"], row["target"], row["detail"], row["address"]
            )
            for row in rows
        ),
        matched=matched,
        page=page,
        per_page=per_page,
        actions=actions,
    )
