"""Signing in and out, and the language switch: the routes of the mechanism that work without a session (their
forms carry the sign-in form's CSRF token, checked by ``web.guard``)."""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kiosk.center.console import accounts, sessions, throttle
from kiosk.center.console.web import (
    LANGUAGE_COOKIE,
    PRE_COOKIE,
    address_of,
    audit,
    console_of,
    language_of,
    redirect,
    render,
    session_of,
    set_cookie,
)

log = logging.getLogger(__name__)

router = APIRouter()
HOME = "/fleet"


def _safe_next(value: object) -> str:
    """Where to go after signing in: a path of this console only (never another site)."""
    text = value if isinstance(value, str) else ""
    if not text.startswith("/") or text.startswith("//") or "\\" in text or text.startswith("/signin"):
        return HOME
    return text[:500]


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    return redirect(request, HOME if session_of(request) else "/signin")


@router.get("/signin")
def sign_in_page(request: Request, next: str = "") -> Response:
    if session_of(request) is not None:
        return redirect(request, _safe_next(next))
    return render(request, "signin.html", title="登录", next=_safe_next(next), name="", message="", wait=0)


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    name = str(form.get("name") or "").strip()[:64]
    password = str(form.get("password") or "")
    wanted = _safe_next(form.get("next"))
    store = console_of(request).store
    address = address_of(request)
    now = time.time()
    wait = await run_in_threadpool(throttle.wait_s, store, name, address, now)
    if wait > 0:
        await run_in_threadpool(audit, request, "sign_in_throttled", name, "", "-")
        return render(
            request,
            "signin.html",
            status=429,
            title="登录",
            next=wanted,
            name=name,
            message="登录失败次数太多。请 {minutes} 分钟后再试。",
            wait=throttle.wait_minutes(wait),
        )
    account = await run_in_threadpool(accounts.verify, store, name, password) if name and password else None
    if account is None:
        await run_in_threadpool(throttle.failed, store, name, address, now)
        await run_in_threadpool(audit, request, "sign_in_failed", name, "", "-")
        return render(
            request,
            "signin.html",
            status=401,
            title="登录",
            next=wanted,
            name=name,
            message="用户名或密码不对，或者账号已停用。",
            wait=0,
        )
    await run_in_threadpool(throttle.cleared, store, name)
    token = await run_in_threadpool(
        sessions.open_session, store, account.name, language_of(request), address, now
    )
    await run_in_threadpool(audit, request, "sign_in", account.name, "", account.name)
    response = redirect(request, wanted)
    set_cookie(request, response, sessions.COOKIE, token)
    response.delete_cookie(PRE_COOKIE, path="/console")
    return response


@router.post("/signout")
def sign_out(request: Request) -> Response:
    session = session_of(request)
    token = request.cookies.get(sessions.COOKIE, "")
    if session is not None:
        sessions.close_session(console_of(request).store, token)
        audit(request, "sign_out", session.operator)
    response = redirect(request, "/signin")
    response.delete_cookie(sessions.COOKIE, path="/console")
    return response


@router.post("/language")
async def choose_language(request: Request) -> Response:
    form = await request.form()
    language = str(form.get("lang") or "")
    if language not in sessions.LANGUAGES:
        language = "zh"
    session = session_of(request)
    if session is not None:
        await run_in_threadpool(
            sessions.set_language, console_of(request).store, session.token_hash, language
        )
    back = form.get("next")
    response = redirect(request, _safe_next(back) if isinstance(back, str) and back.startswith("/") else HOME)
    if session is None:
        response = redirect(request, "/signin")
    set_cookie(request, response, LANGUAGE_COOKIE, language, max_age=365 * 86400)
    return response
