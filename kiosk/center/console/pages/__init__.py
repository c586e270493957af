"""The console's pages, registered in one place: each is a module with an ``APIRouter`` (its routes) and a template
of its own, listed here with its navigation entry (or none) and the least role that may see it. A page's actions
that need more (an operator's command, an admin's account change) ask for it with ``Depends(requires(...))``.

Adding a page (docs/console.md): write ``pages/<name>.py`` with ``router = APIRouter()`` and its routes,
``templates/<name>.html`` extending ``base.html``, the English of its strings in ``en.json``, and one line below.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from kiosk.center.console.pages import alerts, audit_page, fleet, operators, rollouts, terminal, usage_report


@dataclass(frozen=True)
class Page:
    router: APIRouter
    role: str  # viewer | operator | admin: the least role that sees the page
    nav_path: str | None = None  # the navigation entry's path under /console (None: not in the navigation)
    nav_label: str = ""  # its label, Chinese (translated by the catalog)


PAGES: tuple[Page, ...] = (
    Page(fleet.router, "viewer", "/fleet", "终端"),
    Page(terminal.router, "viewer"),
    Page(rollouts.router, "viewer", "/rollouts", "版本发布"),
    Page(alerts.router, "viewer", "/alerts", "告警"),
    Page(operators.router, "admin", "/operators", "账号管理"),
    Page(audit_page.router, "admin", "/audit", "审计日志"),
    Page(usage_report.router, "viewer", "/report", "使用情况通报"),
)
