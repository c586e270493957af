"""The fleet: counts at the top (links that filter), filters and search, one page of terminals. Filter changes and
a refresh every 30 s replace the table through htmx (``HX-Target: fleet-table``) without reloading the page, and the
URL follows (hx-push-url) so a filtered view can be bookmarked. Everything comes from
``kiosk.center.fleet_view.fleet_page``: a few SQL statements whatever the fleet's size."""

from __future__ import annotations

import time
from typing import Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kiosk.center import fleet_view
from kiosk.center.console.web import ROOT, PlainError, console_of, render

router = APIRouter()

PER_PAGE: Final = 50
FILTERS: Final = ("text", "region", "unit", "role", "version", "state")
STATE_NAMES: Final = {
    "": "全部",
    "online": "在线",
    "offline": "离线",
    "fault": "有故障",
    "out_of_service": "暂停服务",
    "backlog": "积压",
    "never": "从未连接",
}
# The counts at the top, in order: the state each one filters by and its label.
COUNTS: Final = (
    ("", "total", "全部"),
    ("online", "online", "在线"),
    ("offline", "offline", "离线"),
    ("fault", "faults", "有故障"),
    ("out_of_service", "out_of_service", "暂停服务"),
    ("never", "never", "从未连接"),
)


@router.get("/fleet")
def fleet_page(
    request: Request,
    text: str = "",
    region: str = "",
    unit: str = "",
    role: str = "",
    version: str = "",
    state: str = "",
    page: int = 1,
) -> Response:
    chosen = {
        "text": text.strip()[:100],
        "region": region[:200],
        "unit": unit[:200],
        "role": role[:64],
        "version": version[:64],
        "state": state if state in fleet_view.STATES else "",
    }
    query = fleet_view.FleetFilter(**chosen, page=max(1, min(page, 100_000)), per_page=PER_PAGE)
    now = time.time()
    try:
        found = fleet_view.fleet_page(console_of(request).store, query, now)
    except ValueError:
        raise PlainError("筛选条件不对，请重新选择。") from None
    pages = max(1, -(-found.matched // PER_PAGE))

    def link(**changes: object) -> str:
        values = {**chosen, "page": 1, **changes}
        return "?" + urlencode({k: v for k, v in values.items() if v not in ("", 1)})

    partial = (
        request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "fleet-table"
    )
    return render(
        request,
        "fleet_table.html" if partial else "fleet.html",
        title="终端",
        found=found,
        chosen=chosen,
        pages=pages,
        link=link,
        page_link=lambda number: f"{ROOT}/fleet{link(page=number)}",
        now=now,
        counts=COUNTS,
        state_names=STATE_NAMES,
        # After a count or page link, the state choice in the filter form follows (out of band).
        sync_form=partial and request.headers.get("HX-Trigger") not in ("filters", "fleet-table"),
    )
