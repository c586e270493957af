"""Resident ID card readers: the SAM module's serial protocol, its text block layouts, and a simulated module.

- :mod:`drivers.idcard.reader` — :class:`IdCardReader`, what every backend offers (futures, events, health).
- :mod:`drivers.idcard.sam_serial` — the ``sam-serial`` backend (pyserial) and the ``simulator`` backend.
- :mod:`drivers.idcard.protocol`, :mod:`.textblock`, :mod:`.tables`, :mod:`.errors` — the wire, the card data.
- :mod:`drivers.idcard.simulator`, :mod:`.cards` — the virtual module on a pty and sample cards.

The package imports nothing heavy itself; :func:`create_reader` imports the backend it is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drivers.idcard.reader import IdCardReader
    from kiosk.domain.identity import Identity


def create_reader(
    driver: str, *, port: str = "", baud: int = 115200, card: Identity | None = None
) -> IdCardReader:
    """A reader for the ``sam-serial`` or ``simulator`` backend (``card``: what the simulator starts with).

    Raises ``ValueError`` for any other name: the vendor-library and PC/SC backends take their own settings."""
    if driver == "sam-serial":
        from drivers.idcard.sam_serial import SamSerialReader

        return SamSerialReader(port, baud=baud)
    if driver == "simulator":
        from drivers.idcard.sam_serial import SimulatorReader

        return SimulatorReader(card, baud=baud)
    raise ValueError(f"no ID card backend called {driver!r} here")
