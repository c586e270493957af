"""What every console page uses: the signed-in operator and the role check, CSRF and Origin checks (done once for
every request by :func:`guard`, never by a page), rendering a template with the base's context, the operator's
language, plain errors and the audit helper.

A page is a module with an ``APIRouter`` and one template, registered in :mod:`kiosk.center.console.pages` with
its navigation entry and the least role it needs (docs/console.md, "Adding a page").
"""

from __future__ import annotations

import functools
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Final
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.center.console import audit as audit_log
from kiosk.center.console import settings
from kiosk.center.console.accounts import role_at_least
from kiosk.center.console.i18n import translate
from kiosk.center.console.sessions import COOKIE, LANGUAGES, Session, session_for
from kiosk.center.store import Store

log = logging.getLogger(__name__)

ROOT: Final = "/console"
PRE_COOKIE: Final = "kiosk_console_pre"  # the sign-in form's CSRF token, before there is a session
LANGUAGE_COOKIE: Final = "kiosk_console_lang"
CSRF_HEADER: Final = "X-CSRF-Token"
CSRF_FIELD: Final = "csrf"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
# The only requests that may be posted without a session (they carry the sign-in form's token instead).
PUBLIC_POSTS: Final = frozenset({"/signin", "/language"})
NAME_TTL_S: Final = 30.0
# Elements that refresh themselves through htmx (``hx-trigger="every ..."``): their requests (``HX-Trigger`` names
# the element) do not count as the operator's activity, so a page left open still ends idle sessions.
POLLING_IDS: Final = frozenset({"fleet-table", "commands", "alerts-list"})
ROLE_NAMES: Final = {"viewer": "查看员", "operator": "操作员", "admin": "管理员"}


@dataclass(frozen=True)
class NavEntry:
    path: str  # under /console, e.g. "/fleet"
    label: str  # Chinese source string
    role: str


@dataclass
class Console:
    """The console's state, one per application (``app.state.console``)."""

    store: Store
    templates: jinja2.Environment
    nav: tuple[NavEntry, ...] = ()
    secure_cookie: bool = False  # the setting, read at start; https requests are Secure anyway
    extra: dict[str, Any] = field(default_factory=dict)
    _name: tuple[float, str] = (-1e9, "")

    def center_name(self) -> str:
        """The header's name (a console setting), read again at most every ``NAME_TTL_S``: pages rendered in the
        event loop (sign-in, errors) do not wait for the database each time."""
        now = time.monotonic()
        if now - self._name[0] > NAME_TTL_S:
            self._name = (now, settings.read(self.store).center_name)
        return self._name[1]


class NotSignedIn(Exception):
    """No live session: the operator is sent to the sign-in page."""


class Forbidden(Exception):
    """The operator's role does not allow this."""


class CsrfRefused(Exception):
    """A form or htmx request without the session's token, or from another site."""


class PlainError(Exception):
    """An error to show the operator as a sentence (Chinese source, translated), with an HTTP status."""

    def __init__(self, message: str, status: int = 400, **values: Any) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.values = values


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


def session_of(request: Request) -> Session | None:
    return getattr(request.state, "session", None)


def signed_in(request: Request) -> Session:
    """The signed-in operator (``NotSignedIn`` otherwise)."""
    session = session_of(request)
    if session is None:
        raise NotSignedIn()
    return session


@functools.cache
def requires(role: str) -> Callable[[Request], Session]:
    """A dependency giving the signed-in operator when their role is at least ``role``."""

    def dependency(request: Request) -> Session:
        session = signed_in(request)
        if not role_at_least(session.role, role):
            raise Forbidden()
        return session

    dependency.__name__ = f"requires_{role}"
    return dependency


# What a route asks for in its signature: ``operator: Acting`` gives the signed-in operator, or refuses the request
# when their role is below (``Forbidden``) or nobody is signed in (``NotSignedIn``).
Viewing = Annotated[Session, Depends(requires("viewer"))]
Acting = Annotated[Session, Depends(requires("operator"))]
Managing = Annotated[Session, Depends(requires("admin"))]


def address_of(request: Request) -> str:
    return request.client.host if request.client else ""


def language_of(request: Request) -> str:
    session = session_of(request)
    if session is not None:
        return session.language
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in LANGUAGES else "zh"


