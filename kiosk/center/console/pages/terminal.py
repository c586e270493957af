"""One terminal: its facts, devices, the last 24 hours as a chart, recent commands with their results, the latest
screenshot and uploaded log, and (for operators) the commands of the operations layer. A command goes through the
same functions as ``kiosk center command send`` (``fleet.chosen_terminals``, ``commands.queue``); restarting the
program or the machine and taking the terminal out of service ask for a confirmation first. While a command is
pending the list is polled (htmx) until the terminal's heartbeat reports its result."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kiosk.center import commands, fleet, fleet_view, history, pushed_settings, rollout, uploads
from kiosk.center.console.chart import history_svg
from kiosk.center.console.formats import COMMAND_NAMES
from kiosk.center.console.web import Acting, PlainError, audit, console_of, is_htmx, language_of, render
from kiosk.center.store import Store

log = logging.getLogger(__name__)

router = APIRouter()

CONFIRM: Final = frozenset({"restart_program", "restart_machine", "out_of_service"})
# The buttons, in order; those with arguments have a small form of their own in the template.
SIMPLE: Final = (
    "sync_now",
    "reload_content",
    "screenshot",
    "back_in_service",
    "restart_program",
    "restart_machine",
)
RECENT_COMMANDS: Final = 15
POLL_S: Final = 2
ARGUMENT_PROBLEMS: Final = {
    "notice": "通知要有标题（最多 200 字），正文最多 2000 字，显示 1 到 720 小时。",
    "upload_logs": "上传日志的小时数是 1 到 72。",
    "out_of_service": "暂停服务的说明最多 500 字。",
}


def _known(store: Store, terminal_id: str) -> fleet_view.FleetRow:
    row = fleet_view.terminal_row(store, terminal_id)
    if row is None:
        raise PlainError("没有这个终端：{terminal}。请回到终端列表查找。", 404, terminal=terminal_id[:64])
    return row


def _commands_context(store: Store, terminal_id: str) -> dict[str, Any]:
    listed = commands.listed(store, terminal_id, RECENT_COMMANDS)
    return {
        "terminal_id": terminal_id,
        "commands": listed,
        "pending": any(row["state"] == "pending" for row in listed),
        "poll_s": POLL_S,
    }


def _page_context(store: Store, terminal_id: str, language: str) -> dict[str, Any]:
    row = _known(store, terminal_id)
    terminal = store.terminal(terminal_id)
    beat = (terminal.last_heartbeat if terminal else None) or {}
    settings_version, _values = pushed_settings.layer(store, terminal_id)
    now = time.time()
    points = history.terminal_history(store, terminal_id, 24, now)
    kept = {upload["kind"]: upload for upload in uploads.latest(store, terminal_id)}
    return {
        "row": row,
        "beat": beat,
        "install": beat.get("install") or {},
        "group": fleet.group_of(store, terminal_id),
        "target_version": rollout.target_for(store, terminal_id),
        "settings_version": settings_version,
        "chart": history_svg(points, now, 24, language),
        "now": now,
        "screenshot": kept.get("screenshot"),
        "logs": kept.get("upload_logs"),
        "simple_commands": SIMPLE,
        "confirm_kinds": CONFIRM,
        **_commands_context(store, terminal_id),
    }


@router.get("/terminals/{terminal_id}")
def terminal_page(request: Request, terminal_id: str) -> Response:
    store = console_of(request).store
    context = _page_context(store, terminal_id, language_of(request))
    return render(request, "terminal.html", title="终端", message="", confirm=None, **context)


@router.get("/terminals/{terminal_id}/commands")
def commands_list(request: Request, terminal_id: str) -> Response:
    store = console_of(request).store
    _known(store, terminal_id)
    return render(request, "terminal_commands.html", title="终端", **_commands_context(store, terminal_id))


def _arguments(kind: str, form: Any) -> dict[str, Any]:
    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def number(name: str, default: int) -> int | str:
        value = text(name)
        return int(value) if value.isdigit() else (value or default)

    if kind == "notice":
        return {
            "title": text("title"),
            "body": text("body"),
            "level": text("level") or "info",
            "hours": number("hours", 24),
        }
    if kind == "upload_logs":
        return {"hours": number("hours", 1)}
    if kind == "out_of_service":
        return {"message": text("message")}
    return {}


@router.post("/terminals/{terminal_id}/commands")
async def send_command(request: Request, terminal_id: str, operator: Acting) -> Response:
    form = await request.form()
    kind = str(form.get("kind") or "")
    store = console_of(request).store
    if kind not in COMMAND_NAMES:
        raise PlainError("没有这种指令。", 400)
    arguments = _arguments(kind, form)
    confirmed = form.get("confirmed") == "1"
    if kind in CONFIRM and not confirmed:
        confirm = {"kind": kind, "arguments": arguments}
        return await _answer(request, terminal_id, message="", confirm=confirm)
    try:
        queued = await run_in_threadpool(_queue, store, terminal_id, kind, arguments)
    except fleet.FleetError:
        raise PlainError(
            "没有这个终端：{terminal}。请回到终端列表查找。", 404, terminal=terminal_id[:64]
        ) from None
    except commands.CommandError as exc:
        log.info("console: command %s for %s refused: %s", kind, terminal_id, exc)
        await run_in_threadpool(audit, request, "command_refused", terminal_id, f"{kind}: {exc}")
        raise PlainError(ARGUMENT_PROBLEMS.get(kind, "指令的内容不对。"), 400) from None
    detail = f"{kind} {json.dumps(queued['args'], ensure_ascii=False)}" if queued["args"] else kind
    await run_in_threadpool(audit, request, "command_sent", terminal_id, f"{detail} id={queued['id']}")
    return await _answer(request, terminal_id, message=kind, confirm=None)


def _queue(store: Store, terminal_id: str, kind: str, arguments: dict[str, Any]) -> dict[str, Any]:
    chosen = fleet.chosen_terminals(store, terminals=[terminal_id])
    return commands.queue(store, chosen, kind, arguments)[0]


async def _answer(
    request: Request, terminal_id: str, *, message: str, confirm: dict[str, Any] | None
) -> Response:
    """For htmx the result area (and the commands list, out of band); for a plain form the whole page."""
    store = console_of(request).store
    if is_htmx(request):
        context = await run_in_threadpool(_commands_context, store, terminal_id)
        await run_in_threadpool(_known, store, terminal_id)
        return render(
            request, "terminal_command_result.html", title="终端", message=message, confirm=confirm, **context
        )
    context = await run_in_threadpool(_page_context, store, terminal_id, language_of(request))
    return render(request, "terminal.html", title="终端", message=message, confirm=confirm, **context)


def _upload(request: Request, terminal_id: str, kind: str) -> tuple[bytes, dict[str, Any]]:
    store = console_of(request).store
    _known(store, terminal_id)
    kept = {upload["kind"]: upload for upload in uploads.latest(store, terminal_id)}.get(kind)
    if kept is None:
        raise PlainError("这台终端还没有上传过这个文件。", 404)
    try:
        body = Path(kept["file"]).read_bytes()
    except OSError as exc:
        log.error("console: upload %s of %s cannot be read: %s", kind, terminal_id, exc)
        raise PlainError("这个文件读不出来了；详情已记在中心的日志里。", 500) from None
    audit(request, "upload_viewed", terminal_id, f"{kind} sha256={kept['sha256'][:16]}")
    return body, kept


@router.get("/terminals/{terminal_id}/screenshot")
def screenshot(request: Request, terminal_id: str) -> Response:
    body, _kept = _upload(request, terminal_id, "screenshot")
    return Response(body, media_type="image/png", headers={"Content-Disposition": "inline"})


@router.get("/terminals/{terminal_id}/logs")
def logs(request: Request, terminal_id: str) -> Response:
    body, kept = _upload(request, terminal_id, "upload_logs")
    name = re.sub(r"[^0-9A-Za-z_.-]", "_", f"{terminal_id}-logs-{kept['received_at'][:10]}.txt")
    return Response(
        body,
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
