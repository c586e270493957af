"""The hall's display (叫号屏): the shell with the display's board, following the hall's queue service.

The board (``displayBoard`` in QML, :class:`~kiosk.roles.display.board_model.DisplayBoard`) is made just after the
first frame, like a feature of the citizen's UI; then the display shows the center's notices (the shell's notices
feed) and starts following the hall (the hall client is made on a worker: ``requests`` takes a while to load). A display not enrolled with a
hall says how to enrol it, and follows nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from kiosk.ui.shell.app import Shell, WindowOptions
from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication

    from kiosk.config import Settings
    from kiosk.hall_client import HallClient
    from kiosk.roles.display.board_model import DisplayBoard
    from kiosk.services.display.follow import BoardFollower
    from kiosk.services.lazy_terminal import LazyTerminal
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)

MAIN_QML = "roles/display/Main.qml"


def _install(shell: Shell) -> Installed:
    from kiosk.roles.display.board_model import DisplayBoard

    voice = (lambda: shell.voice) if shell.settings.voice_prompts else (lambda: None)
    board = DisplayBoard(shell.app_state, voice, shell)
    return Installed(
        view_models={"displayBoard": board},
        attributes={"board": board},
        reset=lambda: None,
        close=board.close,
    )


BOARD = Feature(
    name="display-board", screens={}, view_models=("displayBoard",), install=_install, attributes=("board",)
)


class DisplayUi(Shell):
    """The running display of one hall."""

    def __init__(
        self,
        terminal: Terminal | LazyTerminal,
        app: QGuiApplication,
        options: WindowOptions,
        settings: Settings | None = None,
        *,
        follow: bool = True,
    ) -> None:
        """``follow``: follow the hall and read the notices once the board is made (the screenshots do not)."""
        super().__init__(
            terminal,  # type: ignore[arg-type]  # a LazyTerminal offers what the shell uses
            app,
            options,
            main_qml=MAIN_QML,
            features=(BOARD,),
            settings=settings,
            watch_devices=False,
            show_catalog=False,
        )
        self.follower: BoardFollower | None = None
        self.client: HallClient | None = None
        self._closed = False
        if follow:
            if self.view_model("displayBoard") is not None:  # made already (no window shown: tests)
                self._begin()
            else:
                self.firstFrameShown.connect(self._begin)

    @property
    def display_board(self) -> DisplayBoard:
        board: DisplayBoard = self.board
        return board

    @Slot()
    def _begin(self) -> None:
        from kiosk.store.hall_credentials import has_hall
        from kiosk.ui.shell.tasks import run_in_background

        board = self.display_board
        feed = self.notices_feed  # read when the feed changed and every minute
        feed.noticesChanged.connect(lambda: board.set_notices(feed.shown))
        feed.start()
        if not has_hall(self.settings):
            log.warning("this display is not enrolled with a hall (kiosk hall enroll): saying so on screen")
            board.set_not_enrolled()
            return
        run_in_background(
            self.terminal.background.run(self._make_client),
            self._follow,
            lambda exc: log.error("the hall cannot be followed: %s", exc),
            parent=self,
        )

    def _make_client(self) -> HallClient:
        from kiosk.hall_client import HallClient
        from kiosk.store.hall_credentials import hall_credentials

        c = hall_credentials(self.settings)
        return HallClient(c.url, c.terminal_id, c.secret, c.algorithm)

    def _follow(self, client: HallClient) -> None:
        from kiosk.services.display.follow import BoardFollower

        if self._closed:
            client.close()
            return
        board = self.display_board
        self.client = client
        self.follower = BoardFollower(
            client,
            on_board=board.board_from_any_thread,
            on_announce=board.announcement_from_any_thread,
            on_link=board.link_from_any_thread,
        )
        self.follower.start()
        log.info("following the hall at %s", client.base_url)

    def close(self) -> None:
        self._closed = True
        board = self.view_model("displayBoard")
        if board is not None:
            board.close()
        if self.follower is not None:
            self.follower.stop()
        if self.client is not None:
            self.client.close()
        super().close()


__all__ = ["BOARD", "DisplayUi", "WindowOptions"]