def t(request: Request, text: str, **values: Any) -> str:
    """``text`` (Chinese) in the operator's language."""
    return translate(text, language_of(request), **values)


def local_path(request: Request) -> str:
    """The request's path under /console (``/fleet``)."""
    path: str = request.scope["path"]
    root = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return path or "/"


def _origin_ok(request: Request) -> bool:
    """The request comes from a page of this very console: its Origin (or, lacking one, its Referer) is ours."""
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    origin = request.headers.get("origin")
    if origin is not None:
        return origin.lower() == own
    referer = request.headers.get("referer")
    if not referer:
        return False
    parts = urlsplit(referer)
    return f"{parts.scheme}://{parts.netloc}".lower() == own


async def find_session(request: Request) -> Session | None:
    """The request's live session (looked up once per request)."""
    if not hasattr(request.state, "session"):
        token = request.cookies.get(COOKIE, "")
        store = console_of(request).store
        polling = request.headers.get("HX-Trigger") in POLLING_IDS
        lookup = functools.partial(session_for, touch=not polling)
        request.state.session = await run_in_threadpool(lookup, store, token, time.time()) if token else None
    return session_of(request)


async def guard(request: Request) -> None:
    """Run for every console request but the static files: finds the session, and for every POST, PUT, PATCH and
    DELETE checks the Origin and the CSRF token (the form's ``csrf`` field or htmx's ``X-CSRF-Token`` header)."""
    session = await find_session(request)
    if request.method in SAFE_METHODS:
        return
    if not _origin_ok(request):
        log.warning(
            "console %s %s refused: origin %r, referer %r, host %r",
            request.method,
            request.url.path,
            request.headers.get("origin"),
            request.headers.get("referer"),
            request.headers.get("host"),
        )
        raise CsrfRefused()
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if session is not None:
        expected = session.csrf
    elif local_path(request) in PUBLIC_POSTS:
        expected = request.cookies.get(PRE_COOKIE, "")
    else:
        raise NotSignedIn()
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        log.warning("console %s %s refused: no or a wrong CSRF token", request.method, request.url.path)
        raise CsrfRefused()


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def redirect(request: Request, path: str) -> Response:
    """To ``path`` under /console: a 303 for a browser's form, ``HX-Redirect`` for htmx."""
    target = ROOT + path
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def sign_in_redirect(request: Request) -> Response:
    wanted = local_path(request)
    if request.url.query:
        wanted += "?" + request.url.query
    suffix = (
        "" if request.method != "GET" or wanted in ("/", "/signin") else f"?next={quote(wanted, safe='')}"
    )
    return redirect(request, "/signin" + suffix)


def cookie_secure(request: Request) -> bool:
    return request.url.scheme == "https" or console_of(request).secure_cookie


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=ROOT,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(request),
    )


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template with what the base needs: the operator, navigation for their role, the CSRF token, the
    language and ``t``, the center's name."""
    console = console_of(request)
    session = session_of(request)
    language = language_of(request)
    pre_token = ""
    if session is None:
        pre_token = request.cookies.get(PRE_COOKIE, "") or secrets.token_urlsafe(32)
    nav = [entry for entry in console.nav if session is not None and role_at_least(session.role, entry.role)]
    here = local_path(request)
    values = {
        "request": request,
        "lang": language,
        "operator": session,
        "role_name": ROLE_NAMES.get(session.role, session.role) if session else "",
        "nav": nav,
        "here": here,
        "here_full": here + ("?" + request.url.query if request.url.query else ""),
        "csrf": session.csrf if session is not None else pre_token,
        "center_name": console.center_name(),
        "root": ROOT,
        "can": (lambda role: session is not None and role_at_least(session.role, role)),
        **context,
    }
    html = console.templates.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status)
    if pre_token and request.cookies.get(PRE_COOKIE) != pre_token:
        set_cookie(request, response, PRE_COOKIE, pre_token)
    return response


def audit(request: Request, action: str, target: str = "", detail: str = "", operator: str = "") -> None:
    """Record an action of the signed-in operator (or ``operator``), with their address."""
    session = session_of(request)
    who = operator or (session.operator if session is not None else "-")
    audit_log.audit(console_of(request).store, who, action, target, detail, address_of(request))
