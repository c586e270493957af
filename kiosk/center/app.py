"""The reference center's HTTP API (docs/protocol.md) as a FastAPI application over a ``Store``.

Authentication is an ASGI middleware rather than a dependency because it needs the exact body bytes before
anything parses them (a malformed body from a stranger must be a 401, not a 422), and because the 413 limit has to
hold before a body is buffered. The server-time header is added outside everything else, so every response,
including 401, 413 and 500, carries it.

Request bodies are not parsed by FastAPI (whose ``json.loads`` takes NaN, ``1e999``, repeated keys, lone
surrogates and NUL characters, and recurses without limit) but by the protocol's strict parser
(``kiosk.protocol.strict_json``), then validated with the protocol's models: every malformed body gets a 422
naming where the problem is, and nothing that cannot be stored or answered gets as far as the store. In a push
batch, a problem inside one record is that record's 422 result; the others are stored and answered.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path as PathType
from typing import Annotated, Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.center import rate_limits, uploads
from kiosk.center.auth import authenticate
from kiosk.center.console.app import mount as mount_console
from kiosk.center.cursor import BadCursor, decode_cursor, encode_cursor
from kiosk.center.operations import Operations, command_key_of
from kiosk.center.records import check_record
from kiosk.center.store import Store
from kiosk.protocol import (
    API_PREFIX,
    BATCH_MAX,
    BATCH_MIN,
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
from kiosk.protocol.limits import REQUEST_MAX_DEPTH
from kiosk.protocol.models import (
    ALL_FEED_KINDS,
    IDENTITY_CODE_INVALID,
    CasesAnswer,
    CasesQuery,
    IdentityCodeAnswer,
    IdentityCodeQuery,
)
from kiosk.protocol.ops import UPLOAD_MAX_BYTES, UPLOAD_TYPES, UPLOADS_PREFIX, UploadAnswer
from kiosk.protocol.strict_json import JsonProblem, format_path, loads, parse
from kiosk.serving import ServerTime
from kiosk.serving.errors import STATUS_CODES

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

_SECURITY_SCHEMES = {
    "KioskTerminal": HEADER_TERMINAL,
    "KioskTimestamp": HEADER_TIMESTAMP,
    "KioskNonce": HEADER_NONCE,
    "KioskSignature": HEADER_SIGNATURE,
}


def _error(status: int, message: str | None = None, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": message or STATUS_CODES.get(status, "error")}, status_code=status, headers=headers
    )


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
        limit = UPLOAD_MAX_BYTES if scope["path"].startswith(UPLOADS_PREFIX) else MAX_BODY_BYTES
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
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
            if size > limit:
                await _error(413)(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        raw_path = scope.get("raw_path")
        path = raw_path.decode("utf-8", "replace") if raw_path else scope["path"]
        query = scope.get("query_string", b"").decode("utf-8", "replace")
        now = time.time()
        terminal_id = await run_in_threadpool(
            authenticate, self.store, scope["method"], path, query, headers, body, now
        )
        if terminal_id is None:
            await _error(401)(scope, receive, send)
            return
        refused = await run_in_threadpool(rate_limits.refusal, self.store, terminal_id, now)
        if refused is not None:  # 429 with Retry-After: past the signed requests a minute a terminal may make
            await refused(scope, receive, send)
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
        return ServerTime(super().build_middleware_stack())


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ErrorBody,
        "description": "not signed correctly (the reason is logged at the center only)",
    },
    413: {"model": ErrorBody, "description": "body over 5 MB"},
    429: {
        "model": ErrorBody,
        "description": "rate_limited: more signed requests a minute than the center allows a terminal; "
        "Retry-After says in how many seconds to try again",
    },
    422: {
        "model": ErrorBody,
        "description": "invalid request: not strict JSON (docs/protocol.md, Errors) or not the protocol's body",
    },
}


def _request_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of an operation that parses its body itself (strictly, see the module doc)."""
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def _parsed(request: Request, model: type[M]) -> M | JSONResponse:
    """The request's body as ``model``, or the 422 naming the first problem (strict JSON, then the model)."""
    try:
        value = loads(await request.body(), max_depth=REQUEST_MAX_DEPTH)
    except JsonProblem as exc:
        return _error(422, str(exc))
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        return _error(422, _located(exc))


