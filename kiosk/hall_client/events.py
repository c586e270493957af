"""The hall's event stream on the terminal's side: reading it (:func:`stream`) and following it for good
(:class:`HallFollower`), which is what displays, counters and rating pads build on.

Server-sent events over one signed GET. Each event is read up to ``HALL_EVENT_MAX_BYTES`` and parsed as strict
JSON into a :class:`~kiosk.protocol.hall.HallEvent`; the hall sends a comment every ``KEEPALIVE_S`` seconds, so
a link that goes silent for ``idle_timeout`` is known to be lost and the stream ends with ``HallUnavailable``.

The follower keeps the last sequence number it handed on. It starts from the hall's state (``GET /state``, which
names the ``seq`` it reflects), then follows the events after it; after a lost link it reconnects with
``after=<last seq>`` and the hall sends what it missed, from its stored log. An event at or below the last seq
is a repeat and is dropped; a gap (never expected: sequence numbers are consecutive) or a ``reset`` (the client
is further behind than the hall keeps events) makes it fetch the state again. So every event is handed on once,
in order, and nothing is missed however long the link was down.
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import requests
from pydantic import ValidationError

from kiosk.hall_client.errors import HallBadAnswer, HallError, HallRefused, HallUnauthorized, HallUnavailable
from kiosk.hall_client.mirror import REFETCH
from kiosk.protocol.hall import HALL_EVENT_MAX_BYTES, HALL_EVENT_MAX_DEPTH, HallEvent, HallState
from kiosk.protocol.models import API_PREFIX, first_error
from kiosk.protocol.strict_json import JsonProblem, loads

if TYPE_CHECKING:
    from kiosk.hall_client.client import HallClient

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reset:
    """The hall cannot catch this client up from where it was: fetch the state again, go on from ``seq``."""

    seq: int


@dataclass(frozen=True, slots=True)
class Alive:
    """The link is open (first, once the hall answered), or a keep-alive came: only with ``markers``."""

    opened: bool


Item = HallEvent | Reset | Alive


def stream(
    client: HallClient,
    after: int,
    idle_timeout: float = 5.0,
    *,
    markers: bool = False,
    on_open: Callable[[socket.socket | None], None] | None = None,
) -> Iterator[Item]:
    path = client.path_prefix + API_PREFIX + "/events"
    query = f"after={quote(str(int(after)))}"
    headers = client.signed("GET", path, query, b"")
    headers["Accept"] = "text/event-stream"
    try:
        response = client.session.get(
            f"{client.base_url}{path}?{query}",
            headers=headers,
            stream=True,
            timeout=(client.timeout[0], idle_timeout),
            allow_redirects=False,
        )
    except (requests.RequestException, OSError) as exc:
        raise HallUnavailable(f"GET /events: {type(exc).__name__}: {exc}") from None
    with response:
        if response.status_code == 401:
            raise HallUnauthorized("GET /events: 401 from the hall (credentials refused)")
        if response.status_code >= 500:
            raise HallUnavailable(f"GET /events: the hall answered {response.status_code}")
        if response.status_code != 200:
            raise HallRefused(f"GET /events: {response.status_code}", response.status_code, "error", "")
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "text/event-stream":
            raise HallBadAnswer(f"GET /events: expected text/event-stream, got {kind[:80]!r}")
        if on_open is not None:  # (whoever may have to end the stream from another thread)
            on_open(getattr(getattr(response.raw, "connection", None), "sock", None))
        if markers:
            yield Alive(opened=True)
        try:
            yield from _events(response.iter_content(chunk_size=None), markers)
        except (requests.RequestException, OSError) as exc:
            raise HallUnavailable(f"GET /events: the link was lost ({type(exc).__name__})") from None
    raise HallUnavailable("GET /events: the hall ended the stream")


def _events(chunks: Iterator[bytes], markers: bool) -> Iterator[Item]:
    buffer = b""
    name = ""
    data: list[bytes] = []
    for chunk in chunks:
        buffer += chunk
        if len(buffer) > HALL_EVENT_MAX_BYTES + 64 and b"\n" not in buffer:
            raise HallBadAnswer(f"GET /events: a line longer than {HALL_EVENT_MAX_BYTES} bytes")
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            line = line.rstrip(b"\r")
            if not line:
                if data:
                    yield _event(name, b"\n".join(data))
                name, data = "", []
                continue
            if line.startswith(b":"):
                if markers:
                    yield Alive(opened=False)
                continue
            field, _, value = line.partition(b":")
            value = value[1:] if value.startswith(b" ") else value
            if field == b"event":
                name = value.decode("utf-8", "replace")
            elif field == b"data":
                data.append(value)
                if sum(len(d) for d in data) > HALL_EVENT_MAX_BYTES:
                    raise HallBadAnswer(f"GET /events: an event larger than {HALL_EVENT_MAX_BYTES} bytes")


def _event(name: str, raw: bytes) -> HallEvent | Reset:
    try:
        value: Any = loads(raw, max_depth=HALL_EVENT_MAX_DEPTH, root="event")
    except JsonProblem as exc:
        raise HallBadAnswer(f"GET /events: an event is not valid JSON: {exc}") from None
    if name == "reset":
        seq = value.get("seq") if isinstance(value, dict) else None
        if type(seq) is not int or seq < 0:
            raise HallBadAnswer("GET /events: a reset without its seq")
        return Reset(seq)
    try:
        return HallEvent.model_validate(value)
    except ValidationError as exc:
        raise HallBadAnswer(f"GET /events: HallEvent does not validate: {first_error(exc)}") from None


class HallFollower:
    """Follows the hall on a thread of its own and hands on, on that thread, in order and once each:

    - ``on_state(state)``: the whole hall (at start; after ``hall.changed`` and ``day.started``, which it hands
      on first; after a reset or a gap); its ``seq`` is the last event it reflects;
    - ``on_event(event)``: each event after it;
    - ``on_link(connected)``: True once the stream is open, False at once when it is lost (the screens show
      "reconnecting" then; a silent link is known lost within ``idle_timeout`` seconds).

    Reconnects with growing pauses (0.5 s doubling, up to ``reconnect_max_s``), from the last sequence number it
    handed on. ``last_seq`` may be given to resume where an earlier follower stopped (then no state is fetched
    first).
    """

    def __init__(
        self,
        client: HallClient,
        *,
        on_state: Callable[[HallState], None],
        on_event: Callable[[HallEvent], None],
        on_link: Callable[[bool], None] = lambda connected: None,
        last_seq: int | None = None,
        idle_timeout: float = 5.0,
        reconnect_max_s: float = 5.0,
    ) -> None:
        self.client = client
        self.on_state = on_state
        self.on_event = on_event
        self.on_link = on_link
        self.last_seq = last_seq
        self.idle_timeout = idle_timeout
        self.reconnect_max_s = reconnect_max_s
        self.connected = False
        self._socket: socket.socket | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hall-follower", daemon=True)
        self._socket_lock = threading.Lock()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop following: the stream's connection is shut down, so this does not wait for the next event."""
        self._stop.set()
        with self._socket_lock:
            if self._socket is not None:
                with contextlib.suppress(OSError):
                    self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout)

    def _opened(self, sock: socket.socket | None) -> None:
        with self._socket_lock:
            self._socket = sock
            stopped = self._stop.is_set()
        if stopped and sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _link(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self._safely(self.on_link, connected)

    @staticmethod
    def _safely(callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        except Exception:
            log.exception("hall follower callback failed")

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                if self.last_seq is None:
                    state = self.client.state()
                    self.last_seq = state.seq
                    self._safely(self.on_state, state)
                self._follow()
                failures = 0
            except HallUnauthorized as exc:
                log.error("hall follower: %s", exc.detail)
                failures = max(failures, 4)
            except HallError as exc:
                log.info("hall follower: %s", exc.detail)
                failures += 1
            self._link(False)
            if failures:
                window = min(self.reconnect_max_s, 0.5 * 2 ** min(failures - 1, 6))
                self._stop.wait(window / 2 + random.uniform(0, window / 2))

    def _follow(self) -> None:
        assert self.last_seq is not None
        items = stream(self.client, self.last_seq, self.idle_timeout, markers=True, on_open=self._opened)
        for item in items:
            self._link(True)
            if self._stop.is_set():
                return
            if isinstance(item, Alive):
                continue
            if isinstance(item, Reset):
                self.last_seq = None
                return
            if item.seq <= self.last_seq:
                continue  # a repeat
            if item.seq != self.last_seq + 1:
                log.warning(
                    "hall follower: events %d-%d missing; fetching the state", self.last_seq + 1, item.seq - 1
                )
                self.last_seq = None
                return
            self.last_seq = item.seq
            self._safely(self.on_event, item)
            if item.type in REFETCH:  # the layout changed or a new day began: the whole hall again
                state = self.client.state()
                if state.seq >= item.seq:
                    self.last_seq = state.seq  # (the events up to it are in the state: dropped as repeats)
                    self._safely(self.on_state, state)
