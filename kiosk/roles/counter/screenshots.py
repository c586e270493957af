"""The counter's screens for ``kiosk screenshot`` (names start with ``counter-``): the real window and QML over
sample states of the hall (``kiosk.roles.counter.demo``), without a hall: nothing is sent anywhere."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.config import Settings
from kiosk.roles.counter.app import CounterUi, WindowOptions, window_size
from kiosk.roles.counter.demo import COUNTER, STAFF_NO, sample_state
from kiosk.roles.counter.flow import DESK, ONLINE, RECONNECTING, SIGN_IN
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.ui.shell.app import create_application
from kiosk.ui.shell.screenshot import ScreenshotError, grab_window, spin, wait_until
from kiosk.ui.shell.tasks import pending_calls

log = logging.getLogger(__name__)

# name → what it shows
SCREENS: dict[str, str] = {
    "counter-sign-in": "窗口叫号: signing in (counter, staff number, PIN)",
    "counter-serving": "窗口叫号: a ticket being served, the queue beside",
    "counter-idle": "窗口叫号: nobody being served, a queue waiting",
    "counter-held": "窗口叫号: held tickets (挂起) listed",
    "counter-transfer": "窗口叫号: the transfer dialog (转移)",
    "counter-call-number": "窗口叫号: calling a given number (呼叫指定号)",
    "counter-no-show": "窗口叫号: asked once before 过号",
    "counter-reconnecting": "窗口叫号: the link to the hall lost (正在重新连接…)",
    "counter-out-of-service": "窗口叫号: 暂停服务, the terminal taken out of service",
}
# name → (sample state, phase, link, dialog)
_STATES: dict[str, tuple[str, str, str, str]] = {
    "counter-sign-in": ("signin", SIGN_IN, ONLINE, ""),
    "counter-serving": ("serving", DESK, ONLINE, ""),
    "counter-idle": ("idle", DESK, ONLINE, ""),
    "counter-held": ("held", DESK, ONLINE, ""),
    "counter-transfer": ("serving", DESK, ONLINE, "transfer"),
    "counter-call-number": ("idle", DESK, ONLINE, "callNumber"),
    "counter-no-show": ("serving", DESK, ONLINE, "noShow"),
    "counter-reconnecting": ("serving", DESK, RECONNECTING, ""),
    "counter-out-of-service": ("idle", DESK, ONLINE, ""),
}


def render(
    settings: Settings,
    targets: dict[str, Path],
    *,
    size: tuple[int, int] | None = None,
    elder: bool | None = None,
    language: str | None = None,
) -> list[Path]:
    """Render each named counter screen to its PNG path (elder mode is the citizens': staff screens ignore it)."""
    app = create_application(offscreen=True)
    terminal = LazyTerminal(settings)
    ui = CounterUi(terminal, app, WindowOptions(size=size or window_size(settings)), None, settings)  # type: ignore[arg-type]
    written: list[Path] = []
    try:
        if language is not None:
            ui.app_state.setProperty("language", language)
        desk = ui.desk
        for name, path in targets.items():
            if name not in _STATES:
                raise ScreenshotError(f"unknown screen {name!r}; known: {', '.join(SCREENS)}")
            which, phase, link, dialog = _STATES[name]
            desk.flow.demo(
                sample_state(which), counter=COUNTER, staff_no=STAFF_NO, phase=phase, link=link, dialog=dialog
            )
            if name == "counter-out-of-service":
                ui.service_state.show_demo()
            else:
                ui.service_state.end_demo()
            wait_until(lambda: pending_calls() == 0, "background calls")
            spin(150)
            written.append(grab_window(ui.window, path))
            log.info("screenshot %s -> %s", name, path)
    finally:
        ui.close()
        spin(50)
        terminal.close()
    return written


__all__ = ["SCREENS", "render"]
