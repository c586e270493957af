"""The display's screens for ``kiosk screenshot`` (and ``kiosk run`` of the display role where there is no display):
the demo hall's board (``kiosk.roles.display.demo``) in each state, fed to the real view-model and QML as the
follower feeds them. Landscape 1920×1080 unless the name ends in ``-portrait`` (1080×1920); ``--size`` sets one
size for all."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from kiosk.config import Settings
from kiosk.roles.display.app import DisplayUi
from kiosk.roles.display.board_model import DisplayBoard
from kiosk.roles.display.demo import DEMO_LONG_NOTICE, DEMO_NOTICES, DEMO_NOW, demo_boards, demo_state
from kiosk.services.display.board import HallBoard
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import ScreenshotError, grab_window, spin, wait_until

log = logging.getLogger(__name__)

LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)

_STATES = {
    "calling": "叫号屏: A012 just called to counter 3 (highlighted), the last calls, the waiting counts",
    "idle": "叫号屏: the hall open, nobody waiting, nobody called yet",
    "reconnecting": "叫号屏: the link to the hall lost, the last board kept under the notice",
    "connecting": "叫号屏: the hall has not answered yet",
    "not-enrolled": "叫号屏: not enrolled with a hall, how to enrol it",
    "notices": "叫号屏: calling, with the center's notices",
    "notice-long": "叫号屏: a notice longer than the bar holds, its first page (the rest follows page by page)",
    "out-of-service": "叫号屏: 暂停服务, the terminal taken out of service",
}
SCREENS: dict[str, str] = {
    **{f"display-{state}": f"{shows} (landscape)" for state, shows in _STATES.items()},
    **{f"display-{state}-portrait": f"{shows} (portrait)" for state, shows in _STATES.items()},
}


def show_state(board: DisplayBoard, state: str) -> None:
    """Put the view-model in one of the demo states, as the follower and the notices would."""
    boards = demo_boards()
    board.fix_time(DEMO_NOW.replace(tzinfo=None))
    shown = {"notices": DEMO_NOTICES, "notice-long": (DEMO_LONG_NOTICE,)}
    board.set_notices(shown.get(state, ()))
    if state == "not-enrolled":
        board.set_not_enrolled()
        return
    if state == "connecting":
        return
    if state == "idle":
        board.show_board(boards["idle"])
        board.set_link(True)
        return
    board.show_board(HallBoard().on_state(demo_state()))  # the morning so far, then the new call
    board.show_board(boards["calling"])
    board.set_link(True)
    if state == "reconnecting":
        board.set_link(False)


def render(
    settings: Settings,
    targets: dict[str, Path],
    *,
    size: tuple[int, int] | None = None,
    elder: bool | None = None,
    language: str | None = None,
) -> list[Path]:
    """Each named state in a window of its own (everybody in the hall reads the display alike: no elder mode)."""
    app = create_application(offscreen=True)
    settings = replace(settings, voice_prompts=False, language=language or settings.language)
    written: list[Path] = []
    for name, path in targets.items():
        if name not in SCREENS:
            raise ScreenshotError(f"unknown screen {name!r}; known: {', '.join(SCREENS)}")
        portrait = name.endswith("-portrait")
        state = name.removeprefix("display-").removesuffix("-portrait")
        window = size or (PORTRAIT if portrait else LANDSCAPE)
        ui = DisplayUi(LazyTerminal(settings), app, WindowOptions(size=window), settings, follow=False)
        try:
            wait_until(lambda ui=ui: ui.view_model("displayBoard") is not None, "the display's board")
            show_state(ui.display_board, state)
            if state == "out-of-service":
                ui.service_state.show_demo()
            spin(700)  # the highlight fading in (600 ms), a frame or two
            written.append(grab_window(ui.window, path))
            log.info("screenshot %s -> %s", name, path)
        finally:
            ui.close()
            spin(50)
    return written


__all__ = ["SCREENS", "render", "show_state"]
