"""The console as an application of its own, mounted on the center's at /console (``mount``, one line in
``kiosk.center.app.create_app``): its templates, static files and English catalog are read from the package with
importlib.resources (so a wheel and the frozen bundle find them), its pages come from one registry
(``kiosk.center.console.pages``), and every response carries the security headers.

Errors never reach the operator as a traceback: a plain page (or, for htmx, a plain fragment) says what happened
in their language; the detail goes to the log.
"""

from __future__ import annotations

import functools
import logging
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Final

import jinja2
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.center.console import settings
from kiosk.center.console.web import (
    Console,
    CsrfRefused,
    Forbidden,
    NavEntry,
    NotSignedIn,
    PlainError,
    find_session,
    guard,
    is_htmx,
    render,
    requires,
    sign_in_redirect,
)
from kiosk.center.store import Store

log = logging.getLogger(__name__)

CSP: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
STATIC_TYPES: Final = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


def _package() -> Traversable:
    return files("kiosk.center.console")


class _ResourceLoader(jinja2.BaseLoader):
    """Templates from the package's ``templates`` folder, wherever the package lives (folder, wheel, bundle)."""

    def __init__(self, root: Traversable) -> None:
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        path = self.root
        for part in template.split("/"):
            if part in ("", ".", ".."):
                raise jinja2.TemplateNotFound(template)
            path = path / part
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            raise jinja2.TemplateNotFound(template) from None
        return source, None, lambda: True


def environment() -> jinja2.Environment:
    from kiosk.center.console import formats, i18n

    env = jinja2.Environment(
        loader=_ResourceLoader(_package() / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    @jinja2.pass_context
    def t(context: jinja2.runtime.Context, text: str, **values: Any) -> str:
        return i18n.translate(text, context.get("lang", "zh"), **values)

    @jinja2.pass_context
    def since(context: jinja2.runtime.Context, unix: float | None, now: float | None = None) -> str:
        return formats.since(unix, context.get("lang", "zh"), now)

    @jinja2.pass_context
    def span(context: jinja2.runtime.Context, seconds: float | None) -> str:
        return formats.span(seconds, context.get("lang", "zh"))

    env.globals.update(
        t=t,
        since=since,
        span=span,
        clock=formats.clock,
        role_names=formats.ROLE_NAMES,
        health_names=formats.HEALTH_NAMES,
        device_names=formats.DEVICE_NAMES,
        command_names=formats.COMMAND_NAMES,
        command_states=formats.COMMAND_STATES,
        result_details=formats.RESULT_DETAILS,
    )
    return env


@functools.cache
def _static(name: str) -> bytes | None:
    if "/" in name or name.startswith("."):
        return None
    try:
        return (_package() / "static" / name).read_bytes()
    except OSError:
        return None


_static_router = APIRouter()


@_static_router.get("/static/{name}", include_in_schema=False)
def static_file(name: str) -> Response:
    suffix = name[name.rfind(".") :] if "." in name else ""
    body = _static(name) if name.endswith("LICENSE") or suffix in STATIC_TYPES else None
    if body is None:
        return Response(b"not found", status_code=404, media_type="text/plain")
    media = STATIC_TYPES.get(suffix, "text/plain; charset=utf-8")
    return Response(body, media_type=media, headers={"Cache-Control": "private, max-age=3600"})


class _Guarded:
    """Security headers on every response, and the last line against tracebacks: an exception no handler took
    is logged and answered with the plain error page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in _security_headers():
                    if name.encode() not in names:
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("console: %s %s failed", scope.get("method"), scope.get("path"))
            if not started:
                await HTMLResponse(_bare_error_page(), status_code=500)(scope, receive, send_with_headers)


def _security_headers() -> list[tuple[str, str]]:
    return [
        ("content-security-policy", CSP),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("x-content-type-options", "nosniff"),
        ("cache-control", "no-store"),
    ]


def _bare_error_page() -> str:
    return (
        "<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>出错了 / Something went wrong</title>"
        "<p>出错了，请稍后再试；详情已记在中心的日志里。</p><p>Something went wrong; please try again later. "
        "The detail is in the center's log.</p></html>"
    )


async def _error(request: Request, message: str, status: int, **values: Any) -> Response:
    await find_session(request)  # a page no route matched did not look for it
    template = "error_fragment.html" if is_htmx(request) else "error.html"
    # htmx swaps 4xx/5xx answers too (the htmx-config meta tag), so the fragment shows where the result would.
    return render(request, template, status=status, title="出错了", message=message, values=values)


def _add_handlers(app: FastAPI) -> None:
    async def not_signed_in(request: Request, exc: Exception) -> Response:
        return sign_in_redirect(request)

    async def forbidden(request: Request, exc: Exception) -> Response:
        return await _error(request, "您的角色不能做这件事。需要时请管理员调整您的角色。", 403)

    async def csrf(request: Request, exc: Exception) -> Response:
        return await _error(
            request, "这个请求没有通过安全检查（页面可能已过期）。请刷新页面后再试一次。", 403
        )

    async def plain(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PlainError)
        return await _error(request, exc.message, exc.status, **exc.values)

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return await _error(request, "没有这个页面。", 404)
        if exc.status_code == 405:
            return await _error(request, "这个页面不接受这种请求。", 405)
        return await _error(request, "请求没有完成。", exc.status_code)

    async def invalid(request: Request, exc: Exception) -> Response:
        log.info("console %s %s: invalid request: %s", request.method, request.url.path, exc)
        return await _error(request, "请求里的数值不对，请从页面上重新操作。", 400)

    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(CsrfRefused, csrf)
    app.add_exception_handler(PlainError, plain)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(RequestValidationError, invalid)


def console_app(store: Store) -> ASGIApp:
    """The console over ``store``, with every registered page."""
    from kiosk.center.console import pages, signin

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    nav = tuple(
        NavEntry(page.nav_path, page.nav_label, page.role)
        for page in pages.PAGES
        if page.nav_path is not None
    )
    app.state.console = Console(
        store, environment(), nav, secure_cookie=bool(settings.read(store).secure_cookie)
    )
    app.include_router(_static_router)
    app.include_router(signin.router, dependencies=[Depends(guard)])
    for page in pages.PAGES:
        app.include_router(page.router, dependencies=[Depends(guard), Depends(requires(page.role))])
    _add_handlers(app)
    return _Guarded(app)


def mount(app: FastAPI, store: Store) -> None:
    """Mount the console at /console on the center's ``app``."""
    app.mount("/console", console_app(store), name="console")
