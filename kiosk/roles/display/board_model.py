"""The display's view-model (``displayBoard`` in QML): the board the hall's events keep (``kiosk.services.display``),
the link's state, the center's notices, the clock, and the calls it announces.

The follower hands on on its own thread; the signals here carry its values to the UI thread (queued), where the
properties change and QML follows. Nothing on the screen is to be touched: the board only shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QLocale, QObject, QTimer, Signal, Slot

from kiosk.services.display.board import Announcement, Board, CallShown, spoken_number

if TYPE_CHECKING:
    from kiosk.services.notices import NoticeShown
    from kiosk.ui.shell.voice import VoicePrompts

log = logging.getLogger(__name__)

HIGHLIGHT_MS = 8000  # a new call stands out this long, then the board is calm again
# What the screen says of the hall link.
NOT_ENROLLED, CONNECTING, LIVE, RECONNECTING = "not_enrolled", "connecting", "live", "reconnecting"


class DisplayBoard(QObject):
    changed = Signal()  # the board, the link, the notices
    clockChanged = Signal()
    highlightChanged = Signal()
    shown = Signal(
        int
    )  # a board is on the screen's model now (its seq): what the call-to-display benchmark times
    _board_arrived = Signal(object)  # from the follower's thread
    _announcement_arrived = Signal(object)
    _link_arrived = Signal(bool)

    def __init__(
        self,
        language: Any,
        voice: Callable[[], VoicePrompts | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        """``language``: anything with a ``language`` attribute (the screen's, read at each use); ``voice``: the
        shell's spoken prompts, asked for at each call (None: the display is silent)."""
        super().__init__(parent)
        self._language = language
        self._voice = voice
        self._closed = False
        self._board = Board()
        self._link = CONNECTING
        self._lost_at = ""
        self._notices: tuple[NoticeShown, ...] = ()
        self._fixed_now: datetime | None = None
        self._highlight = False
        self._highlight_timer = QTimer(self, singleShot=True, interval=HIGHLIGHT_MS)
        self._highlight_timer.timeout.connect(self._calm)
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self._clock_text = ""
        self._date_text = ""
        self._board_arrived.connect(self.show_board)
        self._announcement_arrived.connect(self.announce)
        self._link_arrived.connect(self.set_link)
        self._tick()
        self._clock.start()

    # --- fed by the follower (any thread) --------------------------------------------------------------------

    def board_from_any_thread(self, board: Board) -> None:
        self._board_arrived.emit(board)

    def announcement_from_any_thread(self, call: Announcement) -> None:
        self._announcement_arrived.emit(call)

    def link_from_any_thread(self, connected: bool) -> None:
        self._link_arrived.emit(connected)

    # --- on the UI thread --------------------------------------------------------------------------------------

    @Slot(object)
    def show_board(self, board: Board) -> None:
        if self._closed:
            return
        before = self._board
        self._board = board
        if board.known and self._link == CONNECTING:
            self._link = LIVE
        new_call = (
            board.current is not None
            and before.known
            and _call_key(board.current) != _call_key(before.current)
        )
        if new_call:
            self._set_highlight(True)
            self._highlight_timer.start()
        elif board.current is None:
            self._set_highlight(False)
        self.changed.emit()
        self.shown.emit(board.seq)

    @Slot(object)
    def announce(self, call: Announcement) -> None:
        """Speak the call, after any still being spoken (the voice's announcements are queued)."""
        voice = self._voice()
        if voice is None or self._closed:
            return
        language = str(getattr(self._language, "language", "zh_CN"))
        text = self.tr("请{number}号到{counter}号窗口办理").format(
            number=spoken_number(call.number, language), counter=call.counter
        )
        voice.announce(text, language)

    @Slot(bool)
    def set_link(self, connected: bool) -> None:
        if self._link == NOT_ENROLLED or self._closed:
            return
        if connected:
            state = LIVE if self._board.known else CONNECTING
        elif self._board.known:
            state = RECONNECTING
            if self._link != RECONNECTING:
                self._lost_at = self._now().strftime("%H:%M")
                log.warning("the link to the hall was lost: showing the board as it was at %s", self._lost_at)
        else:
            state = CONNECTING
        if state != self._link:
            if state == LIVE and self._link == RECONNECTING:
                log.info("the link to the hall is back")
            self._link = state
            self.changed.emit()

    def set_not_enrolled(self) -> None:
        self._link = NOT_ENROLLED
        self.changed.emit()

    def set_notices(self, notices: tuple[NoticeShown, ...]) -> None:
        if notices != self._notices:
            self._notices = notices
            self.changed.emit()

    def fix_time(self, moment: datetime | None) -> None:
        """Show ``moment`` on the clock instead of the time (screenshots)."""
        self._fixed_now = moment
        self._tick()

    def close(self) -> None:
        """Show and say nothing more (the display closes; the follower may still hand on a last word)."""
        self._closed = True
        self._clock.stop()
        self._highlight_timer.stop()

    @property
    def board(self) -> Board:
        return self._board

    # --- what QML shows ----------------------------------------------------------------------------------------

    @Property(str, notify=changed)
    def linkState(self) -> str:
        return self._link

    @Property(str, notify=changed)
    def lostAt(self) -> str:
        return self._lost_at

    @Property(str, notify=changed)
    def hallName(self) -> str:
        return self._board.hall_name

    @Property(bool, notify=changed)
    def hasCall(self) -> bool:
        return self._board.current is not None

    @Property(str, notify=changed)
    def currentNumber(self) -> str:
        return self._board.current.number if self._board.current else ""

    @Property(int, notify=changed)
    def currentCounter(self) -> int:
        return self._board.current.counter if self._board.current else 0

    @Property(str, notify=changed)
    def currentService(self) -> str:
        return self._board.current.service_name if self._board.current else ""

    @Property(bool, notify=changed)
    def currentRecall(self) -> bool:
        return bool(self._board.current and self._board.current.recall)

    @Property(bool, notify=highlightChanged)
    def highlight(self) -> bool:
        return self._highlight

    @Property("QVariantList", notify=changed)
    def recentCalls(self) -> list[dict[str, Any]]:
        return [
            {"number": c.number, "counter": c.counter, "service": c.service_name, "recall": c.recall}
            for c in self._board.recent
        ]

    @Property("QVariantList", notify=changed)
    def waiting(self) -> list[dict[str, Any]]:
        return [
            {"code": w.code, "prefix": w.prefix, "name": w.name, "waiting": w.waiting, "open": w.open_now}
            for w in self._board.waiting
        ]

    @Property(int, notify=changed)
    def waitingTotal(self) -> int:
        return self._board.waiting_total

    @Property("QVariantList", notify=changed)
    def notices(self) -> list[dict[str, Any]]:
        return [{"title": n.title, "body": n.body, "level": n.level} for n in self._notices]

    @Property(str, notify=clockChanged)
    def clock(self) -> str:
        return self._clock_text

    @Property(str, notify=clockChanged)
    def date(self) -> str:
        return self._date_text

    # --- inside ----------------------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._fixed_now or datetime.now()

    @Slot()
    def _tick(self) -> None:
        now = self._now()
        language = str(getattr(self._language, "language", "zh_CN"))
        locale = QLocale(language)
        clock = now.strftime("%H:%M")
        if language.startswith("zh"):
            date = locale.toString(now.date(), "yyyy年M月d日 dddd")
        else:
            date = locale.toString(now.date(), "dddd, d MMMM yyyy")
        if (clock, date) != (self._clock_text, self._date_text):
            self._clock_text, self._date_text = clock, date
            self.clockChanged.emit()

    def _set_highlight(self, on: bool) -> None:
        if on != self._highlight:
            self._highlight = on
            self.highlightChanged.emit()

    @Slot()
    def _calm(self) -> None:
        self._set_highlight(False)


def _call_key(call: CallShown | None) -> tuple[Any, ...] | None:
    return None if call is None else (call.number, call.counter, call.at, call.recall)
