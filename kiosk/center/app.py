"""The reference center's HTTP API (docs/protocol.md) as a FastAPI application over a ``Store``.

Authentication is an ASGI middleware rather than a dependency because it needs the exact body bytes before
anything parses them (a malformed body from a stranger must be a 401, not a 422), and because the 413 limit has to
hold before a body is buffered. The server-time header is added outside everything else, so every response,
including 401, 413 and 500, carries it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.center.auth import authenticate
from kiosk.center.cursor import BadCursor, decode_cursor, encode_cursor
from kiosk.center.records import check_record
from kiosk.center.store import Store, now_iso
from kiosk.protocol import (
    API_PREFIX,
    BATCH_MAX,
    BATCH_MIN,
    FEED_KINDS,
    FEED_LIMIT_DEFAULT,
    FEED_LIMIT_MAX,
    FEED_LIMIT_MIN,
    HEADER_NONCE,
    HEADER_SERVER_TIME,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    MAX_BODY_BYTES,
    ErrorBody,
    FeedPage,
    Heartbeat,
    HeartbeatAnswer,
    OutboxRecord,
    PushBatch,
    PushResult,
)
from kiosk.protocol.models import (
    IDENTITY_CODE_INVALID,
    CasesAnswer,
    CasesQuery,
    IdentityCodeAnswer,
    IdentityCodeQuery,
)

log = logging.getLogger(__name__)

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "invalid",
    500: "internal",
}
_SECURITY_SCHEMES = {
    "KioskTerminal": HEADER_TERMINAL,
    "KioskTimestamp": HEADER_TIMESTAMP,
    "KioskNonce": HEADER_NONCE,
    "KioskSignature": HEADER_SIGNATURE,
}


def _error(status: int, message: str | None = None, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": message or _STATUS_CODES.get(status, "error")}, status_code=status, headers=headers
    )


class _ServerTime:
    """Adds ``X-Kiosk-Server-Time`` to every response: the terminal learns its clock skew even from a 401."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_time(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(HEADER_SERVER_TIME, f"{time.time():.3f}")
            await send(message)

        await self.app(scope, receive, send_with_time)


