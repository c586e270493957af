"""The terminal's HTTP client for the center: signed requests, learnt clock skew, validated answers.

One ``requests.Session`` per client keeps the connection alive between the pages of a pull and the batches of a
push, which is most of the cost on a slow village line. Every answer is validated with the protocol's pydantic
models before anyone sees it, so callers deal with four outcomes only: a valid model, or one of the errors in
``kiosk.center_client.errors`` telling them whether to retry later, start a feed over, or call an operator.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import requests
from pydantic import BaseModel, ValidationError

from kiosk.center_client.errors import (
    BadAnswer,
    BadCursor,
    CenterConfigError,
    CenterUnavailable,
    IdentityCodeInvalid,
    RequestRefused,
    Unauthorized,
)
from kiosk.protocol.canonical import canonical_json
from kiosk.protocol.models import (
    API_PREFIX,
    FEED_KINDS,
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
from kiosk.protocol.signing import ALGORITHMS, HEADER_SERVER_TIME, SECRET_BYTES, SKEW_WINDOW_S, signed_headers

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


class CenterClient:
    """Talks to one center as one terminal. Thread-safe for the skew; use one thread per client for requests."""

    def __init__(
        self,
        base_url: str,
        terminal_id: str,
        secret: bytes,
        algorithm: str,
        *,
        timeout: tuple[float, float] = (5, 30),
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        allow_http: bool = False,
        user_agent: str = "kiosk",
    ) -> None:
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CenterConfigError(f"the center URL {base_url!r} must be http(s)://host[:port][/path]")
        if parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_http:
            raise CenterConfigError(
                f"the center URL {base_url!r} is plain http to a remote host; use https (plain http is allowed "
                "only to this machine, for development)"
            )
        if parts.query or parts.fragment:
            raise CenterConfigError(f"the center URL {base_url!r} must not have a query or fragment")
        if algorithm not in ALGORITHMS:
            raise CenterConfigError(f"unknown signing algorithm {algorithm!r}")
        if len(secret) != SECRET_BYTES:
            raise CenterConfigError(f"a terminal secret is {SECRET_BYTES} bytes")
        self.base_url = f"{parts.scheme}://{parts.netloc}"
        self._prefix = parts.path.rstrip("/")
        self.terminal_id = terminal_id
        self.algorithm = algorithm
        self.timeout = timeout
        self._secret = secret
        self._clock = clock
        self._skew = 0.0
        self._lock = threading.Lock()
        self._own_session = session is None
        self.session = session or requests.Session()
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
        if kind not in FEED_KINDS:
            raise ValueError(f"unknown feed kind {kind!r}")
        params = [("limit", str(limit))]
        if cursor:
            params.insert(0, ("cursor", cursor))
        page = self._call("GET", f"{API_PREFIX}/feeds/{kind}", params, None, FeedPage)
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
        result = self._call("POST", f"{API_PREFIX}/records", [], body, PushResult)
        answered = [r.idempotency_key for r in result.results]
        if answered != list(keys):
            raise BadAnswer(f"the center answered {len(answered)} results for a batch of {len(keys)} records")
        return result

    def heartbeat(self, beat: Heartbeat) -> HeartbeatAnswer:
        body = canonical_json(beat.model_dump(mode="json"))
        return self._call("POST", f"{API_PREFIX}/heartbeat", [], body, HeartbeatAnswer)

    def cases(self, id_number: str) -> list[Case]:
        """The cases (办件) the center tracks for the person with this ID number, most recently updated first.

        The number travels in the signed body (never in the URL, which proxies log); nothing here logs it."""
        body = canonical_json(CasesQuery(id_number=id_number).model_dump(mode="json"))
        return list(self._call("POST", f"{API_PREFIX}/cases/query", [], body, CasesAnswer).cases)

    def resolve_identity_code(self, code: str) -> IdentityInfo:
        """Who the identity code (身份码) a citizen showed stands for. The center answers once per code: a second
        call with the same code, like an unknown or expired one, raises :class:`IdentityCodeInvalid`. Neither the
        code nor the answer is logged (the answer's repr leaves the personal fields out)."""
        body = canonical_json(IdentityCodeQuery(code=code).model_dump(mode="json"))
        path = f"{API_PREFIX}/identity/resolve"
        try:
            answer = self._call("POST", path, [], body, IdentityCodeAnswer)
        except RequestRefused as exc:
            if exc.status == 404 and exc.error == IDENTITY_CODE_INVALID:
                raise IdentityCodeInvalid(exc.detail, exc.status, exc.error) from None
            raise
        return answer.identity

    def probe(self, timeout: float = 3.0) -> bool:
        """Whether the center answers at all: a cheap signed read of one entry, any HTTP answer below 500."""
        path = f"{self._prefix}{API_PREFIX}/feeds/settings"
        query = _encode_query([("limit", "1")])
        try:
            response = self._send("GET", path, query, None, (timeout, timeout))
        except CenterUnavailable:
            return False
        response.close()
        return response.status_code < 500

    # -- the wire -------------------------------------------------------------------------------------------

    def _call(
        self, method: str, path: str, params: Sequence[tuple[str, str]], body: bytes | None, model: type[M]
    ) -> M:
        full_path = self._prefix + path
        query = _encode_query(params)
        response = self._send(method, full_path, query, body, self.timeout)
        status = response.status_code
        if status == 401:
            raise Unauthorized(f"{method} {path}: 401 from the center (credentials refused)")
        if status >= 500:
            raise CenterUnavailable(f"{method} {path}: the center answered {status}")
        if 300 <= status < 400:
            raise BadAnswer(
                f"{method} {path}: the center redirected ({status}) to {response.headers.get('Location')!r}; "
                "check center_url"
            )
        if status >= 400:
            error = self._error_code(response)
            if status == 400 and error == "bad_cursor":
                raise BadCursor(f"{method} {path}: bad_cursor")
            raise RequestRefused(f"{method} {path}: {status} {error}", status, error)
        return self._decode(response, method, path, model)

    def _send(
        self, method: str, path: str, query: str, body: bytes | None, timeout: tuple[float, float]
    ) -> requests.Response:
        """Send once, and once more if a 401 came with a server time that shows our clock was out."""
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
                headers["Content-Type"] = "application/json"
            url = self.base_url + path + (f"?{query}" if query else "")
            started = self._clock()
            try:
                response = self.session.request(
                    method, url, data=body, headers=headers, timeout=timeout, allow_redirects=False
                )
                _ = response.content  # read it all now, so a cut connection is a network error
            except requests.RequestException as exc:
                log.debug("%s %s failed: %s", method, path, type(exc).__name__)
                raise CenterUnavailable(f"{method} {path}: {type(exc).__name__}: {exc}") from None
            ended = self._clock()
            log.debug("%s %s -> %d in %.3f s", method, path, response.status_code, ended - started)
            server_time = self._learn_skew(response, (started + ended) / 2)
            if (
                response.status_code == 401
                and attempt == 1
                and server_time is not None
                and abs(int(signed_at) - server_time) > SKEW_WINDOW_S - _SKEW_MARGIN_S
            ):
                log.warning(
                    "the center refused a timestamp %.0f s away from its clock; retrying with the learnt skew",
                    int(signed_at) - server_time,
                )
                continue
            return response
        raise AssertionError("unreachable")

    def _learn_skew(self, response: requests.Response, local_mid: float) -> float | None:
        raw = response.headers.get(HEADER_SERVER_TIME)
        if raw is None:
            return None
        try:
            server_time = float(raw)
        except ValueError:
            log.warning("ignoring a malformed %s header", HEADER_SERVER_TIME)
            return None
        with self._lock:
            self._skew = server_time - local_mid
        return server_time

    @staticmethod
    def _error_code(response: requests.Response) -> str:
        try:
            data = response.json()
        except ValueError:
            return response.reason or "error"
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            return str(data["error"])[:300]
        return response.reason or "error"

    @staticmethod
    def _decode(response: requests.Response, method: str, path: str, model: type[M]) -> M:
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise BadAnswer(f"{method} {path}: expected application/json, got {kind or 'no content type'!r}")
        try:
            data: Any = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadAnswer(f"{method} {path}: the answer is not valid JSON ({exc})") from None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise BadAnswer(
                f"{method} {path}: {model.__name__} does not validate: {first_error(exc)}"
            ) from None
