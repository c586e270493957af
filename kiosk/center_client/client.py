"""The terminal's HTTP client for the center: signed requests, learnt clock skew, validated answers.

One ``requests.Session`` per client keeps the connection alive between the pages of a pull and the batches of a
push, which is most of the cost on a slow village line. Everything the center sends is untrusted input: each
exchange has one deadline for everything and each answer a size limit for its endpoint
(``kiosk.center_client.transport``, ``kiosk.protocol.limits``); the body is parsed as strict JSON with a nesting
limit (``kiosk.protocol.strict_json``) and validated with the protocol's pydantic models before anyone sees it;
the server-time header is believed only when it is a plausible time. Callers deal with a few outcomes only: a
valid model, or one of the errors in ``kiosk.center_client.errors`` telling them whether to retry later, start a
feed over, or call an operator.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, ValidationError

from kiosk.center_client.errors import (
    BadAnswer,
    BadCursor,
    CenterConfigError,
    CenterError,
    CenterUnavailable,
    DeadlineExceeded,
    IdentityCodeInvalid,
    RateLimited,
    RequestRefused,
    Unauthorized,
)
from kiosk.center_client.transport import (
    DeadlinePassed,
    Reply,
    TooLarge,
    bounded_session,
    exchange,
    server_address,
    signing_problem,
)
from kiosk.protocol.canonical import canonical_json
from kiosk.protocol.limits import ANSWER_LIMITS, AnswerLimit, parse_server_time
from kiosk.protocol.models import (
    ALL_FEED_KINDS,
    API_PREFIX,
    IDENTITY_CODE_INVALID,
    Case,
    CasesAnswer,
    CasesQuery,
    FeedPage,
    Heartbeat,
    HeartbeatAnswer,
    IdentityCodeAnswer,
    IdentityCodeQuery,
    IdentityInfo,
    OutboxRecord,
    PushBatch,
    PushResult,
    first_error,
)
from kiosk.protocol.signing import HEADER_SERVER_TIME, SKEW_WINDOW_S, signed_headers
from kiosk.protocol.strict_json import JsonProblem, loads

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
# A 401 whose server time is this close to the edge of the window may have been caused by our clock: retry.
_SKEW_MARGIN_S = 5.0


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _encode_query(params: Sequence[tuple[str, str]]) -> str:
    """The query string as sent, percent-encoded as the signature canonicalises it (RFC 3986)."""
    return "&".join(f"{quote(k, safe='-._~')}={quote(v, safe='-._~')}" for k, v in params)


DEFAULT_TIMEOUT = (10.0, 60.0)


class CenterClient:
    """Talks to one center as one terminal. Thread-safe for the skew; use one thread per client for requests.

    ``timeout`` is ``(connect_s, deadline_s)``: the most connecting may take, and the most one whole exchange may
    take (connecting, sending, the whole answer), whatever pace the answer comes at."""

    def __init__(
        self,
        base_url: str,
        terminal_id: str,
        secret: bytes,
        algorithm: str,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        allow_http: bool = False,
        user_agent: str = "kiosk",
    ) -> None:
        try:
            self.base_url, self._prefix = server_address(
                base_url,
                server="center",
                plain_http_ok=lambda host: allow_http or is_loopback(host),
                https_needed="a remote host; use https (plain http is allowed only to this machine, for development)",
            )
        except ValueError as exc:
            raise CenterConfigError(str(exc)) from None
        problem = signing_problem(algorithm, secret, timeout)
        if problem is not None:
            raise CenterConfigError(problem)
        self.terminal_id = terminal_id
        self.algorithm = algorithm
        self.timeout = timeout
        self._secret = secret
        self._clock = clock
        self._skew = 0.0
        self._lock = threading.Lock()
        self._own_session = session is None
        self.session = bounded_session(session)
        self.session.headers.update({"Accept": "application/json", "User-Agent": user_agent})

    def __repr__(self) -> str:
        return f"CenterClient({self.base_url + self._prefix!r}, {self.terminal_id!r}, {self.algorithm})"

    @property
    def skew(self) -> float:
        """Seconds to add to the local clock to get the center's (learnt from its last answer)."""
        with self._lock:
            return self._skew

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def __enter__(self) -> CenterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the protocol ---------------------------------------------------------------------------------------

    def pull(self, kind: str, cursor: str, limit: int) -> FeedPage:
        """One page of a feed after ``cursor`` ("" from the beginning)."""
        if kind not in ALL_FEED_KINDS:
            raise ValueError(f"unknown feed kind {kind!r}")
        params = [("limit", str(limit))]
        if cursor:
            params.insert(0, ("cursor", cursor))
        page = self._call("GET", f"{API_PREFIX}/feeds/{kind}", params, None, FeedPage, "feed")
        if page.kind != kind:
            raise BadAnswer(f"asked for feed {kind!r}, the center answered a page of {page.kind!r}")
        return page

    def push(self, records: Sequence[OutboxRecord]) -> PushResult:
        """Deliver a batch; the answer has one result per record, in order (checked)."""
        body = canonical_json(PushBatch(records=list(records)).model_dump(mode="json"))
        return self.push_encoded(body, [r.idempotency_key for r in records])

    def push_encoded(self, body: bytes, keys: Sequence[str]) -> PushResult:
        """Deliver a batch already encoded as the protocol's canonical JSON (``{"records": [...]}``) whose
        records carry ``keys`` in order; the answer is checked as :meth:`push` checks it. A terminal's outbox
        keeps each record's canonical bytes, so a drain need not build and encode models again."""
        result = self._call("POST", f"{API_PREFIX}/records", [], body, PushResult, "records")
        answered = [r.idempotency_key for r in result.results]
        if answered != list(keys):
            raise BadAnswer(f"the center answered {len(answered)} results for a batch of {len(keys)} records")
        return result

    def heartbeat(self, beat: Heartbeat) -> HeartbeatAnswer:
        body = canonical_json(beat.model_dump(mode="json"))
        return self._call("POST", f"{API_PREFIX}/heartbeat", [], body, HeartbeatAnswer, "heartbeat")

    def cases(self, id_number: str) -> list[Case]:
        """The cases (办件) the center tracks for the person with this ID number, most recently updated first.

        The number travels in the signed body (never in the URL, which proxies log); nothing here logs it."""
        body = canonical_json(CasesQuery(id_number=id_number).model_dump(mode="json"))
        answer = self._call("POST", f"{API_PREFIX}/cases/query", [], body, CasesAnswer, "cases")
        return list(answer.cases)

    def resolve_identity_code(self, code: str) -> IdentityInfo:
        """Who the identity code (身份码) a citizen showed stands for. The center answers once per code: a second
        call with the same code, like an unknown or expired one, raises :class:`IdentityCodeInvalid`. Neither the
        code nor the answer is logged (the answer's repr leaves the personal fields out)."""
        body = canonical_json(IdentityCodeQuery(code=code).model_dump(mode="json"))
        path = f"{API_PREFIX}/identity/resolve"
        try:
            answer = self._call("POST", path, [], body, IdentityCodeAnswer, "identity")
        except RequestRefused as exc:
            if exc.status == 404 and exc.error == IDENTITY_CODE_INVALID:
                raise IdentityCodeInvalid(exc.detail, exc.status, exc.error) from None
            raise
        return answer.identity

    def upload(self, command_id: str, content_type: str, body: bytes) -> None:
        """Deliver what a command of the center asked for (a screenshot, the log's last hours), signed like every
        request; its content type says which. The center answers 2xx when it kept it."""
        if not re.fullmatch(r"[0-9a-f]{32}", command_id):
            raise ValueError(f"not a command id: {command_id!r}")
        path = f"{self._prefix}{API_PREFIX}/uploads/{command_id}"
        reply = self._send("POST", path, "", body, "upload", self.timeout, content_type=content_type)
        self._check_status(reply, "POST", f"{API_PREFIX}/uploads/{command_id}")

    def probe(self, timeout: float = 3.0) -> bool:
        """Whether the center answers at all: a cheap signed read of one entry, any HTTP answer below 500, within
        ``timeout`` seconds in all."""
        path = f"{self._prefix}{API_PREFIX}/feeds/settings"
        query = _encode_query([("limit", "1")])
        try:
            reply = self._send("GET", path, query, None, "feed", (timeout, timeout))
        except CenterError:
            return False
        return reply.status < 500

    # -- the wire -------------------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        params: Sequence[tuple[str, str]],
        body: bytes | None,
        model: type[M],
        endpoint: str,
    ) -> M:
        full_path = self._prefix + path
        query = _encode_query(params)
        reply = self._send(method, full_path, query, body, endpoint, self.timeout)
        self._check_status(reply, method, path)
        return self._decode(reply, method, path, model, ANSWER_LIMITS[endpoint])

    @classmethod
    def _check_status(cls, reply: Reply, method: str, path: str) -> None:
        """Raise the error an answer that is not a 2xx stands for."""
        status = reply.status
        if status == 401:
            raise Unauthorized(f"{method} {path}: 401 from the center (credentials refused)")
        if status >= 500:
            raise CenterUnavailable(f"{method} {path}: the center answered {status}")
        if status == 429:
            wait = _retry_after(reply.headers.get("Retry-After", ""))
            raise RateLimited(f"{method} {path}: 429 from the center: try again in {wait:g} s", wait)
        if 300 <= status < 400:
            location = _printable(reply.headers.get("Location", ""))
            raise BadAnswer(
                f"{method} {path}: the center redirected ({status}) to {location!r}; check center_url"
            )
        if status >= 400:
            error = cls._error_code(reply)
            if status == 400 and error == "bad_cursor":
                raise BadCursor(f"{method} {path}: bad_cursor")
            raise RequestRefused(f"{method} {path}: {status} {error}", status, error)
        if not 200 <= status < 300:
            raise BadAnswer(f"{method} {path}: the center answered {status}")

    def _send(
        self,
        method: str,
        path: str,
        query: str,
        body: bytes | None,
        endpoint: str,
        timeout: tuple[float, float],
        *,
        content_type: str = "application/json",
    ) -> Reply:
        """Send once, and once more if a 401 came with a server time that shows our clock was out. Each attempt
        has its own deadline (``timeout[1]``) for everything, its answer its endpoint's size limit."""
        connect_s, deadline_s = timeout
        for attempt in (1, 2):
            signed_at = self._clock() + self.skew
            headers = signed_headers(
                self.terminal_id,
                self._secret,
                self.algorithm,
                method,
                path,
                query,
                body or b"",
                now=signed_at,
            )
            if body is not None:
                headers["Content-Type"] = content_type
            url = self.base_url + path + (f"?{query}" if query else "")
            started = self._clock()
            try:
                reply = exchange(
                    self.session,
                    method,
                    url,
                    body=body,
                    headers=headers,
                    connect_s=connect_s,
                    deadline_s=deadline_s,
                    max_bytes=_answer_limit(endpoint).max_bytes,
                    error_max_bytes=ANSWER_LIMITS["error"].max_bytes,
                )
            except DeadlinePassed:
                log.debug("%s %s: no complete answer within %g s", method, path, deadline_s)
                raise DeadlineExceeded(
                    f"{method} {path}: timed out: no complete answer within {deadline_s:g} s"
                ) from None
            except TooLarge as exc:
                limit = _answer_limit(endpoint).max_bytes
                raise BadAnswer(
                    f"{method} {path}: the answer is larger than the {limit} bytes this request's answer may be "
                    f"({exc}); not read further"
                ) from None
            except (requests.RequestException, OSError) as exc:
                log.debug("%s %s failed: %s", method, path, type(exc).__name__)
                raise CenterUnavailable(f"{method} {path}: {type(exc).__name__}: {exc}") from None
            ended = self._clock()
            log.debug("%s %s -> %d in %.3f s", method, path, reply.status, ended - started)
            server_time = self._learn_skew(reply, (started + ended) / 2)
            if (
                reply.status == 401
                and attempt == 1
                and server_time is not None
                and abs(int(signed_at) - server_time) > SKEW_WINDOW_S - _SKEW_MARGIN_S
            ):
                log.warning(
                    "the center refused a timestamp %.0f s away from its clock; retrying with the learnt skew",
                    int(signed_at) - server_time,
                )
                continue
            return reply
        raise AssertionError("unreachable")

    def _learn_skew(self, reply: Reply, local_mid: float) -> float | None:
        """The center's clock from the answer's header, kept as the skew; an implausible one (not a number,
        NaN, infinite, out of 2020-2100) is logged and ignored: the skew stays what it was."""
        raw = reply.headers.get(HEADER_SERVER_TIME)
        if raw is None:
            return None
        server_time = parse_server_time(raw)
        if server_time is None:
            log.warning("ignoring an implausible %s header: %r", HEADER_SERVER_TIME, _printable(raw)[:40])
            return None
        with self._lock:
            self._skew = server_time - local_mid
        return server_time

    @staticmethod
    def _error_code(reply: Reply) -> str:
        """The short error code of an error answer (``{"error": ...}``), else the status line's reason."""
        fallback = _printable(reply.reason) or "error"
        try:
            data = loads(reply.body, max_depth=ANSWER_LIMITS["error"].max_depth, root="answer")
        except JsonProblem:
            return fallback
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            return _printable(str(data["error"]))[:300]
        return fallback

    @staticmethod
    def _decode(reply: Reply, method: str, path: str, model: type[M], limit: AnswerLimit) -> M:
        kind = reply.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            shown = _printable(kind)[:80] or "no content type"
            raise BadAnswer(f"{method} {path}: expected application/json, got {shown!r}")
        try:
            data: Any = loads(reply.body, max_depth=limit.max_depth, root="answer")
        except JsonProblem as exc:
            raise BadAnswer(f"{method} {path}: the answer is not valid JSON: {exc}") from None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise BadAnswer(
                f"{method} {path}: {model.__name__} does not validate: {_printable(first_error(exc))}"
            ) from None


# What a 429 without a usable Retry-After (seconds) waits, and the longest wait one may ask for.
RETRY_AFTER_DEFAULT_S = 60.0
RETRY_AFTER_MAX_S = 3600.0


def _retry_after(value: str) -> float:
    """Retry-After as seconds within [1, RETRY_AFTER_MAX_S] (an HTTP date or garbage: the default)."""
    text = value.strip()
    if not text.isdigit() or len(text) > 6:
        return RETRY_AFTER_DEFAULT_S
    return min(max(1.0, float(text)), RETRY_AFTER_MAX_S)


def _answer_limit(endpoint: str) -> AnswerLimit:
    """An endpoint's answer limit; one whose answer is only an acknowledgement (an upload) gets an error's."""
    return ANSWER_LIMITS.get(endpoint) or ANSWER_LIMITS["error"]


def _printable(text: str) -> str:
    """Text from the network as it may go into a message or a log line: no control characters, no surrogates."""
    return "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "?" for c in text)