def _located(exc: ValidationError) -> str:
    """``body.<field>: <message>`` for the first problem pydantic found."""
    errors = exc.errors(include_url=False)
    if not errors:
        return "body: invalid"
    return f"{format_path(errors[0].get('loc', ()))}: {errors[0].get('msg', 'invalid')}"


def create_app(
    store: Store, updates: PathType | None = None, command_key: Ed25519PrivateKey | None = None
) -> FastAPI:
    """The center's API over ``store``; the caller owns the store (and closes it after the server stops).
    ``updates``: an update repository (kiosk release) whose metadata/ and targets/ are served as static files
    under /updates/ (Range requests answered, for resumed downloads; never its key folders). ``command_key``:
    the key commands and settings are signed with (default: the one beside the database, made when missing)."""
    operations = Operations(store, command_key or command_key_of(store))
    app = CenterApp(
        title="kiosk reference center",
        version="1",
        description="The terminal ↔ center protocol kiosk-sync/1 (docs/protocol.md).",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(_Authenticate, store=store)
    _add_error_handlers(app)
    mount_console(app, store)  # the operators' web console at /console (docs/console.md)
    if updates is not None:
        from starlette.staticfiles import StaticFiles

        for part in ("metadata", "targets"):
            app.mount(f"/updates/{part}", StaticFiles(directory=updates / part, check_dir=False), name=part)

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
        kind: Annotated[str, Path(json_schema_extra={"enum": list(ALL_FEED_KINDS)})],
        cursor: Annotated[
            str | None, Query(description="opaque; absent or empty: from the beginning")
        ] = None,
        limit: Annotated[int, Query(ge=FEED_LIMIT_MIN, le=FEED_LIMIT_MAX)] = FEED_LIMIT_DEFAULT,
    ) -> FeedPage | JSONResponse:
        if kind not in ALL_FEED_KINDS:
            return _error(404, "unknown_feed")
        try:
            after = decode_cursor(store.cursor_key, kind, cursor)
        except BadCursor as exc:
            log.warning("bad cursor for feed %s: %s", kind, exc)
            return _error(400, "bad_cursor")
        entries, last_seq, has_more = store.changes(kind, after, limit)
        return FeedPage(
            kind=kind,  # type: ignore[arg-type]  # checked against ALL_FEED_KINDS above
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
        openapi_extra=_request_body(PushBatch),
    )
    async def push(request: Request) -> PushResult | JSONResponse:
        terminal_id: str = request.state.terminal_id
        batch = _batch(await request.body())
        if isinstance(batch, str):
            return _error(422, batch)
        results: list[dict[str, Any] | None] = []
        valid: list[OutboxRecord] = []
        for index, raw in enumerate(batch.records):
            flawed = batch.problems.get(index)
            if flawed is None:
                record, problem = check_record(raw)
            else:
                record, problem = None, flawed
            if record is None:
                key = raw.get("idempotency_key")
                echo = key if isinstance(key, str) and index not in batch.key_unsure else ""
                results.append({"idempotency_key": echo, "status": 422, "error": problem})
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
        openapi_extra=_request_body(Heartbeat),
    )
    async def heartbeat(request: Request) -> HeartbeatAnswer | JSONResponse:
        beat = await _parsed(request, Heartbeat)
        if isinstance(beat, JSONResponse):
            return beat
        return await run_in_threadpool(operations.heartbeat, request.state.terminal_id, beat)

    @app.post(
        UPLOADS_PREFIX + "{command_id}",
        response_model=UploadAnswer,
        responses={
            **_ERRORS,
            404: {"model": ErrorBody, "description": "unknown_command: not a command of this terminal"},
            409: {"model": ErrorBody, "description": "not an upload command, or the command was closed"},
            413: {"model": ErrorBody, "description": "body over 8 MiB"},
            415: {"model": ErrorBody, "description": "not the content type of the command's kind"},
        },
        summary="What a screenshot or upload_logs command asked for; the latest is kept per terminal and kind",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in UPLOAD_TYPES.values()
                },
            }
        },
    )
    async def upload(
        request: Request, command_id: Annotated[str, Path(pattern="^[0-9a-f]{32}$")]
    ) -> UploadAnswer | JSONResponse:
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        try:
            kept = await run_in_threadpool(
                uploads.receive, store, request.state.terminal_id, command_id, content_type, body
            )
        except uploads.UploadRefused as refused:
            return _error(refused.status, refused.error)
        return UploadAnswer.model_validate(kept)

    @app.post(
        API_PREFIX + "/cases/query",
        response_model=CasesAnswer,
        responses=_ERRORS,
        summary="The cases (办件) of the person with this ID number, the most recently updated first",
        openapi_extra=_request_body(CasesQuery),
    )
    async def cases_query(request: Request) -> CasesAnswer | JSONResponse:
        # The ID number is looked up by its keyed hash and never logged.
        query = await _parsed(request, CasesQuery)
        if isinstance(query, JSONResponse):
            return query
        cases = await run_in_threadpool(store.cases_for, query.id_number)
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
        openapi_extra=_request_body(IdentityCodeQuery),
    )
    async def identity_resolve(request: Request) -> IdentityCodeAnswer | JSONResponse:
        # Neither the code nor the person is logged; the store logs why a code was refused.
        query = await _parsed(request, IdentityCodeQuery)
        if isinstance(query, JSONResponse):
            return query
        identity = await run_in_threadpool(store.resolve_identity_code, query.code, request.state.terminal_id)
        if identity is None:
            return _error(404, IDENTITY_CODE_INVALID)
        return IdentityCodeAnswer.model_validate({"identity": identity})

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


