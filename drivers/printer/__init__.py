"""Printers: the A4 printer (PDF documents) and the thermal ticket printer (ESC/POS), with a network ESC/POS
simulator for tests and the demo. Every job comes back as an immutable :class:`PrintJob`, done or failed."""

import atexit
import os
import shutil
import tempfile


def _escpos_cache_folder() -> None:
    """python-escpos caches its printer profiles in a new temporary folder on every import and never removes
    it; a terminal restarted daily, or a test run, would litter the temp directory. Give it one that goes away
    with the process (unless the environment already names one)."""
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="kiosk-escpos-")
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = folder
        atexit.register(shutil.rmtree, folder, True)


_escpos_cache_folder()

from drivers.printer.a4 import A4Printer, PdfFilePrinter  # noqa: E402
from drivers.printer.jobs import JobState, PrintJob  # noqa: E402
from drivers.printer.ticket import Ticket, TicketPrinter  # noqa: E402

__all__ = ["A4Printer", "JobState", "PdfFilePrinter", "PrintJob", "Ticket", "TicketPrinter"]
