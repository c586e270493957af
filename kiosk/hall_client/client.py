"""A terminal's client of the hall's queue service (docs/hall.md): signed requests, each within one deadline and
an answer size limit (the center client's transport), answers parsed as strict JSON and validated with the
protocol's models; the event stream with catch-up from the last sequence number seen (``kiosk.hall_client.
events``).

Requests that change something carry a request id (made here unless the caller gives one). When the hall cannot
be reached or the answer does not come, the request is sent again with the same id, with short growing pauses,
for up to ``retry_for`` seconds: the hall carries it out once and answers every repeat with the same answer, so a
kiosk whose answer was lost to a crash of the service gets the ticket it took, not a second one.

Thread-safe: the skew is guarded, and each call uses the shared ``requests`` session (keep-alive connections).
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, ValidationError

from kiosk.center_client.transport import (
    DeadlinePassed,
    Reply,
    TooLarge,
    bounded_session,
    exchange,
    server_address,
    signing_problem,
)
from kiosk.hall_client.errors import (
    HallBadAnswer,
    HallConfigError,
    HallError,
    HallRefused,
    HallUnauthorized,
    HallUnavailable,
)
from kiosk.protocol.canonical import canonical_json
from kiosk.protocol.hall import (
    HALL_ANSWER_LIMITS,
    STAFF_PHOTO_TYPES,
    CounterAnswer,
    HallState,
    PersonRef,
    RatingAnswer,
    TakeAnswer,
    TicketsAnswer,
    TicketView,
)
from kiosk.protocol.limits import AnswerLimit, parse_server_time
from kiosk.protocol.models import API_PREFIX, first_error
from kiosk.protocol.signing import HEADER_SERVER_TIME, SKEW_WINDOW_S, signed_headers
from kiosk.protocol.strict_json import JsonProblem, loads

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = (3.0, 10.0)  # (connect, whole exchange): the hall is on the LAN
DEFAULT_RETRY_FOR_S = 15.0
_RETRY_FIRST_S = 0.2
_RETRY_MAX_S = 2.0
_SKEW_MARGIN_S = 5.0


def new_request_id() -> str:
    return secrets.token_hex(16)


def _plain_http_allowed(host: str) -> bool:
    """Plain HTTP is allowed to this machine and to the hall's LAN (private addresses, ``.local`` names); a
    hall reached over the internet must be behind HTTPS."""
    lowered = host.lower()
    if lowered in {"localhost", "localhost.localdomain"} or lowered.endswith((".local", ".lan")):
        return True
    try:
        address = ipaddress.ip_address(lowered)
    except ValueError:
        return "." not in lowered  # a bare LAN host name
    return address.is_loopback or address.is_private or address.is_link_local


def _encode_query(params: Sequence[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='-._~')}={quote(v, safe='-._~')}" for k, v in params)


MAX_ERROR_DETAILS = 8  # values an error names (a window, a day, a number …); more are not read


class HallClient:
    """Talks to one hall as one terminal."""

    def __init__(
        self,
        base_url: str,
        terminal_id: str,
        secret: bytes,
        algorithm: str,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retry_for: float = DEFAULT_RETRY_FOR_S,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        user_agent: str = "kiosk",
    ) -> None:
        try:
            self.base_url, self.path_prefix = server_address(
                base_url,
                server="hall",
                plain_http_ok=_plain_http_allowed,
                https_needed="a host beyond the LAN; use https",
            )
        except ValueError as exc:
            raise HallConfigError(str(exc)) from None
        problem = signing_problem(algorithm, secret, timeout)
        if problem is not None or not 0 <= retry_for < 3600:
            raise HallConfigError(problem or f"retry_for is seconds between 0 and 3600, not {retry_for!r}")
        self.terminal_id = terminal_id
        self.algorithm = algorithm
        self.timeout = timeout
        self.retry_for = retry_for
        self._secret = secret
        self._clock = clock
        self._skew = 0.0
        self._lock = threading.Lock()
        self._own_session = session is None
        self.session = bounded_session(session)
        self.session.headers.update({"Accept": "application/json", "User-Agent": user_agent})

    def __repr__(self) -> str:
        return f"HallClient({self.base_url + self.path_prefix!r}, {self.terminal_id!r})"

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def __enter__(self) -> HallClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def skew(self) -> float:
        with self._lock:
            return self._skew

    # -- reads ----------------------------------------------------------------------------------------------

    def state(self) -> HallState:
        """The whole hall now, and the ``seq`` of the last event it reflects (follow the events from there)."""
        return self._call("GET", "/state", [], None, HallState, "state")

    def tickets(self, day: str | None = None) -> TicketsAnswer:
        params = [("day", day)] if day else []
        return self._call("GET", "/tickets", params, None, TicketsAnswer, "tickets")

    def ticket(self, ticket_id: str) -> TicketView:
        return self._call("GET", f"/tickets/{quote(ticket_id, safe='')}", [], None, TicketView, "ticket")

    def staff_photo(self, staff_no: str) -> StaffPhoto:
        """A staff member's photo (the rating pad shows it), JPEG or PNG of at most ``STAFF_PHOTO_MAX_BYTES``;
        ``HallRefused`` ``no_photo`` or ``unknown_staff`` when there is none."""
        path = f"/staff/{quote(staff_no, safe='')}/photo"
        reply = self._send("GET", self.path_prefix + API_PREFIX + path, "", None, "photo", self.timeout)
        if reply.status != 200:
            self._check_status(reply, "GET", path)
            raise HallBadAnswer(f"GET {path}: unexpected status {reply.status}")
        kind = reply.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind not in STAFF_PHOTO_TYPES:
            raise HallBadAnswer(f"GET {path}: expected a JPEG or PNG, got {_printable(kind)[:80]!r}")
        return StaffPhoto(kind, reply.body)

    def probe(self, timeout: float = 3.0) -> bool:
        """Whether the hall answers at all (a signed read of its state within ``timeout`` seconds)."""
        try:
            self._send("GET", self.path_prefix + API_PREFIX + "/state", "", None, "state", (timeout, timeout))
        except HallError:
            return False
        return True

    # -- changes (each with a request id, retried with it) ----------------------------------------------------

    def take(
        self,
        service: str,
        *,
        person: PersonRef | Mapping[str, Any] | None = None,
        green: str | None = None,
        request_id: str | None = None,
    ) -> TakeAnswer:
        """取号: a ticket of ``service`` (``person`` as read from the card for 实名 services and the 绿色通道 by
        age; ``green`` for staff's mark: disability, pregnancy)."""
        body: dict[str, Any] = {"service": service}
        if person is not None:
            body["person"] = _person(person)
        if green is not None:
            body["green"] = green
        return self._change("/tickets", body, TakeAnswer, request_id)

    def check_in(
        self,
        *,
        code: str | None = None,
        person: PersonRef | Mapping[str, Any] | None = None,
        service: str | None = None,
        request_id: str | None = None,
    ) -> TakeAnswer:
        """预约签到 with the appointment code or the card."""
        body: dict[str, Any] = {}
        if code is not None:
            body["code"] = code
        if person is not None:
            body["person"] = _person(person)
        if service is not None:
            body["service"] = service
        return self._change("/checkins", body, TakeAnswer, request_id)

    def counter(
        self, at_counter: int, action: str, /, *, request_id: str | None = None, **fields: Any
    ) -> CounterAnswer:
        """One counter operation (``call``, ``recall``, ``no-show``, ``return``, ``transfer``, ``hold``,
        ``resume``, ``call-number``, ``finish``, ``mark-green``, ``pause``, ``open``, ``sign-in``,
        ``sign-out``) with its fields (``number``, ``service``, ``counter``, ``reason``, ``staff_no``, ``pin``)."""
        body = {name: value for name, value in fields.items() if value is not None}
        return self._change(
            f"/counters/{int(at_counter)}/{quote(action, safe='')}", body, CounterAnswer, request_id
        )

    def call_next(self, counter: int, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "call", **kw)

    def recall(self, counter: int, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "recall", **kw)

    def no_show(self, counter: int, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "no-show", **kw)

    def put_back(self, counter: int, number: str, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "return", number=number, **kw)

    def transfer(
        self, counter: int, *, service: str | None = None, to_counter: int | None = None, **kw: Any
    ) -> CounterAnswer:
        return self.counter(counter, "transfer", service=service, counter=to_counter, **kw)

    def hold(self, counter: int, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "hold", **kw)

    def resume(self, counter: int, number: str | None = None, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "resume", number=number, **kw)

    def call_number(self, counter: int, number: str, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "call-number", number=number, **kw)

    def finish(self, counter: int, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "finish", **kw)

    def mark_green(self, counter: int, number: str, reason: str, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "mark-green", number=number, reason=reason, **kw)

    def pause(self, counter: int, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "pause", **kw)

    def reopen(self, counter: int, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "open", **kw)

    def sign_in(self, counter: int, staff_no: str, pin: str, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "sign-in", staff_no=staff_no, pin=pin, **kw)

    def sign_out(self, counter: int, **kw: Any) -> CounterAnswer:
        return self.counter(counter, "sign-out", **kw)

    def rate(
        self,
        ticket_id: str,
        level: int,
        reasons: Sequence[str] = (),
        comment: str = "",
        *,
        request_id: str | None = None,
    ) -> RatingAnswer:
        """The pad's rating of a finished ticket (one per ticket: a second is ``HallRefused`` already_rated)."""
        body = {"ticket_id": ticket_id, "level": level, "reasons": list(reasons), "comment": comment}
        return self._change("/ratings", body, RatingAnswer, request_id)

    def events(self, after: int, *, idle_timeout: float = 5.0) -> Iterator[Any]:
        """The event stream from the event after ``after``: :class:`~kiosk.protocol.hall.HallEvent` values (and
        :class:`~kiosk.hall_client.events.Reset` when the hall cannot catch this client up). Ends with
        :class:`HallUnavailable` when the link is lost or silent for ``idle_timeout`` seconds. For following the
        hall for good (reconnecting, catching up, no repeats) use :class:`~kiosk.hall_client.events.HallFollower`."""
        from kiosk.hall_client.events import stream

        return stream(self, after, idle_timeout)

    # -- the wire -------------------------------------------------------------------------------------------

    def _change(self, path: str, body: dict[str, Any], model: type[M], request_id: str | None) -> M:
        body = {"request_id": request_id or new_request_id(), **body}
        encoded = canonical_json(body)
        give_up_at = time.monotonic() + self.retry_for
        pause = _RETRY_FIRST_S
        while True:
            try:
                return self._call("POST", path, [], encoded, model, "ticket")
            except HallUnavailable as exc:
                if time.monotonic() + pause > give_up_at:
                    raise
                log.info("hall unavailable (%s); sending request %s again", exc.detail, body["request_id"])
                time.sleep(pause)
                pause = min(_RETRY_MAX_S, pause * 2)

    def _call(
        self,
        method: str,
        path: str,
        params: Sequence[tuple[str, str]],
        body: bytes | None,
        model: type[M],
        endpoint: str,
    ) -> M:
        full_path = self.path_prefix + API_PREFIX + path
        reply = self._send(method, full_path, _encode_query(params), body, endpoint, self.timeout)
        self._check_status(reply, method, path)
        return self._decode(reply, method, path, model, HALL_ANSWER_LIMITS[endpoint])

    def _check_status(self, reply: Reply, method: str, path: str) -> None:
        """Raises what an answer other than a 2xx means."""
        status = reply.status
        if status == 401:
            raise HallUnauthorized(f"{method} {path}: 401 from the hall (credentials refused)")
        if status >= 500:
            raise HallUnavailable(f"{method} {path}: the hall answered {status}")
        if 300 <= status < 400:
            raise HallBadAnswer(f"{method} {path}: the hall redirected ({status}); check hall_url")
        if status >= 400:
            code, message, details = self._error_of(reply)
            raise HallRefused(f"{method} {path}: {status} {code}", status, code, message, details)

    def signed(self, method: str, path: str, query: str, body: bytes) -> dict[str, str]:
        """The signing headers for one request (the event stream signs its own)."""
        return signed_headers(
            self.terminal_id,
            self._secret,
            self.algorithm,
            method,
            path,
            query,
            body,
            now=self._clock() + self.skew,
        )

    def _send(
        self,
        method: str,
        path: str,
        query: str,
        body: bytes | None,
        endpoint: str,
        timeout: tuple[float, float],
    ) -> Reply:
        connect_s, deadline_s = timeout
        for attempt in (1, 2):
            signed_at = self._clock() + self.skew
            headers = self.signed(method, path, query, body or b"")
            if body is not None:
                headers["Content-Type"] = "application/json"
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
                    max_bytes=HALL_ANSWER_LIMITS[endpoint].max_bytes,
                    error_max_bytes=HALL_ANSWER_LIMITS["error"].max_bytes,
                )
            except DeadlinePassed:
                raise HallUnavailable(
                    f"{method} {path}: no complete answer within {deadline_s:g} s"
                ) from None
            except TooLarge as exc:
                raise HallBadAnswer(f"{method} {path}: the answer is too large ({exc})") from None
            except (requests.RequestException, OSError) as exc:
                raise HallUnavailable(f"{method} {path}: {type(exc).__name__}: {exc}") from None
            ended = self._clock()
            server_time = self._learn_skew(reply.headers.get(HEADER_SERVER_TIME), (started + ended) / 2)
            if (
                reply.status == 401
                and attempt == 1
                and server_time is not None
                and abs(int(signed_at) - server_time) > SKEW_WINDOW_S - _SKEW_MARGIN_S
            ):
                continue
            return reply
        raise AssertionError("unreachable")

    def _learn_skew(self, raw: str | None, local_mid: float) -> float | None:
        server_time = parse_server_time(raw)
        if server_time is None:
            return None
        with self._lock:
            self._skew = server_time - local_mid
        return server_time

    @staticmethod
    def _error_of(reply: Reply) -> tuple[str, str, dict[str, str]]:
        try:
            data = loads(reply.body, max_depth=HALL_ANSWER_LIMITS["error"].max_depth, root="answer")
        except JsonProblem:
            return "error", "", {}
        if not isinstance(data, dict):
            return "error", "", {}
        code = data.get("error") if isinstance(data.get("error"), str) else "error"
        message = data.get("message") if isinstance(data.get("message"), str) else ""
        raw = data.get("details")
        details = (
            {
                _printable(key)[:32]: _printable(value)[:64]
                for key, value in list(raw.items())[:MAX_ERROR_DETAILS]
                if isinstance(key, str) and isinstance(value, str)
            }
            if isinstance(raw, dict)
            else {}
        )
        return _printable(str(code))[:100], _printable(str(message))[:300], details

    @staticmethod
    def _decode(reply: Reply, method: str, path: str, model: type[M], limit: AnswerLimit) -> M:
        kind = reply.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise HallBadAnswer(f"{method} {path}: expected application/json, got {_printable(kind)[:80]!r}")
        try:
            data: Any = loads(reply.body, max_depth=limit.max_depth, root="answer")
        except JsonProblem as exc:
            raise HallBadAnswer(f"{method} {path}: the answer is not valid JSON: {exc}") from None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise HallBadAnswer(
                f"{method} {path}: {model.__name__} does not validate: {first_error(exc)}"
            ) from None


@dataclass(frozen=True, slots=True, repr=False)
class StaffPhoto:
    """A staff member's photo as the hall sent it: ``media_type`` ``image/jpeg`` or ``image/png``."""

    media_type: str
    data: bytes

    def __repr__(self) -> str:
        return f"StaffPhoto({self.media_type}, {len(self.data)} bytes)"


def _person(person: PersonRef | Mapping[str, Any]) -> dict[str, Any]:
    model = person if isinstance(person, PersonRef) else PersonRef.model_validate(dict(person))
    return model.model_dump(mode="json", exclude_none=True)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "?" for c in text)
