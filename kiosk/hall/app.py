"""The hall's queue service over HTTP (docs/hall.md): a FastAPI application over a :class:`~kiosk.hall.hall.Hall`.

As at the center, authentication is an ASGI middleware that reads the exact body bytes (up to 64 KiB, else 413)
and checks the protocol's signature before anything parses them; bodies are parsed by the strict parser and
validated by the protocol's models, so bad input gets a 4xx with a code and a plain message, never a 500. Every
answer carries the hall's clock (``X-Kiosk-Server-Time``), from which clients learn their skew.

The event stream (``GET /api/v1/events``) is server-sent events: each stored event as ``id: <seq>``, ``event:
<type>`` and one ``data:`` line holding the event as JSON, in sequence order, from the one after ``after`` (or
``Last-Event-ID``); a comment line every ``KEEPALIVE_S`` seconds when nothing happens. A change is announced to
the streams once its transaction committed; a stream also looks for events written by other processes on the
same database whenever it sends a keep-alive.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeVar

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.hall import counters, ratings, staff_photos, tickets
from kiosk.hall.errors import Refused
from kiosk.hall.hall import Hall, fingerprint
from kiosk.hall.phone_page import rating_form_problem, render_page
from kiosk.hall.terminals import Gatekeeper
from kiosk.protocol import API_PREFIX
from kiosk.protocol.hall import (
    HALL_MAX_BODY_BYTES,
    HALL_REQUEST_MAX_DEPTH,
    KEEPALIVE_S,
    STAFF_PHOTO_TYPES,
    CheckinRequest,
    CounterAnswer,
    CounterRequest,
    HallErrorBody,
    HallState,
    RatingAnswer,
    RatingRequest,
    TakeAnswer,
    TakeRequest,
    TicketsAnswer,
    TicketView,
)
from kiosk.protocol.models import first_error
from kiosk.protocol.strict_json import JsonProblem, loads
from kiosk.serving import ServerTime
from kiosk.serving.errors import STATUS_CODES

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    401: "终端未获授权：请重新登记（kiosk hall enroll）",
    404: "没有这个地址",
    405: "不支持这个操作",
    413: "请求过大",
    422: "请求内容有误",
    500: "排队服务内部出错，请稍后重试",
}
_PAGE_FORM_MAX = 8 * 1024
_EVENT_BATCH = 500


def _error(status: int, code: str | None = None, message: str | None = None) -> JSONResponse:
    return JSONResponse(
        {
            "error": code or STATUS_CODES.get(status, "error"),
            "message": message or _MESSAGES.get(status, ""),
        },
        status_code=status,
    )


class _Authenticate:
    """Reads an API request's body (up to 64 KiB), checks its signature, hands the body on unchanged."""

    def __init__(self, app: ASGIApp, gatekeeper: Gatekeeper) -> None:
        self.app = app
        self.gatekeeper = gatekeeper

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > HALL_MAX_BODY_BYTES:
            await _error(413)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > HALL_MAX_BODY_BYTES:
                await _error(413)(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        raw_path = scope.get("raw_path")
        path = raw_path.decode("utf-8", "replace") if raw_path else scope["path"]
        query = scope.get("query_string", b"").decode("utf-8", "replace")
        terminal_id = self.gatekeeper.authenticate(scope["method"], path, query, headers, body, time.time())
        if terminal_id is None:
            await _error(401)(scope, receive, send)
            return
        scope.setdefault("state", {})["terminal_id"] = terminal_id
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class HallApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        return ServerTime(super().build_middleware_stack())


class Announcer:
    """Wakes the event streams (on the server's event loop) when a transaction stored events (on any thread)."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._waiters: set[asyncio.Future[None]] = set()

    def announce(self, seq: int) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    def waiter(self) -> asyncio.Future[None]:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = self.loop.create_future()
        self._waiters.add(future)
        return future

    def forget(self, future: asyncio.Future[None]) -> None:
        self._waiters.discard(future)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _parsed(request: Request, model: type[M]) -> M | JSONResponse:
    try:
        value = loads(await request.body(), max_depth=HALL_REQUEST_MAX_DEPTH)
    except JsonProblem as exc:
        return _error(422, "invalid", str(exc))
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        problem = first_error(exc)
        located = bool(exc.errors(include_url=False)[0].get("loc")) if exc.errors() else False
        return _error(422, "invalid", f"body.{problem}" if located else f"body: {problem}")


def create_app(hall: Hall, gatekeeper: Gatekeeper | None = None) -> FastAPI:
    """The hall's API and phone pages over ``hall``; the caller owns its database."""
    app = HallApp(
        title="kiosk hall queue service",
        version="1",
        description="The hall's queue protocol kiosk-hall/1 (docs/hall.md).",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(_Authenticate, gatekeeper=gatekeeper or Gatekeeper(hall.db))
    _add_error_handlers(app)
    announcer = Announcer()
    hall.db.on_event(announcer.announce)
    app.state.announcer = announcer

    async def perform(request: Request, body: BaseModel, operation: Any, request_id: str) -> JSONResponse:
        print_ = fingerprint(request.method, request.url.path, body.model_dump(mode="json"))
        # On the event loop itself: changes are serialised by the database anyway, a take is about a
        # millisecond, and handing it to a worker thread and back costs as much again under load.
        status, answer = hall.perform(
            request.state.terminal_id, request_id, print_, operation, base_url=_base_url(request)
        )
        return JSONResponse(answer, status_code=status)

    errors: dict[int | str, dict[str, Any]] = {
        401: {"model": HallErrorBody},
        404: {"model": HallErrorBody},
        409: {"model": HallErrorBody},
        413: {"model": HallErrorBody},
        422: {"model": HallErrorBody},
    }

    @app.get(API_PREFIX + "/state", response_model=HallState, responses=errors, summary="The whole hall now")
    async def state(request: Request) -> JSONResponse:
        return JSONResponse(await run_in_threadpool(hall.state, base_url=_base_url(request)))

    @app.get(
        API_PREFIX + "/tickets", response_model=TicketsAnswer, responses=errors, summary="A day's tickets"
    )
    async def day_tickets(
        request: Request,
        day: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    ) -> JSONResponse:
        return JSONResponse(await run_in_threadpool(hall.tickets, day, base_url=_base_url(request)))

    @app.get(
        API_PREFIX + "/tickets/{ticket_id}", response_model=TicketView, responses=errors, summary="One ticket"
    )
    async def one_ticket(
        request: Request, ticket_id: Annotated[str, Path(max_length=80, pattern=r"^[A-Za-z0-9_-]+$")]
    ) -> JSONResponse:
        found = await run_in_threadpool(hall.ticket, ticket_id, base_url=_base_url(request))
        if found is None:
            return _error(404, "unknown_ticket", "没有这个号")
        return JSONResponse(found)

    @app.post(API_PREFIX + "/tickets", response_model=TakeAnswer, responses=errors, summary="Take a number")
    async def take(request: Request) -> JSONResponse:
        body = await _parsed(request, TakeRequest)
        if isinstance(body, JSONResponse):
            return body
        return await perform(request, body, lambda tx: tickets.take(tx, body), body.request_id)

    @app.post(API_PREFIX + "/checkins", response_model=TakeAnswer, responses=errors, summary="预约签到")
    async def checkin(request: Request) -> JSONResponse:
        body = await _parsed(request, CheckinRequest)
        if isinstance(body, JSONResponse):
            return body
        return await perform(request, body, lambda tx: tickets.check_in(tx, body), body.request_id)

    @app.post(
        API_PREFIX + "/counters/{number}/{action}",
        response_model=CounterAnswer,
        responses=errors,
        summary="A counter operation (call, recall, no-show, return, transfer, hold, resume, call-number, "
        "finish, mark-green, pause, open, sign-in, sign-out)",
    )
    async def counter_action(
        request: Request,
        number: Annotated[int, Path(ge=1, le=999)],
        action: Annotated[str, Path(json_schema_extra={"enum": list(counters.ACTIONS)})],
    ) -> JSONResponse:
        if action not in counters.ACTIONS:
            return _error(404, "unknown_action", f"没有这项窗口操作：{action}")
        body = await _parsed(request, CounterRequest)
        if isinstance(body, JSONResponse):
            return body
        return await perform(
            request, body, lambda tx: counters.perform(tx, number, action, body), body.request_id
        )

    @app.post(
        API_PREFIX + "/ratings", response_model=RatingAnswer, responses=errors, summary="The pad's rating"
    )
    async def rate(request: Request) -> JSONResponse:
        body = await _parsed(request, RatingRequest)
        if isinstance(body, JSONResponse):
            return body
        return await perform(
            request,
            body,
            lambda tx: ratings.rate(
                tx, body.ticket_id, body.level, list(body.reasons), body.comment, source="pad"
            ),
            body.request_id,
        )

    @app.get(
        API_PREFIX + "/staff/{staff_no}/photo",
        responses={**errors, 200: {"content": {t: {} for t in STAFF_PHOTO_TYPES}}},
        summary="A staff member's photo (JPEG or PNG), for the rating pads",
    )
    async def staff_photo(
        staff_no: Annotated[str, Path(max_length=16, pattern=r"^[A-Za-z0-9_-]+$")],
    ) -> Response:
        photo = await run_in_threadpool(staff_photos.photo_of, hall.db, staff_no)
        if photo is None:
            if await run_in_threadpool(staff_photos.has_staff, hall.db, staff_no):
                return _error(404, "no_photo", "这位工作人员还没有照片")
            return _error(404, "unknown_staff", "没有这个工号")
        return Response(
            photo.data,
            media_type=photo.media_type,
            headers={"ETag": f'"{photo.digest}"', "Cache-Control": "private, no-cache"},
        )

    @app.get(
        API_PREFIX + "/events", responses=errors, summary="Server-sent events from after the given sequence"
    )
    async def events(
        request: Request, after: Annotated[int | None, Query(ge=0, le=2**53 - 1)] = None
    ) -> Response:
        if after is None:
            header = request.headers.get("last-event-id", "")
            after = int(header) if header.isdigit() and len(header) < 16 else None
        last = hall.db.last_seq() if after is None else after
        return StreamingResponse(
            _stream(hall, announcer, last),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @app.get("/t/{token}", include_in_schema=False)
    async def phone_page(request: Request, token: Annotated[str, Path(max_length=40)]) -> HTMLResponse:
        ticket = await run_in_threadpool(hall.ticket_by_token, token, base_url=_base_url(request))
        settings = await run_in_threadpool(hall.settings)
        if ticket is None:
            return HTMLResponse(render_page(settings.hall_name, None), status_code=404)
        return HTMLResponse(render_page(settings.hall_name, ticket))

    @app.post("/t/{token}/rating", include_in_schema=False)
    async def phone_rating(request: Request, token: Annotated[str, Path(max_length=40)]) -> HTMLResponse:
        raw = await _limited_body(request, _PAGE_FORM_MAX)
        settings = await run_in_threadpool(hall.settings)
        ticket = await run_in_threadpool(hall.ticket_by_token, token, base_url=_base_url(request))
        if ticket is None:
            return HTMLResponse(render_page(settings.hall_name, None), status_code=404)
        form, problem = rating_form_problem(raw)
        ticket_id = str(ticket["id"])
        if problem is None:
            try:
                await run_in_threadpool(
                    hall.change,
                    lambda tx: ratings.rate(
                        tx, ticket_id, form["level"], form["reasons"], form["comment"], source="phone"
                    ),
                )
            except Refused as refused:
                problem = refused.message
        ticket = await run_in_threadpool(hall.ticket_by_token, token, base_url=_base_url(request))
        return HTMLResponse(
            render_page(settings.hall_name, ticket, problem=problem, thanks=problem is None),
            status_code=200 if problem is None else 422,
        )

    return app


async def _limited_body(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return b""
        chunks.append(chunk)
    return b"".join(chunks)


def _sse(event: dict[str, Any]) -> bytes:
    data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['seq']}\nevent: {event['type']}\ndata: {data}\n\n".encode()


async def _stream(hall: Hall, announcer: Announcer, last: int) -> AsyncIterator[bytes]:
    """Every event after ``last``, then each new one as it is stored. A client whose ``after`` is older than
    the oldest event kept (or newer than the newest: another hall's numbering) gets ``reset`` first: it fetches
    the state again and goes on from the ``seq`` it names."""
    newest = await run_in_threadpool(hall.db.last_seq)
    oldest = await run_in_threadpool(hall.oldest_event)
    if last > newest or (oldest and last < oldest - 1):
        yield f'event: reset\ndata: {{"seq":{newest}}}\n\n'.encode()
        last = newest
    yield b"retry: 1000\n\n"
    while True:
        waiter = announcer.waiter()
        try:
            batch = await run_in_threadpool(hall.events_after, last, _EVENT_BATCH)
            if batch:
                for event in batch:
                    yield _sse(event)
                last = batch[-1]["seq"]
                continue
            try:
                await asyncio.wait_for(asyncio.shield(waiter), KEEPALIVE_S)
            except TimeoutError:
                yield b": keep-alive\n\n"
        finally:
            announcer.forget(waiter)


def _add_error_handlers(app: FastAPI) -> None:
    async def validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if not errors:
            return _error(422)
        location = ".".join(str(part) for part in errors[0].get("loc", ()))
        return _error(422, "invalid", f"{location}: {errors[0].get('msg', 'invalid')}")

    async def http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:
            return _error(422, "invalid", "body: not valid JSON")
        response = _error(exc.status_code)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("500 on %s %s", request.method, request.url.path)
        return _error(500)

    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(Exception, internal)
