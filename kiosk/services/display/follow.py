"""Following the hall for its display: the hall client's follower (events with sequence numbers, catch-up from the
last one seen) feeding the display's board, Qt-free.

Everything is handed on on the follower's own thread, in order: each new :class:`~kiosk.services.display.board.Board`,
each call to announce, and the link coming and going. The link is known lost at once when the connection drops,
and within :data:`LINK_IDLE_S` when it falls silent (the hall sends a keep-alive every 2 s), so the screen says
"正在重新连接…" within 5 s; it keeps the last board meanwhile, and after the link returns the follower catches up
from the last sequence number it saw: nothing is missed or shown twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from kiosk.hall_client import HallClient, HallError, HallFollower
from kiosk.hall_client.mirror import REFETCH
from kiosk.protocol.hall import HallEvent, HallState
from kiosk.services.display.board import Announcement, Board, HallBoard

log = logging.getLogger(__name__)

LINK_IDLE_S = 4.0  # two keep-alives missed: the link is lost
RECONNECT_MAX_S = 3.0  # the longest pause between tries to reach the hall again


class BoardFollower:
    """Follows the hall for a display; ``start()``, ``stop()``."""

    def __init__(
        self,
        client: HallClient,
        *,
        on_board: Callable[[Board], None],
        on_announce: Callable[[Announcement], None],
        on_link: Callable[[bool], None],
        idle_timeout: float = LINK_IDLE_S,
        reconnect_max_s: float = RECONNECT_MAX_S,
    ) -> None:
        self.client = client
        self.on_board = on_board
        self.on_announce = on_announce
        self.board = HallBoard(hall_now=lambda: datetime.now(UTC) + timedelta(seconds=client.skew))
        self.follower = HallFollower(
            client,
            on_state=self._state,
            on_event=self._event,
            on_link=on_link,
            idle_timeout=idle_timeout,
            reconnect_max_s=reconnect_max_s,
        )

    def start(self) -> None:
        self.follower.start()

    def stop(self) -> None:
        self.follower.stop()

    @property
    def connected(self) -> bool:
        return self.follower.connected

    def _state(self, state: HallState) -> None:
        self.on_board(self.board.on_state(state))

    def _event(self, event: HallEvent) -> None:
        board, calls = self.board.on_event(event)
        if board is not None:
            self.on_board(board)
        for call in calls:
            self.on_announce(call)
        if self.board.needs_state and event.type not in REFETCH:
            # (the follower fetches the state itself after a new day or a layout change; this is the board
            # that lost it otherwise: a fetch after those that failed)
            try:
                self._state(self.client.state())
            except HallError as exc:
                log.info(
                    "the hall's state could not be read (%s): trying again at the next event", exc.detail
                )