class _Authenticate:
    """Reads an API request's body (up to 5 MB), checks its signature and hands the body on unchanged."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            await _error(413)(
                scope, receive, send
            )  # refused before reading (the server checks the header's form)
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
            if size > MAX_BODY_BYTES:
                await _error(413)(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        raw_path = scope.get("raw_path")
        path = raw_path.decode("utf-8", "replace") if raw_path else scope["path"]
        query = scope.get("query_string", b"").decode("utf-8", "replace")
        terminal_id = await run_in_threadpool(
            authenticate, self.store, scope["method"], path, query, headers, body, time.time()
        )
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


class CenterApp(FastAPI):
    """FastAPI with the server-time header wrapped around the whole stack (error responses included)."""

    def build_middleware_stack(self) -> ASGIApp:
        return _ServerTime(super().build_middleware_stack())


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ErrorBody,
        "description": "not signed correctly (the reason is logged at the center only)",
    },
    413: {"model": ErrorBody, "description": "body over 5 MB"},
    422: {"model": ErrorBody, "description": "invalid request"},
}


def create_app(store: Store) -> FastAPI:
    """The center's API over ``store``; the caller owns the store (and closes it after the server stops)."""
    app = CenterApp(
        title="kiosk reference center",
        version="1",
        description="The terminal ↔ center protocol kiosk-sync/1 (docs/protocol.md).",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(_Authenticate, store=store)
    _add_error_handlers(app)

    @app.get(
        API_PREFIX + "/feeds/{kind}",
        response_model=FeedPage,
        responses={
            **_ERRORS,
            400: {"model": ErrorBody, "description": "bad_cursor"},
            404: {"model": ErrorBody},
        },
        summary="A page of a delta feed",
    )
    def feed(
        kind: Annotated[str, Path(json_schema_extra={"enum": list(FEED_KINDS)})],
        cursor: Annotated[
            str | None, Query(description="opaque; absent or empty: from the beginning")
        ] = None,
        limit: Annotated[int, Query(ge=FEED_LIMIT_MIN, le=FEED_LIMIT_MAX)] = FEED_LIMIT_DEFAULT,
    ) -> FeedPage | JSONResponse:
        if kind not in FEED_KINDS:
            return _error(404, "unknown_feed")
        try:
            after = decode_cursor(store.cursor_key, kind, cursor)
        except BadCursor as exc:
            log.warning("bad cursor for feed %s: %s", kind, exc)
            return _error(400, "bad_cursor")
        entries, last_seq, has_more = store.changes(kind, after, limit)
        return FeedPage(
            kind=kind,  # type: ignore[arg-type]  # checked against FEED_KINDS above
            entries=entries,
            next_cursor=encode_cursor(store.cursor_key, kind, last_seq),
            has_more=has_more,
        )

    @app.post(
        API_PREFIX + "/records",
        response_model=PushResult,
        response_model_exclude_none=True,
        responses=_ERRORS,
        summary="Deliver outbox records (idempotent per record)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushBatch"}}},
            }
        },
    )
    async def push(request: Request) -> PushResult | JSONResponse:
        terminal_id: str = request.state.terminal_id
        records, problem = _batch(await request.body())
        if records is None:
            return _error(422, problem)
        results: list[dict[str, Any] | None] = []
        valid: list[OutboxRecord] = []
        for raw in records:
            record, problem = check_record(raw)
            if record is None:
                key = raw.get("idempotency_key")
                results.append(
                    {"idempotency_key": key if isinstance(key, str) else "", "status": 422, "error": problem}
                )
            else:
                valid.append(record)
                results.append(None)
        answers = iter(await run_in_threadpool(store.deliver, terminal_id, valid))
        return PushResult.model_validate(
            {"results": [result if result is not None else next(answers) for result in results]}
        )

    @app.post(
        API_PREFIX + "/heartbeat",
        response_model=HeartbeatAnswer,
        responses=_ERRORS,
        summary="The terminal's state; the latest one is kept per terminal",
    )
    def heartbeat(request: Request, beat: Heartbeat) -> HeartbeatAnswer | JSONResponse:
        try:
            store.save_heartbeat(request.state.terminal_id, beat.model_dump(mode="json"))
        except ValueError:  # a lone surrogate (\ud800) is valid JSON but no UTF-8 text
            return _error(422, "body: text must be valid Unicode")
        return HeartbeatAnswer.model_validate({"server_time": now_iso()})

    @app.post(
        API_PREFIX + "/cases/query",
        response_model=CasesAnswer,
        responses=_ERRORS,
        summary="The cases (办件) of the person with this ID number, the most recently updated first",
    )
    def cases_query(request: Request, query: CasesQuery) -> CasesAnswer | JSONResponse:
        # The ID number is looked up by its keyed hash and never logged.
        try:
            cases = store.cases_for(query.id_number)
        except ValueError:  # a lone surrogate (\ud800) is valid JSON but no UTF-8 text
            return _error(422, "body.id_number: text must be valid Unicode")
        log.info("cases query from %s: %d cases", request.state.terminal_id, len(cases))
        return CasesAnswer.model_validate({"cases": cases})

    @app.post(
        API_PREFIX + "/identity/resolve",
        response_model=IdentityCodeAnswer,
        responses={
            **_ERRORS,
            404: {
                "model": ErrorBody,
                "description": f"{IDENTITY_CODE_INVALID}: the code is unknown, expired or was used before",
            },
        },
        summary="Who an identity code (身份码) stands for; a code resolves once only",
    )
    def identity_resolve(request: Request, query: IdentityCodeQuery) -> IdentityCodeAnswer | JSONResponse:
        # Neither the code nor the person is logged; the store logs why a code was refused.
        try:
            identity = store.resolve_identity_code(query.code, request.state.terminal_id)
        except UnicodeError:  # a lone surrogate (\ud800) is valid JSON but no UTF-8 text
            return _error(422, "body.code: text must be valid Unicode")
        if identity is None:
            return _error(404, IDENTITY_CODE_INVALID)
        return IdentityCodeAnswer.model_validate({"identity": identity})

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _batch(body: bytes) -> tuple[list[dict[str, Any]] | None, str]:
    """The batch's record objects, or None and why the batch as a whole is invalid (nothing is then stored)."""
    try:
        document = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None, "body: not valid JSON"
    if not isinstance(document, dict):
        return None, "body: must be an object"
    unknown = sorted(set(document) - {"records"})
    if unknown:
        return None, f"body.{unknown[0]}: unknown field"
    records = document.get("records")
    if not isinstance(records, list):
        return None, "body.records: must be a list"
    if not BATCH_MIN <= len(records) <= BATCH_MAX:
        return None, f"body.records: {BATCH_MIN}-{BATCH_MAX} records a batch"
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            return None, f"body.records.{index}: must be an object"
    return records, ""


def _add_error_handlers(app: FastAPI) -> None:
    """Every error body is ``{"error": ...}`` (docs/protocol.md), FastAPI's and Starlette's own included."""

    async def validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if not errors:
            return _error(422)
        location = ".".join(str(part) for part in errors[0].get("loc", ()))
        return _error(422, f"{location}: {errors[0].get('msg', 'invalid')}")

    async def http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:  # FastAPI's answer to a body it cannot decode: the protocol says 422
            return _error(422, "body: not valid JSON")
        return _error(exc.status_code, headers=exc.headers)  # 405 keeps its Allow header

    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("500 on %s %s", request.method, request.url.path)
        return _error(500)

    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(Exception, internal)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus what it cannot infer: the batch schema, the signing headers, the server time."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    batch = PushBatch.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in batch.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    # Each record is checked on its own (a bad one is answered 422 in its result, the others are stored), so
    # the batch takes any objects; OutboxRecord says what a record should be.
    batch["properties"]["records"]["items"] = {
        "anyOf": [{"$ref": "#/components/schemas/OutboxRecord"}, {"type": "object"}],
        "description": "an OutboxRecord; any other object is answered 422 in its result",
    }
    schemas["PushBatch"] = batch
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components["securitySchemes"] = {
        name: {"type": "apiKey", "in": "header", "name": header} for name, header in _SECURITY_SCHEMES.items()
    }
    server_time = {
        HEADER_SERVER_TIME: {
            "description": "the center's Unix time, seconds with milliseconds",
            "schema": {"type": "string"},
        }
    }
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            if path.startswith(API_PREFIX + "/"):
                operation["security"] = [{key: [] for key in _SECURITY_SCHEMES}]
            for response in operation.get("responses", {}).values():
                response.setdefault("headers", {}).update(server_time)
    app.openapi_schema = schema
    return schema
