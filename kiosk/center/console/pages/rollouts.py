"""Rollouts: the latest rollout's rings (members, committed, failed, waiting), its thresholds and why it halted,
the past ones; pause, resume and abort (operators; abort after a confirmation), through ``kiosk.center.rollout`` as
``kiosk center rollout`` does."""

from __future__ import annotations

import json
import logging
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kiosk.center import rollout
from kiosk.center.console.web import Acting, PlainError, audit, console_of, redirect, render
from kiosk.center.store import Store

log = logging.getLogger(__name__)

router = APIRouter()

MEMBERS_SHOWN: Final = 50
PAST_SHOWN: Final = 20
STATE_NAMES: Final = {
    "running": "进行中",
    "paused": "已暂停",
    "halted": "已自动停止",
    "aborted": "已中止",
    "done": "已完成",
}
DONE_MESSAGES: Final = {"pause": "发布已暂停。", "resume": "发布已继续。", "abort": "发布已中止。"}
ACTIONS: Final = {"pause": "rollout_paused", "resume": "rollout_resumed", "abort": "rollout_aborted"}
REFUSALS: Final = {
    "pause": "这次发布现在不能暂停：只有进行中的发布可以暂停。",
    "resume": "这次发布现在不能继续：只有已暂停或已自动停止的发布可以继续。",
    "abort": "这次发布现在不能中止：它已经结束了。",
}


def _context(store: Store) -> dict[str, Any]:
    status = rollout.evaluate(store)
    members: list[list[str]] = []
    if status is not None:
        current = rollout.latest(store)
        assert current is not None
        enabled = [row["id"] for row in store.query("SELECT id FROM terminals WHERE enabled = 1 ORDER BY id")]
        members = rollout.assign_rings(current.rings, current.pilot, current.min_per_ring, enabled)
    past = store.query(
        "SELECT id, version, state, halted_reason, started_at, updated_at, rings FROM rollouts "
        "ORDER BY id DESC LIMIT ?",
        (PAST_SHOWN + 1,),
    )
    return {
        "current": status,
        "members": members,
        "members_shown": MEMBERS_SHOWN,
        "past": [dict(row, rings=", ".join(json.loads(row["rings"]))) for row in past[1:]],
        "state_names": STATE_NAMES,
    }


@router.get("/rollouts")
def rollouts_page(request: Request, done: str = "") -> Response:
    context = _context(console_of(request).store)
    message = DONE_MESSAGES.get(done, "")
    return render(request, "rollouts.html", title="版本发布", message=message, confirm_abort=False, **context)


@router.post("/rollouts/{action}")
async def rollout_action(request: Request, action: str, operator: Acting) -> Response:
    if action not in ACTIONS:
        raise PlainError("没有这个页面。", 404)
    form = await request.form()
    store = console_of(request).store
    if action == "abort" and form.get("confirmed") != "1":
        context = await run_in_threadpool(_context, store)
        return render(request, "rollouts.html", title="版本发布", message="", confirm_abort=True, **context)
    try:
        changed = await run_in_threadpool(getattr(rollout, action), store)
    except rollout.RolloutError as exc:
        log.info("console: rollout %s refused: %s", action, exc)
        raise PlainError(REFUSALS[action], 409) from None
    await run_in_threadpool(audit, request, ACTIONS[action], f"rollout {changed.id}", changed.version)
    return redirect(request, f"/rollouts?done={action}")
