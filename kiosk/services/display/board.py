"""What the hall's display (叫号屏) shows, Qt-free: the board kept from the hall's state and events, and the calls
to announce.

The board starts from the hall's state and follows each event with :func:`kiosk.hall_client.mirror.apply`, so it
never asks the hall again for a call. What the screen shows of it is a :class:`Board` value:

- the current call: the last call or recall of the day (``请 A012 号到 3 号窗口``);
- the calls before it, latest first, each ticket once (a recalled ticket moves up, it is not listed twice);
- the waiting count of each service;
- the hall's name and its business day.

``ticket.called`` and ``ticket.recalled`` are announced (:class:`Announcement`), unless the event is older than
:data:`ANNOUNCE_WITHIN_S` by the hall's clock: a display that was cut off catches up on the calls it missed and
shows them, but does not call out numbers of minutes ago as if they were new. ``day.started`` clears the calls at
once (the whole new day's state follows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from kiosk.hall_client.mirror import RECENT_CALLS, apply
from kiosk.protocol.hall import CallView, HallEvent, HallState

log = logging.getLogger(__name__)

ANNOUNCE_WITHIN_S = 30.0  # a call older than this when it reaches the display is shown, not announced
RECENT_SHOWN = min(8, RECENT_CALLS - 1)  # calls listed under the current one (the hall keeps the last 10)
CALL_EVENTS = frozenset({"ticket.called", "ticket.recalled"})


@dataclass(frozen=True, slots=True)
class CallShown:
    """One call as the board shows it."""

    number: str
    counter: int
    counter_name: str
    service: str
    service_name: str
    at: datetime
    recall: bool = False


@dataclass(frozen=True, slots=True)
class WaitingShown:
    """How many wait for one service."""

    code: str
    prefix: str
    name: str
    waiting: int
    open_now: bool


@dataclass(frozen=True, slots=True)
class Board:
    """The display's picture of the hall. ``seq``: the last event it reflects (0: nothing known yet)."""

    hall_name: str = ""
    day: str = ""
    seq: int = 0
    current: CallShown | None = None
    recent: tuple[CallShown, ...] = ()
    waiting: tuple[WaitingShown, ...] = ()
    known: bool = False  # the hall's state arrived at least once

    @property
    def waiting_total(self) -> int:
        return sum(w.waiting for w in self.waiting)


@dataclass(frozen=True, slots=True)
class Announcement:
    """A call to speak: ``number`` to ``counter`` (a recall is announced again)."""

    number: str
    counter: int
    counter_name: str = ""
    recall: bool = False
    seq: int = 0


def board_of(state: HallState) -> Board:
    names = {s.code: s.name for s in state.services}
    calls = [_shown(c, names) for c in state.recent_calls]
    current = calls[0] if calls else None
    recent: list[CallShown] = []
    seen = {current.number} if current is not None else set()
    for call in calls[1:]:
        if call.number not in seen:
            seen.add(call.number)
            recent.append(call)
    waiting = tuple(WaitingShown(s.code, s.prefix, s.name, s.waiting, s.open_now) for s in state.services)
    return Board(
        hall_name=state.hall_name,
        day=state.day.isoformat(),
        seq=state.seq,
        current=current,
        recent=tuple(recent[:RECENT_SHOWN]),
        waiting=waiting,
        known=True,
    )


def _shown(call: CallView, names: dict[str, str]) -> CallShown:
    return CallShown(
        number=call.number,
        counter=call.counter,
        counter_name=call.counter_name,
        service=call.service,
        service_name=names.get(call.service, call.service),
        at=call.at,
        recall=call.recall,
    )


@dataclass
class HallBoard:
    """The board kept from a follower's ``on_state`` and ``on_event`` (called on one thread, in order). Each
    returns the board to show now (None: unchanged) and the calls to announce."""

    hall_now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    announce_within_s: float = ANNOUNCE_WITHIN_S
    state: HallState | None = None
    board: Board = field(default_factory=Board)

    @property
    def needs_state(self) -> bool:
        """The board cannot follow events until it has the hall's state (again)."""
        return self.state is None

    def on_state(self, state: HallState) -> Board:
        """The whole hall (at start, after a new day or a layout change, after a gap): shown, nothing
        announced (those calls are not new)."""
        self.state = state
        self.board = board_of(state)
        return self.board

    def on_event(self, event: HallEvent) -> tuple[Board | None, list[Announcement]]:
        if event.type == "day.started":
            # A new day: yesterday's calls go at once (the new day's state comes next).
            self.state = None
            counts = event.data.get("waiting")
            waiting = self.board.waiting
            if isinstance(counts, dict):
                waiting = tuple(
                    WaitingShown(w.code, w.prefix, w.name, int(counts.get(w.code, 0)), w.open_now)
                    for w in waiting
                )
            self.board = Board(
                hall_name=self.board.hall_name,
                day=str(event.data.get("day", "")),
                seq=event.seq,
                waiting=waiting,
                known=self.board.known,
            )
            return self.board, []
        if self.state is None:
            return None, []  # (before the first state, or after a new day: the state follows)
        if event.seq <= self.state.seq:
            return None, []  # already in the state
        if event.seq != self.state.seq + 1:
            log.warning(
                "the board missed events %d-%d: it needs the hall's state", self.state.seq + 1, event.seq - 1
            )
            self.state = None
            return None, []
        after = apply(self.state, event)
        if after is None:  # the layout changed: the state follows
            self.state = None
            return None, []
        self.state = after
        board = board_of(after)
        changed = board != self.board
        self.board = board
        announcements = self._announcements(event)
        return (board if changed else None), announcements

    def _announcements(self, event: HallEvent) -> list[Announcement]:
        if event.type not in CALL_EVENTS:
            return []
        ticket = event.data.get("ticket")
        counter = ticket.get("counter") if isinstance(ticket, dict) else None
        if not isinstance(ticket, dict) or not isinstance(counter, int):
            return []
        age = (self.hall_now() - event.at) / timedelta(seconds=1)
        if age > self.announce_within_s:
            log.info(
                "%s to counter %d was called %.0f s ago: shown, not announced",
                ticket.get("number"),
                counter,
                age,
            )
            return []
        return [
            Announcement(
                number=str(ticket.get("number", "")),
                counter=counter,
                counter_name=str(ticket.get("counter_name", "")),
                recall=event.type == "ticket.recalled",
                seq=event.seq,
            )
        ]


CHINESE_DIGITS = "零一二三四五六七八九"


def spoken_number(number: str, language: str) -> str:
    """A ticket number as it is read out, digit by digit, as halls call them: ``A012`` → ``A零一二`` (not "A
    twelve"); in English ``A 0 1 2``."""
    if language.startswith("zh"):
        return "".join(CHINESE_DIGITS[int(c)] if c.isdigit() else c for c in number)
    return " ".join(number)
