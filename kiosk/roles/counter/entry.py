"""What ``kiosk run`` starts for the ``counter`` role: the staff's calling window (窗口叫号) over the hall's queue
service this PC is enrolled with (``kiosk hall enroll``); without a display, its screens rendered to PNG files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.launch import Launch

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.hall_client import HallClient


def run(launch: Launch) -> int:
    from kiosk.ui.shell.role_window import render_instead, run_window

    if not launch.display:
        from kiosk.roles.counter.screenshots import SCREENS, render

        return render_instead(launch, SCREENS, render, "the counter's")
    from kiosk.roles.counter.app import CounterUi, window_size

    settings = launch.terminal.settings
    return run_window(
        launch,
        lambda app, options: CounterUi(
            launch.terminal,  # type: ignore[arg-type]  # a LazyTerminal offers what the window uses (its background)
            app,
            options,
            lambda: hall_client(settings),
        ),
        size=window_size(settings),
        what="counter window",
    )


def hall_client(settings: Settings) -> HallClient:
    """This PC's client of its hall (reads the secret: call it on a worker). A request that cannot reach the
    hall is sent again for a few seconds only, so staff soon hear that it was not done."""
    from kiosk.hall_client import HallClient
    from kiosk.roles.counter.flow import ACTION_RETRY_S
    from kiosk.store.hall_credentials import hall_credentials

    c = hall_credentials(settings)
    return HallClient(
        c.url, c.terminal_id, c.secret, c.algorithm, retry_for=ACTION_RETRY_S, user_agent="kiosk-counter"
    )