@dataclass(frozen=True, slots=True)
class _Batch:
    """A push body taken apart: its record objects; for the flawed ones (by index) the message of their 422
    result; and the records whose idempotency key is not to be echoed (it is itself what is wrong, or it may
    be: the record names a key twice)."""

    records: list[dict[str, Any]]
    problems: dict[int, str]
    key_unsure: frozenset[int]


def _batch(body: bytes) -> _Batch | str:
    """The batch, or why it is invalid as a whole (nothing of it is then stored)."""
    try:
        parsed = parse(body, max_depth=REQUEST_MAX_DEPTH)
    except JsonProblem as exc:
        return str(exc)
    problems: dict[int, str] = {}
    key_unsure: set[int] = set()
    for problem in parsed.problems:
        path = problem.path
        if len(path) < 2 or path[0] != "records" or not isinstance(path[1], int):
            return str(problem)  # outside every record: the envelope itself is flawed
        index = path[1]
        if len(path) == 2 or path[2] == "idempotency_key":
            key_unsure.add(index)
        if index not in problems:
            where = format_path(path[2:], root="")
            problems[index] = f"{where or 'record'}: {problem.message}"
    document = parsed.value
    if not isinstance(document, dict):
        return "body: must be an object"
    unknown = sorted(set(document) - {"records"})
    if unknown:
        return f"{format_path((unknown[0],))}: unknown field"
    records = document.get("records")
    if not isinstance(records, list):
        return "body.records: must be a list"
    if not BATCH_MIN <= len(records) <= BATCH_MAX:
        return f"body.records: {BATCH_MIN}-{BATCH_MAX} records a batch"
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            return f"body.records.{index}: must be an object"
    return _Batch(records, problems, frozenset(key_unsure))


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
    # The bodies each operation parses itself (strict JSON) are described here, as FastAPI would have.
    for model in (Heartbeat, CasesQuery, IdentityCodeQuery):
        document = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in document.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas[model.__name__] = document
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
