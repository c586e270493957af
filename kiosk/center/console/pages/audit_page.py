"""The audit log (admin): newest first, filtered by operator, action and target, in pages."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kiosk.center.console import accounts
from kiosk.center.console import audit as audit_log
from kiosk.center.console.web import console_of, render

router = APIRouter()
PER_PAGE = 50


@router.get("/audit")
def audit_page(
    request: Request, operator: str = "", action: str = "", target: str = "", page: int = 1
) -> Response:
    store = console_of(request).store
    found = audit_log.entries(
        store, operator=operator[:64], action=action[:64], target=target[:200], page=page, per_page=PER_PAGE
    )
    pages = max(1, -(-found.matched // PER_PAGE))
    return render(
        request,
        "audit.html",
        title="审计日志",
        found=found,
        operators=[account.name for account in accounts.accounts(store)],
        chosen={"operator": operator, "action": action, "target": target},
        pages=pages,
        action_names=audit_log.ACTION_NAMES,
        link=lambda number: (
            "?" + urlencode({"operator": operator, "action": action, "target": target, "page": number})
        ),
    )
