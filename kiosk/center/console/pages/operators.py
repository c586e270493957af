"""Operators (admin): the accounts, adding one, enabling or disabling, changing a role. Every change is audited."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kiosk.center.console import accounts
from kiosk.center.console.web import Managing, PlainError, audit, console_of, redirect, render

router = APIRouter()


def _page(request: Request, message: str = "", status: int = 200, **values: object) -> Response:
    return render(
        request,
        "operators.html",
        status=status,
        title="账号管理",
        accounts=accounts.accounts(console_of(request).store),
        roles=accounts.ROLES,
        message=message,
        message_values=values,
        password_min=accounts.PASSWORD_MIN,
    )


@router.get("/operators")
def operators_page(request: Request) -> Response:
    return _page(request)


def _refusal(exc: accounts.AccountError) -> PlainError:
    text = str(exc)
    if "already" in text:
        return PlainError("已经有同名的操作员。", 409)
    if "password" in text:
        return PlainError("密码至少要 {n} 个字符。", 400, n=accounts.PASSWORD_MIN)
    if "role" in text:
        return PlainError("没有这个角色。", 400)
    if "no operator" in text:
        return PlainError("没有这个操作员。", 404)
    return PlainError("操作员的名字只能用 1 到 64 个汉字、字母、数字或 . _ -。", 400)


@router.post("/operators")
async def add_operator(request: Request, admin: Managing) -> Response:
    form = await request.form()
    name = str(form.get("name") or "").strip()
    role = str(form.get("role") or "")
    password = str(form.get("password") or "")
    store = console_of(request).store
    try:
        await run_in_threadpool(accounts.add, store, name, role, password)
    except accounts.AccountError as exc:
        raise _refusal(exc) from None
    await run_in_threadpool(audit, request, "operator_added", name, f"role={role}")
    return redirect(request, "/operators")


@router.post("/operators/{name}/enabled")
async def set_enabled(request: Request, name: str, admin: Managing) -> Response:
    form = await request.form()
    enabled = form.get("enabled") == "1"
    if name == admin.operator and not enabled:
        raise PlainError("不能停用自己的账号。", 409)
    try:
        await run_in_threadpool(accounts.set_enabled, console_of(request).store, name, enabled)
    except accounts.AccountError as exc:
        raise _refusal(exc) from None
    await run_in_threadpool(audit, request, "operator_enabled" if enabled else "operator_disabled", name)
    return redirect(request, "/operators")


@router.post("/operators/{name}/role")
async def set_role(request: Request, name: str, admin: Managing) -> Response:
    form = await request.form()
    role = str(form.get("role") or "")
    if name == admin.operator and role != "admin":
        raise PlainError("不能取消自己的管理员角色（请另一位管理员来做）。", 409)
    try:
        await run_in_threadpool(accounts.set_role, console_of(request).store, name, role)
    except accounts.AccountError as exc:
        raise _refusal(exc) from None
    await run_in_threadpool(audit, request, "operator_role", name, f"role={role}")
    return redirect(request, "/operators")
