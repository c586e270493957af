"""The queue feature (取号排队, 预约签到) as a role registers it: its three screens, its view-model, and what ties it
to the shell (the identity prompt, the "what changed" topic ``queue``, the ticket printer, voice)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from concurrent.futures import Future

    from drivers.printer.jobs import PrintJob
    from drivers.printer.ticket import Ticket
    from kiosk.ui.shell.app import Shell

PRINT_TIMEOUT_S = 30.0  # the printer's own write timeout is 10 s; past this the ticket is shown on screen


def install(shell: Shell) -> Installed:
    from kiosk.services.queue.service import QueueService
    from kiosk.ui.features.queue.queue_screen import QueueScreen

    terminal = shell.terminal
    service = QueueService(shell.settings, terminal.changes, terminal.background)

    def print_ticket(ticket: Ticket) -> Future[PrintJob]:
        # On a worker: the printer's driver is loaded and the printer made there, not on the UI thread.
        devices = shell.device_panel.devices()
        return terminal.background.run(lambda: devices.ticket().print_ticket(ticket).result(PRINT_TIMEOUT_S))

    screen = QueueScreen(
        service,
        shell.session,
        lambda: shell.identity_prompt,
        shell.navigator,
        print_ticket if shell.settings.ticket_printer != "none" else None,
        shell.voice.say_text,
        shell,
    )
    assert shell.changes is not None  # (made before any feature)
    shell.changes.queueChanged.connect(screen.hall_changed)
    return Installed(view_models={"queueScreen": screen}, attributes={"queue": screen}, close=screen.close)


FEATURE = Feature(
    name="queue",
    screens={
        "queue": "features/queue/QueueServicesScreen.qml",
        "queueCheckin": "features/queue/QueueCheckinScreen.qml",
        "queueTicket": "features/queue/QueueTicketScreen.qml",
    },
    view_models=("queueScreen",),
    attributes=("queue",),
    install=install,
)
