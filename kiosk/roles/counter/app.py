"""The counter's window (窗口叫号): the shell with one feature, the desk (``counterDesk``), in a landscape window for
staff at a counter PC (1366×768 and up), keyboard and mouse or a small touch screen.

A staff window is not a citizen's terminal: the pointer stays (staff use a mouse), nothing speaks (the hall's
display calls the numbers), and nothing times out or resets behind the staff's back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from kiosk.ui.shell.app import Shell, WindowOptions
from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication

    from kiosk.config import Settings
    from kiosk.hall_client import HallClient
    from kiosk.roles.counter.desk_view import CounterDesk
    from kiosk.services.terminal import Terminal

MAIN_QML = "roles/counter/Main.qml"
# The smallest counter PC's screen; also the window when the settings name the portrait orientation (a counter
# PC is landscape).
COUNTER_SIZE = (1366, 768)


def window_size(settings: Settings) -> tuple[int, int]:
    return settings.window_size if settings.orientation == "landscape" else COUNTER_SIZE


def _install(shell: Shell) -> Installed:
    from kiosk.roles.counter.desk_view import CounterDesk

    assert isinstance(shell, CounterUi)
    desk = CounterDesk(
        shell.terminal.background,
        shell.hall_connect or _no_hall,
        shell.settings.counter_number,
        shell,
    )
    if shell.hall_connect is not None:
        desk.start()
    return Installed(
        view_models={"counterDesk": desk}, attributes={"desk": desk}, reset=lambda: None, close=desk.close
    )


def _no_hall() -> HallClient:
    raise RuntimeError("no hall (a window for screenshots only)")


DESK = Feature(
    name="counter", screens={}, view_models=("counterDesk",), install=_install, attributes=("desk",)
)


class CounterUi(Shell):
    """The running counter window. ``connect`` makes the hall's client (called on a worker: it reads this PC's
    credentials); None: the window talks to no hall (screenshots show sample states)."""

    desk: CounterDesk

    def __init__(
        self,
        terminal: Terminal,
        app: QGuiApplication,
        options: WindowOptions,
        connect: Callable[[], HallClient] | None,
        settings: Settings | None = None,
    ) -> None:
        self.hall_connect = connect
        super().__init__(
            terminal,
            app,
            options,
            main_qml=MAIN_QML,
            features=(DESK,),
            settings=settings,
            watch_devices=False,
            show_catalog=False,
        )

    # A staff window: the pointer stays, nothing speaks, nothing times out.
    @Slot()
    def _hide_pointer(self) -> None:
        pass

    @Slot()
    def _start_voice(self) -> None:
        pass

    @Slot()
    def _update_idle(self) -> None:
        self.idle.set_active(False)


__all__ = ["COUNTER_SIZE", "DESK", "CounterUi", "WindowOptions", "window_size"]
