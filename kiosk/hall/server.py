"""Running the hall's queue service: uvicorn on a socket bound beforehand (so the caller knows the port, even 0),
with two helpers beside it: the day keeper (a new business day at the reset hour, old events forgotten) and the
link to the center (appointments in, the outbox out), each a thread of its own.

The socket is bound beforehand with ``kiosk.serving.bind``, so a service killed and started again gets the same
port back at once.
"""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path

import uvicorn

from kiosk.hall.app import create_app
from kiosk.hall.center_link import CenterLink
from kiosk.hall.db import HallDb
from kiosk.hall.hall import Hall
from kiosk.hall.terminals import Gatekeeper

log = logging.getLogger(__name__)

TICK_S = 5.0


def make_server(
    hall: Hall, gatekeeper: Gatekeeper | None = None, *, log_level: str = "info", access_log: bool = False
) -> uvicorn.Server:
    config = uvicorn.Config(
        create_app(hall, gatekeeper),
        log_config=None,
        log_level=log_level,
        access_log=access_log,
        server_header=False,
        timeout_graceful_shutdown=1,
    )
    return uvicorn.Server(config)


class DayKeeper:
    """Calls ``hall.tick()`` every few seconds on a thread of its own, and notes when terminals were last seen."""

    def __init__(self, hall: Hall, gatekeeper: Gatekeeper, every_s: float = TICK_S) -> None:
        self.hall = hall
        self.gatekeeper = gatekeeper
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hall-day", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.hall.tick()
                self.gatekeeper.flush_seen()
            except Exception:
                log.exception("the hall's day keeper failed")


def serve(
    db_path: Path, sock: socket.socket, *, log_level: str = "info", link_interval_s: float = 30.0
) -> None:
    """Serve until interrupted (Ctrl+C / SIGTERM), then close the database."""
    db = HallDb(db_path)
    hall = Hall(db)
    hall.tick()
    gatekeeper = Gatekeeper(db)
    keeper = DayKeeper(hall, gatekeeper)
    link = CenterLink(db, link_interval_s)
    keeper.start()
    link.start()
    try:
        make_server(hall, gatekeeper, log_level=log_level).run(sockets=[sock])
    finally:
        link.stop()
        keeper.stop()
        db.close()
